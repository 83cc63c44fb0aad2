package org.bpnn.backend;

/**
 * The compute primitives that layers, losses and optimisers are built on: the implementer API.
 *
 * <p>Every array argument is a flat {@code float[]} with an explicit offset; matrices are row-major
 * with an explicit leading dimension (the distance between rows, at least the row length), so a
 * backend can work on views without copying. Shapes are given as "(rows, cols)".
 *
 * <p>The primitives are the ones dense backpropagation needs (row form, X: (batch, in), W: (out, in)):
 * <ul>
 *   <li>forward, Z = X W^T + b: {@link #gemm} NT, then {@link #biasActivation};</li>
 *   <li>BP2, dX = delta W: {@link #gemm} NN;</li>
 *   <li>BP3, dW = delta^T X: {@link #gemm} TN; db = column sums of delta: {@link #sumColumns};</li>
 *   <li>softmax forward: {@link #softmaxRows}; BP1/BP2's (.) f'(z): {@link #activationBackward}, and for
 *   softmax the Jacobian-vector product {@link #softmaxBackward};</li>
 *   <li>BP4 and the optimisers: {@link #axpy}, {@link #scale} and the fused updates;</li>
 *   <li>around them: the mini-batch copy ({@link #gatherRows}) and the finiteness checks
 *   ({@link #firstNonFinite}).</li>
 * </ul>
 * A backend must implement the abstract methods; the default methods are plain loops that a faster
 * backend may override. The scalar backend is the specification: every backend is tested against
 * it by extending {@code org.bpnn.backend.BackendContractTest}, which bpnn-core publishes in its
 * test jar (depend on {@code org.bpnn:bpnn-core} with {@code <type>test-jar</type>} and
 * {@code <scope>test</scope>}, plus JUnit 5; implement {@code backend()}).
 *
 * <p>Implementations are thread-safe: one backend instance may be used from several threads at
 * once, as long as the threads write to different arrays.
 *
 * <p>Implementations are deterministic: the same call on the same inputs gives the same bits,
 * whatever the thread count, the timing or what the JIT has compiled (fixed summation orders; no
 * reduction whose order depends on which thread finishes first). The library's reproducibility
 * guarantees (the same weights for the same seed on one or several threads) rest on it.
 */
public interface Backend {

    /** The name under which the backend is registered, e.g. "scalar" or "simd". */
    String name();

    /**
     * The number of threads the backend was created to use for large operations (1 = calling thread
     * only), fixed for the instance's life: the count {@link Backends#get(String, int)} caches it under,
     * except for a single-threaded backend, which reports 1 whatever count it was asked for
     * ({@code Backends.get("scalar", 4).threads()} is 1).
     * After {@link #shutdown()} has stopped its threads ({@link #isShutdown()} true) it still reports
     * that count, but computes on the calling thread alone; a caller that wants the threads actually
     * in use asks {@code isShutdown() ? 1 : threads()}. (Fixed rather than dropping to 1 so that a
     * value read by one holder does not change under it when another thread shuts the backend down,
     * and so that a backend is always the one its name and count describe.)
     */
    default int threads() {
        return 1;
    }

    /**
     * Stops the backend's own threads, if it has any, for a host that unloads the application (an
     * application server undeploying it: live threads would keep its classes loaded). The backend
     * stays usable: later calls compute on the calling thread, with the same results.
     *
     * <p>A backend from {@link Backends} is shared: every holder of it (each network built on it) then
     * computes on its own thread alone. {@link Backends} never hands a stopped backend out again (it
     * asks {@link #isShutdown()}): the next {@link Backends#get} of that name and count creates a new
     * one with running threads. A host that unloads the application stops them all at once with
     * {@link Backends#shutdown()} rather than one by one.
     *
     * <p>A backend that overrides this to stop anything must override {@link #isShutdown()} too, or
     * {@link Backends} keeps handing out the stopped instance.
     */
    default void shutdown() {}

    /**
     * Whether {@link #shutdown()} has stopped threads (or other resources) this backend had, so that
     * it now computes on the calling thread alone. False for a backend with nothing to stop (the
     * default): shutting it down changes nothing, and it need not be replaced. {@link Backends}
     * replaces a cached backend that answers true with a new one.
     */
    default boolean isShutdown() {
        return false;
    }

