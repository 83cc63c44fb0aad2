package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Optimizer;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The single-sample predicts a request thread uses without a Tensor: {@link Network#predict(float[], float[])}
 * (the bits of {@link Network#predict(float...)}, into the caller's array) and
 * {@link Network#predictClass(float...)} (predictClasses's rule for one sample). Their allocation is
 * measured in {@link PredictAllocationTest}, on each backend.
 */
class SingleSamplePredictTest {
    private static Network classifier() {
        return Network.builder(5).dense(7, Activation.tanh()).dense(4, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(8).backend(ScalarBackend.INSTANCE).build();
    }

    private static float[] sample(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    @Test
    void predictIntoAnArrayGivesTheBitsOfPredict() {
        Network net = classifier();
        Random r = new Random(1);
        float[] out = new float[4];
        for (int i = 0; i < 20; i++) {
            float[] x = sample(r, 5);
            float[] before = x.clone();
            net.predict(x, out);
            assertArrayEquals(net.predict(x), out, 0f, "sample " + i);
            assertArrayEquals(before, x, 0f, "x is left as it was");
        }
    }

    @Test
    void outMayBeX() {
        Network net = Network.builder(3).dense(5, Activation.tanh()).dense(3, Activation.identity())
                .loss(Loss.mse()).seed(4).backend(ScalarBackend.INSTANCE).build();
        float[] x = {0.5f, -1f, 2f};
        float[] want = net.predict(x);
        net.predict(x, x);
        assertArrayEquals(want, x, 0f);
    }

    @Test
    void predictIntoAnArrayValidatesAsPredictDoes() {
        Network net = classifier();
        float[] out = new float[4];
        for (float[] bad : new float[][] {null, new float[4], new float[6]}) {
            String want = assertThrows(IllegalArgumentException.class, () -> net.predict(bad)).getMessage();
            assertEquals(want, assertThrows(IllegalArgumentException.class, () -> net.predict(bad, out)).getMessage());
            assertEquals(want, assertThrows(IllegalArgumentException.class, () -> net.predictClass(bad)).getMessage());
        }
        float[] nan = {1, 2, Float.NaN, 4, 5};
        String msg = assertThrows(IllegalArgumentException.class, () -> net.predict(nan, out)).getMessage();
        assertTrue(msg.contains("NaN at (0, 2)"), msg);
        assertEquals("out has 3 values, expected 4: the network's last layer gives 4 outputs per sample; pass a float[4]",
                assertThrows(IllegalArgumentException.class, () -> net.predict(new float[5], new float[3])).getMessage());
        assertEquals("out is null, expected 4: the network's last layer gives 4 outputs per sample; pass a float[4]",
                assertThrows(IllegalArgumentException.class, () -> net.predict(new float[5], null)).getMessage());
    }

    /** A write of the weights during the prediction is refused, as for every predict, and out is left alone. */
    @Test
    void aPredictDuringAWeightWriteIsRefusedAndLeavesOutAlone() {
        Network net = classifier();
        float[] x = sample(new Random(2), 5), out = {9, 9, 9, 9};
        IllegalStateException[] thrown = new IllegalStateException[2];
        net.applyUpdate(new Optimizer() {
            @Override
            public void step(Backend backend, List<Parameter> parameters) {
                thrown[0] = assertThrows(IllegalStateException.class, () -> net.predict(x, out));
                thrown[1] = assertThrows(IllegalStateException.class, () -> net.predictClass(x));
            }
        });
        for (IllegalStateException e : thrown) {
            assertTrue(e.getMessage().startsWith("the network's weights changed during predict"), e.getMessage());
        }
        assertArrayEquals(new float[] {9, 9, 9, 9}, out, 0f);
        net.predict(x, out); // works again
        assertArrayEquals(net.predict(x), out, 0f);
    }

    @Test
    void predictClassIsPredictClassesOfOneSample() {
        Random r = new Random(3);
        Network softmax = classifier();
        Network logit = Network.builder(5).dense(1, Activation.identity()).loss(Loss.binaryCrossEntropyFromLogits())
                .seed(5).backend(ScalarBackend.INSTANCE).build();
        Network sigmoid = Network.builder(5).dense(1, Activation.sigmoid()).loss(Loss.binaryCrossEntropy())
                .seed(5).backend(ScalarBackend.INSTANCE).build();
        for (Network net : new Network[] {softmax, logit, sigmoid}) {
            Tensor x = Tensor.zeros(40, 5);
            for (int i = 0; i < x.size(); i++) x.data()[i] = (float) r.nextGaussian();
            int[] want = net.predictClasses(x);
            boolean[] seen = new boolean[net.outputSize() == 1 ? 2 : net.outputSize()];
            for (int i = 0; i < x.rows(); i++) {
                assertEquals(want[i], net.predictClass(x.rowCopy(i)), net + ": sample " + i);
                seen[want[i]] = true;
            }
            assertTrue(seen[0] && seen[1], net + ": the samples reach at least two classes, so the rule is exercised");
        }
    }

    @Test
    void predictClassRefusesARegressionAsPredictClassesDoes() {
        Network reg = Network.builder(2).dense(1, Activation.identity()).loss(Loss.mse()).seed(1)
                .backend(ScalarBackend.INSTANCE).build();
        String want = assertThrows(IllegalStateException.class, () -> reg.predictClasses(Tensor.row(3f, 4f))).getMessage();
        assertEquals(want, assertThrows(IllegalStateException.class, () -> reg.predictClass(3f, 4f)).getMessage());
        // the input is checked first, as by predictClasses
        assertThrows(IllegalArgumentException.class, () -> reg.predictClass(3f));
    }

    @Test
    void aNaNOutputHasNoClass() {
        Network net = Network.builder(5).dense(7, Activation.relu()).dense(4, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(8).backend(ScalarBackend.INSTANCE).build();
        // every hidden unit overflows to Infinity, so every logit is Infinity and the softmax inf / inf
        java.util.Arrays.fill(net.parameters().get(0).value().data(), Float.MAX_VALUE);
        java.util.Arrays.fill(net.parameters().get(2).value().data(), Float.MAX_VALUE);
        float[] x = {10, 0, 0, 0, 0};
        assertTrue(Float.isNaN(net.predict(x)[0]), "the setup gives NaN outputs");
        String want = assertThrows(IllegalArgumentException.class, () -> net.predictClasses(Tensor.wrap(1, 5, x))).getMessage();
        assertEquals(want, assertThrows(IllegalArgumentException.class, () -> net.predictClass(x)).getMessage());
    }
}
