package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The stall guard: a two-thread call that took longer than one thread would have (a worker that lost
 * its core mid-chunk to another process) makes the next calls run on the caller alone for a back-off;
 * a stray stall after good runs is paid from their credit; probes bring two threads back. The
 * decisions are tested on given times; one test drives a real pool whose worker stalls.
 */
class StallGuardTest {
    private static final long US = 1_000, MS = 1_000_000;

    /** A run of 2 chunks, the faster taking {@code chunk}, that took {@code chunk + wait} in all. */
    private static void run(StallGuard g, long now, long chunk, long wait) {
        g.judge(now, 2, chunk, chunk + wait);
    }

    @Test
    void goodRunsKeepSplitting() {
        StallGuard g = new StallGuard();
        for (int i = 0; i < 1000; i++) {
            run(g, i * MS, 100 * US, 5 * US); // 105 us against 200 alone
            assertTrue(g.allowsSplit(i * MS + 1));
        }
        assertEquals(0, g.stalls());
    }

    @Test
    void aWorkerAtHalfTheCallersSpeedBreaksEven() {
        StallGuard g = new StallGuard();
        for (int i = 0; i < 100; i++) {
            run(g, i * MS, 100 * US, 100 * US); // 200 us, as alone
        }
        assertTrue(g.allowsSplit(100 * MS));
        assertEquals(0, g.stalls());
    }

    @Test
    void aStallWithNoCreditRunsCallsAloneForTheBackoffThenProbes() {
        StallGuard g = new StallGuard();
        long t = 7 * MS;
        run(g, t, 100 * US, 3 * MS); // the worker lost its core: 3.1 ms against 200 us alone
        assertEquals(1, g.stalls());
        assertFalse(g.allowsSplit(t));
        assertFalse(g.allowsSplit(t + StallGuard.FIRST_BACKOFF_NANOS - 1));
        assertTrue(g.allowsSplit(t + StallGuard.FIRST_BACKOFF_NANOS), "the back-off is over: the next call probes");
        assertEquals(2 * StallGuard.FIRST_BACKOFF_NANOS, g.backoff());
    }

    @Test
    void stallsInARowDoubleTheBackoffUpToItsMaximum() {
        StallGuard g = new StallGuard();
        long t = 0;
        long expected = StallGuard.FIRST_BACKOFF_NANOS;
        for (int i = 0; i < 12; i++) {
            run(g, t, 100 * US, 3 * MS);
            assertFalse(g.allowsSplit(t + expected - 1), "stall " + (i + 1));
            assertTrue(g.allowsSplit(t + expected), "stall " + (i + 1));
            t += expected; // the probe comes when the back-off ends, and stalls again
            expected = Math.min(2 * expected, StallGuard.MAX_BACKOFF_NANOS);
        }
        assertEquals(StallGuard.MAX_BACKOFF_NANOS, g.backoff());
    }

    @Test
    void aStrayStallAfterGoodRunsIsPaidFromTheirCredit() {
        StallGuard g = new StallGuard();
        for (int i = 0; i < 100; i++) {
            run(g, i * MS, 100 * US, 5 * US); // credit reaches its cap (4 ms)
        }
        run(g, 100 * MS, 100 * US, 3 * MS);
        assertTrue(g.allowsSplit(100 * MS), "3 ms lost against 4 ms gained");
        assertEquals(0, g.stalls());
        run(g, 101 * MS, 100 * US, 3 * MS);
        assertFalse(g.allowsSplit(101 * MS), "a second one in a row is not");
    }

    @Test
    void aGoodProbeBringsTwoThreadsBackAndAFullCreditHalvesTheBackoff() {
        StallGuard g = new StallGuard();
        long t = 0;
        for (int i = 0; i < 3; i++) {
            run(g, t, 100 * US, 3 * MS);
            t += g.backoff() / 2; // the back-off that was started
        }
        assertEquals(8 * StallGuard.FIRST_BACKOFF_NANOS, g.backoff());
        run(g, t, 100 * US, 5 * US); // the machine is free again: the probe is good
        assertTrue(g.allowsSplit(t + 1));
        for (int i = 0; i < 100; i++) {
            run(g, t + i * US, 100 * US, 5 * US);
        }
        assertEquals(StallGuard.FIRST_BACKOFF_NANOS, g.backoff(), "halved at each full credit, down to the first");
    }