    /**
     * C = alpha op(A) op(B) + beta C, where op(X) is X or X^T.
     *
     * <p>op(A): (m, k), op(B): (k, n), C: (m, n). A is stored as (m, k) with leading dimension lda
     * when {@code !transA}, else as (k, m); likewise B as (k, n) or (n, k). When beta == 0, C is
     * overwritten and its previous contents (even NaN) are ignored. When alpha == 0, as in BLAS, A and
     * B are not read: C = beta C, whatever NaN or infinity they hold.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc);

    /**
     * The fused forward tail of a dense layer: z[i][j] += bias[j], then a[i][j] = f(z[i][j]).
     * z: (rows, cols) with leading dimension ldz, updated in place; bias: (cols) at biasOff, or null
     * for no bias; a: (rows, cols) with leading dimension lda (may be the same array region as z).
     */
    void biasActivation(ElementwiseOp op, float param, int rows, int cols,
                        float[] z, int zOff, int ldz, float[] bias, int biasOff,
                        float[] a, int aOff, int lda);

    /**
     * The element-wise backward step of BP1/BP2: out[i] = g[i] * f'(z[i]), with f' written through
     * the activation's output a = f(z) (see {@link ElementwiseOp}). Over n contiguous elements;
     * out may alias g. A result below {@link Float#MIN_NORMAL} in magnitude is 0 (it is delta[l], which
     * BP2's and BP3's matrix products read: {@link Subnormals}); IDENTITY passes g through unchanged.
     */
    void activationBackward(ElementwiseOp op, float param, int n,
                            float[] a, int aOff, float[] g, int gOff, float[] out, int outOff);

    /**
     * Row-wise softmax, stable: out[i][j] = exp(x[i][j] - max_i) / sum_j' exp(x[i][j'] - max_i).
     * x and out: (rows, cols) with leading dimensions ldx and ldo; out may alias x. A probability
     * below {@link Float#MIN_NORMAL} is 0 ({@link Subnormals}).
     */
    void softmaxRows(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff, int ldo);

    /**
     * Column sums: out[j] = alpha * sum_i x[i][j] + beta * out[j] (BP3's bias gradient).
     * x: (rows, cols) with leading dimension ldx; out: (cols). When beta == 0, out is overwritten and
     * its previous contents (even NaN) are ignored, as in {@link #gemm}: a gradient buffer left
     * non-finite by a skipped batch must not stay so.
     */
    void sumColumns(int rows, int cols, float alpha, float[] x, int xOff, int ldx,
                    float beta, float[] out, int outOff);

    /** y += alpha x over n elements. */
    void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

    /** x *= alpha over n elements. */
    void scale(int n, float alpha, float[] x, int xOff);

    // ---- defaults built from plain loops; a fast backend overrides them ------------------------

    /** out[i] = f(in[i]) over n contiguous elements; out may alias in. */
    default void activation(ElementwiseOp op, float param, int n, float[] in, int inOff, float[] out, int outOff) {
        biasActivation(op, param, 1, n, in, inOff, n, null, 0, out, outOff, n);
    }

    /**
     * Softmax backward, the Jacobian-vector product (softmax couples its outputs, so BP1's
     * element-wise form does not apply): out[i][j] = a[i][j] (g[i][j] - sum_k g[i][k] a[i][k]).
     * a, g, out: (rows, cols) contiguous; out may alias g. A result below {@link Float#MIN_NORMAL} in
     * magnitude is 0, as in {@link #activationBackward}.
     */
    default void softmaxBackward(int rows, int cols, float[] a, int aOff, float[] g, int gOff, float[] out, int outOff) {
        for (int i = 0; i < rows; i++) {
            int ra = aOff + i * cols, rg = gOff + i * cols, ro = outOff + i * cols;
            double dot = 0;
            for (int j = 0; j < cols; j++) {
                dot += (double) g[rg + j] * a[ra + j];
            }
            float d = (float) dot;
            for (int j = 0; j < cols; j++) {
                out[ro + j] = Subnormals.flush(a[ra + j] * (g[rg + j] - d));
            }
        }
    }

