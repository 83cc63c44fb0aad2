package org.bpnn.io.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.bpnn.data.Normaliser;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A two-class model's chosen threshold travels with it: SavedModel.withThreshold, the optional
 * threshold field, and predictClasses / classesOf at it. Before, a loaded model's classes were
 * always at probability 0.5, and a threshold chosen after training had to be reapplied by hand.
 */
class ModelThresholdTest {
    private static final Network SIGMOID = TestNets.net(3, Activation.tanh(), 1, Activation.sigmoid(), Loss.binaryCrossEntropy(), 8);
    private static final Network LOGITS = TestNets.net(3, Activation.tanh(), 1, Activation.identity(),
            Loss.binaryCrossEntropyFromLogits(), 8);

    /** Two classes as ./bpnn train saves them: two softmax outputs, on probabilities and on logits. */
    private static final Network SOFTMAX2 = TestNets.net(3, Activation.tanh(), 2, Activation.softmax(),
            Loss.categoricalCrossEntropy(), 8);
    private static final Network LOGITS2 = TestNets.net(3, Activation.tanh(), 2, Activation.identity(),
            Loss.categoricalCrossEntropyFromLogits(), 8);

    private static SavedModel load(byte[] bytes) throws IOException {
        return ModelFile.fromBytes(bytes, "m.bpnn", TestNets.SCALAR, ModelFile.Limits.DEFAULT);
    }

    /** A threshold strictly inside the range of the model's probabilities on x, so it moves some classes. */
    private static float median(SavedModel m, Tensor x) {
        Tensor probabilities = m.predictProbabilities(x);
        int k = probabilities.cols();
        float[] p = new float[probabilities.rows()];
        for (int i = 0; i < p.length; i++) p[i] = probabilities.data()[i * k + k - 1]; // class 1's
        java.util.Arrays.sort(p);
        return p[p.length / 2];
    }

    @Test
    void theThresholdRoundTripsAndPredictClassesUsesIt() throws IOException {
        Tensor x = TestNets.inputs(40, 3, 5);
        for (Network net : new Network[] {SIGMOID, LOGITS, SOFTMAX2, LOGITS2}) {
            Normaliser n = Normaliser.of(Normaliser.Kind.STANDARDISE, new float[] {1, 2, 3}, new float[] {2, 2, 2});
            SavedModel plain = SavedModel.of(net, n, Map.of()).withFeatureNames(List.of("a", "b", "c"))
                    .withClassNames(List.of("normal", "fraud"));
            float t = median(plain, x);
            SavedModel chosen = plain.withThreshold(t);
            assertEquals(List.of("normal", "fraud"), chosen.classNames(), "withThreshold keeps the names");
            SavedModel back = load(ModelFile.toBytes(chosen));
            assertEquals(t, back.threshold());
            assertEquals(List.of("a", "b", "c"), back.featureNames());
            assertEquals(t, back.withClassNames(List.of("n", "f")).threshold(), "withClassNames keeps the threshold");

            int[] expected = net.predictClasses(n.apply(x), t);
            assertArrayEquals(expected, back.predictClasses(x), net.loss().name());
            assertArrayEquals(expected, back.classesOf(net.predict(n.apply(x))), net.loss().name());
            assertFalse(java.util.Arrays.equals(expected, plain.predictClasses(x)), "the threshold moved some classes");
            assertArrayEquals(net.predictClasses(n.apply(x)), plain.predictClasses(x), "without one, the default rule");
            float[] p = plain.predictProbabilities(x).data();
            int k = net.outputSize();
            int[] classes = back.predictClasses(x);
            for (int i = 0; i < classes.length; i++) {
                assertEquals(p[i * k + k - 1] >= t ? 1 : 0, classes[i], net.loss().name() + " row " + i + ": p1 >= t");
            }
        }
    }

    @Test
    void aModelWithoutAThresholdWritesTheHeaderItWroteBefore() throws IOException {
        byte[] plain = ModelFile.toBytes(SavedModel.of(SIGMOID));
        assertFalse(ModelBytes.parse(plain).headerText().contains("threshold"));
        assertNull(load(plain).threshold());
        assertTrue(ModelBytes.parse(ModelFile.toBytes(SavedModel.of(SIGMOID).withThreshold(0.02f))).headerText()
                .matches("(?s).*\"threshold\"\\s*:\\s*0\\.02[,\\s].*"), "the float's shortest decimal");
    }

