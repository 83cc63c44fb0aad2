package org.bpnn.simd;

import org.bpnn.backend.Backend;
import org.bpnn.nn.GradientCheckTest;
import org.junit.jupiter.api.BeforeEach;

/**
 * The finite-difference gradient check of every activation, loss and fused pair, on the simd backend
 * (GradientCheckTest's checks ran on the scalar backend only).
 */
class SimdGradientCheckTest extends GradientCheckTest {
    @BeforeEach
    void assumeVectorModule() {
        SimdTesting.assumeVectorModule();
    }

    @Override
    protected Backend backend() {
        return SimdTesting.oneThread();
    }
}
