package org.bpnn.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * ConfusionMatrix's accessors and its bounds: a class outside the matrix is an IllegalArgumentException
 * naming it (not an ArrayIndexOutOfBoundsException), one class is a matrix, counts() is a copy, a null
 * class name is refused, and the "no class" column carries each row's count.
 */
class ConfusionMatrixAccessorsTest {
    private static final ConfusionMatrix M = ConfusionMatrix.of(new int[] {0, 0, 1, 2}, new int[] {0, 1, 1, 0}, 3);

    @Test
    void aClassOutsideTheMatrixIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> M.count(3, 0));
        assertTrue(e.getMessage().startsWith("actual 3 is outside [0, 3)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> M.count(-1, 0));
        e = assertThrows(IllegalArgumentException.class, () -> M.count(0, 3));
        assertTrue(e.getMessage().startsWith("predicted 3 is outside"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> M.unclassified(3));
        assertTrue(e.getMessage().startsWith("class 3 is outside"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> M.unclassified(-1));
    }

    @Test
    void labelsEqualToTheClassCountAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.of(new int[] {0, 2}, new int[] {0, 1}, 2));
        assertTrue(e.getMessage().startsWith("at index 1: actual 2, predicted 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new int[] {1}, new int[] {2}, 2));
        assertTrue(e.getMessage().startsWith("at index 0: actual 1, predicted 2"), e.getMessage());
    }

    @Test
    void oneClassIsAMatrix() {
        ConfusionMatrix one = ConfusionMatrix.of(new int[] {0, 0}, new int[] {0, 0}, 1);
        assertEquals(1, one.classes());
        assertEquals(2, one.count(0, 0));
        assertEquals(1.0, one.accuracy());
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new int[0], new int[0], 0));
    }

    @Test
    void countsIsACopyOfEveryCell() {
        long[][] c = M.counts();
        assertArrayEquals(new long[] {1, 1, 0}, c[0]);
        assertArrayEquals(new long[] {0, 1, 0}, c[1]);
        assertArrayEquals(new long[] {1, 0, 0}, c[2]);
        c[0][0] = 99;
        assertEquals(1, M.count(0, 0));
        assertEquals(1, M.counts()[0][0]);
    }

    @Test
    void aNullClassNameIsRefusedByIndex() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> M.withClassNames("a", null, "c"));
        assertTrue(e.getMessage().startsWith("class name 1 is null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> M.withClassNames((String[]) null));
        assertEquals("expected 3 class names, got null", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> M.withClassNames("a", "b"));
        assertEquals("expected 3 class names, got 2", e.getMessage());
    }

    @Test
    void theNoClassColumnHoldsEachRowsCount() {
        // row 0: class 0 predicted 0; row 1: class 1 with a NaN output, unclassified
        Tensor o = Tensor.of(new float[][] {{0.9f, 0.1f}, {Float.NaN, Float.NaN}});
        Tensor y = Tensor.of(new float[][] {{1, 0}, {0, 1}});
        String[] lines = ConfusionMatrix.of(o, y).toString().split("\n");
        assertEquals("actual \\ predicted     0     1  no class", lines[0]);
        assertEquals("                 0     1     0         0", lines[1]);
        assertEquals("                 1     0     0         1", lines[2]);
    }
}
