package org.bpnn.simd;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.bpnn.backend.Backend;

/** Shared helpers: tests skip (not fail) when {@code jdk.incubator.vector} is not readable. */
final class SimdTesting {
    private static Backend one;
    private static Backend two;

    private SimdTesting() {}

    static void assumeVectorModule() {
        assumeTrue(SimdBackendProvider.check().available(),
                () -> "simd backend unavailable: " + SimdBackendProvider.check().reason());
    }

    /** The simd backend with 1 thread (shared, created once). */
    static synchronized Backend oneThread() {
        assumeVectorModule();
        if (one == null) {
            one = new SimdBackendProvider().create(1);
        }
        return one;
    }

    /** The simd backend with 2 threads (shared, created once). */
    static synchronized Backend twoThreads() {
        assumeVectorModule();
        if (two == null) {
            // every call above the element-wise threshold takes the pool, as on the production backend
            // after a split product, so the contract tests cover the parallel paths
            two = alwaysSplit(new SimdBackend(2, SimdBackend.ELEMENTWISE_PARALLEL));
        }
        return two;
    }

    /**
     * {@code b} with its stall guard off, so that it splits every call it would split on a free
     * machine: for tests that assert where work runs or cover the parallel paths, which a guard
     * that saw the test machine's other core busy would otherwise run on the caller alone.
     */
    static SimdBackend alwaysSplit(SimdBackend b) {
        if (b.pool() != null) {
            b.pool().guard.disable();
        }
        return b;
    }

    /**
     * Whether {@code t} is parked on {@code blocker} ({@code LockSupport.park(blocker)}). The blocker is
     * read first: it is set before the park and cleared after it, so a thread seen WAITING after it
     * was seen with the blocker is inside a park on it (the same or a later one; the pool's threads
     * park on nothing else).
     */
    static boolean parkedOn(Thread t, Object blocker) {
        return LockSupport.getBlocker(t) == blocker && t.getState() == Thread.State.WAITING;
    }

    /**
     * Polls {@code condition} until it holds (true) or 10 s have passed (false). For waiting on a
     * state another thread reaches instead of sleeping for a time it usually takes: the deadline only
     * keeps a failure from hanging. Between polls it parks for 0.1 ms, which leaves the core to the
     * threads it waits for on a machine of two.
     */
    static boolean eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(100_000);
        }
        return true;
    }

    /** A thread's state for a failure message: its state, blocker and interrupt status. */
    static String describe(Thread t) {
        return t.getName() + " is " + t.getState() + ", blocker " + LockSupport.getBlocker(t)
                + ", interrupt status " + t.isInterrupted();
    }
}
