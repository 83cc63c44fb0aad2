package org.bpnn.io.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.optim.Momentum;
import org.bpnn.train.BatchSettings;
import org.bpnn.train.RestoreOptions;
import org.bpnn.train.Trainer;
import org.bpnn.train.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint records the trainer's batch settings (optional field {@code checkpoint.batching},
 * added within format version 1), the validation split and its seed included: they read back, a
 * restore into a trainer of another batch size or another validation split is refused unless
 * allowed, and a file without them (the layout written before) still loads and resumes, unchecked,
 * as before.
 */
class CheckpointBatchSettingsTest {
    @TempDir
    Path dir;

    /** Rows of the data: batches of 8 (3 and one of 2) or of 5 (5 and one of 1) leave a partial one. */
    private static final int ROWS = 26;

    /** A momentum trainer of {@code epochs} epochs, batches of 8 from seed 4, changed by {@code how}. */
    private static Trainer trainer(int epochs, UnaryOperator<Trainer.Builder> how) {
        return how.apply(Trainer.builder().optimizer(new Momentum(0.03, 0.85)).epochs(epochs).batchSize(8).shuffle(4)).build();
    }

    /** Trains 2 epochs with {@code trainer(2, how)} and saves the checkpoint; returns the file. */
    private Path checkpoint(UnaryOperator<Trainer.Builder> how) throws IOException {
        Network n = TestNets.regressionNet();
        Trainer t = trainer(2, how);
        t.fit(n, TestNets.regressionData(ROWS));
        Path f = dir.resolve("run.ckpt");
        CheckpointFile.save(t, n, null, Map.of(), f);
        return f;
    }

    private static Checkpoint load(byte[] file) throws ModelFormatException {
        return CheckpointFile.fromBytes(file, "f", TestNets.SCALAR, ModelFile.Limits.DEFAULT);
    }

    private static byte[] edited(Path f, Consumer<ObjectNode> edit) throws IOException {
        return ModelBytes.parse(Files.readAllBytes(f)).withTree(t -> edit.accept((ObjectNode) t.get("checkpoint")));
    }

    /** The checkpoint as the code before 2026-12-01 wrote it: without "batching". */
    private static byte[] oldLayout(Path f) throws IOException {
        return edited(f, c -> assertNotNull(c.remove("batching")));
    }

    @Test
    void theBatchSettingsRoundTripThroughAFile() throws IOException {
        Path f = checkpoint(b -> b.batchSize(6).dropLastPartialBatch().noShuffle());
        JsonNode batching = ModelBytes.parse(Files.readAllBytes(f)).tree().get("checkpoint").get("batching");
        assertEquals("{\"batch_size\":6,\"drop_last_partial_batch\":true,\"shuffle\":false,\"validation_split\":0.0,"
                + "\"stratified_split\":false,\"split_seed\":null}", batching.toString());
        Checkpoint c = CheckpointFile.load(f, TestNets.SCALAR);
        assertEquals(new BatchSettings(6, true, false, 0, false, 0), c.batchSettings());
        assertEquals(c.batchSettings(), c.state().batchSettings());

        assertEquals(new BatchSettings(8, false, true, 0, false, 0), CheckpointFile.load(checkpoint(b -> b), TestNets.SCALAR)
                .batchSettings());
    }

    @Test
    void theValidationSplitAndItsSeedRoundTripThroughAFile() throws IOException {
        Path f = checkpoint(b -> b.validationSplit(0.3));
        JsonNode batching = ModelBytes.parse(Files.readAllBytes(f)).tree().get("checkpoint").get("batching");
        assertEquals("{\"batch_size\":8,\"drop_last_partial_batch\":false,\"shuffle\":true,\"validation_split\":0.3,"
                + "\"stratified_split\":false,\"split_seed\":4}", batching.toString());
        assertEquals(new BatchSettings(8, false, true, 0.3, false, 4), CheckpointFile.load(f, TestNets.SCALAR).batchSettings());

        // a stratified split, and seeds at the ends of the range (exact 64-bit integers), from a state saved as it is
        Checkpoint c = CheckpointFile.load(f, TestNets.SCALAR);
        for (BatchSettings b : new BatchSettings[] {new BatchSettings(8, true, false, 0.1, true, Long.MIN_VALUE),
                new BatchSettings(8, false, true, Math.nextDown(1.0), false, Long.MAX_VALUE)}) {
            Path g = dir.resolve("split.ckpt");
            CheckpointFile.save(new Checkpoint(c.model(), c.state().withBatchSettings(b)), g);
            assertEquals(b, CheckpointFile.load(g, TestNets.SCALAR).batchSettings());
        }
    }

