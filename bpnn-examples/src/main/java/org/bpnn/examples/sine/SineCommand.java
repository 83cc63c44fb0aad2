package org.bpnn.examples.sine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.bpnn.backend.Backend;
import org.bpnn.data.Batches;
import org.bpnn.data.Dataset;
import org.bpnn.data.Normaliser;
import org.bpnn.examples.BackendOptions;
import org.bpnn.examples.Charts;
import org.bpnn.examples.Errors;
import org.bpnn.examples.OutputPaths;
import org.bpnn.examples.Summary;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.bpnn.loss.Loss;
import org.bpnn.metrics.Metric;
import org.bpnn.metrics.Metrics;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.optim.LearningRateSchedule;
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
 * What this shows: a complete regression workflow, small enough to copy. 400 noisy samples of
 * y = sin(x) + noise, x uniform on [-pi, pi], are split 80/20 into training and validation; the
 * inputs and the targets are standardised with normalisers fitted on the training part only; a
 * 1-32-32-1 tanh network is trained with the L2 loss and mini-batch Adam under a cosine learning-rate
 * decay, with early stopping on the validation RMSE (in the targets' units) that puts the best
 * epoch's weights back; the model is saved with both normalisers, so that it takes raw x and returns
 * y in the targets' units, and with its output's name, y (predict's column predicted_y); the test
 * error is measured against the noise-free sin(x), and the fit is plotted against it.
 *
 * <p>How to run: {@code ./bpnn sine --out runs/sine}, then
 * {@code ./bpnn predict --model runs/sine/model.bpnn --input x.csv} for a CSV of x values.
 */
@Command(name = "sine", mixinStandardHelpOptions = true,
        description = "Regression: fit noisy samples of sin(x) with tanh layers, validate, save the model and plot it.")
public final class SineCommand implements Callable<Integer> {
    /** Noisy samples drawn: 320 to train on, 80 to validate on. */
    static final int SAMPLES = 400;

    /** Points of the noise-free test grid. */
    static final int TEST_POINTS = 256;

    static final int BATCH_SIZE = 32;

    @Mixin
    BackendOptions backendOptions = new BackendOptions();

    @Option(names = "--epochs", defaultValue = "500", description = "Most epochs; early stopping may end sooner (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--learning-rate", defaultValue = "0.01",
            description = "Adam's initial learning rate, decayed to 0 over --epochs by a cosine (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--noise", defaultValue = "0.1", description = "Standard deviation of the noise added to the samples (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--patience", defaultValue = "50",
            description = "Epochs without a better validation RMSE before training stops (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the samples, the split, the initialisation and the shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "runs/sine", paramLabel = "DIR", description = "Output directory for model.bpnn and sine.png (default: ${DEFAULT-VALUE}).")
    Path out;

    /** x on [-pi, pi] and y = sin(x): evenly spaced, noise-free when {@code random} is null, else uniform x and noisy y. */
    static Dataset samples(int n, Random random, double noise) {
        Tensor x = Tensor.zeros(n, 1), y = Tensor.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            double v = random == null ? -Math.PI + 2 * Math.PI * i / (n - 1) : -Math.PI + 2 * Math.PI * random.nextDouble();
            x.set(i, 0, (float) v);
            y.set(i, 0, (float) (Math.sin(v) + (random == null ? 0 : noise * random.nextGaussian())));
        }
        return new Dataset(x, y);
    }

    @Override
    public Integer call() throws Exception {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (!(noise >= 0 && noise <= 10)) throw new IllegalArgumentException("--noise must be in [0, 10], got " + noise);
        if (patience < 1) throw new IllegalArgumentException("--patience must be >= 1 epoch, got " + patience);
        Adam adam = Errors.forFlag("--learning-rate", () -> new Adam(learningRate)); // checked before anything is printed
        OutputPaths.check("--out", out); // a bad --out fails now, not after training
        OutputPaths.checkNames("--out", out, "model.bpnn", "sine.png");
        Backend backend = backendOptions.resolve();
        OutputPaths.directory("--out", out); // created once every flag has passed, so a refused run leaves nothing behind

        // 1. Data: noisy samples, split before anything is fitted on them
        Dataset.Split split = samples(SAMPLES, new Random(seed), noise).split(0.8, seed);
        Dataset train = split.train(), validation = split.validation();

        // 2. Normalisers fitted on the training part only (fitted on all samples, they would have
        // seen the validation targets); the network sees mean-0, variance-1 inputs and targets
        Normaliser xNorm = Normaliser.standardise(train.features());
        Normaliser yNorm = Normaliser.standardise(train.targets());
        Dataset trainN = new Dataset(xNorm.apply(train.features()), yNorm.apply(train.targets()));
        Dataset validationN = new Dataset(xNorm.apply(validation.features()), yNorm.apply(validation.targets()));

        Network net = Network.builder(1)
                .dense(32, Activation.tanh())
                .dense(32, Activation.tanh())
                .dense(1, Activation.identity())
                .loss(Loss.mse())
                .seed(seed)
                .backend(backend)
                .build();
        System.out.println(net);

        // 3. Training: the cosine decay takes the rate from --learning-rate to 0 over the planned steps,
        // so the loss settles instead of jumping around at the full rate to the end; early stopping
        // watches the validation RMSE in y's units (the metric keeps its name, "rmse") and ends with
        // the best epoch's weights, not the last epoch's
        long totalSteps = (long) epochs * Batches.count(train.size(), BATCH_SIZE, false);
        Trainer trainer = Trainer.builder()
                .optimizer(adam.schedule(LearningRateSchedule.cosine(totalSteps)))
                .epochs(epochs)
                .batchSize(BATCH_SIZE)
                .shuffle(seed)
                .metrics(Metric.inTargetUnits(Metric.rmse(), yNorm))
                .earlyStopping(EarlyStopping.patience(patience).monitor("rmse").restoreBestWeights())
                .listener(new TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochSummary e) {
                        if (e.epoch() == 1 || e.epoch() % Math.max(1, epochs / 10) == 0) {
                            // the loss is the running mean over the epoch's batches, in standardised units
                            System.out.printf(Locale.ROOT, "epoch %5d  lr %.5f  batch mse %.5f  train rmse %.5f  val rmse %.5f%n", e.epoch(),
                                    e.learningRate(), e.trainLoss(), e.trainMetrics().get("rmse"), e.validationMetrics().get("rmse"));
                        }
                    }
                })
                .build();
        long t0 = System.nanoTime();
        TrainingHistory history = trainer.fit(net, trainN, validationN);
        double seconds = (System.nanoTime() - t0) / 1e9;
        int best = history.bestEpoch();
        // best is 0 only when no epoch had a finite validation RMSE (a divergence fails before this)
        double valRmse = best == 0 ? Double.NaN : history.validationMetric("rmse")[best - history.firstEpoch()];
        System.out.printf(Locale.ROOT, "%s after %d epochs; the weights of epoch %d, validation RMSE %.5f (the noise is %.3f)%n",
                history.stoppedEarly() ? "stopped early" : "ran all epochs", history.size(), best, valRmse, noise);

        // 4. Save the model with both normalisers: it takes raw x and answers in y's units
        Files.createDirectories(out); // made at the start; made again in case it was removed during training
        Path model = out.resolve("model.bpnn");
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("dataset", "sin(x) + N(0, " + noise + "^2) noise, " + SAMPLES + " samples, seed " + seed);
        about.put("epochs", history.size());
        about.put("best_epoch", best);
        about.put("val_rmse", valRmse);
        // named y, as the chart and the description call it: ./bpnn predict heads its column predicted_y
        SavedModel saved = SavedModel.of(net, xNorm, yNorm, about).withTargetNames(List.of("y"));
        ModelFile.save(saved, model);

        // 5. Test: the noise-free sin(x) on an even grid, which training never saw; the saved model's
        // predict applies xNorm and maps the outputs back through yNorm, so errors are in y's units
        Dataset test = samples(TEST_POINTS, null, 0);
        Tensor fit = saved.predict(test.features());
        double testRmse = Metrics.rmse(fit, test.targets());
        double trainMse = Metrics.mse(saved.predict(train.features()), train.targets());
        System.out.printf(Locale.ROOT, "test RMSE against the noise-free sin(x): %.5f%n", testRmse);

        double[] xs = new double[TEST_POINTS], truth = new double[TEST_POINTS], ys = new double[TEST_POINTS];
        for (int i = 0; i < TEST_POINTS; i++) {
            xs[i] = test.features().get(i, 0);
            truth[i] = test.targets().get(i, 0);
            ys[i] = fit.get(i, 0);
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("sin(x)", new double[][] {xs, truth});
        series.put("network", new double[][] {xs, ys});
        Path png = out.resolve("sine.png");
        Charts.lines("Fitting sin(x) from " + train.size() + " noisy samples with a 1-32-32-1 tanh network (test RMSE "
                + String.format(Locale.ROOT, "%.4f", testRmse) + ")", "x", "y", series, png);
        System.out.println("model: " + model);
        System.out.println("chart: " + png);
        System.out.println(new Summary("sine", backend).put("epochs", history.size()).put("best_epoch", best)
                .put("stopped_early", history.stoppedEarly()).put("train_loss", trainMse).put("val_rmse", valRmse)
                .put("test_rmse", testRmse).put("test_loss", testRmse * testRmse).put("seconds", seconds)
                .put("model", model.toString()).put("chart", png.toString()).toJson());
        return 0;
    }
}
