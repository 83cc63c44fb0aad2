package org.bpnn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The three binary ranking paths, {@link Metrics#auc}, {@link Metrics#averagePrecision} and
 * {@link Metrics#precisionRecallCurve}, agree on what a tie and a NaN are: on random scores with many
 * ties, -0 and +0, infinities, negative values (logits) and NaNs, in both layouts, the curve's counts
 * are the definition's (score &gt;= threshold with -0 == +0; a NaN negative a false positive at every
 * point, a NaN positive never recalled), average precision is the sum over the curve's points, and AUC
 * is the trapezoidal area under the ROC curve of the same counts (which is the average-rank rule),
 * exactly.
 */
class BinaryRankingAgreementTest {

    private static final float[] SPECIAL = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f, -3.5f};

    @Test
    void aucAveragePrecisionAndTheCurveAgreeOnTiesSignedZerosAndNaNs() {
        Random rnd = new Random(138);
        for (int trial = 0; trial < 500; trial++) {
            int n = 2 + rnd.nextInt(40);
            float[] s = new float[n];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                int kind = rnd.nextInt(4);
                s[i] = kind == 0 ? SPECIAL[rnd.nextInt(SPECIAL.length)] : kind == 1 ? rnd.nextInt(5) / 4f - 0.5f : rnd.nextFloat();
                y[i] = rnd.nextDouble() < 0.4 ? 1 : 0;
            }
            y[0] = 1;
            y[1] = 0;
            boolean twoColumns = rnd.nextBoolean();
            float[] o = new float[twoColumns ? 2 * n : n], t = new float[twoColumns ? 2 * n : n];
            for (int i = 0; i < n; i++) {
                if (twoColumns) {
                    o[2 * i] = rnd.nextFloat(); // column 0 is not read
                    o[2 * i + 1] = s[i];
                    t[2 * i + y[i]] = 1;
                } else {
                    o[i] = s[i];
                    t[i] = y[i];
                }
            }
            int k = twoColumns ? 2 : 1;
            Tensor out = Tensor.wrap(n, k, o), tgt = Tensor.wrap(n, k, t);
            String at = "trial " + trial;

            long positives = 0, negatives = 0, nanNegatives = 0;
            for (int i = 0; i < n; i++) {
                if (y[i] == 1) positives++; else negatives++;
                if (y[i] == 0 && s[i] != s[i]) nanNegatives++;
            }
            PrecisionRecallCurve c = Metrics.precisionRecallCurve(out, tgt);
            assertEquals(positives, c.positives(), at);

            // the ROC curve starts above every score, where only the NaN negatives are called class 1
            long twiceU = 0, tpBefore = 0, fpBefore = nanNegatives;
            double ap = 0;
            for (int i = 0; i < c.size(); i++) {
                float th = c.threshold(i);
                assertTrue(th == th, at);
                assertTrue(th != 0f || Float.floatToIntBits(th) == 0, at + ": -0 and +0 are one point, of threshold +0");
                assertTrue(i == 0 || th < c.threshold(i - 1), at + ": distinct, descending");
                long tp = 0, fp = 0;
                for (int j = 0; j < n; j++) {
                    boolean called = s[j] != s[j] ? y[j] == 0 : s[j] >= th; // -0 >= +0: one threshold
                    if (called) {
                        if (y[j] == 1) tp++; else fp++;
                    }
                }
                assertEquals(tp, c.truePositives(i), at + " point " + i);
                assertEquals(fp, c.falsePositives(i), at + " point " + i);
                ap += (double) (tp - tpBefore) / positives * c.precision(i);
                // ROC trapezoid in counts: 2 x area = (fp_i - fp_{i-1}) (tp_i + tp_{i-1})
                twiceU += (fp - fpBefore) * (tp + tpBefore);
                tpBefore = tp;
                fpBefore = fp;
            }
            assertEquals(negatives, fpBefore, at + ": every negative is called at the lowest point");
            assertEquals(twiceU / (2.0 * positives * negatives), Metrics.auc(out, tgt), 0, at);
            assertEquals(ap, Metrics.averagePrecision(out, tgt), 1e-12, at);
            assertEquals(pairwise(s, y) / ((double) positives * negatives), Metrics.auc(out, tgt), 0, at);
        }
    }

    /** AUC's definition pair by pair, with 2 for a win and 1 for a tie; a pair with a NaN counts 0. */
    private static double pairwise(float[] s, int[] y) {
        long twice = 0;
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < s.length; j++) {
                if (y[i] == 1 && y[j] == 0) {
                    if (s[i] > s[j]) twice += 2;
                    else if (s[i] == s[j]) twice += 1;
                }
            }
        }
        return twice / 2.0;
    }
}
