package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.bpnn.train.Trainer;
import org.bpnn.train.TrainingHistory;
import org.junit.jupiter.api.Test;

/**
 * Sigmoid + binaryCrossEntropy() and softmax + categoricalCrossEntropy() report the cost computed from
 * the output layer's pre-activation z (the FromLogits formulas), in computeGradients, evaluateLoss and the
 * trainer's training and validation loss, weighted or not. It was computed from the float probabilities
 * a = sigma(z): a sigmoid output z = 20 with target 0 reported 27.6 (each element's cost clamped at
 * -log(1e-12)) where the true cost is 20, and a softmax output whose losing class's probability
 * underflowed reported 69.1 (log 1e-30) for a true 120. Loss.value on bare probabilities keeps the clamp.
 */
public class FusedCostFromPreActivationTest {
    protected Backend backend() {
        return ScalarBackend.INSTANCE;
    }

    /** -log(1 - sigmoid(z)) for target 0, in double: softplus(z). */
    private static double softplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    private static void assertRelative(double expected, double actual, double rtol, String what) {
        assertTrue(Math.abs(actual - expected) <= rtol * Math.abs(expected), what + ": expected " + expected + ", got " + actual);
    }

    /** One input, k outputs: z_j = w_j x + b_j with the given weights. */
    private Network oneInput(Activation out, Loss loss, float[] w, float[] b) {
        Network net = Network.builder(1).dense(w.length, out).loss(loss).seed(1).backend(backend()).build();
        System.arraycopy(w, 0, net.parameters().get(0).value().data(), 0, w.length);
        System.arraycopy(b, 0, net.parameters().get(1).value().data(), 0, b.length);
        return net;
    }

    /** The trainer's validation cost: predict into out and z, then lossOf. */
    private static double evaluate(Network net, Tensor x, Tensor y, Tensor w, Tensor out, Tensor z) {
        net.predict(x, out, z);
        return net.lossOf(out, z, y, w);
    }

    private static Tensor column(float... values) {
        return Tensor.wrap(values.length, 1, values.clone());
    }

    @Test
    void aSigmoidOutputAtZ20WithTarget0Costs20Not27point6() {
        Network net = oneInput(Activation.sigmoid(), Loss.binaryCrossEntropy(), new float[] {1f}, new float[] {0f});
        assertTrue(net.costFromPreActivation());
        Tensor x = column(20f, 20f), y = Tensor.zeros(2, 1);
        double expected = softplus(20); // 20.000000002
        assertRelative(expected, net.computeGradients(x, y), 1e-5, "computeGradients");
        assertRelative(expected, net.evaluateLoss(x, y), 1e-5, "evaluateLoss");
        // the gradient is still the fused a - y (over the batch of 2): sigmoid(20) rounds to 1 in float
        assertEquals(1f, net.parameters().get(1).grad().data()[0], 1e-6f);

        // sample weights on the same path: (2 l(20) + 0.5 l(25)) / 2 rows
        Tensor x2 = column(20f, 25f), w = column(2f, 0.5f);
        double weighted = (2 * softplus(20) + 0.5 * softplus(25)) / 2;
        assertRelative(weighted, net.computeGradients(x2, y, w), 1e-5, "weighted computeGradients");
        Tensor out = Tensor.zeros(2, 1), z = Tensor.zeros(2, 1);
        assertRelative(weighted, evaluate(net, x2, y, w, out, z), 1e-5, "weighted evaluateLoss");
        assertEquals(25f, z.data()[1], 0f); // z[L] as the output layer computed it
        assertEquals(1f, out.data()[1], 0f); // the outputs as predict gives them
    }