    @Test
    void aLoadedCheckpointRefusesAnotherBatchSizeAndTheOptionAllowsIt() throws IOException {
        Checkpoint c = CheckpointFile.load(checkpoint(b -> b), TestNets.SCALAR);
        Trainer other = trainer(4, b -> b.batchSize(32));
        String m = assertThrows(IllegalArgumentException.class, () -> other.restore(c.model().network(), c.state())).getMessage();
        assertTrue(m.contains("(batch size: checkpoint 8, trainer 32)"), m);
        assertTrue(m.contains("with batchSize(8)") && m.contains("RestoreOptions.allowChangedBatchSettings()"), m);
        assertEquals(0, other.epochsCompleted(), "nothing restored");

        other.restore(c.model().network(), c.state(), RestoreOptions.allowChangedBatchSettings());
        assertEquals(3, other.fit(c.model().network(), TestNets.regressionData(ROWS)).firstEpoch());
    }

    @Test
    void theSameSettingsResumeFromTheFileToTheUninterruptedRun() throws IOException {
        for (UnaryOperator<Trainer.Builder> how : List.<UnaryOperator<Trainer.Builder>>of(
                b -> b.batchSize(5).dropLastPartialBatch(), b -> b.validationSplit(0.3))) {
            Network straight = TestNets.regressionNet();
            trainer(4, how).fit(straight, TestNets.regressionData(ROWS));

            Checkpoint c = CheckpointFile.load(checkpoint(how), TestNets.SCALAR);
            Trainer resumed = trainer(4, how);
            resumed.restore(c.model().network(), c.state());
            resumed.fit(c.model().network(), TestNets.regressionData(ROWS));
            assertEquals(ParameterSnapshot.of(straight).hash(), ParameterSnapshot.of(c.model().network()).hash());
        }
    }

    /**
     * From a file as from memory: another fraction, stratified flag or seed of a split is refused (the
     * next fit would train on rows the run held out for validation), another seed without a split is
     * not, and the allowance lets each through.
     */
    @Test
    void aLoadedCheckpointRefusesAnotherValidationSplitAndTheOptionAllowsIt() throws IOException {
        Path split = checkpoint(b -> b.validationSplit(0.3));
        Map<UnaryOperator<Trainer.Builder>, String> others = new java.util.LinkedHashMap<>();
        others.put(b -> b.validationSplit(0.5), "(validation split: checkpoint 0.3, trainer 0.5)");
        others.put(b -> b, "(validation split: checkpoint 0.3, trainer none)");
        others.put(b -> b.stratifiedValidationSplit(0.3), "(validation split: checkpoint 0.3, trainer 0.3 stratified)");
        others.put(b -> b.validationSplit(0.3).shuffle(5), "(validation split seed: checkpoint 4, trainer 5)");
        for (Map.Entry<UnaryOperator<Trainer.Builder>, String> o : others.entrySet()) {
            Checkpoint c = CheckpointFile.load(split, TestNets.SCALAR);
            Trainer other = trainer(4, o.getKey());
            String m = assertThrows(IllegalArgumentException.class, () -> other.restore(c.model().network(), c.state()))
                    .getMessage();
            assertTrue(m.contains(o.getValue()), m);
            assertTrue(m.contains("rows the run held out for validation would be trained on"), m);
            assertEquals(0, other.epochsCompleted(), "nothing restored");
            other.restore(c.model().network(), c.state(), RestoreOptions.allowChangedBatchSettings());
            assertEquals(2, other.epochsCompleted(), "allowed: " + o.getValue());
        }

        // without a split the seed is not compared, and the run resumes to the uninterrupted one
        Network straight = TestNets.regressionNet();
        trainer(4, b -> b).fit(straight, TestNets.regressionData(ROWS));
        Checkpoint c = CheckpointFile.load(checkpoint(b -> b), TestNets.SCALAR);
        Trainer reseeded = trainer(4, b -> b.shuffle(99));
        reseeded.restore(c.model().network(), c.state());
        reseeded.fit(c.model().network(), TestNets.regressionData(ROWS));
        assertEquals(ParameterSnapshot.of(straight).hash(), ParameterSnapshot.of(c.model().network()).hash());
    }

