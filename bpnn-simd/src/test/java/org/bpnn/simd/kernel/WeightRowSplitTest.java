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
    void theForwardProductAndTheGradientCoverWsRowsInHalves() {
        assumeTrue(Simd.ENABLED, "bpnn.simd.bits=off");
        for (int[] s : LAYERS) {
            int out = s[0], in = s[1], batch = s[2];
            // z (batch x out) = x (batch x in) W^T: W's row j is z's column j
            assertHalves("z = x W^T", false, true, batch, out, in, out, false);
            // dW (out x in) = delta^T (out x batch) x (batch x in)
            assertHalves("dW = delta^T x", true, false, out, in, batch, out, true);
        }
        // the update's halves are W's row halves too: WorkPlacementTest.theUpdatesHalvesAreWsRowHalves
    }

    /**
     * The product C (m x n) cut for two threads: the first half of its parts writes exactly W's rows
     * [0, out / 2), which are C's rows when {@code wRowsAreRows}, else its columns; the second half the rest.
     */
    private static void assertHalves(String product, boolean transA, boolean transB, int m, int n, int k,
                                     int out, boolean wRowsAreRows) {
        int parts = Gemm.chunks(transA, transB, m, n, k, 0f, 2);
        String shape = product + ", " + m + "x" + n + "x" + k + ", " + parts + " parts";
        assertEquals(0, parts % 2, shape);
        boolean[][] first = written(transA, transB, m, n, k, parts, 0, parts / 2);
        boolean[][] second = written(transA, transB, m, n, k, parts, parts / 2, parts);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                boolean mine = (wRowsAreRows ? i : j) < out / 2;
                assertTrue(first[i][j] == mine && second[i][j] == !mine,
                        shape + ": C[" + i + "][" + j + "] written by the first half " + first[i][j]
                                + ", by the second " + second[i][j]);
            }
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
