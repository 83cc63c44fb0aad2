package org.bpnn.io.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CRC32C;
import org.bpnn.backend.Backend;
import org.bpnn.data.Normaliser;
import org.bpnn.io.internal.Counts;
import org.bpnn.io.internal.Gzip;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Initializer;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;

/**
 * Reads one model file, validating as it goes. Order: preamble (magic, version, header length,
 * header CRC) -> JSON header under {@link Json} constraints -> architecture against {@link
 * ModelFile.Limits} in long arithmetic -> tensor list against the architecture -> data length
 * against the real file length -> only then allocation -> data with SHA-256 -> finiteness.
 */
final class ModelReader {
    private final String source;
    private final ReadableByteChannel ch;
    private final long size;
    private final Backend backend;
    private final ModelFile.Limits limits;
    private long pos;

    ModelReader(String source, ReadableByteChannel ch, long size, Backend backend, ModelFile.Limits limits) {
        if (backend == null || limits == null) {
            throw new IllegalArgumentException((backend == null ? "backend is null; pass one (Backends.get()), or call the"
                    + " overload without a backend" : "limits is null; pass ModelFile.Limits.DEFAULT, or call the overload without"
                    + " limits"));
        }
        this.source = source;
        this.ch = ch;
        this.size = size;
        this.backend = backend;
        this.limits = limits;
    }

    /** A tensor the header must list: name, shape and (after allocation) where its floats go. */
    record Expected(String name, int rows, int cols) {
        long count() {
            return (long) rows * cols;
        }
    }

    /** Parses sections beyond the model's own (a checkpoint's) and receives their tensors. */
    interface Extra {
        /** Root fields this extra owns. */
        Set<String> fields();

        /**
         * Parses its fields (present or not: it decides) and returns the tensors it expects, in order.
         *
         * @param parameters    the network's parameter tensors, in {@code network.parameters()} order
         * @param dropoutLayers how many dropout layers the architecture has
         */
        List<Expected> parse(Node root, List<Expected> parameters, int dropoutLayers) throws ModelFormatException;

        /**
         * Receives the network's parameter values ({@code network.parameters()} order) and the data of
         * its own tensors, in the order {@link #parse} listed them, and builds its result.
         */
        void accept(List<float[]> parameters, List<float[]> data) throws ModelFormatException;

        /**
         * Whether {@link #accept} needs the data of its tensors. When false, they are verified (the
         * data SHA-256, finiteness) by streaming them through the reader's fixed scratch buffer, never
         * allocated, and {@link #accept} receives an empty list: loading a model from a checkpoint
         * then needs the model's memory, not four times it (optimiser slots and best weights).
         */
        default boolean keepsData() {
            return true;
        }

        /**
         * What the load expects, for the refusals of a file that is not one: a checkpoint load would be told
         * "not a bpnn model file" and to "pass a model file", which it refuses.
         */
        default ModelFile.Kind kind() {
            return ModelFile.Kind.MODEL;
        }
    }

    /** over: the layer by which the parameters exceed the limits' maxParameters (null when they do not). */
    private record Arch(int inputSize, List<LayerSpec> layers, Loss loss, long parameters, Node over) {}

    private sealed interface LayerSpec permits DenseSpec, DropoutSpec {}

    private record DenseSpec(int units, Activation activation, Initializer initializer) implements LayerSpec {}

    private record DropoutSpec(double rate) implements LayerSpec {}

