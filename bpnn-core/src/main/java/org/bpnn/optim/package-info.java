/**
 * Optimisers: BP4 and its refinements, each owning its per-parameter state ({@link org.bpnn.optim.Sgd},
 * {@link org.bpnn.optim.Momentum} (classical and Nesterov), {@link org.bpnn.optim.Adam},
 * {@link org.bpnn.optim.AdamW}, {@link org.bpnn.optim.RmsProp}, {@link org.bpnn.optim.AdaGrad}),
 * plus learning-rate schedules, gradient clipping and L1/L2 penalties.
 */
package org.bpnn.optim;
