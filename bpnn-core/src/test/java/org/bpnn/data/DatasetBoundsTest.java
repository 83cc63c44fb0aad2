package org.bpnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Dataset's boundaries: non-finite targets, an empty subset range, a row index equal to the size, the
 * split fractions 0 and 1, the stratified split's tie rule (equal remainders go to the lower class, of
 * 4 classes or of 32), a multi-label row whose first 1 is in column 0, stratifiedKFold's advice when a
 * class has no rows, and a stratified first or second part of weightless rows named as such.
 */
class DatasetBoundsTest {
    private static Dataset rows(int n, float[] targets) {
        return new Dataset(Tensor.zeros(n, 1), Tensor.wrap(n, targets.length / n, targets));
    }

    @Test
    void nonFiniteTargetsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> rows(2, new float[] {0, Float.NaN}));
        assertThrows(IllegalArgumentException.class, () -> rows(2, new float[] {Float.NEGATIVE_INFINITY, 0}));
    }

    @Test
    void subsetBounds() {
        Dataset d = rows(3, new float[] {0, 1, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.subset(new int[] {0, 1}, 1, 1));
        assertTrue(e.getMessage().startsWith("subset range [1, 1) is empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.subset(new int[] {1, 3}));
        assertTrue(e.getMessage().startsWith("row index 3 at position 1 is outside [0, 3)"), e.getMessage());
    }

    @Test
    void splitFractionsZeroAndOneAreOutsideTheOpenInterval() {
        Dataset d = rows(4, new float[] {0, 1, 2, 3});
        for (double f : new double[] {0.0, 1.0}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.split(f));
            assertTrue(e.getMessage().startsWith("split fraction must be in (0, 1), got " + f), e.getMessage());
        }
    }

    @Test
    void equalRemaindersGoToTheLowerClasses() {
        // four classes of one row each, half the rows first: every remainder is 1 * 2 mod 4 = 2, so the
        // two rows go to classes 0 and 1, whatever the seed
        Dataset d = new Dataset(Tensor.zeros(4, 1), OneHot.encode(new int[] {3, 1, 0, 2}, 4));
        for (long seed = 0; seed < 5; seed++) {
            int[] first = OneHot.decode(d.stratifiedSplit(0.5, seed).first().targets());
            Arrays.sort(first);
            assertArrayEquals(new int[] {0, 1}, first, "seed " + seed);
        }
    }

    @Test
    void aMultiLabelRowWithItsFirstOneInColumnZeroIsRefused() {
        Dataset d = rows(2, new float[] {1, 1, 0, 0, 0, 1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.stratifiedSplit(0.5, 1));
        assertTrue(e.getMessage().startsWith("target row 0 has a 1 in columns 0 and 1 (a multi-label row)"), e.getMessage());
    }

    @Test
    void equalRemaindersGoToTheLowerClassesAmongManyClasses() {
        // 32 classes of 2 and 3 rows in turn, half the rows first: the 3-row classes' remainders (40 of 80) tie, and
        // the 8 missing rows go to the lowest 8 of them. From 32 classes Arrays.sort merges runs, where a tie-break
        // that is not a consistent order gives other classes the rows or throws
        int[] labels = new int[80];
        for (int c = 0, i = 0; c < 32; c++) {
            for (int j = 0; j < 2 + c % 2; j++) labels[i++] = c;
        }
        Dataset d = new Dataset(Tensor.zeros(80, 1), OneHot.encode(labels, 32));
        int[] expected = new int[32];
        for (int c = 0; c < 32; c++) expected[c] = c % 2 == 1 && c < 16 ? 2 : 1;
        int[] got = new int[32];
        for (int c : OneHot.decode(d.stratifiedSplit(0.5, 1).first().targets())) got[c]++;
        assertArrayEquals(expected, got);
    }

    @Test
    void stratifiedKFoldAdvisesTheSmallestClassPresent() {
        // classes 0 (5 rows) and 1 (2 rows); class 2 has none and bounds nothing
        Dataset d = new Dataset(Tensor.zeros(7, 1), OneHot.encode(new int[] {0, 0, 0, 0, 0, 1, 1}, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.stratifiedKFold(3, 1));
        assertTrue(e.getMessage().contains("use k <= 2 (the smallest class's rows)"), e.getMessage());
    }

    @Test
    void aWeightlessStratifiedFirstPartIsNamed() {
        // a quarter first: one row, of class 0 (the tie goes to the lower class), and class 0's rows weigh 0
        Dataset d = rows(4, new float[] {0, 0, 1, 1}).withSampleWeights(0, 0, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.stratifiedSplit(0.25, 3));
        assertTrue(e.getMessage().startsWith("the first (train) part of this split at firstFraction 0.25 holds 1 row, of"
                + " sample weight 0"), e.getMessage());
    }

    @Test
    void aWeightlessStratifiedSecondPartIsNamed() {
        // three quarters first: 2 rows of class 0 and 1 of class 1 (the tie goes to the lower class), so the second
        // part is one row of class 1, whose rows weigh 0
        Dataset d = rows(4, new float[] {0, 0, 1, 1}).withSampleWeights(1, 1, 0, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.stratifiedSplit(0.75, 3));
        assertTrue(e.getMessage().startsWith("the second (validation) part of this split at firstFraction 0.75 holds 1 row,"
                + " of sample weight 0"), e.getMessage());
    }
}