    @Test
    void runsWithoutASplitOrATimedChunkAreNotJudged() {
        StallGuard g = new StallGuard();
        g.judge(0, 1, 100 * US, 5 * MS); // one chunk: nothing was split
        g.judge(0, 2, Long.MAX_VALUE, 5 * MS); // every chunk failed: nothing to time the run by
        assertTrue(g.allowsSplit(0));
        assertEquals(0, g.stalls());
    }

    @Test
    void aDisabledGuardSplitsEveryCall() {
        StallGuard g = new StallGuard();
        run(g, 0, 100 * US, 3 * MS);
        assertFalse(g.allowsSplit(0));
        g.disable();
        assertTrue(g.allowsSplit(0));
        run(g, 0, 100 * US, 3 * MS);
        assertTrue(g.allowsSplit(0));
    }

    @Test
    void aWorkerThatStallsMakesTheBackendComputeAloneAndAlike() throws Exception {
        SimdTesting.assumeVectorModule();
        org.junit.jupiter.api.Assumptions.assumeTrue(org.bpnn.simd.kernel.Simd.ENABLED, "-Dbpnn.simd.bits=0: nothing is split");
        SimdBackend two = new SimdBackend(2);
        try {
            int m = 64, n = 256, k = 128; // 4.2 MFLOP: split on a free machine (from 2)
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n], alone = new float[m * n];
            java.util.Random r = new java.util.Random(1);
            for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
            // compiled before the stall (split or not, a call runs the same kernels): interpreted, a product
            // of this size took longer than the back-off the stall starts
            for (int i = 0; i < 200; i++) {
                two.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
            }
            WorkerPool pool = two.pool();
            // stalls long past have doubled the back-off to its maximum, 200 ms: the product after the
            // stall below then chooses within it even when its one-thread code still runs interpreted
            long past = System.nanoTime() - 100_000 * MS;
            for (int i = 0; i < 8; i++) {
                pool.guard.judge(past + i * MS, 2, 100 * US, 3 * MS);
            }
            assertTrue(pool.guard.allowsSplit(System.nanoTime()));
            long stallsBefore = pool.guard.stalls();
            Thread caller = Thread.currentThread();
            CountDownLatch workerStarted = new CountDownLatch(1);
            assertTrue(pool.tryAcquire());
            try {
                pool.run((chunk, chunks) -> {
                    if (Thread.currentThread() != caller) {
                        workerStarted.countDown();
                        long end = System.nanoTime() + 200 * MS; // as if its core went to another process
                        while (System.nanoTime() - end < 0) {
                            LockSupport.parkNanos(end - System.nanoTime()); // (returns at once on a pending unpark)
                        }
                    } else if (!await(workerStarted)) {
                        throw new AssertionError("the worker never took its chunk");
                    } // the caller's chunk ends once the worker holds the other one
                }, 2);
            } finally {
                pool.busy = false;
            }
            // at once: a first assertion or string concatenation can take longer than the 5 ms back-off
            two.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
            boolean split = two.lastGemmSplit();
            // the back-off still on after the call means it was on when the call chose (unless this thread
            // lost its core for that long: then the check says nothing)
            boolean backoffOn = !pool.guard.allowsSplit(System.nanoTime());
            assertEquals(stallsBefore + 1, pool.guard.stalls(), "the run waited ~200 ms for the worker");
            if (backoffOn) {
                assertFalse(split, "computed on the caller alone during the back-off");
            } else {
                System.err.println("StallGuardTest: the back-off ended before the product; its placement was not checked ");
            }
            new SimdBackend(1).gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, alone, 0, n);
            assertArrayEquals(alone, c, "the same bits as one thread");
        } finally {
            two.shutdown();
        }
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
