package org.bpnn.backend.scalar;

import org.bpnn.backend.Backend;
import org.bpnn.backend.ElementwiseOp;

/** The reference backend: single-threaded plain Java, the specification of every primitive. */
public final class ScalarBackend implements Backend {
    public static final ScalarBackend INSTANCE = new ScalarBackend();

    private ScalarBackend() {}

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        ScalarKernels.gemm(transA, transB, 0, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void biasActivation(ElementwiseOp op, float param, int rows, int cols, float[] z, int zOff, int ldz,
                               float[] bias, int biasOff, float[] a, int aOff, int lda) {
        ScalarKernels.biasActivation(op, param, 0, rows, cols, z, zOff, ldz, bias, biasOff, a, aOff, lda);
    }

    @Override
    public void activationBackward(ElementwiseOp op, float param, int n, float[] a, int aOff,
                                   float[] g, int gOff, float[] out, int outOff) {
        ScalarKernels.activationBackward(op, param, 0, n, a, aOff, g, gOff, out, outOff);
    }

    @Override
    public void softmaxRows(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff, int ldo) {
        for (int i = 0; i < rows; i++) {
            ScalarKernels.softmaxRow(cols, x, xOff + i * ldx, out, outOff + i * ldo);
        }
    }

    @Override
    public void sumColumns(int rows, int cols, float alpha, float[] x, int xOff, int ldx,
                           float beta, float[] out, int outOff) {
        ScalarKernels.sumColumns(rows, 0, cols, alpha, x, xOff, ldx, beta, out, outOff);
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void scale(int n, float alpha, float[] x, int xOff) {
        for (int i = 0; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    @Override
    public String toString() {
        return "ScalarBackend";
    }
}
