package org.bpnn.nn.activation;

import java.util.List;
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
 * <p><b>Custom activations.</b> Users may implement their own (bpnn-core's test
 * {@code org.bpnn.extension.CustomActivationTest} is a Swish written against this contract and judged by
 * {@link org.bpnn.nn.GradientCheck} on the scalar and simd backends). The built-in ones run on the
 * backend's fused kernels; a custom one usually computes with plain loops over {@link Tensor#data()}.
 * What {@link org.bpnn.nn.Dense} relies on:
 * <ul>
 *   <li>{@link #forward} and {@link #backward} run inside every training step and predict, so they must
 *   not allocate; one instance may be shared by several layers and networks and is called by
 *   several predicting threads at once, on different tensors, so it must not keep mutable state;</li>
 *   <li>z, a and g are distinct, contiguous (batch, n) tensors (row i at {@code i * n}); z is the layer's
 *   scratch, which keeps the biased pre-activation from forward for backward (and for
 *   {@link org.bpnn.nn.Network#trace}), so backward must not change z or a;</li>
 *   <li>backward is skipped for the output layer when the loss fuses with the activation
 *   ({@link org.bpnn.loss.Loss#fusesWith}, which the built-in losses answer for the built-in sigmoid and
 *   softmax only);</li>
 *   <li>{@link #forwardDouble} is the reference the gradient check differentiates numerically: write
 *   it independently of the float code, in double precision, so that a wrong {@link #backward} fails the
 *   check (see {@link org.bpnn.nn.GradientCheck}). Nothing else calls it;</li>
 *   <li>{@link #name()} is read by the network builder as well as by model files: a custom activation
 *   named like a built-in one ({@code "softmax"}, {@code "sigmoid"}, {@code "relu"}, ...) is treated
 *   as that one there (softmax only on the output layer; sigmoid and softmax outputs make a classifier
 *   and are accepted by the cross-entropy losses; relu picks He initialisation by default). Model files
 *   (bpnn-io) hold the built-in activations only and refuse a network with a custom one when saving.</li>
 * </ul>
 */
public interface Activation {

    /**
     * A name that, with {@link #parameter()}, identifies the activation (e.g. for model files); a
     * custom activation should use a name of its own (see the class comment).
     */
    String name();

    /** The activation's single hyper-parameter (the leaky slope), or 0 when it has none. */
    default float parameter() {
        return 0f;
    }

    /**
     * Adds the bias to z in place (when bias is not null) and writes a = sigma(z).
     * z, a: (batch, n), distinct; bias: (n) or null. On return z must hold the biased pre-activation
     * (backward receives it); a's previous contents are to be ignored. {@code backend} is the
     * network's, for a custom activation that wants its primitives; it may be ignored.
     */
    void forward(Backend backend, Tensor z, float[] bias, Tensor a);

    /**
     * Turns g = dL/da into delta = dL/dz in place, given z (biased) and a = sigma(z) as
     * {@link #forward} left them. z, a, g: (batch, n); only g is written. For an element-wise sigma,
     * delta = g (.) sigma'(z); otherwise the Jacobian-vector product delta_k = sum_j g_j da_j/dz_k per sample.
     */
    void backward(Backend backend, Tensor z, Tensor a, Tensor g);

    /**
     * sigma over one sample's n pre-activations {@code z[off .. off+n)}, into {@code a[aOff .. aOff+n)},
     * in double precision: the reference the gradient check ({@link org.bpnn.nn.GradientCheck}, through
     * {@link org.bpnn.nn.Layer#forwardDouble}) takes finite differences of. Not on a hot path (it may
     * allocate); must not write z.
     */
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
     * The names {@link #of} accepts, one per built-in activation, in the order its refusal lists them:
     * for code that needs them all (a tool's list of choices, a check that every built-in is
     * gradient-checked) without reading them out of the refusal's words. An unmodifiable list; a
     * custom activation's name is not in it.
     */
    static List<String> names() {
        return List.of("identity", "sigmoid", "tanh", "relu", "leaky_relu", "softmax");
    }

    /**
     * The built-in activation with this name (one of {@link #names()}: {@code identity, sigmoid, tanh,
     * relu, leaky_relu, softmax}); {@code parameter} is the leaky slope and is ignored by the others. Names are exact
     * (lower case): another library's name ({@code "linear"}, {@code "LeakyReLU"}) is refused with the
     * built-in it means, not accepted, so that a model file spells each activation one way.
     *
     * @throws IllegalArgumentException when name is null or no built-in's, or for leaky_relu the slope is
     *         not in (0, 1)
     */
    static Activation of(String name, float parameter) {
        if (name == null) {
            throw new IllegalArgumentException("activation name is null; expected one of " + String.join(", ", names()));
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
                        + "'; expected one of " + String.join(", ", names()) + otherName(name));
        }
    }

    /**
     * For {@link #of}'s refusal: the built-in a name from another library means ("linear" is Keras's
     * identity, "LeakyReLU" PyTorch's leaky_relu), or that a known function is not built in. Only a hint:
     * {@code of} does not accept these names, so that a model file spells each activation one way.
     */
    private static String otherName(String name) {
        String key = name.toLowerCase(java.util.Locale.ROOT).replace("_", "").replace("-", "").replace(" ", "");
        String builtin = switch (key) {
            case "linear", "none", "identity" -> "identity"; // Keras "linear" and None, PyTorch nn.Identity
            case "logistic", "sigmoid" -> "sigmoid"; // "logistic": scikit-learn's name
            case "tanh" -> "tanh";
            case "relu" -> "relu";
            case "leakyrelu", "lrelu" -> "leaky_relu";
            case "softmax" -> "softmax";
            default -> null;
        };
        if (builtin != null) {
            return "; '" + name + "' is " + builtin + " here: use \"" + builtin + "\""
                    + (builtin.equals("leaky_relu") ? " (its parameter is the slope, e.g. 0.01)" : "");
        }
        return switch (key) {
            case "softplus", "softsign", "elu", "selu", "gelu", "swish", "silu", "mish", "relu6", "hardsigmoid",
                    "hardtanh", "hardswish", "exponential", "logsoftmax" ->
                    "; " + name + " is not built in: implement Activation (see its class comment); model files hold"
                            + " the built-in activations only";
            default -> "";
        };
    }
}
