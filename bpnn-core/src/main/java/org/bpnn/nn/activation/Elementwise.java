package org.bpnn.nn.activation;

import java.util.Locale;
import org.bpnn.backend.Backend;
import org.bpnn.backend.ElementwiseOp;
import org.bpnn.tensor.Tensor;

/** An element-wise activation backed by one of the backend's native {@link ElementwiseOp}s. */
public final class Elementwise implements Activation {
    static final Elementwise IDENTITY = new Elementwise(ElementwiseOp.IDENTITY, 0f);
    static final Elementwise SIGMOID = new Elementwise(ElementwiseOp.SIGMOID, 0f);
    static final Elementwise TANH = new Elementwise(ElementwiseOp.TANH, 0f);
    static final Elementwise RELU = new Elementwise(ElementwiseOp.RELU, 0f);

    private final ElementwiseOp op;
    private final float param;

    Elementwise(ElementwiseOp op, float param) {
        this.op = op;
        this.param = param;
    }

    /** The backend operation this activation runs as. */
    public ElementwiseOp op() {
        return op;
    }

    @Override
    public String name() {
        return op.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public float parameter() {
        return param;
    }

    @Override
    public void forward(Backend backend, Tensor z, float[] bias, Tensor a) {
        backend.biasActivation(op, param, z.rows(), z.cols(), z.data(), 0, z.cols(), bias, 0, a.data(), 0, a.cols());
    }

    /** BP1/BP2's element-wise step: delta = g (.) sigma'(z), with sigma' written through a. */
    @Override
    public void backward(Backend backend, Tensor z, Tensor a, Tensor g) {
        if (op == ElementwiseOp.IDENTITY) {
            return;
        }
        backend.activationBackward(op, param, g.size(), a.data(), 0, g.data(), 0, g.data(), 0);
    }

    @Override
    public void forwardDouble(double[] z, int off, int n, double[] a, int aOff) {
        for (int j = 0; j < n; j++) {
            a[aOff + j] = op.applyDouble(z[off + j], param);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Elementwise e && e.op == op && Float.compare(e.param, param) == 0;
    }

    @Override
    public int hashCode() {
        return op.hashCode() * 31 + Float.hashCode(param);
    }

    @Override
    public String toString() {
        return op == ElementwiseOp.LEAKY_RELU ? "Activation.leakyRelu(" + param + "f)" : "Activation." + name() + "()";
    }
}
