package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Network.computeGradients(x, y, weights), the sample-weighted cost sum_i w_i L_i / m, against the
 * unweighted pass on rearranged batches, for every loss (fused and not). Subclasses run it on another
 * backend.
 */
public class SampleWeightsTest {

    protected Backend backend() {
        return ScalarBackend.INSTANCE;
    }

    /** (loss, output activation, kind of target) of GradientCheckTest: every loss, fused and unfused outputs. */
    static Stream<org.junit.jupiter.params.provider.Arguments> losses() {
        return GradientCheckTest.lossesWithOutputs();
    }

    Network net(Loss loss, Activation out, int k, long seed) {
        Network net = Network.builder(3).dense(5, Activation.tanh()).dense(k, out).loss(loss).seed(seed).backend(backend())
                .build();
        GradientCheckTest.randomBiases(net, new Random(seed));
        return net;
    }

    static int outputs(Loss loss, Activation out, String kind) {
        return out.name().equals("softmax") || loss.name().startsWith("categorical") || kind.equals("onehot")
                || kind.equals("soft") ? 3 : 2;
    }

    /** The gradients of every parameter, copied. */
    static List<float[]> gradients(Network net) {
        List<float[]> g = new ArrayList<>();
        for (Parameter p : net.parameters()) g.add(p.grad().data().clone());
        return g;
    }

    /** Rows r of t, in that order, as a new tensor. */
    static Tensor rows(Tensor t, int... r) {
        Tensor out = Tensor.zeros(r.length, t.cols());
        for (int i = 0; i < r.length; i++) System.arraycopy(t.data(), r[i] * t.cols(), out.data(), i * t.cols(), t.cols());
        return out;
    }

    static Tensor weights(float... w) {
        return Tensor.wrap(w.length, 1, w.clone());
    }

    /**
     * Weights of 1 give the unweighted pass's bits, cost and every gradient: the weighted losses sum
     * the same terms in the same order (times 1.0), and delta[L]'s rows are multiplied by 1f.
     */
    @ParameterizedTest(name = "{0} on {1} output, {2} targets")
    @MethodSource("losses")
    void weightsOfOneGiveTheUnweightedBits(Loss loss, Activation out, String kind) {
        Random r = new Random(kind.hashCode() + 31L * loss.name().hashCode());
        int k = outputs(loss, out, kind), m = 7;
        Network net = net(loss, out, k, 5);
        Tensor x = GradientCheckTest.inputs(m, 3, r), y = GradientCheckTest.targets(kind, m, k, r);
        double plain = net.computeGradients(x, y);
        List<float[]> g = gradients(net);
        Tensor ones = Tensor.zeros(m, 1);
        ones.fill(1f);
        double weighted = net.computeGradients(x, y, ones);
        assertEquals(plain, weighted, 0.0, "cost");
        List<float[]> gw = gradients(net);
        for (int p = 0; p < g.size(); p++) assertArrayEquals(g.get(p), gw.get(p), 0f, net.parameters().get(p).name());
        assertEquals(loss.value(net.predict(x), y), loss.value(net.predict(x), y, ones), 0.0, "Loss.value with weights of 1");
    }

    /**
     * Weight 2 on a row equals the row twice, weight 0 on another equals any row at all: rows (a, b, c, d)
     * weighted (2, 1, 1, 0) against rows (a, b, c, a) unweighted, both batches of 4 rows so that both
     * divide by 4. Row a's delta[L] is exactly twice its delta (x 2 is exact in float, and BP2 is linear),
     * and row d's is 0: the per-layer deltas agree to the bit, but BP3 sums the rows in another order
     * (2 g_a + g_b + g_c + 0 against g_a + g_b + g_c + g_a), and the cost's double sum likewise, so the
     * gradients agree to float rounding (1e-6 relative to the largest) and the cost to 1e-12.
     */
    @ParameterizedTest(name = "{0} on {1} output, {2} targets")
    @MethodSource("losses")
    void weightTwoIsTheRowTwiceAndWeightZeroIsNoRow(Loss loss, Activation out, String kind) {
        Random r = new Random(kind.hashCode() + 17L * loss.name().hashCode());
        int k = outputs(loss, out, kind);
        Network net = net(loss, out, k, 9);
        Tensor x = GradientCheckTest.inputs(4, 3, r), y = GradientCheckTest.targets(kind, 4, k, r);
        double weightedCost = net.computeGradients(x, y, weights(2f, 1f, 1f, 0f));
        List<float[]> weighted = gradients(net);
        double duplicatedCost = net.computeGradients(rows(x, 0, 1, 2, 0), rows(y, 0, 1, 2, 0));
        List<float[]> duplicated = gradients(net);
        assertEquals(duplicatedCost, weightedCost, 1e-12 * Math.max(1, Math.abs(duplicatedCost)));
        assertClose(duplicated, weighted, 1e-6, net);
    }

