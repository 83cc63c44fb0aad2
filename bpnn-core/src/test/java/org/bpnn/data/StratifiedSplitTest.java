package org.bpnn.data;

import static org.bpnn.data.DataTest.message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {

    /** Row i has feature i and a one-hot target of class labels[i]. */
    static Dataset labelled(int[] labels, int classes) {
        Tensor x = Tensor.zeros(labels.length, 1);
        for (int i = 0; i < labels.length; i++) x.set(i, 0, i);
        return Dataset.ofLabels(x, labels, classes);
    }

    /** counts[c] rows of class c, the classes one after another (sorted by class, as files often are). */
    static int[] sortedLabels(int... counts) {
        int[] labels = new int[Arrays.stream(counts).sum()];
        for (int c = 0, i = 0; c < counts.length; c++) {
            for (int j = 0; j < counts[c]; j++) labels[i++] = c;
        }
        return labels;
    }

    /** The original row numbers of a part (its feature). */
    static int[] rows(Dataset part) {
        int[] r = new int[part.size()];
        for (int i = 0; i < r.length; i++) r[i] = (int) part.features().get(i, 0);
        return r;
    }

    /** Rows of each class in a part, by its one-hot targets. */
    static int[] classCounts(Dataset part, int classes) {
        int[] counts = new int[classes];
        for (int c : OneHot.decode(part.targets())) counts[c]++;
        return counts;
    }

    static int rareRows(Dataset part) {
        return classCounts(part, 2)[1];
    }

    @Test
    void rareClassReachesBothPartsWhereAPlainSplitLeavesItOut() {
        Dataset d = labelled(sortedLabels(97, 3), 2);
        // seed 1: a plain 80/20 split puts all 3 rare rows in the first part (about half of all seeds do)
        Dataset.Split plain = d.split(0.8, 1);
        assertEquals(0, rareRows(plain.validation()), "the seed this test shows");
        for (long seed = 0; seed < 50; seed++) {
            Dataset.Split s = d.stratifiedSplit(0.8, seed);
            // cut = 80: class 1's share 2.4 -> 2 (remainder 0.4), class 0's 77.6 -> 77 (0.6) + the missing row
            assertArrayEquals(new int[] {78, 2}, classCounts(s.train(), 2), "seed " + seed);
            assertArrayEquals(new int[] {19, 1}, classCounts(s.validation(), 2), "seed " + seed);
        }
    }

    @Test
    void aClassOfTwoOrMoreRowsReachesBothPartsWhenEachHasRoomForIt() {
        // 98/2 at 0.8: largest remainders give the 2 positives (share 1.6, remainder 0.6 over 0.4) both to the
        // first part, and the validation part had none to compute AUC on; at 0.9 (share 1.8) the same
        for (double f : new double[] {0.8, 0.9}) {
            for (long seed = 0; seed < 20; seed++) {
                Dataset.Split s = labelled(sortedLabels(98, 2), 2).stratifiedSplit(f, seed);
                assertEquals(1, rareRows(s.first()), f + ", seed " + seed);
                assertEquals(1, rareRows(s.second()), f + ", seed " + seed);
                assertPartition(s, 100);
            }
        }
        // share below one row (2 of 100 at 0.1: 0.2): one row in the small first part too
        Dataset.Split small = labelled(sortedLabels(98, 2), 2).stratifiedSplit(0.1, 3);
        assertArrayEquals(new int[] {9, 1}, classCounts(small.first(), 2));
        assertArrayEquals(new int[] {89, 1}, classCounts(small.second(), 2));
        // four classes of 2 or more rows and a second part of 4 rows: each class once in it (largest remainders
        // gave it 3 rows of class 0 and 1 of class 3: shares 22.75, 1.75, 1.75, 1.75, ties to the lower classes)
        Dataset.Split four = labelled(sortedLabels(26, 2, 2, 2), 4).stratifiedSplit(0.875, 1);
        assertArrayEquals(new int[] {1, 1, 1, 1}, classCounts(four.second(), 4));
        // more such classes than the part has rows: the quotas stay as computed, each part its size
        Dataset.Split crowded = labelled(sortedLabels(16, 2, 2, 2), 4).stratifiedSplit(0.9, 1);
        assertEquals(2, crowded.second().size());
        assertPartition(crowded, 22);
    }

    @Test
    void sizesAndClassSharesForManyShapes() {
        int[][] shapes = {{97, 3}, {5, 5, 5}, {1, 50, 2, 7}, {10, 0}, {33, 1, 1}, {4, 4}, {200, 17, 3, 1, 9}};
        double[] fractions = {0.1, 0.25, 0.5, 0.55, 0.8, 0.9, 0.97};
        for (int[] counts : shapes) {
            Dataset d = labelled(sortedLabels(counts), counts.length);
            int n = d.size();
            for (double f : fractions) {
                int cut = Dataset.firstPartSize(n, f);
                if (cut == 0 || cut == n) continue;
                Dataset.Split s = d.stratifiedSplit(f, 3);
                String what = Arrays.toString(counts) + " at " + f;
                assertEquals(cut, s.first().size(), what);
                assertEquals(n - cut, s.second().size(), what);
                int[] first = classCounts(s.first(), counts.length), second = classCounts(s.second(), counts.length);
                // a class of 2 or more rows whose share would leave it in one part is moved into both (when each
                // part has a row per such class), in exchange with another class, one row per class moved: then a
                // class is less than 1 + moved rows from its share; otherwise each class gets its floor or ceil
                int several = 0, moved = 0;
                for (int c = 0; c < counts.length; c++) {
                    several += counts[c] >= 2 ? 1 : 0;
                    double share = (double) counts[c] * cut / n;
                    moved += counts[c] >= 2 && (share < 1 || share > counts[c] - 1) ? 1 : 0; // may get 0 or all rows
                }
                boolean room = several <= cut && several <= n - cut;
                for (int c = 0; c < counts.length; c++) {
                    assertEquals(counts[c], first[c] + second[c], what);
                    double share = (double) counts[c] * cut / n;
                    if (moved > 0 && room) {
                        assertTrue(Math.abs(first[c] - share) < 1 + moved, what + ": class " + c + " got " + first[c] + " of share " + share);
                    } else {
                        assertTrue(first[c] == Math.floor(share) || first[c] == Math.ceil(share), what + ": class " + c
                                + " got " + first[c] + " of share " + share);
                    }
                    if (room && counts[c] >= 2) {
                        assertTrue(first[c] > 0 && second[c] > 0, what + ": class " + c + " in both parts");
                    }
                }
                assertPartition(s, n);
            }
        }
    }

    /** Every row in exactly one part, its features still with its target. */
    static void assertPartition(Dataset.Split s, int n) {
        int[] all = new int[n];
        int[] a = rows(s.first()), b = rows(s.second());
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        Arrays.sort(all);
        for (int i = 0; i < n; i++) assertEquals(i, all[i], "every row once");
    }

    @Test
    void largestRemaindersKeepTheTotalWherePerClassRoundingWouldNot() {
        // 3 classes of 5 at 0.5: cut = round(7.5) = 8, while rounding each class's 2.5 would give 9.
        // Each share is 8 * 5 / 15 = 2 remainder 10 (of 15); the 2 missing rows go to the lower classes on the tie.
        Dataset.Split s = labelled(sortedLabels(5, 5, 5), 3).stratifiedSplit(0.5, 9);
        assertArrayEquals(new int[] {3, 3, 2}, classCounts(s.first(), 3));
        assertArrayEquals(new int[] {2, 2, 3}, classCounts(s.second(), 3));
    }

    /**
     * The rounding rules stratifiedSplit's Javadoc states, each where the other choice would give other
     * parts: the first part's size rounds a half up, equal remainders give the missing row to the lower
     * class, and the exchange that keeps a class in both parts takes the lower class of equal partners.
     */
    @Test
    void halvesAndTiesGoAsDocumented() {
        // two classes of odd size at 0.5: shares 1.5 and 2.5 (3 and 5 rows), 1.5 and 1.5 (3 and 3), equal remainders
        assertArrayEquals(new int[] {2, 2}, classCounts(labelled(sortedLabels(3, 5), 2).stratifiedSplit(0.5, 1).first(), 2));
        assertArrayEquals(new int[] {2, 1}, classCounts(labelled(sortedLabels(3, 3), 2).stratifiedSplit(0.5, 1).first(), 2));
        // 9 rows at 0.5: cut 5 (4.5 rounds up), each class's share 5/3, the 2 missing rows to classes 0 and 1
        assertEquals(5, Dataset.firstPartSize(9, 0.5));
        assertArrayEquals(new int[] {2, 2, 1},
                classCounts(labelled(sortedLabels(3, 3, 3), 3).stratifiedSplit(0.5, 1).first(), 3));
        // the product is the double one: 45 * 0.7 is 31.499999999999996, not 31.5
        assertEquals(31, Dataset.firstPartSize(45, 0.7));
        // 2, 19 and 19 rows at 0.9: cut 36, shares 1.8, 17.1, 17.1, quotas 2, 17, 17 (class 0 the largest remainder);
        // class 0 would have no row left to validate on, so it gives one to the class furthest below its share
        // that can take it: classes 1 and 2 tie (17 of 17.1), and class 1, the lower, takes it
        assertArrayEquals(new int[] {1, 18, 17},
                classCounts(labelled(sortedLabels(2, 19, 19), 3).stratifiedSplit(0.9, 1).first(), 3));
    }

    @Test
    void deterministicBySeedAndDifferentAcrossSeeds() {
        Dataset d = labelled(sortedLabels(60, 30, 10), 3);
        Dataset.Split a = d.stratifiedSplit(0.7, 42), b = d.stratifiedSplit(0.7, 42), c = d.stratifiedSplit(0.7, 43);
        assertArrayEquals(rows(a.first()), rows(b.first()));
        assertArrayEquals(rows(a.second()), rows(b.second()));
        assertArrayEquals(a.first().targets().data(), b.first().targets().data());
        assertFalse(Arrays.equals(rows(a.first()), rows(c.first())), "another seed, other rows");
        int[] sortedA = rows(a.second()), sortedC = rows(c.second());
        Arrays.sort(sortedA);
        Arrays.sort(sortedC);
        assertFalse(Arrays.equals(sortedA, sortedC), "another seed chooses another set of rows, not only another order");
    }

    @Test
    void partsAreShuffledNotGroupedByClass() {
        Dataset.Split s = labelled(sortedLabels(50, 50), 2).stratifiedSplit(0.8, 5);
        for (Dataset part : new Dataset[] {s.first(), s.second()}) {
            int[] classes = OneHot.decode(part.targets());
            int[] sorted = classes.clone();
            Arrays.sort(sorted);
            assertFalse(Arrays.equals(sorted, classes), "classes interleaved: " + Arrays.toString(classes));
            int[] r = rows(part);
            int[] rs = r.clone();
            Arrays.sort(rs);
            assertFalse(Arrays.equals(rs, r), "rows in a shuffled order");
        }
        for (int i = 0; i < s.first().size(); i++) { // features still follow their targets
            assertEquals(rows(s.first())[i] < 50 ? 0 : 1, OneHot.decode(s.first().targets())[i]);
        }
    }

    @Test
    void oneClassIsThePlainSeededSplit() {
        Dataset d = labelled(sortedLabels(23), 1); // one column of 1s: class 1 of a binary target
        Dataset.Split s = d.stratifiedSplit(0.6, 11), p = d.split(0.6, 11);
        assertArrayEquals(rows(p.first()), rows(s.first()));
        assertArrayEquals(rows(p.second()), rows(s.second()));
    }

    @Test
    void binarySingleColumnTargets() {
        int n = 100;
        Tensor x = Tensor.zeros(n, 1), y = Tensor.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            x.set(i, 0, i);
            if (i % 10 == 3) y.set(i, 0, 1f); // 10 positives among 90 negatives, spread out
        }
        Dataset d = new Dataset(x, y);
        // cut 75: shares 67.5 and 7.5 tie on remainder, so class 0 (the 0s) gets the missing row
        Dataset.Split s = d.stratifiedSplit(0.75, 2);
        assertEquals(75, s.first().size());
        assertEquals(7, ones(s.first()));
        assertEquals(3, ones(s.second()));
        assertPartition(s, n);
        for (int i = 0; i < s.second().size(); i++) { // targets still with their rows
            assertEquals(rows(s.second())[i] % 10 == 3 ? 1f : 0f, s.second().targets().get(i, 0));
        }
    }

    static int ones(Dataset part) {
        int ones = 0;
        for (float v : part.targets().data()) ones += v == 1f ? 1 : 0;
        return ones;
    }

    @Test
    void refusesTargetsWithoutOneClassNamingTheRow() {
        String advice = "For regression, multi-label or soft-label targets use split(firstFraction, seed)";
        // regression: one column of values
        Dataset regression = DataTest.numbered(6);
        String m = message(() -> regression.stratifiedSplit(0.5, 1));
        assertEquals("target row 2 is 2.0, neither 0 nor 1; stratifiedSplit needs one class per row: 0 or 1 in the single"
                + " target column (for class numbers 0, 1, 2, ... in one column, one-hot encode them: OneHot.encode, or"
                + " CsvReader's oneHot(true)). " + advice, m);
        // soft labels
        Dataset soft = Dataset.of(new float[][] {{0}, {1}, {2}, {3}},
                new float[][] {{1, 0, 0}, {0, 1, 0}, {0.1f, 0.8f, 0.1f}, {0, 0, 1}});
        m = message(() -> soft.stratifiedSplit(0.5, 1));
        assertEquals("target row 2 has 0.1 in column 0, neither 0 nor 1; stratifiedSplit needs one class per row: one-hot"
                + " rows (OneHot.encode), a 1 in the class's column and 0 in the others. " + advice, m);
        // multi-label
        Dataset multi = Dataset.of(new float[][] {{0}, {1}, {2}}, new float[][] {{1, 0, 0}, {0, 1, 1}, {0, 0, 1}});
        m = message(() -> multi.stratifiedSplit(0.5, 1));
        assertTrue(m.startsWith("target row 1 has a 1 in columns 1 and 2 (a multi-label row); "), m);
        assertTrue(m.endsWith(advice), m);
        // a row with no class
        Dataset none = Dataset.of(new float[][] {{0}, {1}, {2}}, new float[][] {{1, 0}, {0, 1}, {0, 0}});
        m = message(() -> none.stratifiedSplit(0.5, 1));
        assertTrue(m.startsWith("target row 2 is all zeros; "), m);
        // a binary soft label
        Dataset half = Dataset.of(new float[][] {{0}, {1}, {2}}, new float[][] {{0}, {0.5f}, {1}});
        m = message(() -> half.stratifiedSplit(0.5, 1));
        assertTrue(m.startsWith("target row 1 is 0.5, neither 0 nor 1; "), m);
    }

    @Test
    void refusesAFractionAsSplitDoes() {
        Dataset d = labelled(sortedLabels(2, 1), 2);
        for (double f : new double[] {0.1, 0.9, 0, 1, -0.5, Double.NaN}) {
            assertEquals(message(() -> d.split(f, 1)), message(() -> d.stratifiedSplit(f, 1)), "fraction " + f);
        }
        assertTrue(message(() -> d.stratifiedSplit(0.1, 1)).contains("leaves the first part empty"));
        // the fraction is checked first: the same advice whatever the targets
        assertEquals(message(() -> DataTest.numbered(3).split(0.9, 1)), message(() -> DataTest.numbered(3).stratifiedSplit(0.9, 1)));
    }
}
