package org.bpnn.simd.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * X W^T with the larger W is computed as W X^T and transposed into C ({@link Gemm#viaTransposedOutput}):
 * the same products summed in the same order, so the same values as the direct path, which a beta
 * other than 0 takes (C = alpha acc + beta 0 adds nothing but the sign of a zero).
 */
class TransposedOutputTest {
    @Test
    void givesTheDirectPathsValues() {
        assumeTrue(Transpose16.USABLE, "the path needs 16-lane vectors");
        Random r = new Random(5);
        int[][] shapes = {{128, 256, 784}, {67, 301, 1031}, {64, 100, 500}, {75, 160, 400}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            assertTrue(Gemm.viaTransposedOutput(false, true, m, n, k, 0f), m + "x" + n + "x" + k);
            float[] a = new float[m * k], b = new float[n * k];
            for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
            for (int parts : new int[] {1, 2, 4, 5}) {
                float[] viaCt = new float[m * n], direct = new float[m * n];
                for (int part = 0; part < parts; part++) {
                    Gemm.gemm(false, true, m, n, k, -0.75f, a, 0, k, b, 0, k, 0f, viaCt, 0, n, part, parts);
                    Gemm.gemm(false, true, m, n, k, -0.75f, a, 0, k, b, 0, k, 1e-30f, direct, 0, n, part, parts);
                }
                assertArrayEquals(direct, viaCt, 0f, m + "x" + n + "x" + k + " in " + parts + " parts");
            }
        }
        if (Gemm.WEIGHT_ROWS) {
            // cut for threads, the product takes the direct path, cut by C's columns (W's rows): 2 parts of
            // an NW panel per thread at a batch of 64 and 128 (of 2 NR panels without the four-vector kernels)
            assertEquals(4, Gemm.chunks(false, true, 64, 256, 784, 0f, 2));
            assertEquals(4, Gemm.chunks(false, true, 128, 256, 784, 0f, 2));
        } else {
            // parts are counted on C^T's shape: a batch of 64 on two threads is C^T's 4 vectors (2 panels),
            // two each (from C's shape 4 parts: one vector each, or without the four-vector kernels C^T's
            // rows, each part packing all of X^T)
            assertEquals(2, Gemm.chunks(false, true, 64, 256, 784, 0f, 2));
            // a batch of 128: C^T's two NW panels (four-vector kernels), one per thread; two NR panels each without them
            assertEquals(Gemm.WIDE ? 2 : 4, Gemm.chunks(false, true, 128, 256, 784, 0f, 2));
        }
        assertEquals(4, Gemm.chunks(false, true, 64, 256, 784, 0.5f, 2), "beta != 0: the direct path, C's 8 panels");
        // not taken: the smaller B (layer 2's 128 x 128 x 256), and beta != 0
        assertFalse(Gemm.viaTransposedOutput(false, true, 128, 128, 256, 0f));
        assertFalse(Gemm.viaTransposedOutput(false, true, 128, 256, 784, 0.5f));
    }

    /**
     * Each part transposes exactly the slice of C^T that its inner call computed: for part counts
     * above the panel count (rows of C^T) and not dividing it, run last part first, C at an offset
     * with padded rows and filled with NaN, every element of C is written with the direct path's
     * value and nothing around it is touched. Each part runs on a thread of its own, as on the pool.
     * Parts above one take the direct path unless {@code -Dbpnn.simd.noWeightRowSplit=true} (see
     * Gemm.WEIGHT_ROWS): the build runs this class again with it, and once more with it and
     * -XX:ObjectAlignmentInBytes=64, where the scratch C^T starts at ArrayAlignment.SKIP (bpnn-simd's pom).
     */
    @Test
    void everyPartCountWritesExactlyCAtAnOffsetWithPaddedRows() throws InterruptedException {
        assumeTrue(Transpose16.USABLE, "the path needs 16-lane vectors");
        Random r = new Random(6);
        int[][] shapes = {{64, 300, 400}, {65, 513, 300}, {79, 1000, 1025}, {100, 301, 300}, {129, 1000, 300}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            assertTrue(Gemm.viaTransposedOutput(false, true, m, n, k, 0f), m + "x" + n + "x" + k);
            int lda = k + 3, ldb = k + 5, ldc = n + 7, aOff = 2, bOff = 3, cOff = 11;
            float[] a = new float[aOff + m * lda], b = new float[bOff + n * ldb];
            for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
            float[] direct = new float[cOff + m * ldc + 5];
            Gemm.gemm(false, true, m, n, k, 0.5f, a, aOff, lda, b, bOff, ldb, 1e-30f, direct, cOff, ldc, 0, 1);
            for (int parts : new int[] {1, 2, 3, 4, 5, 7, 13, 64, 65, 200}) {
                float[] c = new float[direct.length];
                Arrays.fill(c, Float.NaN);
                for (int part = parts - 1; part >= 0; part--) {
                    // each part on a new thread, with a scratch of its own as on the pool: on one thread
                    // the parts before would leave the rest of C^T in the shared scratch, and a part
                    // that transposed more than its own slice would still copy the right values
                    int p = part, q = parts;
                    onANewThread(m + "x" + n + "x" + k + ": part " + p + " of " + q, () -> Gemm.gemm(false, true, m,
                            n, k, 0.5f, a, aOff, lda, b, bOff, ldb, 0f, c, cOff, ldc, p, q));
                }
                for (int idx = 0; idx < c.length; idx++) {
                    int rel = idx - cOff;
                    boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
                    if (inside ? c[idx] != direct[idx] : !Float.isNaN(c[idx])) {
                        fail(m + "x" + n + "x" + k + " in " + parts + " parts: " + (inside ? "" : "outside C ")
                                + "at " + idx + ": " + c[idx] + ", direct " + direct[idx]);
                    }
                }
            }
        }
    }

    /**
     * The C^T scratch grows only for a larger product: the same product again (layer 1's forward
     * product at every step on one thread) and a smaller one reuse it. The allocation tests' network
     * is too small to take this path. On a thread of its own, whose scratch starts empty, so that the
     * first call sizes it to exactly this product (a path that left the scratch alone would otherwise
     * find the same empty array after every call).
     */
    @Test
    void reusesItsScratchForTheSameOrASmallerProduct() throws InterruptedException {
        assumeTrue(Transpose16.USABLE, "the path needs 16-lane vectors");
        int m = 64, n = 256, k = 128;
        assertTrue(Gemm.viaTransposedOutput(false, true, m, n, k, 0f));
        assertTrue(Gemm.viaTransposedOutput(false, true, m, n - 16, k, 0f));
        float[] a = new float[m * k], b = new float[n * k], c = new float[m * n];
        onANewThread("the products", () -> {
            Gemm.gemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n, 0, 1);
            float[] ct = Gemm.scratch().ct;
            assertEquals(ArrayAlignment.SKIP + m * n, ct.length, "the scratch after the first product, " + m + " x " + n);
            Gemm.gemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n, 0, 1);
            assertSame(ct, Gemm.scratch().ct, "the same product again allocated a new scratch");
            Gemm.gemm(false, true, m, n - 16, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n - 16, 0, 1);
            assertSame(ct, Gemm.scratch().ct, "a smaller product allocated a new scratch");
        });
    }

    /**
     * Runs {@code body} on a new thread (a scratch of its own, empty at first) and fails
     * with what it threw: left to the thread, an exception or a failed assertion would end only the thread.
     */
    private static void onANewThread(String what, Runnable body) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(body);
        t.setUncaughtExceptionHandler((th, e) -> thrown.set(e));
        t.start();
        t.join(60_000);
        assertFalse(t.isAlive(), what + " still runs after 60 s");
        if (thrown.get() != null) fail(what + " threw", thrown.get());
    }
}
