package org.bpnn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * There is no 0-row tensor (see Tensor's class comment): asking for one, as code with an empty batch
 * does, says so and what to do instead. It said only "tensor shape must be positive, got (0, 4)" or
 * "expected at least one row, got 0 rows", which read like a bug in the caller's arithmetic.
 */
class TensorEmptyTest {
    private static final String NO_EMPTY = "; bpnn has no empty tensors: skip the call when there is no data";

    @Test
    void anEmptyShapeSaysThereAreNoEmptyTensors() {
        assertEquals("tensor shape must be positive, got (0, 4)" + NO_EMPTY,
                assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0, 4)).getMessage());
        assertEquals("tensor shape must be positive, got (0, 4)" + NO_EMPTY,
                assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(0, 4, new float[0])).getMessage());
        assertEquals("tensor shape must be positive, got (3, 0)" + NO_EMPTY,
                assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 0)).getMessage());
        assertEquals("expected at least one row, got 0 rows" + NO_EMPTY,
                assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[0][])).getMessage());
        // a negative size is an arithmetic error, not an empty batch: no advice about empty data
        assertEquals("tensor shape must be positive, got (-1, 4)",
                assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(-1, 4)).getMessage());
    }
}
