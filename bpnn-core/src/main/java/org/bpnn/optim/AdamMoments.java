package org.bpnn.optim;

import org.bpnn.backend.Backend;
import org.bpnn.nn.Parameter;

/**
 * What {@link Adam} and {@link AdamW} share: b1, b2 and eps, checked with the same hints, and the
 * bias-corrected step through {@link Backend#adamUpdate} (formulas in {@link Adam}). One place for
 * them, so a fix to the checks or the bias correction reaches both. Held by each as a field rather
 * than a common superclass, so both public types keep extending {@link BaseOptimizer} directly.
 */
final class AdamMoments {
    final float b1;
    final float b2;
    final float eps;

    /** b1, b2 in [0, 1); eps finite &gt; 0. */
    AdamMoments(double beta1, double beta2, double epsilon) {
        Hyper.unitInterval("beta1", beta1, "0.9 is usual");
        Hyper.unitInterval("beta2", beta2, "0.999 is usual");
        Hyper.positive("epsilon", epsilon, "1e-8 is usual");
        this.b1 = (float) beta1;
        this.b2 = (float) beta2;
        this.eps = (float) epsilon;
    }

    /**
     * One step of {@code p} at 1-based step {@code t}, with m and v its two state buffers and
     * {@code decay} the decoupled weight decay lambda (0 for Adam, and for AdamW's biases).
     */
    void update(Backend backend, Parameter p, float lr, long t, float decay, float[] m, float[] v) {
        float c1 = (float) (1 - Math.pow(b1, t)), c2 = (float) (1 - Math.pow(b2, t));
        backend.adamUpdate(p.size(), lr, b1, b2, eps, c1, c2, decay, p.value().data(), 0, p.grad().data(), 0, m, 0, v, 0);
    }

    /** beta1, beta2, epsilon (for {@link BaseOptimizer#hyperParameters()}), then {@code more}, in that order. */
    java.util.Map<String, Float> settings(java.util.Map<String, Float> more) {
        java.util.Map<String, Float> m = new java.util.LinkedHashMap<>();
        m.put("beta1", b1);
        m.put("beta2", b2);
        m.put("epsilon", eps);
        m.putAll(more);
        return m;
    }

    /** The three values as the constructors take them, e.g. "0.9, 0.999, 1.0E-8". */
    @Override
    public String toString() {
        return b1 + ", " + b2 + ", " + eps;
    }
}
