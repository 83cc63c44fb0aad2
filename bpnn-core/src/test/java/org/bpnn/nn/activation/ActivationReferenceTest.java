package org.bpnn.nn.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The leaky slope's bounds, and softmax's double reference where e^z overflows. */
class ActivationReferenceTest {
    @Test
    void theLeakySlopeIsStrictlyBetweenZeroAndOne() {
        // 0 is a ReLU under another name (a model file would spell it two ways); 1 is the identity
        assertThrows(IllegalArgumentException.class, () -> Activation.leakyRelu(0f));
        assertThrows(IllegalArgumentException.class, () -> Activation.leakyRelu(1f));
        assertThrows(IllegalArgumentException.class, () -> Activation.leakyRelu(Float.NaN));
        assertEquals(Math.ulp(0f), Activation.leakyRelu(Math.ulp(0f)).parameter());
        assertEquals(Math.nextDown(1f), Activation.leakyRelu(Math.nextDown(1f)).parameter());
    }

    @Test
    void softmaxReferenceShiftsByTheMaximum() {
        // e^800 overflows: without the shift by max z the reference was NaN, and the gradient check with it
        double[] a = new double[3];
        Activation.softmax().forwardDouble(new double[] {9, 400, 399}, 1, 2, a, 1);
        assertEquals(0.0, a[0]); // outside the row: not written
        assertEquals(1 / (1 + Math.exp(-1)), a[1], 1e-15); // e^1 / (e^1 + e^0)
        assertEquals(1 / (1 + Math.exp(1)), a[2], 1e-15);
    }
}
