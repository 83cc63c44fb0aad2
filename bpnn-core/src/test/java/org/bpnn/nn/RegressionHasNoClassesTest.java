package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * predictClasses and classesOf refuse a regression network, as Trainer refuses class metrics on it and
 * predictProbabilities refuses its outputs: they thresholded a regression's one output at 0.5 (a
 * predicted price of 0.94 was "class 1") or took the argmax of several values, without a word.
 */
class RegressionHasNoClassesTest {
    private static Network net(int outputs, Activation out, Loss loss) {
        return Network.builder(2).dense(outputs, out).loss(loss).seed(1).backend(ScalarBackend.INSTANCE).build();
    }

    @Test
    void aRegressionNetworkHasNoClasses() {
        Tensor x = Tensor.row(3f, 4f);
        for (Network reg : new Network[] {net(1, Activation.identity(), Loss.mse()), net(3, Activation.relu(), Loss.mae()),
                net(2, Activation.tanh(), Loss.huber(1))}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> reg.predictClasses(x), reg.toString());
            assertTrue(e.getMessage().startsWith("the network's loss is " + reg.loss().name() + " and its output layer applies "
                    + reg.layers().get(0).activation().name() + ", so its outputs are values"), e.getMessage());
            assertTrue(e.getMessage().contains("use predict(x)"), e.getMessage());
            assertEquals(e.getMessage(), assertThrows(IllegalStateException.class, () -> reg.classesOf(reg.predict(x))).getMessage());
            assertTrue(!reg.outputsClasses(), reg.toString());
        }
    }

    @Test
    void theInputIsCheckedFirst() {
        Network reg = net(1, Activation.identity(), Loss.mse());
        assertThrows(IllegalArgumentException.class, () -> reg.predictClasses(Tensor.zeros(1, 3)));
        assertThrows(IllegalArgumentException.class, () -> reg.classesOf(Tensor.zeros(1, 2)));
    }

    @Test
    void anMseNetworkWithASigmoidOrSoftmaxOutputIsAClassifier() {
        // mse on one sigmoid output (./bpnn seed's network has two): a classifier by its output layer
        Network sigmoidMse = net(1, Activation.sigmoid(), Loss.mse());
        sigmoidMse.parameters().get(0).value().data()[0] = 1f;
        sigmoidMse.parameters().get(0).value().data()[1] = 0f;
        assertArrayEquals(new int[] {0, 1}, sigmoidMse.predictClasses(Tensor.of(new float[][] {{-1f, 0f}, {1f, 0f}})));
        assertEquals(1, net(3, Activation.softmax(), Loss.mse()).predictClasses(Tensor.row(1f, 2f)).length);
        assertTrue(sigmoidMse.outputsClasses() && net(3, Activation.softmax(), Loss.mse()).outputsClasses());
        // a classification loss makes class scores whatever the output applies (logits)
        assertTrue(net(3, Activation.identity(), Loss.categoricalCrossEntropyFromLogits()).outputsClasses());
    }
}
