package org.bpnn.data;

import static org.bpnn.data.DataTest.message;
import static org.bpnn.data.StratifiedSplitTest.classCounts;
import static org.bpnn.data.StratifiedSplitTest.labelled;
import static org.bpnn.data.StratifiedSplitTest.rows;
import static org.bpnn.data.StratifiedSplitTest.sortedLabels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

class KFoldTest {

    /**
     * The fold invariants: k folds; the validation parts partition 0..n-1; each train part is exactly
     * the complement of its validation part (no row in both, none missing); sizes differ by at most one.
     */
    static void assertPartition(List<Dataset.Split> folds, int n, int k) {
        assertEquals(k, folds.size());
        int[] seen = new int[n];
        int min = Integer.MAX_VALUE, max = 0;
        for (Dataset.Split f : folds) {
            int[] v = rows(f.validation()), t = rows(f.train());
            assertEquals(n, v.length + t.length);
            boolean[] inVal = new boolean[n];
            for (int r : v) {
                seen[r]++;
                inVal[r] = true;
            }
            for (int r : t) assertFalse(inVal[r], "row " + r + " is in both parts of a fold");
            int[] all = new int[n];
            System.arraycopy(v, 0, all, 0, v.length);
            System.arraycopy(t, 0, all, v.length, t.length);
            Arrays.sort(all);
            for (int i = 0; i < n; i++) assertEquals(i, all[i], "a fold's parts together hold every row once");
            min = Math.min(min, v.length);
            max = Math.max(max, v.length);
        }
        for (int r = 0; r < n; r++) assertEquals(1, seen[r], "row " + r + " validates in exactly one fold");
        assertTrue(max - min <= 1, "validation sizes " + min + ".." + max);
    }

    @Test
    void kFoldPartitionsTheRowsIntoPartsOfEqualSizeWithinOne() {
        Dataset d = labelled(sortedLabels(20, 3), 2);
        for (int k : new int[] {2, 3, 5, 7, 10, 23}) {
            List<Dataset.Split> folds = d.kFold(k, 11);
            assertPartition(folds, 23, k);
            for (int f = 0; f < k; f++) {
                // the first n mod k folds have one row more
                assertEquals(23 / k + (f < 23 % k ? 1 : 0), folds.get(f).validation().size(), "k " + k + " fold " + f);
            }
        }
    }

