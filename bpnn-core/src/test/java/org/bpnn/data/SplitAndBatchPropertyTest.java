package org.bpnn.data;

import static org.bpnn.data.StratifiedSplitTest.classCounts;
import static org.bpnn.data.StratifiedSplitTest.labelled;
import static org.bpnn.data.StratifiedSplitTest.rows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bpnn.nn.Rng;
import org.junit.jupiter.api.Test;

/**
 * Property tests of what Dataset's and Batches' Javadoc promise, over hundreds of seeded random shapes
 * (deterministic: every case comes from a fixed java.util.Random seed, so a failure names a case that
 * reproduces). Each row carries its index as its only feature, so where a row went can be read back.
 * The class counts are drawn so that tiny classes (1 or 2 rows) and empty classes occur often.
 */
class SplitAndBatchPropertyTest {

    static final int CASES = 400;

    /** Class counts for one case: 1 to 5 classes, often including a class of 0, 1 or 2 rows. */
    static int[] randomCounts(Random r) {
        int k = 1 + r.nextInt(5);
        int[] counts = new int[k];
        for (int c = 0; c < k; c++) {
            switch (r.nextInt(4)) {
                case 0: counts[c] = r.nextInt(3); break;      // 0, 1 or 2 rows
                case 1: counts[c] = 3 + r.nextInt(8); break;
                default: counts[c] = 1 + r.nextInt(60); break;
            }
        }
        if (Arrays.stream(counts).sum() < 2) counts[0] += 2; // a split needs 2 rows
        return counts;
    }

    /** Labels with counts[c] rows of class c, in a random (not sorted) order. */
    static int[] shuffledLabels(int[] counts, Random r) {
        int[] labels = StratifiedSplitTest.sortedLabels(counts);
        for (int i = labels.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = labels[i];
            labels[i] = labels[j];
            labels[j] = t;
        }
        return labels;
    }

    /** A fraction that leaves both parts of n rows non-empty (split refuses the others). */
    static double fraction(int n, Random r) {
        while (true) {
            double f = r.nextBoolean() ? new double[] {0.1, 0.2, 0.25, 0.5, 0.7, 0.75, 0.8, 0.9}[r.nextInt(8)]
                    : 0.01 + 0.98 * r.nextDouble();
            int cut = Dataset.firstPartSize(n, f);
            if (cut > 0 && cut < n) return f;
        }
    }

