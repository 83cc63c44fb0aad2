package org.bpnn.simd;

import org.bpnn.backend.Backend;
import org.bpnn.nn.ConcurrentPredictTest;
import org.junit.jupiter.api.BeforeEach;

/**
 * Thread-safe inference on the simd backend with its worker pool (2 threads): 8 callers share one
 * network and one pool (a caller that finds the pool busy computes on its own thread). 8 threads x
 * 20,000 predictions, bit for bit, on the base test's network (tanh, ReLU, softmax): the simd exp is
 * built from exact operations, so its outputs do not change when the JIT recompiles a kernel (with
 * the Vector API's lanewise(EXP) they did, in the last bit; RELIABILITY.md).
 */
class SimdConcurrentPredictTest extends ConcurrentPredictTest {
    @BeforeEach
    void assumeVectorModule() {
        SimdTesting.assumeVectorModule();
    }

    @Override
    protected Backend backend() {
        return SimdTesting.twoThreads();
    }
}
