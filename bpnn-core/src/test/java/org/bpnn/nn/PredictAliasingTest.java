package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * predict(x, out) with out being x itself (input width = output width), direct and chunked, and
 * predict(x, out, preActivation) with preActivation being x. A batch of 256k + 1 rows computes its last
 * row with row m - 2 again: that row was read from x after the chunk before had written its outputs
 * there, so with out (or preActivation) being x, row m - 2 came back as the network of its own output.
 */
class PredictAliasingTest {
    @Test
    void outMayBeX() {
        Network net = Network.builder(3).dense(5, Activation.tanh()).dense(3, Activation.identity())
                .loss(Loss.mse()).seed(4).backend(ScalarBackend.INSTANCE).build();
        Random r = new Random(5);
        for (int rows : new int[] {1, 100, 256, 257, 300, 513, 600}) {
            Tensor x = Tensor.zeros(rows, 3);
            for (int i = 0; i < x.size(); i++) x.data()[i] = (float) r.nextGaussian();
            Tensor expected = net.predict(x);
            net.predict(x, x);
            assertEquals(expected, x, rows + " rows");
            Tensor y = Tensor.zeros(rows, 3);
            Tensor shared = Tensor.wrap(rows, 3, y.data());
            for (int i = 0; i < y.size(); i++) y.data()[i] = (float) r.nextGaussian();
            expected = net.predict(y);
            net.predict(y, shared);
            assertEquals(expected, shared, rows + " rows, out sharing x's array");
        }
    }

    @Test
    void preActivationMayBeX() {
        Network net = Network.builder(3).dense(5, Activation.tanh()).dense(3, Activation.sigmoid())
                .loss(Loss.binaryCrossEntropy()).seed(4).backend(ScalarBackend.INSTANCE).build();
        Random r = new Random(6);
        for (int rows : new int[] {1, 100, 256, 257, 300, 513}) {
            Tensor x = Tensor.zeros(rows, 3);
            for (int i = 0; i < x.size(); i++) x.data()[i] = (float) r.nextGaussian();
            Tensor out = Tensor.zeros(rows, 3), z = Tensor.zeros(rows, 3), outInPlace = Tensor.zeros(rows, 3);
            net.predict(x, out, z);
            net.predict(x, outInPlace, x);
            assertEquals(z, x, rows + " rows: preActivation into x");
            assertEquals(out, outInPlace, rows + " rows: the outputs beside it");
        }
    }
}
