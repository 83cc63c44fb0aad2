package org.bpnn.simd;

import org.bpnn.backend.Backend;
import org.bpnn.optim.PenaltyGradientTest;
import org.junit.jupiter.api.BeforeEach;

/** The weight penalties' gradients against finite differences of their value, with the simd backend's axpy. */
class SimdPenaltyGradientTest extends PenaltyGradientTest {
    @BeforeEach
    void assumeVectorModule() {
        SimdTesting.assumeVectorModule();
    }

    @Override
    protected Backend backend() {
        return SimdTesting.oneThread();
    }
}
