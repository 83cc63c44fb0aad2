/** Optimisers: BP4 and its refinements, each owning its per-parameter state. */
package org.bpnn.optim;
