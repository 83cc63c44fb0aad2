package org.bpnn.optim;

import java.util.List;
import org.bpnn.backend.Backend;
import org.bpnn.nn.Parameter;

/**
 * L1 and L2 weight penalties, added to the gradients of the parameters that decay
 * ({@link Parameter#decays()}: weights, not biases) before the update:
 * <pre>
 *   penalty  P(W) = l1 sum |w| + (l2 / 2) sum w^2
 *   gradient g &lt;- g + l1 sign(w) + l2 w        (sign(0) = 0)
 * </pre>
 * So {@code l2(lambda)} with plain SGD is classic weight decay, w &lt;- w - alpha (g + lambda w).
 * With Adam prefer {@link AdamW}'s decoupled decay (Loshchilov and Hutter,
 * https://arxiv.org/abs/1711.05101), which the adaptive scaling does not weaken.
 *
 * <p><b>The reported loss does not include P(W):</b> the trainer reports the data loss only, so that
 * losses are comparable with and without a penalty; {@link #value} computes P(W) when wanted.
 */
public final class Penalty {
    private static final Penalty NONE = new Penalty(0, 0);

    private final float l1;
    private final float l2;

    private Penalty(double l1, double l2) {
        this.l1 = (float) l1;
        this.l2 = (float) l2;
    }

    /** No penalty. */
    public static Penalty none() {
        return NONE;
    }

    /** l1 sum |w|; lambda finite and &gt;= 0. */
    public static Penalty l1(double lambda) {
        return elasticNet(lambda, 0);
    }

    /** (l2 / 2) sum w^2, gradient l2 w; lambda finite and &gt;= 0. */
    public static Penalty l2(double lambda) {
        return elasticNet(0, lambda);
    }

    /** Both: l1 sum |w| + (l2 / 2) sum w^2. */
    public static Penalty elasticNet(double l1, double l2) {
        Hyper.nonNegative("L1 penalty", l1, "typical values are 1e-5 to 1e-3");
        Hyper.nonNegative("L2 penalty", l2, "typical values are 1e-5 to 1e-3");
        return new Penalty(l1, l2);
    }

    public float l1() { return l1; }

    public float l2() { return l2; }

    /** Adds the penalty's gradient to every decaying parameter's gradient. Allocation-free. */
    public void apply(Backend backend, List<Parameter> parameters) {
        if (l1 == 0 && l2 == 0) {
            return;
        }
        for (int i = 0, n = parameters.size(); i < n; i++) {
            Parameter p = parameters.get(i);
            if (!p.decays()) {
                continue;
            }
            float[] w = p.value().data(), g = p.grad().data();
            if (l2 != 0) {
                backend.axpy(w.length, l2, w, 0, g, 0);
            }
            if (l1 != 0) {
                for (int j = 0; j < w.length; j++) {
                    g[j] += l1 * Math.signum(w[j]);
                }
            }
        }
    }

    /** P(W) over the decaying parameters, in double. */
    public double value(List<Parameter> parameters) {
        double s1 = 0, s2 = 0;
        for (Parameter p : parameters) {
            if (!p.decays()) {
                continue;
            }
            for (float v : p.value().data()) {
                s1 += Math.abs(v);
                s2 += (double) v * v;
            }
        }
        return l1 * s1 + 0.5 * l2 * s2;
    }

    @Override
    public String toString() {
        if (l1 == 0 && l2 == 0) return "Penalty.none()";
        if (l1 == 0) return "Penalty.l2(" + l2 + ")";
        if (l2 == 0) return "Penalty.l1(" + l1 + ")";
        return "Penalty.elasticNet(" + l1 + ", " + l2 + ")";
    }
}
