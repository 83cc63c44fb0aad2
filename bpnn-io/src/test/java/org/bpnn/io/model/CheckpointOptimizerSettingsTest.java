package org.bpnn.io.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.optim.AdaGrad;
import org.bpnn.optim.Adam;
import org.bpnn.optim.AdamW;
import org.bpnn.optim.BaseOptimizer;
import org.bpnn.optim.GradientClipping;
import org.bpnn.optim.LearningRateSchedule;
import org.bpnn.optim.Momentum;
import org.bpnn.optim.OptimizerSettings;
import org.bpnn.optim.Penalty;
import org.bpnn.optim.RmsProp;
import org.bpnn.optim.Sgd;
import org.bpnn.train.RestoreOptions;
import org.bpnn.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint records the optimiser's settings (optional field {@code checkpoint.optimizer.settings},
 * added within format version 1): they read back bit for bit for every kind, rebuild the optimiser,
 * make a restore with other settings fail naming each, unless allowed; a file without them (the layout
 * written before) still loads and resumes.
 */
class CheckpointOptimizerSettingsTest {
    @TempDir
    Path dir;

    /** Rows of the data: 3 batches of 8, so 2 epochs are 6 steps. */
    private static final int ROWS = 24;

    private static Trainer trainer(BaseOptimizer o, int epochs) {
        return Trainer.builder().optimizer(o).epochs(epochs).batchSize(8).shuffle(4).build();
    }

    private static List<BaseOptimizer> everyKind() {
        return List.of(
                new Sgd(0.05),
                new Momentum(0.03, 0.85),
                Momentum.nesterov(0.02, 0.95),
                new Adam(0.002, 0.8, 0.99, 1e-7),
                new AdamW(0.001, 0.85, 0.995, 1e-6, 0.02),
                new AdaGrad(0.07, 1e-9),
                new RmsProp(0.004, 0.95, 1e-7),
                new Adam(0.001).schedule(LearningRateSchedule.warmup(5, LearningRateSchedule.stepDecay(7, 0.3)))
                        .clipping(GradientClipping.byValue(2.5)).penalty(Penalty.elasticNet(1e-5, 3e-4)),
                new Sgd(0.1).schedule(LearningRateSchedule.cosine(1000, 10, 1e-5)).clipping(GradientClipping.byGlobalNorm(1))
                        .penalty(Penalty.l2(1e-4)),
                new RmsProp(0.01).schedule(LearningRateSchedule.exponential(0.999)));
    }

    /** Trains 2 epochs with {@code o} and saves the checkpoint; returns the file. */
    private Path checkpoint(BaseOptimizer o, String name) throws IOException {
        Network n = TestNets.regressionNet();
        Trainer t = trainer(o, 2);
        t.fit(n, TestNets.regressionData(ROWS));
        Path f = dir.resolve(name + ".ckpt");
        CheckpointFile.save(t, n, null, java.util.Map.of(), f);
        return f;
    }

    @Test
    void theSettingsOfEveryKindRoundTripThroughAFileAndRebuildTheOptimiser() throws IOException {
        int i = 0;
        for (BaseOptimizer o : everyKind()) {
            Path f = checkpoint(o, "k" + i++);
            Checkpoint c = CheckpointFile.load(f, TestNets.SCALAR);
            OptimizerSettings s = c.optimizerSettings();
            assertNotNull(s, o.toString());
            assertEquals(o.settings(), s, "read back bit for bit: " + o);
            assertEquals(o.toString(), s.toOptimizer().toString(), "rebuilt");
            // the state's settings (optimizerSettings() reads them from it, so comparing the two proved nothing) are
            // what Trainer.restore compares with its optimiser's: the optimiser rebuilt from them is accepted, for
            // every kind, and takes the state's buffers and step counter
            BaseOptimizer rebuilt = s.toOptimizer();
            trainer(rebuilt, 4).restore(c.model().network(), c.state());
            assertEquals(6, rebuilt.steps(), "restored into the rebuilt optimiser (2 epochs of 3 batches): " + o);
        }
    }

    @Test
    void theRebuiltOptimiserResumesFromTheFileToTheUninterruptedRun() throws IOException {
        BaseOptimizer o = new Adam(0.01).schedule(LearningRateSchedule.cosine(12, 2, 1e-4)).clipping(GradientClipping.byGlobalNorm(3));
        Network straight = TestNets.regressionNet();
        trainer(new Adam(0.01).schedule(LearningRateSchedule.cosine(12, 2, 1e-4)).clipping(GradientClipping.byGlobalNorm(3)), 4)
                .fit(straight, TestNets.regressionData(ROWS));

        Checkpoint c = CheckpointFile.load(checkpoint(o, "adam"), TestNets.SCALAR);
        Trainer resumed = trainer(c.optimizerSettings().toOptimizer(), 4);
        resumed.restore(c.model().network(), c.state());
        resumed.fit(c.model().network(), TestNets.regressionData(ROWS));
        assertEquals(ParameterSnapshot.of(straight).hash(), ParameterSnapshot.of(c.model().network()).hash());
    }

