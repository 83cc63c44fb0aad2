package org.bpnn.optim;

import java.util.Map;
import org.bpnn.backend.Backend;
import org.bpnn.nn.Parameter;

/**
 * SGD with momentum, classical or Nesterov, in PyTorch's form (one velocity v per parameter):
 * <pre>
 *   v &lt;- mu v + g
 *   classical: w &lt;- w - alpha v
 *   Nesterov:  w &lt;- w - alpha (g + mu v)
 * </pre>
 * reference: Polyak 1964; Sutskever et al. 2013, http://proceedings.mlr.press/v28/sutskever13.html
 * (Nesterov's look-ahead rewritten in terms of the current weights). Runs through
 * {@link Backend#momentumUpdate}, a single fused pass on backends that override it, which stores a v
 * below {@link Float#MIN_NORMAL} as 0 ({@link org.bpnn.backend.Subnormals}).
 */
public final class Momentum extends BaseOptimizer {
    private final float mu;
    private final boolean nesterov;

    /** Classical momentum: alpha finite &gt; 0, mu in [0, 1) (0.9 is usual). */
    public Momentum(double learningRate, double momentum) {
        this(learningRate, momentum, false);
    }

    /**
     * Momentum, Nesterov's when {@code nesterov}: alpha finite &gt; 0, mu in [0, 1) (0.9 is usual).
     *
     * @throws IllegalArgumentException when a value is out of its range, also as the float it is computed in
     */
    public Momentum(double learningRate, double momentum, boolean nesterov) {
        super(learningRate, "0.01 to 0.1 is a usual start for SGD with momentum");
        Hyper.unitInterval("momentum", momentum, "0.9 is usual");
        this.mu = (float) momentum;
        this.nesterov = nesterov;
    }

    /** Nesterov momentum. */
    public static Momentum nesterov(double learningRate, double momentum) {
        return new Momentum(learningRate, momentum, true);
    }

    public float momentum() { return mu; }

    public boolean isNesterov() { return nesterov; }

    @Override
    public String name() {
        return nesterov ? "nesterov" : "momentum";
    }

    @Override
    protected Map<String, Float> hyperParameters() {
        return Map.of("momentum", mu);
    }

    @Override
    protected int stateSlots() {
        return 1;
    }

    @Override
    protected void update(Backend backend, int index, Parameter p, float lr, long t) {
        backend.momentumUpdate(p.size(), lr, mu, nesterov, p.value().data(), 0, p.grad().data(), 0, buffer(0, index), 0);
    }

    @Override
    protected String constructor() {
        return "new Momentum(" + learningRate() + ", " + mu + ", " + nesterov + ")";
    }
}
