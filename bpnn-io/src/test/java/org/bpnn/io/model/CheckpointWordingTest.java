package org.bpnn.io.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.OptimizerState;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.bpnn.train.Trainer;
import org.bpnn.train.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refusals of {@link CheckpointFile} name a checkpoint, not a model: they shared ModelFile's checks
 * and wording, so a checkpoint saved to a directory was offered ".../model.bpnn", and a file that is no
 * bpnn file at all, given to CheckpointFile.load, was "not a bpnn model file" with the remedy "pass a
 * model file", which that load refuses. ModelFile's own wording is unchanged (checked alongside).
 */
class CheckpointWordingTest {
    @TempDir
    Path dir;

    private static Checkpoint checkpoint() {
        Network net = TestNets.small();
        float[][] values = ParameterSnapshot.of(net).values();
        int[] sizes = new int[values.length];
        for (int i = 0; i < values.length; i++) sizes[i] = values[i].length;
        TrainingState state = new TrainingState(1, 7, new long[0], new OptimizerState("sgd", 3, sizes, new float[0][]), values,
                0.5, 1, 0, null);
        return new Checkpoint(SavedModel.of(net), state);
    }

    @Test
    void aCheckpointSavedToADirectoryIsOfferedACheckpointFileName() throws IOException {
        Path target = Files.createDirectory(dir.resolve("runs"));
        FileSystemException e = assertThrows(FileSystemException.class, () -> CheckpointFile.save(checkpoint(), target));
        assertEquals(target + ": is a directory; expected a checkpoint file path such as " + target.resolve("run.ckpt"),
                e.getMessage());
        assertTrue(Files.isDirectory(target));
        // a model's is unchanged
        FileSystemException m = assertThrows(FileSystemException.class, () -> ModelFile.save(TestNets.small(), target));
        assertEquals(target + ": is a directory; expected a model file path such as " + target.resolve("model.bpnn"),
                m.getMessage());
    }

    @Test
    void aCheckpointWithNoFileNameOrAPathOfNullIsToldToPassACheckpointFile() {
        IllegalArgumentException root = assertThrows(IllegalArgumentException.class,
                () -> CheckpointFile.save(checkpoint(), Path.of("/")));
        assertEquals("cannot save a checkpoint to \"/\": it names no file; pass a file path such as " + Path.of("/run.ckpt"),
                root.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> CheckpointFile.save(checkpoint(), null));
        assertEquals("path is null; pass the checkpoint file to write, e.g. Path.of(\"run.ckpt\")", none.getMessage());
        assertEquals("path is null; pass the model file to write, e.g. Path.of(\"model.bpnn\")",
                assertThrows(IllegalArgumentException.class, () -> ModelFile.save(TestNets.small(), null)).getMessage());
    }

    @Test
    void everyEpochToADirectoryIsOfferedACheckpointFileNameBeforeTheFirstEpoch() throws IOException {
        Path target = Files.createDirectory(dir.resolve("checkpoints"));
        Network net = Network.builder(2).dense(3, Activation.tanh()).dense(1, Activation.identity()).loss(Loss.mse()).seed(1)
                .backend(TestNets.SCALAR).build();
        Dataset data = new Dataset(Tensor.zeros(4, 2), Tensor.zeros(4, 1));
        Trainer trainer = Trainer.builder().optimizer(new Sgd(0.01)).epochs(1).batchSize(4)
                .listener(CheckpointFile.everyEpoch(target, null)).build();
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> trainer.fit(net, data));
        assertTrue(e.getMessage().endsWith("is a directory; expected a checkpoint file path such as "
                + target.resolve("run.ckpt")), e.getMessage());
    }
}
