package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bpnn.backend.Backend;
import org.bpnn.backend.ElementwiseOp;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.LearningRateSchedule;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.bpnn.train.Trainer;
import org.bpnn.train.TrainingDivergedException;
import org.junit.jupiter.api.Test;

/**
 * Numerical guards: softmax, cross-entropy, sigmoid and tanh stay finite on logits of +-1e4; a
 * far too high learning rate ends in the documented exception, never in NaN weights. Subclasses
 * rerun it on another backend.
 */
public class NumericalGuardsTest {
    protected Backend backend() {
        return ScalarBackend.INSTANCE;
    }

    /** One dense layer with W = I and b = 0, so the output layer sees the inputs as its z. */
    private Network passThrough(int n, Activation a, Loss loss) {
        Network net = Network.builder(n).dense(n, a).loss(loss).backend(backend()).build();
        float[] w = net.parameters().get(0).value().data();
        java.util.Arrays.fill(w, 0f);
        for (int i = 0; i < n; i++) w[i * n + i] = 1f;
        return net;
    }

    private static void assertFinite(String what, float[] v) {
        for (float f : v) assertTrue(Float.isFinite(f), what + " has " + f + ": " + java.util.Arrays.toString(v));
    }

    @Test
    void softmaxAndCrossEntropyStayFiniteOnHugeLogits() {
        float[][] logits = {{1e4f, -1e4f, 0f, 3f}, {-1e4f, -1e4f, -1e4f, -1e4f}, {1e4f, 1e4f, -1e4f, 1e4f}, {1e4f, 0, 0, 0}};
        Tensor x = Tensor.of(logits);
        Tensor y = org.bpnn.data.OneHot.encode(new int[] {1, 0, 2, 3}, 4); // the wrong class where it is certain
        for (Loss loss : new Loss[] {Loss.categoricalCrossEntropy(), Loss.mse()}) {
            Network net = passThrough(4, Activation.softmax(), loss);
            Tensor a = net.predict(x);
            assertFinite("softmax", a.data());
            for (int i = 0; i < 4; i++) {
                double s = 0;
                for (int j = 0; j < 4; j++) s += a.get(i, j);
                assertEquals(1.0, s, 1e-6, "row " + i + " sums to 1");
            }
            double cost = net.computeGradients(x, y);
            assertTrue(Double.isFinite(cost), loss + ": cost " + cost);
            for (Parameter p : net.parameters()) assertFinite(loss + " gradient of " + p.name(), p.grad().data());
        }
        Network logitsNet = passThrough(4, Activation.identity(), Loss.categoricalCrossEntropyFromLogits());
        double cost = logitsNet.computeGradients(x, y);
        assertTrue(Double.isFinite(cost) && cost > 1e3, "cross-entropy from logits: " + cost);
        for (Parameter p : logitsNet.parameters()) assertFinite("gradient of " + p.name(), p.grad().data());
    }

    @Test
    void sigmoidAndTanhStayFiniteAndInRangeOnHugeInputs() {
        float[] z = {1e4f, -1e4f, 88.8f, -88.8f, 1e30f, -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE, 0f, 20f, -20f, 1e-8f};
        Tensor x = Tensor.wrap(1, z.length, z.clone());
        for (Activation a : new Activation[] {Activation.sigmoid(), Activation.tanh()}) {
            // binary cross-entropy over a tanh output is refused when built (its outputs are no probabilities)
            Loss[] losses = a.equals(Activation.sigmoid()) ? new Loss[] {Loss.mse(), Loss.binaryCrossEntropy()} : new Loss[] {Loss.mse()};
            for (Loss loss : losses) {
                Network net = passThrough(z.length, a, loss);
                float[] out = net.predict(x).data();
                assertFinite(a + " forward", out);
                float lo = a.equals(Activation.sigmoid()) ? 0f : -1f;
                for (float v : out) assertTrue(v >= lo && v <= 1f, a + " gave " + v);
                Tensor y = Tensor.zeros(1, z.length);
                assertTrue(Double.isFinite(net.computeGradients(x, y)), a + " / " + loss + " cost");
                for (Parameter p : net.parameters()) assertFinite(a + " / " + loss + " gradient", p.grad().data());
            }
        }
        // and the backend's primitives directly, past the tails of every vector width
        Random r = new Random(4);
        int n = 67;
        float[] big = new float[n];
        for (int i = 0; i < n; i++) big[i] = (r.nextBoolean() ? 1 : -1) * (float) Math.pow(10, 1 + r.nextInt(30));
        for (ElementwiseOp op : new ElementwiseOp[] {ElementwiseOp.SIGMOID, ElementwiseOp.TANH}) {
            float[] zz = big.clone(), a = new float[n], g = new float[n];
            backend().biasActivation(op, 0f, 1, n, zz, 0, n, null, 0, a, 0, n);
            assertFinite(op + " biasActivation", a);
            java.util.Arrays.fill(g, 1f);
            backend().activationBackward(op, 0f, n, a, 0, g, 0, g, 0);
            assertFinite(op + " activationBackward", g);
        }
        float[] s = new float[n];
        backend().softmaxRows(1, n, big, 0, n, s, 0, n);
        assertFinite("softmaxRows", s);
    }

