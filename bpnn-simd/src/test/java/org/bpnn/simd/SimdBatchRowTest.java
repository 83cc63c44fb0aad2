package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On simd a sample predicted alone (the matrix-vector path) may differ in the last bits from the same
 * sample in a batch; in every batch of two or more rows it has one answer, wherever it sits and
 * whatever the batch's size, so a service that batches requests answers each the same whoever
 * shares its batch. Batches above {@link Network#PREDICT_CHUNK} rows go in chunks: one of
 * 256k + 1 rows left its last row a chunk of one, computed alone (row 256 of 257 failed here, at 512
 * bits; with vectors off, bpnn.simd.bits=off, a row has one answer alone too).
 */
class SimdBatchRowTest {
    private static final int IN = 64;

    @BeforeEach
    void assumeVectorModule() {
        SimdTesting.assumeVectorModule();
    }

    @Test
    void aRowHasOneAnswerInEveryBatchOfTwoOrMoreRowsTheChunkedOnesIncluded() {
        Network net = Network.builder(IN).dense(64, Activation.relu()).dense(10, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(1).backend(SimdTesting.oneThread()).build();
        Random r = new Random(5);
        float[] data = new float[600 * IN];
        for (int i = 0; i < data.length; i++) data[i] = r.nextFloat();
        float[] all = net.predict(Tensor.wrap(600, IN, data.clone())).data();
        for (int m : new int[] {2, 3, 17, 255, 256, 257, 258, 300, 512, 513, 514}) {
            float[] out = net.predict(Tensor.wrap(m, IN, Arrays.copyOf(data, m * IN))).data();
            for (int i = 0; i < m; i++) {
                assertArrayEquals(Arrays.copyOfRange(all, i * 10, i * 10 + 10), Arrays.copyOfRange(out, i * 10, i * 10 + 10),
                        "row " + i + " of a batch of " + m + " against the same row in a batch of 600");
            }
        }
    }
}
