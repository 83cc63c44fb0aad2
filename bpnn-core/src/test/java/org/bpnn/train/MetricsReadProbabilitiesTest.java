package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bpnn.data.Dataset;
import org.bpnn.data.OneHot;
import org.bpnn.loss.Loss;
import org.bpnn.metrics.Metric;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The trainer gives its metrics class probabilities for both from-logits losses. It converted the
 * outputs only for binaryCrossEntropyFromLogits: with categoricalCrossEntropyFromLogits a custom metric
 * (a log-loss, a calibration error) read raw logits, silently, while the argmax metrics hid it.
 */
class MetricsReadProbabilitiesTest {

    /** Records a copy of every outputs tensor it is given (training set, then validation set, per epoch). */
    static final class Recording implements Metric {
        final List<Tensor> seen = new ArrayList<>();

        @Override public String name() { return "recording"; }

        @Override public double value(Tensor outputs, Tensor targets) {
            seen.add(Tensor.wrap(outputs.rows(), outputs.cols(), outputs.data().clone()));
            return 0;
        }

        @Override public boolean higherIsBetter() { return true; }
    }

    private static Dataset data(int n, int classes, int seed) {
        float[][] x = new float[n][3];
        int[] labels = new int[n];
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) x[i][j] = (float) r.nextGaussian() * 3;
            labels[i] = i % classes;
        }
        Tensor y = classes == 1 ? Tensor.zeros(n, 1) : OneHot.encode(labels, classes);
        if (classes == 1) {
            for (int i = 0; i < n; i++) y.data()[i] = i % 2; // 0/1 labels for the one logit
        }
        return new Dataset(Tensor.of(x), y);
    }

    private static void check(Loss loss, int outputs) {
        Network net = Network.builder(3).dense(5, Activation.tanh()).dense(outputs, Activation.identity())
                .loss(loss).seed(3).build();
        Dataset train = data(20, outputs, 1), validation = data(7, outputs, 2);
        Recording rec = new Recording();
        Trainer t = Trainer.builder().optimizer(new Sgd(0.05)).epochs(2).batchSize(8).shuffle(5)
                .metrics(Metric.accuracy(), rec).build();
        TrainingHistory h = t.fit(net, train, validation);
        assertEquals(4, rec.seen.size(), "training and validation set, two epochs");
        // after the last epoch the network holds the weights the last two calls saw
        Tensor trainSeen = rec.seen.get(2), valSeen = rec.seen.get(3);
        assertArrayEquals(net.predictProbabilities(train.features()).data(), trainSeen.data(), loss.name());
        assertArrayEquals(net.predictProbabilities(validation.features()).data(), valSeen.data(), loss.name());
        for (Tensor seen : List.of(trainSeen, valSeen)) {
            for (int i = 0; i < seen.rows(); i++) {
                double sum = 0;
                for (int j = 0; j < seen.cols(); j++) {
                    float p = seen.data()[i * seen.cols() + j];
                    assertTrue(p >= 0 && p <= 1, loss.name() + ": " + p + " is no probability");
                    sum += p;
                }
                if (outputs > 1) assertEquals(1, sum, 1e-5, loss.name() + ": row " + i + " sums to " + sum);
            }
        }
        // the validation loss still reads the logits
        List<EpochSummary> epochs = h.epochs();
        assertEquals(loss.value(net.predict(validation.features()), validation.targets()),
                epochs.get(epochs.size() - 1).validationLoss(), 0, loss.name());
    }

    @Test
    void categoricalFromLogitsMetricsGetSoftmaxProbabilities() {
        check(Loss.categoricalCrossEntropyFromLogits(), 3);
    }

    @Test
    void binaryFromLogitsMetricsGetSigmoidProbabilitiesAsPredictProbabilities() {
        check(Loss.binaryCrossEntropyFromLogits(), 1);
    }
}
