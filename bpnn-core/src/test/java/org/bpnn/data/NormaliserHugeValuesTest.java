package org.bpnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A feature whose range exceeds the largest float (which minMax refuses, pointing to standardise):
 * standardise must normalise its own training data and invert it, even though x - center overflows
 * float for the largest value.
 */
class NormaliserHugeValuesTest {
    @Test
    void standardiseNormalisesAndInvertsItsOwnTrainingDataNearTheFloatLimit() {
        Tensor x = Tensor.of(new float[][] {{-3e38f}, {-3e38f}, {3e38f}});
        Normaliser n = Normaliser.standardise(x);
        // mean -1e38, population sd sqrt(2) * 2e38; numpy: (x - x.mean()) / x.std() = [-0.7071, -0.7071, 1.4142]
        Tensor z = n.apply(x); // threw OverflowException: (3e38 - -1e38) overflows float
        float r = (float) Math.sqrt(0.5);
        assertArrayEquals(new float[] {-r, -r, 2 * r}, z.data(), 1e-6f);
        // was {-3e38, -3e38, Infinity}: 1.414 * 2.83e38 overflows before the center is added
        assertArrayEquals(x.data(), n.inverse(z).data(), 3e32f);
    }
}
