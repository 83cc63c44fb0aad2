package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Inverted dropout: identity at inference, keeps 1 - p of the units scaled by 1 / (1 - p) in training. */
public class DropoutTest {
    protected Backend backend() {
        return ScalarBackend.INSTANCE;
    }

    static Tensor ones(int m, int n) {
        Tensor t = Tensor.zeros(m, n);
        t.fill(1f);
        return t;
    }

    @Test
    void aRateThatRoundsToOneIsRefused() {
        // 0.99999999 < 1 was accepted, but the layer keeps p as a float, 1.0f: every unit was dropped
        String m = assertThrows(IllegalArgumentException.class, () -> new Dropout("d", 3, 0.99999999, 1)).getMessage();
        assertTrue(m.contains("dropout rate must be in [0, 1), got 0.99999999"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Network.builder(3).dropout(0.99999999)).getMessage();
        assertTrue(m.contains("dropout rate must be in [0, 1), got 0.99999999"), m);
        new Dropout("d", 3, 0.9999, 1);
    }

    @Test
    void inferenceIsTheIdentity() {
        Dropout d = new Dropout("d", 5, 0.5, 1);
        Tensor x = GradientCheckTest.inputs(3, 5, new Random(1)), y = Tensor.zeros(3, 5);
        long before = d.rngState();
        d.forward(backend(), x, y, null, false);
        assertEquals(x, y);
        assertEquals(before, d.rngState(), "inference must not draw random numbers");
    }

    @Test
    void trainingKeepsTheExpectedFractionAndScales() {
        double p = 0.3;
        Dropout d = new Dropout("d", 1000, p, 7);
        Tensor x = ones(20, 1000), y = Tensor.zeros(20, 1000), mask = Tensor.zeros(20, 1000);
        d.forward(backend(), x, y, mask, true);
        int kept = 0;
        float scale = (float) (1 / (1 - p));
        for (float v : y.data()) {
            if (v != 0f) {
                kept++;
                assertEquals(scale, v, 0f, "kept units are scaled by 1/(1-p)");
            }
        }
        double fraction = kept / 20000.0;
        // 20000 Bernoulli(0.7) draws: sd = sqrt(0.21 / 20000) ~ 0.0032; 5 sd
        assertEquals(1 - p, fraction, 0.016, "kept fraction");
        double mean = 0;
        for (float v : y.data()) mean += v;
        assertEquals(1.0, mean / 20000, 0.025, "the expected activation is unchanged");
    }

    @Test
    void backwardUsesTheSameMask() {
        Dropout d = new Dropout("d", 6, 0.5, 3);
        Tensor x = GradientCheckTest.inputs(4, 6, new Random(2)), y = Tensor.zeros(4, 6), mask = Tensor.zeros(4, 6);
        d.forward(backend(), x, y, mask, true);
        Tensor dy = ones(4, 6), dx = Tensor.zeros(4, 6);
        d.backward(backend(), x, y, dy, false, dx, mask);
        for (int i = 0; i < 24; i++) {
            assertEquals(y.data()[i] == 0f ? 0f : 2f, dx.data()[i], 0f);
        }
    }

    @Test
    void sameSeedSameMasks() {
        Tensor x = ones(3, 8);
        Tensor y1 = Tensor.zeros(3, 8), y2 = Tensor.zeros(3, 8), m = Tensor.zeros(3, 8);
        new Dropout("a", 8, 0.5, 9).forward(backend(), x, y1, m, true);
        new Dropout("b", 8, 0.5, 9).forward(backend(), x, y2, m, true);
        assertEquals(y1, y2);
        Tensor y3 = Tensor.zeros(3, 8);
        new Dropout("c", 8, 0.5, 10).forward(backend(), x, y3, m, true);
        assertNotEquals(y1, y3);
    }

    static Network net(double rate, Backend backend) {
        return Network.builder(4).dense(6, Activation.tanh()).dropout(rate).dense(5, Activation.sigmoid()).dropout(rate)
                .dense(3, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).seed(21).backend(backend).build();
    }

    @Test
    void gradientCheckPassesWithRateZero() {
        Random r = new Random(5);
        Network net = net(0.0, backend());
        GradientCheckTest.randomBiases(net, r);
        GradientCheck.Result res = GradientCheck.check(net, GradientCheckTest.inputs(5, 4, r),
                GradientCheckTest.targets("onehot", 5, 3, r));
        assertTrue(res.passed(), res::toString);
    }

    @Test
    void gradientCheckPassesWhenDisabledAndIsRefusedWhenDropping() {
        Random r = new Random(6);
        Network net = net(0.5, backend());
        GradientCheckTest.randomBiases(net, r);
        Tensor x = GradientCheckTest.inputs(5, 4, r), y = GradientCheckTest.targets("onehot", 5, 3, r);
        // an active mask is not the inference function: the check returned "FAILED ... worst at dense1.W[..]",
        // blaming a weight, and drew a mask (moving the layer's generator, so later training changed)
        long rngBefore = ((Dropout) net.layers().get(1)).rngState();
        String m = assertThrows(IllegalArgumentException.class, () -> GradientCheck.check(net, x, y)).getMessage();
        assertTrue(m.contains("layer dropout2 is a Dropout(0.5) that drops units") && m.contains("setEnabled(false)"), m);
        assertEquals(rngBefore, ((Dropout) net.layers().get(1)).rngState());
        for (Layer l : net.layers()) {
            if (l instanceof Dropout d) d.setEnabled(false);
        }
        GradientCheck.Result res = GradientCheck.check(net, x, y);
        assertTrue(res.passed(), res::toString);
    }

    @Test
    void builderKeepsTheDenseInitialisationAndPrintsDropout() {
        Network with = net(0.25, backend());
        Network without = Network.builder(4).dense(6, Activation.tanh()).dense(5, Activation.sigmoid())
                .dense(3, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).seed(21).backend(backend()).build();
        assertEquals(ParameterSnapshot.of(without), ParameterSnapshot.of(with));
        assertTrue(with.toString().contains(".dropout(0.25)"), with.toString());
        assertEquals(5, with.layers().size());
        // inference ignores dropout
        Tensor x = GradientCheckTest.inputs(3, 4, new Random(3));
        assertArrayEquals(without.predict(x).data(), with.predict(x).data(), 0f);
    }

    @Test
    void invalidRatesAndPositionsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Network.builder(2).dropout(1.0));
        assertTrue(e.getMessage().contains("dropout rate must be in [0, 1), got 1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Network.builder(2).dense(2, Activation.relu()).dropout(0.5).loss(Loss.mse()).build());
        assertTrue(e.getMessage().contains("cannot be the output layer"), e.getMessage());
    }
}
