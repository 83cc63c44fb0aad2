package org.bpnn.nn;

import static org.bpnn.nn.BinaryOutputTest.identityWeights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A two-class model's class at a chosen threshold on the probability (an operating point, or a
 * rare class trained without weights): predictClasses(x, t), classesOf(outputs, t) and
 * predictClass(x, t). Before, the class was fixed at probability 0.5.
 */
class ChosenThresholdTest {
    // identityWeights (BinaryOutputTest's): y = w x + b with w = 1, b = 0 through the output activation, so the output is f(x)

    // sigmoid(x) for these: 0.018, 0.119, 0.475, 0.5, 0.525, 0.881
    private static final float[][] X = {{-4f}, {-2f}, {-0.1f}, {0f}, {0.1f}, {2f}};

    @Test
    void aSigmoidOutputIsComparedWithTheThreshold() {
        Network net = identityWeights(Activation.sigmoid(), Loss.binaryCrossEntropy());
        Tensor x = Tensor.of(X);
        assertArrayEquals(new int[] {0, 1, 1, 1, 1, 1}, net.predictClasses(x, 0.1f));
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1}, net.predictClasses(x, 0.8f));
        assertArrayEquals(net.predictClasses(x), net.predictClasses(x, 0.5f), "0.5 is the default rule");
        assertArrayEquals(new int[] {0, 1, 1, 1, 1, 1}, net.classesOf(net.predict(x), 0.1f));
        float p = net.predict(-2f)[0];
        assertEquals(1, net.predictClass(new float[] {-2f}, p), "class 1 from the threshold on, as at 0.5");
        assertEquals(0, net.predictClass(new float[] {-2f}, Math.nextUp(p)));
    }

    @Test
    void aLogitOutputsProbabilityIsComparedWithTheThreshold() {
        Network logits = identityWeights(Activation.identity(), Loss.binaryCrossEntropyFromLogits());
        Network sigmoid = identityWeights(Activation.sigmoid(), Loss.binaryCrossEntropy());
        Tensor x = Tensor.of(X);
        for (float t : new float[] {0.01f, 0.1f, 0.3f, 0.5f, 0.6f, 0.9f, 0.99f}) {
            assertArrayEquals(sigmoid.predictClasses(x, t), logits.predictClasses(x, t), "threshold " + t);
            assertArrayEquals(sigmoid.predictClasses(x, t), logits.classesOf(logits.predict(x), t), "threshold " + t);
        }
        assertArrayEquals(logits.predictClasses(x), logits.predictClasses(x, 0.5f), "0.5 is the logit 0, the default rule");
        // the logit of 0.2 is ln(0.25) = -1.386: -1.38 is class 1, -1.39 class 0
        assertEquals(1, logits.predictClass(new float[] {-1.38f}, 0.2f));
        assertEquals(0, logits.predictClass(new float[] {-1.39f}, 0.2f));
    }

    @Test
    void thresholdsOutsideTheOpenUnitIntervalAreRefused() {
        Network net = identityWeights(Activation.sigmoid(), Loss.binaryCrossEntropy());
        Tensor x = Tensor.of(X);
        for (float t : new float[] {0f, 1f, -0.5f, 1.5f, Float.NaN, Float.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.predictClasses(x, t));
            assertEquals("threshold is " + t + "; expected a probability strictly between 0 and 1 (class 1 where the"
                    + " probability of class 1 is at least it), e.g. 0.02 for a rare class", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> net.classesOf(net.predict(x), t));
            assertThrows(IllegalArgumentException.class, () -> net.predictClass(new float[] {1f}, t));
        }
    }

    @Test
    void aNetworkWithMoreThanTwoOutputsOrARegressionRefusesAThreshold() {
        Network softmax = Network.builder(1).dense(3, Activation.softmax()).loss(Loss.categoricalCrossEntropy())
                .backend(ScalarBackend.INSTANCE).build();
        Tensor x = Tensor.of(X);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> softmax.predictClasses(x, 0.3f));
        assertTrue(e.getMessage().startsWith("a threshold was given, but the network has 3 outputs, and its class is the"
                + " argmax of them"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> softmax.classesOf(softmax.predict(x), 0.3f));
        assertThrows(IllegalStateException.class, () -> softmax.predictClass(new float[] {1f}, 0.3f));
        Network regression = identityWeights(Activation.identity(), Loss.mse());
        e = assertThrows(IllegalStateException.class, () -> regression.predictClasses(x, 0.3f));
        assertTrue(e.getMessage().contains("a regression"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> regression.predictClass(new float[] {1f}, 0.3f));
    }

    @Test
    void twoSoftmaxOutputsAreComparedOnTheProbabilityOfClass1() {
        // z = (0, x): p1 = e^x / (1 + e^x), the sigmoid of x: 0.018, 0.119, 0.475, 0.5, 0.525, 0.881
        Network net = Network.builder(1).dense(2, Activation.softmax()).loss(Loss.categoricalCrossEntropy())
                .backend(ScalarBackend.INSTANCE).build();
        float[] w = net.parameters().get(0).value().data();
        w[0] = 0f;
        w[1] = 1f;
        java.util.Arrays.fill(net.parameters().get(1).value().data(), 0f);
        Tensor x = Tensor.of(X);
        assertArrayEquals(new int[] {0, 1, 1, 1, 1, 1}, net.predictClasses(x, 0.1f));
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1}, net.predictClasses(x, 0.8f));
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1}, net.predictClasses(x), "the default: the argmax, 0 on the tie at x = 0");
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, net.predictClasses(x, 0.5f), "a chosen 0.5: p1 >= 0.5, 1 on the tie");
        assertArrayEquals(new int[] {0, 1, 1, 1, 1, 1}, net.classesOf(net.predict(x), 0.1f));
        float p1 = net.predict(-2f)[1];
        assertEquals(1, net.predictClass(new float[] {-2f}, p1), "class 1 from the threshold on");
        assertEquals(0, net.predictClass(new float[] {-2f}, Math.nextUp(p1)));
    }

    @Test
    void twoOutputsThatAreNotASoftmaxRefuseAThreshold() {
        // two sigmoids: two independent probabilities (multi-label), neither that of "class 1"
        Network twoSigmoids = Network.builder(1).dense(2, Activation.sigmoid()).loss(Loss.binaryCrossEntropy())
                .backend(ScalarBackend.INSTANCE).build();
        Tensor x = Tensor.of(X);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> twoSigmoids.predictClasses(x, 0.3f));
        assertTrue(e.getMessage().startsWith("a threshold was given, but the network's two outputs are not a softmax (loss"
                + " binary_cross_entropy, output layer sigmoid)"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> twoSigmoids.predictClass(new float[] {1f}, 0.3f));
        assertThrows(IllegalArgumentException.class, () -> OutputClass.of(new float[] {0.2f, 0.3f, 0.5f}, 0, 3, 0.3f),
                "three columns take no threshold");
    }

    @Test
    void aNaNOutputHasNoClassAtAnyThreshold() {
        Network net = identityWeights(Activation.identity(), Loss.binaryCrossEntropyFromLogits());
        Tensor out = Tensor.of(new float[][] {{1f}, {Float.NaN}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.classesOf(out, 0.3f));
        assertTrue(e.getMessage().startsWith("output 0 of sample 1 is NaN"), e.getMessage());
    }

    private static Network net(int outputs, Activation out, Loss loss) {
        return Network.builder(1).dense(outputs, out).loss(loss).backend(ScalarBackend.INSTANCE).build();
    }

    private static Network custom(int outputs, Loss loss) {
        return Network.builder(1).dense(outputs, Activation.sigmoid()).layer(new PredictProbabilitiesTest.PassThrough(outputs))
                .loss(loss).backend(ScalarBackend.INSTANCE).build();
    }

    /**
     * The one rule of OutputClass.takesThreshold, which predictClasses(x, t) applies (and SavedModel,
     * bpnn-io): a threshold reads the probability of class 1, so one sigmoid output or two softmax
     * outputs (probabilities or logits), whatever the loss; predictClasses(x, t) refuses exactly the rest.
     */
    @Test
    void aThresholdAppliesWhereTheProbabilityOfClass1IsOneNumber() {
        Network[] take = {
            net(1, Activation.sigmoid(), Loss.binaryCrossEntropy()),
            net(1, Activation.identity(), Loss.binaryCrossEntropyFromLogits()),
            net(1, Activation.sigmoid(), Loss.mse()), // one sigmoid output trained with mse: a classifier by its output layer
            net(2, Activation.softmax(), Loss.categoricalCrossEntropy()),
            net(2, Activation.identity(), Loss.categoricalCrossEntropyFromLogits()),
            net(2, Activation.softmax(), Loss.mse()),
            net(2, Activation.softmax(), Loss.binaryCrossEntropy()),
        };
        Tensor x = Tensor.of(X);
        for (Network n : take) {
            String what = n.loss().name() + " " + n.outputSize() + " " + n.layers().get(0).activation().name();
            assertTrue(OutputClass.takesThreshold(n), what);
            assertNull(OutputClass.thresholdRefusal(n), what);
            assertEquals(X.length, n.predictClasses(x, 0.3f).length, what);
        }
        Network[] refuse = {
            net(2, Activation.sigmoid(), Loss.binaryCrossEntropy()),
            net(2, Activation.identity(), Loss.binaryCrossEntropyFromLogits()),
            net(2, Activation.sigmoid(), Loss.mse()),
            net(3, Activation.softmax(), Loss.categoricalCrossEntropy()),
            net(3, Activation.identity(), Loss.categoricalCrossEntropyFromLogits()),
            net(1, Activation.identity(), Loss.mse()),
            net(1, Activation.tanh(), Loss.huber(1)),
            custom(1, Loss.binaryCrossEntropy()),
            custom(2, Loss.categoricalCrossEntropy()),
        };
        for (Network n : refuse) {
            String what = n.loss().name() + " " + n.outputSize() + " " + n.layers().get(n.layers().size() - 1).activation().name();
            assertFalse(OutputClass.takesThreshold(n), what);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> n.predictClasses(x, 0.3f), what);
            assertEquals("a threshold was given, but " + OutputClass.thresholdRefusal(n) + ": call predictClasses(x) without one",
                    e.getMessage(), what);
            assertTrue(e.getMessage().contains("; a threshold is for a two-class network: one sigmoid output"), e.getMessage());
        }
    }

    /**
     * A custom output layer whose activation is not a sigmoid or softmax gives no probability (as
     * predictProbabilities says), whatever the loss: predictClasses(x, t) took a categorical
     * cross-entropy's two columns, or a binary cross-entropy's one, as probabilities on the loss's name alone.
     */
    @Test
    void aCustomOutputThatIsNoProbabilityRefusesAThreshold() {
        Tensor x = Tensor.of(X);
        Network one = custom(1, Loss.binaryCrossEntropy());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> one.predictClasses(x, 0.3f));
        assertTrue(e.getMessage().startsWith("a threshold was given, but the network's one output is not a probability (loss"
                + " binary_cross_entropy, output layer identity)"), e.getMessage());
        Network two = custom(2, Loss.categoricalCrossEntropy());
        e = assertThrows(IllegalStateException.class, () -> two.classesOf(two.predict(x), 0.3f));
        assertTrue(e.getMessage().startsWith("a threshold was given, but the network's two outputs are not a softmax (loss"
                + " categorical_cross_entropy, output layer identity)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OutputClass.thresholdRefusal(null));
    }
}
