package org.bpnn.simd.kernel;

import static org.bpnn.simd.kernel.GemmKernels.MR_WIDE;
import static org.bpnn.simd.kernel.GemmKernels.NR;
import static org.bpnn.simd.kernel.GemmKernels.NW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The four-vector kernels ({@link GemmKernels#kernelWide}) compute what the two-vector kernels
 * compute over the same NW columns as two NR panels, to the bit: each element the same fma chain
 * over p. Every row count 1..MR_WIDE, full and partial panels, alpha and beta (over NaN when 0),
 * C in place and walked transposed; nothing outside the rows x cols block of C is written.
 */
class WideKernelTest {
    @Test
    void giveTheTwoVectorKernelsBits() {
        Random r = new Random(41);
        float[] tile = new float[Gemm.TILE]; // as Gemm's scratch holds it
        for (int rows = 1; rows <= MR_WIDE; rows++) {
            for (int kc : new int[] {1, 7, 64, 259}) {
                for (int cols : new int[] {NW, NW - 1, NR + 3, NR}) {
                    for (float[] ab : new float[][] {{1f, 0f}, {-0.75f, 0f}, {0.5f, 1f}, {2f, -0.25f}}) {
                        for (boolean transposedC : new boolean[] {false, true}) {
                            check(r, tile, rows, kc, cols, ab[0], ab[1], transposedC);
                        }
                    }
                }
            }
        }
    }

    private static void check(Random r, float[] tile, int rows, int kc, int cols, float alpha, float beta,
                              boolean transposedC) {
        int ars = kc + 3, aBase = 2;
        float[] a = new float[aBase + rows * ars];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        // B as one zero-padded NW panel (kc x NW) and as two NR panels of the same columns
        float[] wide = new float[kc * NW], two = new float[2 * kc * NR];
        for (int p = 0; p < kc; p++) {
            for (int j = 0; j < cols; j++) {
                float v = (float) r.nextGaussian();
                wide[p * NW + j] = v;
                two[(j / NR) * kc * NR + p * NR + j % NR] = v;
            }
        }
        int ldc = transposedC ? rows + 5 : NW + 5, cBase = 3;
        int crs = transposedC ? 1 : ldc, ccs = transposedC ? ldc : 1;
        float[] c0 = new float[cBase + (transposedC ? NW * ldc : rows * ldc) + 4];
        for (int i = 0; i < c0.length; i++) c0[i] = beta == 0f ? Float.NaN : (float) r.nextGaussian();
        float[] expected = c0.clone(), actual = c0.clone();
        GemmKernels.kernelWide(rows, kc, a, aBase, ars, wide, 0, actual, cBase, crs, ccs, cols, alpha, beta, tile);
        GemmKernels.kernel(rows, kc, a, aBase, ars, 1, two, 0, NR, expected, cBase, crs, ccs, Math.min(NR, cols),
                alpha, beta, tile);
        if (cols > NR) {
            GemmKernels.kernel(rows, kc, a, aBase, ars, 1, two, kc * NR, NR, expected, cBase + NR * ccs, crs, ccs,
                    cols - NR, alpha, beta, tile);
        }
        for (int i = 0; i < c0.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail("rows " + rows + ", kc " + kc + ", cols " + cols + ", alpha " + alpha + ", beta " + beta
                        + (transposedC ? ", C transposed" : "") + ": at " + i + " expected " + expected[i] + ", got "
                        + actual[i]);
            }
        }
        // the comparison above would pass with both kernels writing nowhere: the block must be written
        int written = 0;
        for (int i = 0; i < c0.length; i++) {
            if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(c0[i])) written++;
        }
        assertEquals(rows * cols, written, "elements of C written, rows " + rows + " x cols " + cols);
    }
}
