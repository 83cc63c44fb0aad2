package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.metrics.ConfusionMatrix;
import org.bpnn.metrics.Metric;
import org.bpnn.metrics.Metrics;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The imbalanced-classification metrics in training: {@link Metric#recall(int)}, {@link Metric#precision(int)},
 * {@link Metric#f1(int)} and {@link Metric#averagePrecision()} reported under their names (and val_ names),
 * equal to the figures of the trained network's own predictions, monitored by early stopping by the bare
 * name, and a class the network does not have (or a set of one class for average precision) refused
 * before the first epoch.
 */
class ClassMetricTrainingTest {

    /** 2 features, about 1 row in 5 positive, overlapping: neither recall nor precision is trivially 1. */
    private static Dataset imbalanced(int n, int seed) {
        java.util.Random r = new java.util.Random(seed);
        float[][] x = new float[n][2], y = new float[n][1];
        for (int i = 0; i < n; i++) {
            int c = i % 5 == 0 ? 1 : 0;
            x[i][0] = (float) (r.nextGaussian() + 1.5 * c);
            x[i][1] = (float) (r.nextGaussian() - c);
            y[i][0] = c;
        }
        return Dataset.of(x, y);
    }

    private static Network net(Loss loss, Activation out) {
        return Network.builder(2).dense(6, Activation.tanh()).dense(1, out).loss(loss).seed(5).build();
    }


    @Test
    void reportedUnderTheirNamesAndEqualToThePredictionsFigures() {
        Dataset train = imbalanced(200, 1), val = imbalanced(100, 2);
        Network net = net(Loss.binaryCrossEntropyFromLogits(), Activation.identity()); // probabilities read by the metrics
        TrainingHistory h = Trainer.builder().optimizer(new Adam(0.02)).epochs(15).batchSize(16).shuffle(3)
                .metrics(Metric.recall(1), Metric.precision(1), Metric.f1(1), Metric.recall(0), Metric.averagePrecision())
                .build().fit(net, train, val);
        for (String name : List.of("recall_1", "precision_1", "f1_1", "recall_0", "average_precision")) {
            assertTrue(h.metricNames().contains(name), h.metricNames().toString());
            assertTrue(h.toString().contains("val_" + name), h.toString());
        }
        // the last epoch's values are the final weights' (no restore)
        int last = h.size() - 1;
        Tensor p = net.predictProbabilities(val.features());
        ConfusionMatrix m = ConfusionMatrix.of(p, val.targets());
        assertEquals(m.recall(1), h.validationMetric("recall_1")[last], 0, m.toString());
        assertEquals(m.precision(1), h.validationMetric("precision_1")[last], 0, m.toString());
        assertEquals(m.f1(1), h.validationMetric("f1_1")[last], 0, m.toString());
        assertEquals(m.recall(0), h.validationMetric("recall_0")[last], 0, m.toString());
        assertEquals(Metrics.averagePrecision(p, val.targets()), h.validationMetric("average_precision")[last], 0);
        double r1 = h.validationMetric("recall_1")[last];
        assertTrue(r1 > 0 && r1 < 1, "an overlapping problem: " + m);
        // the classes the network predicts, as predictClasses gives them (its own threshold, on logits)
        int[] classes = net.predictClasses(val.features());
        long tp = 0, predicted = 0;
        for (int i = 0; i < classes.length; i++) {
            predicted += classes[i];
            if (classes[i] == 1 && val.targets().data()[i] == 1) tp++;
        }
        assertEquals((double) tp / predicted, h.validationMetric("precision_1")[last], 1e-15);
    }

    @Test
    void earlyStoppingMonitorsTheBareName() {
        TrainingHistory h = Trainer.builder().optimizer(new Adam(0.02)).epochs(40).batchSize(16).shuffle(3)
                .metrics(Metric.recall(1), Metric.averagePrecision())
                .earlyStopping(EarlyStopping.patience(2).monitor("recall_1").restoreBestWeights()).build()
                .fit(net(Loss.binaryCrossEntropy(), Activation.sigmoid()), imbalanced(200, 1), imbalanced(100, 2));
        double[] v = h.validationMetric("recall_1");
        double best = v[h.bestEpoch() - h.firstEpoch()];
        for (double x : v) assertTrue(x <= best, h.toString()); // higher is better: the best epoch has the largest
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder().optimizer(new Adam(0.02)).epochs(2)
                .metrics(Metric.recall(1)).earlyStopping(EarlyStopping.patience(2).monitor("val_recall_1")).build()
                .fit(net(Loss.binaryCrossEntropy(), Activation.sigmoid()), imbalanced(20, 1), imbalanced(10, 2)));
        assertTrue(e.getMessage().contains("monitor(\"recall_1\")"), e.getMessage());
    }

    @Test
    void aClassTheNetworkDoesNotHaveIsRefusedBeforeTraining() {
        Network net = net(Loss.binaryCrossEntropy(), Activation.sigmoid());
        ParameterSnapshot before = ParameterSnapshot.of(net);
        AucTrainingTest.Epochs epochs = new AucTrainingTest.Epochs();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder().optimizer(new Adam(0.02)).epochs(2)
                .metrics(Metric.accuracy(), Metric.recall(2)).listener(epochs).build().fit(net, imbalanced(20, 1)));
        assertTrue(e.getMessage().startsWith("metric 'recall_2' reads class 2, but the network has 1 output"), e.getMessage());
        assertEquals(List.of(), epochs.seen);
        assertEquals(before, ParameterSnapshot.of(net));
        // average precision refuses a validation set of one class, before training, as AUC does
        float[][] vx = {{0, 0}, {1, 1}}, vy = {{0}, {0}};
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder().optimizer(new Adam(0.02)).epochs(2).metrics(Metric.averagePrecision())
                .listener(epochs).build().fit(net, imbalanced(20, 1), Dataset.of(vx, vy)));
        assertTrue(e.getMessage().startsWith("validation data, for metric 'average_precision': average precision is undefined:"
                + " all 2 target rows are class 0"), e.getMessage());
        assertEquals(List.of(), epochs.seen);
        // a class metric on a regression network is refused as the others are
        Network reg = Network.builder(2).dense(1, Activation.identity()).loss(Loss.mse()).seed(1).build();
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder().optimizer(new Adam(0.02)).epochs(2).metrics(Metric.f1(1)).build()
                .fit(reg, imbalanced(20, 1)));
        assertTrue(e.getMessage().startsWith("metric 'f1_1' reads classes from the outputs"), e.getMessage());
    }
}
