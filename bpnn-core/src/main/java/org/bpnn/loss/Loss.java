package org.bpnn.loss;

import java.util.List;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;

/**
 * A loss L(a, y) between the network's output a[L] and the target y, and its gradient.
 *
 * <p>The cost of a batch is the mean of the per-sample losses over the m samples (i = 1..m, not
 * 0..m as the seed writes); the element-wise losses (MSE, MAE, Huber, binary cross-entropy) also
 * average over the k outputs, i.e. over all m k elements. {@link #gradient} returns dCost/da[L], so
 * the 1/m (element-wise losses: 1/(m k)) of the mean is already inside it: the layers' BP3 then
 * computes dW[l] = delta[l]^T a[l-1] and db[l] = sum over samples of delta[l], each already a batch
 * mean, with no second division by m (the seed's "(1/m) mean of each row" divides twice).
 *
 * <p>A loss may <em>fuse</em> with the output activation ({@link #fusesWith}), which is cheaper and
 * more accurate than BP1: sigmoid with binary cross-entropy has the exact form
 * delta[L] = dCost/dz[L] = (a - y) / (m k), and softmax with categorical cross-entropy
 * delta[L] = (a s - y) / m with s the row's target sum (s = 1 for one-hot or probability targets,
 * giving (a - y) / m). The network then also reports the cost of those pairs from z[L]
 * ({@link #fusedValue}), exact where the float probabilities a[L] have rounded to 0 or 1;
 * {@link #value(Tensor, Tensor)} is the cost of bare probabilities.
 */
public interface Loss {

    /** A stable name for model files, e.g. "mse" or "categorical_cross_entropy". */
    String name();

    /** The mean cost over the batch. output, target: (batch, k); another target shape is refused. */
    double value(Tensor output, Tensor target);

    /**
     * The sample-weighted cost sum_i w_i L_i / m over the batch's m rows, L_i row i's loss (for the
     * element-wise losses the mean over its k outputs): divided by the row count m, not by the sum of
     * the weights (Keras' {@code sample_weight} rule), so that a batch whose rows all have weight 0
     * costs 0 and a row's weight scales its term and nothing else. Its gradient is
     * {@link #gradient}'s (or {@link #fusedDelta}'s) with row i multiplied by w_i, which is how
     * {@code Network.computeGradients(x, y, weights)} computes it.
     *
     * <p>weights: (batch, 1), each finite and &gt;= 0 ({@link #requireWeights}); null means every weight 1
     * and returns {@link #value(Tensor, Tensor)} itself. The built-in
     * losses give the bits of value(output, target) when every weight is 1, and allocate nothing. This
     * default, for a custom loss, evaluates {@link #value(Tensor, Tensor)} one row at a time on copies
     * (it allocates two one-row tensors per call, and its all-ones value may differ from value's in the
     * last bits); it relies on the contract above that the cost is the mean of per-row losses.
     *
     * @throws IllegalArgumentException when output and target differ in shape, or weights is not (batch, 1)
     *         or holds a negative, NaN or infinite value
     */
    default double value(Tensor output, Tensor target, Tensor weights) {
        if (weights == null) {
            return value(output, target);
        }
        requireSameShape(output, target);
        requireWeights(weights, output.rows());
        int m = output.rows(), k = output.cols();
        Tensor a = Tensor.zeros(1, k), y = Tensor.zeros(1, k);
        float[] w = weights.data();
        double s = 0;
        for (int i = 0; i < m; i++) {
            System.arraycopy(output.data(), i * k, a.data(), 0, k);
            System.arraycopy(target.data(), i * k, y.data(), 0, k);
            s += w[i] * value(a, y);
        }
        return s / m;
    }

    /**
     * grad = dCost/d output (the mean's 1/m, or 1/(m k) for element-wise losses, included). output, target, grad:
     * (batch, k); another target or grad shape is refused. The built-in losses write a value below
     * {@link Float#MIN_NORMAL} in magnitude as 0 (an output a little above the smallest normal float,
     * divided by m, would be subnormal, and the matrix products reading the gradient would crawl: see
     * {@link org.bpnn.backend.Subnormals}); a custom loss may do the same with {@code Subnormals.flush}.
     */
    void gradient(Tensor output, Tensor target, Tensor grad);

    /**
     * Whether the outputs are class scores (the cross-entropy losses), so that a class can be read
     * from them ({@code Network.classesOf}); false for the regression losses (mse, mae, huber), whose
     * outputs are values, and for a custom loss unless it says otherwise.
     */
    default boolean classification() {
        return false;
    }

    /** Whether {@link #fusedDelta} applies when the output layer's activation is {@code activation}. */
    default boolean fusesWith(Activation activation) {
        return false;
    }

