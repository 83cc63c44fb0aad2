package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.optim.Optimizer;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Network.copy(): the way the thread rules advise to predict while another thread trains (before
 * it, the only copy was a round trip through bpnn-io's model bytes). Same architecture, loss and
 * backend, every weight copied bit for bit, nothing shared that training writes, and never a mix of
 * the weights before and after a write.
 */
class NetworkCopyTest {
    private static final Random R = new Random(7);

    private static Tensor random(int rows, int cols) {
        Tensor t = Tensor.zeros(rows, cols);
        for (int i = 0; i < t.size(); i++) t.data()[i] = (float) R.nextGaussian();
        return t;
    }

    private static Tensor oneHot(int rows, int classes) {
        Tensor t = Tensor.zeros(rows, classes);
        for (int i = 0; i < rows; i++) t.data()[i * classes + R.nextInt(classes)] = 1f;
        return t;
    }

    private static Network.Builder base() {
        return Network.builder(6).dense(10, Activation.tanh());
    }

    private static Network build(Network.Builder b) {
        return b.dense(3, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).seed(11)
                .backend(ScalarBackend.INSTANCE).build();
    }

    @Test
    void aCopyPredictsTheSameBitsAndTrainsApart() {
        Network net = build(base().dense(8, Activation.relu()));
        Tensor x = random(20, 6), y = oneHot(20, 3);
        Optimizer adam = new Adam(0.01);
        for (int i = 0; i < 5; i++) net.trainStep(x, y, adam); // weights no initialiser gives

        Network copy = net.copy();
        assertEquals(net.toString(), copy.toString(), "same architecture, loss, seed and backend");
        assertSame(net.backend(), copy.backend());
        assertSame(net.loss(), copy.loss());
        assertEquals(ParameterSnapshot.of(net), ParameterSnapshot.of(copy), "every weight copied");
        for (int p = 0; p < net.parameters().size(); p++) {
            Parameter a = net.parameters().get(p), b = copy.parameters().get(p);
            assertEquals(a.name(), b.name());
            assertEquals(a.decays(), b.decays());
            assertNotSame(a.value().data(), b.value().data(), "weights of its own");
            assertNotSame(a.grad().data(), b.grad().data(), "gradients of its own");
        }
        Tensor before = net.predict(x);
        assertArrayEquals(before.data(), copy.predict(x).data(), "bit-identical predictions");

        // training the original leaves the copy as it was, and the other way round
        ParameterSnapshot copied = ParameterSnapshot.of(copy);
        net.trainStep(x, y, adam);
        assertEquals(copied, ParameterSnapshot.of(copy));
        assertArrayEquals(before.data(), copy.predict(x).data());
        ParameterSnapshot original = ParameterSnapshot.of(net);
        copy.trainStep(x, y, new Sgd(0.5));
        assertEquals(original, ParameterSnapshot.of(net));
        assertNotEquals(copied, ParameterSnapshot.of(copy), "the copy trained");

        // both continue alike from the same state with optimisers alike
        Network a = net.copy(), b = net.copy();
        Optimizer oa = new Adam(0.01), ob = new Adam(0.01);
        for (int i = 0; i < 3; i++) {
            a.trainStep(x, y, oa);
            b.trainStep(x, y, ob);
        }
        assertEquals(ParameterSnapshot.of(a), ParameterSnapshot.of(b));
    }

    @Test
    void aCopyOfANetworkWithDropoutContinuesItsMaskGenerator() {
        // 0.45: the scale 1/(1 - rate) from the double rate and from its float differ in the last bit
        Network net = build(base().dropout(0.1).dense(8, Activation.relu()).dropout(0.45));
        Tensor x = random(16, 6), y = oneHot(16, 3);
        for (int i = 0; i < 3; i++) net.trainStep(x, y, new Sgd(0.1)); // the generators moved on

        Network copy = net.copy();
        for (int l : new int[] {1, 3}) {
            Dropout d = (Dropout) net.layers().get(l), c = (Dropout) copy.layers().get(l);
            assertNotSame(d, c, "a generator of its own");
            assertEquals(d.rngState(), c.rngState());
            assertEquals(d.rate(), c.rate());
            assertEquals(d.isEnabled(), c.isEnabled());
        }
        assertArrayEquals(net.predict(x).data(), copy.predict(x).data());
        // the same masks and scale: a training step gives the same bits on both
        net.trainStep(x, y, new Sgd(0.1));
        copy.trainStep(x, y, new Sgd(0.1));
        assertEquals(ParameterSnapshot.of(net), ParameterSnapshot.of(copy));
        assertEquals(((Dropout) net.layers().get(1)).rngState(), ((Dropout) copy.layers().get(1)).rngState());
        // and apart: the original's steps leave the copy's generator where it was
        long copyState = ((Dropout) copy.layers().get(1)).rngState();
        net.trainStep(x, y, new Sgd(0.1));
        assertEquals(copyState, ((Dropout) copy.layers().get(1)).rngState());

        ((Dropout) net.layers().get(3)).setEnabled(false);
        assertTrue(!((Dropout) net.copy().layers().get(3)).isEnabled(), "switched off as the original");
        assertTrue(((Dropout) net.copy().layers().get(1)).isEnabled());
    }

    /** An optimiser that adds 1 to every weight, one parameter at a time, calling {@code between} half-way. */
    private static Optimizer addOneWith(Runnable between) {
        return (Backend backend, List<Parameter> parameters) -> {
            for (int p = 0; p < parameters.size(); p++) {
                if (p == parameters.size() / 2) between.run();
                float[] v = parameters.get(p).value().data();
                for (int i = 0; i < v.length; i++) v[i] += 1f;
            }
        };
    }

    /**
     * A copy requested on another thread while a write is half done waits for the write to end: it
     * holds every weight after the write, not the first half new and the second half old. The writer
     * resumes only once the copying thread is parked in copy(), so the copy starts inside the write.
     */
    @Test
    @Timeout(60)
    void aCopyDuringAWeightWriteWaitsForItAndNeverMixesWeights() throws Exception {
        Network net = build(base().dense(8, Activation.relu()));
        Network[] copied = new Network[1];
        Throwable[] failed = new Throwable[1];
        Thread copier = new Thread(() -> {
            try {
                copied[0] = net.copy();
            } catch (Throwable t) {
                failed[0] = t;
            }
        });
        net.applyUpdate(addOneWith(() -> {
            copier.start();
            // parked in copy()'s wait: the write is in progress (half the parameters updated)
            while (copier.getState() != Thread.State.TIMED_WAITING && copier.isAlive()) {
                Thread.onSpinWait();
            }
        }));
        copier.join();
        if (failed[0] != null) throw new AssertionError("copy failed", failed[0]);
        assertEquals(ParameterSnapshot.of(net), ParameterSnapshot.of(copied[0]), "the weights after the whole write");
    }

    @Test
    void aCopyInsideAWeightWriteOnTheWritingThreadIsRefused() {
        Network net = build(base());
        IllegalStateException[] thrown = new IllegalStateException[1];
        net.applyUpdate(addOneWith(() -> thrown[0] = assertThrows(IllegalStateException.class, net::copy)));
        assertTrue(thrown[0].getMessage().contains("inside a weight write on the writing thread"), thrown[0].getMessage());
        assertEquals(ParameterSnapshot.of(net), ParameterSnapshot.of(net.copy()), "after the write it copies");
    }

    /** A parameterless custom layer without copyStructure, shared as the builder allows. */
    private static final class Negate implements Layer {
        @Override public int inputSize() { return 10; }
        @Override public int outputSize() { return 10; }
        @Override public List<Parameter> parameters() { return List.of(); }
        @Override public void forward(Backend b, Tensor x, Tensor y, Tensor s, boolean training) {
            for (int i = 0; i < x.size(); i++) y.data()[i] = -x.data()[i];
        }
        @Override public void backward(Backend b, Tensor x, Tensor y, Tensor dy, boolean d, Tensor dx, Tensor s) {
            if (dx != null) for (int i = 0; i < dy.size(); i++) dx.data()[i] = -dy.data()[i];
        }
        @Override public double[] forwardDouble(double[][] params, double[] x, int batch) {
            double[] y = x.clone();
            for (int i = 0; i < y.length; i++) y[i] = -y[i];
            return y;
        }
    }

    @Test
    void customLayers() {
        Layer negate = new Negate();
        Network net = build(base().layer(negate));
        Network copy = net.copy();
        assertSame(negate, copy.layers().get(1), "a layer without parameters is shared");
        Tensor x = random(4, 6);
        assertArrayEquals(net.predict(x).data(), copy.predict(x).data());

        Parameter w = new Parameter("scale.w", Tensor.zeros(1, 10), true);
        Layer withWeights = new Layer() {
            @Override public int inputSize() { return 10; }
            @Override public int outputSize() { return 10; }
            @Override public List<Parameter> parameters() { return List.of(w); }
            @Override public void forward(Backend b, Tensor x, Tensor y, Tensor s, boolean training) { y.copyFrom(x); }
            @Override public void backward(Backend b, Tensor x, Tensor y, Tensor dy, boolean d, Tensor dx, Tensor s) {}
            @Override public double[] forwardDouble(double[][] params, double[] x, int batch) { return x.clone(); }
            @Override public String toString() { return "Scale"; }
        };
        Network held = build(base().layer(withWeights));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, held::copy);
        assertTrue(e.getMessage().startsWith("layer 2 (Scale) is a custom layer with parameters that does not implement"
                + " Layer.copyStructure(long)"), e.getMessage());
    }

    /** y = x (.) w for a parameter w: (1, 10); copyStructure gives what {@code copier} makes of it. */
    private static final class Scale implements Layer {
        final Parameter w;
        final java.util.function.Function<Scale, Layer> copier;

        Scale(Parameter w, java.util.function.Function<Scale, Layer> copier) {
            this.w = w;
            this.copier = copier;
        }

        static Scale fresh(java.util.function.Function<Scale, Layer> copier) {
            return new Scale(new Parameter("scale.w", Tensor.zeros(1, 10), true), copier);
        }

        @Override public int inputSize() { return 10; }
        @Override public int outputSize() { return 10; }
        @Override public List<Parameter> parameters() { return List.of(w); }
        @Override public void forward(Backend b, Tensor x, Tensor y, Tensor s, boolean training) {
            for (int i = 0; i < x.size(); i++) y.data()[i] = x.data()[i] * w.value().data()[i % 10];
        }
        @Override public void backward(Backend b, Tensor x, Tensor y, Tensor dy, boolean d, Tensor dx, Tensor s) {
            float[] g = w.grad().data();
            java.util.Arrays.fill(g, 0f);
            for (int i = 0; i < dy.size(); i++) {
                g[i % 10] += dy.data()[i] * x.data()[i];
                if (dx != null) dx.data()[i] = dy.data()[i] * w.value().data()[i % 10];
            }
        }
        @Override public double[] forwardDouble(double[][] params, double[] x, int batch) {
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) y[i] = x[i] * params[0][i % 10];
            return y;
        }
        @Override public Layer copyStructure(long seed) { return copier.apply(this); }
        @Override public String toString() { return "Scale"; }
    }

    @Test
    void aCustomLayerWithParametersIsCopiedThroughCopyStructure() {
        Scale scale = Scale.fresh(s -> Scale.fresh(s.copier));
        for (int i = 0; i < 10; i++) scale.w.value().data()[i] = 0.5f + i;
        Network net = build(base().layer(scale));
        Network copy = net.copy();
        Layer copied = copy.layers().get(1);
        assertNotSame(scale, copied);
        assertArrayEquals(scale.w.value().data(), copied.parameters().get(0).value().data(), "its values copied");
        Tensor x = random(4, 6);
        assertArrayEquals(net.predict(x).data(), copy.predict(x).data());
        Tensor y = Tensor.zeros(4, 3);
        for (int i = 0; i < 4; i++) y.set(i, i % 3, 1f);
        copy.trainStep(x, y, new Sgd(0.5));
        assertNotEquals(0.5f, copied.parameters().get(0).value().data()[0], "the copy trains");
        assertEquals(0.5f, scale.w.value().data()[0], "and the original is left alone");
    }

    @Test
    void aCopyStructureThatGivesNoNewLayerOfTheSameShapeIsRefused() {
        List<java.util.function.Function<Scale, Layer>> wrong = List.of(
                s -> s, // itself
                s -> null,
                s -> new Scale(s.w, s.copier), // a new layer sharing the parameter
                s -> new Scale(new Parameter("scale.w", Tensor.zeros(1, 9), true), s.copier), // another size
                s -> new Negate()); // no parameters
        for (java.util.function.Function<Scale, Layer> copier : wrong) {
            Network net = build(base().layer(Scale.fresh(copier)));
            IllegalStateException e = assertThrows(IllegalStateException.class, net::copy);
            assertTrue(e.getMessage().startsWith("layer 2 (Scale): copyStructure returned ")
                    && e.getMessage().contains("not a new layer with the same input and output sizes and new parameters of the"
                    + " same sizes ([scale.w"), e.getMessage());
        }
    }
}
