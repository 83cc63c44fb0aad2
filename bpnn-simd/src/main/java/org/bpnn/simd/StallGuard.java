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
 * chunks of a call are of equal size, give or take a panel), so the run gained that minus what it
 * took. The gains add up in a credit, capped at {@link #CAP_NANOS} so that a long good past cannot
 * hide a machine that has since become busy. While the credit is not negative calls are split; a
 * stray loss on a free machine (a worker preempted once) is paid from it. When it goes negative,
 * calls run on their caller's thread alone for a back-off, which starts at
 * {@link #FIRST_BACKOFF_NANOS} and doubles each time the credit goes negative again, up to
 * {@link #MAX_BACKOFF_NANOS}; it halves each time the credit reaches its cap. After a back-off the
 * credit starts from 0 and the next split call probes: on a busy machine the probes cost a slow call
 * every fraction of a second, and when the machine is free again the first good probes bring back
 * two threads. Results do not depend on how a call is split, so the guard changes timing only.
 *
 * <p>Judged only by the thread that holds the pool (its claim orders these writes between holders);
 * {@link #until} is volatile because callers read it before they try to claim the pool.
 */
final class StallGuard {
    static final long CAP_NANOS = 4_000_000;
    static final long FIRST_BACKOFF_NANOS = 5_000_000;
    static final long MAX_BACKOFF_NANOS = 200_000_000;

    /** Off with {@code -Dbpnn.simd.stallGuard=false} (to measure without it), and in tests that need splits. */
    private volatile boolean enabled = !"false".equals(System.getProperty("bpnn.simd.stallGuard"));
    /** {@link System#nanoTime()} before which calls are not split; 0 when they are. */
    private volatile long until;
    private double credit;
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
            until = 0; // the back-off is over: this run was its probe
            credit = 0;
        }
        double alone = (double) fastestChunk * n;
        credit = Math.min(CAP_NANOS, credit + alone - took);
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
