package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every hidden activation x every loss (with each output activation it is used with) x a multi-layer
 * network, on random shapes and seeds: the analytic backward pass must match double-precision
 * finite differences. Subclasses run the same checks on another backend.
 */
public class GradientCheckTest {

    /** The backend under test; the scalar reference by default. */
    protected Backend backend() {
        return ScalarBackend.INSTANCE;
    }

    static final Activation[] HIDDEN = {
        Activation.identity(), Activation.sigmoid(), Activation.tanh(), Activation.relu(), Activation.leakyRelu(0.1f)
    };

    /** (loss, output activation, kind of target) */
    static Stream<Arguments> lossesWithOutputs() {
        List<Arguments> list = new ArrayList<>();
        // ReLU and leaky ReLU outputs too (a non-negative regression target): every activation the library
        // offers is an output activation the builder accepts with the regression losses
        for (Activation out : new Activation[] {Activation.identity(), Activation.tanh(), Activation.sigmoid(), Activation.softmax(),
                Activation.relu(), Activation.leakyRelu(0.1f)}) {
            list.add(Arguments.of(Loss.mse(), out, "real"));
            list.add(Arguments.of(Loss.mae(), out, "real"));
            list.add(Arguments.of(Loss.huber(0.3), out, "real"));
        }
        list.add(Arguments.of(Loss.binaryCrossEntropy(), Activation.sigmoid(), "binary"));   // fused
        list.add(Arguments.of(Loss.binaryCrossEntropy(), Activation.softmax(), "binary"));   // Jacobian path
        list.add(Arguments.of(Loss.binaryCrossEntropyFromLogits(), Activation.identity(), "binary"));
        list.add(Arguments.of(Loss.categoricalCrossEntropy(), Activation.softmax(), "onehot")); // fused
        list.add(Arguments.of(Loss.categoricalCrossEntropy(), Activation.softmax(), "soft"));   // fused, soft labels
        list.add(Arguments.of(Loss.categoricalCrossEntropy(), Activation.sigmoid(), "onehot")); // not fused
        list.add(Arguments.of(Loss.categoricalCrossEntropyFromLogits(), Activation.identity(), "onehot"));
        list.add(Arguments.of(Loss.categoricalCrossEntropyFromLogits(), Activation.identity(), "soft"));
        // targets the formulas must not assume away: soft binary targets in (0, 1), and multi-hot rows
        // whose sum s is not 1 (the fused softmax delta is a s - y, not a - y)
        list.add(Arguments.of(Loss.binaryCrossEntropy(), Activation.sigmoid(), "soft"));       // fused
        list.add(Arguments.of(Loss.binaryCrossEntropyFromLogits(), Activation.identity(), "soft"));
        list.add(Arguments.of(Loss.categoricalCrossEntropy(), Activation.softmax(), "binary")); // fused, multi-hot
        list.add(Arguments.of(Loss.categoricalCrossEntropyFromLogits(), Activation.identity(), "binary"));
        return list.stream();
    }

    static Tensor targets(String kind, int m, int k, Random r) {
        Tensor y = Tensor.zeros(m, k);
        for (int i = 0; i < m; i++) {
            double sum = 0;
            int hot = r.nextInt(k);
            for (int j = 0; j < k; j++) {
                float v;
                switch (kind) {
                    case "real": v = (float) (0.5 * r.nextGaussian()); break;
                    case "binary": v = r.nextBoolean() ? 1f : 0f; break;
                    case "onehot": v = j == hot ? 1f : 0f; break;
                    default: v = (float) r.nextDouble(); sum += v; break;
                }
                y.set(i, j, v);
            }
            if (kind.equals("soft")) {
                for (int j = 0; j < k; j++) y.set(i, j, (float) (y.get(i, j) / sum));
            }
        }
        return y;
    }

    /**
     * Biases start at zero; behind a dead ReLU unit that puts z exactly on ReLU's kink, where the
     * derivative is one-sided and no finite difference can agree. Random biases move the check to a
     * generic point.
     */
    static void randomBiases(Network net, Random r) {
        for (Parameter p : net.parameters()) {
            if (!p.decays()) {
                for (int i = 0; i < p.size(); i++) p.value().data()[i] = (float) (r.nextDouble() - 0.5);
            }
        }
    }

