package org.bpnn.simd.kernel;

import static org.bpnn.simd.kernel.GemmKernels.L;
import static org.bpnn.simd.kernel.GemmKernels.NR;
import static org.bpnn.simd.kernel.GemmKernels.NW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How {@link Gemm} cuts a product for threads: the part counts {@link Gemm#chunks} picks, and the
 * slices of C the parts of {@link Gemm#gemm} then compute. Any cut gives the same bits, so the
 * products' values alone do not show a cut that leaves a part idle or a rule that picks other kernels
 * than it says; these tests read the cut itself. Shapes are given in vectors (L lanes, NR = 2 L, NW =
 * 4 L), so they hold for every species.
 */
class GemmSplitTest {

    /**
     * For each transpose and 2 to 4 threads, the parts {@link Gemm#chunks} gives each write a
     * non-empty slice of C, the slices do not overlap and together cover C, with the one-part values:
     * a part with nothing to do leaves its thread idle (a product on one thread, for the cost of a
     * split). The shapes reach each rule: a row vector, a column vector, the narrow kernels, outputs
     * between one and two vectors wide, one panel over many rows, runs of vectors for the four-vector
     * kernels, and TN products cut by rows.
     */
    @Test
    void everyPartWritesItsOwnNonEmptySliceOfC() {
        assumeTrue(Simd.ENABLED, "bpnn.simd.bits=off");
        // without it, an NT product with beta = 0 in parts takes the transposed-output path, cut otherwise
        assumeTrue(Gemm.WEIGHT_ROWS, "-Dbpnn.simd.noWeightRowSplit=true");
        Random r = new Random(7);
        int[][] shapes = {
            {1, 4 * L, 9}, {1, 4 * L + 1, 9}, {1, 20 * L, 9}, {4 * L + 1, 1, 9}, {20 * L, 1, 9},
            {128, L, 9}, {31, L, 9}, {33, 10, 9}, {128, NR - 1, 9}, {8 * L, L + 1, 9},
            {128, NR, 9}, {16, NR, 9}, {9, NR, 9}, {8, 2 * NR, 9}, {128, NW, 9}, {128, NW + 1, 9},
            {64, 2 * NW, 9}, {70, 5 * NW + 3, 9}, {32, 4 * NR, 9}, {31, 4 * NR, 9}, {47, 3 * NR + 5, 9},
            // NN with few rows on the two-vector kernels (NN_IN_PLACE_ROWS), and one row more
            {20, 3 * NW + 5, 9}, {Gemm.NN_IN_PLACE_ROWS, 2 * NW, 9}, {Gemm.NN_IN_PLACE_ROWS + 1, 2 * NW, 9}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (int threads = 2; threads <= 4; threads++) {
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        // beta != 0 keeps the NT products off the transposed-output path, which one part takes
                        int parts = Gemm.chunks(ta, tb, m, n, k, 0.5f, threads);
                        checkSlices(r, ta, tb, m, n, k, parts, (ta ? "T" : "N") + (tb ? "T" : "N") + " " + m
                                + "x" + n + "x" + k + ", " + threads + " threads, " + parts + " parts");
                    }
                }
            }
        }
    }

    private static void checkSlices(Random r, boolean ta, boolean tb, int m, int n, int k, int parts, String what) {
        int lda = ta ? m : k, ldb = tb ? k : n;
        float[] a = new float[m * k], b = new float[k * n], c0 = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
        for (int i = 0; i < c0.length; i++) c0[i] = (float) r.nextGaussian();
        float[] whole = c0.clone();
        Gemm.gemm(ta, tb, m, n, k, 0.75f, a, 0, lda, b, 0, ldb, 0.5f, whole, 0, n, 0, 1);
        int[] owner = new int[m * n];
        Arrays.fill(owner, -1);
        for (int p = 0; p < parts; p++) {
            // C over NaN with beta = 0: the elements the part writes get numbers, the others stay NaN
            // (its values are checked below, with beta = 0.5 over c0)
            float[] c = new float[m * n];
            Arrays.fill(c, Float.NaN);
            Gemm.gemm(ta, tb, m, n, k, 0.75f, a, 0, lda, b, 0, ldb, 0f, c, 0, n, p, parts);
            int written = 0;
            for (int i = 0; i < c.length; i++) {
                if (!Float.isNaN(c[i])) {
                    if (owner[i] >= 0) {
                        fail(what + ": C[" + i / n + "][" + i % n + "] written by parts " + owner[i] + " and " + p);
                    }
                    owner[i] = p;
                    written++;
                }
            }
            assertTrue(written > 0, what + ": part " + p + " writes nothing");
            float[] cp = c0.clone();
            Gemm.gemm(ta, tb, m, n, k, 0.75f, a, 0, lda, b, 0, ldb, 0.5f, cp, 0, n, p, parts);
            for (int i = 0; i < cp.length; i++) {
                if (owner[i] == p && Float.floatToRawIntBits(cp[i]) != Float.floatToRawIntBits(whole[i])) {
                    fail(what + ": part " + p + " gives C[" + i / n + "][" + i % n + "] = " + cp[i]
                            + ", one part " + whole[i]);
                }
            }
        }
        for (int i = 0; i < owner.length; i++) {
            if (owner[i] < 0) {
                fail(what + ": C[" + i / n + "][" + i % n + "] written by no part");
            }
        }
    }

    /**
     * The part counts at the edges of {@link Gemm#chunks}'s rules, on the product as computed: a
     * matrix-vector product takes a part per 4 vectors of output (per 8 outputs when it sums dot products, as
     * single-sample predict's x W^T does), up to 2 per thread; the narrow
     * kernels a part per 16 rows, up to 1 per thread; NN and NT (the four-vector kernels) runs of
     * vectors, one part per thread, two once each gets an NW panel; TN one part per thread when every
     * part copies A; else the NR panels or the 8-row blocks, up to 1 per thread.
     */
    @Test
    void partCountsAtTheEdgesOfTheRules() {
        assumeTrue(Simd.ENABLED, "bpnn.simd.bits=off");
        // a row vector times a B read along its rows: units of 4 vectors of C
        assertEquals(1, Gemm.chunks(false, false, 1, 4 * L, 2), "gemv, 1 unit");
        assertEquals(2, Gemm.chunks(false, false, 1, 4 * L + 1, 2), "gemv, 2 units");
        assertEquals(4, Gemm.chunks(false, false, 1, 20 * L, 2), "gemv, 5 units on 2 threads");
        assertEquals(5, Gemm.chunks(false, false, 1, 20 * L, 3), "gemv, 5 units on 3 threads");
        // x W^T (single-sample predict): units of the 8 rows the dot products sum jointly
        assertEquals(1, Gemm.chunks(false, true, 1, 8, 2), "gemv by dots, 1 unit");
        assertEquals(2, Gemm.chunks(false, true, 1, 9, 2), "gemv by dots, 2 units");
        assertEquals(3, Gemm.chunks(false, true, 1, 17, 2), "gemv by dots, 3 units");
        assertEquals(4, Gemm.chunks(false, true, 1, 200, 2), "gemv by dots, 25 units on 2 threads");
        // a column vector is computed as a row: counted on that row
        assertEquals(5, Gemm.chunks(true, false, 20 * L, 1, 3), "a column of 5 units on 3 threads");
        assertEquals(2, Gemm.chunks(false, false, 9, 1, 3), "a column by dots (A's rows), 2 units on 3 threads");
        if (Gemm.WIDE) {
            // L < n < NR is computed as C^T = op(B)^T op(A)^T, whose A is B: copied unless B is transposed
            assertEquals(2, Gemm.chunks(false, false, 5 * NW, L + 1, 2), "NN computed as C^T: B copied");
            assertEquals(4, Gemm.chunks(false, true, 5 * NW, L + 1, 2), "NT computed as C^T: 20 vectors");
        }
        // the narrow kernels: rows, at least 16 a part
        assertEquals(2, Gemm.chunks(false, true, 32, L, 2), "narrow, 32 rows");
        assertEquals(1, Gemm.chunks(false, true, 31, L, 2), "narrow, 31 rows");
        if (Gemm.WIDE) {
            // runs of vectors: one part per thread once there are as many vectors as threads, two per
            // thread once each part gets an NW panel
            assertEquals(2, Gemm.chunks(false, true, 8, NR, 2), "NT, 2 vectors, 8 rows");
            assertEquals(2, Gemm.chunks(false, false, 128, 2 * NW, 2), "NN, 2 NW panels");
            assertEquals(2, Gemm.chunks(false, true, 128, 3 * NW, 2), "NT, 3 NW panels: not 3 parts on 2 threads");
            assertEquals(2, Gemm.chunks(false, true, 128, 4 * NW - L, 2), "NT, 15 vectors");
            assertEquals(4, Gemm.chunks(false, true, 128, 4 * NW - 1, 2), "NT, 16 vectors, the last short of a column");
            assertEquals(4, Gemm.chunks(false, true, 128, 4 * NW, 2), "NT, 4 NW panels");
            assertEquals(3, Gemm.chunks(false, true, 128, 3 * NW, 3), "NT, 3 NW panels on 3 threads");
            assertEquals(4, Gemm.chunks(false, false, 128, 5 * NW, 2), "NN, 5 NW panels");
            // fewer vectors than threads: NR panels or 8-row blocks, up to 1 per thread
            assertEquals(1, Gemm.chunks(false, true, 8, NR, 3), "NT, 2 vectors, 8 rows, 3 threads");
            assertEquals(2, Gemm.chunks(false, true, 16, NR, 3), "NT, 2 vectors, 16 rows, 3 threads");
            // NN with at most NN_IN_PLACE_ROWS rows takes the two-vector kernels: NR panels or 8-row blocks
            assertEquals(1, Gemm.chunks(false, false, 8, NR, 2), "NN, 1 panel, 8 rows");
            assertEquals(2, Gemm.chunks(false, false, 16, NR, 2), "NN, 1 panel, 16 rows");
            assertEquals(4, Gemm.chunks(false, false, 16, 4 * NR, 2), "NN, 4 panels, 16 rows");
        }
        // TN copies A in every part: one part per thread from 2 NR panels per thread
        assertEquals(2, Gemm.chunks(true, false, 128, 4 * NR, 2), "TN, 4 panels");
        assertEquals(3, Gemm.chunks(true, false, 128, 6 * NR, 3), "TN, 6 panels on 3 threads");
        // below that, the panels or the 8-row blocks
        assertEquals(1, Gemm.chunks(true, false, 8, NR, 2), "TN, 1 panel, 8 rows");
        assertEquals(2, Gemm.chunks(true, false, 16, NR, 2), "TN, 1 panel, 16 rows");
        assertEquals(2, Gemm.chunks(true, false, 8, 2 * NR, 2), "TN, 2 panels, 8 rows");
    }

    /**
     * A product the four-vector kernels take (NN, NT: A read in place) is cut into a multiple of the
     * thread count, so that each thread computes as many parts, of as many vectors give or take one:
     * the pool's StallGuard judges a run by its fastest part, and three parts on two threads (out = 129
     * to 192 cut by NW panels) left one thread two of them, and a last part of 16 columns beside two of
     * 64 (out = 144) made the guard take the split for a loss.
     */
    @Test
    void aWideProductsPartsAreEvenAndAsManyOnEachThread() {
        assumeTrue(Simd.ENABLED, "bpnn.simd.bits=off");
        assumeTrue(Gemm.WIDE, "-Dbpnn.simd.noWideKernel=true");
        assumeTrue(Gemm.WEIGHT_ROWS, "-Dbpnn.simd.noWeightRowSplit=true");
        int m = 128, k = 9;
        float[] a = new float[m * k];
        Arrays.fill(a, 1f);
        for (int threads = 2; threads <= 4; threads++) {
            for (int n : new int[] {NW + L, 2 * NW + L, 3 * NW - L, 3 * NW, 3 * NW + L, 5 * NW, 5 * NW + 7}) {
                for (boolean tb : new boolean[] {false, true}) {
                    String what = (tb ? "NT " : "NN ") + m + "x" + n + "x" + k + ", " + threads + " threads";
                    // beta != 0: an NT product stays off the transposed-output path (one part only)
                    int parts = Gemm.chunks(false, tb, m, n, k, 0.5f, threads);
                    assertEquals(0, parts % threads, what + ": " + parts + " parts");
                    float[] b = new float[k * n];
                    Arrays.fill(b, 1f);
                    int fewest = Integer.MAX_VALUE, most = 0;
                    for (int p = 0; p < parts; p++) {
                        float[] c = new float[m * n];
                        Arrays.fill(c, Float.NaN);
                        Gemm.gemm(false, tb, m, n, k, 1f, a, 0, k, b, 0, tb ? k : n, 0.5f, c, 0, n, p, parts);
                        int columns = 0;
                        for (int j = 0; j < n; j++) {
                            columns += Float.isNaN(c[j]) ? 0 : 1;
                        }
                        fewest = Math.min(fewest, columns);
                        most = Math.max(most, columns);
                    }
                    assertTrue(most - fewest <= L, what + ": parts of " + fewest + " to " + most + " columns");
                }
            }
        }
    }

    /**
     * Single-sample predict's product x W^T is cut by groups of 8 outputs (the rows gemvDots sums
     * jointly), so that its parts differ by at most 8 outputs: cut by 4 vectors, 200 outputs made
     * parts of 64, 64, 64 and 8, and the pool's StallGuard, which takes the fastest part as the
     * run's speed, judged such splits as losses.
     */
    @Test
    void aSingleSamplePredictsPartsDifferByAtMostEightOutputs() {
        assumeTrue(Simd.ENABLED, "bpnn.simd.bits=off");
        int k = 9;
        float[] x = new float[k];
        Arrays.fill(x, 1f);
        for (int threads = 2; threads <= 4; threads++) {
            for (int n : new int[] {100, 200, 300, 500}) {
                int parts = Gemm.chunks(false, true, 1, n, k, 0f, threads);
                float[] w = new float[n * k];
                Arrays.fill(w, 1f);
                int fewest = Integer.MAX_VALUE, most = 0;
                for (int p = 0; p < parts; p++) {
                    float[] c = new float[n];
                    Arrays.fill(c, Float.NaN);
                    Gemm.gemm(false, true, 1, n, k, 1f, x, 0, k, w, 0, k, 0f, c, 0, n, p, parts);
                    int outputs = 0;
                    for (float v : c) {
                        outputs += Float.isNaN(v) ? 0 : 1;
                    }
                    fewest = Math.min(fewest, outputs);
                    most = Math.max(most, outputs);
                }
                assertEquals(2 * threads, parts, "1x" + n + "x" + k + " by dots, " + threads + " threads");
                assertTrue(most - fewest <= 8, "1x" + n + "x" + k + ", " + threads + " threads: parts of "
                        + fewest + " to " + most + " outputs");
            }
        }
    }

    /**
     * Each part of a product the four-vector kernels take runs them on the whole NW panels from its
     * first column, and the two-vector kernels on the columns left over, the one-vector kernels on a last
     * panel at most a vector wide ({@link Gemm#columnUnit}): parts start inside an NW panel of C and can
     * be narrower than one. Any kernel gives the same bits, so the values cannot show which ran; the
     * part's scratch does. On a thread whose scratch starts empty, {@code blocked} grows the stage to kc + 1
     * rows of the widest panel it packed (NW for the four-vector kernels, NR for the two-vector ones) and
     * allocates the one-vector panel only for a thin last panel.
     */
    @Test
    void aPartRunsTheFourVectorKernelsOnItsWholeNWPanelsAndTheOthersOnTheRest() {
        assumeTrue(Simd.ENABLED, "bpnn.simd.bits=off");
        // one row more than NN takes on the two-vector kernels alone (nnWithFewRowsReadsBInPlaceOnTheTwoVectorKernels)
        int m = Gemm.NN_IN_PLACE_ROWS + 1, k = 9;
        float[] a = new float[m * k];
        Arrays.fill(a, 1f);
        for (int n : new int[] {NR, NW, NW + L, 2 * NW + L + 3, 3 * NW - 1, 5 * NW + 7}) {
            float[] b = new float[k * n];
            Arrays.fill(b, 1f);
            for (boolean tb : new boolean[] {false, true}) {
                for (int parts = 1; parts <= 9; parts++) {
                    for (int p = 0; p < parts; p++) {
                        String what = (tb ? "NT " : "NN ") + m + "x" + n + "x" + k + ", part " + p + " of " + parts;
                        Gemm.Scratch s = Gemm.scratch();
                        s.stage = new float[0];
                        s.pt = new float[0];
                        float[] c = new float[m * n];
                        Arrays.fill(c, Float.NaN);
                        // beta = 0 over NaN: the elements the part writes get numbers (NT stays direct: m < 2 NR)
                        Gemm.gemm(false, tb, m, n, k, 1f, a, 0, k, b, 0, tb ? k : n, 0f, c, 0, n, p, parts);
                        // the part's columns: a run of them, or all n when the parts take rows
                        int j0 = n, j1 = 0;
                        for (int i = 0; i < c.length; i++) {
                            if (!Float.isNaN(c[i])) {
                                j0 = Math.min(j0, i % n);
                                j1 = Math.max(j1, i % n + 1);
                            }
                        }
                        assertTrue(j1 > j0, what + " writes nothing");
                        int w = j1 - j0, rest = Gemm.WIDE ? w % NW : w, tail = rest % NR;
                        boolean wide = Gemm.WIDE && w >= NW, thin = tail > 0 && tail <= L;
                        assertEquals((k + 1) * (wide ? NW : NR), s.stage.length, what + ", columns [" + j0 + ", "
                                + j1 + "): stage for " + (wide ? "the four-vector" : "only the two-vector") + " kernels");
                        assertEquals(thin ? ArrayAlignment.SKIP + (k + 1) * L : 0, s.pt.length, what + ", columns [" + j0 + ", " + j1
                                + "): one-vector panel for a last panel of " + tail + " columns");
                    }
                }
            }
        }
    }

    /**
     * NN with at most {@link Gemm#NN_IN_PLACE_ROWS} rows runs the two-vector kernels only, reading B in
     * place: the part's stage is never grown to an NW panel (as in the test above, a fresh scratch
     * shows which kernels ran). NT with as few rows keeps the four-vector kernels.
     */
    @Test
    void nnWithFewRowsReadsBInPlaceOnTheTwoVectorKernels() {
        assumeTrue(Simd.ENABLED, "bpnn.simd.bits=off");
        assumeTrue(Gemm.WIDE && Gemm.NN_IN_PLACE_ROWS >= 2, "four-vector kernels off, or the rule off");
        int m = Gemm.NN_IN_PLACE_ROWS, n = 2 * NW, k = 9;
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        Arrays.fill(a, 1f);
        Arrays.fill(b, 1f);
        for (boolean tb : new boolean[] {false, true}) {
            Gemm.Scratch s = Gemm.scratch();
            s.stage = new float[0];
            Gemm.gemm(false, tb, m, n, k, 1f, a, 0, k, b, 0, tb ? k : n, 0f, c, 0, n, 0, 1);
            assertEquals((k + 1) * (tb ? NW : NR), s.stage.length, (tb ? "NT " : "NN ") + m + " rows: stage");
            for (float v : c) assertEquals(k, v, 0f);
        }
    }

    /**
     * A TN product packs B, which it would read in place, when a part has at least
     * {@link Gemm#TN_PACKED_B_ROWS} rows of C, lines are known and B's rows start off one (a vector load
     * across two lines): under the flag, from index 0 with 16 or 8 lanes, not from the line
     * ({@link ArrayAlignment#SKIP}), nor with 4 lanes (16 bytes in, a 16-byte vector fits the line). The
     * values cannot show it; a fresh zeroed scratch does: packing copies B's ones into it, reading in place
     * leaves it zero (n is whole panels, so no partial panel is packed either way).
     */
    @Test
    void aTnProductWithManyRowsAPartPacksBStartingOffALine() {
        assumeTrue(Simd.ENABLED, "bpnn.simd.bits=off");
        assumeTrue(Gemm.WEIGHT_ROWS, "-Dbpnn.simd.noWeightRowSplit=true");
        int least = Gemm.TN_PACKED_B_ROWS, n = 2 * NR, k = 9, off = ArrayAlignment.SKIP;
        assumeTrue(least <= 4096, "-Dbpnn.simd.tnPackedBRows=0");
        if (Boolean.getBoolean("bpnn.test.lineAligned")) {
            assertTrue(ArrayAlignment.KNOWN, "-XX:ObjectAlignmentInBytes=64, yet lines are not known");
        }
        // {m, parts}: the rows a part gets are m / parts (cut by rows, see aTNProductIsCutByRows...)
        for (int[] mp : new int[][] {{least, 1}, {least - 1, 1}, {2 * least, 2}, {2 * least - 2, 2}}) {
            int m = mp[0], parts = mp[1];
            for (int bOff : new int[] {0, 1, 4, off, off + L}) {
                float[] a = new float[k * m], b = new float[bOff + k * n], c = new float[m * n];
                Arrays.fill(a, 1f);
                Arrays.fill(b, 1f);
                boolean packs = ArrayAlignment.KNOWN && m / parts >= least && ArrayAlignment.head(bOff, L) != 0;
                for (int p = 0; p < parts; p++) {
                    Gemm.Scratch s = Gemm.scratch();
                    s.pb = new float[0];
                    Gemm.gemm(true, false, m, n, k, 1f, a, 0, m, b, bOff, n, 0f, c, 0, n, p, parts);
                    String what = "TN " + m + "x" + n + "x" + k + ", part " + p + " of " + parts + ", B from index "
                            + bOff + " (lines " + (ArrayAlignment.KNOWN ? "from index " + off : "not known") + ", " + L + " lanes)";
                    assertEquals(packs ? 1f : 0f, s.pb[off], what + ": B " + (packs ? "packed" : "read in place"));
                }
                for (float v : c) assertEquals(k, v, 0f);
            }
        }
    }

    /**
     * A TN product (a weight gradient) cut for threads takes ranges of C's rows from 16 rows a part
     * ({@link Gemm#WEIGHT_ROWS}); with fewer, its column panels.
     */
    @Test
    void aTNProductIsCutByRowsFromSixteenRowsAPart() {
        assumeTrue(Simd.ENABLED, "bpnn.simd.bits=off");
        assumeTrue(Gemm.WEIGHT_ROWS, "-Dbpnn.simd.noWeightRowSplit=true");
        int n = 4 * NR, k = 9;
        for (int m : new int[] {32, 31}) {
            float[] a = new float[k * m], b = new float[k * n], c = new float[m * n];
            Arrays.fill(a, 1f);
            Arrays.fill(b, 1f);
            Arrays.fill(c, Float.NaN);
            Gemm.gemm(true, false, m, n, k, 1f, a, 0, m, b, 0, n, 0f, c, 0, n, 0, 2);
            boolean byRows = m == 32;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    boolean mine = byRows ? i < 16 : j < 2 * NR;
                    assertEquals(mine, !Float.isNaN(c[i * n + j]), "TN " + m + "x" + n + ", part 0 of 2, C[" + i
                            + "][" + j + "]: " + (byRows ? "rows [0, 16)" : "columns [0, " + 2 * NR + ")"));
                }
            }
        }
    }

    /** k = 0: C = beta C (the empty sum), each part on its slice, beta = 0 over NaN included. */
    @Test
    void anEmptyInnerDimensionScalesC() {
        assumeTrue(Simd.ENABLED, "bpnn.simd.bits=off");
        int[][] shapes = {{128, 2 * NW}, {37, 10}, {70, NR + 3}, {1, 100}, {100, 1}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1];
            for (float beta : new float[] {0f, 0.5f}) {
                float[] c = new float[m * n];
                Arrays.fill(c, beta == 0f ? Float.NaN : 2f);
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        float[] cc = c.clone();
                        for (int p = 0; p < 2; p++) {
                            Gemm.gemm(ta, tb, m, n, 0, 1f, new float[0], 0, 1, new float[0], 0, 1, beta, cc, 0, n, p, 2);
                        }
                        for (float v : cc) {
                            assertEquals(beta == 0f ? 0f : 1f, v, m + "x" + n + "x0, beta " + beta);
                        }
                    }
                }
            }
        }
    }

    /**
     * The predicates that pick a product's kernels, at their edges: they change which kernels run
     * (and how the product is cut), not its bits.
     */
    @Test
    void kernelChoicesAtTheirEdges() {
        assumeTrue(Simd.ENABLED, "bpnn.simd.bits=off");
        // the one-vector kernels: 2 <= n <= L, more than one row
        assertTrue(Gemm.narrow(2, 2));
        assertTrue(Gemm.narrow(2, L));
        assertFalse(Gemm.narrow(2, L + 1));
        assertFalse(Gemm.narrow(1, 2), "a single row is a matrix-vector product");
        assertFalse(Gemm.narrow(2, 1), "a single column is computed as a row");
        // computed as C^T: a column, or L < n < NR with more rows than columns
        assertTrue(Gemm.transposeOutput(5, 1));
        assertTrue(Gemm.transposeOutput(NR, NR - 1));
        assertTrue(Gemm.transposeOutput(L + 2, L + 1));
        assertFalse(Gemm.transposeOutput(L + 1, L + 1), "as many rows as columns");
        assertFalse(Gemm.transposeOutput(NR + 1, NR), "two vectors wide");
        assertFalse(Gemm.transposeOutput(4 * L, L), "narrow");
        if (Gemm.WIDE) {
            // cut by vectors when the four-vector kernels take the product (A read in place), else by NR panels
            assertEquals(L, Gemm.columnUnit(2, NW, false, false));
            assertEquals(L, Gemm.columnUnit(128, L + 1, false, false));
            assertEquals(L, Gemm.columnUnit(128, 3 * NW, false, false));
            assertEquals(NR, Gemm.columnUnit(128, 2 * NW, true, false), "A copied (TN, TT)");
            assertEquals(NR, Gemm.columnUnit(1, NW, false, false), "a single row");
            assertEquals(NR, Gemm.columnUnit(128, L, false, false), "narrow");
            // NN (B's rows contiguous) with at most NN_IN_PLACE_ROWS rows reads B in place on the two-vector
            // kernels; NT (B's k contiguous) keeps the four-vector ones
            int few = Gemm.NN_IN_PLACE_ROWS;
            assertFalse(Gemm.wide(Math.max(2, few), 2 * NW, false, true), "NN, " + few + " rows");
            assertTrue(Gemm.wide(few + 1, 2 * NW, false, true), "NN, " + (few + 1) + " rows");
            assertTrue(Gemm.wide(Math.max(2, few), 2 * NW, false, false), "NT, " + few + " rows");
        }
        // X W^T as W X^T: both sides at least 2 NR, and B holding more floats than A and C together
        int m = 2 * NR, k = 4 * NR;
        if (!Transpose16.USABLE || !Gemm.VIA_CT) {
            // its transposes are 16 x 16: with other vectors (or switched off) no product takes it
            assertFalse(Gemm.viaTransposedOutput(false, true, m, 2 * m + 1, k, 0f), L + " lanes");
        } else {
            assertTrue(Gemm.viaTransposedOutput(false, true, m, 2 * m + 1, k, 0f));
            assertFalse(Gemm.viaTransposedOutput(false, true, m - 1, 2 * m + 1, k, 0f), "A below 2 NR");
            // n k against m k + m n: m = 2 NR, k = 2 m is equality at n = 2 m
            assertFalse(Gemm.viaTransposedOutput(false, true, m, 2 * m, 2 * m, 0f), "as many floats in B");
            assertTrue(Gemm.viaTransposedOutput(false, true, m, 2 * m + 1, 2 * m, 0f), "one column more");
        }
    }
}
