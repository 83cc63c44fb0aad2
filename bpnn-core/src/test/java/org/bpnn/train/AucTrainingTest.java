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
import org.bpnn.optim.Adam;
import org.junit.jupiter.api.Test;

/**
 * {@link Metric#auc()} in training: reported as "auc"/"val_auc" in the summaries and the history,
 * monitored by early stopping, and refused before the first epoch where it has no value (a set of one
 * class, a validation split without positives), cannot read the targets (soft labels) or the outputs
 * (more than two classes).
 */
class AucTrainingTest {

    /** 1 feature, label 1 when x &gt; 0: separable by one unit. */
    private static Dataset separable(int n, int offset) {
        float[][] x = new float[n][1], y = new float[n][1];
        for (int i = 0; i < n; i++) {
            x[i][0] = ((i * 7 + offset) % n - n / 2f + 0.5f) / n;
            y[i][0] = x[i][0] > 0 ? 1 : 0;
        }
        return Dataset.of(x, y);
    }

    private static Network net(int outputs, Activation out, Loss loss) {
        return Network.builder(1).dense(4, Activation.tanh()).dense(outputs, out).loss(loss).seed(3).build();
    }

    private static Trainer.Builder trainer() {
        return Trainer.builder().optimizer(new Adam(0.05)).epochs(40).batchSize(8).shuffle(5);
    }

    /** Records the epochs a run trained, to show a refusal came before the first (ClassMetricTrainingTest too). */
    static final class Epochs implements TrainingListener {
        final List<Integer> seen = new ArrayList<>();

        @Override
        public void onEpochEnd(EpochSummary s) {
            seen.add(s.epoch());
        }
    }

