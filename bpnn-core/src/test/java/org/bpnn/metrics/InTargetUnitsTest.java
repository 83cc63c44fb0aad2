package org.bpnn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bpnn.data.Dataset;
import org.bpnn.data.Normaliser;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.tensor.Tensor;
import org.bpnn.train.EarlyStopping;
import org.bpnn.train.Trainer;
import org.bpnn.train.TrainingHistory;
import org.junit.jupiter.api.Test;

/**
 * Metric.inTargetUnits: a regression trained on normalised targets reports its errors in the targets'
 * units (a trainer's metrics otherwise see only the normalised targets, so val_rmse of house prices
 * came out in standard deviations, with no way to ask for dollars).
 */
class InTargetUnitsTest {
    private static final Normaliser Y2 = Normaliser.of(Normaliser.Kind.STANDARDISE, new float[] {100, -5}, new float[] {10, 2});

    @Test
    void mapsOutputsAndTargetsBackBeforeTheMetric() {
        // normalised: outputs - targets = (1, 0.5) and (-1, 0); in units (10, 1) and (-10, 0)
        Tensor out = Tensor.wrap(2, 2, new float[] {1, 0.5f, -1, 0}), tgt = Tensor.zeros(2, 2);
        assertEquals((100 + 1 + 100 + 0) / 4.0, Metric.inTargetUnits(Metric.mse(), Y2).value(out, tgt), 1e-9);
        assertEquals(Math.sqrt(201 / 4.0), Metric.inTargetUnits(Metric.rmse(), Y2).value(out, tgt), 1e-9);
        assertEquals((10 + 1 + 10 + 0) / 4.0, Metric.inTargetUnits(Metric.mae(), Y2).value(out, tgt), 1e-9);
        // the tensors the trainer passes are left as they were: the next metric reads them too
        assertEquals(1f, out.get(0, 0));
        assertEquals(0f, tgt.get(0, 0));
    }

    @Test
    void keepsTheNameAndDirectionAndSaysWhatItWraps() {
        Metric m = Metric.inTargetUnits(Metric.rmse(), Y2);
        assertEquals("rmse", m.name());
        assertFalse(m.higherIsBetter());
        assertFalse(m.readsClasses());
        assertTrue(Metric.inTargetUnits(Metric.r2(), Y2).higherIsBetter());
        assertTrue(m.toString().startsWith("Metric.inTargetUnits(Metric.rmse(), Normaliser.of("), m.toString());
    }

    @Test
    void anOverflowIsAnInfiniteErrorNotAnException() {
        Normaliser y = Normaliser.of(Normaliser.Kind.STANDARDISE, new float[] {0}, new float[] {1e5f});
        Tensor out = Tensor.wrap(1, 1, new float[] {1e38f}), tgt = Tensor.zeros(1, 1);
        assertEquals(Double.POSITIVE_INFINITY, Metric.inTargetUnits(Metric.mae(), y).value(out, tgt));
    }

    @Test
    void refusesClassMetricsNullsAndAnotherWidth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metric.inTargetUnits(Metric.accuracy(), Y2));
        assertTrue(e.getMessage().contains("'accuracy' reads classes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Metric.inTargetUnits(null, Y2));
        e = assertThrows(IllegalArgumentException.class, () -> Metric.inTargetUnits(Metric.rmse(), null));
        assertTrue(e.getMessage().contains("Normaliser.standardise(train.targets())"), e.getMessage());
        // before training: a normaliser of 2 target columns on a network with 1 output
        Network net = Network.builder(2).dense(4, Activation.tanh()).dense(1, Activation.identity()).loss(Loss.mse()).seed(1).build();
        Dataset d = new Dataset(Tensor.zeros(4, 2), Tensor.zeros(4, 1));
        Trainer t = Trainer.builder().optimizer(new Adam(1e-3)).epochs(1).metrics(Metric.inTargetUnits(Metric.rmse(), Y2)).build();
        e = assertThrows(IllegalArgumentException.class, () -> t.fit(net, d));
        assertTrue(e.getMessage().contains("fitted on 2 target columns, but the network has 1 output"), e.getMessage());
    }

    /**
     * The trainer's val_rmse and val_mae in units are what the same metrics give on the network's
     * predictions mapped back, against the raw targets; early stopping monitors them by their names.
     */
    @Test
    void aTrainerReportsValidationErrorsInTheTargetsUnits() {
        Random r = new Random(3);
        int n = 300;
        Tensor x = Tensor.zeros(n, 2), y = Tensor.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            float a = (float) r.nextGaussian(), b = (float) r.nextGaussian();
            x.set(i, 0, a);
            x.set(i, 1, b);
            y.set(i, 0, (float) (250_000 + 80_000 * a - 40_000 * b * b + 5_000 * r.nextGaussian()));
        }
        Dataset.Split s = new Dataset(x, y).split(0.8, 1);
        Normaliser yn = Normaliser.standardise(s.train().targets());
        Dataset train = new Dataset(s.train().features(), yn.apply(s.train().targets()));
        Dataset val = new Dataset(s.validation().features(), yn.apply(s.validation().targets()));
        Network net = Network.builder(2).dense(16, Activation.tanh()).dense(1, Activation.identity()).loss(Loss.mse()).seed(1).build();
        TrainingHistory h = Trainer.builder().optimizer(new Adam(1e-2)).epochs(30).batchSize(16).shuffle(1)
                .metrics(Metric.inTargetUnits(Metric.rmse(), yn), Metric.inTargetUnits(Metric.mae(), yn), Metric.r2())
                .earlyStopping(EarlyStopping.patience(30).monitor("rmse").restoreBestWeights())
                .build().fit(net, train, val);

        // the weights restored are the best epoch's by val_rmse in units (the lowest of the run)
        double[] valRmse = h.validationMetric("rmse");
        int best = h.bestEpoch() - 1;
        double last = valRmse[best];
        assertEquals(java.util.Arrays.stream(valRmse).min().getAsDouble(), last);
        Tensor predicted = yn.inverse(net.predict(val.features()));
        double expected = Metrics.rmse(predicted, s.validation().targets());
        // in dollars, not standard deviations (the targets spread over about 90,000 here)
        assertEquals(expected, last, 1e-4 * expected);
        assertTrue(last > 1000, "val_rmse " + last + " is in the targets' units");
        double mae = h.validationMetric("mae")[best];
        assertEquals(Metrics.mae(predicted, s.validation().targets()), mae, 1e-4 * mae);
        assertEquals(Metrics.r2(predicted, s.validation().targets()), h.validationMetric("r2")[best], 1e-4);
    }

    /**
     * rmse() beside inTargetUnits(rmse(), y), both named "rmse", is refused saying what to keep; it said only
     * "metric 'rmse' was added twice".
     */
    @Test
    void theSameMetricInTargetUnitsBesideItselfIsRefusedSayingWhichToKeep() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder().metrics(Metric.rmse(), Metric.inTargetUnits(Metric.rmse(), Y2)));
        assertTrue(e.getMessage().startsWith("metric 'rmse' was added twice; "), e.getMessage());
        assertTrue(e.getMessage().contains("keep one of them"), e.getMessage());
        assertTrue(e.getMessage().contains("Metric.inTargetUnits(metric, targetNormaliser) keeps its metric's name"), e.getMessage());
        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder().metrics(Metric.mae(), Metric.mae()));
        assertTrue(plain.getMessage().contains("keep one of them"), plain.getMessage());
        assertFalse(plain.getMessage().contains("inTargetUnits"), plain.getMessage());
    }
}
