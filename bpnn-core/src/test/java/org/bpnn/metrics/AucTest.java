package org.bpnn.metrics;

import static org.bpnn.metrics.TargetDecodingTest.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * ROC AUC ({@link Metrics#auc}, {@link Metric#auc()}): hand-computed cases with ties, the extremes, a
 * larger case against a value computed independently with numpy (the script is in the comment at the
 * end of the file), the NaN rule, and the refusals.
 */
class AucTest {

    private static double auc(float[] scores, float[] labels) {
        return Metrics.auc(col(scores), col(labels));
    }

    /** The definition, pair by pair: O(P N), only for the test. A NaN pair counts 0. */
    private static double bruteForce(float[] s, float[] y) {
        double wins = 0;
        long p = 0, n = 0;
        for (float v : y) if (v == 1) p++; else n++;
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < s.length; j++) {
                if (y[i] == 1 && y[j] == 0) {
                    if (s[i] > s[j]) wins += 1;
                    else if (s[i] == s[j]) wins += 0.5;
                }
            }
        }
        return wins / ((double) p * n);
    }

    @Test
    void handComputedCases() {
        // scikit-learn's doc example: positives 0.35, 0.8 against negatives 0.1, 0.4: 3 of 4 pairs
        assertEquals(0.75, auc(new float[] {0.1f, 0.4f, 0.35f, 0.8f}, new float[] {0, 0, 1, 1}), 0);
        // a tie across the classes counts one half: pairs (0.5, 0.5) 0.5, (0.5, 0.2) 1, (0.9, 0.5) 1, (0.9, 0.2) 1
        assertEquals(3.5 / 4, auc(new float[] {0.5f, 0.5f, 0.2f, 0.9f}, new float[] {1, 0, 0, 1}), 0);
        // a tie within a class changes nothing: positives 0.7, 0.7 against negatives 0.7, 0.1, 0.1
        // pairs: 2 x (0.5 + 1 + 1) = 5 of 6
        assertEquals(5.0 / 6, auc(new float[] {0.7f, 0.1f, 0.7f, 0.7f, 0.1f}, new float[] {1, 0, 1, 0, 0}), 0);
        // four positives (0.9, 0.6, 0.6, 0.4) against two negatives (0.4, 0.6), 8 pairs: 0.9 beats both (2);
        // each 0.6 beats 0.4 and ties 0.6 (1.5 each); 0.4 ties 0.4 and loses to 0.6 (0.5): 5.5 of 8
        float[] s = {0.9f, 0.6f, 0.6f, 0.4f, 0.4f, 0.6f};
        float[] y = {1, 1, 1, 1, 0, 0};
        assertEquals(5.5 / 8, auc(s, y), 0);
        assertEquals(bruteForce(s, y), auc(s, y), 0);
    }

    @Test
    void perfectInvertedAndAllTied() {
        float[] y = {0, 1, 0, 1, 1, 0};
        assertEquals(1.0, auc(new float[] {0.1f, 0.9f, 0.2f, 0.8f, 0.7f, 0.3f}, y), 0);
        assertEquals(0.0, auc(new float[] {0.9f, 0.1f, 0.8f, 0.2f, 0.3f, 0.7f}, y), 0);
        assertEquals(0.5, auc(new float[] {0.4f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f}, y), 0);
        // a network stuck at 1.0f for every row (a saturated sigmoid) ranks nothing either
        assertEquals(0.5, auc(new float[] {1, 1, 1, 1, 1, 1}, y), 0);
    }

    /**
     * Only the order counts: negative scores (logits) order as floats do, -0 and +0 tie, infinities
     * are the extremes; the value equals the brute-force definition on random scores with many ties.
     */
    @Test
    void logitsNegativesZerosAndInfinitiesRankAsFloatsCompare() {
        assertEquals(0.5, auc(new float[] {-0.0f, 0.0f}, new float[] {1, 0}), 0, "-0 == +0: a tie");
        assertEquals(1.0, auc(new float[] {-3f, -1e-30f, 2f, Float.POSITIVE_INFINITY}, new float[] {0, 0, 1, 1}), 0);
        assertEquals(0.0, auc(new float[] {Float.NEGATIVE_INFINITY, -2f, -1f, -Float.MIN_VALUE}, new float[] {1, 1, 0, 0}), 0);
        Random r = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + r.nextInt(40);
            float[] s = new float[n], y = new float[n];
            for (int i = 0; i < n; i++) {
                s[i] = (r.nextInt(9) - 4) * (r.nextBoolean() ? 0.5f : 1e-3f); // ties, signs, zeros
                y[i] = r.nextInt(3) == 0 ? 1 : 0;
            }
            y[0] = 1;
            y[1] = 0;
            double v = auc(s, y);
            assertEquals(bruteForce(s, y), v, 1e-15, "trial " + trial);
            // a strictly increasing map changes nothing (these scores differ by far more than float rounding at 100)
            float[] shifted = new float[n];
            for (int i = 0; i < n; i++) shifted[i] = s[i] * 3 + 100;
            assertEquals(v, auc(shifted, y), 0, "trial " + trial);
        }
    }

    @Test
    void twoSoftmaxColumnsAreScoredByColumnOne() {
        float[] p1 = {0.1f, 0.4f, 0.35f, 0.8f};
        float[] out = new float[8], tgt = new float[8];
        float[] y = {0, 0, 1, 1};
        for (int i = 0; i < 4; i++) {
            out[2 * i] = 1 - p1[i];
            out[2 * i + 1] = p1[i];
            tgt[2 * i] = 1 - y[i];
            tgt[2 * i + 1] = y[i];
        }
        assertEquals(auc(p1, y), Metrics.auc(Tensor.wrap(4, 2, out), Tensor.wrap(4, 2, tgt)), 0);
        assertEquals(0.75, Metric.auc().value(Tensor.wrap(4, 2, out), Tensor.wrap(4, 2, tgt)), 0);
    }

    /** Against numpy's average ranks (script below): 5000 rows whose scores take 1309 values, so many tie. */
    @Test
    void aLargerCaseMatchesAnIndependentReference() {
        int n = 5000;
        float[] s = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) {
            int label = (int) ((i * 104729L) % 13) < 5 ? 1 : 0;
            s[i] = (float) ((i * 7919L) % 1009 + 300L * label) / 1309f;
            y[i] = label;
        }
        assertEquals(0.7533656847217823, auc(s, y), 1e-15);
        // as logits: centred and scaled, negative for half the rows; the same order, the same value
        float[] z = new float[n];
        for (int i = 0; i < n; i++) z[i] = (s[i] - 0.5f) * 40f;
        assertEquals(0.7533656847217823, auc(z, y), 1e-15);
    }

    @Test
    void aNaNScoreNeverCountsInItsFavour() {
        // a NaN positive: its pair with the negative counts 0; (0.8, 0.2) counts 1: 1 of 2
        assertEquals(0.5, auc(new float[] {Float.NaN, 0.2f, 0.8f}, new float[] {1, 0, 1}), 0);
        // a NaN negative: its pair with the positive counts 0; (0.3, 0.1) counts 1: 1 of 2
        assertEquals(0.5, auc(new float[] {0.3f, Float.NaN, 0.1f}, new float[] {1, 0, 0}), 0);
        // all NaN: no pair counts (finite, not NaN, as accuracy of all-NaN outputs is 0)
        assertEquals(0.0, auc(new float[] {Float.NaN, Float.NaN}, new float[] {1, 0}), 0);
        // without the NaN rows the perfect ranking would have scored 1.0
        assertTrue(auc(new float[] {0.9f, Float.NaN, 0.1f}, new float[] {1, 1, 0}) < 1);
    }

    @Test
    void oneClassIsRefusedAsUndefined() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> auc(new float[] {0.2f, 0.9f, 0.4f}, new float[] {0, 0, 0}));
        assertTrue(e.getMessage().startsWith("ROC AUC is undefined: all 3 target rows are class 0 (no positive"), e.getMessage());
        assertTrue(e.getMessage().contains("both classes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> auc(new float[] {0.2f, 0.9f}, new float[] {1, 1}));
        assertTrue(e.getMessage().startsWith("ROC AUC is undefined: all 2 target rows are class 1 (no negative"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metrics.auc(Tensor.wrap(2, 2, new float[] {0.5f, 0.5f, 0.1f, 0.9f}),
                Tensor.wrap(2, 2, new float[] {0, 1, 0, 1})));
        assertTrue(e.getMessage().contains("class 1 (no negative"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metric.auc().requireTargets(col(0, 0)));
        assertTrue(e.getMessage().contains("class 0 (no positive"), e.getMessage());
    }

    @Test
    void targetsThatAreNotHardLabelsAreRefusedNamingRowAndValue() {
        float[] s = {0.1f, 0.2f, 0.3f, 0.4f};
        for (float bad : new float[] {0.5f, 0.8f, 2f, -1f, Float.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> auc(s, new float[] {0, 1, bad, 1}), "" + bad);
            assertTrue(e.getMessage().startsWith("target of row 2 is " + bad + "; metric 'auc' reads 0/1 labels"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.auc(Tensor.wrap(2, 2, new float[] {0.5f, 0.5f, 0.1f, 0.9f}),
                        Tensor.wrap(2, 2, new float[] {1, 0, 0.3f, 0.7f})));
        assertTrue(e.getMessage().startsWith("target row 1 is [0.3, 0.7]; metric 'auc' with two outputs reads one-hot rows"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metric.auc().requireTargets(col(1, 0, 3)));
        assertTrue(e.getMessage().startsWith("target of row 2 is 3.0"), e.getMessage());
    }

    @Test
    void moreThanTwoColumnsAndBadShapesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.auc(Tensor.wrap(2, 3, new float[] {1, 0, 0, 0, 1, 0}), Tensor.wrap(2, 3, new float[] {1, 0, 0, 0, 1, 0})));
        assertTrue(e.getMessage().contains("has 3 outputs; for 3 classes use Metric.macroF1(), macroRecall() or accuracy()"
                + " (one-vs-rest AUC is not provided)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Metric.auc().requireOutputs(3));
        Metric.auc().requireOutputs(1);
        Metric.auc().requireOutputs(2);
        assertThrows(IllegalArgumentException.class, () -> Metrics.auc(null, col(0, 1)));
        assertThrows(IllegalArgumentException.class, () -> Metrics.auc(col(0.2f, 0.4f), col(0, 1, 0)));
        assertThrows(IllegalArgumentException.class, () -> Metrics.auc(col(0.2f, 0.4f), null));
    }

    @Test
    void theMetricIsNamedAucHigherIsBetterAndReadsClasses() {
        Metric m = Metric.auc();
        assertEquals("auc", m.name());
        assertTrue(m.higherIsBetter());
        assertTrue(m.readsClasses());
        assertEquals("Metric.auc()", m.toString());
        Metric.accuracy().requireTargets(col(0, 0)); // the other metrics need no second class
    }

    /*
     * The reference value of aLargerCaseMatchesAnIndependentReference, computed in float64 with numpy
     * (2.4.6) from average ranks (the Mann-Whitney U); scipy.stats.rankdata and mannwhitneyu agree to
     * the last digit:
     *
     * import numpy as np
     * n = 5000
     * i = np.arange(n, dtype=np.int64)
     * label = ((i * 104729) % 13 < 5).astype(np.int64)
     * a = (i * 7919) % 1009 + 300 * label                  # ints in [0, 1309): many ties
     * score = a.astype(np.float32) / np.float32(1309)       # the float the test computes
     * order = np.argsort(score, kind="stable")
     * s = score[order]
     * ranks = np.empty(n, dtype=np.float64)
     * starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
     * ends = np.r_[starts[1:], n]
     * for b, e in zip(starts, ends):
     *     ranks[order[b:e]] = (b + 1 + e) / 2.0               # 1-based positions b+1..e share their mean
     * P = label.sum(); N = n - P                             # 1925, 3075
     * print(repr((ranks[label == 1].sum() - P * (P + 1) / 2.0) / (P * N)))   # 0.7533656847217823
     */
}
