package org.bpnn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Supplier;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.nn.Parameter;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Six steps of every optimiser, combined with penalties, clipping and schedules, on a weight (4
 * values, decays) and a bias (2 values, does not), against trajectories computed independently in
 * float64 numpy (the script is in the comment at the end of the file). Both parameters take part in
 * global-norm clipping.
 */
public class OptimizerReferenceTrajectoryTest {
    protected Backend backend() {
        return ScalarBackend.INSTANCE;
    }

    static final float[] W0 = {0.8f, -1.5f, 0.3f, 2.0f};
    static final float[] B0 = {0.1f, -0.2f};
    static final float[][][] G = {
            {{0.5f, -2.0f, 0.0f, 1.0f}, {3.0f, -0.5f}},
            {{-1.0f, 0.25f, 0.4f, 0.0f}, {0.2f, 0.1f}},
            {{0.3f, 0.3f, -0.6f, 2.5f}, {-4.0f, 0.0f}},
            {{0.05f, -0.1f, 1.5f, -0.7f}, {0.6f, -0.9f}},
            {{-0.2f, 0.9f, 0.1f, 0.3f}, {1.1f, 0.4f}},
            {{0.7f, -0.3f, -0.2f, 0.6f}, {-0.3f, 0.8f}}};

    final Parameter w = new Parameter("w", Tensor.row(W0.clone()), true);
    final Parameter b = new Parameter("b", Tensor.row(B0.clone()), false);
    final List<Parameter> ps = List.of(w, b);

    void setGrads(int t) {
        System.arraycopy(G[t][0], 0, w.grad().data(), 0, 4);
        System.arraycopy(G[t][1], 0, b.grad().data(), 0, 2);
    }

    void check(Optimizer opt, double[][] expected, double tol) {
        for (int t = 0; t < expected.length; t++) {
            setGrads(t);
            opt.step(backend(), ps);
            for (int i = 0; i < 4; i++) {
                assertEquals(expected[t][i], w.value().data()[i], tol, opt + " step " + (t + 1) + " w[" + i + "]");
            }
            for (int i = 0; i < 2; i++) {
                assertEquals(expected[t][4 + i], b.value().data()[i], tol, opt + " step " + (t + 1) + " b[" + i + "]");
            }
        }
    }

    /** L2 penalty is coupled: added to g before the moments (PyTorch's Adam(weight_decay)), then clipped with the bias. */
    @Test
    void adamWithL2PenaltyAndGlobalNormClipping() {
        check(new Adam(0.05).penalty(Penalty.l2(0.1)).clipping(GradientClipping.byGlobalNorm(2)), new double[][] {
                {0.750000001705, -1.45000000046, 0.250000032967, 1.95000000082, 0.0500000003297, -0.150000001978},
                {0.775349669844, -1.42023175855, 0.211622584004, 1.90671508191, 0.0119183087272, -0.132541188038},
                {0.789659961893, -1.39915650553, 0.201311587515, 1.86233274369, 0.0152406470898, -0.119045474419},
                {0.797497379839, -1.37606149787, 0.171063504284, 1.83948165954, 0.0103577124936, -0.0880345982955},
                {0.807363486822, -1.37530319878, 0.143568872831, 1.81219944521, -0.00505771700151, -0.0746013872049},
                {0.797955022788, -1.36664540412, 0.123041152265, 1.77913426907, -0.0152224493107, -0.0815936446248}},
                2e-6);
    }

    /** Decoupled decay scaled by the scheduled rate (warm-up 2 steps, cosine to 0.01 at step 5). */
    @Test
    void adamWWithCosineWarmup() {
        check(new AdamW(0.05, 0.2).schedule(LearningRateSchedule.cosine(5, 2, 0.01)), new double[][] {
                {0.7710000005, -1.46750000013, 0.2985, 1.96500000025, 0.0750000000833, -0.1750000005},
                {0.781595176615, -1.42419827154, 0.258308160137, 1.91184708801, 0.0390951700534, -0.14944869735},
                {0.779162784555, -1.39277620549, 0.266357214987, 1.853458425, 0.0479707801451, -0.129697466082},
                {0.775449932954, -1.36924824626, 0.246290980757, 1.81957766464, 0.0509759191701, -0.103092384498},
                {0.775256276381, -1.36339415657, 0.23708500556, 1.80312283939, 0.0498872389682, -0.0965443940995},
                {0.772107172418, -1.35980869421, 0.233715989243, 1.79455395085, 0.0497225565073, -0.0973138577137}},
                2e-6);
    }

    @Test
    void nesterovWithStepDecayAndL1() {
        check(Momentum.nesterov(0.1, 0.9).schedule(LearningRateSchedule.stepDecay(2, 0.5)).penalty(Penalty.l1(0.05)),
                new double[][] {
                        {0.6955, -1.1105, 0.2905, 1.8005, -0.47, -0.105},
                        {0.83145, -0.98245, 0.20095, 1.70595, -0.751, -0.0835},
                        {0.8166275, -0.9395775, 0.2331525, 1.4234025, -0.48845, -0.069325},
                        {0.80953725, -0.87549225, 0.09013475, 1.34560975, -0.489155, 0.0289325},
                        {0.8157216375, -0.8904038875, 0.0535267625, 1.2793530125, -0.52822225, 0.033898375},
                        {0.78228758625, -0.86807436125, 0.03107957375, 1.19672194875, -0.524382775, 0.0093676625}},
                2e-6);
    }

