package org.bpnn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** A target of another shape is refused, not read as a flat array of the same length. */
class LossShapeTest {
    @Test
    void aTargetOfAnotherShapeIsRefused() {
        Tensor out = Tensor.of(new float[][] {{0.5f, 0.5f}, {0.5f, 0.5f}});
        Tensor y = Tensor.of(new float[][] {{1f}, {0f}, {0f}, {1f}}); // (4, 1): was scored as (2, 2), mse 0.25
        for (Loss loss : new Loss[] {Loss.mse(), Loss.mae(), Loss.huber(1), Loss.binaryCrossEntropy(),
                Loss.binaryCrossEntropyFromLogits(), Loss.categoricalCrossEntropy(), Loss.categoricalCrossEntropyFromLogits()}) {
            String m = assertThrows(IllegalArgumentException.class, () -> loss.value(out, y), loss.toString()).getMessage();
            assertEquals("target has shape (4, 1), expected (2, 2)", m);
            assertThrows(IllegalArgumentException.class, () -> loss.gradient(out, y, Tensor.zeros(2, 2)), loss.toString());
            assertThrows(IllegalArgumentException.class, () -> loss.value(null, y), loss.toString());
        }
    }
}
