package org.bpnn.metrics;

import java.util.Arrays;

/**
 * A binary classifier's precision-recall curve, from {@link Metrics#precisionRecallCurve}: one point per
 * distinct score, from the highest down, where point i calls class 1 every row scoring at least
 * {@link #threshold(int) threshold(i)} (scikit-learn's {@code precision_recall_curve}: its thresholds are
 * the distinct scores and its rule is score &gt;= threshold). Unlike scikit-learn, the points run from the
 * highest threshold to the lowest (scikit-learn's arrays ascend), every distinct score is a point (none
 * dropped, none cut off at full recall), and scikit-learn's extra final point, precision 1 and recall 0
 * with no threshold, is not stored: it has no threshold to use, and {@link Metrics#averagePrecision}'s
 * sum starts from recall 0 without it. The counts are exact (longs); precision and recall are divided
 * once in double.
 *
 * <p>Immutable. A class rather than a record: a record's constructor would be public and its array
 * accessors would hand out the arrays. The indexed accessors allocate nothing; the pickers
 * ({@link #thresholdForRecall}, {@link #thresholdForPrecision}, {@link #bestF1}) return a float for
 * {@code SavedModel.withThreshold(float)} and {@code Network.predictClasses(x, threshold)}.
 */
public final class PrecisionRecallCurve {
    private final float[] thresholds;
    private final long[] truePositives, falsePositives;
    private final long positives;

    PrecisionRecallCurve(float[] thresholds, long[] truePositives, long[] falsePositives, long positives) {
        this.thresholds = thresholds;
        this.truePositives = truePositives;
        this.falsePositives = falsePositives;
        this.positives = positives;
    }

    /** The number of points: the number of distinct non-NaN scores (0 when every score was NaN). */
    public int size() {
        return thresholds.length;
    }

    /** The i-th distinct score, from the highest (i = 0) down: point i calls class 1 from it on. */
    public float threshold(int i) {
        return thresholds[i];
    }

    /** The distinct scores from the highest down, a new array each call. */
    public float[] thresholds() {
        return thresholds.clone();
    }

    /** tp / (tp + fp) at point i; the rows scoring at least threshold(i) always include one, so it is defined. */
    public double precision(int i) {
        return (double) truePositives[i] / (truePositives[i] + falsePositives[i]);
    }

    /** tp / positives at point i: non-decreasing in i. Below 1 at every point when a positive's score was NaN. */
    public double recall(int i) {
        return (double) truePositives[i] / positives;
    }

    /**
     * 2 tp / (2 tp + fp + fn) at point i (2 P R / (P + R)), 0 when no positive is called (precision and
     * recall both 0, ConfusionMatrix's convention); never 0/0, as the set holds a positive.
     */
    public double f1(int i) {
        long tp = truePositives[i];
        return 2.0 * tp / (2 * tp + falsePositives[i] + (positives - tp));
    }

    /** The rows of class 1 called class 1 at point i. */
    public long truePositives(int i) {
        return truePositives[i];
    }

    /** The rows of class 0 called class 1 at point i (a row whose score was NaN among them at every point). */
    public long falsePositives(int i) {
        return falsePositives[i];
    }

    /** The rows of class 1, recalled or not (NaN scores included). */
    public long positives() {
        return positives;
    }

    /**
     * A threshold for {@code withThreshold} / {@code predictClasses(x, t)} at the highest threshold whose
     * recall is at least minRecall: the point that keeps the most precision for that recall (e.g. 0.9
     * of fraud caught). Returned as {@link #operatingThreshold}, which classes the same rows as the point.
     *
     * @throws IllegalArgumentException when minRecall is NaN or outside [0, 1], or no point reaches it
     *         (only when a positive's score was NaN: such a row is never recalled), or as
     *         {@link #operatingThreshold} for the point reached (e.g. recall 1 only at a lowest score of 0)
     */
    public float thresholdForRecall(double minRecall) {
        requireFraction("minRecall", minRecall);
        for (int i = 0; i < size(); i++) {
            if (recall(i) >= minRecall) return operatingThreshold(i);
        }
        throw new IllegalArgumentException("no threshold reaches recall " + minRecall + ": the highest is "
                + (size() == 0 ? "0 (every score was NaN)" : recall(size() - 1) + " at the lowest threshold, " + threshold(size() - 1))
                + ", below 1 because " + (positives - (size() == 0 ? 0 : truePositives[size() - 1])) + " positive rows"
                + " scored NaN; ask for at most that recall, or fix the outputs (a network whose products overflowed)");
    }