    /** y = 3x - 1 with x in [-10, 10]: a regression where SGD at lr 1e6 explodes at once. */
    private static Tensor[] regression() {
        Tensor x = Tensor.zeros(64, 1), y = Tensor.zeros(64, 1);
        for (int i = 0; i < 64; i++) {
            x.set(i, 0, -10f + 20f * i / 63);
            y.set(i, 0, 3 * x.get(i, 0) - 1);
        }
        return new Tensor[] {x, y};
    }

    @Test
    void trainerEndsInTrainingDivergedExceptionAtAHugeLearningRate() {
        Tensor[] d = regression();
        Network net = Network.builder(1).dense(8, Activation.tanh()).dense(1, Activation.identity()).loss(Loss.mse())
                .backend(backend()).build();
        Trainer trainer = Trainer.builder().optimizer(new Sgd(1e6)).epochs(50).batchSize(16).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer.fit(net, new Dataset(d[0], d[1])));
        assertTrue(e.getMessage().contains("lower the learning rate"), e.getMessage());
    }

    @Test
    void aDivergenceUnderAScheduleNamesTheRateInEffectNotOnlyTheBaseRate() {
        // the advice quoted the base rate ("now 1.0E12") although the warm-up had the updates run at ~1e6
        Tensor[] d = regression();
        Network net = Network.builder(1).dense(8, Activation.tanh()).dense(1, Activation.identity()).loss(Loss.mse())
                .backend(backend()).build();
        Sgd sgd = new Sgd(1e12);
        sgd.schedule(LearningRateSchedule.warmup(1_000_000, LearningRateSchedule.constant()));
        Trainer trainer = Trainer.builder().optimizer(sgd).epochs(50).batchSize(16).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer.fit(net, new Dataset(d[0], d[1])));
        assertTrue(sgd.steps() > 0, "diverged before any update: the test did not reach its case");
        assertTrue(e.getMessage().contains("lower the learning rate (now " + sgd.currentLearningRate() + ": "
                + sgd.schedule() + " of base rate 1.0E12)"), e.getMessage());
    }

    @Test
    void trainStepRefusesNonFiniteUpdatesSoNoWeightBecomesNaN() {
        Tensor[] d = regression();
        Network net = Network.builder(1).dense(8, Activation.relu()).dense(1, Activation.identity()).loss(Loss.mse())
                .backend(backend()).build();
        Sgd sgd = new Sgd(1e6);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            for (int i = 0; i < 1000; i++) {
                net.trainStep(d[0], d[1], sgd);
                for (Parameter p : net.parameters()) {
                    for (float v : p.value().data()) assertFalse(Float.isNaN(v), "NaN weight after step " + i);
                }
            }
        });
        assertTrue(e.getMessage().startsWith("trainStep: "), e.getMessage());
        assertTrue(e.getMessage().contains("lower the learning rate"), e.getMessage());
        for (Parameter p : net.parameters()) {
            for (float v : p.value().data()) assertFalse(Float.isNaN(v), p.name() + " is NaN");
        }
    }
}
