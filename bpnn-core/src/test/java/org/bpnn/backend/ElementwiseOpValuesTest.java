package org.bpnn.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * ElementwiseOp is the specification every backend's kernels follow: its derivatives, worked by hand,
 * and its double-precision reference (what the gradient check differentiates) at pre-activations whose
 * exponential overflows.
 */
class ElementwiseOpValuesTest {
    @Test
    void derivativesThroughTheOutput() {
        // the identity's is 1 for any output: a backend's activationBackward(IDENTITY) is then g itself
        assertEquals(1f, ElementwiseOp.IDENTITY.derivativeFromOutput(-3f, 0f));
        assertEquals(1f, ElementwiseOp.IDENTITY.derivativeFromOutput(0f, 0f));
        assertEquals(0.25f, ElementwiseOp.SIGMOID.derivativeFromOutput(0.5f, 0f)); // a (1 - a)
        assertEquals(0.75f, ElementwiseOp.TANH.derivativeFromOutput(0.5f, 0f)); // 1 - a^2
        assertEquals(1f, ElementwiseOp.RELU.derivativeFromOutput(2f, 0f));
        assertEquals(0f, ElementwiseOp.RELU.derivativeFromOutput(0f, 0f)); // the kink: the left derivative
        assertEquals(1f, ElementwiseOp.LEAKY_RELU.derivativeFromOutput(2f, 0.1f));
        assertEquals(0.1f, ElementwiseOp.LEAKY_RELU.derivativeFromOutput(-0.2f, 0.1f));
        assertEquals(0.1f, ElementwiseOp.LEAKY_RELU.derivativeFromOutput(0f, 0.1f));
    }

    @Test
    void theDoubleSigmoidDoesNotOverflow() {
        // e^800 is Infinity: e^z / (1 + e^z) would be NaN at z = 800, 1 / (1 + e^-z) is 1
        assertEquals(1.0, ElementwiseOp.SIGMOID.applyDouble(800, 0));
        assertEquals(0.0, ElementwiseOp.SIGMOID.applyDouble(-800, 0));
        assertEquals(1.0 / (1.0 + Math.exp(-2)), ElementwiseOp.SIGMOID.applyDouble(2, 0), 1e-15);
        assertEquals(Math.exp(-2) / (1.0 + Math.exp(-2)), ElementwiseOp.SIGMOID.applyDouble(-2, 0), 1e-15);
    }
}
