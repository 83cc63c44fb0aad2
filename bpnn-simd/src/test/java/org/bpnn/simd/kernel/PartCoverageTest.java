package org.bpnn.simd.kernel;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Whatever path a product takes and however it is cut (runs of whole vectors or panels of columns, C's
 * rows for a TN product or a narrow one, C^T's slices on the transposed-output path, a matrix-vector
 * product's ranges, the rows of the k = 0 / alpha = 0 path), parts 0..parts-1 write every element of C
 * exactly once, nothing around it, and the single part's bits. Many shapes around the paths' edges (odd
 * sizes, fewer rows than 16 per part, more parts than rows, outputs between one and two vectors wide,
 * 1 x n and n x 1) in all four transpose forms, alpha 0 and not, beta 0 and not, 2 to 9 parts against
 * one (more than the two or four parts of two threads: a backend may have more). Each part of a call writes
 * into its own copy of C on a thread of its own (its own scratch, as on the pool), so that a part writing
 * outside its slice shows as an element written twice, and one reading another part's scratch as a wrong
 * value: the operands are new for each part count, so what a thread's scratch holds from earlier calls is
 * stale.
 */
class PartCoverageTest {
    private static final int MAX_PARTS = 9;
    /** Sizes near the paths' edges for L = 16 (NR 32, NW 64, MIN_ROWS_PER_PART 16) and the other lane counts. */
    private static final int[] SIDES = {1, 2, 3, 7, 8, 9, 15, 16, 17, 20, 31, 32, 33, 47, 48, 63, 64, 65, 80, 100,
        127, 128, 129, 143, 144, 145, 160, 193};
    private static final int[] DEPTHS = {0, 1, 5, 16, 33, 100};

    @Test
    void everyPartCountWritesEachElementOnceWithTheSinglePartsBits() throws Exception {
        assumeTrue(Simd.ENABLED, "bpnn.simd.bits=off");
        Random r = new Random(42);
        ExecutorService[] threads = new ExecutorService[MAX_PARTS];
        for (int p = 0; p < MAX_PARTS; p++) {
            threads[p] = Executors.newSingleThreadExecutor();
        }
        try {
            // the transposed-output path's shapes (NT, beta 0, B the larger operand; its one part against the
            // direct path's parts), TN products at and around 9 parts of 16 rows (Gemm.MIN_ROWS_PER_PART), then
            // random ones
            int[][] fixed = {{64, 200, 100, 0, 1}, {65, 193, 100, 0, 1}, {64, 129, 200, 0, 1}, {145, 100, 33, 1, 0},
                {144, 65, 17, 1, 0}, {143, 20, 100, 1, 0}};
            for (int[] s : fixed) {
                check(threads, r, s[3] == 1, s[4] == 1, s[0], s[1], s[2], -0.75f, 0f);
            }
            for (int c = 0; c < 80; c++) {
                boolean ta = r.nextBoolean(), tb = r.nextBoolean();
                int m = SIDES[r.nextInt(SIDES.length)], n = SIDES[r.nextInt(SIDES.length)];
                int k = DEPTHS[r.nextInt(DEPTHS.length)];
                if ((long) m * n * k > 500_000) {
                    k = 500_000 / (m * n); // bounded work: sides and parts matter here, not depth
                }
                float alpha = r.nextInt(12) == 0 ? 0f : r.nextBoolean() ? 1f : -0.75f;
                float beta = r.nextBoolean() ? 0f : r.nextBoolean() ? 0.5f : -1.25f;
                check(threads, r, ta, tb, m, n, k, alpha, beta);
            }
        } finally {
            for (ExecutorService t : threads) {
                t.shutdownNow();
            }
        }
    }

    private static void check(ExecutorService[] threads, Random r, boolean ta, boolean tb, int m, int n, int k,
                              float alpha, float beta) throws InterruptedException, ExecutionException {
        // A and B at offsets with padded leading dimensions, C inside a larger array
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = aCols + r.nextInt(3), ldb = bCols + r.nextInt(3), ldc = n + r.nextInt(3);
        int aOff = r.nextInt(3), bOff = r.nextInt(3), cOff = r.nextInt(3);
        String shape = (ta ? "T" : "N") + (tb ? "T" : "N") + " " + m + "x" + n + "x" + k + " alpha " + alpha
                + " beta " + beta;
        // per part count, new operands, C's initial values and the one-part result
        float[][] as = new float[MAX_PARTS + 1][], bs = new float[MAX_PARTS + 1][], c0s = new float[MAX_PARTS + 1][];
        float[][] wholes = new float[MAX_PARTS + 1][];
        float[][][] cs = new float[MAX_PARTS + 1][][];
        for (int parts = 2; parts <= MAX_PARTS; parts++) {
            as[parts] = random(r, aOff + aRows * lda);
            bs[parts] = random(r, bOff + bRows * ldb);
            float[] c0 = c0s[parts] = new float[cOff + m * ldc + 2];
            Arrays.fill(c0, Float.NaN);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    c0[cOff + i * ldc + j] = 0.5f + r.nextFloat(); // never a value a part writes by chance
                }
            }
            float[] whole = wholes[parts] = c0.clone();
            Gemm.gemm(ta, tb, m, n, k, alpha, as[parts], aOff, lda, bs[parts], bOff, ldb, beta, whole, cOff, ldc, 0, 1);
            cs[parts] = new float[parts][];
            for (int p = 0; p < parts; p++) {
                cs[parts][p] = c0.clone();
            }
        }
        // thread p computes part p of every part count, each into its own copy of C
        Future<?>[] runs = new Future<?>[MAX_PARTS];
        for (int p = 0; p < MAX_PARTS; p++) {
            int part = p;
            runs[p] = threads[p].submit(() -> {
                for (int parts = Math.max(2, part + 1); parts <= MAX_PARTS; parts++) {
                    Gemm.gemm(ta, tb, m, n, k, alpha, as[parts], aOff, lda, bs[parts], bOff, ldb, beta,
                            cs[parts][part], cOff, ldc, part, parts);
                }
            });
        }
        for (Future<?> f : runs) {
            f.get();
        }
        for (int parts = 2; parts <= MAX_PARTS; parts++) {
            float[] c0 = c0s[parts], whole = wholes[parts];
            for (int idx = 0; idx < c0.length; idx++) {
                int rel = idx - cOff;
                boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
                int writers = 0, writer = -1;
                for (int p = 0; p < parts; p++) {
                    if (Float.floatToRawIntBits(cs[parts][p][idx]) != Float.floatToRawIntBits(c0[idx])) {
                        writers++;
                        writer = p;
                    }
                }
                if (!inside && writers > 0) {
                    fail(shape + " in " + parts + " parts: part " + writer + " wrote outside C, at " + idx);
                }
                if (inside && (writers != 1
                        || Float.floatToRawIntBits(cs[parts][writer][idx]) != Float.floatToRawIntBits(whole[idx]))) {
                    fail(shape + " in " + parts + " parts, C[" + rel / ldc + "][" + rel % ldc + "]: written by "
                            + writers + " parts (expected exactly 1)"
                            + (writers == 1 ? ", part " + writer + " wrote " + cs[parts][writer][idx] : "")
                            + "; one part gives " + whole[idx]);
                }
            }
        }
    }

    /** Gaussian values that operands are copied from, at random offsets (cheaper than drawing each). */
    private static final float[] POOL = new float[1 << 18];

    static {
        Random r = new Random(7);
        for (int i = 0; i < POOL.length; i++) {
            POOL[i] = (float) r.nextGaussian();
        }
    }

    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int done = 0; done < n; ) {
            int from = r.nextInt(POOL.length / 2), len = Math.min(n - done, POOL.length - from);
            System.arraycopy(POOL, from, x, done, len);
            done += len;
        }
        return x;
    }
}
