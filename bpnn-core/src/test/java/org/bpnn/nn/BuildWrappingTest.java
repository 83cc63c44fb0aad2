package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Network.Builder.buildWrapping: the network build() gives, around given parameter values, with no
 * initial weight drawn (a model load drew every one only for the file's to overwrite it).
 */
class BuildWrappingTest {
    private static final Backend SCALAR = ScalarBackend.INSTANCE;

    /** An initialiser that counts the values it is asked to draw (and draws He normal). */
    private static final class Counting implements Initializer {
        long drawn;

        @Override
        public void fill(float[] w, int fanIn, int fanOut, Random random) {
            drawn += w.length;
            Initializer.heNormal().fill(w, fanIn, fanOut, random);
        }
    }

    private static Network.Builder builder(Initializer init) {
        return Network.builder(6)
                .dense(5, Activation.relu(), init)
                .dropout(0.3)
                .dense(3, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy())
                .seed(1234)
                .backend(SCALAR);
    }

    private static float[][] values(Network n) {
        return ParameterSnapshot.of(n).values();
    }

    @Test
    void buildWrappingRunsNoInitialiser() {
        Counting counting = new Counting();
        Network drawn = builder(counting).build();
        assertEquals(30, counting.drawn); // build() draws the 5 x 6 weights of the first layer
        counting.drawn = 0;
        Network wrapped = builder(counting).buildWrapping(values(drawn));
        assertEquals(0, counting.drawn, "buildWrapping ran the initialiser");
        assertSame(counting, ((Dense) wrapped.layers().get(0)).initializer(), "the initialiser is recorded all the same");
    }

    @Test
    void theArraysBecomeTheParametersNotCopies() {
        float[][] v = values(builder(null).build());
        Network n = builder(null).buildWrapping(v);
        for (int i = 0; i < v.length; i++) {
            assertSame(v[i], n.parameters().get(i).value().data(), "parameter " + i);
        }
    }

    /** Everything but how the values came is build()'s: names, initialisers, seed, dropout, predictions, training. */
    @Test
    void aWrappedNetworkIsTheBuiltOneWithTheGivenValues() {
        Network built = builder(null).build();
        Network wrapped = builder(null).buildWrapping(values(built));
        assertEquals(built.toString(), wrapped.toString());
        assertEquals(built.seed(), wrapped.seed());
        assertEquals(ParameterSnapshot.of(built), ParameterSnapshot.of(wrapped));
        for (int i = 0; i < built.parameters().size(); i++) {
            Parameter a = built.parameters().get(i), b = wrapped.parameters().get(i);
            assertEquals(a.toString(), b.toString());
            assertEquals(a.decays(), b.decays());
        }
        Dense d0 = (Dense) built.layers().get(0), w0 = (Dense) wrapped.layers().get(0);
        assertSame(d0.initializer(), w0.initializer());
        assertEquals(((Dense) built.layers().get(2)).initializer(), ((Dense) wrapped.layers().get(2)).initializer());
        assertEquals(((Dropout) built.layers().get(1)).rngState(), ((Dropout) wrapped.layers().get(1)).rngState());

        Random r = new Random(3);
        Tensor x = Tensor.zeros(8, 6), y = Tensor.zeros(8, 3);
        for (int i = 0; i < x.size(); i++) x.data()[i] = (float) r.nextGaussian();
        for (int i = 0; i < 8; i++) y.data()[i * 3 + r.nextInt(3)] = 1f;
        assertArrayEquals(built.predict(x).data(), wrapped.predict(x).data());
        Adam a = new Adam(0.01), b = new Adam(0.01);
        for (int step = 0; step < 5; step++) { // dropout masks drawn, weights updated: the same bits
            assertEquals(built.trainStep(x, y, a), wrapped.trainStep(x, y, b));
        }
        assertEquals(ParameterSnapshot.of(built), ParameterSnapshot.of(wrapped));
        assertEquals(((Dropout) built.layers().get(1)).rngState(), ((Dropout) wrapped.layers().get(1)).rngState());
    }

    @Test
    void aCustomLayersParametersTakeTheirValues() {
        Network source = Network.builder(2).layer(new Dense("mine", 2, 3, Activation.tanh(), null, new Random(1)))
                .dense(1, Activation.sigmoid()).loss(Loss.binaryCrossEntropy()).backend(SCALAR).build();
        Dense custom = new Dense("mine", 2, 3, Activation.tanh(), null, new Random(2));
        float[][] v = values(source);
        Network n = Network.builder(2).layer(custom).dense(1, Activation.sigmoid()).loss(Loss.binaryCrossEntropy())
                .backend(SCALAR).buildWrapping(v);
        assertEquals(ParameterSnapshot.of(source), ParameterSnapshot.of(n));
        assertArrayEquals(v[0], custom.weight().value().data());
    }

    @Test
    void theArchitectureIsCheckedFirst() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Network.builder(2).dense(2, Activation.softmax()).buildWrapping(null));
        assertTrue(e.getMessage().startsWith("no loss set"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Network.builder(2).dense(2, Activation.softmax()).check());
        assertTrue(e.getMessage().startsWith("no loss set"), e.getMessage());
        builder(null).check(); // a network build() builds passes
    }

    @Test
    void parametersAreValidatedWithWhatWasExpected() {
        float[][] good = values(builder(null).build());
        assertEquals("parameters is null; pass one array per parameter, in the order network.parameters() lists them"
                        + " (ParameterSnapshot.values() gives them), or call build() to draw initial weights",
                assertThrows(IllegalArgumentException.class, () -> builder(null).buildWrapping(null)).getMessage());
        assertEquals("parameters has 3 arrays, but the network has 4 parameters (dense1.W (5, 6), dense1.b (1, 5),"
                        + " dense3.W (3, 5), dense3.b (1, 3)); pass one array per parameter, in the order network.parameters()"
                        + " lists them",
                assertThrows(IllegalArgumentException.class,
                        () -> builder(null).buildWrapping(new float[][] {good[0], good[1], good[2]})).getMessage());

        float[][] nullOne = good.clone();
        nullOne[2] = null;
        assertEquals("parameters[2] (dense3.W (3, 5)) is null; pass its 15 values",
                assertThrows(IllegalArgumentException.class, () -> builder(null).buildWrapping(nullOne)).getMessage());

        float[][] shortOne = good.clone();
        shortOne[1] = new float[4];
        assertEquals("parameters[1] (dense1.b (1, 5)) has 4 values, expected 5; pass one array per parameter, in the"
                        + " order network.parameters() lists them (a weight matrix (out, in) row-major, then its bias)",
                assertThrows(IllegalArgumentException.class, () -> builder(null).buildWrapping(shortOne)).getMessage());

        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[][] nonFinite = values(builder(null).build());
            nonFinite[2][7] = bad;
            assertEquals("parameters[2] (dense3.W (3, 5)) value 7 is " + bad + "; a network's parameters must be finite:"
                            + " pass weights from a training that did not diverge",
                    assertThrows(IllegalArgumentException.class, () -> builder(null).buildWrapping(nonFinite)).getMessage());
        }

        float[] one = new float[5];
        Network.Builder b = Network.builder(6).dense(5, Activation.relu()).dense(5, Activation.relu())
                .dense(3, Activation.softmax()).loss(Loss.categoricalCrossEntropy());
        float[][] withRepeat = {new float[30], one, new float[25], one, new float[15], new float[3]};
        assertEquals("parameters[3] (dense2.b (1, 5)) is the same array as an earlier parameter; the arrays become the"
                        + " network's parameters, so each must be an array of its own (pass a copy: a.clone())",
                assertThrows(IllegalArgumentException.class, () -> b.buildWrapping(withRepeat)).getMessage());
    }

    @Test
    void anotherNetworksArraysAreRefused() {
        Network built = builder(null).build();
        float[][] live = new float[4][];
        for (int i = 0; i < 4; i++) live[i] = built.parameters().get(i).value().data();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder(null).buildWrapping(live));
        assertEquals("parameters[0] (dense1.W (5, 6)) is already the values of a parameter of another network; the arrays"
                + " become the network's parameters, so pass arrays of their own (a copy: a.clone(), or"
                + " ParameterSnapshot.of(network).values())", e.getMessage());

        float[][] v = values(built);
        Network first = builder(null).buildWrapping(v);
        assertThrows(IllegalArgumentException.class, () -> builder(null).buildWrapping(v), "wrapped twice");
        assertSame(v[0], first.parameters().get(0).value().data());
    }
}
