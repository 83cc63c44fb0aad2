package org.bpnn.examples.seed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

        String text = printout(3);

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
        // BP4, checkable from the printout: the initial parameters, and after step 1 each equals
        // itself minus alpha times the batch gradient
        double[][][] ws = {SeedCommand.W1, SeedCommand.W2, SeedCommand.W3};
        double[][] bs = {SeedCommand.B1, SeedCommand.B2, SeedCommand.B3};
        String after = text.substring(text.indexOf("after step 1"));
        for (int l = 1; l <= 3; l++) {
            double[] w0 = java.util.Arrays.stream(ws[l - 1]).flatMapToDouble(java.util.Arrays::stream).toArray();
            double[][] initial = parameters(text, l), stepped = parameters(after, l);
            close(w0, initial[0], "initial W[" + l + "]");
            close(bs[l - 1], initial[1], "initial b[" + l + "]");
            double[] w1 = w0.clone(), b1 = bs[l - 1].clone();
            for (int i = 0; i < w1.length; i++) w1[i] -= 0.5 * h4[2 * (l - 1)][i];
            for (int i = 0; i < b1.length; i++) b1[i] -= 0.5 * h4[2 * (l - 1) + 1][i];
            close(w1, stepped[0], "W[" + l + "] after step 1");
            close(b1, stepped[1], "b[" + l + "] after step 1");
        }
        // the note has no numbers and leaves the output layer's width open: the printout must not credit it with ours
        assertFalse(text.contains("the note's example values"), text);
        assertTrue(text.contains("not the note's: it gives none"), text);
        assertTrue(text.contains("step 3: cost before the step"), text);
        String last = text.strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("{\"example\":\"seed\""), last);
    }

    /**
     * The batch's dZ[l] follows the note's definition (column i is delta[l] of sample i, dL_i/dz[l],
     * without the batch's 1/m), not the note's batch BP1 dZ[L] = grad_A C (.) sigma'(Z[L]) with the
     * mean cost C, which is m times smaller: each dZ line must say which, and give its formula.
     */
    @Test
    void batchDeltasArePerSampleAndLabelledSo() {
        String text = printout(0);
        for (int l = 1; l <= 3; l++) {
            String formula = l == 3 ? "grad_a L_i (.) sigma'(z[3])" : "(W[" + (l + 1) + "]^T dZ[" + (l + 1) + "]) (.) sigma'(Z[" + l + "])";
            Matcher m = Pattern.compile("(?m)^BP[12] +dZ\\[" + l + "\\] = (.*) = (\\[\\[[-0-9., \\[\\]]+\\]\\])$").matcher(text);
            assertTrue(m.find(), "dZ[" + l + "] printed as 'dZ[" + l + "] = formula = values':\n" + text);
            assertTrue(m.group(1).contains(formula), "dZ[" + l + "] gives its formula " + formula + ": " + m.group(1));
            assertTrue(m.group(1).contains("per sample") && m.group(1).contains("no 1/m"),
                    "dZ[" + l + "] says its columns are per-sample deltas without the 1/m: " + m.group(1));
            // printed as the note's (n_l, m) matrix: row j lists neuron j's delta for samples 0..3
            double[] printed = parse(m.group(2));
            int n = printed.length / 4;
            for (int s = 0; s < 4; s++) {
                double[] delta = SeedExampleTest.hand(s, s + 1)[6 + 3 * (l - 1) + 2];
                double[] column = new double[n];
                for (int j = 0; j < n; j++) column[j] = printed[j * 4 + s];
                close(delta, column, "dZ[" + l + "] column " + s);
            }
        }
    }

    /**
     * The batch's targets are printed beside its inputs, as the note's (n_L, m) matrix Y: without them
     * the batch's cost and dZ[3] = grad_a L_i (.) sigma'(z[3]) cannot be recomputed from the printout.
     */
    @Test
    void batchTargetsArePrintedAsColumns() {
        String text = printout(0);
        Matcher m = Pattern.compile("(?m)^== A batch of 4 samples: .*A\\[0\\] = (\\[\\[[-0-9., \\[\\]]+\\]\\]), Y = (\\[\\[[-0-9., \\[\\]]+\\]\\])")
                .matcher(text);
        assertTrue(m.find(), "the batch's header gives A[0] and Y:\n" + text);
        double[] x = parse(m.group(1)), y = parse(m.group(2));
        for (int s = 0; s < 4; s++) {
            for (int j = 0; j < 2; j++) {
                // row j of the printed matrix lists input (target) j of samples 0..3
                assertEquals(SeedCommand.X[s][j], x[j * 4 + s], 5e-7, "A[0] row " + j + ", sample " + s);
                assertEquals(SeedCommand.Y[s][j], y[j * 4 + s], 5e-7, "Y row " + j + ", sample " + s);
            }
        }
    }

    /**
     * The printout defines the symbols its lines use (delta, (.), grad_a L, sigma'), and the stated
     * grad_a L and sigma' are the ones its BP1 line applies: delta[3] = (a[3] - y) (.) a[3] (.) (1 - a[3]).
     */
    @Test
    void symbolsAreDefinedAndBp1FollowsThem() {
        String text = printout(0);
        String header = text.substring(0, text.indexOf("== One sample"));
        for (String definition : new String[] {"z[l] = W[l] a[l-1] + b[l]", "a[l] = sigma(z[l])", "W[l] is (n_l, n_{l-1})",
                "delta[l] = dL/dz[l]", "(.) is the element-wise product", "grad_a L = a[3] - y",
                "sigma'(z) = sigma(z) (1 - sigma(z))"}) {
            assertTrue(header.contains(definition), "the header defines " + definition + ":\n" + header);
        }
        double[] a3 = vector(text, "forward  a[3] = sigma(z[3]) = "), d3 = vector(text, "BP1      delta[3] = ");
        double[] y = vector(text, ", y = ");
        for (int j = 0; j < 2; j++) {
            // from 6-decimal printed values: within a few 1e-7
            assertEquals((a3[j] - y[j]) * a3[j] * (1 - a3[j]), d3[j], 2e-6, "delta[3]_" + j + " from the stated formulas");
        }
    }

    /** What {@code ./bpnn seed --steps steps} prints, at the default learning rate 0.5. */
    private static String printout(int steps) {
        SeedCommand cmd = new SeedCommand();
        cmd.steps = steps;
        cmd.learningRate = 0.5;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        cmd.out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        assertEquals(0, cmd.call());
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** The first "[..]^T" after prefix in text. */
    private static double[] vector(String text, String prefix) {
        int at = text.indexOf(prefix);
        assertTrue(at >= 0, prefix + " not printed:\n" + text);
        Matcher m = Pattern.compile("(\\[[-0-9., ]+\\])\\^T").matcher(text);
        assertTrue(m.find(at + prefix.length() - 1), prefix + " followed by a vector");
        return parse(m.group(1));
    }

    /** The first "W[l] = [[..]],  b[l] = [..]^T" line of text, as {W flattened, b}. */
    private static double[][] parameters(String text, int l) {
        Matcher m = Pattern.compile("W\\[" + l + "\\] = (\\[\\[[-0-9., \\[\\]]+\\]\\]),  b\\[" + l + "\\] = (\\[[-0-9., ]+\\])\\^T")
                .matcher(text);
        assertTrue(m.find(), "W[" + l + "] and b[" + l + "] printed on one line:\n" + text);
        return new double[][] {parse(m.group(1)), parse(m.group(2))};
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