    @Test
    void anOldFormatCheckpointStillLoadsAndResumesUnchecked() throws IOException {
        Network straight = TestNets.regressionNet();
        trainer(4, b -> b).fit(straight, TestNets.regressionData(ROWS));

        byte[] old = oldLayout(checkpoint(b -> b));
        Checkpoint c = load(old);
        assertNull(c.batchSettings(), "no batch settings recorded, so none to compare");
        assertNotNull(c.optimizerSettings(), "the rest of the state as before");
        Trainer t = trainer(4, b -> b);
        t.restore(c.model().network(), c.state());
        t.fit(c.model().network(), TestNets.regressionData(ROWS));
        assertEquals(ParameterSnapshot.of(straight).hash(), ParameterSnapshot.of(c.model().network()).hash(),
                "resumes exactly with the same batch settings");

        // with nothing to compare, another batch size is restored as before (and trains to other weights)
        Checkpoint again = load(old);
        Trainer other = trainer(4, b -> b.batchSize(13));
        other.restore(again.model().network(), again.state());
        other.fit(again.model().network(), TestNets.regressionData(ROWS));
        assertNotEquals(ParameterSnapshot.of(straight).hash(), ParameterSnapshot.of(again.model().network()).hash());
        // a model load of it works too
        Path f = dir.resolve("old.ckpt");
        Files.write(f, old);
        assertNotNull(ModelFile.load(f, TestNets.SCALAR).network());
    }

    @Test
    void aStateWithoutBatchSettingsIsWrittenWithoutTheField() throws IOException {
        Checkpoint c = CheckpointFile.load(checkpoint(b -> b), TestNets.SCALAR);
        TrainingState bare = c.state().withBatchSettings(null);
        Path f = dir.resolve("bare.ckpt");
        CheckpointFile.save(new Checkpoint(c.model(), bare), f);
        assertFalse(ModelBytes.parse(Files.readAllBytes(f)).tree().get("checkpoint").has("batching"));
        assertNull(CheckpointFile.load(f, TestNets.SCALAR).batchSettings());
    }