    SavedModel read(Extra extra) throws IOException {
        // ---- preamble
        ModelFile.Kind kind = extra == null ? ModelFile.Kind.MODEL : extra.kind();
        if (size == 0) {
            // "not a bpnn model file: 0 bytes that do not start with the magic" would read as a file of another kind
            throw error("byte 0", "the file is empty (0 bytes); expected a bpnn " + kind.noun + " file, which starts with the"
                    + " magic " + hex(ModelFile.MAGIC) + "; it is still being copied, its copy or download was cut short before"
                    + " any byte arrived, or it was created empty (touch); wait for the copy to finish, copy it again, or save"
                    + " the " + kind.noun + " again (a bpnn save never leaves an empty file: it writes a temporary file and"
                    + " renames it)");
        }
        if (size < ModelFile.PREAMBLE_BYTES) {
            byte[] some = readBytes((int) size);
            if (!startsLikeMagic(some)) {
                throw error("byte 0", "not a bpnn " + kind.noun + " file: " + Counts.of(size, "byte")
                        + (size == 1 ? " that does" : " that do") + " not start with the magic " + hex(ModelFile.MAGIC)
                        + foreign(some, kind));
            }
            // the magic or its start: truncated (a file cut within the magic is not "not a bpnn model file")
            throw error("byte " + size, "truncated: the file has " + size + " bytes, but the preamble alone is "
                    + ModelFile.PREAMBLE_BYTES + INCOMPLETE);
        }
        ByteBuffer pre = ByteBuffer.wrap(readBytes(ModelFile.PREAMBLE_BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[ModelFile.MAGIC.length];
        pre.get(magic);
        if (!startsLikeMagic(magic)) { // all of it: magic is the magic's length
            throw error("byte 0", "not a bpnn " + kind.noun + " file: expected the magic " + hex(ModelFile.MAGIC) + ", found "
                    + hex(magic) + foreign(pre.array(), kind));
        }
        long version = Integer.toUnsignedLong(pre.getInt());
        if (version > ModelFile.VERSION) {
            throw error("byte 8", "format version " + version + " is newer than this library reads (version "
                    + ModelFile.VERSION + ", bpnn " + ModelFile.LIBRARY_VERSION + "); upgrade bpnn to load it");
        }
        if (version < 1) {
            throw error("byte 8", "unknown format version " + version + "; expected " + ModelFile.VERSION + NOT_BPNNS);
        }
        long headerLength = Integer.toUnsignedLong(pre.getInt());
        checkHeaderLength(headerLength);
        long dataStart = ModelFile.PREAMBLE_BYTES + headerLength;
        if (dataStart > size) {
            throw error("byte " + size, "truncated: the header needs bytes " + ModelFile.PREAMBLE_BYTES + ".." + dataStart
                    + " but the file ends at byte " + size + INCOMPLETE);
        }
        int storedCrc = pre.getInt();
        byte[] header = readBytes((int) headerLength);
        CRC32C crc = new CRC32C();
        crc.update(header);
        if ((int) crc.getValue() != storedCrc) {
            throw error("byte 16", String.format("header checksum mismatch: the preamble says CRC-32C %08x, the %d header bytes "
                    + "have %08x; the header is corrupt or was edited" + DAMAGED, storedCrc, headerLength, (int) crc.getValue()));
        }

        // ---- header
        Node root = parseJson(header);
        Set<String> rootFields = new TreeSet<>(Set.of("format", "version", "architecture", "normaliser", "target_normaliser",
                "feature_names", "class_names", "target_names", "threshold", "csv_dialect", "metadata", "tensors", "data"));
        if (extra != null) {
            rootFields.addAll(extra.fields());
        }
        root.only(rootFields);
        String format = root.field("format").string();
        if (!format.equals(ModelFile.FORMAT)) {
            throw root.field("format").error("expected \"" + ModelFile.FORMAT + "\", got \"" + format + "\"");
        }
        long jsonVersion = root.field("version").integer(0, Long.MAX_VALUE);
        if (jsonVersion != version) {
            throw root.field("version").error("the header says version " + jsonVersion + " but the preamble says " + version);
        }
        Arch arch = architecture(root.field("architecture"));
        ModelMetadata metadata = metadata(root.field("metadata"));

        List<Expected> expected = new ArrayList<>();
        int width = arch.inputSize;
        int dropouts = 0;
        for (int i = 0; i < arch.layers.size(); i++) {
            if (arch.layers.get(i) instanceof DenseSpec d) {
                expected.add(new Expected(LayerTags.weightName(i), d.units, width));
                expected.add(new Expected(LayerTags.biasName(i), 1, d.units));
                width = d.units;
            } else {
                dropouts++;
            }
        }
        List<Expected> parameterTensors = List.copyOf(expected);
        Node normNode = root.optional("normaliser");
        Normaliser.Kind normKind = normaliserKind(normNode, arch.inputSize, "the normaliser has ", " but the network"
                + " takes " + Counts.of(arch.inputSize, "input"));
        if (normKind != null) {
            expected.add(new Expected(LayerTags.NORMALISER_CENTER, 1, arch.inputSize));
            expected.add(new Expected(LayerTags.NORMALISER_SCALE, 1, arch.inputSize));
        }
        int outputs = width;
        Node targetNode = root.optional("target_normaliser");
        Normaliser.Kind targetKind = normaliserKind(targetNode, outputs, "the target normaliser has ", " but the"
                + " network has " + Counts.of(outputs, "output"));
        if (targetKind != null && arch.loss.classification()) {
            throw targetNode.error(SavedModel.classTargets(arch.loss.name()));
        }
        if (targetKind != null) {
            expected.add(new Expected(LayerTags.TARGET_NORMALISER_CENTER, 1, outputs));
            expected.add(new Expected(LayerTags.TARGET_NORMALISER_SCALE, 1, outputs));
        }
        int modelTensors = expected.size();
        long normalisers = (normKind == null ? 0 : 2L * arch.inputSize) + (targetKind == null ? 0 : 2L * outputs);
        long total = arch.parameters + normalisers;
        long slotFloats = 0, bestFloats = 0;
        if (extra != null) {
            // at most 8 slots and the best weights of at most Network.Builder.MAX_PARAMETERS parameters: no overflow
            for (Expected e : extra.parse(root, parameterTensors, dropouts)) {
                expected.add(e);
                total += e.count();
                if (e.name().startsWith("best.")) {
                    bestFloats += e.count();
                } else {
                    slotFloats += e.count();
                }
            }
        }
        if (total > limits.maxParameters()) { // the normalisers' floats and the training state count too, as Limits says
            throw tooManyFloats(arch.over != null ? arch.over : root, total, arch.parameters, normalisers, slotFloats, bestFloats);
        }
        tensors(root.field("tensors"), expected);
        Node data = root.field("data");
        data.only(Set.of("dtype", "byte_order", "bytes", "sha256"));
        if (!data.field("dtype").string().equals("float32")) {
            throw data.field("dtype").error("expected \"float32\", got \"" + data.field("dtype").string() + "\"");
        }
        if (!data.field("byte_order").string().equals("little_endian")) {
            throw data.field("byte_order").error("expected \"little_endian\", got \"" + data.field("byte_order").string() + "\"");
        }
        long bytes = data.field("bytes").integer(0, Long.MAX_VALUE);
        if (bytes != total * 4) {
            throw data.field("bytes").error("the tensors need " + total * 4 + " bytes (" + total + " floats), the header says "
                    + bytes);
        }
        String sha = data.field("sha256").string();
        if (!sha.matches("[0-9a-f]{64}")) {
            throw data.field("sha256").error("expected 64 lower-case hex digits, got \"" + abbreviate(sha) + "\"");
        }
        if (size - dataStart < bytes) {
            throw error("byte " + size, "truncated: the data section needs " + bytes + " bytes from byte " + dataStart
                    + ", but the file ends at byte " + size + " (" + Counts.of(size - dataStart, "data byte") + ")" + INCOMPLETE);
        }
        if (size - dataStart > bytes) {
            throw error("byte " + (dataStart + bytes), "trailing garbage: " + (size - dataStart - bytes)
                    + " unexpected bytes after the data section, which ends at byte " + (dataStart + bytes));
        }

        // ---- allocation, now that sizes are bounded by the real file length
        // The network is built after the data is read, around the arrays read (buildWrapping): building it
        // first drew initial weights only for the file's to overwrite, most of a load's time. Its
        // architecture is checked here still, before anything is allocated for it.
        Network.Builder builder = builder(root.field("architecture"), arch, metadata.seed());
        List<float[]> targets = new ArrayList<>();
        for (Expected e : parameterTensors) {
            targets.add(new float[(int) e.count()]);
        }
        List<float[]> parameterData = List.copyOf(targets);
        float[] center = null, scale = null, targetCenter = null, targetScale = null;
        if (normKind != null) {
            targets.add(center = new float[arch.inputSize]);
            targets.add(scale = new float[arch.inputSize]);
        }
        if (targetKind != null) {
            targets.add(targetCenter = new float[outputs]);
            targets.add(targetScale = new float[outputs]);
        }
        List<float[]> extraData = new ArrayList<>();
        boolean keep = extra == null || extra.keepsData();
        for (int i = modelTensors; i < expected.size(); i++) {
            float[] a = keep ? new float[(int) expected.get(i).count()] : null; // null: verified, not kept
            targets.add(a);
            if (keep) {
                extraData.add(a);
            }
        }

        // ---- data
        MessageDigest digest = ModelWriter.sha256();
        ByteBuffer buf = ByteBuffer.allocate(ModelWriter.CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        // the first non-finite value of a tensor not kept (checked below, after the checksum, in file order)
        int badTensor = -1, badElement = -1;
        float badValue = 0f;
        for (int i = 0; i < targets.size(); i++) {
            float[] t = targets.get(i);
            int length = (int) expected.get(i).count();
            for (int off = 0; off < length; ) {
                int n = Math.min(ModelWriter.CHUNK_BYTES / 4, length - off);
                buf.clear();
                buf.limit(n * 4);
                fill(buf);
                digest.update(buf.array(), 0, n * 4);
                buf.flip();
                if (t != null) {
                    buf.asFloatBuffer().get(t, off, n);
                } else if (badTensor < 0) {
                    for (int k = 0; k < n; k++) {
                        float v = buf.getFloat(4 * k);
                        if (!Float.isFinite(v)) {
                            badTensor = i;
                            badElement = off + k;
                            badValue = v;
                            break;
                        }
                    }
                }
                off += n;
            }
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(sha)) {
            throw error("byte " + dataStart, "weight checksum mismatch: the header says sha256 " + sha + ", the " + bytes
                    + " data bytes hash to " + actual + "; the data section is corrupt" + DAMAGED);
        }
        long offset = dataStart;
        for (int i = 0; i < targets.size(); i++) {
            float[] t = targets.get(i);
            Expected e = expected.get(i);
            if (t == null) {
                if (badTensor == i) {
                    throw error("byte " + (offset + 4L * badElement), "tensor " + e.name + " element [" + badElement / e.cols
                            + ", " + badElement % e.cols + "] is " + badValue + "; model files hold finite values only");
                }
                offset += 4L * e.count();
                continue;
            }
            for (int k = 0; k < t.length; k++) {
                if (!Float.isFinite(t[k])) {
                    throw error("byte " + (offset + 4L * k), "tensor " + e.name + " element [" + k / e.cols + ", "
                            + k % e.cols + "] is " + t[k] + "; model files hold finite values only");
                }
            }
            offset += 4L * t.length;
        }
        Network net = build(root.field("architecture"), builder, parameterData);
        Normaliser normaliser = normaliser(normNode, normKind, center, scale, LayerTags.NORMALISER_CENTER,
                LayerTags.NORMALISER_SCALE);
        Normaliser targetNormaliser = normaliser(targetNode, targetKind, targetCenter, targetScale,
                LayerTags.TARGET_NORMALISER_CENTER, LayerTags.TARGET_NORMALISER_SCALE);
        if (extra != null) {
            extra.accept(parameterData, extraData);
        }
        List<String> names = featureNames(root.optional("feature_names"), arch.inputSize);
        List<String> classes = classNames(root.optional("class_names"), net, outputs);
        List<String> outputNames = targetNames(root.optional("target_names"), arch.loss, outputs);
        if (classes != null && outputNames != null) {
            // only a sigmoid or softmax output trained with a regression loss gets here (see classNames, targetNames)
            throw root.optional("class_names").error(SavedModel.classAndTargetNames(net));
        }
        Float threshold = threshold(root.optional("threshold"), net);
        CsvDialect dialect = csvDialect(root.optional("csv_dialect"));
        try {
            return new SavedModel(net, normaliser, metadata, targetNormaliser, names, classes, outputNames, threshold, dialect);
        } catch (IllegalArgumentException e) {
            throw root.field("metadata").error(e.getMessage(), e);
        }
    }

    // ---- sections -------------------------------------------------------------------------------

    /**
     * The optional class names: one string per class of a classifier (Network.outputsClasses, as SavedModel
     * checks: a classification loss, or a sigmoid or softmax output layer), none empty or padded, no two alike.
     */
    private static List<String> classNames(Node node, Network net, int outputs) throws ModelFormatException {
        if (node != null && !net.outputsClasses()) {
            throw node.error(SavedModel.regressionClasses(net));
        }
        int classes = SavedModel.classCount(outputs);
        return names(node, classes, n -> SavedModel.checkedClassNames(n, classes));
    }

    /** The optional target names: one string per output of a regression model, none empty or padded, no two alike. */
    private static List<String> targetNames(Node node, org.bpnn.loss.Loss loss, int outputs) throws ModelFormatException {
        if (node != null && loss.classification()) {
            throw node.error(SavedModel.classificationTargets(loss.name()));
        }
        return names(node, outputs, n -> SavedModel.checkedTargetNames(n, outputs));
    }

    /**
     * The optional threshold: a number that is a float strictly between 0 and 1 (read as the float the
     * writer wrote, its shortest decimal), for a network that takes one (one sigmoid output, or two
     * softmax outputs: OutputClass.takesThreshold, which reads the built network's output layer, so it is
     * checked after the network is built); null without the field.
     */
    private static Float threshold(Node node, Network net) throws ModelFormatException {
        if (node == null) {
            return null;
        }
        float t = (float) node.doubleValue(); // not floatValue: 1e-50 is the float 0, refused below as 0
        String problem = SavedModel.thresholdProblem(net, t);
        if (problem != null) {
            throw node.error(problem);
        }
        return t;
    }

    /**
     * The optional CSV dialect: an object of two one-character strings, {@code delimiter} and
     * {@code decimal_separator}, under {@link CsvDialect}'s rules; null without the field (the default
     * dialect, which bpnn does not write; written anyway, it reads back as null too).
     */
    private static CsvDialect csvDialect(Node node) throws ModelFormatException {
        if (node == null) {
            return null;
        }
        node.only(Set.of("delimiter", "decimal_separator"));
        Node d = node.field("delimiter"), ds = node.field("decimal_separator");
        char delimiter = oneCharacter(d, "the CSV delimiter", "a one-character string such as \";\" or \"\\t\" (a tab)");
        char decimal = oneCharacter(ds, "the CSV decimal separator", "\".\" or \",\"");
        String problem = CsvDialect.delimiterProblem(delimiter);
        if (problem != null) {
            throw d.error(problem + NOT_BPNNS);
        }
        problem = CsvDialect.decimalSeparatorProblem(decimal);
        if (problem != null) {
            throw ds.error(problem + NOT_BPNNS);
        }
        return new CsvDialect(delimiter, decimal);
    }

    /** A string of exactly one character (one UTF-16 unit: CsvReader separates by a char). */
    private static char oneCharacter(Node node, String what, String expected) throws ModelFormatException {
        String s = node.string();
        if (s.length() != 1) {
            throw node.error(what + " is \"" + abbreviate(s) + "\" (" + Counts.of(s.length(), "character") + "); expected "
                    + expected + NOT_BPNNS);
        }
        return s.charAt(0);
    }

    /** The optional feature names: one string per input, none empty or with surrounding whitespace, no two alike (null without the field). */
    private static List<String> featureNames(Node node, int inputs) throws ModelFormatException {
        return names(node, inputs, n -> SavedModel.checkedNames(n, inputs));
    }

    /** An optional array of exactly {@code count} strings, checked by {@code check} (its refusal names the field); null without it. */
    private static List<String> names(Node node, int count, java.util.function.UnaryOperator<List<String>> check)
            throws ModelFormatException {
        if (node == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (Node n : node.array(count, count)) {
            names.add(n.string());
        }
        try {
            return check.apply(names);
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage(), e);
        }
    }

    /** A normaliser section's kind (null without the section), its feature count checked against {@code features}. */
    private Normaliser.Kind normaliserKind(Node node, int features, String has, String but) throws ModelFormatException {
        if (node == null) {
            return null;
        }
        node.only(Set.of("kind", "features"));
        Normaliser.Kind kind;
        try {
            kind = LayerTags.normaliserKind(node.field("kind").string());
        } catch (IllegalArgumentException e) {
            throw node.field("kind").error(e.getMessage(), e);
        }
        // not maxUnits: the input size or output width is checked against it, and a count over it
        // would be "out of range (see ModelFile.Limits)" where the problem is the mismatch
        long n = node.field("features").integer(1, Long.MAX_VALUE);
        if (n != features) {
            throw node.field("features").error(has + Counts.of(n, "feature") + but);
        }
        return kind;
    }

    /** The normaliser of a section read by {@link #normaliserKind} (null without it), from its two tensors. */
    private static Normaliser normaliser(Node node, Normaliser.Kind kind, float[] center, float[] scale, String centerName,
                                         String scaleName) throws ModelFormatException {
        if (kind == null) {
            return null;
        }
        try {
            return Normaliser.of(kind, center, scale);
        } catch (IllegalArgumentException e) {
            throw node.error("invalid normaliser values in tensors " + centerName + "/" + scaleName + ": " + e.getMessage(), e);
        }
    }

    private Node parseJson(byte[] header) throws ModelFormatException {
        JsonNode tree;
        try {
            tree = Json.mapper(limits.maxHeaderBytes()).readTree(header);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            long at = loc == null ? -1 : loc.getByteOffset() >= 0 ? loc.getByteOffset() : loc.getCharOffset();
            String where = at >= 0 ? "byte " + (ModelFile.PREAMBLE_BYTES + at) : "byte " + ModelFile.PREAMBLE_BYTES;
            throw error(where, "malformed JSON header: " + e.getOriginalMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw error("byte " + ModelFile.PREAMBLE_BYTES, "malformed JSON header: " + e, e);
        }
        if (tree == null || !tree.isObject()) {
            throw error("byte " + ModelFile.PREAMBLE_BYTES, "the header must be a JSON object, got "
                    + (tree == null ? "nothing" : tree.getNodeType().toString().toLowerCase()));
        }
        return new Node(tree, "$");
    }

    /**
     * Refuses a header length no bpnn file has. ModelWriter refuses to write a header over the
     * default maxHeaderBytes, so a longer one is not bpnn's (or the length is damaged): raising the
     * limit is no remedy, and the refusal says so. Only limits below the default can refuse a header
     * bpnn wrote, and then the remedy is the caller's own limits.
     */
    private void checkHeaderLength(long headerLength) throws ModelFormatException {
        long written = ModelFile.Limits.DEFAULT.maxHeaderBytes();
        if (headerLength < 2) { // "{}", the shortest JSON object
            throw error("byte 12", "header length " + headerLength + " is less than the 2 bytes of the smallest JSON header"
                    + NOT_BPNNS);
        }
        if (headerLength > written && headerLength > limits.maxHeaderBytes()) {
            throw error("byte 12", "header length " + headerLength + " is more than the " + written + " bytes bpnn writes"
                    + NOT_BPNNS);
        }
        if (headerLength > limits.maxHeaderBytes()) {
            throw error("byte 12", "header length " + headerLength + " is more than the " + limits.maxHeaderBytes()
                    + " bytes the limits allow (ModelFile.Limits.maxHeaderBytes; bpnn writes up to " + written + "); to load it,"
                    + " pass limits with a maxHeaderBytes of at least " + headerLength);
        }
    }

    /**
     * An input size or layer width: within {@link ModelFile.Limits#MAX_UNITS} (wider, no network
     * bpnn builds has it), and then within maxUnits, else refused with {@link
     * ModelFormatException.OverLimits} (a network bpnn saves can be wider than the default allows).
     *
     * @param contents what the width is, for the refusal: "inputs" or "units in layers[i]"
     * @param previous the width before this layer (0 for the input): a layer the network cap refuses
     *                 is refused for that first, not with a remedy that only leads to it
     */
    private int width(Node n, String contents, int previous, long parametersBefore) throws ModelFormatException {
        long v = n.integer(1, Long.MAX_VALUE);
        if (v > ModelFile.Limits.MAX_UNITS) {
            throw n.error("the network has " + v + " " + contents + ", more than any network can have (at most " + Network.Builder.MAX_PARAMETERS
                    + " parameters, Network.Builder.MAX_PARAMETERS, each unit at least one)" + NOT_BPNNS);
        }
        if (previous > 0 && parametersBefore + previous * v + v > Network.Builder.MAX_PARAMETERS) {
            throw n.error("the network would have more than " + Network.Builder.MAX_PARAMETERS
                    + " parameters (Network.Builder.MAX_PARAMETERS, the most a network can have) by this layer ("
                    + previous + " x " + v + ")");
        }
        if (v > limits.maxUnits()) {
            throw overLimits(n, ModelFormatException.Limit.UNITS, v, contents);
        }
        return (int) v;
    }

    private Arch architecture(Node a) throws ModelFormatException {
        a.only(Set.of("input_size", "layers", "loss"));
        int inputSize = width(a.field("input_size"), "inputs", 0, 0);
        Node layersNode = a.field("layers");
        if (layersNode.n.isArray() && layersNode.n.size() > limits.maxLayers()) {
            throw overLimits(layersNode, ModelFormatException.Limit.LAYERS, layersNode.n.size(), "layers");
        }
        List<Node> layerNodes = layersNode.array(1, Integer.MAX_VALUE);
        List<LayerSpec> layers = new ArrayList<>();
        long total = 0;
        Node over = null;
        int prev = inputSize;
        for (Node l : layerNodes) {
            l.object();
            String type = l.field("type").string();
            if (type.equals(LayerTags.DROPOUT)) {
                l.only(Set.of("type", "rate"));
                // Read as the double the writer chose (ModelWriter.rateText): the layer derives its
                // scale from it, and the float rate widened back can give another scale. The range
                // is checked on the float rate, as the builder checks it (and as a reader of the float rate did).
                double rate = l.field("rate").doubleValue();
                float asFloat = (float) rate;
                if (!(asFloat >= 0f && asFloat < 1f)) {
                    throw l.field("rate").error("dropout rate must be in [0, 1), got " + asFloat);
                }
                // a tiny negative rate is the float -0, which the check accepts (as a reader of the float rate did)
                layers.add(new DropoutSpec(rate < 0 ? asFloat : rate));
                continue;
            }
            if (!type.equals(LayerTags.DENSE)) {
                throw l.field("type").error("unknown layer type '" + abbreviate(type) + "'; expected one of " + LayerTags.SUPPORTED);
            }
            l.only(Set.of("type", "units", "activation", "initializer"));
            // total <= 2^30 and each width <= 2^30: no overflow in width's check or here
            int units = width(l.field("units"), "units in " + l.path.substring("$.architecture.".length()), prev, total);
            total += (long) prev * units + units;
            if (over == null && total > limits.maxParameters()) {
                over = l.field("units"); // refused once the file's whole size is known, so that the message can name it
            }
            Node act = l.field("activation");
            act.only(Set.of("name", "parameter"));
            String name = act.field("name").string();
            float param = act.field("parameter").floatValue();
            Activation activation;
            try {
                activation = Activation.of(name, param);
            } catch (IllegalArgumentException e) {
                throw (name.equals("leaky_relu") ? act.field("parameter") : act.field("name")).error(e.getMessage(), e);
            }
            if (!name.equals("leaky_relu") && param != 0f) {
                throw act.field("parameter").error("activation " + name + " takes no parameter; expected 0, got " + param);
            }
            Initializer init;
            Node in = l.optional("initializer");
            try {
                init = in == null ? null : LayerTags.initializer(in.string());
            } catch (IllegalArgumentException e) {
                throw in.error(e.getMessage(), e);
            }
            layers.add(new DenseSpec(units, activation, init));
            prev = units;
        }
        Node lossNode = a.field("loss");
        lossNode.only(Set.of("name", "parameter"));
        String lossName = lossNode.field("name").string();
        double lossParam = lossNode.field("parameter").doubleValue();
        Loss loss;
        try {
            loss = Loss.of(lossName, lossParam);
        } catch (IllegalArgumentException e) {
            throw (lossName.equals("huber") ? lossNode.field("parameter") : lossNode.field("name")).error(e.getMessage(), e);
        }
        if (!lossName.equals("huber") && lossParam != 0) {
            throw lossNode.field("parameter").error("loss " + lossName + " takes no parameter; expected 0, got " + lossParam);
        }
        return new Arch(inputSize, layers, loss, total, over);
    }

    /**
     * The refusal of a file over {@link ModelFile.Limits#maxParameters}: what it holds, the limit, and
     * the call that loads it. A checkpoint of a network the library builds and writes (an Adam state
     * and the best weights are three more floats per parameter) passes the default limit of 2^28
     * floats from about 67M parameters, so the refusal says how many floats and how to load it.
     */
    private ModelFormatException tooManyFloats(Node where, long total, long parameters, long normalisers, long slots,
                                               long best) {
        StringBuilder parts = new StringBuilder().append(parameters).append(" parameters");
        if (normalisers > 0) parts.append(", ").append(normalisers).append(" normaliser values");
        if (slots > 0) parts.append(", ").append(slots).append(" optimiser state values");
        if (best > 0) parts.append(", ").append(best).append(" best weights");
        parts.append(", ").append(total * 4 / (1 << 20)).append(" MiB");
        return overLimits(where, ModelFormatException.Limit.FLOATS, total, parts.toString());
    }

    /**
     * The refusal of a file over one of the limits a caller may raise, with what it holds as
     * {@link ModelFormatException.OverLimits}. The remedy here is a call; the command line words its
     * own from the fields (a flag), never from this text.
     */
    private ModelFormatException overLimits(Node where, ModelFormatException.Limit which, long found, String contents) {
        long limit = which.in(limits);
        ModelFormatException.OverLimits over = new ModelFormatException.OverLimits(which, found, contents, limit,
                limits.equals(ModelFile.Limits.DEFAULT));
        String call = (over.defaultLimits() ? "ModelFile.Limits.DEFAULT." : "limits.") + which.with() + "(" + found + ")";
        String memory = over.needsMemory() ? " and have the memory" : "";
        return new ModelFormatException(source, where.path, over.what() + ", more than the " + limit + " the limits allow"
                + " (ModelFile.Limits." + which.component() + (over.defaultLimits() ? ", the default" : "") + "); if you trust"
                + " the file" + memory + ", load it with limits that allow them: pass " + call + " as the limits of"
                + " ModelFile.load or CheckpointFile.load (path, backend, limits)", null, over);
    }

    private ModelMetadata metadata(Node m) throws ModelFormatException {
        m.only(Set.of("library_version", "created", "backend", "seed", "training"));
        String lib = m.field("library_version").string();
        Instant created;
        try {
            created = Instant.parse(m.field("created").string());
        } catch (DateTimeParseException e) {
            throw m.field("created").error("expected an ISO-8601 instant such as 2026-01-31T12:00:00Z, got \""
                    + abbreviate(m.field("created").string()) + "\"", e);
        }
        String backendName = m.field("backend").string();
        long seed = m.field("seed").integer(Long.MIN_VALUE, Long.MAX_VALUE);
        Node t = m.field("training");
        t.object();
        if (t.n.size() > ModelMetadata.MAX_TRAINING_ENTRIES) {
            throw t.error("the training summary has " + t.n.size() + " entries, more than " + ModelMetadata.MAX_TRAINING_ENTRIES);
        }
        Map<String, Object> training = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : t.n.properties()) {
            Node v = new Node(e.getValue(), t.path + "." + e.getKey());
            if (v.n.isTextual()) {
                training.put(e.getKey(), v.n.textValue());
            } else if (v.n.isBoolean()) {
                training.put(e.getKey(), v.n.booleanValue());
            } else if (v.n.isIntegralNumber()) {
                training.put(e.getKey(), v.integer(Long.MIN_VALUE, Long.MAX_VALUE));
            } else if (v.n.isNumber()) {
                training.put(e.getKey(), v.doubleValue());
            } else {
                throw v.error("training summary values must be strings, booleans or numbers, got " + v.type());
            }
        }
        try {
            return new ModelMetadata(lib, created, backendName, seed, training);
        } catch (IllegalArgumentException e) {
            throw m.error(e.getMessage(), e);
        }
    }

    private void tensors(Node t, List<Expected> expected) throws ModelFormatException {
        // Count first, so the message states the one number the architecture needs (not a range).
        if (t.n.isArray() && t.n.size() != expected.size()) {
            throw t.error("expected " + expected.size() + " tensors for this architecture, got " + t.n.size());
        }
        List<Node> list = t.array(expected.size(), expected.size());
        for (int i = 0; i < list.size(); i++) {
            Node n = list.get(i);
            Expected e = expected.get(i);
            n.only(Set.of("name", "shape"));
            String name = n.field("name").string();
            if (!name.equals(e.name)) {
                throw n.field("name").error("expected tensor \"" + e.name + "\", got \"" + abbreviate(name) + "\"");
            }
            List<Node> shape = n.field("shape").array(2, 2);
            long rows = shape.get(0).integer(0, Integer.MAX_VALUE);
            long cols = shape.get(1).integer(0, Integer.MAX_VALUE);
            if (rows != e.rows || cols != e.cols) {
                throw n.field("shape").error("shape mismatch: " + e.name + " must be [" + e.rows + ", " + e.cols
                        + "] for this architecture, got [" + rows + ", " + cols + "]");
            }
        }
    }

    /** The file's network to build, checked ({@link Network.Builder#check()}): refused before its weights are allocated. */
    private Network.Builder builder(Node where, Arch arch, long seed) throws ModelFormatException {
        try {
            Network.Builder b = Network.builder(arch.inputSize);
            for (LayerSpec l : arch.layers) {
                if (l instanceof DenseSpec d) {
                    b.dense(d.units, d.activation, d.initializer);
                } else {
                    b.dropout(((DropoutSpec) l).rate);
                }
            }
            b.loss(arch.loss).seed(seed).backend(backend).check();
            return b;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw where.error("invalid network: " + e.getMessage(), e);
        }
    }

    /** The network around the parameter values read (checked: their sizes, and finite), without drawing initial weights. */
    private static Network build(Node where, Network.Builder builder, List<float[]> parameters) throws ModelFormatException {
        try {
            return builder.buildWrapping(parameters.toArray(new float[0][]));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw where.error("invalid network: " + e.getMessage(), e);
        }
    }

    // ---- bytes ----------------------------------------------------------------------------------

    private byte[] readBytes(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        fill(b);
        return b.array();
    }

    private void fill(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b);
            if (r < 0) {
                throw error("byte " + pos, "truncated: the file ended at byte " + pos + ", " + Counts.of(b.remaining(), "byte")
                        + " short: it shrank while loading (a copy writing over it in place?); wait for the copy to finish"
                        + " and load it again");
            }
            pos += r;
        }
    }

    /** Whether the bytes (at least one) are the magic or its start: a file cut within the magic is a bpnn file cut short. */
    private static boolean startsLikeMagic(byte[] b) {
        for (int i = 0; i < Math.min(b.length, ModelFile.MAGIC.length); i++) {
            if (b[i] != ModelFile.MAGIC[i]) return false;
        }
        return b.length > 0;
    }

    /**
     * The end of a refusal of a file that does not start with the magic: what it looks like, when its
     * first bytes say (another library's model, an archive, text), and what to do. The magic and the
     * bytes found alone would leave the user to know that 50 4B is a ZIP (a PyTorch .pt) and 89 48 44 46 HDF5.
     * {@code kind} is what the load expects: a checkpoint load is told to pass a checkpoint, not a model.
     */
    static String foreign(byte[] b, ModelFile.Kind kind) {
        String pass = kind == ModelFile.Kind.CHECKPOINT ? PASS_A_CHECKPOINT : PASS_A_MODEL;
        int n = b.length;
        if (n >= 4 && b[1] == 'B' && b[2] == 'P' && b[3] == 'N') {
            // 0x89 "BPN" CR LF ^Z LF exists to catch these (package documentation)
            return ": it starts like a bpnn model file, but its magic was altered in transfer (a copy as text, e.g. FTP"
                    + " ASCII mode or a line-ending conversion, changes its CR and LF bytes; a 7-bit one clears the top"
                    + " bit of 89), so the rest is damaged too; copy the file again in binary mode";
        }
        if (n >= 4 && b[0] == 'P' && b[1] == 'K' && (b[2] == 3 && b[3] == 4 || b[2] == 5 && b[3] == 6)) {
            return ": it is a ZIP archive (as PyTorch .pt/.pth and Keras .keras models are); bpnn loads only its own"
                    + " model files" + SAVED_BY + ": if the archive holds one, extract it and pass that";
        }
        if (n >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'H' && b[2] == 'D' && b[3] == 'F') {
            return ": it is an HDF5 file (as Keras .h5 models are); bpnn loads only its own model files" + SAVED_BY
                    + ", not other libraries' models";
        }
        if (Gzip.startsWithMagic(b)) {
            return ": it is gzip-compressed; if it holds a bpnn " + kind.noun + " file, decompress it (gunzip) and pass that";
        }
        if (n >= 2 && (b[0] & 0xFF) == 0x80 && b[1] >= 2 && b[1] <= 5) {
            return ": it looks like a Python pickle (as older PyTorch .pt/.pth models are); bpnn loads only its own"
                    + " model files" + SAVED_BY + ", not other libraries' models";
        }
        int i = 0;
        if (n >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) i = 3; // a UTF-8 byte-order mark
        while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) i++;
        if (i < n && (b[i] == '{' || b[i] == '[')) {
            return ": it is JSON text; a bpnn model file is binary (a 20-byte preamble, a JSON header, then the weights as"
                    + " float32), so a JSON model cannot be loaded" + pass;
        }
        boolean text = true, zeros = true;
        for (byte c : b) {
            text &= c >= 0x20 && c < 0x7F || c == '\t' || c == '\r' || c == '\n' || (c & 0x80) != 0;
            zeros &= c == 0;
        }
        if (zeros && n >= ModelFile.MAGIC.length) {
            return ": it starts with zero bytes only, as a file whose space was reserved but never written does (a copy"
                    + " cut short by a crash or power loss?); copy or save the " + kind.noun + " again";
        }
        if (text && n >= ModelFile.MAGIC.length) {
            return ": it starts like text (a CSV or other data file given as the " + kind.noun + "?)" + pass;
        }
        return pass;
    }

