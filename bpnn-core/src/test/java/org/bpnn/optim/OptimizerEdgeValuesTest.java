package org.bpnn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.nn.Parameter;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The edges of the optimisers' documented domains and formulas, each with a hand-computed value: found
 * by mutation testing (PIT on org.bpnn.optim), where loosening or tightening each of them by one left
 * every other test passing.
 */
class OptimizerEdgeValuesTest {

    private static Parameter param(float... values) {
        return new Parameter("w", Tensor.row(values), true);
    }

    private static void grads(Parameter p, float... g) {
        System.arraycopy(g, 0, p.grad().data(), 0, g.length);
    }

    /** gamma in (0, 1]: 1 (no decay) is allowed, 0 (a rate of 0 from the first decay on) is not. */
    @Test
    void aDecayFactorOfOneHoldsTheRateAndZeroIsRefused() {
        assertEquals(0.3, LearningRateSchedule.stepDecay(5, 1.0).rate(0.3, 100), 0);
        assertEquals(0.3, LearningRateSchedule.exponential(1.0).rate(0.3, 100), 0);
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.stepDecay(5, 0));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.exponential(0));
    }

    /** A schedule may end at rate 0 (cosine's default minRate): a step past its end changes nothing and does not throw. */
    @Test
    void aStepAtRateZeroIsAcceptedAndLeavesTheWeights() {
        Parameter p = param(1f, -2f);
        Sgd sgd = new Sgd(0.5);
        sgd.schedule(LearningRateSchedule.cosine(1));
        grads(p, 1f, 1f);
        sgd.step(ScalarBackend.INSTANCE, List.of(p)); // t = 0: rate 0.5
        assertArrayEquals(new float[] {0.5f, -2.5f}, p.value().data());
        grads(p, 1f, 1f);
        sgd.step(ScalarBackend.INSTANCE, List.of(p)); // t = 1 >= T: rate 0
        assertArrayEquals(new float[] {0.5f, -2.5f}, p.value().data());
        assertEquals(0f, sgd.currentLearningRate());
    }

    /** beta1 in [0, 1): 0 (no momentum, m = g) is allowed; with bias correction Adam's first step is then alpha g / (|g| + eps). */
    @Test
    void adamAcceptsABeta1OfZero() {
        Adam adam = new Adam(0.1, 0, 0.999, 1e-8);
        assertEquals(0f, adam.beta1());
        Parameter p = param(1f);
        grads(p, 4f);
        adam.step(ScalarBackend.INSTANCE, List.of(p));
        assertEquals(0.9, p.value().data()[0], 1e-6); // 1 - 0.1 * 4 / 4
    }

    /** RMSProp's eps is added to sqrt(s): with eps = 1, g = 1, rho = 0.9, the first step is 0.1 / (sqrt(0.1) + 1). */
    @Test
    void rmsPropAddsEpsilonToTheRootOfTheAverage() {
        RmsProp opt = new RmsProp(0.1, 0.9, 1.0);
        Parameter p = param(1f);
        grads(p, 1f);
        opt.step(ScalarBackend.INSTANCE, List.of(p));
        assertEquals(1 - 0.1 / (Math.sqrt(0.1) + 1), p.value().data()[0], 1e-6); // 0.92402542
    }

    /** L1's subgradient at a weight of exactly 0 is 0 (signum): it adds nothing there, lambda sign(w) elsewhere. */
    @Test
    void l1AddsNothingAtAZeroWeight() {
        Parameter p = param(0f, 2f, -3f);
        grads(p, 1f, 1f, 1f);
        Penalty.l1(0.25).apply(ScalarBackend.INSTANCE, List.of(p));
        assertArrayEquals(new float[] {1f, 1.25f, 0.75f}, p.grad().data());
    }

    /** A state built with another optimiser's settings is refused: a resume would compare the wrong kind's values. */
    @Test
    void aStateRefusesTheSettingsOfAnotherKind() {
        assertThrows(IllegalArgumentException.class, () -> new OptimizerState("adam", 1, new int[] {1},
                new float[][] {{0f}, {0f}}, new Sgd(0.1).settings()));
    }
}
