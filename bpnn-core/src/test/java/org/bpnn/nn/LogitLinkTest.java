package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** A from-logits network's outputs mapped to probabilities: every column, and no class for an infinite logit. */
class LogitLinkTest {
    @Test
    void binaryLogitsOfSeveralOutputsAreEachMappedBySigmoid() {
        // two independent labels (multi-label) on logits: identity weights, so the logits are the inputs
        Network net = Network.builder(2).dense(2, Activation.identity()).loss(Loss.binaryCrossEntropyFromLogits())
                .backend(ScalarBackend.INSTANCE).buildWrapping(new float[][] {{1f, 0f, 0f, 1f}, {0f, 0f}});
        Tensor p = net.predictProbabilities(Tensor.of(new float[][] {{0f, 0f}, {2f, -1f}}));
        // sigmoid(0) = 0.5, sigmoid(2) = 1 / (1 + e^-2) = 0.880797, sigmoid(-1) = 0.268941
        float[] expected = {0.5f, 0.5f, 0.880797f, 0.268941f};
        for (int i = 0; i < 4; i++) assertEquals(expected[i], p.data()[i], 1e-6f, "probability " + i);
    }

    private static void noClass(Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().startsWith("the outputs of sample 0 are logits whose probabilities are NaN"), ex.getMessage());
    }

    @Test
    void anInfiniteLogitHasNoClass() {
        // finite weights and input whose product overflows float: logits (Infinity, 0), softmax (NaN, NaN)
        // (Infinity - Infinity), which argmax read as class 0
        Network net = Network.builder(1).dense(2, Activation.identity()).loss(Loss.categoricalCrossEntropyFromLogits())
                .backend(ScalarBackend.INSTANCE).buildWrapping(new float[][] {{3e38f, 0f}, {0f, 0f}});
        Tensor x = Tensor.wrap(1, 1, new float[] {10f});
        assertEquals(Float.POSITIVE_INFINITY, net.predict(x).data()[0]);
        noClass(() -> net.predictClasses(x));
        noClass(() -> net.classesOf(net.predict(x)));
        noClass(() -> net.predictClass(10f));
        noClass(() -> net.predictClasses(x, 0.3f));
    }
}
