package org.bpnn.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.bpnn.data.Dataset;
import org.bpnn.data.Normaliser;
import org.bpnn.io.data.MnistData;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.bpnn.loss.Loss;
import org.bpnn.metrics.Metric;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.tensor.Tensor;
import org.bpnn.train.ConsoleProgressListener;
import org.bpnn.train.EarlyStopping;
import org.bpnn.train.Trainer;
import org.bpnn.train.TrainingHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Using the library" snippet, verbatim apart from the data (small synthetic images
 * instead of Fashion-MNIST) and the paths, so that the README cannot drift from the API.
 */
class ReadmeSnippetTest {
    @TempDir
    Path dir;

    @Test
    void theReadmeSnippetRuns() throws Exception {
        Random r = new Random(5);
        int n = 600;
        Tensor trainX = Tensor.zeros(n, 784), testX = Tensor.zeros(100, 784);
        int[] trainLabels = new int[n];
        for (int i = 0; i < n; i++) {
            trainLabels[i] = i % 10;
            for (int j = 0; j < 784; j++) trainX.set(i, j, (float) (r.nextGaussian() + (j % 10 == trainLabels[i] ? 2 : 0)));
        }
        for (int i = 0; i < 100; i++) for (int j = 0; j < 784; j++) testX.set(i, j, (float) r.nextGaussian());
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Path modelPath = dir.resolve("model.bpnn");

        // ---- from README.md ----
        MnistData d = new MnistData(trainX, trainLabels, testX, new int[100]);  // README: MnistFiles.load(...)
        Network net = Network.builder(784)                       // one sample per row: x is (batch, 784)
                .dense(256, Activation.relu())
                .dense(128, Activation.relu())
                .dense(10, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy())            // fused with softmax: delta[L] = a - y
                .seed(42)
                .build();                                        // backend: the best available (see below)
        Dataset.Split data = Dataset.ofLabels(d.trainX(), d.trainY(), 10).split(0.9, 42);  // train, validation
        Normaliser norm = Normaliser.standardise(data.train().features());  // fitted on the training part only
        TrainingHistory history = Trainer.builder()
                .optimizer(new Adam(1e-3))
                .epochs(15).batchSize(128).shuffle(42)
                .metrics(Metric.accuracy())
                .earlyStopping(EarlyStopping.patience(3).restoreBestWeights())
                .listener(new ConsoleProgressListener(quiet))
                .build()
                .fit(net, norm.apply(data.train()), norm.apply(data.validation()));
        ModelFile.save(SavedModel.of(net, norm, Map.of("epochs", history.size())), modelPath);
        SavedModel loaded = ModelFile.load(modelPath);  // bit-exact: same predictions
        int[] classes = loaded.predictClasses(d.testX());  // the saved normaliser applied
        // ---- end ----

        assertArrayEquals(net.predictClasses(norm.apply(testX)), classes);
        double[] acc = history.validationMetric("accuracy");
        assertTrue(acc[acc.length - 1] > 0.5, "the synthetic classes are easy; validation accuracy " + acc[acc.length - 1]);
    }
}
