package org.bpnn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.nn.Parameter;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The optimisers' state of a dead unit (its gradient 0 from some step on) ends at +0, not at a
 * subnormal value that every later update computes on slowly (see {@link org.bpnn.backend.Subnormals}).
 * Each test trains a two-weight parameter whose first weight gets one gradient and then zeros, the
 * second weight gradient 1 throughout, and reads the state after enough steps for the decay to reach
 * the subnormal range.
 */
class OptimizerStateFlushTest {

    /** The premise: without the flush a decayed state stops at a subnormal value instead of reaching 0. */
    @Test
    void aSubnormalStateDecaysToItself() {
        float stuck = 4 * Float.MIN_VALUE;
        assertEquals(stuck, 0.9f * stuck, 0f);
        assertEquals(stuck, 0.999f * stuck, 0f);
    }

    /** The state buffers after one step with gradient (g0, 1) and then {@code steps} with (0, 1). */
    private static float[][] stateAfter(BaseOptimizer opt, float g0, int steps) {
        Parameter p = new Parameter("w", Tensor.row(0.5f, -0.5f), true);
        float[] g = p.grad().data();
        g[0] = g0;
        g[1] = 1f;
        opt.step(ScalarBackend.INSTANCE, List.of(p));
        g[0] = 0f;
        for (int i = 0; i < steps; i++) {
            opt.step(ScalarBackend.INSTANCE, List.of(p));
        }
        assertTrue(Float.isFinite(p.value().data()[0]) && Float.isFinite(p.value().data()[1]), "weights finite");
        return opt.state().buffers();
    }

    private static void assertPositiveZero(float x, String what) {
        assertEquals(0, Float.floatToRawIntBits(x), what + " is " + x + ", expected +0");
    }

    private static void assertSubnormal(float x, String what) {
        assertTrue(x > 0 && x < Float.MIN_NORMAL, what + " is " + x + ", expected a subnormal value");
    }

    @Test
    void adamsMomentsOfADeadUnitEndAtZero() {
        // m decays by 0.9 a step (subnormal after about 800), v by 0.999 (after about 60,000)
        float[][] s = stateAfter(new Adam(1e-3), 1e-3f, 100_000);
        assertPositiveZero(s[0][0], "m");
        assertPositiveZero(s[1][0], "v");
        assertEquals(1f, s[0][1], 1e-6f, "the live weight's m");
    }

    /** With eps = 1e-30 a subnormal v would change the step's denominator: it is kept, m is still flushed. */
    @Test
    void adamKeepsASubnormalSecondMomentWhereEpsilonIsTooSmallToHideIt() {
        float[][] s = stateAfter(new Adam(1e-3, 0.9, 0.999, 1e-30), 1e-3f, 100_000);
        assertPositiveZero(s[0][0], "m");
        assertSubnormal(s[1][0], "v");
    }

    @Test
    void momentumsVelocityOfADeadUnitEndsAtZero() {
        for (boolean nesterov : new boolean[] {false, true}) {
            float[][] s = stateAfter(new Momentum(1e-3, 0.9, nesterov), 1e-3f, 2_000);
            assertPositiveZero(s[0][0], "velocity (nesterov " + nesterov + ")");
            assertEquals(10f, s[0][1], 1e-3f, "the live weight's velocity, 1 / (1 - mu)");
        }
    }

    @Test
    void rmsPropsMeanSquareOfADeadUnitEndsAtZeroWhereThatChangesNoStep() {
        float[][] s = stateAfter(new RmsProp(1e-3), 1e-3f, 2_000);
        assertPositiveZero(s[0][0], "s");
        float[][] kept = stateAfter(new RmsProp(1e-3, 0.9, 1e-30), 1e-3f, 2_000);
        assertSubnormal(kept[0][0], "s at eps 1e-30");
    }
}