    @Test
    void malformedBatchSettingsAreRefusedAtTheirPath() throws IOException {
        Path f = checkpoint(b -> b);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> load(edited(f, c -> ((ObjectNode) c.get("batching")).put("batch_size", 0))));
        assertEquals("f: at $.checkpoint.batching.batch_size: value 0 is out of range 1..2147483647", firstSentence(e));
        e = assertThrows(ModelFormatException.class, () -> load(edited(f, c -> ((ObjectNode) c.get("batching")).remove("shuffle"))));
        assertTrue(e.getMessage().contains("$.checkpoint.batching") && e.getMessage().contains("shuffle"), e.getMessage());
        e = assertThrows(ModelFormatException.class,
                () -> load(edited(f, c -> ((ObjectNode) c.get("batching")).put("drop_last_partial_batch", "no"))));
        assertTrue(e.getMessage().contains("$.checkpoint.batching.drop_last_partial_batch"), e.getMessage());
        e = assertThrows(ModelFormatException.class,
                () -> load(edited(f, c -> ((ObjectNode) c.get("batching")).put("seed", 4))));
        assertTrue(e.getMessage().contains("$.checkpoint.batching: unknown field \"seed\""), e.getMessage());
        e = assertThrows(ModelFormatException.class, () -> load(edited(f, c -> c.put("batching", 8))));
        assertTrue(e.getMessage().contains("$.checkpoint.batching"), e.getMessage());
    }

    /** The split's fields are required, and refused at their path when out of range or of another type. */
    @Test
    void malformedValidationSplitFieldsAreRefusedAtTheirPath() throws IOException {
        byte[] noneFile = Files.readAllBytes(checkpoint(b -> b)); // read before the next checkpoint replaces the file
        byte[] splitFile = Files.readAllBytes(checkpoint(b -> b.validationSplit(0.3)));
        for (String field : new String[] {"validation_split", "stratified_split", "split_seed"}) {
            for (byte[] file : new byte[][] {noneFile, splitFile}) {
                String m = assertThrows(ModelFormatException.class, () -> load(batching(file, b -> b.remove(field)))).getMessage();
                assertTrue(m.contains("at $.checkpoint.batching: missing field \"" + field + "\""), m);
            }
        }
        for (double v : new double[] {1, 1.5, -0.25}) {
            String m = assertThrows(ModelFormatException.class, () -> load(batching(splitFile, b -> b.put("validation_split", v))))
                    .getMessage();
            assertTrue(m.contains("at $.checkpoint.batching.validation_split: value " + v + " is out of range [0, 1);"
                    + " expected the fraction of the training rows held out for validation, 0 for none"), m);
        }
        String m = assertThrows(ModelFormatException.class, () -> load(batching(splitFile, b -> b.put("validation_split", "0.3"))))
                .getMessage();
        assertTrue(m.contains("at $.checkpoint.batching.validation_split: expected a number, got string"), m);
        m = assertThrows(ModelFormatException.class, () -> load(batching(splitFile, b -> b.put("stratified_split", 1)))).getMessage();
        assertTrue(m.contains("at $.checkpoint.batching.stratified_split: expected true or false"), m);
        m = assertThrows(ModelFormatException.class, () -> load(batching(noneFile, b -> b.put("stratified_split", true)))).getMessage();
        assertTrue(m.contains("at $.checkpoint.batching.stratified_split: true without a validation split (validation_split 0)"), m);
        // the seed: an integer with a split, null without one
        m = assertThrows(ModelFormatException.class, () -> load(batching(noneFile, b -> b.put("split_seed", 4)))).getMessage();
        assertTrue(m.contains("at $.checkpoint.batching.split_seed: expected null without a validation split (validation_split 0),"
                + " got 4"), m);
        m = assertThrows(ModelFormatException.class, () -> load(batching(splitFile, b -> b.putNull("split_seed")))).getMessage();
        assertTrue(m.contains("at $.checkpoint.batching.split_seed: expected a whole number, got null"), m);
        m = assertThrows(ModelFormatException.class, () -> load(batching(splitFile, b -> b.put("split_seed", 4.5)))).getMessage();
        assertTrue(m.contains("at $.checkpoint.batching.split_seed: expected a whole number, got 4.5"), m);
        m = assertThrows(ModelFormatException.class,
                () -> load(batching(splitFile, b -> b.put("split_seed", new java.math.BigInteger("9223372036854775808"))))).getMessage();
        assertTrue(m.contains("at $.checkpoint.batching.split_seed: number 9223372036854775808 is out of range"), m);
        // and both as written load
        assertEquals(new BatchSettings(8, false, true, 0.3, false, 4), load(splitFile).batchSettings());
        assertEquals(new BatchSettings(8, false, true, 0, false, 0), load(noneFile).batchSettings());
    }

    /** {@code file} with its checkpoint.batching object changed by {@code edit}. */
    private static byte[] batching(byte[] file, Consumer<ObjectNode> edit) throws IOException {
        return ModelBytes.parse(file).withTree(t -> edit.accept((ObjectNode) t.get("checkpoint").get("batching")));
    }

    /** The message up to the remark on files not written by bpnn, which the reader adds to a range error. */
    private static String firstSentence(ModelFormatException e) {
        String m = e.getMessage();
        int end = m.indexOf(';');
        return end < 0 ? m : m.substring(0, end);
    }
}
