package org.bpnn.io.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Properties;
import org.bpnn.backend.Backend;
import org.bpnn.backend.Backends;
import org.bpnn.io.internal.AtomicFiles;
import org.bpnn.nn.Network;

/**
 * Saves and loads bpnn model files: one file with everything needed to predict. The layout is
 * specified in the {@linkplain org.bpnn.io.model package documentation}.
 *
 * <pre>{@code
 * ModelFile.save(network, Map.of("epochs", 20, "test_accuracy", 0.981), Path.of("mnist.bpnn"));
 * SavedModel m = ModelFile.load(Path.of("mnist.bpnn"));
 * float[] y = m.predict(x);
 * }</pre>
 *
 * <p><b>Saving</b> is atomic: the bytes go to a temporary file in the target's directory, are
 * forced to the device ({@link FileChannel#force}), and the temporary file is then renamed over the
 * target with {@link StandardCopyOption#ATOMIC_MOVE}. A crash or an exception at any point leaves
 * either the old file or the new one under the target name, never a partial one, and an exception
 * removes the temporary file ({@link AtomicFiles}, the one mechanism bpnn writes files with). A network with NaN or infinite weights, a custom layer, activation or
 * loss is refused with an {@link IllegalArgumentException} before anything is written, and so is a
 * path that names no file ("/"). A target that is a directory, or whose directory is missing or not
 * a directory, is refused before writing too; every I/O failure of a save names the target (not
 * the temporary file) and the reason, keeping the {@code java.nio.file} exception type. A file saved
 * over keeps its POSIX permissions (a private model stays private), and a symbolic link to a file
 * is followed: the linked file is replaced, the link stays. A save that overlaps a weight write
 * (training on another thread) throws {@link IllegalStateException} and keeps the old file, as a
 * predict does (see {@link Network}): save between training steps or after training.
 *
 * <p><b>Loading</b> is safe on untrusted files: the file names no classes (layers, activations and
 * losses are a closed set of tags), there is no Java serialization, the JSON header is parsed with
 * explicit Jackson {@code StreamReadConstraints} and size limits ({@link Limits}) are checked in
 * {@code long} arithmetic, against the actual file length, before anything is allocated. Every
 * problem with the content ends in a {@link ModelFormatException} naming the JSON path or byte
 * offset, saying what to do when the cause is likely (a file empty or cut short: a copy not
 * finished or interrupted; another library's model or an archive, named by its first bytes); I/O
 * failures (missing file, permissions) are plain {@link IOException}s of their {@code java.nio.file}
 * type, naming the file and what to check.
 *
 * <p>Checkpoint files ({@link CheckpointFile}) load here too: the model part is returned and the
 * training state, after being validated like the rest, is dropped. Its optimiser state and best
 * weights are streamed through a fixed buffer for the checksum and the finiteness check, not
 * allocated: deploying from a checkpoint needs the model's memory, not the checkpoint's (though
 * {@link Limits#maxParameters} still counts every float in the file).
 *
 * <p><b>Bit-exact:</b> weights are stored as raw float32, so a loaded network predicts exactly the
 * same floats as the saved one on the same backend.
 *
 * <p><b>Threads.</b> The methods are static and keep no state: saves and loads of different files may
 * run on any threads. A load that overlaps a save of the same file reads the old file or the new one,
 * never a mixture (the rename is atomic); two saves to one target leave one of the two.
 */
public final class ModelFile {
    /** The {@code "format"} value in the header. */
    public static final String FORMAT = "bpnn-model";

    /** The format version this library writes and the newest it reads. */
    public static final int VERSION = 1;

    /** The version of bpnn that writes files (from the jar's Maven metadata, "dev" when run from classes). */
    public static final String LIBRARY_VERSION = libraryVersion();

    /** The first 8 bytes: 0x89 "BPN" CR LF 0x1A LF (PNG-style: catches text-mode and 7-bit transfers). */
    static final byte[] MAGIC = {(byte) 0x89, 'B', 'P', 'N', '\r', '\n', 0x1A, '\n'};

    /** Magic (8), version (u32 LE), header length (u32 LE), CRC-32C of the header (u32 LE). */
    static final int PREAMBLE_BYTES = 20;

    private ModelFile() {}

