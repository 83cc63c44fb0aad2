package org.bpnn.optim;

import java.util.List;
import org.bpnn.backend.Backend;
import org.bpnn.nn.Parameter;

/**
 * Limits the gradients before the update, so that one bad batch cannot throw the weights far away.
 * <ul>
 *   <li>{@link #byValue}: g_i &lt;- min(max(g_i, -c), c) for every element of every parameter;</li>
 *   <li>{@link #byGlobalNorm}: with ||g|| = sqrt(sum over all parameters and elements of g_i^2),
 *       g &lt;- g max_norm / ||g|| when ||g|| &gt; max_norm (the direction is kept). Reference:
 *       Pascanu et al. 2013, https://arxiv.org/abs/1211.5063. A non-finite norm leaves the gradients
 *       unchanged (the trainer reports divergence).</li>
 * </ul>
 * Biases are clipped like weights. Allocation-free. The optimiser adds its L1/L2 penalty to the
 * gradients first, so the clipped norm includes the penalty term (PyTorch's {@code clip_grad_norm_}
 * runs before the optimiser adds its weight decay; AdamW's decoupled decay is not a gradient term
 * and is never clipped).
 */
public final class GradientClipping {
    private enum Kind { NONE, VALUE, NORM }

    private static final GradientClipping NONE = new GradientClipping(Kind.NONE, 0);

    private final Kind kind;
    private final float limit;

    private GradientClipping(Kind kind, double limit) {
        this.kind = kind;
        this.limit = (float) limit;
    }

    /** No clipping. */
    public static GradientClipping none() {
        return NONE;
    }

    /** Clamps each gradient element to [-c, c]; c finite and &gt; 0. */
    public static GradientClipping byValue(double c) {
        Hyper.positive("clip value", c, "e.g. 1.0 or 5.0");
        return new GradientClipping(Kind.VALUE, c);
    }

    /** Rescales all gradients together when their global L2 norm exceeds maxNorm (finite, &gt; 0). */
    public static GradientClipping byGlobalNorm(double maxNorm) {
        Hyper.positive("clip max norm", maxNorm, "e.g. 1.0 or 5.0");
        return new GradientClipping(Kind.NORM, maxNorm);
    }

    /** The name {@link OptimizerSettings} records the limit under, or null for none. */
    String settingName() {
        return kind == Kind.VALUE ? "clip_value" : kind == Kind.NORM ? "clip_global_norm" : null;
    }

    /** The threshold (0 for none). */
    public float limit() {
        return limit;
    }

    /**
     * Clips the gradients of {@code parameters} in place. Returns the global gradient norm before
     * clipping for {@link #byGlobalNorm}, else -1 (not computed).
     */
    public double apply(Backend backend, List<Parameter> parameters) {
        switch (kind) {
            case VALUE: {
                float c = limit;
                for (int i = 0, n = parameters.size(); i < n; i++) {
                    float[] g = parameters.get(i).grad().data();
                    for (int j = 0; j < g.length; j++) {
                        g[j] = Math.max(-c, Math.min(c, g[j]));
                    }
                }
                return -1;
            }
            case NORM: {
                double norm = globalNorm(parameters);
                if (Double.isFinite(norm) && norm > limit) {
                    float s = (float) (limit / norm);
                    for (int i = 0, n = parameters.size(); i < n; i++) {
                        Parameter p = parameters.get(i);
                        backend.scale(p.size(), s, p.grad().data(), 0);
                    }
                }
                return norm;
            }
            default:
                return -1;
        }
    }

    /** sqrt(sum of g_i^2) over every gradient element, accumulated in double. */
    public static double globalNorm(List<Parameter> parameters) {
        double s = 0;
        for (int i = 0, n = parameters.size(); i < n; i++) {
            float[] g = parameters.get(i).grad().data();
            for (float v : g) {
                s += (double) v * v;
            }
        }
        return Math.sqrt(s);
    }

    @Override
    public String toString() {
        switch (kind) {
            case VALUE: return "GradientClipping.byValue(" + limit + ")";
            case NORM: return "GradientClipping.byGlobalNorm(" + limit + ")";
            default: return "GradientClipping.none()";
        }
    }
}