    static Tensor inputs(int m, int n, Random r) {
        Tensor x = Tensor.zeros(m, n);
        for (int i = 0; i < x.size(); i++) x.data()[i] = (float) r.nextGaussian();
        return x;
    }

    @ParameterizedTest(name = "{0} on {1} output, {2} targets")
    @MethodSource("lossesWithOutputs")
    void everyHiddenActivationWithEveryLoss(Loss loss, Activation outAct, String kind) {
        Random r = new Random(loss.name().hashCode() * 31L + outAct.name().hashCode());
        for (Activation hidden : HIDDEN) {
            int in = 1 + r.nextInt(6), h1 = 1 + r.nextInt(7), h2 = 1 + r.nextInt(5);
            int out = kind.equals("real") || kind.equals("binary") ? 1 + r.nextInt(4) : 2 + r.nextInt(4);
            if (outAct.name().equals("softmax")) out = Math.max(2, out); // a 1-unit softmax is refused (constant 1)
            int m = 1 + r.nextInt(6);
            Network net = Network.builder(in)
                    .dense(h1, hidden)
                    .dense(h2, hidden)
                    .dense(out, outAct)
                    .loss(loss)
                    .seed(r.nextLong())
                    .backend(backend())
                    .build();
            randomBiases(net, r);
            Tensor x = inputs(m, in, r);
            Tensor y = targets(kind, m, out, r);
            GradientCheck.Result res = GradientCheck.check(net, x, y);
            assertTrue(res.passed(), () -> hidden + " hidden, " + net.layers() + ", " + loss + ": " + res);
        }
    }

    /**
     * The sample-weighted cost (Network.computeGradients(x, y, w): delta[L]'s rows times their weights)
     * against finite differences of sum_i w_i L_i / m built from the loss's unweighted per-row
     * valueDouble, for every loss and output activation, fused or not: weights 0, fractions, 1 and
     * above. A missing or misplaced scaling (e.g. applied to the unfused dL/da[L] after the output
     * layer's backward, or a division by the weights' sum) fails here.
     */
    @ParameterizedTest(name = "weighted {0} on {1} output, {2} targets")
    @MethodSource("lossesWithOutputs")
    void weightedCostWithEveryLoss(Loss loss, Activation outAct, String kind) {
        Random r = new Random(loss.name().hashCode() * 13L + outAct.name().hashCode() + kind.hashCode());
        float[] choices = {0f, 0.25f, 1f, 1.5f, 3f, 7f};
        for (Activation hidden : new Activation[] {Activation.tanh(), Activation.leakyRelu(0.1f)}) {
            int in = 1 + r.nextInt(5), h = 2 + r.nextInt(5);
            int out = outAct.name().equals("softmax") || loss.name().startsWith("categorical") || kind.equals("onehot")
                    || kind.equals("soft") ? 2 + r.nextInt(3)
                    : 1 + r.nextInt(3);
            int m = 3 + r.nextInt(5);
            Network net = Network.builder(in).dense(h, hidden).dense(out, outAct).loss(loss).seed(r.nextLong())
                    .backend(backend()).build();
            randomBiases(net, r);
            Tensor x = inputs(m, in, r), y = targets(kind, m, out, r), w = Tensor.zeros(m, 1);
            for (int i = 0; i < m; i++) w.data()[i] = choices[(i + r.nextInt(choices.length)) % choices.length];
            w.data()[0] = 0f; // a row that must not count
            w.data()[1] = 3f;
            GradientCheck.Result res = GradientCheck.check(net, x, y, w);
            assertTrue(res.passed(), () -> hidden + " hidden, " + net.layers() + ", " + loss + ", weights "
                    + java.util.Arrays.toString(w.data()) + ": " + res);
            // the cost checked is the weighted one
            assertEquals(loss.value(net.predict(x), y, w), res.cost(), 1e-6 * Math.max(1, Math.abs(res.cost())));
        }
    }

