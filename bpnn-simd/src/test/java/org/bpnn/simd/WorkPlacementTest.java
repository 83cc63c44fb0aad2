package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.bpnn.simd.kernel.Simd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the two-thread backend places a matrix-vector product (it decides the cut, never a value): a
 * matrix that an optimiser update just wrote on one thread stays with that thread for the next
 * product (training at batch 1), and fixed weights are split (single-sample predict).
 */
class WorkPlacementTest {
    private static final int OUT = 256, IN = 784; // layer 1 of 784-256-128-10: 0.4 MFLOP, above the gemv threshold
    private SimdBackend two;

    @BeforeEach
    void backend() {
        SimdTesting.assumeVectorModule();
        assumeTrue(Simd.ENABLED, "bpnn.simd.bits=off: every call is the scalar reference, no pool");
        two = SimdTesting.alwaysSplit(new SimdBackend(2));
    }

    @AfterEach
    void shutdown() {
        if (two != null) {
            two.shutdown();
        }
    }

    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    /** z = x W^T for one sample, W (OUT, IN) row-major: the forward pass's product at batch 1. */
    private void forward(float[] x, float[] w, float[] z) {
        two.gemm(false, true, 1, OUT, IN, 1f, x, 0, IN, w, 0, IN, 0f, z, 0, OUT);
    }

    @Test
    void aProductThatFindsThePoolBusyIsNotCountedAsSplit() {
        Random r = new Random(2);
        float[] w = random(r, OUT * IN), x = random(r, IN), z = new float[OUT];
        assertTrue(two.pool().tryAcquire(), "the pool was free"); // another caller's product holds it
        try {
            forward(x, w, z);
            assertFalse(two.lastGemmSplit(), "computed on the caller alone while the pool was busy");
        } finally {
            two.pool().busy = false; // the release, as the backend does it
        }
        forward(x, w, z);
        assertTrue(two.lastGemmSplit());
    }

    @Test
    void productOfFixedWeightsIsSplit() {
        Random r = new Random(1);
        float[] w = random(r, OUT * IN), x = random(r, IN), z = new float[OUT];
        forward(x, w, z);
        assertTrue(two.lastGemmSplit());
        forward(x, w, z);
        assertTrue(two.lastGemmSplit());
    }

    @Test
    void productAfterAOneThreadUpdateStaysOnTheCaller() {
        Random r = new Random(2);
        float[] w = random(r, OUT * IN), g = random(r, OUT * IN), x = random(r, IN);
        float[] z = new float[OUT], expected = new float[OUT];
        for (int step = 0; step < 3; step++) {
            two.axpy(OUT * IN, -0.01f, g, 0, w, 0); // after a one-thread product: runs on the caller
            forward(x, w, z);
            assertFalse(two.lastGemmSplit(), "step " + step + ": the product right after the update");
            SimdTesting.oneThread().gemm(false, true, 1, OUT, IN, 1f, x, 0, IN, w, 0, IN, 0f, expected, 0, OUT);
            assertArrayEquals(expected, z, "step " + step);
        }
        forward(x, w, z); // no update since: the matrix is in both caches after this product
        assertTrue(two.lastGemmSplit());
    }

    @Test
    void otherUpdatesAndTheTransposedFormAreTracked() {
        Random r = new Random(3);
        float[] w = random(r, OUT * IN), g = random(r, OUT * IN), v = new float[OUT * IN], m = new float[OUT * IN];
        float[] x = random(r, IN), z = new float[OUT];
        two.momentumUpdate(OUT * IN, 0.01f, 0.9f, false, w, 0, g, 0, v, 0);
        forward(x, w, z);
        assertFalse(two.lastGemmSplit(), "after momentum");
        two.adamUpdate(OUT * IN, 0.001f, 0.9f, 0.999f, 1e-8f, 0.1f, 0.001f, 0f, w, 0, g, 0, m, 0, v, 0);
        forward(x, w, z);
        assertFalse(two.lastGemmSplit(), "after Adam");
        // a column vector (n == 1): the matrix is A
        two.axpy(OUT * IN, -0.01f, g, 0, w, 0);
        two.gemm(false, false, OUT, 1, IN, 1f, w, 0, IN, x, 0, 1, 0f, z, 0, 1);
        assertFalse(two.lastGemmSplit(), "W x after the update");
        two.gemm(false, false, OUT, 1, IN, 1f, w, 0, IN, x, 0, 1, 0f, z, 0, 1);
        assertTrue(two.lastGemmSplit());
    }

    @Test
    void theBackendDoesNotKeepAnUpdatedMatrixReachable() throws InterruptedException {
        // the backend is shared for the life of the process: holding the arrays kept a discarded network's weights
        float[] g = new float[OUT * IN];
        java.lang.ref.WeakReference<float[]> ref = writtenThenDropped(g);
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertTrue(ref.get() == null, "the updated matrix is still reachable");
    }

    private java.lang.ref.WeakReference<float[]> writtenThenDropped(float[] g) {
        float[] w = new float[OUT * IN];
        two.axpy(OUT * IN, -0.01f, g, 0, w, 0); // recorded: written on one thread
        return new java.lang.ref.WeakReference<>(w);
    }
}
