package org.bpnn.loss;

import org.bpnn.backend.ElementwiseOp;
import org.bpnn.backend.Subnormals;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;

/**
 * Losses that are a mean over all m * k output elements of a per-element loss l(a, y):
 * L2 (a - y)^2, L1 |a - y|, Huber, and binary cross-entropy.
 */
final class ElementwiseLoss implements Loss {
    private enum Kind { MSE, MAE, HUBER, BCE, BCE_LOGITS }

    /**
     * Probabilities are clamped to [EPS, 1 - EPS] inside logs so that the value stays finite: only when the
     * cost is computed from bare probabilities (value, gradient); a network with a sigmoid output layer
     * reports the cost from z ({@link #fusedValue}), which needs no clamp.
     */
    static final double EPS = 1e-12;

    static final ElementwiseLoss MSE = new ElementwiseLoss(Kind.MSE, 0);
    static final ElementwiseLoss MAE = new ElementwiseLoss(Kind.MAE, 0);
    static final ElementwiseLoss BCE = new ElementwiseLoss(Kind.BCE, 0);
    static final ElementwiseLoss BCE_LOGITS = new ElementwiseLoss(Kind.BCE_LOGITS, 0);

    private final Kind kind;
    private final double delta;

    private ElementwiseLoss(Kind kind, double delta) {
        this.kind = kind;
        this.delta = delta;
    }

    static ElementwiseLoss huber(double delta) {
        if (!(delta > 0) || !Double.isFinite(delta)) {
            throw new IllegalArgumentException("Huber delta must be finite and > 0, got " + delta + "; 1.0 is usual");
        }
        return new ElementwiseLoss(Kind.HUBER, delta);
    }

    @Override
    public boolean classification() {
        return kind == Kind.BCE || kind == Kind.BCE_LOGITS;
    }

    @Override
    public String name() {
        switch (kind) {
            case MSE: return "mse";
            case MAE: return "mae";
            case HUBER: return "huber";
            case BCE: return "binary_cross_entropy";
            default: return "binary_cross_entropy_logits";
        }
    }

    @Override
    public double parameter() {
        return delta;
    }

    /** l(a, y) for one element. */
    private double l(double a, double y) {
        switch (kind) {
            case MSE: return (a - y) * (a - y);
            case MAE: return Math.abs(a - y);
            case HUBER: {
                double r = Math.abs(a - y);
                return r <= delta ? 0.5 * r * r : delta * (r - 0.5 * delta);
            }
            case BCE: {
                double p = Math.min(Math.max(a, EPS), 1 - EPS);
                return -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
            }
            default:
                // -y log s(z) - (1-y) log(1 - s(z)) = max(z, 0) - z y + log(1 + e^-|z|), finite for any z.
                return Math.max(a, 0) - a * y + Math.log1p(Math.exp(-Math.abs(a)));
        }
    }

    /** dl/da for one element. */
    private double dl(double a, double y) {
        switch (kind) {
            case MSE: return 2 * (a - y);
            case MAE: return Math.signum(a - y);
            case HUBER: return Math.max(-delta, Math.min(delta, a - y));
            case BCE: {
                double p = Math.min(Math.max(a, EPS), 1 - EPS);
                return (p - y) / (p * (1 - p));
            }
            default: return ElementwiseOp.SIGMOID.applyDouble(a, 0) - y;
        }
    }

