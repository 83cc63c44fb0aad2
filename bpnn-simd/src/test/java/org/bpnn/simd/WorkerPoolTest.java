package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The pool's hand-out protocol: every chunk of a run runs exactly once, inside that run, and is told
 * that run's chunk count (a GEMM part computes its slice of that many). Runs with different chunk
 * counts alternate back to back, as a training step's GEMMs (4 chunks on two threads) and
 * element-wise calls (2) do; with the claims' bounds kept beside the ticket instead of in it, a
 * worker occasionally claimed a chunk of an already finished run, and the caller then cleared the
 * task's arrays under a running chunk (seen as an NPE in training); with the count a chunk is told
 * written after the ticket, a worker that claimed at once was told the previous run's. This loop
 * found the first within about a second on the development machine, the second within 100 runs; it
 * runs for a fixed time, so it bounds the cost, not the proof.
 */
class WorkerPoolTest {

    /** A task whose input exists only while its run is in progress, and which counts its chunks. */
    private static final class Checked implements WorkerPool.Task {
        volatile int[] input;
        /** The run's chunk count, which each chunk must be told (a part of a GEMM is a slice of that many). */
        volatile int count;
        final AtomicInteger[] runs = new AtomicInteger[8];
        final AtomicReference<String> problem;

        Checked(AtomicReference<String> problem) {
            this.problem = problem;
            for (int i = 0; i < runs.length; i++) runs[i] = new AtomicInteger();
        }

        @Override
        public void run(int chunk, int chunks) {
            int[] in = input;
            if (in == null) {
                problem.compareAndSet(null, "chunk " + chunk + " of " + chunks + " ran outside its run");
                return;
            }
            if (chunks != count) {
                problem.compareAndSet(null, "chunk " + chunk + " was told " + chunks + " chunks, the run has " + count);
            }
            int s = 0;
            for (int i = 0; i < 64; i++) s += in[(chunk + i) % in.length]; // a little work, so runs overlap
            in[chunk] = s;
            runs[chunk].incrementAndGet();
        }
    }

    @Test
    void everyChunkRunsOnceInsideItsRunWhileChunkCountsAlternate() {
        WorkerPool pool = new WorkerPool(2, "bpnn-simd-test");
        AtomicReference<String> problem = new AtomicReference<>();
        Checked[] tasks = {new Checked(problem), new Checked(problem)};
        int[] counts = {2, 4, 2, 3, 1, 4};
        int[] data = new int[8];
        long end = System.nanoTime() + 2_000_000_000L;
        long run = 0;
        while (System.nanoTime() < end && problem.get() == null) {
            Checked t = tasks[(int) (run & 1)];
            int n = counts[(int) (run % counts.length)];
            for (int c = 0; c < n; c++) t.runs[c].set(0);
            assertTrue(pool.tryAcquire(), "the pool is free between runs");
            t.input = data;
            t.count = n;
            try {
                pool.run(t, n);
            } finally {
                t.input = null;
                pool.release();
            }
            for (int c = 0; c < n; c++) {
                if (t.runs[c].get() != 1) {
                    problem.compareAndSet(null, "run " + run + ": chunk " + c + " of " + n + " ran " + t.runs[c].get() + " times");
                }
            }
            run++;
        }
        assertEquals(null, problem.get(), "after " + run + " runs");
    }

    /**
     * An idle worker that is interrupted parks again, and still serves the pool. park returns at once
     * while the interrupt status is set, so a worker that kept it passed through park and spun a core
     * at 100% until the next run. Seen from the worker's states, not from its CPU time over a sleep:
     * the worker is first seen parked on the pool; after the interrupt it must be seen parked on the
     * pool again with its status clear, which only a worker that took the interrupt and went back to
     * park can be (nothing else clears the status of an idle worker, and park does not block while
     * it is set). Three interrupts, then a run whose caller chunk waits until the worker has run the
     * other chunk. The deadlines only keep a failure from hanging.
     */
    @Test
    void anInterruptedWorkerGoesBackToSleep() {
        WorkerPool pool = new WorkerPool(2, "bpnn-simd-test");
        try {
            Thread worker = pool.workers()[0];
            for (int i = 0; i < 3; i++) {
                assertTrue(SimdTesting.eventually(() -> SimdTesting.parkedOn(worker, pool)),
                        "before interrupt " + i + ", the idle worker never parked: " + SimdTesting.describe(worker));
                worker.interrupt();
                // the status first: once it reads clear, the worker has woken and taken the interrupt
                assertTrue(SimdTesting.eventually(() -> !worker.isInterrupted() && SimdTesting.parkedOn(worker, pool)),
                        "after interrupt " + i + ", the worker did not park again with its interrupt status clear"
                                + " (with it set, park returns at once and the worker spins): " + SimdTesting.describe(worker));
            }
            // and it still takes chunks
            AtomicBoolean workerRan = new AtomicBoolean();
            runOnce(pool, (chunk, chunks) -> {
                if (Thread.currentThread() == worker) {
                    workerRan.set(true);
                } else {
                    SimdTesting.eventually(workerRan::get);
                }
            }, 2);
            assertTrue(workerRan.get(), "the interrupted worker ran no chunk of the run: " + SimdTesting.describe(worker));
        } finally {
            pool.shutdown();
        }
    }

