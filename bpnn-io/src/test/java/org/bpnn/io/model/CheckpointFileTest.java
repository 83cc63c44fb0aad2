package org.bpnn.io.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bpnn.data.Dataset;
import org.bpnn.data.Normaliser;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.Parameter;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.optim.GradientClipping;
import org.bpnn.optim.LearningRateSchedule;
import org.bpnn.optim.Momentum;
import org.bpnn.tensor.Tensor;
import org.bpnn.train.EarlyStopping;
import org.bpnn.train.EpochSummary;
import org.bpnn.train.Trainer;
import org.bpnn.train.TrainingHistory;
import org.bpnn.train.TrainingListener;
import org.bpnn.train.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {
    private static final int EPOCHS = 6;
    private static final int STOP_AT = 3;

    @TempDir
    Path dir;

    private static Dataset blobs(int n, long seed) {
        Random r = new Random(seed);
        double[][] c = {{1, 1}, {-1, 1}, {0, -1}};
        Tensor x = Tensor.zeros(n, 2);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = i * 3 / n;
            labels[i] = k;
            x.set(i, 0, (float) (3 + c[k][0] + 0.4 * r.nextGaussian()));
            x.set(i, 1, (float) (-2 + 5 * (c[k][1] + 0.4 * r.nextGaussian())));
        }
        return Dataset.ofLabels(x, labels, 3);
    }

    private static Network classifier(long seed) {
        return classifier(seed, 0.25);
    }

    private static Network classifier(long seed, double dropoutRate) {
        return Network.builder(2).dense(16, Activation.relu()).dropout(dropoutRate).dense(3, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(seed).backend(TestNets.SCALAR).build();
    }

    /** Everything that evolves: Adam moments and step, a schedule, clipping, shuffling, dropout, early stopping. */
    private static Trainer trainer(List<TrainingListener> listeners) {
        Trainer.Builder b = Trainer.builder()
                .optimizer(new Adam(0.01).schedule(LearningRateSchedule.cosine(60, 5, 0.001))
                        .clipping(GradientClipping.byGlobalNorm(5)))
                .epochs(EPOCHS).batchSize(7).shuffle(11).validationSplit(0.25)
                .earlyStopping(EarlyStopping.patience(10).restoreBestWeights());
        for (TrainingListener l : listeners) b.listener(l);
        return b.build();
    }

    /** The uninterrupted run on the normalised data, which a resumed run must end equal to. */
    private static Network uninterrupted(Dataset raw, Normaliser norm) {
        Network straight = classifier(9);
        trainer(List.of()).fit(straight, norm.apply(raw));
        return straight;
    }

    /** Loads {@code file} into fresh objects, resumes to the end and compares with the uninterrupted run. */
    private static void resumesToTheUninterruptedRun(Path file, Dataset raw, Network straight) throws IOException {
        // fresh objects: the network, normaliser, trainer and optimiser all come from the file
        Checkpoint c = CheckpointFile.load(file, TestNets.SCALAR);
        assertEquals(STOP_AT, c.state().epoch());
        assertEquals(STOP_AT, ((Number) c.model().metadata().training().get("epoch")).intValue());
        Network resumed = c.model().network();
        Trainer second = trainer(List.of());
        second.restore(resumed, c.state());
        TrainingHistory h = second.fit(resumed, c.model().normaliser().apply(raw));
        assertEquals(STOP_AT + 1, h.firstEpoch());
        assertEquals(EPOCHS - STOP_AT, h.size());
        for (int i = 0; i < straight.parameters().size(); i++) {
            assertArrayEquals(ModelFileRoundTripTest.bits(straight.parameters().get(i).value().data()),
                    ModelFileRoundTripTest.bits(resumed.parameters().get(i).value().data()),
                    "parameter " + straight.parameters().get(i).name() + " after resume");
        }
    }

    /** Stops the fit after epoch STOP_AT, first calling {@code atStop} with the trainer (its state is then the epoch's). */
    private static TrainingListener stopAt(java.util.function.Consumer<Trainer> atStop) {
        return new TrainingListener() {
            private Trainer trainer;

            @Override
            public void onTrainStart(Trainer t, Network n, int epochs, int trainSamples, int validationSamples) {
                trainer = t; // the trainer comes with the callback: no holder filled after build()
            }

            @Override
            public void onEpochEnd(EpochSummary s) {
                if (s.epoch() == STOP_AT) {
                    atStop.accept(trainer);
                    trainer.requestStop();
                }
            }
        };
    }

    /**
     * 0.45 is not a float: the layer keeps the float rate and a scale rounded from the double 0.45
     * (1.8181819); rebuilt from the float rate widened back, the scale was 1.8181818, and every
     * kept unit's training output differed in the last bit after the resume.
     */
    @Test
    void resumingWithADropoutRateThatIsNotAFloatIsBitForBit() throws IOException {
        Dataset raw = blobs(90, 8);
        Normaliser norm = Normaliser.standardise(raw.features());
        Dataset data = norm.apply(raw);
        Network straight = classifier(9, 0.45);
        trainer(List.of()).fit(straight, data);

        Network first = classifier(9, 0.45);
        Path file = dir.resolve("epoch-" + STOP_AT + ".ckpt");
        trainer(List.of(stopAt(t -> {
            try {
                CheckpointFile.save(t, first, norm, Map.of("epoch", STOP_AT), file);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }))).fit(first, data);
        resumesToTheUninterruptedRun(file, raw, straight);
    }

    @Test
    void resumingFromACheckpointFileReproducesTheUninterruptedRunBitForBit() throws IOException {
        Dataset raw = blobs(90, 8);
        Normaliser norm = Normaliser.standardise(raw.features());
        Dataset data = norm.apply(raw);
        Network straight = classifier(9);
        trainer(List.of()).fit(straight, data);

        Network first = classifier(9);
        Path file = dir.resolve("epoch-" + STOP_AT + ".ckpt");
        assertEquals(STOP_AT, trainer(List.of(stopAt(t -> {
            try {
                CheckpointFile.save(t, first, norm, Map.of("epoch", STOP_AT), file);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }))).fit(first, data).size());
        resumesToTheUninterruptedRun(file, raw, straight);
    }

    @Test
    void theEveryEpochListenerLeavesACheckpointThatResumesBitForBit() throws IOException {
        Dataset raw = blobs(90, 8);
        Normaliser norm = Normaliser.standardise(raw.features());
        Network straight = uninterrupted(raw, norm);

        // a run stopped after epoch STOP_AT (or killed during the next): the last file written is that epoch's
        Network first = classifier(9);
        Path file = dir.resolve("last.ckpt");
        trainer(List.of(CheckpointFile.everyEpoch(file, norm), stopAt(t -> { }))).fit(first, norm.apply(raw));
        resumesToTheUninterruptedRun(file, raw, straight);
        assertThrows(IllegalArgumentException.class, () -> CheckpointFile.everyEpoch(null, norm));
    }

    /**
     * An interrupt during an epoch (Future.cancel(true)) ends the fit before the next one, and the
     * listener still writes that epoch's checkpoint: its FileChannel save failed on the interrupted
     * thread (ClosedByInterruptException), losing the checkpoint and ending the fit with that error.
     */
    @Test
    void anInterruptDuringAnEpochStillLeavesThatEpochsCheckpoint() throws IOException {
        Dataset raw = blobs(90, 8);
        Normaliser norm = Normaliser.standardise(raw.features());
        Network straight = uninterrupted(raw, norm);

        Network first = classifier(9);
        Path file = dir.resolve("cancelled.ckpt");
        TrainingListener interrupter = new TrainingListener() {
            @Override
            public void onEpochStart(int epoch, int epochs, int batches, int samples) {
                if (epoch == STOP_AT) {
                    Thread.currentThread().interrupt(); // as Future.cancel(true) during the epoch
                }
            }
        };
        try {
            java.util.concurrent.CancellationException e = assertThrows(java.util.concurrent.CancellationException.class,
                    () -> trainer(List.of(CheckpointFile.everyEpoch(file, norm), interrupter)).fit(first, norm.apply(raw)));
            assertTrue(e.getMessage().startsWith("fit was interrupted before epoch " + (STOP_AT + 1)), e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is left set for the caller");
        } finally {
            Thread.interrupted();
        }
        resumesToTheUninterruptedRun(file, raw, straight);
    }

    /**
     * A network that model files cannot hold (here a custom activation) is refused by everyEpoch before the first
     * epoch: the refusal came from the first save, after a whole epoch had been trained.
     */
    @Test
    void everyEpochRefusesACustomPieceBeforeTheFirstEpoch() {
        Dataset raw = blobs(30, 8);
        Activation custom = new Activation() { // tanh, but not the built-in: a user's own
            @Override public String name() { return "my_tanh"; }
            @Override public void forward(org.bpnn.backend.Backend b, Tensor z, float[] bias, Tensor a) {
                Activation.tanh().forward(b, z, bias, a);
            }
            @Override public void backward(org.bpnn.backend.Backend b, Tensor z, Tensor a, Tensor g) {
                Activation.tanh().backward(b, z, a, g);
            }
            @Override public void forwardDouble(double[] z, int off, int n, double[] a, int aOff) {
                Activation.tanh().forwardDouble(z, off, n, a, aOff);
            }
            @Override public String toString() { return "MyTanh"; }
        };
        Network net = Network.builder(2).dense(8, custom).dense(3, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).backend(TestNets.SCALAR).build();
        int[] epochs = new int[1];
        Path file = dir.resolve("custom.ckpt");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder()
                .optimizer(new Momentum(0.01, 0.9)).epochs(2).batchSize(8)
                .listener(new TrainingListener() { // first: it counts an epoch even when the checkpoint's save then fails
                    @Override
                    public void onEpochEnd(EpochSummary s) {
                        epochs[0]++;
                    }
                })
                .listener(CheckpointFile.everyEpoch(file, null)).build().fit(net, raw));
        assertEquals(0, epochs[0], "epochs trained before the custom activation was refused");
        assertTrue(e.getMessage().startsWith("layer 1 uses activation 'my_tanh' (") && e.getMessage().contains("ParameterSnapshot"),
                e.getMessage());
        assertTrue(Files.notExists(file));
    }

    /** everyEpoch's checkpoints keep the feature names given; names that do not fit are refused before the first epoch. */
    @Test
    void everyEpochCheckpointsKeepTheFeatureNames() throws IOException {
        Dataset raw = blobs(30, 8);
        Normaliser norm = Normaliser.standardise(raw.features());
        Path file = dir.resolve("named.ckpt");
        Network net = classifier(3);
        Trainer.builder().optimizer(new Momentum(0.01, 0.9)).epochs(2).batchSize(8)
                .listener(CheckpointFile.everyEpoch(file, norm, null, List.of("x", "y"))).build().fit(net, norm.apply(raw));
        assertEquals(List.of("x", "y"), CheckpointFile.load(file, TestNets.SCALAR).model().featureNames());
        int[] epochs = new int[1];
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder().optimizer(new Momentum(0.01, 0.9)).epochs(2)
                .listener(CheckpointFile.everyEpoch(dir.resolve("bad.ckpt"), norm, null, List.of("x")))
                .listener(new TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochSummary s) {
                        epochs[0]++;
                    }
                }).build().fit(classifier(3), norm.apply(raw)));
        assertEquals(0, epochs[0], "epochs trained before one name for two inputs was refused");
    }

    /**
     * everyEpoch's checkpoints keep a classifier's class names (a model deployed from one lost them:
     * everyEpoch had no way to take them); names that do not fit are refused before the first epoch.
     */
    @Test
    void everyEpochCheckpointsKeepTheClassNames() throws IOException {
        Dataset raw = blobs(30, 8);
        Normaliser norm = Normaliser.standardise(raw.features());
        Path file = dir.resolve("classes.ckpt");
        Trainer.builder().optimizer(new Momentum(0.01, 0.9)).epochs(2).batchSize(8)
                .listener(CheckpointFile.everyEpoch(file, norm, null, List.of("x", "y"), List.of("red", "green", "blue")))
                .build().fit(classifier(3), norm.apply(raw));
        SavedModel m = CheckpointFile.load(file, TestNets.SCALAR).model();
        assertEquals(List.of("red", "green", "blue"), m.classNames());
        assertEquals(List.of("x", "y"), m.featureNames());
        assertEquals(List.of("red", "green", "blue"), ModelFile.load(file, TestNets.SCALAR).classNames(), "deployed from it");
        int[] epochs = new int[1];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder()
                .optimizer(new Momentum(0.01, 0.9)).epochs(2)
                .listener(CheckpointFile.everyEpoch(dir.resolve("bad.ckpt"), norm, null, null, List.of("red", "green")))
                .listener(new TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochSummary s) {
                        epochs[0]++;
                    }
                }).build().fit(classifier(3), norm.apply(raw)));
        assertEquals(0, epochs[0], "epochs trained before two names for three classes were refused");
        assertTrue(e.getMessage().startsWith("2 class names were given"), e.getMessage());
    }

    /**
     * everyEpoch's checkpoints keep a regression model's target names, so a model deployed from one
     * heads predict's columns by them; names that do not fit are refused before the first epoch.
     */
    @Test
    void everyEpochCheckpointsKeepTheTargetNames() throws IOException {
        Tensor x = TestNets.inputs(30, 2, 1), y = TestNets.inputs(30, 2, 2);
        Path file = dir.resolve("targets.ckpt");
        Trainer.builder().optimizer(new Momentum(0.01, 0.9)).epochs(2).batchSize(10)
                .listener(CheckpointFile.everyEpoch(file, null, null, List.of("x", "z"), null, List.of("price", "rent")))
                .build().fit(regression(), new Dataset(x, y));
        assertEquals(List.of("price", "rent"), CheckpointFile.load(file, TestNets.SCALAR).model().targetNames());
        assertEquals(List.of("price", "rent"), ModelFile.load(file, TestNets.SCALAR).targetNames(), "deployed from it");
        int[] epochs = new int[1];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder()
                .optimizer(new Momentum(0.01, 0.9)).epochs(2)
                .listener(CheckpointFile.everyEpoch(dir.resolve("bad.ckpt"), null, null, null, null, List.of("price")))
                .listener(new TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochSummary s) {
                        epochs[0]++;
                    }
                }).build().fit(regression(), new Dataset(x, y)));
        assertEquals(0, epochs[0], "epochs trained before one name for two outputs was refused");
        assertTrue(e.getMessage().startsWith("1 target name was given"), e.getMessage());
    }

    private static Network regression() {
        return Network.builder(2).dense(4, Activation.tanh()).dense(2, Activation.identity()).loss(Loss.mse())
                .seed(4).backend(TestNets.SCALAR).build();
    }

    @Test
    void aCheckpointKeepsTheTargetNormaliser() throws IOException {
        Network net = Network.builder(2).dense(4, Activation.tanh()).dense(1, Activation.identity()).loss(Loss.mse())
                .seed(4).backend(TestNets.SCALAR).build();
        Tensor x = TestNets.inputs(30, 2, 1), y = TestNets.inputs(30, 1, 2);
        for (int i = 0; i < y.size(); i++) y.data()[i] = 500f + 100f * y.data()[i];
        Normaliser yn = Normaliser.standardise(y);
        Path file = dir.resolve("regression.ckpt");
        Trainer.builder().optimizer(new Momentum(0.01, 0.9)).epochs(2).batchSize(10)
                .listener(CheckpointFile.everyEpoch(file, null, yn)).build().fit(net, new Dataset(x, yn.apply(y)));
        Checkpoint c = CheckpointFile.load(file, TestNets.SCALAR);
        assertArrayEquals(ModelFileRoundTripTest.bits(yn.center()), ModelFileRoundTripTest.bits(c.model().targetNormaliser().center()));
        assertArrayEquals(ModelFileRoundTripTest.bits(yn.inverse(net.predict(x)).data()),
                ModelFileRoundTripTest.bits(c.model().predict(x).data()));
        assertThrows(IllegalArgumentException.class, () -> CheckpointFile.save(Trainer.builder().optimizer(new Momentum(0.01, 0.9))
                .build(), (SavedModel) null, file));
    }

    @Test
    void aCheckpointOverTheLimitsNamesItsSizeAndTheCallThatLoadsIt() throws IOException {
        Dataset data = blobs(60, 2);
        Network net = classifier(4); // 2x16+16 + 16x3+3 = 99 parameters
        Trainer trainer = trainer(List.of());
        trainer.fit(net, data);
        byte[] bytes = CheckpointFile.toBytes(new Checkpoint(SavedModel.of(net), trainer.state(net)));
        // Adam's two moments and early stopping's best weights: 4 x 99 floats
        ModelFile.Limits tight = new ModelFile.Limits(1 << 20, 10, 100, 300);
        String expected = "the file holds 396 floats (99 parameters, 198 optimiser state values, 99 best weights, 0 MiB), more than"
                + " the 300 the limits allow (ModelFile.Limits.maxParameters); if you trust the file and have the memory, load it"
                + " with limits that allow them: pass limits.withMaxParameters(396) as the limits of ModelFile.load or"
                + " CheckpointFile.load (path, backend, limits)";
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> CheckpointFile.fromBytes(bytes, "c", TestNets.SCALAR, tight));
        assertEquals("$", e.location());
        assertTrue(e.getMessage().endsWith(expected), e.getMessage());
        e = assertThrows(ModelFormatException.class, () -> ModelFile.fromBytes(bytes, "c", TestNets.SCALAR, tight));
        assertTrue(e.getMessage().endsWith(expected), e.getMessage());
        CheckpointFile.fromBytes(bytes, "c", TestNets.SCALAR, tight.withMaxParameters(396));

        // the default limits and a network of 67M parameters (8192 x 8192 + ...), from the header alone: the
        // file is tiny, and the size is refused before its length is consulted or anything is allocated
        byte[] big = ModelBytes.parse(bytes).withTree(t -> {
            ((com.fasterxml.jackson.databind.node.ObjectNode) t.get("architecture")).put("input_size", 8192);
            ((com.fasterxml.jackson.databind.node.ObjectNode) t.get("architecture").get("layers").get(0)).put("units", 8192);
        });
        long p = 8192L * 8192 + 8192 + 8192 * 3 + 3;
        assertTrue(p < ModelFile.Limits.DEFAULT.maxParameters(), "a model file of the network loads with the default limits");
        e = assertThrows(ModelFormatException.class, () -> CheckpointFile.fromBytes(big, "c", TestNets.SCALAR, ModelFile.Limits.DEFAULT));
        assertTrue(e.getMessage().contains("the file holds " + 4 * p + " floats (" + p + " parameters, " + 2 * p
                + " optimiser state values, " + p + " best weights, 1024 MiB), more than the 268435456 the limits allow"
                + " (ModelFile.Limits.maxParameters, the default); if you trust the file and have the memory, load it with limits"
                + " that allow them: pass ModelFile.Limits.DEFAULT.withMaxParameters(" + 4 * p + ")"), e.getMessage());
        // and those limits can be made: a checkpoint of the largest network the library builds has more floats than
        // Network.Builder.MAX_PARAMETERS, which capped maxParameters, so no limits loaded it
        ModelFile.Limits.DEFAULT.withMaxParameters(4 * p);
        ModelFile.Limits.DEFAULT.withMaxParameters(4 * Network.Builder.MAX_PARAMETERS + 4L * (1 << 24));
        assertThrows(IllegalArgumentException.class, () -> ModelFile.Limits.DEFAULT.withMaxParameters(ModelFile.Limits.MAX_FLOATS + 1));
    }

    @Test
    void stateRoundTripsExactly() throws IOException {
        Dataset data = blobs(60, 2);
        Network net = classifier(4);
        Trainer trainer = trainer(List.of());
        trainer.fit(net, data);
        TrainingState s = trainer.state(net);
        Checkpoint back = CheckpointFile.fromBytes(CheckpointFile.toBytes(new Checkpoint(SavedModel.of(net), s)), "c",
                TestNets.SCALAR, ModelFile.Limits.DEFAULT);
        TrainingState r = back.state();
        assertEquals(s.epoch(), r.epoch());
        assertEquals(s.shuffleRngState(), r.shuffleRngState());
        assertArrayEquals(s.dropoutRngStates(), r.dropoutRngStates());
        assertEquals(s.optimizer(), r.optimizer());
        assertEquals(Double.doubleToLongBits(s.bestScore()), Double.doubleToLongBits(r.bestScore()));
        assertEquals(s.bestEpoch(), r.bestEpoch());
        assertEquals(s.epochsWithoutImprovement(), r.epochsWithoutImprovement());
        assertTrue(java.util.Arrays.deepEquals(s.parameters(), r.parameters()));
        assertTrue(java.util.Arrays.deepEquals(s.bestParameters(), r.bestParameters()));
        // the model holds the weights training continues from: after a fit that put the best weights
        // back, the last epoch's (s.parameters()), while the network holds the best ones
        assertTrue(java.util.Arrays.deepEquals(s.parameters(),
                org.bpnn.nn.ParameterSnapshot.of(back.model().network()).values()));
        if (!java.util.Arrays.deepEquals(s.parameters(), org.bpnn.nn.ParameterSnapshot.of(net).values())) {
            assertTrue(java.util.Arrays.deepEquals(s.bestParameters(), org.bpnn.nn.ParameterSnapshot.of(net).values()));
        }
    }

    @Test
    void stateBeforeTrainingAndWithoutBestWeightsRoundTrips() throws IOException {
        Network net = classifier(5);
        Trainer trainer = Trainer.builder().optimizer(new Momentum(0.1, 0.9)).epochs(1).build();
        TrainingState s = trainer.state(net); // optimiser not sized yet, best score +Infinity
        assertEquals(Double.POSITIVE_INFINITY, s.bestScore());
        TrainingState r = CheckpointFile.fromBytes(CheckpointFile.toBytes(new Checkpoint(SavedModel.of(net), s)), "c",
                TestNets.SCALAR, ModelFile.Limits.DEFAULT).state();
        assertEquals(s.optimizer(), r.optimizer());
        assertEquals(Double.POSITIVE_INFINITY, r.bestScore());
        assertNull(r.bestParameters());
    }

    @Test
    void checkpointsLoadAsModelsAndModelsAreNotCheckpoints() throws IOException {
        Dataset data = blobs(30, 3);
        Network net = classifier(6);
        Trainer trainer = trainer(List.of());
        trainer.fit(net, data);
        Path ckpt = dir.resolve("c.ckpt");
        CheckpointFile.save(trainer, net, null, null, ckpt);
        ModelFileRoundTripTest.assertSameModel(net, ModelFile.load(ckpt, TestNets.SCALAR).network());

        Path model = dir.resolve("m.bpnn");
        ModelFile.save(net, model);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> CheckpointFile.load(model, TestNets.SCALAR));
        assertEquals("$", e.location());
        assertTrue(e.getMessage().contains("not a checkpoint"), e.getMessage());
    }

    @Test
    void weightsWrittenAreTheStatesNotTheNetworksLaterOnes() throws IOException {
        Network net = classifier(6);
        Trainer trainer = trainer(List.of());
        trainer.fit(net, blobs(30, 3));
        TrainingState s = trainer.state(net);
        for (Parameter p : net.parameters()) p.value().fill(0.5f); // changed after the capture
        Checkpoint back = CheckpointFile.fromBytes(CheckpointFile.toBytes(new Checkpoint(SavedModel.of(net), s)), "c",
                TestNets.SCALAR, ModelFile.Limits.DEFAULT);
        assertArrayEquals(s.parameters()[0], back.model().network().parameters().get(0).value().data());
    }

    // ---- malformed checkpoint sections ---------------------------------------------------------------

    private ModelBytes trainedCheckpoint() throws IOException {
        Network net = classifier(7);
        Trainer trainer = trainer(List.of());
        trainer.fit(net, blobs(30, 4));
        return ModelBytes.parse(CheckpointFile.toBytes(new Checkpoint(SavedModel.of(net), trainer.state(net))));
    }

    private static ModelFormatException fails(byte[] b, String location, String fragment) {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> CheckpointFile.fromBytes(b, "ckpt", TestNets.SCALAR, ModelFile.Limits.DEFAULT));
        assertEquals(location, e.location(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        // and a plain model load validates the section the same way (it streams the state's tensors, not keeping them)
        ModelFormatException m = assertThrows(ModelFormatException.class,
                () -> ModelFile.fromBytes(b, "ckpt", TestNets.SCALAR, ModelFile.Limits.DEFAULT));
        assertEquals(e.getMessage(), m.getMessage());
        return e;
    }

    @Test
    void dropoutStateCountMustMatchTheArchitecture() throws IOException {
        fails(trainedCheckpoint().withTree(t -> ((ArrayNode) t.get("checkpoint").get("dropout_rng_states")).add(1)),
                "$.checkpoint.dropout_rng_states", "expected 1 elements, got 2");
    }

    @Test
    void tooManyOptimizerSlots() throws IOException {
        ModelFormatException e = fails(trainedCheckpoint().withTree(t -> ((ObjectNode) t.get("checkpoint").get("optimizer"))
                .put("slots", 99)), "$.checkpoint.optimizer.slots", "out of range 0..8");
        // no optimiser has more than 8 slots and no limit admits more: the file is not bpnn's (it said "see ModelFile.Limits")
        assertEquals("ckpt: at $.checkpoint.optimizer.slots: value 99 is out of range 0..8; the file was not written by bpnn,"
                + " or is damaged", e.getMessage());
    }

    @Test
    void optimizerNameIsATagNotAClass() throws IOException {
        fails(trainedCheckpoint().withTree(t -> ((ObjectNode) t.get("checkpoint").get("optimizer"))
                .put("name", "org.bpnn.optim.Adam")), "$.checkpoint.optimizer.name", "must match");
    }

    @Test
    void badBestScore() throws IOException {
        fails(trainedCheckpoint().withTree(t -> ((ObjectNode) t.get("checkpoint")).put("best_score", "NaN")),
                "$.checkpoint.best_score", "expected a number, \"Infinity\" or \"-Infinity\"");
    }

    @Test
    void nanInAnOptimizerBuffer() throws IOException {
        ModelBytes m = trainedCheckpoint();
        int modelFloats = 16 * 2 + 16 + 3 * 16 + 3;
        byte[] b = m.withData(d -> d.putFloat(4 * modelFloats, Float.NaN));
        fails(b, "byte " + (20 + ModelBytes.parse(b).header.length + 4 * modelFloats),
                "optimizer.slot0.layers[0].weight element [0, 0] is NaN");
    }

    @Test
    void shapeOfAnOptimizerBufferMustMatchItsParameter() throws IOException {
        fails(trainedCheckpoint().withTree(t -> ((ArrayNode) t.get("tensors").get(4).get("shape")).set(0, 17)),
                "$.tensors[4].shape", "optimizer.slot0.layers[0].weight must be [16, 2]");
    }

    @Test
    void nullTrainersNetworksAndCheckpointsAreRefusedUpFront() throws IOException {
        // each was a NullPointerException
        Path ckpt = dir.resolve("c.ckpt");
        Network net = classifier(8);
        Trainer trainer = Trainer.builder().optimizer(new Momentum(0.1, 0.9)).epochs(1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CheckpointFile.save(null, net, null, Map.of(), ckpt));
        assertEquals("trainer is null; pass the Trainer that trained the network, whose state to save", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CheckpointFile.save(trainer, null, null, Map.of(), ckpt));
        assertEquals("network is null; pass the network to save", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CheckpointFile.save((Checkpoint) null, ckpt));
        assertTrue(e.getMessage().startsWith("checkpoint is null; pass e.g. new Checkpoint("), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CheckpointFile.toBytes(null));
        e = assertThrows(IllegalArgumentException.class, () -> CheckpointFile.save(trainer, net, null, Map.of(), null));
        assertTrue(e.getMessage().startsWith("path is null"), e.getMessage());
        assertTrue(Files.notExists(ckpt));
    }

    @Test
    void savingAMismatchedStateIsRefused() throws IOException {
        Network net = classifier(7);
        Trainer trainer = trainer(List.of());
        trainer.fit(net, blobs(30, 4));
        TrainingState s = trainer.state(net);
        Network other = Network.builder(2).dense(16, Activation.relu()).dense(3, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).backend(TestNets.SCALAR).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CheckpointFile.toBytes(new Checkpoint(SavedModel.of(other), s)));
        assertTrue(e.getMessage().contains("dropout"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("x")));
    }
}