    @Test
    void theTrainersTrainingAndValidationLossesAreComputedFromZ() {
        Network net = oneInput(Activation.sigmoid(), Loss.binaryCrossEntropy(), new float[] {1f}, new float[] {0f});
        Dataset data = new Dataset(column(20f, 20f, 20f, 20f), Tensor.zeros(4, 1));
        float[] vw = {1f, 3f, 0f, 2f};
        Dataset validation = new Dataset(column(20f, 21f, 22f, 23f), Tensor.zeros(4, 1)).withSampleWeights(vw);
        // a step so small that z stays 20 to float precision (the gradient's entries are at most 20)
        TrainingHistory h = Trainer.builder().optimizer(new Sgd(1e-9)).epochs(1).batchSize(4).build()
                .fit(net, data, validation);
        assertRelative(softplus(20), h.trainLoss()[0], 1e-5, "training loss");
        double val = (softplus(20) + 3 * softplus(21) + 2 * softplus(23)) / 4;
        assertRelative(val, h.validationLoss()[0], 1e-5, "validation loss");
    }

    @Test
    void aSoftmaxOutputWithALargeLogitGapCostsTheGap() {
        // z = (x, 0, 0): class 0 wins by x
        Network net = oneInput(Activation.softmax(), Loss.categoricalCrossEntropy(), new float[] {1f, 0f, 0f},
                new float[] {0f, 0f, 0f});
        assertTrue(net.costFromPreActivation());
        Tensor x = column(120f, 120f), losing = Tensor.zeros(2, 3);
        losing.data()[1] = 1f;
        losing.data()[3 + 2] = 1f;
        double lse120 = 120 + Math.log1p(2 * Math.exp(-120));
        assertRelative(lse120, net.computeGradients(x, losing), 1e-6, "losing class, computeGradients"); // was 69.08
        assertRelative(lse120, net.evaluateLoss(x, losing), 1e-6, "losing class, evaluateLoss");

        // the winning class by 20: log(1 + 2 e^-20) = 4.1e-9, where a rounds to 1 in float and gave 0
        Tensor x20 = column(20f, 20f), winning = Tensor.zeros(2, 3);
        winning.data()[0] = 1f;
        winning.data()[3] = 1f;
        double small = Math.log1p(2 * Math.exp(-20));
        assertRelative(small, net.computeGradients(x20, winning), 1e-5, "winning class, computeGradients");
        assertRelative(small, net.evaluateLoss(x20, winning), 1e-5, "winning class, evaluateLoss");

        // weighted: row 0 (losing, z0 = 120) weight 0.5, row 1 (winning by 20) weight 3
        Tensor mixed = Tensor.zeros(2, 3), xm = column(120f, 20f), w = column(0.5f, 3f);
        mixed.data()[1] = 1f;
        mixed.data()[3] = 1f;
        double weighted = (0.5 * lse120 + 3 * small) / 2;
        assertRelative(weighted, net.computeGradients(xm, mixed, w), 1e-6, "weighted computeGradients");
        assertRelative(weighted, evaluate(net, xm, mixed, w, Tensor.zeros(2, 3), Tensor.zeros(2, 3)), 1e-6,
                "weighted evaluateLoss");
    }

