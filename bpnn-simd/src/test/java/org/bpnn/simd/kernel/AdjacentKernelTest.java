package org.bpnn.simd.kernel;

import static org.bpnn.simd.kernel.GemmKernels.L;
import static org.bpnn.simd.kernel.GemmKernels.MR;
import static org.bpnn.simd.kernel.GemmKernels.MR_ADJACENT;
import static org.bpnn.simd.kernel.GemmKernels.NR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The two-vector kernels on packed A ({@code ars == 1}, the TN and TT products' blocks of up to
 * {@link GemmKernels#MR_ADJACENT} rows) give each element of C the fma chain over p that the scalar
 * backend's specification sums, to the bit: acc = fma(a[r][p], b[p][j], acc) from p = 0, then
 * alpha acc, then + beta c unless beta is 0. Every row count 1..MR_ADJACENT (so blocks of 9 to 12 rows
 * change no value: a row block only groups which elements one call sums), B packed and in place, full
 * and partial panels, alpha and beta (over NaN when 0), C in place and walked transposed; nothing
 * outside the rows x cols block of C is written. With {@code -Dbpnn.simd.noAdjacentKernel=true} the
 * row counts 1..MR (the strided kernels), and 9 to 12 rows refused.
 */
class AdjacentKernelTest {
    @Test
    void everyRowCountGivesEachElementTheFmaChainOverP() {
        Random r = new Random(43);
        float[] tile = new float[MR_ADJACENT * NR];
        // with -Dbpnn.simd.noAdjacentKernel=true the kernels take at most MR rows (k8 for 8, A through strides)
        int most = GemmKernels.ADJACENT ? MR_ADJACENT : MR;
        for (int rows = 1; rows <= most; rows++) {
            for (int kc : new int[] {1, 7, 128, 259}) {
                for (int cols : new int[] {NR, NR - 1, L + 3, 1}) {
                    for (float[] ab : new float[][] {{1f, 0f}, {-0.75f, 0f}, {0.5f, 1f}, {2f, -0.25f}}) {
                        for (boolean transposedC : new boolean[] {false, true}) {
                            for (boolean bInPlace : new boolean[] {false, true}) {
                                check(r, tile, rows, kc, cols, ab[0], ab[1], transposedC, bInPlace);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void moreThanEightRowsOfAWhoseRowsAreNotAdjacentAreRefused() {
        float[] a = new float[64], b = new float[64], c = new float[64], tile = new float[MR_ADJACENT * NR];
        for (int rows = MR + 1; rows <= MR_ADJACENT; rows++) {
            int n = rows;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GemmKernels.kernel(n, 1, a, 0, 2, 1, b, 0, NR, c, 0, NR, 1, NR, 1f, 0f, tile));
            assertTrue(e.getMessage().startsWith(rows + " rows need A's rows adjacent (ars == 1, A packed)"), e.getMessage());
            assertTrue(e.getMessage().contains("got ars 2"), e.getMessage());
            if (!GemmKernels.ADJACENT) {
                // switched off, the adjacent kernels refuse packed A too, and say why
                e = assertThrows(IllegalArgumentException.class,
                        () -> GemmKernels.kernel(n, 1, a, 0, 1, n, b, 0, NR, c, 0, NR, 1, NR, 1f, 0f, tile));
                assertTrue(e.getMessage().contains("got ars 1 with -Dbpnn.simd.noAdjacentKernel=true"), e.getMessage());
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GemmKernels.kernel(MR_ADJACENT + 1, 1, a, 0, 1, 1, b, 0, NR, c, 0, NR, 1, NR, 1f, 0f, tile));
        assertEquals("rows must be 1.." + MR + ", or up to " + MR_ADJACENT + " with A's rows adjacent (ars == 1), got "
                + (MR_ADJACENT + 1), e.getMessage());
    }

    private static void check(Random r, float[] tile, int rows, int kc, int cols, float alpha, float beta,
                              boolean transposedC, boolean bInPlace) {
        // A packed as Gemm packs it: p-major, element (i, p) at aBase + p * aps + i, aps = rows + 1
        int aps = rows + 1, aBase = 2;
        float[] a = new float[aBase + kc * aps];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        // B: a zero-padded kc x NR panel, or read in place from rows bs > NR apart (Gemm's unpacked B)
        int bs = bInPlace ? NR + 9 : NR, bBase = bInPlace ? 5 : 0;
        float[] b = new float[bBase + kc * bs + NR];
        for (int p = 0; p < kc; p++) {
            for (int j = 0; j < (bInPlace ? NR : cols); j++) b[bBase + p * bs + j] = (float) r.nextGaussian();
        }
        int ldc = transposedC ? rows + 5 : NR + 5, cBase = 3;
        int crs = transposedC ? 1 : ldc, ccs = transposedC ? ldc : 1;
        float[] c0 = new float[cBase + (transposedC ? NR * ldc : rows * ldc) + 4];
        for (int i = 0; i < c0.length; i++) c0[i] = beta == 0f ? Float.NaN : (float) r.nextGaussian();
        float[] expected = c0.clone(), actual = c0.clone();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                float acc = 0f;
                for (int p = 0; p < kc; p++) acc = Math.fma(a[aBase + p * aps + i], b[bBase + p * bs + j], acc);
                int ci = cBase + i * crs + j * ccs;
                float v = alpha * acc;
                expected[ci] = beta == 0f ? v : v + beta * c0[ci];
            }
        }
        GemmKernels.kernel(rows, kc, a, aBase, 1, aps, b, bBase, bs, actual, cBase, crs, ccs, cols, alpha, beta, tile);
        String where = "rows " + rows + ", kc " + kc + ", cols " + cols + ", alpha " + alpha + ", beta " + beta
                + (transposedC ? ", C transposed" : "") + (bInPlace ? ", B in place" : "");
        for (int i = 0; i < c0.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(where + ": at " + i + " expected " + expected[i] + ", got " + actual[i]);
            }
        }
        // the comparison above would pass with the kernel writing nowhere: the block must be written
        int written = 0;
        for (int i = 0; i < c0.length; i++) {
            if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(c0[i])) written++;
        }
        assertEquals(rows * cols, written, "elements of C written, " + where);
    }
}
