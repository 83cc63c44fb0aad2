package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
 * Training and single-sample predictions with the exp kernels (tanh, sigmoid, softmax) give the same
 * bits whether the JIT has compiled the kernels or not. bpnn-simd's pom runs this class alone in a
 * fresh JVM (execution "simd-cold-jit"), so its first steps run the kernels interpreted or in C1 and
 * the later ones C2's code. With the Vector API's lanewise(EXP), whose Java fallback and C2 intrinsic
 * differed in the last bit, the trainings failed there (2 of 2 runs: run 1 differed from run 0); with
 * reduceLanes(ADD) in the single-sample path, the predictions failed on JDK 25 (see the method).
 * The default suite leaves it out: there, other tests would have warmed the kernels up.
 */
class ColdJitDeterminismTest {
    @BeforeEach
    void assumeVectorModule() {
        SimdTesting.assumeVectorModule();
    }

    /**
     * In one method, so that its first steps run in the fresh JVM before anything is compiled:
     * <ol>
     *   <li>single-sample predictions of a tanh / sigmoid / softmax network (the matrix-vector path,
     *   whose dot products sum vector lanes; with reduceLanes(ADD) they changed in the last bit once
     *   JDK 25's C2 compiled them), compared after training with the same predictions warm;</li>
     *   <li>four trainings, one and two threads alternating, of that network over 10 and over 40
     *   classes with cross-entropy (at 512 bits: rows narrower than a vector, exp over the block of
     *   rows; and vector rows with a padded tail) and over 10 classes with MSE (softmax's own backward
     *   pass, whose dot product sums lanes): bit-identical weights within each configuration.</li>
     * </ol>
     */
    @Test
    void expNetworksTrainAndPredictBitIdenticallyWhateverTheJitHasCompiled() {
        Dataset data = SimdDeterminismTest.data();
        float[][] cold = predictEach(data);

        Backend[] backends = {SimdTesting.oneThread(), SimdTesting.twoThreads(), SimdTesting.oneThread(), SimdTesting.twoThreads()};
        for (int config = 0; config < 3; config++) {
            int classes = config == 1 ? 40 : 10;
            Loss loss = config == 2 ? Loss.mse() : Loss.categoricalCrossEntropy();
            long[] hashes = new long[backends.length];
            for (int run = 0; run < backends.length; run++) {
                Network net = network(classes, loss, backends[run]);
                Dataset d = classes == 10 ? data : Dataset.ofLabels(data.features(), labels(data), classes);
                Trainer.builder().optimizer(new Adam(1e-3)).epochs(2).batchSize(64).shuffle(9).build().fit(net, d);
                hashes[run] = ParameterSnapshot.of(net).hash();
            }
            for (int run = 1; run < hashes.length; run++) {
                assertEquals(hashes[0], hashes[run], classes + " classes, " + loss + ", run " + run + " ("
                        + backends[run].threads() + " thread(s)) differs from run 0");
            }
        }

        float[][] warm = null;
        for (int round = 0; round < 200; round++) {
            warm = predictEach(data); // by now every kernel of the path is compiled
        }
        for (int i = 0; i < cold.length; i++) {
            assertArrayEquals(cold[i], warm[i], 0f, "single-sample prediction " + i + ": cold and warm differ");
        }
    }

    private static Network network(int classes, Loss loss, Backend backend) {
        return Network.builder(32).dense(128, Activation.tanh()).dense(64, Activation.sigmoid())
                .dense(classes, Activation.softmax()).loss(loss).seed(6).backend(backend).build();
    }

    /** The untrained 10-class network's prediction for each of the first 64 rows, one row at a time. */
    private static float[][] predictEach(Dataset data) {
        Network net = network(10, Loss.categoricalCrossEntropy(), SimdTesting.oneThread());
        float[][] out = new float[64][];
        for (int i = 0; i < out.length; i++) {
            out[i] = net.predict(data.features().rowCopy(i));
        }
        return out;
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
