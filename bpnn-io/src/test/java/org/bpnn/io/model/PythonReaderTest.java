package org.bpnn.io.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.bpnn.data.Dataset;
import org.bpnn.data.Normaliser;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.tensor.Tensor;
import org.bpnn.train.EarlyStopping;
import org.bpnn.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/bpnn_model.py, the numpy reader written from the package documentation's specification,
 * predicts what Java predicts from the same files: if the format or its documented meaning changes
 * without the tool, this fails. Skipped only where python3 or numpy is missing.
 */
class PythonReaderTest {
    private static final Path TOOL = Path.of("tools", "bpnn_model.py").toAbsolutePath();

    @TempDir
    Path dir;

    /** Why the tool cannot run here (null when it can), asked once: the skip message of every test. */
    private static String missing;

    @BeforeAll
    static void findPythonWithNumpy() {
        try {
            Result r = run(List.of("python3", "-c", "import numpy"));
            missing = r.code == 0 ? null : "numpy is not installed for python3 (" + r.out.strip().replaceAll("(?s).*\n", "") + ")";
        } catch (IOException e) {
            missing = "python3 is not on the PATH (" + e.getMessage() + ")";
        }
    }

    @BeforeEach
    void needsPythonWithNumpy() {
        assumeTrue(missing == null, () -> "skipped: " + missing + "; tools/bpnn_model.py needs python3 with numpy");
    }

