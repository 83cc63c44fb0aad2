package org.bpnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bpnn.data.Dataset;
import org.bpnn.metrics.Metric;
import org.bpnn.metrics.Metrics;
import org.bpnn.nn.Network;
import org.bpnn.optim.Adam;
import org.bpnn.tensor.Tensor;
import org.bpnn.train.EarlyStopping;
import org.bpnn.train.EpochSummary;
import org.bpnn.train.Trainer;
import org.bpnn.train.TrainingHistory;
import org.bpnn.train.TrainingListener;
import org.junit.jupiter.api.Test;

/** SparkTrainer's validation (a local Dataset evaluated on the driver) and early stopping. */
class SparkValidationTest {
    static final RowFormat FORMAT = SparkTrainerTest.FORMAT;

    /** A local validation set of n blob rows (another seed than the training rows). */
    static Dataset validationSet(int n, long seed) {
        try (SparkData v = SparkData.from(SparkTestSupport.blobFrame(n, 4, seed, 1), FORMAT)) {
            return v.toLocal();
        }
    }

    /** Records every callback, and on onEpochEnd the loss and accuracy computed directly with the network's weights then. */
    static final class Recorder implements TrainingListener {
        final Network net;
        final Dataset validation;
        final List<String> calls = new ArrayList<>();
        final List<EpochSummary> summaries = new ArrayList<>();
        final List<double[]> direct = new ArrayList<>();
        final List<float[][]> weights = new ArrayList<>();
        int validationSamples = -1;
        TrainingHistory ended;

        Recorder(Network net, Dataset validation) {
            this.net = net;
            this.validation = validation;
        }

        @Override public void onTrainStart(Network network, int epochs, int trainSamples, int validationSamples) {
            calls.add("start");
            this.validationSamples = validationSamples;
        }

        @Override public void onEpochStart(int epoch, int epochs, int batches, int samples) { calls.add("epoch" + epoch); }

        @Override public void onEpochEnd(EpochSummary s) {
            calls.add("end" + s.epoch());
            summaries.add(s);
            weights.add(SparkTrainerTest.weights(net));
            if (validation != null) {
                // the cost as the network reports it (from the softmax's z: Network.costFromPreActivation)
                double loss = net.evaluateLoss(validation.features(), validation.targets());
                double acc = Metrics.accuracy(net.predictProbabilities(validation.features()), validation.targets());
                direct.add(new double[] {loss, acc});
            }
        }

        @Override public void onTrainEnd(TrainingHistory history) { ended = history; }

        @Override public void onTrainFailed(Throwable cause) { calls.add("failed"); }
    }

    /**
     * A validation pass whose buffers exceed a Java array is refused by Trainer.requireValidation (the check
     * Trainer makes, in its words) before the rows are read: here a parameterless layer of 2^23 units,
     * whose 256-row evaluation chunk is 2^31 floats. (The (rows, outputs) tensor's check is the same call,
     * tested on sizes in bpnn-core's EvaluationBufferLimitsTest: 2^31 target values would not fit a test.)
     */
    @Test
    void aValidationPassBeyondOneArrayIsRefusedBeforeTheRead() {
        Network net = Network.builder(4).layer(new Blank(4, 1 << 23)).layer(new Blank(1 << 23, 3))
                .loss(org.bpnn.loss.Loss.mse()).build();
        Dataset val = validationSet(300, 31);
        String expected = assertThrows(IllegalArgumentException.class, () -> Trainer.requireValidation(net, val, List.of()))
                .getMessage();
        assertTrue(expected.startsWith("layer 1 holds 8388608 values per row"), expected);
        SparkTrainer trainer = SparkTrainer.builder().optimizer(new Adam(0.02)).epochs(1).batchSize(1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer.fit(net, SparkTestSupport.blobFrame(8, 4, 30, 1), FORMAT, val));
        assertEquals(expected, e.getMessage());
    }

    /** A parameterless layer that computes nothing: only its sizes matter. */
    private record Blank(int inputSize, int outputSize) implements org.bpnn.nn.Layer {
        @Override public List<org.bpnn.nn.Parameter> parameters() { return List.of(); }

