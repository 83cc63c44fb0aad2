package org.bpnn.simd;

/**
 * Decides, from how the pool's recent runs went, whether the next call should be split at all:
 * two threads must never be slower than one.
 *
 * <p>On a free machine a split call takes about half as long as on one thread. When another process
 * keeps one of the two cores busy, three threads share two cores, and one of the pool's loses its
 * core for a scheduler time slice (milliseconds) in the middle of a chunk: the caller, its own chunks
 * done, waits for a worker's, or the caller's own chunk stops while the worker has long finished. The
 * main job's training steps then ran 1.2-1.4x slower on two threads than on one. A chunk, once
 * claimed, must run exactly once (it may accumulate into its output), so the caller cannot take it
 * back; but it can see the loss after the run.
 *
 * <p>Each run is judged by its fastest chunk, the time of a chunk on a thread that kept its core:
 * computing all {@code n} chunks alone at that speed would have taken about {@code n} times it (the
 * chunks of a call are of equal size, give or take a vector or a panel), so the run gained that minus
 * what it took. The gains add up in a credit, which starts at {@link #ALLOWANCE_NANOS} and is capped at
 * {@link #CAP_NANOS}; one run loses at most the allowance (a single long pause, such as a collection
 * or the host preempting a vCPU once, is not a busy machine; those show as losses that recur). While
 * the credit is not negative calls are split. When it goes negative, calls run on their caller's
 * thread alone for a back-off, which starts at {@link #FIRST_BACKOFF_NANOS} and doubles each time the
 * credit goes negative again, up to {@link #MAX_BACKOFF_NANOS}; it halves each time the credit
 * reaches its cap. After a back-off the next split call probes, from the allowance again (a probe
 * wakes a sleeping worker on caches the caller alone warmed, and loses a little for that): on a busy
 * machine the probes cost a few slow calls every fraction of a second, and when the machine is free
 * again they bring two threads back. Results do not depend on how a call is split, so the guard
 * changes timing only.
 *
 * <p>Judged only by the thread that holds the pool (its claim orders these writes between holders);
 * {@link #until} is volatile because callers read it before they try to claim the pool.
 */
final class StallGuard {
    /**
     * The most credit kept: about 100 two-thread training steps' gains, so a machine that becomes busy
     * (losing about a third of a step each step) is noticed within a few hundred steps, while losses
     * that come and go (the host preempting a vCPU now and then) are paid from it.
     */
    static final long CAP_NANOS = 50_000_000;
    /** The credit to start from, and after each back-off; also the most one run can lose (a time slice). */
    static final long ALLOWANCE_NANOS = 5_000_000;
    static final long FIRST_BACKOFF_NANOS = 5_000_000;
    static final long MAX_BACKOFF_NANOS = 200_000_000;

    /** Off with {@code -Dbpnn.simd.stallGuard=false} (to measure without it), and in tests that need splits. */
    private volatile boolean enabled = !"false".equals(System.getProperty("bpnn.simd.stallGuard"));
    /** {@link System#nanoTime()} before which calls are not split; 0 when they are. */
    private volatile long until;
    private double credit = ALLOWANCE_NANOS;
    private long backoff = FIRST_BACKOFF_NANOS;
    private long stalls;

    /** Whether a call made at {@code now} ({@link System#nanoTime()}) may be split. */
    boolean allowsSplit(long now) {
        long u = until;
        return u == 0 || now - u >= 0 || !enabled;
    }

    /**
     * Judges a run of {@code n} chunks that ended at {@code now} and took {@code took} nanoseconds,
     * its fastest chunk {@code fastestChunk} ({@link Long#MAX_VALUE} when none finished).
     */
    void judge(long now, int n, long fastestChunk, long took) {
        if (n < 2 || fastestChunk == Long.MAX_VALUE || !enabled) {
            return; // nothing was split, or no chunk finished to time the run by
        }
        if (until != 0) {
            // the back-off is over: this run is its probe, on a worker that has slept and on caches
            // the caller alone warmed, so it starts on an allowance rather than on nothing
            until = 0;
            credit = ALLOWANCE_NANOS;
        }
        double alone = (double) fastestChunk * n;
        // one run loses at most the allowance: a single long pause (a collection, a compilation, a
        // stray process) is not a busy machine, which shows as losses that recur
        credit = Math.min(CAP_NANOS, credit + Math.max(alone - took, -ALLOWANCE_NANOS));
        if (credit < 0) {
            stalls++;
            long u = now + backoff;
            until = u == 0 ? 1 : u;
            backoff = Math.min(2 * backoff, MAX_BACKOFF_NANOS);
        } else if (credit >= CAP_NANOS) {
            backoff = Math.max(FIRST_BACKOFF_NANOS, backoff / 2);
        }
    }

    /** Splits every call the backend would split (tests that assert where work runs, or stress the pool). */
    void disable() {
        enabled = false;
    }

    /** How many times the credit went negative (for tests and diagnostics). */
    long stalls() {
        return stalls;
    }

    /** The back-off the next stall would start (for tests). */
    long backoff() {
        return backoff;
    }
}
