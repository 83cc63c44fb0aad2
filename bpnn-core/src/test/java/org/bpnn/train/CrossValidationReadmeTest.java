package org.bpnn.train;

import static org.bpnn.readme.ReadmeBlocks.block;
import static org.bpnn.readme.ReadmeBlocks.file;
import static org.bpnn.readme.ReadmeBlocks.snippetIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bpnn.data.Dataset;
import org.bpnn.data.Normaliser;
import org.bpnn.loss.Loss;
import org.bpnn.metrics.Metric;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The README's cross-validation snippet (the Training section's Java block), verbatim apart from a
 * silent stream for System.out, so that it compiles and runs; {@link #theReadmePrintsThisSnippet}
 * checks the README's text against the block below.
 */
class CrossValidationReadmeTest {

    /** 4 features (two informative, far from 0; two noise), 3 classes of 50 rows. */
    static Dataset data() {
        Random r = new Random(2);
        Tensor x = Tensor.zeros(150, 4);
        int[] labels = new int[150];
        for (int i = 0; i < 150; i++) {
            int c = i % 3;
            labels[i] = c;
            x.set(i, 0, (float) (50 + 10 * c + 2 * r.nextGaussian()));
            x.set(i, 1, (float) (5 - 4 * c + r.nextGaussian()));
            x.set(i, 2, (float) r.nextGaussian());
            x.set(i, 3, (float) (1000 + 100 * r.nextGaussian()));
        }
        return Dataset.ofLabels(x, labels, 3);
    }

    @Test
    void theReadmeSnippetRuns() {
        Dataset data = data();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());

        // ---- from README.md ----
        CrossValidation.Result cv = CrossValidation.builder()
                .folds(data.stratifiedKFold(5, 42))                  // data: 4 features, 3 classes
                .network(fold -> Network.builder(4)
                        .dense(16, Activation.relu())
                        .dense(3, Activation.softmax())
                        .loss(Loss.categoricalCrossEntropy())
                        .seed(42)
                        .build())
                .trainer(fold -> Trainer.builder().optimizer(new Adam(1e-2)).epochs(30).shuffle(7).build())
                .preprocess(fold -> {
                    Normaliser norm = Normaliser.standardise(fold.train());  // this fold's training part only
                    return new Dataset.Split(norm.apply(fold.train()), norm.apply(fold.validation()));
                })
                .metrics(Metric.accuracy(), Metric.macroF1())
                .run();
        quiet.println(cv);  // a line per fold, then the mean and std of each metric
        double accuracy = cv.mean("accuracy"), spread = cv.standardDeviation("accuracy");
        // ---- end ----

        assertEquals(5, cv.folds().size());
        assertTrue(accuracy > 0.9, cv.toString());
        assertTrue(spread >= 0 && spread < 0.1, cv.toString());
    }

    /** The README's block is the one above, line for line (its last line, naming this test, aside). */
    @Test
    void theReadmePrintsThisSnippet() throws IOException {
        List<String> lines = Files.readAllLines(file("README.md"));
        int training = lines.indexOf("### Training");
        assertTrue(training >= 0, "no ### Training section");
        List<String> readme = block(lines.subList(training, lines.size()), "```java", "```");
        String last = readme.get(readme.size() - 1);
        assertTrue(last.startsWith("// (bpnn-core's CrossValidationReadmeTest runs this snippet"), last);
        List<String> expected = new ArrayList<>();
        for (String line : readme.subList(0, readme.size() - 1)) expected.add(line.replace("System.out", "quiet"));
        assertEquals(expected, snippetIn("bpnn-core/src/test/java/org/bpnn/train/CrossValidationReadmeTest.java"));
    }
}
