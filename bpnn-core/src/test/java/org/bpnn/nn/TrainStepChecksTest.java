package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * trainStep's promises on a one-weight network a = w x + b with MSE, whose numbers are worked by hand:
 * it returns the cost before the step, refuses a non-finite gradient before touching the weights
 * (also when the cost is finite), and refuses an update that overflowed a weight.
 */
class TrainStepChecksTest {
    private static Network line(float w, float b) {
        return Network.builder(1).dense(1, Activation.identity()).loss(Loss.mse()).backend(ScalarBackend.INSTANCE)
                .buildWrapping(new float[][] {{w}, {b}});
    }

    private static final Tensor X = Tensor.wrap(1, 1, new float[] {1f});
    private static final Tensor Y = Tensor.wrap(1, 1, new float[] {0f});

    @Test
    void returnsTheCostBeforeTheStep() {
        Network net = line(1f, 0f);
        // a = 1, y = 0: cost (a - y)^2 = 1; dW = db = 2, so w = 1 - 0.25 * 2 = 0.5 and b = -0.5
        assertEquals(1.0, net.trainStep(X, Y, new Sgd(0.25)));
        assertEquals(0.5f, net.parameters().get(0).value().data()[0]);
        assertEquals(-0.5f, net.parameters().get(1).value().data()[0]);
        assertEquals(0.0, net.trainStep(X, Y, new Sgd(0.25))); // a = 0.5 - 0.5 = 0
    }

    @Test
    void anInfiniteGradientOfAFiniteCostLeavesTheWeightsAlone() {
        // a = 3e38 is a float, its cost 9e76 a finite double, but dL/da = 2a = 6e38 overflows float
        Network net = line(3e38f, 0f);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.trainStep(X, Y, new Sgd(0.1)));
        assertTrue(e.getMessage().startsWith("trainStep: the gradient of dense1.W is Infinity at (0, 0)"), e.getMessage());
        // no update: it would have made w -Infinity
        assertEquals(3e38f, net.parameters().get(0).value().data()[0]);
        assertEquals(0f, net.parameters().get(1).value().data()[0]);
        assertEquals("", net.firstNonFiniteParameter());
    }

    @Test
    void anUpdateThatOverflowsIsRefused() {
        // finite gradients (2, 2), but a learning rate of 3e38 takes w and b to 1 - 6e38 and -6e38: -Infinity
        Network net = line(1f, 0f);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.trainStep(X, Y, new Sgd(3e38)));
        assertTrue(e.getMessage().startsWith("trainStep: the update overflowed: parameter dense1.W is -Infinity at (0, 0)"),
                e.getMessage());
        assertEquals("dense1.W", net.firstNonFiniteParameter());
    }

    @Test
    void firstNonFiniteParameterNamesTheFirst() {
        Network net = Network.builder(2).dense(3, Activation.tanh()).dense(1, Activation.sigmoid()).loss(Loss.mse())
                .backend(ScalarBackend.INSTANCE).build();
        assertEquals("", net.firstNonFiniteParameter());
        net.parameters().get(3).value().data()[0] = Float.NaN; // dense2.b, at index 0
        assertEquals("dense2.b", net.firstNonFiniteParameter());
        net.parameters().get(1).value().data()[2] = Float.NEGATIVE_INFINITY; // dense1.b
        assertEquals("dense1.b", net.firstNonFiniteParameter());
    }
}
