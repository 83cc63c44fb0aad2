package org.bpnn.simd;

import org.bpnn.backend.Backend;
import org.bpnn.nn.DropoutTest;
import org.junit.jupiter.api.BeforeEach;

/**
 * DropoutTest on the simd backend: its gradient checks (rate 0, and disabled layers) and the training
 * mask's forward and backward ran on the scalar backend only, though the layer calls the network's backend.
 */
class SimdDropoutTest extends DropoutTest {
    @BeforeEach
    void assumeVectorModule() {
        SimdTesting.assumeVectorModule();
    }

    @Override
    protected Backend backend() {
        return SimdTesting.oneThread();
    }
}
