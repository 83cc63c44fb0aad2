package org.bpnn.simd;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
}