        @Override public void forward(org.bpnn.backend.Backend b, Tensor x, Tensor y, Tensor s, boolean training) { }

        @Override public void backward(org.bpnn.backend.Backend b, Tensor x, Tensor y, Tensor dy, boolean d, Tensor dx, Tensor s) { }

        @Override public double[] forwardDouble(double[][] p, double[] x, int batch) { return new double[batch * outputSize]; }
    }

    /**
     * A sample-weighted local validation set gives a weighted validation loss, as in Trainer (the loss was
     * computed unweighted, ignoring the weights without a word); the metrics stay unweighted; a weight
     * changed to NaN after it was set is refused before any Spark job, in Trainer's words.
     */
    @Test
    void aWeightedValidationSetGivesTheWeightedValidationLoss() {
        Dataset plain = validationSet(60, 31);
        float[] w = new float[60];
        for (int i = 0; i < w.length; i++) w[i] = i % 4 == 0 ? 5f : 0.5f;
        Dataset val = plain.withSampleWeights(w);
        try (SparkData data = SparkData.from(SparkTestSupport.blobFrame(120, 4, 30, 2), FORMAT)) {
            Network net = SparkTrainerTest.net(4);
            EpochSummary s = SparkTrainer.builder().optimizer(new Adam(0.02)).epochs(1).batchSize(40).shuffle(3)
                    .metrics(Metric.accuracy()).build().fit(net, data, val).epochs().get(0);
            Tensor out = Tensor.zeros(val.size(), net.outputSize()), z = Tensor.zeros(val.size(), net.outputSize());
            net.predict(val.features(), out, z); // z: the softmax's pre-activation, which the cost is computed from
            assertEquals(net.lossOf(out, z, val.targets(), val.sampleWeights()), s.validationLoss(), 1e-12);
            assertTrue(Math.abs(net.lossOf(out, z, val.targets(), null) - s.validationLoss()) > 1e-3, "the weights changed the loss");
            assertEquals(Metrics.accuracy(out, val.targets()), s.validationMetrics().get("accuracy"), 1e-12);

            val.sampleWeights().data()[3] = Float.NaN;
            String m = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.builder().optimizer(new Adam(0.02))
                    .epochs(1).build().fit(SparkTrainerTest.net(4), data, val)).getMessage();
            assertTrue(m.startsWith("validation data: the sample weight of row 3 is NaN"), m);
        }
    }

    /**
     * Three partitions: the validation loss and accuracy each epoch reports equal those computed directly
     * on the validation set with the network's weights at the end of that epoch (the same forward pass on
     * the driver, so equal to the last bit; asserted with 1e-12), and the history carries them too.
     */
    @Test
    void validationLossAndMetricsPerEpochAreThoseOfTheTrainedNetwork() {
        Dataset val = validationSet(90, 31);
        try (SparkData data = SparkData.from(SparkTestSupport.blobFrame(240, 4, 30, 3), FORMAT)) {
            Network net = SparkTrainerTest.net(4);
            Recorder rec = new Recorder(net, val);
            SparkTrainingHistory h = SparkTrainer.builder().optimizer(new Adam(0.02)).epochs(3).batchSize(80).shuffle(3)
                    .metrics(Metric.accuracy()).listener(rec).build().fit(net, data, val);
            assertEquals(90, rec.validationSamples, "onTrainStart is told the validation set's size");
            assertEquals(3, rec.summaries.size());
            double[] vl = h.validationLoss(), va = h.validationMetric("accuracy");
            assertEquals(List.of("accuracy"), h.metricNames());
            // the TrainingHistory onTrainEnd gets names the validation-only metric too, and prints its column
            assertEquals(List.of("accuracy"), rec.ended.metricNames());
            String header = rec.ended.toString().lines().findFirst().orElseThrow();
            assertEquals(List.of("epoch", "loss", "val_loss", "val_accuracy"), List.of(header.trim().split(" +")), header);
            for (int e = 0; e < 3; e++) {
                EpochSummary s = rec.summaries.get(e);
                assertTrue(s.hasValidation(), "epoch " + (e + 1));
                assertEquals(rec.direct.get(e)[0], s.validationLoss(), 1e-12, "validation loss of epoch " + (e + 1));
                assertEquals(rec.direct.get(e)[1], s.validationMetrics().get("accuracy"), 1e-12, "accuracy of epoch " + (e + 1));
                assertEquals(s.validationLoss(), vl[e], 0.0);
                assertEquals(s.validationMetrics().get("accuracy"), va[e], 0.0);
                assertTrue(s.trainMetrics().isEmpty(), "metrics are computed on the validation set only");
            }
            // the network learns: the validation loss falls (it would not if the untrained weights were evaluated)
            assertTrue(vl[2] < vl[0], java.util.Arrays.toString(vl));
            // without early stopping the best epoch is the lowest validation loss, as in Trainer
            int best = 1;
            for (int e = 1; e < 3; e++) if (vl[e] < vl[best - 1]) best = e + 1;
            assertEquals(best, h.bestEpoch());
            assertFalse(h.stoppedEarly());
        }
    }

    /**
     * One partition: training with a validation set, accuracy and early stopping (restoreBestWeights) gives
     * Trainer's run to the bit: the same validation losses and accuracies, the same best epoch, the same
     * stop and the same final weights.
     */
    @Test
    void onePartitionValidationAndEarlyStoppingAreBitIdenticalToTrainer() {
        Dataset val = validationSet(60, 33);
        try (SparkData data = SparkData.from(SparkTestSupport.blobFrame(120, 4, 32, 1), FORMAT)) {
            Network spark = SparkTrainerTest.net(6), local = SparkTrainerTest.net(6);
            // patience 1 with a large lr on a small set: validation accuracy stalls within a few epochs
            EarlyStopping es = EarlyStopping.patience(1).monitor("accuracy").restoreBestWeights();
            SparkTrainingHistory h = SparkTrainer.builder().optimizer(new Adam(0.05)).epochs(12).batchSize(40).shuffle(5)
                    .metrics(Metric.accuracy()).earlyStopping(es).build().fit(spark, data, val);
            TrainingHistory t = Trainer.builder().optimizer(new Adam(0.05)).epochs(12).batchSize(40).shuffle(5)
                    .metrics(Metric.accuracy()).earlyStopping(es).build().fit(local, data.toLocal(), val);
            assertArrayEquals(t.validationLoss(), h.validationLoss(), 0.0);
            assertArrayEquals(t.validationMetric("accuracy"), h.validationMetric("accuracy"), 0.0);
            assertArrayEquals(t.trainLoss(), h.trainLoss(), 0.0);
            assertEquals(t.bestEpoch(), h.bestEpoch());
            assertEquals(t.stoppedEarly(), h.stoppedEarly());
            assertEquals(t.restoredBestWeights(), h.restoredBestWeights());
            for (int e = 0; e < t.size(); e++) {
                assertEquals(t.epochs().get(e).improved(), h.epochs().get(e).improved(), "improved, epoch " + (e + 1));
            }
            float[][] a = SparkTrainerTest.weights(spark), b = SparkTrainerTest.weights(local);
            for (int i = 0; i < a.length; i++) assertArrayEquals(b[i], a[i], 0f, "parameter " + i);
            assertTrue(h.stoppedEarly() && h.epochs().size() < 12, "the data must make early stopping stop: " + h.epochs().size()
                    + " epochs, validation accuracy " + java.util.Arrays.toString(h.validationMetric("accuracy")));
        }
    }

    /**
     * Early stopping on the validation loss with a minDelta no epoch can beat: epoch 1 is the best (the
     * first finite value always improves), epochs 2 and 3 do not improve, patience 2 stops after epoch 3
     * of 10, and restoreBestWeights leaves the network with epoch 1's weights. Three partitions.
     */
    @Test
    void earlyStoppingStopsAfterPatienceAndRestoresTheBestEpochsWeights() {
        Dataset val = validationSet(60, 35);
        try (SparkData data = SparkData.from(SparkTestSupport.blobFrame(150, 4, 34, 3), FORMAT)) {
            Network net = SparkTrainerTest.net(7);
            Recorder rec = new Recorder(net, val);
            SparkTrainingHistory h = SparkTrainer.builder().optimizer(new Adam(0.02)).epochs(10).batchSize(50).shuffle(8)
                    .earlyStopping(EarlyStopping.patience(2).minDelta(100).restoreBestWeights()).listener(rec).build()
                    .fit(net, data, val);
            assertEquals(3, h.epochs().size(), "stopped after 2 epochs without improvement");
            assertTrue(h.stoppedEarly());
            assertEquals(1, h.bestEpoch());
            assertTrue(h.restoredBestWeights());
            assertEquals(List.of(true, false, false), h.epochs().stream().map(EpochSummary::improved).toList());
            assertEquals(List.of("start", "epoch1", "end1", "epoch2", "end2", "epoch3", "end3"), rec.calls);
            float[][] now = SparkTrainerTest.weights(net), epoch1 = rec.weights.get(0), epoch3 = rec.weights.get(2);
            for (int i = 0; i < now.length; i++) assertArrayEquals(epoch1[i], now[i], 0f, "parameter " + i);
            assertFalse(java.util.Arrays.deepEquals(epoch1, epoch3), "training moved the weights after epoch 1");
        }
    }

    /**
     * A validation set with another feature or target width than the network is refused with Trainer's
     * message for the same mistake, before any listener call, Spark job or update.
     */
    @Test
    void aMismatchedValidationSetIsRefusedBeforeTheFirstEpochInTrainersWords() {
        try (SparkData data = SparkData.from(SparkTestSupport.blobFrame(60, 4, 36, 2), FORMAT)) {
            Dataset train = data.toLocal();
            Dataset fiveFeatures = Dataset.of(new float[][] {{1, 2, 3, 4, 5}}, new float[][] {{1, 0, 0}});
            Dataset twoTargets = Dataset.of(new float[][] {{1, 2, 3, 4}}, new float[][] {{1, 0}});
            for (Dataset bad : new Dataset[] {fiveFeatures, twoTargets}) {
                Network net = SparkTrainerTest.net(9);
                float[][] before = SparkTrainerTest.weights(net);
                Recorder rec = new Recorder(net, null);
                SparkTrainer st = SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(2).listener(rec).build();
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> st.fit(net, data, bad));
                IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> Trainer.builder()
                        .optimizer(new Adam(0.01)).build().fit(SparkTrainerTest.net(9), train, bad));
                assertEquals(t.getMessage(), e.getMessage());
                assertTrue(e.getMessage().startsWith("validation data has "), e.getMessage());
                assertEquals(List.of(), rec.calls, "refused before onTrainStart");
                assertEquals(0, st.steps());
                assertTrue(java.util.Arrays.deepEquals(before, SparkTrainerTest.weights(net)), "no update");
                // the DataFrame form refuses it too, before reading the rows
                IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
                        () -> st.fit(net, SparkTestSupport.blobFrame(60, 4, 36, 2), FORMAT, bad));
                assertEquals(t.getMessage(), d.getMessage());
            }
        }
    }

    /** Metrics without a validation set, and a monitor that is not a metric, are refused before training. */
    @Test
    void metricsWithoutValidationAndAnUnknownMonitorAreRefused() {
        try (SparkData data = SparkData.from(SparkTestSupport.blobFrame(60, 4, 37, 2), FORMAT)) {
            Network net = SparkTrainerTest.net(10);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.builder()
                    .optimizer(new Adam(0.01)).metrics(Metric.accuracy()).build().fit(net, data));
            assertTrue(e.getMessage().contains("metrics [accuracy] were set, but no validation set was given")
                    && e.getMessage().contains("fit(network, data, validation)"), e.getMessage());
            // refused when the trainer is built, before any fit (SparkTrainerBuilderTest covers the build itself)
            IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.builder()
                    .optimizer(new Adam(0.01)).earlyStopping(EarlyStopping.patience(2).monitor("accuracy")).build());
            assertEquals("early stopping monitors 'accuracy', which is not one of the trainer's metrics []; add it with"
                    + " metrics(...) or monitor \"loss\"", m.getMessage());
        }
    }
}
