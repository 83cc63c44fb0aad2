package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input gets an IllegalArgumentException that says what was expected and what was given. */
class ValidationTest {
    private static Network net() {
        return Network.builder(3).dense(4, Activation.relu()).dense(2, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).backend(ScalarBackend.INSTANCE).build();
    }

    private static void fails(Executable e, String... fragments) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String f : fragments) {
            assertTrue(ex.getMessage().contains(f), "message '" + ex.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void shapeMismatches() {
        Network n = net();
        // expected and given, and what to pass: "built with builder(3)" meant nothing to a loaded model's reader
        fails(() -> n.predict(new float[5]), "x has 5 values, expected 3: the network's first layer takes 3 features per"
                + " sample; pass one sample's 3 features", "Tensor (batch, 3)");
        fails(() -> n.predict((float[]) null), "x is null, expected 3: the network's first layer takes 3 features");
        fails(() -> n.predict(new float[0]), "x has 0 values, expected 3");
        fails(() -> Network.builder(1).dense(1, Activation.sigmoid()).loss(Loss.mse()).build().predict(1f, 2f),
                "x has 2 values, expected 1: the network's first layer takes 1 feature per sample");
        fails(() -> n.predict(Tensor.zeros(2, 4)), "shape (2, 4)", "expected (batch, 3)");
        fails(() -> n.computeGradients(Tensor.zeros(2, 3), Tensor.zeros(3, 2)), "y (targets)", "(3, 2)", "expected (2, 2)");
        fails(() -> n.computeGradients(Tensor.zeros(2, 3), Tensor.zeros(2, 5)), "expected (2, 2)");
        fails(() -> n.predict(Tensor.zeros(2, 3), Tensor.zeros(2, 3)), "out", "expected (2, 2)");
    }

    @Test
    void nonFiniteInputsAndTargets() {
        Network n = net();
        Tensor x = Tensor.zeros(2, 3);
        x.set(1, 2, Float.NaN);
        fails(() -> n.predict(x), "NaN", "(1, 2)");
        fails(() -> n.computeGradients(x, Tensor.zeros(2, 2)), "NaN");
        Tensor y = Tensor.zeros(2, 2);
        y.set(0, 1, Float.POSITIVE_INFINITY);
        fails(() -> n.computeGradients(Tensor.zeros(2, 3), y), "Infinity", "(0, 1)");
        Tensor bad = Tensor.zeros(2, 2);
        bad.set(0, 0, 3f);
        fails(() -> n.computeGradients(Tensor.zeros(2, 3), bad), "targets must be probabilities", "one-hot");
    }

    @Test
    void emptyBatchesAndShapes() {
        fails(() -> Tensor.zeros(0, 3), "(0, 3)");
        fails(() -> Tensor.of(new float[0][]), "at least one row");
        fails(() -> Tensor.of(new float[][] {{1, 2}, {3}}), "row 1 has 1 value, expected 2");
        fails(() -> Tensor.wrap(2, 2, new float[3]), "needs 4 floats", "has 3");
    }

    @Test
    void learningRate() {
        fails(() -> new Sgd(0), "learning rate must be finite and > 0, got 0");
        fails(() -> new Sgd(-0.1), "got -0.1");
        fails(() -> new Sgd(Double.NaN), "NaN");
        fails(() -> net().trainStep(Tensor.zeros(1, 3), Tensor.zeros(1, 2), null), "optimizer is null");
    }

    @Test
    void builderChecks() {
        fails(() -> Network.builder(0), "input size must be > 0, got 0");
        fails(() -> Network.builder(3).loss(Loss.mse()).build(), "at least one layer");
        fails(() -> Network.builder(3).dense(2, Activation.relu()).build(), "no loss set");
        fails(() -> Network.builder(3).dense(0, Activation.relu()), "units must be > 0, got 0");
        fails(() -> Network.builder(3).dense(4, Activation.softmax()).dense(2, Activation.sigmoid()).loss(Loss.mse()).build(),
                "layer 1 uses softmax");
        Dense wrong = new Dense("d", 5, 2, Activation.identity(), null, new Random(1));
        fails(() -> Network.builder(3).dense(4, Activation.relu()).layer(wrong).loss(Loss.mse()).build(),
                "layer 2", "expects 5 inputs, got 4 from layer 1");
        fails(() -> Network.builder(100_000).dense(100_000, Activation.relu()).loss(Loss.mse()).build(),
                "10000100000 parameters");
        fails(() -> Activation.leakyRelu(2f), "slope must be in (0, 1)");
        fails(() -> Loss.huber(0), "Huber delta");
        fails(() -> Activation.of("swish", 0), "unknown activation 'swish'");
    }

    /** A 2 -> 2 custom layer whose activation() and parameters() return what it is given. */
    private static Layer custom(Activation activation, java.util.List<Parameter> parameters) {
        return new Layer() {
            @Override public int inputSize() { return 2; }

            @Override public int outputSize() { return 2; }

            @Override public java.util.List<Parameter> parameters() { return parameters; }

            @Override public Activation activation() { return activation; }

            @Override public void forward(org.bpnn.backend.Backend b, Tensor x, Tensor y, Tensor s, boolean t) { }

            @Override public void backward(org.bpnn.backend.Backend b, Tensor x, Tensor y, Tensor dy, boolean d, Tensor dx, Tensor s) { }

            @Override public double[] forwardDouble(double[][] p, double[] x, int batch) { return x; }

            @Override public String toString() { return "Custom"; }
        };
    }

    @Test
    void customLayersReturningNullAreNamed() {
        fails(() -> Network.builder(2).layer(custom(null, java.util.List.of())).dense(1, Activation.sigmoid())
                .loss(Loss.binaryCrossEntropy()).build(),
                "layer 1 (Custom) returned null from activation()", "Activation.identity()");
        fails(() -> Network.builder(2).dense(2, Activation.tanh()).layer(custom(null, java.util.List.of()))
                .loss(Loss.binaryCrossEntropy()).build(),
                "layer 2 (Custom) returned null from activation()");
        fails(() -> Network.builder(2).layer(custom(Activation.tanh(), null)).dense(1, Activation.sigmoid())
                .loss(Loss.mse()).build(),
                "layer 1 (Custom) returned null from parameters()", "List.of()");
        fails(() -> Network.builder(2).layer(custom(Activation.tanh(), java.util.Arrays.asList((Parameter) null)))
                .dense(1, Activation.sigmoid()).loss(Loss.mse()).build(),
                "layer 1 (Custom) returned a null element from parameters()");
        Network.builder(2).layer(custom(Activation.tanh(), java.util.List.of())).dense(1, Activation.sigmoid())
                .loss(Loss.mse()).build();
    }

    @Test
    void toStringPrintsTheArchitecture() {
        String s = net().toString();
        assertTrue(s.contains(".dense(4, Activation.relu())"), s);
        assertTrue(s.contains(".dense(2, Activation.softmax())"), s);
        assertTrue(s.contains("Loss.categoricalCrossEntropy()"), s);
        assertTrue(s.contains("26 parameters"), s);
    }

    @Test
    void extremeLogitsStayFinite() {
        Network n = Network.builder(1).dense(3, Activation.softmax()).loss(Loss.categoricalCrossEntropy())
                .backend(ScalarBackend.INSTANCE).build();
        Dense d = (Dense) n.layers().get(0);
        d.weight().value().set(0, 0, 1e4f);
        d.weight().value().set(1, 0, -1e4f);
        Tensor x = Tensor.of(new float[][] {{1f}, {-1f}});
        Tensor y = Tensor.of(new float[][] {{0, 1, 0}, {1, 0, 0}});
        double cost = n.computeGradients(x, y);
        assertTrue(Double.isFinite(cost), "cost " + cost);
        for (Parameter p : n.parameters()) assertTrue(p.grad().isFinite(), p.name());
        assertTrue(n.predict(x).isFinite());
    }

    @Test
    void aOneUnitOutputRefusesSoftmaxAndCategoricalCrossEntropy() {
        // both built and trained with loss 0, every prediction [1.0], no error
        String m = assertThrows(IllegalArgumentException.class, () -> Network.builder(2).dense(4, Activation.tanh())
                .dense(1, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).build()).getMessage();
        assertTrue(m.startsWith("the output layer has 1 unit with softmax, whose output is always 1"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Network.builder(2).dense(1, Activation.softmax())
                .loss(Loss.mse()).build()).getMessage();
        assertTrue(m.contains("use dense(1, Activation.sigmoid()) with Loss.binaryCrossEntropy(), or dense(2, Activation.softmax())"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Network.builder(2).dense(1, Activation.sigmoid())
                .loss(Loss.categoricalCrossEntropy()).build()).getMessage();
        assertTrue(m.startsWith("categorical cross-entropy needs an output per class (2 or more)"), m);
        Network.builder(2).dense(1, Activation.sigmoid()).loss(Loss.binaryCrossEntropy()).build();
        Network.builder(2).dense(2, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).build();
    }

    @Test
    void aLayerBelongsToOneNetwork() {
        // it was accepted: training A changed B's weights, and B's weight-version check did not see it
        Network a = Network.builder(2).dense(3, Activation.tanh()).dense(1, Activation.sigmoid()).loss(Loss.mse()).build();
        Layer first = a.layers().get(0);
        String m = assertThrows(IllegalArgumentException.class, () -> Network.builder(2).layer(first)
                .dense(1, Activation.sigmoid()).loss(Loss.mse()).build()).getMessage();
        assertTrue(m.startsWith("layer 1 (") && m.contains(") already belongs to another network; a layer holds its weights"), m);
        Dense fresh = new Dense("d", 2, 2, Activation.tanh(), Initializer.xavierUniform(), new Random(1));
        m = assertThrows(IllegalArgumentException.class, () -> Network.builder(2).layer(fresh).layer(fresh)
                .loss(Loss.mse()).build()).getMessage();
        assertTrue(m.contains("appears twice in this network"), m);
        Network.builder(2).layer(fresh).dense(1, Activation.sigmoid()).loss(Loss.mse()).build(); // not claimed by the failed build
    }

    @Test
    void anActivationWithoutANameOrAParameterWithoutANameOrValueIsNamed() {
        // each was a NullPointerException: the builder, Dense's default initialiser and Parameter read them
        Activation unnamed = new Activation() {
            @Override public String name() { return null; }
            @Override public void forward(org.bpnn.backend.Backend b, Tensor z, float[] bias, Tensor a) { }
            @Override public void backward(org.bpnn.backend.Backend b, Tensor z, Tensor a, Tensor g) { }
            @Override public void forwardDouble(double[] z, int off, int n, double[] a, int aOff) { }
        };
        fails(() -> Network.builder(3).dense(4, unnamed), "layer 1: the activation (", ") returned null from name(); return"
                + " a name of its own");
        fails(() -> Network.builder(2).layer(custom(unnamed, java.util.List.of())).dense(1, Activation.sigmoid())
                .loss(Loss.mse()).build(), "layer 1 (Custom): its activation (", ") returned null from name()");
        fails(() -> new Dense("mine", 3, 2, unnamed, null, new Random(1)), "mine: the activation (", "returned null from name()");
        // public (a custom layer can pick Dense's default with it): both were a NullPointerException
        fails(() -> Initializer.defaultFor(unnamed), "Initializer.defaultFor: the activation (", ") returned null from"
                + " name(); return a name of its own, e.g. \"swish\"");
        fails(() -> Initializer.defaultFor(null), "Initializer.defaultFor: activation is null; pass the layer's",
                "Activation.identity()");
        fails(() -> new Dense(null, 3, 2, Activation.relu(), null, new Random(1)), "name is null", "\"dense1\"");
        fails(() -> new Parameter(null, Tensor.zeros(1, 2), true), "parameter name is null", "\"dense1.W\"");
        fails(() -> new Parameter("gain.g", null, false), "parameter gain.g: value is null", "Tensor.zeros(rows, cols)");
    }

    @Test
    void aDenseWithoutARandomIsNamed() {
        // was a NullPointerException from inside Initializer.fill ("random" is null)
        fails(() -> new Dense("mine", 3, 2, Activation.relu(), null, null), "mine: random is null", "new Random(seed)");
    }

    @Test
    void aDropoutInstanceCannotBeTheOutputLayerEither() {
        // dropout(rate) last was refused, layer(new Dropout(..)) last was accepted: training masked the
        // outputs the loss saw, toString printed a builder call that fails, and its model file did not load
        fails(() -> Network.builder(3).dense(4, Activation.identity()).layer(new Dropout("d", 4, 0.5, 1))
                .loss(Loss.mse()).build(), "layer 2 is dropout, which cannot be the output layer");
        fails(() -> Network.builder(3).layer(new Dropout("d", 4, 0.5, 1)).dense(1, Activation.identity())
                .loss(Loss.mse()).build(), "expects 4 inputs, got 3 from the input");
        Network.builder(3).layer(new Dropout("d", 3, 0.5, 1)).dense(1, Activation.identity()).loss(Loss.mse()).build();
    }

    /** A custom layer with its own parameter (a per-feature gain y = x (.) g). */
    private static final class Gain implements Layer {
        final Parameter g = new Parameter("gain.g", Tensor.zeros(1, 2), false);

        @Override public int inputSize() { return 2; }
        @Override public int outputSize() { return 2; }
        @Override public java.util.List<Parameter> parameters() { return java.util.List.of(g); }
        @Override public void forward(org.bpnn.backend.Backend b, Tensor x, Tensor y, Tensor s, boolean training) {
            for (int i = 0; i < x.size(); i++) y.data()[i] = x.data()[i] * g.value().data()[i % 2];
        }
        @Override public void backward(org.bpnn.backend.Backend b, Tensor x, Tensor y, Tensor dy, boolean d, Tensor dx, Tensor s) {
            java.util.Arrays.fill(g.grad().data(), 0f);
            for (int i = 0; i < x.size(); i++) {
                g.grad().data()[i % 2] += dy.data()[i] * x.data()[i];
                if (dx != null) dx.data()[i] = dy.data()[i] * g.value().data()[i % 2];
            }
        }
        @Override public double[] forwardDouble(double[][] p, double[] x, int batch) {
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) y[i] = x[i] * p[0][i % 2];
            return y;
        }
        @Override public boolean equals(Object o) { return o instanceof Gain; } // a value-like equals must not matter
        @Override public int hashCode() { return 1; }
    }

    @Test
    void aCustomLayerWithParametersBelongsToOneNetwork() {
        // it was accepted: both networks shared gain.g, so training one changed the other past its weight-version check
        Gain gain = new Gain();
        Network.builder(2).layer(gain).dense(1, Activation.sigmoid()).loss(Loss.mse()).build();
        String m = assertThrows(IllegalArgumentException.class, () -> Network.builder(2).layer(gain)
                .dense(1, Activation.sigmoid()).loss(Loss.mse()).build()).getMessage();
        assertTrue(m.startsWith("layer 1 (") && m.contains(") already belongs to another network; a layer holds its weights"), m);
        Network.builder(2).layer(new Gain()).dense(1, Activation.sigmoid()).loss(Loss.mse()).build(); // equals() plays no part
        Layer scale = custom(Activation.identity(), java.util.List.of()); // no parameters: reusable
        Network.builder(2).layer(scale).dense(1, Activation.sigmoid()).loss(Loss.mse()).build();
        Network.builder(2).layer(scale).dense(1, Activation.sigmoid()).loss(Loss.mse()).build();
    }

    @Test
    void predictClassChecksTheSampleAsPredictDoes() {
        Network n = net();
        // without its check a longer sample was cut to its first 3 values, silently
        fails(() -> n.predictClass(new float[4]), "x has 4 values, expected 3");
        fails(() -> n.predictClass((float[]) null), "x is null, expected 3");
        fails(() -> n.predictClass(new float[4], 0.5f), "x has 4 values, expected 3");
        fails(() -> n.predictClass(null, 0.5f), "x is null, expected 3");
    }

    @Test
    void aNonFiniteFirstValueIsRefused() {
        // the backend's scan answers index 0 for it: a check of "> 0" instead of ">= 0" let it through
        Network n = net();
        fails(() -> n.predict(Float.NaN, 0f, 0f), "x contains NaN at (0, 0)");
        Tensor x = Tensor.zeros(2, 3);
        x.set(0, 0, Float.POSITIVE_INFINITY);
        fails(() -> n.predict(x), "x contains Infinity at (0, 0)");
    }

    @Test
    void evaluateLossChecksItsArgumentsAsComputeGradientsDoes() {
        Network n = net();
        Tensor x = Tensor.zeros(2, 3);
        x.set(1, 0, Float.NaN);
        fails(() -> n.evaluateLoss(x, Tensor.zeros(2, 2)), "x contains NaN at (1, 0)");
        fails(() -> n.evaluateLoss(Tensor.zeros(2, 3), Tensor.zeros(3, 2)), "y (targets) has shape (3, 2), expected (2, 2)");
        Tensor bad = Tensor.zeros(2, 2);
        bad.set(1, 0, 3f); // a class index where a one-hot row belongs: a finite loss without the check
        fails(() -> n.evaluateLoss(Tensor.zeros(2, 3), bad), "targets must be probabilities");
    }

    @Test
    void predictWithPreActivationChecksEveryTensor() {
        Network n = net(); // softmax + categorical cross-entropy: its cost is computed from z[L]
        Tensor x = Tensor.zeros(2, 3);
        x.set(0, 2, Float.NaN);
        fails(() -> n.predict(x, Tensor.zeros(2, 2), Tensor.zeros(2, 2)), "x contains NaN at (0, 2)");
        fails(() -> n.predict(Tensor.zeros(2, 3), Tensor.zeros(2, 3), Tensor.zeros(2, 2)), "out has shape (2, 3), expected (2, 2)");
        // a preActivation of one row took the first row's z[L] only, silently
        fails(() -> n.predict(Tensor.zeros(2, 3), Tensor.zeros(2, 2), Tensor.zeros(1, 2)),
                "preActivation has shape (1, 2), expected (2, 2)");
    }

    @Test
    void logitsToProbabilitiesChecksTheOutputsShape() {
        Network n = Network.builder(3).dense(2, Activation.identity()).loss(Loss.categoricalCrossEntropyFromLogits())
                .backend(ScalarBackend.INSTANCE).build();
        // (2, 3) read as rows of 2: a softmax over the wrong values, silently
        fails(() -> n.logitsToProbabilities(Tensor.zeros(2, 3)), "outputs has shape (2, 3), expected (2, 2)");
    }

    /** A custom layer y = x + p with one parameter p: (1, n), or none. */
    private static Layer shift(int n, boolean withParameter) {
        List<Parameter> ps = withParameter ? List.of(new Parameter("shift.p", Tensor.zeros(1, n), false)) : List.of();
        return new Layer() {
            @Override public int inputSize() { return n; }
            @Override public int outputSize() { return n; }
            @Override public List<Parameter> parameters() { return ps; }
            @Override public void forward(Backend backend, Tensor x, Tensor y, Tensor scratch, boolean training) {
                System.arraycopy(x.data(), 0, y.data(), 0, x.size());
            }
            @Override public void backward(Backend backend, Tensor x, Tensor y, Tensor dy, boolean dyIsDelta, Tensor dx,
                                           Tensor scratch) {
                if (dx != null) System.arraycopy(dy.data(), 0, dx.data(), 0, dy.size());
            }
            @Override public double[] forwardDouble(double[][] params, double[] x, int batch) {
                return x.clone();
            }
        };
    }

    @Test
    void aDropoutLayerOrACustomLayerWithParametersAppearsOnce() {
        // a dropout layer holds its mask generator, a custom one its parameters: twice in one network, they were shared
        Dropout d = new Dropout("drop", 2, 0.5, 1);
        String m = assertThrows(IllegalArgumentException.class, () -> Network.builder(2).layer(d).layer(d)
                .dense(1, Activation.sigmoid()).loss(Loss.mse()).build()).getMessage();
        assertTrue(m.startsWith("layer 2 (Dropout(0.5)) appears twice in this network"), m);
        Layer withParameter = shift(2, true);
        m = assertThrows(IllegalArgumentException.class, () -> Network.builder(2).layer(withParameter).layer(withParameter)
                .dense(1, Activation.sigmoid()).loss(Loss.mse()).build()).getMessage();
        assertTrue(m.startsWith("layer 2 (") && m.contains(") appears twice in this network"), m);
        // one without parameters holds nothing and may be reused, as Builder.layer says
        Layer without = shift(2, false);
        Network.builder(2).layer(without).layer(without).dense(1, Activation.sigmoid()).loss(Loss.mse()).build();
    }

    @Test
    void theParameterLimitIsInclusive() {
        // 2^29 units on one input: 2^29 weights and 2^29 biases, MAX_PARAMETERS exactly; check() allocates nothing
        Network.Builder atLimit = Network.builder(1).dense(1 << 29, Activation.identity()).loss(Loss.mse());
        try {
            atLimit.check();
        } catch (IllegalArgumentException e) {
            // a heap under 4 GiB refuses these weights, but by the heap, not by the limit
            assertTrue(e.getMessage().contains("more than the maximum heap"), e.getMessage());
        }
        fails(() -> Network.builder(1).dense((1 << 29) + 1, Activation.identity()).loss(Loss.mse()).check(),
                "1073741826 parameters, more than the limit of 1073741824");
    }
}