    /**
     * A threshold for {@code withThreshold} / {@code predictClasses(x, t)} at the point with the highest
     * recall among those whose precision is at least minPrecision (the lowest such threshold; of points
     * with equal recall, the highest threshold, which has the fewest false positives). Precision is not
     * monotonic in the threshold, so this is a search of every point, not a cut. Returned as
     * {@link #operatingThreshold}, which classes the same rows as the point.
     *
     * @throws IllegalArgumentException when minPrecision is NaN or outside [0, 1], or no point reaches it
     *         (naming the highest precision on the curve), or as {@link #operatingThreshold} for the point
     */
    public float thresholdForPrecision(double minPrecision) {
        requireFraction("minPrecision", minPrecision);
        int best = -1;
        double bestPrecision = 0;
        for (int i = 0; i < size(); i++) {
            double p = precision(i);
            bestPrecision = Math.max(bestPrecision, p);
            // recall is non-decreasing in i: a later point wins only with a strictly higher recall
            if (p >= minPrecision && (best < 0 || truePositives[i] > truePositives[best])) best = i;
        }
        if (best < 0) {
            throw new IllegalArgumentException("no threshold reaches precision " + minPrecision + ": the highest on the curve is "
                    + bestPrecision + "; ask for at most that, or a model that ranks the positives higher");
        }
        return operatingThreshold(best);
    }

    /**
     * A threshold for {@code withThreshold} / {@code predictClasses(x, t)} at the point of highest F1
     * (2 tp / (2 tp + fp + fn)), ties going to the higher threshold (fewer rows called class 1).
     * Returned as {@link #operatingThreshold}, which classes the same rows as the point.
     *
     * @throws IllegalArgumentException when the curve has no point (every score was NaN), or as
     *         {@link #operatingThreshold} for the point
     */
    public float bestF1() {
        if (size() == 0) {
            throw new IllegalArgumentException("the curve has no point: every score was NaN (a network whose products"
                    + " overflowed); fix the outputs first");
        }
        int best = 0;
        for (int i = 1; i < size(); i++) {
            if (f1(i) > f1(best)) best = i; // division is correctly rounded: equal ratios tie exactly
        }
        return operatingThreshold(best);
    }

    /**
     * The float given to {@code withThreshold} / {@code predictClasses(x, t)} for point i: one that
     * classes exactly the rows point i calls class 1, strictly between 0 and 1 as those require. It is the
     * float halfway between threshold(i) and the next lower score (0 below the lowest), or threshold(i)
     * itself when no float lies between them: any value in (next lower score, threshold(i)] calls the
     * same rows class 1 on the scores the curve was computed from (a logits model's too: its curve is
     * computed on {@code Network.predictProbabilities}, and predictClasses(x, t) compares those same
     * float probabilities with t, {@code org.bpnn.nn.OutputClass}). Halfway leaves room for scores that
     * move by a rounding error (the same model predicted one sample at a time, or on another backend),
     * which at the score itself would flip a row, and gives a score of exactly 1 (a saturated sigmoid)
     * a threshold below 1.
     *
     * @throws IllegalArgumentException when no float in (next lower score, threshold(i)] lies strictly
     *         between 0 and 1: scores that are not probabilities (pass probabilities), every row called
     *         class 1 at a lowest score of 0, or scores 1 and the largest float below 1 to separate
     */
    public float operatingThreshold(int i) {
        float s = thresholds[i];
        float below = i + 1 < size() ? thresholds[i + 1] : 0f;
        float t = (float) (((double) below + s) / 2);
        if (!(t > below && t <= s)) t = s; // adjacent floats: only s itself separates them
        if (!(t > below && t > 0f && t < 1f)) {
            throw new IllegalArgumentException("point " + i + " (score " + s + ", next lower " + (i + 1 < size() ? below : "none")
                    + ") has no threshold strictly between 0 and 1 that calls exactly its rows class 1; the scores must be"
                    + " probabilities (Network.predictProbabilities for a logits model), and a point whose rows are only"
                    + " separable at 0 or 1 cannot be saved as a threshold: choose a neighbouring point");
        }
        return t;
    }

    private static void requireFraction(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " is " + v + "; expected a fraction in [0, 1], e.g. 0.9");
        }
    }

    @Override
    public String toString() {
        return "PrecisionRecallCurve[" + size() + " points, " + positives + " positives, thresholds "
                + Arrays.toString(thresholds.length <= 8 ? thresholds : Arrays.copyOf(thresholds, 8)) + (thresholds.length > 8 ? "..." : "") + "]";
    }
}
