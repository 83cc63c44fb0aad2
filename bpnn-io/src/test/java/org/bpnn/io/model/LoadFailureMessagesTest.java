package org.bpnn.io.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.optim.OptimizerState;
import org.bpnn.train.TrainingState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refusals a user actually meets when loading a model or checkpoint file: each names the file,
 * says what was expected and found, and what to do. Until 2026-11-30 an empty file read "not a bpnn
 * model file: 0 bytes that do not start with the magic" (a file of another kind, it seemed), a file
 * cut within the magic was "not a bpnn model file" too, a truncation said nothing of its likely
 * cause or remedy, another library's model was a magic and a hex dump, and a missing or unreadable
 * file was its path alone.
 */
class LoadFailureMessagesTest {
    @TempDir
    Path dir;

    private byte[] model;
    private byte[] checkpoint;

    @BeforeEach
    void files() throws IOException {
        model = ModelFile.toBytes(SavedModel.of(TestNets.small()));
        Network net = TestNets.small();
        float[][] values = ParameterSnapshot.of(net).values();
        int[] sizes = new int[values.length];
        float[][] slots = new float[values.length][];
        Random r = new Random(3);
        for (int i = 0; i < values.length; i++) {
            sizes[i] = values[i].length;
            slots[i] = new float[sizes[i]];
            for (int k = 0; k < sizes[i]; k++) slots[i][k] = (float) r.nextGaussian();
        }
        TrainingState state = new TrainingState(2, 42, new long[0], new OptimizerState("momentum", 20, sizes, slots), values,
                0.5, 1, 1, null);
        checkpoint = CheckpointFile.toBytes(new Checkpoint(SavedModel.of(net), state));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    /** The message of loading {@code f} as a model, checked to name the file. */
    private String modelRefusal(Path f) {
        String m = assertThrows(ModelFormatException.class, () -> ModelFile.load(f, TestNets.SCALAR)).getMessage();
        assertTrue(m.startsWith(f + ": at byte "), m);
        return m;
    }

    /**
     * The message of loading {@code f} as a model and as a checkpoint (the same: a model file's data is
     * refused by CheckpointFile.load as not a checkpoint, before its data is read), checked to name the file.
     */
    private String refusal(Path f) {
        String m = modelRefusal(f);
        String c = assertThrows(ModelFormatException.class, () -> CheckpointFile.load(f, TestNets.SCALAR)).getMessage();
        assertEquals(m, c);
        return m;
    }

    /**
     * The message of loading {@code f}, a file that is not a bpnn file (or an empty one), as a model,
     * checked to name the file; loaded as a checkpoint, the message is the same but for naming a
     * checkpoint where it names a model (until 2026-11-30 it named a model, and told a checkpoint load
     * to "pass a model file", which it refuses).
     */
    private String kindRefusal(Path f) {
        String m = modelRefusal(f);
        String c = assertThrows(ModelFormatException.class, () -> CheckpointFile.load(f, TestNets.SCALAR)).getMessage();
        String asCheckpoint = m.replace("not a bpnn model file", "not a bpnn checkpoint file")
                .replace("expected a bpnn model file", "expected a bpnn checkpoint file")
                .replace("holds a bpnn model file", "holds a bpnn checkpoint file")
                .replace("given as the model?", "given as the checkpoint?")
                .replace("save the model again", "save the checkpoint again")
                .replace("pass a model file saved by bpnn (ModelFile.save, or a checkpoint from CheckpointFile.save)",
                        "pass a checkpoint file saved by bpnn (CheckpointFile.save or CheckpointFile.everyEpoch)");
        assertEquals(asCheckpoint, c);
        return m;
    }

    private static void has(String message, String... fragments) {
        for (String p : fragments) {
            assertTrue(message.contains(p), () -> "lacks \"" + p + "\": " + message);
        }
    }

    @Test
    void anEmptyFileIsCalledEmptyWithItsLikelyCauseAndTheRemedy() throws IOException {
        Path f = write("empty.bpnn", new byte[0]);
        String m = kindRefusal(f);
        assertTrue(m.startsWith(f + ": at byte 0: the file is empty (0 bytes); expected a bpnn model file"), m);
        assertFalse(m.contains("not a bpnn model file"), m); // it may well be one, not yet written
        has(m, "still being copied", "created empty", "wait for the copy to finish", "save the model again");
    }

    @Test
    void aFileCutWithinTheMagicIsTruncatedNotAFileOfAnotherKind() throws IOException {
        for (int cut = 1; cut < 8; cut++) {
            String m = refusal(write("cut" + cut + ".bpnn", Arrays.copyOf(model, cut)));
            has(m, "at byte " + cut + ": truncated: the file has " + cut + " bytes, but the preamble alone is 20");
            assertFalse(m.contains("not a bpnn model file"), m);
        }
    }

    @Test
    void aTruncationAtEverySectionSaysTheLikelyCauseAndTheRemedy() throws IOException {
        int dataStart = 20 + ModelBytes.parse(model).header.length;
        int[] cuts = {8, 13, 19, 20, 100, dataStart - 1, dataStart, dataStart + 5, model.length - 1};
        for (int cut : cuts) {
            Path f = write("model.bpnn", Arrays.copyOf(model, cut));
            String m = cut < dataStart ? refusal(f) : modelRefusal(f);
            has(m, "at byte " + cut + ": truncated", "the file is incomplete: it is still being copied, or its copy or"
                    + " download was cut short", "wait for the copy to finish, or copy the file again");
        }
        // a checkpoint cut in its optimiser state or at its last byte: the same, as a checkpoint and as a model
        for (int cut : new int[] {checkpoint.length - 100, checkpoint.length - 1}) {
            String m = refusal(write("checkpoint.bpnn", Arrays.copyOf(checkpoint, cut)));
            has(m, "at byte " + cut + ": truncated: the data section needs", "the file is incomplete");
        }
    }

    @Test
    void aFileThatShrinksWhileLoadingSaysWhatToDo() throws IOException {
        // the length was taken when the file was opened; the bytes end before it
        ModelReader r = new ModelReader("m.bpnn", Channels.newChannel(new java.io.ByteArrayInputStream(Arrays.copyOf(model, 10))),
                model.length, TestNets.SCALAR, ModelFile.Limits.DEFAULT);
        String m = assertThrows(ModelFormatException.class, () -> r.read(null)).getMessage();
        has(m, "m.bpnn: at byte 10: truncated: the file ended at byte 10, 10 bytes short: it shrank while loading",
                "wait for the copy to finish and load it again");
    }

    @Test
    void filesOfOtherKindsAreNamedWithWhatToDo() throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("model.bpnn"));
            z.write(model);
            z.closeEntry();
        }
        has(kindRefusal(write("model.zip", zip.toByteArray())), "not a bpnn model file: expected the magic 89 42 50 4E 0D 0A 1A 0A,"
                + " found 50 4B 03 04", "a ZIP archive (as PyTorch .pt/.pth and Keras .keras models are)", "extract it");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write(model);
        }
        has(kindRefusal(write("model.bpnn.gz", gz.toByteArray())), "found 1F 8B", "gzip-compressed", "decompress it (gunzip)");
        byte[] h5 = new byte[96];
        System.arraycopy(new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1A, '\n'}, 0, h5, 0, 8);
        has(kindRefusal(write("model.h5", h5)), "found 89 48 44 46", "an HDF5 file (as Keras .h5 models are)",
                "bpnn loads only its own model files (saved by ModelFile.save or CheckpointFile.save)");
        byte[] pickle = Arrays.copyOf(new byte[] {(byte) 0x80, 2, 'c', 't', 'o', 'r', 'c', 'h'}, 64);
        has(kindRefusal(write("model.pt", pickle)), "a Python pickle (as older PyTorch .pt/.pth models are)");
        has(kindRefusal(write("model.json", "{\n  \"format\": \"keras\", \"layers\": []\n}\n".getBytes())), "found 7B 0A",
                "it is JSON text; a bpnn model file is binary", "pass a model file saved by bpnn");
        has(kindRefusal(write("data.csv", "x1,x2,y\n1,2,3\n4,5,6\n".getBytes())), "it starts like text (a CSV or other data file"
                + " given as the model?)", "pass a model file saved by bpnn");
        has(kindRefusal(write("zeros.bpnn", new byte[model.length])), "found 00 00 00 00 00 00 00 00: it starts with zero bytes only",
                "copy or save the model again");
        // a text-mode transfer (CR LF -> LF), which the magic is designed to catch
        byte[] lf = new byte[model.length - 1];
        System.arraycopy(model, 0, lf, 0, 4);
        System.arraycopy(model, 5, lf, 4, lf.length - 4);
        has(kindRefusal(write("ftp.bpnn", lf)), "found 89 42 50 4E 0A 1A 0A", "its magic was altered in transfer",
                "copy the file again in binary mode");
        // unrecognised: the remedy still
        has(kindRefusal(write("model.onnx", Arrays.copyOf(new byte[] {8, 7, 0x12, 4}, 64))), "found 08 07 12 04",
                "; pass a model file saved by bpnn (ModelFile.save, or a checkpoint from CheckpointFile.save)");
        has(kindRefusal(write("short.bin", new byte[] {8, 7, 0x12})), "not a bpnn model file: 3 bytes that do not start with the"
                + " magic 89 42 50 4E 0D 0A 1A 0A; pass a model file saved by bpnn");
    }

    @Test
    void aDamagedFileSaysWhatToDo() throws IOException {
        byte[] data = model.clone();
        data[data.length - 3] ^= 1;
        has(modelRefusal(write("data.bpnn", data)), "weight checksum mismatch", "the data section is corrupt; copy the file again"
                + " from where it came from, or save the model again");
        byte[] state = checkpoint.clone();
        state[state.length - 3] ^= 1;
        has(refusal(write("state.bpnn", state)), "weight checksum mismatch", "the data section is corrupt; copy the file again");
        byte[] header = model.clone();
        header[40] ^= 1;
        has(refusal(write("header.bpnn", header)), "header checksum mismatch", "corrupt or was edited; copy the file again");
        byte[] v0 = model.clone();
        java.nio.ByteBuffer.wrap(v0).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(8, 0);
        has(refusal(write("v0.bpnn", v0)), "at byte 8: unknown format version 0; expected 1; the file was not written by bpnn,"
                + " or is damaged");
    }

    @Test
    void aModelGivenAsACheckpointSaysWhatACheckpointIs() throws IOException {
        Path f = write("model.bpnn", model);
        String m = assertThrows(ModelFormatException.class, () -> CheckpointFile.load(f, TestNets.SCALAR)).getMessage();
        assertEquals(f + ": at $: missing field \"checkpoint\": this is a model file, not a checkpoint; load it with"
                + " ModelFile.load to predict; to resume training (Trainer.restore), pass a checkpoint, which also holds the"
                + " training state (written by CheckpointFile.save or CheckpointFile.everyEpoch)", m);
        ModelFile.load(write("checkpoint.bpnn", checkpoint), TestNets.SCALAR); // the other way round loads (the model part)
    }

    @Test
    void aMissingFileSaysSoAndWhatWasExpected() {
        Path f = dir.resolve("nope.bpnn");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> ModelFile.load(f, TestNets.SCALAR));
        assertEquals(f + ": no such file; expected a bpnn model file; check the path", e.getMessage());
        NoSuchFileException c = assertThrows(NoSuchFileException.class, () -> CheckpointFile.load(f, TestNets.SCALAR));
        assertEquals(f + ": no such file; expected a bpnn checkpoint file; check the path", c.getMessage());
        Path g = dir.resolve("runs").resolve("model.bpnn");
        assertEquals(g + ": no such file (directory " + g.getParent() + " does not exist); expected a bpnn model file; check"
                + " the path", assertThrows(NoSuchFileException.class, () -> ModelFile.load(g, TestNets.SCALAR)).getMessage());
        Path relative = Path.of("no-such-dir-" + System.nanoTime(), "m.bpnn");
        assertTrue(assertThrows(NoSuchFileException.class, () -> ModelFile.load(relative, TestNets.SCALAR)).getMessage()
                .contains("(directory " + relative.toAbsolutePath().getParent() + " does not exist)"));
        Path here = Path.of("no-such-model-" + System.nanoTime() + ".bpnn");
        assertEquals(here + ": no such file (a relative path, resolved against " + Path.of("").toAbsolutePath() + "); expected"
                + " a bpnn model file; check the path", assertThrows(NoSuchFileException.class,
                () -> ModelFile.load(here, TestNets.SCALAR)).getMessage());
    }

    /** Skipped when run as root (who may read any file): the check was run as nobody by hand. */
    @Test
    void anUnreadableFileSaysWhatToDo() throws IOException {
        Path f = write("private.bpnn", model);
        assumeFalse(!f.toFile().setReadable(false, false) || Files.isReadable(f), "this user can read any file (root?)");
        AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> ModelFile.load(f, TestNets.SCALAR));
        assertEquals(f + ": permission denied: user " + System.getProperty("user.name") + " may not read the model file; check"
                + " its owner and permissions (ls -l) and those of its directories", e.getMessage());
    }

    @Test
    void aDirectorySaysWhichModelFilesItHolds() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertEquals(empty + " is a directory; expected a .bpnn model file; pass the path of a model file, not of a directory",
                assertThrows(IOException.class, () -> ModelFile.load(empty, TestNets.SCALAR)).getMessage());
        Path run = Files.createDirectory(dir.resolve("run"));
        for (String n : new String[] {"z.bpnn", "model.bpnn", "a.bpnn", "b.bpnn", "notes.txt"}) {
            Files.write(run.resolve(n), model);
        }
        Files.createDirectory(run.resolve("old.bpnn"));
        assertEquals(run + " is a directory; expected a .bpnn model file; pass a model file in it, such as " + run.resolve("a.bpnn")
                + ", " + run.resolve("b.bpnn") + ", " + run.resolve("model.bpnn"),
                assertThrows(IOException.class, () -> ModelFile.load(run, TestNets.SCALAR)).getMessage());
        // a checkpoint load is offered checkpoint files (it was offered these model files, which it refuses)
        assertEquals(run + " is a directory; expected a .ckpt checkpoint file; pass the path of a checkpoint file, not of a"
                + " directory", assertThrows(IOException.class, () -> CheckpointFile.load(run, TestNets.SCALAR)).getMessage());
    }
}
