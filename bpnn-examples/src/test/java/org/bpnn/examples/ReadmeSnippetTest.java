package org.bpnn.examples;

import static org.bpnn.readme.ReadmeBlocks.block;
import static org.bpnn.readme.ReadmeBlocks.file;
import static org.bpnn.readme.ReadmeBlocks.snippetIn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bpnn.data.Dataset;
import org.bpnn.data.Normaliser;
import org.bpnn.io.data.MnistData;
import org.bpnn.io.data.MnistFiles;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.bpnn.loss.Loss;
import org.bpnn.metrics.Metric;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.train.ConsoleProgressListener;
import org.bpnn.train.EarlyStopping;
import org.bpnn.train.Trainer;
import org.bpnn.train.TrainingHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Using the library" snippet, verbatim apart from three stand-ins (small synthetic
 * images in a temporary directory for Fashion-MNIST's, a silent stream for System.out, a temporary
 * model path), so that the README cannot drift from the API; {@link #theReadmePrintsThisSnippet}
 * checks the README's text against the block below.
 */
class ReadmeSnippetTest {
    /** The README's text in its snippet, and this test's stand-in for it. */
    private static final Map<String, String> STAND_INS = Map.of(
            "MnistFiles.load(MnistFiles.FASHION_MNIST_DIR)", "MnistFiles.load(dataDir)",
            "new ConsoleProgressListener(System.out)", "new ConsoleProgressListener(quiet)",
            "Path.of(\"model.bpnn\")", "modelPath");

    @TempDir
    Path dir;

    @Test
    void theReadmeSnippetRuns() throws Exception {
        Path readmeDir = MnistFiles.FASHION_MNIST_DIR;  // what the README loads from: a Path, like dataDir
        assertTrue(readmeDir.isAbsolute());
        Path dataDir = writeImages(dir.resolve("data"), 600, 100);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Path modelPath = dir.resolve("model.bpnn");

        // ---- from README.md ----
        MnistData d = MnistFiles.load(dataDir);  // bpnn-io; raw pixel values 0..255
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

        assertArrayEquals(net.predictClasses(norm.apply(d.testX())), classes);
        double[] acc = history.validationMetric("accuracy");
        assertTrue(acc[acc.length - 1] > 0.5, "the synthetic classes are easy; validation accuracy " + acc[acc.length - 1]);
    }

    /**
     * The README's snippet is the block above, line for line, once the stand-ins replace its text
     * (its last line, a comment naming this test, aside). The block used to start with an MnistData
     * built in memory, so the README's first line was neither compiled nor run.
     */
    @Test
    void theReadmePrintsThisSnippet() throws IOException {
        List<String> readme = block(Files.readAllLines(file("README.md")), "```java", "```");
        String last = readme.get(readme.size() - 1);
        assertTrue(last.startsWith("// (bpnn-examples' ReadmeSnippetTest runs this snippet"), last);
        List<String> expected = new ArrayList<>();
        for (String line : readme.subList(0, readme.size() - 1)) {
            for (Map.Entry<String, String> e : STAND_INS.entrySet()) line = line.replace(e.getKey(), e.getValue());
            expected.add(line);
        }
        assertEquals(expected, snippetIn("bpnn-examples/src/test/java/org/bpnn/examples/ReadmeSnippetTest.java"));
    }

    /**
     * Writes the four MNIST-style IDX files into {@code d}: 28 x 28 images of pixel values 0..255, ten
     * classes that each brighten every tenth pixel, training labels 0..9 in turn, test labels 0.
     */
    private static Path writeImages(Path d, int train, int test) throws IOException {
        Files.createDirectories(d);
        Random r = new Random(5);
        int[] counts = {train, test};
        String[] prefix = {"train", "t10k"};
        for (int s = 0; s < 2; s++) {
            int n = counts[s];
            ByteBuffer images = ByteBuffer.allocate(16 + n * 784).putInt(0x803).putInt(n).putInt(28).putInt(28);
            ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
            for (int i = 0; i < n; i++) {
                int label = s == 0 ? i % 10 : 0;
                labels.put((byte) label);
                for (int j = 0; j < 784; j++) {
                    double v = 100 + 30 * r.nextGaussian() + (s == 0 && j % 10 == label ? 60 : 0);
                    images.put((byte) Math.max(0, Math.min(255, (int) Math.round(v))));
                }
            }
            Files.write(d.resolve(prefix[s] + "-images-idx3-ubyte"), images.array());
            Files.write(d.resolve(prefix[s] + "-labels-idx1-ubyte"), labels.array());
        }
        return d;
    }
}
