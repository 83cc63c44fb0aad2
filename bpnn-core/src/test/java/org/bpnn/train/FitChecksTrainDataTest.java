package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.metrics.Metric;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * What fit checks of the training data before its first update, on both entry points: with an
 * explicit validation set too (the checks of the training part were each dropped there without a test
 * failing), and through {@link Trainer#requireValidation}, which other trainers (bpnn-spark's) call.
 * Found by mutation testing: each assertion here failed on a mutant that removed or loosened one check.
 */
class FitChecksTrainDataTest {

    private static Network binary() {
        return Network.builder(2).dense(3, Activation.tanh()).dense(1, Activation.sigmoid())
                .loss(Loss.binaryCrossEntropy()).seed(4).build();
    }

    private static Network regression() {
        return Network.builder(2).dense(3, Activation.tanh()).dense(1, Activation.identity())
                .loss(Loss.mse()).seed(4).build();
    }

    /** Four rows of two features and one 0/1 target. */
    private static Dataset rows() {
        return new Dataset(Tensor.of(new float[][] {{0, 1}, {1, 0}, {1, 1}, {0, 0}}),
                Tensor.of(new float[][] {{1}, {1}, {0}, {0}}));
    }

    private static Trainer trainer(Metric... metrics) {
        return Trainer.builder().optimizer(new Sgd(0.1)).epochs(2).batchSize(2).shuffle(1).metrics(metrics).build();
    }

    private static String refusedWithoutAnUpdate(Network net, Runnable fit) {
        float[][] before = ParameterSnapshot.of(net).values();
        String msg = assertThrows(IllegalArgumentException.class, fit::run).getMessage();
        float[][] after = ParameterSnapshot.of(net).values();
        for (int i = 0; i < before.length; i++) assertArrayEquals(before[i], after[i], "parameter " + i + " changed: " + msg);
        return msg;
    }

    /** A BCE target of 2 (out of [0, 1]) trains to a loss below 0, silently: refused on either entry point. */
    @Test
    void aTargetOutsideTheLossDomainIsRefused() {
        Dataset bad = rows();
        bad.targets().data()[2] = 2f;
        Network net = binary();
        String msg = refusedWithoutAnUpdate(net, () -> trainer().fit(net, bad));
        assertTrue(msg.contains("binary cross-entropy targets must be in [0, 1], got 2.0 at (2, 0)"), msg);
        msg = refusedWithoutAnUpdate(net, () -> trainer().fit(net, bad, rows()));
        assertTrue(msg.contains("binary cross-entropy targets must be in [0, 1], got 2.0 at (2, 0)"), msg);
    }

    /** The first value of the first row is checked as any other (the search's index 0 is a hit, not "none"). */
    @Test
    void aNaNWrittenIntoTheFirstFeatureOfTheFirstRowIsNamed() {
        Dataset bad = rows();
        bad.features().data()[0] = Float.NaN; // after the Dataset checked it: its tensors stay writable
        Network net = binary();
        String msg = refusedWithoutAnUpdate(net, () -> trainer().fit(net, bad));
        assertTrue(msg.startsWith("train data: feature 0 of row 0 is NaN"), msg);
        msg = refusedWithoutAnUpdate(net, () -> trainer().fit(net, bad, rows()));
        assertTrue(msg.startsWith("train data: feature 0 of row 0 is NaN"), msg);
    }

    /** A training set of the wrong width is refused as such also when a validation set is given. */
    @Test
    void withAValidationSetTheTrainingSetsWidthIsStillChecked() {
        Dataset wide = new Dataset(Tensor.of(new float[][] {{0, 1, 2}, {1, 0, 2}}), Tensor.of(new float[][] {{1}, {0}}));
        Network net = binary();
        String msg = refusedWithoutAnUpdate(net, () -> trainer().fit(net, wide, rows()));
        assertTrue(msg.startsWith("train data has 3 features, but the network takes 2 inputs"), msg);
    }

    /** accuracy on a regression network is refused before training also when a validation set is given. */
    @Test
    void withAValidationSetAClassMetricOnARegressionNetworkIsRefused() {
        Network net = regression();
        String expected = refusedWithoutAnUpdate(net, () -> trainer(Metric.accuracy()).fit(net, rows()));
        assertEquals(expected, refusedWithoutAnUpdate(net, () -> trainer(Metric.accuracy()).fit(net, rows(), rows())));
        // and by the check other trainers call for their validation set
        assertEquals(expected, assertThrows(IllegalArgumentException.class,
                () -> Trainer.requireValidation(net, rows(), List.of(Metric.accuracy()))).getMessage());
    }

    /** A class metric needs one class per training row: a soft label is refused, also beside a validation set. */
    @Test
    void withAValidationSetASoftLabelUnderAClassMetricIsRefused() {
        Dataset soft = rows();
        soft.targets().data()[1] = 0.5f; // in BCE's domain, but no class for accuracy
        Network net = binary();
        String expected = refusedWithoutAnUpdate(net, () -> trainer(Metric.accuracy()).fit(net, soft));
        assertTrue(expected.startsWith("train data"), expected);
        assertEquals(expected, refusedWithoutAnUpdate(net, () -> trainer(Metric.accuracy()).fit(net, soft, rows())));
    }

    /** Trainer.requireValidation checks the validation set's width and values, as fit does. */
    @Test
    void requireValidationChecksTheSetItself() {
        Dataset wide = new Dataset(Tensor.of(new float[][] {{0, 1, 2}}), Tensor.of(new float[][] {{1}}));
        String msg = assertThrows(IllegalArgumentException.class,
                () -> Trainer.requireValidation(binary(), wide, List.of())).getMessage();
        assertTrue(msg.startsWith("validation data has 3 features, but the network takes 2 inputs"), msg);
        Trainer.requireValidation(binary(), rows(), List.of(Metric.accuracy())); // a valid set passes
    }
}
