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

    /**
     * Two softmax outputs (what ./bpnn train makes of two classes), on probabilities and on logits, at
     * each operating threshold of the precision-recall curve of their probabilities (scored by column
     * 1): predictClasses(x, t), classesOf(outputs, t) and predictClass(x, t) call class 1 exactly the
     * rows p1 &gt;= t, the true and false positives the curve's point counts. Before, a threshold was
     * refused for every two-output network.
     */
    @Test
    void twoSoftmaxOutputsAtAChosenThresholdCallTheRowsAPrecisionRecallPointCounts() {
        float[] v = java.util.Arrays.copyOf(LOGITS, LOGITS.length + 4);
        v[LOGITS.length] = -3f;
        v[LOGITS.length + 1] = -0.5f;
        v[LOGITS.length + 2] = 0.5f;
        v[LOGITS.length + 3] = 2f;
        int[] y = new int[v.length];
        for (int i = 0; i < y.length; i++) y[i] = (i * 7) % 3 == 0 ? 1 : 0;
        Tensor targets = org.bpnn.data.OneHot.encode(y, 2);
        for (Network net : new Network[] {identity(2, Activation.softmax(), Loss.categoricalCrossEntropy()),
                identity(2, Activation.identity(), Loss.categoricalCrossEntropyFromLogits())}) {
            Tensor x = column(v); // outputs (0, v) through the softmax
            float[] p = net.predictProbabilities(x).data();
            PrecisionRecallCurve c = Metrics.precisionRecallCurve(net.predictProbabilities(x), targets);
            assertEquals(true, c.size() > 3, c.toString());
            for (int point = 0; point < c.size(); point++) {
                float t = c.operatingThreshold(point);
                int[] classes = net.predictClasses(x, t);
                int[] ofOutputs = net.classesOf(net.predict(x), t);
                long tp = 0, fp = 0;
                for (int i = 0; i < v.length; i++) {
                    String row = net.loss().name() + ", threshold " + t + ", row " + i + " (p1 " + p[2 * i + 1] + ")";
                    int expected = p[2 * i + 1] >= t ? 1 : 0;
                    assertEquals(expected, classes[i], "predictClasses(x, t), " + row);
                    assertEquals(expected, ofOutputs[i], "classesOf(outputs, t), " + row);
                    assertEquals(expected, net.predictClass(new float[] {v[i]}, t), "predictClass(x, t), " + row);
                    if (expected == 1) {
                        if (y[i] == 1) tp++;
                        else fp++;
                    }
                }
                assertEquals(c.truePositives(point), tp, net.loss().name() + " point " + point);
                assertEquals(c.falsePositives(point), fp, net.loss().name() + " point " + point);
            }
        }
    }

    /**
     * Without a chosen threshold two softmax outputs keep the argmax, the first on ties, bit for bit:
     * a row with p0 == p1 is class 0, as the metrics count it; a chosen threshold compares p1 &gt;= t,
     * so 0.5 (or p1 itself) calls that row class 1. A threshold on column 1 used as the default would
     * have moved every tie, and every row whose softmax rounded p0 above 0.5 with p1 at 0.5, to class 1.
     */
    @Test
    void twoSoftmaxOutputsKeepTheArgmaxOnTiesWithoutAThreshold() {
        Network net = identity(2, Activation.softmax(), Loss.categoricalCrossEntropy());
        Tensor outputs = Tensor.of(new float[][] {{0.5f, 0.5f}, {Math.nextUp(0.5f), 0.5f}, {0.5f, Math.nextDown(0.5f)},
                {Math.nextDown(0.5f), 0.5f}});
        int[] classes = net.classesOf(outputs);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 0, 0, 1}, classes);
        for (int i = 0; i < classes.length; i++) {
            assertEquals(metricsClass(outputs, i, 2), classes[i], "row " + i);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {1, 1, 0, 1}, net.classesOf(outputs, 0.5f));
        // through a forward pass: inputs +-0 give the logits (0, 0) and equal probabilities
        for (Network n : new Network[] {net, identity(2, Activation.identity(), Loss.categoricalCrossEntropyFromLogits())}) {
            Tensor x = column(new float[] {0f, -0f});
            float[] p = n.predictProbabilities(x).data();
            assertEquals(p[0], p[1], "a tie");
            org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 0}, n.predictClasses(x), n.loss().name());
            org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 0}, n.classesOf(n.predict(x)), n.loss().name());
            assertEquals(0, n.predictClass(0f), n.loss().name());
            assertEquals(metricsClass(n.predictProbabilities(x), 0, 2), 0, n.loss().name());
            org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {1, 1}, n.predictClasses(x, p[1]), n.loss().name());
            assertEquals(1, n.predictClass(new float[] {0f}, p[1]), n.loss().name());
        }
    }
}