    @Override
    public double value(Tensor output, Tensor target) {
        Loss.requireSameShape(output, target);
        float[] a = output.data(), y = target.data();
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += l(a[i], y[i]);
        }
        return s / a.length;
    }

    /**
     * sum_i w_i (sum_j l(a_ij, y_ij)) / (m k): the elements summed in value's order, each term times its
     * row's weight, so that weights of 1 give value's bits (a double times 1.0 is itself).
     */
    @Override
    public double value(Tensor output, Tensor target, Tensor weights) {
        if (weights == null) {
            return value(output, target);
        }
        Loss.requireSameShape(output, target);
        Loss.requireWeights(weights, output.rows());
        float[] a = output.data(), y = target.data(), w = weights.data();
        int m = output.rows(), k = output.cols();
        double s = 0;
        for (int r = 0, i = 0; r < m; r++) {
            double wr = w[r];
            for (int j = 0; j < k; j++, i++) {
                s += wr * l(a[i], y[i]);
            }
        }
        return s / a.length;
    }

    @Override
    public void gradient(Tensor output, Tensor target, Tensor grad) {
        Loss.requireSameShape(output, target);
        Tensor.requireShape("grad", grad, output.rows(), output.cols()); // written as a flat array too
        float[] a = output.data(), y = target.data(), g = grad.data();
        double inv = 1.0 / a.length;
        for (int i = 0; i < a.length; i++) {
            g[i] = Subnormals.flush((float) (dl(a[i], y[i]) * inv)); // see Loss#gradient
        }
    }

    @Override
    public boolean fusesWith(Activation activation) {
        return kind == Kind.BCE && activation.equals(Activation.sigmoid());
    }

    /** Sigmoid + binary cross-entropy: delta = (a - y) / (m k), exact, no division by a (1 - a). */
    @Override
    public void fusedDelta(Tensor output, Tensor target, Tensor delta) {
        if (kind != Kind.BCE) {
            Loss.super.fusedDelta(output, target, delta);
        }
        // read and written as flat arrays: unchecked, a (4, 1) target would be taken for a (2, 2) one, as in value
        Loss.requireSameShape(output, target);
        Tensor.requireShape("delta", delta, output.rows(), output.cols());
        float[] a = output.data(), y = target.data(), d = delta.data();
        float inv = 1f / a.length;
        for (int i = 0; i < a.length; i++) {
            d[i] = Subnormals.flush((a[i] - y[i]) * inv); // see Loss#fusedDelta
        }
    }

    /**
     * Sigmoid + binary cross-entropy from z: {@link #BCE_LOGITS}'s value on z (its formula is the cost of
     * sigmoid(z) without rounding it to a float probability, so no clamp). Other kinds: from the outputs.
     */
    @Override
    public double fusedValue(Tensor preActivation, Tensor output, Tensor target, Tensor weights) {
        if (kind != Kind.BCE) {
            return Loss.super.fusedValue(preActivation, output, target, weights);
        }
        Loss.requireFusedShapes(preActivation, output, target);
        return BCE_LOGITS.value(preActivation, target, weights);
    }

    /** Sigmoid + binary cross-entropy from z: {@link #BCE_LOGITS}'s valueDouble, as {@link #fusedValue}. */
    @Override
    public double fusedValueDouble(double[] preActivation, double[] output, double[] target, int batch, int k) {
        return kind == Kind.BCE ? BCE_LOGITS.valueDouble(preActivation, target, batch, k)
                : Loss.super.fusedValueDouble(preActivation, output, target, batch, k);
    }

    @Override
    public double valueDouble(double[] output, double[] target, int batch, int k) {
        double s = 0;
        for (int i = 0; i < batch * k; i++) {
            s += l(output[i], target[i]);
        }
        return s / (batch * k);
    }

    @Override
    public void validateTargets(Tensor target) {
        Loss.super.validateTargets(target);
        if (kind == Kind.BCE || kind == Kind.BCE_LOGITS) {
            float[] y = target.data();
            for (int i = 0; i < y.length; i++) {
                if (y[i] < 0f || y[i] > 1f) {
                    throw new IllegalArgumentException("binary cross-entropy targets must be in [0, 1], got " + y[i]
                            + " at (" + i / target.cols() + ", " + i % target.cols() + "); use 0/1 labels or use mse");
                }
            }
        }
    }

    @Override
    public String toString() {
        switch (kind) {
            case MSE: return "Loss.mse()";
            case MAE: return "Loss.mae()";
            case HUBER: return "Loss.huber(" + delta + ")";
            case BCE: return "Loss.binaryCrossEntropy()";
            default: return "Loss.binaryCrossEntropyFromLogits()";
        }
    }
}