    @Test
    void deeperAndWiderNetwork() {
        Random r = new Random(11);
        Network net = Network.builder(13)
                .dense(17, Activation.tanh())
                .dense(9, Activation.relu())
                .dense(8, Activation.sigmoid())
                .dense(5, Activation.leakyRelu(0.2f))
                .dense(4, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy())
                .seed(5)
                .backend(backend())
                .build();
        GradientCheck.Result res = GradientCheck.check(net, inputs(7, 13, r), targets("onehot", 7, 4, r));
        assertTrue(res.passed(), res::toString);
        assertTrue(res.checked() > 500, "checked " + res.checked());
    }

    /**
     * The largest |z| at the output for which the check is meaningful. Binary cross-entropy on
     * probabilities is computed from p alone, as -log(1 - p) for y = 0, and 1 - p cancels once p is
     * near 1: in the double reference the finite difference loses all its digits near z = 25
     * (1 - p = 1.4e-11 is known to 1e-16 / 1.4e-11 = 7e-6 relative, more than the step h = 1e-6 moves
     * it; measured: numeric 0 against analytic 1 at z = 25, 1.023 against 1 at z = 20), and in float
     * the value saturates at the clamp, -log(1e-12) = 27.6, from z = 17 on (the fused gradient a - y
     * stays exact). So it is checked to |z| = 12 on a sigmoid and 6 on a softmax (logit gaps of 12).
     * Categorical cross-entropy on a softmax clamps log a at log(1e-30) (gaps of 69): checked to 30.
     * The losses on logits are exact and are checked to |z| = 100, the rest to 50 (sigmoid and tanh
     * are flat in float beyond 17 and 9).
     */
    static double extremeLimit(Loss loss, Activation out) {
        String name = loss.name();
        if (name.equals("binary_cross_entropy")) {
            return out.equals(Activation.softmax()) ? 6 : 12;
        }
        if (name.equals("categorical_cross_entropy")) {
            return out.equals(Activation.softmax()) ? 30 : 50;
        }
        if (name.endsWith("_logits") || out.equals(Activation.identity())) {
            return 100;
        }
        return 50;
    }

    /** One dense layer with W = I and b = 0, so its z is the input itself. */
    Network passThrough(int n, Activation out, Loss loss) {
        Network net = Network.builder(n).dense(n, out).loss(loss).backend(backend()).build();
        float[] w = net.parameters().get(0).value().data();
        java.util.Arrays.fill(w, 0f);
        for (int i = 0; i < n; i++) w[i * n + i] = 1f;
        return net;
    }

    /**
     * Every loss with every output activation at extreme but finite pre-activations: saturated
     * sigmoid and tanh, softmax with a dominant logit, logits far from 0 (up to the limits of
     * {@link #extremeLimit}).
     */
    @ParameterizedTest(name = "{0} on {1} output, {2} targets")
    @MethodSource("lossesWithOutputs")
    void extremeButFiniteOutputPreActivations(Loss loss, Activation outAct, String kind) {
        Random r = new Random(loss.name().hashCode() * 17L + outAct.name().hashCode() + kind.hashCode());
        double limit = extremeLimit(loss, outAct);
        double[] where = {-1, -0.9, -0.6, -0.3, -0.1, 0.05, 0.2, 0.45, 0.8, 1};
        int k = 4, m = 5;
        Network net = passThrough(k, outAct, loss);
        Tensor x = Tensor.zeros(m, k);
        for (int i = 0; i < x.size(); i++) x.data()[i] = (float) (limit * where[r.nextInt(where.length)]);
        Tensor y = targets(kind, m, k, r);
        GradientCheck.Result res = GradientCheck.check(net, x, y);
        assertTrue(res.passed(), () -> outAct + " output, " + loss + ", " + kind + " targets, |z| <= " + limit + ": " + res);
    }

