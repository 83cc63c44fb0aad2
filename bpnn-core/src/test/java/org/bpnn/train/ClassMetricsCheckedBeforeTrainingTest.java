package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.metrics.Metric;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Sgd;
import org.junit.jupiter.api.Test;

/**
 * A class metric on a network whose outputs have no class, or on targets without one class per row,
 * is refused before the first epoch. Before, accuracy on an MSE regression (identity output) read
 * each output and target as class "value &gt;= 0.5" and reported that meaningless number every epoch.
 */
class ClassMetricsCheckedBeforeTrainingTest {

    private static Dataset regression(int n) {
        float[][] x = new float[n][1], y = new float[n][1];
        for (int i = 0; i < n; i++) {
            x[i][0] = i / (float) n;
            y[i][0] = 0.3f + 0.4f * x[i][0]; // values in [0, 1]: no target check can tell them from labels
        }
        return Dataset.of(x, y);
    }

    private static Network net(Activation out, Loss loss) {
        return Network.builder(1).dense(4, Activation.tanh()).dense(1, out).loss(loss).seed(1).build();
    }

    private static Trainer.Builder trainer() {
        return Trainer.builder().optimizer(new Sgd(0.1)).epochs(2).batchSize(4);
    }

    @Test
    void accuracyOnARegressionNetworkIsRefusedBeforeTraining() {
        for (Loss loss : new Loss[] {Loss.mse(), Loss.mae(), Loss.huber(1)}) {
            for (Metric m : new Metric[] {Metric.accuracy(), Metric.macroF1(), Metric.macroPrecision(),
                    Metric.macroRecall(), Metric.topKAccuracy(1), Metric.auc()}) {
                Network net = net(Activation.identity(), loss);
                ParameterSnapshot before = ParameterSnapshot.of(net);
                List<Integer> epochs = new ArrayList<>();
                Trainer t = trainer().metrics(Metric.mse(), m).listener(new TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochSummary s) {
                        epochs.add(s.epoch());
                    }
                }).build();
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.fit(net, regression(16)),
                        loss + " " + m);
                assertTrue(e.getMessage().startsWith("metric '" + m.name() + "' reads classes from the outputs, but the network's"
                        + " loss is " + loss.name() + " and its output layer applies identity"), e.getMessage());
                assertTrue(e.getMessage().contains("for a regression use Metric.mse(), rmse(), mae() or r2()"), e.getMessage());
                assertEquals(List.of(), epochs, "refused before training");
                assertEquals(before, ParameterSnapshot.of(net), "weights untouched");
            }
        }
    }

    @Test
    void regressionMetricsAndClassifiersKeepWorking() {
        // regression metrics on a regression network
        TrainingHistory h = trainer().metrics(Metric.mse(), Metric.r2()).build()
                .fit(net(Activation.identity(), Loss.mse()), regression(16));
        assertEquals(2, h.size());
        // the seed's setup: a sigmoid output trained with MSE on 0/1 labels is a classifier
        float[][] x = {{0}, {1}, {0}, {1}}, y = {{0}, {1}, {0}, {1}};
        h = trainer().metrics(Metric.accuracy()).build().fit(net(Activation.sigmoid(), Loss.mse()), Dataset.of(x, y));
        assertEquals(2, h.trainMetric("accuracy").length);
        // a logits loss with an identity output is a classifier too
        h = trainer().metrics(Metric.accuracy()).build()
                .fit(net(Activation.identity(), Loss.binaryCrossEntropyFromLogits()), Dataset.of(x, y));
        assertEquals(2, h.trainMetric("accuracy").length);
    }

    @Test
    void targetsWithoutOneClassAreRefusedBeforeTrainingNamingTheDataRow() {
        // soft 0.5 targets are valid for binary cross-entropy, but have no class for accuracy
        float[][] x = {{0}, {1}, {0}, {1}, {0}}, y = {{0}, {1}, {0}, {0.5f}, {1}};
        List<Integer> epochs = new ArrayList<>();
        Trainer t = trainer().metrics(Metric.accuracy()).validationSplit(0.4).listener(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochSummary s) {
                epochs.add(s.epoch());
            }
        }).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.fit(net(Activation.sigmoid(), Loss.binaryCrossEntropy()), Dataset.of(x, y)));
        assertTrue(e.getMessage().startsWith("train data, for metric 'accuracy': target of row 3 is 0.5, which is neither class"),
                e.getMessage());
        assertEquals(List.of(), epochs);
        // a validation set's row is named as a validation row
        float[][] good = {{0}, {1}};
        Trainer t2 = trainer().metrics(Metric.accuracy()).build();
        e = assertThrows(IllegalArgumentException.class, () -> t2.fit(net(Activation.sigmoid(), Loss.binaryCrossEntropy()),
                Dataset.of(good, good), Dataset.of(x, y)));
        assertTrue(e.getMessage().startsWith("validation data, for metric 'accuracy': target of row 3"), e.getMessage());
    }
}