    @Test
    void valAucIsReportedAndMonitoredByEarlyStopping() {
        Epochs epochs = new Epochs();
        Trainer t = trainer().metrics(Metric.accuracy(), Metric.auc())
                .earlyStopping(EarlyStopping.patience(3).monitor("auc").restoreBestWeights()).listener(epochs).build();
        TrainingHistory h = t.fit(net(1, Activation.sigmoid(), Loss.binaryCrossEntropy()), separable(32, 0), separable(16, 3));
        double[] valAuc = h.validationMetric("auc");
        assertEquals(h.size(), valAuc.length);
        assertTrue(h.metricNames().contains("auc"), h.metricNames().toString());
        assertTrue(h.toString().contains("val_auc"), h.toString());
        assertEquals(valAuc[h.size() - 1], h.epochs().get(h.size() - 1).validationMetrics().get("auc"), 0);
        // the separable problem is ranked perfectly: AUC reaches its maximum, after which nothing improves
        double best = valAuc[h.bestEpoch() - h.firstEpoch()];
        assertEquals(1.0, best, 0, h.toString());
        for (double v : valAuc) assertTrue(v <= best, h.toString());
        assertTrue(h.stoppedEarly(), "an AUC of 1 cannot improve, so patience 3 ends the run: " + h);
        assertEquals(h.bestEpoch() + 3, h.size(), h.toString());
        // the Keras spelling is pointed to the bare name
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer().metrics(Metric.auc())
                .earlyStopping(EarlyStopping.patience(3).monitor("val_auc")).build()
                .fit(net(1, Activation.sigmoid(), Loss.binaryCrossEntropy()), separable(32, 0), separable(16, 3)));
        assertTrue(e.getMessage().contains("monitor(\"auc\")"), e.getMessage());
    }

    @Test
    void logitsAndTwoSoftmaxOutputsWorkToo() {
        TrainingHistory h = trainer().epochs(30).metrics(Metric.auc()).build()
                .fit(net(1, Activation.identity(), Loss.binaryCrossEntropyFromLogits()), separable(32, 0), separable(16, 3));
        assertEquals(1.0, h.validationMetric("auc")[h.size() - 1], 0, h.toString());
        Dataset train = oneHot(separable(32, 0)), val = oneHot(separable(16, 3));
        h = trainer().epochs(30).metrics(Metric.auc()).build()
                .fit(net(2, Activation.softmax(), Loss.categoricalCrossEntropy()), train, val);
        assertEquals(1.0, h.validationMetric("auc")[h.size() - 1], 0, h.toString());
        assertEquals(h.size(), h.trainMetric("auc").length);
    }

    private static Dataset oneHot(Dataset d) {
        float[][] x = new float[d.size()][1], y = new float[d.size()][2];
        for (int i = 0; i < d.size(); i++) {
            x[i][0] = d.features().data()[i];
            y[i][(int) d.targets().data()[i]] = 1;
        }
        return Dataset.of(x, y);
    }

    @Test
    void aValidationSetOfOneClassIsRefusedBeforeTraining() {
        float[][] vx = {{0.1f}, {0.3f}, {0.2f}}, vy = {{1}, {1}, {1}};
        Network net = net(1, Activation.sigmoid(), Loss.binaryCrossEntropy());
        ParameterSnapshot before = ParameterSnapshot.of(net);
        Epochs epochs = new Epochs();
        Trainer t = trainer().metrics(Metric.auc()).listener(epochs).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.fit(net, separable(32, 0), Dataset.of(vx, vy)));
        assertTrue(e.getMessage().startsWith("validation data, for metric 'auc': ROC AUC is undefined: all 3 target rows are"
                + " class 1 (no negative"), e.getMessage());
        assertEquals(List.of(), epochs.seen, "refused before the first epoch");
        assertEquals(before, ParameterSnapshot.of(net), "weights untouched");
        // bpnn-spark's SparkTrainer checks its validation set with this
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.requireValidation(net, Dataset.of(vx, vy), List.of(Metric.auc())));
        assertTrue(e.getMessage().startsWith("validation data, for metric 'auc': ROC AUC is undefined"), e.getMessage());
    }

    @Test
    void aValidationSplitPartWithoutPositivesIsRefusedBeforeTraining() {
        // one positive in 20 rows: one part of any split has none
        float[][] x = new float[20][1], y = new float[20][1];
        for (int i = 0; i < 20; i++) x[i][0] = i / 20f;
        y[19][0] = 1;
        Dataset d = Dataset.of(x, y);
        Epochs epochs = new Epochs();
        Trainer t = trainer().metrics(Metric.auc()).validationSplit(0.25).listener(epochs).build();
        boolean positiveInValidation = t.validationSplit(d, 0.25).second().targets().data().length > 0
                && sum(t.validationSplit(d, 0.25).second().targets().data()) > 0;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.fit(net(1, Activation.sigmoid(), Loss.binaryCrossEntropy()), d));
        String part = positiveInValidation ? "train data" : "validation data";
        assertTrue(e.getMessage().startsWith(part + ", for metric 'auc': ROC AUC is undefined: all "), e.getMessage());
        assertTrue(e.getMessage().contains("; the " + (positiveInValidation ? "training part of validationSplit(0.25) is 15"
                : "validation part of validationSplit(0.25) is 5") + " of the 20 rows: stratifiedValidationSplit(0.25) keeps"
                + " each class's share in both parts, or use another fraction, or split the data yourself"), e.getMessage());
        assertEquals(List.of(), epochs.seen);
        // stratified, the single positive is in one part too: the message names the setting given, and why
        Trainer st = trainer().metrics(Metric.auc()).stratifiedValidationSplit(0.25).listener(epochs).build();
        e = assertThrows(IllegalArgumentException.class, () -> st.fit(net(1, Activation.sigmoid(), Loss.binaryCrossEntropy()), d));
        assertTrue(e.getMessage().contains(" part of stratifiedValidationSplit(0.25) is ") && e.getMessage().contains(" of the"
                + " 20 rows: use another fraction (a class of a single row is in one part only: add rows of it), or split the"
                + " data yourself"), e.getMessage());
        assertEquals(List.of(), epochs.seen);
    }

    private static double sum(float[] v) {
        double s = 0;
        for (float f : v) s += f;
        return s;
    }

    @Test
    void softLabelsAndMoreThanTwoClassesAreRefusedBeforeTraining() {
        // 0.8 is a valid BCE target and a class for accuracy, but no label AUC can rank
        float[][] x = {{0}, {1}, {0.5f}, {0.2f}}, y = {{0}, {1}, {0.8f}, {0}};
        Epochs epochs = new Epochs();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer().metrics(Metric.auc())
                .listener(epochs).build().fit(net(1, Activation.sigmoid(), Loss.binaryCrossEntropy()), Dataset.of(x, y)));
        assertTrue(e.getMessage().startsWith("train data, for metric 'auc': target of row 2 is 0.8; metric 'auc' reads 0/1"
                + " labels"), e.getMessage());
        float[][] y3 = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}};
        e = assertThrows(IllegalArgumentException.class, () -> trainer().metrics(Metric.auc()).listener(epochs).build()
                .fit(net(3, Activation.softmax(), Loss.categoricalCrossEntropy()), Dataset.of(x, y3)));
        assertTrue(e.getMessage().contains("the network has 3 outputs; for 3 classes use Metric.macroF1()"), e.getMessage());
        assertEquals(List.of(), epochs.seen);
    }
}
