package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bpnn.backend.Backend;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.train.Trainer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Training with the exp kernels (tanh, sigmoid, softmax) gives the same weights whether the JIT has
 * compiled them or not. bpnn-simd's pom runs this class alone in a fresh JVM (execution
 * "simd-cold-jit"), so its first run starts with the kernels interpreted or in C1 and the later runs
 * use C2's code. With the Vector API's lanewise(EXP), whose Java fallback and C2 intrinsic differed
 * in the last bit, it failed there (2 of 2 runs: run 1 differed from run 0); the exp built from exact
 * operations (Elementwise.expRow) passes. In the default suite, where other tests have warmed the
 * kernels up, it checks run-to-run and thread-count determinism only.
 */
class ColdJitDeterminismTest {
    @BeforeEach
    void assumeVectorModule() {
        SimdTesting.assumeVectorModule();
    }

    /**
     * Four runs, one and two threads alternating, of a tanh / sigmoid / softmax network over 10 and
     * over 40 classes (at 512 bits: rows narrower than a vector, exp over the block of rows; and
     * vector rows with a padded tail): bit-identical weights.
     */
    @Test
    void expNetworksTrainBitIdenticallyWhateverTheJitHasCompiled() {
        Dataset data = SimdDeterminismTest.data();
        Backend[] backends = {SimdTesting.oneThread(), SimdTesting.twoThreads(), SimdTesting.oneThread(), SimdTesting.twoThreads()};
        for (int classes : new int[] {10, 40}) {
            long[] hashes = new long[backends.length];
            for (int run = 0; run < backends.length; run++) {
                Network net = Network.builder(32).dense(128, Activation.tanh()).dense(64, Activation.sigmoid())
                        .dense(classes, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).seed(6)
                        .backend(backends[run]).build();
                Dataset d = classes == 10 ? data : Dataset.ofLabels(data.features(), labels(data), classes);
                Trainer.builder().optimizer(new Adam(1e-3)).epochs(2).batchSize(64).shuffle(9).build().fit(net, d);
                hashes[run] = ParameterSnapshot.of(net).hash();
            }
            for (int run = 1; run < hashes.length; run++) {
                assertEquals(hashes[0], hashes[run], classes + " classes, run " + run + " (" + backends[run].threads()
                        + " thread(s)) differs from run 0");
            }
        }
    }

    /** The class of each row of a one-hot dataset, spread over 40 classes (label + 10 * (row % 4)). */
    private static int[] labels(Dataset d) {
        int[] y = new int[d.size()];
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < 10; j++) {
                if (d.targets().get(i, j) == 1f) y[i] = j + 10 * (i % 4);
            }
        }
        return y;
    }
}
