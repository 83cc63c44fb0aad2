package org.bpnn.io.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bpnn.backend.Backend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Layer;
import org.bpnn.nn.Network;
import org.bpnn.nn.Parameter;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A failed save never leaves a partial file under the target name, nor a temporary file. */
class AtomicSaveTest {
    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"header", "data", "before-rename"})
    void failureAtAnyStageKeepsTheOldFileIntact(String stage) throws IOException {
        Path target = dir.resolve("model.bpnn");
        ModelFile.save(TestNets.small(), target);
        byte[] old = Files.readAllBytes(target);

        Network other = Network.builder(300).dense(200, Activation.relu()).dense(2, Activation.identity())
                .loss(Loss.mse()).backend(TestNets.SCALAR).build(); // > 64 KiB of data: several chunks
        ModelWriter.Prepared p = ModelWriter.prepare(SavedModel.of(other), null);
        IOException crash = new IOException("simulated crash at " + stage);
        IOException e = assertThrows(IOException.class, () -> ModelFile.save(p, target, s -> {
            if (s.equals(stage)) throw crash;
        }));
        assertSame(crash, e.getCause());
        assertEquals("cannot save " + target + ": simulated crash at " + stage, e.getMessage());
        assertArrayEquals(old, Files.readAllBytes(target), "the old model survives byte for byte");
        assertEquals(List.of(target), files(), "no temporary file is left behind");
        ModelFile.load(target, TestNets.SCALAR); // and it still loads
    }

    /** A momentum-like state (one slot) for {@code net}, so that a checkpoint save has a state section to write. */
    private static Checkpoint checkpoint(Network net, float fill) {
        float[][] values = org.bpnn.nn.ParameterSnapshot.of(net).values();
        int[] sizes = new int[values.length];
        float[][] slots = new float[values.length][];
        for (int i = 0; i < values.length; i++) {
            sizes[i] = values[i].length;
            slots[i] = new float[sizes[i]];
            java.util.Arrays.fill(slots[i], fill);
        }
        return new Checkpoint(SavedModel.of(net), new org.bpnn.train.TrainingState(1, 7, new long[0],
                new org.bpnn.optim.OptimizerState("momentum", 10, sizes, slots), values, 0.5, 1, 0, null));
    }

    /**
     * A checkpoint save (CheckpointFile.everyEpoch rewrites one after every epoch) that fails part-way,
     * as on a full disk, leaves no file under the target's name when there was none, and the previous
     * checkpoint, byte for byte and resumable, when there was: never a half-written one.
     */
    @ParameterizedTest
    @ValueSource(strings = {"header", "data", "before-rename"})
    void aFailedCheckpointSaveLeavesNoPartialFile(String stage) throws IOException {
        Network other = Network.builder(300).dense(200, Activation.relu()).dense(2, Activation.identity())
                .loss(Loss.mse()).backend(TestNets.SCALAR).build(); // > 64 KiB of data: several chunks
        ModelWriter.Prepared p = ModelWriter.prepare(SavedModel.of(other), new CheckpointSection.Writer(checkpoint(other, 0.5f)));
        ModelFile.SaveHook full = s -> {
            if (s.equals(stage)) throw new IOException("No space left on device");
        };
        Path fresh = dir.resolve("fresh.ckpt");
        assertThrows(IOException.class, () -> ModelFile.save(p, fresh, full));
        assertEquals(List.of(), files(), "neither a partial checkpoint nor a temporary file");

        Path target = dir.resolve("run.ckpt");
        CheckpointFile.save(checkpoint(TestNets.small(), 0.25f), target);
        byte[] old = Files.readAllBytes(target);
        assertThrows(IOException.class, () -> ModelFile.save(p, target, full));
        assertArrayEquals(old, Files.readAllBytes(target), "the previous checkpoint survives byte for byte");
        assertEquals(List.of(target), files(), "no temporary file is left behind");
        assertEquals(1, CheckpointFile.load(target, TestNets.SCALAR).state().epoch()); // and it still resumes
    }

    @Test
    void uncheckedFailureAlsoCleansUp() throws IOException {
        Path target = dir.resolve("fresh.bpnn");
        ModelWriter.Prepared p = ModelWriter.prepare(SavedModel.of(TestNets.small()), null);
        assertThrows(IllegalStateException.class, () -> ModelFile.save(p, target, s -> {
            if (s.equals("data")) throw new IllegalStateException("boom");
        }));
        assertEquals(List.of(), files(), "neither a partial target nor a temporary file");
    }

    @Test
    void successfulSaveReplacesTheFile() throws IOException {
        Path target = dir.resolve("model.bpnn");
        Files.writeString(target, "an older, unrelated file");
        ModelFile.save(TestNets.small(), target);
        assertEquals(List.of(target), files());
        assertEquals(3, ModelFile.load(target, TestNets.SCALAR).network().outputSize());
    }

    /**
     * Replacing a file keeps its permissions: the temporary file was created with the default ones
     * (0644 under the usual umask), so saving over a model the owner had made private (0600) made it
     * readable by everyone, and a group-writable one lost its group's write access.
     */
    @Test
    void savingOverAFileKeepsItsPermissions() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions only");
        Path target = dir.resolve("model.bpnn");
        for (String perms : List.of("rw-------", "rw-rw-r--", "r--r-----")) {
            ModelFile.save(TestNets.small(), target);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(perms));
            ModelFile.save(TestNets.small(), target);
            assertEquals(perms, PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
            assertEquals(List.of(target), files());
        }
    }

    /**
     * Saving to a symbolic link writes the file it points to, as writing to the path would: the
     * rename used to replace the link itself with a regular file, leaving the linked file (what
     * everything else reading through another path or the link's old target sees) at the old model.
     */
    @Test
    void savingThroughASymbolicLinkReplacesTheLinkedFile() throws IOException {
        Path models = Files.createDirectory(dir.resolve("models"));
        Path real = models.resolve("v1.bpnn");
        ModelFile.save(TestNets.small(), real);
        Path link = dir.resolve("current.bpnn");
        try {
            Files.createSymbolicLink(link, dir.relativize(real));
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "no symbolic links here: " + e);
        }
        Network other = Network.builder(2).dense(7, Activation.relu()).loss(Loss.mse()).backend(TestNets.SCALAR).build();
        ModelFile.save(other, link);
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertEquals(7, ModelFile.load(real, TestNets.SCALAR).network().outputSize(), "the linked file holds the new model");
        try (Stream<Path> s = Files.list(models)) {
            assertEquals(List.of(real), s.toList(), "no temporary file is left beside it");
        }
    }

    /**
     * A save that overlaps training on another thread (a background thread saving the model every
     * few minutes) never writes a file that does not load: the weights were hashed for the header
     * and read again to be written, so a step in between gave a file whose data failed its own
     * checksum, renamed over the last good model. Now a save that overlaps a weight write is refused
     * (IllegalStateException, the old file kept), and every save that succeeds loads.
     */
    @Test
    void aSaveThatOverlapsTrainingNeverWritesAFileThatDoesNotLoad() throws Exception {
        Network net = Network.builder(300).dense(200, Activation.tanh()).dense(2, Activation.identity())
                .loss(Loss.mse()).seed(3).backend(TestNets.SCALAR).build();
        Tensor x = TestNets.inputs(4, 300, 1);
        Tensor y = TestNets.inputs(4, 2, 2);
        Path target = dir.resolve("model.bpnn");
        ModelFile.save(net, target);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread trainer = new Thread(() -> {
            org.bpnn.optim.Sgd sgd = new org.bpnn.optim.Sgd(1e-6);
            while (!stop.get()) {
                net.trainStep(x, y, sgd);
            }
        });
        // what a step throws ends only the training thread, and with it the overlap: kept, to fail the test
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        trainer.setUncaughtExceptionHandler((t, e) -> failure.set(e));
        trainer.start();
        int saved = 0, refused = 0;
        try {
            long end = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < end) {
                try {
                    ModelFile.save(net, target);
                    saved++;
                } catch (IllegalStateException e) {
                    assertTrue(e.getMessage().contains("changed while saving"), e.getMessage());
                    refused++;
                }
                ModelFile.load(target, TestNets.SCALAR); // the file under the target name always loads
            }
        } finally {
            stop.set(true);
            trainer.join(30_000);
        }
        assertFalse(trainer.isAlive(), "the training thread still runs 30 s after it was told to stop");
        if (failure.get() != null) fail("training failed", failure.get());
        assertEquals(List.of(target), files(), "no temporary file is left behind");
        assertTrue(saved + refused > 0);
    }

    @Test
    void missingDirectoryIsAnIoException() {
        Path target = dir.resolve("no/such/dir/model.bpnn");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> ModelFile.save(TestNets.small(), target));
        assertEquals(target + ": directory " + target.getParent() + " does not exist; create it first", e.getMessage());
    }

    @Test
    void fileSystemErrorsNameTheTargetNotTheTemporaryFile() throws IOException {
        // The JDK's exception names the file it failed on, here the hidden ".model.bpnn.<random>.tmp",
        // and its message is that path alone; the caller knows only the target.
        Path target = dir.resolve("model.bpnn");
        ModelWriter.Prepared p = ModelWriter.prepare(SavedModel.of(TestNets.small()), null);
        AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> ModelFile.save(p, target, s -> {
            throw new AccessDeniedException(dir.resolve(".model.bpnn.7adaf905cd61a263.tmp").toString());
        }));
        assertEquals(target.toString(), e.getFile());
        assertTrue(e.getMessage().startsWith(target + ": permission denied"), e.getMessage());
        FileSystemException other = assertThrows(FileSystemException.class, () -> ModelFile.save(p, target, s -> {
            throw new FileSystemException(dir.resolve(".model.bpnn.1.tmp").toString(), null, "Read-only file system");
        }));
        assertEquals(target + ": Read-only file system", other.getMessage());
        assertEquals(List.of(), files());
    }

    /**
     * A real file-system failure, which also happens as root (the read-only directory test below
     * cannot, and the hook-based one fakes the exception): a target name of 300 characters, longer
     * than the 255 a file name may have here. The temporary file is written, the rename fails.
     */
    @Test
    void aFailingRenameIsReportedUnderTheTargetsName() throws IOException {
        Path target = dir.resolve("m".repeat(295) + ".bpnn");
        FileSystemException e = assertThrows(FileSystemException.class, () -> ModelFile.save(TestNets.small(), target));
        assertEquals(target.toString(), e.getFile());
        assertTrue(e.getMessage().startsWith(target + ": "), e.getMessage());
        assertEquals(List.of(), files());
    }

    /**
     * Any legal file name can be saved to: the temporary file's name (".", the name, ".", 16 hex
     * digits, ".tmp") used to take the whole target name, so a legal name of 234 to 255 characters
     * failed with "File name too long" about a name that was not.
     */
    @Test
    void aLongButLegalFileNameCanBeSavedTo() throws IOException {
        for (Path target : List.of(dir.resolve("m".repeat(250) + ".bpnn"), dir.resolve("\u00e9".repeat(120) + ".bpnn"))) {
            ModelFile.save(TestNets.small(), target);
            ModelFile.save(TestNets.small(), target); // over the existing file too
            assertEquals(3, ModelFile.load(target, TestNets.SCALAR).network().outputSize());
            assertEquals(List.of(target), files());
            Files.delete(target);
        }
    }

    @Test
    void readOnlyDirectoryNamesTheTarget() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root may write into read-only directories");
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Path target = ro.resolve("model.bpnn");
            AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> ModelFile.save(TestNets.small(), target));
            assertTrue(e.getMessage().startsWith(target + ": permission denied"), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void targetsThatAreNotFilesAreRefusedUpFront() throws IOException {
        // "/" has no parent (this was a NullPointerException)
        IllegalArgumentException root = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.save(TestNets.small(), Path.of("/")));
        assertTrue(root.getMessage().startsWith("cannot save a model to \"/\": it names no file"), root.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelFile.save(TestNets.small(), (Path) null));
        // an empty directory would be silently replaced by the rename
        Path empty = Files.createDirectory(dir.resolve("empty"));
        FileSystemException d = assertThrows(FileSystemException.class, () -> ModelFile.save(TestNets.small(), empty));
        assertTrue(d.getMessage().startsWith(empty + ": is a directory; expected a model file path such as "
                + empty.resolve("model.bpnn")), d.getMessage());
        assertTrue(Files.isDirectory(empty));
        // a parent that is a file
        Path file = Files.writeString(dir.resolve("file"), "x");
        FileSystemException f = assertThrows(FileSystemException.class,
                () -> ModelFile.save(TestNets.small(), file.resolve("model.bpnn")));
        assertTrue(f.getMessage().contains(file + " is not a directory"), f.getMessage());
        assertEquals(List.of(empty, file), files());
    }

    // ---- refusals: nothing is written --------------------------------------------------------------

    private static String refused(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void nullModelsAndNetworksAreRefusedUpFront() throws IOException {
        // each was a NullPointerException
        Path target = dir.resolve("model.bpnn");
        assertEquals("model is null; pass the model to save, e.g. SavedModel.of(network)",
                refused(() -> ModelFile.save((SavedModel) null, target)));
        assertEquals("model is null; pass the model to save, e.g. SavedModel.of(network)",
                refused(() -> ModelFile.toBytes(null)));
        assertEquals("network is null; pass the network to save", refused(() -> ModelFile.save((Network) null, target)));
        assertEquals("network is null; pass the network to save",
                refused(() -> ModelFile.save((Network) null, java.util.Map.of("epochs", 1), target)));
        assertTrue(refused(() -> SavedModel.of(null, null, java.util.Map.of())).startsWith("network is null"));
        assertTrue(refused(() -> ModelFile.save(SavedModel.of(TestNets.small()), null)).startsWith("path is null"));
        assertEquals(List.of(), files());
    }

    @Test
    void refusesNanWeights() throws IOException {
        Network net = TestNets.small();
        net.parameters().get(2).value().set(1, 2, Float.NaN);
        Path target = dir.resolve("nan.bpnn");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.save(net, target));
        assertTrue(e.getMessage().contains("layers[1].weight[1, 2] is NaN"), e.getMessage());
        assertFalse(Files.exists(target));
        assertEquals(List.of(), files());
    }

    @Test
    void refusesInfiniteBiases() {
        Network net = TestNets.small();
        net.parameters().get(5).value().data()[2] = Float.POSITIVE_INFINITY;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.toBytes(SavedModel.of(net)));
        assertTrue(e.getMessage().contains("layers[2].bias[0, 2] is Infinity"), e.getMessage());
    }

    /** A user's own activation: relu's computation under the given name, a class of its own. */
    private static Activation reluNamed(String name) {
        return new Activation() {
            @Override public String name() { return name; }
            @Override public void forward(Backend b, Tensor z, float[] bias, Tensor a) { Activation.relu().forward(b, z, bias, a); }
            @Override public void backward(Backend b, Tensor z, Tensor a, Tensor g) { Activation.relu().backward(b, z, a, g); }
            @Override public void forwardDouble(double[] z, int off, int n, double[] a, int aOff) { }
        };
    }

    @Test
    void refusesCustomActivations() {
        Activation custom = reluNamed("relu"); // pretends, but is not the built-in
        Network net = Network.builder(2).dense(3, custom).dense(1, Activation.identity()).loss(Loss.mse())
                .backend(TestNets.SCALAR).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.toBytes(SavedModel.of(net)));
        assertTrue(e.getMessage().contains("layer 1 uses activation") && e.getMessage().contains("not a built-in"), e.getMessage());
        // and says what to do instead: the refusal named the piece but left the user without a way to keep the weights
        assertTrue(e.getMessage().contains("save its weights yourself: ParameterSnapshot.of(network).values()"), e.getMessage());
        // names the activation by its name() and class, and says that the name is a built-in one's
        assertTrue(e.getMessage().contains("uses activation 'relu' (" + custom.getClass().getName() + "), which is named"
                + " like a built-in one"), e.getMessage());
    }

    @Test
    void refusesACustomActivationNamingItByItsName() {
        // the message showed the activation's identity hash ("AtomicSaveTest$2@1b6d3586"), not the name it gives itself
        Activation softplus = reluNamed("softplus");
        Network net = Network.builder(2).dense(3, softplus).dense(1, Activation.identity()).loss(Loss.mse())
                .backend(TestNets.SCALAR).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.toBytes(SavedModel.of(net)));
        assertTrue(e.getMessage().startsWith("layer 1 uses activation 'softplus' (" + softplus.getClass().getName()
                + "), which is not a built-in activation; model files hold identity, sigmoid"), e.getMessage());
        assertFalse(e.getMessage().contains("@"), e.getMessage());
    }

    @Test
    void refusesCustomLayers() {
        Layer custom = new Layer() {
            @Override public int inputSize() { return 2; }
            @Override public int outputSize() { return 2; }
            @Override public List<Parameter> parameters() { return List.of(); }
            @Override public void forward(Backend b, Tensor x, Tensor y, Tensor s, boolean t) { y.copyFrom(x); }
            @Override public void backward(Backend b, Tensor x, Tensor y, Tensor dy, boolean d, Tensor dx, Tensor s) { }
            @Override public double[] forwardDouble(double[][] p, double[] x, int batch) { return x.clone(); }
        };
        Network net = Network.builder(2).layer(custom).dense(1, Activation.identity()).loss(Loss.mse())
                .backend(TestNets.SCALAR).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.toBytes(SavedModel.of(net)));
        assertTrue(e.getMessage().contains("layer 1") && e.getMessage().contains("supported layer types: dense, dropout"),
                e.getMessage());
        assertTrue(e.getMessage().contains("ParameterSnapshot.of(values).restoreTo(network)"), e.getMessage());
        // names the layer by its class once, without its identity hash: it read "layer 1 (AtomicSaveTest$2@54eb2b70)
        // is a AtomicSaveTest$2"
        assertTrue(e.getMessage().startsWith("layer 1 is a " + custom.getClass().getName() + ", which model files cannot"
                + " hold; supported layer types: dense, dropout"), e.getMessage());
        assertFalse(e.getMessage().contains("@"), e.getMessage());
    }

    @Test
    void refusesACustomLossNamingItByItsName() {
        // the message showed the loss's identity hash ("AtomicSaveTest$3@79d94571"), not the name it gives itself
        Loss custom = new Loss() {
            @Override public String name() { return "my_mse"; }
            @Override public double value(Tensor o, Tensor t) { return Loss.mse().value(o, t); }
            @Override public void gradient(Tensor o, Tensor t, Tensor g) { Loss.mse().gradient(o, t, g); }
            @Override public double valueDouble(double[] o, double[] t, int b, int k) { return Loss.mse().valueDouble(o, t, b, k); }
        };
        Network net = Network.builder(2).dense(3, Activation.tanh()).dense(1, Activation.identity()).loss(custom)
                .backend(TestNets.SCALAR).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.toBytes(SavedModel.of(net)));
        assertTrue(e.getMessage().startsWith("the loss 'my_mse' (" + custom.getClass().getName()
                + ") is not a built-in loss; model files hold "), e.getMessage());
        assertTrue(e.getMessage().contains("ParameterSnapshot.of(values).restoreTo(network)"), e.getMessage());
        assertFalse(e.getMessage().contains("@"), e.getMessage());
    }

    @Test
    void neverWritesAHeaderThatALoadRefuses() {
        // a 100,000-character summary string and a 300-character name were written, and every load then failed
        Network net = TestNets.small();
        for (Map<String, Object> training : List.<Map<String, Object>>of(Map.of("notes", "x".repeat(100_000)),
                Map.of("k".repeat(300), 1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ModelFile.save(net, training, dir.resolve("m.bpnn")));
            assertTrue(e.getMessage().startsWith("refusing to save: a load would refuse the header ("), e.getMessage());
            assertTrue(e.getMessage().endsWith("keep the training summary's strings under 65536 characters and the summary's names"
                    + " under 256"), e.getMessage());
            assertEquals(List.of(), List.of(dir.toFile().list()));
        }
        // a feature name over the string limit: the message names feature names too (it named only the summary)
        Network one = Network.builder(1).dense(1, org.bpnn.nn.activation.Activation.identity())
                .loss(org.bpnn.loss.Loss.mse()).backend(TestNets.SCALAR).build();
        IllegalArgumentException longName = assertThrows(IllegalArgumentException.class, () -> ModelFile.save(
                SavedModel.of(one).withFeatureNames(List.of("n".repeat(70_000))), dir.resolve("m.bpnn")));
        assertTrue(longName.getMessage().endsWith("keep the training summary's strings and each name under 65536"
                + " characters and the summary's names under 256"), longName.getMessage());
        // a header over the 1 MiB a default load accepts: 20 strings of 60,000 characters, each under the string limit
        Map<String, Object> big = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 20; i++) big.put("notes" + i, "x".repeat(60_000));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.save(net, big, dir.resolve("m.bpnn")));
        assertTrue(e.getMessage().startsWith("the header would be ") && e.getMessage().contains("a default load accepts"), e.getMessage());
        assertEquals(List.of(), List.of(dir.toFile().list()));
        // at the limits it saves and loads
        Path ok = dir.resolve("ok.bpnn");
        assertDoesNotThrow(() -> ModelFile.save(net, Map.of("k".repeat(256), "x".repeat(65_536)), ok));
        assertDoesNotThrow(() -> ModelFile.load(ok, TestNets.SCALAR));
    }

    @Test
    void refusesMismatchedMetadataAndNormaliser() {
        Network net = TestNets.small();
        assertThrows(IllegalArgumentException.class, () -> new SavedModel(net, null,
                new ModelMetadata("x", java.time.Instant.EPOCH, "scalar", net.seed() + 1, null)));
        assertThrows(IllegalArgumentException.class, () -> new SavedModel(net,
                org.bpnn.data.Normaliser.minMax(TestNets.inputs(3, 5, 1)), null));
    }
}
