package org.bpnn.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SubnormalsTest {

    @Test
    void flushZeroesSubnormalsAndKeepsEverythingElse() {
        float largestSubnormal = Math.nextDown(Float.MIN_NORMAL);
        for (float x : new float[] {Float.MIN_VALUE, -Float.MIN_VALUE, largestSubnormal, -largestSubnormal, -0f, 0f}) {
            assertEquals(0, Float.floatToRawIntBits(Subnormals.flush(x)), "flush(" + x + ")");
        }
        for (float x : new float[] {Float.MIN_NORMAL, -Float.MIN_NORMAL, 1f, -3e38f, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY}) {
            assertEquals(x, Subnormals.flush(x), 0f, "flush(" + x + ")");
        }
        assertTrue(Float.isNaN(Subnormals.flush(Float.NaN)));
    }

    /**
     * vanishBeside is sound: where it says yes, no subnormal s changes sqrt(s) scale + eps (checked at
     * the largest subnormal and at random ones); on this grid, where it says no, the largest subnormal
     * does (not everywhere: it checks MIN_NORMAL itself, so at eps 1e-8 a scale of 4096 gets no although
     * the largest subnormal would not show).
     */
    @Test
    void vanishBesideTellsWhetherASubnormalSecondMomentCanChangeTheDenominator() {
        float largest = Math.nextDown(Float.MIN_NORMAL);
        Random r = new Random(5);
        int yes = 0, no = 0;
        for (float eps : new float[] {1e-8f, 1e-10f, 1e-12f, 1e-14f, 1e-16f, 1e-18f, 1e-30f, 1f}) {
            for (float scale : new float[] {0f, 1f, 1.0005f, 31.6f, 1000f, 1e6f}) {
                boolean vanish = Subnormals.vanishBeside(scale, eps);
                float atLargest = (float) Math.sqrt(largest) * scale + eps;
                if (vanish) {
                    yes++;
                    assertEquals(eps, atLargest, 0f, "scale " + scale + ", eps " + eps);
                    for (int i = 0; i < 1000; i++) {
                        float s = Float.intBitsToFloat(r.nextInt(0x00800000));
                        assertEquals(eps, (float) Math.sqrt(s) * scale + eps, 0f, "s " + s + ", scale " + scale + ", eps " + eps);
                    }
                } else {
                    no++;
                    assertNotEquals(eps, atLargest, "scale " + scale + ", eps " + eps);
                }
            }
        }
        assertTrue(yes > 0 && no > 0, yes + " yes, " + no + " no: both answers exercised");
        assertTrue(Subnormals.vanishBeside(31.6f, 1e-8f), "Adam's defaults at t = 1");
        assertFalse(Subnormals.vanishBeside(1f, 1e-30f));
    }
}