    /**
     * Hidden sigmoid, tanh, ReLU and leaky ReLU driven far into saturation (inputs up to +-30) under
     * a loss on logits: the derivatives written through the float output (a (1 - a), 1 - a^2) stay
     * within the check's tolerance.
     */
    @Test
    void saturatedHiddenActivations() {
        for (Activation hidden : HIDDEN) {
            for (Loss loss : new Loss[] {Loss.mse(), Loss.categoricalCrossEntropyFromLogits(), Loss.binaryCrossEntropyFromLogits()}) {
                Random r = new Random(31);
                Network net = Network.builder(4).dense(7, hidden).dense(3, Activation.identity()).loss(loss).seed(3)
                        .backend(backend()).build();
                randomBiases(net, r);
                Tensor x = inputs(6, 4, r);
                for (int i = 0; i < x.size(); i++) x.data()[i] *= 30f;
                String kind = loss.equals(Loss.mse()) ? "real" : loss.equals(Loss.binaryCrossEntropyFromLogits()) ? "binary" : "onehot";
                GradientCheck.Result res = GradientCheck.check(net, x, targets(kind, 6, 3, r));
                assertTrue(res.passed(), () -> hidden + " hidden at inputs of +-30, " + loss + ": " + res);
            }
        }
    }

    /**
     * Points next to the kinks. ReLU and leaky ReLU at z = +-1e-3 (the finite difference, h = 1e-6,
     * does not cross 0) pass; at z = 0 exactly the backends take the left derivative (documented in
     * ElementwiseOp), which no central difference reproduces, so the kink itself is excluded, and
     * only the documented one-sided value is asserted. MAE at a zero residual takes the subgradient
     * 0, which the symmetric difference of |r| also gives; Huber at |r| = delta exactly is
     * continuously differentiable.
     */
    @Test
    void nextToTheKinks() {
        float[] near = {1e-3f, -1e-3f, 2e-3f, -1.5e-3f};
        for (Activation act : new Activation[] {Activation.relu(), Activation.leakyRelu(0.1f)}) {
            Network net = Network.builder(4).dense(4, act).dense(2, Activation.identity()).loss(Loss.mse()).seed(8)
                    .backend(backend()).build();
            float[] w = net.parameters().get(0).value().data();
            java.util.Arrays.fill(w, 0f);
            for (int i = 0; i < 4; i++) w[i * 4 + i] = 1f;
            Tensor x = Tensor.zeros(3, 4);
            for (int i = 0; i < x.size(); i++) x.data()[i] = near[(i + i / 4) % 4];
            GradientCheck.Result res = GradientCheck.check(net, x, targets("real", 3, 2, new Random(9)));
            assertTrue(res.passed(), () -> act + " at z = +-1e-3: " + res);

            // z = 0 exactly (x = 0, b = 0): db1 = f'(0) * column sums of dL/da1, with a1 = 0, so a2 = b2 = 0
            // and dL/da1 = delta2 W2, delta2 = 2 (0 - y) / (m k): f'(0) is the documented left derivative
            Tensor y0 = targets("real", 3, 2, new Random(10));
            java.util.Arrays.fill(net.parameters().get(1).value().data(), 0f);
            java.util.Arrays.fill(net.parameters().get(3).value().data(), 0f);
            net.computeGradients(Tensor.zeros(3, 4), y0);
            float[] db = net.parameters().get(1).grad().data();
            float[] w2 = net.parameters().get(2).value().data(); // (2, 4)
            double slope = act.equals(Activation.relu()) ? 0 : 0.1;
            for (int j = 0; j < 4; j++) {
                double sum = 0;
                for (int i = 0; i < 3; i++) {
                    for (int o = 0; o < 2; o++) sum += 2 * (0 - y0.get(i, o)) / 6.0 * w2[o * 4 + j];
                }
                org.junit.jupiter.api.Assertions.assertEquals(slope * sum, db[j], 1e-6, act + ": f'(0) is the left derivative");
            }
        }
        // MAE with the output equal to the target (W = 0, b = y, the same target in every row)
        Network mae = Network.builder(3).dense(2, Activation.identity()).loss(Loss.mae()).backend(backend()).build();
        java.util.Arrays.fill(mae.parameters().get(0).value().data(), 0f);
        float[] yRow = {0.25f, -0.75f};
        System.arraycopy(yRow, 0, mae.parameters().get(1).value().data(), 0, 2);
        Tensor ym = Tensor.zeros(4, 2);
        for (int i = 0; i < 4; i++) {
            ym.set(i, 0, yRow[0]);
            ym.set(i, 1, yRow[1]);
        }
        GradientCheck.Result resMae = GradientCheck.check(mae, inputs(4, 3, new Random(11)), ym);
        assertTrue(resMae.passed(), () -> "MAE at a zero residual: " + resMae);
        // Huber (delta 0.5) with every residual exactly +-delta
        Network huber = Network.builder(3).dense(2, Activation.identity()).loss(Loss.huber(0.5)).backend(backend()).build();
        java.util.Arrays.fill(huber.parameters().get(0).value().data(), 0f);
        float[] b = huber.parameters().get(1).value().data();
        b[0] = 0.75f; // y 0.25 + delta
        b[1] = -1.25f; // y -0.75 - delta
        GradientCheck.Result resHuber = GradientCheck.check(huber, inputs(4, 3, new Random(12)), ym);
        assertTrue(resHuber.passed(), () -> "Huber at |r| = delta: " + resHuber);
    }

