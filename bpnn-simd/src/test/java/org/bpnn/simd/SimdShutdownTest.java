package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bpnn.backend.Backend;
import org.bpnn.backend.Backends;
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

    /**
     * A backend dropped without shutdown(): a hyper-parameter search that gives each trial a backend
     * of its own ({@code new SimdBackendProvider().create(threads)}, the public way to size threads per
     * trial) and lets it go with the trial's network. Its workers held only the pool, parked forever:
     * every such trial left threads - 1 live threads behind (a search of 1,000 trials on 4 threads,
     * 3,000), until the JVM could start no more. They now end once the backend is collected.
     * Bounded by collections, not by time: collections until the backend is gone, then a wait for the
     * workers that only a worker that never ends reaches (it waited 100 x 40 ms in all, a timing
     * assertion on the cleaner thread and the workers being scheduled on a busy machine).
     */
    @Test
    void aBackendDroppedWithoutShutdownEndsItsWorkersOnceCollected() throws Exception {
        SimdTesting.assumeVectorModule();
        java.util.List<Thread> workers = new java.util.ArrayList<>();
        java.lang.ref.WeakReference<SimdBackend> backend = useABackendAndDropIt(workers);
        assertEquals(2, workers.size());
        for (int i = 0; i < 100 && backend.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertTrue(backend.get() == null, "the dropped backend was not collected in 100 collections");
        for (Thread w : workers) {
            w.join(30_000);
            assertFalse(w.isAlive(), w.getName() + " of a backend no longer referenced still runs");
        }
    }

    /** Creates a 3-thread backend from the public provider, runs a product on its pool, and drops it. */
    private static java.lang.ref.WeakReference<SimdBackend> useABackendAndDropIt(java.util.List<Thread> workers) {
        Backend b = new SimdBackendProvider().create(3);
        SimdBackend simd = SimdTesting.alwaysSplit((SimdBackend) b);
        float[] a = new float[128 * 784], w = new float[256 * 784];
        java.util.Arrays.fill(a, 0.5f);
        java.util.Arrays.fill(w, 0.25f);
        product(simd, a, w);
        for (Thread t : simd.workerThreads()) {
            assertTrue(t.isAlive());
            workers.add(t);
        }
        return new java.lang.ref.WeakReference<>(simd);
    }

    /**
     * threads() keeps the configured count after shutdown() (Backend#threads says why), so toString(),
     * the line logs and error messages print, has to say that the workers are gone: it printed
     * "SimdBackend(threads=2, ...)" for a stopped backend exactly as for a running one.
     */
    @Test
    void toStringSaysTheBackendIsShutDown() {
        SimdTesting.assumeVectorModule();
        SimdBackend two = new SimdBackend(2);
        assertFalse(two.toString().contains("shut down"), two.toString());
        two.shutdown();
        assertTrue(two.isShutdown());
        assertEquals(2, two.threads(), "the configured count, as Backend#threads documents");
        assertTrue(two.toString().startsWith("SimdBackend(threads=2, shut down"), two.toString());
        SimdBackend one = new SimdBackend(1);
        one.shutdown(); // nothing to stop: it computes as before and says nothing
        assertFalse(one.toString().contains("shut down"), one.toString());
    }

    /**
     * A service that never calls Backends.shutdown() still stops: the workers are daemon threads
     * (README: "starts N - 1 daemon workers (bpnn-simd-worker-i)"), so they never keep a JVM alive.
     */
    @Test
    void theWorkersAreDaemonThreadsSoAJvmExitsWithoutShutdown() {
        SimdTesting.assumeVectorModule();
        SimdBackend three = new SimdBackend(3);
        try {
            Thread[] workers = three.workerThreads();
            assertEquals(2, workers.length);
            for (int i = 0; i < workers.length; i++) {
                assertTrue(workers[i].isDaemon(), workers[i].getName());
                assertEquals("bpnn-simd-worker-" + (i + 1), workers[i].getName());
            }
        } finally {
            three.shutdown();
        }
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
        // 20 products take well under a second; far past that, a product waits for the stopped worker
        user.join(60_000);
        assertFalse(user.isAlive(), "the caller's products still run 60 s after shutdown(): a call waits forever");
        for (float[] g : got) assertArrayEquals(expected, g);
        assertFalse(two.workerThreads()[0].isAlive());
    }

    /**
     * shutdown() on a backend from Backends' cache: the cache kept the stopped instance, so every
     * later Backends.get("simd", 2) (every network built on it) handed back a backend whose worker
     * was gone and silently computed on one thread while threads() still said 2. Now the stopped
     * instance is never handed out again: the next get() creates one with a live worker.
     */
    @Test
    void aCachedBackendStoppedByItsOwnShutdownIsReplacedByTheNextGet() {
        SimdTesting.assumeVectorModule();
        SimdBackend first = (SimdBackend) Backends.get("simd", 2);
        assertTrue(first.workerThreads()[0].isAlive());
        assertFalse(first.isShutdown());
        first.shutdown();
        assertTrue(first.isShutdown());

        Backend again = Backends.get("simd", 2);
        assertTrue(again != first, "Backends.get handed back the backend that shutdown() stopped");
        SimdBackend fresh = (SimdBackend) again;
        assertFalse(fresh.isShutdown());
        assertEquals(2, fresh.threads());
        assertTrue(fresh.workerThreads()[0].isAlive(), "the new backend has its worker running");
        assertTrue(fresh == Backends.get("simd", 2), "and is cached in its turn");
        assertFalse(new SimdBackend(1).isShutdown(), "nothing to stop with one thread");
    }

    /** The same through Backends.get(), which keeps its chosen default apart from the cache. */
    @Test
    void theDefaultBackendStoppedByItsOwnShutdownIsChosenAgain() {
        SimdTesting.assumeVectorModule();
        String oldName = System.getProperty(Backends.PROPERTY), oldThreads = System.getProperty(Backends.THREADS_PROPERTY);
        System.setProperty(Backends.PROPERTY, "simd");
        System.setProperty(Backends.THREADS_PROPERTY, "2");
        try {
            Backends.shutdown(); // forget a default chosen before under other settings
            SimdBackend first = (SimdBackend) Backends.get();
            assertEquals(2, first.threads());
            first.shutdown();
            SimdBackend fresh = (SimdBackend) Backends.get();
            assertTrue(fresh != first, "Backends.get() handed back the default backend that shutdown() stopped");
            assertTrue(fresh.workerThreads()[0].isAlive());
            assertTrue(fresh == Backends.get("simd", 2), "the one the cache holds too");
        } finally {
            restore(Backends.PROPERTY, oldName);
            restore(Backends.THREADS_PROPERTY, oldThreads);
            Backends.shutdown();
        }
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }
}