    @Test
    void aDifferentLearningRateOrBetaIsRefusedNamingBothValues() throws IOException {
        Checkpoint c = CheckpointFile.load(checkpoint(new Adam(0.002, 0.8, 0.99, 1e-7), "adam"), TestNets.SCALAR);
        Trainer other = trainer(new Adam(0.001, 0.9, 0.99, 1e-7), 4);
        String m = assertThrows(IllegalArgumentException.class, () -> other.restore(c.model().network(), c.state())).getMessage();
        assertTrue(m.contains("learning_rate: checkpoint 0.002, trainer 0.001"), m);
        assertTrue(m.contains("beta1: checkpoint 0.8, trainer 0.9"), m);
        assertTrue(m.contains("in 2 settings"), m);
        assertTrue(m.contains("RestoreOptions.allowChangedOptimizerSettings()"), m);
        assertEquals(0, other.epochsCompleted(), "nothing restored");

        Checkpoint m2 = CheckpointFile.load(checkpoint(new Momentum(0.03, 0.85), "momentum"), TestNets.SCALAR);
        String mm = assertThrows(IllegalArgumentException.class,
                () -> trainer(new Momentum(0.03, 0.9), 4).restore(m2.model().network(), m2.state())).getMessage();
        assertTrue(mm.contains("momentum: checkpoint 0.85, trainer 0.9"), mm);
    }

    @Test
    void theOptInContinuesWithTheTrainersSettings() throws IOException {
        Checkpoint c = CheckpointFile.load(checkpoint(new Adam(0.002), "adam"), TestNets.SCALAR);
        Adam lower = new Adam(0.0005);
        Trainer t = trainer(lower, 4);
        t.restore(c.model().network(), c.state(), RestoreOptions.allowChangedOptimizerSettings());
        assertEquals(6, lower.steps(), "the step counter is the checkpoint's (2 epochs of 3 batches)");
        var h = t.fit(c.model().network(), TestNets.regressionData(ROWS));
        assertEquals(3, h.firstEpoch());
        assertEquals(0.0005f, (float) h.epochs().get(0).learningRate(), 0f, "the trainer's rate applies");
        assertEquals(0.0005f, lower.settings().learningRate());
    }

    /** The checkpoint as the code before 2026-11-30 wrote it: the optimizer object without "settings". */
    private static byte[] oldLayout(byte[] file) {
        return ModelBytes.parse(file).withTree(t -> {
            ObjectNode o = (ObjectNode) t.get("checkpoint").get("optimizer");
            assertNotNull(o.remove("settings"));
            assertEquals(Set.of("name", "step", "sized", "slots"), new TreeSet<>(iterable(o)), "the old fields exactly");
        });
    }

    private static Set<String> iterable(ObjectNode o) {
        Set<String> s = new TreeSet<>();
        o.fieldNames().forEachRemaining(s::add);
        return s;
    }

    @Test
    void anOldFormatCheckpointStillLoadsAndResumes() throws IOException {
        Network straight = TestNets.regressionNet();
        trainer(new Momentum(0.03, 0.85), 4).fit(straight, TestNets.regressionData(ROWS));

        byte[] old = oldLayout(Files.readAllBytes(checkpoint(new Momentum(0.03, 0.85), "momentum")));
        Path f = dir.resolve("old.ckpt");
        Files.write(f, old);
        Checkpoint c = CheckpointFile.load(f, TestNets.SCALAR);
        assertNull(c.optimizerSettings(), "no settings recorded, so none to compare");
        assertEquals("momentum", c.state().optimizer().optimizer());
        Trainer t = trainer(new Momentum(0.03, 0.85), 4);
        t.restore(c.model().network(), c.state());
        t.fit(c.model().network(), TestNets.regressionData(ROWS));
        assertEquals(ParameterSnapshot.of(straight).hash(), ParameterSnapshot.of(c.model().network()).hash(),
                "resumes exactly with the same settings");

        // and, with nothing to compare, another rate is restored as before
        Checkpoint again = CheckpointFile.fromBytes(old, "old", TestNets.SCALAR, ModelFile.Limits.DEFAULT);
        trainer(new Momentum(0.01, 0.85), 4).restore(again.model().network(), again.state());
        // a model load of it works too
        assertNotNull(ModelFile.load(f, TestNets.SCALAR).network());
    }

