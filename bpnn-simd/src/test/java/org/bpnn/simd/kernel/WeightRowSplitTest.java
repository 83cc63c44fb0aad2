package org.bpnn.simd.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * On two threads the products of a training step are cut by the rows of the layer's weights W (out x
 * in, row-major), which the element-wise optimiser update cuts by element ranges, so by the same rows
 * ({@link Gemm#WEIGHT_ROWS}): the first half of a call's parts (the caller's, see WorkerPool) covers W's
 * rows [0, out / 2) in the forward product z = x W^T and in the gradient dW = delta^T x, and the
 * second half the rest. Cut otherwise (the gradient by columns, the forward product at batch 128 by
 * batch rows on the transposed-output path), each thread reads all of W and updates rows of dW that
 * the other wrote. Fails with {@code -Dbpnn.simd.noWeightRowSplit=true}.
 */
class WeightRowSplitTest {

    /** {out, in, batch}: the main job's layers at batch 128 and 32, a wider layer, a narrow one. */
    private static final int[][] LAYERS = {
        {256, 784, 128}, {128, 256, 128}, {256, 784, 32}, {512, 784, 256}, {64, 100, 128}};

    @Test
    void theForwardProductsPartsCoverWsRowsInHalves() {
        assumeTrue(Simd.ENABLED, "bpnn.simd.bits=off");
        for (int[] s : LAYERS) {
            int out = s[0], in = s[1], batch = s[2];
            // z (batch x out) = x (batch x in) W^T: W's row j is z's column j
            int parts = Gemm.chunks(false, true, batch, out, in, 0f, 2);
            String shape = "z = x W^T, W " + out + "x" + in + ", batch " + batch + ", " + parts + " parts";
            assertEquals(0, parts % 2, shape);
            boolean[][] first = written(false, true, batch, out, in, parts, 0, parts / 2);
            boolean[][] second = written(false, true, batch, out, in, parts, parts / 2, parts);
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < out; j++) {
                    boolean mine = j < out / 2;
                    assertTrue(first[i][j] == mine && second[i][j] == !mine,
                            shape + ": z[" + i + "][" + j + "] written by the first half " + first[i][j]
                                    + ", by the second " + second[i][j]);
                }
            }
        }
    }

    @Test
    void theGradientsPartsCoverWsRowsInHalves() {
        assumeTrue(Simd.ENABLED, "bpnn.simd.bits=off");
        for (int[] s : LAYERS) {
            int out = s[0], in = s[1], batch = s[2];
            // dW (out x in) = delta^T (out x batch) x (batch x in)
            int parts = Gemm.chunks(true, false, out, in, batch, 0f, 2);
            String shape = "dW = delta^T x, W " + out + "x" + in + ", batch " + batch + ", " + parts + " parts";
            assertEquals(0, parts % 2, shape);
            boolean[][] first = written(true, false, out, in, batch, parts, 0, parts / 2);
            boolean[][] second = written(true, false, out, in, batch, parts, parts / 2, parts);
            for (int i = 0; i < out; i++) {
                for (int j = 0; j < in; j++) {
                    boolean mine = i < out / 2;
                    assertTrue(first[i][j] == mine && second[i][j] == !mine,
                            shape + ": dW[" + i + "][" + j + "] written by the first half " + first[i][j]
                                    + ", by the second " + second[i][j]);
                }
            }
            // the update's halves: elements [0, size / 2) rounded down to a vector, the rows above
            int size = out * in, lanes = Simd.LANES;
            int boundary = size / lanes / 2 * lanes;
            assertTrue(Math.abs(boundary - out / 2 * in) < lanes, shape + ": the update's boundary " + boundary);
        }
    }

    /** Which elements of C (m x n) parts [from, to) of {@code parts} write, the others left out. */
    private static boolean[][] written(boolean transA, boolean transB, int m, int n, int k,
                                       int parts, int from, int to) {
        float[] a = new float[m * k], b = new float[k * n];
        Arrays.fill(a, 1f);
        Arrays.fill(b, 1f);
        float[] c = new float[m * n];
        Arrays.fill(c, Float.NaN);
        for (int p = from; p < to; p++) {
            int lda = transA ? m : k, ldb = transB ? k : n;
            Gemm.gemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n, p, parts);
        }
        boolean[][] w = new boolean[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                w[i][j] = !Float.isNaN(c[i * n + j]);
                if (w[i][j]) {
                    assertEquals(k, c[i * n + j], 0f, "C[" + i + "][" + j + "]");
                }
            }
        }
        return w;
    }
}
