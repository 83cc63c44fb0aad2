package org.bpnn.examples.predict;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bpnn.data.Normaliser;
import org.bpnn.data.OneHot;
import org.bpnn.examples.BackendOptions;
import org.bpnn.examples.CsvOptions;
import org.bpnn.examples.InputPaths;
import org.bpnn.examples.LibraryLog;
import org.bpnn.examples.ModelLimitOptions;
import org.bpnn.examples.OutputPaths;
import org.bpnn.examples.Summary;
import org.bpnn.examples.fashion.FashionMnistCommand;
import org.bpnn.examples.train.TrainCommand;
import org.bpnn.io.data.CsvData;
import org.bpnn.io.data.CsvFormatException;
import org.bpnn.io.data.CsvReader;
import org.bpnn.io.data.IdxReader;
import org.bpnn.io.internal.Counts;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.bpnn.metrics.ConfusionMatrix;
import org.bpnn.metrics.Metrics;
import org.bpnn.nn.Network;
import org.bpnn.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What this shows: scoring a saved model on labelled data it was not trained on, the step after
 * {@code ./bpnn train} on a held-out test.csv, or after the main job on Fashion-MNIST's test files. The
 * input is read and predicted on exactly as {@code ./bpnn predict} reads it ({@link PredictCommand#predicted}: the
 * format sniff, the header rule, the model's CSV dialect and feature names, gzip, standard input), with the
 * --label column (and --weight-column) read beside the features by the same reader; an IDX image file takes
 * its labels from an IDX labels file (--labels). A classifier's labels are its saved class names (or, without
 * them, the class indices 0..k-1); a regression's are numbers in the targets' units. It prints the accuracy,
 * the confusion matrix with per-class precision, recall, F1 and support and their macro averages (the main
 * job's printing, {@link FashionMnistCommand#printTestFigures}), or RMSE, MAE, R2 and MSE in the targets'
 * units; and the model's own loss on the rows ({@link Network#lossOf}, as the trainer's validation loss,
 * weighted by --weight-column). The metrics are unweighted, as the library computes every metric. With --output
 * the report is also written, for a script, as one JSON object: the JSON line's fields and what is too long for
 * that line (the confusion matrix), atomically ({@link OutputPaths#writeAtomically}).
 *
 * <p>How to run: {@code ./bpnn evaluate --model runs/train/model.bpnn --input test.csv --label species}, or
 * {@code ./bpnn evaluate --model runs/fashion-mnist/model.bpnn --input
 * /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz --labels
 * /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz}.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Score a saved model on labelled data it was not trained on: a CSV with a --label column (read as"
                + " predict reads its input), or IDX images with an IDX --labels file. Prints accuracy, per-class precision,"
                + " recall, F1 and support, macro averages, the confusion matrix and the model's loss (a classifier), or"
                + " RMSE, MAE, R2 and MSE in the targets' units (a regression), then a JSON line; --output FILE also writes the"
                + " report, the confusion matrix included, to a JSON file."})
public final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    BackendOptions backendOptions = new BackendOptions();

    @Mixin
    CsvOptions.ModelDefaults csvOptions = new CsvOptions.ModelDefaults();

    @Mixin
    ModelLimitOptions limitOptions = new ModelLimitOptions();

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "A model file saved by bpnn (./bpnn train's --out, or runs/fashion-mnist/model.bpnn).")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "The labelled data, read as ./bpnn predict reads its --input (.gz or plain; - for standard input):"
                    + " a CSV whose first line is a header of column names (the model's features taken by name when it was"
                    + " saved with them, else every column but --label and --weight-column, in order), with --label; or an"
                    + " IDX file of images (raw pixels 0-255), with --labels. Missing values in the columns read (./bpnn train's"
                    + " tokens) are refused, counted per column: drop the rows of a missing label, and fill in missing feature"
                    + " values as the training data's were filled, or drop those rows.")
    Path input;

    @Option(names = "--label", paramLabel = "COLUMN",
            description = "For a CSV: the column of the true labels, by header name. A classifier's labels are its class names"
                    + " (those ./bpnn train saved), or without saved names its class indices 0..k-1; a regression's are"
                    + " numbers in the targets' units.")
    String label;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "For IDX images: an IDX labels file (.gz or plain), one class index per image, as"
                    + " t10k-labels-idx1-ubyte.gz of Fashion-MNIST's test images (in /usr/share/datasets/fashion-mnist).")
    Path labelsFile;

    @Option(names = "--weight-column", paramLabel = "COLUMN",
            description = "For a CSV: a column of sample weights (finite, >= 0), as ./bpnn train takes it: the loss is their"
                    + " weighted mean, as the trainer's; the other figures are unweighted, as every metric of the library.")
    String weightColumn;

    @Option(names = "--threshold", paramLabel = "P",
            description = "For a two-class model (one sigmoid output or two softmax outputs): class 1 where the probability of"
                    + " class 1 is at least P, strictly between 0 and 1, overriding the threshold the model was saved with"
                    + " (as ./bpnn predict's --threshold does).")
    Float threshold;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Also write the report to FILE as one JSON object: the JSON line's fields, and for a classifier"
                    + " class_names and confusion_matrix (a row per true class, a column per predicted class, in class_names'"
                    + " order) and unclassified (rows whose outputs held a NaN), for a regression target (the --label"
                    + " column's name). Written atomically (a hidden file in its directory, renamed over FILE), replacing an"
                    + " existing file; its directory is created if missing, as predict's --output and train's --out are"
                    + " (default: none, the report printed only; - also means none).")
    Path output;

    @Override
    public Integer call() throws IOException {
        InputPaths.requireFile("--model", model, "a model file saved by bpnn; train one with ./bpnn train (--out) or"
                + " ./bpnn fashion-mnist (writes runs/fashion-mnist/model.bpnn)");
        if (!PredictInput.isStream(input)) {
            InputPaths.requireFile("--input", input, "a labelled CSV file or an IDX images file, or - for standard input");
        }
        if (label == null && labelsFile == null) {
            throw new IllegalArgumentException("evaluate needs the true labels: --label COLUMN for a CSV input (the column"
                    + " that holds them), or --labels FILE for IDX images (an IDX labels file)");
        }
        if (label != null && labelsFile != null) {
            throw new IllegalArgumentException("--label and --labels both give the true labels; give one: --label COLUMN for a"
                    + " CSV input, --labels FILE for IDX images");
        }
        if (label != null && label.isBlank()) {
            throw new IllegalArgumentException("--label is empty; expected the name of a column of the CSV's header");
        }
        if (weightColumn != null && weightColumn.isBlank()) {
            throw new IllegalArgumentException("--weight-column is empty; expected the name of a column of the CSV's header");
        }
        if (weightColumn != null && labelsFile != null) {
            throw new IllegalArgumentException("--weight-column is for a CSV input with --label; IDX images have no columns:"
                    + " leave --weight-column out");
        }
        if (labelsFile != null) {
            InputPaths.requireFile("--labels", labelsFile, "an IDX labels file (.gz or plain), e.g. t10k-labels-idx1-ubyte.gz");
        }
        if (output != null && output.toString().equals("-")) {
            output = null; // as predict's --output -: standard output, where the report is printed anyway
        }
        if (output != null) {
            OutputPaths.file("--output", output); // before the work, not after it
            PredictCommand.notTheSameFile(output, "--model", model, "the report");
            if (!PredictInput.isStream(input)) PredictCommand.notTheSameFile(output, "--input", input, "the report");
            if (labelsFile != null) PredictCommand.notTheSameFile(output, "--labels", labelsFile, "the report");
        }
        ModelFile.Limits limits = limitOptions.limits(); // each flag in its range, before any work
        PredictCommand.checkThreshold(threshold);
        csvOptions.delimiter(); // the flags in their ranges, before any work (predict checks them as early)
        csvOptions.decimalSeparator();
        return LibraryLog.withoutInfo(() -> evaluate(limits));
    }

    private int evaluate(ModelFile.Limits limits) throws IOException {
        Columns columns = new Columns();
        PredictCommand.Predicted p = PredictCommand.reading(backendOptions, csvOptions, model, input, threshold)
                .predicted("auto", limits, columns);
        SavedModel saved = p.saved();
        Network net = saved.network();
        int n = p.out().rows();
        CsvData data = p.data();
        Tensor weights = data == null || data.sampleWeights() == null ? null : Tensor.wrap(n, 1, data.sampleWeights());
        Summary summary = new Summary("evaluate", p.backend()).put("model", model.toString()).put("input", p.source().toString())
                .put("rows", n);
        if (weightColumn != null) summary.put("weight_column", weightColumn.strip());
        String weighted = weights == null ? "" : ", weighted by \"" + weightColumn.strip() + "\"";
        Summary report = null; // with --output: the line's fields and the figures too long for it
        if (columns.classifier) {
            int[] actual = data != null ? data.labels() : columns.idxLabels; // checked against the images by requireRows
            int k = columns.classes.size();
            ConfusionMatrix cm = ConfusionMatrix.of(actual, p.cls(), k).withClassNames(columns.classes.toArray(String[]::new));
            // the network's own targets for its loss: one-hot rows, or 0/1 for one sigmoid output (class 1's probability)
            Tensor y = net.outputSize() == 1 ? Tensor.wrap(n, 1, floats(actual)) : OneHot.encode(actual, k);
            double loss = net.lossOf(p.raw(), p.preActivation(), y, weights);
            System.out.printf(Locale.ROOT, "%s: %s, %d classes %s%n", p.source(), Counts.of(n, "row"), k, columns.classes);
            if (k <= TrainCommand.MAX_PRINTED_CLASSES) { // as train prints it
                FashionMnistCommand.printTestFigures(System.out, cm);
            } else {
                System.out.printf(Locale.ROOT, "Test accuracy: %.4f (%d of %d); macro precision %.4f, recall %.4f, F1 %.4f (the"
                        + " matrix is printed up to %d classes)%n", cm.accuracy(), Math.round(cm.accuracy() * cm.total()),
                        cm.total(), cm.macroPrecision(), cm.macroRecall(), cm.macroF1(), TrainCommand.MAX_PRINTED_CLASSES);
            }
            System.out.printf(Locale.ROOT, "Test loss: %.4f (the model's %s%s)%n", loss, net.loss().name(), weighted);
            summary.put("classes", k).put("test_accuracy", cm.accuracy()).put("macro_precision", cm.macroPrecision())
                    .put("macro_recall", cm.macroRecall()).put("macro_f1", cm.macroF1()).put("test_loss", loss);
            Map<String, Object> perClass = new LinkedHashMap<>();
            for (int c = 0; c < k; c++) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("precision", cm.precision(c));
                m.put("recall", cm.recall(c));
                m.put("f1", cm.f1(c));
                m.put("support", cm.support(c));
                perClass.put(columns.classes.get(c), m);
            }
            summary.put("per_class", perClass);
            if (saved.threshold() != null) summary.put("threshold", saved.threshold()); // saved or --threshold's
            if (output != null) {
                // the matrix in the file only: k x k numbers are no part of a one-line summary (k may be in the thousands)
                List<List<Long>> matrix = new ArrayList<>(k);
                for (int a = 0; a < k; a++) {
                    List<Long> row = new ArrayList<>(k);
                    for (int c = 0; c < k; c++) row.add(cm.count(a, c));
                    matrix.add(row);
                }
                report = summary.copy().put("class_names", columns.classes).put("confusion_matrix", matrix)
                        .put("unclassified", cm.unclassified());
            }
        } else {
            // a CSV's --label column: IDX labels are classes, refused for a regression (Columns.requireFormat)
            String target = label.strip();
            Tensor truth = data.targets(), predicted = p.out(); // both in the targets' units
            double mse = Metrics.mse(predicted, truth), mae = Metrics.mae(predicted, truth), r2 = Metrics.r2(predicted, truth);
            double rmse = Math.sqrt(mse);
            // the loss as the model was trained on it: on its targets' normalised values when it has a normaliser
            Normaliser yNorm = saved.targetNormaliser();
            double loss = net.lossOf(p.raw(), p.preActivation(), yNorm == null ? truth : yNorm.apply(truth), weights);
            System.out.printf(Locale.ROOT, "%s: %s, target \"%s\"%n", p.source(), Counts.of(n, "row"), target);
            System.out.printf(Locale.ROOT, "RMSE %.6g, MAE %.6g, R2 %.4f, MSE %.6g (in the units of \"%s\")%n", rmse, mae, r2, mse,
                    target);
            System.out.printf(Locale.ROOT, "Test loss: %.6g (the model's %s%s%s)%n", loss, net.loss().name(),
                    yNorm == null ? "" : ", on the target standardised as in training", weighted);
            summary.put("rmse", rmse).put("mae", mae).put("r2", r2).put("mse", mse).put("test_loss", loss);
            if (output != null) report = summary.copy().put("target", target);
        }
        if (output != null) {
            OutputPaths.writeAtomically("--output", output, "the report", report.toJson() + "\n");
            summary.put("output", output.toString());
        }
        System.out.println(summary.toJson());
        return 0;
    }

    private static float[] floats(int[] classes) {
        float[] f = new float[classes.length];
        for (int i = 0; i < f.length; i++) f[i] = classes[i];
        return f;
    }

    /** Refuses IDX labels that are not one class of the model (0..k-1) per image of {@code source}. */
    private void requireIdxClasses(int[] labels, int images, int k, String source) {
        if (labels.length != images) {
            throw new IllegalArgumentException("--labels " + labelsFile + " holds " + Counts.of(labels.length, "label") + ", but --input "
                    + source + " holds " + Counts.of(images, "image") + "; pass the labels file of the same images (e.g."
                    + " t10k-labels-idx1-ubyte.gz with t10k-images-idx3-ubyte.gz)");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= k) {
                throw new IllegalArgumentException("--labels " + labelsFile + ": label " + i + " is " + labels[i] + ", but " + model
                        + " has " + k + " classes, 0 to " + (k - 1) + "; pass the labels of the data the model was trained for");
            }
        }
    }

    /**
     * The labels' side of predict's reading: the format they are for, the --label (and --weight-column) columns
     * of a CSV, read by the same reader as the features, and the reader's refusals of them in evaluate's words.
     */
    private final class Columns implements PredictCommand.Labels {
        SavedModel saved;
        /** Whether the model's outputs are classes to score as such (predict writes their probabilities). */
        boolean classifier;
        /** A classifier's classes, by name: its saved class names, or "0".."k-1". */
        List<String> classes;
        /** The label column's index in the header, once found. */
        int labelAt = -1;
        /** The --weight-column's index in the header, or -1: none. */
        int weightAt = -1;
        /** --input's name in messages ("standard input" for -). */
        String source;
        /** The columns the reader reads, the label's first: the rows with a missing value in one are passed over. */
        List<String> read;
        /** --labels' classes as read, after the input was found to be IDX images (null for a CSV input). */
        int[] idxLabels;

        @Override
        public void requireFormat(SavedModel saved, boolean csv, String source) {
            this.saved = saved;
            this.source = source;
            Network net = saved.network();
            classifier = PredictCommand.probabilities(saved);
            if (classifier) {
                classes = saved.classNames();
                if (classes == null) {
                    classes = new ArrayList<>();
                    for (int c = 0, k = Metrics.classCount(net.outputSize()); c < k; c++) classes.add(Integer.toString(c));
                }
            } else if (net.outputSize() != 1) {
                throw new IllegalArgumentException(model + " is a regression model with " + net.outputSize() + " outputs, but"
                        + " evaluate scores one target column; evaluate a model with one output");
            }
            if (csv && labelsFile != null) {
                throw new IllegalArgumentException("--labels is for IDX images, but " + source + " is a CSV file; name the"
                        + " column of its true labels with --label COLUMN instead");
            }
            if (!csv && label != null) {
                throw new IllegalArgumentException("--label names a CSV column, but " + source + " is an IDX file (images have"
                        + " no columns); pass their labels as an IDX file with --labels FILE (e.g. t10k-labels-idx1-ubyte.gz)");
            }
            if (!csv && !classifier) {
                throw new IllegalArgumentException("--labels holds class indices, but " + model + " is a regression model (its"
                        + " outputs are values, not classes); evaluate it on a CSV with --label naming its target column");
            }
        }

        @Override
        public void requireRows(int rows) throws IOException {
            // read here, not first: a CSV --input with --labels is refused by requireFormat before the file is read as IDX
            if (labelsFile == null) return;
            idxLabels = IdxReader.readLabels(labelsFile);
            requireIdxClasses(idxLabels, rows, classes.size(), source);
        }

        @Override
        public CsvReader.Builder columns(CsvReader.Builder b, List<String> header, List<String> featureNames) {
            String l = label.strip();
            if (header == null) {
                throw new IllegalArgumentException("--label needs a header line naming " + source + "'s columns, but its first"
                        + " line is a sample (every cell a number); add a header line naming each column, \"" + l + "\" among them");
            }
            List<String> columns = header.stream().map(String::strip).toList();
            if (columns.isEmpty()) {
                throw new IllegalArgumentException(source + " is empty; expected a header line of column names and rows of samples"
                        + " with their labels");
            }
            if (!columns.contains(l)) {
                // a file read with another delimiter than its own: its header is one column, said so as train and predict say it
                IllegalArgumentException oneColumn = CsvOptions.oneColumnHeader(source, columns, csvOptions.delimiter());
                if (oneColumn != null) throw oneColumn;
            }
            labelAt = PredictCommand.headerColumn("--label", l, source, columns);
            if (featureNames != null && featureNames.contains(l)) {
                throw new IllegalArgumentException("--label \"" + l + "\" is one of the inputs of " + model + " (its features: "
                        + CsvOptions.quoted(featureNames) + "); name the column of the true labels, which the model does not take");
            }
            b.labelColumns(l);
            List<String> read = new ArrayList<>(List.of(l));
            if (weightColumn != null) {
                String w = weightColumn.strip();
                weightAt = PredictCommand.headerColumn("--weight-column", w, source, columns);
                if (w.equals(l)) throw new IllegalArgumentException("--weight-column " + w + " is the --label column; choose another");
                if (featureNames != null && featureNames.contains(w)) {
                    throw new IllegalArgumentException("--weight-column \"" + w + "\" is one of the inputs of " + model
                            + "; name a column of sample weights the model does not take");
                }
                b.weightColumn(w);
                read.add(w);
            }
            // the model's features by name, else every other column (predict sets the names on the reader after this)
            for (String c : featureNames != null ? featureNames : columns) {
                if (!read.contains(c)) read.add(c);
            }
            this.read = read;
            // missing values (in the label, the weights, the features) are counted per column with train's tokens, as predict
            // sets them on the reader (without this an "NA" label would be "not one of the classes", and a regression's "?" a
            // number to fix), and refused in evaluate's words (reword)
            // a classifier's labels by the model's classes: an unknown one is refused at its line (reword)
            return classifier ? b.categorical().classes(classes.toArray(String[]::new)) : b.numeric();
        }

        @Override
        public CsvFormatException reword(CsvFormatException e, PredictInput source, CsvReader reader) throws IOException {
            if (e.remedy() == CsvFormatException.Remedy.MISSING_VALUES) return missingValues(e);
            if (labelAt < 0 || e.column() != labelAt) return null;
            String l = label.strip();
            if (!classifier) {
                return e.remedy() != CsvFormatException.Remedy.FIX_VALUE ? null : new CsvFormatException(e.source(), e.line(),
                        e.column(), e.problem() + "; " + model + " is a regression model, so the --label column \"" + l + "\""
                        + " must hold a number in every row: fix the value, or check that --label names its target column", e);
            }
            // the reader stops at the first label it cannot take: the first row whose label is not one of the classes, of
            // the rows without a missing value in a column read (those it passes over, to count them all in a refusal of
            // its own, which keeps its words)
            String unknown = null;
            for (String[] row : source.columnText(reader, read, Long.MAX_VALUE)) {
                if (Arrays.stream(row).anyMatch(c -> c == null || CsvOptions.isMissing(c.strip()))) continue;
                String v = row[0].strip();
                if (!classes.contains(v)) {
                    unknown = v;
                    break;
                }
            }
            if (unknown == null || unknown.startsWith("\"")) return null; // the reader's words: quotes kept
            String problem = source + " line " + e.line() + ": the --label \"" + l + "\" is \"" + unknown + "\", ";
            return new CsvFormatException(e.source(), e.line(), e.column(), saved.classNames() != null
                    ? problem + "not one of the " + classes.size() + " classes of " + model + ", " + CsvOptions.quoted(classes)
                            + "; the model scores only the classes it was trained on: drop the rows of other labels, or check"
                            + " that --label names the column of the true labels"
                    : problem + "not a class index: " + model + " was saved without class names, so its labels are the"
                            + " class indices 0 to " + (classes.size() - 1) + "; write each row's class as its index, or"
                            + " evaluate a model saved with class names (./bpnn train saves them)", e);
        }

        /**
         * The reader's count of missing values with evaluate's advice: its own is for training data ("impute ... the
         * column's mean in the training data, or drop those rows or columns"), while the model here scores the rows
         * it is given, each input it was trained on filled in. A missing label cannot be filled in at all: it is the
         * answer the model is scored against.
         */
        private CsvFormatException missingValues(CsvFormatException e) {
            List<String> advice = new ArrayList<>();
            boolean features = false;
            for (CsvFormatException.MissingColumn c : e.missingColumns()) {
                if (c.index() == labelAt) {
                    advice.add("drop the rows without a label (\"" + c.name() + "\"): a missing label cannot be filled in, it"
                            + " is what the model is scored against");
                } else if (c.index() == weightAt) {
                    advice.add("give the rows without a weight (\"" + c.name() + "\") one, or drop those rows");
                } else {
                    features = true;
                }
            }
            if (features) {
                advice.add("fill in the missing feature values as the training data's were filled (e.g. with its column"
                        + " means), or drop those rows");
            }
            return new CsvFormatException(e.source(), e.line(), e.column(), e.problem() + "; evaluate neither fills them in nor"
                    + " drops rows: " + String.join("; ", advice), e);
        }
    }
}
