package org.bpnn.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bpnn.backend.scalar.ScalarBackend;
import org.junit.jupiter.api.Test;

/**
 * The default {@link Backend#gatherRows} (the scalar backend's) computed index * cols in int: an
 * absurd index wrapped onto a valid offset and copied another row without a word. It is refused now,
 * with the index, its position and the rows src has.
 */
class GatherRowsRangeTest {
    private static final float[] SRC = {0, 1, 2, 10, 11, 12, 20, 21, 22}; // 3 rows of 3

    @Test
    void anIndexWhoseOffsetWrapsIsRefusedNotCopiedFromAnotherRow() {
        // 1431655766 * 3 = 2^32 + 2: in int, offset 2, inside src
        float[] dst = new float[3];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScalarBackend.INSTANCE.gatherRows(1, 3, SRC, new int[] {1431655766}, 0, dst, 0));
        assertEquals("gatherRows: index[0] = 1431655766 is not a row of src, which holds 3 rows of 3 floats; an index must"
                + " be in [0, 3): pass row numbers of src, not element offsets", e.getMessage());
        assertArrayEquals(new float[3], dst, "nothing copied");
    }

    @Test
    void negativeAndPastTheEndIndicesAreRefusedWithTheirPosition() {
        float[] dst = new float[6];
        String m = assertThrows(IllegalArgumentException.class,
                () -> ScalarBackend.INSTANCE.gatherRows(2, 3, SRC, new int[] {9, 0, -1}, 1, dst, 0)).getMessage();
        assertEquals(true, m.startsWith("gatherRows: index[2] = -1 is not a row of src"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> ScalarBackend.INSTANCE.gatherRows(1, 3, SRC, new int[] {3}, 0, dst, 0)).getMessage();
        assertEquals(true, m.startsWith("gatherRows: index[0] = 3 is not a row of src"), m);
    }

    @Test
    void validIndicesStillCopy() {
        float[] dst = new float[6];
        ScalarBackend.INSTANCE.gatherRows(2, 3, SRC, new int[] {2, 0}, 0, dst, 0);
        assertArrayEquals(new float[] {20, 21, 22, 0, 1, 2}, dst);
    }
}
