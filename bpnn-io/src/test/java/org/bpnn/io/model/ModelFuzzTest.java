package org.bpnn.io.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bpnn.data.Normaliser;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.junit.jupiter.api.Test;

/**
 * A seeded mutation fuzzer for {@link ModelFile}: valid files are mutated (bit flips, truncations,
 * insertions, deletions, preamble fields, JSON edits with the header CRC repaired so that the
 * validation behind it is reached, data edits with the SHA-256 repaired) and each result must
 * either load or fail with {@link ModelFormatException}: any other exception, or a hang, is a bug.
 *
 * <p>By default it runs for {@value #DEFAULT_SECONDS} seconds (tens of thousands of inputs) from a
 * fixed seed, so CI is deterministic up to the time cut-off. A long pass:
 * <pre>
 *   mvn -o -pl bpnn-io test -Dtest=ModelFuzzTest -Dbpnn.fuzz.seconds=600 -Dbpnn.fuzz.seed=$RANDOM
 * </pre>
 * {@code bpnn.fuzz.iterations} caps the number of inputs instead (e.g. to replay a seed exactly).
 * A failing input is written to {@code target/fuzz-failures/} with the seed and iteration in its
 * name, and the assertion message says how to replay it.
 *
 * <p>(Jazzer's JUnit integration would be the coverage-guided alternative; it is not in this build's
 * offline repository, so this deterministic fuzzer stands in.)
 */
class ModelFuzzTest {
    static final int DEFAULT_SECONDS = 3;

    private static final Object[] INTERESTING = {
        0, -1, 1, 2, 3, 4, 255, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 31, 1L << 32, 1L << 40,
        Long.MAX_VALUE, Long.MIN_VALUE, new BigInteger("123456789012345678901234567890"), 0.5, -0.0, 1e-45, 1e308, -1e308,
        3.4028235e38, 1.5, "", "dense", "dropout", "softmax", "leaky_relu", "relu", "huber", "mse", "standardise",
        "min_max", "float32", "little_endian", "bpnn-model", "layers[0].weight", "\u0000", "\uD83D\uDE00", "x".repeat(300),
        true, false,
    };

    @Test
    void mutatedFilesLoadOrFailWithModelFormatException() throws IOException {
        long seconds = Long.getLong("bpnn.fuzz.seconds", DEFAULT_SECONDS);
        long maxIterations = Long.getLong("bpnn.fuzz.iterations", Long.MAX_VALUE);
        long seed = Long.getLong("bpnn.fuzz.seed", 20261128L);
        List<byte[]> seeds = seeds();
        Random r = new Random(seed);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long iterations = 0, loaded = 0;
        Map<String, Integer> kinds = new java.util.TreeMap<>();
        while (iterations < maxIterations && System.nanoTime() < deadline) {
            byte[] base = seeds.get(r.nextInt(seeds.size()));
            StringBuilder how = new StringBuilder();
            byte[] input = base;
            int rounds = 1 + (r.nextInt(4) == 0 ? r.nextInt(3) : 0);
            for (int k = 0; k < rounds; k++) {
                input = mutate(input, r, how);
            }
            try {
                SavedModel m = ModelFile.fromBytes(input, "fuzz", TestNets.SCALAR, ModelFile.Limits.DEFAULT);
                m.network().predict(TestNets.inputs(2, m.network().inputSize(), iterations)); // a loaded model works
                loaded++;
            } catch (ModelFormatException e) {
                String loc = e.location();
                kinds.merge(loc.startsWith("byte") ? "byte offset" : loc.replaceAll("\\[\\d+]", "[]"), 1, Integer::sum);
            } catch (Throwable t) {
                Path dir = Path.of("target", "fuzz-failures");
                Files.createDirectories(dir);
                Path f = dir.resolve("seed-" + seed + "-iteration-" + iterations + ".bpnn");
                Files.write(f, input);
                StringWriter sw = new StringWriter();
                t.printStackTrace(new PrintWriter(sw));
                throw new AssertionError("iteration " + iterations + " (" + how + ") threw " + t + " instead of "
                        + "ModelFormatException; input saved to " + f.toAbsolutePath() + "; replay with -Dbpnn.fuzz.seed="
                        + seed + " -Dbpnn.fuzz.iterations=" + (iterations + 1) + "\n" + sw, t);
            }
            iterations++;
        }
        System.out.println("ModelFuzzTest: " + iterations + " inputs in " + seconds + " s (seed " + seed + "), " + loaded
                + " loaded, failures by location: " + kinds);
        assertTrue(iterations > 0);
        assertTrue(kinds.size() > 10, () -> "mutations reach few checks: " + kinds);
    }