    /** Elastic net is added first, then every element (bias too) is clamped. */
    @Test
    void momentumWithElasticNetAndValueClipping() {
        check(new Momentum(0.1, 0.8).penalty(Penalty.elasticNet(0.01, 0.3)).clipping(GradientClipping.byValue(0.5)),
                new double[][] {
                        {0.75, -1.45, 0.29, 1.95, 0.05, -0.15},
                        {0.76, -1.3905, 0.2323, 1.86, -0.01, -0.12},
                        {0.718, -1.330185, 0.23614, 1.738, -0.008, -0.096},
                        {0.65686, -1.231933, 0.189212, 1.65726, -0.0564, -0.0268},
                        {0.6072422, -1.2033314, 0.13499324, 1.542668, -0.14512, -0.01144},
                        {0.51754796, -1.13045012, 0.1065684348, 1.4009944, -0.186096, -0.049152}},
                2e-6);
    }

    @Test
    void rmsPropWithExponentialDecayAndGlobalNormClipping() {
        check(new RmsProp(0.01, 0.9, 1e-8).schedule(LearningRateSchedule.exponential(0.9))
                        .clipping(GradientClipping.byGlobalNorm(1)),
                new double[][] {
                        {0.768377231014, -1.4683772253, 0.3, 1.96837722721, 0.0683772246676, -0.168377231014},
                        {0.796560836759, -1.4799433833, 0.271539503597, 1.96837722721, 0.0618082529725, -0.184878996025},
                        {0.794670626761, -1.48303202722, 0.280504238552, 1.94503046361, 0.0811355725119, -0.184878996025},
                        {0.793950583155, -1.48068992672, 0.259480287686, 1.95757284898, 0.07476437345, -0.162815337385},
                        {0.797452465853, -1.49690754629, 0.257757312177, 1.95125681797, 0.0629297165176, -0.173265318106},
                        {0.786488978177, -1.49121802842, 0.2614883454, 1.94007671022, 0.0664329619687, -0.187785764765}},
                2e-6);
    }

    /** A large eps makes its placement (outside the root) visible. */
    @Test
    void adaGradWithALargeEpsilon() {
        check(new AdaGrad(0.5, 0.1), new double[][] {
                {0.383333333333, -1.02380952381, 0.3, 1.54545454545, -0.383870967742, 0.216666666667},
                {0.793830909442, -1.08289541021, -0.1, 1.54545454545, -0.416059885523, 0.134686276395},
                {0.674554553396, -1.15306203859, 0.265358973584, 1.0978401802, -0.0242102330042, 0.134686276395},
                {0.654692207755, -1.12969996061, -0.159731161663, 1.21928001746, -0.0825777942568, 0.531368936277},
                {0.733074546672, -1.32284044231, -0.18802237466, 1.16752399989, -0.187170594363, 0.365950305025},
                {0.494718774098, -1.25901065508, -0.13182004148, 1.0662348457, -0.15869248867, 0.0933740828489}},
                5e-6);
    }

    /**
     * An optimiser restored from a state taken after k steps continues the uninterrupted trajectory bit
     * for bit, including across a schedule boundary (step decay every 2, warm-up of 2 then cosine).
     */
    @Test
    void aRestoredOptimiserContinuesTheSameTrajectoryAcrossScheduleBoundaries() {
        List<Supplier<BaseOptimizer>> makers = List.of(
                () -> new Adam(0.05).schedule(LearningRateSchedule.cosine(5, 2, 0.01)).clipping(GradientClipping.byGlobalNorm(2)),
                () -> new AdamW(0.05, 0.2).schedule(LearningRateSchedule.stepDecay(2, 0.5)),
                () -> Momentum.nesterov(0.1, 0.9).schedule(LearningRateSchedule.stepDecay(2, 0.5)).penalty(Penalty.l1(0.05)),
                () -> new Momentum(0.1, 0.8).schedule(LearningRateSchedule.exponential(0.7)),
                () -> new RmsProp(0.01).schedule(LearningRateSchedule.cosine(6, 3, 0.0)),
                () -> new AdaGrad(0.5).schedule(LearningRateSchedule.stepDecay(3, 0.1)),
                () -> new Sgd(0.1).schedule(LearningRateSchedule.cosine(4, 1, 0.02)),
                () -> new Adam(0.05).schedule(LearningRateSchedule.warmup(2, LearningRateSchedule.stepDecay(2, 0.5))));
        for (Supplier<BaseOptimizer> make : makers) {
            for (int k = 1; k < 6; k++) {
                BaseOptimizer straight = make.get();
                float[][] wStraight = new float[6][], rates = new float[6][1];
                resetValues();
                for (int t = 0; t < 6; t++) {
                    setGrads(t);
                    straight.step(backend(), ps);
                    wStraight[t] = concat();
                    rates[t][0] = straight.currentLearningRate();
                }
                BaseOptimizer first = make.get();
                resetValues();
                for (int t = 0; t < k; t++) {
                    setGrads(t);
                    first.step(backend(), ps);
                }
                OptimizerState saved = first.state();
                BaseOptimizer second = make.get();
                second.restore(saved);
                assertEquals(k, second.steps());
                for (int t = k; t < 6; t++) {
                    setGrads(t);
                    second.step(backend(), ps);
                    assertArrayEquals(wStraight[t], concat(), 0f, second + " resumed after " + k + ", step " + (t + 1));
                    assertEquals(rates[t][0], second.currentLearningRate(), 0f, second + " rate, step " + (t + 1));
                }
            }
        }
    }

