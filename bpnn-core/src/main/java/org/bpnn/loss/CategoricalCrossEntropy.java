package org.bpnn.loss;

import org.bpnn.backend.Subnormals;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;

/**
 * Categorical cross-entropy, per sample L = -sum_j y_j log a_j, averaged over the batch.
 *
 * <p>On probabilities (softmax output layer), it fuses with softmax: with s = sum_j y_j,
 * dL/dz_j = a_j s - y_j, which is the familiar a - y for one-hot (or any normalised) targets.
 * log a_j is clamped at log(1e-30) so the value stays finite when a probability underflows; a network
 * with a softmax output layer reports the cost from z instead ({@link #fusedValue}), which needs no clamp.
 *
 * <p>On logits (identity output layer), log a_j = z_j - LSE(z) with
 * LSE(z) = max z + log sum_k e^{z_k - max z}: exact and finite for any finite logits.
 */
final class CategoricalCrossEntropy implements Loss {
    static final double MIN_PROB = 1e-30;
    static final CategoricalCrossEntropy PROBABILITIES = new CategoricalCrossEntropy(false);
    static final CategoricalCrossEntropy LOGITS = new CategoricalCrossEntropy(true);

    private final boolean logits;

    private CategoricalCrossEntropy(boolean logits) {
        this.logits = logits;
    }

    @Override
    public boolean classification() {
        return true;
    }

    @Override
    public String name() {
        return logits ? "categorical_cross_entropy_logits" : "categorical_cross_entropy";
    }

