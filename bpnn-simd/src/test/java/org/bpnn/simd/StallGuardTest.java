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
        for (int i = 0; i < 100_000; i++) {
            run(g, i * MS, 100 * US, 100 * US); // 200 us, as alone
        }
        assertTrue(g.allowsSplit(100_000 * MS));
        assertEquals(0, g.stalls());
    }

    /** Runs that each lose 3 ms (the worker lost its core) from {@code t}, until a back-off starts; returns when. */
    private static long loseUntilBackoff(StallGuard g, long t) {
        for (int i = 0; i < 1000; i++, t += MS) {
            run(g, t, 100 * US, 3 * MS);
            if (!g.allowsSplit(t)) {
                return t;
            }
        }
        throw new AssertionError("1000 losing runs in a row started no back-off");
    }

    @Test
    void recurringLossesRunCallsAloneForTheBackoffThenProbe() {
        StallGuard g = new StallGuard();
        long t = loseUntilBackoff(g, 7 * MS);
        assertEquals(1, g.stalls());
        assertTrue(t > 7 * MS, "one loss is paid from the allowance the guard starts with");
        assertFalse(g.allowsSplit(t + StallGuard.FIRST_BACKOFF_NANOS - 1));
        assertTrue(g.allowsSplit(t + StallGuard.FIRST_BACKOFF_NANOS), "the back-off is over: the next call probes");
        assertEquals(2 * StallGuard.FIRST_BACKOFF_NANOS, g.backoff());
    }

    @Test
    void backoffsInARowDoubleUpToTheMaximum() {
        StallGuard g = new StallGuard();
        long t = 0;
        long expected = StallGuard.FIRST_BACKOFF_NANOS;
        for (int i = 0; i < 12; i++) {
            t = loseUntilBackoff(g, t);
            assertFalse(g.allowsSplit(t + expected - 1), "back-off " + (i + 1));
            assertTrue(g.allowsSplit(t + expected), "back-off " + (i + 1));
            t += expected; // the probes come when the back-off ends, and lose again
            expected = Math.min(2 * expected, StallGuard.MAX_BACKOFF_NANOS);
        }
        assertEquals(StallGuard.MAX_BACKOFF_NANOS, g.backoff());
    }

    @Test
    void oneLongPauseLosesAtMostTheAllowance() {
        StallGuard g = new StallGuard();
        run(g, 0, 100 * US, 500 * MS); // a collection, or the host preempting a vCPU once
        assertTrue(g.allowsSplit(0), "clamped to the allowance the credit starts with");
        run(g, MS, 100 * US, 5 * US);
        assertTrue(g.allowsSplit(MS));
        assertEquals(0, g.stalls());
    }

    @Test
    void lossesThatComeAndGoArePaidFromTheGains() {
        StallGuard g = new StallGuard();
        long t = 0;
        for (int i = 0; i < 100_000; i++, t += 10 * US) {
            // a two-thread training step gains about 250 us; every 40th run the host preempts a vCPU for 2 ms
            run(g, t, 100 * US, i % 40 == 39 ? 2 * MS : 5 * US);
            assertTrue(g.allowsSplit(t), "run " + i);
        }
        assertEquals(0, g.stalls());
    }

    @Test
    void aGoodProbeBringsTwoThreadsBackAndAFullCreditHalvesTheBackoff() {
        StallGuard g = new StallGuard();
        long t = 0;
        for (int i = 0; i < 3; i++) {
            t = loseUntilBackoff(g, t) + g.backoff() / 2; // to the end of the back-off that was started
        }
        assertEquals(8 * StallGuard.FIRST_BACKOFF_NANOS, g.backoff());
        run(g, t, 100 * US, 5 * US); // the machine is free again: the probe is good
        assertTrue(g.allowsSplit(t + 1));
        for (int i = 0; i < 10_000; i++) {
            run(g, t + i * US, 100 * US, 5 * US);
        }
        assertEquals(StallGuard.FIRST_BACKOFF_NANOS, g.backoff(), "halved at each full credit, down to the first");
        assertEquals(3, g.stalls());
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
        long t = loseUntilBackoff(g, 0);
        assertFalse(g.allowsSplit(t));
        g.disable();
        assertTrue(g.allowsSplit(t));
        for (int i = 0; i < 100; i++) {
            run(g, t, 100 * US, 3 * MS);
        }
        assertTrue(g.allowsSplit(t));
    }

    /**
     * A real pool: two runs in which one thread's chunk stops for 30 ms after the other's has long
     * finished make the backend compute the next product alone, with the same bits. The stalled chunk
     * is the caller's, held until the worker has finished its own (a few microseconds, the run's
     * fastest chunk; the worker stalls in the second chunk instead when it got both): every run then
     * loses far more than the allowance whatever the machine's load.
     * (The worker's chunk used to stall, the caller's waiting until the worker took it: the fastest
     * chunk was then the worker's wake-up time, and a worker that a busy machine woke about 30 ms late
     * made the run look as fast as one thread.) The back-off the stall starts is checked by the guard's
     * own clock, and the product's placement only when it ended within that back-off.
     */
    @Test
    void aThreadThatStallsMakesTheBackendComputeAloneAndAlike() throws Exception {
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
                past = loseUntilBackoff(pool.guard, past) + pool.guard.backoff() / 2; // to that back-off's end
            }
            assertEquals(StallGuard.MAX_BACKOFF_NANOS, pool.guard.backoff());
            assertTrue(pool.guard.allowsSplit(System.nanoTime()));
            long stallsBefore = pool.guard.stalls();
            Thread caller = Thread.currentThread();
            // two runs that each lose ~30 ms (one run loses at most the 5 ms allowance the probe starts
            // with: the second makes the credit negative)
            long lastRunStart = 0;
            for (int stall = 0; stall < 2; stall++) {
                CountDownLatch workerDone = new CountDownLatch(1);
                assertTrue(pool.tryAcquire());
                lastRunStart = System.nanoTime();
                try {
                    pool.run((chunk, chunks) -> {
                        if (Thread.currentThread() == caller) {
                            if (!await(workerDone)) {
                                throw new AssertionError("the worker never took a chunk");
                            }
                            stall30ms();
                        } else if (workerDone.getCount() > 0) {
                            workerDone.countDown(); // the run's fastest chunk
                        } else {
                            stall30ms(); // the caller, descheduled, never claimed the other chunk: the worker stalls in it
                        }
                    }, 2);
                } finally {
                    pool.busy = false;
                }
            }
            assertEquals(stallsBefore + 1, pool.guard.stalls(), "two runs lost ~30 ms each");
            // the stall was judged at the end of the last run, after lastRunStart: its back-off lasts
            // at least until lastRunStart + 200 ms (read on the guard's clock, not this thread's)
            long backoffEnd = lastRunStart + StallGuard.MAX_BACKOFF_NANOS;
            assertFalse(pool.guard.allowsSplit(backoffEnd - 1), "the back-off (200 ms) started at the stall");
            two.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
            boolean split = two.lastGemmSplit();
            if (System.nanoTime() - backoffEnd < 0) { // the call chose before the back-off's end
                assertFalse(split, "computed on the caller alone during the back-off");
            } else {
                System.err.println("StallGuardTest: the product ended after the back-off; its placement was not checked");
            }
            new SimdBackend(1).gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, alone, 0, n);
            assertArrayEquals(alone, c, "the same bits as one thread");
        } finally {
            two.shutdown();
        }
    }

    /** Holds the thread 30 ms, as if its core went to another process. */
    private static void stall30ms() {
        long end = System.nanoTime() + 30 * MS;
        while (System.nanoTime() - end < 0) {
            LockSupport.parkNanos(end - System.nanoTime());
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
