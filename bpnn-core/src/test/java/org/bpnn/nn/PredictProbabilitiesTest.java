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
 * predictProbabilities: a logits model's outputs through the sigmoid or softmax its loss applies; a
 * probability model's outputs as they are; no probabilities for a regression loss. (A logits model
 * had no public way to get probabilities, and Metrics read its logits as if they were.)
 */
class PredictProbabilitiesTest {
    private static final Tensor X = Tensor.of(new float[][] {{0.5f, -1f, 2f}, {-3f, 0.25f, 1f}, {4f, 4f, -4f}});

    private static Network net(int outputs, Activation out, Loss loss) {
        return Network.builder(3).dense(5, Activation.tanh()).dense(outputs, out).loss(loss).seed(11)
                .backend(ScalarBackend.INSTANCE).build();
    }

    @Test
    void binaryLogitsGoThroughTheSigmoid() {
        Network n = net(1, Activation.identity(), Loss.binaryCrossEntropyFromLogits());
        float[] logits = n.predict(X).data(), p = n.predictProbabilities(X).data();
        for (int i = 0; i < p.length; i++) {
            assertEquals(1 / (1 + Math.exp(-logits[i])), p[i], 1e-6, "row " + i);
        }
    }

    @Test
    void categoricalLogitsGoThroughTheRowSoftmax() {
        Network n = net(4, Activation.identity(), Loss.categoricalCrossEntropyFromLogits());
        Tensor z = n.predict(X), p = n.predictProbabilities(X);
        for (int i = 0; i < X.rows(); i++) {
            double sum = 0, norm = 0;
            for (int j = 0; j < 4; j++) norm += Math.exp(z.get(i, j));
            for (int j = 0; j < 4; j++) {
                assertEquals(Math.exp(z.get(i, j)) / norm, p.get(i, j), 1e-6, "(" + i + ", " + j + ")");
                sum += p.get(i, j);
            }
            assertEquals(1.0, sum, 1e-6);
        }
    }

    @Test
    void probabilityOutputsAreReturnedAsPredicted() {
        Network soft = net(4, Activation.softmax(), Loss.categoricalCrossEntropy());
        assertArrayEquals(soft.predict(X).data(), soft.predictProbabilities(X).data());
        Network sig = net(1, Activation.sigmoid(), Loss.binaryCrossEntropy());
        assertArrayEquals(sig.predict(X).data(), sig.predictProbabilities(X).data());
    }

    /**
     * A parameter-free custom layer that passes its input through: what it outputs, its activation() (the
     * default identity) does not say. Also ChosenThresholdTest's custom output layer.
     */
    static final class PassThrough implements Layer {
        private final int width;

        PassThrough(int width) { this.width = width; }

        @Override public int inputSize() { return width; }
        @Override public int outputSize() { return width; }
        @Override public java.util.List<Parameter> parameters() { return java.util.List.of(); }
        @Override public void forward(org.bpnn.backend.Backend b, Tensor x, Tensor y, Tensor s, boolean training) {
            y.copyFrom(x);
        }
        @Override public void backward(org.bpnn.backend.Backend b, Tensor x, Tensor y, Tensor dy, boolean d, Tensor dx, Tensor s) {
            if (dx != null) dx.copyFrom(dy);
        }
        @Override public double[] forwardDouble(double[][] p, double[] x, int batch) { return x.clone(); }
    }

    @Test
    void aProbabilityLossOverAnOutputThatIsNotAProbabilityIsRefused() {
        // a dense output is refused when built (Network.Builder); a custom output layer, which may produce
        // probabilities whatever its activation() says, builds, and predictProbabilities checks its outputs
        Network custom = Network.builder(3).dense(3, Activation.identity()).layer(new PassThrough(3))
                .loss(Loss.categoricalCrossEntropy()).seed(11).backend(ScalarBackend.INSTANCE).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> custom.predictProbabilities(X));
        assertTrue(e.getMessage().startsWith("the output layer applies identity, so with categorical_cross_entropy its outputs"
                + " are not probabilities"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> net(3, Activation.identity(), Loss.categoricalCrossEntropy()));
        assertThrows(IllegalArgumentException.class, () -> net(1, Activation.relu(), Loss.binaryCrossEntropy()));
    }

    @Test
    void aRegressionLossHasNoProbabilities() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> net(2, Activation.identity(), Loss.mse()).predictProbabilities(X));
        assertTrue(e.getMessage().startsWith("the network's loss is mse, so its outputs are not class probabilities"), e.getMessage());
    }

    /**
     * A sigmoid or softmax output trained with mse (as ./bpnn seed's output layer is) is a classifier for predictClasses, the
     * metrics, io and predict ({@link Network#outputsClasses}): its probabilities are its outputs, not a refusal.
     */
    @Test
    void aSigmoidOrSoftmaxOutputTrainedWithMseGivesItsOutputs() {
        for (Network net : new Network[] {net(1, Activation.sigmoid(), Loss.mse()), net(3, Activation.softmax(), Loss.mse())}) {
            assertArrayEquals(net.predict(X).data(), net.predictProbabilities(X).data());
        }
    }
}
