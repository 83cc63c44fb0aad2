package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Backend#shutdown for hosts that unload the application: the worker threads end (live ones would
 * keep the application's classes loaded), and the backend keeps computing, on the caller's thread,
 * with the same bits. A fresh backend, not one from Backends' cache, which other tests share.
 */
class SimdShutdownTest {
    private static float[] product(SimdBackend b, float[] a, float[] w) {
        float[] c = new float[128 * 256];
        b.gemm(false, true, 128, 256, 784, 1f, a, 0, 784, w, 0, 784, 0f, c, 0, 256);
        return c;
    }

    @Test
    void shutdownEndsTheWorkersAndTheBackendStillComputes() throws Exception {
        SimdTesting.assumeVectorModule();
        Random r = new Random(3);
        float[] a = new float[128 * 784], w = new float[256 * 784];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        SimdBackend two = new SimdBackend(2);
        Thread[] workers = two.workerThreads();
        assertEquals(1, workers.length);
        assertTrue(workers[0].isAlive());
        float[] before = product(two, a, w);

        two.shutdown();
        assertFalse(workers[0].isAlive(), "the worker ended (shutdown waits for it)");
        assertArrayEquals(before, product(two, a, w), "same bits on the caller's thread");
        assertArrayEquals(before, product(new SimdBackend(1), a, w));
        two.shutdown(); // idempotent
        assertEquals(2, two.threads(), "the configured count, as created");
    }

    @Test
    void shutdownWaitsForACallInProgress() throws Exception {
        SimdTesting.assumeVectorModule();
        float[] a = new float[128 * 784], w = new float[256 * 784];
        java.util.Arrays.fill(a, 0.5f);
        java.util.Arrays.fill(w, 0.25f);
        SimdBackend two = new SimdBackend(2);
        float[] expected = product(new SimdBackend(1), a, w);
        float[][] got = new float[20][];
        Thread user = new Thread(() -> {
            for (int i = 0; i < got.length; i++) got[i] = product(two, a, w);
        });
        user.start();
        Thread.sleep(2);
        two.shutdown();
        user.join();
        for (float[] g : got) assertArrayEquals(expected, g);
        assertFalse(two.workerThreads()[0].isAlive());
    }
}
