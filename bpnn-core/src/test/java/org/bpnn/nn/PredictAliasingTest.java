package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** predict(x, out) with out being x itself (input width = output width), direct and chunked. */
class PredictAliasingTest {
    @Test
    void outMayBeX() {
        Network net = Network.builder(3).dense(5, Activation.tanh()).dense(3, Activation.identity())
                .loss(Loss.mse()).seed(4).backend(ScalarBackend.INSTANCE).build();
        Random r = new Random(5);
        for (int rows : new int[] {1, 100, 256, 300, 600}) {
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
}
