package org.bpnn.examples.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bpnn.backend.Backend;
import org.bpnn.data.Normaliser;
import org.bpnn.examples.BackendOptions;
import org.bpnn.examples.InputPaths;
import org.bpnn.examples.LibraryLog;
import org.bpnn.examples.ModelLimitOptions;
import org.bpnn.examples.Summary;
import org.bpnn.io.model.Checkpoint;
import org.bpnn.io.model.CheckpointFile;
import org.bpnn.io.model.CsvDialect;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.ModelFormatException;
import org.bpnn.io.model.ModelMetadata;
import org.bpnn.io.model.SavedModel;
import org.bpnn.nn.Dropout;
import org.bpnn.nn.Layer;
import org.bpnn.nn.Network;
import org.bpnn.nn.Parameter;
import org.bpnn.train.BatchSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What this shows: what a saved model file holds, without predicting. Loads it as {@code predict}
 * does (every check of {@link ModelFile#load}, under the same --max-floats, --max-layers and
 * --max-units limits) and prints the network's {@link Network#summary()} (layers, parameters, loss),
 * then the file's facts: its kind and format version, the feature, class and target names, the
 * normalisers, the threshold, the CSV dialect (delimiter and decimal separator) it was trained on, where it came from (bpnn version, date, backend, seed) and the training
 * summary it was saved with. A checkpoint file (which {@code ModelFile.load} also reads, for its model)
 * is said to be one, with the epoch and optimiser of its training state and the batch settings it
 * recorded (batch size, last partial batch, shuffle, validation split and its seed: what a restore
 * compares). With {@code --json} the same facts are one JSON object instead.
 *
 * <p>How to run: {@code ./bpnn inspect --model runs/fashion-mnist/model.bpnn} (add {@code --json}
 * for a script).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show what a saved model (or checkpoint) file holds: layers, parameters, names, normalisers, CSV dialect, training summary.")
public final class InspectCommand implements Callable<Integer> {
    /** Names listed in the text form, the rest counted ("... (784 in all)"); --json lists them all. */
    static final int SHOWN_NAMES = 20;

    @Mixin
    BackendOptions backendOptions = new BackendOptions();

    @Mixin
    ModelLimitOptions limitOptions = new ModelLimitOptions();

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "A model file saved by bpnn (e.g. runs/fashion-mnist/model.bpnn), or a checkpoint file.")
    Path model;

    @Option(names = "--json", description = "Print one JSON object with every fact instead of the text.")
    boolean json;

    /** The file's kind and format version: facts the loaded {@link SavedModel} does not keep. */
    record FileFacts(long formatVersion, boolean checkpoint) {}

    @Override
    public Integer call() throws IOException {
        InputPaths.requireFile("--model", model, "a model file saved by bpnn; train one with ./bpnn train or"
                + " ./bpnn fashion-mnist (writes runs/fashion-mnist/model.bpnn)");
        ModelFile.Limits limits = limitOptions.limits();
        return LibraryLog.withoutInfo(() -> inspect(limits));
    }

    private int inspect(ModelFile.Limits limits) throws IOException {
        Backend backend = backendOptions.resolve();
        SavedModel saved;
        Checkpoint checkpoint = null;
        try {
            // every check first: the peek below reads only a file this has accepted
            saved = ModelFile.load(model, backend, limits);
            FileFacts facts = peek(model, limits);
            if (facts.checkpoint()) {
                checkpoint = CheckpointFile.load(model, backend, limits); // for its training state
                saved = checkpoint.model();
            }
            print(saved, facts, checkpoint, backend);
        } catch (ModelFormatException e) {
            throw ModelLimitOptions.forTheCommandLine(e);
        }
        return 0;
    }

    private void print(SavedModel saved, FileFacts facts, Checkpoint checkpoint, Backend backend) {
        Network net = saved.network();
        ModelMetadata meta = saved.metadata();
        // predict's rule for its class column: a classification loss, or a sigmoid or softmax output layer (as
        // ./bpnn seed's network trained with mse), whose saved threshold predict then applies
        boolean classifier = net.outputsClasses();
        Summary s = new Summary("inspect", backend).put("model", model.toString())
                .put("kind", facts.checkpoint() ? "checkpoint" : "model").put("format_version", facts.formatVersion())
                .put("parameters", net.parameterCount());
        if (!json) {
            StringBuilder out = new StringBuilder();
            out.append("Model file: ").append(model).append(" (bpnn ").append(facts.checkpoint() ? "checkpoint" : "model")
                    .append(" file, format version ").append(facts.formatVersion()).append(")\n");
            if (checkpoint != null) {
                out.append("Training state: after epoch ").append(checkpoint.state().epoch()).append(", optimiser ")
                        .append(checkpoint.state().optimizer().optimizer()).append(" at step ")
                        .append(checkpoint.state().optimizer().step()).append("\n");
                out.append("Batch settings: ").append(batchSettings(checkpoint.batchSettings())).append('\n');
            }
            out.append('\n').append(net.summary()).append("\n\n");
            out.append("Task: ").append(classifier ? "classification, " + SavedModel.classCount(net) + " classes"
                    : "regression, " + net.outputSize() + (net.outputSize() == 1 ? " output" : " outputs")).append('\n');
            out.append("Features: ").append(names(saved.featureNames(), net.inputSize())).append('\n');
            if (classifier) {
                out.append("Classes: ").append(names(saved.classNames(), SavedModel.classCount(net))).append('\n');
            }
            if (!classifier || saved.targetNames() != null) {
                // a sigmoid or softmax output trained with a regression loss may have been saved with target names instead
                out.append("Targets: ").append(names(saved.targetNames(), net.outputSize())).append('\n');
            }
            out.append("Input normaliser: ").append(normaliser(saved.normaliser(), "inputs go in as they are")).append('\n');
            if (!classifier || saved.targetNormaliser() != null) {
                out.append("Target normaliser: ").append(normaliser(saved.targetNormaliser(), "outputs are in the targets' units")).append('\n');
            }
            // the two-class models a threshold applies to (one sigmoid output, or two softmax outputs, as ./bpnn
            // train saves; whatever the loss, as predict's class column): the saved one, else the default rule
            boolean softmaxPair = net.outputSize() == 2;
            if (SavedModel.takesThreshold(net)) { // a saved threshold implies it (SavedModel refuses one otherwise)
                out.append("Threshold: ").append(saved.threshold() != null
                        ? saved.threshold() + (softmaxPair ? " (class 1 from this probability of class 1, output1)"
                                : " (class 1 from this probability)")
                        : softmaxPair ? "none saved (the larger probability; class 0 on a tie)"
                        : "none saved (class 1 from probability 0.5)").append('\n');
            }
            out.append("CSV dialect: ").append(saved.csvDialect() != null
                    ? saved.csvDialect() + " (the training CSV's; predict reads a CSV with it unless --delimiter or"
                            + " --decimal-separator is given)"
                    : "none saved (" + CsvDialect.DEFAULT + ", the defaults)").append('\n');
            out.append("Saved by: bpnn ").append(meta.libraryVersion()).append(", ").append(meta.created())
                    .append(", trained on the ").append(meta.backend()).append(" backend, seed ").append(meta.seed()).append('\n');
            if (meta.training().isEmpty()) {
                out.append("Training summary: none saved\n");
            } else {
                out.append("Training summary:\n");
                int width = 0;
                for (String k : meta.training().keySet()) width = Math.max(width, k.length());
                for (Map.Entry<String, Object> e : meta.training().entrySet()) {
                    out.append("  ").append(e.getKey()).append(':').append(" ".repeat(width - e.getKey().length() + 1))
                            .append(e.getValue()).append('\n');
                }
            }
            System.out.print(out);
            System.out.println(s.toJson());
            return;
        }
        if (checkpoint != null) {
            s.put("checkpoint_epoch", checkpoint.state().epoch()).put("optimizer", checkpoint.state().optimizer().optimizer())
                    .put("optimizer_step", checkpoint.state().optimizer().step())
                    .put("batching", batching(checkpoint.batchSettings()));
        }
        s.put("input_size", net.inputSize()).put("outputs", net.outputSize())
                .put("task", classifier ? "classification" : "regression")
                .put("loss", net.loss().name());
        if (net.loss().parameter() != 0) s.put("loss_parameter", net.loss().parameter());
        s.put("layers", layers(net))
                .put("feature_names", saved.featureNames()).put("class_names", saved.classNames())
                .put("target_names", saved.targetNames())
                .put("normaliser", kind(saved.normaliser())).put("target_normaliser", kind(saved.targetNormaliser()))
                .put("threshold", saved.threshold())
                .put("csv_dialect", dialect(saved.csvDialect()))
                .put("library_version", meta.libraryVersion()).put("created", meta.created().toString())
                .put("trained_backend", meta.backend()).put("seed", meta.seed())
                .put("training", meta.training());
        System.out.println(s.toJson());
    }

    /**
     * A checkpoint's batch settings for the text in BatchSettings' own words ({@link BatchSettings#summary()},
     * which its toString wraps: "batch size 8, last partial batch kept, shuffle on, validation split 0.2
     * stratified, split seed 7"), not a copy of them here that could drift; or why there are none.
     */
    static String batchSettings(BatchSettings b) {
        if (b == null) {
            return "not recorded (a checkpoint written before 2026-12-01; a restore cannot compare them with the trainer's)";
        }
        return b.summary();
    }

    /** A checkpoint's batch settings as the file's checkpoint.batching writes them, or null when it recorded none. */
    private static Map<String, Object> batching(BatchSettings b) {
        if (b == null) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch_size", b.batchSize());
        m.put("drop_last_partial_batch", b.dropLastPartialBatch());
        m.put("shuffle", b.shuffle());
        m.put("validation_split", b.validationSplit());
        m.put("stratified_split", b.stratifiedSplit());
        m.put("split_seed", b.validationSplit() > 0 ? b.splitSeed() : null); // no split, no seed recorded
        return m;
    }

    /** Each layer as an object: kind, output width, activation (or dropout rate), parameters. */
    private static List<Map<String, Object>> layers(Network net) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Layer l : net.layers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            long count = 0;
            for (Parameter p : l.parameters()) count += p.size();
            m.put("kind", l.getClass().getSimpleName());
            m.put("outputs", l.outputSize());
            if (l instanceof Dropout d) {
                m.put("rate", d.rate());
            } else {
                m.put("activation", l.activation().name());
                if (l.activation().parameter() != 0) m.put("activation_parameter", l.activation().parameter());
            }
            m.put("parameters", count);
            out.add(m);
        }
        return out;
    }

    /** The saved CSV dialect as the model file writes it (one-character strings), or null when none is saved (',' and '.'). */
    private static Map<String, Object> dialect(CsvDialect d) {
        if (d == null) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("delimiter", String.valueOf(d.delimiter()));
        m.put("decimal_separator", String.valueOf(d.decimalSeparator()));
        return m;
    }

    private static String kind(Normaliser n) {
        return n == null ? null : n.kind().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String normaliser(Normaliser n, String without) {
        return n == null ? "none (" + without + ")"
                : kind(n) + " over " + n.featureCount() + (n.featureCount() == 1 ? " column" : " columns") + ", saved with the model";
    }

    /** "3, named a, b, c", or "784, unnamed"; long lists cut at {@link #SHOWN_NAMES}. */
    static String names(List<String> names, int count) {
        if (names == null) return count + ", unnamed";
        StringBuilder sb = new StringBuilder().append(count).append(": ");
        int shown = Math.min(names.size(), SHOWN_NAMES);
        for (int i = 0; i < shown; i++) sb.append(i == 0 ? "" : ", ").append(names.get(i));
        if (names.size() > shown) sb.append(", ... (").append(names.size()).append(" in all; --json lists them)");
        return sb.toString();
    }

    /**
     * The file's format version and whether it is a checkpoint, which the loaded model does not say.
     * The version is the u32 at bytes 8..11, where every version keeps it (package documentation of
     * org.bpnn.io.model); in version 1 the header (a JSON object of the length at bytes 12..15, from
     * byte 20) has a "checkpoint" section in a checkpoint file only. Called after {@link ModelFile#load}
     * accepted the file, so the bytes are bpnn's; a file replaced in between is refused, not misread.
     */
    static FileFacts peek(Path file, ModelFile.Limits limits) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer pre = readFully(ch, 20);
            long version = Integer.toUnsignedLong(pre.getInt(8));
            if (version != 1) {
                return new FileFacts(version, false); // a later layout: the loader knew it, this peek does not
            }
            long length = Integer.toUnsignedLong(pre.getInt(12));
            if (length > limits.maxHeaderBytes()) {
                throw new EOFException("header of " + length + " bytes");
            }
            JsonNode root = new ObjectMapper().readTree(readFully(ch, (int) length).array());
            return new FileFacts(version, root != null && root.has("checkpoint"));
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + " changed while it was being inspected (it loaded, then could not be read again: "
                    + e.getMessage() + "); run inspect again once it is no longer being written", e);
        }
    }

    private static ByteBuffer readFully(FileChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) throw new EOFException("the file ended after " + b.position() + " of " + n + " bytes");
        }
        return b;
    }
}
