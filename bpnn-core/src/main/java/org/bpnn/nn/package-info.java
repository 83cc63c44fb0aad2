/** Layers, parameters, initialisers and the sequential {@link org.bpnn.nn.Network}. */
package org.bpnn.nn;
