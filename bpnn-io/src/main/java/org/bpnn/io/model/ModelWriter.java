package org.bpnn.io.model;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.bpnn.data.Normaliser;
import org.bpnn.io.internal.Counts;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Dense;
import org.bpnn.nn.Dropout;
import org.bpnn.nn.Layer;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;

/** Turns a model (and optionally more sections, e.g. a checkpoint's) into the file's bytes. */
final class ModelWriter {
    /** Floats are converted and written this many bytes at a time. */
    static final int CHUNK_BYTES = 64 * 1024;

    private ModelWriter() {}

    /** One float32 array of the data section, with the name and shape listed in the header. */
    record Blob(String name, int rows, int cols, float[] data) {}

    /** More header fields and tensors after the model's own (a checkpoint's training state). */
    interface Extra {
        /** Writes fields into the root object, after "metadata". */
        void writeJson(JsonGenerator g) throws IOException;

        /** Tensors appended after the model's. */
        List<Blob> tensors();

        /**
         * Values to write for the network's parameters instead of the network's own (a checkpoint
         * writes the weights its training state captured), in {@code network.parameters()} order;
         * null for the network's.
         */
        default float[][] weights() {
            return null;
        }
    }

    /** A validated model ready to write: the preamble and header bytes and the data blobs. */
    static final class Prepared {
        private final byte[] head;
        private final List<Blob> blobs;
        /** The network whose own weight arrays are written (null when they are not), and its weight version then. */
        private final Network watched;
        private final long version;

        private Prepared(byte[] head, List<Blob> blobs, Network watched, long version) {
            this.head = head;
            this.blobs = blobs;
            this.watched = watched;
            this.version = version;
        }

        void write(WritableByteChannel ch, ModelFile.SaveHook hook) throws IOException {
            writeFully(ch, ByteBuffer.wrap(head));
            hook.at("header");
            ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            boolean first = true;
            for (Blob b : blobs) {
                float[] d = b.data;
                for (int off = 0; off < d.length; ) {
                    int n = Math.min(CHUNK_BYTES / 4, d.length - off);
                    buf.clear();
                    buf.asFloatBuffer().put(d, off, n);
                    buf.limit(n * 4);
                    writeFully(ch, buf);
                    off += n;
                    if (first) {
                        hook.at("data");
                        first = false;
                    }
                }
            }
            checkUnchanged(watched, version);
        }
    }

    /**
     * The seqlock read side over a whole save (as {@link Network}'s predict does): the weights are
     * read twice, hashed for the header and then written, so a training step on another thread in
     * between would give a file whose data fails its own checksum; such a save is refused instead.
     */
    private static void checkUnchanged(Network net, long version) {
        if (net == null) {
            return;
        }
        VarHandle.acquireFence(); // the weight reads above happen before the version is read again
        if ((version & 1) != 0 || net.weightVersion() != version) {
            throw new IllegalStateException("the network's weights changed while saving (training on another thread?), so "
                    + "nothing was saved: save between training steps (e.g. from a TrainingListener) or after training");
        }
    }

