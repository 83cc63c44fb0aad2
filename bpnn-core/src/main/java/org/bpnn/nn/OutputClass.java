package org.bpnn.nn;

/**
 * The class of one sample's class probabilities: the one rule by which every part of bpnn turns a
 * classifier's outputs into classes ({@link Network#predictClasses}, {@link Network#classesOf},
 * {@link Network#predictClass}, and the class metrics: {@code Metrics.accuracy},
 * {@code ConfusionMatrix.of} and the metrics built on it).
 *
 * <p><b>The default rule</b> ({@link #of(float[], int, int)}, what every caller uses unless a
 * threshold was chosen): with k &gt; 1 columns the class is the column of the largest probability,
 * the first on ties; with one column (a two-class model) it is 1 where the probability of class 1 is
 * at least 0.5, else 0.
 *
 * <p><b>A chosen threshold t</b> ({@link #of(float[], int, int, float)}) is for a two-class model: it
 * reads the probability of class 1, the only column (k = 1) or column 1 of a two-column softmax
 * (k = 2; column 0 is then 1 - p1, up to rounding), and the class is 1 where p1 &gt;= t, else 0. That is
 * the rule {@code Metrics.precisionRecallCurve} counts by (its score of a two-column output is column
 * 1), so a threshold picked on a curve classes the rows as its point counts them. For k = 2 a chosen
 * t = 0.5 is not the default rule on every row: a tie p0 == p1 == 0.5 is class 0 by the argmax (the
 * first) and class 1 by p1 &gt;= 0.5, and the float softmax need not sum to exactly 1, so a row with
 * p1 = 0.5 and p0 a rounding error above it differs too. Without a chosen threshold the classes are
 * the argmax, exactly as before thresholds applied to two columns. More than two columns take no
 * threshold: their class is the argmax, which no single threshold moves.
 *
 * <p>It reads probabilities, never logits: a {@code Loss.binaryCrossEntropyFromLogits()} or
 * {@code categoricalCrossEntropyFromLogits()} network's outputs are first passed through
 * {@link Network#logitsToProbabilities}, the float sigmoid or softmax of its backend, which is what the
 * trainer gives its metrics. So a logit whose probability rounds to 0.5f (any logit in about
 * (-6e-8, 0)) is class 1 everywhere: {@code predictClasses} used to compare the logit with 0 in double
 * and call it class 0 while the metrics, on the rounded probability, counted it as class 1.
 *
 * <p>The rows must hold no NaN (a NaN compares false with everything): callers refuse such a row or
 * count it as unclassified first. Allocation-free.
 */
public final class OutputClass {
    /**
     * The default threshold on a one-output model's probability of class 1. (A two-column model's
     * default is the argmax, {@link #of(float[], int, int)}, not this threshold on column 1.)
     */
    public static final float DEFAULT_THRESHOLD = 0.5f;

    private OutputClass() {}

    /**
     * The class of the k probabilities p[off .. off + k) by the default rule: the argmax (the first on
     * ties), or for k = 1, 1 from probability 0.5 on.
     */
    public static int of(float[] p, int off, int k) {
        return k == 1 ? (p[off] >= DEFAULT_THRESHOLD ? 1 : 0) : argmax(p, off, k);
    }

    /**
     * The class of a two-class model's k probabilities p[off .. off + k) at a chosen threshold: 1 where
     * the probability of class 1, p[off] for k = 1 or p[off + 1] for k = 2, is &gt;= threshold
     * (compared as floats), else 0. For k = 2, threshold 0.5 can differ from {@link #of(float[], int, int)}
     * (the argmax) on a tie or within rounding of one; see the class comment.
     *
     * @throws IllegalArgumentException when k is not 1 or 2: the class of more columns is their argmax,
     *         which one threshold does not move
     */
    public static int of(float[] p, int off, int k, float threshold) {
        if (k == 1) return p[off] >= threshold ? 1 : 0;
        if (k == 2) return p[off + 1] >= threshold ? 1 : 0;
        throw new IllegalArgumentException("a threshold was given for " + k + " class probabilities, but a threshold"
                + " is for a two-class model (one probability, or two columns whose column 1 is class 1's); the class of "
                + k + " is their argmax: call of(p, off, k) without one");
    }

    /** The index in [0, n) of the largest of a[off .. off + n), the first on ties (+0 and -0 tie). */
    public static int argmax(float[] a, int off, int n) {
        int best = 0;
        float v = a[off];
        for (int j = 1; j < n; j++) {
            if (a[off + j] > v) {
                v = a[off + j];
                best = j;
            }
        }
        return best;
    }
}
