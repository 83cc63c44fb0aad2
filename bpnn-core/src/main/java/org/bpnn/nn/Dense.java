package org.bpnn.nn;

import java.util.List;
import java.util.Random;
import org.bpnn.backend.Backend;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;

/**
 * A fully connected layer l with weights W[l]: (out, in), bias b[l]: (out) and activation sigma.
 * W[l][j][k] connects neuron k of layer l-1 to neuron j of layer l (one convention everywhere).
 *
 * <p>Row form of the seed's equations, with X = a[l-1]: (batch, in) one sample per row:
 * <pre>
 *   forward   Z = X W^T + b           (z[l] = W[l] a[l-1] + b[l] for each sample)
 *             A = sigma(Z)
 *   BP1/BP2   delta = dL/dA (.) sigma'(Z)   (softmax: the Jacobian-vector product instead)
 *   BP3       dW = delta^T X,  db = sum over samples of delta
 *   BP2       dX = delta W          (the next layer down receives W[l]^T delta[l] per sample)
 * </pre>
 * The loss's gradient already carries the batch's 1/m, so dW and db are batch means.
 */
public final class Dense implements Layer {
    private final int in;
    private final int out;
    private final Activation activation;
    private final Initializer initializer;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * A dense layer with weights drawn by {@code initializer} from {@code random} and zero biases.
     */
    public Dense(String name, int in, int out, Activation activation, Initializer initializer, Random random) {
        this(name, in, out, activation, initializer, random, null, null);
        this.initializer.fill(weight.value().data(), in, out, random);
    }

    /**
     * A dense layer around {@code weights}: (out * in) row-major and {@code bias}: (out), wrapped, not
     * copied, for {@link Network.Builder#buildWrapping} (which checks them): the initializer is recorded,
     * not run.
     */
    Dense(String name, int in, int out, Activation activation, Initializer initializer, float[] weights, float[] bias) {
        this(name, in, out, activation, initializer, null, weights, bias);
    }

