package org.bpnn.simd.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Single-sample predict's product x W^T gives the same bits wherever W starts in its array. Where the
 * JVM says where cache lines begin (the simd-line-aligned test JVMs: -XX:ObjectAlignmentInBytes=64, with
 * 16, 8 and 4 lanes), the sixteen starts give every number of elements before a row's first vector
 * boundary in a line, and all but those on one take gemvDots' rotated loop, which must reproduce the
 * plain loop's fma chains exactly; elsewhere all take the plain loop.
 */
class LineDotsTest {

    /** The line-aligned JVMs run the rotated loop at every lane count, or the tests below would pass without it. */
    @Test
    void theRotatedLoopIsOnWhereLinesAreKnown() {
        assumeTrue(Boolean.getBoolean("bpnn.test.lineAligned"), "only in the line-aligned test JVMs");
        assertTrue(Gemm.LINE_DOTS, Simd.LANES + " lanes, lines known: " + ArrayAlignment.KNOWN);
    }

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
                                + " (" + ArrayAlignment.head(off, Simd.LANES) + " elements before its rows' first vector"
                                + " boundary) against index 0");
                    }
                }
            }
        }
    }

    /**
     * The rotated loop's loads stay inside the part's rows of W and inside x: W placed so that its last
     * row ends at the array's end (a load past it throws, where trailing padding would have hidden it),
     * x at an offset and ending at its array's end, rows a line or two further apart than k (ldb &gt; k),
     * k below one vector with such rows (no vector loads at all), and the product cut into parts, so
     * that a part starts at a later row (j0 &gt; 0). Every case gives the bits of the unpadded product
     * at offset 0 in one part. Two mutants that the test above passes fail this: an aligned last load
     * (from the line after the last aligned one, which needs no rotation and gives the same values where
     * it is inside the row, but reads up to h elements past it), and the rotated loop without its kv &gt; 0
     * guard (a vector load from a row, and from x, shorter than a vector).
     */
    @Test
    void theLoadsStayInsideTheRowsAndXForEveryOffsetLeadingDimensionAndPart() {
        Random r = new Random(12);
        for (int k : new int[] {1, 5, 15, 16, 17, 30, 47, 784}) {
            for (int n : new int[] {9, 16, 27}) {
                float[] x = new float[k];
                for (int i = 0; i < k; i++) x[i] = (float) r.nextGaussian();
                float[] w = new float[n * k];
                for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian() * (i % 5 == 0 ? 1e4f : 1f);
                float[] expected = new float[n];
                Gemm.gemm(false, true, 1, n, k, 1f, x, 0, k, w, 0, k, 0f, expected, 0, n, 0, 1);
                int lines = (k + 15) / 16 * 16;
                for (int ld : new int[] {lines, lines + 16, lines + 32}) {
                    for (int off = 0; off < 16; off++) {
                        // the last row ends at the array's end: nothing after it to read by mistake
                        float[] placed = new float[off + (n - 1) * ld + k];
                        for (int j = 0; j < n; j++) System.arraycopy(w, j * k, placed, off + j * ld, k);
                        int xOff = 3 + off % 5;
                        float[] xs = new float[xOff + k];
                        System.arraycopy(x, 0, xs, xOff, k);
                        for (int parts : new int[] {1, 2, 3}) {
                            float[] c = new float[n];
                            for (int part = 0; part < parts; part++) {
                                Gemm.gemm(false, true, 1, n, k, 1f, xs, xOff, k, placed, off, ld, 0f, c, 0, n, part, parts);
                            }
                            assertArrayEquals(expected, c, "k=" + k + " n=" + n + " ldb=" + ld + " W from index " + off
                                    + " (" + ArrayAlignment.head(off, Simd.LANES) + " elements before its rows' first vector"
                                    + " boundary), x from " + xOff + ", " + parts + " parts");
                        }
                    }
                }
            }
        }
    }
}
