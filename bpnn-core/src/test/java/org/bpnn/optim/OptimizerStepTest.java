package org.bpnn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.nn.Parameter;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The first steps of every optimiser against the update rule written out by hand in double
 * precision, on one weight (decays) and one bias (does not), with gradients changing per step.
 */
public class OptimizerStepTest {
    protected Backend backend() {
        return ScalarBackend.INSTANCE;
    }

    static final double[] W0 = {1.0, -2.0, 0.5};
    static final double[] B0 = {0.25};
    /** Gradients for steps 1..3, same for w (3 values) and b (first value). */
    static final double[][] G = {{0.5, -0.1, 0.0}, {0.3, 0.2, -1.5}, {-0.4, 0.05, 2.0}};

    Parameter w = new Parameter("w", Tensor.row(toF(W0)), true);
    Parameter b = new Parameter("b", Tensor.row(toF(B0)), false);
    List<Parameter> ps = List.of(w, b);

    static float[] toF(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    void setGrads(int step) {
        for (int i = 0; i < 3; i++) w.grad().data()[i] = (float) G[step][i];
        b.grad().data()[0] = (float) G[step][0];
    }

    /** Runs 3 steps and compares w with the expectation from {@code rule}. */
    void check(Optimizer opt, Rule rule, double tol) {
        double[] ew = W0.clone(), eb = B0.clone();
        double[][] sw = new double[2][3], sb = new double[2][1];
        for (int t = 1; t <= 3; t++) {
            setGrads(t - 1);
            opt.step(backend(), ps);
            for (int i = 0; i < 3; i++) ew[i] = rule.apply(ew[i], G[t - 1][i], t, sw, i, true);
            eb[0] = rule.apply(eb[0], G[t - 1][0], t, sb, 0, false);
            for (int i = 0; i < 3; i++) {
                assertEquals(ew[i], w.value().data()[i], tol, opt + " step " + t + " w[" + i + "]");
            }
            assertEquals(eb[0], b.value().data()[0], tol, opt + " step " + t + " b");
        }
    }

    interface Rule {
        /** New value of one element; s: the state slots of this parameter (s[k][i]). */
        double apply(double w, double g, int t, double[][] s, int i, boolean decays);
    }

    @Test
    void sgd() {
        check(new Sgd(0.1), (x, g, t, s, i, d) -> x - 0.1 * g, 1e-6);
    }

    @Test
    void momentum() {
        check(new Momentum(0.1, 0.9), (x, g, t, s, i, d) -> {
            s[0][i] = 0.9 * s[0][i] + g;
            return x - 0.1 * s[0][i];
        }, 1e-6);
    }

    @Test
    void nesterov() {
        check(Momentum.nesterov(0.1, 0.9), (x, g, t, s, i, d) -> {
            s[0][i] = 0.9 * s[0][i] + g;
            return x - 0.1 * (g + 0.9 * s[0][i]);
        }, 1e-6);
    }

    /** Kingma and Ba, Algorithm 1, with bias correction. */
    @Test
    void adamMatchesThePaper() {
        check(new Adam(0.01, 0.9, 0.999, 1e-8), (x, g, t, s, i, d) -> {
            s[0][i] = 0.9 * s[0][i] + 0.1 * g;
            s[1][i] = 0.999 * s[1][i] + 0.001 * g * g;
            double mh = s[0][i] / (1 - Math.pow(0.9, t)), vh = s[1][i] / (1 - Math.pow(0.999, t));
            return x - 0.01 * mh / (Math.sqrt(vh) + 1e-8);
        }, 1e-6);
    }

    @Test
    void adamFirstStepIsAboutTheLearningRateTimesTheSign() {
        Adam adam = new Adam(0.01);
        setGrads(0);
        adam.step(backend(), ps);
        assertEquals(1.0 - 0.01, w.value().data()[0], 1e-6);
        assertEquals(-2.0 + 0.01, w.value().data()[1], 1e-6);
        assertEquals(0.5, w.value().data()[2], 0.0, "a zero gradient leaves the weight alone");
    }

    @Test
    void adamWDecaysWeightsButNotBiases() {
        check(new AdamW(0.01, 0.9, 0.999, 1e-8, 0.1), (x, g, t, s, i, d) -> {
            s[0][i] = 0.9 * s[0][i] + 0.1 * g;
            s[1][i] = 0.999 * s[1][i] + 0.001 * g * g;
            double mh = s[0][i] / (1 - Math.pow(0.9, t)), vh = s[1][i] / (1 - Math.pow(0.999, t));
            return x - 0.01 * (mh / (Math.sqrt(vh) + 1e-8) + (d ? 0.1 * x : 0));
        }, 1e-6);
    }

    @Test
    void rmsProp() {
        check(new RmsProp(0.01, 0.9, 1e-8), (x, g, t, s, i, d) -> {
            s[0][i] = 0.9 * s[0][i] + 0.1 * g * g;
            return x - 0.01 * g / (Math.sqrt(s[0][i]) + 1e-8);
        }, 1e-6);
    }

    @Test
    void adaGrad() {
        check(new AdaGrad(0.1, 1e-10), (x, g, t, s, i, d) -> {
            s[0][i] += g * g;
            return x - 0.1 * g / (Math.sqrt(s[0][i]) + 1e-10);
        }, 1e-6);
    }

    @Test
    void l2PenaltyIsWeightDecayOnWeightsOnly() {
        check(new Sgd(0.1).penalty(Penalty.l2(0.5)), (x, g, t, s, i, d) -> x - 0.1 * (g + (d ? 0.5 * x : 0)), 1e-6);
    }

    @Test
    void l1PenaltyAddsTheSign() {
        check(new Sgd(0.1).penalty(Penalty.l1(0.2)), (x, g, t, s, i, d) -> x - 0.1 * (g + (d ? 0.2 * Math.signum(x) : 0)), 1e-6);
    }

    @Test
    void penaltyValue() {
        assertEquals(0.1 * 3.5 + 0.5 * 0.2 * 5.25, Penalty.elasticNet(0.1, 0.2).value(ps), 1e-6);
    }

    @Test
    void scheduleSetsTheRatePerStep() {
        // step decay: 0.1 for steps 0,1 then 0.05
        check(new Sgd(0.1).schedule(LearningRateSchedule.stepDecay(2, 0.5)),
                (x, g, t, s, i, d) -> x - (t <= 2 ? 0.1 : 0.05) * g, 1e-6);
    }

    @Test
    void clippingByValue() {
        check(new Sgd(0.1).clipping(GradientClipping.byValue(0.25)),
                (x, g, t, s, i, d) -> x - 0.1 * Math.max(-0.25, Math.min(0.25, g)), 1e-6);
    }

    @Test
    void clippingByGlobalNormKeepsTheDirection() {
        Parameter a = new Parameter("a", Tensor.row(0, 0), true);
        Parameter c = new Parameter("c", Tensor.row(0), false);
        a.grad().data()[0] = 3;
        a.grad().data()[1] = 0;
        c.grad().data()[0] = 4; // global norm 5
        double norm = GradientClipping.byGlobalNorm(1).apply(backend(), List.of(a, c));
        assertEquals(5, norm, 1e-9);
        assertArrayEquals(new float[] {0.6f, 0}, a.grad().data(), 1e-6f);
        assertArrayEquals(new float[] {0.8f}, c.grad().data(), 1e-6f);
        // below the threshold: unchanged
        GradientClipping.byGlobalNorm(10).apply(backend(), List.of(a, c));
        assertArrayEquals(new float[] {0.8f}, c.grad().data(), 1e-6f);
    }

    @Test
    void stateIsCheckedWhenTheParameterListChanges() {
        Adam adam = new Adam(0.01);
        setGrads(0);
        adam.step(backend(), ps);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> adam.step(backend(), List.of(w)));
        assertTrue(e.getMessage().contains("first used with 2 parameters, now got 1"), e.getMessage());
        Parameter other = new Parameter("x", Tensor.row(1, 2), true);
        e = assertThrows(IllegalStateException.class, () -> adam.step(backend(), List.of(other, b)));
        assertTrue(e.getMessage().contains("has 2 elements"), e.getMessage());
    }