    /** The rows of a split's two parts, first then second: a permutation of 0..n-1 when nothing was lost or doubled. */
    static int[] concat(Dataset.Split s) {
        int[] a = rows(s.first()), b = rows(s.second()), all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    static void assertPermutation(int[] rows, int n, String what) {
        assertEquals(n, rows.length, what + ": row count");
        boolean[] seen = new boolean[n];
        for (int r : rows) {
            assertTrue(r >= 0 && r < n && !seen[r], what + ": row " + r + " lost or doubled in " + Arrays.toString(rows));
            seen[r] = true;
        }
    }

    /** Every part's rows keep their targets (and weights, when weighted): row r's target is labels[r]'s one-hot. */
    static void assertRowsKeepTargets(Dataset part, int[] labels, String what) {
        int[] r = rows(part);
        for (int i = 0; i < r.length; i++) {
            for (int j = 0; j < part.targetCount(); j++) {
                assertEquals(labels[r[i]] == j ? 1f : 0f, part.targets().get(i, j), what + ": row " + r[i] + "'s target");
            }
            if (part.isWeighted()) assertEquals(weightOf(r[i]), part.sampleWeights().get(i, 0), what + ": row " + r[i] + "'s weight");
        }
    }

    /** The sample weight given to row r in the weighted cases: never 0, so no part is refused for weight. */
    static float weightOf(int r) {
        return 0.5f + (r % 7);
    }

    static Dataset weighted(Dataset d) {
        float[] w = new float[d.size()];
        for (int i = 0; i < w.length; i++) w[i] = weightOf(i);
        return d.withSampleWeights(w);
    }

    /** Whether a is a subsequence of b (a's elements appear in b in the same relative order). */
    static boolean subsequence(int[] a, int[] b) {
        int j = 0;
        for (int i = 0; i < b.length && j < a.length; i++) if (b[i] == a[j]) j++;
        return j == a.length;
    }

    @Test
    void splitKeepsEveryRowOnceAndIsDeterminedBySeed() {
        Random r = new Random(20261130L);
        int differed = 0, compared = 0;
        for (int t = 0; t < CASES; t++) {
            int[] counts = randomCounts(r);
            int[] labels = shuffledLabels(counts, r);
            Dataset d = labelled(labels, counts.length);
            if (r.nextBoolean()) d = weighted(d);
            int n = d.size();
            double f = fraction(n, r);
            long seed = r.nextLong();
            String what = "case " + t + ": " + Arrays.toString(counts) + " at " + f + ", seed " + seed;
            int cut = Dataset.firstPartSize(n, f);

            // split(f): in order, round(n f) rows first
            Dataset.Split ordered = d.split(f);
            int[] inOrder = concat(ordered);
            assertEquals(cut, ordered.first().size(), what);
            for (int i = 0; i < n; i++) assertEquals(i, inOrder[i], what + ": split(f) keeps the rows' order");

            // split(f, seed): a permutation, the same for the same seed
            Dataset.Split s = d.split(f, seed), again = d.split(f, seed);
            assertEquals(cut, s.first().size(), what);
            assertEquals(n - cut, s.second().size(), what);
            int[] order = concat(s);
            assertPermutation(order, n, what);
            assertArrayEquals(order, concat(again), what + ": same seed, same split");
            assertRowsKeepTargets(s.first(), labels, what);
            assertRowsKeepTargets(s.second(), labels, what);
            // shuffled(seed) is the same permutation split(f, seed) cuts ("the order split would use")
            assertArrayEquals(order, rows(d.shuffled(seed)), what + ": shuffled(seed) is split's order");
            if (n >= 12) {
                // another seed: at least 12! orders, so a repeat is a broken seed, not chance
                compared++;
                if (!Arrays.equals(order, concat(d.split(f, seed + 1)))) differed++;
            }
        }
        assertTrue(compared > CASES / 2, "too few large cases: " + compared);
        assertEquals(compared, differed, "seeds s and s + 1 gave the same order");
    }

    @Test
    void stratifiedSplitKeepsEveryRowOnceAndEachClassWithinOneRowOfItsShare() {
        Random r = new Random(7_300L);
        int exchanged = 0, tiny = 0, single = 0;
        for (int t = 0; t < CASES; t++) {
            int[] counts = randomCounts(r);
            int[] labels = shuffledLabels(counts, r);
            int k = Math.max(2, counts.length); // one class: a 2-column one-hot with an empty class 1
            Dataset d = labelled(labels, k);
            if (r.nextBoolean()) d = weighted(d);
            int n = d.size();
            double f = fraction(n, r);
            long seed = r.nextLong();
            String what = "case " + t + ": " + Arrays.toString(counts) + " at " + f + ", seed " + seed;
            int cut = Dataset.firstPartSize(n, f);
            Dataset.Split s = d.stratifiedSplit(f, seed);
            assertEquals(cut, s.first().size(), what + ": firstPartSize rows first, as split");
            int[] all = concat(s);
            assertPermutation(all, n, what);
            assertArrayEquals(all, concat(d.stratifiedSplit(f, seed)), what + ": same seed, same parts");
            assertRowsKeepTargets(s.first(), labels, what);
            assertRowsKeepTargets(s.second(), labels, what);
            // both parts keep the order split(f, seed) would use
            int[] order = rows(d.shuffled(seed));
            assertTrue(subsequence(rows(s.first()), order) && subsequence(rows(s.second()), order), what + ": shuffled order kept");

            int[] first = classCounts(s.first(), k), second = classCounts(s.second(), k);
            int several = 0, moved = 0, present = 0;
            for (int c = 0; c < counts.length; c++) {
                several += counts[c] >= 2 ? 1 : 0;
                present += counts[c] > 0 ? 1 : 0;
                double share = (double) counts[c] * cut / n;
                moved += counts[c] >= 2 && (share < 1 || share > counts[c] - 1) ? 1 : 0;
            }
            boolean room = several <= cut && several <= n - cut;
            for (int c = 0; c < counts.length; c++) {
                String cls = what + ": class " + c + " got " + first[c] + " of share " + (double) counts[c] * cut / n;
                assertEquals(counts[c], first[c] + second[c], cls);
                // exact integers: |first * n - counts * cut| < n is "within one row of the share"
                long off = Math.abs((long) first[c] * n - (long) counts[c] * cut);
                if (moved == 0 || !room) {
                    assertTrue(off < n, cls + ": not within one row");
                } else {
                    // the documented exchanges: each moves a class one row further, so none is moved past 1 + moved
                    assertTrue(off < (long) (1 + moved) * n, cls + ": more than " + (1 + moved) + " rows off");
                }
                if (room && counts[c] >= 2) assertTrue(first[c] > 0 && second[c] > 0, cls + ": a class of 2+ rows in one part");
                if (counts[c] == 1) tiny++;
            }
            if (moved > 0 && room) exchanged++;
            if (present == 1) {
                single++;
                // with a single class the result equals split(f, seed)
                assertArrayEquals(concat(d.split(f, seed)), all, what + ": one class is the plain seeded split");
            }
        }
        // not vacuous: the exchanges, classes of one row and single-class sets all occurred
        assertTrue(exchanged > 20 && tiny > 50 && single > 20, "exchanged " + exchanged + ", tiny " + tiny + ", single " + single);
    }

    @Test
    void kFoldsPartitionTheRowsAndStratifiedOnesKeepEachClassInEveryFold() {
        Random r = new Random(99_001L);
        int stratified = 0;
        for (int t = 0; t < CASES / 2; t++) {
            int[] counts = randomCounts(r);
            int[] labels = shuffledLabels(counts, r);
            int kc = Math.max(2, counts.length);
            Dataset d = labelled(labels, kc);
            int n = d.size();
            int k = 2 + r.nextInt(Math.min(9, n - 1));
            long seed = r.nextLong();
            String what = "case " + t + ": " + Arrays.toString(counts) + ", k " + k + ", seed " + seed;
            List<Dataset.Split> folds = d.kFold(k, seed);
            assertFoldPartition(folds, n, k, what);
            // dealt in turn from split's order: row j of shuffled(seed) validates in fold j mod k
            int[] order = rows(d.shuffled(seed));
            for (int j = 0; j < n; j++) {
                int[] v = rows(folds.get(j % k).validation());
                assertEquals(order[j], v[j / k], what + ": position " + j + " of the shuffled order");
            }
            int smallest = Arrays.stream(counts).filter(c -> c > 0).min().getAsInt();
            if (k > smallest) continue; // refused (a class with fewer rows than folds), as documented and tested elsewhere
            stratified++;
            List<Dataset.Split> sf = d.stratifiedKFold(k, seed);
            assertFoldPartition(sf, n, k, what + " stratified");
            for (int f = 0; f < k; f++) {
                // sizes those of kFold(k, seed)
                assertEquals(folds.get(f).validation().size(), sf.get(f).validation().size(), what + ": fold " + f + " size");
                int[] v = classCounts(sf.get(f).validation(), kc);
                for (int c = 0; c < counts.length; c++) {
                    assertTrue(v[c] == counts[c] / k || v[c] == (counts[c] + k - 1) / k,
                            what + ": fold " + f + " has " + v[c] + " of class " + c + "'s " + counts[c]);
                }
                assertTrue(subsequence(rows(sf.get(f).validation()), order) && subsequence(rows(sf.get(f).train()), order),
                        what + ": fold " + f + " keeps the shuffled order");
            }
        }
        assertTrue(stratified > 50, "stratified cases " + stratified);
    }

    /** Validation parts partition 0..n-1 with sizes n / k (the first n mod k one more); train is the rest. */
    static void assertFoldPartition(List<Dataset.Split> folds, int n, int k, String what) {
        assertEquals(k, folds.size(), what);
        List<Integer> all = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            Dataset.Split s = folds.get(f);
            assertEquals(n / k + (f < n % k ? 1 : 0), s.validation().size(), what + ": fold " + f + "'s validation rows");
            int[] v = rows(s.validation()), tr = rows(s.train());
            assertEquals(n, v.length + tr.length, what);
            int[] both = Arrays.copyOf(v, n);
            System.arraycopy(tr, 0, both, v.length, tr.length);
            assertPermutation(both, n, what + ": fold " + f);
            for (int x : v) all.add(x);
        }
        assertPermutation(all.stream().mapToInt(Integer::intValue).toArray(), n, what + ": validation parts");
    }

