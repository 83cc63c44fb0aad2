package org.bpnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * decode was the argmax of each row, so a target row that is not one-hot came back as a class without
 * a word: all zeros (a sample without a class) and two 1s as class 0, a NaN as whatever argmax made of
 * it, a class number 2 in a column as that column. It now decodes one-hot rows only, naming the row.
 */
class OneHotDecodeNotOneHotTest {
    private static String refusal(float[][] rows) {
        return assertThrows(IllegalArgumentException.class, () -> OneHot.decode(Tensor.of(rows))).getMessage();
    }

    @Test
    void anAllZeroRowIsRefusedNamingIt() {
        String m = refusal(new float[][] {{0, 1, 0}, {0, 0, 0}, {1, 0, 0}});
        assertTrue(m.startsWith("row 1 has no 1 (all 3 values are 0)"), m);
        assertTrue(m.contains("expects one-hot rows (one 1, the rest 0)") && m.contains("Network.classesOf"), m);
    }

    @Test
    void twoOnesAreRefused() {
        String m = refusal(new float[][] {{1, 0, 1}});
        assertTrue(m.startsWith("row 0 has a 1 in columns 0 and 2"), m);
    }

    @Test
    void valuesOtherThanZeroAndOneAreRefused() {
        String m = refusal(new float[][] {{0, 1}, {Float.NaN, 1}});
        assertTrue(m.startsWith("row 1 holds NaN in column 0, which is neither 0 nor 1"), m);
        m = refusal(new float[][] {{0.2f, 0.7f, 0.1f}}); // probabilities: their argmax is Network.classesOf's
        assertTrue(m.startsWith("row 0 holds 0.2 in column 0") && m.contains("Metrics.targetClasses"), m);
        m = refusal(new float[][] {{0, 2}});
        assertTrue(m.startsWith("row 0 holds 2.0 in column 1"), m);
    }

    @Test
    void oneHotRowsDecodeAndNegativeZeroIsZero() {
        assertArrayEquals(new int[] {2, 0, 1}, OneHot.decode(OneHot.encode(new int[] {2, 0, 1}, 3)));
        assertArrayEquals(new int[] {1}, OneHot.decode(Tensor.of(new float[][] {{-0f, 1}})));
    }
}