    /**
     * An interrupted caller waiting for a worker's chunk parks instead of spinning, and still returns
     * with its interrupt status set. The caller's chunk holds the run until the worker has claimed the
     * other chunk, then interrupts its own thread; the worker's chunk holds the run until it sees the
     * caller parked on the pool. park returns at once while the status is set, so the old wait only
     * passed through park (and spun); a caller that really parks has its status cleared meanwhile,
     * which is what the worker checks. No timing: the deadlines only keep a failure from hanging.
     */
    @Test
    void anInterruptedCallerParksWhileWaitingAndKeepsItsInterrupt() {
        WorkerPool pool = new WorkerPool(2, "bpnn-simd-test");
        Thread caller = Thread.currentThread();
        AtomicReference<String> seen = new AtomicReference<>("the worker never saw the caller parked");
        AtomicBoolean workerIn = new AtomicBoolean();
        WorkerPool.Task task = (chunk, chunks) -> {
            long deadline = System.nanoTime() + 20_000_000_000L;
            if (Thread.currentThread() == caller) {
                while (!workerIn.get() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                caller.interrupt(); // as Future.cancel(true) would, during the run
            } else {
                workerIn.set(true);
                while (System.nanoTime() < deadline) {
                    if (LockSupport.getBlocker(caller) == pool && caller.getState() == Thread.State.WAITING) {
                        seen.set(caller.isInterrupted()
                                ? "the caller passed through park with its interrupt status set (so it spins)"
                                : null);
                        return;
                    }
                    Thread.onSpinWait();
                }
            }
        };
        runOnce(pool, task, 2);
        assertTrue(Thread.interrupted(), "the caller's interrupt status survives the wait");
        assertTrue(workerIn.get(), "the worker claimed a chunk");
        assertEquals(null, seen.get());
    }

    /**
     * The caller claims from the first chunk up and the worker from the last down, so that with both
     * on time chunk p runs on the same thread in every call (the backend cuts a training step's calls
     * so that a chunk means the same rows of a weight matrix in each). Each thread's first chunk waits
     * until the other thread has claimed one (the worker's until the caller's has started, the
     * caller's until the worker's has finished), so neither takes every chunk before the other
     * starts, and each thread's first claim finds at most the other's first chunk taken.
     */
    @Test
    void theWorkerClaimsFromTheLastChunkDownAndTheCallerFromTheFirstUp() {
        WorkerPool pool = new WorkerPool(2, "bpnn-simd-test");
        try {
            for (int n : new int[] {2, 4, 7}) {
                Thread me = Thread.currentThread();
                List<Integer> caller = Collections.synchronizedList(new ArrayList<>());
                List<Integer> worker = Collections.synchronizedList(new ArrayList<>());
                CountDownLatch callerStarted = new CountDownLatch(1), workerRan = new CountDownLatch(1);
                AtomicReference<String> problem = new AtomicReference<>();
                WorkerPool.Task task = (chunk, chunks) -> {
                    boolean onCaller = Thread.currentThread() == me;
                    (onCaller ? caller : worker).add(chunk);
                    if (onCaller) {
                        callerStarted.countDown();
                    }
                    try {
                        if (!(onCaller ? workerRan : callerStarted).await(10, TimeUnit.SECONDS)) {
                            problem.set((onCaller ? "the worker" : "the caller") + " ran no chunk within 10 s");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    if (!onCaller) {
                        workerRan.countDown();
                    }
                };
                runOnce(pool, task, n);
                assertEquals(null, problem.get());
                assertEquals(0, caller.isEmpty() ? -1 : caller.get(0), n + " chunks: the caller's chunks " + caller);
                assertEquals(n - 1, worker.isEmpty() ? -1 : worker.get(0), n + " chunks: the worker's chunks " + worker);
                for (int i = 1; i < caller.size(); i++) {
                    assertEquals(caller.get(i - 1) + 1, caller.get(i), n + " chunks: the caller's chunks " + caller);
                }
                for (int i = 1; i < worker.size(); i++) {
                    assertEquals(worker.get(i - 1) - 1, worker.get(i), n + " chunks: the worker's chunks " + worker);
                }
                assertEquals(n, caller.size() + worker.size(), "every chunk once: caller " + caller + ", worker " + worker);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void chunkCountsOutsideTheTicketsRangeAreRejected() {
        WorkerPool pool = new WorkerPool(2, "bpnn-simd-test");
        WorkerPool.Task noop = (chunk, chunks) -> { };
        assertThrows(IllegalArgumentException.class, () -> pool.run(noop, 0));
        assertThrows(IllegalArgumentException.class, () -> pool.run(noop, WorkerPool.MAX_CHUNKS + 1));
    }

    /** A run of the most chunks the ticket holds runs each once. */
    @Test
    void aRunOfTheMostChunksRunsEachOnce() {
        WorkerPool pool = new WorkerPool(2, "bpnn-simd-test");
        try {
            AtomicIntegerArray runs = new AtomicIntegerArray(WorkerPool.MAX_CHUNKS);
            runOnce(pool, (chunk, chunks) -> runs.incrementAndGet(chunk), WorkerPool.MAX_CHUNKS);
            for (int i = 0; i < WorkerPool.MAX_CHUNKS; i++) {
                assertEquals(1, runs.get(i), "chunk " + i);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void theBackendRefusesThreadCountsThePoolCannotServe() {
        // 2 chunks per thread must stay within the ticket's chunk range
        assertTrue(2 * SimdBackend.MAX_THREADS <= WorkerPool.MAX_CHUNKS);
        for (int bad : new int[] {0, -3, SimdBackend.MAX_THREADS + 1, Integer.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SimdBackend(bad));
            assertTrue(e.getMessage().contains("threads must be in [1, " + SimdBackend.MAX_THREADS + "], got " + bad),
                    e.getMessage());
        }
    }

    /**
     * An exception thrown on a worker reaches the caller with the caller's stack attached (suppressed):
     * the worker's own stack ends in the pool and would not say which call failed. The caller's chunk
     * holds the run until the worker has taken the other chunk, which throws.
     */
    @Test
    void aWorkersExceptionCarriesTheCallersStack() {
        WorkerPool pool = new WorkerPool(2, "bpnn-simd-test");
        ThrowingOnTheWorker task = new ThrowingOnTheWorker(() -> new IllegalStateException("from the worker"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> task.runOn(pool));
        assertEquals("from the worker", e.getMessage());
        assertEquals(1, e.getSuppressed().length, "suppressed: the caller's stack");
        boolean hasTest = false;
        for (StackTraceElement el : e.getSuppressed()[0].getStackTrace()) {
            hasTest |= el.getMethodName().equals("aWorkersExceptionCarriesTheCallersStack");
        }
        assertTrue(hasTest, "the suppressed exception carries the caller's stack");
    }

    /**
     * A shared exception without a stack trace (like the JVM's preallocated errors) is rethrown as it
     * is: adding the caller's stack would make it grow by one on every failed call.
     */
    @Test
    void aSharedStacklessExceptionIsNotAppendedTo() {
        WorkerPool pool = new WorkerPool(2, "bpnn-simd-test");
        IllegalStateException shared = new IllegalStateException("shared", null) {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Throwable fillInStackTrace() {
                return this;
            }
        };
        ThrowingOnTheWorker task = new ThrowingOnTheWorker(() -> shared);
        for (int call = 0; call < 3; call++) {
            assertTrue(assertThrows(IllegalStateException.class, () -> task.runOn(pool)) == shared, "call " + call);
        }
        assertEquals(0, shared.getSuppressed().length);
    }

    /**
     * The same exception thrown on a worker in several calls (a task that keeps one) carries the
     * caller's stack once, the first failing call's: it does not grow by one per call.
     */
    @Test
    void anExceptionThrownAgainKeepsTheFirstCallersStack() {
        WorkerPool pool = new WorkerPool(2, "bpnn-simd-test");
        try {
            IllegalStateException kept = new IllegalStateException("kept by the task");
            ThrowingOnTheWorker task = new ThrowingOnTheWorker(() -> kept);
            for (int call = 0; call < 3; call++) {
                assertSame(kept, assertThrows(IllegalStateException.class, () -> task.runOn(pool)), "call " + call);
            }
            assertEquals(1, kept.getSuppressed().length, "suppressed: the caller's stack, once");
        } finally {
            pool.shutdown();
        }
    }

    /**
     * shutdown() waits for the call in progress: it neither stops the pool nor releases it under the
     * call (whose chunks a worker may still be running). The caller here holds the pool; shutdown on
     * another thread spins until it is released, which is seen from its CPU time, not from a sleep.
     */
    @Test
    void shutdownWaitsForTheCallInProgress() throws InterruptedException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadCpuTimeSupported() && mx.isThreadCpuTimeEnabled(), "thread CPU time not measurable here");
        WorkerPool pool = new WorkerPool(2, "bpnn-simd-test");
        assertTrue(pool.tryAcquire());
        Thread stopper = new Thread(pool::shutdown, "bpnn-simd-test-stopper");
        stopper.setDaemon(true);
        // what shutdown throws ends only its thread: kept, to fail the test
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        stopper.setUncaughtExceptionHandler((t, e) -> thrown.set(e));
        stopper.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        // 20 ms of its own CPU: well past its first attempts to claim the pool
        while (stopper.isAlive() && mx.getThreadCpuTime(stopper.getId()) < 20_000_000L && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertFalse(pool.isStopped(), "shutdown stopped the pool under the call in progress");
        assertTrue(stopper.isAlive(), "shutdown returned during the call");
        assertFalse(pool.tryAcquire(), "the caller's claim still holds");
        pool.release();
        stopper.join(10_000);
        assertFalse(stopper.isAlive(), "shutdown did not return once the call ended");
        if (thrown.get() != null) fail("shutdown threw", thrown.get());
        assertTrue(pool.isStopped());
        assertFalse(pool.workers()[0].isAlive(), "the worker ended");
    }

    /**
     * A thread interrupted while shutdown() waits for the workers returns with its interrupt status
     * set (the join that it cuts short clears it). That join is only cut short when the worker is
     * still alive at it, which a worker that sees the stop at once and ends first is not: the status
     * then survives a shutdown that would clear it. So new pools are shut down until one's worker is
     * still alive after shutdown returned (its 10 s join ended on the interrupt), each with its worker
     * first seen parked (which leaves it still waking up at the join; it slept 20 ms for that), and
     * the status must be set after every one. Three pools, as before, let the old check pass on a
     * shutdown that cleared the status when each worker happened to end first (the first pool's,
     * with the shutdown path still cold, mostly did); a run with no cut-short join at all is
     * reported as skipped, not passed.
     */
    @Test
    void anInterruptedShutdownKeepsTheInterrupt() throws InterruptedException {
        boolean joinCutShort = false;
        int pools = 0;
        while (pools < 100 && !joinCutShort) {
            WorkerPool pool = new WorkerPool(2, "bpnn-simd-test");
            Thread worker = pool.workers()[0];
            assertTrue(SimdTesting.eventually(() -> SimdTesting.parkedOn(worker, pool)),
                    "pool " + pools + ": the idle worker never parked: " + SimdTesting.describe(worker));
            Thread.currentThread().interrupt();
            pool.shutdown();
            joinCutShort = worker.isAlive();
            assertTrue(Thread.interrupted(), "pool " + pools + ": the interrupt status after shutdown"
                    + (joinCutShort ? " (which the interrupt cut short while the worker was alive)" : ""));
            worker.join(10_000);
            pools++;
        }
        assumeTrue(joinCutShort, "in " + pools + " pools the worker always ended before shutdown's join, which"
                + " the interrupt then never cut short");
    }

    /** One run of {@code n} chunks of {@code t} on the pool, claimed and released here. */
    private static void runOnce(WorkerPool pool, WorkerPool.Task t, int n) {
        assertTrue(pool.tryAcquire(), "the pool is free between runs");
        try {
            pool.run(t, n);
        } finally {
            pool.release();
        }
    }

    /** A private field of the pool (white-box tests of its protocol). */
    private static Object field(WorkerPool pool, String name) throws ReflectiveOperationException {
        Field f = WorkerPool.class.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(pool);
    }

    /**
     * tryAcquire drains a run that its caller left with unclaimed chunks (a StackOverflowError in
     * its own part, see tryAcquire): it marks them claimed, in the run's own ticket, so that no late
     * worker of that run starts one while the next caller fills the task. The abandoned run is set
     * up in the ticket: generation 3, chunks 1 to 3 of 4 unclaimed.
     */
    @Test
    void tryAcquireMarksAnAbandonedRunsChunksClaimed() throws ReflectiveOperationException {
        WorkerPool pool = new WorkerPool(2, "bpnn-simd-test");
        try {
            AtomicLong ticket = (AtomicLong) field(pool, "ticket");
            ticket.set(3L << 32 | 4L << 16 | 1);
            assertTrue(pool.tryAcquire());
            pool.release();
            assertEquals(Long.toHexString(3L << 32 | 4L << 16 | 4), Long.toHexString(ticket.get()),
                    "the ticket (generation, end, next) after the drain");
            // and the pool runs as before
            AtomicInteger ran = new AtomicInteger();
            runOnce(pool, (chunk, chunks) -> ran.incrementAndGet(), 4);
            assertEquals(4, ran.get());
        } finally {
            pool.shutdown();
        }
    }

    /**
     * The stall guard is given each run's own time and fastest chunk. With no workers the caller runs
     * every chunk, one after the other, so a run of two empty chunks loses at most the time measured
     * here around it, and leaves the guard at least the allowance less that (a run judged as longer
     * than it took loses more, up to all of it): a second run that loses exactly what is left must not
     * make the credit negative. The bound is measured, not assumed (a cold first run links and
     * interprets code, and a thread that loses its core inside it can take longer than the
     * allowance); such a run leaves nothing to tell the two apart, and the check is tried again on a
     * fresh pool. The run's fastest chunk is at least as long as every chunk (a minimum carried over
     * from an earlier run, or from before the first, would be shorter, and make the run look slower
     * than one thread).
     */
    @Test
    void theGuardJudgesEachRunByItsOwnTimes() throws ReflectiveOperationException {
        assumeFalse("false".equals(System.getProperty("bpnn.simd.stallGuard")), "-Dbpnn.simd.stallGuard=false");
        WorkerPool pool = null;
        for (int attempt = 0; attempt < 100 && pool == null; attempt++) {
            WorkerPool p = new WorkerPool(1, "bpnn-simd-test"); // the caller alone
            assertTrue(p.tryAcquire());
            long took;
            try {
                long start = System.nanoTime();
                p.run((chunk, chunks) -> { }, 2);
                took = System.nanoTime() - start;
            } finally {
                p.release();
            }
            long left = StallGuard.ALLOWANCE_NANOS - took; // the least credit the run leaves the guard
            if (left > 0) {
                p.guard.judge(System.nanoTime(), 2, 1_000, 2_000 + left); // a run that loses all of that
                assertEquals(0, p.guard.stalls(), "a run of two empty chunks on the caller, which took at most "
                        + took + " ns, judged as a loss of more");
                pool = p;
            }
        }
        assumeTrue(pool != null, "no run of two empty chunks took under " + StallGuard.ALLOWANCE_NANOS + " ns in 100 tries");
        runOnce(pool, (chunk, chunks) -> {
            long end = System.nanoTime() + 1_000_000;
            while (System.nanoTime() - end < 0) {
                Thread.onSpinWait();
            }
        }, 2);
        long fastest = ((AtomicLong) field(pool, "fastestChunk")).get();
        assertTrue(fastest >= 1_000_000, "the fastest of two 1 ms chunks took " + fastest + " ns");
    }

    /**
     * A task whose chunk throws e.get() on a worker of a "bpnn-simd-test" pool; the caller's chunk
     * waits until the worker has taken a chunk of the run, so that every run throws however late the
     * worker wakes. (It slept 20 ms instead, and the tests tried 50 runs: a worker that a busy machine
     * kept from waking within 20 ms 50 times left the caller both chunks and failed them.) The
     * deadline only keeps a failure from hanging.
     */
    private static final class ThrowingOnTheWorker implements WorkerPool.Task {
        private final java.util.function.Supplier<RuntimeException> e;
        private volatile boolean workerIn;

        ThrowingOnTheWorker(java.util.function.Supplier<RuntimeException> e) {
            this.e = e;
        }

        @Override
        public void run(int chunk, int chunks) {
            if (Thread.currentThread().getName().startsWith("bpnn-simd-test-worker")) {
                workerIn = true;
                throw e.get();
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!workerIn && System.nanoTime() < deadline) {
                LockSupport.parkNanos(100_000);
            }
        }

        /** One run of 2 chunks on the pool. */
        void runOn(WorkerPool pool) {
            workerIn = false;
            runOnce(pool, this, 2);
        }
    }
}