    /**
     * Which kind of file a save or load is about, for its messages: a checkpoint shares the model's
     * format and checks, which would otherwise name a model ("expected a model file path such as
     * .../model.bpnn" to CheckpointFile.save). The example names follow the README's ("run.ckpt").
     */
    enum Kind {
        MODEL("model", "model.bpnn", ".bpnn"),
        CHECKPOINT("checkpoint", "run.ckpt", ".ckpt");

        /** "model" or "checkpoint". */
        final String noun;
        /** A file name to suggest. */
        final String example;
        /** The usual extension, whose files in a directory given as the file are suggested. */
        final String extension;

        Kind(String noun, String example, String extension) {
            this.noun = noun;
            this.example = example;
            this.extension = extension;
        }
    }

    /**
     * Bounds checked before a file's content is trusted or allocated.
     *
     * @param maxHeaderBytes the largest JSON header accepted, in bytes, at least 64 (also Jackson's
     *                       maxDocumentLength); bpnn never writes a header over {@code DEFAULT}'s, so a longer
     *                       one (over these limits too) is refused as not written by bpnn or damaged, not as a
     *                       limit to raise
     * @param maxLayers      the most layers a network may have (dropout layers count)
     * @param maxUnits       the largest input size or layer width
     * @param maxParameters  the most floats (weights, normalisers, and in a checkpoint the optimiser
     *                       state and best weights) a file may hold, 1 to {@link #MAX_FLOATS}
     */
    public record Limits(int maxHeaderBytes, int maxLayers, int maxUnits, long maxParameters) {
        /**
         * 1 MiB of header, 1024 layers, 2^24 units per layer, 2^28 floats (1 GiB). A file over the
         * layers, units or floats (a network of over 2^28 parameters, or a checkpoint of one of over
         * about 67M trained with Adam and early stopping: four floats per parameter; a layer of
         * 2^24 + 1 units on one input; 1025 layers, which Network.Builder does not cap) is refused with
         * a message naming what it holds and the call that loads it, e.g.
         * {@code DEFAULT.withMaxParameters(n)}, and with {@link ModelFormatException#overLimits()}.
         */
        public static final Limits DEFAULT = new Limits(1 << 20, 1024, 1 << 24, 1L << 28);

        /**
         * The largest maxParameters, 16 times {@link Network.Builder#MAX_PARAMETERS}: more than any
         * file the library writes holds, the largest network with 8 optimiser slots, best weights and
         * normalisers, so every checkpoint bpnn writes (Adam and early stopping hold four floats per
         * parameter) can be loaded with some limits.
         */
        public static final long MAX_FLOATS = 16 * Network.Builder.MAX_PARAMETERS;

        /**
         * The widest input or layer any network has: each unit is at least one parameter, and a
         * network has at most {@link Network.Builder#MAX_PARAMETERS}. A wider one in a file is refused
         * as not written by bpnn whatever the limits; a larger maxUnits is allowed but admits nothing more.
         */
        public static final int MAX_UNITS = (int) Network.Builder.MAX_PARAMETERS;

        /**
         * Limits of these values.
         *
         * @throws IllegalArgumentException when maxHeaderBytes is below 64, maxLayers or maxUnits below 1,
         *         or maxParameters outside 1..{@link #MAX_FLOATS}, naming the value
         */
        public Limits {
            // each named: "limits must be positive ..., got 1048576, 0, 16777216, 268435456" would leave the caller to count
            if (maxHeaderBytes < 64) {
                throw new IllegalArgumentException("maxHeaderBytes must be at least 64, got " + maxHeaderBytes
                        + "; bpnn writes headers of up to " + DEFAULT.maxHeaderBytes() + " bytes (Limits.DEFAULT)");
            }
            if (maxLayers < 1) {
                throw new IllegalArgumentException("maxLayers must be at least 1, got " + maxLayers);
            }
            if (maxUnits < 1) {
                throw new IllegalArgumentException("maxUnits must be at least 1, got " + maxUnits);
            }
            if (maxParameters < 1 || maxParameters > MAX_FLOATS) {
                throw new IllegalArgumentException("maxParameters must be in 1.." + MAX_FLOATS + " (Limits.MAX_FLOATS), got "
                        + maxParameters);
            }
        }

        /** These limits with another {@link #maxParameters}, e.g. {@code Limits.DEFAULT.withMaxParameters(1L << 30)}. */
        public Limits withMaxParameters(long maxParameters) {
            return new Limits(maxHeaderBytes, maxLayers, maxUnits, maxParameters);
        }

