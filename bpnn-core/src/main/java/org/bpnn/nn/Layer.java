package org.bpnn.nn;

import java.util.List;
import org.bpnn.backend.Backend;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;

/**
 * A layer of a sequential network: y = layer(x) with x: (batch, in) and y: (batch, out).
 *
 * <p>The network owns all buffers: it passes the layer its input, its output and a scratch tensor of
 * {@link #scratchColumns()} floats per sample (for whatever backward needs, e.g. the pre-activation
 * z[l]), all sized for the current batch and reused between steps, so that a training step
 * allocates nothing. A layer's forward and backward must therefore not allocate either.
 *
 * <p>{@link #forward} and {@link #backward} are a pair with the same argument order; backward
 * receives exactly the tensors forward saw. Backward <em>overwrites</em> the parameter gradients
 * (it does not accumulate).
 *
 * <p>Layers are read concurrently by predicting threads: forward must not mutate the layer itself
 * when {@code training} is false. Training (forward with {@code training} true, backward, and the
 * optimiser's writes to the parameters) runs on one thread at a time.
 *
 * <p><b>Custom layers</b> are added with {@link Network.Builder#layer(Layer)} and are judged like the
 * built-in ones by {@link GradientCheck}, which compares the gradients backward writes with finite
 * differences of {@link #forwardDouble}: a wrong backward fails it, naming the worst parameter element
 * (a {@link Parameter}'s name, so give parameters names that say which layer they belong to). What the
 * network relies on: forward overwrites all of y and does not write x (the layer below reads it again
 * in its own backward); backward overwrites every parameter gradient and, when dx is not null, all of
 * dx, and writes neither x nor y. A network with a custom layer trains, predicts and passes the
 * gradient check on every backend, but model files (bpnn-io) hold the built-in layers only: saving
 * one is refused. Keep the network's code and save its weights yourself:
 * {@code ParameterSnapshot.of(network).values()} are its parameters' values in network order, and
 * {@code ParameterSnapshot.of(values).restoreTo(network)} puts them back into a network built the same way.
 */
public interface Layer {

    int inputSize();

    int outputSize();

    /** The trainable parameters, in a fixed order (may be empty). */
    List<Parameter> parameters();

    /** The function applied last, which a loss may fuse with ({@link org.bpnn.loss.Loss#fusesWith}). */
    default Activation activation() {
        return Activation.identity();
    }

    /** Scratch floats per sample that forward may fill for backward (0 if none). */
    default int scratchColumns() {
        return 0;
    }

    /**
     * y = layer(x). x: (batch, in); y: (batch, out); scratch: (batch, scratchColumns()) or null when
     * scratchColumns() is 0. {@code training} is false for inference (e.g. dropout is off).
     */
    void forward(Backend backend, Tensor x, Tensor y, Tensor scratch, boolean training);

    /**
     * Backpropagates through the layer. dy: dL/dy (batch, out), or dL/dz when {@code dyIsDelta}
     * (the loss fused with {@link #activation()}); it may be overwritten. Writes the parameter
     * gradients (BP3) and, when dx is not null, dx = dL/dx (batch, in) (BP2's W^T delta).
     */
    void backward(Backend backend, Tensor x, Tensor y, Tensor dy, boolean dyIsDelta, Tensor dx, Tensor scratch);

    /**
     * The same function as forward at inference, in double precision with the given parameter values
     * (same order as {@link #parameters()}, each the row-major values of one parameter): the gradient
     * check's reference, and called by nothing else. x: (batch, in) row-major, not to be written;
     * returns a new array of (batch, out) values. It must read the parameters from {@code params},
     * not from the layer (the check perturbs those copies), and should be written independently of the
     * float code so that a wrong backward cannot agree with it.
     */
    double[] forwardDouble(double[][] params, double[] x, int batch);

    /**
     * A new layer of the same configuration with fresh parameters initialised from {@code seed}, for
     * callers that build another network of the same structure. {@link Network#copy()} calls it for
     * a custom layer and then copies the parameter values into the new layer's; a custom layer need
     * not implement it, but a network holding one with parameters that does not cannot be copied.
     */
    default Layer copyStructure(long seed) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support copying");
    }
}
