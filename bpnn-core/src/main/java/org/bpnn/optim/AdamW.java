package org.bpnn.optim;

import java.util.Map;
import org.bpnn.backend.Backend;
import org.bpnn.nn.Parameter;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter; reference: https://arxiv.org/abs/1711.05101),
 * PyTorch's form where the decay is scaled by the learning rate:
 * <pre>
 *   m, v, m^, v^ as in {@link Adam}
 *   w &lt;- w - alpha (m^ / (sqrt(v^) + eps) + lambda w)      (lambda = 0 for biases)
 * </pre>
 * The decay applies only to parameters with {@link Parameter#decays()} (weights), not to biases.
 * Unlike an L2 penalty, the decay is not divided by sqrt(v^).
 */
public final class AdamW extends BaseOptimizer {
    private final AdamMoments moments;
    private final float weightDecay;

    /** AdamW with b1 = 0.9, b2 = 0.999, eps = 1e-8. */
    public AdamW(double learningRate, double weightDecay) {
        this(learningRate, 0.9, 0.999, 1e-8, weightDecay);
    }

    /** alpha finite &gt; 0; b1, b2 in [0, 1); eps finite &gt; 0; weightDecay finite &gt;= 0 (0.01 is usual). */
    public AdamW(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {
        super(learningRate, "0.001 is the usual AdamW rate");
        this.moments = new AdamMoments(beta1, beta2, epsilon);
        Hyper.nonNegative("weight decay", weightDecay, "0.01 is usual for AdamW");
        this.weightDecay = (float) weightDecay;
    }

    /** b1, the decay of the first moment m (as {@link Adam#beta1()}). */
    public float beta1() { return moments.b1; }

    /** b2, the decay of the second moment v (as {@link Adam#beta2()}). */
    public float beta2() { return moments.b2; }

    /** eps, added to sqrt(v^) (as {@link Adam#epsilon()}). */
    public float epsilon() { return moments.eps; }

    /** lambda, the decoupled weight decay (applied to weights, not biases). */
    public float weightDecay() { return weightDecay; }

    @Override
    public String name() {
        return "adamw";
    }

    @Override
    protected Map<String, Float> hyperParameters() {
        return moments.settings(Map.of("weight_decay", weightDecay));
    }

    @Override
    protected int stateSlots() {
        return 2;
    }

    @Override
    protected void update(Backend backend, int index, Parameter p, float lr, long t) {
        moments.update(backend, p, lr, t, p.decays() ? weightDecay : 0f, buffer(0, index), buffer(1, index));
    }

    @Override
    protected String constructor() {
        return "new AdamW(" + learningRate() + ", " + moments + ", " + weightDecay + ")";
    }
}
