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
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Momentum;
import org.bpnn.tensor.Tensor;
import org.bpnn.train.BatchSettings;
import org.bpnn.train.RestoreOptions;
import org.bpnn.train.Trainer;
import org.bpnn.train.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint records the trainer's batch settings (optional field {@code checkpoint.batching},
 * added within format version 1): they read back, a restore into a trainer of another batch size is
 * refused unless allowed, and a file without them (the layout written before) still loads and resumes,
 * unchecked, as before.
 */
class CheckpointBatchSettingsTest {
    @TempDir
    Path dir;

    private static Network net() {
        return Network.builder(2).dense(4, Activation.tanh()).dense(1, Activation.identity()).loss(Loss.mse()).seed(5)
                .backend(TestNets.SCALAR).build();
    }

    private static Dataset data() {
        Tensor x = TestNets.inputs(26, 2, 3);
        Tensor y = Tensor.zeros(26, 1);
        for (int i = 0; i < 26; i++) y.set(i, 0, x.get(i, 0) - 0.5f * x.get(i, 1));
        return new Dataset(x, y);
    }

    /** A momentum trainer of {@code epochs} epochs, batches of 8 from seed 4, changed by {@code how}. */
    private static Trainer trainer(int epochs, UnaryOperator<Trainer.Builder> how) {
        return how.apply(Trainer.builder().optimizer(new Momentum(0.03, 0.85)).epochs(epochs).batchSize(8).shuffle(4)).build();
    }

    /** Trains 2 epochs with {@code trainer(2, how)} and saves the checkpoint; returns the file. */
    private Path checkpoint(UnaryOperator<Trainer.Builder> how) throws IOException {
        Network n = net();
        Trainer t = trainer(2, how);
        t.fit(n, data());
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
        assertEquals("{\"batch_size\":6,\"drop_last_partial_batch\":true,\"shuffle\":false}", batching.toString());
        Checkpoint c = CheckpointFile.load(f, TestNets.SCALAR);
        assertEquals(new BatchSettings(6, true, false), c.batchSettings());
        assertEquals(c.batchSettings(), c.state().batchSettings());

        assertEquals(new BatchSettings(8, false, true), CheckpointFile.load(checkpoint(b -> b), TestNets.SCALAR).batchSettings());
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
        assertEquals(3, other.fit(c.model().network(), data()).firstEpoch());
    }

    @Test
    void theSameSettingsResumeFromTheFileToTheUninterruptedRun() throws IOException {
        UnaryOperator<Trainer.Builder> how = b -> b.batchSize(5).dropLastPartialBatch();
        Network straight = net();
        trainer(4, how).fit(straight, data());

        Checkpoint c = CheckpointFile.load(checkpoint(how), TestNets.SCALAR);
        Trainer resumed = trainer(4, how);
        resumed.restore(c.model().network(), c.state());
        resumed.fit(c.model().network(), data());
        assertEquals(ParameterSnapshot.of(straight).hash(), ParameterSnapshot.of(c.model().network()).hash());
    }

    @Test
    void anOldFormatCheckpointStillLoadsAndResumesUnchecked() throws IOException {
        Network straight = net();
        trainer(4, b -> b).fit(straight, data());

        byte[] old = oldLayout(checkpoint(b -> b));
        Checkpoint c = load(old);
        assertNull(c.batchSettings(), "no batch settings recorded, so none to compare");
        assertNotNull(c.optimizerSettings(), "the rest of the state as before");
        Trainer t = trainer(4, b -> b);
        t.restore(c.model().network(), c.state());
        t.fit(c.model().network(), data());
        assertEquals(ParameterSnapshot.of(straight).hash(), ParameterSnapshot.of(c.model().network()).hash(),
                "resumes exactly with the same batch settings");

        // with nothing to compare, another batch size is restored as before (and trains to other weights)
        Checkpoint again = load(old);
        Trainer other = trainer(4, b -> b.batchSize(13));
        other.restore(again.model().network(), again.state());
        other.fit(again.model().network(), data());
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

    /** The message up to the remark on files not written by bpnn, which the reader adds to a range error. */
    private static String firstSentence(ModelFormatException e) {
        String m = e.getMessage();
        int end = m.indexOf(';');
        return end < 0 ? m : m.substring(0, end);
    }
}
