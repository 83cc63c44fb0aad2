package org.bpnn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What every loss refuses: a non-finite target (a range check alone lets NaN through: it compares false),
 * a target outside a cross-entropy's [0, 1], a bad sample weight or a target of another shape in the
 * weighted cost, and a fused delta from a loss that does not fuse.
 */
class LossArgumentChecksTest {
    private static final Loss[] ALL = {Loss.mse(), Loss.mae(), Loss.huber(1), Loss.binaryCrossEntropy(),
            Loss.binaryCrossEntropyFromLogits(), Loss.categoricalCrossEntropy(), Loss.categoricalCrossEntropyFromLogits(),
            new HalfSquare()};

    /** A custom loss 0.5 (a - y)^2 written against the interface's defaults. */
    private static final class HalfSquare implements Loss {
        @Override public String name() { return "half_square"; }
        @Override public double value(Tensor output, Tensor target) {
            double s = 0;
            for (int i = 0; i < output.size(); i++) {
                double r = output.data()[i] - target.data()[i];
                s += 0.5 * r * r;
            }
            return s / output.rows();
        }
        @Override public void gradient(Tensor output, Tensor target, Tensor grad) {
            for (int i = 0; i < output.size(); i++) {
                grad.data()[i] = (output.data()[i] - target.data()[i]) / output.rows();
            }
        }
        @Override public double valueDouble(double[] output, double[] target, int batch, int k) {
            double s = 0;
            for (int i = 0; i < batch * k; i++) s += 0.5 * (output[i] - target[i]) * (output[i] - target[i]);
            return s / batch;
        }
    }

    private static void refused(Executable e, String fragment) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(fragment), "message '" + ex.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void aNaNTargetIsRefusedByEveryLoss() {
        for (Loss loss : ALL) {
            Tensor y = Tensor.of(new float[][] {{0f, 1f}, {1f, Float.NaN}});
            refused(() -> loss.validateTargets(y), "target contains NaN at (1, 1)");
        }
    }

    @Test
    void crossEntropyTargetsAreInZeroOne() {
        Tensor two = Tensor.of(new float[][] {{0f, 2f}});
        for (Loss loss : new Loss[] {Loss.binaryCrossEntropy(), Loss.binaryCrossEntropyFromLogits()}) {
            refused(() -> loss.validateTargets(two), "binary cross-entropy targets must be in [0, 1], got 2.0 at (0, 1)");
        }
        for (Loss loss : new Loss[] {Loss.categoricalCrossEntropy(), Loss.categoricalCrossEntropyFromLogits()}) {
            refused(() -> loss.validateTargets(two), "got 2.0 at (0, 1)");
        }
        for (Loss loss : new Loss[] {Loss.mse(), Loss.mae(), Loss.huber(1), new HalfSquare()}) {
            loss.validateTargets(two); // a regression's target is any finite value
        }
    }

    @Test
    void theWeightedCostChecksWeightsAndShapes() {
        Tensor out = Tensor.of(new float[][] {{0.2f, 0.8f}, {0.6f, 0.4f}}), y = Tensor.of(new float[][] {{0f, 1f}, {1f, 0f}});
        for (Loss loss : ALL) {
            refused(() -> loss.value(out, y, Tensor.of(new float[][] {{1f}, {-1f}})), "the sample weight of row 1 is -1.0");
            refused(() -> loss.value(out, y, Tensor.of(new float[][] {{Float.NaN}, {1f}})), "the sample weight of row 0 is NaN");
            refused(() -> loss.value(out, y, Tensor.of(new float[][] {{1f}, {1f}, {1f}})), "weights has shape (3, 1), expected (2, 1)");
            refused(() -> loss.value(out, Tensor.zeros(1, 2), Tensor.of(new float[][] {{1f}, {1f}})),
                    "target has shape (1, 2), expected (2, 2)");
        }
        // the default weighted cost: sum_i w_i L_i / m, with L_0 = 0.5 (0.04 + 0.04) = 0.04, L_1 = 0.5 (0.16 + 0.16) = 0.16
        assertEquals((2 * 0.04 + 0.5 * 0.16) / 2, new HalfSquare().value(out, y, Tensor.of(new float[][] {{2f}, {0.5f}})), 1e-7);
    }

    @Test
    void theFusedCostChecksThePreActivationShapeAndTheWeights() {
        Tensor out = Tensor.of(new float[][] {{0.2f, 0.8f}, {0.6f, 0.4f}}), y = Tensor.of(new float[][] {{0f, 1f}, {1f, 0f}});
        for (Loss loss : new Loss[] {Loss.binaryCrossEntropy(), Loss.categoricalCrossEntropy()}) {
            // one row of z for two of outputs: read as a flat array, the cost of a row that is not there
            refused(() -> loss.fusedValue(Tensor.zeros(1, 2), out, y, null), "preActivation has shape (1, 2), expected (2, 2)");
            // the trainer's validation loss (Network.lossOf) passes sample weights here
            refused(() -> loss.fusedValue(Tensor.zeros(2, 2), out, y, Tensor.of(new float[][] {{1f}, {-1f}})),
                    "the sample weight of row 1 is -1.0");
        }
    }

    @Test
    void aCustomLossIsARegressionAndFusesWithNothing() {
        Loss custom = new HalfSquare();
        assertFalse(custom.classification());
        assertFalse(custom.fusesWith(org.bpnn.nn.activation.Activation.sigmoid()));
    }

    @Test
    void aLossThatDoesNotFuseHasNoFusedDelta() {
        Tensor a = Tensor.of(new float[][] {{0.5f, 0.5f}}), y = Tensor.of(new float[][] {{0f, 1f}}), d = Tensor.zeros(1, 2);
        for (Loss loss : new Loss[] {Loss.mse(), Loss.binaryCrossEntropyFromLogits(), Loss.categoricalCrossEntropyFromLogits()}) {
            assertThrows(UnsupportedOperationException.class, () -> loss.fusedDelta(a, y, d), loss.name());
        }
    }

    @Test
    void toStringIsTheCodeThatMakesIt() {
        // Network.toString() prints code that rebuilds the architecture, the loss by its toString
        assertEquals("Loss.mse()", Loss.mse().toString());
        assertEquals("Loss.mae()", Loss.mae().toString());
        assertEquals("Loss.huber(1.5)", Loss.huber(1.5).toString());
        assertEquals("Loss.binaryCrossEntropy()", Loss.binaryCrossEntropy().toString());
        assertEquals("Loss.binaryCrossEntropyFromLogits()", Loss.binaryCrossEntropyFromLogits().toString());
        assertEquals("Loss.categoricalCrossEntropy()", Loss.categoricalCrossEntropy().toString());
        assertEquals("Loss.categoricalCrossEntropyFromLogits()", Loss.categoricalCrossEntropyFromLogits().toString());
    }
}
