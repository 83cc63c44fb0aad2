package org.bpnn.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.bpnn.backend.scalar.ScalarBackend;
import org.junit.jupiter.api.Test;

/**
 * The contract every backend must meet, judged against the scalar reference backend. A backend's
 * test class extends this and returns its backend from {@link #backend()}.
 *
 * <p>Shapes hit vector tails: 1, lanes - 1, lanes, lanes + 1, 4 lanes + 3 and odd primes for
 * 4-, 8- and 16-lane vectors. Matrices sit at non-zero offsets with leading dimensions larger than
 * their rows, and the memory around them is checked to be untouched.
 *
 * <p>Tolerance: GEMM element (i, j) may differ from the double-accumulated reference by
 * {@code 1e-5 * sum_p |alpha a_ip b_pj| + 1e-6} (float accumulation in any order stays well within
 * this for k up to 1000); element-wise results by 2e-6 relative (4e-6 for exp-based ones).
 */
public abstract class BackendContractTest {
    protected static final int[] SIZES = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 67, 131};
    protected static final int[] BIG = {127, 128, 129, 257, 300};
    protected static final Backend REF = ScalarBackend.INSTANCE;

    /** The backend under test. */
    protected abstract Backend backend();

    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private void checkGemm(Random r, boolean ta, boolean tb, int m, int n, int k, float alpha, float beta) {
        int lda = (ta ? m : k) + r.nextInt(3);
        int ldb = (tb ? k : n) + r.nextInt(3);
        int ldc = n + r.nextInt(3);
        int aOff = r.nextInt(5), bOff = r.nextInt(5), cOff = r.nextInt(5);
        float[] a = random(r, aOff + (ta ? k : m) * lda);
        float[] b = random(r, bOff + (tb ? n : k) * ldb);
        float[] c0 = random(r, cOff + m * ldc + 3);
        if (beta == 0f) {
            // beta == 0 must ignore C's previous contents, even NaN, in the written region.
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) c0[cOff + i * ldc + j] = Float.NaN;
        }
        float[] expected = c0.clone();
        float[] actual = c0.clone();
        REF.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, expected, cOff, ldc);
        backend().gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, actual, cOff, ldc);
        for (int idx = 0; idx < c0.length; idx++) {
            int rel = idx - cOff;
            boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
            if (!inside) {
                if (Float.floatToRawIntBits(actual[idx]) != Float.floatToRawIntBits(c0[idx])) {
                    fail("gemm " + desc(ta, tb, m, n, k, alpha, beta) + " wrote outside C at index " + idx);
                }
                continue;
            }
            int i = rel / ldc, j = rel % ldc;
            double bound = 0;
            for (int p = 0; p < k; p++) {
                float aip = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                float bpj = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                bound += Math.abs((double) alpha * aip * bpj);
            }
            double tol = 1e-5 * bound + 1e-6 + (beta == 0f ? 0 : 1e-6 * Math.abs(beta * c0[idx]));
            if (!(Math.abs(expected[idx] - actual[idx]) <= tol)) {
                fail("gemm " + desc(ta, tb, m, n, k, alpha, beta) + " at (" + i + ", " + j + "): expected "
                        + expected[idx] + ", got " + actual[idx] + " (tolerance " + tol + ")");
            }
        }
    }

    private static String desc(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta) {
        return (ta ? "T" : "N") + (tb ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k + " alpha=" + alpha + " beta=" + beta;
    }

    @Test
    void gemmAllTransposesOnAwkwardShapes() {
        Random r = new Random(1);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (int m : SIZES) {
                    for (int n : SIZES) {
                        int k = SIZES[r.nextInt(SIZES.length)];
                        checkGemm(r, ta, tb, m, n, k, 1f, 0f);
                    }
                }
            }
        }
    }

    @Test
    void gemmAlphaBeta() {
        Random r = new Random(2);
        float[][] ab = {{1f, 1f}, {0.5f, 0f}, {-2f, 0.25f}, {1f / 128, 1f}, {0f, 0.5f}};
        for (float[] p : ab) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    checkGemm(r, ta, tb, 13, 37, 19, p[0], p[1]);
                    checkGemm(r, ta, tb, 1, 33, 64, p[0], p[1]);
                }
            }
        }
    }

    @Test
    void gemmLargeShapesOfTheReferenceNetwork() {
        Random r = new Random(3);
        // forward X W^T, BP2 delta W, BP3 delta^T X for 784-256-128-10 at small batches, plus squares.
        checkGemm(r, false, true, 33, 256, 784, 1f, 0f);
        checkGemm(r, false, false, 33, 784, 256, 1f, 0f);
        checkGemm(r, true, false, 256, 784, 33, 1f, 0f);
        checkGemm(r, false, true, 67, 10, 128, 1f, 0f);
        checkGemm(r, true, false, 10, 128, 67, 1f, 0f);
        checkGemm(r, false, false, 67, 128, 10, 1f, 0f);
        checkGemm(r, false, true, 1, 256, 784, 1f, 0f);
        for (int s : BIG) {
            checkGemm(r, r.nextBoolean(), r.nextBoolean(), s, s, s, 1f, r.nextBoolean() ? 0f : 1f);
        }
    }

    @Test
    void biasActivationEveryOp() {
        Random r = new Random(4);
        for (ElementwiseOp op : ElementwiseOp.values()) {
            for (int rows : new int[] {1, 3, 17}) {
                for (int cols : SIZES) {
                    int ld = cols + r.nextInt(3);
                    int off = r.nextInt(4);
                    float[] z = random(r, off + rows * ld);
                    for (int i = 0; i < z.length; i++) z[i] *= 6f;
                    z[off] = 80f; // saturating inputs
                    if (z.length > off + 1) z[off + 1] = -80f;
                    float[] bias = r.nextBoolean() ? random(r, cols + 2) : null;
                    float[] z1 = z.clone(), z2 = z.clone();
                    float[] a1 = new float[off + rows * ld], a2 = a1.clone();
                    REF.biasActivation(op, 0.01f, rows, cols, z1, off, ld, bias, 1, a1, off, ld);
                    backend().biasActivation(op, 0.01f, rows, cols, z2, off, ld, bias, 1, a2, off, ld);
                    assertClose(z1, z2, 2e-6, op + " z after bias rows=" + rows + " cols=" + cols);
                    assertClose(a1, a2, 4e-6, op + " a rows=" + rows + " cols=" + cols);
                }
            }
        }
    }

    @Test
    void activationBackwardEveryOp() {
        Random r = new Random(5);
        for (ElementwiseOp op : ElementwiseOp.values()) {
            for (int n : SIZES) {
                float[] a = random(r, n + 2);
                if (op == ElementwiseOp.SIGMOID) for (int i = 0; i < a.length; i++) a[i] = Math.abs(a[i]) % 1f;
                float[] g = random(r, n + 3);
                float[] o1 = new float[n + 1], o2 = new float[n + 1];
                REF.activationBackward(op, 0.1f, n, a, 2, g, 3, o1, 1);
                backend().activationBackward(op, 0.1f, n, a, 2, g, 3, o2, 1);
                assertClose(o1, o2, 2e-6, op + " backward n=" + n);
            }
        }
    }

    @Test
    void softmaxRowsIsStableAndAgrees() {
        Random r = new Random(6);
        for (int rows : new int[] {1, 5, 37}) {
            for (int cols : SIZES) {
                for (int ld : new int[] {cols, cols + 1}) { // contiguous rows and strided ones
                    float[] x = random(r, 2 + rows * ld);
                    for (int i = 0; i < x.length; i++) x[i] *= 10f;
                    x[2] = 1e4f;
                    float[] o1 = new float[1 + rows * ld], o2 = o1.clone();
                    REF.softmaxRows(rows, cols, x, 2, ld, o1, 1, ld);
                    backend().softmaxRows(rows, cols, x, 2, ld, o2, 1, ld);
                    assertClose(o1, o2, 4e-6, "softmax rows=" + rows + " cols=" + cols + " ld=" + ld);
                    // in place (out == x, as Backend allows) gives the same bits
                    float[] inPlace = new float[1 + rows * ld];
                    System.arraycopy(x, 2, inPlace, 1, rows * ld);
                    backend().softmaxRows(rows, cols, inPlace, 1, ld, inPlace, 1, ld);
                    for (int i = 0; i < rows; i++) {
                        for (int j = 0; j < cols; j++) {
                            assertEquals(o2[1 + i * ld + j], inPlace[1 + i * ld + j], 0f,
                                    "in-place softmax rows=" + rows + " cols=" + cols + " ld=" + ld);
                        }
                    }
                    for (float v : o2) {
                        if (!Float.isFinite(v)) fail("softmax produced " + v);
                    }
                }
            }
        }
    }

    @Test
    void softmaxBackwardAgrees() {
        Random r = new Random(7);
        for (int cols : SIZES) {
            int rows = 3;
            float[] x = random(r, rows * cols);
            float[] a = new float[rows * cols];
            REF.softmaxRows(rows, cols, x, 0, cols, a, 0, cols);
            float[] g = random(r, rows * cols);
            float[] o1 = new float[rows * cols], o2 = o1.clone();
            REF.softmaxBackward(rows, cols, a, 0, g, 0, o1, 0);
            backend().softmaxBackward(rows, cols, a, 0, g, 0, o2, 0);
            assertClose(o1, o2, 1e-5, "softmax backward cols=" + cols);
        }
    }

    @Test
    void sumColumnsAndVectorOps() {
        Random r = new Random(8);
        for (int rows : new int[] {1, 2, 9, 128, 131}) {
            for (int cols : SIZES) {
                int ld = cols + 2;
                float[] x = random(r, 1 + rows * ld);
                float[] o1 = random(r, cols + 1), o2 = o1.clone();
                float alpha = 1f / rows, beta = r.nextBoolean() ? 0f : 0.5f;
                REF.sumColumns(rows, cols, alpha, x, 1, ld, beta, o1, 1);
                backend().sumColumns(rows, cols, alpha, x, 1, ld, beta, o2, 1);
                assertClose(o1, o2, 1e-5, "sumColumns rows=" + rows + " cols=" + cols);
            }
        }
        for (int n : SIZES) {
            float[] x = random(r, n + 1), y1 = random(r, n + 2), y2 = y1.clone();
            REF.axpy(n, -0.3f, x, 1, y1, 2);
            backend().axpy(n, -0.3f, x, 1, y2, 2);
            assertClose(y1, y2, 1e-6, "axpy n=" + n);
            REF.scale(n, 0.7f, y1, 1);
            backend().scale(n, 0.7f, y2, 1);
            assertClose(y1, y2, 1e-6, "scale n=" + n);
            float[] z1 = random(r, n), z2 = z1.clone();
            REF.multiplyAdd(n, x, 1, y1, 2, z1, 0);
            backend().multiplyAdd(n, x, 1, y1, 2, z2, 0);
            assertClose(z1, z2, 1e-6, "multiplyAdd n=" + n);
        }
    }

    /**
     * What the library relies on beyond the formulas: beta == 0 ignores NaN in sumColumns' out (a
     * gradient left non-finite by a skipped batch), and the in-place forms the layers use
     * (biasActivation with a == z, as softmax's bias pass; activationBackward and softmaxBackward
     * with out == g). A backend written to the formulas alone passed the rest of this class and
     * then broke training (a NaN bias gradient for good) or prediction (a two-pass bias+activation).
     */
    @Test
    void nanIgnoringAndInPlaceFormsTheLayersUse() {
        Random r = new Random(13);
        for (int cols : SIZES) {
            int rows = 5;
            float[] x = random(r, rows * cols);
            float[] o1 = new float[cols], o2 = new float[cols];
            java.util.Arrays.fill(o2, Float.NaN);
            REF.sumColumns(rows, cols, 0.2f, x, 0, cols, 0f, o1, 0);
            backend().sumColumns(rows, cols, 0.2f, x, 0, cols, 0f, o2, 0);
            assertClose(o1, o2, 1e-5, "sumColumns beta 0 over NaN, cols=" + cols);
            for (ElementwiseOp op : ElementwiseOp.values()) {
                float[] z = random(r, rows * cols), bias = random(r, cols);
                float[] z1 = z.clone(), a1 = new float[z.length], z2 = z.clone();
                REF.biasActivation(op, 0.01f, rows, cols, z1, 0, cols, bias, 0, a1, 0, cols);
                backend().biasActivation(op, 0.01f, rows, cols, z2, 0, cols, bias, 0, z2, 0, cols);
                assertClose(a1, z2, 4e-6, op + " biasActivation in place, cols=" + cols);
                float[] a = a1, g = random(r, z.length), g1 = new float[z.length], g2 = g.clone();
                REF.activationBackward(op, 0.01f, z.length, a, 0, g, 0, g1, 0);
                backend().activationBackward(op, 0.01f, z.length, a, 0, g2, 0, g2, 0);
                assertClose(g1, g2, 2e-6, op + " activationBackward in place, n=" + z.length);
            }
            float[] sm = new float[rows * cols];
            REF.softmaxRows(rows, cols, x, 0, cols, sm, 0, cols);
            float[] g = random(r, rows * cols), g1 = new float[g.length], g2 = g.clone();
            REF.softmaxBackward(rows, cols, sm, 0, g, 0, g1, 0);
            backend().softmaxBackward(rows, cols, sm, 0, g2, 0, g2, 0);
            assertClose(g1, g2, 1e-5, "softmaxBackward in place, cols=" + cols);
        }
    }

    @Test
    void firstNonFiniteFindsTheFirstBadValueAnywhere() {
        Random r = new Random(10);
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int n : new int[] {1, 2, 15, 16, 17, 31, 64, 67, 131, 1000, 1023, 1024, 1025, 4099}) {
            float[] x = random(r, n + 3);
            x[0] = Float.NaN; // before the range: must be ignored
            x[n + 2] = Float.NaN; // after the range
            assertEquals(-1, backend().firstNonFinite(n, x, 1), "all finite, n=" + n);
            x[1 + n / 2] = Float.MAX_VALUE; // large but finite
            x[1 + n / 4] = -Float.MAX_VALUE;
            x[1 + n / 5] = Float.MIN_VALUE; // subnormal
            x[1 + n / 6] = -0f;
            assertEquals(-1, backend().firstNonFinite(n, x, 1), "+-MAX_VALUE, MIN_VALUE and -0 are finite, n=" + n);
            for (int pos : new int[] {0, n / 3, n - 1}) {
                for (float b : bad) {
                    float[] y = x.clone();
                    y[1 + pos] = b;
                    if (pos + 1 < n) y[1 + n - 1] = Float.NaN; // a later bad value must not win
                    assertEquals(pos, backend().firstNonFinite(n, y, 1), b + " at " + pos + ", n=" + n);
                }
            }
        }
    }

    @Test
    void gatherRowsCopiesTheIndexedRows() {
        Random r = new Random(12);
        for (int cols : new int[] {1, 10, 17, 784}) {
            for (int rows : new int[] {1, 3, 128, 300}) {
                int n = 2 * rows + 5;
                float[] src = random(r, n * cols);
                int[] index = new int[rows + 4];
                for (int i = 0; i < index.length; i++) index[i] = r.nextInt(n);
                float[] dst = random(r, 7 + rows * cols + 3), want = dst.clone();
                for (int i = 0; i < rows; i++) System.arraycopy(src, index[2 + i] * cols, want, 7 + i * cols, cols);
                backend().gatherRows(rows, cols, src, index, 2, dst, 7);
                assertArrayEquals(want, dst, "gatherRows rows=" + rows + " cols=" + cols);
            }
        }
    }

    /**
     * A started gather ends as gatherRows once finished, with the rows copied where they would be; a
     * second start on the thread finishes the first (both destinations end right); a finish with none
     * pending returns. 128 x 784 and 300 x 784 reach the two-thread simd backend's workers.
     */
    @Test
    void startedGathersEndAsGatherRows() {
        Random r = new Random(13);
        backend().finishGatherRows(); // none started: returns at once
        for (int cols : new int[] {1, 17, 784}) {
            for (int rows : new int[] {1, 3, 128, 300}) {
                int n = 2 * rows + 5;
                float[] src = random(r, n * cols);
                int[] index = new int[rows + 4];
                for (int i = 0; i < index.length; i++) index[i] = r.nextInt(n);
                float[] first = random(r, 7 + rows * cols + 3), second = random(r, rows * cols);
                float[] wantFirst = first.clone(), wantSecond = second.clone();
                for (int i = 0; i < rows; i++) {
                    System.arraycopy(src, index[2 + i] * cols, wantFirst, 7 + i * cols, cols);
                    System.arraycopy(src, index[i] * cols, wantSecond, i * cols, cols);
                }
                backend().startGatherRows(rows, cols, src, index, 2, first, 7);
                backend().startGatherRows(rows, cols, src, index, 0, second, 0);
                backend().finishGatherRows();
                assertArrayEquals(wantFirst, first, "the first of two started gathers, rows=" + rows + " cols=" + cols);
                assertArrayEquals(wantSecond, second, "the second, rows=" + rows + " cols=" + cols);
                backend().finishGatherRows(); // finished already: returns
            }
        }
    }

    /** A started gather refuses a row not in src as gatherRows does, at the start, and leaves none pending. */
    @Test
    void aStartedGatherRefusesARowNotInSrc() {
        int cols = 784, n = 300;
        float[] src = new float[n * cols];
        for (int bad : new int[] {-1, n, (int) ((1L << 32) / cols + 1)}) {
            int[] index = new int[128];
            index[77] = bad;
            float[] dst = new float[index.length * cols];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> backend().startGatherRows(index.length, cols, src, index, 0, dst, 0));
            assertTrue(e.getMessage().startsWith("gatherRows: index[77] = " + bad + " is not a row of src"), e.getMessage());
            backend().finishGatherRows();
        }
    }

    /**
     * A row not in src is refused by every backend, in a fast path's eight-row body too (cols 17 and
     * 784 reach the simd one): index * cols in int wrapped for 1431655766 * 3 = 2^32 + 2 onto a valid
     * offset and copied another row without a word.
     */
    @Test
    void gatherRowsRefusesARowNotInSrc() {
        for (int cols : new int[] {3, 17, 784}) {
            int n = 20;
            float[] src = new float[n * cols];
            int wrapping = (int) ((1L << 32) / cols + 1); // wraps onto row 0 or 1 in int arithmetic
            for (int bad : new int[] {wrapping, -1, n}) {
                for (int at : new int[] {0, 5, 9}) {
                    int[] index = new int[12];
                    index[at] = bad;
                    float[] dst = new float[index.length * cols];
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> backend().gatherRows(index.length, cols, src, index, 0, dst, 0));
                    assertTrue(e.getMessage().startsWith("gatherRows: index[" + at + "] = " + bad + " is not a row of src"),
                            e.getMessage());
                }
            }
        }
    }

    @Test
    void optimiserUpdatesAgree() {
        Random r = new Random(9);
        for (int n : SIZES) {
            checkOptimiserUpdates(r, n, false);
        }
    }

    /** Momentum (plain and Nesterov) and Adam on n elements; {@code atOffsets}: each array at its own offset. */
    private void checkOptimiserUpdates(Random r, int n, boolean atOffsets) {
        int o1 = atOffsets ? 1 : 0, o2 = atOffsets ? 2 : 0, o3 = atOffsets ? 3 : 0, o4 = atOffsets ? 4 : 0;
        for (boolean nesterov : new boolean[] {false, true}) {
            float[] w1 = random(r, n + o1), g = random(r, n + o2), v1 = random(r, n + o3);
            float[] w2 = w1.clone(), v2 = v1.clone();
            REF.momentumUpdate(n, 0.1f, 0.9f, nesterov, w1, o1, g, o2, v1, o3);
            backend().momentumUpdate(n, 0.1f, 0.9f, nesterov, w2, o1, g, o2, v2, o3);
            assertClose(w1, w2, 1e-6, "momentum w n=" + n);
            assertClose(v1, v2, 1e-6, "momentum v n=" + n);
        }
        float[] w1 = random(r, n + o1), g = random(r, n + o2), m1 = random(r, n + o3), v1 = random(r, n + o4);
        for (int i = 0; i < v1.length; i++) v1[i] = Math.abs(v1[i]);
        float[] w2 = w1.clone(), m2 = m1.clone(), v2 = v1.clone();
        REF.adamUpdate(n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.19f, 0.002f, 0.01f, w1, o1, g, o2, m1, o3, v1, o4);
        backend().adamUpdate(n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.19f, 0.002f, 0.01f, w2, o1, g, o2, m2, o3, v2, o4);
        assertClose(w1, w2, 2e-6, "adam w n=" + n);
        assertClose(m1, m2, 1e-6, "adam m n=" + n);
        assertClose(v1, v2, 1e-6, "adam v n=" + n);
    }

    /**
     * The optimisers' flush-to-zero ({@link Subnormals}), in the vector body and the tail alike: every
     * third element belongs to a dead unit (gradient 0, its state stuck at a subnormal value, which
     * mu v or b1 m rounds back to itself). Its velocity and first moment become +0, its second moment
     * too at the usual eps (the flush then changes no step) but not at eps = 1e-30, where it would; its
     * weight is left as it was. The other elements keep the reference's values, bit for bit. A dead
     * unit's weight is 0 and lr is 0.5 for momentum, so that a step taken with the unflushed state
     * (lr mu v, lr m / c1 / eps: subnormal but not 0) would show: the state is used as 0, not only
     * stored as 0. Adam runs with AdamW's decay, which leaves a zero weight at 0.
     */
    @Test
    void optimiserUpdatesFlushStuckSubnormalStateAsTheReferenceDoes() {
        Random r = new Random(23);
        float stuck = 4 * Float.MIN_VALUE;
        for (int n : SIZES) {
            float[] w = random(r, n), g = random(r, n), m = random(r, n), v = random(r, n);
            for (int i = 0; i < n; i++) {
                v[i] = Math.abs(v[i]);
                if (i % 3 == 0) {
                    g[i] = 0f;
                    w[i] = 0f;
                    m[i] = i % 2 == 0 ? stuck : -stuck;
                    v[i] = 5 * Float.MIN_VALUE;
                }
            }
            for (boolean nesterov : new boolean[] {false, true}) {
                float[] w1 = w.clone(), v1 = m.clone(), w2 = w.clone(), v2 = m.clone();
                REF.momentumUpdate(n, 0.5f, 0.9f, nesterov, w1, 0, g, 0, v1, 0);
                backend().momentumUpdate(n, 0.5f, 0.9f, nesterov, w2, 0, g, 0, v2, 0);
                for (int i = 0; i < n; i += 3) {
                    assertPositiveZero(v2[i], "momentum v at " + i + " of " + n + ": " + v2[i]);
                    assertEquals(w[i], w2[i], 0f, "momentum w at " + i + " of " + n);
                }
                assertArrayEquals(v1, v2, "momentum v n=" + n);
                assertArrayEquals(w1, w2, "momentum w n=" + n);
            }
            for (float eps : new float[] {1e-8f, 1e-30f}) {
                float[] w1 = w.clone(), m1 = m.clone(), v1 = v.clone(), w2 = w.clone(), m2 = m.clone(), v2 = v.clone();
                REF.adamUpdate(n, 1e-3f, 0.9f, 0.999f, eps, 0.19f, 0.002f, 0.01f, w1, 0, g, 0, m1, 0, v1, 0);
                backend().adamUpdate(n, 1e-3f, 0.9f, 0.999f, eps, 0.19f, 0.002f, 0.01f, w2, 0, g, 0, m2, 0, v2, 0);
                for (int i = 0; i < n; i += 3) {
                    assertPositiveZero(m2[i], "adam m at " + i + " of " + n + ": " + m2[i]);
                    if (eps == 1e-8f) {
                        assertPositiveZero(v2[i], "adam v at " + i + " of " + n + ", eps 1e-8: " + v2[i]);
                    } else {
                        assertEquals(5 * Float.MIN_VALUE, v2[i], 0f, "adam v at " + i + " of " + n + ", eps 1e-30: kept");
                    }
                    assertEquals(w[i], w2[i], 0f, "adam w at " + i + " of " + n);
                }
                assertArrayEquals(m1, m2, "adam m n=" + n + " eps=" + eps);
                assertArrayEquals(v1, v2, "adam v n=" + n + " eps=" + eps);
                assertClose(w1, w2, 2e-6, "adam w n=" + n + " eps=" + eps);
            }
        }
    }

    /**
     * Sigmoid and softmax outputs below {@link Float#MIN_NORMAL} are +0 ({@link Subnormals}): z between
     * -103.9 and -87.3 (where e^z in float is subnormal; the simd sigmoid's e^-z overflows from -88.7 on)
     * and logits that far below their row's largest, at widths that take the narrow, vector, tail and
     * strided paths. The other outputs keep their usual agreement with the reference.
     */
    @Test
    void sigmoidAndSoftmaxOutputsBelowTheNormalRangeAreZero() {
        float[] deep = {-87.5f, -88f, -88.6f, -88.8f, -95f, -103f};
        Random r = new Random(29);
        for (int cols : SIZES) {
            int rows = 3;
            float[] z = random(r, rows * cols);
            for (int i = 0; i < z.length; i += 2) z[i] = deep[(i / 2) % deep.length];
            float[] a1 = new float[z.length], a2 = new float[z.length];
            REF.biasActivation(ElementwiseOp.SIGMOID, 0f, rows, cols, z.clone(), 0, cols, null, 0, a1, 0, cols);
            backend().biasActivation(ElementwiseOp.SIGMOID, 0f, rows, cols, z.clone(), 0, cols, null, 0, a2, 0, cols);
            for (int i = 0; i < z.length; i += 2) {
                assertPositiveZero(a1[i], "reference sigmoid(" + z[i] + ") = " + a1[i]);
                assertPositiveZero(a2[i], "sigmoid(" + z[i] + ") = " + a2[i] + " at " + i + ", width " + cols);
            }
            assertClose(a1, a2, 4e-6, "sigmoid width " + cols);
            for (int ld : new int[] {cols, cols + 1}) {
                float[] x = random(r, rows * ld);
                for (int i = 0; i < rows; i++) {
                    x[i * ld] = 10f; // the row's largest
                    for (int j = 1; j < cols; j += 2) x[i * ld + j] = 10f + deep[(i + j) % deep.length];
                }
                float[] p1 = new float[rows * ld], p2 = new float[rows * ld];
                REF.softmaxRows(rows, cols, x, 0, ld, p1, 0, ld);
                backend().softmaxRows(rows, cols, x, 0, ld, p2, 0, ld);
                for (int i = 0; i < rows; i++) {
                    for (int j = 1; j < cols; j += 2) {
                        int at = i * ld + j;
                        assertPositiveZero(p1[at], "reference softmax at (" + i + ", " + j + ") = " + p1[at]);
                        assertPositiveZero(p2[at], "softmax at (" + i + ", " + j + ") = " + p2[at]
                                + ", width " + cols + ", ld " + ld);
                    }
                }
                assertClose(p1, p2, 4e-6, "softmax width " + cols + " ld " + ld);
            }
        }
    }

    /**
     * delta[l] below {@link Float#MIN_NORMAL} is +0 ({@link Subnormals}): the activations' backward step
     * (every op but IDENTITY, which passes g through) and softmax's, in the vector body and the tail, as
     * the reference. Every other element carries a g of 2e-38 or 5e-39 (a subnormal g) that f' takes
     * below the normal range, or an ordinary value.
     */
    @Test
    void backwardStepsWriteZeroBelowTheNormalRange() {
        Random r = new Random(31);
        for (ElementwiseOp op : ElementwiseOp.values()) {
            for (int n : SIZES) {
                float[] a = random(r, n), g = random(r, n);
                for (int i = 0; i < n; i++) {
                    a[i] = op == ElementwiseOp.SIGMOID ? 0.5f : op == ElementwiseOp.TANH ? 0.9f : Math.abs(a[i]) + 0.1f;
                    if (i % 2 == 0) g[i] = op == ElementwiseOp.SIGMOID || op == ElementwiseOp.TANH ? 2e-38f : 5e-39f;
                }
                float[] o1 = new float[n], o2 = new float[n];
                REF.activationBackward(op, 0.01f, n, a, 0, g, 0, o1, 0);
                backend().activationBackward(op, 0.01f, n, a, 0, g, 0, o2, 0);
                for (int i = 0; i < n; i += 2) {
                    float expected = op == ElementwiseOp.IDENTITY ? g[i] : 0f;
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(o1[i]), "reference " + op + " at " + i + ": " + o1[i]);
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(o2[i]), op + " at " + i + " of " + n + ": " + o2[i]);
                }
                assertClose(o1, o2, 2e-6, op + " backward n=" + n);
            }
        }
        for (int cols : SIZES) {
            int rows = 2;
            float[] a = new float[rows * cols], g = new float[rows * cols];
            for (int i = 0; i < a.length; i++) {
                a[i] = i % 2 == 0 ? 1e-37f : 1f / cols;
                g[i] = 0.05f * (r.nextFloat() - 0.5f); // |g - d| < 0.1: 1e-37 (g - d) is subnormal
            }
            float[] o1 = new float[a.length], o2 = new float[a.length];
            REF.softmaxBackward(rows, cols, a, 0, g, 0, o1, 0);
            backend().softmaxBackward(rows, cols, a, 0, g, 0, o2, 0);
            for (int i = 0; i < a.length; i += 2) {
                assertPositiveZero(o1[i], "reference softmax backward at " + i + ": " + o1[i]);
                assertPositiveZero(o2[i], "softmax backward at " + i + " of " + a.length + ": " + o2[i]);
            }
            assertClose(o1, o2, 2e-6, "softmax backward width " + cols);
        }
    }

    /** x is +0 (not -0, not a subnormal). */
    private static void assertPositiveZero(float x, String what) {
        assertEquals(0, Float.floatToRawIntBits(x), what);
    }

    // ---- panel, block and thread boundaries -----------------------------------------------------

    /**
     * Shapes at the GEMM driver's own boundaries, which {@link #SIZES} brushes past: the two-vector
     * panel (32 columns at 16 lanes: 31, 32, 33, 63, 64, 65), the K block (the simd backend's 1024:
     * k = 1023, 1024, 1025, 2049; and 256, its block before: 255, 256, 257, 513), k = 1, every
     * transpose, at offsets with padded leading dimensions, beta = 0 over NaN.
     */
    @Test
    void gemmAtPanelAndKBlockBoundaries() {
        Random r = new Random(14);
        int[] mn = {1, 2, 16, 31, 32, 33, 64, 65};
        int[] ks = {1, 2, 31, 32, 255, 256, 257, 513, 1023, 1024, 1025, 2049};
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (int m : mn) {
                    for (int n : mn) {
                        int k = ks[r.nextInt(ks.length)];
                        checkGemm(r, ta, tb, m, n, k, 1f, 0f);
                    }
                }
                for (int k : ks) {
                    checkGemm(r, ta, tb, 33, 65, k, -0.5f, 0.75f);
                }
            }
        }
    }

    /**
     * Row counts whose even split reaches every height of the simd backend's register blocks, each over
     * 2 MFLOP so that a two-thread backend splits it too. A packed (TN, TT) takes blocks of up to 12 rows
     * (k9Adjacent..k12Adjacent past 8): 9, 10, 11 and 12 alone, 23 = 12 + 11, 24 = 12 + 12, 25 = 9 + 8 +
     * 8, 100 = 12 + 8 x 11, 128 = 7 x 12 + 4 x 11, 131 = 128 + 3 and 300 = 128 + 128 + 44 (its row
     * chunks, 44 = 4 x 11); on two threads a TN product from 32 rows is cut by C's rows (100 = 50 + 50,
     * each 5 x 10; 131 = 65 + 66), a smaller one by columns. A read in place (NN, NT) takes the four-vector
     * kernels' blocks of up to 5 rows (5, 10 = 5 + 5, 24 = 4 x 5 + 4, 25 = 5 x 5) on 64-column panels (at
     * 16 lanes) and the two- and one-vector kernels' blocks on the columns past them: n = 97 is a 64-column
     * panel, a 32-column one and 1 column (on two threads 48 and 49 columns, no 64-column panel), n = 131
     * two 64-column panels and 3 columns (on two threads 64 and 67). Every transpose (NN and TT with beta 0
     * over NaN, NT and TN with alpha = -0.75, beta = 0.5).
     */
    @Test
    void gemmRowCountsThatSplitIntoEveryBlockHeight() {
        Random r = new Random(17);
        int[] ms = {5, 9, 10, 11, 12, 23, 24, 25, 100, 128, 131, 300};
        for (int m : ms) {
            for (int n : new int[] {97, 131}) {
                // 2 m n k just above 2 MFLOP (the simd backend's threshold for splitting a product)
                int k = 1_000_000 / (m * n) + 1;
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        if (ta == tb) {
                            checkGemm(r, ta, tb, m, n, k, 1f, 0f);
                        } else {
                            checkGemm(r, ta, tb, m, n, k, -0.75f, 0.5f);
                        }
                    }
                }
            }
        }
    }

    /**
     * alpha = 0 (C = beta C, even with beta = 0 over NaN), alpha/beta on the matrix-vector paths
     * (m = 1, n = 1) and the narrow one (n = 10).
     */
    @Test
    void gemmAlphaZeroAndAlphaBetaOnEveryPath() {
        Random r = new Random(15);
        float[][] ab = {{0f, 0f}, {0f, 1f}, {0f, -0.5f}, {1f, 0f}, {-2f, 0.25f}, {0.5f, 1f}};
        int[][] shapes = {{1, 97, 67}, {97, 1, 67}, {1, 1, 131}, {37, 10, 41}, {10, 37, 41}, {5, 20, 33}, {40, 20, 9}};
        for (float[] p : ab) {
            for (int[] s : shapes) {
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        checkGemm(r, ta, tb, s[0], s[1], s[2], p[0], p[1]);
                    }
                }
            }
        }
    }

    /**
     * X W^T (NT, beta = 0) with W the larger operand, which the simd backend computes as W X^T and
     * transposes into C: layer 1's forward product, and shapes whose rows and columns are not
     * multiples of 16 (the transposes' edges), at offsets with padded leading dimensions.
     */
    @Test
    void gemmNTWithTheLargerBOnTheTransposedPath() {
        Random r = new Random(31);
        int[][] shapes = {{128, 256, 784}, {67, 301, 1031}, {64, 100, 500}, {75, 160, 400}, {64, 130, 2049}};
        for (int[] s : shapes) {
            for (float alpha : new float[] {1f, -0.75f}) {
                checkGemm(r, false, true, s[0], s[1], s[2], alpha, 0f);
            }
        }
    }

    /** alpha == 0 reads neither A nor B (BLAS): their NaN and infinities stay out of C, on every path. */
    @Test
    void gemmWithAlphaZeroIgnoresNonFiniteOperands() {
        int[][] shapes = {{1, 97, 67}, {97, 1, 67}, {37, 10, 41}, {40, 20, 9}, {67, 257, 129}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            float[] a = new float[m * k], b = new float[k * n];
            java.util.Arrays.fill(a, Float.POSITIVE_INFINITY);
            java.util.Arrays.fill(b, Float.NaN);
            for (float beta : new float[] {0f, 0.5f}) {
                float[] c = new float[m * n];
                java.util.Arrays.fill(c, beta == 0f ? Float.NaN : 2f);
                backend().gemm(false, true, m, n, k, 0f, a, 0, k, b, 0, k, beta, c, 0, n);
                for (float v : c) {
                    assertEquals(beta == 0f ? 0f : 1f, v, "gemm " + m + "x" + n + "x" + k + " alpha 0, beta " + beta);
                }
            }
        }
    }

    /**
     * Every path of the GEMM above the sizes where a multi-threaded backend splits the work (simd:
     * 2 MFLOP for matrix products, 0.2 MFLOP for matrix-vector ones): square, wide, tall, a single
     * row (predict), a single column, the narrow (10-wide) layer, outputs between one and two vectors
     * wide, and few rows over many columns; every transpose (NN and TT with beta 0 over NaN, NT and TN
     * with alpha = -0.75, beta = 0.5).
     */
    @Test
    void gemmAboveParallelThresholds() {
        Random r = new Random(16);
        int[][] shapes = {
            {1, 257, 401},   // gemv, 0.21 MFLOP
            {1, 1031, 130},  // gemv over many column blocks
            {523, 1, 211},   // a column: computed transposed, then a gemv (0.22 MFLOP)
            {1001, 10, 131}, // the narrow kernels, split by rows (2.6 MFLOP)
            {701, 20, 151},  // 16 < n < 32 with m > n: computed transposed (4.2 MFLOP)
            {9, 1031, 129},  // few rows, B read in place when row-contiguous (2.4 MFLOP)
            {131, 67, 1031}, // two K blocks, three column panels (18 MFLOP)
            {67, 257, 129},  // split by column panels (4.4 MFLOP)
            {31, 32, 2063},  // one panel: split by rows (4.1 MFLOP, three K blocks)
        };
        for (int[] s : shapes) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    if (ta == tb) {
                        checkGemm(r, ta, tb, s[0], s[1], s[2], 1f, 0f);
                    } else {
                        checkGemm(r, ta, tb, s[0], s[1], s[2], -0.75f, 0.5f);
                    }
                }
            }
        }
    }

    /** At least this many elements: above the simd backend's element-wise split (16K). */
    private static final int LARGE = 1 << 15;

    /**
     * biasActivation and activation, every op, above the element-wise split: strided, at offsets,
     * with and without bias, out of place and in place (a == z), saturating inputs included.
     */
    @Test
    void activationsAboveParallelThresholds() {
        Random r = new Random(17);
        int[][] shapes = {{257, 131}, {2049, 17}, {33, 1031}, {4099, 10}};
        for (ElementwiseOp op : ElementwiseOp.values()) {
            for (int[] s : shapes) {
                int rows = s[0], cols = s[1], ld = cols + 3, off = 5;
                float[] z = random(r, off + rows * ld + 2);
                for (int i = 0; i < z.length; i++) z[i] *= 8f;
                z[off] = 95f;
                z[off + 1] = -95f;
                float[] bias = r.nextBoolean() ? random(r, cols + 1) : null;
                float[] z1 = z.clone(), z2 = z.clone(), a1 = random(r, z.length), a2 = a1.clone();
                REF.biasActivation(op, 0.05f, rows, cols, z1, off, ld, bias, 1, a1, off, ld);
                backend().biasActivation(op, 0.05f, rows, cols, z2, off, ld, bias, 1, a2, off, ld);
                String what = op + " rows=" + rows + " cols=" + cols + " bias=" + (bias != null);
                assertClose(z1, z2, 2e-6, what + " z");
                assertClose(a1, a2, 4e-6, what + " a");
                float[] z3 = z.clone();
                backend().biasActivation(op, 0.05f, rows, cols, z3, off, ld, bias, 1, z3, off, ld);
                float[] want = z1.clone();
                for (int i = 0; i < rows; i++) System.arraycopy(a1, off + i * ld, want, off + i * ld, cols);
                assertClose(want, z3, 4e-6, what + " in place");
            }
            for (int n : new int[] {1, 17, 33, LARGE + 13}) {
                float[] in = random(r, n + 4);
                for (int i = 0; i < in.length; i++) in[i] *= 8f;
                float[] o1 = random(r, n + 2), o2 = o1.clone();
                REF.activation(op, 0.05f, n, in, 3, o1, 1);
                backend().activation(op, 0.05f, n, in, 3, o2, 1);
                assertClose(o1, o2, 4e-6, op + " activation n=" + n);
                float[] io = in.clone();
                backend().activation(op, 0.05f, n, io, 3, io, 3);
                float[] want = in.clone();
                System.arraycopy(o1, 1, want, 3, n);
                assertClose(want, io, 4e-6, op + " activation in place n=" + n);
            }
        }
    }

    /** activationBackward, every op, above the element-wise split, out of place and in place (out == g). */
    @Test
    void activationBackwardAboveParallelThresholds() {
        Random r = new Random(18);
        for (ElementwiseOp op : ElementwiseOp.values()) {
            for (int n : new int[] {LARGE - 1, LARGE + 17, 3 * LARGE + 5}) {
                float[] z = random(r, n + 2), a = new float[n + 2];
                REF.activation(op, 0.05f, n + 2, z, 0, a, 0);
                float[] g = random(r, n + 3);
                float[] o1 = random(r, n + 1), o2 = o1.clone();
                REF.activationBackward(op, 0.05f, n, a, 2, g, 3, o1, 1);
                backend().activationBackward(op, 0.05f, n, a, 2, g, 3, o2, 1);
                assertClose(o1, o2, 2e-6, op + " backward n=" + n);
                float[] g2 = g.clone();
                backend().activationBackward(op, 0.05f, n, a, 2, g2, 3, g2, 3);
                float[] want = g.clone();
                System.arraycopy(o1, 1, want, 3, n);
                assertClose(want, g2, 2e-6, op + " backward in place n=" + n);
            }
        }
    }

    /** softmaxRows and softmaxBackward above the element-wise split: wide, narrow, strided, in place. */
    @Test
    void softmaxAboveParallelThresholds() {
        Random r = new Random(19);
        int[][] shapes = {{257, 131}, {2049, 10}, {2003, 17}, {16411, 1}, {33, 1031}, {3001, 15}};
        for (int[] s : shapes) {
            int rows = s[0], cols = s[1];
            for (int ld : new int[] {cols, cols + 2}) {
                float[] x = random(r, 3 + rows * ld);
                for (int i = 0; i < x.length; i++) x[i] *= 12f;
                x[3] = 3e4f;
                String what = "rows=" + rows + " cols=" + cols + " ld=" + ld;
                float[] o1 = random(r, 1 + rows * ld), o2 = o1.clone();
                REF.softmaxRows(rows, cols, x, 3, ld, o1, 1, ld);
                backend().softmaxRows(rows, cols, x, 3, ld, o2, 1, ld);
                assertClose(o1, o2, 4e-6, "softmax " + what);
                float[] io = new float[1 + rows * ld];
                System.arraycopy(x, 3, io, 1, rows * ld);
                backend().softmaxRows(rows, cols, io, 1, ld, io, 1, ld);
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        int at = 1 + i * ld + j;
                        if (Float.floatToRawIntBits(io[at]) != Float.floatToRawIntBits(o2[at])) {
                            fail("in-place softmax " + what + " differs at (" + i + ", " + j + "): " + io[at] + " vs " + o2[at]);
                        }
                    }
                }
            }
            float[] a = new float[rows * cols];
            REF.softmaxRows(rows, cols, random(r, rows * cols), 0, cols, a, 0, cols);
            float[] g = random(r, rows * cols + 2);
            float[] d1 = random(r, rows * cols + 1), d2 = d1.clone();
            REF.softmaxBackward(rows, cols, a, 0, g, 2, d1, 1);
            backend().softmaxBackward(rows, cols, a, 0, g, 2, d2, 1);
            assertClose(d1, d2, 1e-5, "softmaxBackward rows=" + rows + " cols=" + cols);
            float[] g2 = g.clone();
            backend().softmaxBackward(rows, cols, a, 0, g2, 2, g2, 2);
            float[] want = g.clone();
            System.arraycopy(d1, 1, want, 2, rows * cols);
            assertClose(want, g2, 1e-5, "softmaxBackward in place rows=" + rows + " cols=" + cols);
        }
    }

    /** sumColumns above the split (columns cut at multiples of 4 vectors), beta 0 over NaN and beta != 0. */
    @Test
    void sumColumnsAboveParallelThresholds() {
        Random r = new Random(20);
        int[][] shapes = {{129, 257}, {64, 1031}, {1031, 17}, {17, 1031}, {300, 65}};
        for (int[] s : shapes) {
            int rows = s[0], cols = s[1], ld = cols + 5;
            float[] x = random(r, 2 + rows * ld);
            for (float[] ab : new float[][] {{1f, 0f}, {1f / rows, 0f}, {-0.5f, 0.25f}, {2f, 1f}}) {
                float[] o1 = random(r, cols + 3), o2 = o1.clone();
                if (ab[1] == 0f) {
                    java.util.Arrays.fill(o1, 1, cols + 1, Float.NaN);
                    java.util.Arrays.fill(o2, 1, cols + 1, Float.NaN);
                }
                REF.sumColumns(rows, cols, ab[0], x, 2, ld, ab[1], o1, 1);
                backend().sumColumns(rows, cols, ab[0], x, 2, ld, ab[1], o2, 1);
                assertClose(o1, o2, 1e-5, "sumColumns rows=" + rows + " cols=" + cols + " alpha=" + ab[0] + " beta=" + ab[1]);
            }
        }
    }

    /** axpy, scale, multiplyAdd and the optimiser updates above the split, at offsets, on odd lengths. */
    @Test
    void vectorUpdatesAboveParallelThresholds() {
        Random r = new Random(21);
        for (int n : new int[] {LARGE - 3, LARGE + 1, 3 * LARGE + 31}) {
            float[] x = random(r, n + 1), y1 = random(r, n + 4), y2 = y1.clone();
            REF.axpy(n, -0.3f, x, 1, y1, 2);
            backend().axpy(n, -0.3f, x, 1, y2, 2);
            assertClose(y1, y2, 1e-6, "axpy n=" + n);
            REF.scale(n, 0.7f, y1, 3);
            backend().scale(n, 0.7f, y2, 3);
            assertClose(y1, y2, 1e-6, "scale n=" + n);
            float[] z1 = random(r, n + 2), z2 = z1.clone();
            REF.multiplyAdd(n, x, 1, y1, 2, z1, 2);
            backend().multiplyAdd(n, x, 1, y1, 2, z2, 2);
            assertClose(z1, z2, 1e-6, "multiplyAdd n=" + n);
            checkOptimiserUpdates(r, n, true);
        }
    }

    /** firstNonFinite above the split: the first bad value wins wherever the parts are cut. */
    @Test
    void firstNonFiniteAboveParallelThresholds() {
        Random r = new Random(22);
        for (int n : new int[] {LARGE - 1, LARGE + 7, 3 * LARGE + 1}) {
            float[] x = random(r, n + 2);
            x[0] = Float.NaN;
            x[n + 1] = Float.NaN;
            assertEquals(-1, backend().firstNonFinite(n, x, 1), "all finite, n=" + n);
            for (int pos : new int[] {0, n / 2 - 1, n / 2, n / 2 + 1, n - 1}) {
                for (int later : new int[] {-1, n - 1, n / 2 + 3}) {
                    float[] y = x.clone();
                    y[1 + pos] = Float.POSITIVE_INFINITY;
                    if (later > pos) y[1 + later] = Float.NaN;
                    assertEquals(pos, backend().firstNonFinite(n, y, 1), "Infinity at " + pos + ", later NaN at " + later + ", n=" + n);
                }
            }
        }
    }

    /**
     * Every op on non-finite and extreme pre-activations, in vector bodies and in tails: a GEMM from
     * finite inputs can overflow to +-infinity, and the reference's values there are the
     * specification (ElementwiseOp.apply: ReLU(-inf) = 0, sigmoid(-inf) = 0, tanh(+-inf) = +-1).
     */
    @Test
    void activationsOfNonFiniteAndExtremeValuesFollowTheReference() {
        float[] special = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -Float.MAX_VALUE, Float.MAX_VALUE,
            -1e30f, 1e30f, -0f, 0f, Float.MIN_VALUE, -Float.MIN_VALUE, -88.8f, 88.8f, Float.NaN};
        for (ElementwiseOp op : ElementwiseOp.values()) {
            for (int n : new int[] {special.length, 67}) {
                float[] z = new float[n];
                for (int i = 0; i < n; i++) z[i] = special[i % special.length];
                for (int shift = 0; shift < special.length; shift++) {
                    float[] zs = new float[n];
                    for (int i = 0; i < n; i++) zs[i] = z[(i + shift) % n];
                    float[] o1 = new float[n], o2 = new float[n];
                    REF.activation(op, 0.05f, n, zs, 0, o1, 0);
                    backend().activation(op, 0.05f, n, zs, 0, o2, 0);
                    assertClose(o1, o2, 4e-6, op + " of special values, n=" + n + ", shift " + shift);
                    for (int i = 0; i < n; i++) {
                        // a zero keeps the reference's sign (tanh(-0) = -0, as Math.tanh): within the
                        // tolerance -0 and 0 are equal, but 1 / a and atan2 tell them apart
                        if (o1[i] == 0f && Float.compare(o1[i], o2[i]) != 0) {
                            fail(op + " of " + zs[i] + ": expected " + o1[i] + ", got " + o2[i] + " (n=" + n
                                    + ", shift " + shift + ")");
                        }
                    }
                }
            }
        }
    }

    /** |e - a| &lt;= tol * max(1, |e|) element by element, and identical where not finite. */
    protected static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i], a = actual[i];
            if (!Float.isFinite(e) || !Float.isFinite(a)) {
                if (Float.compare(e, a) != 0) fail(what + " at " + i + ": expected " + e + ", got " + a);
                continue;
            }
            if (Math.abs(e - a) > tol * Math.max(1.0, Math.abs(e))) {
                fail(what + " at " + i + ": expected " + e + ", got " + a + " (tolerance " + tol + " relative)");
            }
        }
    }
}
