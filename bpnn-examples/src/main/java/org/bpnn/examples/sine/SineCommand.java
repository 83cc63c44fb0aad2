package org.bpnn.examples.sine;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bpnn.backend.Backend;
import org.bpnn.examples.BackendOptions;
import org.bpnn.examples.Charts;
import org.bpnn.examples.Errors;
import org.bpnn.examples.Jdk;
import org.bpnn.examples.OutputPaths;
import org.bpnn.examples.Summary;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.data.Dataset;
import org.bpnn.optim.Adam;
import org.bpnn.train.EpochSummary;
import org.bpnn.train.Trainer;
import org.bpnn.train.TrainingListener;
import org.bpnn.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What this shows: regression. A 1-32-32-1 tanh network fits y = sin(x) on [-pi, pi] with the L2 loss
 * and mini-batch Adam, and the fit is plotted against the truth as a PNG.
 *
 * <p>How to run: {@code ./bpnn sine --out runs/sine}.
 */
@Command(name = "sine", mixinStandardHelpOptions = true, description = "Regression: fit sin(x) with tanh layers and plot it.")
public final class SineCommand implements Callable<Integer> {
    @Mixin
    BackendOptions backendOptions = new BackendOptions();

    @Option(names = "--epochs", defaultValue = "500", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--learning-rate", defaultValue = "0.01", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "runs/sine", paramLabel = "DIR", description = "Output directory for sine.png (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        Adam adam = Errors.forFlag("--learning-rate", () -> new Adam(learningRate)); // checked before anything is printed
        OutputPaths.directory("--out", out); // a bad --out fails now, not after training
        OutputPaths.checkNames("--out", out, "sine.png");
        Backend backend = backendOptions.resolve();
        int n = 256;
        Tensor x = Tensor.zeros(n, 1), y = Tensor.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            double v = -Math.PI + 2 * Math.PI * i / (n - 1);
            x.set(i, 0, (float) v);
            y.set(i, 0, (float) Math.sin(v));
        }
        Network net = Network.builder(1)
                .dense(32, Activation.tanh())
                .dense(32, Activation.tanh())
                .dense(1, Activation.identity())
                .loss(Loss.mse())
                .seed(seed)
                .backend(backend)
                .build();
        System.out.println(net);
        Trainer trainer = Trainer.builder()
                .optimizer(adam)
                .epochs(epochs)
                .batchSize(32)
                .shuffle(seed)
                .listener(new TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochSummary e) {
                        if (e.epoch() == 1 || e.epoch() % Math.max(1, epochs / 10) == 0) {
                            // the running mean over the epoch's batches, while the weights move
                            System.out.printf(Locale.ROOT, "epoch %5d  batch mse %.6f%n", e.epoch(), e.trainLoss());
                        }
                    }
                })
                .build();
        long t0 = System.nanoTime();
        trainer.fit(net, new Dataset(x, y));
        double seconds = (System.nanoTime() - t0) / 1e9;
        // test loss: the 255 midpoints between the training points, which training never saw
        Tensor xt = Tensor.zeros(n - 1, 1), yt = Tensor.zeros(n - 1, 1);
        for (int i = 0; i < n - 1; i++) {
            double v = -Math.PI + 2 * Math.PI * (i + 0.5) / (n - 1);
            xt.set(i, 0, (float) v);
            yt.set(i, 0, (float) Math.sin(v));
        }
        double mse = net.evaluateLoss(xt, yt), trainMse = net.evaluateLoss(x, y);
        Tensor p = net.predict(x);
        double[] xs = new double[n], truth = new double[n], fit = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = x.get(i, 0);
            truth[i] = y.get(i, 0);
            fit[i] = p.get(i, 0);
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("sin(x)", new double[][] {xs, truth});
        series.put("network", new double[][] {xs, fit});
        Path png = out.resolve("sine.png");
        Charts.lines("Fitting sin(x) with a 1-32-32-1 tanh network (test MSE " + String.format(Locale.ROOT, "%.2e", mse)
                        + " on the midpoints between the training points)",
                "x", "y", series, png);
        System.out.println("chart: " + png);
        System.out.println(new Summary("sine").put("backend", backend.name()).put("threads", backend.threads())
                .put("jdk", Jdk.version()).put("epochs", epochs).put("train_loss", trainMse).put("test_loss", mse).put("seconds", seconds)
                .put("chart", png.toString()).toJson());
        return 0;
    }
}
