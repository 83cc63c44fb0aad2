package org.bpnn.simd;

import org.bpnn.backend.Backend;
import org.bpnn.metrics.ClassBoundaryAgreementTest;
import org.junit.jupiter.api.BeforeEach;

/** The metrics and predictClasses agree at the class boundary on the simd backend's sigmoid and softmax too. */
class SimdClassBoundaryAgreementTest extends ClassBoundaryAgreementTest {
    @BeforeEach
    void assumeVectorModule() {
        SimdTesting.assumeVectorModule();
    }

    @Override
    protected Backend backend() {
        return SimdTesting.oneThread();
    }
}
