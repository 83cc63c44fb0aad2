package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.FusedCostFromPreActivationTest;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cost from the output layer's pre-activation on the simd backend (the exact values of
 * FusedCostFromPreActivationTest), and the same cost as the scalar backend's where the probabilities
 * saturate. From the probabilities, the backends' last-bit differences in a near 1 (their exp and
 * softmax kernels differ in the last bit) were magnified by log(1 - a) or -log(a): a sigmoid output at
 * z in [15, 17.5] over 8 outputs cost 26.75 on scalar and 27.15 on simd (1.5% apart, single rows up
 * to 15%), a 16-class softmax whose true class wins by 10 to 15.5 costs 2e-4 relative apart (single
 * rows up to 25%).
 */
class SimdFusedCostTest extends FusedCostFromPreActivationTest {
    @BeforeEach
    void assumeVectorModule() {
        SimdTesting.assumeVectorModule();
    }

    @Override
    protected Backend backend() {
        return SimdTesting.oneThread();
    }

    /** One input, k outputs: z_j = w_j x + b_j. */
    private static Network net(Backend b, Activation act, Loss loss, float[] w, float[] bias) {
        Network n = Network.builder(1).dense(w.length, act).loss(loss).seed(1).backend(b).build();
        System.arraycopy(w, 0, n.parameters().get(0).value().data(), 0, w.length);
        System.arraycopy(bias, 0, n.parameters().get(1).value().data(), 0, bias.length);
        return n;
    }

    private static void assertSameCost(Network scalar, Network simd, Tensor x, Tensor y, String what) {
        double a = scalar.computeGradients(x, y), b = simd.computeGradients(x, y);
        assertTrue(Math.abs(a - b) <= 1e-6 * Math.abs(a), what + ", computeGradients: scalar " + a + ", simd " + b);
        double c = scalar.evaluateLoss(x, y), d = simd.evaluateLoss(x, y);
        assertTrue(Math.abs(c - d) <= 1e-6 * Math.abs(c), what + ", evaluateLoss: scalar " + c + ", simd " + d);
    }

    @Test
    void saturatedSigmoidOutputsCostTheSameOnBothBackends() {
        int k = 8, m = 64;
        float[] w = new float[k], bias = new float[k];
        for (int j = 0; j < k; j++) {
            w[j] = 1f;
            bias[j] = 0.37f * j;
        }
        Tensor x = Tensor.zeros(m, 1), y = Tensor.zeros(m, k);
        for (int i = 0; i < m; i++) x.data()[i] = 15f + 15f * i / m; // z in [15, 32.6]
        assertSameCost(net(ScalarBackend.INSTANCE, Activation.sigmoid(), Loss.binaryCrossEntropy(), w, bias),
                net(SimdTesting.oneThread(), Activation.sigmoid(), Loss.binaryCrossEntropy(), w, bias), x, y, "sigmoid");
    }

    @Test
    void aNearlyCertainSoftmaxCostsTheSameOnBothBackends() {
        int k = 16, m = 64;
        float[] w = new float[k], bias = new float[k];
        for (int j = 0; j < k; j++) bias[j] = 0.37f * j;
        w[k - 1] = 1f;
        Tensor x = Tensor.zeros(m, 1), y = Tensor.zeros(m, k);
        for (int i = 0; i < m; i++) {
            x.data()[i] = 9f + 8f * i / m; // the last class wins by 9.4 to 17.3 over the next
            y.data()[i * k + k - 1] = 1f;
        }
        assertSameCost(net(ScalarBackend.INSTANCE, Activation.softmax(), Loss.categoricalCrossEntropy(), w, bias),
                net(SimdTesting.oneThread(), Activation.softmax(), Loss.categoricalCrossEntropy(), w, bias), x, y, "softmax");
    }
}
