package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.junit.jupiter.api.Test;

/**
 * A cross-entropy on probabilities (categoricalCrossEntropy(), binaryCrossEntropy()) over a dense
 * output layer that is neither softmax nor sigmoid is refused when built, as the mirror case (a
 * from-logits loss over a softmax or sigmoid output) is. It built, and trained without an error: the
 * loss takes the log of each output, so an identity output learned to grow its outputs past 1, and a
 * 2-3 network's loss went 0.82, -1.03, -1.08 with "best epoch 3".
 */
class ProbabilityLossOutputTest {
    private static Network net(int outputs, Activation out, Loss loss) {
        return Network.builder(2).dense(4, Activation.tanh()).dense(outputs, out).loss(loss).seed(1)
                .backend(ScalarBackend.INSTANCE).build();
    }

    @Test
    void aCategoricalCrossEntropyOverADenseOutputThatIsNoProbabilityIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net(3, Activation.identity(), Loss.categoricalCrossEntropy()));
        assertEquals("the output layer applies identity, but categorical_cross_entropy expects probabilities (it takes the"
                + " log of each output, so outputs above 1 give a negative loss that falls without bound); use"
                + " Activation.softmax() on the output layer, or Activation.identity() with"
                + " Loss.categoricalCrossEntropyFromLogits(), which applies the softmax itself", e.getMessage());
        for (Activation a : new Activation[] {Activation.relu(), Activation.tanh(), Activation.leakyRelu()}) {
            assertThrows(IllegalArgumentException.class, () -> net(3, a, Loss.categoricalCrossEntropy()), a.name());
        }
    }

    @Test
    void aBinaryCrossEntropyOverADenseOutputThatIsNoProbabilityIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net(1, Activation.relu(), Loss.binaryCrossEntropy()));
        assertEquals("the output layer applies relu, but binary_cross_entropy expects probabilities (it takes the log of each"
                + " output, so outputs above 1 give a negative loss that falls without bound); use Activation.sigmoid() on"
                + " the output layer, or Activation.identity() with Loss.binaryCrossEntropyFromLogits(), which applies the"
                + " sigmoid itself", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> net(2, Activation.identity(), Loss.binaryCrossEntropy()));
    }

    @Test
    void probabilityOutputsAndLogitsLossesStillBuild() {
        assertDoesNotThrow(() -> net(3, Activation.softmax(), Loss.categoricalCrossEntropy()));
        assertDoesNotThrow(() -> net(1, Activation.sigmoid(), Loss.binaryCrossEntropy()));
        assertDoesNotThrow(() -> net(3, Activation.sigmoid(), Loss.binaryCrossEntropy())); // multi-label
        assertDoesNotThrow(() -> net(3, Activation.identity(), Loss.categoricalCrossEntropyFromLogits()));
        assertDoesNotThrow(() -> net(1, Activation.identity(), Loss.binaryCrossEntropyFromLogits()));
        assertDoesNotThrow(() -> net(2, Activation.identity(), Loss.mse()));
    }
}
