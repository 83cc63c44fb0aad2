package org.bpnn.examples.fashion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bpnn.io.data.MnistFiles;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The main job for one epoch on the real Fashion-MNIST files (installed by .ci/run from Debian's
 * dataset-fashion-mnist; skipped when absent): test accuracy must reach 84%, and the model file and
 * the chart must be written.
 */
class FashionMnistCommandTest {
    @TempDir
    Path out;

    @Test
    void oneEpochReaches84Percent() throws Exception {
        assumeTrue(Files.isRegularFile(MnistFiles.FASHION_MNIST_DIR.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        FashionMnistCommand cmd = new FashionMnistCommand();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        cmd.console = new PrintStream(buf, true, StandardCharsets.UTF_8);
        PrintStream saved = System.out;
        System.setOut(cmd.console);
        int code;
        try {
            code = new CommandLine(cmd).execute("--epochs", "1", "--no-progress", "--out", out.toString());
        } finally {
            System.setOut(saved);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        Matcher m = Pattern.compile("\"test_accuracy\":([0-9.]+)").matcher(text);
        assertTrue(m.find(), text);
        double accuracy = Double.parseDouble(m.group(1));
        assertTrue(accuracy >= 0.84, "one epoch reached only " + accuracy + "\n" + text);
        assertTrue(text.contains("Ankle boot"), "confusion matrix with class names:\n" + text);
        assertTrue(Files.size(out.resolve("curves.png")) > 1000);
        SavedModel model = ModelFile.load(out.resolve("model.bpnn"));
        assertEquals(784, model.network().inputSize());
        assertTrue(model.normaliser() != null, "the normaliser is saved with the model");
    }

    @Test
    void missingDataSaysWhereToPutWhichFiles() {
        FashionMnistCommand cmd = new FashionMnistCommand();
        CommandLine cl = new CommandLine(cmd);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            String msg = ex.getMessage();
            assertTrue(msg.contains("train-images-idx3-ubyte"), msg);
            assertTrue(msg.contains("dataset-fashion-mnist"), msg);
            assertTrue(msg.contains(out.resolve("nothing-here").toString()), msg);
            return 1;
        });
        assertEquals(1, cl.execute("--data", out.resolve("nothing-here").toString(), "--epochs", "1"));
    }
}
