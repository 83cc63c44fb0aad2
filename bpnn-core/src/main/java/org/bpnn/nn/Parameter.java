package org.bpnn.nn;

import org.bpnn.tensor.Tensor;

/**
 * A trainable tensor and the gradient of the cost with respect to it, of the same shape.
 * Layers own parameters; optimisers read {@link #grad()} and update {@link #value()}, keeping
 * their own per-parameter state (optimiser state never lives in layers).
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final Tensor grad;
    private final boolean decay;

    /**
     * @param name  e.g. "dense1.W", not null
     * @param value the tensor to train, not null
     * @param decay whether weight decay / L1 / L2 penalties apply (true for weights, false for biases)
     */
    public Parameter(String name, Tensor value, boolean decay) {
        // both were a NullPointerException later (value at once, for the gradient; name in messages and checkpoints)
        if (name == null) {
            throw new IllegalArgumentException("parameter name is null; pass a name such as \"dense1.W\" (messages,"
                    + " checkpoints and model files name parameters by it)");
        }
        if (value == null) {
            throw new IllegalArgumentException("parameter " + name + ": value is null; pass the tensor to train, e.g."
                    + " Tensor.zeros(rows, cols)");
        }
        this.name = name;
        this.value = value;
        this.grad = Tensor.zeros(value.rows(), value.cols());
        this.decay = decay;
    }

    public String name() { return name; }

    public Tensor value() { return value; }

    public Tensor grad() { return grad; }

    /** True for weights (penalties and decoupled weight decay apply), false for biases. */
    public boolean decays() { return decay; }

    public int size() { return value.size(); }

    @Override
    public String toString() {
        return name + value.shape();
    }
}
