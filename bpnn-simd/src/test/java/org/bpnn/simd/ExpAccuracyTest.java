package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.VectorSpecies;
import org.bpnn.backend.ElementwiseOp;
import org.bpnn.simd.kernel.Elementwise;
import org.bpnn.simd.kernel.Simd;
import org.junit.jupiter.api.Test;

/**
 * Measures the vector exp against Math.exp (the figure quoted in Elementwise's Javadoc), checks that
 * it equals its scalar transcription bit for bit (so it cannot depend on the execution mode: the
 * Vector API's lanewise(EXP) gave other last bits interpreted than compiled), its special values,
 * and the exp-based activations at saturating inputs.
 */
class ExpAccuracyTest {
    /**
     * Elementwise.exp written with scalar float operations, which are exact and the same in every
     * execution mode (Java has no FMA contraction); the constants are Elementwise's.
     */
    static float expScalar(float x) {
        final float hi = 89f, lo = -110f;
        float xc = Math.min(Math.max(x, lo), hi);
        float n = (xc * 1.44269504f + 12582912f) - 12582912f;
        float r = Math.fma(n, -0.693359375f, xc);
        r = Math.fma(n, 2.12194440e-4f, r);
        float p = Math.fma(r, 1.9875691500e-4f, 1.3981999507e-3f);
        p = Math.fma(p, r, 8.3334519073e-3f);
        p = Math.fma(p, r, 4.1665795894e-2f);
        p = Math.fma(p, r, 1.6666665459e-1f);
        p = Math.fma(p, r, 5.0000001201e-1f);
        float y = Math.fma(p, r * r, r) + 1f;
        int ni = (int) n, h = ni >> 1;
        return y * Float.intBitsToFloat((h + 127) << 23) * Float.intBitsToFloat((ni - h + 127) << 23);
    }

    @Test
    void vectorExpEqualsItsScalarTranscriptionBitForBitColdAndWarm() {
        // the first pass runs interpreted or in C1 (unless another test warmed exp up), the later ones
        // in C2; ExpInterpretedTest runs one pass under -Xint
        assertExpEqualsTranscription(300, 4096);
    }

    /**
     * {@code passes} calls of Elementwise.exp on {@code vectors} vectors of special values, Gaussians
     * and uniform floats in [-110, 90); the first and the last compared with {@link #expScalar} bit for bit.
     */
    static void assertExpEqualsTranscription(int passes, int vectors) {
        SimdTesting.assumeVectorModule();
        VectorSpecies<Float> s = Simd.SPECIES;
        java.util.Random r = new java.util.Random(11);
        float[] x = new float[s.length() * vectors];
        float[] special = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, 0f, -0f, 88.72283f, 88.7229f,
            -87.33655f, -103.9f, -104f, -150f, 1e-30f, -1e-30f, Float.MAX_VALUE, -Float.MAX_VALUE, 0.34657359f};
        for (int i = 0; i < x.length; i++) {
            x[i] = i < special.length ? special[i] : i % 3 == 0 ? (float) (r.nextGaussian() * 3)
                    : -110f + 200f * r.nextFloat();
        }
        float[] y = new float[x.length];
        for (int pass = 0; pass < passes; pass++) {
            Elementwise.exp(x, 0, y, 0, x.length);
            if (pass == 0 || pass == passes - 1) {
                for (int i = 0; i < x.length; i++) {
                    float e = expScalar(x[i]);
                    assertTrue(Float.floatToRawIntBits(y[i]) == Float.floatToRawIntBits(e) || Float.isNaN(e) && Float.isNaN(y[i]),
                            "pass " + pass + ": exp(" + x[i] + ") = " + y[i] + ", scalar transcription " + e);
                }
            }
        }
        assertEquals(0f, y[0]);
        assertEquals(Float.POSITIVE_INFINITY, y[1]);
        assertTrue(Float.isNaN(y[2]));
        assertEquals(1f, y[3]);
        assertEquals(1f, y[4]);
        assertTrue(Float.isFinite(y[5]) && y[5] > 3.4e38f, "exp(88.72283) = " + y[5]);
        assertEquals(Float.POSITIVE_INFINITY, y[6]);
        assertTrue(y[8] > 0f && y[8] < Float.MIN_NORMAL, "exp(-103.9) is subnormal: " + y[8]);
        assertEquals(0f, y[10]);
    }

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
        Elementwise.exp(x, 0, y, 0, s.loopBound(x.length));
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
