package org.bpnn.examples.fashion;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bpnn.backend.Backend;
import org.bpnn.data.Batches;
import org.bpnn.data.Dataset;
import org.bpnn.data.Normaliser;
import org.bpnn.data.OneHot;
import org.bpnn.examples.BackendOptions;
import org.bpnn.examples.Charts;
import org.bpnn.examples.Errors;
import org.bpnn.examples.OutputPaths;
import org.bpnn.examples.Summary;
import org.bpnn.io.data.IdxData;
import org.bpnn.io.data.MnistFiles;
import org.bpnn.io.data.MnistIdx;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.bpnn.loss.Loss;
import org.bpnn.metrics.ConfusionMatrix;
import org.bpnn.metrics.Metric;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.AdaGrad;
import org.bpnn.optim.Adam;
import org.bpnn.optim.AdamW;
import org.bpnn.optim.BaseOptimizer;
import org.bpnn.optim.LearningRateSchedule;
import org.bpnn.optim.Momentum;
import org.bpnn.optim.Optimizer;
import org.bpnn.optim.RmsProp;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.bpnn.train.ConsoleProgressListener;
import org.bpnn.train.Trainer;
import org.bpnn.train.TrainingHistory;
import org.bpnn.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What this shows: the main job. A 784-256-128-10 ReLU/softmax classifier trained on Fashion-MNIST
 * end to end: load the IDX files, standardise the pixels (fitted on the training set), train with a
 * live progress bar, evaluate on the 10,000 test images (accuracy, per-class precision/recall/F1, the
 * confusion matrix), save the model with bpnn-io and draw the training curves as a PNG.
 *
 * <p>How to run: {@code ./bpnn fashion-mnist} (data from Debian's {@code dataset-fashion-mnist}
 * package, which the launcher installs when it can), or {@code ./bpnn fashion-mnist --epochs 5
 * --threads 1 --out runs/fm}.
 */
@Command(name = "fashion-mnist", mixinStandardHelpOptions = true,
        description = "Train a 784-256-128-10 classifier on Fashion-MNIST, evaluate, save it and plot the curves.")