    /**
     * delta[L] = dCost/dz[L] directly, for a fused output activation. output: a[L] (batch, k); target and
     * delta: (batch, k) too (the built-in losses refuse another shape). Values below
     * {@link Float#MIN_NORMAL} in magnitude are written as 0 by the built-in losses, as in {@link #gradient}.
     */
    default void fusedDelta(Tensor output, Tensor target, Tensor delta) {
        throw new UnsupportedOperationException(name() + " has no fused form");
    }

    /**
     * The (sample-weighted) cost of {@link #value(Tensor, Tensor, Tensor)} for a fused output activation,
     * computed from the output layer's pre-activation z[L] rather than from its outputs a[L] = sigma(z[L]):
     * what {@code Network} reports (training steps, {@code evaluateLoss}, the trainer's validation loss)
     * when {@link #fusesWith} its output activation and the output layer keeps z[L] (a dense layer).
     * preActivation, output, target: (batch, k); weights: (batch, 1) or null (every weight 1).
     *
     * <p>The built-in losses on probabilities compute it with their FromLogits form's code, exact for any
     * z: {@link #binaryCrossEntropy()} as softplus(z) - y z = max(z, 0) - y z + log1p(e^-|z|), and
     * {@link #categoricalCrossEntropy()} as sum_j y_j (LSE(z) - z_j) (LSE(z) - sum_j y_j z_j for a target
     * that sums to 1). From a[L] instead, a float sigmoid rounds to 1 from z of about 17 and the log of a
     * clamped probability caps each element's cost at -log(1e-12) = 27.6, where the true cost grows as z;
     * and log(1 - a) magnifies the backends' last-bit differences in a probability near 1 into costs a
     * few percent apart. This default, for a custom loss, returns
     * {@code value(output, target, weights)}: the cost from the outputs.
     */
    default double fusedValue(Tensor preActivation, Tensor output, Tensor target, Tensor weights) {
        return value(output, target, weights);
    }

    /**
     * The mean cost in double precision over a batch stored row-major (batch, k): the reference the
     * gradient check differentiates numerically.
     */
    double valueDouble(double[] output, double[] target, int batch, int k);

    /**
     * {@link #valueDouble}'s counterpart of {@link #fusedValue}: the mean cost in double precision of a
     * fused output activation, from the output layer's pre-activation z (batch, k) row-major, with its
     * outputs a = sigma(z) beside it: the reference the gradient check differentiates when the network
     * computes its cost from z ({@code Network.costFromPreActivation}). The built-in losses on
     * probabilities use their FromLogits form's valueDouble on z: from a, the double probability's
     * rounding, magnified by log(1 - a) where a is near 1 (1 - a below about 1e-6, a logit of about
     * 14) and flattened by the clamps past them, would make the finite differences of a saturated output
     * wrong while the fused gradient a - y is right. This default, for a custom loss, returns
     * {@code valueDouble(output, target, batch, k)}.
     */
    default double fusedValueDouble(double[] preActivation, double[] output, double[] target, int batch, int k) {
        return valueDouble(output, target, batch, k);
    }

    /**
     * Fails with an {@link IllegalArgumentException} when targets are outside the loss's domain (this
     * default: when one is NaN or infinite; the built-in cross-entropies also check their own domains).
     */
    default void validateTargets(Tensor target) {
        Tensor.requireFinite("target", target);
    }

    static Loss mse() { return ElementwiseLoss.MSE; }

    static Loss mae() { return ElementwiseLoss.MAE; }

    /**
     * Huber loss with threshold delta (finite, &gt; 0; in the targets' units): quadratic for |r| &lt;= delta,
     * linear beyond.
     *
     * @throws IllegalArgumentException when delta is not finite and &gt; 0
     */
    static Loss huber(double delta) { return ElementwiseLoss.huber(delta); }

    /**
     * Binary cross-entropy on probabilities (use a sigmoid output layer; it fuses with it). With a sigmoid
     * dense output layer both the gradient and the cost the network reports are exact for any logit: the
     * fused gradient is a - y, and the cost ({@code Network.computeGradients}, {@code evaluateLoss}, the
     * trainer's training and validation loss) is computed from the output layer's pre-activation z by
     * {@link #binaryCrossEntropyFromLogits()}'s formula ({@link #fusedValue}): 20 at z = 20 and y = 0, the
     * same on every backend to float rounding. {@link #value(Tensor, Tensor)} itself, given bare
     * probabilities a (no z), clamps a to [1e-12, 1 - 1e-12] inside the logs: in float, sigmoid(z) rounds
     * to 1 from z of about 17, so there an element's cost is capped at -log(1e-12) = 27.6 (27.6 for
     * z = 20, y = 0), and a probability one ulp from 1 changes it by a few percent.
     */
    static Loss binaryCrossEntropy() { return ElementwiseLoss.BCE; }