    @Test
    void stateRoundTripsExactly() {
        Adam a1 = new Adam(0.01);
        setGrads(0);
        a1.step(backend(), ps);
        OptimizerState saved = a1.state();
        float[] wAfter1 = w.value().data().clone();
        setGrads(1);
        a1.step(backend(), ps);
        float[] expected = w.value().data().clone();

        System.arraycopy(wAfter1, 0, w.value().data(), 0, 3);
        Adam a2 = new Adam(0.01);
        a2.restore(saved);
        assertEquals(1, a2.steps());
        a2.step(backend(), ps);
        assertArrayEquals(expected, w.value().data(), 0f);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sgd(0.1).restore(saved));
        assertTrue(e.getMessage().contains("'adam'"), e.getMessage());
    }

    /** A null buffer was a NullPointerException from the copy; a negative size was accepted (SGD restored it). */
    @Test
    void anOptimizerStateRefusesANullBufferAndANegativeSize() {
        assertMessage(() -> new OptimizerState("adam", 1, new int[] {2}, new float[][] {{1f, 2f}, null}),
                "buffers[1] is null; expected one float[] per slot and parameter (empty for a stateless optimiser)");
        assertMessage(() -> new OptimizerState("sgd", 1, new int[] {3, -2}, new float[0][]),
                "parameterSizes[1] is -2; a parameter's size is its element count, >= 1");
    }

    @Test
    void hyperParametersAreValidated() {
        assertMessage(() -> new Adam(-1), "learning rate must be finite and > 0, got -1.0");
        assertMessage(() -> new Adam(Double.NaN), "got NaN");
        // the rate is used as a float: 1e-300 was accepted and became 0, so the loss never moved
        // the smallest normal float in the running JDK's digits (1.17549435E-38 on 17, 1.1754944E-38 from 19): a
        // literal here failed whenever the build's javac and the test's JDK differed (a fresh build on JDK 25)
        assertMessage(() -> new Sgd(1e-300), "learning rate 1.0E-300 is below the smallest normal float ("
                + Float.toString(Float.MIN_NORMAL) + ")");
        assertMessage(() -> new Adam(1e-40), "below the smallest normal float");
        assertMessage(() -> new Sgd(1e39), "learning rate 1.0E39 is beyond the largest float");
        new Sgd(Float.MIN_NORMAL);
        assertMessage(() -> new Adam(0.1, 1.0, 0.999, 1e-8), "beta1 must be in [0, 1), got 1.0");
        assertMessage(() -> new Momentum(0.1, -0.1), "momentum must be in [0, 1)");
        assertMessage(() -> new AdamW(0.1, -1), "weight decay must be finite and >= 0");
        assertMessage(() -> new RmsProp(0.1, 0.9, 0), "epsilon must be finite and > 0");
        assertMessage(() -> GradientClipping.byGlobalNorm(Double.POSITIVE_INFINITY), "clip max norm");
        assertMessage(() -> Penalty.l2(-1), "L2 penalty must be finite and >= 0");
        assertMessage(() -> LearningRateSchedule.cosine(10, 10, 0), "totalSteps > warmupSteps");
        assertMessage(() -> LearningRateSchedule.stepDecay(0, 0.5), "stepSize must be > 0");
        assertMessage(() -> LearningRateSchedule.exponential(1.5), "gamma must be in (0, 1]");
    }

    /**
     * Every hyper-parameter is used as a float: one inside its domain as a double can round outside
     * it. Before, each of these was accepted: the epsilons and betas made NaN weights on the first
     * step with a zero gradient (reported by the trainer as a divergence, "lower the learning rate"),
     * a clip limit of 1e-50 zeroed every gradient (the loss never moved), and 1e40 as a penalty, a
     * weight decay or a cosine minRate became Infinity.
     */
    @Test
    void hyperParametersThatRoundOutOfTheirDomainAsFloatsAreRefused() {
        assertMessage(() -> new Adam(1e-3, 0.9, 0.999, 1e-50), "epsilon 1.0E-50 is below the smallest normal float");
        assertMessage(() -> new AdamW(1e-3, 0.9, 0.999, 1e-50, 0.01), "epsilon 1.0E-50 is below the smallest normal float");
        assertMessage(() -> new RmsProp(1e-3, 0.9, 1e-40), "epsilon 1.0E-40 is below the smallest normal float");
        assertMessage(() -> new AdaGrad(1e-3, 1e-50), "epsilon 1.0E-50 is below the smallest normal float");
        assertMessage(() -> new Adam(1e-3, 0.9999999999, 0.999, 1e-8), "beta1 0.9999999999 rounds to 1 as a float");
        assertMessage(() -> new Adam(1e-3, 0.9, 0.9999999999, 1e-8), "expected at most 0.99999994");
        assertMessage(() -> new RmsProp(1e-3, 0.9999999999, 1e-8), "rho 0.9999999999 rounds to 1 as a float");
        assertMessage(() -> new Momentum(1e-3, 0.9999999999), "momentum 0.9999999999 rounds to 1 as a float");
        assertMessage(() -> GradientClipping.byValue(1e-50), "clip value 1.0E-50 is below the smallest normal float");
        assertMessage(() -> GradientClipping.byGlobalNorm(1e-50), "clip max norm 1.0E-50 is below the smallest normal float");
        assertMessage(() -> GradientClipping.byValue(1e40), "clip value 1.0E40 is beyond the largest float");
        assertMessage(() -> Penalty.l2(1e40), "L2 penalty 1.0E40 is beyond the largest float");
        assertMessage(() -> new AdamW(1e-3, 1e40), "weight decay 1.0E40 is beyond the largest float");
        assertMessage(() -> LearningRateSchedule.cosine(10, 2, 1e40), "cosine minRate 1.0E40 is beyond the largest float");
        // the largest values that stay in the domain as floats are accepted
        new Adam(1e-3, Math.nextDown(1f), Math.nextDown(1f), Float.MIN_NORMAL);
        GradientClipping.byGlobalNorm(Float.MIN_NORMAL);
        Penalty.l2(Float.MAX_VALUE);
    }

    @Test
    void aScheduleRateBeyondFloatIsRefusedAtTheStep() {
        Sgd sgd = new Sgd(0.1);
        sgd.schedule((base, t) -> 1e40);
        setGrads(0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sgd.step(backend(), ps));
        assertTrue(e.getMessage().contains("gave learning rate 1.0E40 at step 0, beyond the largest float"), e.getMessage());
        assertArrayEquals(toF(W0), w.value().data(), 0f); // nothing applied
    }

    static void assertMessage(Runnable r, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should contain '" + part + "'");
    }

    @Test
    void toStringPastesBack() {
        assertEquals("new Adam(0.001, 0.9, 0.999, 1.0E-8).schedule(LearningRateSchedule.cosine(100, 10, 0.0))"
                        + ".clipping(GradientClipping.byGlobalNorm(1.0)).penalty(Penalty.l2(1.0E-4))",
                new Adam(0.001).schedule(LearningRateSchedule.cosine(100, 10, 0))
                        .clipping(GradientClipping.byGlobalNorm(1)).penalty(Penalty.l2(1e-4)).toString());
        assertEquals("new Momentum(0.1, 0.9, true)", Momentum.nesterov(0.1, 0.9).toString());
        assertEquals("new Sgd(0.5)", new Sgd(0.5).toString());
    }

    /** AdamW reports its hyper-parameters as Adam does (it had weightDecay() only), as the floats it steps with. */
    @Test
    void adamWHasAdamsAccessors() {
        AdamW w = new AdamW(0.01, 0.8, 0.99, 1e-6, 0.05);
        assertEquals(0.8f, w.beta1());
        assertEquals(0.99f, w.beta2());
        assertEquals(1e-6f, w.epsilon());
        assertEquals(0.05f, w.weightDecay());
        AdamW d = new AdamW(0.01, 0.01);
        Adam a = new Adam(0.01);
        assertEquals(a.beta1(), d.beta1());
        assertEquals(a.beta2(), d.beta2());
        assertEquals(a.epsilon(), d.epsilon());
    }

    /** RmsProp and AdaGrad report their hyper-parameters as Adam does (they had none), as the floats they step with. */
    @Test
    void rmsPropAndAdaGradHaveAccessors() {
        RmsProp r = new RmsProp(0.01, 0.8, 1e-6);
        assertEquals(0.8f, r.rho());
        assertEquals(1e-6f, r.epsilon());
        assertEquals(0.9f, new RmsProp(0.01).rho());
        assertEquals(1e-8f, new RmsProp(0.01).epsilon());
        assertEquals(1e-7f, new AdaGrad(0.01, 1e-7).epsilon());
        assertEquals(1e-10f, new AdaGrad(0.01).epsilon());
    }
}
