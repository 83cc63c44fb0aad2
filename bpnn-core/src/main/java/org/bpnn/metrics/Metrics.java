package org.bpnn.metrics;

import org.bpnn.data.OneHot;
import org.bpnn.tensor.Tensor;

/**
 * Metrics on network outputs and targets, both (n, k) with one sample per row. All are computed in
 * double, allocate nothing, and return finite values for finite inputs (the conventions for empty
 * or constant cases are stated on each method).
 */
public final class Metrics {
    private Metrics() {}

    /**
     * The fraction of rows whose predicted class equals the target class: argmax (first on ties)
     * for k &gt; 1; for k = 1 (sigmoid output) the class is value &gt;= 0.5. The outputs are
     * probabilities: for a model trained on logits ({@code Loss.binaryCrossEntropyFromLogits()},
     * {@code Loss.categoricalCrossEntropyFromLogits()}) pass {@code Network.predictProbabilities(x)}
     * (sigmoid(z), softmax(z)), as {@code Trainer} does for its metrics (a logit's threshold is 0, not 0.5). A row with a NaN output (a network whose products overflowed)
     * is a miss, as in {@link #topKAccuracy}. The target classes are read by one rule for all class
     * metrics: one-hot rows, or for k = 1 0/1 labels (soft labels with a single most likely class
     * too); a target row without one class (all zeros, two 1s, a class number, a value outside [0, 1])
     * is an IllegalArgumentException naming it.
     */
    public static double accuracy(Tensor outputs, Tensor targets) {
        check(outputs, targets);
        int n = outputs.rows(), k = outputs.cols();
        float[] o = outputs.data(), t = targets.data();
        long ok = 0;
        for (int i = 0; i < n; i++) {
            int c = targetClass(t, i, k); // checked first: a bad target is refused whatever the output
            if (hasNaN(o, i * k, k)) {
                continue; // a miss: NaN compares false, so its row read as class 0 and scored wherever the target was 0
            }
            if (k == 1) {
                if ((o[i] >= 0.5f ? 1 : 0) == c) ok++;
            } else if (OneHot.argmax(o, i * k, k) == c) {
                ok++;
            }
        }
        return (double) ok / n;
    }

    /**
     * The class of target row i of t, (n, k) row-major, by the rule every class metric shares
     * ({@link #accuracy}, {@link #topKAccuracy}, {@link ConfusionMatrix#of(Tensor, Tensor)}): targets are
     * class probabilities, each in [0, 1]. With k &gt; 1 columns the class is the column of the row's
     * largest value, which must be the only one: a one-hot row (OneHot.encode) or soft labels with a
     * single most likely class. With one column (a sigmoid output) the value is the probability of
     * class 1: class 1 above 0.5, class 0 below. Anything else is refused, naming the row: before, a
     * class number 2 in one column read as class 1, an all-zero row (or one with two 1s) as class 0,
     * and a negative or NaN value as whatever argmax made of it, each silently.
     *
     * @throws IllegalArgumentException naming the row, the value and what to change
     */
    static int targetClass(float[] t, int i, int k) {
        int off = i * k;
        for (int j = 0; j < k; j++) {
            float v = t[off + j];
            if (!(v >= 0f && v <= 1f)) { // NaN too
                throw new IllegalArgumentException("target " + (k == 1 ? "" : j + " ") + "of row " + i + " is " + v
                        + "; class metrics read targets as class probabilities in [0, 1]" + (k == 1
                        ? ": one output takes 0/1 labels. For class numbers, one-hot encode them (OneHot.encode) and give the"
                                + " network one output per class; for a regression use Metric.mse(), rmse(), mae() or r2()"
                        : ", one-hot rows (OneHot.encode); for a regression use Metric.mse(), rmse(), mae() or r2()"));
            }
        }
        if (k == 1) {
            float v = t[off];
            if (v == 0.5f) {
                throw new IllegalArgumentException("target of row " + i + " is 0.5, which is neither class: one output takes"
                        + " 0/1 labels (or soft labels other than 0.5); give the row its class");
            }
            return v > 0.5f ? 1 : 0;
        }
        int best = OneHot.argmax(t, off, k);
        for (int j = best + 1; j < k; j++) {
            if (t[off + j] == t[off + best]) {
                throw new IllegalArgumentException("target row " + i + " has no single class: its largest value "
                        + t[off + best] + " is in columns " + best + " and " + j + (t[off + best] == 0f ? " (the row is all zeros)" : "")
                        + "; class metrics need one class per row: one-hot rows (OneHot.encode) with exactly one 1,"
                        + " or soft labels with a single largest value");
            }
        }
        return best;
    }

    /**
     * Refuses targets that have no class by {@link #targetClass}'s rule, naming the first such row: for
     * a trainer, to refuse them before training instead of after an epoch's work. targets: (n, k).
     */
    public static void requireClassTargets(Tensor targets) {
        if (targets == null) {
            throw new IllegalArgumentException("targets are null; pass the targets, (n, classes)");
        }
        float[] t = targets.data();
        for (int i = 0, n = targets.rows(), k = targets.cols(); i < n; i++) {
            targetClass(t, i, k);
        }
    }

