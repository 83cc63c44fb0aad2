package org.bpnn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * NaN outputs have no class. NaN compares false with everything, so a NaN row read as class 0:
 * accuracy counted it a hit wherever the target was 0 (all-NaN outputs scored the share of class 0),
 * predictClasses returned 0 for it without a word, and ConfusionMatrix.of counted it a prediction of
 * class 0.
 */
class NaNOutputsTest {
    @Test
    void aNaNRowIsAMissInAccuracy() {
        Tensor targets = Tensor.wrap(3, 2, new float[] {1, 0, 1, 0, 0, 1});
        Tensor outputs = Tensor.wrap(3, 2, new float[] {Float.NaN, Float.NaN, 0.9f, Float.NaN, 0.1f, 0.9f});
        assertEquals(1.0 / 3, Metrics.accuracy(outputs, targets), 1e-12, "only the finite row 2 is a hit");
        Tensor one = Tensor.wrap(2, 1, new float[] {Float.NaN, 0.2f});
        assertEquals(0.5, Metrics.accuracy(one, Tensor.wrap(2, 1, new float[] {0, 0})), 1e-12);
    }

    @Test
    void aNaNRowHasNoClassInTheConfusionMatrixAndIsAMissForRecall() {
        // actual classes 0, 0, 1, 2; row 1 (actual 0) and row 3 (actual 2) hold a NaN
        Tensor targets = Tensor.wrap(4, 3, new float[] {1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1});
        Tensor outputs = Tensor.wrap(4, 3, new float[] {0.8f, 0.1f, 0.1f, Float.NaN, 0.1f, 0.1f, 0.1f, 0.8f, 0.1f,
                0.2f, Float.NaN, 0.3f});
        ConfusionMatrix cm = ConfusionMatrix.of(outputs, targets);
        assertEquals(1, cm.count(0, 0));
        assertEquals(0, cm.predictedCount(2), "a NaN row is nobody's prediction (it was class 0 by argmax)");
        assertEquals(1, cm.unclassified(0));
        assertEquals(1, cm.unclassified(2));
        assertEquals(2, cm.unclassified());
        assertEquals(2, cm.support(0), "the support counts the unclassified sample");
        assertEquals(4, cm.total());
        assertEquals(0.5, cm.recall(0), 1e-12);
        assertEquals(1.0, cm.precision(0), 1e-12, "was 1/2 with the NaN row predicted as class 0");
        assertEquals(0.0, cm.recall(2), 1e-12);
        assertEquals(Metrics.accuracy(outputs, targets), cm.accuracy(), 1e-12);
        String text = cm.toString();
        assertTrue(text.lines().findFirst().orElseThrow().endsWith("no class"), text);
        assertTrue(text.contains("       0     1     0     0         1\n"), text);
        // one output column (a sigmoid): a NaN is neither side of 0.5
        ConfusionMatrix one = ConfusionMatrix.of(Tensor.wrap(3, 1, new float[] {Float.NaN, 0.2f, 0.9f}),
                Tensor.wrap(3, 1, new float[] {0, 0, 1}));
        assertEquals(1, one.unclassified(0));
        assertEquals(1, one.count(0, 0));
        assertEquals(1, one.count(1, 1));
        assertEquals(0, one.count(0, 1) + one.count(1, 0));
        // without NaN the text has no such column
        assertTrue(!ConfusionMatrix.of(Tensor.wrap(1, 2, new float[] {1, 0}), Tensor.wrap(1, 2, new float[] {1, 0}))
                .toString().contains("no class"));
    }

    @Test
    void predictClassesRefusesANaNOutputNamingTheSample() {
        Network net = Network.builder(1).dense(2, Activation.identity()).dense(2, Activation.identity())
                .loss(Loss.categoricalCrossEntropyFromLogits()).seed(1).backend(ScalarBackend.INSTANCE).build();
        Tensor outputs = Tensor.wrap(2, 2, new float[] {0.1f, 0.2f, 0.3f, Float.NaN});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.classesOf(outputs));
        assertTrue(e.getMessage().startsWith("output 1 of sample 1 is NaN, which has no class"), e.getMessage());
        assertEquals(1, net.classesOf(Tensor.wrap(1, 2, new float[] {0.1f, 0.2f}))[0]);
    }

    @Test
    void predictClassRefusesANaNOutputOfItsSample() {
        // the single-sample path has its own NaN check (classesOf checks all rows before any class)
        Network net = Network.builder(1).dense(2, Activation.identity()).dense(2, Activation.identity())
                .loss(Loss.categoricalCrossEntropyFromLogits()).seed(1).backend(ScalarBackend.INSTANCE).build();
        float[] w1 = net.parameters().get(0).value().data(), w2 = net.parameters().get(2).value().data();
        java.util.Arrays.fill(net.parameters().get(1).value().data(), 0f);
        java.util.Arrays.fill(net.parameters().get(3).value().data(), 0f);
        w1[0] = 3e38f; // x = 2 gives +inf and -inf in the hidden layer, and inf - inf = NaN at both outputs
        w1[1] = -3e38f;
        java.util.Arrays.fill(w2, 1f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.predictClass(2f));
        assertTrue(e.getMessage().startsWith("output 0 of sample 0 is NaN, which has no class"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.predictClasses(Tensor.wrap(2, 1, new float[] {0f, 2f})));
        assertTrue(e.getMessage().startsWith("output 0 of sample 1 is NaN, which has no class"), e.getMessage());
    }
}