    void resetValues() {
        System.arraycopy(W0, 0, w.value().data(), 0, 4);
        System.arraycopy(B0, 0, b.value().data(), 0, 2);
    }

    float[] concat() {
        float[] c = new float[6];
        System.arraycopy(w.value().data(), 0, c, 0, 4);
        System.arraycopy(b.value().data(), 0, c, 4, 2);
        return c;
    }

    /** Schedule values at the boundaries, by hand. */
    @Test
    void scheduleBoundaries() {
        LearningRateSchedule c = LearningRateSchedule.cosine(10, 4, 0.01);
        assertEquals(0.25, c.rate(1, 0), 1e-15);          // (0 + 1) / 4
        assertEquals(1.0, c.rate(1, 3), 1e-15);           // last warm-up step reaches alpha
        assertEquals(1.0, c.rate(1, 4), 1e-15);           // cosine starts at alpha
        assertEquals(0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * 5 / 6)), c.rate(1, 9), 1e-15);
        assertEquals(0.01, c.rate(1, 10), 0);             // reaches min at T
        assertEquals(0.01, c.rate(1, 11), 0);
        LearningRateSchedule c0 = LearningRateSchedule.cosine(8);
        assertEquals(0.5 * (1 + Math.cos(Math.PI * 7 / 8)), c0.rate(2, 7) / 2, 1e-15);
        assertEquals(0.0, c0.rate(2, 8), 0);
        LearningRateSchedule s = LearningRateSchedule.stepDecay(4, 0.1);
        assertEquals(0.5, s.rate(0.5, 3), 1e-15);
        assertEquals(0.05, s.rate(0.5, 4), 1e-15);
        assertEquals(0.05, s.rate(0.5, 7), 1e-15);
        assertEquals(0.005, s.rate(0.5, 8), 1e-15);
        // the optimiser evaluates the schedule at t = updates already applied (0 for the first)
        Sgd sgd = (Sgd) new Sgd(1).schedule(LearningRateSchedule.cosine(10, 4, 0.01));
        float[] seen = new float[11];
        for (int t = 0; t < 11; t++) {
            setGrads(0);
            sgd.step(backend(), ps);
            seen[t] = sgd.currentLearningRate();
        }
        for (int t = 0; t < 11; t++) assertEquals((float) c.rate(1, t), seen[t], 0f, "step " + t);
    }

    /**
     * currentLearningRate(): "the rate used by the last step (the schedule's value), or the base rate
     * before any step". It must not depend on whether the optimiser was restored from a state.
     */
    @Test
    void currentLearningRateIsTheLastStepsRateAlsoRightAfterARestore() {
        java.util.function.Supplier<BaseOptimizer> make = () -> new Adam(0.1).schedule(LearningRateSchedule.cosine(10, 4, 0.0));
        BaseOptimizer fresh = make.get();
        assertEquals(0.1f, fresh.currentLearningRate(), 0f, "before any step: the base rate");
        BaseOptimizer straight = make.get();
        for (int t = 0; t < 3; t++) {
            setGrads(t);
            straight.step(backend(), ps);
        }
        assertEquals(0.075f, straight.currentLearningRate(), 1e-9f, "step t = 2 of the warm-up: 0.1 * 3 / 4");
        BaseOptimizer restored = make.get();
        restored.restore(straight.state());
        assertEquals(straight.currentLearningRate(), restored.currentLearningRate(), 0f,
                "a restored optimiser reports the rate of the last step, as the one it was captured from");
    }

    /*
     * numpy reference (float64):
     *   for each step: g_w += l1 sign(w) + l2 w (weights only); clip by value; clip by global norm
     *   over both parameters (g *= c / ||g|| when ||g|| > c); lr = schedule(t), t = 0, 1, ...;
     *   adam: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; w -= lr (m/(1-b1^t) / (sqrt(v/(1-b2^t)) + eps) + wd w)
     *   momentum: v = mu v + g; w -= lr (nesterov ? g + mu v : v)
     *   rmsprop: s = rho s + (1-rho) g^2; w -= lr g / (sqrt(s) + eps);  adagrad: s += g^2, same update
     */
}
