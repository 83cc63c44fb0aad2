package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.simd.kernel.Simd;
import org.junit.jupiter.api.Test;

/**
 * Softmax over rows narrower than a vector (the 10-class output layer) is the reference computation,
 * so its values do not depend on whether the JIT has compiled the kernel yet: a training run that
 * starts cold and one that starts warm give the same bits (RELIABILITY.md).
 *
 * <p>Why this can fail: with one padded {@code lanewise(EXP)} per row (the kernel before this test),
 * the first rounds (interpreted, Java fallback = Math.exp) matched the reference and the rounds after
 * C2 had compiled the kernel (the platform's vector exp) differed in the last bit on about 1% of the
 * elements.
 */
class NarrowSoftmaxReproducibilityTest {
    private static final int ROWS = 2048;

    @Test
    void narrowRowsEqualTheReferenceBitForBitBeforeAndAfterCompilation() {
        Backend simd = SimdTesting.oneThread();
        Backend scalar = ScalarBackend.INSTANCE;
        // every width below one vector: 1..15 at 512 bits (10 classes among them), 1..3 at 128
        for (int cols = 1; cols < Simd.LANES; cols++) {
            float[] x = new float[ROWS * cols];
            float[] expected = new float[x.length];
            float[] actual = new float[x.length];
            Random r = new Random(cols);
            // 40 rounds x 2048 rows per width: the first rounds run interpreted, the last ones compiled
            for (int round = 0; round < 40; round++) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (4 * r.nextGaussian());
                }
                scalar.softmaxRows(ROWS, cols, x, 0, cols, expected, 0, cols);
                simd.softmaxRows(ROWS, cols, x, 0, cols, actual, 0, cols);
                for (int i = 0; i < x.length; i++) {
                    if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                        assertEquals(expected[i], actual[i], 0f, "cols " + cols + ", round " + round
                                + ", row " + i / cols + ", column " + i % cols + ", logit " + x[i]);
                    }
                }
            }
        }
    }
}