    /**
     * Binary cross-entropy on logits (use an identity output layer; {@code Network.Builder#build} refuses
     * a sigmoid or softmax output with it); stable for any logit.
     */
    static Loss binaryCrossEntropyFromLogits() { return ElementwiseLoss.BCE_LOGITS; }

    /**
     * Categorical cross-entropy on probabilities (use a softmax output layer; it fuses with it). With a
     * softmax dense output layer the cost the network reports is computed from the output layer's
     * pre-activation z by {@link #categoricalCrossEntropyFromLogits()}'s log-sum-exp ({@link #fusedValue}),
     * exact for any logit gap and the same on every backend to float rounding.
     * {@link #value(Tensor, Tensor)} itself, given bare probabilities a (no z), takes log max(a_j, 1e-30):
     * a probability that underflowed caps the element's cost at 69.1, and one rounded near 1 loses the
     * cost's small digits.
     */
    static Loss categoricalCrossEntropy() { return CategoricalCrossEntropy.PROBABILITIES; }

    /**
     * Categorical cross-entropy on logits (identity output layer; a sigmoid or softmax output is refused),
     * computed with log-sum-exp.
     */
    static Loss categoricalCrossEntropyFromLogits() { return CategoricalCrossEntropy.LOGITS; }

    /**
     * The names {@link #of} accepts, one per built-in loss, in the order its refusal lists them: for
     * code that needs them all (a tool's list of choices, a check that every built-in is
     * gradient-checked) without reading them out of the refusal's words. An unmodifiable list; a
     * custom loss's name is not in it.
     */
    static List<String> names() {
        return List.of("mse", "mae", "huber", "binary_cross_entropy", "binary_cross_entropy_logits",
                "categorical_cross_entropy", "categorical_cross_entropy_logits");
    }

    /**
     * The built-in loss with this {@link #name()} (one of {@link #names()}); {@code param} is Huber's
     * delta, ignored by the others.
     *
     * @throws IllegalArgumentException when name is null or no built-in loss's, or Huber's delta is not
     *         finite and &gt; 0
     */
    static Loss of(String name, double param) {
        switch (name == null ? "" : name) {
            case "mse": return mse();
            case "mae": return mae();
            case "huber": return huber(param);
            case "binary_cross_entropy": return binaryCrossEntropy();
            case "binary_cross_entropy_logits": return binaryCrossEntropyFromLogits();
            case "categorical_cross_entropy": return categoricalCrossEntropy();
            case "categorical_cross_entropy_logits": return categoricalCrossEntropyFromLogits();
            default:
                throw new IllegalArgumentException("unknown loss '" + name + "'; expected one of " + String.join(", ", names()));
        }
    }

    /**
     * Fails unless output and target are non-null and of the same shape: the losses read both as flat
     * arrays, so a target of another shape with as many elements would give a silent wrong value.
     */
    static void requireSameShape(Tensor output, Tensor target) {
        if (output == null) {
            throw new IllegalArgumentException("output is null; pass the network's output (batch, k) and the target of the same shape");
        }
        Tensor.requireShape("target", target, output.rows(), output.cols());
    }

    /**
     * Fails unless output and target are non-null and of the same shape ({@link #requireSameShape}) and
     * preActivation has that shape too: the checks of a {@link #fusedValue} that reads z[L] in place of
     * a[L], all three as flat arrays of one layout.
     */
    static void requireFusedShapes(Tensor preActivation, Tensor output, Tensor target) {
        requireSameShape(output, target);
        Tensor.requireShape("preActivation", preActivation, output.rows(), output.cols());
    }

    /**
     * Fails unless weights is a (rows, 1) tensor of finite weights &gt;= 0, one per row of the batch,
     * naming the first bad row. Allocation-free when they are.
     */
    static void requireWeights(Tensor weights, int rows) {
        if (weights == null) {
            throw new IllegalArgumentException("weights are null; pass one sample weight per row, (" + rows + ", 1)");
        }
        Tensor.requireShape("weights", weights, rows, 1);
        float[] w = weights.data();
        for (int i = 0; i < rows; i++) {
            if (!(w[i] >= 0f && w[i] != Float.POSITIVE_INFINITY)) { // NaN too
                throw new IllegalArgumentException("the sample weight of row " + i + " is " + w[i] + "; sample weights must be"
                        + " finite and >= 0 (0 leaves the row out of the cost, 2 counts it twice)");
            }
        }
    }

    /** Huber's delta, or 0 for losses without a parameter. */
    default double parameter() {
        return 0;
    }
}
