package org.bpnn.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimiser drives a small regression (y = sin(x1) + x2^2 / 2) and a small 3-class
 * classification (three Gaussian blobs) below a loss threshold, full batch. Subclasses rerun it on
 * another backend.
 */
public class OptimizerConvergenceTest {
    protected Backend backend() {
        return ScalarBackend.INSTANCE;
    }

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("sgd", (Supplier<Optimizer>) () -> new Sgd(0.3)),
                Arguments.of("momentum", (Supplier<Optimizer>) () -> new Momentum(0.05, 0.9)),
                Arguments.of("nesterov", (Supplier<Optimizer>) () -> Momentum.nesterov(0.05, 0.9)),
                Arguments.of("adam", (Supplier<Optimizer>) () -> new Adam(0.01)),
                Arguments.of("adamw", (Supplier<Optimizer>) () -> new AdamW(0.01, 0.01)),
                Arguments.of("rmsprop", (Supplier<Optimizer>) () -> new RmsProp(0.005)),
                Arguments.of("adagrad", (Supplier<Optimizer>) () -> new AdaGrad(0.1)));
    }

    static Tensor[] regression() {
        Random r = new Random(1);
        int m = 64;
        Tensor x = Tensor.zeros(m, 2), y = Tensor.zeros(m, 1);
        for (int i = 0; i < m; i++) {
            float a = (float) (r.nextDouble() * 2 - 1), b = (float) (r.nextDouble() * 2 - 1);
            x.set(i, 0, a);
            x.set(i, 1, b);
            y.set(i, 0, (float) (Math.sin(2 * a) + b * b / 2));
        }
        return new Tensor[] {x, y};
    }

    static Tensor[] blobs() {
        Random r = new Random(2);
        int m = 90;
        double[][] centres = {{1, 1}, {-1, 1}, {0, -1}};
        Tensor x = Tensor.zeros(m, 2), y = Tensor.zeros(m, 3);
        for (int i = 0; i < m; i++) {
            int c = i % 3;
            x.set(i, 0, (float) (centres[c][0] + 0.35 * r.nextGaussian()));
            x.set(i, 1, (float) (centres[c][1] + 0.35 * r.nextGaussian()));
            y.set(i, c, 1);
        }
        return new Tensor[] {x, y};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void regressionConverges(String name, Supplier<Optimizer> make) {
        Tensor[] d = regression();
        Network net = Network.builder(2).dense(16, Activation.tanh()).dense(1, Activation.identity())
                .loss(Loss.mse()).seed(3).backend(backend()).build();
        Optimizer opt = make.get();
        double first = net.evaluateLoss(d[0], d[1]);
        for (int i = 0; i < 400; i++) net.trainStep(d[0], d[1], opt);
        double last = net.evaluateLoss(d[0], d[1]);
        assertTrue(last < 0.02 && last < first / 5, name + ": mse " + first + " -> " + last);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void classificationConverges(String name, Supplier<Optimizer> make) {
        Tensor[] d = blobs();
        Network net = Network.builder(2).dense(8, Activation.relu()).dense(3, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(4).backend(backend()).build();
        Optimizer opt = make.get();
        double first = net.evaluateLoss(d[0], d[1]);
        for (int i = 0; i < 300; i++) net.trainStep(d[0], d[1], opt);
        double last = net.evaluateLoss(d[0], d[1]);
        assertTrue(last < 0.15, name + ": cross-entropy " + first + " -> " + last);
    }
}
