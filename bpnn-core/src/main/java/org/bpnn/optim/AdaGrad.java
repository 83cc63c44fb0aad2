package org.bpnn.optim;

import java.util.Map;
import org.bpnn.backend.Backend;
import org.bpnn.nn.Parameter;

/**
 * AdaGrad (Duchi, Hazan and Singer 2011; reference: https://jmlr.org/papers/v12/duchi11a.html):
 * <pre>
 *   G &lt;- G + g (.) g
 *   w &lt;- w - alpha g / (sqrt(G) + eps)
 * </pre>
 * G starts at zero. The effective rate only shrinks, so AdaGrad suits sparse, convex-ish problems.
 */
public final class AdaGrad extends BaseOptimizer {
    private final float eps;

    /** AdaGrad with eps = 1e-10. */
    public AdaGrad(double learningRate) {
        this(learningRate, 1e-10);
    }

    /** alpha finite &gt; 0; eps finite &gt; 0. */
    public AdaGrad(double learningRate, double epsilon) {
        super(learningRate, "0.01 to 0.1 is a usual AdaGrad rate");
        Hyper.positive("epsilon", epsilon, "1e-10 is usual");
        this.eps = (float) epsilon;
    }

    /** eps, added to sqrt(G) (as {@link Adam#epsilon()}). */
    public float epsilon() { return eps; }

    @Override
    public String name() {
        return "adagrad";
    }

    @Override
    protected Map<String, Float> hyperParameters() {
        return Map.of("epsilon", eps);
    }

    @Override
    protected int stateSlots() {
        return 1;
    }

    @Override
    protected void update(Backend backend, int index, Parameter p, float lr, long t) {
        float[] w = p.value().data(), g = p.grad().data(), s = buffer(0, index);
        for (int i = 0; i < w.length; i++) {
            float gi = g[i];
            float si = s[i] + gi * gi;
            s[i] = si;
            w[i] -= lr * gi / ((float) Math.sqrt(si) + eps);
        }
    }

    @Override
    protected String constructor() {
        return "new AdaGrad(" + learningRate() + ", " + eps + ")";
    }
}
