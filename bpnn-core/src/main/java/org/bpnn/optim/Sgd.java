package org.bpnn.optim;

import org.bpnn.backend.Backend;
import org.bpnn.nn.Parameter;

/**
 * Plain gradient descent, the seed's BP4: W &lt;- W - alpha dL/dW, b &lt;- b - alpha dL/db.
 * Stateless apart from the step counter (for schedules).
 */
public final class Sgd extends BaseOptimizer {

    /** @param learningRate alpha, finite and &gt; 0 */
    public Sgd(double learningRate) {
        super(learningRate, "0.01 to 0.1 is a usual start for SGD");
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    protected int stateSlots() {
        return 0;
    }

    @Override
    protected void update(Backend backend, int index, Parameter p, float lr, long t) {
        backend.axpy(p.size(), -lr, p.grad().data(), 0, p.value().data(), 0);
    }

    @Override
    protected String constructor() {
        return "new Sgd(" + learningRate() + ")";
    }
}
