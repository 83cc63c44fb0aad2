package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The seed note's network, 2 -> 3 -> 2 -> 2 with sigmoid everywhere and the L2 loss, with fixed
 * weights. The expected values are computed here by hand in the seed's own column notation
 * (z = W a + b, one sample at a time, BP1-BP3 written out), independently of the library's row-form
 * code, and compared with what the network computes.
 */
public class SeedExampleTest {
    protected Backend backend() {
        return ScalarBackend.INSTANCE;
    }

    // W[l][j][k] connects neuron k of layer l-1 to neuron j of layer l.
    public static final double[][] W1 = {{0.15, -0.20}, {0.25, 0.30}, {-0.40, 0.10}};
    public static final double[] B1 = {0.35, -0.10, 0.05};
    public static final double[][] W2 = {{0.40, -0.45, 0.50}, {0.55, 0.20, -0.30}};
    public static final double[] B2 = {0.60, -0.25};
    public static final double[][] W3 = {{-0.35, 0.70}, {0.45, 0.15}};
    public static final double[] B3 = {0.10, 0.20};
    public static final double[][] X = {{0.05, 0.10}, {0.90, -0.30}, {-0.50, 0.70}, {0.20, 0.20}};
    public static final double[][] Y = {{0.01, 0.99}, {1.0, 0.0}, {0.0, 1.0}, {0.5, 0.5}};

    static double sigmoid(double z) { return 1 / (1 + Math.exp(-z)); }

    /** z = W a + b. */
    static double[] affine(double[][] w, double[] a, double[] b) {
        double[] z = new double[w.length];
        for (int j = 0; j < w.length; j++) {
            z[j] = b[j];
            for (int k = 0; k < a.length; k++) z[j] += w[j][k] * a[k];
        }
        return z;
    }

    static double[] sig(double[] z) {
        double[] a = new double[z.length];
        for (int j = 0; j < z.length; j++) a[j] = sigmoid(z[j]);
        return a;
    }

    /** (W^T delta) (.) sigma'(z), with sigma'(z) = a (1 - a) for the sigmoid: BP2. */
    static double[] bp2(double[][] w, double[] delta, double[] a) {
        double[] out = new double[w[0].length];
        for (int k = 0; k < out.length; k++) {
            double s = 0;
            for (int j = 0; j < w.length; j++) s += w[j][k] * delta[j];
            out[k] = s * a[k] * (1 - a[k]);
        }
        return out;
    }

    /** Hand computation for samples [from, to): gradients averaged over them. Returns {dW1, db1, dW2, db2, dW3, db3} flattened, plus per-layer z, a, delta of sample 'from'. */
    public static double[][] hand(int from, int to) {
        int m = to - from;
        double[][] g = {new double[6], new double[3], new double[6], new double[2], new double[4], new double[2]};
        double[][] firstSample = null;
        for (int s = from; s < to; s++) {
            double[] a0 = X[s];
            double[] z1 = affine(W1, a0, B1), a1 = sig(z1);
            double[] z2 = affine(W2, a1, B2), a2 = sig(z2);
            double[] z3 = affine(W3, a2, B3), a3 = sig(z3);
            // Cost = (1/m) sum_i (1/k) sum_j (a3_j - y_j)^2 with k = 2 outputs, so dCost/da3 = (2/k)(a3 - y)/m.
            // BP1: delta3 = dCost/da3 (.) sigma'(z3)
            double[] d3 = new double[2];
            for (int j = 0; j < 2; j++) d3[j] = (2.0 / 2) * (a3[j] - Y[s][j]) / m * a3[j] * (1 - a3[j]);
            double[] d2 = bp2(W3, d3, a2);
            double[] d1 = bp2(W2, d2, a1);
            // BP3: dW = delta a^T, db = delta (summed over the batch; 1/m is already in delta)
            accumulate(g[0], d1, a0);
            add(g[1], d1);
            accumulate(g[2], d2, a1);
            add(g[3], d2);
            accumulate(g[4], d3, a2);
            add(g[5], d3);
            if (firstSample == null) firstSample = new double[][] {z1, a1, d1, z2, a2, d2, z3, a3, d3};
        }
        double[][] out = new double[g.length + 9][];
        System.arraycopy(g, 0, out, 0, g.length);
        System.arraycopy(firstSample, 0, out, g.length, 9);
        return out;
    }

