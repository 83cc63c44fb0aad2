/** Activation functions sigma: element-wise ones and softmax. */
package org.bpnn.nn.activation;
