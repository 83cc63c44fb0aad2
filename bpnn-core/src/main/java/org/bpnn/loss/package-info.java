/** Losses with value and gradient; the cost of a batch is the mean over its samples. */
package org.bpnn.loss;