        /** These limits with another {@link #maxLayers} (at least 1), e.g. {@code Limits.DEFAULT.withMaxLayers(2048)}. */
        public Limits withMaxLayers(int maxLayers) {
            return new Limits(maxHeaderBytes, maxLayers, maxUnits, maxParameters);
        }

        /**
         * These limits with another {@link #maxUnits} (at least 1; over {@link #MAX_UNITS} admits
         * nothing more), e.g. {@code Limits.DEFAULT.withMaxUnits(1 << 25)}.
         */
        public Limits withMaxUnits(int maxUnits) {
            return new Limits(maxHeaderBytes, maxLayers, maxUnits, maxParameters);
        }
    }

    // ---- saving ---------------------------------------------------------------------------------

    /**
     * Saves {@code network} with metadata describing it as it is at this call (library version, time,
     * backend, seed) and an empty training summary; as {@link #save(SavedModel, Path)}.
     *
     * @throws IllegalArgumentException when network or path is null, or as {@link #save(SavedModel, Path)}
     * @throws IOException              as {@link #save(SavedModel, Path)}
     */
    public static void save(Network network, Path path) throws IOException {
        checkNetwork(network);
        save(SavedModel.of(network), path);
    }

    /**
     * Saves {@code network} with a free-form training summary (see {@link ModelMetadata#training()};
     * null: none); as {@link #save(SavedModel, Path)}.
     *
     * @throws IllegalArgumentException when network or path is null, or as {@link #save(SavedModel, Path)}
     * @throws IOException              as {@link #save(SavedModel, Path)}
     */
    public static void save(Network network, Map<String, ?> training, Path path) throws IOException {
        checkNetwork(network);
        save(SavedModel.of(network, training), path);
    }

    /**
     * Saves the model atomically to {@code path}, replacing an existing file of that name (keeping its
     * POSIX permissions; a symbolic link's target is replaced, see the class comment).
     *
     * @throws IllegalArgumentException when model or path is null, the path names no file ("/"), or the
     *         network has NaN or infinite weights or a custom layer, activation or loss; nothing is written
     * @throws IllegalStateException    when the save overlaps a weight write (training on another thread);
     *         the old file is kept
     * @throws IOException              when the target is a directory or its directory is missing, or the
     *         write fails (no space, no permission), of its {@code java.nio.file} type and naming the target;
     *         the old file, if any, is kept and the temporary file removed
     */
    public static void save(SavedModel model, Path path) throws IOException {
        checkModel(model);
        save(ModelWriter.prepare(model, null), path, Kind.MODEL, SaveHook.NONE);
    }

    /**
     * The bytes {@link #save(SavedModel, Path)} would write.
     *
     * @throws IllegalArgumentException when model is null, or refused as {@link #save(SavedModel, Path)} refuses it
     */
    public static byte[] toBytes(SavedModel model) throws IOException {
        checkModel(model);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelWriter.prepare(model, null).write(Channels.newChannel(out), SaveHook.NONE);
        return out.toByteArray();
    }

    static void checkNetwork(Network network) {
        if (network == null) {
            throw new IllegalArgumentException("network is null; pass the network to save");
        }
    }

    private static void checkModel(SavedModel model) {
        if (model == null) {
            throw new IllegalArgumentException("model is null; pass the model to save, e.g. SavedModel.of(network)");
        }
    }

    /** A test seam: called at named stages of a save; throwing aborts the save there. */
    @FunctionalInterface
    interface SaveHook {
        SaveHook NONE = stage -> { };

        /** stage: "header" (preamble and header written), "data" (part of the data written), "before-rename". */
        void at(String stage) throws IOException;
    }

    /** A model's save with the test seam. */
    static void save(ModelWriter.Prepared prepared, Path path, SaveHook hook) throws IOException {
        save(prepared, path, Kind.MODEL, hook);
    }

