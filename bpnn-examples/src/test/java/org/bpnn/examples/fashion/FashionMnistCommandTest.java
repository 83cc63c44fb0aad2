package org.bpnn.examples.fashion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bpnn.examples.Cli;
import org.bpnn.io.data.MnistData;
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

    /**
     * Runs the command with its console (and System.out, where the JSON line goes) captured; it must
     * exit 0. Returns what it printed.
     */
    private static String runs(String... args) {
        FashionMnistCommand cmd = new FashionMnistCommand();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        cmd.console = new PrintStream(buf, true, StandardCharsets.UTF_8);
        PrintStream saved = System.out;
        System.setOut(cmd.console);
        int code;
        try {
            code = new CommandLine(cmd).execute(args);
        } finally {
            System.setOut(saved);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        return text;
    }

    @Test
    void oneEpochReaches84Percent() throws Exception {
        assumeTrue(Files.isRegularFile(MnistFiles.FASHION_MNIST_DIR.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        String text = runs("--epochs", "1", "--no-progress", "--out", out.toString());
        Matcher m = Pattern.compile("\"test_accuracy\":([0-9.]+)").matcher(text);
        assertTrue(m.find(), text);
        double accuracy = Double.parseDouble(m.group(1));
        assertTrue(accuracy >= 0.84, "one epoch reached only " + accuracy + "\n" + text);
        assertTrue(text.contains("Ankle boot"), "confusion matrix with class names:\n" + text);
        assertTrue(Files.size(out.resolve("curves.png")) > 1000);
        SavedModel model = ModelFile.load(out.resolve("model.bpnn"));
        assertEquals(784, model.network().inputSize());
        assertTrue(model.normaliser() != null, "the normaliser is saved with the model");

        // The saved model takes raw pixels, as `predict` reads them from IDX and from CSV: predicting
        // the test images reproduces the run's accuracy exactly, and a CSV of the same 0..255 pixels
        // gets the same rows. (Trained on pixels / 255 with the model's normaliser fitted on those,
        // `predict` fed CSV pixels 255 times too large: 0.703 accuracy where the run said 0.865.)
        MnistData d = MnistFiles.load(MnistFiles.FASHION_MNIST_DIR);
        Path idxPredictions = out.resolve("idx.csv"), csvPredictions = out.resolve("csv.csv");
        String modelFile = out.resolve("model.bpnn").toString();
        Cli.run(0, "predict", "--model", modelFile, "--input",
                MnistFiles.FASHION_MNIST_DIR.resolve("t10k-images-idx3-ubyte.gz").toString(), "--output", idxPredictions.toString());
        List<String> rows = Files.readAllLines(idxPredictions);
        assertEquals(10_001, rows.size(), "header and one row per test image");
        int correct = 0;
        for (int i = 0; i < 10_000; i++) {
            String[] cells = rows.get(i + 1).split(",", 3);
            assertEquals(String.valueOf(i), cells[0]);
            if (Integer.parseInt(cells[1]) == d.testY()[i]) correct++;
        }
        assertEquals(accuracy, correct / 10_000.0, 1e-9, "predict on the test IDX file vs the run's test_accuracy");
        StringBuilder csv = new StringBuilder("pixel1");
        for (int j = 2; j <= 784; j++) csv.append(",pixel").append(j);
        for (int i = 0; i < 20; i++) {
            csv.append('\n');
            for (int j = 0; j < 784; j++) csv.append(j == 0 ? "" : ",").append((int) d.testX().get(i, j));
        }
        Path pixels = Files.writeString(out.resolve("pixels.csv"), csv.append('\n'));
        Cli.run(0, "predict", "--model", modelFile, "--input", pixels.toString(), "--output", csvPredictions.toString());
        assertEquals(rows.subList(0, 21), Files.readAllLines(csvPredictions));
    }

    /** Writes the four IDX files: n training and 2 test images of side x side pixels, labels as given. */
    private Path idxFiles(String name, int n, int side, int label) throws java.io.IOException {
        Path d = Files.createDirectories(out.resolve(name));
        int[][] sets = {{n}, {2}};
        String[] prefix = {"train", "t10k"};
        for (int s = 0; s < 2; s++) {
            int count = sets[s][0];
            java.nio.ByteBuffer img = java.nio.ByteBuffer.allocate(16 + count * side * side).putInt(0x803).putInt(count)
                    .putInt(side).putInt(side);
            for (int i = 0; i < count * side * side; i++) img.put((byte) (i * 7));
            Files.write(d.resolve(prefix[s] + "-images-idx3-ubyte"), img.array());
            java.nio.ByteBuffer lab = java.nio.ByteBuffer.allocate(8 + count).putInt(0x801).putInt(count);
            for (int i = 0; i < count; i++) lab.put((byte) (i == count - 1 ? label : i % 10));
            Files.write(d.resolve(prefix[s] + "-labels-idx1-ubyte"), lab.array());
        }
        return d;
    }

    @Test
    void dataOfAnotherShapeOrWithOtherLabelsIsNamedAsSuch() throws Exception {
        // 14 x 14 images failed inside the library: "build the network with Network.builder(196)"
        String err = Cli.error("fashion-mnist", "--data", idxFiles("small", 12, 14, 1).toString(), "--out", out.resolve("o").toString());
        assertTrue(err.endsWith("holds images of 196 pixels; this job's network takes Fashion-MNIST's "
                + "28 x 28 = 784: point --data at its IDX files"), err);
        err = Cli.error("fashion-mnist", "--data", idxFiles("labels", 12, 28, 200).toString(), "--out", out.resolve("o").toString());
        assertTrue(err.contains("train-labels-idx1-ubyte[.gz]: label 200 of sample 11 is not a class 0..9"), err);
        // too little data for the default validation split: the split named as the user gave it
        err = Cli.error("fashion-mnist", "--data", idxFiles("tiny", 4, 28, 1).toString(), "--out", out.resolve("o").toString());
        assertEquals("--validation-split 0.1 of the 4 training images leaves none to validate on; use 0 for no validation, or "
                + "a larger split", err);
        assertTrue(!Files.exists(out.resolve("o")), "--out was created for a run refused before training");
    }

    @Test
    void theNormaliserIsFittedOnTheTrainingPartOnly() throws Exception {
        // it was fitted on every training image, the validation ones included, before the trainer split them off
        Path data = idxFiles("split", 20, 28, 1);
        Path o = out.resolve("o");
        runs("--data", data.toString(), "--epochs", "1", "--validation-split", "0.5", "--seed", "7", "--backend", "scalar",
                "--no-progress", "--out", o.toString());
        MnistData d = MnistFiles.load(data, 1f);
        org.bpnn.data.Dataset.Split parts = org.bpnn.data.Dataset.ofLabels(d.trainX(), d.trainY(), 10)
                .split(0.5, org.bpnn.nn.Rng.derive(7, 1)); // the rows Trainer.validationSplit takes
        org.bpnn.data.Normaliser expected = org.bpnn.data.Normaliser.standardise(parts.train().features());
        org.bpnn.data.Normaliser saved = ModelFile.load(o.resolve("model.bpnn")).normaliser();
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.center(), saved.center());
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.scale(), saved.scale());
    }

    @Test
    void theDataIsPreparedWithOneFloatCopyOfTheImagesAndTheBitsOfSplittingTheFloats() throws Exception {
        // The job loaded every image as floats, the trainer's split copied the rows into two parts and
        // the normaliser copied each part (and the test images) again: three float copies of the
        // 60,000 training images (188 MB each) live at once, an OutOfMemoryError in the 512 MB heap a
        // JVM takes by default on a 2 GB host. Now the parts are made from the files' bytes and
        // normalised in place: at most one float copy of the images is ever allocated.
        int n = 3000, tests = 500, pixels = 784;
        Path data = Files.createDirectories(out.resolve("alloc"));
        java.util.Random random = new java.util.Random(11);
        for (String[] set : new String[][] {{"train", "" + n}, {"t10k", "" + tests}}) {
            int count = Integer.parseInt(set[1]);
            java.nio.ByteBuffer img = java.nio.ByteBuffer.allocate(16 + count * pixels).putInt(0x803).putInt(count).putInt(28).putInt(28);
            byte[] px = new byte[count * pixels];
            random.nextBytes(px);
            Files.write(data.resolve(set[0] + "-images-idx3-ubyte"), img.put(px).array());
            java.nio.ByteBuffer lab = java.nio.ByteBuffer.allocate(8 + count).putInt(0x801).putInt(count);
            for (int i = 0; i < count; i++) lab.put((byte) random.nextInt(10));
            Files.write(data.resolve(set[0] + "-labels-idx1-ubyte"), lab.array());
        }
        org.bpnn.io.data.MnistIdx raw = MnistFiles.loadIdx(data);
        org.bpnn.train.Trainer trainer = org.bpnn.train.Trainer.builder().optimizer(new org.bpnn.optim.Adam(1e-3)).shuffle(7).build();
        FashionMnistCommand.prepare(raw, trainer, 0.1); // once first: classes loaded, as in the measured call
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        FashionMnistCommand.Prepared p = FashionMnistCommand.prepare(raw, trainer, 0.1);
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        // one float copy of the training and test images, plus per training row its row number, its
        // one-hot target (10 floats) and their split copies, and its index in the split's permutation
        // and in a part's row list (104 bytes), plus 1 MB for the rest (the old way, the load aside: 1.9 copies)
        long images = 4L * (n + tests) * pixels, bound = images + 104L * n + (1 << 20);
        assertTrue(allocated <= bound, "preparing " + n + " training and " + tests + " test images of " + pixels
                + " pixels allocated " + allocated + " bytes, more than " + bound + " (one float copy of the images: " + images + ")");

        // the bits the job had: every image as floats, the trainer's split of them, each part normalised into a copy
        org.bpnn.io.data.MnistData d = MnistFiles.load(data, 1f);
        org.bpnn.data.Dataset.Split parts = trainer.validationSplit(org.bpnn.data.Dataset.ofLabels(d.trainX(), d.trainY(), 10), 0.1);
        org.bpnn.data.Normaliser norm = org.bpnn.data.Normaliser.standardise(parts.train().features());
        assertEquals(norm.toString(), p.normaliser().toString());
        assertEquals(norm.apply(parts.train().features()), p.train().features());
        assertEquals(parts.train().targets(), p.train().targets());
        assertEquals(norm.apply(parts.validation().features()), p.validation().features());
        assertEquals(parts.validation().targets(), p.validation().targets());
        assertEquals(norm.apply(d.testX()), p.testX());
        org.junit.jupiter.api.Assertions.assertArrayEquals(d.testY(), p.testY());

        // without a validation split: every training image, in the files' order
        FashionMnistCommand.Prepared all = FashionMnistCommand.prepare(raw, trainer, 0);
        org.bpnn.data.Normaliser normAll = org.bpnn.data.Normaliser.standardise(d.trainX());
        assertEquals(normAll.apply(d.trainX()), all.train().features());
        assertEquals(org.bpnn.data.OneHot.encode(d.trainY(), 10), all.train().targets());
        assertEquals(null, all.validation());
    }

    @Test
    void oneEpochIsSingular() throws Exception {
        // "Training took 0.0 s for 1 epochs"
        Path data = idxFiles("one", 12, 28, 1);
        String text = runs("--data", data.toString(), "--epochs", "1", "--validation-split", "0", "--backend", "scalar", "--no-progress",
                "--out", out.resolve("o").toString());
        assertTrue(Pattern.compile("Training took [0-9.]+ s for 1 epoch: ").matcher(text).find(), text);
        text = runs("--data", data.toString(), "--epochs", "2", "--validation-split", "0", "--backend", "scalar", "--no-progress",
                "--out", out.resolve("o").toString());
        assertTrue(Pattern.compile("Training took [0-9.]+ s for 2 epochs: ").matcher(text).find(), text);
    }

    @Test
    void aValidationSplitThatLeavesNothingToTrainOnNamesTheFlag() throws Exception {
        // it warned "--batch-size 128 is more than the 0 training samples: each epoch is one batch of 0",
        // then failed in the cosine schedule ("totalSteps=0"), after creating --out
        Path o = out.resolve("o");
        String err = Cli.error("fashion-mnist", "--data", idxFiles("few", 4, 28, 1).toString(), "--validation-split", "0.9",
                "--out", o.toString());
        assertEquals("--validation-split 0.9 of the 4 training images leaves none to train on; use a smaller --validation-split", err);
        assertTrue(!Files.exists(o), "a failed run left " + o + " behind");
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

    @Test
    void dataMissingFromTheDefaultDirectoryNamesDataAndBpnnData() {
        // the message said to install the package or download into its directory, not that --data or BPNN_DATA could point elsewhere
        assumeTrue(System.getenv("BPNN_DATA") == null || System.getenv("BPNN_DATA").isBlank(), "BPNN_DATA is set");
        FashionMnistCommand cmd = new FashionMnistCommand();
        cmd.defaultDataDir = out.resolve("not-installed");
        CommandLine cl = new CommandLine(cmd);
        String[] msg = new String[1];
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            msg[0] = ex.getMessage();
            return 1;
        });
        assertEquals(1, cl.execute("--epochs", "1", "--backend", "scalar", "--out", out.resolve("o").toString()));
        assertTrue(msg[0].startsWith("MNIST-style dataset not found in " + cmd.defaultDataDir + " (no such directory)"), msg[0]);
        assertTrue(msg[0].endsWith("or download the four files into that directory. Or point --data (or BPNN_DATA) at a directory "
                + "that holds them."), msg[0]);
    }

    @Test
    void dataMissingFromTheDataDirectorySaysDataChoseIt() {
        // the message said only to install the package (or download into its directory), which --data would still override
        Path dir = out.resolve("elsewhere");
        Cli.Result r = Cli.run(1, "fashion-mnist", "--data", dir.toString(), "--epochs", "1", "--out", out.resolve("o").toString());
        String err = r.err().strip();
        assertTrue(err.contains("dataset-fashion-mnist"), err);
        assertTrue(err.endsWith(" --data chose " + dir + ": put the four files there, or leave --data out to use $BPNN_DATA or "
                + MnistFiles.FASHION_MNIST_DIR + "."), err);
        assertTrue(!Files.exists(out.resolve("o")), "a run without data left --out behind");
    }

    @Test
    void anEmptyDataIsRefusedLikeAnEmptyOut() {
        // --data '' searched the current directory (Path.of("") is "."), while --out '' was refused
        for (String empty : new String[] {"", " "}) {
            Cli.Result r = Cli.run(1, "fashion-mnist", "--data", empty, "--epochs", "1", "--out", out.resolve("o").toString());
            assertEquals("bpnn: error: --data is empty; expected the directory of the IDX files, such as /usr/share/datasets/fashion-mnist "
                    + "(leave --data out for $BPNN_DATA or that default; use --data . for the current directory)", r.err().strip());
            assertEquals("", r.out(), "nothing is loaded or printed first");
        }
    }

    @Test
    void withoutATerminalTheOutputHasEpochLinesNotCarriageReturnRedraws() throws Exception {
        // `./bpnn fashion-mnist > log` (or | tee, or CI) wrote the live bar's redraws, joined by
        // carriage returns, into one line per epoch; --no-progress was the only way out
        assumeTrue(Files.isRegularFile(MnistFiles.FASHION_MNIST_DIR.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        assumeTrue(!FashionMnistCommand.stdoutIsTerminal(), "the tests' standard output is a terminal");
        String text = runs("--epochs", "1", "--validation-split", "0.5", "--out", out.toString());
        assertTrue(!text.contains("\r"), text);
        assertTrue(text.contains(System.lineSeparator() + "Epoch 1/1 [==============================] 30000/30000"), text);
    }
}
