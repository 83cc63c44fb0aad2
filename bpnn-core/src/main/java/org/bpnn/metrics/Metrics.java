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
     * probabilities: for a model trained with {@code Loss.binaryCrossEntropyFromLogits()} pass
     * {@code Network.predictProbabilities(x)} (sigmoid(z)), as {@code Trainer} does for its metrics (a
     * logit's threshold is 0, not 0.5). A row with a NaN output (a network whose products overflowed)
     * is a miss, as in {@link #topKAccuracy}.
     */
    public static double accuracy(Tensor outputs, Tensor targets) {
        check(outputs, targets);
        int n = outputs.rows(), k = outputs.cols();
        float[] o = outputs.data(), t = targets.data();
        long ok = 0;
        for (int i = 0; i < n; i++) {
            if (hasNaN(o, i * k, k)) {
                continue; // a miss: NaN compares false, so its row read as class 0 and scored wherever the target was 0
            }
            if (k == 1) {
                if ((o[i] >= 0.5f) == (t[i] >= 0.5f)) ok++;
            } else if (OneHot.argmax(o, i * k, k) == OneHot.argmax(t, i * k, k)) {
                ok++;
            }
        }
        return (double) ok / n;
    }

    /** Whether o[from .. from+len) holds a NaN: a row of outputs without a class (ConfusionMatrix too). */
    static boolean hasNaN(float[] o, int from, int len) {
        for (int j = from; j < from + len; j++) {
            if (o[j] != o[j]) return true;
        }
        return false;
    }

    /**
     * The fraction of rows whose target class (argmax of the target row) is among the k highest
     * outputs: rank = the number of classes with a strictly higher output, hit when rank &lt; topK
     * (ties count in the sample's favour). A NaN output never counts in its favour: a NaN target-class
     * output is a miss, and a NaN output of another class ranks above it (a NaN compares false with
     * everything, so NaN outputs, e.g. from a layer that overflowed, scored 1.0). topK in [1, classes].
     * For k = 1 (a sigmoid output) the
     * only choice is topK = 1, which is {@link #accuracy} (class 1 when the value is &gt;= 0.5): the
     * argmax of a single column is always 0, so ranking it would count every row as a hit.
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
            int c = OneHot.argmax(t, i * k, k);
            float s = o[i * k + c];
            int rank = s != s ? k : 0;
            for (int j = 0; j < k && rank < topK; j++) {
                float v = o[i * k + j];
                if (v > s || (v != v && j != c)) rank++;
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
