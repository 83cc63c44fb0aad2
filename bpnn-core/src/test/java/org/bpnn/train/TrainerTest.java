package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.data.Dataset;
import org.bpnn.data.OneHot;
import org.bpnn.loss.Loss;
import org.bpnn.metrics.Metric;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.optim.GradientClipping;
import org.bpnn.optim.LearningRateSchedule;
import org.bpnn.optim.Momentum;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The training loop on the scalar backend; subclasses rerun it on another backend. */
public class TrainerTest {
    protected Backend backend() {
        return ScalarBackend.INSTANCE;
    }

    /** Three Gaussian blobs in 2-D, 3 classes, n rows, in class order (so an unshuffled split would be biased). */
    static Dataset blobs(int n, long seed) {
        Random r = new Random(seed);
        double[][] c = {{1, 1}, {-1, 1}, {0, -1}};
        Tensor x = Tensor.zeros(n, 2);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = i * 3 / n;
            labels[i] = k;
            x.set(i, 0, (float) (c[k][0] + 0.4 * r.nextGaussian()));
            x.set(i, 1, (float) (c[k][1] + 0.4 * r.nextGaussian()));
        }
        return Dataset.ofLabels(x, labels, 3);
    }

    Network classifier(long seed, double dropout) {
        Network.Builder b = Network.builder(2).dense(16, Activation.relu());
        if (dropout > 0) b.dropout(dropout);
        return b.dense(3, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).seed(seed).backend(backend()).build();
    }

    /**
     * A metric that cannot be computed on the network's outputs is refused before any training: top-5
     * accuracy of 3 classes threw at the end of the first epoch, after a whole epoch's work (and left
     * the trainer in the middle of that epoch, so no state could be taken).
     */
    @Test
    void aMetricThatCannotWorkOnTheOutputsIsRefusedBeforeTraining() {
        Network net = classifier(3, 0);
        ParameterSnapshot before = ParameterSnapshot.of(net);
        List<Integer> batches = new ArrayList<>();
        Trainer t = Trainer.builder().optimizer(new Sgd(0.1)).epochs(2).batchSize(10).metrics(Metric.topKAccuracy(5))
                .listener(new TrainingListener() {
                    @Override
                    public void onBatchEnd(int epoch, int batch, int count, int rows, double loss) {
                        batches.add(batch);
                    }
                }).build();
        String m = assertThrows(IllegalArgumentException.class, () -> t.fit(net, blobs(30, 1))).getMessage();
        assertTrue(m.startsWith("top-k needs k in [1, 3] for 3 classes, got 5"), m);
        assertEquals(List.of(), batches, "no batch may be trained");
        assertEquals(before, ParameterSnapshot.of(net));
        t.state(net); // not stuck in the middle of an epoch
    }

    @Test
    void validationSplitGivesTheRowsFitHoldsOut() {
        Tensor x = Tensor.zeros(10, 1), y = Tensor.zeros(10, 1);
        for (int i = 0; i < 10; i++) x.set(i, 0, i);
        Dataset d = new Dataset(x, y);
        Trainer t = Trainer.builder().optimizer(new Sgd(0.1)).shuffle(5).build();
        Dataset.Split parts = t.validationSplit(d, 0.3);
        Dataset.Split expected = d.split(0.7, org.bpnn.nn.Rng.derive(5, 1)); // fit's rule
        assertArrayEquals(expected.train().features().data(), parts.train().features().data());
        assertArrayEquals(expected.validation().features().data(), parts.validation().features().data());
        assertThrows(IllegalArgumentException.class, () -> t.validationSplit(d, 0));
        assertThrows(IllegalArgumentException.class, () -> t.validationSplit(d, 0.01)); // none to validate on
    }

    @Test
    void fitLearnsWithValidationSplitAndRecordsHistory() {
        Dataset data = blobs(300, 1);
        Network net = classifier(2, 0);
        Trainer trainer = Trainer.builder().optimizer(new Adam(0.01)).epochs(15).batchSize(16).shuffle(3)
                .validationSplit(0.2).metrics(Metric.accuracy(), Metric.macroF1()).build();
        TrainingHistory h = trainer.fit(net, data);
        assertEquals(15, h.size());
        assertEquals(15, h.trainLoss().length);
        assertEquals(15, h.validationLoss().length);
        assertEquals(15, h.validationMetric("accuracy").length);
        assertTrue(h.trainLoss()[14] < h.trainLoss()[0], h.toString());
        assertTrue(h.validationMetric("accuracy")[14] > 0.9, h.toString());
        assertEquals(List.of("accuracy", "macro_f1"), h.metricNames());
        assertEquals(1, h.firstEpoch());
        assertTrue(h.bestEpoch() >= 1 && h.bestEpoch() <= 15);
        assertFalse(h.stoppedEarly());
        // the recorded training metric is the whole training set's accuracy after the last epoch
        Dataset.Split split = data.split(0.8, org.bpnn.nn.Rng.derive(3, 1));
        assertEquals(Metric.accuracy().value(net.predict(split.train().features()), split.train().targets()),
                h.trainMetric("accuracy")[14], 1e-12);
        assertEquals(net.evaluateLoss(split.validation().features(), split.validation().targets()),
                h.validationLoss()[14], 1e-9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.trainMetric("recall"));
        assertTrue(e.getMessage().contains("no metric named 'recall'"), e.getMessage());
    }

    @Test
    void sameSeedsGiveBitIdenticalWeights() {
        Dataset data = blobs(120, 4);
        long[] hashes = new long[3];
        for (int run = 0; run < 3; run++) {
            Network net = classifier(5, 0.3);
            Trainer t = Trainer.builder().optimizer(new Adam(0.01)).epochs(4).batchSize(10)
                    .shuffle(run < 2 ? 6 : 7).build();
            t.fit(net, data);
            hashes[run] = ParameterSnapshot.of(net).hash();
        }
        assertEquals(hashes[0], hashes[1], "same seeds, same weights");
        assertNotEquals(hashes[0], hashes[2], "another shuffle seed, other weights");
    }

    Trainer resumable(List<TrainingListener> listeners) {
        Trainer.Builder b = Trainer.builder()
                .optimizer(new Adam(0.01).schedule(LearningRateSchedule.cosine(60, 5, 0.001))
                        .clipping(GradientClipping.byGlobalNorm(5)))
                .epochs(6).batchSize(7).shuffle(11).validationSplit(0.25)
                .earlyStopping(EarlyStopping.patience(10).restoreBestWeights());
        for (TrainingListener l : listeners) b.listener(l);
        return b.build();
    }

    @Test
    void resumingFromTheMiddleEndsWithBitIdenticalWeights() {
        Dataset data = blobs(90, 8);
        Network straight = classifier(9, 0.25);
        resumable(List.of()).fit(straight, data);
        long expected = ParameterSnapshot.of(straight).hash();

        Network first = classifier(9, 0.25);
        AtomicReference<Trainer> trainer = new AtomicReference<>();
        AtomicReference<TrainingState> saved = new AtomicReference<>();
        TrainingListener capture = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochSummary s) {
                if (s.epoch() == 3) {
                    saved.set(trainer.get().state(first));
                    trainer.get().requestStop();
                }
            }
        };
        trainer.set(resumable(List.of(capture)));
        TrainingHistory h1 = trainer.get().fit(first, data);
        assertEquals(3, h1.size());
        assertEquals(3, saved.get().epoch());

        // a different initialisation, a fresh optimiser: everything must come from the state
        Network resumed = classifier(1234, 0.25);
        Trainer second = resumable(List.of());
        second.restore(resumed, saved.get());
        TrainingHistory h2 = second.fit(resumed, data);
        assertEquals(4, h2.firstEpoch());
        assertEquals(3, h2.size());
        assertEquals(expected, ParameterSnapshot.of(resumed).hash(), "resumed run differs from the uninterrupted one");
    }

    @Test
    void earlyStoppingStopsAndRestoresTheBestEpoch() {
        // train on y = x, validate on y = -x: every step towards w = 1 makes the validation loss worse
        Tensor x = Tensor.of(new float[][] {{-1}, {-0.5f}, {0.5f}, {1}});
        Dataset train = new Dataset(x, Tensor.of(new float[][] {{-1}, {-0.5f}, {0.5f}, {1}}));
        Dataset val = new Dataset(x, Tensor.of(new float[][] {{1}, {0.5f}, {-0.5f}, {-1}}));
        Network net = Network.builder(1).dense(1, Activation.identity()).loss(Loss.mse()).seed(3).backend(backend()).build();
        List<ParameterSnapshot> snapshots = new ArrayList<>();
        Trainer t = Trainer.builder().optimizer(new Sgd(0.1)).epochs(50).batchSize(4).noShuffle()
                .earlyStopping(EarlyStopping.patience(2).restoreBestWeights())
                .listener(new TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochSummary s) {
                        snapshots.add(ParameterSnapshot.of(net));
                    }
                }).build();
        TrainingHistory h = t.fit(net, train, val);
        double[] v = h.validationLoss();
        for (int i = 1; i < v.length; i++) assertTrue(v[i] > v[i - 1], "validation loss rises: " + h);
        assertEquals(3, h.size(), h.toString());
        assertTrue(h.stoppedEarly());
        assertEquals(1, h.bestEpoch());
        assertTrue(h.restoredBestWeights());
        assertEquals(snapshots.get(0), ParameterSnapshot.of(net), "weights of epoch 1 restored");
        assertEquals(v[0], net.evaluateLoss(val.features(), val.targets()), 1e-9);
        assertTrue(h.epochs().get(0).improved());
        assertFalse(h.epochs().get(1).improved());
    }

    @Test
    void minDeltaAndMetricMonitor() {
        Dataset data = blobs(60, 2);
        Network net = classifier(3, 0);
        // a huge minDelta: nothing after epoch 1 is an improvement
        TrainingHistory h = Trainer.builder().optimizer(new Adam(0.01)).epochs(20).batchSize(8)
                .earlyStopping(EarlyStopping.patience(3).minDelta(100)).build().fit(net, data);
        assertEquals(4, h.size());
        assertEquals(1, h.bestEpoch());
        h = Trainer.builder().optimizer(new Adam(0.01)).epochs(20).batchSize(8).metrics(Metric.accuracy())
                .earlyStopping(EarlyStopping.patience(2).monitor("accuracy")).build().fit(classifier(3, 0), data);
        assertTrue(h.size() >= 3);
        double[] acc = h.trainMetric("accuracy");
        double best = 0;
        for (double a : acc) best = Math.max(best, a);
        assertEquals(best, acc[h.bestEpoch() - 1], 0, "the best epoch has the highest accuracy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder()
                .optimizer(new Sgd(0.1)).earlyStopping(EarlyStopping.patience(2).monitor("f1")).build()
                .fit(classifier(3, 0), data));
        assertTrue(e.getMessage().contains("monitors 'f1'"), e.getMessage());
    }

    static Dataset regressionWithOneExtremeRow() {
        Tensor x = Tensor.zeros(8, 1), y = Tensor.zeros(8, 1);
        for (int i = 0; i < 8; i++) {
            x.set(i, 0, (i - 4) / 4f);
            y.set(i, 0, (i - 4) / 2f);
        }
        x.set(5, 0, 1e30f); // finite, but its gradient overflows float
        return new Dataset(x, y);
    }

    @Test
    void divergenceNamesEpochBatchAndParameter() {
        Network net = Network.builder(1).dense(1, Activation.identity()).loss(Loss.mse()).backend(backend()).build();
        Trainer t = Trainer.builder().optimizer(new Sgd(0.01)).epochs(3).batchSize(2).noShuffle().build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> t.fit(net, regressionWithOneExtremeRow()));
        assertEquals(1, e.epoch());
        assertEquals(3, e.batch());
        assertEquals("dense1.W", e.parameter());
        assertTrue(e.getMessage().startsWith("training diverged at epoch 1, batch 3 of 4: the gradient of dense1.W is"),
                e.getMessage());
        assertTrue(e.getMessage().contains("SKIP_BATCH"), e.getMessage());
    }

    @Test
    void skipBatchPolicyKeepsTraining() {
        Network net = Network.builder(1).dense(1, Activation.identity()).loss(Loss.mse()).backend(backend()).build();
        TrainingHistory h = Trainer.builder().optimizer(new Sgd(0.1)).epochs(30).batchSize(1).shuffle(1)
                .nonFinitePolicy(NonFinitePolicy.SKIP_BATCH).build().fit(net, regressionWithOneExtremeRow());
        for (EpochSummary s : h.epochs()) assertEquals(1, s.skippedBatches());
        assertTrue(ParameterSnapshot.of(net).values()[0][0] > 1.5f, "learned y = 2x from the other rows: " + h);
    }

    @Test
    void listenersAreToldWhichBatchWasSkipped() {
        // a batch skipped for a non-finite gradient can have a finite loss: without the flag a listener
        // (the live progress bar's running loss) counted it, while the epoch's training loss does not
        Network net = Network.builder(1).dense(1, Activation.identity()).loss(Loss.mse()).backend(backend()).build();
        List<String> seen = new ArrayList<>();
        TrainingListener l = new TrainingListener() {
            @Override public void onBatchEnd(int e, int b, int bs, int rows, double loss, boolean skipped) {
                seen.add(b + (skipped ? " skipped" : "") + (Double.isFinite(loss) ? "" : " non-finite loss"));
            }
        };
        Trainer.builder().optimizer(new Sgd(0.01)).epochs(1).batchSize(2).noShuffle().nonFinitePolicy(NonFinitePolicy.SKIP_BATCH)
                .listener(l).build().fit(net, regressionWithOneExtremeRow());
        assertEquals(List.of("1", "2", "3 skipped", "4"), seen);
    }

    @Test
    void listenersSeeEveryEvent() {
        Dataset data = blobs(50, 3);
        int[] counts = new int[5];
        List<Integer> batchRows = new ArrayList<>();
        TrainingListener l = new TrainingListener() {
            @Override public void onTrainStart(Network n, int epochs, int train, int val) { counts[0]++; assertEquals(50, train); }
            @Override public void onEpochStart(int e, int es, int b, int s) { counts[1]++; assertEquals(4, b); assertEquals(50, s); }
            @Override public void onBatchEnd(int e, int b, int bs, int rows, double loss) {
                counts[2]++;
                batchRows.add(rows);
                assertTrue(Double.isFinite(loss));
            }
            @Override public void onEpochEnd(EpochSummary s) { counts[3]++; }
            @Override public void onTrainEnd(TrainingHistory h) { counts[4]++; }
        };
        Trainer.builder().optimizer(new Momentum(0.05, 0.9)).epochs(3).batchSize(16).listener(l).build()
                .fit(classifier(1, 0), data);
        assertArrayEquals(new int[] {1, 3, 12, 3, 1}, counts);
        assertEquals(List.of(16, 16, 16, 2), batchRows.subList(0, 4));
    }

    @Test
    void configurationIsValidated() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Trainer.builder().build())
                .getMessage().contains("no optimizer set"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Trainer.builder().epochs(0))
                .getMessage().contains("epochs must be >= 1, got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Trainer.builder().validationSplit(1))
                .getMessage().contains("validation split must be in (0, 1)"));
        Trainer t = Trainer.builder().optimizer(new Sgd(0.1)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.fit(classifier(1, 0), new Dataset(Tensor.zeros(4, 3), OneHot.encode(new int[] {0, 1, 2, 0}, 3))));
        assertTrue(e.getMessage().contains("train data has 3 features, but the network takes 2 inputs"), e.getMessage());
        // a count of one is singular: "1 target columns", "1 outputs" before
        Network regression = Network.builder(2).dense(1, Activation.identity()).loss(Loss.mse()).seed(1)
                .backend(ScalarBackend.INSTANCE).build();
        e = assertThrows(IllegalArgumentException.class, () -> t.fit(regression, new Dataset(Tensor.zeros(4, 1), Tensor.zeros(4, 1))));
        assertTrue(e.getMessage().contains("train data has 1 feature, but the network takes 2 inputs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.fit(regression, new Dataset(Tensor.zeros(4, 2), Tensor.zeros(4, 2))));
        assertTrue(e.getMessage().contains("train data has 2 target columns, but the network has 1 output;"), e.getMessage());
        assertTrue(e.getMessage().contains("give the network one output per target column"), e.getMessage());
        // a binary set's one-hot targets (CsvReader's oneHot(true)) on a sigmoid network: the advice was to one-hot
        // encode the labels, which they already were
        Network sigmoid = Network.builder(2).dense(1, Activation.sigmoid()).loss(Loss.binaryCrossEntropy()).seed(1)
                .backend(ScalarBackend.INSTANCE).build();
        e = assertThrows(IllegalArgumentException.class,
                () -> t.fit(sigmoid, new Dataset(Tensor.zeros(4, 2), OneHot.encode(new int[] {0, 1, 1, 0}, 2))));
        assertTrue(e.getMessage().contains("a one-output (sigmoid) classifier takes one target column of 0/1 labels"), e.getMessage());
        assertFalse(e.getMessage().contains("one-hot encode"), e.getMessage());
        // class numbers in one column on a softmax network: one-hot encoding them is the remedy
        e = assertThrows(IllegalArgumentException.class,
                () -> t.fit(classifier(1, 0), new Dataset(Tensor.zeros(4, 2), Tensor.zeros(4, 1))));
        assertTrue(e.getMessage().contains("one-hot encode class labels (OneHot.encode"), e.getMessage());
        assertEquals("Trainer.builder()\n    .optimizer(new Sgd(0.1))\n    .epochs(10)\n    .batchSize(32)\n    .shuffle(42L)\n"
                + "    .build()", t.toString());
    }

    /**
     * The split's seed outlives noShuffle() (it chooses the validation rows from Rng.derive(seed, 1)), so
     * toString keeps it: it printed ".noShuffle()" alone, and the configuration pasted back split with
     * the default seed 42, other rows, which a restore then refused over the split's seed.
     */
    @Test
    void toStringKeepsTheSplitsSeedWithoutShuffling() {
        Trainer t = Trainer.builder().optimizer(new Sgd(0.1)).epochs(3).batchSize(8).shuffle(9L).noShuffle()
                .stratifiedValidationSplit(0.25).build();
        // the printed calls, pasted back, build the same settings, seed included
        Trainer pasted = pastedBack(t.toString());
        assertEquals(t.batchSettings(), pasted.batchSettings());
        assertEquals(9, pasted.batchSettings().splitSeed());
        assertEquals("Trainer.builder()\n    .optimizer(new Sgd(0.1))\n    .epochs(3)\n    .batchSize(8)\n    .shuffle(9L)\n"
                + "    .noShuffle()\n    .stratifiedValidationSplit(0.25)\n    .build()", t.toString());
        // and the same rows: the split is the seed's, not shuffling's
        Dataset d = blobs(40, 3);
        Tensor rows = t.validationSplit(d, 0.25).second().features();
        assertEquals(Trainer.builder().optimizer(new Sgd(0.1)).shuffle(9L).stratifiedValidationSplit(0.25).build()
                .validationSplit(d, 0.25).second().features(), rows);
        assertNotEquals(Trainer.builder().optimizer(new Sgd(0.1)).noShuffle().stratifiedValidationSplit(0.25).build()
                .validationSplit(d, 0.25).second().features(), rows, "the default seed 42 holds out other rows");

        // without a split the seed decides nothing a run uses, and is left out as before
        Trainer noSplit = Trainer.builder().optimizer(new Sgd(0.1)).epochs(3).batchSize(8).shuffle(9L).noShuffle().build();
        assertEquals("Trainer.builder()\n    .optimizer(new Sgd(0.1))\n    .epochs(3)\n    .batchSize(8)\n    .noShuffle()\n"
                + "    .build()", noSplit.toString());
        assertEquals(noSplit.batchSettings(), pastedBack(noSplit.toString()).batchSettings());
        // and the parser's other calls: shuffling, a dropped last batch, a plain split
        Trainer shuffled = Trainer.builder().optimizer(new Sgd(0.1)).batchSize(5).shuffle(7L).dropLastPartialBatch()
                .validationSplit(0.2).build();
        assertEquals(shuffled.batchSettings(), pastedBack(shuffled.toString()).batchSettings());
    }

    /**
     * The trainer that pasting {@code printed} (a Trainer.toString()) back as code would build, as far as its
     * batch settings go: the ".call(argument)" lines that set them, applied in the printed order, since a
     * later call overrides an earlier one (noShuffle() after shuffle(seed) keeps the seed). The other calls
     * (optimizer, epochs, metrics, ...) decide no batch setting and are skipped.
     */
    private static Trainer pastedBack(String printed) {
        Trainer.Builder b = Trainer.builder().optimizer(new Sgd(0.1));
        for (String line : printed.split("\n")) {
            Matcher call = Pattern.compile("\\s+\\.(\\w+)\\((.*)\\)").matcher(line);
            if (!call.matches()) continue; // "Trainer.builder()"
            String arg = call.group(2);
            switch (call.group(1)) {
                case "batchSize" -> b.batchSize(Integer.parseInt(arg));
                case "shuffle" -> b.shuffle(Long.parseLong(arg.substring(0, arg.length() - 1))); // "9L"
                case "noShuffle" -> b.noShuffle();
                case "dropLastPartialBatch" -> b.dropLastPartialBatch();
                case "validationSplit" -> b.validationSplit(Double.parseDouble(arg));
                case "stratifiedValidationSplit" -> b.stratifiedValidationSplit(Double.parseDouble(arg));
                default -> { }
            }
        }
        return b.build();
    }

    @Test
    void aNonFiniteWeightIsNamedWhenTheLossIsNotFinite() {
        Network net = classifier(1, 0);
        net.parameters().get(2).value().data()[4] = Float.NaN; // dense2.W
        Trainer t = Trainer.builder().optimizer(new Sgd(0.1)).epochs(1).batchSize(8).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.fit(net, blobs(30, 1)));
        assertEquals("dense2.W", e.parameter());
        assertTrue(e.getMessage().contains("the loss is NaN (parameter dense2.W is no longer finite)"), e.getMessage());
    }

    @Test
    void validationSetAndSplitAreExclusive() {
        Dataset d = blobs(30, 1);
        Trainer t = Trainer.builder().optimizer(new Sgd(0.1)).validationSplit(0.2).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.fit(classifier(1, 0), d, d));
        assertTrue(e.getMessage().contains("both a validation set and validationSplit(0.2)"), e.getMessage());
    }

    @Test
    void aSplitThatLeavesAnEmptyPartNamesTheValidationSplit() {
        // Dataset.split's message named the complement ("splitting 4 rows at 0.9 leaves the second part empty")
        Dataset d = blobs(4, 1);
        String m = assertThrows(IllegalArgumentException.class, () -> Trainer.builder().optimizer(new Sgd(0.1))
                .validationSplit(0.1).build().fit(classifier(1, 0), d)).getMessage();
        // it said "or 0 for no validation", which the builder's validationSplit(0) refuses (no split is no call)
        assertEquals("a validation split of 0.1 of 4 samples leaves no samples to validate on; use more data or another"
                + " fraction, or train without a validation split", m);
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder().validationSplit(0));
        m = assertThrows(IllegalArgumentException.class, () -> Trainer.builder().optimizer(new Sgd(0.1))
                .validationSplit(0.9).build().fit(classifier(1, 0), d)).getMessage();
        assertTrue(m.startsWith("a validation split of 0.9 of 4 samples leaves no samples to train on"), m);
    }

    @Test
    void restoreRefusesAnotherArchitecture() {
        Dataset d = blobs(30, 1);
        Trainer t = Trainer.builder().optimizer(new Adam(0.01)).epochs(1).build();
        Network net = classifier(1, 0.5);
        t.fit(net, d);
        TrainingState s = t.state(net);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder().optimizer(new Adam(0.01)).build().restore(classifier(1, 0), s));
        assertTrue(e.getMessage().contains("1 dropout generator states but the network has 0 dropout layers"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder().optimizer(new Sgd(0.01)).build().restore(classifier(1, 0.5), s));
        assertTrue(e.getMessage().contains("cannot restore a 'adam' state"), e.getMessage());
        // weights that fit, with an optimiser state of another network: refused at restore, with both
        // shapes; it failed at the first step with "create one optimiser per network"
        Network wide = Network.builder(2).dense(9, Activation.relu()).dense(3, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(1).backend(backend()).build();
        Trainer other = Trainer.builder().optimizer(new Adam(0.01)).epochs(1).build();
        other.fit(wide, d);
        TrainingState mixed = new TrainingState(s.epoch(), s.shuffleRngState(), s.dropoutRngStates(), other.state(wide).optimizer(),
                s.parameters(), s.bestScore(), s.bestEpoch(), s.epochsWithoutImprovement(), s.bestParameters());
        Network target = classifier(1, 0.5);
        float[][] before = org.bpnn.nn.ParameterSnapshot.of(target).values();
        e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder().optimizer(new Adam(0.01)).build().restore(target, mixed));
        assertTrue(e.getMessage().startsWith("the state's optimiser state is for 4 parameters of sizes [18, 9, 27, 3], but the network"
                + " has 4 of sizes ["), e.getMessage());
        assertArrayEquals(before, org.bpnn.nn.ParameterSnapshot.of(target).values(), "nothing written");
    }

    @Test
    void aCheckpointTakenAfterBestWeightsWereRestoredResumesToTheUninterruptedRun() {
        // the state held the restored best weights beside the last epoch's optimiser state: the resumed run diverged
        Dataset d = blobs(60, 2);
        java.util.function.IntFunction<Trainer> trainer = epochs -> Trainer.builder().optimizer(new Adam(0.05)).epochs(epochs)
                .batchSize(7).shuffle(123).validationSplit(0.25).metrics(Metric.accuracy())
                .earlyStopping(EarlyStopping.patience(100).monitor("accuracy").restoreBestWeights()).build();
        int tried = 0;
        for (long seed = 1; seed <= 20; seed++) {
            Network straight = classifier(seed, 0.3);
            TrainingHistory all = trainer.apply(8).fit(straight, d);
            Network net = classifier(seed, 0.3);
            Trainer first = trainer.apply(3);
            if (!first.fit(net, d).restoredBestWeights()) continue; // the case needs a best epoch before the last
            tried++;
            TrainingState s = first.state(net);
            Network resumed = classifier(seed, 0.3);
            Trainer second = trainer.apply(8);
            second.restore(resumed, s);
            TrainingHistory rest = second.fit(resumed, d);
            // epochs 4..8 of both runs: the same losses bit for bit (the final weights alone could hide a
            // divergence: both runs end by restoring the best epoch's weights)
            assertArrayEquals(java.util.Arrays.copyOfRange(all.trainLoss(), 3, 8), rest.trainLoss(), 0.0, "seed " + seed);
            assertArrayEquals(java.util.Arrays.copyOfRange(all.validationLoss(), 3, 8), rest.validationLoss(), 0.0, "seed " + seed);
            assertArrayEquals(org.bpnn.nn.ParameterSnapshot.of(straight).values(), org.bpnn.nn.ParameterSnapshot.of(resumed).values(),
                    "seed " + seed);
        }
        assertTrue(tried > 0, "no seed restored best weights after 3 epochs: the test did not run its case");
    }

    @Test
    void aDivergenceOnAThirdPartyBackendPointsAtTheBackend() {
        // a backend whose gemm returns NaN was reported as "lower the learning rate"
        Backend scalar = ScalarBackend.INSTANCE;
        Backend broken = (Backend) java.lang.reflect.Proxy.newProxyInstance(Backend.class.getClassLoader(),
                new Class<?>[] {Backend.class}, (proxy, m, args) -> {
                    if (m.getName().equals("name")) return "acme";
                    Object r = m.invoke(scalar, args);
                    if (m.getName().equals("gemm")) ((float[]) args[13])[(int) args[14]] = Float.NaN;
                    return r;
                });
        Network net = Network.builder(2).dense(3, Activation.tanh()).dense(3, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(1).backend(broken).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.builder().optimizer(new Sgd(0.1)).epochs(1).build().fit(net, blobs(30, 1)));
        assertTrue(e.getMessage().endsWith("the backend 'acme' is not one of bpnn's: rerun on Backends.get(\"scalar\", 1) to rule it out"),
                e.getMessage());
    }

    @Test
    void aValueChangedToNaNAfterTheDatasetWasBuiltIsNamedByItsRow() {
        // it was reported as "x contains NaN at (4, 0)": a place in a shuffled batch
        Dataset d = blobs(30, 1);
        d.features().set(17, 1, Float.NaN);
        String m = assertThrows(IllegalArgumentException.class, () -> Trainer.builder().optimizer(new Sgd(0.1)).shuffle(3)
                .build().fit(classifier(1, 0), d)).getMessage();
        assertTrue(m.startsWith("train data: feature 1 of row 17 is NaN; the Dataset was finite when built"), m);
    }

    @Test
    void oneOptimiserIsNotSharedByTwoNetworksOfOneArchitecture() {
        // the sizes matched, so the second network silently started from the first one's Adam moments
        Dataset d = blobs(30, 1);
        Trainer shared = Trainer.builder().optimizer(new Adam(0.01)).epochs(3).build();
        shared.fit(classifier(1, 0), d);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> shared.fit(classifier(2, 0), d));
        assertTrue(e.getMessage().contains("holds the state (step 3) of another network's parameters of the same shapes (parameter 0, dense1.W(16, 2), is another object)"), e.getMessage());
        assertTrue(e.getMessage().endsWith("create one optimiser (and one Trainer) per network"), e.getMessage());
    }

    @Test
    void aFailedRestoreLeavesTheTrainerAsItWas() {
        // the optimiser was restored before the weights' shapes were checked: the trainer then failed
        // every later fit with "this optimiser's state was built for 36"
        Dataset d = blobs(30, 1);
        Network wide = Network.builder(2).dense(9, Activation.relu()).dense(3, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(1).backend(backend()).build();
        Trainer other = Trainer.builder().optimizer(new Adam(0.01)).epochs(1).build();
        other.fit(wide, d);
        TrainingState foreign = other.state(wide);

        Trainer t = Trainer.builder().optimizer(new Adam(0.01)).epochs(2).build();
        Network net = classifier(3, 0);
        float[][] before = org.bpnn.nn.ParameterSnapshot.of(net).values();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.restore(net, foreign));
        assertTrue(e.getMessage().contains("the architectures differ"), e.getMessage());
        assertArrayEquals(before, org.bpnn.nn.ParameterSnapshot.of(net).values(), "the network untouched");
        Network fresh = classifier(3, 0);
        t.fit(net, d); // usable, and as if the restore had not been tried
        Trainer.builder().optimizer(new Adam(0.01)).epochs(2).build().fit(fresh, d);
        assertArrayEquals(org.bpnn.nn.ParameterSnapshot.of(fresh).values(), org.bpnn.nn.ParameterSnapshot.of(net).values());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.restore(null, foreign)).getMessage()
                .startsWith("network is null"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.state(null)).getMessage().startsWith("network is null"));
    }
}
