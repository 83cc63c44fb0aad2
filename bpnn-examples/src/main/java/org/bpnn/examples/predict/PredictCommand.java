package org.bpnn.examples.predict;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.ZipException;
import org.bpnn.backend.Backend;
import org.bpnn.data.Normaliser;
import org.bpnn.examples.BackendOptions;
import org.bpnn.examples.CsvOptions;
import org.bpnn.examples.InputPaths;
import org.bpnn.examples.LibraryLog;
import org.bpnn.examples.ModelLimitOptions;
import org.bpnn.examples.OutputPaths;
import org.bpnn.examples.Summary;
import org.bpnn.io.data.CsvData;
import org.bpnn.io.data.CsvFormatException;
import org.bpnn.io.data.CsvReader;
import org.bpnn.io.internal.Counts;
import org.bpnn.io.internal.KeptQuotes;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.ModelFormatException;
import org.bpnn.io.model.SavedModel;
import org.bpnn.nn.Network;
import org.bpnn.nn.OutputClass;
import org.bpnn.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What this shows: using a saved model. Loads a model file written by bpnn-io, reads inputs from a
 * CSV file (features only; a header row is optional) or an IDX image file (raw pixel values 0..255),
 * applies the model's normaliser, predicts, and writes one CSV row per sample: the predicted class
 * (argmax; for one output, 1 from probability 0.5, as {@link Network#predictClasses}; or for a
 * two-class model, one output or two softmax outputs as {@code ./bpnn train} saves two classes, 1
 * where the probability of class 1 is at least the threshold the model was saved with
 * ({@code SavedModel.withThreshold}) or {@code --threshold} gives;
 * none for a regression model: mse, mae or huber with an output layer that is neither sigmoid nor softmax,
 * {@link Network#outputsClasses}), its name when the model was saved with
 * class names (a {@code class_name} column, quoted when it holds a comma, quote or line break), and
 * then for a classifier the probability of each class ({@link SavedModel#predictProbabilities}: a logits
 * model's outputs through its sigmoid or softmax, a sigmoid or softmax output's as they are), headed
 * {@code probability_<class name>} (quoted as a CSV field when needed) or {@code probability<j>}, and for
 * one sigmoid output, the probability of class 1, {@code probability_<name of class 1>} or {@code probability1};
 * for a regression model every output ({@code output0}, ..., or {@code predicted_<name>} for one saved with
 * target names, e.g. {@code predicted_price}). Both formats give the model the values as they are in the file: the
 * same images as IDX or as a CSV of their 0..255 pixels get the same predictions, and a model from
 * the fashion-mnist example (whose saved normaliser was fitted on raw pixels) takes either. With
 * {@code --id-column} (a CSV with a header), that column's text comes first, to join the predictions
 * back to the rows by; it is never an input of a model without feature names. {@code --input -} reads
 * standard input, and a named pipe or {@code /dev/stdin} is read the same way: once, into memory
 * ({@link PredictInput}), as the steps that look at the start of a file each read it from its first byte.
 * A CSV is read with the delimiter and decimal separator the model was trained with ({@code ./bpnn train}
 * saves them when not ',' and '.': {@code SavedModel.csvDialect()}) unless --delimiter or
 * --decimal-separator is given; a flag that differs from the model's wins, with a note on standard error.
 *
 * <p>How to run: {@code ./bpnn predict --model runs/fashion-mnist/model.bpnn
 * --input /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz --output predictions.csv}.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predict with a saved model from a CSV or IDX file (or standard input: --input -); writes predictions as CSV:"
                + " [id,]row, then for a classifier class[,class_name] and the probability of each class, headed"
                + " probability_<class name> (or probability<j> without class names; one sigmoid output is the probability"
                + " of class 1: probability_<name of class 1> or probability1), for a regression model output<j> (or"
                + " predicted_<name> with target names, in the targets' units)."})
public final class PredictCommand implements Callable<Integer> {
    /** How many leading bytes --format auto looks at for a NUL byte (binary, so IDX). */
    static final int SNIFF_BYTES = 512;

    @Mixin
    BackendOptions backendOptions = new BackendOptions();

    @Mixin
    CsvOptions.ModelDefaults csvOptions = new CsvOptions.ModelDefaults();

    @Mixin
    ModelLimitOptions limitOptions = new ModelLimitOptions();

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model file saved by bpnn (e.g. runs/fashion-mnist/model.bpnn).")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "Inputs: a CSV file (.gz or plain) of the model's feature columns, in training order (a label column may stay in when "
                    + "the model was saved with feature names: see below), or an IDX file (.gz or plain) of images, read as raw "
                    + "pixel values 0-255 like a CSV of pixels (the model's saved normaliser maps them as in training). The CSV's first "
                    + "line is a header of column names unless every cell in it is a number, in which case it is the first sample; "
                    + "a first line that mixes numbers with other or empty cells, or is exactly 0,1,...,n-1 with n >= 2 (pandas' "
                    + "names for unnamed columns), is refused (see --header). With a header, a model saved with feature names "
                    + "takes its columns by name, in any order (other columns are left out); a first line of numbers that holds every "
                    + "one of its names is refused (see --header). Missing values in the columns read (an empty cell, NA, N/A, NaN, "
                    + "nan, NULL, null or ?, as ./bpnn train reads them) are refused, counted per column: fill them in as the "
                    + "training data's were filled, or drop those rows. --input - reads standard input, for data piped in: it, a named pipe, "
                    + "/dev/stdin or a process substitution <(...), which can be read only once, is read into memory (gzip still "
                    + "detected; up to 2 GiB as it comes, a larger one is refused: save it to a file), and errors name it "
                    + "(\"standard input\" for -).")
    Path input;

    @Option(names = "--header", defaultValue = "auto", paramLabel = "auto|yes|no",
            description = "Whether the CSV's first line is a header of column names: auto (by the rule under --input), yes or "
                    + "no (default: ${DEFAULT-VALUE}).")
    String header;

    @Option(names = "--id-column", paramLabel = "COLUMN",
            description = "A column of the CSV's header (an id, a key) whose text is written as the predictions' first column,"
                    + " named as in the header and quoted when it holds a comma, quote or line break, so that the predictions"
                    + " can be joined back to the rows, and that names a row in a refusal of its outputs; never read as an input (unless the model was saved with it among its"
                    + " feature names): for a model without feature names, the other columns are its inputs, in order. For a CSV"
                    + " with a header only (not IDX, nor --header no or a first line of numbers).")
    String idColumn;

    @Option(names = "--output", paramLabel = "FILE", description = "Where to write the predictions CSV, atomically (a hidden"
            + " file in its directory, renamed over FILE; /dev/stdout or a pipe is written in place); its directory is created"
            + " if missing, as train's --out is (default: standard output, followed there by the run's JSON line; - also means"
            + " standard output).")
    Path output;

    @Option(names = "--format", defaultValue = "auto", paramLabel = "csv|idx|auto",
            description = "csv, idx or auto (by content: a NUL byte among the first " + SNIFF_BYTES
                    + " bytes, of the decompressed data when gzipped, is IDX; anything else CSV; UTF-16 or UTF-32 text, with a byte-order mark or NUL bytes beside its"
                    + " ASCII characters, is CSV, refused with advice to save it as UTF-8) (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--threshold", paramLabel = "P",
            description = "For a two-class model, with one sigmoid output or two softmax outputs (as ./bpnn train saves"
                    + " two classes), whatever the loss: class 1 where the probability of class 1 (the one"
                    + " output, or the second of two: the column probability1 or probability_<name of class 1>) is at least"
                    + " P, strictly between 0 and 1, overriding the threshold the model was saved with"
                    + " (by SavedModel.withThreshold). Without either: probability 0.5 for one output, the larger of two (class 0"
                    + " on a tie, where P = 0.5 says 1). Refused for more than two classes (their class is the"
                    + " argmax, which one threshold does not move). Moves only the class column; the probability (or output)"
                    + " columns are as the model gives them.")
    Float threshold;

    /** --input as read (set by predict): its name in messages, "standard input" for -. */
    private PredictInput source;

    /** With --id-column: the column's name as the header has it, and its text per sample (set by readCsv). */
    private String idName;
    private List<String> ids;

    @Override
    public Integer call() throws IOException {
        // ./bpnn train named too, as evaluate and inspect name it: naming the main job only would leave a user of train's CSV models without theirs
        InputPaths.requireFile("--model", model, "a model file saved by bpnn; train one with ./bpnn train (--out) or"
                + " ./bpnn fashion-mnist (writes runs/fashion-mnist/model.bpnn)");
        if (!PredictInput.isStream(input)) {
            InputPaths.requireFile("--input", input, "a CSV or IDX file of inputs, or - for standard input");
        }
        ModelFile.Limits limits = limitOptions.limits(); // each flag in its range, before any work
        checkThreshold(threshold);
        String f = format.toLowerCase(Locale.ROOT);
        if (!f.equals("auto") && !f.equals("csv") && !f.equals("idx")) {
            throw new IllegalArgumentException("unknown --format '" + format + "'; expected csv, idx or auto");
        }
        String h = header.toLowerCase(Locale.ROOT);
        if (!h.equals("auto") && !h.equals("yes") && !h.equals("no")) {
            throw new IllegalArgumentException("unknown --header '" + header + "'; expected auto, yes or no");
        }
        char d = csvOptions.delimiter(); // one character, not a line break or the quote character
        char ds = csvOptions.decimalSeparator();
        // the reader takes ds == d only with a header line and quoted decimals ("1,5",2, as pandas writes them, and
        // as ./bpnn train reads them): without one an unquoted 1,5 would be two inputs on every row alike
        refuseHeaderNo(d, ds);
        if (idColumn != null && idColumn.isBlank()) {
            throw new IllegalArgumentException("--id-column is empty; expected the name of a column of the CSV's header");
        }
        if (idColumn != null && f.equals("idx")) {
            throw new IllegalArgumentException("--id-column is for a CSV input with a header, but --format is idx (images have"
                    + " no columns; their rows are numbered in the row column); leave --id-column out");
        }
        if (idColumn != null && h.equals("no")) {
            throw new IllegalArgumentException("--id-column needs the CSV's header line to name the column, but --header is no;"
                    + " leave --id-column out (the row column numbers the samples), or add a header line and drop --header no");
        }
        if (output != null && output.toString().equals("-")) {
            output = null;
        }
        if (output != null) {
            OutputPaths.file("--output", output); // before the work, not after it
            notTheSameFile(output, "--model", model);
            if (!PredictInput.isStream(input)) {
                // a stream is read to its end before the output is opened, and writing to it destroys nothing
                notTheSameFile(output, "--input", input);
            }
        }
        return LibraryLog.withoutInfo(() -> predict(f, limits));
    }

    /** Refuses a --threshold that is not a probability strictly between 0 and 1 (null: not given). */
    static void checkThreshold(Float threshold) {
        if (threshold != null && !(threshold > 0f && threshold < 1f)) { // NaN fails both
            throw new IllegalArgumentException("--threshold must be a probability strictly between 0 and 1, got " + threshold);
        }
    }

    /**
     * A predict that reads as this command reads (the format sniff, the header rule, the model's dialect and
     * feature names, standard input) and predicts, for evaluate, which adds the label columns ({@link Labels}) and
     * scores what comes back instead of writing it: one reading of the input for both commands.
     */
    static PredictCommand reading(BackendOptions backendOptions, CsvOptions.ModelDefaults csvOptions, Path model, Path input, Float threshold) {
        PredictCommand p = new PredictCommand();
        p.backendOptions = backendOptions;
        p.csvOptions = csvOptions;
        p.model = model;
        p.input = input;
        p.threshold = threshold;
        p.header = "auto";
        p.format = "auto";
        return p;
    }

    /**
     * What evaluate adds to predict's reading: the format it needs, the label (and weight) columns of a CSV, and the
     * wording of the reader's refusals of those columns. Predict itself has none (null): its CSV is all inputs.
     */
    interface Labels {
        /**
         * Refuses an input of the format the labels are not for, or a model they cannot score, before the input is
         * read ({@code csv}: the sniff's answer; {@code source}: the input's name in messages).
         */
        void requireFormat(SavedModel saved, boolean csv, String source);

        /**
         * The reader {@code b} (header and dialect set) with the label columns chosen, after checking them against
         * the first record, {@code header} (null when there is none: a first line of numbers), and the model's
         * {@code featureNames} (null: the other columns are its inputs, in order, as the reader's defaults take them).
         */
        CsvReader.Builder columns(CsvReader.Builder b, List<String> header, List<String> featureNames);

        /**
         * Refuses inputs of {@code rows} samples that the labels do not match, before the model predicts (labels kept in
         * a file of their own, evaluate's --labels, are read here, once the input's format is known).
         */
        void requireRows(int rows) throws IOException;

        /**
         * A reader's refusal of a label column, or of missing values (in any column read), reworded for the command
         * line, or null for predict's wording.
         */
        CsvFormatException reword(CsvFormatException e, PredictInput source, CsvReader reader) throws IOException;
    }

    /**
     * What predict computed, before it writes it.
     *
     * @param data the CSV as read (features, and with {@link Labels} the labels and weights), or null for IDX
     * @param out the columns predict writes: a classifier's class probabilities ({@link #probabilities}), else the
     *     outputs (in the targets' units when the model has a target normaliser)
     * @param raw the network's own outputs, as the loss takes them (with {@link Labels} always a copy; else it may be
     *     {@code out} itself, changed into probabilities)
     * @param preActivation the output layer's z for {@link Network#lossOf} (with {@link Labels} and a network whose
     *     cost is computed from it; else null)
     * @param cls the classes ({@link SavedModel#classesOf}), or null for a regression
     */
    record Predicted(Backend backend, SavedModel saved, PredictInput source, CsvData data, Tensor out, Tensor raw,
            Tensor preActivation, int[] cls, double seconds) {
    }

    /**
     * Loads the model, reads --input (with {@code labels}' columns too, for evaluate; null for predict) and
     * predicts: {@link Predicted}. Every refusal of the model, the input and the outputs is made here.
     */
    Predicted predicted(String f, ModelFile.Limits limits, Labels labels) throws IOException {
        Backend backend = backendOptions.resolve();
        SavedModel saved;
        try {
            saved = ModelFile.load(model, backend, limits);
        } catch (ModelFormatException e) {
            throw ModelLimitOptions.forTheCommandLine(e);
        }
        Network net = saved.network();
        if (threshold != null) {
            // before the inputs are read: the flag, not the model, is what to change
            String refusal = OutputClass.thresholdRefusal(net); // the library's rule: SavedModel.withThreshold's
            if (refusal != null) {
                throw new IllegalArgumentException("--threshold was given, but " + model + " takes none: " + refusal
                        + "; leave --threshold out");
            }
            // a network that takes a threshold outputs classes (OutputClass refuses a regression's values first), so
            // its class column is written: one sigmoid output trained with mse included
            saved = saved.withThreshold(threshold);
        }
        // read once here, after the model's refusals, which need not wait for a pipe's writer to finish
        source = PredictInput.isStream(input) ? PredictInput.stream(input, System.in, PredictInput.MAX_STREAM_BYTES)
                : PredictInput.file(input);
        refuseModelFile(source);
        boolean csv = f.equals("csv") || f.equals("auto") && !looksLikeIdx(source);
        if (labels != null) labels.requireFormat(saved, csv, source.toString());
        if (idColumn != null && !csv) {
            throw new IllegalArgumentException("--id-column is for a CSV input with a header, but " + source + " is an IDX file"
                    + " (images have no columns; their rows are numbered in the row column); leave --id-column out");
        }
        if (csv) {
            // the dialect the model was trained on is the default of the flags not given (IDX input has none to read)
            csvOptions.defaultTo(saved.csvDialect());
            csvOptions.noteOverrides();
            // refused here only with a character of the model's: the flags alone were refused in call()
            refuseHeaderNo(csvOptions.delimiter(), csvOptions.decimalSeparator());
        }
        CsvData data = csv ? readCsv(saved.featureNames(), labels) : null;
        Tensor x = csv ? data.features() : source.readImages();
        if (labels != null) labels.requireRows(x.rows());
        if (x.cols() != net.inputSize()) {
            // A wider CSV is most often the training file or a test split, its target column still in: said
            // so, with the two ways out. A model with feature names takes its columns by name (extras left out).
            int extra = x.cols() - net.inputSize();
            throw new IllegalArgumentException(source + " has " + Counts.of(x.cols(), "feature") + " per sample, but the model takes "
                    + net.inputSize() + "; use inputs of the same shape as the training data"
                    + (csv && extra > 0 && saved.featureNames() == null ? ": the CSV holds the model's input columns only, in"
                            + " training order, so drop the " + extra + " other column" + (extra == 1 ? "" : "s") + " (a target"
                            + " column, for one), or save the model with its feature names (SavedModel.withFeatureNames("
                            + "csv.featureNames())), which lets predict take its columns by header name from a wider CSV" : "")
                    // with a header, a model with names takes its columns by name, so the widths differ only without one:
                    // "the same shape as the training data" alone says not which columns, nor that a header fixes it
                    + (csv && saved.featureNames() != null ? ": the model's inputs are " + CsvOptions.quoted(saved.featureNames())
                            + ", in that order; " + source + " has no header line, so its columns are taken in order: add a"
                            + " header line naming its columns, and the model takes its own by name" : ""));
        }
        // The readers refuse non-finite values (CsvReader names the line; IDX holds bytes), so a
        // non-finite value after normalising can only be the normaliser's doing (it says which).
        Normaliser normaliser = saved.normaliser();
        if (normaliser != null) {
            try {
                x = normaliser.apply(x);
            } catch (Normaliser.OverflowException e) {
                int j = e.feature();
                throw new IllegalArgumentException("the model's normaliser overflowed: it turned the finite " + e.input() + " ("
                        + sample(csv, e.row()) + " of " + source + ", feature " + j + ") into "
                        + e.result() + " (center "
                        + normaliser.center()[j] + ", scale " + normaliser.scale()[j] + "); check the normaliser saved in " + model
                        + " (refit it and save the model again) or the units of the input", e);
            }
        }
        // evaluate's loss is the trainer's: from the output layer's z where the network's cost is computed from it
        Tensor z = labels != null && net.costFromPreActivation() ? Tensor.zeros(x.rows(), net.outputSize()) : null;
        long t0 = System.nanoTime();
        Tensor out;
        if (z == null) {
            out = net.predict(x);
        } else {
            out = Tensor.zeros(x.rows(), net.outputSize());
            net.predict(x, out, z);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        // a classifier's columns are its class probabilities (probabilities(saved)), which a target normaliser does not
        // map (SavedModel.predictProbabilities does not either); a regression's, and the outputs of a sigmoid or softmax
        // output trained with a regression loss and saved with target names, are values, in the targets' units
        boolean probabilities = probabilities(saved);
        // the class is read from the network's own outputs (SavedModel.classesOf, as its predictClasses), not from
        // them mapped into a target normaliser's units: only a sigmoid or softmax output trained with a regression
        // loss has both (a classification loss refuses a target normaliser), and its 0.5 is a probability's
        Tensor raw = labels != null || !probabilities && net.outputsClasses() && saved.targetNormaliser() != null ? out.copy() : out;
        if (saved.targetNormaliser() != null && !probabilities) {
            try {
                saved.targetNormaliser().inverseInPlace(out); // back into the targets' units, in the tensor predict made
            } catch (Normaliser.InverseOverflowException e) {
                // the row named as the other refusals name it (its data row, its id), not only by the tensor's index
                throw new IllegalArgumentException("the model's target normaliser overflowed on its output " + e.feature() + " for "
                        + sample(csv, e.row()) + " of " + source + ": " + e.getMessage() + "; check (or retrain) " + model, e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the model's target normaliser overflowed on its outputs: " + e.getMessage()
                        + "; check (or retrain) " + model, e);
            }
        }
        // Checked before anything is written: a NaN row in a predictions file looks like a result.
        requireFinite(out, (i, j, v) -> "the model's output " + j + " for " + sample(csv, i) + " of " + source + " is " + v
                + " although the input is finite: the model's weights" + (normaliser == null ? "" : " or its normaliser")
                + " overflow float; check (or retrain) " + model);
        // from the outputs as the network gives them, before they become probabilities: the threshold rule's class
        int[] cls = net.outputsClasses() ? saved.classesOf(raw) : null;
        if (probabilities) {
            // SavedModel.predictProbabilities' own step on the outputs already made (no second forward pass): a logits
            // model's through the backend's sigmoid or softmax, a sigmoid or softmax output's left as they are (the same
            // bits as the outputs). Finite logits give finite probabilities (the softmax subtracts the row's maximum)
            net.logitsToProbabilities(out);
        }
        return new Predicted(backend, saved, source, data, out, raw, z, cls, seconds);
    }

    private int predict(String f, ModelFile.Limits limits) throws IOException {
        Predicted p = predicted(f, limits, null);
        Backend backend = p.backend();
        SavedModel saved = p.saved();
        Tensor out = p.out();
        int[] cls = p.cls();
        boolean probabilities = probabilities(saved);
        double seconds = p.seconds();
        if (output == null) {
            // System.out is not ours to close: closing it would swallow the JSON line below
            Writer w = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
            writeCsv(w, out, cls, probabilities, saved, idName, ids);
            w.flush();
        } else {
            // atomically (rows streamed into a hidden file, renamed over it at the end): a failed or interrupted run
            // leaves an existing file as it was, not half a CSV; its directory is made only now, so a failed run leaves none
            OutputPaths.writeAtomically("--output", output, "the predictions", stream -> {
                try (Writer w = outputWriter.apply(new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8)))) {
                    writeCsv(w, out, cls, probabilities, saved, idName, ids);
                }
            });
        }
        Summary s = new Summary("predict", backend).put("model", model.toString()).put("samples", out.rows())
                .put("seconds", seconds).put("output", output == null ? "stdout" : output.toString());
        if (saved.threshold() != null) { // only a network that outputs classes takes one (OutputClass.takesThreshold)
            s.put("threshold", saved.threshold()); // the class column's, saved or from --threshold
        }
        System.out.println(s.toJson());
        return 0;
    }

    /** A test seam: wraps the --output file's writer (a test's fails part-way); identity otherwise. */
    java.util.function.UnaryOperator<Writer> outputWriter = java.util.function.UnaryOperator.identity();

    /** Refuses an --output that is the model or the input: writing the predictions would destroy it. */
    private static void notTheSameFile(Path output, String flag, Path other) throws IOException {
        notTheSameFile(output, flag, other, "the predictions");
    }

    /** Refuses an --output that is the file {@code flag} names: writing {@code what} there would destroy it. */
    static void notTheSameFile(Path output, String flag, Path other, String what) throws IOException {
        if (Files.exists(output) && Files.isSameFile(output, other)) {
            throw new IllegalArgumentException("--output " + output + " is the " + flag + " file; writing " + what + " would "
                    + "overwrite it; choose another --output");
        }
    }

    /**
     * Names row i as the predictions do (0-based), and for a CSV also as its 1-based data row (line
     * numbers are not kept past the reader, which checks each line itself) and, with --id-column, by its
     * id as the file has it, which the user looks rows up by (a row number alone would have them count lines).
     */
    private String sample(boolean csv, int i) {
        String id = ids != null && i < ids.size() ? ", " + idName + " \"" + ids.get(i) + "\"" : "";
        return "sample " + i + (csv ? " (data row " + (i + 1) + id + ")" : "");
    }

    @FunctionalInterface
    private interface Problem {
        String describe(int row, int col, float value);
    }

    private static void requireFinite(Tensor t, Problem problem) {
        int i = t.firstNonFinite();
        if (i >= 0) {
            throw new IllegalArgumentException(problem.describe(i / t.cols(), i % t.cols(), t.data()[i]));
        }
    }

    /**
     * Whether predict writes {@code saved}'s class probabilities: its network outputs classes
     * ({@link Network#outputsClasses}) and it has no target names. Target names are a regression loss's
     * (never beside class names): on a sigmoid or softmax output trained with mse they say its outputs are
     * values to write as such, in the targets' units, as bpnn-spark's {@code SparkScorer} writes them too.
     */
    static boolean probabilities(SavedModel saved) {
        return saved.network().outputsClasses() && saved.targetNames() == null;
    }

    /**
     * The class is {@link SavedModel#classesOf}'s: the model's threshold on the probability of class 1
     * when it was saved with one or --threshold gave one (one output, or two softmax outputs), else the
     * argmax, or for one output probability 0.5 (the argmax of one column is always 0), for a model whose network
     * outputs classes ({@link Network#outputsClasses}: a classification loss, or a sigmoid or softmax output layer,
     * as ./bpnn seed's network trained with mse); a regression model (mse, mae, huber with another output layer) has
     * none. With class names (only a classifier has them) each class's name follows its index. A classifier's
     * columns are its class probabilities ({@link #probabilityColumn}); with target names (a regression loss's, never
     * beside class names) output j's column is {@code predicted_<name j>}, else {@code output<j>}.
     *
     * @param out the columns written: the class probabilities when {@code probabilities}, else the outputs, in the
     *     targets' units when the model has a target normaliser
     * @param cls the classes ({@link SavedModel#classesOf} of the network's own outputs), or null for a regression
     */
    private static void writeCsv(Writer w, Tensor out, int[] cls, boolean probabilities, SavedModel saved, String idName,
            List<String> ids) throws IOException {
        List<String> classNames = saved.classNames(), targetNames = saved.targetNames();
        int k = out.cols();
        boolean classes = cls != null;
        StringBuilder header = new StringBuilder(idName == null ? "" : csvField(idName) + ",");
        header.append(classes ? "row,class" : "row");
        if (classNames != null) header.append(",class_name"); // beside the index: scripts reading "class" keep working
        for (int j = 0; j < k; j++) {
            header.append(',').append(probabilities ? probabilityColumn(classNames, k, j) : outputColumn(targetNames, j));
        }
        w.write(header.append('\n').toString());
        float[] d = out.data();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < out.rows(); i++) {
            line.setLength(0);
            if (ids != null) line.append(csvField(ids.get(i))).append(',');
            line.append(i);
            if (classes) line.append(',').append(cls[i]);
            if (classNames != null) line.append(',').append(csvField(classNames.get(cls[i])));
            for (int j = 0; j < k; j++) line.append(',').append(d[i * k + j]);
            w.write(line.append('\n').toString());
        }
    }

    /**
     * A classifier's column j of {@code k}: the probability of class j, {@code probability_<class name>} for a
     * model saved with class names (as a CSV field: quoted when the name holds a comma, quote or line break), else
     * {@code probability<j>}. One output (a sigmoid, or a binary cross-entropy's logit) is the probability of class 1,
     * class 0's being 1 minus it, so its column is named after class 1: {@code probability_<name of class 1>} or
     * {@code probability1}, never {@code probability0}, which would read as class 0's.
     */
    static String probabilityColumn(List<String> classNames, int k, int j) {
        int c = k == 1 ? 1 : j;
        return classNames == null ? "probability" + c : csvField("probability_" + classNames.get(c));
    }

    /**
     * Output j's column name: {@code predicted_<target name>} for a model saved with target names,
     * else {@code output<j>}. Prefixed, not the bare target name: the predictions of {@code price}
     * are not the prices, and a predictions file pasted or joined beside the labelled CSV (truth next
     * to estimate, the usual check) keeps two distinct columns instead of two called {@code price};
     * nor can a target called {@code row} give the header two {@code row} columns.
     */
    static String outputColumn(List<String> targetNames, int j) {
        return targetNames == null ? "output" + j : csvField("predicted_" + targetNames.get(j));
    }

    /** A CSV field: quoted (quotes doubled) when it holds a comma, a quote or a line break. */
    static String csvField(String v) {
        return v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0 ? v
                : '"' + v.replace("\"", "\"\"") + '"';
    }

    /**
     * IDX when binary: UTF-8 text never holds a NUL byte, while every IDX file starts with one (and a
     * damaged IDX file then gets the IDX reader's message about its magic number, not a puzzling CSV
     * error). Gzip data is judged by its decompressed start, as both readers decompress it: judged by its
     * compressed bytes, a .csv.gz would be taken for IDX, refused with "expected 00 00 (IDX magic), found 61 2C"; gzip data cut short or
     * damaged is judged by the start it shows (the reader chosen then names the damage), and gzip data too
     * damaged to show any is left to the IDX reader, which names the damage. Not IDX: UTF-16 or UTF-32
     * text ({@link CsvReader#wideTextEncoding}), which a Windows "Unicode" export is; its byte-order mark
     * or NUL bytes would make it IDX, refused with "expected 00 00 (IDX magic), found ff fe", while the CSV
     * reader names the encoding and the remedy.
     */
    static boolean looksLikeIdx(Path file) throws IOException {
        return looksLikeIdx(PredictInput.file(file));
    }

    /** ModelFile.MAGIC (package-private in bpnn-io): the first bytes of every model and checkpoint file. */
    private static final byte[] MODEL_MAGIC = {(byte) 0x89, 'B', 'P', 'N', '\r', '\n', 0x1A, '\n'};

    /**
     * A model file given as --input (the two flags swapped, or the model passed twice), refused as such: read as data,
     * its NUL bytes would make it IDX, refused as "not an IDX file", which names neither the mix-up nor the way out;
     * under --format csv it would be refused as text that is not UTF-8.
     */
    private static void refuseModelFile(PredictInput file) throws IOException {
        byte[] head = new byte[MODEL_MAGIC.length];
        int n = 0;
        try (InputStream in = file.open(MODEL_MAGIC.length)) {
            for (int r; n < head.length && (r = in.read(head, n, head.length - n)) > 0; ) n += r;
        } catch (ZipException | EOFException e) {
            return; // damaged gzip: not a model file, and the readers name the damage
        }
        if (n == MODEL_MAGIC.length && Arrays.equals(head, MODEL_MAGIC)) {
            throw new IllegalArgumentException("--input: " + file + " is a bpnn model file, not data; pass the model as --model"
                    + " and the samples, a CSV or IDX file, as --input");
        }
    }

    private static boolean looksLikeIdx(PredictInput file) throws IOException {
        byte[] head = new byte[SNIFF_BYTES];
        int n = 0;
        try (InputStream in = file.open(SNIFF_BYTES)) {
            for (int r; n < head.length && (r = in.read(head, n, head.length - n)) > 0; ) n += r;
        } catch (ZipException | EOFException e) {
            // gzip data cut short or damaged: judged by the start it showed (readNBytes would throw that away, so a .csv.gz
            // cut within its first 512 bytes would be IDX, refused for its magic, not for the damage the CSV reader names);
            // one too damaged to show any is left to the IDX reader, which names the damage
            if (n == 0) return true;
        }
        head = Arrays.copyOf(head, n);
        if (CsvReader.wideTextEncoding(head) != null) return false;
        for (byte b : head) {
            if (b == 0) return true;
        }
        return false;
    }

    /**
     * The CSV's samples. With a header and a model saved with feature names, the columns are taken by
     * name (in the model's order; other columns are left out), so a file whose columns come in
     * another order is fed right; otherwise every column, in order (but for {@code labels}' columns, for evaluate).
     */
    private CsvData readCsv(List<String> names, Labels labels) throws IOException {
        String h = header.toLowerCase(Locale.ROOT);
        boolean auto = h.equals("auto");
        // the first record as the reader parses it, read once for the header rule and the names' checks
        List<String> first;
        try {
            first = auto || h.equals("yes") && names != null ? source.headerNames(csv().build()) : null;
        } catch (CsvFormatException e) {
            throw forTheCommandLine(e); // malformed in its first record: "a";"b" (a DELIMITER remedy)
        }
        char ds = csvOptions.decimalSeparator();
        // an empty or blank file has no first line to judge: --label and --id-column, which need a header, would take it for
        // a sample ("its first line is a sample (every cell a number)"); read for a header, the reader says it is empty
        boolean needsHeader = labels != null || idColumn != null;
        boolean hasHeader = auto ? needsHeader && first.isEmpty() || firstLineIsHeader(source, first, csvOptions.delimiter(), ds)
                : h.equals("yes");
        if (!hasHeader && ds == csvOptions.delimiter()) {
            // --header no is refused before (refuseHeaderNo); here --header auto found a sample on the first line
            throw new IllegalArgumentException(source + "'s first line is a sample, not a header, but " + headerNeeded(ds, ""));
        }
        if (auto && !hasHeader && names != null) {
            // names that are numbers (wavelengths, pixel indices): a first line holding them all would be
            // taken for a sample, predicted as a row and its columns fed in file order
            if (first.containsAll(names)) {
                throw new IllegalArgumentException(source + "'s first line holds only numbers, among them every feature name"
                        + " of the model (" + CsvOptions.quoted(names) + "): column names or a sample? say which it is with --header yes"
                        + " or --header no");
            }
        }
        CsvReader.Builder reader = labels == null ? csv().noLabels().header(hasHeader)
                : labels.columns(csv().header(hasHeader), hasHeader ? first : null, names);
        // missing values (train's tokens) counted per column over the whole file and refused, in the features and, for
        // evaluate, the label and the weights too: refused one at a time, each "NA" would take a run of its own to find. The
        // header is chosen above from the first line alone (a data row's empty or "NA" cell does not change it), and
        // given to the reader (header(...)), so these tokens do not change which line it takes for names either
        reader.missingValues(CsvOptions.MISSING_VALUES.toArray(String[]::new));
        if (idColumn != null) idColumn(hasHeader, first, names, reader);
        // no record at all (an empty or blank file under --header yes): the reader below says the file is
        // empty; checked against the model's names it would be "has no columns "a", "b" ...; its header has " (nothing)
        if (hasHeader && names != null && !first.isEmpty()) {
            // the names as the reader parses them: a quoted name may hold a comma or an escaped quote
            List<String> columns = first;
            List<String> missing = names.stream().filter(n -> !columns.contains(n)).toList();
            if (!missing.isEmpty()) {
                // a, "b": the space before the quote keeps the quotes in the name, as the reader says of a value
                String kept = missing.stream().filter(n -> columns.contains('"' + n + '"')).findFirst().orElse(null);
                if (kept != null) {
                    throw new IllegalArgumentException(source + "'s header name \"" + kept + "\" (column "
                            + columns.indexOf('"' + kept + '"') + ")" + KeptQuotes.refusal(null)
                            + " (the model takes a column named \"" + kept + "\")");
                }
                IllegalArgumentException oneColumn = CsvOptions.oneColumnHeader(source.toString(), columns, csvOptions.delimiter());
                if (oneColumn != null) throw oneColumn; // as train says
                // under --header yes, a first line of numbers is a sample taken for names: said so, with the flag to change
                // (the plain refusal, "its header has "-0.98", "-0.531"", and to check the names' case, would not)
                boolean sample = columns.stream().allMatch(c -> CsvReader.isNumber(c.strip(), ds));
                throw new IllegalArgumentException(source + " has no column" + (missing.size() == 1 ? " " : "s ")
                        + CsvOptions.quoted(missing) + " of the " + names.size() + " the model was trained on; its header has "
                        + CsvOptions.quoted(columns) + (sample ? ", numbers only: a sample, not column names? --header yes reads"
                        + " the first line as names; leave --header out (auto) or pass --header no to predict on it, or add a"
                        + " header line naming the columns" : " (names are case-sensitive; the model's are in " + model + ")"));
            }
            for (String n : names) {
                if (columns.indexOf(n) != columns.lastIndexOf(n)) {
                    throw new IllegalArgumentException(source + "'s header has the column \"" + n + "\" twice (at "
                            + columns.indexOf(n) + " and " + columns.lastIndexOf(n) + "), a feature the model takes by"
                            + " name; rename or remove one");
                }
            }
            reader.featureColumns(names.toArray(String[]::new));
        }
        CsvReader built = reader.build();
        try {
            CsvData data = source.read(built);
            Tensor x = data.features();
            if (idName != null) {
                // read after the samples, which the reader has checked: the same parser skips the same lines, so row i is sample i
                ids = source.columnText(csv().build(), List.of(idName), Long.MAX_VALUE).stream().map(c -> c[0]).toList();
                if (ids.size() != x.rows()) {
                    throw new IllegalStateException("read " + ids.size() + " ids for " + x.rows() + " samples of " + source);
                }
            }
            return data;
        } catch (CsvFormatException e) {
            if (h.equals("no") && looksLikeHeader(e)) {
                // "fix the value in the file" for a header's first name: the file is fine, the flag is not
                String but = e.remedy() == CsvFormatException.Remedy.MISSING_VALUES ? "; but " : ": "; // after the counts
                throw new CsvFormatException(e.source(), e.line(), e.column(), e.problem() + but + "line " + e.line()
                        + " looks like a header of column names (none of its cells is a number), which --header no reads"
                        + " as a sample; pass --header yes (or --header auto, the default)", e);
            }
            CsvFormatException label = labels == null ? null : labels.reword(e, source, built);
            throw label != null ? label : forTheCommandLine(e);
        }
    }

    /**
     * --id-column: a column of the header, named once, kept as idName. For a model with feature names
     * the reader takes those columns by name (the id is not among them unless the model was trained on
     * it); for one without, which takes every column in order, the id column is left out of the inputs:
     * read as one, a numeric id would have shifted every input by a column and been predicted on without
     * a word when the widths happened to match, and a text id refused as a bad value.
     */
    private void idColumn(boolean hasHeader, List<String> first, List<String> names, CsvReader.Builder reader) throws IOException {
        if (!hasHeader) {
            throw new IllegalArgumentException("--id-column needs a header line naming " + source + "'s columns, but its first"
                    + " line is a sample (every cell a number); add a header line, or leave --id-column out (the row column"
                    + " numbers the samples)");
        }
        List<String> columns = first != null ? first : source.headerNames(csv().build());
        if (columns.isEmpty()) return; // an empty file: the reader says so
        String id = idColumn.strip();
        int at = headerColumn("--id-column", id, source.toString(), columns);
        idName = id;
        if (names == null) {
            int[] others = new int[columns.size() - 1];
            for (int c = 0, k = 0; c < columns.size(); c++) {
                if (c != at) others[k++] = c;
            }
            if (others.length == 0) {
                throw new IllegalArgumentException(source + " has no column besides --id-column \"" + id + "\"; the model needs"
                        + " its inputs");
            }
            reader.featureColumns(others);
        }
    }

    /**
     * The index of the column {@code name} (stripped) that {@code flag} names in {@code source}'s header,
     * {@code columns}: refused when the header has none (with the names there are, and one differing only in
     * case), or has it twice.
     */
    static int headerColumn(String flag, String name, String source, List<String> columns) {
        int at = columns.indexOf(name);
        if (at < 0) {
            String other = columns.stream().filter(c -> c.equalsIgnoreCase(name)).findFirst().orElse(null);
            throw new IllegalArgumentException(flag + ": no column \"" + name + "\" in " + source + "'s header; expected one of "
                    + CsvOptions.quoted(columns) + (other != null ? " (names are case-sensitive: \"" + other + "\"?)" : ""));
        }
        if (at != columns.lastIndexOf(name)) {
            throw new IllegalArgumentException(flag + ": " + source + "'s header has the column \"" + name + "\" twice (at " + at
                    + " and " + columns.lastIndexOf(name) + "); rename one");
        }
        return at;
    }

    /**
     * Whether a value refused under --header no (or a missing value counted) is in the file's first record, none of
     * whose cells is a number (as --header auto would take it for names): a header read as data. Any other refusal,
     * or a first record with a number in it, keeps the reader's own remedy.
     */
    private boolean looksLikeHeader(CsvFormatException e) throws IOException {
        // a header with an empty or "NA" name is a row with a missing value to the reader, counted, its other names
        // never parsed: then the first missing value is on the first line
        if (e.remedy() != CsvFormatException.Remedy.FIX_VALUE && e.remedy() != CsvFormatException.Remedy.MISSING_VALUES
                || e.line() != firstNonBlankLine(source)) {
            return false;
        }
        List<String> cells = source.headerNames(csv().build());
        char ds = csvOptions.decimalSeparator();
        return !cells.isEmpty() && cells.stream().noneMatch(c -> CsvReader.isNumber(unquoted(c), ds));
    }

    /**
     * "--decimal-separator ',' is also the --delimiter", naming each character by where it came from: the
     * flag, or the model's saved dialect (the flag not given), which the user did not type.
     */
    private String separators(char ds) {
        boolean modelDs = csvOptions.fromModel(true), modelD = csvOptions.fromModel(false);
        String decimal = modelDs ? "the decimal separator '" + ds + "' the model was trained with" : "--decimal-separator '" + ds + "'";
        String delimiter = modelD ? (modelDs ? "its delimiter" : "the delimiter the model was trained with")
                : "the --delimiter";
        return decimal + " is also " + delimiter;
    }

    /** Refuses --header no when the decimal separator ds is also the delimiter d (the flags' or the model's). */
    private void refuseHeaderNo(char d, char ds) {
        if (ds == d && header.equalsIgnoreCase("no")) {
            throw new IllegalArgumentException(headerNeeded(ds, ", but --header is no"));
        }
    }

    /**
     * "{@link #separators}, which needs the file's header line ..." with the remedy: the one wording of a
     * decimal separator that is also the delimiter read without a header line, {@code but} saying why there
     * is none (or empty, when the caller said it first).
     */
    private String headerNeeded(char ds, String but) {
        return separators(ds) + ", which needs the file's header line (its field count shows an unquoted 1" + ds + "5 as two"
                + " values)" + but + "; pass the file's field separator with --delimiter (';' for a file with decimal commas)";
    }

    /** A CSV reader builder with --delimiter's separator and --decimal-separator's (or the model's, without them). */
    private CsvReader.Builder csv() {
        return csvOptions.reader();
    }

    /**
     * A refusal whose remedy names the reader's options ("set allowNonFinite(true)", "leave the column
     * out with featureColumns(...)", "read the file with delimiter(';')"), which predict does not have:
     * every column is a feature the model needs, as a finite number, and the delimiter is --delimiter.
     * Worded from the exception's {@link CsvFormatException#remedy()} and {@link CsvFormatException#problem()},
     * never from its message text (matched, a rewording in bpnn-io would silently let the library's advice
     * through). Other refusals are returned as they are.
     */
    static CsvFormatException forTheCommandLine(CsvFormatException e) {
        String remedy = switch (e.remedy()) {
            case FIX_VALUE -> "; fix the value in the file: every column is a model input and must be a finite number";
            // reached only for a model without feature names (a model's own names are checked before the reader
            // sees the file, and only they are then checked): the columns are read in order, the names unused
            case RENAME_COLUMNS -> "; the model has no feature names and takes the columns in order, so these names are"
                    + " not used, but the reader refuses empty or repeated ones: rename the columns, or delete the header"
                    + " line and pass --header no";
            case DELIMITER, DECIMAL_SEPARATOR, THOUSANDS_OR_DECIMAL -> CsvOptions.flagRemedy(e);
            // in the feature columns (predict reads no other): the reader's advice is for training data, a label's rows
            // to drop and a column to leave out, which predict has neither of; the model needs every input it was
            // trained on, filled in as they were filled there
            case MISSING_VALUES -> "; predict neither fills them in nor drops rows: the model needs each of its inputs, so"
                    + " fill in the missing values as the training data's were filled (e.g. with its column means), or drop"
                    + " those rows";
            case OTHER -> null;
        };
        return remedy == null ? e : new CsvFormatException(e.source(), e.line(), e.column(), e.problem() + remedy, e);
    }

    /**
     * --header auto: whether the first non-blank line is a header. Every cell a number (surrounding
     * spaces and quotes allowed): no, it is the first sample (column names that are all numbers are
     * not worth losing a sample silently for). No cell a number: yes, column names. Some of each
     * (a row of numbers with an empty or "NA" cell, a trailing comma): refused, because taking it
     * for a header silently dropped a sample, and taking it for data fails on the cell anyway. And
     * exactly 0,1,...,n-1 (n &gt;= 2), pandas' names for unnamed columns: refused as ambiguous.
     */
    static boolean firstLineIsHeader(Path file) throws IOException {
        return firstLineIsHeader(PredictInput.file(file), CsvReader.builder().build().headerNames(file), ',', '.');
    }

    /**
     * {@link #firstLineIsHeader(Path)} given the first record's cells as the CSV reader parses them, and the
     * delimiter and decimal separator it is read with (else under a decimal ',' a line of 1,5 would be taken for
     * names, a sample lost; a refusal's hint names another separator than these).
     */
    private static boolean firstLineIsHeader(PredictInput file, List<String> firstRecord, char delimiter, char decimalSeparator)
            throws IOException {
        long number = firstNonBlankLine(file);
        if (number < 0) return false; // no line at all, or not UTF-8: the reader reports the empty file, or the line
        // the cells as the reader parses them: split at every comma, a quoted name holding one ("a,b")
        // counted as two cells, and the messages below showed half of it, '"a', with the next column's index
        return classify(file, number, firstRecord.toArray(String[]::new), delimiter, decimalSeparator);
    }

    /** The 1-based number of the file's first line that is not blank, or -1 (none, or not UTF-8 text). */
    private static long firstNonBlankLine(PredictInput file) throws IOException {
        long number = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(file.open(8192), StandardCharsets.UTF_8.newDecoder()))) {
            for (String l; (l = r.readLine()) != null; ) {
                number++;
                // blank as the reader sees it (headerNames skips the same lines), so that the line number
                // named is the header's: counted, a line holding only a byte-order mark would be the first,
                // and a refusal would name it instead of the line with the cells it showed. A line holding only ""
                // is not blank to the reader (an empty value, not a missing row), so it is the first here too
                String cells = number == 1 && l.startsWith("\uFEFF") ? l.substring(1) : l;
                if (!cells.isBlank()) {
                    return number;
                }
            }
        } catch (CharacterCodingException | ZipException | EOFException e) {
            return -1; // the CSV reader names the line, or the damaged gzip data
        }
        return -1;
    }

    private static String unquoted(String cell) {
        String c = cell.strip();
        return c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"") ? c.substring(1, c.length() - 1).strip() : c;
    }

    /**
     * "the values look separated by ';': pass --delimiter ';'" when {@code cell} is numbers joined by
     * another usual separator: a headerless export with ';' and decimal commas ("1,5;2,3") gives the
     * cells "1", "5;2", "3", which the first-line rule refuses as a mix, advising only --header. The
     * candidates are ';', tab, '|' and ',' other than the {@code delimiter} the file is read with (a cell
     * holds it only when quoted) and its {@code decimalSeparator}, and the parts must be numbers as read
     * with that: a hint that assumed ',' and '.' would give no hint under --delimiter ';' for a cell "3,4,5"
     * and tell a quoted "3;4" to pass the --delimiter ';' it was read with.
     */
    private static java.util.Optional<String> separatorHint(String cell, char delimiter, char decimalSeparator) {
        char d = CsvReader.separatorOf(cell, delimiter, decimalSeparator);
        if (d == 0) return java.util.Optional.empty();
        if (d == ',' && decimalSeparator == '.' && CsvReader.isNumber(cell, ',')) {
            // "3,4" read with ';': one comma in a number is a decimal comma as likely as two values (the reader asks it
            // first), and --delimiter ',' alone made "1;3,4" a mix of its own ("1;3"), hinting back at ';'
            return java.util.Optional.of("\"" + cell + "\" looks like a number with a decimal comma, or two values separated"
                    + " by ',': pass --decimal-separator ',', or --delimiter ','");
        }
        return java.util.Optional.of("the values look separated by '" + (d == '\t' ? "\\t" : String.valueOf(d))
                + "': pass --delimiter " + CsvOptions.flagValue(d));
    }

    /** The rule of {@link #firstLineIsHeader} for the line's cells, read with {@code delimiter} and {@code decimalSeparator}. */
    private static boolean classify(PredictInput file, long number, String[] cells, char delimiter, char decimalSeparator) {
        int numbers = 0, other = -1;
        for (int i = 0; i < cells.length; i++) {
            String c = unquoted(cells[i]);
            if (CsvReader.isNumber(c, decimalSeparator)) {
                numbers++;
            } else if (other < 0) {
                other = i;
            }
        }
        if (numbers > 0 && other >= 0) {
            String cell = cells[other].strip();
            throw new IllegalArgumentException(file + " line " + number + " has " + numbers + (numbers == 1 ? " number" : " numbers") + " and "
                    + (cell.isEmpty() ? "an empty cell" : "\"" + cell + "\"") + " (column " + other + "): neither column names "
                    + "nor a sample; " + separatorHint(cell, delimiter, decimalSeparator).orElse("fix the line, or say which it is with --header yes or --header no"));
        }
        if (numbers >= 2 && numbers == cells.length && columnIndices(cells)) {
            String indices = cells.length == 2 ? "0,1" : "0,1,...," + (cells.length - 1);
            throw new IllegalArgumentException(file + " line " + number + " is " + indices
                    + ": the column names pandas writes for unnamed columns (DataFrame.to_csv of a NumPy array), or a sample?"
                    + " say which it is with --header yes or --header no");
        }
        return numbers == 0;
    }

    /**
     * Whether the cells are 0, 1, ..., n-1 as integers: pandas' header for a frame without column
     * names. Taken for a sample it would be predicted as one (a row of output too many, exit 0).
     */
    private static boolean columnIndices(String[] cells) {
        for (int i = 0; i < cells.length; i++) {
            String c = unquoted(cells[i]);
            if (!c.equals(Integer.toString(i))) return false;
        }
        return true;
    }
}