    /** The remedy for a file whose checksum does not match: nothing in it can be trusted or repaired. */
    private static final String DAMAGED = "; copy the file again from where it came from, or save the model again";

    private static final String SAVED_BY = " (saved by ModelFile.save or CheckpointFile.save)";

    /** The remedy for a file of another kind, given to a model load (which loads a checkpoint's model too). */
    private static final String PASS_A_MODEL = "; pass a model file saved by bpnn (ModelFile.save, or a checkpoint from"
            + " CheckpointFile.save)";

    /** The remedy for a file of another kind, given to a checkpoint load (which refuses a model file). */
    private static final String PASS_A_CHECKPOINT = "; pass a checkpoint file saved by bpnn (CheckpointFile.save or"
            + " CheckpointFile.everyEpoch)";

    /**
     * The end of a refusal of a file cut short: its likely cause and the remedy ("truncated: the data
     * section needs 332 bytes ..." alone says neither). Not a bpnn save: it writes a temporary file and renames it.
     */
    private static final String INCOMPLETE = "; the file is incomplete: it is still being copied, or its copy or download"
            + " was cut short (interrupted, or the disk was full); wait for the copy to finish, or copy the file again"
            + " (a bpnn save never leaves a partial file: it writes a temporary file and renames it)";

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 8); i++) {
            if (i > 0) sb.append(' ');
            sb.append(String.format("%02X", b[i] & 0xFF));
        }
        return sb.toString();
    }

    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }

    ModelFormatException error(String location, String problem) {
        return new ModelFormatException(source, location, problem);
    }

    ModelFormatException error(String location, String problem, Throwable cause) {
        return new ModelFormatException(source, location, problem, cause);
    }

    /** The end of a refusal of a value bpnn never writes, where no setting would help. */
    private static final String NOT_BPNNS = "; the file was not written by bpnn, or is damaged";

    /** A JSON value and its path, with typed accessors that fail with the path. */
    final class Node {
        final JsonNode n;
        final String path;

        Node(JsonNode n, String path) {
            this.n = n;
            this.path = path;
        }

        ModelFormatException error(String problem) {
            return ModelReader.this.error(path, problem);
        }

        ModelFormatException error(String problem, Throwable cause) {
            return ModelReader.this.error(path, problem, cause);
        }

        String type() {
            return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        }

        void object() throws ModelFormatException {
            if (!n.isObject()) {
                throw error("expected an object, got " + type());
            }
        }

        Node field(String name) throws ModelFormatException {
            object();
            JsonNode v = n.get(name);
            if (v == null) {
                throw error("missing field \"" + name + "\"");
            }
            return new Node(v, path + "." + name);
        }

        Node optional(String name) throws ModelFormatException {
            object();
            JsonNode v = n.get(name);
            return v == null || v.isNull() ? null : new Node(v, path + "." + name);
        }

        /** Fails on any field not in {@code allowed}: a file is either fully understood or refused. */
        void only(Set<String> allowed) throws ModelFormatException {
            object();
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!allowed.contains(f)) {
                    throw error("unknown field \"" + abbreviate(f) + "\"; expected only " + new TreeSet<>(allowed));
                }
            }
        }

        List<Node> array(int min, int max) throws ModelFormatException {
            if (!n.isArray()) {
                throw error("expected an array, got " + type());
            }
            if (n.size() < min || n.size() > max) {
                throw error("expected " + (min == max ? "" + min : min + ".." + max) + " elements, got " + n.size());
            }
            List<Node> out = new ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
                out.add(new Node(n.get(i), path + "[" + i + "]"));
            }
            return out;
        }

        boolean bool() throws ModelFormatException {
            if (!n.isBoolean()) {
                throw error("expected true or false, got " + type());
            }
            return n.booleanValue();
        }

        String string() throws ModelFormatException {
            if (!n.isTextual()) {
                throw error("expected a string, got " + type());
            }
            return n.textValue();
        }

        /**
         * A whole number in min..max, the range of the format itself (a shape is an int, a checkpoint has
         * at most 8 slots), which bpnn never writes outside: a value outside is refused as a file not
         * bpnn's or damaged. Limits a caller may raise ({@link ModelFile.Limits}) are checked by the
         * callers after this, with {@link ModelFormatException.OverLimits}: this refusal does not point
         * at them (saying "(see ModelFile.Limits)" for any bounded range would send there a tensor shape
         * over 2^31 - 1 too, which no limit admits).
         */
        long integer(long min, long max) throws ModelFormatException {
            if (!n.isIntegralNumber()) {
                throw error("expected a whole number, got " + (n.isNumber() ? n.asText() : type()));
            }
            if (!n.canConvertToLong()) {
                throw error("number " + abbreviate(n.asText()) + " is out of range " + min + ".." + max + NOT_BPNNS);
            }
            long v = n.longValue();
            if (v < min || v > max) {
                throw error((v < 0 && min >= 0 ? "negative size " : "value ") + v + " is out of range " + min + ".." + max
                        + NOT_BPNNS);
            }
            return v;
        }

        float floatValue() throws ModelFormatException {
            float f = Float.parseFloat(decimal());
            if (!Float.isFinite(f)) {
                throw error("number " + abbreviate(decimal()) + " is not a finite float");
            }
            return f;
        }

        double doubleValue() throws ModelFormatException {
            double d = Double.parseDouble(decimal());
            if (!Double.isFinite(d)) {
                throw error("number " + abbreviate(decimal()) + " is not a finite double");
            }
            return d;
        }

        /** The exact decimal text of a number (parsed by Float/Double.parseFloat: correctly rounded once). */
        private String decimal() throws ModelFormatException {
            if (!n.isNumber()) {
                throw error("expected a number, got " + type());
            }
            return n.isIntegralNumber() ? n.bigIntegerValue().toString() : n.decimalValue().toString();
        }
    }
}