    @Test
    void aCheckpointWithSettingsLoadsAsAModel() throws IOException {
        assertNotNull(ModelFile.load(checkpoint(new AdamW(0.001, 0.01), "adamw"), TestNets.SCALAR).network());
    }

    @Test
    void malformedSettingsAreRefusedAtTheirPath() throws IOException {
        byte[] file = Files.readAllBytes(checkpoint(new Adam(0.002), "adam"));
        byte[] noRate = ModelBytes.parse(file).withTree(t -> ((ObjectNode) t.get("checkpoint").get("optimizer").get("settings")
                .get("values")).remove("learning_rate"));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> CheckpointFile.fromBytes(noRate, "f", TestNets.SCALAR, ModelFile.Limits.DEFAULT));
        assertTrue(e.getMessage().contains("$.checkpoint.optimizer.settings") && e.getMessage().contains("learning_rate"),
                e.getMessage());
        byte[] text = ModelBytes.parse(file).withTree(t -> ((ObjectNode) t.get("checkpoint").get("optimizer").get("settings")
                .get("values")).put("beta1", "0.9"));
        e = assertThrows(ModelFormatException.class, () -> CheckpointFile.fromBytes(text, "f", TestNets.SCALAR, ModelFile.Limits.DEFAULT));
        assertTrue(e.getMessage().contains("$.checkpoint.optimizer.settings.values.beta1"), e.getMessage());
        byte[] extra = ModelBytes.parse(file).withTree(t -> ((ObjectNode) t.get("checkpoint").get("optimizer").get("settings"))
                .put("nesterov", true));
        e = assertThrows(ModelFormatException.class, () -> CheckpointFile.fromBytes(extra, "f", TestNets.SCALAR, ModelFile.Limits.DEFAULT));
        assertTrue(e.getMessage().contains("unknown field \"nesterov\""), e.getMessage());
    }

    /** A checkpoint holds at most CheckpointSection.MAX_SETTINGS settings: exactly that many load, one more is refused. */
    @Test
    void exactlyMaxSettingsLoadAndOneMoreIsRefused() throws IOException {
        byte[] file = Files.readAllBytes(checkpoint(new Adam(0.002), "adam"));
        for (int count : new int[] {CheckpointSection.MAX_SETTINGS, CheckpointSection.MAX_SETTINGS + 1}) {
            byte[] many = ModelBytes.parse(file).withTree(t -> {
                ObjectNode values = (ObjectNode) t.get("checkpoint").get("optimizer").get("settings").get("values");
                for (int k = 0; values.size() < count; k++) {
                    values.put("extra_" + k, 0.5f);
                }
            });
            if (count == CheckpointSection.MAX_SETTINGS) {
                Checkpoint c = CheckpointFile.fromBytes(many, "f", TestNets.SCALAR, ModelFile.Limits.DEFAULT);
                assertEquals(count, c.optimizerSettings().values().size());
                assertEquals(0.002f, c.optimizerSettings().learningRate());
            } else {
                ModelFormatException e = assertThrows(ModelFormatException.class,
                        () -> CheckpointFile.fromBytes(many, "f", TestNets.SCALAR, ModelFile.Limits.DEFAULT));
                assertEquals("f: at $.checkpoint.optimizer.settings.values: expected at most " + CheckpointSection.MAX_SETTINGS
                        + " settings, got " + count, e.getMessage());
            }
        }
    }

    /** The checkpoint section and its optimizer object are checked for unknown fields, as the model's objects are. */
    @Test
    void anUnknownFieldInTheCheckpointOrItsOptimizerIsRefused() throws IOException {
        byte[] file = Files.readAllBytes(checkpoint(new Adam(0.002), "adam"));
        for (String path : List.of("$.checkpoint", "$.checkpoint.optimizer")) {
            byte[] extra = ModelBytes.parse(file).withTree(t -> {
                ObjectNode c = (ObjectNode) t.get("checkpoint");
                (path.endsWith("optimizer") ? (ObjectNode) c.get("optimizer") : c).put("zz_unknown", 1);
            });
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> CheckpointFile.fromBytes(extra, "f", TestNets.SCALAR, ModelFile.Limits.DEFAULT));
            assertTrue(e.getMessage().startsWith("f: at " + path + ": unknown field \"zz_unknown\"; expected only ["),
                    e.getMessage());
        }
    }
}
