package org.bpnn.metrics;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ConfusionMatrixNullOutputsTest {
    @Test
    void nullOutputsAreAnArgumentErrorNotANullPointerException() {
        String m = assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(null, Tensor.zeros(2, 3))).getMessage();
        assertTrue(m.startsWith("outputs are null; pass the network's outputs (n, k)"), m);
    }
}
