package org.bpnn.examples.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.bpnn.backend.Backend;
import org.bpnn.data.Dataset;
import org.bpnn.data.Normaliser;
import org.bpnn.examples.BackendOptions;
import org.bpnn.examples.CsvOptions;
import org.bpnn.examples.Errors;
import org.bpnn.examples.InputPaths;
import org.bpnn.examples.OutputPaths;
import org.bpnn.examples.Summary;
import org.bpnn.examples.fashion.FashionMnistCommand;
import org.bpnn.examples.xor.XorCommand;
import org.bpnn.io.data.CsvData;
import org.bpnn.io.data.CsvFormatException;
import org.bpnn.io.data.CsvReader;
import org.bpnn.io.model.CsvDialect;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.bpnn.loss.Loss;
import org.bpnn.metrics.ConfusionMatrix;
import org.bpnn.metrics.Metric;
import org.bpnn.metrics.Metrics;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.BaseOptimizer;
import org.bpnn.train.ConsoleProgressListener;
import org.bpnn.train.EarlyStopping;
import org.bpnn.train.Trainer;
import org.bpnn.train.TrainingHistory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What this shows: training on your own data without writing Java. Reads a CSV file with a header
 * ({@link CsvReader}: the label column by name, the features by name or every other column, an
 * optional sample-weight column), holds out a validation part (stratified for classification), fits a
 * standardising {@link Normaliser} on the training part only, trains a dense network with the
 * {@link Trainer} (optionally with balanced class weights and early stopping that restores the best
 * epoch's weights), prints one line per epoch and the validation figures, and saves a model file that
 * {@code ./bpnn predict} takes as it is: with the normaliser, the feature names (so predict takes a
 * CSV's columns by header name, the label column may stay in), the class names (classification)
 * or the target's name and normaliser (regression, answers in the target's units), and the file's
 * --delimiter and --decimal-separator when they are not ',' and '.' (so predict reads a file like it
 * without them: {@code SavedModel.withCsvDialect}).
 *
 * <p>Classification is softmax outputs, one per class, with categorical cross-entropy, also for two
 * classes: one rule for any class count, every class named by an output, and the stratified split and
 * balanced weights take its one-hot targets as they are (one sigmoid output is the same model with
 * half the output weights; a chosen threshold applies to either, on output1 here:
 * {@code ./bpnn predict --threshold P}, {@code SavedModel.withThreshold}). Regression is
 * one identity output with the L2 loss on standardised targets, as in the sine example.
 *
 * <p>How to run: {@code ./bpnn train --input data.csv --label species --out runs/train/model.bpnn},
 * then {@code ./bpnn predict --model runs/train/model.bpnn --input data.csv}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a network on a CSV file with a header row and save a model for ./bpnn predict.",
                "The features are standardised (fitted on the training part) and the normaliser, the feature names and the"
                        + " class names (or the target's name) are saved with the model, and so are --delimiter and"
                        + " --decimal-separator when not , and . (predict and evaluate then read with them unless given others)."})
public final class TrainCommand implements Callable<Integer> {
    /** The widest hidden layer --hidden takes: far beyond what a CSV needs, and bounded (memory is about 4 bytes per weight). */
    static final int MAX_WIDTH = 100_000;

    /** The most hidden layers --hidden takes. */
    static final int MAX_LAYERS = 100;

    /**
     * Without --task, a label column of numbers with more distinct values than this (or any fractional
     * one) is refused as a likely regression target: read as classes, each value would become an output.
     */
    static final int MAX_NUMERIC_CLASSES = 20;

    /** The confusion matrix is printed up to this many classes (wider, it wraps on a terminal); evaluate's too. */
    public static final int MAX_PRINTED_CLASSES = 20;

    /** A class with a smaller share of the training rows is rare (see hintOfRareClasses). */
    static final double RARE_SHARE = 0.2;

    /** A rare class recalled this much or less on the part reported gets the hint (see hintOfRareClasses). */
    static final double RARE_RECALL = 0.5;

    /** How many data rows a refused feature value has the feature columns looked at for text (see textColumns). */
    static final int TEXT_SCAN_ROWS = 1000;

    static final List<String> CLASSIFICATION_MONITORS = List.of("loss", "accuracy", "macro_f1", "auc");
    static final List<String> REGRESSION_MONITORS = List.of("loss", "rmse", "mae", "r2");

    @Mixin
    BackendOptions backendOptions = new BackendOptions();

