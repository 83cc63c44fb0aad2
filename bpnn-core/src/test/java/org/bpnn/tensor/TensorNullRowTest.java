package org.bpnn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A null first row is named as null, not as a row "with 0 values". */
class TensorNullRowTest {
    @Test
    void nullRowZeroIsNamedNull() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new float[][] {null, {1f, 2f}}));
        assertEquals("row 0 is null; every row must be a float[] of the same, positive length", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.row((float[]) null));
        assertEquals("row 0 is null; every row must be a float[] of the same, positive length", e.getMessage());
    }
}
