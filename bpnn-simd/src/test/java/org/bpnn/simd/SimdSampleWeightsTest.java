package org.bpnn.simd;

import org.bpnn.backend.Backend;
import org.bpnn.nn.SampleWeightsTest;
import org.junit.jupiter.api.BeforeEach;

/** The sample-weighted pass (weights of 1 to the bit, weight 2 as a duplicate, weight 0 as no row) on the simd backend. */
class SimdSampleWeightsTest extends SampleWeightsTest {
    @BeforeEach
    void assumeVectorModule() {
        SimdTesting.assumeVectorModule();
    }

    @Override
    protected Backend backend() {
        return SimdTesting.oneThread();
    }
}
