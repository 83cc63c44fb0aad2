package org.bpnn.simd.kernel;

import static org.bpnn.simd.kernel.GemmKernels.L;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.bpnn.backend.scalar.ScalarBackend;
import org.junit.jupiter.api.Test;

/**
 * The passes over a parameter and its gradient (axpy, the momentum and Adam updates, the finiteness
 * check) take their first {@link Elementwise#lineHead} elements one at a time, so that their vectors load
 * from within one line. A lane computes what the scalar reference computes, so every start gives the
 * reference's bits; and where lines are known (the line-aligned test JVMs) the head is where a line
 * begins, so the peel cannot be switched off without a failure here.
 */
class LineHeadTest {
    private static final ScalarBackend REF = ScalarBackend.INSTANCE;

    @Test
    void theHeadEndsWhereAVectorFitsALine() {
        assumeTrue(Simd.ENABLED, "bpnn.simd.bits=off");
        int n = Elementwise.PEEL_MIN;
        if (Boolean.getBoolean("bpnn.test.lineAligned")) {
            assertTrue(Elementwise.PEEL, "-XX:ObjectAlignmentInBytes=64, yet the passes do not peel");
        }
        if (!Elementwise.PEEL) {
            assertEquals(0, Elementwise.lineHead(n, 0, 0, 0, 0), "no peel: no head");
            return;
        }
        for (int start = 0; start < 2 * 16; start++) {
            // element SKIP is on a line: a vector of L lanes fits within one from every L-th element after it
            int expected = Math.floorMod(ArrayAlignment.SKIP - start, L);
            assertEquals(expected, Elementwise.lineHead(n, start, start, start, start), "start " + start + ", " + L + " lanes");
            assertEquals(0, Elementwise.lineHead(n - 1, start, start, start, start), "fewer than PEEL_MIN elements");
            // arrays at different places in their lines (a float apart: never the same head): one would
            // straddle whatever the head
            assertEquals(0, Elementwise.lineHead(n, start, start, start + 1, start), "start " + start
                    + " with one array a float further");
        }
    }

    @Test
    void everyStartGivesTheReferencesBits() {
        assumeTrue(Simd.ENABLED, "bpnn.simd.bits=off");
        Random r = new Random(11);
        for (int n : new int[] {Elementwise.PEEL_MIN - 1, Elementwise.PEEL_MIN, Elementwise.PEEL_MIN + 37}) {
            for (int start = 0; start <= 16 + 1; start++) {
                String what = n + " elements from index " + start;
                float[] w = random(r, start + n), g = random(r, start + n), m = random(r, start + n), v = random(r, start + n);
                for (int i = 0; i < v.length; i++) v[i] = Math.abs(v[i]);

                float[] y1 = w.clone(), y2 = w.clone();
                REF.axpy(n, -0.3f, g, start, y1, start);
                Elementwise.axpy(0, n, -0.3f, g, start, y2, start);
                assertArrayEquals(y1, y2, "axpy, " + what);

                for (boolean nesterov : new boolean[] {false, true}) {
                    float[] w1 = w.clone(), w2 = w.clone(), v1 = v.clone(), v2 = v.clone();
                    REF.momentumUpdate(n, 0.1f, 0.9f, nesterov, w1, start, g, start, v1, start);
                    Elementwise.momentumUpdate(0, n, 0.1f, 0.9f, nesterov, w2, start, g, start, v2, start);
                    assertArrayEquals(w1, w2, "momentum w, nesterov " + nesterov + ", " + what);
                    assertArrayEquals(v1, v2, "momentum v, nesterov " + nesterov + ", " + what);
                }

                float[] w1 = w.clone(), w2 = w.clone(), m1 = m.clone(), m2 = m.clone(), v1 = v.clone(), v2 = v.clone();
                REF.adamUpdate(n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.19f, 0.002f, 0.01f, w1, start, g, start, m1, start, v1, start);
                Elementwise.adamUpdate(0, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.19f, 0.002f, 0.01f, w2, start, g, start, m2, start,
                        v2, start);
                assertArrayEquals(w1, w2, "adam w, " + what);
                assertArrayEquals(m1, m2, "adam m, " + what);
                assertArrayEquals(v1, v2, "adam v, " + what);

                // the first non-finite element in the head, at its end, just after it, in the body, last, or none
                int h = Elementwise.lineHead(n, start, start, start, start);
                for (int at : new int[] {-1, 0, Math.max(0, h - 1), h, h + 3 * L + 1, n / 2, n - 1}) {
                    float[] x = random(r, start + n);
                    if (at >= 0) {
                        x[start + at] = at % 2 == 0 ? Float.NaN : Float.NEGATIVE_INFINITY;
                        x[start + n - 1] = Float.POSITIVE_INFINITY; // a later one must not be reported instead
                    }
                    assertEquals(REF.firstNonFinite(n, x, start), Elementwise.firstNonFinite(n, x, start),
                            "firstNonFinite, first at " + at + ", " + what);
                }
            }
        }
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }
}