    /**
     * A weight that takes a delta[L] element below Float.MIN_NORMAL leaves +0 there, not a subnormal
     * value for BP3's and BP2's products to crawl over (see org.bpnn.backend.Subnormals): with one row,
     * x = 1 and weight 1e-38, dW = delta^T x is that row's delta, (a - y) w, about 5e-39 unflushed.
     */
    @Test
    void aTinyWeightLeavesNoSubnormalDelta() {
        Network net = Network.builder(1).dense(2, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).seed(3).build();
        net.computeGradients(Tensor.of(new float[][] {{1f}}), Tensor.of(new float[][] {{0f, 1f}}), weights(1e-38f));
        for (Parameter p : net.parameters()) {
            for (float v : p.grad().data()) {
                assertEquals(0, Float.floatToRawIntBits(v), p.name() + "'s gradient " + v + ", expected +0");
            }
        }
    }

    /**
     * A row of weight 0 contributes exactly nothing: with another row's features and targets in its place
     * the cost and the gradients are the same bits (its delta[L] row is +-0, and adding 0 changes no sum).
     * Against the batch without the row, which divides by 3 instead of 4, they agree after that factor.
     */
    @ParameterizedTest(name = "{0} on {1} output, {2} targets")
    @MethodSource("losses")
    void aZeroWeightRowIsLeftOut(Loss loss, Activation out, String kind) {
        Random r = new Random(kind.hashCode() + 23L * loss.name().hashCode());
        int k = outputs(loss, out, kind);
        Network net = net(loss, out, k, 13);
        Tensor x = GradientCheckTest.inputs(4, 3, r), y = GradientCheckTest.targets(kind, 4, k, r);
        Tensor w = weights(1f, 0f, 1f, 1f);
        double cost = net.computeGradients(x, y, w);
        List<float[]> g = gradients(net);
        Tensor x2 = x.copy(), y2 = GradientCheckTest.targets(kind, 4, k, new Random(99));
        System.arraycopy(y.data(), 0, y2.data(), 0, k); // only row 1 differs
        System.arraycopy(y.data(), 2 * k, y2.data(), 2 * k, 2 * k);
        for (int j = 0; j < 3; j++) x2.set(1, j, 5f * (j + 1));
        assertEquals(cost, net.computeGradients(x2, y2, w), 0.0);
        List<float[]> g2 = gradients(net);
        for (int p = 0; p < g.size(); p++) assertArrayEquals(g.get(p), g2.get(p), 0f, net.parameters().get(p).name());
        double dropped = net.computeGradients(rows(x, 0, 2, 3), rows(y, 0, 2, 3));
        List<float[]> gd = gradients(net);
        assertEquals(dropped * 3, cost * 4, 1e-12 * Math.max(1, Math.abs(dropped)));
        for (float[] a : gd) for (int i = 0; i < a.length; i++) a[i] *= 3f / 4f;
        assertClose(gd, g, 1e-6, net);
    }

    /** Each element within rtol of the largest |gradient| of its parameter. */
    static void assertClose(List<float[]> expected, List<float[]> actual, double rtol, Network net) {
        for (int p = 0; p < expected.size(); p++) {
            float[] e = expected.get(p), a = actual.get(p);
            double scale = 1e-30;
            for (float v : e) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < e.length; i++) {
                assertEquals(e[i], a[i], rtol * scale, net.parameters().get(p).name() + "[" + i + "]");
            }
        }
    }

    /** The weights are checked: shape, and each finite and >= 0, naming the row. */
    @Test
    void badWeightsAreRefused() {
        Network net = net(Loss.mse(), Activation.identity(), 2, 1);
        Random r = new Random(3);
        Tensor x = GradientCheckTest.inputs(3, 3, r), y = GradientCheckTest.targets("real", 3, 2, r);
        String m = assertThrows(IllegalArgumentException.class, () -> net.computeGradients(x, y, Tensor.zeros(2, 1))).getMessage();
        assertTrue(m.contains("weights") && m.contains("(3, 1)"), m);
        for (float bad : new float[] {-1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            m = assertThrows(IllegalArgumentException.class, () -> net.computeGradients(x, y, weights(1f, bad, 1f))).getMessage();
            assertTrue(m.startsWith("the sample weight of row 1 is " + bad + "; sample weights must be finite and >= 0"), m);
        }
    }

    /** A custom loss gets Loss's default weighted value: sum_i w_i value(row i) / m, here checked against the built-in mse. */
    @Test
    void aCustomLossIsWeightedRowByRow() {
        Loss custom = new Loss() {
            @Override public String name() { return "custom_mse"; }
            @Override public double value(Tensor o, Tensor t) { return Loss.mse().value(o, t); }
            @Override public void gradient(Tensor o, Tensor t, Tensor g) { Loss.mse().gradient(o, t, g); }
            @Override public double valueDouble(double[] o, double[] t, int b, int k) { return Loss.mse().valueDouble(o, t, b, k); }
        };
        Random r = new Random(4);
        Tensor o = GradientCheckTest.inputs(5, 3, r), t = GradientCheckTest.targets("real", 5, 3, r);
        Tensor w = weights(0f, 1f, 2.5f, 0.5f, 3f);
        assertEquals(Loss.mse().value(o, t, w), custom.value(o, t, w), 1e-12);
        assertEquals(custom.value(o, t), custom.value(o, t, null), 0.0);
        Network net = Network.builder(3).dense(2, Activation.tanh()).dense(3, Activation.identity()).loss(custom).seed(2)
                .backend(backend()).build();
        GradientCheck.Result res = GradientCheck.check(net, GradientCheckTest.inputs(5, 3, r), t, w);
        assertTrue(res.passed(), res::toString);
    }
}
