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
import org.bpnn.nn.NamedPipes;
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

    /** A file of another kind (text), of under and of over the preamble's 20 bytes, and an unrecognised one. */
    @Test
    void aFileThatIsNoBpnnFileIsNotACheckpointToCheckpointFileLoad() throws IOException {
        Path csv = Files.writeString(dir.resolve("data.csv"), "x1,x2,y\n1,2,3\n4,5,6\n");
        String c = assertThrows(ModelFormatException.class, () -> CheckpointFile.load(csv, TestNets.SCALAR)).getMessage();
        assertEquals(csv + ": at byte 0: not a bpnn checkpoint file: expected the magic 89 42 50 4E 0D 0A 1A 0A, found"
                + " 78 31 2C 78 32 2C 79 0A: it starts like text (a CSV or other data file given as the checkpoint?); pass a"
                + " checkpoint file saved by bpnn (CheckpointFile.save or CheckpointFile.everyEpoch)", c);
        // ModelFile.load's: a model file expected, and a model or a checkpoint to pass (it loads either)
        String m = assertThrows(ModelFormatException.class, () -> ModelFile.load(csv, TestNets.SCALAR)).getMessage();
        assertEquals(csv + ": at byte 0: not a bpnn model file: expected the magic 89 42 50 4E 0D 0A 1A 0A, found"
                + " 78 31 2C 78 32 2C 79 0A: it starts like text (a CSV or other data file given as the model?); pass a"
                + " model file saved by bpnn (ModelFile.save, or a checkpoint from CheckpointFile.save)", m);

        byte[] three = {8, 7, 0x12};
        assertEquals("s: at byte 0: not a bpnn checkpoint file: 3 bytes that do not start with the magic"
                + " 89 42 50 4E 0D 0A 1A 0A; pass a checkpoint file saved by bpnn (CheckpointFile.save or"
                + " CheckpointFile.everyEpoch)", assertThrows(ModelFormatException.class,
                () -> CheckpointFile.fromBytes(three, "s", TestNets.SCALAR, ModelFile.Limits.DEFAULT)).getMessage());
        byte[] gz = java.util.Arrays.copyOf(new byte[] {0x1F, (byte) 0x8B, 8, 0}, 64);
        String g = assertThrows(ModelFormatException.class,
                () -> CheckpointFile.fromBytes(gz, "g", TestNets.SCALAR, ModelFile.Limits.DEFAULT)).getMessage();
        assertTrue(g.endsWith("it is gzip-compressed; if it holds a bpnn checkpoint file, decompress it (gunzip) and pass"
                + " that"), g);
        assertFalse(c.contains("model file") || g.contains("model file"), c + "\n" + g);
    }

    @Test
    void anEmptyFileGivenToCheckpointFileLoadExpectedACheckpoint() throws IOException {
        Path empty = Files.write(dir.resolve("run.ckpt"), new byte[0]);
        String c = assertThrows(ModelFormatException.class, () -> CheckpointFile.load(empty, TestNets.SCALAR)).getMessage();
        assertTrue(c.startsWith(empty + ": at byte 0: the file is empty (0 bytes); expected a bpnn checkpoint file, which"
                + " starts with the magic"), c);
        assertTrue(c.endsWith("wait for the copy to finish, copy it again, or save the checkpoint again (a bpnn save never"
                + " leaves an empty file: it writes a temporary file and renames it)"), c);
        String m = assertThrows(ModelFormatException.class, () -> ModelFile.load(empty, TestNets.SCALAR)).getMessage();
        assertTrue(m.startsWith(empty + ": at byte 0: the file is empty (0 bytes); expected a bpnn model file"), m);
        assertTrue(m.contains("or save the model again"), m);
    }

    @Test
    void aDirectoryOrANullPathGivenToCheckpointFileLoadIsToldToPassACheckpoint() throws IOException {
        Path run = Files.createDirectory(dir.resolve("run"));
        assertEquals(run + " is a directory; expected a .ckpt checkpoint file; pass the path of a checkpoint file, not of a"
                + " directory", assertThrows(IOException.class, () -> CheckpointFile.load(run, TestNets.SCALAR)).getMessage());
        Files.writeString(run.resolve("model.bpnn"), "x");
        Files.writeString(run.resolve("epoch-2.ckpt"), "x");
        Files.writeString(run.resolve("epoch-1.ckpt"), "x");
        assertEquals(run + " is a directory; expected a .ckpt checkpoint file; pass a checkpoint file in it, such as "
                + run.resolve("epoch-1.ckpt") + ", " + run.resolve("epoch-2.ckpt"),
                assertThrows(IOException.class, () -> CheckpointFile.load(run, TestNets.SCALAR)).getMessage());
        assertEquals(run + " is a directory; expected a .bpnn model file; pass a model file in it, such as "
                + run.resolve("model.bpnn"), assertThrows(IOException.class, () -> ModelFile.load(run, TestNets.SCALAR)).getMessage());
        assertEquals("path is null; pass the checkpoint file to load, e.g. Path.of(\"run.ckpt\")",
                assertThrows(IllegalArgumentException.class, () -> CheckpointFile.load(null, TestNets.SCALAR)).getMessage());
    }

    /** Refused before it is opened, so no writer is needed (an open would block until one came). */
    @Test
    void aPipeGivenToCheckpointFileLoadIsNotARegularCheckpointFile() throws Exception {
        Path fifo = NamedPipes.makeOrSkip(dir.resolve("run.fifo"));
        assertEquals(fifo + " is not a regular file (a pipe or a device?): a checkpoint file is checked against its length"
                + " before it is read; copy it to a file, or read its bytes and load them with fromBytes",
                assertThrows(IOException.class, () -> CheckpointFile.load(fifo, TestNets.SCALAR)).getMessage());
    }
}
