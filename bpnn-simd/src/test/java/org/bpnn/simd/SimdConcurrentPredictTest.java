package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bpnn.backend.Backend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.ConcurrentPredictTest;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thread-safe inference on the simd backend with its worker pool (2 threads): 8 callers share one
 * network and one pool (a caller that finds the pool busy computes on its own thread). 8 threads x
 * 20,000 predictions, bit for bit, on an exp-free network (ReLU, leaky ReLU, identity), and on the
 * base test's exp network (tanh, ReLU, softmax) bit for bit too: the simd exp is built from exact
 * operations, so its outputs do not change when the JIT recompiles a kernel (with the Vector API's
 * lanewise(EXP) they changed in the last bit, and this test had to allow 16 ulps; RELIABILITY.md).
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

    /**
     * Its outputs are logits (an identity output layer: predictions stay exp-free); the loss is the
     * from-logits cross-entropy rather than mse because the base test asks for predictClasses, which a
     * regression network refuses.
     */
    @Override
    protected Network network(long seed) {
        return Network.builder(8).dense(16, Activation.leakyRelu()).dense(12, Activation.relu())
                .dense(4, Activation.identity()).loss(Loss.categoricalCrossEntropyFromLogits()).seed(seed).backend(backend())
                .build();
    }

    /**
     * The networks above are too small for the pool (its thresholds: 2 MFLOP per product, 16K
     * elements per element-wise call), so this one is not: 784-256-10 on batches of 32 to 128 rows
     * takes the pool for the product, the bias + ReLU and the input's finiteness scan, with four
     * callers competing for it (the losers compute on their own thread); bit for bit.
     * (The scan's own cross-talk, with NaNs in the inputs, is ThreadDeterminismTest's.)
     */
    @Test
    @Timeout(120)
    void callersThatTakeThePoolGetExactlyTheOneThreadAnswer() throws Exception {
        Network net = Network.builder(784).dense(256, Activation.relu()).dense(10, Activation.identity())
                .loss(Loss.mse()).seed(21).backend(backend()).build();
        Random r = new Random(4);
        int[] sizes = {32, 77, 128};
        Tensor[] inputs = new Tensor[sizes.length];
        float[][] want = new float[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            inputs[i] = Tensor.zeros(sizes[i], 784);
            float[] d = inputs[i].data();
            for (int j = 0; j < d.length; j++) d[j] = (float) r.nextGaussian();
            want[i] = net.predict(inputs[i]).data();
        }
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t;
                fs.add(ex.submit(() -> {
                    for (int k = 0; k < 150; k++) {
                        int i = (first + k) % sizes.length;
                        if (!Arrays.equals(want[i], net.predict(inputs[i]).data())) {
                            return "prediction " + k + " of thread " + first + " (" + sizes[i] + " rows) differs from one thread";
                        }
                    }
                    return null;
                }));
            }
            for (Future<String> f : fs) {
                assertNull(f.get(110, TimeUnit.SECONDS));
            }
        } finally {
            ex.shutdownNow();
        }
    }

    /**
     * The exp kernels (tanh, softmax) bit for bit under concurrency. The reference is computed once
     * before the threads start, usually with the kernels already compiled by earlier test classes
     * (all share one JVM): this checks cross-talk between threads; cold against compiled is
     * ColdJitDeterminismTest's (a fresh JVM) and ExpInterpretedTest's (-Xint).
     */
    @Test
    void expActivationsUnderConcurrencyMatchBitForBit() throws Exception {
        Network net = super.network(12); // tanh, relu, softmax
        predictConcurrently(net, 5_000, 0);
    }
}