    /** The checks and fields of both constructors; random is checked when the weights are drawn (weights null). */
    private Dense(String name, int in, int out, Activation activation, Initializer initializer, Random random,
                  float[] weights, float[] bias) {
        if (name == null) {
            throw new IllegalArgumentException("name is null; pass the layer's name, e.g. \"dense1\" (its parameters are"
                    + " named after it, e.g. \"dense1.W\")");
        }
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException(name + ": sizes must be positive, got in=" + in + ", out=" + out);
        }
        if (activation == null) {
            throw new IllegalArgumentException(name + ": activation is null; use Activation.identity() for none");
        }
        if (activation.name() == null) {
            // the default initialiser and the network builder read it
            throw new IllegalArgumentException(name + ": the" + namelessActivation(activation));
        }
        if (random == null && weights == null) {
            throw new IllegalArgumentException(name + ": random is null; pass the generator to draw the weights from,"
                    + " e.g. new Random(seed)");
        }
        long count = (long) in * out + out;
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(name + ": " + out + " x " + in + " weights = " + count
                    + " parameters, more than one Java array can hold; use a smaller layer");
        }
        this.in = in;
        this.out = out;
        this.activation = activation;
        this.initializer = initializer == null ? Initializer.defaultFor(activation) : initializer;
        this.weight = new Parameter(name + ".W", weights == null ? Tensor.zeros(out, in) : Tensor.wrap(out, in, weights), true);
        this.bias = new Parameter(name + ".b", bias == null ? Tensor.zeros(1, out) : Tensor.wrap(1, out, bias), false);
    }

    /**
     * The end of the refusal of an activation whose name() is null, after "the" or "its": the
     * builder's checks and the default initialiser read the name (each would be a NullPointerException).
     */
    static String namelessActivation(Activation activation) {
        return " activation (" + activation.getClass().getName() + ") returned null from name(); return a name of its own,"
                + " e.g. \"swish\" (see Activation's class comment)";
    }

    /** The same configuration and names as {@code source}, with zero weights and biases of its own ({@link Network#copy()} fills them). */
    private Dense(Dense source) {
        this.in = source.in;
        this.out = source.out;
        this.activation = source.activation;
        this.initializer = source.initializer;
        this.weight = new Parameter(source.weight.name(), Tensor.zeros(out, in), source.weight.decays());
        this.bias = new Parameter(source.bias.name(), Tensor.zeros(1, out), source.bias.decays());
    }

    /** A layer like this one with zero parameters, for {@link Network#copy()} (no initializer is run). */
    Dense emptyCopy() {
        return new Dense(this);
    }

    @Override public int inputSize() { return in; }

    @Override public int outputSize() { return out; }

    @Override public Activation activation() { return activation; }

    public Initializer initializer() { return initializer; }

    /** W: (out, in). */
    public Parameter weight() { return weight; }

    /** b: (1, out). */
    public Parameter bias() { return bias; }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    /** The scratch keeps z[l] for activations whose derivative needs it (custom ones). */
    @Override
    public int scratchColumns() {
        return out;
    }

    @Override
    public void forward(Backend backend, Tensor x, Tensor y, Tensor z, boolean training) {
        int m = x.rows();
        // Z = X W^T, then Z += b and A = sigma(Z), fused.
        backend.gemm(false, true, m, out, in, 1f, x.data(), 0, in, weight.value().data(), 0, in, 0f, z.data(), 0, out);
        activation.forward(backend, z, bias.value().data(), y);
    }

    @Override
    public void backward(Backend backend, Tensor x, Tensor y, Tensor dy, boolean dyIsDelta, Tensor dx, Tensor z) {
        int m = x.rows();
        if (!dyIsDelta) {
            activation.backward(backend, z, y, dy); // dy becomes delta[l] = dL/dz[l]
        }
        float[] delta = dy.data();
        // BP3: dW = delta^T X (out, in); db = column sums of delta.
        backend.gemm(true, false, out, in, m, 1f, delta, 0, out, x.data(), 0, in, 0f, weight.grad().data(), 0, in);
        backend.sumColumns(m, out, 1f, delta, 0, out, 0f, bias.grad().data(), 0);
        // BP2: dX = delta W (batch, in), i.e. W^T delta[l] per sample.
        if (dx != null) {
            backend.gemm(false, false, m, in, out, 1f, delta, 0, out, weight.value().data(), 0, in, 0f, dx.data(), 0, in);
        }
    }

    @Override
    public double[] forwardDouble(double[][] params, double[] x, int batch) {
        return activateDouble(preActivationDouble(params, x, batch), batch);
    }

    /** a = sigma(z) in double for the batch's pre-activations z (batch, out) row-major: {@link #forwardDouble}'s second half. */
    double[] activateDouble(double[] z, int batch) {
        double[] a = new double[batch * out];
        for (int i = 0; i < batch; i++) {
            activation.forwardDouble(z, i * out, out, a, i * out);
        }
        return a;
    }

    /**
     * z = W x + b in double for the batch x (batch, in) row-major, as {@link #forwardDouble} computes it
     * before the activation: the gradient check's reference cost of a fused output layer is taken from it.
     */
    double[] preActivationDouble(double[][] params, double[] x, int batch) {
        double[] w = params[0], b = params[1];
        double[] z = new double[batch * out];
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < out; j++) {
                double s = b[j];
                for (int k = 0; k < in; k++) {
                    s += w[j * in + k] * x[i * in + k];
                }
                z[i * out + j] = s;
            }
        }
        return z;
    }

    @Override
    public Layer copyStructure(long seed) {
        return new Dense(weight.name().substring(0, weight.name().length() - 2), in, out, activation, initializer, new Random(seed));
    }

    @Override
    public String toString() {
        return "Dense(" + in + " -> " + out + ", " + activation + ")";
    }
}
