package org.bpnn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.Parameter;
import org.bpnn.nn.activation.Activation;
import org.junit.jupiter.api.Test;

/**
 * The weight penalties' gradients ({@link Penalty#apply}, which the optimisers add to the data gradient)
 * against central finite differences of the penalty itself ({@link Penalty#value}): the gradient check
 * (org.bpnn.nn.GradientCheck) judges Network.computeGradients, which has no penalty, so L1, L2 and the
 * elastic net were judged by nothing. Subclasses run it on another backend (apply's L2 term is the
 * backend's axpy).
 */
public class PenaltyGradientTest {

    /** The backend under test; the scalar reference by default. */
    protected Backend backend() {
        return ScalarBackend.INSTANCE;
    }

    /**
     * Steps: h = |w| for w != 0, so that the points w + h and w - h are 2 w and 0, both exact in float (w / 2
     * and 3 w / 2 are not: 1.5 w needs a 25th significand bit), and |w| is linear on [0, 2 w], its kink at the
     * end point only. On that exact step the central difference of l1 |w| + (l2 / 2) w^2 is exact:
     * (P(2 w) - P(0)) / (2 w) = l1 sign(w) + l2 w. At w = 0 the symmetric difference of |w| is 0, the
     * documented sign(0) = 0. What remains is double rounding in {@link Penalty#value}'s sums, whose terms are
     * at most about l2 n / 2 against a difference of l1 |w| or l2 w^2 (relative error below 1e-16 n / |w|,
     * about 1e-10 for the |w| >= 1e-4 drawn here), and float rounding in apply's g + l2 w (half an
     * ulp each of the float product l2 w and of the sum, read back as g - g_before and so bounded by those
     * operands' ulps): the tolerance is 2 (ulp(g) + ulp(g_before) + ulp(l2 w)) + 1e-9.
     */
    @Test
    void l1L2AndElasticNetGradientsMatchFiniteDifferencesOfTheirValue() {
        Penalty[] penalties = {Penalty.l2(1e-3), Penalty.l2(0.5), Penalty.l2(3), Penalty.l1(1e-3), Penalty.l1(0.2),
            Penalty.elasticNet(0.05, 0.7), Penalty.none()};
        Random r = new Random(8);
        for (Penalty penalty : penalties) {
            // 13 x 7 and 7 x 3 weights: lengths that are not multiples of any vector width, so kernel tails run
            Network net = Network.builder(13).dense(7, Activation.tanh()).dense(3, Activation.identity()).loss(Loss.mse())
                    .seed(r.nextLong()).backend(backend()).build();
            List<Parameter> ps = net.parameters();
            int zeros = 0;
            for (Parameter p : ps) {
                float[] w = p.value().data(), g = p.grad().data();
                for (int i = 0; i < w.length; i++) {
                    w[i] = i % 11 == 3 ? 0f : (float) (r.nextGaussian() * (r.nextBoolean() ? 1 : 1e-3)) + (r.nextBoolean() ? 1e-4f : -1e-4f);
                    zeros += w[i] == 0f ? 1 : 0;
                    g[i] = (float) r.nextGaussian(); // apply adds to the data gradient: it must not overwrite it
                }
            }
            assertTrue(zeros > 3, "weights of exactly 0 are checked");
            float[][] before = new float[ps.size()][];
            for (int p = 0; p < ps.size(); p++) before[p] = ps.get(p).grad().data().clone();
            penalty.apply(backend(), ps);
            for (int p = 0; p < ps.size(); p++) {
                Parameter par = ps.get(p);
                float[] w = par.value().data(), g = par.grad().data();
                for (int i = 0; i < w.length; i++) {
                    float saved = w[i];
                    double step = saved == 0f ? 0x1p-10 : Math.abs(saved); // at 0: a power of two, exact
                    float plus = (float) (saved + step), minus = (float) (saved - step);
                    assertEquals(saved + step, plus, 0.0, "the step is exact");
                    w[i] = plus;
                    double vp = penalty.value(ps);
                    w[i] = minus;
                    double vm = penalty.value(ps);
                    w[i] = saved;
                    double numeric = (vp - vm) / ((double) plus - minus);
                    double analytic = (double) g[i] - before[p][i]; // the penalty's share of the gradient
                    double tol = 2 * (Math.ulp(g[i]) + Math.ulp(before[p][i]) + Math.ulp((float) (penalty.l2() * saved))) + 1e-9;
                    assertEquals(numeric, analytic, tol, penalty + ", " + par.name() + "[" + i + "] = " + saved
                            + (par.decays() ? "" : " (a bias: no penalty)"));
                }
            }
        }
    }

    /**
     * The convention both sides share, by hand: the value is (l2 / 2) w^2, its gradient l2 w (0.375 here, where a
     * gradient of the undivided l2 w^2 would be 0.75), so a factor of 2 lost on either side fails here even if it were
     * lost on both (which the finite-difference comparison above cannot see).
     */
    @Test
    void applyAndValueFollowTheHalfL2Convention() {
        Penalty p = Penalty.l2(0.5);
        Network net = Network.builder(2).dense(2, Activation.identity()).loss(Loss.mse()).seed(1).backend(backend()).build();
        Parameter w = net.parameters().get(0);
        w.value().data()[0] = 0.75f;
        w.grad().fill(0f);
        p.apply(backend(), net.parameters());
        // (l2 / 2) w^2 -> l2 w = 0.375; a gradient of the undivided l2 w^2 would be 0.75
        assertEquals(0.375f, w.grad().data()[0], 0f);
        assertEquals(0.5 * 0.5 * 0.75 * 0.75 + 0.5 * 0.5 * w.value().data()[1] * w.value().data()[1]
                + 0.5 * 0.5 * w.value().data()[2] * w.value().data()[2] + 0.5 * 0.5 * w.value().data()[3] * w.value().data()[3],
                p.value(net.parameters()), 1e-7);
    }
}
