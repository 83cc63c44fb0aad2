package org.bpnn.io.model;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.bpnn.backend.Backends;
import org.bpnn.data.Normaliser;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.Parameter;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;

/**
 * What this is: the one-off generator of {@code golden-v1.bpnn}, the compatibility fixture that
 * {@link GoldenModelTest} loads. It is not a test and nothing runs it automatically: the committed
 * file must stay as written by format version 1, so that a later change that breaks reading old
 * files fails the test.
 *
 * <p>How to run (only when adding a golden file for a new format version), from the repository root:
 * <pre>
 *   mvn -o -q -pl bpnn-io test-compile
 *   R=~/.m2/repository J=$R/com/fasterxml/jackson/core
 *   java -cp bpnn-io/target/test-classes:bpnn-io/target/classes:$R/org/bpnn/bpnn-core/0.1.0-SNAPSHOT/bpnn-core-0.1.0-SNAPSHOT.jar:$J/jackson-databind/2.21.3/jackson-databind-2.21.3.jar:$J/jackson-core/2.21.3/jackson-core-2.21.3.jar:$J/jackson-annotations/2.21/jackson-annotations-2.21.jar \
 *       org.bpnn.io.model.GoldenModelGenerator bpnn-io/src/test/resources/org/bpnn/io/model/golden-v2.bpnn
 * </pre>
 * It prints the expected prediction bits to paste into the test.
 */
public final class GoldenModelGenerator {
    static final float[][] INPUTS = {
        {0f, 0f, 0f, 0f},
        {1.5f, -2.25f, 0.125f, 3f},
        {-0.7f, 0.3f, 12.5f, -4.1f},
    };

    private GoldenModelGenerator() {}

    public static void main(String[] args) throws IOException {
        Network net = Network.builder(4).dense(5, Activation.leakyRelu(0.05f)).dropout(0.25)
                .dense(3, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).seed(20261128L)
                .backend(Backends.get("scalar", 1)).build();
        Random r = new Random(1128);
        for (Parameter p : net.parameters()) {
            if (!p.decays()) {
                float[] d = p.value().data();
                for (int i = 0; i < d.length; i++) d[i] = (float) r.nextGaussian() * 0.5f;
            }
        }
        float[] train = new float[40];
        for (int i = 0; i < train.length; i++) train[i] = (float) (r.nextGaussian() * (1 + i % 4) + i % 4);
        Normaliser norm = Normaliser.standardise(Tensor.wrap(10, 4, train));
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("epochs", 12);
        training.put("final_loss", 0.3125);
        training.put("dataset", "golden fixture");
        ModelMetadata meta = ModelMetadata.of(net, training).withCreated(Instant.parse("2026-11-28T00:00:00Z"));
        SavedModel model = new SavedModel(net, norm, meta);
        ModelFile.save(model, Path.of(args[0]));
        for (float[] x : INPUTS) {
            StringBuilder sb = new StringBuilder("{");
            for (float y : model.predict(x)) {
                if (sb.length() > 1) sb.append(", ");
                sb.append(String.format("0x%08x", Float.floatToIntBits(y)));
            }
            System.out.println(sb.append("},"));
        }
    }
}