    /** The save of a model or checkpoint ({@code kind}, for the messages of its checks). */
    static void save(ModelWriter.Prepared prepared, Path path, Kind kind, SaveHook hook) throws IOException {
        Path target = checkTarget(path, kind);
        try {
            AtomicFiles.write(target, ch -> prepared.write(ch, hook), () -> hook.at("before-rename"));
        } catch (FileSystemException e) {
            throw e; // already about the target, not the temporary file
        } catch (IOException e) {
            // names no file ("No space left on device", a failed write's): say which
            IOException out = new IOException("cannot save " + target + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            out.initCause(e);
            throw out;
        }
    }

    /**
     * The absolute target, after checking what can be checked before writing: it names a file (not
     * "/" nor an existing directory, which the rename would silently replace when empty) in an
     * existing directory; a symbolic link to a file stands for that file.
     */
    static Path checkTarget(Path path, Kind kind) throws IOException {
        if (path == null) {
            throw new IllegalArgumentException("path is null; pass the " + kind.noun + " file to write, e.g. Path.of(\""
                    + kind.example + "\")");
        }
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || target.getFileName() == null) {
            throw new IllegalArgumentException("cannot save a " + kind.noun + " to \"" + path + "\": it names no file; pass a"
                    + " file path such as " + target.resolve(kind.example));
        }
        if (Files.isDirectory(target)) {
            throw new FileSystemException(target.toString(), null, "is a directory; expected a " + kind.noun + " file path such as "
                    + target.resolve(kind.example));
        }
        if (Files.isSymbolicLink(target) && Files.exists(target)) {
            // the rename would replace the link with a file and leave the linked file as it was
            target = target.toRealPath();
        }
        if (!Files.exists(dir)) {
            throw new NoSuchFileException(target.toString(), null, "directory " + dir + " does not exist; create it first");
        }
        if (!Files.isDirectory(dir)) {
            throw new FileSystemException(target.toString(), null, dir + " is not a directory; choose a path inside a directory");
        }
        return target;
    }

    // ---- loading --------------------------------------------------------------------------------

    /**
     * Loads a model onto the default backend ({@link Backends#get()}) with the default limits; see
     * {@link #load(Path, Backend, Limits)}.
     */
    public static SavedModel load(Path path) throws IOException {
        return load(path, Backends.get(), Limits.DEFAULT);
    }

    /** Loads a model onto {@code backend} with the default limits; see {@link #load(Path, Backend, Limits)}. */
    public static SavedModel load(Path path, Backend backend) throws IOException {
        return load(path, backend, Limits.DEFAULT);
    }

    /**
     * Loads a model onto {@code backend}. A checkpoint file loads too (its model part; see the class
     * comment). The file is only read, never changed.
     *
     * @throws IllegalArgumentException when path, backend or limits is null
     * @throws ModelFormatException     whatever is wrong with the content, naming where (with
     *                                  {@link ModelFormatException#overLimits()} when it is over {@code limits})
     * @throws IOException              when the file cannot be read (not found, no permission, a directory
     *                                  or another file that is not a regular one, I/O error)
     */
    public static SavedModel load(Path path, Backend backend, Limits limits) throws IOException {
        checkSource(path, Kind.MODEL);
        checkReading(backend, limits);
        try (FileChannel ch = open(path, "model file")) {
            return new ModelReader(path.toString(), ch, ch.size(), backend, limits).read(new CheckpointSection.Reader(false));
        }
    }

    /**
     * Fails with a message naming the path when it is null, a directory (opening a directory for
     * reading succeeds on Linux, and the first read then fails with a bare "Is a directory"), or
     * another file that is not a regular one (a pipe, whose length is unknown). {@code kind}, what the
     * load expects, words the messages (else a checkpoint load would be told to pass a .bpnn model file).
     */
    static void checkSource(Path path, Kind kind) throws IOException {
        if (path == null) {
            throw new IllegalArgumentException("path is null; pass the " + kind.noun + " file to load, e.g. Path.of(\""
                    + kind.example + "\")");
        }
        if (Files.isDirectory(path)) {
            throw new IOException(path + " is a directory; expected a " + kind.extension + " " + kind.noun + " file"
                    + filesIn(path, kind));
        }
        if (!Files.isRegularFile(path) && Files.exists(path)) {
            // a pipe's size is 0: it would be "not a bpnn model file: 0 bytes", about a stream that may well be one
            throw new IOException(path + " is not a regular file (a pipe or a device?): a " + kind.noun + " file is checked"
                    + " against its length before it is read; copy it to a file, or read its bytes and load them with fromBytes");
        }
    }

