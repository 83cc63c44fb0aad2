package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.metrics.Metric;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.bpnn.train.TrainingHistory;
import org.bpnn.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * A two-class model with one output: class 1 from probability 0.5, read from a sigmoid output or,
 * with the from-logits loss, from the logit 0. predictClasses took the argmax of one column (always
 * 0), and the accuracy metric thresholded logits at 0.5.
 */
class BinaryOutputTest {
    /** y = w x + b with w = 1, b = 0 through the given output activation. */
    static Network identityWeights(Activation out, Loss loss) {
        Network net = Network.builder(1).dense(1, out).loss(loss).backend(ScalarBackend.INSTANCE).build();
        net.parameters().get(0).value().data()[0] = 1f;
        net.parameters().get(1).value().data()[0] = 0f;
        return net;
    }

    @Test
    void predictClassesThresholdsTheProbabilityAtOneHalf() {
        Tensor x = Tensor.of(new float[][] {{-1f}, {-0.2f}, {0f}, {0.3f}, {2f}});
        assertArrayEquals(new int[] {0, 0, 1, 1, 1},
                identityWeights(Activation.sigmoid(), Loss.binaryCrossEntropy()).predictClasses(x), "sigmoid output");
        assertArrayEquals(new int[] {0, 0, 1, 1, 1},
                identityWeights(Activation.identity(), Loss.binaryCrossEntropyFromLogits()).predictClasses(x), "logit output");
    }

    @Test
    void classesOfOutputsFollowTheSameRule() {
        Network logits = identityWeights(Activation.identity(), Loss.binaryCrossEntropyFromLogits());
        Tensor x = Tensor.of(new float[][] {{-1f}, {0f}, {0.3f}});
        assertArrayEquals(logits.predictClasses(x), logits.classesOf(logits.predict(x)));
        assertArrayEquals(new int[] {0, 1, 1}, logits.classesOf(x)); // the outputs of this network are its inputs
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> logits.classesOf(Tensor.zeros(2, 3)));
        assertEquals("outputs has shape (2, 3); expected (batch, 1), what this network's predict returns", e.getMessage());
    }

    @Test
    void accuracyOfALogitsModelReadsProbabilities() {
        // targets 1 for x > 0; logits z = x: every sample right, but 0.3 and 0.4 fell below a 0.5 threshold on z
        Dataset d = Dataset.of(new float[][] {{-2f}, {-0.4f}, {0.3f}, {0.4f}, {2f}}, new float[][] {{0}, {0}, {1}, {1}, {1}});
        Network net = identityWeights(Activation.identity(), Loss.binaryCrossEntropyFromLogits());
        TrainingHistory h = Trainer.builder().optimizer(new Sgd(1e-30)).epochs(1).batchSize(5).metrics(Metric.accuracy())
                .build().fit(net, d);
        assertEquals(1.0, h.trainMetric("accuracy")[0], 0.0);
    }
}
