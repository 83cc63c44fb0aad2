package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** XOR is not linearly separable: learning it proves the hidden layer and backpropagation work. */
public class XorTest {
    protected Backend backend() {
        return ScalarBackend.INSTANCE;
    }

    static final Tensor X = Tensor.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
    static final Tensor Y = Tensor.of(new float[][] {{0}, {1}, {1}, {0}});

    private void learns(Activation hidden, double lr) {
        Network net = Network.builder(2)
                .dense(4, hidden)
                .dense(1, Activation.sigmoid())
                .loss(Loss.binaryCrossEntropy())
                .seed(7)
                .backend(backend())
                .build();
        Sgd sgd = new Sgd(lr);
        double first = net.computeGradients(X, Y), cost = first;
        for (int epoch = 0; epoch < 3000; epoch++) {
            cost = net.trainStep(X, Y, sgd);
        }
        Tensor out = net.predict(X);
        int[] predicted = new int[4];
        for (int i = 0; i < 4; i++) predicted[i] = out.get(i, 0) > 0.5f ? 1 : 0;
        assertArrayEquals(new int[] {0, 1, 1, 0}, predicted, hidden + ": outputs " + out + ", cost " + cost);
        assertTrue(cost < 0.1 * first, hidden + ": cost fell only from " + first + " to " + cost);
    }

    @Test
    void sigmoidHiddenLayer() {
        learns(Activation.sigmoid(), 2.0);
    }

    @Test
    void tanhHiddenLayer() {
        learns(Activation.tanh(), 0.5);
    }

    @Test
    void softmaxOutputWithCrossEntropy() {
        Network net = Network.builder(2).dense(8, Activation.tanh()).dense(2, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(3).backend(backend()).build();
        Tensor y = Tensor.of(new float[][] {{1, 0}, {0, 1}, {0, 1}, {1, 0}});
        Sgd sgd = new Sgd(0.5);
        for (int epoch = 0; epoch < 2000; epoch++) net.trainStep(X, y, sgd);
        assertArrayEquals(new int[] {0, 1, 1, 0}, net.predictClasses(X));
    }
}
