package org.bpnn.backend;

/**
 * The element-wise activation functions a backend implements natively. Each has a derivative that
 * can be written in terms of its output a = f(z) alone, so backward passes need not keep z:
 * <ul>
 *   <li>IDENTITY: f(z) = z, f' = 1</li>
 *   <li>SIGMOID: f(z) = 1 / (1 + e^-z), f' = a (1 - a); an output below {@link Float#MIN_NORMAL} (z &lt; -87.3)
 *   is 0 ({@link Subnormals})</li>
 *   <li>TANH: f(z) = tanh z, f' = 1 - a^2</li>
 *   <li>RELU: f(z) = max(0, z), f' = [a &gt; 0]</li>
 *   <li>LEAKY_RELU (slope s &gt; 0): f(z) = z if z &gt; 0 else s z, f' = 1 if a &gt; 0 else s</li>
 * </ul>
 * The derivative at the kink z = 0 of ReLU and leaky ReLU is taken as the left one (0, resp. s).
 */
public enum ElementwiseOp {
    IDENTITY, SIGMOID, TANH, RELU, LEAKY_RELU;

    /** f(z), the specification every backend follows. {@code param} is the leaky slope. */
    public float apply(float z, float param) {
        switch (this) {
            case IDENTITY: return z;
            case SIGMOID: return sigmoid(z);
            case TANH: return (float) Math.tanh(z);
            case RELU: return z > 0f ? z : 0f;
            case LEAKY_RELU: return z > 0f ? z : param * z;
            default: throw new AssertionError(this);
        }
    }

    /** f'(z) written through the output a = f(z). */
    public float derivativeFromOutput(float a, float param) {
        switch (this) {
            case IDENTITY: return 1f;
            case SIGMOID: return a * (1f - a);
            case TANH: return 1f - a * a;
            case RELU: return a > 0f ? 1f : 0f;
            case LEAKY_RELU: return a > 0f ? 1f : param;
            default: throw new AssertionError(this);
        }
    }

    /** f(z) in double precision, for gradient checks. */
    public double applyDouble(double z, double param) {
        switch (this) {
            case IDENTITY: return z;
            case SIGMOID: return z >= 0 ? 1.0 / (1.0 + Math.exp(-z)) : Math.exp(z) / (1.0 + Math.exp(z));
            case TANH: return Math.tanh(z);
            case RELU: return z > 0 ? z : 0;
            case LEAKY_RELU: return z > 0 ? z : param * z;
            default: throw new AssertionError(this);
        }
    }

    /**
     * The logistic function without overflow: for z &lt; 0 it uses e^z / (1 + e^z), so e^-z is never
     * formed for large negative z (where it would overflow to infinity, harmlessly here, but the same
     * form keeps 1 - a accurate). A result below {@link Float#MIN_NORMAL} (z below about -87.3) is 0:
     * a subnormal activation would make the next layer's matrix products crawl ({@link Subnormals}).
     */
    public static float sigmoid(float z) {
        if (z >= 0f) {
            return (float) (1.0 / (1.0 + Math.exp(-z)));
        }
        double e = Math.exp(z);
        return Subnormals.flush((float) (e / (1.0 + e)));
    }
}