    @Mixin
    CsvOptions.Training csvOptions = new CsvOptions.Training();

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "The training data: a CSV file (.gz or plain, UTF-8) whose first line is a header of column names;"
                    + " one sample per row. Missing values (an empty cell, NA, N/A, NaN, nan, NULL, null or ?) are refused,"
                    + " counted per column (naming the tokens found), never imputed or dropped: impute or drop them in a"
                    + " feature column; drop the rows of a missing label.")
    Path input;

    @Option(names = "--label", required = true, paramLabel = "COLUMN",
            description = "The name of the column to predict: class names (or numbers) for classification, numbers for regression."
                    // the order decides which class --threshold is about, and nothing else says it
                    + " The classes are numbered in sorted order, numerically when every label is an integer, else by their"
                    + " text (Yes before no), whatever the rows' order, as ./bpnn inspect lists them; of two, class 1 (the one"
                    + " predict's --threshold is about) is the later: normal of fraud and normal.")
    String label;

    @Option(names = "--features", paramLabel = "COLUMNS",
            description = "The feature columns by name, comma-separated (default: every column but --label and --weight-column);"
                    + " each must hold numbers. " + CsvOptions.COLUMN_LIST_SYNTAX)
    List<String> features;

    @Option(names = "--exclude", paramLabel = "COLUMNS",
            description = "Columns to leave out of the features, comma-separated, e.g. an id or a text column (the features are"
                    + " then every other column but --label and --weight-column); instead of listing the features with --features."
                    + " A feature column of text is refused naming every feature column holding text in the first "
                    + TEXT_SCAN_ROWS + " data rows, with the --exclude to pass, quoted for the shell. "
                    + CsvOptions.COLUMN_LIST_SYNTAX)
    List<String> exclude;

    /** --features' and --exclude's column names, read from their values by CsvOptions.columnNames (null when not given). */
    private List<String> featureNames, excludeNames;

    @Option(names = "--weight-column", paramLabel = "COLUMN",
            description = "A column of sample weights (finite, >= 0): each row's loss counts that many times; not a feature.")
    String weightColumn;

    @Option(names = "--task", paramLabel = "classification|regression",
            description = "classification (default): the label's distinct values are the classes, softmax outputs with"
                    + " cross-entropy; regression: the label is a number, one linear output with the mean squared error on the"
                    + " standardised label (its normaliser is saved, so predict answers in the label's units)."
                    + " Without --task, a label column of numbers with a fractional value or more than " + MAX_NUMERIC_CLASSES
                    + " distinct values is refused as a likely regression target (pass --task to say which).")
    String task;

    @Option(names = "--hidden", defaultValue = "64,32", split = ",", paramLabel = "WIDTHS",
            description = "Hidden layer widths, comma-separated, 1 to " + MAX_WIDTH + " each (default: ${DEFAULT-VALUE}).")
    List<Integer> hidden;

    @Option(names = "--activation", defaultValue = "relu",
            description = "Hidden activation: " + XorCommand.HIDDEN_ACTIVATIONS_HELP + " (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--epochs", defaultValue = "100", description = "Most epochs; --early-stopping may end sooner (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--optimizer", defaultValue = "adam", description = FashionMnistCommand.OPTIMIZERS + " (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--learning-rate", defaultValue = "0.001", description = "Learning rate, constant (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--validation-split", defaultValue = "0.2",
            description = "Fraction of the rows held out for validation, stratified by class for classification; 0 trains on"
                    + " every row and reports training figures instead (default: ${DEFAULT-VALUE}).")
    double validationSplit;

    @Option(names = "--class-weights", defaultValue = "none", paramLabel = "none|balanced",
            description = "Classification only: balanced weighs each class's training rows by n / (classes * count), so that"
                    + " every class counts as much in total (multiplied with --weight-column). A class under 20 percent of the training"
                    + " rows with a validation recall of 0.5 or less gets a hint on standard error naming this flag and --monitor,"
                    + " those not already given (default: ${DEFAULT-VALUE}).")
    String classWeights;

    @Option(names = "--early-stopping", paramLabel = "PATIENCE",
            description = "Stop after PATIENCE epochs without a better --monitor value, and keep the best epoch's weights"
                    + " (default: off, every epoch runs and the last epoch's weights are saved).")
    Integer patience;

    @Option(names = "--monitor", defaultValue = "loss",
            description = "What --early-stopping watches, on the validation part (on the training rows with"
                    + " --validation-split 0): loss, or for classification accuracy, macro_f1 or auc (two classes),"
                    + " for regression rmse, mae (in the target's units) or r2 (default: ${DEFAULT-VALUE}).")
    String monitor;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of the split, the initialisation and the shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "runs/train/model.bpnn", paramLabel = "FILE",
            description = "Where to save the model; its directory is created if missing (default: ${DEFAULT-VALUE}).")
    Path out;

    /** The task after --task and its default. */
    private boolean regression;

    @Override
    public Integer call() throws IOException {
        // 0. Every flag is checked before the data is read or the backend chosen (whose log line would come first)
        InputPaths.requireFile("--input", input, "a CSV file with a header row");
        if (label.isBlank()) throw new IllegalArgumentException("--label is empty; expected the name of the column to predict");
        if (task != null) {
            switch (task.toLowerCase(Locale.ROOT)) {
                case "classification" -> regression = false;
                case "regression" -> regression = true;
                default -> throw new IllegalArgumentException("unknown --task '" + task + "'; expected classification or regression");
            }
        }
        if (hidden.size() > MAX_LAYERS) {
            throw new IllegalArgumentException("--hidden has " + hidden.size() + " layers; at most " + MAX_LAYERS);
        }
        for (int w : hidden) {
            if (w < 1 || w > MAX_WIDTH) {
                throw new IllegalArgumentException("--hidden widths must be in 1.." + MAX_WIDTH + ", got " + w + " (in " + hidden + ")");
            }
        }
        Activation hiddenActivation = XorCommand.hiddenActivation(activation);
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        BaseOptimizer opt = FashionMnistCommand.baseOptimizer(optimizer, learningRate);
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("--validation-split must be in [0, 1), got " + validationSplit);
        }
        boolean balanced = switch (classWeights.toLowerCase(Locale.ROOT)) {
            case "none" -> false;
            case "balanced" -> true;
            default -> throw new IllegalArgumentException("unknown --class-weights '" + classWeights + "'; expected none or balanced");
        };
        if (balanced && regression) {
            throw new IllegalArgumentException("--class-weights balanced is for classification, but --task is regression (a"
                    + " number has no class); leave --class-weights out, or weigh rows with --weight-column");
        }
        if (patience != null && patience < 1) {
            throw new IllegalArgumentException("--early-stopping must be a patience of >= 1 epoch, got " + patience);
        }
        List<String> monitors = regression ? REGRESSION_MONITORS : CLASSIFICATION_MONITORS;
        if (!monitors.contains(monitor)) {
            String bare = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
            List<String> others = regression ? CLASSIFICATION_MONITORS : REGRESSION_MONITORS;
            throw new IllegalArgumentException("unknown --monitor '" + monitor + "' for " + (regression ? "regression" : "classification")
                    + "; expected " + String.join(", ", monitors) + (!bare.equals(monitor) && monitors.contains(bare)
                    ? " (the bare name: --monitor " + bare + " reads the validation value)"
                    : others.contains(bare) ? " (" + bare + " is for " + (regression ? "classification" : "regression: pass --task"
                    + " regression if \"" + label + "\" is a number to predict") + ")" : nearestMonitor(monitor, monitors)));
        }
        if (!monitor.equals("loss") && patience == null) {
            throw new IllegalArgumentException("--monitor " + monitor + " is what --early-stopping watches, but --early-stopping"
                    + " is not given; add --early-stopping PATIENCE (e.g. 10), or leave --monitor out");
        }
        // picocli's split="," keeps a quoted name's quotes and splits a name holding a comma: no such column would be expressible
        featureNames = features == null ? null : CsvOptions.columnNames("--features", features);
        excludeNames = exclude == null ? null : CsvOptions.columnNames("--exclude", exclude);
        char d = csvOptions.delimiter(); // one character, not a line break or the quote character
        char ds = csvOptions.decimalSeparator(); // '.' or ',', before any work
        checkOut();
        Backend backend = backendOptions.resolve();

        // 1. Data: read by name, split before anything is fitted on it
        CsvData csv = read(d, ds);
        int n = csv.size();
        int classes = regression ? 0 : csv.classNames().size();
        if (!regression && classes < 2) {
            throw new IllegalArgumentException(input + ": the --label column \"" + label + "\" holds one class only ("
                    + csv.classNames().get(0) + "); classification needs at least two");
        }
        if (validationSplit > 0) {
            int keep = Dataset.firstPartSize(n, 1 - validationSplit);
            if (keep == 0 || keep == n) {
                throw new IllegalArgumentException("--validation-split " + validationSplit + " of the " + n + " rows of " + input
                        + " leaves " + (keep == 0 ? "none to train on" : "none to validate on") + "; use "
                        + (keep == 0 ? "a smaller" : "a larger") + " --validation-split, or 0 for none");
            }
        }
        List<String> featureNames = csv.featureNames(), classNames = csv.classNames(), targetNames = csv.targetNames();
        Parts parts = split(csv, regression, validationSplit, seed, balanced);
        // the file's tensors, not held through training (the parts are copies of their rows, or without a split the same
        // tensors): call runs once, interpreted, where a local stays a GC root until reassigned
        csv = null;
        float[] weightsOfClasses = parts.classWeights();
        System.out.printf(Locale.ROOT, "%s: %,d rows, %d feature%s %s, %s; %,d to train on, %,d to validate on%n", input, n,
                featureNames.size(), featureNames.size() == 1 ? "" : "s", featureNames,
                regression ? "target \"" + label + "\"" : classes + " classes " + classNames, parts.train().size(),
                parts.validation() == null ? 0 : parts.validation().size());
        if (weightsOfClasses != null) {
            StringBuilder sb = new StringBuilder("balanced class weights:");
            for (int c = 0; c < classes; c++) {
                sb.append(String.format(Locale.ROOT, " %s %.4f", classNames.get(c), weightsOfClasses[c]));
            }
            System.out.println(sb);
        }

        // 2. Normalisers fitted on the training part only: fitted on every row they would have seen the validation rows
        Prepared prepared = normalise(parts, regression);
        Normaliser xNorm = prepared.xNorm(), yNorm = prepared.yNorm();
        Dataset trainN = prepared.train(), validationN = prepared.validation(); // parts' own datasets, normalised in place

        // The metrics (--monitor auc checked before the network is printed): a regression's errors are reported,
        // and monitored, in the target's units
        List<Metric> metrics = new ArrayList<>();
        if (regression) {
            metrics.add(Metric.inTargetUnits(Metric.rmse(), yNorm));
            if (monitor.equals("mae")) metrics.add(Metric.inTargetUnits(Metric.mae(), yNorm));
            if (monitor.equals("r2")) metrics.add(Metric.r2()); // the same in either unit
        } else {
            metrics.add(Metric.accuracy());
            if (monitor.equals("macro_f1")) metrics.add(Metric.macroF1());
            if (monitor.equals("auc")) {
                if (classes != 2) {
                    throw new IllegalArgumentException("--monitor auc is for two classes, but \"" + label + "\" has " + classes
                            + "; use --monitor accuracy, macro_f1 or loss");
                }
                metrics.add(Metric.auc());
            }
        }
        Network.Builder nb = Network.builder(featureNames.size());
        for (int w : hidden) nb.dense(w, hiddenActivation);
        Network net = (regression ? nb.dense(1, Activation.identity()).loss(Loss.mse())
                : nb.dense(classes, Activation.softmax()).loss(Loss.categoricalCrossEntropy()))
                .seed(seed)
                .backend(backend)
                .build();
        System.out.println(net);

        // 3. Training: one line per epoch
        int trainRows = trainN.size();
        if (batchSize > trainRows) {
            System.err.printf(Locale.ROOT, "bpnn: warning: --batch-size %d is more than the %,d training rows: each epoch is one"
                    + " batch of %,d%n", batchSize, trainRows, trainRows);
        }
        FashionMnistCommand.LoopTimer timer = new FashionMnistCommand.LoopTimer(epochs);
        Trainer.Builder tb = Trainer.builder()
                .optimizer(opt)
                .epochs(epochs)
                .batchSize(batchSize)
                .shuffle(seed)
                .metrics(metrics.toArray(Metric[]::new))
                .listener(timer)
                .listener(ConsoleProgressListener.epochLines(System.out));
        if (patience != null) tb.earlyStopping(EarlyStopping.patience(patience).monitor(monitor).restoreBestWeights());
        long t0 = System.nanoTime();
        TrainingHistory history = tb.build().fit(net, trainN, validationN);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;

        // 4. The figures of the weights saved: the best epoch's with early stopping (restored), else the last epoch's
        int completed = history.size();
        int reported = patience != null && history.bestEpoch() > 0 ? history.bestEpoch() : history.firstEpoch() + completed - 1;
        int at = reported - history.firstEpoch();
        boolean hasValidation = validationN != null;
        String part = hasValidation ? "val" : "train";
        double loss = hasValidation ? history.validationLoss()[at] : history.trainLoss()[at];
        String metricName = regression ? "rmse" : "accuracy";
        double metric = hasValidation ? history.validationMetric(metricName)[at] : history.trainMetric(metricName)[at];
        // --monitor's own figure, which chose the epoch saved: else with --monitor auc the summary would give accuracy and loss only
        String watched = monitor.equals("loss") || monitor.equals(metricName) ? null : monitor;
        double watchedValue = watched == null ? Double.NaN
                : hasValidation ? history.validationMetric(watched)[at] : history.trainMetric(watched)[at];
        String watchedText = watched == null ? "" : String.format(Locale.ROOT, regression ? ", %s %.6g" : ", %s %.4f", watched, watchedValue);
        Summary summary = new Summary("train", backend)
                .put("task", regression ? "regression" : "classification").put("rows", n).put("features", featureNames.size());
        if (!regression) summary.put("classes", classes);
        summary.put("epochs", completed).put("best_epoch", reported).put("stopped_early", history.stoppedEarly());
        String weightsOf = (patience != null ? "the best epoch's weights, epoch " : "the last epoch's weights, epoch ") + reported;
        if (regression) {
            // the loss is in standardised units: the RMSE (and its square, the MSE) in the target's own are what a user reads
            System.out.printf(Locale.ROOT, "%s: %s RMSE %.6g, MSE %.6g (in the units of \"%s\"; its standard deviation on the"
                    + " training part is %.6g)%s%n", weightsOf, hasValidation ? "validation" : "training", metric, metric * metric,
                    label, yNorm.scale()[0], watchedText);
            summary.put(part + "_rmse", metric).put(part + "_mse", metric * metric);
        } else {
            System.out.printf(Locale.ROOT, "%s: %s accuracy %.4f, loss %.4f%s%n", weightsOf, hasValidation ? "validation" : "training",
                    metric, loss, watchedText);
            Dataset shown = hasValidation ? validationN : trainN;
            ConfusionMatrix cm = ConfusionMatrix.of(net.predict(shown.features()), shown.targets());
            if (classes <= MAX_PRINTED_CLASSES) {
                System.out.println(cm.withClassNames(classNames.toArray(String[]::new)));
            }
            hintOfRareClasses(trainN, cm, classNames, hasValidation ? "validation" : "training");
            summary.put(part + "_accuracy", metric);
        }
        // the loss after the task's own figures, in both: --monitor loss (the default) chose the epoch saved by it
        summary.put(part + "_loss", loss);
        if (watched != null) summary.put(part + "_" + watched, watchedValue);

        // 5. Save with everything predict needs to take a CSV as this one is and answer in its terms
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("dataset", input.getFileName().toString());
        about.put("task", regression ? "regression" : "classification");
        about.put("label", label);
        about.put("rows", n);
        about.put("epochs", completed);
        about.put("best_epoch", reported);
        about.put("optimizer", opt.toString());
        about.put("batch_size", Math.min(batchSize, trainRows));
        putFigure(about, part + (regression ? "_rmse" : "_accuracy"), metric);
        // the loss, which --monitor loss (the default) watches: not val_rmse by another name, as that is in the target's
        // units, unweighted and (with --validation-split 0) measured after the epoch, the training loss during it
        putFigure(about, part + "_loss", loss);
        // and, as in the JSON line, --monitor's figure that chose the epoch saved (val_auc, ...): the training
        // summary is a free-form map, read whole by any bpnn-io, so an older reader takes the extra key too
        if (watched != null) putFigure(about, part + "_" + watched, watchedValue);
        SavedModel saved = (regression ? SavedModel.of(net, xNorm, yNorm, about).withTargetNames(targetNames)
                : SavedModel.of(net, xNorm, about).withClassNames(classNames)).withFeatureNames(featureNames)
                // the file's dialect, so predict reads a file like it without the flags (saved only when not ',' and '.')
                .withCsvDialect(new CsvDialect(d, ds));
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent); // checked before training; made only now, so a failed run leaves no directory
        ModelFile.save(saved, out);

        double median = timer.median(completed);
        System.out.printf(Locale.ROOT, "Training took %.1f s for %d %s: median epoch %.4f s (training loop only), %,.0f samples/s,"
                + " backend %s with %d thread(s)%n", trainSeconds, completed, completed == 1 ? "epoch" : "epochs", median,
                timer.samples / median, backend.name(), backend.threads());
        System.out.println("model: " + out);
        System.out.println(summary.put("median_epoch_seconds", median).put("samples_per_second", timer.samples / median)
                .put("train_seconds", trainSeconds).put("model", out.toString()).toJson());
        return 0;
    }

    /**
     * Puts a figure into the saved training summary when it is finite, and leaves it out when not: the summary
     * refuses NaN and the infinities (SavedModel.of), and a refusal there, after training, would lose the model. A
     * figure can be NaN from finite weights: a validation row far outside the training part's range (the loss), a
     * validation part of one class (auc). The epoch lines still show it, and the JSON line as null.
     */
    static void putFigure(Map<String, Object> about, String key, double value) {
        if (Double.isFinite(value)) about.put(key, value);
    }

    /**
     * "; did you mean --monitor accuracy?" for a name near one of {@code monitors} ("acc", "ACCURACY",
     * "val_acc", "rsme"), else "". The nearest names are the library's ({@link Trainer#suggestedMonitors}, the
     * names its early-stopping refusal offers), given "loss" and the metrics of {@code monitors} this command can
     * add, so the command answers a mistyped --monitor as the trainer answers a mistyped monitor(...).
     */
    static String nearestMonitor(String monitor, List<String> monitors) {
        if (monitor.isEmpty()) return "";
        List<Metric> metrics = new ArrayList<>();
        for (Metric m : List.of(Metric.accuracy(), Metric.macroF1(), Metric.auc(), Metric.rmse(), Metric.mae(), Metric.r2())) {
            if (monitors.contains(m.name())) metrics.add(m);
        }
        List<String> near = Trainer.suggestedMonitors(monitor, metrics).stream().map(n -> "--monitor " + n).toList();
        return near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near) + "?";
    }

    /**
     * One hint line on standard error when a class has under {@link #RARE_SHARE} of the training rows and
     * a recall of at most {@link #RARE_RECALL} on the part reported (validation, or training with
     * --validation-split 0): by default the loss is lowest when such a class is rarely predicted, and a
     * run that gives it a recall of 0.05 would otherwise say nothing. It points to what is not already given of
     * --class-weights balanced and --monitor auc (two classes) or macro_f1 (more), with --early-stopping,
     * which --monitor needs to choose the epoch saved. A class with no row in that part has no recall: not judged.
     */
    private void hintOfRareClasses(Dataset train, ConfusionMatrix cm, List<String> classNames, String part) {
        int classes = classNames.size();
        long[] rows = new long[classes];
        for (int c : Metrics.targetClasses(train.targets())) rows[c]++; // the class of each row as the metrics count it
        List<String> rare = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            double share = (double) rows[c] / train.size();
            // At most, not under, RARE_RECALL: a rare class predicted right half the time misses every other row of it,
            // which is the problem this hint is for, and with the few rows a rare class has in the part reported, a
            // recall of exactly 0.5 is common (1 of 2, 3 of 6) and "under" would let it through silently. A hint wrongly given costs a
            // line on standard error; one withheld leaves a model that misses half a class unremarked.
            if (share < RARE_SHARE && cm.support(c) > 0 && cm.recall(c) <= RARE_RECALL) {
                rare.add(String.format(Locale.ROOT, "\"%s\" (%.1f%% of the training rows, %s recall %.2f)", classNames.get(c),
                        100 * share, part, cm.recall(c)));
            }
        }
        String wanted = classes == 2 ? "auc" : "macro_f1";
        boolean monitored = monitor.equals("auc") || monitor.equals("macro_f1");
        List<String> flags = new ArrayList<>();
        if (!classWeights.equalsIgnoreCase("balanced")) flags.add("--class-weights balanced (every class counts as much in the loss)");
        String keeps = " (keeps the epoch of the best " + (monitored ? monitor : wanted) + ", not of the lowest loss)";
        if (patience == null) flags.add("--early-stopping 10" + (monitored ? "" : " --monitor " + wanted) + keeps);
        else if (!monitored) flags.add("--monitor " + wanted + keeps);
        if (rare.isEmpty() || flags.isEmpty()) return;
        System.err.println("bpnn: hint: rare class" + (rare.size() == 1 ? " " : "es ") + String.join(", ", rare)
                + (rare.size() == 1 ? " is" : " are") + " seldom predicted: try " + String.join(" and ", flags));
    }

    /** The training part (with its class weights, if balanced), the validation part (null without one) and the class weights (or null). */
    record Parts(Dataset train, Dataset validation, float[] classWeights) {
    }

    /** The parts with their features (and a regression's targets) normalised, and the normalisers fitted on the training part. */
    record Prepared(Dataset train, Dataset validation, Normaliser xNorm, Normaliser yNorm) {
    }

    /**
     * The rows read, split (stratified for classification) as --validation-split and --seed say, and
     * weighed by class when balanced. The parts are copies of their rows, made here: {@link #normalise}
     * changes them in place. Without a split the training part is {@code csv}'s own tensors, which then
     * change too (the command reads the file's values once, here).
     */
    static Parts split(CsvData csv, boolean regression, double validationSplit, long seed, boolean balanced) {
        Dataset unweighted = new Dataset(csv.features(), csv.targets());
        Dataset all = csv.sampleWeights() == null ? unweighted : unweighted.withSampleWeights(csv.sampleWeights());
        Dataset train = all, validation = null;
        if (validationSplit > 0) {
            Dataset.Split parts = Errors.forFlag("--validation-split", () -> regression
                    ? all.split(1 - validationSplit, seed) : all.stratifiedSplit(1 - validationSplit, seed));
            train = parts.train();
            validation = parts.validation();
        }
        float[] weightsOfClasses = null;
        if (balanced) {
            weightsOfClasses = train.balancedClassWeights(); // of the rows trained on; the validation loss stays as the data has it
            train = train.withClassWeights(weightsOfClasses);
        }
        return new Parts(train, validation, weightsOfClasses);
    }

    /**
     * The normalisers fitted on the training part, applied in place to both parts' features (and targets,
     * for a regression): the parts are the command's own ({@link #split}), so {@code apply}'s copies of
     * them (a second and, with the file's tensors still held, a third float copy of the data) are not
     * needed; the arithmetic is {@code apply}'s, the same bits.
     */
    static Prepared normalise(Parts parts, boolean regression) {
        Dataset train = parts.train(), validation = parts.validation();
        Normaliser xNorm = Normaliser.standardise(train.features());
        Normaliser yNorm = regression ? Normaliser.standardise(train.targets()) : null;
        for (Dataset d : validation == null ? List.of(train) : List.of(train, validation)) {
            xNorm.applyInPlace(d.features());
            if (yNorm != null) yNorm.applyInPlace(d.targets());
        }
        return new Prepared(train, validation, xNorm, yNorm);
    }

    /** --out: a file name, not a directory, in a directory that exists or can be made, and not the input. */
    private void checkOut() throws IOException {
        if (out.toString().isBlank()) {
            throw new IllegalArgumentException("--out is empty; expected a model file name such as runs/train/model.bpnn");
        }
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a directory; expected a file name such as " + out.resolve("model.bpnn"));
        }
        if (Files.exists(out) && Files.isSameFile(out, input)) {
            throw new IllegalArgumentException("--out " + out + " is the --input file; saving the model would overwrite the data;"
                    + " choose another --out");
        }
        Path parent = out.toAbsolutePath().getParent();
        OutputPaths.check("--out", parent);
        if (Files.exists(out) && !Files.isWritable(out)) {
            throw new IllegalArgumentException("--out " + out + ": permission denied (the file is read-only); choose another --out"
                    + " or fix its permissions");
        }
    }

    /**
     * The CSV, its columns named by the flags. Names are checked against the header first, so that a
     * mistake names the flag and lists the columns there are; the reader's refusals of a value are
     * worded for the flags (which column to leave out, which --task to pass).
     */
    private CsvData read(char d, char ds) throws IOException {
        List<String> header;
        try {
            header = CsvReader.builder().delimiter(d).build().headerNames(input);
        } catch (CsvFormatException e) {
            throw forTheCommandLine(e, List.of(), null);
        }
        header = header.stream().map(String::strip).toList(); // as the reader matches names: stripped once, here
        if (header.isEmpty()) throw new IllegalArgumentException("--input " + input + " is empty; expected a header row and samples");
        String l = label.strip();
        IllegalArgumentException oneColumn = CsvOptions.oneColumnHeader("--input " + input, header, d);
        if (oneColumn != null && !header.contains(l)) throw oneColumn;
        List<String> numbers = header.stream().filter(CsvReader::isNumber).toList();
        if (!header.contains(l) && !numbers.isEmpty()) {
            // a headerless file: its first sample is taken for names, and "expected one of "5.1", "3.6", ..." would not say so
            throw new IllegalArgumentException("--label: no column \"" + l + "\" in the header, and " + input + "'s first line"
                    + " holds numbers (" + CsvOptions.quoted(numbers) + "): a sample, not column names? train needs a first line"
                    + " of column names: add one naming each of its " + header.size() + " columns, the label's \"" + l + "\"");
        }
        requireColumn("--label", l, header);
        String w = weightColumn == null ? null : weightColumn.strip();
        if (w != null) {
            requireColumn("--weight-column", w, header);
            if (w.equals(l)) throw new IllegalArgumentException("--weight-column " + w + " is the --label column; choose another");
        }
        if (featureNames != null && excludeNames != null) {
            throw new IllegalArgumentException("--features and --exclude both choose the feature columns; give one: --features"
                    + " the columns to use, or --exclude the columns to leave out");
        }
        List<String> excluded = new ArrayList<>();
        if (excludeNames != null) {
            for (String e : excludeNames) {
                String name = e.strip();
                requireColumn("--exclude", name, header);
                if (name.equals(l)) {
                    throw new IllegalArgumentException("--exclude names the --label column \"" + l + "\", which is never a feature;"
                            + " leave it out of --exclude");
                }
                if (!excluded.contains(name)) excluded.add(name);
            }
        }
        List<String> chosen = new ArrayList<>();
        if (featureNames != null) {
            for (String f : featureNames) {
                String name = f.strip();
                requireColumn("--features", name, header);
                if (name.equals(l)) {
                    throw new IllegalArgumentException("--features names the --label column \"" + l + "\"; a model cannot take its"
                            + " own answer as an input: leave it out of --features");
                }
                if (name.equals(w)) {
                    throw new IllegalArgumentException("--features names the --weight-column \"" + w + "\"; leave it out of --features");
                }
                if (chosen.contains(name)) throw new IllegalArgumentException("--features names \"" + name + "\" twice; give each column once");
                chosen.add(name);
            }
        } else {
            for (String h : header) {
                if (!h.equals(l) && !h.equals(w) && !excluded.contains(h)) chosen.add(h);
            }
            if (chosen.isEmpty()) {
                throw new IllegalArgumentException(input + " has no column besides --label" + (w == null ? "" : " and --weight-column")
                        + (excluded.isEmpty() ? "" : " and --exclude") + "; a network needs at least one feature column");
            }
        }
        // a column read that the header names twice: the reader's refusal is about its API ("featureColumns(...) got "a"
        // twice", or "choose the column by index instead"), neither of which the command line can act on
        List<String> read = new ArrayList<>(List.of(l));
        if (w != null) read.add(w);
        read.addAll(chosen);
        for (String n : read) {
            if (header.indexOf(n) != header.lastIndexOf(n)) {
                String flag = n.equals(l) ? "the --label column" : n.equals(w) ? "the --weight-column" : "a feature column";
                throw new IllegalArgumentException(input + "'s header has the column \"" + n + "\" twice (at " + header.indexOf(n)
                        + " and " + header.lastIndexOf(n) + "), " + flag + ", which train takes by name; rename or remove one"
                        + " in the file");
            }
        }
        CsvReader.Builder b = CsvReader.builder().delimiter(d).decimalSeparator(ds).labelColumns(l).featureColumns(chosen.toArray(String[]::new));
        if (w != null) b.weightColumn(w);
        if (!regression) b.categorical().oneHot(true);
        // Missing values are refused either way; named, the whole file is read and they are counted per column. Without
        // this, an "NA" in a class label column would become a class of its own, and the first one in a feature would stop the read
        // with the advice for a text column
        b.missingValues(CsvOptions.MISSING_VALUES.toArray(String[]::new));
        CsvData csv;
        try {
            csv = b.build().read(input);
        } catch (CsvFormatException e) {
            if (e.remedy() == CsvFormatException.Remedy.FIX_VALUE && e.column() >= 0 && e.column() < header.size()
                    && chosen.contains(header.get(e.column()))) {
                throw textColumns(e, header.get(e.column()), chosen, d, ds);
            }
            throw forTheCommandLine(e, header, l);
        }
        if (!regression && task == null) requireClassLike(csv, ds);
        if (!regression) warnOfCaseOnlyClasses(csv.classNames());
        return csv;
    }

    /**
     * A feature column's value is not a number: the refusal names every chosen feature column that holds
     * text in the first {@link #TEXT_SCAN_ROWS} data rows (the one refused always among them), so that a
     * file with three text columns takes one run, not three, and spells out the --exclude (or --features)
     * to pass. Only on this failure path is the file read again, and only those rows: a cell is text when
     * it is neither a number (as the reader parses them, with --decimal-separator), empty, nor a missing
     * value's token (those are counted by the reader, not text).
     */
    private CsvFormatException textColumns(CsvFormatException e, String refused, List<String> chosen, char d, char ds)
            throws IOException {
        List<String[]> rows = CsvReader.builder().delimiter(d).build().columnText(input, chosen, TEXT_SCAN_ROWS);
        Map<String, String> text = new LinkedHashMap<>(); // column -> its first text cell, in the features' order
        for (int j = 0; j < chosen.size(); j++) {
            for (String[] row : rows) {
                String c = row[j] == null ? "" : row[j].strip();
                if (!CsvOptions.isMissing(c) && !CsvReader.isNumber(c, ds)) {
                    text.put(chosen.get(j), c);
                    break;
                }
            }
            if (chosen.get(j).equals(refused)) text.putIfAbsent(refused, null); // past the rows looked at, or out of range
        }
        List<String> columns = new ArrayList<>(text.keySet());
        String remedy;
        if (columns.size() == 1) {
            remedy = "; every feature must be a finite number: fix the value, or leave the column out " + leaveOut(columns)
                    + " (a text column needs encoding as numbers first)";
        } else {
            StringBuilder listed = new StringBuilder();
            for (Map.Entry<String, String> t : text.entrySet()) {
                listed.append(listed.length() == 0 ? "" : ", ").append('"').append(t.getKey()).append('"')
                        .append(t.getValue() == null ? "" : " (e.g. \"" + t.getValue() + "\")");
            }
            remedy = "; every feature must be a finite number, and " + columns.size() + " feature columns hold text (in the"
                    + " first " + rows.size() + " data rows): " + listed + "; leave them out " + leaveOut(columns) + " (a text column"
                    + " needs encoding as numbers first), or fix the values";
        }
        return new CsvFormatException(e.source(), e.line(), e.column(), e.problem() + remedy, e);
    }

    /**
     * How to leave feature columns out with the flag the run chose them by: "of --features", or "with --exclude"
     * and the value to pass, the columns named ("--features" alone would leave the user to list every other column).
     */
    private String leaveOut(List<String> columns) {
        return featureNames != null ? "of --features" : "with --exclude " + excludeWith(columns);
    }

    /**
     * --exclude's value to pass: the columns already given, then {@code more}, in the flag's list syntax and
     * quoted for the shell ({@code --exclude 'id,"city, country"'}), so that it pastes as it is.
     */
    private String excludeWith(List<String> more) {
        List<String> all = new ArrayList<>();
        if (excludeNames != null) excludeNames.stream().map(String::strip).forEach(all::add);
        more.stream().filter(c -> !all.contains(c)).forEach(all::add);
        return CsvOptions.shellWord(CsvOptions.columnList(all));
    }

    /**
     * Class names that differ only in case ("Yes", "yes", "YES" from hand-typed labels) are trained as
     * different classes, as the reader keeps them (it strips only the spaces around a name). A warning,
     * not a refusal: in some data "a" and "A" are two classes.
     */
    private void warnOfCaseOnlyClasses(List<String> names) {
        Map<String, List<String>> byLower = new LinkedHashMap<>();
        for (String c : names) byLower.computeIfAbsent(c.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(c);
        List<String> groups = new ArrayList<>();
        for (List<String> g : byLower.values()) {
            if (g.size() > 1) groups.add(g.stream().map(c -> "\"" + c + "\"").reduce((a, b) -> a + ", " + b).orElseThrow());
        }
        if (!groups.isEmpty()) {
            System.err.println("bpnn: warning: the --label column \"" + label.strip() + "\" has class names that differ only in"
                    + " case (" + String.join("; ", groups) + "), trained as different classes; if they are the same class,"
                    + " write them the same way in the file");
        }
    }

    /**
     * Without --task: a label of numbers that are fractional, or of many distinct values, is likely a
     * regression target, which as classes would give one softmax output per value (a price column, hundreds).
     * Numbers as the features are read, with {@code decimalSeparator}: under ',' a label of "1,5" is a
     * fractional number (read with '.' it would be text, and each value would become a class without a word).
     */
    private void requireClassLike(CsvData csv, char decimalSeparator) {
        List<String> names = csv.classNames();
        String fractional = null;
        for (String c : names) {
            if (!CsvReader.isNumber(c, decimalSeparator)) return; // text labels: classes
            if (fractional == null && !c.matches("[-+]?[0-9]+")) fractional = c;
        }
        if (fractional != null || names.size() > MAX_NUMERIC_CLASSES) {
            TreeSet<String> shown = new TreeSet<>(names.subList(0, Math.min(3, names.size())));
            throw new IllegalArgumentException("the --label column \"" + label.strip() + "\" holds numbers"
                    + (fractional != null ? ", among them " + fractional : "") + " (" + names.size() + " distinct values, e.g. "
                    + String.join(", ", shown) + "): a regression target? pass --task regression, or --task classification"
                    + " to make each value a class");
        }
    }

    private static void requireColumn(String flag, String name, List<String> header) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException(flag + " has an empty column name; expected one of " + CsvOptions.quoted(header));
        }
        if (!header.contains(name)) {
            String other = header.stream().filter(h -> h.equalsIgnoreCase(name)).findFirst().orElse(null);
            throw new IllegalArgumentException(flag + ": no column \"" + name + "\" in the header; expected one of " + CsvOptions.quoted(header)
                    + (other != null ? " (names are case-sensitive: \"" + other + "\"?)" : ""));
        }
    }

    /**
     * The reader's refusal with the flags' remedy: a label that is not a number under --task regression, or
     * the delimiter, the decimal separator, the header's names. The reader's remedies name its builder's
     * methods, which the command line does not have. A value refused in a feature column never comes here
     * ({@link #read} words it with {@link #textColumns}), nor one in the --weight-column (the reader refuses a
     * weight with its own remedy, never FIX_VALUE), so the label is the one column FIX_VALUE names here.
     */
    private CsvFormatException forTheCommandLine(CsvFormatException e, List<String> header, String l) {
        if (e.remedy() == CsvFormatException.Remedy.FIX_VALUE && e.column() >= 0 && e.column() < header.size()
                && header.get(e.column()).equals(l)) { // read's header, stripped
            return new CsvFormatException(e.source(), e.line(), e.column(), e.problem() + "; --task regression needs a number in"
                    + " every row of the --label column: fix the value, or leave --task out (classification) if \"" + l
                    + "\" holds classes", e);
        }
        String remedy = switch (e.remedy()) {
            case DELIMITER, DECIMAL_SEPARATOR, THOUSANDS_OR_DECIMAL -> CsvOptions.flagRemedy(e);
            case RENAME_COLUMNS -> "; rename the columns in the header, or leave them out with --exclude or --features";
            case FIX_VALUE -> "; fix the value in the file"; // another column's: none today (see above), worded plainly if one comes
            // the reader's advice is written for training data (drop the rows of a missing label, impute or drop the rest)
            // and names none of its options: train's, as it is (evaluate and predict word their own)
            case MISSING_VALUES, OTHER -> null;
        };
        return remedy == null ? e : new CsvFormatException(e.source(), e.line(), e.column(), e.problem() + remedy, e);
    }
}