    @Test
    void batchesVisitEveryRowOncePerPassAndHandleTheLastPartialBatchAsDocumented() {
        Random r = new Random(31_337L);
        int partial = 0, dropped = 0, oversized = 0;
        for (int t = 0; t < CASES; t++) {
            int n = 1 + r.nextInt(r.nextBoolean() ? 10 : 200);
            int size = 1 + r.nextInt(r.nextInt(4) == 0 ? 2 * n + 5 : Math.max(1, n / 2) + 1);
            boolean dropLast = r.nextBoolean();
            Dataset d = labelled(new int[n], 1);
            boolean weightedSet = r.nextBoolean();
            if (weightedSet) d = weighted(d);
            String what = "case " + t + ": " + n + " rows, batches of " + size + (dropLast ? ", dropLast" : "");
            Batches b = d.batches(size, dropLast);
            int full = Math.min(size, n), rest = n % full;
            // "A batch size larger than the data set gives one batch of all rows" (dropLast or not)
            if (size >= n) {
                oversized++;
                assertEquals(1, b.count(), what);
                assertEquals(n, b.rows(0), what);
            }
            int expectedCount = n / full + (rest > 0 && !dropLast ? 1 : 0);
            assertEquals(expectedCount, b.count(), what);
            assertEquals(expectedCount, Batches.count(n, size, dropLast), what + ": the static count agrees");
            assertEquals(full, b.batchSize(), what);
            if (rest > 0) {
                if (dropLast) dropped++; else partial++;
            }
            int[] seen = new int[n];
            long rngSeed = r.nextLong();
            for (int pass = 0; pass < 2; pass++) {
                if (pass == 1) b.shuffle(new Rng(rngSeed));
                List<Integer> visited = new ArrayList<>();
                for (int i = 0; i < b.count(); i++) {
                    int rows = b.rows(i);
                    assertEquals(i == b.count() - 1 && rest > 0 && !dropLast ? rest : full, rows, what + ": rows of batch " + i);
                    var x = b.features(i);
                    assertEquals(rows, x.rows(), what);
                    assertEquals(rows, b.targets(i).rows(), what);
                    var w = b.weights(i);
                    if (weightedSet) {
                        assertEquals(rows, w.rows(), what);
                    } else {
                        assertNull(w, what);
                    }
                    for (int j = 0; j < rows; j++) {
                        int row = (int) x.get(j, 0);
                        visited.add(row);
                        if (weightedSet) assertEquals(weightOf(row), w.get(j, 0), what + ": row " + row + "'s weight");
                    }
                }
                assertEquals(b.samplesPerPass(), visited.size(), what + ": samplesPerPass");
                assertEquals(dropLast ? n - rest : n, visited.size(), what + ": rows per pass");
                Arrays.fill(seen, 0);
                for (int row : visited) seen[row]++;
                for (int row = 0; row < n; row++) {
                    assertTrue(seen[row] <= 1, what + ": row " + row + " twice in pass " + pass);
                }
                if (!dropLast || rest == 0) {
                    for (int row = 0; row < n; row++) assertEquals(1, seen[row], what + ": row " + row + " missed in pass " + pass);
                }
                if (pass == 0) {
                    // unshuffled: the rows in order
                    for (int i = 0; i < visited.size(); i++) assertEquals(i, visited.get(i), what + ": unshuffled order");
                } else {
                    // "the order depends only on the rng's state": the same seed again gives the same order
                    Batches other = d.batches(size, dropLast);
                    other.shuffle(new Rng(12345));
                    other.shuffle(new Rng(rngSeed));
                    for (int i = 0; i < b.count(); i++) {
                        assertArrayEquals(b.features(i).data(), other.features(i).data(), what + ": replayed order, batch " + i);
                    }
                }
            }
            // full batches share their tensors (a partial last batch's own tensors show in its row count above);
            // two full batches are needed to compare: with fewer, features(0) would be compared with itself
            if (b.count() > 2) assertSame(b.features(0), b.features(1), what + ": full batches share a tensor");
        }
        assertTrue(partial > 50 && dropped > 50 && oversized > 20, "partial " + partial + ", dropped " + dropped + ", oversized " + oversized);
    }

    @Test
    void anotherSeedShufflesBatchesDifferently() {
        Dataset d = labelled(new int[50], 1);
        Batches a = d.batches(8, false), b = d.batches(8, false);
        int same = 0;
        for (long seed = 0; seed < 200; seed++) {
            a.shuffle(new Rng(seed));
            b.shuffle(new Rng(seed + 1));
            boolean equal = true;
            for (int i = 0; i < a.count() && equal; i++) equal = Arrays.equals(a.features(i).data(), b.features(i).data());
            same += equal ? 1 : 0;
        }
        assertFalse(same > 0, same + " of 200 neighbouring seeds gave the same 50-row order");
    }
}
