package org.bpnn.simd.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Single-sample predict's product x W^T gives the same bits wherever W starts in its array. Where the
 * JVM says where cache lines begin (the simd-line-aligned test JVM: -XX:ObjectAlignmentInBytes=64), the
 * sixteen starts give every number of elements before a row's first line, and all but one of them take
 * gemvDots' rotated loop, which must reproduce the plain loop's fma chains exactly; elsewhere all take
 * the plain loop.
 */
class LineDotsTest {

    @Test
    void xWTransposedHasTheSameBitsWhereverWStarts() {
        Random r = new Random(11);
        // k: one vector, a vector and a tail, the main job's layers; n: whole groups of eight and a remainder
        for (int k : new int[] {16, 17, 31, 47, 128, 256, 784, 790}) {
            for (int n : new int[] {8, 13, 24, 256}) {
                int ld = (k + 15) / 16 * 16; // rows a whole number of lines apart: the rotated loop's condition
                float[] x = new float[k];
                float[] w = new float[n * ld];
                for (int i = 0; i < k; i++) x[i] = (float) r.nextGaussian();
                for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
                // a few values far apart in size, so that a changed summation order would change the bits
                for (int i = 0; i < w.length; i += 7) w[i] *= 1e4f;
                float[] expected = null;
                for (int off = 0; off < 16; off++) {
                    float[] placed = new float[off + w.length + 16];
                    System.arraycopy(w, 0, placed, off, w.length);
                    float[] c = new float[n];
                    Gemm.gemm(false, true, 1, n, k, 1f, x, 0, k, placed, off, ld, 0f, c, 0, n, 0, 1);
                    if (expected == null) {
                        expected = c;
                        for (float v : c) assertTrue(Float.isFinite(v), "k=" + k + " n=" + n);
                    } else {
                        assertArrayEquals(expected, c, "k=" + k + " n=" + n + ": W from index " + off
                                + " (" + ArrayAlignment.head(off) + " elements before its rows' first line)"
                                + " against index 0");
                    }
                }
            }
        }
    }
}
