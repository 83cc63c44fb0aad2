package org.bpnn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The class metrics (what the trainer reports: the outputs mapped to probabilities by
 * Network.logitsToProbabilities, then Metrics.accuracy, ConfusionMatrix.of, Metric.recall) and
 * Network.predictClasses / classesOf / predictClass must call every sample the same class. Before,
 * they disagreed at the boundary of a logits model: a logit a rounding error below 0 (-1e-8) has the
 * float probability 0.5f, which the metrics counted as class 1 (p &gt;= 0.5), while predictClasses
 * compared the logit with 0 in double and said class 0; likewise two logits that differ by less than
 * the softmax's rounding tie as probabilities (the metrics take the first) but not as logits.
 */
public class ClassBoundaryAgreementTest {
    /** The backend under test (bpnn-simd's subclass gives its own: its sigmoid and softmax round otherwise). */
    protected Backend backend() {
        return ScalarBackend.INSTANCE;
    }

    /** One input, outputs W x + 0 through the output activation: w = 1 for one output, (0, 1) for two. */
    private Network identity(int outputs, Activation out, Loss loss) {
        Network net = Network.builder(1).dense(outputs, out).loss(loss).backend(backend()).build();
        float[] w = net.parameters().get(0).value().data();
        w[0] = outputs == 1 ? 1f : 0f;
        if (outputs == 2) w[1] = 1f;
        java.util.Arrays.fill(net.parameters().get(1).value().data(), 0f);
        return net;
    }

    private static final float[] LOGITS = {-1e-8f, -Float.MIN_VALUE, -0f, 0f, Float.MIN_VALUE, 1e-8f, -2.9e-8f, -3e-8f,
            -5.9e-8f, -6e-8f, -1e-7f, Math.nextDown(-1e-7f), -1f, 1f};

    /** The class the metrics give row i of the probabilities p: one class per target, 1.0 accuracy or 0. */
    private static int metricsClass(Tensor p, int i, int k) {
        Tensor row = Tensor.wrap(1, k, java.util.Arrays.copyOfRange(p.data(), i * k, i * k + k));
        int accuracyClass = -1, matrixClass = -1, recallClass = -1;
        for (int c = 0; c < Math.max(k, 2); c++) {
            Tensor target = k == 1 ? Tensor.wrap(1, 1, new float[] {c}) : org.bpnn.data.OneHot.encode(new int[] {c}, k);
            if (Metrics.accuracy(row, target) == 1.0) accuracyClass = c;
            ConfusionMatrix m = ConfusionMatrix.of(row, target);
            if (m.count(c, c) == 1) matrixClass = c;
            if (Metric.recall(c).value(row, target) == 1.0) recallClass = c;
        }
        assertEquals(accuracyClass, matrixClass, "accuracy and the confusion matrix, row " + i);
        assertEquals(accuracyClass, recallClass, "accuracy and recall, row " + i);
        return accuracyClass;
    }

    private static Tensor column(float[] v) {
        Tensor t = Tensor.zeros(v.length, 1);
        System.arraycopy(v, 0, t.data(), 0, v.length);
        return t;
    }

    @Test
    void aLogitsModelsClassesAreTheMetricsClassesAtEveryBoundaryLogit() {
        Network net = identity(1, Activation.identity(), Loss.binaryCrossEntropyFromLogits());
        Tensor x = column(LOGITS);
        Tensor probabilities = net.predictProbabilities(x); // what the trainer gives its metrics
        int[] predicted = net.predictClasses(x);
        int[] ofOutputs = net.classesOf(net.predict(x));
        int[] atHalf = net.predictClasses(x, 0.5f);
        for (int i = 0; i < LOGITS.length; i++) {
            String row = "logit " + LOGITS[i] + " (probability " + probabilities.data()[i] + ")";
            int metrics = metricsClass(probabilities, i, 1);
            assertEquals(metrics, predicted[i], "predictClasses vs the metrics, " + row);
            assertEquals(metrics, ofOutputs[i], "classesOf vs the metrics, " + row);
            assertEquals(metrics, atHalf[i], "predictClasses(x, 0.5) vs the metrics, " + row);
            assertEquals(metrics, net.predictClass(LOGITS[i]), "predictClass vs the metrics, " + row);
            assertEquals(metrics, net.predictClass(new float[] {LOGITS[i]}, 0.5f), "predictClass(x, 0.5) vs the metrics, " + row);
        }
        // the case that disagreed: -1e-8's probability rounds to 0.5f (on both backends), class 1 by the metrics' rule
        assertEquals(0.5f, probabilities.data()[0]);
        assertEquals(1, predicted[0]);
    }

    @Test
    void aChosenThresholdCallsTheRowsAPrecisionRecallPointCounts() {
        Network net = identity(1, Activation.identity(), Loss.binaryCrossEntropyFromLogits());
        Tensor x = column(LOGITS);
        float[] p = net.predictProbabilities(x).data();
        for (float t : p) {
            if (!(t > 0f && t < 1f)) continue;
            int[] classes = net.predictClasses(x, t);
            for (int i = 0; i < p.length; i++) {
                assertEquals(p[i] >= t ? 1 : 0, classes[i], "threshold " + t + ", logit " + LOGITS[i]);
            }
        }
    }

    @Test
    void aSigmoidModelsClassesAreTheMetricsClassesAroundOneHalf() {
        Network net = identity(1, Activation.sigmoid(), Loss.binaryCrossEntropy());
        float[] p = {0.5f, Math.nextDown(0.5f), Math.nextUp(0.5f), 0f, -0f, 1f, Float.MIN_VALUE};
        Tensor outputs = column(p);
        int[] classes = net.classesOf(outputs);
        for (int i = 0; i < p.length; i++) {
            assertEquals(metricsClass(outputs, i, 1), classes[i], "probability " + p[i]);
        }
        assertEquals(1, classes[0]);
        assertEquals(0, classes[1]);
    }

    @Test
    void softmaxLogitsThatTieAsProbabilitiesAreTheMetricsClass() {
        Network net = identity(2, Activation.identity(), Loss.categoricalCrossEntropyFromLogits());
        Tensor x = column(LOGITS); // outputs (0, logit)
        Tensor probabilities = net.predictProbabilities(x);
        int[] predicted = net.predictClasses(x);
        int[] ofOutputs = net.classesOf(net.predict(x));
        for (int i = 0; i < LOGITS.length; i++) {
            String row = "logits (0, " + LOGITS[i] + ")";
            int metrics = metricsClass(probabilities, i, 2);
            assertEquals(metrics, predicted[i], "predictClasses vs the metrics, " + row);
            assertEquals(metrics, ofOutputs[i], "classesOf vs the metrics, " + row);
            assertEquals(metrics, net.predictClass(LOGITS[i]), "predictClass vs the metrics, " + row);
        }
    }

    @Test
    void logitsWithoutProbabilitiesHaveNoClass() {
        // (0, +inf): the softmax is NaN (inf - inf), a row the metrics count unclassified; argmax said class 1
        Network net = identity(2, Activation.identity(), Loss.categoricalCrossEntropyFromLogits());
        net.parameters().get(0).value().data()[1] = Float.MAX_VALUE;
        Tensor x = column(new float[] {1f, 10f});
        assertEquals(1, ConfusionMatrix.of(net.predictProbabilities(x), org.bpnn.data.OneHot.encode(new int[] {1, 1}, 2))
                .unclassified(1));
        String m = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> net.predictClasses(x))
                .getMessage();
        assertEquals(true, m.startsWith("the outputs of sample 1 are logits whose probabilities are NaN"), m);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> net.predictClass(10f));
    }
}