    /**
     * The index (relative to off) of the first NaN or infinity among x[off .. off+n), or -1 when all
     * are finite. Training checks every input batch and every gradient with it, so a fast backend
     * should vectorise it.
     */
    default int firstNonFinite(int n, float[] x, int off) {
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(x[off + i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A mini-batch's gather: dst row i (cols floats from dstOff + i*cols) = src row
     * index[indexOff + i] (cols floats from index[indexOff + i] * cols), for i in [0, rows). The
     * default copies row by row; a backend may split the rows across threads (a shuffled batch's
     * rows come from all over a large training set, so the copy waits on memory, and two cores keep
     * twice as many reads in flight). An index whose row is not in src is an IllegalArgumentException.
     */
    default void gatherRows(int rows, int cols, float[] src, int[] index, int indexOff, float[] dst, int dstOff) {
        for (int i = 0; i < rows; i++) {
            // in long, checked: index * cols in int wraps for an absurd index (1431655766 * 3 is 2
            // modulo 2^32) and would copy another row silently. One compare per row beside a copy of cols
            // floats; the library's own caller (Batches, with a permutation of the rows) never trips it.
            long from = (long) index[indexOff + i] * cols;
            if (from < 0 || from + cols > src.length) {
                throw rowOutOfRange(index[indexOff + i], indexOff + i, cols, src.length);
            }
            System.arraycopy(src, (int) from, dst, dstOff + i * cols, cols);
        }
    }

    /**
     * Starts {@link #gatherRows}, which a backend may then copy on its idle threads while the caller goes
     * on with other calls (a training loop starts the next batch's copy before computing the current
     * one: on two threads the worker has idle gaps in every step). Until {@link #finishGatherRows()}
     * returns on the calling thread, dst's rows must be neither read nor written, and src and the index
     * must not change. A start on a thread whose previous start is not finished finishes that one first.
     * dst ends the same as after {@code gatherRows}, and a wrong index is refused the same way, here.
     * The default copies at once.
     */
    default void startGatherRows(int rows, int cols, float[] src, int[] index, int indexOff, float[] dst, int dstOff) {
        gatherRows(rows, cols, src, index, indexOff, dst, dstOff);
    }

    /**
     * Returns once the copy that {@link #startGatherRows} started on this thread is complete; at once when
     * there is none. The default has none to wait for.
     */
    default void finishGatherRows() {}

    /** The message of {@link #gatherRows}'s range check (kept out of the loop, which stays small for the JIT). */
    private static IllegalArgumentException rowOutOfRange(int row, int at, int cols, int srcLength) {
        int have = srcLength / cols; // cols > 0 here: with 0 columns every row is in range
        return new IllegalArgumentException("gatherRows: index[" + at + "] = " + row + " is not a row of src, which holds "
                + have + " rows of " + cols + " floats; an index must be in [0, " + have + "): pass row numbers of src,"
                + " not element offsets");
    }

    /** z[i] += x[i] * y[i] over n elements. */
    default void multiplyAdd(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        for (int i = 0; i < n; i++) {
            z[zOff + i] += x[xOff + i] * y[yOff + i];
        }
    }

    /**
     * SGD with momentum in one pass (PyTorch's form): v = mu v + g; w -= lr (nesterov ? g + mu v : v).
     * A v below {@link Float#MIN_NORMAL} in magnitude is stored, and used, as 0 ({@link Subnormals}).
     */
    default void momentumUpdate(int n, float lr, float mu, boolean nesterov,
                                float[] w, int wOff, float[] g, int gOff, float[] v, int vOff) {
        for (int i = 0; i < n; i++) {
            float vi = Subnormals.flush(mu * v[vOff + i] + g[gOff + i]);
            v[vOff + i] = vi;
            w[wOff + i] -= lr * (nesterov ? g[gOff + i] + mu * vi : vi);
        }
    }

    /**
     * Adam in one pass (Kingma and Ba, Algorithm 1, with bias corrections folded into the step):
     * m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; w -= lr (m s1) / (sqrt(v) s2 + eps) + lr wd w,
     * where s1 = 1 / c1 and s2 = 1 / sqrt(c2) with c1 = 1 - b1^t and c2 = 1 - b2^t, i.e. m / c1 and
     * sqrt(v / c2) as multiplications by per-step constants (one division per element instead of
     * three: 70 us instead of 117 per simd update of 784-256-128-10's weights, as measured). wd is
     * AdamW's decoupled weight decay (0 for Adam).
     * An m below {@link Float#MIN_NORMAL} in magnitude is stored, and used, as 0, and so is such a v
     * when {@link Subnormals#vanishBeside Subnormals.vanishBeside(s2, eps)} (see {@link Subnormals}).
     * reference: https://arxiv.org/abs/1412.6980, https://arxiv.org/abs/1711.05101
     */
    default void adamUpdate(int n, float lr, float b1, float b2, float eps, float c1, float c2, float wd,
                            float[] w, int wOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff) {
        float s1 = 1f / c1, s2 = (float) (1.0 / Math.sqrt(c2));
        boolean flushV = Subnormals.vanishBeside(s2, eps);
        for (int i = 0; i < n; i++) {
            float gi = g[gOff + i];
            float mi = Subnormals.flush(b1 * m[mOff + i] + (1f - b1) * gi);
            float vi = b2 * v[vOff + i] + (1f - b2) * gi * gi;
            if (flushV) vi = Subnormals.flush(vi);
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            float wi = w[wOff + i];
            w[wOff + i] = wi - lr * ((mi * s1) / ((float) Math.sqrt(vi) * s2 + eps) + wd * wi);
        }
    }
}
