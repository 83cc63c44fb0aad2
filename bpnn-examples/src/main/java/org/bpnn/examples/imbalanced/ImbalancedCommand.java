package org.bpnn.examples.imbalanced;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.bpnn.backend.Backend;
import org.bpnn.data.Dataset;
import org.bpnn.examples.BackendOptions;
import org.bpnn.examples.Errors;
import org.bpnn.examples.OutputPaths;
import org.bpnn.examples.Summary;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.bpnn.loss.Loss;
import org.bpnn.metrics.ConfusionMatrix;
import org.bpnn.metrics.Metric;
import org.bpnn.metrics.Metrics;
import org.bpnn.metrics.PrecisionRecallCurve;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.tensor.Tensor;
import org.bpnn.train.EarlyStopping;
import org.bpnn.train.EpochSummary;
import org.bpnn.train.Trainer;
import org.bpnn.train.TrainingHistory;
import org.bpnn.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What this shows: binary classification of a rare class, and what class weights do and do not
 * change. 10,000 synthetic transactions (two overlapping Gaussian clouds in 2-D, generated from
 * {@code --seed}: no download), 2% of them fraud, are split with {@link Dataset#stratifiedSplit} into
 * 80% to train on and 20% to test on, each with 2% fraud (a plain random split of 200 fraud rows can
 * leave the test part with noticeably more or fewer); the trainer holds out a stratified 20% of the
 * training part for validation ({@link Trainer.Builder#stratifiedValidationSplit}). A 2-16-1 network
 * with a sigmoid output and binary cross-entropy is trained twice from the same seed (the same initial
 * weights, batches and split): once unweighted, once with scikit-learn's "balanced" class weights
 * ({@link Dataset#withBalancedClassWeights()}: about 0.51 per normal row and 25 per fraud row, so that
 * each class weighs as much in total). Both runs stop early on the validation ROC AUC
 * ({@link Metric#auc()}) and keep the best epoch's weights. For each the test AUC, the confusion matrix
 * at the threshold 0.5 and the fraud class's precision and recall are printed.
 *
 * <p>What to see: the AUCs are nearly equal, while the recall of fraud at 0.5 rises a lot with the
 * weights (and its precision falls). Why: trained with cross-entropy, the sigmoid output estimates
 * P(fraud | x). With fraud at 2%, that stays below 0.5 wherever the clouds overlap, so the unweighted
 * model flags only the fraud far out in its own cloud. Balanced weights make the loss that of a
 * 50/50 data set: the output now estimates the probability under equal priors, whose odds are the
 * unweighted odds times about 49 (98% / 2%), and it crosses 0.5 where the fraud density exceeds the
 * normal density. Multiplying every row's odds by the same factor keeps the rows' order, and the AUC
 * (the chance that a random fraud row scores above a random normal one) depends on that order only:
 * the weights move the operating point, not the quality of the ranking.
 *
 * <p>So the same operating point can be had from the unweighted model by a lower threshold, and the
 * example chooses it the way a real one should: on the validation part, the rows the trainer held out
 * ({@link Trainer#validationSplit}), neither trained nor tested on (a threshold chosen on the test part
 * would flatter its own test figures). The weighted model's recall of fraud at 0.5 on those rows is the
 * target; {@link Metrics#precisionRecallCurve} of the unweighted model's validation outputs and
 * {@link PrecisionRecallCurve#thresholdForRecall} give the highest threshold that reaches it, which
 * keeps the most precision for that recall. Matching the weighted run's recall (rather than, say,
 * {@link PrecisionRecallCurve#bestF1}) puts the two models at one operating point, so the printed test
 * line compares like with like: about the weighted model's recall and precision, without retraining
 * (0.0465 for the default seed; the odds factor alone would suggest the fraud rate, 0.02, but the
 * model's probabilities are estimates, and the curve measures them). Weights are the way when the
 * threshold cannot be chosen (a fixed argmax, a downstream 0.5). Which point is right depends on what
 * a missed fraud costs against a false alarm; AUC does not choose it, and a real application would
 * pass its own target to thresholdForRecall or thresholdForPrecision.
 *
 * <p>The weighted model is saved with its class names ("normal", "fraud"), and the unweighted one beside it
 * with the same names and the chosen threshold ({@code SavedModel.withThreshold}), so
 * {@code ./bpnn predict} gives each the operating point printed for it. The features are generated
 * on a unit scale, so no normaliser is fitted (for real data, fit one on the training part only, as
 * the sine example does).
 *
 * <p>How to run: {@code ./bpnn imbalanced --out runs/imbalanced}, then
 * {@code ./bpnn predict --model runs/imbalanced/model.bpnn --input x.csv} for a CSV of two columns
 * ({@code unweighted.bpnn} for the unweighted model at its chosen threshold).
 */
@Command(name = "imbalanced", mixinStandardHelpOptions = true,
        description = "Imbalanced binary classification: synthetic data with 2%% fraud (--fraud-rate), trained without and with balanced class weights; "
                + "compares test AUC and the fraud class's recall at 0.5, chooses the unweighted model's threshold on the validation part, "
                + "saves both models.")
public final class ImbalancedCommand implements Callable<Integer> {
    /** The share of the rows the training and validation parts get; the rest is the test part. */
    static final double TRAIN_FRACTION = 0.8;

    /** The share of the training part the trainer holds out for validation. */
    static final double VALIDATION_FRACTION = 0.2;

    /**
     * The fewest rows of each class: with 20 the test part gets 4 of them, and the validation part 3,
     * so each part has both classes and its AUC a value (AUC is undefined for one class).
     */
    static final int MIN_CLASS_ROWS = 20;

    /**
     * The most rows: about 12 floats, 48 bytes, each (features, targets, weights, the splits' copies),
     * 48 MB at this cap, within the default heap; a hundred times the default, far more than the point needs.
     */
    static final int MAX_ROWS = 1_000_000;

    static final int BATCH_SIZE = 64;

    static final int HIDDEN = 16;

    /** The centre of the fraud cloud; the normal cloud is centred at the origin. */
    static final double FRAUD_MEAN_X = 1.5, FRAUD_MEAN_Y = 1.5;

    /** The fraud cloud's standard deviation in each direction (the normal cloud's is 1). */
    static final double FRAUD_SD = 1.2;

    static final List<String> CLASSES = List.of("normal", "fraud");

    @Mixin
    BackendOptions backendOptions = new BackendOptions();

    @Option(names = "--rows", defaultValue = "10000", description = "Rows generated, both classes together (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--fraud-rate", defaultValue = "0.02", description = "Share of the rows that are fraud, in (0, 0.5] (default: ${DEFAULT-VALUE}).")
    double fraudRate;

    @Option(names = "--epochs", defaultValue = "100", description = "Most epochs per run; early stopping may end sooner (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--patience", defaultValue = "10",
            description = "Epochs without a better validation AUC before a run stops (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--learning-rate", defaultValue = "0.01", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--seed", defaultValue = "1",
            description = "Seed of the data, the splits, the initialisation and the shuffling; both runs use it (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "runs/imbalanced", paramLabel = "DIR",
            description = "Output directory for model.bpnn (the weighted model) and unweighted.bpnn (the unweighted one, with its chosen threshold) (default: ${DEFAULT-VALUE}).")
    Path out;

    /**
     * {@code n} rows of two features and a 0/1 target: the first round(n * fraudRate) rows fraud
     * (target 1), drawn around (1.5, 1.5) with standard deviation 1.2, the others normal (target 0),
     * around the origin with standard deviation 1. The splits shuffle, so the rows' order does not matter.
     */
    static Dataset transactions(int n, double fraudRate, long seed) {
        Random random = new Random(seed);
        int fraud = (int) fraudRows(n, fraudRate);
        Tensor x = Tensor.zeros(n, 2), y = Tensor.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            boolean isFraud = i < fraud;
            x.set(i, 0, (float) (isFraud ? FRAUD_MEAN_X + FRAUD_SD * random.nextGaussian() : random.nextGaussian()));
            x.set(i, 1, (float) (isFraud ? FRAUD_MEAN_Y + FRAUD_SD * random.nextGaussian() : random.nextGaussian()));
            y.set(i, 0, isFraud ? 1f : 0f);
        }
        return new Dataset(x, y);
    }

    /** The fraud rows of {@code n} at {@code fraudRate}: the nearest whole number. */
    static long fraudRows(long n, double fraudRate) {
        return Math.round(n * fraudRate);
    }

    /** Whether {@code n} rows at {@code fraudRate} hold {@link #MIN_CLASS_ROWS} of each class. */
    static boolean enoughOfEach(long n, double fraudRate) {
        long fraud = fraudRows(n, fraudRate);
        return fraud >= MIN_CLASS_ROWS && n - fraud >= MIN_CLASS_ROWS;
    }

    /**
     * The fewest rows that hold {@link #MIN_CLASS_ROWS} of each class at {@code fraudRate} (in (0, 0.5]),
     * for the refusal of too few: searched from just below the estimate (MIN_CLASS_ROWS - 0.5) / rate,
     * which rounding of the rate's product can miss by a row either way.
     */
    static long leastRows(double fraudRate) {
        long n = Math.max(2L * MIN_CLASS_ROWS - 1, (long) Math.floor((MIN_CLASS_ROWS - 0.5) / fraudRate) - 2);
        while (!enoughOfEach(n, fraudRate) && n <= MAX_ROWS) n++;
        return n;
    }

    /**
     * One run's test figures, the network's outputs on the test part they came from (for the classes at
     * another threshold, without a second forward pass), and the validation part its trainer held out
     * ({@link Trainer#validationSplit}: the same rows in both runs, since a split's rows do not depend on the weights).
     */
    record Result(Network network, TrainingHistory history, Dataset validation, Tensor testScores, double testAuc,
            ConfusionMatrix matrix) {
        double fraudRecall() { return matrix.recall(1); }

        double fraudPrecision() { return matrix.precision(1); }
    }

    @Override
    public Integer call() throws Exception {
        if (rows < 1 || rows > MAX_ROWS) throw new IllegalArgumentException("--rows must be in 1.." + MAX_ROWS + ", got " + rows);
        if (!(fraudRate > 0 && fraudRate <= 0.5)) {
            throw new IllegalArgumentException("--fraud-rate must be in (0, 0.5], got " + fraudRate + "; fraud is the rare class (0.02 is 2%)");
        }
        int fraud = (int) fraudRows(rows, fraudRate);
        if (!enoughOfEach(rows, fraudRate)) {
            long least = leastRows(fraudRate);
            throw new IllegalArgumentException("--rows " + rows + " at --fraud-rate " + fraudRate + " gives " + fraud + " fraud and "
                    + (rows - fraud) + " normal rows; each class needs at least " + MIN_CLASS_ROWS + " so that the training, "
                    + "validation and test parts all hold both classes; " + (least <= MAX_ROWS
                    ? "raise --rows (to at least " + least + " at this rate)" + (fraudRate < 0.5 ? " or --fraud-rate" : "")
                    : "raise --fraud-rate (at this one, more than the most --rows, " + MAX_ROWS + ", would be needed)"));
        }
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (patience < 1) throw new IllegalArgumentException("--patience must be >= 1 epoch, got " + patience);
        Errors.forFlag("--learning-rate", () -> new Adam(learningRate)); // checked before anything is printed
        OutputPaths.check("--out", out); // a bad --out fails now, not after training
        OutputPaths.checkNames("--out", out, "model.bpnn", "unweighted.bpnn");
        Backend backend = backendOptions.resolve();
        OutputPaths.directory("--out", out); // created once every flag has passed, so a refused run leaves nothing behind

        // 1. Data: a stratified split keeps the 2% in both parts; the trainer's validation split is stratified too
        Dataset.Split split = transactions(rows, fraudRate, seed).stratifiedSplit(TRAIN_FRACTION, seed);
        Dataset train = split.train(), test = split.second();
        System.out.printf(Locale.ROOT, "%,d rows, %,d of them fraud (%.1f%%): %,d to train on (%d%% of them held out for "
                + "validation), %,d to test on (%,d fraud)%n", rows, fraud, 100.0 * fraud / rows, train.size(),
                Math.round(100 * VALIDATION_FRACTION), test.size(), count(test));

        // 2. Train twice from the same seed: the same initial weights, split and batches; only the weights differ
        long t0 = System.nanoTime();
        Result plain = run("unweighted", train, test, backend);
        float[] classWeights = train.balancedClassWeights(); // n / (2 * count_c): their mean over the rows is 1
        System.out.printf(Locale.ROOT, "%nbalanced class weights: normal %.4f, fraud %.4f%n", classWeights[0], classWeights[1]);
        Result weighted = run("weighted", train.withClassWeights(classWeights), test, backend);
        double seconds = (System.nanoTime() - t0) / 1e9;

        // 3. The unweighted model's threshold, chosen on the validation part (never on the test part, whose
        // figures would then flatter it): the highest that recalls as much validation fraud as the weighted
        // model does at 0.5. Both runs held out the same rows; the targets are the same, only the weights differ
        double targetRecall = ConfusionMatrix.of(weighted.network().predict(weighted.validation().features()),
                weighted.validation().targets()).recall(1);
        PrecisionRecallCurve curve = Metrics.precisionRecallCurve(plain.network().predict(plain.validation().features()),
                plain.validation().targets());
        float threshold = curve.thresholdForRecall(targetRecall);
        // then measured on the test part, by the rule the saved model and ./bpnn predict use (predictClasses(x,
        // threshold) is classesOf(predict(x), threshold): the outputs the run already has)
        ConfusionMatrix lowered = ConfusionMatrix.of(Metrics.targetClasses(test.targets()),
                plain.network().classesOf(plain.testScores(), threshold), 2);
        System.out.printf(Locale.ROOT, "%n%-11s %9s %13s %16s%n", "", "test AUC", "fraud recall", "fraud precision");
        System.out.printf(Locale.ROOT, "%-11s %9.4f %13.4f %16.4f   (threshold 0.5)%n", "unweighted", plain.testAuc(),
                plain.fraudRecall(), plain.fraudPrecision());
        System.out.printf(Locale.ROOT, "%-11s %9.4f %13.4f %16.4f   (threshold 0.5)%n", "weighted", weighted.testAuc(),
                weighted.fraudRecall(), weighted.fraudPrecision());
        System.out.printf(Locale.ROOT, "%-11s %9s %13.4f %16.4f   (threshold %s, chosen on the validation part)%n",
                "unweighted", "", lowered.recall(1), lowered.precision(1), threshold);
        System.out.println();
        // the why, with this run's numbers: the odds factor is the ratio of the class weights (49 at 2%)
        System.out.printf(Locale.ROOT, "The AUCs are close: AUC scores how the rows are ranked, whatever the threshold, and the weights%n"
                + "barely change the ranking. At 0.5 the unweighted model flags only clear fraud: its output estimates%n"
                + "P(fraud | x), which stays below 0.5 wherever %s%% fraud overlaps %s%% normal. Balanced weights train it%n"
                + "as if the classes were 50/50, which multiplies its odds by about %.0f: more fraud is caught at 0.5, and%n"
                + "more normal rows are flagged too. A lower threshold does the same without retraining: on the%n"
                + "validation part (held out by the trainer, so neither trained nor tested on) the weighted model recalls%n"
                + "%.4f of the fraud at 0.5, and the unweighted model's precision-recall curve gives the highest threshold%n"
                + "recalling as much, %s (thresholdForRecall). On the test part it gives the last line: about the%n"
                + "weighted model's recall and precision. (The odds factor alone would suggest the fraud rate, %s;%n"
                + "the curve measures the model's outputs instead of assuming them exact.)%n",
                percent(fraudRate), percent(1 - fraudRate), classWeights[1] / classWeights[0], targetRecall, threshold, fraudRate);

        // 4. Save the weighted model, with its class names: ./bpnn predict then writes class_name normal or fraud
        Files.createDirectories(out); // made at the start; made again in case it was removed during training
        Path model = out.resolve("model.bpnn");
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("dataset", "two Gaussian clouds, " + rows + " rows, fraud rate " + fraudRate + ", seed " + seed);
        about.put("class_weights", classWeights[0] + ", " + classWeights[1]);
        about.put("best_epoch", weighted.history().bestEpoch());
        about.put("test_auc", weighted.testAuc());
        about.put("fraud_recall", weighted.fraudRecall());
        ModelFile.save(SavedModel.of(weighted.network(), about).withClassNames(CLASSES), model);
        System.out.println("model (weighted): " + model);
        // and the unweighted one at the threshold chosen on the validation part: predict's class column then
        // flags the rows its line above counts (the same float, the same predictClasses rule)
        Path unweightedModel = out.resolve("unweighted.bpnn");
        Map<String, Object> aboutPlain = new LinkedHashMap<>(about);
        aboutPlain.remove("class_weights");
        aboutPlain.put("best_epoch", plain.history().bestEpoch());
        aboutPlain.put("test_auc", plain.testAuc());
        aboutPlain.put("threshold_chosen", "on the validation part: the highest reaching the weighted model's validation recall at 0.5, "
                + targetRecall);
        aboutPlain.put("fraud_recall", lowered.recall(1));
        ModelFile.save(SavedModel.of(plain.network(), aboutPlain).withClassNames(CLASSES).withThreshold(threshold), unweightedModel);
        System.out.println("model (unweighted, threshold " + threshold + "): " + unweightedModel);
        System.out.println(new Summary("imbalanced", backend).put("rows", rows).put("fraud_rows", fraud)
                .put("test_rows", test.size())
                .put("class_weights", new float[] {classWeights[0], classWeights[1]})
                .put("unweighted_best_epoch", plain.history().bestEpoch()).put("weighted_best_epoch", weighted.history().bestEpoch())
                .put("unweighted_test_auc", plain.testAuc()).put("weighted_test_auc", weighted.testAuc())
                .put("unweighted_fraud_recall", plain.fraudRecall()).put("weighted_fraud_recall", weighted.fraudRecall())
                .put("unweighted_fraud_precision", plain.fraudPrecision()).put("weighted_fraud_precision", weighted.fraudPrecision())
                .put("weighted_validation_fraud_recall", targetRecall).put("unweighted_threshold", threshold)
                .put("unweighted_threshold_fraud_recall", lowered.recall(1))
                .put("unweighted_threshold_fraud_precision", lowered.precision(1))
                .put("seconds", seconds).put("model", model.toString()).put("unweighted_model", unweightedModel.toString()).toJson());
        return 0;
    }

    /**
     * Trains a fresh network on {@code train} (weighted or not) with a stratified validation split and
     * early stopping on the validation AUC, then measures it on {@code test}.
     */
    private Result run(String name, Dataset train, Dataset test, Backend backend) {
        Network net = Network.builder(2)
                .dense(HIDDEN, Activation.relu())
                .dense(1, Activation.sigmoid())
                .loss(Loss.binaryCrossEntropy())
                .seed(seed)
                .backend(backend)
                .build();
        System.out.printf(Locale.ROOT, "%n%s run: %s%n", name, net);
        Trainer trainer = Trainer.builder()
                .optimizer(new Adam(learningRate))
                .epochs(epochs)
                .batchSize(BATCH_SIZE)
                .shuffle(seed)
                // stratified: each part keeps the 2%, and a weighted set's rows keep their weights (the
                // validation loss is then weighted too; the AUC, like every metric, counts rows unweighted)
                .stratifiedValidationSplit(VALIDATION_FRACTION)
                .metrics(Metric.auc())
                // AUC, not the loss: the weighted and the unweighted loss are on different scales, and the
                // ranking is what both runs should get right
                .earlyStopping(EarlyStopping.patience(patience).monitor("auc").restoreBestWeights())
                .listener(new TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochSummary e) {
                        if (e.epoch() == 1 || e.epoch() % Math.max(1, epochs / 10) == 0) {
                            System.out.printf(Locale.ROOT, "epoch %4d  %s loss %.5f  val auc %.4f%n", e.epoch(), name,
                                    e.trainLoss(), e.validationMetrics().get("auc"));
                        }
                    }
                })
                .build();
        TrainingHistory history = trainer.fit(net, train);
        // the rows fit held out, for choosing an operating point on data that is neither trained nor tested on
        Dataset validation = trainer.validationSplit(train, VALIDATION_FRACTION).second();
        int best = history.bestEpoch();
        System.out.printf(Locale.ROOT, "%s after %d epochs; the weights of epoch %d, validation AUC %.4f%n",
                history.stoppedEarly() ? "stopped early" : "ran all epochs", history.size(), best,
                best == 0 ? Double.NaN : history.validationMetric("auc")[best - history.firstEpoch()]);
        Tensor scores = net.predict(test.features());
        double auc = Metrics.auc(scores, test.targets());
        ConfusionMatrix matrix = ConfusionMatrix.of(scores, test.targets()).withClassNames(CLASSES.toArray(String[]::new));
        System.out.printf(Locale.ROOT, "%s, test AUC %.4f; at the threshold 0.5:%n%s", name, auc, matrix);
        return new Result(net, history, validation, scores, auc, matrix);
    }

    /** A share as a percentage without trailing zeros: 2 for 0.02, 97.5 for 0.975. */
    private static String percent(double share) {
        return new java.math.BigDecimal(100 * share).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** The fraud rows (target 1) of {@code data}. */
    private static int count(Dataset data) {
        int n = 0;
        for (int c : Metrics.targetClasses(data.targets())) n += c;
        return n;
    }
}