    /**
     * Every name {@link Activation#of} accepts, built through it, with the parameter it takes: leaky ReLU at
     * its default slope 0.01, at 0.3 and at 0.9 (the tests above use 0.1 and 0.2 from the factory), as a
     * hidden activation (not softmax, which is refused there) and as the output under MSE. Near a slope of 1
     * leaky ReLU is almost linear, near 0.01 it is almost ReLU: a backward that used 1 or 0 for the negative
     * side, or the slope of another instance, fails at one of them. The default tolerances (rtol 1e-3 against
     * a double reference with h = 1e-6) are the ones every other check here uses: the analytic side is float.
     */
    @Test
    void everyActivationNameWithItsParameters() {
        Random r = new Random(2026);
        for (String name : Activation.names()) {
            for (float slope : new float[] {0.01f, 0.3f, 0.9f}) {
                Activation act = Activation.of(name, slope);
                boolean hiddenToo = !name.equals("softmax");
                int in = 3, h = 5, out = 3, m = 4;
                Network.Builder b = Network.builder(in);
                if (hiddenToo) b.dense(h, act).dense(h, act);
                else b.dense(h, Activation.tanh());
                Network net = b.dense(out, act).loss(Loss.mse()).seed(r.nextLong()).backend(backend()).build();
                randomBiases(net, r);
                GradientCheck.Result res = GradientCheck.check(net, inputs(m, in, r), targets("real", m, out, r));
                assertTrue(res.passed(), () -> "Activation.of(\"" + name + "\", " + slope + "): " + res);
                if (!name.equals("leaky_relu")) break; // the others ignore the parameter
            }
        }
    }

    /**
     * Huber at thresholds other than 0.3: delta 0.01 puts almost every residual on the linear side, delta
     * 10 every one on the quadratic side (the residuals here are about 1), so a backward that mixed the two
     * branches' formulas up fails one of them. Built through {@link Loss#of}, as a model file builds it.
     */
    @Test
    void huberAtSeveralThresholds() {
        Random r = new Random(77);
        for (double delta : new double[] {0.01, 0.7, 10}) {
            Network net = Network.builder(3).dense(4, Activation.tanh()).dense(2, Activation.identity())
                    .loss(Loss.of("huber", delta)).seed(r.nextLong()).backend(backend()).build();
            randomBiases(net, r);
            GradientCheck.Result res = GradientCheck.check(net, inputs(5, 3, r), targets("real", 5, 2, r));
            assertTrue(res.passed(), () -> "huber(" + delta + "): " + res);
        }
    }

