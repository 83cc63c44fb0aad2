package org.bpnn.optim;

import java.util.Map;
import org.bpnn.backend.Backend;
import org.bpnn.backend.Subnormals;
import org.bpnn.nn.Parameter;

/**
 * RMSProp (Hinton, Neural Networks for Machine Learning, lecture 6e; reference:
 * https://www.cs.toronto.edu/~tijmen/csc321/slides/lecture_slides_lec6.pdf), eps outside the root
 * as in PyTorch (whose default rho, its alpha, is 0.99; this class's default is Keras's 0.9):
 * <pre>
 *   s &lt;- rho s + (1 - rho) g (.) g
 *   w &lt;- w - alpha g / (sqrt(s) + eps)
 * </pre>
 * An s below {@link Float#MIN_NORMAL} is stored as 0 where that changes no step ({@link Subnormals}).
 */
public final class RmsProp extends BaseOptimizer {
    private final float rho;
    private final float eps;

    /** RMSProp with rho = 0.9, eps = 1e-8. */
    public RmsProp(double learningRate) {
        this(learningRate, 0.9, 1e-8);
    }

    /** alpha finite &gt; 0; rho in [0, 1); eps finite &gt; 0. */
    public RmsProp(double learningRate, double rho, double epsilon) {
        super(learningRate, "0.001 is the usual RMSProp rate");
        Hyper.unitInterval("rho", rho, "0.9 is usual");
        Hyper.positive("epsilon", epsilon, "1e-8 is usual");
        this.rho = (float) rho;
        this.eps = (float) epsilon;
    }

    /** rho, the decay of the mean square s (PyTorch's alpha). */
    public float rho() { return rho; }

    /** eps, added to sqrt(s) (as {@link Adam#epsilon()}). */
    public float epsilon() { return eps; }

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    protected Map<String, Float> hyperParameters() {
        Map<String, Float> m = new java.util.LinkedHashMap<>();
        m.put("rho", rho);
        m.put("epsilon", eps);
        return m;
    }

    @Override
    protected int stateSlots() {
        return 1;
    }

    @Override
    protected void update(Backend backend, int index, Parameter p, float lr, long t) {
        float[] w = p.value().data(), g = p.grad().data(), s = buffer(0, index);
        float r = rho, q = 1f - rho;
        boolean flush = Subnormals.vanishBeside(1f, eps); // see Subnormals: only where it changes no step
        for (int i = 0; i < w.length; i++) {
            float gi = g[i];
            float si = r * s[i] + q * gi * gi;
            if (flush) si = Subnormals.flush(si);
            s[i] = si;
            w[i] -= lr * gi / ((float) Math.sqrt(si) + eps);
        }
    }

    @Override
    protected String constructor() {
        return "new RmsProp(" + learningRate() + ", " + rho + ", " + eps + ")";
    }
}
