package org.bpnn.simd;

import org.bpnn.backend.Backend;
import org.bpnn.extension.CustomActivationTest;
import org.junit.jupiter.api.BeforeEach;

/** A user's custom activation (CustomActivationTest's Swish) on the simd backend. */
class SimdCustomActivationTest extends CustomActivationTest {
    @BeforeEach
    void assumeVectorModule() {
        SimdTesting.assumeVectorModule();
    }

    @Override
    protected Backend backend() {
        return SimdTesting.oneThread();
    }
}
