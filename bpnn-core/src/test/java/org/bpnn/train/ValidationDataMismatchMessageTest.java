package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Sgd;
import org.junit.jupiter.api.Test;

/**
 * A validation set whose width differs from the training set's (and the network's): the message
 * told the user to rebuild the network with the validation set's width, which would then refuse
 * the training data; the validation set is what to fix.
 */
class ValidationDataMismatchMessageTest {
    @Test
    void validationWidthMismatchPointsAtTheValidationSet() {
        Network net = Network.builder(2).dense(1, Activation.sigmoid()).loss(Loss.binaryCrossEntropy())
                .backend(ScalarBackend.INSTANCE).build();
        Dataset train = Dataset.of(new float[4][2], new float[4][1]);
        Dataset validation = Dataset.of(new float[3][3], new float[3][1]);
        Trainer trainer = Trainer.builder().optimizer(new Sgd(0.1)).epochs(1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(net, train, validation));
        assertFalse(e.getMessage().contains("Network.builder(3)"), e.getMessage());
        assertTrue(e.getMessage().contains("validation data has 3 features") && e.getMessage().contains("same 2 feature columns"),
                e.getMessage());
    }

    @Test
    void trainWidthMismatchStillSuggestsTheBuilder() {
        Network net = Network.builder(5).dense(1, Activation.sigmoid()).loss(Loss.binaryCrossEntropy())
                .backend(ScalarBackend.INSTANCE).build();
        Dataset train = Dataset.of(new float[4][2], new float[4][1]);
        Trainer trainer = Trainer.builder().optimizer(new Sgd(0.1)).epochs(1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(net, train));
        assertTrue(e.getMessage().contains("Network.builder(2)"), e.getMessage());
    }
}