    private static void writeFully(WritableByteChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /**
     * Checks the model can be saved (built-in layers, activations and loss; finite weights) and
     * builds the header. Throws {@link IllegalArgumentException} naming the offending part.
     */
    static Prepared prepare(SavedModel model, Extra extra) throws IOException {
        Network net = model.network();
        long version = net.weightVersion();
        List<Blob> blobs = new ArrayList<>();
        checkSupported(net);
        List<Layer> layers = net.layers();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof Dense d) { // Dropout has no parameters; its rate is in the header
                blobs.add(blob(LayerTags.weightName(i), d.weight().value()));
                blobs.add(blob(LayerTags.biasName(i), d.bias().value()));
            }
        }
        float[][] weights = extra == null ? null : extra.weights();
        Network watched = weights == null ? net : null; // written from the network's own arrays
        checkUnchanged(watched, version); // fails now when a weight write is in progress
        if (weights != null) {
            if (weights.length != blobs.size()) {
                throw new IllegalArgumentException("the state holds " + weights.length + " parameter arrays but the network has "
                        + blobs.size() + "; capture the state from this network");
            }
            for (int k = 0; k < weights.length; k++) {
                Blob b = blobs.get(k);
                if (weights[k] == null || weights[k].length != b.data.length) {
                    throw new IllegalArgumentException("the state's parameter " + k + " has "
                            + (weights[k] == null ? "no values" : Counts.of(weights[k].length, "value")) + ", but " + b.name + " has "
                            + b.data.length + "; capture the state from this network");
                }
                blobs.set(k, new Blob(b.name, b.rows, b.cols, weights[k]));
            }
        }
        // Normaliser.of refuses what the reader would refuse (a subnormal scale): any normaliser can be written
        addNormaliser(blobs, model.normaliser(), LayerTags.NORMALISER_CENTER, LayerTags.NORMALISER_SCALE);
        addNormaliser(blobs, model.targetNormaliser(), LayerTags.TARGET_NORMALISER_CENTER, LayerTags.TARGET_NORMALISER_SCALE);
        if (extra != null) {
            blobs.addAll(extra.tensors());
        }
        for (Blob b : blobs) {
            float[] d = b.data;
            for (int k = 0; k < d.length; k++) {
                if (!Float.isFinite(d[k])) {
                    throw new IllegalArgumentException("refusing to save: " + b.name + "[" + k / b.cols + ", " + k % b.cols
                            + "] is " + d[k] + " (training diverged?); model files hold finite values only");
                }
            }
        }
        MessageDigest sha = sha256();
        long bytes = 0;
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (Blob b : blobs) {
            for (int off = 0; off < b.data.length; ) {
                int n = Math.min(CHUNK_BYTES / 4, b.data.length - off);
                buf.clear();
                buf.asFloatBuffer().put(b.data, off, n);
                sha.update(buf.array(), 0, n * 4);
                off += n;
            }
            bytes += 4L * b.data.length;
        }
        byte[] header = header(model, blobs, bytes, HexFormat.of().formatHex(sha.digest()), extra);
        ByteBuffer head = ByteBuffer.allocate(ModelFile.PREAMBLE_BYTES + header.length).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(header);
        head.put(ModelFile.MAGIC).putInt(ModelFile.VERSION).putInt(header.length).putInt((int) crc.getValue()).put(header);
        return new Prepared(head.array(), blobs, watched, version);
    }

    /** A normaliser's center and scale tensors (1, features), when there is one. */
    private static void addNormaliser(List<Blob> blobs, Normaliser norm, String centerName, String scaleName) {
        if (norm != null) {
            int f = norm.featureCount();
            blobs.add(new Blob(centerName, 1, f, norm.center()));
            blobs.add(new Blob(scaleName, 1, f, norm.scale()));
        }
    }

    /** A normaliser's header section ({@code kind}, {@code features}), when there is one. */
    private static void writeNormaliser(JsonGenerator g, String field, Normaliser norm) throws IOException {
        if (norm != null) {
            g.writeObjectFieldStart(field);
            g.writeStringField("kind", LayerTags.normaliserKind(norm.kind()));
            g.writeNumberField("features", norm.featureCount());
            g.writeEndObject();
        }
    }

    /** The file's tensor name of each of the network's parameters, in {@code network.parameters()} order. */
    static List<Blob> parameterBlobs(Network net) {
        List<Blob> out = new ArrayList<>();
        for (int i = 0; i < net.layers().size(); i++) {
            if (net.layers().get(i) instanceof Dense d) {
                out.add(blob(LayerTags.weightName(i), d.weight().value()));
                out.add(blob(LayerTags.biasName(i), d.bias().value()));
            }
        }
        return out;
    }

    static Blob blob(String name, Tensor t) {
        return new Blob(name, t.rows(), t.cols(), t.data());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** What a refusal of a custom piece adds: the way to keep such a network's weights without a model file. */
    static final String CUSTOM_PIECE_ADVICE = "; to keep such a network, keep the code that builds it and save its"
            + " weights yourself: ParameterSnapshot.of(network).values() are its parameters' values in network order,"
            + " and ParameterSnapshot.of(values).restoreTo(network) puts them back into a network built the same way";

    /**
     * Refuses a network that model files cannot hold (a custom layer, activation or loss), naming the
     * first such piece: checked by every save and by {@link CheckpointFile#everyEpoch} before the
     * first epoch is trained.
     */
    static void checkSupported(Network net) {
        List<Layer> layers = net.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (l instanceof Dense d) {
                checkActivation(i, d.activation());
            } else if (!(l instanceof Dropout)) {
                // named by its class alone: Layer has no name(), and a custom layer's toString is seldom its own, so
                // the message read "layer 1 (MyLayer@1b6d3586) is a MyLayer", the class twice and an identity hash
                throw new IllegalArgumentException("layer " + (i + 1) + " is a " + l.getClass().getName()
                        + ", which model files cannot hold; supported layer types: " + LayerTags.SUPPORTED
                        + CUSTOM_PIECE_ADVICE);
            }
        }
        checkLoss(net.loss());
    }

    private static void checkActivation(int i, Activation a) {
        Activation builtin;
        try {
            builtin = Activation.of(a.name(), a.parameter());
        } catch (IllegalArgumentException e) {
            builtin = null;
        }
        if (builtin == null || builtin.getClass() != a.getClass() || Float.compare(builtin.parameter(), a.parameter()) != 0) {
            // named by its name() and class: a custom activation seldom has a toString, and the message would read
            // "uses activation Softplus@1b6d3586 (Softplus)", without the name the user gave it
            throw new IllegalArgumentException("layer " + (i + 1) + " uses activation '" + a.name() + "' ("
                    + a.getClass().getName() + "), which is " + (builtin != null ? "named like a built-in one but is " : "")
                    + "not a built-in activation; model files hold "
                    + String.join(", ", LayerTags.ACTIVATIONS) + " only" + CUSTOM_PIECE_ADVICE);
        }
    }

    private static void checkLoss(Loss loss) {
        Loss builtin;
        try {
            builtin = Loss.of(loss.name(), loss.parameter());
        } catch (IllegalArgumentException e) {
            builtin = null;
        }
        if (builtin == null || builtin.getClass() != loss.getClass() || Double.compare(builtin.parameter(), loss.parameter()) != 0) {
            // named by its name() and class, as a custom activation is: the message would read "the loss
            // MyLoss@1b6d3586 (MyLoss)", without the name the user gave it
            throw new IllegalArgumentException("the loss '" + loss.name() + "' (" + loss.getClass().getName()
                    + ") is not a built-in loss; model files hold " + String.join(", ", LayerTags.LOSSES) + " only" + CUSTOM_PIECE_ADVICE);
        }
    }

    private static byte[] header(SavedModel model, List<Blob> blobs, long bytes, String sha, Extra extra) throws IOException {
        Network net = model.network();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.mapper(ModelFile.Limits.DEFAULT.maxHeaderBytes()).getFactory()
                .createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("format", ModelFile.FORMAT);
            g.writeNumberField("version", ModelFile.VERSION);
            g.writeObjectFieldStart("architecture");
            g.writeNumberField("input_size", net.inputSize());
            g.writeArrayFieldStart("layers");
            for (Layer l : net.layers()) {
                if (l instanceof Dropout dr) {
                    g.writeStartObject();
                    g.writeStringField("type", LayerTags.DROPOUT);
                    g.writeFieldName("rate");
                    g.writeNumber(rateText(dr));
                    g.writeEndObject();
                    continue;
                }
                Dense d = (Dense) l;
                g.writeStartObject();
                g.writeStringField("type", LayerTags.DENSE);
                g.writeNumberField("units", d.outputSize());
                g.writeObjectFieldStart("activation");
                g.writeStringField("name", d.activation().name());
                g.writeFieldName("parameter");
                g.writeNumber(Float.toString(d.activation().parameter()));
                g.writeEndObject();
                g.writeStringField("initializer", LayerTags.initializerName(d.initializer()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("loss");
            g.writeStringField("name", net.loss().name());
            g.writeFieldName("parameter");
            g.writeNumber(Double.toString(net.loss().parameter()));
            g.writeEndObject();
            g.writeEndObject();

            writeNormaliser(g, "normaliser", model.normaliser());
            writeNormaliser(g, "target_normaliser", model.targetNormaliser());
            writeNames(g, "feature_names", model.featureNames());
            writeNames(g, "class_names", model.classNames());
            writeNames(g, "target_names", model.targetNames());
            if (model.threshold() != null) { // absent without one: such a file is what a bpnn from before the field reads
                g.writeFieldName("threshold");
                g.writeNumber(Float.toString(model.threshold())); // the shortest decimal that reads back as the float
            }
            CsvDialect dialect = model.csvDialect(); // null for the default: SavedModel keeps ',' and '.' as none
            if (dialect != null) {
                // absent for the default dialect, so that such a file is what was written before and a reader from
                // before the field (which refuses a field it does not know) still reads it
                g.writeObjectFieldStart("csv_dialect");
                g.writeStringField("delimiter", String.valueOf(dialect.delimiter()));
                g.writeStringField("decimal_separator", String.valueOf(dialect.decimalSeparator()));
                g.writeEndObject();
            }

            ModelMetadata m = model.metadata();
            g.writeObjectFieldStart("metadata");
            g.writeStringField("library_version", m.libraryVersion());
            g.writeStringField("created", DateTimeFormatter.ISO_INSTANT.format(m.created()));
            g.writeStringField("backend", m.backend());
            g.writeNumberField("seed", m.seed());
            g.writeObjectFieldStart("training");
            for (Map.Entry<String, Object> e : m.training().entrySet()) {
                g.writeFieldName(e.getKey());
                Object v = e.getValue();
                if (v instanceof String s) g.writeString(s);
                else if (v instanceof Boolean b) g.writeBoolean(b);
                else if (v instanceof Long n) g.writeNumber(n);
                else g.writeNumber(Double.toString((Double) v + 0.0)); // -0.0 as 0.0: JSON numbers read back without the sign of zero
            }
            g.writeEndObject();
            g.writeEndObject();

            if (extra != null) {
                extra.writeJson(g);
            }

            g.writeArrayFieldStart("tensors");
            for (Blob b : blobs) {
                g.writeStartObject();
                g.writeStringField("name", b.name);
                g.writeArrayFieldStart("shape");
                g.writeNumber(b.rows);
                g.writeNumber(b.cols);
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("data");
            g.writeStringField("dtype", "float32");
            g.writeStringField("byte_order", "little_endian");
            g.writeNumberField("bytes", bytes);
            g.writeStringField("sha256", sha);
            g.writeEndObject();
            g.writeEndObject();
        }
        out.write('\n');
        byte[] header = out.toByteArray();
        if (header.length > ModelFile.Limits.DEFAULT.maxHeaderBytes()) {
            throw new IllegalArgumentException("the header would be " + header.length + " bytes, more than the "
                    + ModelFile.Limits.DEFAULT.maxHeaderBytes() + " a default load accepts; shorten the training summary"
                    + (named(model) ? " or the names" : ""));
        }
        // Read it back under the reader's own constraints: a string over 64 KiB or a name over 256
        // characters in the training summary would be written, and the file then refused by every load.
        try {
            Json.mapper(ModelFile.Limits.DEFAULT.maxHeaderBytes()).readTree(header);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("refusing to save: a load would refuse the header (" + e.getOriginalMessage()
                    + "); keep the training summary's strings" + (named(model) ? " and each name" : "")
                    + " under " + Json.MAX_STRING_LENGTH + " characters and the summary's names under " + Json.MAX_NAME_LENGTH, e);
        }
        return header;
    }

    /** Whether the model holds any names (feature, class or target), whose length a refusal then mentions. */
    private static boolean named(SavedModel model) {
        return model.featureNames() != null || model.classNames() != null || model.targetNames() != null;
    }

    /** An optional array of names (nothing when null). */
    private static void writeNames(JsonGenerator g, String field, List<String> names) throws IOException {
        if (names != null) {
            g.writeArrayFieldStart(field);
            for (String n : names) {
                g.writeString(n);
            }
            g.writeEndArray();
        }
    }

    /**
     * A dropout layer's rate as a decimal that rebuilds the layer exactly. The layer keeps a float
     * rate and a float scale rounded once from the double it was built with, and for most rates that
     * are not floats the float rate widened back gives another scale (0.45: 1.8181818, not
     * 1.8181819), so resumed training would differ in the last bit. The reader reads the decimal as a
     * double and passes it to {@code Network.Builder.dropout}: this writes the float rate's shortest
     * decimal when that rebuilds both (the file's text as before, e.g. "0.45" from dropout(0.45)),
     * otherwise a double between those that round to the rate whose scale is the layer's. Either
     * rounds to the float rate, so a reader that reads the rate as a float reads the same rate.
     */
    static String rateText(Dropout d) {
        float rate = d.rate(), scale = d.scale();
        String shortest = Float.toString(rate);
        if (rebuilds(shortest, rate, scale)) {
            return shortest;
        }
        // The doubles that round to the rate lie between the midpoints to its neighbours (exact in
        // a double); the scale grows with the rate, so the smallest one reaching the layer's scale
        // is found by bisection. The layer was built from one of them, so one rebuilds it.
        double a = ((double) Math.nextDown(rate) + rate) / 2, b = ((double) rate + Math.nextUp(rate)) / 2;
        if (scaleOf(a) < scale) {
            while (Math.nextUp(a) < b) {
                double m = a + (b - a) / 2;
                if (!(m > a && m < b)) m = Math.nextUp(a);
                if (scaleOf(m) >= scale) b = m; else a = m;
            }
            a = b;
        }
        // a few neighbours too, in case the first one's decimal parses to another float (a tie)
        double r = a;
        for (int i = 0; i < 64 && scaleOf(r) == scale; i++, r = Math.nextUp(r)) {
            String text = Double.toString(r);
            if (rebuilds(text, rate, scale)) {
                return text;
            }
        }
        return shortest; // not reached for a layer built by Dropout's constructor
    }

    /** The scale Dropout's constructor derives from a double rate. */
    private static float scaleOf(double rate) {
        return (float) (1.0 / (1.0 - rate));
    }

    private static boolean rebuilds(String text, float rate, float scale) {
        double r = Double.parseDouble(text);
        return Float.floatToIntBits(Float.parseFloat(text)) == Float.floatToIntBits(rate)
                && Float.floatToIntBits((float) r) == Float.floatToIntBits(rate)
                && Float.floatToIntBits(scaleOf(r)) == Float.floatToIntBits(scale);
    }
}