    /**
     * Class weights are sample weights ({@link org.bpnn.data.Dataset#withClassWeights} multiplies each row's
     * weight by its class's), so the weighted check judges them; here with the weights a data set actually
     * makes, explicit and balanced, on the fused softmax and sigmoid outputs and on logits, including a class
     * of weight 0 whose rows must not count.
     */
    @Test
    void classWeightsFromADataSet() {
        Random r = new Random(404);
        Object[][] cases = {
            {Loss.categoricalCrossEntropy(), Activation.softmax(), 3},
            {Loss.categoricalCrossEntropyFromLogits(), Activation.identity(), 3},
            {Loss.binaryCrossEntropy(), Activation.sigmoid(), 1},
            {Loss.binaryCrossEntropyFromLogits(), Activation.identity(), 1},
        };
        for (Object[] c : cases) {
            Loss loss = (Loss) c[0];
            Activation out = (Activation) c[1];
            int k = (Integer) c[2], m = 8;
            Tensor x = inputs(m, 4, r);
            Tensor y = Tensor.zeros(m, k);
            for (int i = 0; i < m; i++) {
                int cls = i % Math.max(2, k); // every class present, for balanced weights
                if (k == 1) y.set(i, 0, cls);
                else y.set(i, cls, 1f);
            }
            org.bpnn.data.Dataset d = new org.bpnn.data.Dataset(x, y);
            float[] explicit = k == 1 ? new float[] {0.5f, 4f} : new float[] {0f, 2.5f, 1f};
            for (org.bpnn.data.Dataset weighted : new org.bpnn.data.Dataset[] {d.withClassWeights(explicit), d.withBalancedClassWeights()}) {
                Network net = Network.builder(4).dense(5, Activation.tanh()).dense(k, out).loss(loss).seed(r.nextLong())
                        .backend(backend()).build();
                randomBiases(net, r);
                Tensor w = weighted.sampleWeights();
                GradientCheck.Result res = GradientCheck.check(net, x, y, w);
                assertTrue(res.passed(), () -> loss + " on " + out + ", class weights as row weights "
                        + java.util.Arrays.toString(w.data()) + ": " + res);
            }
        }
    }

    /**
     * The house rule ("the finite-difference gradient check judges every layer, activation and loss") as a
     * guard: every built-in activation and loss {@code names()} lists (the list {@code of}'s refusal tells a
     * user to choose from; each is checked to build the built-in of that name) and every layer class in
     * bpnn-core's org.bpnn.nn must appear in the checks above, so adding a built-in without a gradient check
     * fails here, naming it and where to add it. A built-in whose name is missing from {@code names()} is
     * caught by BuiltInNamesTest, which compares the list with the factories' names.
     */
    @Test
    void everyBuiltInIsJudgedByAGradientCheck() throws Exception {
        java.util.Set<String> hidden = new java.util.TreeSet<>(), outputs = new java.util.TreeSet<>(), losses = new java.util.TreeSet<>();
        for (Activation a : HIDDEN) hidden.add(a.name());
        lossesWithOutputs().forEach(a -> {
            losses.add(((Loss) a.get()[0]).name());
            outputs.add(((Activation) a.get()[1]).name());
        });
        List<String> problems = new ArrayList<>();
        for (String name : Activation.names()) {
            assertEquals(name, Activation.of(name, 0.01f).name(), "Activation.of's listed name");
            if (!outputs.contains(name)) problems.add("activation " + name + " is not an output in lossesWithOutputs()");
            // softmax is output-only (the builder refuses it on a hidden layer)
            if (!name.equals("softmax") && !hidden.contains(name)) problems.add("activation " + name + " is not in HIDDEN");
        }
        for (String name : Loss.names()) {
            assertEquals(name, Loss.of(name, 1).name(), "Loss.of's listed name");
            if (!losses.contains(name)) problems.add("loss " + name + " is not in lossesWithOutputs()");
        }
        // the layers: Dense is judged everywhere above; Dropout by DropoutTest's gradient checks (rate 0, disabled)
        java.util.Map<String, String> judgedLayers = java.util.Map.of(
                Dense.class.getName(), "GradientCheckTest", Dropout.class.getName(), "DropoutTest#gradientCheck*");
        java.util.Set<String> layers = new java.util.TreeSet<>();
        for (String name : classNamesBeside(Layer.class)) {
            Class<?> c = Class.forName(name, false, GradientCheckTest.class.getClassLoader());
            if (Layer.class.isAssignableFrom(c) && !c.isInterface() && !java.lang.reflect.Modifier.isAbstract(c.getModifiers())) {
                layers.add(name);
                if (!judgedLayers.containsKey(name)) problems.add("layer " + name + " has no gradient check listed here");
            }
        }
        assertEquals(judgedLayers.keySet(), layers, "the layer classes found (not vacuous)");
        assertEquals(List.of(), problems, "built-ins without a finite-difference gradient check: add them to GradientCheckTest");
    }

