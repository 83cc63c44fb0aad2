package org.bpnn.nn;

/**
 * The class of one sample's class probabilities: the one rule by which every part of bpnn turns a
 * classifier's outputs into classes ({@link Network#predictClasses}, {@link Network#classesOf},
 * {@link Network#predictClass}, and the class metrics: {@code Metrics.accuracy},
 * {@code ConfusionMatrix.of} and the metrics built on it). With k &gt; 1 columns the class is the
 * column of the largest probability, the first on ties; with one column (a two-class model) it is 1
 * where the probability of class 1 is at least the threshold, 0.5 unless one is chosen, else 0.
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
    /** The default threshold on a one-output model's probability of class 1. */
    public static final float DEFAULT_THRESHOLD = 0.5f;

    private OutputClass() {}

    /**
     * The class of the k probabilities p[off .. off + k) at the default threshold: the argmax, or for
     * k = 1, 1 from probability 0.5 on.
     */
    public static int of(float[] p, int off, int k) {
        return of(p, off, k, DEFAULT_THRESHOLD);
    }

    /**
     * The class of the k probabilities p[off .. off + k): the argmax (threshold unused), or for k = 1,
     * 1 where p[off] &gt;= threshold (compared as floats), else 0.
     */
    public static int of(float[] p, int off, int k, float threshold) {
        return k == 1 ? (p[off] >= threshold ? 1 : 0) : argmax(p, off, k);
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
