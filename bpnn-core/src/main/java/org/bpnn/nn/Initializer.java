package org.bpnn.nn;

import java.util.Random;
import org.bpnn.nn.activation.Activation;

/**
 * Draws a weight matrix W of shape (fanOut, fanIn). Every draw comes from the {@link Random} given,
 * which the network seeds from its own seed: nothing uses a global RNG.
 *
 * <ul>
 *   <li>Xavier/Glorot: Var(w) = 2 / (fanIn + fanOut), for sigmoid and tanh
 *       (reference: Glorot and Bengio 2010, http://proceedings.mlr.press/v9/glorot10a.html);</li>
 *   <li>He/Kaiming: Var(w) = 2 / fanIn, for the ReLU family
 *       (reference: He et al. 2015, https://arxiv.org/abs/1502.01852).</li>
 * </ul>
 * Uniform variants draw from [-l, l] with l = sqrt(3 Var); normal ones from N(0, Var).
 */
@FunctionalInterface
public interface Initializer {

    /** Fills w (row-major (fanOut, fanIn)). */
    void fill(float[] w, int fanIn, int fanOut, Random random);

    /** A stable name for model files and toString. */
    default String name() {
        return "custom";
    }

    static Initializer xavierUniform() { return Builtin.XAVIER_UNIFORM; }

    static Initializer xavierNormal() { return Builtin.XAVIER_NORMAL; }

    static Initializer heUniform() { return Builtin.HE_UNIFORM; }

    static Initializer heNormal() { return Builtin.HE_NORMAL; }

    static Initializer zeros() { return Builtin.ZEROS; }

    /**
     * He (normal) for the ReLU family, Xavier (uniform) for everything else.
     *
     * @throws IllegalArgumentException if {@code activation} is null or its {@code name()} is (checked as
     *                                  {@link Dense} and the network builder check it)
     */
    static Initializer defaultFor(Activation activation) {
        if (activation == null) {
            throw new IllegalArgumentException("Initializer.defaultFor: activation is null; pass the layer's activation"
                    + " (Activation.identity() for a linear layer)");
        }
        String n = activation.name();
        if (n == null) {
            throw new IllegalArgumentException("Initializer.defaultFor: the" + Dense.namelessActivation(activation));
        }
        return n.equals("relu") || n.equals("leaky_relu") ? heNormal() : xavierUniform();
    }

    /** The built-in initialisers. */
    enum Builtin implements Initializer {
        XAVIER_UNIFORM, XAVIER_NORMAL, HE_UNIFORM, HE_NORMAL, ZEROS;

        @Override
        public void fill(float[] w, int fanIn, int fanOut, Random random) {
            double var;
            switch (this) {
                case XAVIER_UNIFORM: case XAVIER_NORMAL: var = 2.0 / (fanIn + fanOut); break;
                case HE_UNIFORM: case HE_NORMAL: var = 2.0 / fanIn; break;
                default: java.util.Arrays.fill(w, 0f); return;
            }
            boolean uniform = this == XAVIER_UNIFORM || this == HE_UNIFORM;
            double limit = Math.sqrt(3 * var), sd = Math.sqrt(var);
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (uniform ? (2 * random.nextDouble() - 1) * limit : random.nextGaussian() * sd);
            }
        }

        @Override
        public String toString() {
            return "Initializer." + name();
        }
    }
}
