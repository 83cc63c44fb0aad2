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
 * when {@code training} is false.
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
     * (same order as {@link #parameters()}): the gradient check's reference. x: (batch, in) row-major.
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
