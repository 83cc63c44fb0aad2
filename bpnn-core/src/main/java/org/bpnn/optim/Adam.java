package org.bpnn.optim;

import java.util.Map;
import org.bpnn.backend.Backend;
import org.bpnn.nn.Parameter;

/**
 * Adam with bias correction (Kingma and Ba, Algorithm 1; reference: https://arxiv.org/abs/1412.6980).
 * With t the 1-based step and g the gradient:
 * <pre>
 *   m &lt;- b1 m + (1 - b1) g
 *   v &lt;- b2 v + (1 - b2) g (.) g
 *   m^ = m / (1 - b1^t),  v^ = v / (1 - b2^t)
 *   w &lt;- w - alpha m^ / (sqrt(v^) + eps)
 * </pre>
 * Runs through {@link Backend#adamUpdate} (a single fused pass on backends that override it), which
 * stores an m below {@link Float#MIN_NORMAL} as 0, and such a v where that changes no step
 * ({@link org.bpnn.backend.Subnormals}: stuck subnormal moments of dead units would slow every update).
 * For weight decay with Adam use {@link AdamW}, not an L2 {@link Penalty}.
 */
public final class Adam extends BaseOptimizer {
    private final AdamMoments moments;

    /** Adam with the paper's defaults b1 = 0.9, b2 = 0.999, eps = 1e-8. */
    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    /** alpha finite &gt; 0; b1, b2 in [0, 1); eps finite &gt; 0. */
    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        super(learningRate, "0.001 is the usual Adam rate");
        this.moments = new AdamMoments(beta1, beta2, epsilon);
    }

    public float beta1() { return moments.b1; }

    public float beta2() { return moments.b2; }

    public float epsilon() { return moments.eps; }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    protected Map<String, Float> hyperParameters() {
        return moments.settings(Map.of());
    }

    @Override
    protected int stateSlots() {
        return 2;
    }

    @Override
    protected void update(Backend backend, int index, Parameter p, float lr, long t) {
        moments.update(backend, p, lr, t, 0f, buffer(0, index), buffer(1, index));
    }

    @Override
    protected String constructor() {
        return "new Adam(" + learningRate() + ", " + moments + ")";
    }
}
