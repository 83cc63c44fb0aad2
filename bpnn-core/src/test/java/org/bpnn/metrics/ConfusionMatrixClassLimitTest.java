package org.bpnn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.tensor.Tensor;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.train.Trainer;
import org.bpnn.train.TrainingListener;
import org.junit.jupiter.api.Test;

/**
 * A million classes made new long[k][k] (8 TB): an OutOfMemoryError naming neither the class count
 * nor a limit. Beyond {@link ConfusionMatrix#MAX_CLASSES} the count is refused with what to use instead.
 */
class ConfusionMatrixClassLimitTest {
    @Test
    void aMillionClassLabelsAreRefusedWithTheLimit() {
        String m = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.of(new int[] {0}, new int[] {0}, 1_000_000)).getMessage();
        assertTrue(m.startsWith("classes is 1000000; a confusion matrix holds at most 4096 classes"), m);
        assertTrue(m.contains("Metrics.accuracy"), m);
    }

    @Test
    void aMillionOutputColumnsAreRefusedWithTheLimit() {
        Tensor outputs = Tensor.zeros(1, 1_000_000), targets = Tensor.zeros(1, 1_000_000);
        targets.data()[3] = 1;
        String m = assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(outputs, targets)).getMessage();
        assertTrue(m.startsWith("outputs.cols() (the classes) is 1000000; a confusion matrix holds at most 4096"), m);
    }

    @Test
    void theLimitItselfIsAccepted() {
        ConfusionMatrix cm = ConfusionMatrix.of(new int[] {4095}, new int[] {0}, ConfusionMatrix.MAX_CLASSES);
        assertEquals(1, cm.count(4095, 0));
        assertEquals(ConfusionMatrix.MAX_CLASSES, cm.classes());
    }

    /**
     * The macro metrics read a confusion matrix: on a network of more outputs than it holds they are
     * refused by requireOutputs, which the trainer calls before the first epoch (they failed only when
     * first evaluated, after an epoch's work); the other metrics take any width.
     */
    @Test
    void theMacroMetricsRefuseMoreOutputsThanAMatrixHoldsBeforeTraining() {
        for (Metric m : new Metric[] {Metric.macroF1(), Metric.macroPrecision(), Metric.macroRecall()}) {
            String msg = assertThrows(IllegalArgumentException.class, () -> m.requireOutputs(ConfusionMatrix.MAX_CLASSES + 1))
                    .getMessage();
            assertTrue(msg.startsWith("metric '" + m.name() + "' reads a confusion matrix of the network's classes; their count"
                    + " (its outputs) is 4097; a confusion matrix holds at most 4096 classes"), msg);
            m.requireOutputs(ConfusionMatrix.MAX_CLASSES);
            m.requireOutputs(1);
        }
        Metric.accuracy().requireOutputs(ConfusionMatrix.MAX_CLASSES + 1);
    }

    @Test
    void theTrainerRefusesAMacroMetricOnTooManyOutputsBeforeTheFirstEpoch() {
        int k = ConfusionMatrix.MAX_CLASSES + 1;
        Network net = Network.builder(2).dense(k, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).seed(1).build();
        float[][] x = {{0, 1}, {1, 0}}, y = new float[2][k];
        y[0][0] = 1;
        y[1][1] = 1;
        int[] epochs = {0};
        Trainer t = Trainer.builder().optimizer(new org.bpnn.optim.Sgd(0.1f)).epochs(1).batchSize(2).metrics(Metric.macroF1())
                .listener(new TrainingListener() {
                    @Override public void onEpochStart(int epoch, int of, int batches, int samples) { epochs[0]++; }
                }).build();
        String msg = assertThrows(IllegalArgumentException.class, () -> t.fit(net, Dataset.of(x, y))).getMessage();
        assertTrue(msg.contains("metric 'macro_f1' reads a confusion matrix"), msg);
        assertEquals(0, epochs[0], "refused before the first epoch");
    }
}
