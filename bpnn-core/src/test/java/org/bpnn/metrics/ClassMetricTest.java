package org.bpnn.metrics;

import static org.bpnn.metrics.TargetDecodingTest.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link Metric#precision(int)}, {@link Metric#recall(int)}, {@link Metric#f1(int)}: one class's figures,
 * by the confusion matrix's rules (the threshold of one sigmoid output, 0 for an empty denominator, a
 * NaN row a miss), named for early stopping, and a class the network does not have refused.
 */
class ClassMetricTest {

    @Test
    void oneSigmoidOutputIsThresholdedAtOneHalfAsPredictClasses() {
        // predicted 1 (>= 0.5): rows 0 (+), 1 (-), 3 (+, exactly 0.5); predicted 0: rows 2 (+), 4 (-), 5 (-)
        Tensor o = col(0.9f, 0.7f, 0.2f, 0.5f, 0.1f, 0.4999f), t = col(1, 0, 1, 1, 0, 0);
        assertEquals(2.0 / 3, Metric.precision(1).value(o, t), 1e-15);
        assertEquals(2.0 / 3, Metric.recall(1).value(o, t), 1e-15);
        assertEquals(2.0 / 3, Metric.f1(1).value(o, t), 1e-15);
        // class 0: predicted 0 are rows 2, 4, 5 (two right); of its 3 rows, 4 and 5 found
        assertEquals(2.0 / 3, Metric.precision(0).value(o, t), 1e-15);
        assertEquals(2.0 / 3, Metric.recall(0).value(o, t), 1e-15);
        // a case where P and R differ: predicted 1 are rows 0..3 (two right), all 2 positives found
        o = col(0.9f, 0.6f, 0.7f, 0.8f, 0.1f);
        t = col(1, 0, 0, 1, 0);
        assertEquals(0.5, Metric.precision(1).value(o, t), 0);
        assertEquals(1.0, Metric.recall(1).value(o, t), 0);
        assertEquals(2 * 0.5 / 1.5, Metric.f1(1).value(o, t), 1e-15);
        ConfusionMatrix m = ConfusionMatrix.of(o, t);
        assertEquals(m.precision(1), Metric.precision(1).value(o, t), 0);
        assertEquals(m.recall(0), Metric.recall(0).value(o, t), 0);
        assertEquals(m.f1(0), Metric.f1(0).value(o, t), 0);
    }

    @Test
    void emptyDenominatorsGiveZeroAsInTheConfusionMatrix() {
        // never predicted 1: precision_1 0 (not NaN), recall_1 0, f1_1 0
        Tensor o = col(0.1f, 0.2f, 0.3f), t = col(1, 0, 1);
        assertEquals(0.0, Metric.precision(1).value(o, t), 0);
        assertEquals(0.0, Metric.recall(1).value(o, t), 0);
        assertEquals(0.0, Metric.f1(1).value(o, t), 0);
        // no row of class 1: recall_1 0 although nothing was missed
        o = col(0.9f, 0.2f);
        t = col(0, 0);
        assertEquals(0.0, Metric.recall(1).value(o, t), 0);
        assertEquals(0.0, Metric.precision(1).value(o, t), 0);
    }

    @Test
    void aNaNRowIsAMissAndNobodysPrediction() {
        Tensor o = col(0.9f, Float.NaN, 0.8f), t = col(1, 1, 0);
        assertEquals(0.5, Metric.recall(1).value(o, t), 0);
        assertEquals(0.5, Metric.precision(1).value(o, t), 0);
    }

    @Test
    void softmaxOutputsReadTheArgmax() {
        // classes 0, 1, 2; predicted 2, 2, 1, 0; actual 2, 1, 1, 0
        Tensor o = Tensor.wrap(4, 3, new float[] {0.1f, 0.2f, 0.7f, 0.2f, 0.3f, 0.5f, 0.1f, 0.8f, 0.1f, 0.6f, 0.3f, 0.1f});
        Tensor t = Tensor.wrap(4, 3, new float[] {0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0});
        assertEquals(0.5, Metric.precision(2).value(o, t), 0);
        assertEquals(1.0, Metric.recall(2).value(o, t), 0);
        assertEquals(1.0, Metric.precision(1).value(o, t), 0);
        assertEquals(0.5, Metric.recall(1).value(o, t), 0);
        assertEquals(2.0 / 3, Metric.f1(1).value(o, t), 1e-15);
    }

    @Test
    void aClassTheNetworkDoesNotHaveIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metric.recall(2).requireOutputs(1));
        assertEquals("metric 'recall_2' reads class 2, but the network has 1 output (a sigmoid: classes 0 and 1); pass a"
                + " class in [0, 2)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metric.f1(3).requireOutputs(3));
        assertEquals("metric 'f1_3' reads class 3, but the network has 3 outputs (classes 0 to 2); pass a class in [0, 3)",
                e.getMessage());
        Metric.recall(1).requireOutputs(1);
        Metric.recall(1).requireOutputs(2);
        Metric.precision(0).requireOutputs(1);
        // evaluated directly, the same words
        e = assertThrows(IllegalArgumentException.class, () -> Metric.precision(2).value(col(0.9f), col(1)));
        assertTrue(e.getMessage().startsWith("metric 'precision_2' reads class 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metric.recall(-1));
        assertTrue(e.getMessage().startsWith("recall of class -1: classes are numbered from 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metric.recall(0).requireOutputs(ConfusionMatrix.MAX_CLASSES + 1));
        assertTrue(e.getMessage().contains("a confusion matrix holds at most " + ConfusionMatrix.MAX_CLASSES), e.getMessage());
    }

    @Test
    void namedPerClassHigherIsBetterAndReadingClasses() {
        assertEquals("recall_1", Metric.recall(1).name());
        assertEquals("precision_0", Metric.precision(0).name());
        assertEquals("f1_12", Metric.f1(12).name());
        assertEquals("Metric.recall(1)", Metric.recall(1).toString());
        assertEquals(Metric.recall(1), Metric.recall(1));
        assertTrue(!Metric.recall(1).equals(Metric.precision(1)) && !Metric.recall(1).equals(Metric.recall(0)));
        for (Metric m : new Metric[] {Metric.precision(1), Metric.recall(1), Metric.f1(1)}) {
            assertTrue(m.higherIsBetter(), m.toString());
            assertTrue(m.readsClasses(), m.toString());
        }
    }
}