    @Test
    void aThresholdIsRefusedWhereItMeansNothing() {
        for (float t : new float[] {0f, 1f, -0.1f, 1.5f, Float.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SavedModel.of(SIGMOID).withThreshold(t));
            assertEquals("threshold is " + t + "; expected a probability strictly between 0 and 1 (class 1 where the"
                    + " probability of class 1 is at least it; without one, 0.5 for one output, the argmax of two)", e.getMessage());
        }
        Network softmax = TestNets.net(3, Activation.tanh(), 3, Activation.softmax(), Loss.categoricalCrossEntropy(), 8);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SavedModel.of(softmax).withThreshold(0.3f)).getMessage()
                .startsWith("a threshold was given, but the network has 3 outputs, and its class is the argmax"));
        Network regression = TestNets.net(3, Activation.tanh(), 1, Activation.identity(), Loss.mse(), 8);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SavedModel.of(regression).withThreshold(0.3f)).getMessage()
                .startsWith("a threshold was given, but the network's loss is mse and its output layer applies identity, so its"
                        + " outputs are values (a regression)"));
        Network twoSigmoids = TestNets.net(3, Activation.tanh(), 2, Activation.sigmoid(), Loss.binaryCrossEntropy(), 8);
        String e = assertThrows(IllegalArgumentException.class, () -> SavedModel.of(twoSigmoids).withThreshold(0.3f)).getMessage();
        assertTrue(e.startsWith("a threshold was given, but the network's two outputs are not a softmax (loss"
                + " binary_cross_entropy, output layer sigmoid)"), e);
        assertTrue(e.endsWith(": save the model without one"), e);
    }

    /** Networks whose probability of class 1 is one number, whatever the loss, and those whose is not. */
    private static final Network[] TAKE = {
        SIGMOID, LOGITS, SOFTMAX2, LOGITS2,
        TestNets.net(3, Activation.tanh(), 1, Activation.sigmoid(), Loss.mse(), 8), // one sigmoid output trained with mse
        TestNets.net(3, Activation.tanh(), 2, Activation.softmax(), Loss.mse(), 8),
        TestNets.net(3, Activation.tanh(), 2, Activation.softmax(), Loss.binaryCrossEntropy(), 8),
    };
    private static final Network[] REFUSE = {
        TestNets.net(3, Activation.tanh(), 2, Activation.sigmoid(), Loss.binaryCrossEntropy(), 8),
        TestNets.net(3, Activation.tanh(), 2, Activation.identity(), Loss.binaryCrossEntropyFromLogits(), 8),
        TestNets.net(3, Activation.tanh(), 2, Activation.sigmoid(), Loss.mse(), 8),
        TestNets.net(3, Activation.tanh(), 3, Activation.softmax(), Loss.categoricalCrossEntropy(), 8),
        TestNets.net(3, Activation.tanh(), 1, Activation.identity(), Loss.mse(), 8),
    };

    private static String what(Network net) {
        return net.loss().name() + ", " + net.outputSize() + " " + net.layers().get(net.layers().size() - 1).activation().name();
    }

    /**
     * A saved model takes a threshold exactly where its network does (Network.predictClasses(x, t), by
     * OutputClass.takesThreshold): one sigmoid output or two softmax outputs, whatever the loss. Before,
     * SavedModel asked for a classification loss (and for two outputs a categorical cross-entropy), so a
     * sigmoid output trained with mse, or two softmax outputs with mse or a binary cross-entropy, took a
     * threshold in predictClasses(x, t) but not in a model or its file.
     */
    @Test
    void aModelTakesAThresholdExactlyWhereItsNetworkDoes() throws IOException {
        Tensor x = TestNets.inputs(40, 3, 5);
        for (Network net : TAKE) {
            assertTrue(SavedModel.takesThreshold(net), what(net));
            SavedModel back = load(ModelFile.toBytes(SavedModel.of(net).withThreshold(0.3f)));
            assertEquals(0.3f, back.threshold(), what(net));
            assertArrayEquals(net.predictClasses(x, 0.3f), back.predictClasses(x), what(net));
            byte[] edited = ModelBytes.parse(ModelFile.toBytes(SavedModel.of(net))).withTree(t -> t.put("threshold", 0.25));
            assertEquals(0.25f, load(edited).threshold(), what(net) + ": a file's threshold, checked on the built network");
        }
        for (Network net : REFUSE) {
            assertFalse(SavedModel.takesThreshold(net), what(net));
            IllegalStateException core = assertThrows(IllegalStateException.class, () -> net.predictClasses(x, 0.3f), what(net));
            IllegalArgumentException io = assertThrows(IllegalArgumentException.class, () -> SavedModel.of(net).withThreshold(0.3f));
            String because = "a threshold was given, but " + org.bpnn.nn.OutputClass.thresholdRefusal(net);
            assertEquals(because + ": call predictClasses(x) without one", core.getMessage());
            assertEquals(because + ": save the model without one", io.getMessage());
            byte[] edited = ModelBytes.parse(ModelFile.toBytes(SavedModel.of(net))).withTree(t -> t.put("threshold", 0.25));
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> load(edited), what(net));
            assertTrue(e.getMessage().contains("threshold") && e.getMessage().contains(because), e.getMessage());
        }
    }

    @Test
    void aFileWithAThresholdWhereItMeansNothingIsRefused() throws IOException {
        ModelBytes file = ModelBytes.parse(ModelFile.toBytes(SavedModel.of(SIGMOID)));
        com.fasterxml.jackson.databind.node.JsonNodeFactory f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        for (com.fasterxml.jackson.databind.JsonNode bad : List.of(f.numberNode(0), f.numberNode(1), f.numberNode(-0.5),
                f.numberNode(2.0), f.numberNode(1e-50), f.textNode("0.3"), f.booleanNode(true))) {
            byte[] bytes = file.withTree(t -> t.set("threshold", bad));
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> load(bytes), bad.toString());
            assertTrue(e.getMessage().contains("threshold"), e.getMessage());
        }
        assertEquals(0.25f, load(file.withTree(t -> t.put("threshold", 0.25))).threshold());
        assertEquals(0.25f, load(ModelBytes.parse(ModelFile.toBytes(SavedModel.of(SOFTMAX2))).withTree(t -> t.put("threshold", 0.25)))
                .threshold(), "two softmax outputs take one");
        for (Network net : new Network[] {
                TestNets.net(3, Activation.tanh(), 3, Activation.softmax(), Loss.categoricalCrossEntropy(), 8),
                TestNets.net(3, Activation.tanh(), 2, Activation.sigmoid(), Loss.binaryCrossEntropy(), 8),
                TestNets.net(3, Activation.tanh(), 1, Activation.identity(), Loss.mse(), 8)}) {
            byte[] bytes = ModelBytes.parse(ModelFile.toBytes(SavedModel.of(net))).withTree(t -> t.put("threshold", 0.25));
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> load(bytes));
            assertTrue(e.getMessage().contains("threshold") && e.getMessage().contains("a threshold was given"), e.getMessage());
        }
    }
}
