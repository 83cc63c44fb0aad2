package org.bpnn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A million classes made new long[k][k] (8 TB): an OutOfMemoryError naming neither the class count
 * nor a limit. Beyond {@link ConfusionMatrix#MAX_CLASSES} the count is refused with what to use instead.
 */
class ConfusionMatrixClassLimitTest {
    @Test
    void aMillionClassLabelsAreRefusedWithTheLimit() {
        String m = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.of(new int[] {0}, new int[] {0}, 1_000_000)).getMessage();
        assertTrue(m.startsWith("classes is 1000000; a confusion matrix holds at most 4096 classes"), m);
        assertTrue(m.contains("Metrics.accuracy"), m);
    }

    @Test
    void aMillionOutputColumnsAreRefusedWithTheLimit() {
        Tensor outputs = Tensor.zeros(1, 1_000_000), targets = Tensor.zeros(1, 1_000_000);
        targets.data()[3] = 1;
        String m = assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(outputs, targets)).getMessage();
        assertTrue(m.startsWith("outputs.cols() (the classes) is 1000000; a confusion matrix holds at most 4096"), m);
    }

    @Test
    void theLimitItselfIsAccepted() {
        ConfusionMatrix cm = ConfusionMatrix.of(new int[] {4095}, new int[] {0}, ConfusionMatrix.MAX_CLASSES);
        assertEquals(1, cm.count(4095, 0));
        assertEquals(ConfusionMatrix.MAX_CLASSES, cm.classes());
    }
}
