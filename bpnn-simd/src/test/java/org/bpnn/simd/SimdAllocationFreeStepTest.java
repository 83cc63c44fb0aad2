package org.bpnn.simd;

import org.bpnn.backend.Backend;
import org.bpnn.train.AllocationFreeStepTest;
import org.junit.jupiter.api.BeforeEach;

/** Allocation-free training epochs on the simd backend with 2 threads (worker allocations counted too). */
class SimdAllocationFreeStepTest extends AllocationFreeStepTest {
    @BeforeEach
    void assumeVectorModule() {
        SimdTesting.assumeVectorModule();
    }

    @Override
    protected Backend backend() {
        return SimdTesting.twoThreads();
    }

    /** Interpreted and C1-compiled Vector API code boxes vectors: measure once C2 has compiled the kernels. */
    @Override
    protected int epochs() {
        return 1000;
    }
}
