package org.bpnn.simd;

import org.bpnn.backend.Backend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.ConcurrentPredictTest;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Thread-safe inference on the simd backend with its worker pool (2 threads): 8 callers share one
 * network and one pool (a caller that finds the pool busy computes on its own thread). 8 threads x
 * 20,000 predictions, bit for bit, on an exp-free network (ReLU, leaky ReLU, identity).
 *
 * <p>Why exp-free for the bitwise run: the simd exp-based kernels (sigmoid, tanh, softmax) use
 * {@code lanewise(VectorOperators.EXP)}, which gives different last bits interpreted or C1-compiled
 * (a Math.exp per lane) and C2-compiled (an intrinsic stub), so their outputs change in the last bit
 * when the JIT recompiles, on any number of threads (see RELIABILITY.md). The exp-based network is
 * checked too, within a few ulps, which still catches any cross-talk between threads.
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

    @Override
    protected Network network(long seed) {
        return Network.builder(8).dense(16, Activation.leakyRelu()).dense(12, Activation.relu())
                .dense(4, Activation.identity()).loss(Loss.mse()).seed(seed).backend(backend()).build();
    }

    @Test
    void expActivationsUnderConcurrencyMatchWithinFourUlps() throws Exception {
        Network net = super.network(12); // tanh, relu, softmax
        predictConcurrently(net, 5_000, 4);
    }
}
