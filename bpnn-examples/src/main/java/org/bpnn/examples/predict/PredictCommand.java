package org.bpnn.examples.predict;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bpnn.backend.Backend;
import org.bpnn.data.Normaliser;
import org.bpnn.examples.BackendOptions;
import org.bpnn.examples.Jdk;
import org.bpnn.examples.Summary;
import org.bpnn.io.data.CsvReader;
import org.bpnn.io.data.IdxReader;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.bpnn.nn.Network;
import org.bpnn.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What this shows: using a saved model. Loads a model file written by bpnn-io, reads inputs from a
 * CSV file (features only, with a header) or an IDX image file (pixels scaled to [0, 1] as the
 * fashion-mnist example does), applies the model's normaliser, predicts, and writes one CSV row per
 * sample: the predicted class (argmax) and every output.
 *
 * <p>How to run: {@code ./bpnn predict --model runs/fashion-mnist/model.bpnn
 * --input /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz --output predictions.csv}.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict with a saved model from a CSV or IDX file; writes predictions as CSV.")
public final class PredictCommand implements Callable<Integer> {
    @Mixin
    BackendOptions backendOptions = new BackendOptions();

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model file saved by bpnn (e.g. runs/fashion-mnist/model.bpnn).")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "Inputs: a CSV file with a header and only feature columns, or an IDX file (.gz or plain) of images.")
    Path input;

    @Option(names = "--output", paramLabel = "FILE", description = "Where to write the predictions CSV (default: standard output).")
    Path output;

    @Option(names = "--format", defaultValue = "auto", description = "csv, idx or auto (by content: IDX files start with two zero bytes or gzip) (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("model file " + model + " does not exist; train one with ./bpnn fashion-mnist (writes runs/fashion-mnist/model.bpnn)");
        }
        if (!Files.isRegularFile(input)) {
            throw new IllegalArgumentException("input file " + input + " does not exist");
        }
        Backend backend = backendOptions.resolve();
        SavedModel saved = ModelFile.load(model, backend);
        Network net = saved.network();
        Tensor x = read();
        if (x.cols() != net.inputSize()) {
            throw new IllegalArgumentException(input + " has " + x.cols() + " features per sample, but the model takes "
                    + net.inputSize() + "; use inputs of the same shape as the training data");
        }
        Normaliser normaliser = saved.normaliser();
        if (normaliser != null) {
            x = normaliser.apply(x);
        }
        long t0 = System.nanoTime();
        Tensor out = net.predict(x);
        double seconds = (System.nanoTime() - t0) / 1e9;
        int k = out.cols();
        try (Writer w = output == null
                ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
                : Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            StringBuilder header = new StringBuilder("row,class");
            for (int j = 0; j < k; j++) header.append(",output").append(j);
            w.write(header.append('\n').toString());
            float[] d = out.data();
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < out.rows(); i++) {
                line.setLength(0);
                int best = 0;
                for (int j = 1; j < k; j++) if (d[i * k + j] > d[i * k + best]) best = j;
                line.append(i).append(',').append(best);
                for (int j = 0; j < k; j++) line.append(',').append(d[i * k + j]);
                w.write(line.append('\n').toString());
            }
            w.flush();
        }
        Summary s = new Summary("predict").put("backend", backend.name()).put("threads", backend.threads())
                .put("jdk", Jdk.version()).put("model", model.toString()).put("samples", out.rows())
                .put("seconds", seconds).put("output", output == null ? "stdout" : output.toString());
        System.out.println(s.toJson());
        return 0;
    }

    private Tensor read() throws IOException {
        String f = format.toLowerCase(Locale.ROOT);
        if (f.equals("auto")) {
            byte[] head = new byte[2];
            try (var in = Files.newInputStream(input)) {
                int n = in.readNBytes(head, 0, 2);
                boolean gzip = n == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
                boolean idx = n == 2 && head[0] == 0 && head[1] == 0;
                f = gzip || idx ? "idx" : "csv";
            }
        }
        switch (f) {
            case "idx": return IdxReader.readImages(input, 1f / 255);
            case "csv": return CsvReader.builder().noLabels().build().read(input).features();
            default: throw new IllegalArgumentException("unknown --format '" + format + "'; expected csv, idx or auto");
        }
    }
}
