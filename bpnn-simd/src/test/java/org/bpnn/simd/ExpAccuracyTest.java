package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.bpnn.backend.ElementwiseOp;
import org.bpnn.simd.kernel.Elementwise;
import org.bpnn.simd.kernel.Simd;
import org.junit.jupiter.api.Test;

/**
 * Measures the vector exp against Math.exp (the figure quoted in Elementwise's Javadoc) and checks
 * the exp-based activations at saturating inputs.
 */
class ExpAccuracyTest {
    @Test
    void vectorExpIsWithinTwoUlpsOfMathExp() {
        SimdTesting.assumeVectorModule();
        VectorSpecies<Float> s = Simd.SPECIES;
        int n = 1 << 21;
        float[] x = new float[n + (1 << 20)];
        for (int i = 0; i < n; i++) {
            x[i] = -87f + 175f * i / n; // [-87, 88)
        }
        for (int i = 0; i < (1 << 20); i++) {
            x[n + i] = -1f + 2f * i / (1 << 20);
        }
        float[] y = new float[x.length];
        for (int i = 0; i < s.loopBound(x.length); i += s.length()) {
            FloatVector.fromArray(s, x, i).lanewise(VectorOperators.EXP).intoArray(y, i);
        }
        double maxRel = 0;
        float worst = 0;
        for (int i = 0; i < s.loopBound(x.length); i++) {
            double e = Math.exp(x[i]);
            double rel = Math.abs(y[i] - e) / e;
            if (rel > maxRel) {
                maxRel = rel;
                worst = x[i];
            }
        }
        System.out.printf("bpnn simd: vector exp (%s) max relative error vs Math.exp: %.3g at x = %s%n",
                Simd.describe(), maxRel, worst);
        assertTrue(maxRel < 2.4e-7, "vector exp max relative error " + maxRel + " at x = " + worst);
    }

    @Test
    void sigmoidAndTanhSaturateWithoutNaN() {
        SimdTesting.assumeVectorModule();
        VectorSpecies<Float> s = Simd.SPECIES;
        float[] z = new float[s.length() * 4 + 5];
        float[] probe = {1e4f, -1e4f, 100f, -100f, 88.8f, -88.8f, 1e-6f, -1e-6f, 0f, -0f, 0.06f, -0.07f, 20f, -20f,
            Float.MAX_VALUE, -Float.MAX_VALUE};
        for (int i = 0; i < z.length; i++) {
            z[i] = probe[i % probe.length] * (1 + i / probe.length);
        }
        for (ElementwiseOp op : new ElementwiseOp[] {ElementwiseOp.SIGMOID, ElementwiseOp.TANH}) {
            // the backend's own path: vector body, then the zero-padded exp tail (z.length is not a multiple of L)
            float[] out = new float[z.length];
            Elementwise.biasActivation(op, 0f, 0, 1, z.length, z.clone(), 0, z.length, null, 0, out, 0, z.length);
            for (int i = 0; i < z.length; i++) {
                float zi = z[i];
                double e = op.applyDouble(zi, 0);
                assertTrue(Math.abs(out[i] - e) <= 4e-6 * Math.max(1e-30, Math.abs(e)) || Math.abs(out[i] - e) < 1e-37,
                        op + "(" + zi + ") = " + out[i] + ", expected " + e);
            }
        }
    }
}
