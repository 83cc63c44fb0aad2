package org.bpnn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.BiConsumer;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Every class metric reads the target classes by one rule, and refuses a row without one class
 * instead of guessing: a class number 2 in one target column read as class 1, an all-zero row (or
 * one with two 1s) as class 0, a negative or NaN value as whatever the argmax made of it, silently.
 */
class TargetDecodingTest {
    private static final List<BiConsumer<Tensor, Tensor>> CLASS_METRICS = List.of(
            (o, t) -> Metrics.accuracy(o, t),
            (o, t) -> Metrics.topKAccuracy(o, t, 1),
            (o, t) -> ConfusionMatrix.of(o, t),
            (o, t) -> Metric.macroF1().value(o, t),
            (o, t) -> Metric.macroPrecision().value(o, t),
            (o, t) -> Metric.macroRecall().value(o, t),
            (o, t) -> Metric.accuracy().value(o, t));

    private static void refusedByAll(Tensor outputs, Tensor targets, String... parts) {
        for (int m = 0; m < CLASS_METRICS.size(); m++) {
            BiConsumer<Tensor, Tensor> f = CLASS_METRICS.get(m);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.accept(outputs, targets),
                    "metric " + m + " on targets " + java.util.Arrays.toString(targets.data()));
            for (String p : parts) assertTrue(e.getMessage().contains(p), "metric " + m + ": " + e.getMessage());
        }
    }

    /** A column of the given values (a copy): scores or targets of a metrics test. */
    static Tensor col(float... v) {
        return Tensor.wrap(v.length, 1, v.clone());
    }

    @Test
    void oneColumnClassNumbersAreRefusedNotReadAsClassOne() {
        // the class number 2 read as class 1: accuracy 1.0 and a 2x2 matrix, silently
        refusedByAll(col(0.9f, 0.1f, 0.8f), col(1, 0, 2), "target of row 2 is 2.0", "OneHot.encode");
        refusedByAll(col(0.9f, 0.1f), col(1, -1), "target of row 1 is -1.0", "[0, 1]");
        refusedByAll(col(0.9f, 0.1f), col(1, Float.NaN), "target of row 1 is NaN");
        refusedByAll(col(0.9f, 0.1f), col(0.5f, 0), "target of row 0 is 0.5, which is neither class");
    }

    @Test
    void oneColumnLabelsAndSoftLabelsStillWork() {
        assertEquals(0.75, Metrics.accuracy(col(0.9f, 0.1f, 0.6f, 0.4f), col(1, 0, 0, 0)), 0);
        // soft labels (label smoothing) with a most likely class, as binary cross-entropy accepts them
        assertEquals(1.0, Metrics.accuracy(col(0.9f, 0.1f), col(0.95f, 0.05f)), 0);
        ConfusionMatrix cm = ConfusionMatrix.of(col(0.9f, 0.1f, 0.6f), col(0.9f, 0.1f, 0.1f));
        assertEquals(1, cm.count(1, 1));
        assertEquals(1, cm.count(0, 0));
        assertEquals(1, cm.count(0, 1));
    }

    @Test
    void rowsWithoutOneClassAreRefusedNamingTheRow() {
        Tensor out = Tensor.wrap(2, 3, new float[] {0.8f, 0.1f, 0.1f, 0.7f, 0.2f, 0.1f});
        // all zeros: read as class 0, so a prediction of class 0 scored
        refusedByAll(out, Tensor.wrap(2, 3, new float[] {1, 0, 0, 0, 0, 0}), "target row 1 has no single class",
                "(the row is all zeros)", "OneHot.encode");
        refusedByAll(out, Tensor.wrap(2, 3, new float[] {1, 0, 0, 1, 1, 0}), "target row 1 has no single class",
                "columns 0 and 1");
        refusedByAll(out, Tensor.wrap(2, 3, new float[] {1, 0, 0, 0, -1, 0}), "target 1 of row 1 is -1.0");
        refusedByAll(out, Tensor.wrap(2, 3, new float[] {1, 0, 0, 0, 2, 0}), "target 1 of row 1 is 2.0");
        refusedByAll(out, Tensor.wrap(2, 3, new float[] {1, 0, 0, Float.NaN, 1, 0}), "target 0 of row 1 is NaN");
        refusedByAll(out, Tensor.wrap(2, 3, new float[] {1, 0, 0, 0.5f, 0.5f, 0}), "columns 0 and 1");
    }

    @Test
    void oneHotAndSoftRowsAgreeAcrossMetrics() {
        Tensor out = Tensor.wrap(3, 3, new float[] {0.8f, 0.1f, 0.1f, 0.2f, 0.7f, 0.1f, 0.5f, 0.1f, 0.4f});
        Tensor soft = Tensor.wrap(3, 3, new float[] {0.9f, 0.05f, 0.05f, 0.05f, 0.9f, 0.05f, 0.1f, 0.3f, 0.6f});
        assertEquals(2.0 / 3, Metrics.accuracy(out, soft), 1e-12);
        assertEquals(2.0 / 3, Metrics.topKAccuracy(out, soft, 1), 1e-12);
        assertEquals(2.0 / 3, ConfusionMatrix.of(out, soft).accuracy(), 1e-12);
        assertEquals(1.0, Metrics.topKAccuracy(out, soft, 2), 1e-12);
    }

    @Test
    void requireClassTargetsNamesTheFirstBadRow() {
        Metrics.requireClassTargets(Tensor.wrap(2, 2, new float[] {1, 0, 0, 1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.requireClassTargets(Tensor.wrap(3, 2, new float[] {1, 0, 0, 1, 0, 0})));
        assertTrue(e.getMessage().startsWith("target row 2 has no single class"), e.getMessage());
    }

    /**
     * One column of class indices beside k softmax outputs (CsvReader's categorical() without oneHot(true))
     * is named as such, with the two ways out; it was only "targets has shape (3, 1), expected (3, 3)".
     */
    @Test
    void classIndicesBesideSeveralOutputsAreNamedWithTheRemedy() {
        Tensor outputs = Tensor.wrap(3, 3, new float[] {0.8f, 0.1f, 0.1f, 0.1f, 0.8f, 0.1f, 0.1f, 0.1f, 0.8f});
        refusedByAll(outputs, col(0, 1, 2), "targets has shape (3, 1), expected (3, 3)", "class indices",
                "OneHot.encode(labels, 3)", "oneHot(true)", "ConfusionMatrix.of(actual, predicted, 3)");
        Tensor two = Tensor.wrap(2, 2, new float[] {0.8f, 0.2f, 0.3f, 0.7f});
        for (BiConsumer<Tensor, Tensor> f : List.<BiConsumer<Tensor, Tensor>>of(Metrics::auc, Metrics::averagePrecision,
                Metrics::precisionRecallCurve)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.accept(two, col(0, 1)));
            assertTrue(e.getMessage().contains("OneHot.encode(labels, 2)"), e.getMessage());
        }
    }
}