    /** Unsaturated outputs: the cost from z is the cost from a, to float rounding, weighted or not. */
    @Test
    void unsaturatedCostsAreThoseFromTheProbabilities() {
        Random r = new Random(7);
        int m = 300; // more than one predict chunk (256 rows), and a last chunk of 44
        Tensor x = Tensor.zeros(m, 2), soft = Tensor.zeros(m, 3), oneHot = Tensor.zeros(m, 3), multi = Tensor.zeros(m, 3);
        Tensor w = Tensor.zeros(m, 1);
        for (int i = 0; i < m; i++) {
            x.data()[2 * i] = (float) r.nextGaussian();
            x.data()[2 * i + 1] = (float) r.nextGaussian();
            w.data()[i] = r.nextFloat() * 2;
            float a = r.nextFloat(), b = r.nextFloat() * (1 - a);
            soft.data()[3 * i] = a;
            soft.data()[3 * i + 1] = b;
            soft.data()[3 * i + 2] = 1 - a - b;
            oneHot.data()[3 * i + r.nextInt(3)] = 1f;
            for (int j = 0; j < 3; j++) multi.data()[3 * i + j] = r.nextBoolean() ? 1f : 0f;
        }
        Object[][] cases = {
            {Activation.softmax(), Loss.categoricalCrossEntropy(), oneHot},
            {Activation.softmax(), Loss.categoricalCrossEntropy(), soft},
            {Activation.sigmoid(), Loss.binaryCrossEntropy(), multi},
            {Activation.sigmoid(), Loss.binaryCrossEntropy(), soft},
        };
        for (Object[] c : cases) {
            Loss loss = (Loss) c[1];
            Tensor y = (Tensor) c[2];
            Network net = Network.builder(2).dense(8, Activation.tanh()).dense(3, (Activation) c[0]).loss(loss).seed(3)
                    .backend(backend()).build();
            Tensor a = net.predict(x);
            String what = loss + " on " + (y == oneHot ? "one-hot" : y == soft ? "soft" : "multi-hot") + " targets";
            assertRelative(loss.value(a, y), net.computeGradients(x, y), 1e-6, what);
            assertRelative(loss.value(a, y, w), net.computeGradients(x, y, w), 1e-6, what + ", weighted");
            assertRelative(loss.value(a, y), net.evaluateLoss(x, y), 1e-6, what + ", evaluateLoss");
            Tensor out = Tensor.zeros(m, 3);
            assertRelative(loss.value(a, y, w), evaluate(net, x, y, w, out, Tensor.zeros(m, 3)), 1e-6,
                    what + ", weighted evaluateLoss");
            assertEquals(java.util.Arrays.toString(a.data()), java.util.Arrays.toString(out.data()), what + ": outputs");
        }
    }

    /**
     * The softmax's fused cost takes log S from the probabilities (log1p of the others over the top one)
     * instead of k exps a row: it must still be the FromLogits value on z, to the probabilities' rounding,
     * from logits within 0.01 of each other to 80 apart, for one-hot, soft and weighted targets. The
     * probabilities are the backend's softmax (bpnn-simd's subclass: its own, which rounds otherwise).
     */
    @Test
    void theSoftmaxsFusedCostIsTheLogitsLossOnZ() {
        Random r = new Random(11);
        Loss fused = Loss.categoricalCrossEntropy(), onZ = Loss.categoricalCrossEntropyFromLogits();
        for (double scale : new double[] {0.01, 1, 5, 20, 80}) {
            for (int k : new int[] {2, 3, 10, 17}) {
                int m = 9;
                Tensor z = Tensor.zeros(m, k), a = Tensor.zeros(m, k), y = Tensor.zeros(m, k), w = Tensor.zeros(m, 1);
                for (int i = 0; i < m * k; i++) z.data()[i] = (float) (scale * r.nextGaussian());
                backend().softmaxRows(m, k, z.data(), 0, k, a.data(), 0, k);
                for (int i = 0; i < m; i++) {
                    if (i % 3 == 2) { // a soft target
                        y.data()[i * k] = 0.25f;
                        y.data()[i * k + k - 1] = 0.75f;
                    } else {
                        y.data()[i * k + r.nextInt(k)] = 1f;
                    }
                    w.data()[i] = r.nextFloat() * 2;
                }
                String what = "scale " + scale + ", " + k + " classes";
                assertRelative(onZ.value(z, y), fused.fusedValue(z, a, y, null), 1e-6, what);
                assertRelative(onZ.value(z, y, w), fused.fusedValue(z, a, y, w), 1e-6, what + ", weighted");
            }
        }
    }

    @Test
    void bareProbabilitiesKeepTheClampedFormula() {
        Tensor one = Tensor.wrap(1, 1, new float[] {1f}), zero = Tensor.zeros(1, 1);
        assertEquals(-Math.log(1 - (1 - 1e-12)), Loss.binaryCrossEntropy().value(one, zero), 1e-12); // 27.6
        assertEquals(20 + Math.log1p(Math.exp(-20)),
                Loss.binaryCrossEntropy().fusedValue(Tensor.wrap(1, 1, new float[] {20f}), one, zero, null), 1e-12);
        // a custom loss's fusedValue is its value on the outputs; the regression losses have no fused form
        assertEquals(1.0, Loss.mse().fusedValue(Tensor.zeros(1, 1), one, zero, null), 0);
    }