    @Test
    void kFoldIsShuffledBySeedAndDeterministic() {
        Dataset d = labelled(sortedLabels(30, 30), 2);
        List<Dataset.Split> a = d.kFold(5, 3), b = d.kFold(5, 3), c = d.kFold(5, 4);
        boolean differs = false;
        for (int f = 0; f < 5; f++) {
            assertArrayEquals(rows(a.get(f).validation()), rows(b.get(f).validation()));
            assertArrayEquals(rows(a.get(f).train()), rows(b.get(f).train()));
            differs |= !Arrays.equals(rows(a.get(f).validation()), rows(c.get(f).validation()));
        }
        assertTrue(differs, "another seed gives other folds");
        // shuffled, not the rows in order: the first fold is not rows 0..11
        int[] first = rows(a.get(0).validation());
        assertFalse(Arrays.equals(first, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
    }

    @Test
    void stratifiedKFoldPutsEachClassInEveryFoldInProportion() {
        int[] counts = {50, 23, 7};
        Dataset d = labelled(sortedLabels(counts), 3);
        for (long seed = 0; seed < 20; seed++) {
            for (int k : new int[] {2, 3, 5, 7}) {
                List<Dataset.Split> folds = d.stratifiedKFold(k, seed);
                assertPartition(folds, 80, k);
                for (Dataset.Split f : folds) {
                    int[] v = classCounts(f.validation(), 3), t = classCounts(f.train(), 3);
                    for (int c = 0; c < 3; c++) {
                        // floor or ceil of the class's share of a fold, and every class present
                        assertTrue(v[c] == counts[c] / k || v[c] == (counts[c] + k - 1) / k,
                                "seed " + seed + " k " + k + " class " + c + ": " + v[c] + " of " + counts[c]);
                        assertTrue(v[c] >= 1);
                        assertEquals(counts[c], v[c] + t[c]);
                    }
                }
            }
        }
    }

    @Test
    void aPlainKFoldCanLeaveARareClassOutOfAFoldWhereTheStratifiedOneDoesNot() {
        Dataset d = labelled(sortedLabels(45, 5), 2);
        boolean plainMissed = false;
        for (long seed = 0; seed < 20; seed++) {
            for (Dataset.Split f : d.kFold(5, seed)) plainMissed |= classCounts(f.validation(), 2)[1] == 0;
            for (Dataset.Split f : d.stratifiedKFold(5, seed)) assertEquals(1, classCounts(f.validation(), 2)[1]);
        }
        assertTrue(plainMissed, "some seed's plain folds leave a validation part without the rare class");
    }

    @Test
    void stratifiedKFoldOfOneClassEqualsKFold() {
        Dataset d = labelled(sortedLabels(0, 17), 2);
        List<Dataset.Split> s = d.stratifiedKFold(4, 9), p = d.kFold(4, 9);
        for (int f = 0; f < 4; f++) {
            assertArrayEquals(rows(p.get(f).validation()), rows(s.get(f).validation()));
            assertArrayEquals(rows(p.get(f).train()), rows(s.get(f).train()));
        }
    }

    @Test
    void stratifiedKFoldReadsOneColumnOfZeroOneLabels() {
        float[][] x = new float[30][], y = new float[30][];
        for (int i = 0; i < 30; i++) {
            x[i] = new float[] {i};
            y[i] = new float[] {i % 10 == 0 ? 1 : 0};
        }
        for (Dataset.Split f : Dataset.of(x, y).stratifiedKFold(3, 1)) {
            float positives = 0;
            for (float v : f.validation().targets().data()) positives += v;
            assertEquals(1f, positives);
        }
    }

    @Test
    void sampleWeightsTravelWithTheirRows() {
        Dataset plain = labelled(sortedLabels(12, 8), 2);
        float[] w = new float[20];
        for (int i = 0; i < 20; i++) w[i] = 0.5f + i; // row i's weight identifies it
        Dataset d = plain.withSampleWeights(w);
        for (List<Dataset.Split> folds : List.of(d.kFold(4, 2), d.stratifiedKFold(4, 2))) {
            for (Dataset.Split f : folds) {
                for (Dataset part : new Dataset[] {f.train(), f.validation()}) {
                    assertTrue(part.isWeighted());
                    int[] r = rows(part);
                    for (int i = 0; i < r.length; i++) assertEquals(w[r[i]], part.sampleWeights().get(i, 0));
                }
            }
        }
        assertNull(plain.kFold(4, 2).get(0).train().sampleWeights(), "an unweighted set's folds stay unweighted");
    }

    @Test
    void aFoldPartOfOnlyZeroWeightsIsRefusedNamingTheFold() {
        // one row of weight 1, the rest 0: with k = n the other folds' validation parts are all zero
        float[] w = new float[6];
        w[0] = 1;
        Dataset d = labelled(sortedLabels(3, 3), 2).withSampleWeights(w);
        String m = message(() -> d.kFold(6, 1));
        assertTrue(m.contains("validation part of fold") && m.contains("kFold(6, 1)") && m.contains("sample weight 0")
                && m.contains("use another seed or k"), m);
    }

    @Test
    void refusalsSayWhatWasExpectedGivenAndWhatToChange() {
        Dataset d = labelled(sortedLabels(6, 4), 2);
        String m = message(() -> d.kFold(1, 0));
        assertTrue(m.contains("kFold needs k >= 2 folds, got 1") && m.contains("split(fraction, seed)"), m);
        m = message(() -> d.stratifiedKFold(0, 0));
        assertTrue(m.contains("stratifiedKFold needs k >= 2 folds, got 0") && m.contains("stratifiedSplit(fraction, seed)"), m);
        m = message(() -> d.kFold(11, 0));
        assertTrue(m.contains("kFold(11, seed) of 10 rows") && m.contains("at most the 10 rows") && m.contains("leave-one-out"), m);
        assertEquals(10, d.kFold(10, 0).size(), "k = n is leave-one-out");
        m = message(() -> d.stratifiedKFold(5, 0));
        assertTrue(m.contains("class 1 has 4 rows, fewer than the 5 folds") && m.contains("1 of the validation parts")
                && m.contains("use k <= 4") && m.contains("kFold(5, seed)"), m);
        assertEquals(4, d.stratifiedKFold(4, 0).size());
        // a class the data never shows is ignored, not refused
        assertEquals(3, labelled(sortedLabels(6, 4, 0), 3).stratifiedKFold(3, 0).size());
        Dataset soft = new Dataset(Tensor.zeros(4, 1), Tensor.of(new float[][] {{1, 0}, {0.5f, 0.5f}, {0, 1}, {1, 0}}));
        m = message(() -> soft.stratifiedKFold(2, 0));
        assertTrue(m.contains("target row 1") && m.contains("stratifiedKFold needs one class per row")
                && m.contains("use kFold(k, seed)"), m);
        m = message(() -> soft.stratifiedSplit(0.5, 0));
        assertTrue(m.contains("stratifiedSplit needs one class per row") && m.contains("use split(firstFraction, seed)"), m);
    }
}
