package org.bpnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Which class gives up a row when stratifiedSplit moves one to a class of 2 rows that largest remainders
 * left out of the first part: the class furthest above its exact share, among those that can spare one
 * without leaving a part themselves. The quotas fix the first part's class counts whatever the seed.
 */
class StratifiedCompensationTest {
    private static int[] firstPartCounts(int[] counts, double fraction, long seed) {
        int n = 0;
        for (int c : counts) n += c;
        int[] labels = new int[n];
        for (int c = 0, i = 0; c < counts.length; c++) {
            for (int j = 0; j < counts[c]; j++) labels[i++] = c;
        }
        Dataset d = new Dataset(Tensor.zeros(n, 1), OneHot.encode(labels, counts.length));
        int[] got = new int[counts.length];
        for (int c : OneHot.decode(d.stratifiedSplit(fraction, seed).first().targets())) got[c]++;
        return got;
    }

    @Test
    void theClassFurthestAboveItsShareGivesTheRow() {
        // 20 rows, 4 first: shares 1.4, 2.2, 0.4; largest remainders give quotas 2, 2, 0. Class 2 takes a
        // row: class 0 is 0.6 above its share, class 1 0.2 below, so class 0 gives it
        for (long seed = 0; seed < 3; seed++) {
            assertArrayEquals(new int[] {1, 2, 1}, firstPartCounts(new int[] {7, 11, 2}, 0.2, seed), "seed " + seed);
        }
    }

    @Test
    void aClassWithOneRowInThePartCannotGiveIt() {
        // 16 rows, 4 first: shares 0.75, 2.75, 0.5; quotas 1, 3, 0. Class 2 takes a row: class 0 is as far
        // above its share as class 1 (0.25), but its one row is all it has in the first part
        for (long seed = 0; seed < 3; seed++) {
            assertArrayEquals(new int[] {1, 2, 1}, firstPartCounts(new int[] {3, 11, 2}, 0.25, seed), "seed " + seed);
        }
    }

    @Test
    void aClassThatGivesBackARowGoesToTheClassFurthestBelowItsShare() {
        // 20 rows, 16 first: shares 1.6, 5.6, 8.8; quotas 2, 5, 9, leaving class 0 no row to validate on. It
        // gives one: class 1 is 0.6 below its share, class 2 0.2 above, so class 1 takes it
        for (long seed = 0; seed < 3; seed++) {
            assertArrayEquals(new int[] {1, 6, 9}, firstPartCounts(new int[] {2, 7, 11}, 0.8, seed), "seed " + seed);
        }
    }

    @Test
    void aClassWithOneRowLeftInTheOtherPartCannotTakeIt() {
        // 20 rows, 16 first: shares 1.6, 2.4, 12; quotas 2, 2, 12. Class 0 gives a row: class 1 is furthest
        // below its share, but it has one row left in the second part, so class 2 takes it
        for (long seed = 0; seed < 3; seed++) {
            assertArrayEquals(new int[] {1, 2, 13}, firstPartCounts(new int[] {2, 3, 15}, 0.8, seed), "seed " + seed);
        }
    }

    @Test
    void ofTwoClassesWithEqualQuotasTheSmallerIsFurtherAboveItsShare() {
        // 19 rows, 4 first: shares 0.42, 1.89, 1.68; quotas 0, 2, 2. Class 0 takes a row: class 2 is 0.32
        // above its share, class 1 only 0.11, so class 2 gives it
        for (long seed = 0; seed < 3; seed++) {
            assertArrayEquals(new int[] {1, 2, 1}, firstPartCounts(new int[] {2, 9, 8}, 0.2, seed), "seed " + seed);
        }
    }
}
