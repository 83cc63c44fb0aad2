package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bpnn.nn.activation.Activation;
import org.junit.jupiter.api.Test;

/** Each initialiser's sample mean and variance from a seeded draw, and the defaults per activation. */
class InitializerTest {
    static final int FAN_IN = 200, FAN_OUT = 100;

    static double[] meanVar(Initializer init) {
        float[] w = new float[FAN_IN * FAN_OUT];
        init.fill(w, FAN_IN, FAN_OUT, new Random(17));
        double s = 0, s2 = 0;
        for (float v : w) {
            s += v;
            s2 += (double) v * v;
        }
        double mean = s / w.length;
        return new double[] {mean, s2 / w.length - mean * mean, maxAbs(w)};
    }

    static double maxAbs(float[] w) {
        double m = 0;
        for (float v : w) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** 20000 draws: the sample variance is within ~2% (a few standard errors) of the target. */
    static void check(Initializer init, double var, boolean uniform) {
        double[] mv = meanVar(init);
        assertEquals(0, mv[0], 4 * Math.sqrt(var / 20000), init + " mean");
        assertEquals(var, mv[1], 0.03 * var, init + " variance");
        if (uniform) {
            assertTrue(mv[2] <= Math.sqrt(3 * var), init + " stays within the limit sqrt(3 var)");
        }
    }

    @Test
    void xavier() {
        check(Initializer.xavierUniform(), 2.0 / (FAN_IN + FAN_OUT), true);
        check(Initializer.xavierNormal(), 2.0 / (FAN_IN + FAN_OUT), false);
    }

    @Test
    void he() {
        check(Initializer.heUniform(), 2.0 / FAN_IN, true);
        check(Initializer.heNormal(), 2.0 / FAN_IN, false);
    }

    @Test
    void zeros() {
        double[] mv = meanVar(Initializer.zeros());
        assertEquals(0, mv[2], 0);
    }

    @Test
    void defaultsPerActivation() {
        assertSame(Initializer.heNormal(), Initializer.defaultFor(Activation.relu()));
        assertSame(Initializer.heNormal(), Initializer.defaultFor(Activation.leakyRelu(0.1f)));
        assertSame(Initializer.xavierUniform(), Initializer.defaultFor(Activation.tanh()));
        assertSame(Initializer.xavierUniform(), Initializer.defaultFor(Activation.sigmoid()));
        assertSame(Initializer.xavierUniform(), Initializer.defaultFor(Activation.softmax()));
    }

    @Test
    void sameSeedSameWeights() {
        float[] a = new float[50], b = new float[50];
        Initializer.heUniform().fill(a, 10, 5, new Random(3));
        Initializer.heUniform().fill(b, 10, 5, new Random(3));
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
    }
}
