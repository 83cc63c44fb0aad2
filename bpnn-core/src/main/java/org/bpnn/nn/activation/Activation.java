package org.bpnn.nn.activation;

import org.bpnn.backend.Backend;
import org.bpnn.backend.ElementwiseOp;
import org.bpnn.tensor.Tensor;

/**
 * The function sigma applied to a layer's pre-activation: a[l] = sigma(z[l]).
 *
 * <p>Element-wise activations ({@link #identity()}, {@link #sigmoid()}, {@link #tanh()},
 * {@link #relu()}, {@link #leakyRelu(float)}) have a diagonal Jacobian, so BP1/BP2 use the
 * element-wise product: delta = g (.) sigma'(z). {@link #softmax()} is a vector function whose
 * Jacobian couples all outputs of a sample; its backward pass is the Jacobian-vector product
 * delta_j = a_j (g_j - sum_k g_k a_k), never the element-wise formula.
 *
 * <p>Users may implement their own; the built-in ones run on the backend's fused kernels.
 */
public interface Activation {

    /** A name that, with {@link #parameter()}, identifies the activation (e.g. for model files). */
    String name();

    /** The activation's single hyper-parameter (the leaky slope), or 0 when it has none. */
    default float parameter() {
        return 0f;
    }

    /**
     * Adds the bias to z in place (when bias is not null) and writes a = sigma(z).
     * z, a: (batch, n); bias: (n) or null.
     */
    void forward(Backend backend, Tensor z, float[] bias, Tensor a);

    /**
     * Turns g = dL/da into delta = dL/dz in place, given a = sigma(z) from {@link #forward}.
     * z, a, g: (batch, n).
     */
    void backward(Backend backend, Tensor z, Tensor a, Tensor g);

    /** sigma over one sample's n pre-activations, in double precision (the gradient check's reference). */
    void forwardDouble(double[] z, int off, int n, double[] a, int aOff);

    static Activation identity() { return Elementwise.IDENTITY; }

    static Activation sigmoid() { return Elementwise.SIGMOID; }

    static Activation tanh() { return Elementwise.TANH; }

    static Activation relu() { return Elementwise.RELU; }

    /** Leaky ReLU with slope {@code slope} for z &lt;= 0; slope must be finite and in (0, 1). */
    static Activation leakyRelu(float slope) {
        if (!(slope > 0f && slope < 1f)) {
            throw new IllegalArgumentException("leaky ReLU slope must be in (0, 1), got " + slope + "; 0.01 is usual");
        }
        return new Elementwise(ElementwiseOp.LEAKY_RELU, slope);
    }

    static Activation leakyRelu() { return leakyRelu(0.01f); }

    static Activation softmax() { return Softmax.INSTANCE; }

    /**
     * The built-in activation with this name ({@code identity, sigmoid, tanh, relu, leaky_relu,
     * softmax}); {@code parameter} is the leaky slope and is ignored by the others.
     */
    static Activation of(String name, float parameter) {
        if (name == null) {
            throw new IllegalArgumentException("activation name is null; expected one of identity, sigmoid, tanh, relu, leaky_relu, softmax");
        }
        switch (name) {
            case "identity": return identity();
            case "sigmoid": return sigmoid();
            case "tanh": return tanh();
            case "relu": return relu();
            case "leaky_relu": return leakyRelu(parameter);
            case "softmax": return softmax();
            default:
                throw new IllegalArgumentException("unknown activation '" + name
                        + "'; expected one of identity, sigmoid, tanh, relu, leaky_relu, softmax");
        }
    }
}
