package org.bpnn.simd;

import org.bpnn.backend.Backend;
import org.bpnn.nn.PredictAllocationTest;
import org.junit.jupiter.api.BeforeEach;

/** Zero-allocation predict and trainStep on the simd backend with 2 threads (worker allocations counted too). */
class SimdPredictAllocationTest extends PredictAllocationTest {
    @BeforeEach
    void assumeVectorModule() {
        SimdTesting.assumeVectorModule();
    }

    @Override
    protected Backend backend() {
        return SimdTesting.twoThreads();
    }
}
