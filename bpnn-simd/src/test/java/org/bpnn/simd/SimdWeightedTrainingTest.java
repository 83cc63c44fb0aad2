package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.data.Dataset;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.train.WeightedTrainingTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Trainer on weighted data on the simd backend with 2 threads (which gather the batches' weights too),
 * and weighted training against the scalar reference.
 */
class SimdWeightedTrainingTest extends WeightedTrainingTest {
    @BeforeEach
    void assumeVectorModule() {
        SimdTesting.assumeVectorModule();
    }

    @Override
    protected Backend backend() {
        return SimdTesting.twoThreads();
    }

    /** SimdDeterminismTest's data with balanced class weights, and every fifth row weighted 0 and every seventh 3 times. */
    static Dataset weightedData() {
        Dataset d = SimdDeterminismTest.data().withBalancedClassWeights();
        float[] w = d.sampleWeights().data().clone();
        for (int i = 0; i < w.length; i++) {
            if (i % 5 == 0) w[i] = 0f;
            else if (i % 7 == 0) w[i] *= 3f;
        }
        return d.withSampleWeights(w);
    }

    /**
     * Scalar and simd train a weighted set to weights within SimdDeterminismTest's tolerance (the row
     * scaling is an exact product on both: the difference is the GEMMs' summation order, as unweighted).
     */
    @Test
    void scalarAndSimdAgreeOnWeightedTraining() {
        Dataset data = weightedData();
        float[][] s = ParameterSnapshot.of(SimdDeterminismTest.train(ScalarBackend.INSTANCE, data)).values();
        float[][] v = ParameterSnapshot.of(SimdDeterminismTest.train(SimdTesting.oneThread(), data)).values();
        double max = 0;
        for (int p = 0; p < s.length; p++) {
            for (int i = 0; i < s[p].length; i++) max = Math.max(max, Math.abs(s[p][i] - v[p][i]));
        }
        assertTrue(max <= SimdDeterminismTest.SCALAR_SIMD_TOLERANCE, "scalar and simd weights differ by " + max);
        // and the weights did change the result: not the unweighted run's weights
        float[][] u = ParameterSnapshot.of(SimdDeterminismTest.train(SimdTesting.oneThread(), SimdDeterminismTest.data())).values();
        double diff = 0;
        for (int p = 0; p < u.length; p++) {
            for (int i = 0; i < u[p].length; i++) diff = Math.max(diff, Math.abs(u[p][i] - v[p][i]));
        }
        assertTrue(diff > 100 * SimdDeterminismTest.SCALAR_SIMD_TOLERANCE, "weighted and unweighted runs differ by only " + diff);
    }

    /** 1 and 2 threads train a weighted set to the same bits (the weights' gather may run on the workers). */
    @Test
    void oneAndTwoThreadsGiveBitIdenticalWeightedTraining() {
        Dataset data = weightedData();
        assertEquals(ParameterSnapshot.of(SimdDeterminismTest.train(SimdTesting.oneThread(), data)),
                ParameterSnapshot.of(SimdDeterminismTest.train(SimdTesting.twoThreads(), data)));
    }
}
