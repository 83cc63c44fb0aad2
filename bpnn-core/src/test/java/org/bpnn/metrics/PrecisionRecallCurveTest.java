package org.bpnn.metrics;

import static org.bpnn.metrics.TargetDecodingTest.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Metrics.precisionRecallCurve and its pickers: scikit-learn's points, and thresholds that class exactly
 * the rows of the picked point through Network.classesOf / predictClasses (sigmoid and logits models).
 */
class PrecisionRecallCurveTest {
    private static Network sigmoidNet() {
        return Network.builder(1).dense(1, Activation.sigmoid()).loss(Loss.binaryCrossEntropy())
                .backend(ScalarBackend.INSTANCE).build();
    }

    @Test
    void pointsAreScikitLearnsFromTheHighestThresholdDown() {
        // sklearn: precision_recall_curve([1,0,1,0,1], [.9,.8,.8,.4,.2]) gives thresholds [.2,.4,.8,.9],
        // precision [.6,.5,.667,1,1], recall [1,.667,.667,.333,0]: reversed here, without the final (1, 0)
        PrecisionRecallCurve c = Metrics.precisionRecallCurve(col(0.9f, 0.8f, 0.8f, 0.4f, 0.2f), col(1, 0, 1, 0, 1));
        assertArrayEquals(new float[] {0.9f, 0.8f, 0.4f, 0.2f}, c.thresholds());
        double[] p = new double[c.size()], r = new double[c.size()];
        for (int i = 0; i < c.size(); i++) {
            p[i] = c.precision(i);
            r[i] = c.recall(i);
        }
        assertArrayEquals(new double[] {1, 2 / 3.0, 0.5, 0.6}, p, 1e-15);
        assertArrayEquals(new double[] {1 / 3.0, 2 / 3.0, 2 / 3.0, 1}, r, 1e-15);
        assertEquals(0.6f, c.thresholdForRecall(0.5), "the point at 0.8, halfway to 0.4");
        assertEquals(0.85f, c.thresholdForRecall(0.2), "halfway between 0.9 and 0.8");
        assertEquals(0.1f, c.thresholdForPrecision(0.6), "recall 1 at precision 0.6, halfway from 0.2 to 0");
        assertEquals(0.6f, c.thresholdForPrecision(0.65), "recall 2/3 at precision 2/3, not 0.4's 0.5");
        // F1: 0.5, 0.667, 0.571, 0.75
        assertEquals(0.1f, c.bestF1());
        // the same on a softmax layout, scored by column 1
        Tensor two = Tensor.of(new float[][] {{0.1f, 0.9f}, {0.2f, 0.8f}, {0.2f, 0.8f}, {0.6f, 0.4f}, {0.8f, 0.2f}});
        Tensor oneHot = Tensor.of(new float[][] {{0, 1}, {1, 0}, {0, 1}, {1, 0}, {0, 1}});
        assertArrayEquals(c.thresholds(), Metrics.precisionRecallCurve(two, oneHot).thresholds());
    }

    @Test
    void bestF1TiesGoToTheHigherThreshold() {
        // point 0: tp 1, fp 0, fn 1: F1 2/3; point 1: tp 2, fp 2: F1 4/6
        PrecisionRecallCurve c = Metrics.precisionRecallCurve(col(0.9f, 0.5f, 0.5f, 0.5f, 0.1f), col(1, 1, 0, 0, 0));
        assertEquals(c.f1(0), c.f1(1));
        assertEquals(0.7f, c.bestF1());
    }