    /** Whether o[from .. from+len) holds a NaN: a row of outputs without a class (ConfusionMatrix too). */
    static boolean hasNaN(float[] o, int from, int len) {
        for (int j = from; j < from + len; j++) {
            if (o[j] != o[j]) return true;
        }
        return false;
    }

    /**
     * The fraction of rows whose target class is among the topK classes with the highest outputs, ties
     * broken as {@link #accuracy}'s argmax breaks them, by class index (the lower first): the target's
     * rank is the number of classes with a strictly higher output plus those of a lower index with an
     * equal one, and the row is a hit when rank &lt; topK. So {@code topKAccuracy(o, t, 1)} equals
     * {@code accuracy(o, t)} on every input, the value grows with topK and reaches 1 at topK = classes,
     * and it is the share of rows whose target is among the first topK classes of a stable descending
     * sort (what {@code tf.math.top_k} returns). Ties used to count in the sample's favour (as Keras's
     * {@code in_top_k}): a network whose outputs are all equal then scored 1.0 at every topK, a top-1
     * score above the 0.5 accuracy of the same outputs on balanced classes, and early stopping kept
     * such an epoch as the best.
     *
     * <p>A NaN output never counts in its favour: a NaN target-class output is a miss, and a NaN output
     * of another class ranks above it (a NaN compares false with everything, so NaN outputs, e.g. from a
     * layer that overflowed, scored 1.0). topK in [1, classes]. For k = 1 (a sigmoid output) the only
     * choice is topK = 1, which is {@link #accuracy} (class 1 when the value is &gt;= 0.5): the argmax
     * of a single column is always 0, so ranking it would count every row as a hit. Targets as in
     * {@link #accuracy}: a row without one class is refused.
     */
    public static double topKAccuracy(Tensor outputs, Tensor targets, int topK) {
        check(outputs, targets);
        int n = outputs.rows(), k = outputs.cols();
        requireTopK(topK, k);
        if (k == 1) {
            return accuracy(outputs, targets);
        }
        float[] o = outputs.data(), t = targets.data();
        long ok = 0;
        for (int i = 0; i < n; i++) {
            int c = targetClass(t, i, k);
            float s = o[i * k + c];
            int rank = s != s ? k : 0;
            for (int j = 0; j < k && rank < topK; j++) {
                float v = o[i * k + j];
                if (v > s || (v == s && j < c) || (v != v && j != c)) rank++;
            }
            if (rank < topK) ok++;
        }
        return (double) ok / n;
    }

    /** topK in [1, classes] (only 1 for one output). */
    static void requireTopK(int topK, int classes) {
        if (topK < 1 || topK > classes) {
            throw new IllegalArgumentException("top-k needs k in [1, " + classes + "] for " + classes
                    + (classes == 1 ? " output (a sigmoid model: top-1 is its accuracy)" : " classes") + ", got " + topK
                    + "; use a k up to the number of outputs");
        }
    }

    /** Mean squared error over all n k elements. */
    public static double mse(Tensor outputs, Tensor targets) {
        check(outputs, targets);
        float[] o = outputs.data(), t = targets.data();
        double s = 0;
        for (int i = 0; i < o.length; i++) {
            double r = (double) o[i] - t[i];
            s += r * r;
        }
        return s / o.length;
    }

    /** sqrt(MSE). */
    public static double rmse(Tensor outputs, Tensor targets) {
        return Math.sqrt(mse(outputs, targets));
    }

    /** Mean absolute error over all n k elements. */
    public static double mae(Tensor outputs, Tensor targets) {
        check(outputs, targets);
        float[] o = outputs.data(), t = targets.data();
        double s = 0;
        for (int i = 0; i < o.length; i++) {
            s += Math.abs((double) o[i] - t[i]);
        }
        return s / o.length;
    }

    /**
     * Coefficient of determination, per output column R^2_j = 1 - SS_res / SS_tot with
     * SS_tot = sum (y - mean(y))^2, averaged over the k columns (scikit-learn's uniform average).
     * A constant target column (SS_tot = 0) scores 1 if predicted exactly, else 0 (no NaN, no
     * infinity). R^2 can be negative: worse than predicting the mean.
     */
    public static double r2(Tensor outputs, Tensor targets) {
        check(outputs, targets);
        int n = outputs.rows(), k = outputs.cols();
        float[] o = outputs.data(), t = targets.data();
        double total = 0;
        for (int j = 0; j < k; j++) {
            double mean = 0;
            for (int i = 0; i < n; i++) mean += t[i * k + j];
            mean /= n;
            double res = 0, tot = 0;
            for (int i = 0; i < n; i++) {
                double y = t[i * k + j], r = y - o[i * k + j], d = y - mean;
                res += r * r;
                tot += d * d;
            }
            total += tot == 0 ? (res == 0 ? 1 : 0) : 1 - res / tot;
        }
        return total / k;
    }

    private static void check(Tensor outputs, Tensor targets) {
        if (outputs == null) {
            throw new IllegalArgumentException("outputs are null");
        }
        Tensor.requireShape("targets", targets, outputs.rows(), outputs.cols());
    }
}
