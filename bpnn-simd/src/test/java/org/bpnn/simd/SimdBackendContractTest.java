package org.bpnn.simd;

import org.bpnn.backend.Backend;
import org.bpnn.backend.BackendContractTest;
import org.junit.jupiter.api.BeforeEach;

/** The backend contract for the simd backend on one thread. */
class SimdBackendContractTest extends BackendContractTest {
    @BeforeEach
    void assumeVectorModule() {
        SimdTesting.assumeVectorModule();
    }

    @Override
    protected Backend backend() {
        return SimdTesting.oneThread();
    }
}