    static void accumulate(double[] gw, double[] delta, double[] a) {
        for (int j = 0; j < delta.length; j++) for (int k = 0; k < a.length; k++) gw[j * a.length + k] += delta[j] * a[k];
    }

    static void add(double[] gb, double[] d) {
        for (int j = 0; j < d.length; j++) gb[j] += d[j];
    }

    Network seedNetwork() {
        Network net = Network.builder(2)
                .dense(3, Activation.sigmoid())
                .dense(2, Activation.sigmoid())
                .dense(2, Activation.sigmoid())
                .loss(Loss.mse())
                .backend(backend())
                .build();
        double[][][] ws = {W1, W2, W3};
        double[][] bs = {B1, B2, B3};
        for (int l = 0; l < 3; l++) {
            Dense d = (Dense) net.layers().get(l);
            for (int j = 0; j < ws[l].length; j++) {
                for (int k = 0; k < ws[l][j].length; k++) d.weight().value().set(j, k, (float) ws[l][j][k]);
                d.bias().value().set(0, j, (float) bs[l][j]);
            }
        }
        return net;
    }

    static Tensor rows(double[][] v, int from, int to) {
        Tensor t = Tensor.zeros(to - from, v[0].length);
        for (int i = from; i < to; i++) for (int j = 0; j < v[0].length; j++) t.set(i - from, j, (float) v[i][j]);
        return t;
    }

    private void compare(int from, int to) {
        Network net = seedNetwork();
        List<Network.LayerTrace> trace = net.trace(rows(X, from, to), rows(Y, from, to));
        double[][] h = hand(from, to);
        for (int l = 0; l < 3; l++) {
            Network.LayerTrace t = trace.get(l);
            assertClose(h[2 * l], t.gradients().get(0).data(), "dW[" + (l + 1) + "] samples " + from + ".." + (to - 1));
            assertClose(h[2 * l + 1], t.gradients().get(1).data(), "db[" + (l + 1) + "] samples " + from + ".." + (to - 1));
            // z, a, delta of the first sample of the batch (row 0)
            assertClose(h[6 + 3 * l], t.z().rowCopy(0), "z[" + (l + 1) + "]");
            assertClose(h[6 + 3 * l + 1], t.a().rowCopy(0), "a[" + (l + 1) + "]");
            assertClose(h[6 + 3 * l + 2], t.delta().rowCopy(0), "delta[" + (l + 1) + "]");
        }
    }

    static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 + 1e-5 * Math.abs(expected[i]), what + " element " + i);
        }
    }

    @Test
    void oneSampleMatchesTheHandComputation() {
        compare(0, 1);
    }

    @Test
    void batchOfFourMatchesTheHandComputation() {
        compare(0, 4);
    }

    @Test
    void gradientDescentStepIsBp4() {
        Network net = seedNetwork();
        float before = ((Dense) net.layers().get(0)).weight().value().get(1, 0);
        double[][] h = hand(0, 4);
        net.trainStep(rows(X, 0, 4), rows(Y, 0, 4), new org.bpnn.optim.Sgd(0.5));
        float after = ((Dense) net.layers().get(0)).weight().value().get(1, 0);
        // W <- W - alpha dL/dW for W1[2][1] (row 1, column 0), flattened index 1 * 2 + 0
        assertEquals(before - 0.5 * h[0][2], after, 1e-7);
    }

    /** The batch gradient is the mean of the per-sample gradients (the seed's bias formula divides by m twice). */
    @Test
    void batchGradientIsTheMeanOfPerSampleGradients() {
        Network net = seedNetwork();
        net.computeGradients(rows(X, 0, 4), rows(Y, 0, 4));
        int np = net.parameters().size();
        float[][] batch = new float[np][];
        for (int p = 0; p < np; p++) batch[p] = net.parameters().get(p).grad().data().clone();
        double[][] mean = new double[np][];
        for (int p = 0; p < np; p++) mean[p] = new double[batch[p].length];
        for (int s = 0; s < 4; s++) {
            net.computeGradients(rows(X, s, s + 1), rows(Y, s, s + 1));
            for (int p = 0; p < np; p++) {
                float[] g = net.parameters().get(p).grad().data();
                for (int i = 0; i < g.length; i++) mean[p][i] += g[i] / 4.0;
            }
        }
        for (int p = 0; p < np; p++) {
            assertClose(mean[p], batch[p], "batch vs mean of per-sample, " + net.parameters().get(p).name());
        }
    }
}
