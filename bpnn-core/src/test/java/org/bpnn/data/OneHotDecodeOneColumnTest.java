package org.bpnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * decode was argmax over the columns; of a single column that is always 0. Integer labels kept in
 * one column ({0, 1, 2}) or a sigmoid model's outputs decoded to all zeros, without an error.
 */
class OneHotDecodeOneColumnTest {
    @Test
    void oneColumnIsRefusedWithWhatToDoInstead() {
        Tensor labels = Tensor.of(new float[][] {{0}, {1}, {2}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OneHot.decode(labels));
        assertTrue(e.getMessage().contains("(3, 1)") && e.getMessage().contains("predictClasses"), e.getMessage());
    }

    @Test
    void twoOrMoreColumnsStillDecode() {
        assertArrayEquals(new int[] {1, 0}, OneHot.decode(Tensor.of(new float[][] {{0, 1}, {1, 0}})));
    }
}
