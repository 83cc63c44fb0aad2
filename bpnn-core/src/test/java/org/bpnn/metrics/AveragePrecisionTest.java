package org.bpnn.metrics;

import static org.bpnn.metrics.TargetDecodingTest.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Average precision ({@link Metrics#averagePrecision}, {@link Metric#averagePrecision()}): hand-computed
 * cases with ties, the extremes, the definition threshold by threshold on random scores, a larger case
 * against scikit-learn's definition computed independently with numpy (the script is in the comment at
 * the end of the file), the NaN rule, and the refusals it shares with AUC.
 */
class AveragePrecisionTest {

    private static double ap(float[] scores, float[] labels) {
        return Metrics.averagePrecision(col(scores), col(labels));
    }

    /** The definition, threshold by threshold over the distinct scores: O(n^2), only for the test. */
    private static double definition(float[] s, float[] y) {
        long positives = 0;
        for (float v : y) if (v == 1) positives++;
        double sum = 0, previousRecall = 0;
        float previous = Float.POSITIVE_INFINITY;
        boolean first = true;
        while (true) {
            // the next threshold: the largest score below the previous one
            float t = Float.NEGATIVE_INFINITY;
            boolean found = false;
            for (float v : s) {
                if ((first || v < previous) && (!found || v > t)) {
                    t = v;
                    found = true;
                }
            }
            if (!found) break;
            first = false;
            long tp = 0, fp = 0;
            for (int i = 0; i < s.length; i++) {
                if (s[i] >= t) {
                    if (y[i] == 1) tp++; else fp++;
                }
            }
            double recall = (double) tp / positives;
            sum += (recall - previousRecall) * tp / (tp + fp);
            previousRecall = recall;
            previous = t;
        }
        return sum;
    }

    @Test
    void handComputedCases() {
        // scikit-learn's doc example (average_precision_score): thresholds 0.8 (P 1, R 1/2), 0.4 (P 1/2, no new
        // recall), 0.35 (P 2/3, R 1): 1/2 * 1 + 1/2 * 2/3 = 5/6
        assertEquals(5.0 / 6, ap(new float[] {0.1f, 0.4f, 0.35f, 0.8f}, new float[] {0, 0, 1, 1}), 1e-15);
        // a tie across the classes enters at once: threshold 0.5 takes both positives and a negative, P 2/3
        // (one row at a time, the positives first, would have given 1)
        assertEquals(2.0 / 3, ap(new float[] {0.5f, 0.5f, 0.5f, 0.2f}, new float[] {1, 1, 0, 0}), 1e-15);
        // 0.9 (+): P 1, R 1/3; 0.6 (+, -): P 2/3, R 2/3; 0.4 (+, -, -): P 3/6, R 1: (1 + 2/3 + 1/2) / 3
        float[] s = {0.9f, 0.6f, 0.6f, 0.4f, 0.4f, 0.4f};
        float[] y = {1, 1, 0, 1, 0, 0};
        assertEquals((1 + 2.0 / 3 + 0.5) / 3, ap(s, y), 1e-15);
        assertEquals(definition(s, y), ap(s, y), 1e-15);
    }

    @Test
    void perfectIsOneAndAllTiedIsThePositiveRate() {
        float[] y = {0, 1, 0, 0, 1, 0, 0, 0};
        assertEquals(1.0, ap(new float[] {0.1f, 0.9f, 0.2f, 0.3f, 0.8f, 0.3f, 0.7f, 0.1f}, y), 0);
        assertEquals(2.0 / 8, ap(new float[] {0.4f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f}, y), 0);
        // a saturated sigmoid (1.0f everywhere) ranks nothing either
        assertEquals(2.0 / 8, ap(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, y), 0);
        // inverted: the positives last, at thresholds 0.2 (P 1/7) and 0.1 (P 2/8)
        assertEquals((1.0 / 7 + 2.0 / 8) / 2, ap(new float[] {0.9f, 0.1f, 0.8f, 0.7f, 0.2f, 0.6f, 0.5f, 0.4f}, y), 1e-15);
    }

    /** Random scores with many ties, negatives, +-0: the value is the definition's and only the order counts. */
    @Test
    void randomTiedScoresMatchTheDefinition() {
        Random r = new Random(11);
        for (int trial = 0; trial < 300; trial++) {
            int n = 2 + r.nextInt(40);
            float[] s = new float[n], y = new float[n];
            for (int i = 0; i < n; i++) {
                s[i] = (r.nextInt(9) - 4) * (r.nextBoolean() ? 0.5f : 1e-3f);
                y[i] = r.nextInt(4) == 0 ? 1 : 0;
            }
            y[0] = 1;
            y[1] = 0;
            double v = ap(s, y);
            assertEquals(definition(s, y), v, 1e-12, "trial " + trial);
            float[] shifted = new float[n];
            for (int i = 0; i < n; i++) shifted[i] = s[i] * 3 + 100;
            assertEquals(v, ap(shifted, y), 0, "trial " + trial);
        }
        assertEquals(0.5, ap(new float[] {-0.0f, 0.0f}, new float[] {1, 0}), 0, "-0 == +0: a tie");
    }

    /** Against scikit-learn's definition in numpy (script below): 3000 rows, 531 positives, 271 distinct scores. */
    @Test
    void aLargerCaseMatchesAnIndependentReference() {
        int n = 3000;
        float[] s = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) {
            int label = (int) ((i * 104729L) % 17) < 3 ? 1 : 0;
            s[i] = (float) ((i * 7919L) % 211 + 60L * label) / 271f;
            y[i] = label;
        }
        assertEquals(0.5034918018565921, ap(s, y), 1e-13);
        // two softmax columns, scored by column 1: the same value
        float[] out = new float[2 * n], tgt = new float[2 * n];
        for (int i = 0; i < n; i++) {
            out[2 * i] = 1 - s[i];
            out[2 * i + 1] = s[i];
            tgt[2 * i + (int) y[i]] = 1;
        }
        assertEquals(0.5034918018565921, Metric.averagePrecision().value(Tensor.wrap(n, 2, out), Tensor.wrap(n, 2, tgt)), 1e-13);
    }

    @Test
    void aNaNScoreNeverCountsInItsFavour() {
        // a NaN positive is never recalled: 0.8 gives P 1 at R 1/2, and nothing more
        assertEquals(0.5, ap(new float[] {Float.NaN, 0.2f, 0.8f}, new float[] {1, 0, 1}), 0);
        // a NaN negative is a false positive at every threshold: 0.3 gives P 1/2 at R 1
        assertEquals(0.5, ap(new float[] {0.3f, Float.NaN, 0.1f}, new float[] {1, 0, 0}), 0);
        assertEquals(0.0, ap(new float[] {Float.NaN, Float.NaN}, new float[] {1, 0}), 0);
    }

    @Test
    void theRefusalsAreAucsInItsWords() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ap(new float[] {0.2f, 0.9f, 0.4f}, new float[] {0, 0, 0}));
        assertTrue(e.getMessage().startsWith("average precision is undefined: all 3 target rows are class 0 (no positive"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metric.averagePrecision().requireTargets(col(1, 1)));
        assertTrue(e.getMessage().startsWith("average precision is undefined: all 2 target rows are class 1 (no negative"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ap(new float[] {0.1f, 0.2f}, new float[] {1, 0.8f}));
        assertTrue(e.getMessage().startsWith("target of row 1 is 0.8; metric 'average_precision' reads 0/1 labels"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metrics.averagePrecision(
                Tensor.wrap(2, 2, new float[] {0.5f, 0.5f, 0.1f, 0.9f}), Tensor.wrap(2, 2, new float[] {1, 0, 0.3f, 0.7f})));
        assertTrue(e.getMessage().startsWith("target row 1 is [0.3, 0.7]; metric 'average_precision' with two outputs"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metric.averagePrecision().requireOutputs(3));
        assertTrue(e.getMessage().startsWith("metric 'average_precision' is the average precision of a binary classifier")
                && e.getMessage().contains("(one-vs-rest average precision is not provided)"), e.getMessage());
        Metric.averagePrecision().requireOutputs(1);
        Metric.averagePrecision().requireOutputs(2);
        assertThrows(IllegalArgumentException.class, () -> Metrics.averagePrecision(null, col(0, 1)));
        assertThrows(IllegalArgumentException.class, () -> Metrics.averagePrecision(col(0.2f, 0.4f), col(0, 1, 0)));
    }

    @Test
    void theMetricIsNamedAveragePrecisionHigherIsBetterAndReadsClasses() {
        Metric m = Metric.averagePrecision();
        assertEquals("average_precision", m.name());
        assertTrue(m.higherIsBetter());
        assertTrue(m.readsClasses());
        assertEquals("Metric.averagePrecision()", m.toString());
    }

    /*
     * The reference value of aLargerCaseMatchesAnIndependentReference, computed in float64 with numpy
     * (2.4.6) by scikit-learn's definition (its _binary_clf_curve, precision_recall_curve and
     * _binary_uninterpolated_average_precision; scikit-learn itself is not installed here). The same
     * function gives 0.8333333333333333 on the doc example of handComputedCases, as
     * sklearn.metrics.average_precision_score's documentation prints.
     *
     * import numpy as np
     * def ap(y, score):
     *     order = np.argsort(score, kind="mergesort")[::-1]
     *     s = score[order]; yt = y[order].astype(np.float64)
     *     idx = np.r_[np.where(np.diff(s))[0], yt.size - 1]   # last row of each group of equal scores
     *     tps = np.cumsum(yt)[idx]
     *     fps = 1 + idx - tps
     *     precision = np.r_[(tps / (tps + fps))[::-1], 1.0]
     *     recall = np.r_[(tps / tps[-1])[::-1], 0.0]
     *     return -np.sum(np.diff(recall) * precision[:-1])
     * n = 3000
     * i = np.arange(n, dtype=np.int64)
     * label = ((i * 104729) % 17 < 3).astype(np.int64)       # 531 positives
     * a = (i * 7919) % 211 + 60 * label                       # ints in [0, 271): many ties
     * score = a.astype(np.float32) / np.float32(271)          # the float the test computes
     * print(repr(ap(label, score)))                           # 0.5034918018565921
     */
}