public final class FashionMnistCommand implements Callable<Integer> {
    static final String[] CLASSES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
        "Sneaker", "Bag", "Ankle boot"};

    @Mixin
    BackendOptions backendOptions = new BackendOptions();

    @Option(names = "--epochs", defaultValue = "15", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--learning-rate", defaultValue = "0.001", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--optimizer", defaultValue = "adam",
            description = "adam, adamw, sgd, momentum, nesterov, rmsprop or adagrad (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--schedule", defaultValue = "cosine",
            description = "Learning-rate schedule over the whole run: cosine (decays to 0) or constant (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--dropout", defaultValue = "0", description = "Dropout rate after each hidden layer, 0 for none (default: ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--validation-split", defaultValue = "0.1",
            description = "Fraction of the training images held out for validation curves; 0 trains on all 60,000 (default: ${DEFAULT-VALUE}).")
    double validationSplit;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the initialisation and the shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with the IDX files (default: $BPNN_DATA if set and not empty, else /usr/share/datasets/fashion-mnist).")
    Path data;

    @Option(names = "--out", defaultValue = "runs/fashion-mnist", paramLabel = "DIR",
            description = "Output directory for model.bpnn and curves.png (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--no-progress", description = "Do not draw the live progress bar; print one line per epoch instead (the default when standard output is not a terminal).")
    boolean noProgress;

    PrintStream console = System.out;

    /** The directory used without --data and BPNN_DATA (a field so that tests can point it at a missing one). */
    Path defaultDataDir = MnistFiles.FASHION_MNIST_DIR;

    /**
     * The data directory: --data, else BPNN_DATA, else the Debian package's directory. An empty
     * BPNN_DATA counts as unset (as the launcher and BPNN_BACKEND / BPNN_THREADS take it); an empty
     * --data is refused in {@link #call}.
     */
    Path dataDir() {
        if (data != null) return data;
        String env = System.getenv("BPNN_DATA");
        return env != null && !env.isBlank() ? Path.of(env) : defaultDataDir;
    }

    Optimizer optimizer(long totalSteps) {
        BaseOptimizer o = baseOptimizer();
        switch (schedule.toLowerCase(Locale.ROOT)) {
            case "cosine": return o.schedule(LearningRateSchedule.cosine(totalSteps));
            case "constant": return o;
            default: throw new IllegalArgumentException("unknown --schedule '" + schedule + "'; expected cosine or constant");
        }
    }

    BaseOptimizer baseOptimizer() {
        return baseOptimizer(optimizer, learningRate);
    }

    /** The names --optimizer takes, for messages and --help. */
    public static final String OPTIMIZERS = "adam, adamw, sgd, momentum, nesterov, rmsprop or adagrad";

    /**
     * The optimiser --optimizer names (any case) at --learning-rate {@code learningRate}, refusals naming the flag.
     * Public for the train command, whose --optimizer takes the same names.
     */
    public static BaseOptimizer baseOptimizer(String optimizer, double learningRate) {
        // the name first, so that an unknown one is not reported as a learning-rate problem
        java.util.function.DoubleFunction<BaseOptimizer> make = switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "adam" -> Adam::new;
            case "adamw" -> lr -> new AdamW(lr, 0.01);
            case "sgd" -> Sgd::new;
            case "momentum" -> lr -> new Momentum(lr, 0.9);
            case "nesterov" -> lr -> Momentum.nesterov(lr, 0.9);
            case "rmsprop" -> RmsProp::new;
            case "adagrad" -> AdaGrad::new;
            default -> throw new IllegalArgumentException("unknown --optimizer '" + optimizer + "'; expected " + OPTIMIZERS);
        };
        return Errors.forFlag("--learning-rate", () -> make.apply(learningRate));
    }

    /**
     * Times the training loop proper: from an epoch's start to its last batch (no evaluation). Public for
     * the train command, which reports the same median epoch and samples per second.
     */
    public static final class LoopTimer implements TrainingListener {
        final double[] seconds;
        /** The rows trained on per epoch (as the trainer reported them at the last epoch's start). */
        public int samples;
        private long start;

        public LoopTimer(int epochs) {
            seconds = new double[epochs];
        }

        @Override
        public void onEpochStart(int epoch, int epochs, int batches, int samples) {
            this.samples = samples;
            start = System.nanoTime();
        }

        @Override
        public void onBatchEnd(int epoch, int batch, int batches, int batchRows, double loss) {
            if (batch == batches) seconds[epoch - 1] = (System.nanoTime() - start) / 1e9;
        }

        /** The median of the first {@code completed} epochs' seconds (NaN for none). */
        public double median(int completed) {
            double[] s = Arrays.copyOf(seconds, completed);
            Arrays.sort(s);
            return completed == 0 ? Double.NaN : completed % 2 == 1 ? s[completed / 2] : (s[completed / 2 - 1] + s[completed / 2]) / 2;
        }
    }

    /**
     * The test figures as the main job prints them, and ./bpnn evaluate after it: the accuracy with the count
     * it is of, then the confusion matrix with each class's precision, recall, F1 and support and their macro
     * averages ({@link ConfusionMatrix#toString}).
     */
    public static void printTestFigures(PrintStream out, ConfusionMatrix cm) {
        out.printf(Locale.ROOT, "Test accuracy: %.4f (%d of %d)%n", cm.accuracy(), Math.round(cm.accuracy() * cm.total()), cm.total());
        out.println(cm);
    }

    /**
     * Whether standard output is a terminal: {@code System.console()} is null when it is not on JDK
     * 17 to 21; from JDK 22 the console exists anyway and {@code Console.isTerminal()} says.
     */
    static boolean stdoutIsTerminal() {
        java.io.Console c = System.console();
        if (c == null) return false;
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (NoSuchMethodException e) {
            return true; // JDK 17 to 21: a console means a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** Labels must be classes 0..9; the library's own check would name neither the file nor the flag. */
    private static void requireLabels(Path dir, String file, int[] labels) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 9) {
                throw new IllegalArgumentException(dir.resolve(file) + "[.gz]: label " + labels[i] + " of sample " + i
                        + " is not a class 0..9; Fashion-MNIST has 10 classes: point --data at its IDX files");
            }
        }
    }

    @Override
    public Integer call() throws IOException {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("--validation-split must be in [0, 1), got " + validationSplit);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
        }
        if (data != null && data.toString().isBlank()) {
            // Path.of("") is the current directory, which would be searched: almost always an unset shell
            // variable (--data "$DIR"), as for --out, which refuses it
            throw new IllegalArgumentException("--data is empty; expected the directory of the IDX files, such as "
                    + MnistFiles.FASHION_MNIST_DIR + " (leave --data out for $BPNN_DATA or that default; use --data . for the current directory)");
        }
        optimizer(1); // validate --optimizer and --schedule before loading anything
        OutputPaths.check("--out", out); // and --out: a bad one would otherwise fail only after training
        OutputPaths.checkNames("--out", out, "model.bpnn", "curves.png");
        Backend backend = backendOptions.resolve();
        Path dir = dataDir();
        long t0 = System.nanoTime();
        // raw pixel values 0..255: the normaliser fitted on them is saved with the model, so the model
        // takes raw pixels from any source (`predict` on the IDX files, or a CSV of 0..255 values). Read
        // as bytes and converted a part at a time (prepare), not as floats: see prepare
        MnistIdx d;
        try {
            d = MnistFiles.loadIdx(dir);
        } catch (FileNotFoundException e) {
            if (dir.equals(defaultDataDir)) {
                // the library's remedies are installing the package and downloading into its directory: the
                // command can also read the files from anywhere else
                throw new FileNotFoundException(e.getMessage() + " Or point --data (or BPNN_DATA) at a directory that holds them.");
            }
            if (data != null) {
                // --data chose the directory: installing the package, the message's remedy, would not change that
                throw new FileNotFoundException(e.getMessage() + " --data chose " + dir + ": put the four files there, or leave --data out "
                        + "to use $BPNN_DATA or " + defaultDataDir + ".");
            }
            // BPNN_DATA chose the directory: installing the package, the message's remedy, would not change that
            throw new FileNotFoundException(e.getMessage() + " BPNN_DATA chose " + dir + ": unset it to use "
                    + defaultDataDir + ", or point it (or --data) at the four files.");
        }
        if (d.pixels() != 784) { // loadIdx checked that the test images have as many
            throw new IllegalArgumentException(dir + " holds images of " + d.pixels() + " pixels; this job's network takes"
                    + " Fashion-MNIST's 28 x 28 = 784: point --data at its IDX files");
        }
        requireLabels(dir, "train-labels-idx1-ubyte", d.trainY());
        requireLabels(dir, "t10k-labels-idx1-ubyte", d.testY());
        int n = d.trainCount();
        int trainRows = validationSplit > 0 ? Dataset.firstPartSize(n, 1 - validationSplit) : n; // the split fit will make
        if (trainRows < 1) {
            // else a warning about "one batch of 0" and the cosine schedule's "totalSteps=0", after creating --out
            throw new IllegalArgumentException("--validation-split " + validationSplit + " of the " + n
                    + " training images leaves none to train on; use a smaller --validation-split");
        }
        if (validationSplit > 0 && trainRows == n) { // checked before --out is created
            throw new IllegalArgumentException("--validation-split " + validationSplit + " of the " + n
                    + " training images leaves none to validate on; use 0 for no validation, or a larger split");
        }
        console.printf(Locale.ROOT, "Fashion-MNIST from %s: %d training and %d test images of %d pixels (%.2f s)%n",
                dir, n, d.testCount(), d.pixels(), (System.nanoTime() - t0) / 1e9);

        OutputPaths.directory("--out", out); // created once the data is there, so a run without data leaves nothing behind
        long totalSteps = (long) epochs * Batches.count(trainRows, batchSize, false); // the trainer keeps the last batch
        Optimizer opt = optimizer(totalSteps);
        LoopTimer timer = new LoopTimer(epochs);
        Trainer.Builder tb = Trainer.builder()
                .optimizer(opt)
                .epochs(epochs)
                .batchSize(batchSize)
                .shuffle(seed)
                .metrics(Metric.accuracy())
                .listener(timer);
        // the live bar only on a terminal: redirected to a file or a pipe, its carriage-return redraws
        // would make one long line of every redraw per epoch
        boolean live = !noProgress && console == System.out && stdoutIsTerminal();
        tb.listener(live ? new ConsoleProgressListener(console) : ConsoleProgressListener.epochLines(console));
        Trainer trainer = tb.build();

        Prepared p = prepare(d, trainer, validationSplit);
        d = null; // the files' bytes, not held through training: call runs once, interpreted, where a local stays a GC root until reassigned
        Dataset train = p.train(), validation = p.validation();
        Normaliser normaliser = p.normaliser();
        Tensor testX = p.testX();

        Network.Builder nb = Network.builder(784).dense(256, Activation.relu());
        if (dropout > 0) nb.dropout(dropout);
        nb.dense(128, Activation.relu());
        if (dropout > 0) nb.dropout(dropout);
        Network net = nb.dense(10, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy())
                .seed(seed)
                .backend(backend)
                .build();
        int batch = Math.min(batchSize, trainRows); // what a batch holds; the summary reports this
        if (batchSize > trainRows) {
            System.err.printf(Locale.ROOT, "bpnn: warning: --batch-size %d is more than the %,d training samples: each epoch is "
                    + "one batch of %,d%n", batchSize, trainRows, trainRows);
        }
        console.println(net);
        long trainStart = System.nanoTime();
        TrainingHistory history = trainer.fit(net, train, validation);
        double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
        int completed = history.size();

        Tensor outputs = Tensor.zeros(testX.rows(), net.outputSize());
        Tensor testY = OneHot.encode(p.testY(), 10);
        // the test loss as the trainer computes the validation loss: from the softmax's z, not the
        // probabilities, whose float rounding near 0 and 1 distorts it (Network.costFromPreActivation)
        Tensor z = net.costFromPreActivation() ? Tensor.zeros(testX.rows(), net.outputSize()) : null;
        net.predict(testX, outputs, z);
        double testLoss = net.lossOf(outputs, z, testY, null);
        ConfusionMatrix cm = ConfusionMatrix.of(outputs, testY).withClassNames(CLASSES);
        console.println();
        printTestFigures(console, cm);

        Files.createDirectories(out); // checked at the start; made again in case it was removed during training
        Path model = out.resolve("model.bpnn");
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("dataset", "fashion-mnist");
        summary.put("epochs", completed);
        summary.put("optimizer", opt.toString());
        summary.put("batch_size", batch);
        summary.put("test_accuracy", cm.accuracy());
        ModelFile.save(SavedModel.of(net, normaliser, summary).withClassNames(List.of(CLASSES)), model);
        Path chart = out.resolve("curves.png");
        writeCurves(history, chart);
        double median = timer.median(completed);
        console.printf(Locale.ROOT, "Training took %.1f s for %d %s: median epoch %.3f s (training loop only), %,.0f samples/s, "
                + "backend %s with %d thread(s)%n", trainSeconds, completed, completed == 1 ? "epoch" : "epochs", median,
                timer.samples / median, backend.name(),
                backend.threads());
        console.println("model: " + model);
        console.println("curves: " + chart);
        console.println(new Summary("fashion-mnist", backend)
                .put("epochs", completed).put("batch_size", batch).put("optimizer", opt.toString())
                .put("train_samples", timer.samples)
                .put("test_accuracy", cm.accuracy()).put("test_loss", testLoss)
                .put("median_epoch_seconds", median).put("samples_per_second", timer.samples / median)
                .put("train_seconds", trainSeconds).put("model", model.toString()).put("chart", chart.toString())
                .toJson());
        return 0;
    }

    /**
     * What the job trains, validates and tests on, normalised by {@code normaliser}, which is fitted on
     * the training part only; {@code validation} is null without a validation split.
     */
    record Prepared(Dataset train, Dataset validation, Normaliser normaliser, Tensor testX, int[] testY) {
    }

    /**
     * The training and validation parts fit takes with {@code trainer.validationSplit(validationSplit)}
     * (0: none) and the test images, as floats, normalised, from the files' bytes: one float copy of the
     * images, where converting every image, splitting the rows into copies and normalising each copy
     * into another would hold three of the 60,000 training images at once (188 MB each), which a JVM's
     * default heap on a 2 GB host (512 MB) cannot. The result is the same bits: the split is the
     * trainer's own, made on a data set of row numbers with the labels as targets (a row number is an
     * exact float: the images of one float array are far fewer than 2^24), whose parts then say which
     * images to convert; the normaliser is applied in place to tensors made here (the arithmetic of
     * {@link Normaliser#apply(Tensor)}, without its copy).
     */
    static Prepared prepare(MnistIdx d, Trainer trainer, double validationSplit) {
        int n = d.trainCount();
        Dataset train, validation = null;
        if (validationSplit > 0) {
            // split first, the rows fit would hold out, so that the normaliser is fitted on the training
            // part only: fitted on all 60,000 images it saw the validation images too
            Tensor rowNumbers = Tensor.zeros(n, 1);
            for (int i = 0; i < n; i++) rowNumbers.data()[i] = i;
            Dataset.Split parts = trainer.validationSplit(Dataset.ofLabels(rowNumbers, d.trainY(), 10), validationSplit);
            train = images(d.trainImages(), parts.train());
            validation = images(d.trainImages(), parts.validation());
        } else {
            train = Dataset.ofLabels(d.trainImages().toTensor(1f), d.trainY(), 10);
        }
        Normaliser normaliser = Normaliser.standardise(train.features());
        normaliser.applyInPlace(train.features());
        if (validation != null) normaliser.applyInPlace(validation.features());
        Tensor testX = d.testImages().toTensor(1f);
        normaliser.applyInPlace(testX);
        return new Prepared(train, validation, normaliser, testX, d.testY());
    }

    /** The images of the rows {@code part}'s features number, as floats, with {@code part}'s targets. */
    private static Dataset images(IdxData images, Dataset part) {
        float[] numbers = part.features().data();
        int[] rows = new int[numbers.length];
        for (int i = 0; i < rows.length; i++) rows[i] = (int) numbers[i];
        return new Dataset(images.toTensor(rows, 0, rows.length, 1f), part.targets());
    }

    static void writeCurves(TrainingHistory h, Path png) throws IOException {
        int n = h.size();
        double[] epochs = new double[n];
        for (int i = 0; i < n; i++) epochs[i] = h.epochs().get(i).epoch();
        Map<String, double[][]> loss = new LinkedHashMap<>();
        // The train loss is the running mean over the epoch's batches (weights moving, dropout on);
        // the accuracies and the validation loss are evaluated once the epoch has ended: said in the
        // legend, since the two kinds of curve can cross (train loss above validation loss, train
        // accuracy above validation accuracy) without a contradiction
        loss.put("train loss (mean over the epoch's batches)", new double[][] {epochs, h.trainLoss()});
        Map<String, double[][]> acc = new LinkedHashMap<>();
        acc.put("train accuracy (after the epoch)", new double[][] {epochs, h.trainMetric("accuracy")});
        boolean validation = !h.epochs().isEmpty() && h.epochs().get(0).hasValidation();
        if (validation) {
            loss.put("validation loss (after the epoch)", new double[][] {epochs, h.validationLoss()});
            acc.put("validation accuracy (after the epoch)", new double[][] {epochs, h.validationMetric("accuracy")});
        }
        Charts.panels("Fashion-MNIST, 784-256-128-10: training curves", "epoch",
                new String[] {"cross-entropy loss", "accuracy"}, java.util.List.of(loss, acc), png);
    }
}