    private static List<byte[]> seeds() throws IOException {
        List<byte[]> out = new ArrayList<>();
        Network a = Network.builder(4).dense(6, Activation.leakyRelu(0.1f)).dropout(0.25).dense(3, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(1).backend(TestNets.SCALAR).build();
        out.add(ModelFile.toBytes(SavedModel.of(a, Normaliser.minMax(TestNets.inputs(10, 4, 1)), Map.of("epochs", 3, "acc", 0.5))));
        Network b = Network.builder(3).dense(2, Activation.sigmoid()).loss(Loss.huber(0.5)).seed(2).backend(TestNets.SCALAR).build();
        out.add(ModelFile.toBytes(SavedModel.of(b)));
        org.bpnn.train.Trainer t = org.bpnn.train.Trainer.builder().optimizer(new org.bpnn.optim.Adam(0.01)).epochs(2)
                .batchSize(2).shuffle(3).build();
        t.fit(a, new org.bpnn.data.Dataset(TestNets.inputs(6, 4, 2), org.bpnn.tensor.Tensor.wrap(6, 3,
                new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1})));
        out.add(CheckpointFile.toBytes(new Checkpoint(SavedModel.of(a), t.state(a))));
        try (var in = ModelFuzzTest.class.getResourceAsStream("golden-v1.bpnn")) {
            out.add(in.readAllBytes());
        }
        return out;
    }

    // ---- mutations ------------------------------------------------------------------------------

    private static byte[] mutate(byte[] in, Random r, StringBuilder how) {
        if (in.length < 21) {
            how.append("bitflip-short;");
            return flip(in, r);
        }
        switch (r.nextInt(10)) {
            case 0: how.append("bitflip;"); return flip(in, r);
            case 1: {
                int n = r.nextInt(in.length);
                how.append("truncate ").append(n).append(';');
                return Arrays.copyOf(in, n);
            }
            case 2: {
                int at = r.nextInt(in.length + 1), n = 1 + r.nextInt(r.nextBoolean() ? 4 : 64);
                byte[] extra = new byte[n];
                r.nextBytes(extra);
                how.append("insert ").append(n).append('@').append(at).append(';');
                byte[] out = new byte[in.length + n];
                System.arraycopy(in, 0, out, 0, at);
                System.arraycopy(extra, 0, out, at, n);
                System.arraycopy(in, at, out, at + n, in.length - at);
                return out;
            }
            case 3: {
                int at = r.nextInt(in.length), n = 1 + r.nextInt(Math.min(64, in.length - at));
                how.append("delete ").append(n).append('@').append(at).append(';');
                byte[] out = new byte[in.length - n];
                System.arraycopy(in, 0, out, 0, at);
                System.arraycopy(in, at + n, out, at, in.length - at - n);
                return out;
            }
            case 4: {
                int field = 8 + 4 * r.nextInt(3);
                int[] values = {0, 1, 2, -1, 0x7FFFFFFF, 64, r.nextInt()};
                int v = values[r.nextInt(values.length)];
                how.append("preamble ").append(field).append('=').append(v).append(';');
                byte[] out = in.clone();
                ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(field, v);
                return out;
            }
            case 5: case 6: case 7: return jsonEdit(in, r, how);
            case 8: return headerBytes(in, r, how);
            default: return dataEdit(in, r, how);
        }
    }

