package org.bpnn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.data.OneHot;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MetricsTest {
    // class 2 has samples but is never predicted; class 3 has neither samples nor predictions
    static final int[] ACTUAL = {0, 0, 0, 1, 1, 2, 2, 2, 2, 0};
    static final int[] PREDICTED = {0, 1, 0, 1, 0, 1, 1, 0, 1, 0};

    @Test
    void confusionMatrixAgainstHandCounts() {
        ConfusionMatrix cm = ConfusionMatrix.of(ACTUAL, PREDICTED, 4);
        long[][] expected = {{3, 1, 0, 0}, {1, 1, 0, 0}, {1, 3, 0, 0}, {0, 0, 0, 0}};
        for (int a = 0; a < 4; a++) {
            for (int p = 0; p < 4; p++) assertEquals(expected[a][p], cm.count(a, p), "counts[" + a + "][" + p + "]");
        }
        assertEquals(10, cm.total());
        assertEquals(0.4, cm.accuracy(), 1e-12);
        assertEquals(0.6, cm.precision(0), 1e-12);
        assertEquals(0.2, cm.precision(1), 1e-12);
        assertEquals(0.0, cm.precision(2), 0, "no predictions: precision 0, not NaN");
        assertEquals(0.0, cm.precision(3), 0);
        assertEquals(0.75, cm.recall(0), 1e-12);
        assertEquals(0.5, cm.recall(1), 1e-12);
        assertEquals(0.0, cm.recall(2), 0);
        assertEquals(0.0, cm.recall(3), 0, "no samples: recall 0, not NaN");
        assertEquals(2 * 0.6 * 0.75 / 1.35, cm.f1(0), 1e-12);
        assertEquals(2 * 0.2 * 0.5 / 0.7, cm.f1(1), 1e-12);
        assertEquals(0.0, cm.f1(2), 0);
        // macro averages include every class
        assertEquals(0.8 / 4, cm.macroPrecision(), 1e-12);
        assertEquals(1.25 / 4, cm.macroRecall(), 1e-12);
        assertEquals((2 * 0.6 * 0.75 / 1.35 + 2 * 0.2 * 0.5 / 0.7) / 4, cm.macroF1(), 1e-12);
    }

    @Test
    void confusionMatrixFromTensorsAndRendering() {
        Tensor out = Tensor.of(new float[][] {{0.9f, 0.1f, 0f}, {0.2f, 0.7f, 0.1f}, {0.6f, 0.3f, 0.1f}});
        Tensor y = OneHot.encode(new int[] {0, 1, 2}, 3);
        ConfusionMatrix cm = ConfusionMatrix.of(out, y).withClassNames("cat", "dog", "hamster");
        assertEquals(1, cm.count(2, 0));
        String text = cm.toString();
        String[] lines = text.split("\n");
        assertEquals("actual \\ predicted      cat      dog  hamster", lines[0]);
        assertEquals("               cat        1        0        0", lines[1]);
        assertEquals("           hamster        1        0        0", lines[3]);
        assertTrue(text.contains("macro avg"), text);
        // every matrix line has the same width
        assertEquals(lines[0].length(), lines[2].length());
    }

    @Test
    void macroMetricsForTheTrainer() {
        // rows 0, 1: class 0 predicted 0 and 1; row 2: class 1 predicted 1; precision (1 + 0.5) / 2, recall (0.5 + 1) / 2
        Tensor out = Tensor.of(new float[][] {{0.9f, 0.1f}, {0.2f, 0.8f}, {0.3f, 0.7f}});
        Tensor y = OneHot.encode(new int[] {0, 0, 1}, 2);
        assertEquals(0.75, Metric.macroPrecision().value(out, y), 1e-12);
        assertEquals(0.75, Metric.macroRecall().value(out, y), 1e-12);
        assertEquals("macro_precision", Metric.macroPrecision().name());
        assertEquals("macro_recall", Metric.macroRecall().name());
        assertTrue(Metric.macroPrecision().higherIsBetter() && Metric.macroRecall().higherIsBetter());
        assertEquals("Metric.macroRecall()", Metric.macroRecall().toString());
    }

    @Test
    void binaryConfusionMatrixThresholdsAtHalf() {
        Tensor out = Tensor.of(new float[][] {{0.9f}, {0.4f}, {0.6f}});
        Tensor y = Tensor.of(new float[][] {{1}, {1}, {0}});
        ConfusionMatrix cm = ConfusionMatrix.of(out, y);
        assertEquals(2, cm.classes());
        assertEquals(1, cm.count(1, 1));
        assertEquals(1, cm.count(1, 0));
        assertEquals(1, cm.count(0, 1));
        assertEquals(1.0 / 3, Metrics.accuracy(out, y), 1e-12);
    }

    @Test
    void accuracyAndTopK() {
        Tensor out = Tensor.of(new float[][] {{0.1f, 0.5f, 0.4f}, {0.7f, 0.2f, 0.1f}, {0.2f, 0.3f, 0.5f}, {0.3f, 0.3f, 0.4f}});
        Tensor y = OneHot.encode(new int[] {2, 0, 0, 1}, 3);
        assertEquals(0.25, Metrics.accuracy(out, y), 1e-12);
        assertEquals(0.25, Metrics.topKAccuracy(out, y, 1), 1e-12);
        // row 0: target 2 ranked 2nd; row 2: target 0 ranked 3rd; row 3: target 1 ties with class 0, which the
        // tie-break by index puts first: rank 2, a miss at k=2 (it was a hit when ties counted in its favour)
        assertEquals(0.5, Metrics.topKAccuracy(out, y, 2), 1e-12);
        assertEquals(1.0, Metrics.topKAccuracy(out, y, 3), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Metrics.topKAccuracy(out, y, 4));
        assertEquals("top2_accuracy", Metric.topKAccuracy(2).name());
    }

    /**
     * NaN outputs (a network whose products overflowed to +Inf and -Inf, which the trainer shows as a
     * NaN validation loss) are no hit: nothing compares greater than NaN, so every such row had rank 0
     * and top-k accuracy was 1.0, a perfect score early stopping would keep as the best epoch.
     */
    @Test
    void nanOutputsAreNeverATopKHit() {
        float nan = Float.NaN;
        Tensor t = OneHot.encode(new int[] {2, 0, 1}, 3);
        Tensor allNaN = Tensor.of(new float[][] {{nan, nan, nan}, {nan, nan, nan}, {nan, nan, nan}});
        assertEquals(0.0, Metrics.topKAccuracy(allNaN, t, 1));
        assertEquals(0.0, Metrics.topKAccuracy(allNaN, t, 3));
        // the target's output is finite but others are NaN: they rank above it
        Tensor someNaN = Tensor.of(new float[][] {{nan, nan, 0.2f}, {0.9f, nan, 0.05f}, {0.1f, 0.8f, 0.1f}});
        assertEquals(1.0 / 3, Metrics.topKAccuracy(someNaN, t, 1), 1e-12);
        assertEquals(1.0, Metrics.topKAccuracy(someNaN, t, 3), 1e-12);
    }

    /** Per-class queries name the valid range (they threw a bare ArrayIndexOutOfBoundsException). */
    @Test
    void confusionMatrixRefusesClassesOutsideItsRangeAndNullNames() {
        ConfusionMatrix cm = ConfusionMatrix.of(new int[] {0, 1}, new int[] {0, 0}, 2);
        for (Runnable r : new Runnable[] {() -> cm.precision(2), () -> cm.recall(-1), () -> cm.f1(2), () -> cm.support(2),
                () -> cm.predictedCount(-1), () -> cm.count(0, 2)}) {
            String m = assertThrows(IllegalArgumentException.class, r::run).getMessage();
            assertTrue(m.contains("is outside [0, 2); this matrix has 2 classes"), m);
        }
        // a null name was accepted and made toString throw a NullPointerException
        String m = assertThrows(IllegalArgumentException.class, () -> cm.withClassNames("cat", null)).getMessage();
        assertTrue(m.startsWith("class name 1 is null"), m);
    }

    @Test
    void regressionMetrics() {
        Tensor out = Tensor.of(new float[][] {{1}, {2}, {3}, {4}});
        Tensor y = Tensor.of(new float[][] {{1}, {3}, {2}, {5}});
        assertEquals(0.75, Metrics.mse(out, y), 1e-12);
        assertEquals(Math.sqrt(0.75), Metrics.rmse(out, y), 1e-12);
        assertEquals(0.75, Metrics.mae(out, y), 1e-12);
        assertEquals(1 - 3 / 8.75, Metrics.r2(out, y), 1e-12);
        Tensor constant = Tensor.of(new float[][] {{2}, {2}});
        assertEquals(1.0, Metrics.r2(constant, constant), 0);
        assertEquals(0.0, Metrics.r2(Tensor.of(new float[][] {{1}, {2}}), constant), 0);
        assertEquals(Metrics.mse(out, y), Metric.mse().value(out, y));
        assertEquals("Metric.r2()", Metric.r2().toString());
    }
}
