package org.bpnn.nn;

import org.bpnn.tensor.Tensor;

/**
 * A trainable tensor and the gradient of the cost with respect to it, of the same shape.
 * Layers own parameters; optimisers read {@link #grad()} and update {@link #value()}, keeping
 * their own per-parameter state (optimiser state never lives in layers).
 *
 * <p>The gradient is allocated at the first call of {@link #grad()} (a network's
 * {@link Network#computeGradients} makes it for all its parameters), not with the value: a network
 * that only predicts (a loaded model being served) never needs it, and allocating it with the value
 * would double such a network's memory. Every call returns the same tensor, zeros until written.
 * A parameter is not thread-safe beyond that allocation: its network's thread rules apply.
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    /** Null until the first {@link #grad()}; volatile for its double-checked allocation (once, whatever the threads). */
    private volatile Tensor grad;
    private final boolean decay;
    /**
     * The parameter count of the network this parameter belongs to (set by its build; 0 before),
     * for the heap check the first gradient runs: build counts only the weights (4 bytes per
     * parameter), so a network whose weights fit the heap but not its gradients too is refused here,
     * with the count, instead of as a bare OutOfMemoryError in the middle of a first training step.
     */
    private volatile long networkParameters;

    /**
     * @param name  e.g. "dense1.W", not null
     * @param value the tensor to train, not null
     * @param decay whether weight decay / L1 / L2 penalties apply (true for weights, false for biases)
     */
    public Parameter(String name, Tensor value, boolean decay) {
        // both would be a NullPointerException later (value at once, for the gradient; name in messages and checkpoints)
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
        this.decay = decay;
    }

    public String name() { return name; }

    public Tensor value() { return value; }

    /**
     * The gradient, of value's shape: allocated (zeros) at the first call, the same tensor after it.
     *
     * @throws IllegalStateException at the first call, when the weights and gradients of the network
     *         this parameter belongs to (8 bytes per parameter) exceed the maximum heap
     */
    public Tensor grad() {
        Tensor g = grad;
        return g != null ? g : allocateGrad();
    }

    private synchronized Tensor allocateGrad() {
        if (grad == null) {
            Network.Builder.checkHeap(networkParameters, true, IllegalStateException::new);
            grad = Tensor.zeros(value.rows(), value.cols());
        }
        return grad;
    }

    /** Records the parameter count of the network being built with this parameter, for {@link #grad()}'s heap check. */
    void joinNetwork(long parameters) {
        networkParameters = parameters;
    }

    /** True for weights (penalties and decoupled weight decay apply), false for biases. */
    public boolean decays() { return decay; }

    public int size() { return value.size(); }

    @Override
    public String toString() {
        return name + value.shape();
    }
}