    @Test
    void classifierWithDropoutMinMaxNormaliserAndClassNames() throws IOException {
        Network net = Network.builder(5).dense(7, Activation.leakyRelu(0.2f)).dropout(0.3)
                .dense(6, Activation.sigmoid()).dropout(0.45).dense(3, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(3).backend(TestNets.SCALAR).build();
        Tensor x = shifted(TestNets.inputs(30, 5, 1), 10f);
        SavedModel m = SavedModel.of(net, Normaliser.minMax(x), Map.of())
                .withClassNames(List.of("lo", "mid", "hi"));
        agree(m, x, "cls.bpnn");
    }

    @Test
    void regressionWithTargetNormaliserAndTargetNames() throws IOException {
        Network net = TestNets.net(3, Activation.tanh(), 2, Activation.identity(), Loss.huber(0.7), 5);
        Tensor x = TestNets.inputs(30, 3, 2);
        Tensor y = shifted(TestNets.inputs(30, 2, 3), 1000f);
        SavedModel m = SavedModel.of(net, Normaliser.standardise(x), Normaliser.standardise(y), Map.of())
                .withTargetNames(List.of("price", "days"));
        agree(m, x, "reg.bpnn");
    }

    @Test
    void logitsModelsGiveLogits() throws IOException {
        Tensor x = TestNets.inputs(30, 4, 4);
        agree(SavedModel.of(TestNets.net(4, Activation.relu(), 1, Activation.identity(),
                Loss.binaryCrossEntropyFromLogits(), 9)).withThreshold(0.3f), x, "bin.bpnn");
        agree(SavedModel.of(TestNets.net(4, Activation.identity(), 3, Activation.identity(),
                Loss.categoricalCrossEntropyFromLogits(), 11)), x, "cat.bpnn");
    }

    @Test
    void checkpointOfAdamWithBestWeights() throws IOException {
        Network net = Network.builder(4).dense(5, Activation.tanh()).dropout(0.25).dense(2, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(8).backend(TestNets.SCALAR).build();
        Tensor x = TestNets.inputs(40, 4, 5);
        int[] labels = new int[40];
        for (int i = 0; i < labels.length; i++) labels[i] = x.data()[i * 4] > 0 ? 1 : 0;
        Dataset d = Dataset.ofLabels(x, labels, 2);
        Trainer t = Trainer.builder().optimizer(new Adam(0.01)).epochs(3).batchSize(8)
                .earlyStopping(EarlyStopping.patience(5).restoreBestWeights()).build();
        t.fit(net, d, d);
        Path p = dir.resolve("run.ckpt");
        CheckpointFile.save(t, SavedModel.of(net), p);
        // what a deployment from the checkpoint predicts: the model part, as ModelFile.load reads it
        agree(ModelFile.load(p, TestNets.SCALAR), x, p);
    }

    /**
     * A header field the tool does not know (one added within version 1 after it, as target_normaliser
     * was) may change the predictions: the tool refuses the file, naming the field, rather than
     * predicting without it. The field is added to a file Java wrote, its CRC-32C recomputed.
     */
    @Test
    void refusesAnUnknownHeaderField() throws IOException {
        Path p = twoInputModel("newer.bpnn");
        byte[] file = Files.readAllBytes(p);
        ByteBuffer pre = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int h = pre.getInt(12);
        String header = new String(file, 20, h, StandardCharsets.UTF_8);
        byte[] newer = header.replaceFirst("\\{", "{ \"output_transform\": \"exp\",").getBytes(StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update(newer);
        ByteBuffer out = ByteBuffer.allocate(file.length - h + newer.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(file, 0, 12).putInt(newer.length).putInt((int) crc.getValue()).put(newer).put(file, 20 + h, file.length - 20 - h);
        Files.write(p, out.array());
        Path in = dir.resolve("in.csv");
        Files.writeString(in, "1,2\n");
        Result r = runTool(p, in);
        assertEquals(1, r.code, r.out);
        assertEquals("bpnn_model: " + p + ": unknown field 'output_transform' in the header: written by a newer bpnn than"
                + " this reader knows", r.out.strip());
    }

    /** A CSV with a header line, or of another width, is refused in one line naming the file and what it should hold. */
    @Test
    void refusesAHeaderLineOrAnotherWidthInOneLine() throws IOException {
        Path p = twoInputModel("two.bpnn");
        for (String csv : List.of("a,b\n1,2\n", "1,2,3\n")) {
            Path in = dir.resolve("in.csv");
            Files.writeString(in, csv);
            Result r = runTool(p, in);
            assertEquals(1, r.code, r.out);
            String line = r.out.strip();
            assertTrue(!line.contains("\n") && line.startsWith("bpnn_model: " + in + ": ")
                    && line.endsWith("; expected rows of 2 numbers separated by ',', no header line"), csv + ": " + r.out);
        }
    }

    /** A small model of 2 inputs saved as {@code file}: for the refusals, whose model does not matter. */
    private Path twoInputModel(String file) throws IOException {
        Path p = dir.resolve(file);
        ModelFile.save(SavedModel.of(TestNets.net(2, Activation.relu(), 1, Activation.identity(), Loss.mse(), 1)), p);
        return p;
    }

    private void agree(SavedModel m, Tensor x, String file) throws IOException {
        Path p = dir.resolve(file);
        ModelFile.save(m, p);
        agree(m, x, p);
    }

    /** Python's outputs for x from the file at p are Java's to 1e-5 relative (float32 both, other operation orders). */
    private void agree(SavedModel m, Tensor x, Path p) throws IOException {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.cols(); j++) csv.append(j == 0 ? "" : ",").append(x.data()[i * x.cols() + j]);
            csv.append('\n');
        }
        Path in = dir.resolve(p.getFileName() + ".csv");
        Files.writeString(in, csv);
        Result r = runTool(p, in);
        assertEquals(0, r.code, "python3 " + TOOL + " failed on " + p + ":\n" + r.out);
        Tensor java = m.predict(x);
        String[] lines = r.out.strip().split("\n");
        assertEquals(x.rows(), lines.length, r.out);
        for (int i = 0; i < x.rows(); i++) {
            String[] cells = lines[i].split(",");
            assertEquals(java.cols(), cells.length, lines[i]);
            for (int j = 0; j < cells.length; j++) {
                float want = java.data()[i * java.cols() + j];
                float got = Float.parseFloat(cells[j]);
                assertTrue(Math.abs(got - want) <= 1e-5 * Math.max(Math.abs(want), 1e-3),
                        p.getFileName() + " row " + i + " output " + j + ": python " + got + ", java " + want);
            }
        }
    }

    private static Tensor shifted(Tensor x, float by) {
        float[] d = x.data().clone();
        for (int i = 0; i < d.length; i++) d[i] += by;
        return Tensor.wrap(x.rows(), x.cols(), d);
    }

    private record Result(int code, String out) {}

    /** Runs the tool from a shell on the model file and the input CSV. */
    private static Result runTool(Path model, Path csv) throws IOException {
        return run(List.of("python3", TOOL.toString(), model.toString(), csv.toString()));
    }

    /**
     * Runs the command, its stderr merged into its stdout, for at most 60 s. The output goes to a file,
     * not a pipe read before the wait: a read of the pipe blocks until the process ends, so a hung
     * script would hang the build and the timeout would never be reached.
     */
    private static Result run(List<String> command) throws IOException {
        Path out = Files.createTempFile("bpnn-python-", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out after 60 s: " + command + "; its output so far:\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
