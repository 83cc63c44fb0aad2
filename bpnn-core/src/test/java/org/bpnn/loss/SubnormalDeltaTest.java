package org.bpnn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The built-in losses write delta[L] and their gradients with values below Float.MIN_NORMAL as +0
 * (see {@link org.bpnn.backend.Subnormals}): an output a little above the smallest normal float,
 * divided by the batch, would otherwise give a subnormal delta for the matrix products to crawl over.
 * Each case has a batch of 128 rows whose first output is 1e-36 (normal) against a target of 0, so
 * that (a - y) / m, about 7.8e-39, is subnormal; the second output keeps an ordinary delta.
 */
class SubnormalDeltaTest {
    private static final int M = 128;

    /** (M, 2): every row (1e-36, 1 - 1e-36) against the one-hot (0, 1), or logits whose softmax is that. */
    private static Tensor rows(float first, float second) {
        Tensor t = Tensor.zeros(M, 2);
        for (int i = 0; i < M; i++) {
            t.data()[2 * i] = first;
            t.data()[2 * i + 1] = second;
        }
        return t;
    }

    private static void assertFlushed(Tensor d, String what) {
        for (int i = 0; i < M; i++) {
            float first = d.data()[2 * i], second = d.data()[2 * i + 1];
            assertEquals(0, Float.floatToRawIntBits(first), what + " row " + i + ": " + first + ", expected +0");
            assertTrue(second == 0 || Math.abs(second) >= Float.MIN_NORMAL, what + " row " + i + ": " + second);
        }
    }

    @Test
    void theSoftmaxCrossEntropyDeltaIsNotSubnormal() {
        Tensor y = rows(0f, 1f), d = Tensor.zeros(M, 2);
        Loss.categoricalCrossEntropy().fusedDelta(rows(1e-36f, 1f), y, d);
        assertFlushed(d, "fusedDelta");
        // from logits: softmax(0, 82.9) puts about 1e-36 on the first class
        Loss.categoricalCrossEntropyFromLogits().gradient(rows(0f, 82.9f), y, d);
        assertFlushed(d, "from logits");
    }

    @Test
    void theSigmoidCrossEntropyDeltaIsNotSubnormal() {
        Tensor y = rows(0f, 1f), d = Tensor.zeros(M, 2);
        // element-wise losses divide by m k = 256: 1e-36 / 256 is subnormal too
        Loss.binaryCrossEntropy().fusedDelta(rows(1e-36f, 0.5f), y, d);
        assertFlushed(d, "fusedDelta");
        // sigmoid(-82.9) is about 1e-36
        Loss.binaryCrossEntropyFromLogits().gradient(rows(-82.9f, 0f), y, d);
        assertFlushed(d, "from logits");
    }

    @Test
    void aRegressionGradientIsNotSubnormal() {
        Tensor d = Tensor.zeros(M, 2);
        Loss.mse().gradient(rows(1e-36f, 2f), rows(0f, 1f), d);
        assertFlushed(d, "mse");
    }
}
