package org.bpnn.nn.activation;

import org.bpnn.backend.Backend;
import org.bpnn.tensor.Tensor;

/**
 * a_j = e^{z_j} / sum_k e^{z_k} per sample, computed as e^{z_j - max z} so that no exponent overflows.
 * Its Jacobian is da_j/dz_k = a_j ([j = k] - a_k); backward is the Jacobian-vector product.
 */
public final class Softmax implements Activation {
    static final Softmax INSTANCE = new Softmax();

    private Softmax() {}

    @Override
    public String name() {
        return "softmax";
    }

    @Override
    public void forward(Backend backend, Tensor z, float[] bias, Tensor a) {
        if (bias != null) {
            backend.biasActivation(org.bpnn.backend.ElementwiseOp.IDENTITY, 0f, z.rows(), z.cols(),
                    z.data(), 0, z.cols(), bias, 0, z.data(), 0, z.cols());
        }
        backend.softmaxRows(z.rows(), z.cols(), z.data(), 0, z.cols(), a.data(), 0, a.cols());
    }

    /** delta_j = a_j (g_j - sum_k g_k a_k): the softmax Jacobian J = diag(a) - a a^T times g. */
    @Override
    public void backward(Backend backend, Tensor z, Tensor a, Tensor g) {
        backend.softmaxBackward(a.rows(), a.cols(), a.data(), 0, g.data(), 0, g.data(), 0);
    }

    @Override
    public void forwardDouble(double[] z, int off, int n, double[] a, int aOff) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) max = Math.max(max, z[off + j]);
        double sum = 0;
        for (int j = 0; j < n; j++) {
            a[aOff + j] = Math.exp(z[off + j] - max);
            sum += a[aOff + j];
        }
        for (int j = 0; j < n; j++) a[aOff + j] /= sum;
    }

    @Override
    public String toString() {
        return "Activation.softmax()";
    }
}
