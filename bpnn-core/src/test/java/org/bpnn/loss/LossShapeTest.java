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

    /**
     * The fused delta reads target and writes delta as flat arrays too: a target or delta of another
     * shape with as many elements was read or written silently (a (4, 1) target gave the delta of
     * (2, 2) ones), and a smaller delta or gradient tensor ended in an ArrayIndexOutOfBoundsException.
     */
    @Test
    void theFusedDeltaAndTheGradientRefuseTensorsOfAnotherShape() {
        Tensor out = Tensor.of(new float[][] {{0.25f, 0.75f}, {0.5f, 0.5f}});
        Tensor y = Tensor.of(new float[][] {{0f, 1f}, {1f, 0f}});
        Tensor flatY = Tensor.of(new float[][] {{0f}, {1f}, {1f}, {0f}});
        for (Loss loss : new Loss[] {Loss.binaryCrossEntropy(), Loss.categoricalCrossEntropy()}) {
            String m = assertThrows(IllegalArgumentException.class, () -> loss.fusedDelta(out, flatY, Tensor.zeros(2, 2)),
                    loss.toString()).getMessage();
            assertEquals("target has shape (4, 1), expected (2, 2)", m);
            m = assertThrows(IllegalArgumentException.class, () -> loss.fusedDelta(out, y, Tensor.zeros(4, 1)),
                    loss.toString()).getMessage();
            assertEquals("delta has shape (4, 1), expected (2, 2)", m);
            assertThrows(IllegalArgumentException.class, () -> loss.fusedDelta(out, y, Tensor.zeros(1, 2)), loss.toString());
            assertThrows(IllegalArgumentException.class, () -> loss.fusedDelta(null, y, Tensor.zeros(2, 2)), loss.toString());
        }
        for (Loss loss : new Loss[] {Loss.mse(), Loss.mae(), Loss.huber(1), Loss.binaryCrossEntropy(),
                Loss.binaryCrossEntropyFromLogits(), Loss.categoricalCrossEntropy(), Loss.categoricalCrossEntropyFromLogits()}) {
            String m = assertThrows(IllegalArgumentException.class, () -> loss.gradient(out, y, Tensor.zeros(1, 4)),
                    loss.toString()).getMessage();
            assertEquals("grad has shape (1, 4), expected (2, 2)", m);
            assertThrows(IllegalArgumentException.class, () -> loss.gradient(out, y, Tensor.zeros(1, 2)), loss.toString());
            assertThrows(IllegalArgumentException.class, () -> loss.gradient(out, y, null), loss.toString());
        }
        // the right shapes still work
        Tensor d = Tensor.zeros(2, 2);
        Loss.categoricalCrossEntropy().fusedDelta(out, y, d);
        assertEquals(0.125f, d.get(0, 0));
    }

    /** The fused cost reads z[L], a[L] and the target as flat arrays of one layout: the two fused forms refuse alike. */
    @Test
    void theFusedCostRefusesTensorsOfAnotherShape() {
        Tensor z = Tensor.of(new float[][] {{-1f, 1f}, {0f, 0f}});
        Tensor out = Tensor.of(new float[][] {{0.25f, 0.75f}, {0.5f, 0.5f}});
        Tensor y = Tensor.of(new float[][] {{0f, 1f}, {1f, 0f}});
        Tensor flat = Tensor.of(new float[][] {{0f}, {1f}, {1f}, {0f}});
        for (Loss loss : new Loss[] {Loss.binaryCrossEntropy(), Loss.categoricalCrossEntropy()}) {
            assertEquals("target has shape (4, 1), expected (2, 2)", assertThrows(IllegalArgumentException.class,
                    () -> loss.fusedValue(z, out, flat, null), loss.toString()).getMessage());
            assertEquals("preActivation has shape (4, 1), expected (2, 2)", assertThrows(IllegalArgumentException.class,
                    () -> loss.fusedValue(flat, out, y, null), loss.toString()).getMessage());
            assertThrows(IllegalArgumentException.class, () -> loss.fusedValue(null, out, y, null), loss.toString());
            assertThrows(IllegalArgumentException.class, () -> loss.fusedValue(z, null, y, null), loss.toString());
        }
    }
}
