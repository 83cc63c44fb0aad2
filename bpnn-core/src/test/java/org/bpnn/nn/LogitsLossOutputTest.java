package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.junit.jupiter.api.Test;

/**
 * A from-logits loss reads the output layer as logits, so the output activation must be the
 * identity. With a sigmoid output and binaryCrossEntropyFromLogits() the loss applied a second
 * sigmoid: every "probability" was in (0.5, 0.73), predictClasses (threshold 0 on the logit)
 * returned class 1 for every sample and two moons trained to accuracy 0.5, without an error.
 */
class LogitsLossOutputTest {
    private static Network.Builder net(int outputs, Activation out, Loss loss) {
        return Network.builder(2).dense(4, Activation.relu()).dense(outputs, out).loss(loss)
                .backend(ScalarBackend.INSTANCE).seed(1);
    }

    @Test
    void sigmoidOutputWithBinaryLogitsLossIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net(1, Activation.sigmoid(), Loss.binaryCrossEntropyFromLogits()).build());
        assertTrue(e.getMessage().contains("sigmoid") && e.getMessage().contains("Activation.identity()")
                && e.getMessage().contains("Loss.binaryCrossEntropy()"), e.getMessage());
    }

    @Test
    void softmaxOutputWithCategoricalLogitsLossIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net(3, Activation.softmax(), Loss.categoricalCrossEntropyFromLogits()).build());
        assertTrue(e.getMessage().contains("softmax") && e.getMessage().contains("Activation.identity()")
                && e.getMessage().contains("Loss.categoricalCrossEntropy()"), e.getMessage());
    }

    @Test
    void identityOutputWithLogitsLossesAndProbabilityLossesStillBuild() {
        assertDoesNotThrow(() -> net(1, Activation.identity(), Loss.binaryCrossEntropyFromLogits()).build());
        assertDoesNotThrow(() -> net(3, Activation.identity(), Loss.categoricalCrossEntropyFromLogits()).build());
        assertDoesNotThrow(() -> net(1, Activation.sigmoid(), Loss.binaryCrossEntropy()).build());
        assertDoesNotThrow(() -> net(3, Activation.softmax(), Loss.categoricalCrossEntropy()).build());
    }
}
