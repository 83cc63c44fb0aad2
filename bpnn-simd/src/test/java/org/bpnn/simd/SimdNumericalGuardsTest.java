package org.bpnn.simd;

import org.bpnn.backend.Backend;
import org.bpnn.nn.NumericalGuardsTest;
import org.junit.jupiter.api.BeforeEach;

/** Numerical guards (huge logits, huge learning rates) on the simd backend. */
class SimdNumericalGuardsTest extends NumericalGuardsTest {
    @BeforeEach
    void assumeVectorModule() {
        SimdTesting.assumeVectorModule();
    }

    @Override
    protected Backend backend() {
        return SimdTesting.oneThread();
    }
}
