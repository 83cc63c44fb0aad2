package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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

    /**
     * shutdown() while a call holds the pool waits for it: the pool is neither stopped nor released
     * under the call, whose other chunk a worker is running; once the call returns, shutdown ends the
     * worker and the pool refuses every later claim, so a product after it computes on its caller,
     * with the same bits. The call in progress is a run on the backend's pool whose worker chunk
     * waits on a latch, so it is certainly in progress when shutdown starts (a call started on another
     * thread before a short sleep may not have begun, or may be over). shutdown spins for the pool
     * meanwhile; that it has got there is seen from its CPU time, not from a sleep. The deadlines
     * only keep a failure from hanging.
     */
    @Test
    void shutdownWaitsForACallInProgress() throws Exception {
        SimdTesting.assumeVectorModule();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadCpuTimeSupported() && mx.isThreadCpuTimeEnabled(), "thread CPU time not measurable here");
        float[] a = new float[128 * 784], w = new float[256 * 784];
        java.util.Arrays.fill(a, 0.5f);
        java.util.Arrays.fill(w, 0.25f);
        SimdBackend two = SimdTesting.alwaysSplit(new SimdBackend(2)); // a split depends on the pool alone
        WorkerPool pool = two.pool();
        Thread worker = two.workerThreads()[0];
        float[] expected = product(new SimdBackend(1), a, w);
        assertArrayEquals(expected, product(two, a, w));
        assertTrue(two.lastGemmSplit(), "the product is split while the pool runs");

        CountDownLatch workerIn = new CountDownLatch(1), finish = new CountDownLatch(1), stopped = new CountDownLatch(1);
        float[][] after = new float[1][];
        boolean[] splitAfter = new boolean[1];
        // what the threads throw ends only their thread: kept, to fail the test
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread user = new Thread(() -> {
            if (!pool.tryAcquire()) {
                throw new AssertionError("the pool was not free for the call");
            }
            try {
                // two chunks, one on each thread: the caller's waits until the worker has taken the other
                pool.run((chunk, chunks) -> {
                    if (Thread.currentThread() == worker) {
                        workerIn.countDown();
                        await(finish);
                    } else {
                        await(workerIn);
                    }
                }, 2);
            } finally {
                pool.release();
            }
            await(stopped);
            after[0] = product(two, a, w);
            splitAfter[0] = two.lastGemmSplit();
        }, "bpnn-simd-test-user");
        Thread stopper = new Thread(two::shutdown, "bpnn-simd-test-stopper");
        for (Thread t : new Thread[] {user, stopper}) {
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> thrown.compareAndSet(null, e));
        }
        try {
            user.start();
            assertTrue(workerIn.await(60, TimeUnit.SECONDS), "the worker took no chunk of the call within 60 s");
            stopper.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            // 20 ms of its own CPU: well past its first attempts to claim the pool
            while (!two.isShutdown() && stopper.isAlive() && mx.getThreadCpuTime(stopper.getId()) < 20_000_000L
                    && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertFalse(two.isShutdown(), "shutdown stopped the pool under the call in progress");
            assertTrue(stopper.isAlive(), "shutdown returned during the call");
            assertFalse(pool.tryAcquire(), "shutdown released the call's claim on the pool");
            assertTrue(worker.isAlive(), "the worker running the call's chunk ended");
        } finally {
            finish.countDown();
        }
        stopper.join(60_000);
        assertFalse(stopper.isAlive(), "shutdown did not return within 60 s of the call's end");
        assertTrue(two.isShutdown());
        assertFalse(worker.isAlive(), "the worker ended (shutdown waits for it)");
        stopped.countDown();
        // a product takes well under a second; far past that, it waits for the stopped worker
        user.join(60_000);
        assertFalse(user.isAlive(), "the caller's call or its product after shutdown still runs 60 s later");
        if (thrown.get() != null) fail("the call or shutdown threw", thrown.get());
        assertFalse(splitAfter[0], "a product after shutdown took the stopped pool");
        assertArrayEquals(expected, after[0], "same bits on the caller's thread");
    }

    /** Waits for {@code latch}; fails after 60 s. */
    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("not released within 60 s");
            }
        } catch (InterruptedException e) {
            throw new AssertionError("interrupted while waiting", e);
        }
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