    /** Random scores on a coarse grid (many ties, 0 and 1 among them) and 0/1 labels of random balance. */
    @Test
    void pickedThresholdsClassExactlyThePointsRowsOnASigmoidOutput() {
        Network net = sigmoidNet();
        Random rnd = new Random(134);
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + rnd.nextInt(60);
            float[] s = new float[n], y = new float[n];
            for (int i = 0; i < n; i++) {
                s[i] = rnd.nextBoolean() ? rnd.nextInt(17) / 16f : rnd.nextFloat();
                y[i] = rnd.nextDouble() < 0.3 ? 1 : 0;
            }
            y[0] = 1;
            y[1] = 0;
            Tensor out = col(s), tgt = col(y);
            PrecisionRecallCurve c = Metrics.precisionRecallCurve(out, tgt);
            int[] actual = Metrics.targetClasses(tgt);
            double area = 0, before = 0;
            for (int i = 0; i < c.size(); i++) {
                assertTrue(i == 0 || c.threshold(i) < c.threshold(i - 1), "distinct, descending");
                area += (c.recall(i) - before) * c.precision(i);
                before = c.recall(i);
                long tp = 0, fp = 0;
                for (int j = 0; j < n; j++) {
                    if (s[j] >= c.threshold(i)) { // scikit-learn's rule, at the score itself
                        if (actual[j] == 1) tp++; else fp++;
                    }
                }
                assertEquals(tp, c.truePositives(i), "trial " + trial + " point " + i);
                assertEquals(fp, c.falsePositives(i), "trial " + trial + " point " + i);
                if (c.threshold(i) == 0f) continue; // every row class 1: no threshold in (0, 1) does that
                ConfusionMatrix m = ConfusionMatrix.of(actual, net.classesOf(out, c.operatingThreshold(i)), 2);
                assertEquals(c.precision(i), m.precision(1), "trial " + trial + " point " + i);
                assertEquals(c.recall(i), m.recall(1), "trial " + trial + " point " + i);
            }
            assertEquals(Metrics.averagePrecision(out, tgt), area, 1e-12, "trial " + trial);
            double minRecall = rnd.nextDouble();
            if (c.threshold(firstWithRecall(c, minRecall)) == 0f) {
                assertThrows(IllegalArgumentException.class, () -> c.thresholdForRecall(minRecall), "trial " + trial);
            } else {
                checkPicked(c, net.classesOf(out, c.thresholdForRecall(minRecall)), actual, firstWithRecall(c, minRecall));
            }
            int best = 0;
            for (int i = 1; i < c.size(); i++) {
                if (c.f1(i) > c.f1(best)) best = i;
            }
            if (c.threshold(best) > 0f) {
                ConfusionMatrix m = ConfusionMatrix.of(actual, net.classesOf(out, c.bestF1()), 2);
                assertEquals(c.f1(best), m.f1(1), 1e-15, "trial " + trial);
            }
        }
    }

    private static int firstWithRecall(PrecisionRecallCurve c, double minRecall) {
        for (int i = 0; i < c.size(); i++) {
            if (c.recall(i) >= minRecall) return i;
        }
        throw new AssertionError();
    }

    private static void checkPicked(PrecisionRecallCurve c, int[] predicted, int[] actual, int point) {
        ConfusionMatrix m = ConfusionMatrix.of(actual, predicted, 2);
        assertEquals(c.truePositives(point), m.count(1, 1));
        assertEquals(c.falsePositives(point), m.count(0, 1));
    }

    /**
     * A logits model: the curve is on its probabilities (predictProbabilities, as the trainer's metrics),
     * and predictClasses(x, t), which compares the same float probability with t, classes exactly each
     * point's rows at the picked threshold, and at the point's score itself (which flipped rows within
     * rounding while predictClasses compared the logit with t's logit). Duplicated rows make ties.
     */
    @Test
    void pickedThresholdsClassExactlyThePointsRowsOnALogitsModel() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 40; trial++) {
            Network net = Network.builder(3).dense(4, Activation.tanh()).dense(1, Activation.identity())
                    .loss(Loss.binaryCrossEntropyFromLogits()).seed(trial).backend(ScalarBackend.INSTANCE).build();
            int n = 200;
            float[] x = new float[n * 3], y = new float[n];
            for (int i = 0; i < n; i++) {
                int from = i > 10 && rnd.nextInt(4) == 0 ? rnd.nextInt(i) : i; // a quarter repeat an earlier row
                for (int j = 0; j < 3; j++) {
                    x[i * 3 + j] = from == i ? (float) rnd.nextGaussian() * 2 : x[from * 3 + j];
                }
                y[i] = rnd.nextDouble() < 0.5 ? 1 : 0;
            }
            y[0] = 1;
            y[1] = 0;
            Tensor xs = Tensor.wrap(n, 3, x), tgt = col(y);
            PrecisionRecallCurve c = Metrics.precisionRecallCurve(net.predictProbabilities(xs), tgt);
            assertTrue(c.size() < n, "ties");
            int[] actual = Metrics.targetClasses(tgt);
            for (int i = 0; i < c.size(); i++) {
                checkPicked(c, net.predictClasses(xs, c.operatingThreshold(i)), actual, i);
                if (c.threshold(i) > 0f && c.threshold(i) < 1f) {
                    checkPicked(c, net.predictClasses(xs, c.threshold(i)), actual, i);
                }
            }
            checkPicked(c, net.predictClasses(xs, c.thresholdForRecall(0.8)), actual, firstWithRecall(c, 0.8));
            // the README's call ("Saving and serving"), on a validation Dataset
            Dataset val = new Dataset(xs, tgt);
            PrecisionRecallCurve readme = Metrics.precisionRecallCurve(net.predictProbabilities(val.features()), val.targets());
            assertEquals(c.bestF1(), readme.bestF1());
        }
    }

    @Test
    void aNaNScoreIsInNoPointsFavour() {
        // a NaN negative is a false positive at every point, a NaN positive never recalled (as averagePrecision)
        Tensor out = col(0.9f, Float.NaN, 0.3f, Float.NaN), tgt = col(1, 0, 0, 1);
        PrecisionRecallCurve c = Metrics.precisionRecallCurve(out, tgt);
        assertArrayEquals(new float[] {0.9f, 0.3f}, c.thresholds());
        assertEquals(1, c.falsePositives(0));
        assertEquals(2, c.falsePositives(1));
        assertEquals(0.5, c.precision(0));
        assertEquals(0.5, c.recall(1));
        assertEquals(Metrics.averagePrecision(out, tgt), c.recall(0) * c.precision(0));
    }

    @Test
    void impossibleRequestsAreRefusedWithAMessage() {
        PrecisionRecallCurve c = Metrics.precisionRecallCurve(col(0.9f, 0.8f, 0.3f), col(0, 1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.thresholdForPrecision(1.0));
        assertTrue(e.getMessage().startsWith("no threshold reaches precision 1.0: the highest on the curve is 0.6666666666666666"),
                e.getMessage());
        for (double bad : new double[] {-0.1, 1.5, Double.NaN}) {
            e = assertThrows(IllegalArgumentException.class, () -> c.thresholdForRecall(bad));
            assertTrue(e.getMessage().startsWith("minRecall is " + bad + "; expected a fraction in [0, 1]"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> c.thresholdForPrecision(bad));
        }
        // a NaN positive is never recalled
        PrecisionRecallCurve nan = Metrics.precisionRecallCurve(col(0.9f, Float.NaN, 0.3f), col(1, 1, 0));
        e = assertThrows(IllegalArgumentException.class, () -> nan.thresholdForRecall(1.0));
        assertTrue(e.getMessage().contains("below 1 because 1 positive rows scored NaN"), e.getMessage());
        assertEquals(0.6f, nan.thresholdForRecall(0.5));
        // recall 1 only when every row, at score 0, is class 1: no threshold in (0, 1) does that
        PrecisionRecallCurve zero = Metrics.precisionRecallCurve(col(0.7f, 0f), col(0, 1));
        e = assertThrows(IllegalArgumentException.class, () -> zero.thresholdForRecall(1.0));
        assertTrue(e.getMessage().contains("has no threshold strictly between 0 and 1"), e.getMessage());
        // a saturated score of 1 gets a threshold below it
        PrecisionRecallCurve one = Metrics.precisionRecallCurve(col(1f, 1f, 0.3f), col(1, 1, 0));
        assertEquals(0.65f, one.bestF1());
        // layouts and labels as averagePrecision
        e = assertThrows(IllegalArgumentException.class, () -> Metrics.precisionRecallCurve(Tensor.zeros(2, 3), Tensor.zeros(2, 3)));
        // the curve is no metric: its messages name the method, not "metric 'precision_recall_curve'"
        assertTrue(e.getMessage().startsWith("Metrics.precisionRecallCurve is the precision-recall curve of a binary"
                + " classifier"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metrics.precisionRecallCurve(col(0.1f, 0.2f), col(1, 1)));
        assertTrue(e.getMessage().startsWith("precision-recall curve is undefined: all 2 target rows are class 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metrics.precisionRecallCurve(col(0.1f, 0.2f), col(1, 0.7f)));
        assertTrue(e.getMessage().startsWith("target of row 1 is 0.7; Metrics.precisionRecallCurve reads 0/1 labels"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metrics.precisionRecallCurve(Tensor.zeros(1, 2),
                Tensor.wrap(1, 2, new float[] {0.5f, 0.5f})));
        assertTrue(e.getMessage().startsWith("target row 0 is [0.5, 0.5]; Metrics.precisionRecallCurve with two outputs"),
                e.getMessage());
        PrecisionRecallCurve none = Metrics.precisionRecallCurve(col(Float.NaN, Float.NaN), col(1, 0));
        assertEquals(0, none.size());
        assertThrows(IllegalArgumentException.class, none::bestF1);
    }
}
