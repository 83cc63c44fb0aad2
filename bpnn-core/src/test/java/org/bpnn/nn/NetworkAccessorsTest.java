package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.junit.jupiter.api.Test;

/** Network's accessors answer what it was built with (a model file records the seed, a summary the fusion). */
class NetworkAccessorsTest {
    @Test
    void accessorsAnswerWhatTheNetworkWasBuiltWith() {
        Network fused = Network.builder(2).dense(1, Activation.sigmoid()).loss(Loss.binaryCrossEntropy()).seed(7).build();
        assertEquals(7L, fused.seed());
        assertTrue(fused.usesFusedOutputDelta());
        Network unfused = Network.builder(2).dense(1, Activation.sigmoid()).loss(Loss.mse()).build();
        assertEquals(42L, unfused.seed()); // the builder's default
        assertFalse(unfused.usesFusedOutputDelta());
    }
}
