package org.bpnn.simd;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Persistent worker threads for one backend instance. A task is cut into chunks whose results do not
 * depend on which thread computes them; the calling thread and the woken workers claim chunks from a
 * shared counter until none is left, so a worker that wakes late (the machine is busy) simply claims
 * nothing and the caller does the work. A chunk already claimed by a thread that then loses its core
 * to another process cannot be taken back; {@link StallGuard} sees such runs from their chunks' times
 * and has the backend compute on the caller alone for a while, so that two threads are not slower
 * than one on a machine whose other core is busy. No allocation per call: the task object is owned
 * by the caller and the workers are started once.
 *
 * <p>One task at a time: a caller must win {@link #tryAcquire()}; a caller that loses (another thread
 * is using the pool) computes on its own thread instead, which gives the same result.
 *
 * <p>The caller claims chunks from the first up, the workers from the last down. With two threads
 * that are both on time, the caller computes the first half of a call's chunks and the worker the
 * second, in every call (the middle chunk of an odd count goes to whichever claims it first); the
 * backend cuts a layer's forward product, its weight gradient and the element-wise optimiser update
 * so that a chunk index means about the same rows of the weight matrix in each (see {@code
 * org.bpnn.simd.kernel.Gemm.WEIGHT_ROWS}), so a layer's weights, their gradients and the optimiser's
 * moments stay in the cache of the core that updates them instead of crossing between the cores every
 * step (the backward product delta W is cut by W's columns and still reads W on both cores). That
 * crossing is cheap when the host gives the two vCPUs a shared L3 and about five times dearer when it
 * places them apart (a cache line's round trip 60 against 340 ns on the development machine); with
 * the claims in one order, chunks went to whichever thread came first. Off with {@code
 * -Dbpnn.simd.noAffinity=true} (for measuring): everyone then claims from the first up.
 *
 * <p>Idle workers spin briefly (tens of microseconds, so back-to-back kernels of a training step do
 * not pay a wake-up each) and then park: an idle pool does not burn a core. A thread is unparked only
 * when it says it may be parked ({@link #sleepingWorkers}, {@link #callerSleeping}): an unpark of a
 * thread that is spinning still locks its parker, and the two unparks of every run (the caller's of
 * the worker, the worker's of the caller) made an empty two-chunk run take 1148 ns instead of 880-947
 * (a loop of back-to-back runs, JDK 17, the Intel Xeon host of 2026-12-02). The rest of that time is
 * the cache lines the caller and the worker hand each other (the generation, the ticket, the count).
 *
 * <p>Between runs, idle workers also do the pool's {@link #background} work (a training loop's next batch,
 * copied while the caller computes on one thread), a piece at a time.
 *
 * <p>{@link #shutdown()} ends the workers (for hosts that unload the application); the pool then
 * refuses every {@link #tryAcquire()}, so its callers compute on their own threads.
 */
final class WorkerPool {
    /** A unit of parallel work: computes chunk {@code chunk} of {@code chunks}. */
    interface Task {
        void run(int chunk, int chunks);
    }

    /**
     * Work that idle workers do between runs, a small piece at a time, looking for a new run after
     * each piece (so a run waits at most one piece for them): a started gather ({@link GatherAhead}).
     */
    interface Background {
        /** Claims and does one piece; false when no piece was left to claim. */
        boolean work();

        /** Whether a piece is left to claim (a worker about to park looks once more). */
        boolean pending();
    }

    /** What idle workers do between runs, or null; set once by the pool's owner. */
    volatile Background background;

    private static final int CALLER_SPINS = 1 << 14;
    private static final int IDLE_SPINS = 1 << 12;

    /** Chunks per run: the unclaimed range's end and start share the ticket's low 32 bits. */
    static final int MAX_CHUNKS = 0xFFFF;

    private final Thread[] workers;
    /**
     * Whether a caller holds the pool ({@link #tryAcquire}). The holder releases it by writing false
     * in a finally that it enters with no method call after the claim, and with no call in the
     * finally ({@link #release()} is for tests): near the stack limit any call can throw
     * StackOverflowError, and one between a claim and its release would leave the pool claimed for
     * good, so that every later call would run on one thread and {@link #shutdown()} would spin forever
     * (a caller sweeping the depths near its stack limit with 32K-element axpy calls hits such a call
     * within a second).
     */
    volatile boolean busy;
    private static final VarHandle BUSY;

    static {
        try {
            BUSY = MethodHandles.lookup().findVarHandle(WorkerPool.class, "busy", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /**
     * {@code (generation << 32) | (end << 16) | next}: chunks [next, end) are unclaimed (a run starts
     * with next = 0 and end = its chunk count). The bounds a claim checks live in the ticket with the
     * generation, not in a field beside it: with the count in a separate field, a worker that had
     * read the previous run's exhausted ticket (index == its count) and then the next run's larger
     * count would pass the bounds check and claim a chunk on the stale ticket before the caller
     * replaced it; that bogus claim would run the next task's chunk twice and count one chunk too
     * many, so the caller would clear the task's arrays while a worker still used them (an NPE in
     * about 1 of 50 two-thread trainings once 2- and 4-chunk calls alternate often; WorkerPoolTest
     * reproduces the race within seconds). A claim is a compare-and-set of the whole ticket, so a
     * stale one fails. {@link #chunks}, which a claimed chunk reads, is written before the ticket.
     */
    private final AtomicLong ticket = new AtomicLong();
    private final AtomicInteger done = new AtomicInteger();
    /** Workers inside {@link #claimAndRun}; see {@link #tryAcquire}. */
    private final AtomicInteger active = new AtomicInteger();
    private volatile int generation;
    /**
     * Workers that may be parked: a worker counts itself in before its last look at {@link #generation}
     * and parks only if that look finds no new run; {@link #run} unparks the workers only when, after
     * publishing its generation, it finds this above 0. One of the two sees the other's write (both are
     * volatile or atomic: a store then a load of the other's variable on each side), so a run is never
     * missed; a worker that did not park after all keeps an unpark's permit, and its next park returns at
     * once into the loop that looks again.
     */
    private final AtomicInteger sleepingWorkers = new AtomicInteger();
    /** Whether the caller may be parked waiting for {@link #done}: the same handshake, with the last count. */
    private volatile boolean callerSleeping;
    private volatile Thread caller;
    private volatile Throwable failure;
    /** Whether {@link #failure} was thrown on a worker thread (its stack then lacks the caller's). */
    private volatile boolean failedOnWorker;
    /** Set by {@link #shutdown()}: idle workers return instead of waiting for the next generation. */
    private volatile boolean stopped;
    private Task task;
    /** The run's chunk count; written before the ticket that publishes it to a claiming worker. */
    private int chunks;
    /** Whether workers claim from the last chunk down (see the class comment). */
    private static final boolean AFFINITY = !Boolean.getBoolean("bpnn.simd.noAffinity");
    /** Whether calls should be split now: two threads must never be slower than one (see StallGuard). */
    final StallGuard guard = new StallGuard();
    /**
     * The run's fastest chunk, in nanoseconds: a chunk's time on a thread that kept its core, so n
     * times it is about what the caller alone would have taken (the chunks of a call are of equal
     * size, give or take a vector or a panel).
     */
    private final AtomicLong fastestChunk = new AtomicLong();

    WorkerPool(int threads, String name) {
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            Thread t = new Thread(this::workerLoop, name + "-worker-" + (i + 1));
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /** Threads including the caller. */
    int size() {
        return workers.length + 1;
    }

    /**
     * Claims the pool for one {@link #run}; false if another thread is using it. Before returning
     * true it drains the previous run: claims whatever chunks that run left unclaimed and waits until
     * no worker is inside {@link #claimAndRun}. After a normal run this costs two reads (every chunk
     * was claimed and counted). It matters when a throwable escaped a caller's own part of a run (a
     * StackOverflowError in an unpark, a claim or a count; a task's exceptions are caught and
     * rethrown after the run): that run returns while workers still run its chunks, and without this
     * drain the next caller would rewrite the shared task object under them and their late counts would
     * let its run return early (reproduced with -Xint near the stack limit: chunks run twice, runs
     * returning with 3 of 4 chunks done). The drain runs here, before the caller's backend writes the task,
     * at a normal stack depth.
     */
    boolean tryAcquire() {
        if (!BUSY.compareAndSet(this, false, true)) {
            return false;
        }
        try {
            if (stopped) {
                busy = false;
                return false;
            }
            long t;
            while (next(t = ticket.get()) < end(t)) {
                if (ticket.compareAndSet(t, (t & ~(long) MAX_CHUNKS) | end(t))) {
                    break;
                }
            }
            // a worker entering claimAndRun from now on finds every chunk claimed
            while (active.get() != 0) {
                Thread.onSpinWait();
            }
            return true;
        } catch (Throwable e) {
            // released: a StackOverflowError in the drain (its calls, near the stack limit where the
            // previous run's own overflow left chunks to drain) would otherwise keep the pool claimed
            // for good; the next caller drains again
            busy = false;
            throw e;
        }
    }

    /** The end of the run's unclaimed chunks (its chunk count until a worker claims one), from a ticket. */
    private static int end(long ticket) {
        return (int) (ticket >>> 16) & MAX_CHUNKS;
    }

    /** The first unclaimed chunk, from a ticket. */
    private static int next(long ticket) {
        return (int) ticket & MAX_CHUNKS;
    }

    void release() {
        busy = false;
    }

    /** Runs chunks [0, chunks) of the task on the caller and the workers; the caller holds the pool. */
    void run(Task t, int n) {
        if (n < 1 || n > MAX_CHUNKS) {
            throw new IllegalArgumentException("chunks must be in [1, " + MAX_CHUNKS + "], got " + n);
        }
        failure = null;
        caller = Thread.currentThread();
        task = t;
        done.set(0);
        chunks = n;
        fastestChunk.set(Long.MAX_VALUE); // published to the workers with the ticket below
        int gen = generation + 1;
        ticket.set((long) gen << 32 | (long) n << 16); // publishes task to whoever claims a chunk of gen
        generation = gen;
        long t0 = System.nanoTime();
        if (sleepingWorkers.get() > 0) {
            for (int w = 0; w < workers.length && w < n - 1; w++) {
                LockSupport.unpark(workers[w]);
            }
        }
        claimAndRun(gen, false);
        int spins = 0;
        boolean interrupted = false;
        long t1;
        try {
            while (done.get() < n) {
                if (spins < CALLER_SPINS) { // counts up to the limit only: a count kept growing over wake-ups would wrap
                    spins++;
                    Thread.onSpinWait();
                } else {
                    // park returns at once while the interrupt status is set: an interrupted caller
                    // (a cancelled trial) would spin a core until the workers' chunks were done. The status
                    // is held here and set again below, so the caller still sees its interrupt.
                    interrupted |= Thread.interrupted();
                    callerSleeping = true;
                    if (done.get() < n) {
                        LockSupport.park(this);
                    }
                    callerSleeping = false;
                }
            }
        } finally {
            t1 = System.nanoTime(); // before the re-assertion: the guard times the run alone
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        task = null;
        guard.judge(t1, n, fastestChunk.get(), t1 - t0);
        Throwable f = failure;
        if (f != null && failedOnWorker) {
            attachCallerStack(f);
        }
        if (f instanceof RuntimeException) {
            throw (RuntimeException) f;
        }
        if (f instanceof Error) {
            throw (Error) f;
        }
        if (f != null) {
            throw new IllegalStateException("bpnn simd worker failed", f);
        }
    }

    /**
     * The worker's stack ends in the pool; this adds the caller's, which says which call it served.
     * Not to a throwable without a stack trace (the JVM's preallocated errors and fast-thrown
     * exceptions are shared: they would collect one per failed call), nor a second time to one
     * thrown again (it keeps the first failing call's stack), and never in place of f: if building
     * it fails (no stack or heap left), f goes out as it is.
     */
    private static void attachCallerStack(Throwable f) {
        try {
            if (f.getStackTrace().length == 0) {
                return;
            }
            for (Throwable s : f.getSuppressed()) {
                if (s instanceof CallerStack) {
                    return;
                }
            }
            f.addSuppressed(new CallerStack(Thread.currentThread().getName()));
        } catch (Throwable ignored) {
            // StackOverflowError or OutOfMemoryError while building it: the worker's failure matters more
        }
    }

    /** Carries the caller's stack when a worker's exception is rethrown to it (as a suppressed exception). */
    static final class CallerStack extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CallerStack(String caller) {
            super("the exception above was thrown on a bpnn simd worker thread while running part of a call by "
                    + caller + ", whose stack this is");
        }
    }

    /**
     * Claims chunks of generation gen until none is left, the first unclaimed one each time, or the
     * last when {@code fromEnd} (the workers'); each claimed chunk is finished, timed (see {@link
     * #fastestChunk}) and counted.
     */
    private void claimAndRun(int gen, boolean fromEnd) {
        while (true) {
            long t = ticket.get();
            if ((int) (t >>> 32) != gen) {
                return;
            }
            // the task cannot change while a chunk of gen is unclaimed or running
            int end = end(t);
            int next = next(t);
            if (next >= end) {
                return;
            }
            int index = fromEnd ? end - 1 : next;
            if (!ticket.compareAndSet(t, fromEnd ? t - (1L << 16) : t + 1)) {
                continue;
            }
            try {
                // timed inside the try: a throwable here (a StackOverflowError near the stack limit)
                // is the chunk's failure, and the chunk is still counted
                long start = System.nanoTime();
                task.run(index, chunks);
                fastestChunk.accumulateAndGet(System.nanoTime() - start, Math::min);
            } catch (Throwable e) {
                synchronized (this) { // the pair stays consistent when the caller and a worker both fail
                    failure = e;
                    failedOnWorker = Thread.currentThread() != caller;
                }
            } finally {
                if (done.incrementAndGet() == chunks && callerSleeping) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }

    /**
     * Ends the worker threads once the call in progress (if any) has finished, and waits up to 10 s
     * for them. Idempotent. Later {@link #tryAcquire()} calls fail, so nothing runs on the pool again.
     */
    void shutdown() {
        while (!BUSY.compareAndSet(this, false, true)) {
            Thread.onSpinWait(); // a call is running: it holds the pool until it returns
        }
        stopped = true;
        busy = false;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        for (Thread w : workers) {
            try {
                w.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Unparks the workers that may be parked, so that they see new {@link #background} work (published
     * before this call).
     */
    void wakeIdle() {
        if (sleepingWorkers.get() > 0) {
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
        }
    }

    /** Whether {@link #shutdown()} has run (it may still be joining the workers). */
    boolean isStopped() {
        return stopped;
    }

    /** The worker threads (for tests). */
    Thread[] workers() {
        return workers.clone();
    }

    private void workerLoop() {
        int seen = 0;
        while (true) {
            int spins = 0;
            int g;
            while ((g = generation) == seen) {
                if (stopped) {
                    return;
                }
                Background b = background;
                if (b != null && b.work()) {
                    spins = 0; // idle again after the piece: spin before parking, as after a run
                    continue;
                }
                if (spins < IDLE_SPINS) {
                    // counts up to the limit only: kept growing over each wake-up without a run, it would wrap
                    // after 2^31 of them and send the idle worker spinning for 2^31 rounds
                    spins++;
                    Thread.onSpinWait();
                } else {
                    sleepingWorkers.incrementAndGet();
                    try {
                        // background work is published before wakeIdle reads sleepingWorkers: the
                        // same handshake as a run's generation
                        if (generation == seen && !stopped && (b == null || !b.pending())) {
                            LockSupport.park(this);
                        }
                    } finally {
                        sleepingWorkers.decrementAndGet();
                    }
                    // an interrupt means nothing to a worker; left set, it would make every later park
                    // return at once and the idle worker spin a core at 100%
                    Thread.interrupted();
                }
            }
            seen = g;
            active.incrementAndGet();
            try {
                claimAndRun(g, AFFINITY);
            } finally {
                active.decrementAndGet();
            }
        }
    }
}