    /** The top-level class names in the package of {@code anchor} (not its subpackages). */
    private static List<String> classNamesBeside(Class<?> anchor) throws Exception {
        String pkg = anchor.getPackageName() + ".";
        return ClassListing.topLevelClasses(anchor).stream()
                .filter(n -> n.startsWith(pkg) && n.indexOf('.', pkg.length()) < 0).toList();
    }

    /** "Up to maxPerParameter elements of each parameter", and arguments that cannot work are refused. */
    @Test
    void maxPerParameterIsAnUpperBound() {
        Random r = new Random(13);
        // dense1.W 15, dense1.b 5, dense2.W 10, dense2.b 2 elements: at most 3 + 3 + 3 + 2 = 11 checked
        Network net = Network.builder(3).dense(5, Activation.tanh()).dense(2, Activation.identity())
                .loss(Loss.mse()).backend(backend()).build();
        Tensor x = inputs(4, 3, r), y = targets("real", 4, 2, r);
        GradientCheck.Result res = GradientCheck.check(net, x, y, 1e-3, 1e-6, 3);
        assertTrue(res.checked() <= 11, () -> "checked " + res.checked() + " elements, more than 3 per parameter");
        assertTrue(res.passed(), res::toString);
        assertEquals(4, GradientCheck.check(net, x, y, 1e-3, 1e-6, 1).checked());
        assertEquals(32, GradientCheck.check(net, x, y, 1e-3, 1e-6, Integer.MAX_VALUE).checked());
        String m = assertThrows(IllegalArgumentException.class, () -> GradientCheck.check(net, x, y, 1e-3, 1e-6, 0)).getMessage();
        assertTrue(m.startsWith("maxPerParameter must be >= 1, got 0"), m);
        m = assertThrows(IllegalArgumentException.class, () -> GradientCheck.check(net, x, y, 0, 0, 1)).getMessage();
        assertTrue(m.contains("not both 0, got rtol=0.0, atol=0.0"), m);
        assertThrows(IllegalArgumentException.class, () -> GradientCheck.check(net, x, y, -1e-3, 1e-6, 1));
        assertThrows(IllegalArgumentException.class, () -> GradientCheck.check(net, x, y, Double.NaN, 1e-6, 1));
    }

    /** The checker itself must be able to fail: a corrupted analytic gradient is caught. */
    @Test
    void checkerCatchesAWrongGradient() {
        Random r = new Random(12);
        Layer broken = new BrokenDense(new Dense("d1", 3, 4, Activation.tanh(), null, new Random(1)));
        Network net = Network.builder(3).layer(broken).dense(2, Activation.identity())
                .loss(Loss.mse()).backend(backend()).build();
        GradientCheck.Result res = GradientCheck.check(net, inputs(3, 3, r), targets("real", 3, 2, r));
        assertFalse(res.passed(), res::toString);
    }

