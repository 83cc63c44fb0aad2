package org.bpnn.simd.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
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
        // not taken: the smaller B (layer 2's 128 x 128 x 256), and beta != 0
        assertFalse(Gemm.viaTransposedOutput(false, true, 128, 128, 256, 0f));
        assertFalse(Gemm.viaTransposedOutput(false, true, 128, 256, 784, 0.5f));
    }
}