    private static byte[] flip(byte[] in, Random r) {
        byte[] out = in.clone();
        if (out.length == 0) return out;
        int flips = 1 + r.nextInt(4);
        for (int i = 0; i < flips; i++) {
            out[r.nextInt(out.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return out;
    }

    /** Whether the bytes still parse as a preamble + header + data we can edit. */
    private static ModelBytes parts(byte[] in) {
        if (in.length < 20) return null;
        int h = ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        if (h < 2 || 20L + h > in.length) return null;
        ModelBytes p = ModelBytes.parse(in);
        try {
            if (!p.tree().isObject()) return null;
        } catch (RuntimeException e) {
            return null;
        }
        return p;
    }

    /** A structural JSON edit, with the header CRC and length repaired so validation is reached. */
    private static byte[] jsonEdit(byte[] in, Random r, StringBuilder how) {
        ModelBytes p = parts(in);
        if (p == null) {
            how.append("bitflip(no json);");
            return flip(in, r);
        }
        ObjectNode tree = p.tree();
        List<Object[]> slots = new ArrayList<>(); // {container, key or index, path}
        collect(tree, "$", slots);
        if (slots.isEmpty()) { // an empty object left by an earlier round
            how.append("bitflip(empty json);");
            return flip(in, r);
        }
        Object[] slot = slots.get(r.nextInt(slots.size()));
        JsonNodeFactory f = JsonNodeFactory.instance;
        JsonNode replacement;
        String what;
        switch (r.nextInt(6)) {
            case 0: {
                Object v = INTERESTING[r.nextInt(INTERESTING.length)];
                replacement = v instanceof String s ? f.textNode(s) : v instanceof Boolean b ? f.booleanNode(b)
                        : v instanceof Double d ? f.numberNode(d) : v instanceof BigInteger bi ? f.numberNode(bi)
                        : f.numberNode(((Number) v).longValue());
                what = "set " + v;
                break;
            }
            case 1: replacement = f.nullNode(); what = "null"; break;
            case 2: replacement = f.arrayNode().add(1).add(2); what = "array"; break;
            case 3: replacement = f.objectNode(); what = "object"; break;
            case 4: {
                JsonNode deep = f.arrayNode();
                for (int i = 0; i < 5 + r.nextInt(40); i++) deep = f.arrayNode().add(deep);
                replacement = deep;
                what = "deep";
                break;
            }
            default: replacement = null; what = "remove"; break;
        }
        how.append("json ").append(slot[2]).append(' ').append(what).append(';');
        if (slot[0] instanceof ObjectNode o) {
            if (replacement == null) o.remove((String) slot[1]);
            else o.set((String) slot[1], replacement);
        } else {
            ArrayNode a = (ArrayNode) slot[0];
            if (replacement == null) a.remove((Integer) slot[1]);
            else a.set((Integer) slot[1], replacement);
        }
        if (r.nextInt(8) == 0) {
            tree.put("extra_" + r.nextInt(3), 1); // an unknown field
        }
        try {
            return p.withHeader(ModelBytes.MAPPER.writeValueAsBytes(tree));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void collect(JsonNode n, String path, List<Object[]> slots) {
        if (n.isObject()) {
            // properties() keeps the fields' order, as the deprecated fields() did: the same slots, the same draws
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                String p = path + "." + e.getKey();
                slots.add(new Object[] {n, e.getKey(), p});
                collect(e.getValue(), p, slots);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                String p = path + "[" + i + "]";
                slots.add(new Object[] {n, i, p});
                collect(n.get(i), p, slots);
            }
        }
    }

    /** Byte-level damage inside the header text (syntax errors, odd tokens), CRC repaired. */
    private static byte[] headerBytes(byte[] in, Random r, StringBuilder how) {
        ModelBytes p = parts(in);
        if (p == null) {
            how.append("bitflip(no header);");
            return flip(in, r);
        }
        String h = p.headerText();
        int at = r.nextInt(h.length());
        String[] tokens = {"{", "}", "[", "]", ",", ":", "\"", "\\", "NaN", "-", "e999", "0000000", "\"format\" : 1,",
            "\"units\" : 5,", "/*", "\u00ff", "]".repeat(50), "[".repeat(50), "\"\\u0000\""};
        String t = tokens[r.nextInt(tokens.length)];
        boolean replace = r.nextBoolean() && at < h.length() - 1;
        how.append("header ").append(replace ? "replace" : "insert").append(" '").append(t).append("'@").append(at).append(';');
        String edited = h.substring(0, at) + t + h.substring(replace ? at + 1 : at);
        return p.withHeader(edited.getBytes(StandardCharsets.UTF_8));
    }

    /** Special values in the data section, SHA-256 repaired so the finiteness and normaliser checks are reached. */
    private static byte[] dataEdit(byte[] in, Random r, StringBuilder how) {
        ModelBytes p = parts(in);
        if (p == null || p.data.length < 4 || p.data.length % 4 != 0 || !p.tree().path("data").isObject()) {
            how.append("bitflip(no data);");
            return flip(in, r);
        }
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE,
            Float.MAX_VALUE, -Float.MAX_VALUE, 1e-40f};
        int idx = r.nextInt(p.data.length / 4);
        float v = specials[r.nextInt(specials.length)];
        how.append("data[").append(idx).append("]=").append(v).append(';');
        return p.withData(b -> b.putFloat(4 * idx, v));
    }
}
