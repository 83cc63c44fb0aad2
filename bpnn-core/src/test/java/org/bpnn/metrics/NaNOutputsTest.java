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
 * and predictClasses returned 0 for it without a word.
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
    void predictClassesRefusesANaNOutputNamingTheSample() {
        Network net = Network.builder(1).dense(2, Activation.identity()).dense(2, Activation.identity())
                .loss(Loss.mse()).seed(1).backend(ScalarBackend.INSTANCE).build();
        Tensor outputs = Tensor.wrap(2, 2, new float[] {0.1f, 0.2f, 0.3f, Float.NaN});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.classesOf(outputs));
        assertTrue(e.getMessage().startsWith("output 1 of sample 1 is NaN, which has no class"), e.getMessage());
        assertEquals(1, net.classesOf(Tensor.wrap(1, 2, new float[] {0.1f, 0.2f}))[0]);
    }
}
