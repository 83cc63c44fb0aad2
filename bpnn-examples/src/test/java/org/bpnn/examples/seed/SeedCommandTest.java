package org.bpnn.examples.seed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bpnn.nn.SeedExampleTest;
import org.junit.jupiter.api.Test;

/** The numbers `bpnn seed` prints are the hand computation of the seed network (SeedExampleTest.hand). */
class SeedCommandTest {
    private static final Pattern LINE = Pattern.compile("^\\S+\\s+(\\S+) = .* = (\\[[-0-9., \\[\\]]+\\])(\\^T)?.*$");

    @Test
    void printedValuesMatchTheHandComputation() {
        assertArrayEquals(SeedExampleTest.W1, SeedCommand.W1);
        assertArrayEquals(SeedExampleTest.W2, SeedCommand.W2);
        assertArrayEquals(SeedExampleTest.W3, SeedCommand.W3);
        assertArrayEquals(SeedExampleTest.B1, SeedCommand.B1);
        assertArrayEquals(SeedExampleTest.X, SeedCommand.X);
        assertArrayEquals(SeedExampleTest.Y, SeedCommand.Y);

        SeedCommand cmd = new SeedCommand();
        cmd.steps = 3;
        cmd.learningRate = 0.5;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        cmd.out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        assertEquals(0, cmd.call());
        String text = buf.toString(StandardCharsets.UTF_8);

        // First occurrence of each name is the one-sample section, the second the batch of 4.
        Map<String, double[]> one = new HashMap<>(), batch = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) continue;
            String name = m.group(1).replace("dL/", "");
            double[] values = parse(m.group(2));
            (one.containsKey(name) ? batch : one).putIfAbsent(name, values);
        }
        double[][] h1 = SeedExampleTest.hand(0, 1);
        double[][] h4 = SeedExampleTest.hand(0, 4);
        for (int l = 1; l <= 3; l++) {
            close(h1[6 + 3 * (l - 1)], one.get("z[" + l + "]"), "z[" + l + "]");
            close(h1[6 + 3 * (l - 1) + 1], one.get("a[" + l + "]"), "a[" + l + "]");
            close(h1[6 + 3 * (l - 1) + 2], one.get("delta[" + l + "]"), "delta[" + l + "]");
            close(h1[2 * (l - 1)], one.get("dW[" + l + "]"), "one-sample dW[" + l + "]");
            close(h1[2 * (l - 1) + 1], one.get("db[" + l + "]"), "one-sample db[" + l + "]");
            close(h4[2 * (l - 1)], batch.get("dW[" + l + "]"), "batch dW[" + l + "]");
            close(h4[2 * (l - 1) + 1], batch.get("db[" + l + "]"), "batch db[" + l + "]");
        }
        assertTrue(text.contains("step 3: cost before the step"), text);
        String last = text.strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("{\"example\":\"seed\""), last);
    }

    private static double[] parse(String bracketed) {
        String[] parts = bracketed.replace("[", "").replace("]", "").split(",");
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) v[i] = Double.parseDouble(parts[i].trim());
        return v;
    }

    private static void close(double[] expected, double[] printed, String what) {
        assertTrue(printed != null, what + " was not printed");
        assertEquals(expected.length, printed.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            // printed with 6 decimals
            assertEquals(expected[i], printed[i], 6e-7, what + " element " + i);
        }
    }
}
