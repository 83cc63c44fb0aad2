package org.bpnn.extension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.GradientCheck;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The extension contract of {@link Activation}, pinned by an example written against the public API
 * only (this package is outside bpnn's): a user's Swish, sigma(z) = z sigmoid(z), passes the
 * gradient check the built-ins are judged by, and the check catches a wrong derivative and names
 * the layer that uses it. Subclasses run the same on another backend (bpnn-simd's).
 */
public class CustomActivationTest {

    /** The backend under test; the scalar reference by default. */
    protected Backend backend() {
        return ScalarBackend.INSTANCE;
    }

    /**
     * Swish, as a user writes it: plain loops (the backend's kernels are for the built-in operations,
     * so it is not used), no fields written, nothing allocated. {@code wrongDerivative} drops the
     * z sigmoid'(z) term of sigma'(z) = s + z s (1 - s), the mistake the gradient check must catch.
     */
    static final class Swish implements Activation {
        private final boolean wrongDerivative;

        Swish(boolean wrongDerivative) {
            this.wrongDerivative = wrongDerivative;
        }

        @Override
        public String name() {
            return "swish"; // not a built-in's name: the builder and model files go by the name
        }

        @Override
        public void forward(Backend backend, Tensor z, float[] bias, Tensor a) {
            float[] zd = z.data(), ad = a.data();
            int n = z.cols(), size = z.rows() * n;
            for (int i = 0; i < size; i++) {
                float v = bias == null ? zd[i] : zd[i] + bias[i % n];
                zd[i] = v; // z keeps the biased pre-activation: backward reads it
                ad[i] = v / (1f + (float) Math.exp(-v));
            }
        }

        @Override
        public void backward(Backend backend, Tensor z, Tensor a, Tensor g) {
            float[] zd = z.data(), gd = g.data();
            int size = g.rows() * g.cols();
            for (int i = 0; i < size; i++) {
                float s = 1f / (1f + (float) Math.exp(-zd[i]));
                gd[i] *= wrongDerivative ? s : s * (1f + zd[i] * (1f - s));
            }
        }

        @Override
        public void forwardDouble(double[] z, int off, int n, double[] a, int aOff) {
            for (int j = 0; j < n; j++) {
                double v = z[off + j];
                a[aOff + j] = v / (1 + Math.exp(-v));
            }
        }

        @Override
        public String toString() {
            return "Swish";
        }
    }

    private static Tensor random(int rows, int cols, long seed) {
        Random r = new Random(seed);
        float[] d = new float[rows * cols];
        for (int i = 0; i < d.length; i++) d[i] = (float) r.nextGaussian();
        return Tensor.wrap(rows, cols, d);
    }

    /** Swish in a hidden layer and on the output layer of a regression (mse: no fused delta). */
    private Network network(Backend backend, boolean wrongDerivative) {
        return Network.builder(4)
                .dense(6, new Swish(wrongDerivative))
                .dense(5, Activation.tanh())
                .dense(3, new Swish(false))
                .loss(Loss.mse()).seed(11).backend(backend).build();
    }

    @Test
    void aCustomActivationPassesTheGradientCheck() {
        Tensor x = random(7, 4, 1), y = random(7, 3, 2);
        GradientCheck.Result r = GradientCheck.check(network(backend(), false), x, y);
        assertTrue(r.passed(), r::toString);
        assertTrue(r.checked() == 6 * 4 + 6 + 5 * 6 + 5 + 3 * 5 + 3, r::toString); // every element was compared
    }

    @Test
    void theGradientCheckCatchesAWrongDerivativeAndNamesItsLayer() {
        Tensor x = random(7, 4, 1), y = random(7, 3, 2);
        GradientCheck.Result r = GradientCheck.check(network(backend(), true), x, y);
        assertFalse(r.passed(), r::toString);
        assertTrue(r.toString().startsWith("FAILED: ") && r.worstWhere().startsWith("dense1."), r::toString);
    }

    /** The same network on this backend and on the scalar reference: the same outputs, to float rounding. */
    @Test
    void predictionsAgreeWithTheScalarReference() {
        Tensor x = random(9, 4, 3);
        float[] reference = network(ScalarBackend.INSTANCE, false).predict(x).data();
        float[] here = network(backend(), false).predict(x).data();
        assertArrayEquals(reference, here, 1e-5f);
    }
}