    @Test
    void onlyADenseOutputWithAFusedLossTakesThePath() {
        assertFalse(oneInput(Activation.identity(), Loss.binaryCrossEntropyFromLogits(), new float[] {1f}, new float[] {0f})
                .costFromPreActivation());
        assertFalse(oneInput(Activation.sigmoid(), Loss.mse(), new float[] {1f}, new float[] {0f}).costFromPreActivation());
        Network net = oneInput(Activation.sigmoid(), Loss.binaryCrossEntropy(), new float[] {1f}, new float[] {0f});
        Tensor x = column(1f, 2f), y = Tensor.zeros(2, 1), out = Tensor.zeros(2, 1);
        net.predict(x, out, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.lossOf(out, null, y, null));
        assertEquals("preActivation is null; this network's cost is computed from its output layer's pre-activation"
                + " (costFromPreActivation()): predict with predict(x, out, preActivation) and pass the same"
                + " preActivation here", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> net.predict(x, out, out));
        Network mse = oneInput(Activation.sigmoid(), Loss.mse(), new float[] {1f}, new float[] {0f});
        e = assertThrows(IllegalArgumentException.class, () -> mse.predict(x, out, Tensor.zeros(2, 1)));
        assertEquals("preActivation is given, but this network's cost is computed from its outputs (costFromPreActivation()"
                + " is false: mse does not fuse with a dense output layer's sigmoid); pass null", e.getMessage());
    }

    /** A custom output layer that applies the sigmoid to its input: the loss fuses with it, but it keeps no z. */
    private static final class SigmoidLayer implements Layer {
        @Override public int inputSize() { return 1; }
        @Override public int outputSize() { return 1; }
        @Override public java.util.List<Parameter> parameters() { return java.util.List.of(); }
        @Override public Activation activation() { return Activation.sigmoid(); }
        @Override public void forward(Backend b, Tensor x, Tensor y, Tensor s, boolean training) {
            for (int i = 0; i < x.size(); i++) y.data()[i] = (float) (1 / (1 + Math.exp(-x.data()[i])));
        }
        @Override public void backward(Backend b, Tensor x, Tensor y, Tensor dy, boolean d, Tensor dx, Tensor s) {
            if (dx != null) dx.copyFrom(dy);
        }
        @Override public double[] forwardDouble(double[][] p, double[] x, int batch) {
            double[] a = new double[x.length];
            for (int i = 0; i < x.length; i++) a[i] = 1 / (1 + Math.exp(-x[i]));
            return a;
        }
        @Override public String toString() { return "SigmoidLayer"; }
    }

    @Test
    void aFusedCustomOutputLayerIsRefusedForWhatItIs() {
        // the loss fuses with the layer's sigmoid (usesFusedOutputDelta), but the layer is no Dense, so its
        // z is not kept: the refusal said "binary_cross_entropy does not fuse with a dense output layer's
        // sigmoid", which is false and named nothing to change
        Network net = Network.builder(1).dense(1, Activation.identity()).layer(new SigmoidLayer())
                .loss(Loss.binaryCrossEntropy()).seed(1).backend(backend()).build();
        assertTrue(net.usesFusedOutputDelta());
        assertFalse(net.costFromPreActivation());
        Tensor x = column(1f, 2f), out = Tensor.zeros(2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.predict(x, out, Tensor.zeros(2, 1)));
        assertEquals("preActivation is given, but this network's cost is computed from its outputs (costFromPreActivation()"
                + " is false: the output layer SigmoidLayer is not a Dense, the one layer known to keep z[L]); pass null",
                e.getMessage());
        net.predict(x, out, null);
        assertEquals(net.evaluateLoss(x, Tensor.zeros(2, 1)), net.lossOf(out, null, Tensor.zeros(2, 1), null));
    }
}
