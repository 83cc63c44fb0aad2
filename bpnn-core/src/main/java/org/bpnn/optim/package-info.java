/**
 * Optimisers: BP4 and its refinements, each owning its per-parameter state ({@link org.bpnn.optim.Sgd},
 * {@link org.bpnn.optim.Momentum} (classical and Nesterov), {@link org.bpnn.optim.Adam},
 * {@link org.bpnn.optim.AdamW}, {@link org.bpnn.optim.RmsProp}, {@link org.bpnn.optim.AdaGrad}),
 * plus learning-rate schedules, gradient clipping and L1/L2 penalties.
 *
 * <p>Hyper-parameters are given as doubles but the updates compute in float, so each is checked as
 * the float it becomes too, beyond the domain its constructor states: a value that must be &gt; 0
 * (learning rate, epsilon, clip limit) must be at least {@link java.lang.Float#MIN_NORMAL}, one in
 * [0, 1) (beta1, beta2, rho, momentum) at most 1 - 2^-24 = 0.99999994, and none may exceed
 * {@link java.lang.Float#MAX_VALUE} (penalties, weight decay, the cosine schedule's minRate); a
 * schedule whose rate overflows float is refused at the step, with an IllegalStateException.
 */
package org.bpnn.optim;
