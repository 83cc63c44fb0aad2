package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every hidden activation x every loss (with each output activation it is used with) x a multi-layer
 * network, on random shapes and seeds: the analytic backward pass must match double-precision
 * finite differences. Subclasses run the same checks on another backend.
 */
public class GradientCheckTest {

    /** The backend under test; the scalar reference by default. */
    protected Backend backend() {
        return ScalarBackend.INSTANCE;
    }

    static final Activation[] HIDDEN = {
        Activation.identity(), Activation.sigmoid(), Activation.tanh(), Activation.relu(), Activation.leakyRelu(0.1f)
    };

    /** (loss, output activation, kind of target) */
    static Stream<Arguments> lossesWithOutputs() {
        List<Arguments> list = new ArrayList<>();
        for (Activation out : new Activation[] {Activation.identity(), Activation.tanh(), Activation.sigmoid(), Activation.softmax()}) {
            list.add(Arguments.of(Loss.mse(), out, "real"));
            list.add(Arguments.of(Loss.mae(), out, "real"));
            list.add(Arguments.of(Loss.huber(0.3), out, "real"));
        }
        list.add(Arguments.of(Loss.binaryCrossEntropy(), Activation.sigmoid(), "binary"));   // fused
        list.add(Arguments.of(Loss.binaryCrossEntropy(), Activation.softmax(), "binary"));   // Jacobian path
        list.add(Arguments.of(Loss.binaryCrossEntropyFromLogits(), Activation.identity(), "binary"));
        list.add(Arguments.of(Loss.categoricalCrossEntropy(), Activation.softmax(), "onehot")); // fused
        list.add(Arguments.of(Loss.categoricalCrossEntropy(), Activation.softmax(), "soft"));   // fused, soft labels
        list.add(Arguments.of(Loss.categoricalCrossEntropy(), Activation.sigmoid(), "onehot")); // not fused
        list.add(Arguments.of(Loss.categoricalCrossEntropyFromLogits(), Activation.identity(), "onehot"));
        list.add(Arguments.of(Loss.categoricalCrossEntropyFromLogits(), Activation.identity(), "soft"));
        return list.stream();
    }

    static Tensor targets(String kind, int m, int k, Random r) {
        Tensor y = Tensor.zeros(m, k);
        for (int i = 0; i < m; i++) {
            double sum = 0;
            int hot = r.nextInt(k);
            for (int j = 0; j < k; j++) {
                float v;
                switch (kind) {
                    case "real": v = (float) (0.5 * r.nextGaussian()); break;
                    case "binary": v = r.nextBoolean() ? 1f : 0f; break;
                    case "onehot": v = j == hot ? 1f : 0f; break;
                    default: v = (float) r.nextDouble(); sum += v; break;
                }
                y.set(i, j, v);
            }
            if (kind.equals("soft")) {
                for (int j = 0; j < k; j++) y.set(i, j, (float) (y.get(i, j) / sum));
            }
        }
        return y;
    }

    /**
     * Biases start at zero; behind a dead ReLU unit that puts z exactly on ReLU's kink, where the
     * derivative is one-sided and no finite difference can agree. Random biases move the check to a
     * generic point.
     */
    static void randomBiases(Network net, Random r) {
        for (Parameter p : net.parameters()) {
            if (!p.decays()) {
                for (int i = 0; i < p.size(); i++) p.value().data()[i] = (float) (r.nextDouble() - 0.5);
            }
        }
    }

    static Tensor inputs(int m, int n, Random r) {
        Tensor x = Tensor.zeros(m, n);
        for (int i = 0; i < x.size(); i++) x.data()[i] = (float) r.nextGaussian();
        return x;
    }

    @ParameterizedTest(name = "{0} on {1} output, {2} targets")
    @MethodSource("lossesWithOutputs")
    void everyHiddenActivationWithEveryLoss(Loss loss, Activation outAct, String kind) {
        Random r = new Random(loss.name().hashCode() * 31L + outAct.name().hashCode());
        for (Activation hidden : HIDDEN) {
            int in = 1 + r.nextInt(6), h1 = 1 + r.nextInt(7), h2 = 1 + r.nextInt(5);
            int out = kind.equals("real") || kind.equals("binary") ? 1 + r.nextInt(4) : 2 + r.nextInt(4);
            if (outAct.name().equals("softmax")) out = Math.max(2, out); // a 1-unit softmax is refused (constant 1)
            int m = 1 + r.nextInt(6);
            Network net = Network.builder(in)
                    .dense(h1, hidden)
                    .dense(h2, hidden)
                    .dense(out, outAct)
                    .loss(loss)
                    .seed(r.nextLong())
                    .backend(backend())
                    .build();
            randomBiases(net, r);
            Tensor x = inputs(m, in, r);
            Tensor y = targets(kind, m, out, r);
            GradientCheck.Result res = GradientCheck.check(net, x, y);
            assertTrue(res.passed(), () -> hidden + " hidden, " + net.layers() + ", " + loss + ": " + res);
        }
    }

    @Test
    void deeperAndWiderNetwork() {
        Random r = new Random(11);
        Network net = Network.builder(13)
                .dense(17, Activation.tanh())
                .dense(9, Activation.relu())
                .dense(8, Activation.sigmoid())
                .dense(5, Activation.leakyRelu(0.2f))
                .dense(4, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy())
                .seed(5)
                .backend(backend())
                .build();
        GradientCheck.Result res = GradientCheck.check(net, inputs(7, 13, r), targets("onehot", 7, 4, r));
        assertTrue(res.passed(), res::toString);
        assertTrue(res.checked() > 500, "checked " + res.checked());
    }

    /** The checker itself must be able to fail: a corrupted analytic gradient is caught. */
    @Test
    void checkerCatchesAWrongGradient() {
        Random r = new Random(12);
        Layer broken = new BrokenDense(new Dense("d1", 3, 4, Activation.tanh(), null, new Random(1)));
        Network net = Network.builder(3).layer(broken).dense(2, Activation.identity())
                .loss(Loss.mse()).backend(backend()).build();
        GradientCheck.Result res = GradientCheck.check(net, inputs(3, 3, r), targets("real", 3, 2, r));
        assertFalse(res.passed(), res::toString);
    }

    /** A dense layer whose bias gradient is off by a factor of 2, as a double-averaged one would be. */
    private static final class BrokenDense implements Layer {
        private final Dense d;

        BrokenDense(Dense d) { this.d = d; }

        @Override public int inputSize() { return d.inputSize(); }
        @Override public int outputSize() { return d.outputSize(); }
        @Override public List<Parameter> parameters() { return d.parameters(); }
        @Override public Activation activation() { return d.activation(); }
        @Override public int scratchColumns() { return d.scratchColumns(); }

        @Override
        public void forward(Backend be, Tensor x, Tensor y, Tensor s, boolean training) {
            d.forward(be, x, y, s, training);
        }

        @Override
        public void backward(Backend be, Tensor x, Tensor y, Tensor dy, boolean isDelta, Tensor dx, Tensor s) {
            d.backward(be, x, y, dy, isDelta, dx, s);
            be.scale(d.bias().size(), 0.5f, d.bias().grad().data(), 0);
        }

        @Override
        public double[] forwardDouble(double[][] p, double[] x, int batch) {
            return d.forwardDouble(p, x, batch);
        }
    }
}