    private static double logSumExp(float[] z, int off, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) max = Math.max(max, z[off + j]);
        double s = 0;
        for (int j = 0; j < k; j++) s += Math.exp(z[off + j] - max);
        return max + Math.log(s);
    }

    @Override
    public double value(Tensor output, Tensor target) {
        Loss.requireSameShape(output, target);
        return weightedValue(output, target, null);
    }

    /** sum_i w_i L_i / m; each row's terms times its weight, so that weights of 1 give value's bits. */
    @Override
    public double value(Tensor output, Tensor target, Tensor weights) {
        if (weights == null) {
            return value(output, target);
        }
        Loss.requireSameShape(output, target);
        Loss.requireWeights(weights, output.rows());
        return weightedValue(output, target, weights.data());
    }

    /** The cost with row weights w (null: every weight 1, and no multiplication at all). */
    private double weightedValue(Tensor output, Tensor target, float[] w) {
        int m = output.rows(), k = output.cols();
        float[] a = output.data(), y = target.data();
        double total = 0;
        for (int i = 0; i < m; i++) {
            int off = i * k;
            double lse = logits ? logSumExp(a, off, k) : 0;
            for (int j = 0; j < k; j++) {
                float yj = y[off + j];
                if (yj != 0f) {
                    double logA = logits ? a[off + j] - lse : Math.log(Math.max(a[off + j], MIN_PROB));
                    total -= w == null ? yj * logA : w[i] * (yj * logA);
                }
            }
        }
        return total / m;
    }

    @Override
    public void gradient(Tensor output, Tensor target, Tensor grad) {
        Loss.requireSameShape(output, target);
        Tensor.requireShape("grad", grad, output.rows(), output.cols()); // written row by row as a flat array
        int m = output.rows(), k = output.cols();
        float[] a = output.data(), y = target.data(), g = grad.data();
        for (int i = 0; i < m; i++) {
            int off = i * k;
            if (logits) {
                // dL/dz_j = softmax(z)_j * s - y_j
                double lse = logSumExp(a, off, k);
                double s = 0;
                for (int j = 0; j < k; j++) s += y[off + j];
                for (int j = 0; j < k; j++) {
                    g[off + j] = Subnormals.flush((float) ((Math.exp(a[off + j] - lse) * s - y[off + j]) / m));
                }
            } else {
                for (int j = 0; j < k; j++) {
                    g[off + j] = Subnormals.flush((float) (-y[off + j] / Math.max(a[off + j], MIN_PROB) / m));
                }
            }
        }
    }

    @Override
    public boolean fusesWith(Activation activation) {
        return !logits && activation.equals(Activation.softmax());
    }

    /** Softmax + cross-entropy: delta_j = (a_j s - y_j) / m with s = sum_j y_j (a - y for one-hot y). */
    @Override
    public void fusedDelta(Tensor output, Tensor target, Tensor delta) {
        if (logits) {
            Loss.super.fusedDelta(output, target, delta);
        }
        // read and written row by row as flat arrays: unchecked, a target of another shape would be taken for this one
        Loss.requireSameShape(output, target);
        Tensor.requireShape("delta", delta, output.rows(), output.cols());
        int m = output.rows(), k = output.cols();
        float[] a = output.data(), y = target.data(), d = delta.data();
        float invM = 1f / m;
        for (int i = 0; i < m; i++) {
            int off = i * k;
            float s = 0f;
            for (int j = 0; j < k; j++) s += y[off + j];
            for (int j = 0; j < k; j++) {
                d[off + j] = Subnormals.flush((a[off + j] * s - y[off + j]) * invM); // see Loss#fusedDelta
            }
        }
    }

    /**
     * Softmax + cross-entropy from z and a = softmax(z), exact for any z: with M = max_j z_j and
     * S = sum_j e^{z_j - M}, log a_j = z_j - M - log S, so L_i = sum_j y_j (M - z_j) + (sum_j y_j) log S, with
     * no MIN_PROB floor and no probability rounded to a float first ({@link #LOGITS}'s value on z, to the
     * rounding of a). log S comes from a, not from k more exps a row (1,280 a step of the 10-class main
     * job): with j* the argmax, a_j / a_j* = e^{z_j - M}, so log S = log1p(sum_{j != j*} a_j / a_j*). Its error
     * is relative to S - 1, the few ulps of each a_j, so a confident row's tiny cost keeps its digits
     * (log a_j* itself would be -(S - 1) lost in a_j*'s rounding), and a target class whose a_c underflowed
     * to 0 still costs M - z_c + log S, read from z.
     */
    @Override
    public double fusedValue(Tensor preActivation, Tensor output, Tensor target, Tensor weights) {
        if (logits) {
            return Loss.super.fusedValue(preActivation, output, target, weights);
        }
        Loss.requireFusedShapes(preActivation, output, target);
        int m = output.rows(), k = output.cols();
        float[] w = null;
        if (weights != null) {
            Loss.requireWeights(weights, m);
            w = weights.data();
        }
        float[] z = preActivation.data(), a = output.data(), y = target.data();
        double total = 0;
        for (int i = 0; i < m; i++) {
            int off = i * k, top = off;
            for (int j = off + 1; j < off + k; j++) {
                if (z[j] > z[top]) top = j;
            }
            double others = 0;
            for (int j = off; j < off + k; j++) {
                if (j != top) others += a[j];
            }
            double logS = Math.log1p(others / a[top]), max = z[top], row = 0;
            for (int j = off; j < off + k; j++) {
                float yj = y[j];
                if (yj != 0f) {
                    row += yj * ((max - z[j]) + logS);
                }
            }
            total += w == null ? row : w[i] * row;
        }
        return total / m;
    }

    /** Softmax + cross-entropy from z: {@link #LOGITS}'s valueDouble, as {@link #fusedValue}. */
    @Override
    public double fusedValueDouble(double[] preActivation, double[] output, double[] target, int batch, int k) {
        return logits ? Loss.super.fusedValueDouble(preActivation, output, target, batch, k)
                : LOGITS.valueDouble(preActivation, target, batch, k);
    }

    @Override
    public double valueDouble(double[] output, double[] target, int batch, int k) {
        double total = 0;
        for (int i = 0; i < batch; i++) {
            int off = i * k;
            double lse = 0;
            if (logits) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) max = Math.max(max, output[off + j]);
                double s = 0;
                for (int j = 0; j < k; j++) s += Math.exp(output[off + j] - max);
                lse = max + Math.log(s);
            }
            for (int j = 0; j < k; j++) {
                double logA = logits ? output[off + j] - lse : Math.log(Math.max(output[off + j], MIN_PROB));
                total -= target[off + j] * logA;
            }
        }
        return total / batch;
    }

    @Override
    public void validateTargets(Tensor target) {
        Loss.super.validateTargets(target);
        float[] y = target.data();
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0f || y[i] > 1f) {
                throw new IllegalArgumentException("categorical cross-entropy targets must be probabilities in [0, 1], got "
                        + y[i] + " at (" + i / target.cols() + ", " + i % target.cols()
                        + "); one-hot encode class labels (OneHot.encode) before training");
            }
        }
    }

    @Override
    public String toString() {
        return logits ? "Loss.categoricalCrossEntropyFromLogits()" : "Loss.categoricalCrossEntropy()";
    }
}
