package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bpnn.data.Dataset;
import org.bpnn.data.OneHot;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A fold's scores are computed on class probabilities, as the trainer's metrics are
 * ({@link MetricsReadProbabilitiesTest}): for a from-logits network, the fold's outputs go through the
 * softmax first. Without it a probability-reading metric (a log-loss, a calibration error) scored raw
 * logits, while accuracy, which only takes the argmax, hid it (found by mutation testing).
 */
class CrossValidationScoresReadProbabilitiesTest {

    @Test
    void aFromLogitsNetworksFoldIsScoredOnSoftmaxProbabilities() {
        int n = 24;
        float[][] x = new float[n][3];
        int[] labels = new int[n];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) x[i][j] = (float) r.nextGaussian() * 3;
            labels[i] = i % 3;
        }
        Dataset data = new Dataset(Tensor.of(x), OneHot.encode(labels, 3));
        List<Network> nets = new ArrayList<>();
        MetricsReadProbabilitiesTest.Recording rec = new MetricsReadProbabilitiesTest.Recording();
        CrossValidation.builder().folds(data.kFold(2, 3))
                .network(f -> {
                    Network net = Network.builder(3).dense(5, Activation.tanh()).dense(3, Activation.identity())
                            .loss(Loss.categoricalCrossEntropyFromLogits()).seed(3).build();
                    nets.add(net);
                    return net;
                })
                .trainer(f -> Trainer.builder().optimizer(new Sgd(0.05)).epochs(2).batchSize(8).shuffle(5).build())
                .metrics(rec).run();
        assertEquals(2, rec.seen.size(), "one score per fold");
        List<Dataset.Split> folds = data.kFold(2, 3);
        for (int f = 0; f < 2; f++) {
            Tensor seen = rec.seen.get(f);
            assertArrayEquals(nets.get(f).predictProbabilities(folds.get(f).validation().features()).data(), seen.data());
            for (int i = 0; i < seen.rows(); i++) {
                double sum = 0;
                for (int j = 0; j < 3; j++) {
                    float p = seen.data()[i * 3 + j];
                    assertTrue(p >= 0 && p <= 1, "fold " + f + ": " + p + " is no probability");
                    sum += p;
                }
                assertEquals(1, sum, 1e-5, "fold " + f + ", row " + i);
            }
        }
    }
}
