package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.simd.kernel.Simd;
import org.junit.jupiter.api.Test;

/**
 * Softmax over rows narrower than a vector (the 10-class output layer) runs the exp of the whole
 * block of rows through Elementwise.expRow, so its values do not depend on whether the JIT has
 * compiled the kernel yet: a training run that starts cold and one that starts warm give the same
 * bits (RELIABILITY.md). And they stay within 3e-7 (relative) of the scalar reference.
 *
 * <p>Why this can fail: with one padded {@code lanewise(EXP)} per row (the kernel before the
 * reference path, which came before this one), the first rounds (interpreted, Java fallback =
 * Math.exp) and the rounds after C2 had compiled the kernel (the platform's vector exp) differed in
 * the last bit on about 1% of the elements.
 */
class NarrowSoftmaxReproducibilityTest {
    private static final int ROWS = 2049; // not a multiple of the lane count: the padded last vector too

    @Test
    void narrowRowsGiveTheSameBitsBeforeAndAfterCompilationNearTheReference() {
        Backend simd = SimdTesting.oneThread();
        Backend scalar = ScalarBackend.INSTANCE;
        // every width below one vector: 1..15 at 512 bits (10 classes among them), 1..3 at 128
        for (int cols = 1; cols < Simd.LANES; cols++) {
            float[] x = new float[ROWS * cols];
            Random r = new Random(cols);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (4 * r.nextGaussian());
            }
            if (cols > 1) {
                x[0] = Float.NEGATIVE_INFINITY; // a class that cannot occur: probability 0
            }
            x[x.length - 1] = 100f; // e^100 overflows a float; e^(x - max) does not
            float[] expected = new float[x.length];
            scalar.softmaxRows(ROWS, cols, x, 0, cols, expected, 0, cols);
            float[] first = null;
            // 40 rounds per width: the first rounds run interpreted, the last ones compiled
            for (int round = 0; round < 40; round++) {
                float[] actual = new float[x.length];
                simd.softmaxRows(ROWS, cols, x, 0, cols, actual, 0, cols);
                if (first == null) {
                    first = actual;
                    for (int i = 0; i < x.length; i++) {
                        assertEquals(expected[i], actual[i], 3e-7 * expected[i] + 1e-30, "cols " + cols + ", row "
                                + i / cols + ", column " + i % cols + ", logit " + x[i]);
                    }
                    continue;
                }
                for (int i = 0; i < x.length; i++) {
                    if (Float.floatToRawIntBits(first[i]) != Float.floatToRawIntBits(actual[i])) {
                        assertEquals(first[i], actual[i], 0f, "cols " + cols + ", round " + round + " vs round 0, row "
                                + i / cols + ", column " + i % cols + ", logit " + x[i]);
                    }
                }
            }
        }
    }
}