    /**
     * The remedy for a directory given as a model or checkpoint file: the first few files in it with
     * the kind's extension, by name, or to pass a file when it holds none (or cannot be listed).
     */
    private static String filesIn(Path dir, Kind kind) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        try (java.nio.file.DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + kind.extension)) {
            for (Path p : s) {
                if (Files.isRegularFile(p)) names.add(p.getFileName().toString());
            }
        } catch (IOException | RuntimeException e) {
            // unlistable: the general remedy
        }
        if (names.isEmpty()) {
            return "; pass the path of a " + kind.noun + " file, not of a directory";
        }
        java.util.List<String> shown = new java.util.ArrayList<>();
        for (String n : names) {
            if (shown.size() == 3) break;
            shown.add(dir.resolve(n).toString());
        }
        return "; pass a " + kind.noun + " file in it, such as " + String.join(", ", shown);
    }

    /**
     * Opens a model or checkpoint file ({@code what}) for reading. A missing or unreadable file keeps
     * its java.nio.file type but says what to do: their messages are the path alone.
     */
    static FileChannel open(Path path, String what) throws IOException {
        try {
            return FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            Path dir = path.toAbsolutePath().getParent();
            String where = dir != null && !Files.isDirectory(dir) ? " (directory " + dir + " does not exist)"
                    : !path.isAbsolute() ? " (a relative path, resolved against " + Path.of("").toAbsolutePath() + ")" : "";
            IOException out = new NoSuchFileException(path.toString(), null, "no such file" + where + "; expected a bpnn " + what
                    + "; check the path");
            out.initCause(e);
            throw out;
        } catch (AccessDeniedException e) {
            IOException out = new AccessDeniedException(path.toString(), null, "permission denied: user "
                    + System.getProperty("user.name") + " may not read the " + what + "; check its owner and permissions"
                    + " (ls -l) and those of its directories");
            out.initCause(e);
            throw out;
        }
    }

    /** Fails with a message saying what to pass when the backend or the limits of a load are null. */
    static void checkReading(Backend backend, Limits limits) {
        if (backend == null) {
            throw new IllegalArgumentException("backend is null; pass the backend to load onto, e.g. Backends.get()");
        }
        if (limits == null) {
            throw new IllegalArgumentException("limits is null; pass ModelFile.Limits.DEFAULT or your own Limits");
        }
    }

    /** Fails with a message saying what to pass when the bytes to load are null. */
    static void checkBytes(byte[] bytes, String what) {
        if (bytes == null) {
            throw new IllegalArgumentException("bytes is null; pass the content of a " + what + " (e.g. from toBytes)");
        }
    }

    /**
     * Loads a model from bytes (as written by {@link #toBytes}) onto the default backend with the
     * default limits.
     *
     * @throws IllegalArgumentException when bytes is null
     * @throws ModelFormatException     whatever is wrong with the content
     */
    public static SavedModel fromBytes(byte[] bytes) throws ModelFormatException {
        return fromBytes(bytes, "bytes", Backends.get(), Limits.DEFAULT);
    }

    /**
     * Loads a model from bytes; {@code source} names them in error messages (null: "bytes").
     *
     * @throws IllegalArgumentException when bytes, backend or limits is null
     * @throws ModelFormatException     whatever is wrong with the content
     */
    public static SavedModel fromBytes(byte[] bytes, String source, Backend backend, Limits limits) throws ModelFormatException {
        checkBytes(bytes, "model file");
        source = source == null ? "bytes" : source;
        checkReading(backend, limits);
        try {
            return new ModelReader(source, Channels.newChannel(new java.io.ByteArrayInputStream(bytes)), bytes.length,
                    backend, limits).read(new CheckpointSection.Reader(false));
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new ModelFormatException(source, "byte 0", "unexpected read failure: " + e, e);
        }
    }

    private static String libraryVersion() {
        Package p = ModelFile.class.getPackage();
        if (p != null && p.getImplementationVersion() != null) {
            return p.getImplementationVersion();
        }
        for (String module : new String[] {"bpnn-io", "bpnn-core"}) {
            Class<?> anchor = module.equals("bpnn-io") ? ModelFile.class : Network.class;
            try (InputStream in = anchor.getResourceAsStream("/META-INF/maven/org.bpnn/" + module + "/pom.properties")) {
                if (in != null) {
                    Properties props = new Properties();
                    props.load(in);
                    String v = props.getProperty("version");
                    if (v != null && !v.isBlank()) {
                        return v.trim();
                    }
                }
            } catch (IOException e) {
                // fall through
            }
        }
        return "dev";
    }
}
