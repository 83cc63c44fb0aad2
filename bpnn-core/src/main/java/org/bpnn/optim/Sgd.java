package org.bpnn.optim;

import java.util.List;
import org.bpnn.backend.Backend;
import org.bpnn.nn.Parameter;

/** Plain gradient descent, the seed's BP4: W &lt;- W - alpha dL/dW, b &lt;- b - alpha dL/db. */
public final class Sgd implements Optimizer {
    private final float learningRate;

    /** @param learningRate alpha, finite and &gt; 0 */
    public Sgd(double learningRate) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and > 0, got " + learningRate
                    + "; 0.01 to 0.1 is a usual start for SGD");
        }
        this.learningRate = (float) learningRate;
    }

    public float learningRate() {
        return learningRate;
    }

    @Override
    public void step(Backend backend, List<Parameter> parameters) {
        for (int i = 0, n = parameters.size(); i < n; i++) {
            Parameter p = parameters.get(i);
            backend.axpy(p.size(), -learningRate, p.grad().data(), 0, p.value().data(), 0);
        }
    }

    @Override
    public String toString() {
        return "new Sgd(" + learningRate + ")";
    }
}
