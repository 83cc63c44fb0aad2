package org.bpnn.backend.scalar;

import org.bpnn.backend.ElementwiseOp;
import org.bpnn.backend.Subnormals;

/**
 * The reference routines, written to be obviously right: plain loops, double accumulation in the
 * reductions. Other backends call these for the tails their vector bodies leave, so the tail and the
 * specification cannot drift apart.
 */
public final class ScalarKernels {
    private ScalarKernels() {}

    /**
     * C = alpha op(A) op(B) + beta C for rows [i0, i1) of C; see
     * {@link org.bpnn.backend.Backend#gemm}.
     */
    public static void gemm(boolean transA, boolean transB, int i0, int i1, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        for (int i = i0; i < i1; i++) {
            for (int j = 0; j < n; j++) {
                if (alpha == 0f) {
                    // BLAS: alpha == 0 reads neither A nor B, so their NaN or infinity (0 * Inf) stays out of C
                    int ci = cOff + i * ldc + j;
                    c[ci] = beta == 0f ? 0f : beta * c[ci];
                    continue;
                }
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += (double) aip * bpj;
                }
                int ci = cOff + i * ldc + j;
                float prior = beta == 0f ? 0f : beta * c[ci];
                c[ci] = (float) (alpha * sum) + prior;
            }
        }
    }

    /** z[i][j] += bias[j]; a[i][j] = f(z[i][j]) for rows [r0, r1). */
    public static void biasActivation(ElementwiseOp op, float param, int r0, int r1, int cols,
                                      float[] z, int zOff, int ldz, float[] bias, int biasOff,
                                      float[] a, int aOff, int lda) {
        for (int i = r0; i < r1; i++) {
            for (int j = 0; j < cols; j++) {
                float v = z[zOff + i * ldz + j];
                if (bias != null) {
                    v += bias[biasOff + j];
                    z[zOff + i * ldz + j] = v;
                }
                a[aOff + i * lda + j] = op.apply(v, param);
            }
        }
    }

    /**
     * out[i] = g[i] * f'(a[i]) for i in [from, to), a value below {@link Float#MIN_NORMAL} in magnitude
     * written as 0 (delta[l], which the matrix products of BP2 and BP3 read: see
     * {@link Subnormals}); IDENTITY passes g through as it is.
     */
    public static void activationBackward(ElementwiseOp op, float param, int from, int to,
                                          float[] a, int aOff, float[] g, int gOff, float[] out, int outOff) {
        if (op == ElementwiseOp.IDENTITY) {
            if (g != out || gOff != outOff) {
                System.arraycopy(g, gOff + from, out, outOff + from, to - from);
            }
            return;
        }
        for (int i = from; i < to; i++) {
            out[outOff + i] = Subnormals.flush(g[gOff + i] * op.derivativeFromOutput(a[aOff + i], param));
        }
    }

    /**
     * Stable softmax of one row of n values. A probability below {@link Float#MIN_NORMAL} (a logit more
     * than about 87.3 below the row's largest) is 0, see {@link Subnormals}.
     */
    public static void softmaxRow(int n, float[] x, int xOff, float[] out, int outOff) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, x[xOff + j]);
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            float e = (float) Math.exp(x[xOff + j] - max);
            out[outOff + j] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int j = 0; j < n; j++) {
            out[outOff + j] = Subnormals.flush(out[outOff + j] * inv);
        }
    }

    /** out[j] = alpha * sum_i x[i][j] + beta * out[j] for columns [j0, j1). */
    public static void sumColumns(int rows, int j0, int j1, float alpha, float[] x, int xOff, int ldx,
                                  float beta, float[] out, int outOff) {
        for (int j = j0; j < j1; j++) {
            double s = 0;
            for (int i = 0; i < rows; i++) {
                s += x[xOff + i * ldx + j];
            }
            float prior = beta == 0f ? 0f : beta * out[outOff + j];
            out[outOff + j] = (float) (alpha * s) + prior;
        }
    }
}