    /**
     * A NaN or infinite analytic gradient is a failure, not a pass: its error/tolerance is NaN
     * (|NaN - numeric|, or Infinity / Infinity), which compared false with the worst so far, so
     * such elements were skipped, and a network whose every gradient was NaN "passed" with
     * "worst at nothing".
     */
    @Test
    void aNonFiniteAnalyticGradientFails() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            Random r = new Random(13);
            // every gradient element of the only layer is bad: nothing finite to compare at all
            Network all = Network.builder(3).layer(new BrokenDense(new Dense("d1", 3, 2, Activation.identity(), null,
                    new Random(1)), bad, true)).loss(Loss.mse()).backend(backend()).build();
            GradientCheck.Result res = GradientCheck.check(all, inputs(3, 3, r), targets("real", 3, 2, r));
            assertFalse(res.passed(), res::toString);
            assertTrue(res.worstWhere().startsWith("d1."), res::toString);
            // one bad bias element among correct gradients elsewhere
            Network one = Network.builder(3).layer(new BrokenDense(new Dense("d1", 3, 4, Activation.tanh(), null,
                    new Random(1)), bad, false)).dense(2, Activation.identity()).loss(Loss.mse()).backend(backend()).build();
            res = GradientCheck.check(one, inputs(3, 3, r), targets("real", 3, 2, r));
            assertFalse(res.passed(), res::toString);
            assertEquals("d1.b[0]", res.worstWhere(), res::toString);
        }
    }

    /**
     * A dense layer whose bias gradient is off by a factor of 2, as a double-averaged one would be;
     * or, given a bad value, one that writes it into every gradient element (all) or into the first
     * bias element.
     */
    private static final class BrokenDense implements Layer {
        private final Dense d;
        private final float bad;
        private final boolean all;

        BrokenDense(Dense d) { this(d, 0f, false); }

        BrokenDense(Dense d, float bad, boolean all) {
            this.d = d;
            this.bad = bad;
            this.all = all;
        }

        @Override public int inputSize() { return d.inputSize(); }
        @Override public int outputSize() { return d.outputSize(); }
        @Override public List<Parameter> parameters() { return d.parameters(); }
        @Override public Activation activation() { return d.activation(); }
        @Override public int scratchColumns() { return d.scratchColumns(); }

        @Override
        public void forward(Backend be, Tensor x, Tensor y, Tensor s, boolean training) {
            d.forward(be, x, y, s, training);
        }

        @Override
        public void backward(Backend be, Tensor x, Tensor y, Tensor dy, boolean isDelta, Tensor dx, Tensor s) {
            d.backward(be, x, y, dy, isDelta, dx, s);
            if (bad == 0f) {
                be.scale(d.bias().size(), 0.5f, d.bias().grad().data(), 0);
            } else if (all) {
                d.weight().grad().fill(bad);
                d.bias().grad().fill(bad);
            } else {
                d.bias().grad().data()[0] = bad;
            }
        }

        @Override
        public double[] forwardDouble(double[][] p, double[] x, int batch) {
            return d.forwardDouble(p, x, batch);
        }
    }

    /**
     * Saturated fused outputs: the reference cost is taken from z, as the network's own. It was taken
     * from the double probabilities a, whose rounding log(1 - a) magnified once 1 - a fell below about
     * 1e-6 (sigmoid biases 13 and 20: numeric 6.3e-6 for an analytic 9.8e-7, 0.0216 for 0) and whose
     * clamps made the cost flat past them (bias 30, a softmax gap of 80: numeric 0 for an analytic
     * 1.25), so the check failed on a correct backward pass.
     */
    @Test
    void saturatedFusedOutputsAreJudgedAgainstTheExactCost() {
        Tensor x = Tensor.wrap(2, 2, new float[] {1f, 2f, -1f, 0.5f});
        Tensor w = Tensor.wrap(2, 1, new float[] {1f, 2f});
        for (float b : new float[] {13f, 20f, 30f}) {
            Network net = Network.builder(2).dense(1, Activation.sigmoid()).loss(Loss.binaryCrossEntropy()).seed(1)
                    .backend(backend()).build();
            System.arraycopy(new float[] {0.5f, -0.25f}, 0, net.parameters().get(0).value().data(), 0, 2);
            net.parameters().get(1).value().data()[0] = b;
            Tensor y = Tensor.zeros(2, 1);
            GradientCheck.Result r = GradientCheck.check(net, x, y);
            assertTrue(r.passed(), "sigmoid, bias " + b + ": " + r);
            r = GradientCheck.check(net, x, y, w);
            assertTrue(r.passed(), "sigmoid, bias " + b + ", weighted: " + r);
        }
        Network net = Network.builder(2).dense(3, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).seed(1)
                .backend(backend()).build();
        System.arraycopy(new float[] {0.5f, -0.25f, 0.25f, 0.5f, -0.5f, 0.125f}, 0, net.parameters().get(0).value().data(), 0, 6);
        net.parameters().get(1).value().data()[0] = 80f; // class 0 ahead by about 80: class 1's probability e^-80
        Tensor y = Tensor.wrap(2, 3, new float[] {0f, 1f, 0f, 0f, 1f, 0f});
        GradientCheck.Result r = GradientCheck.check(net, x, y);
        assertTrue(r.passed(), "softmax, gap 80: " + r);
        r = GradientCheck.check(net, x, y, w);
        assertTrue(r.passed(), "softmax, gap 80, weighted: " + r);
    }
}
