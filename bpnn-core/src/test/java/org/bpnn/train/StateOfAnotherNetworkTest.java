package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link Trainer#state} of a network other than the one the trainer trained (another architecture)
 * is refused where the mistake is made: it returned a state pairing that network's weights with the
 * trained one's optimiser buffers, which {@link Trainer#restore} refuses ("the state mixes two
 * architectures") and a checkpoint save refused only while writing, without saying why.
 */
class StateOfAnotherNetworkTest {

    private static Network network(int hidden) {
        return Network.builder(3).dense(hidden, Activation.tanh()).dense(2, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).backend(ScalarBackend.INSTANCE).seed(5).build();
    }

    private static Dataset data() {
        Random r = new Random(3);
        float[][] x = new float[20][3];
        int[] y = new int[20];
        for (int i = 0; i < 20; i++) {
            y[i] = i % 2;
            for (int j = 0; j < 3; j++) x[i][j] = (float) r.nextGaussian() + y[i];
        }
        return Dataset.ofLabels(Tensor.of(x), y, 2);
    }

    @Test
    void aNetworkOfAnotherArchitectureIsRefusedNamingTheRemedy() {
        Network trained = network(4);
        Trainer trainer = Trainer.builder().optimizer(new Adam(1e-2)).epochs(1).build();
        trainer.fit(trained, data());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.state(network(5)));
        assertTrue(e.getMessage().contains("[12, 4, 8, 2]") && e.getMessage().contains("[15, 5, 10, 2]"), e.getMessage());
        assertTrue(e.getMessage().contains("pass the network this trainer trained"), e.getMessage());
        assertEquals(1, trainer.state(trained).epoch(), "the trained network's state is still taken");
    }

    @Test
    void beforeTheFirstStepAnyNetworkFits() {
        // the optimiser has no per-parameter state yet: nothing to mismatch (a checkpoint at epoch 0)
        Trainer trainer = Trainer.builder().optimizer(new Adam(1e-2)).epochs(1).build();
        assertEquals(0, trainer.state(network(5)).epoch());
    }
}
