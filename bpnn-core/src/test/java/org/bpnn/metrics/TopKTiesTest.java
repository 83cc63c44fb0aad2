package org.bpnn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bpnn.data.OneHot;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Top-k accuracy breaks ties by class index, as accuracy's argmax does. Ties counted in the sample's
 * favour: a network whose outputs were all equal scored top-1 accuracy 1.0 where accuracy gave the
 * share of class-0 rows, and 1.0 at every k.
 */
class TopKTiesTest {

    @Test
    void constantOutputsScoreTheShareOfTheFirstClassesNotOne() {
        Tensor y = OneHot.encode(new int[] {0, 1, 2, 3, 0, 1, 2, 3}, 4);
        Tensor out = Tensor.zeros(8, 4); // all equal
        for (int i = 0; i < out.size(); i++) out.data()[i] = 0.25f;
        assertEquals(0.25, Metrics.accuracy(out, y), 0);
        assertEquals(0.25, Metrics.topKAccuracy(out, y, 1), 0, "was 1.0: every tie counted as a hit");
        assertEquals(0.5, Metrics.topKAccuracy(out, y, 2), 0);
        assertEquals(0.75, Metrics.topKAccuracy(out, y, 3), 0);
        assertEquals(1.0, Metrics.topKAccuracy(out, y, 4), 0);
        assertEquals(0.25, Metric.topKAccuracy(1).value(out, y), 0);
    }

    @Test
    void topOneIsAccuracyAndTheValueGrowsWithK() {
        Random r = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + r.nextInt(12), k = 2 + r.nextInt(5);
            int[] labels = new int[n];
            float[] o = new float[n * k];
            for (int i = 0; i < n; i++) labels[i] = r.nextInt(k);
            for (int i = 0; i < o.length; i++) {
                // few distinct values, so ties are common; a NaN now and then
                o[i] = r.nextInt(25) == 0 ? Float.NaN : r.nextInt(3) / 2f;
            }
            Tensor out = Tensor.wrap(n, k, o), y = OneHot.encode(labels, k);
            assertEquals(Metrics.accuracy(out, y), Metrics.topKAccuracy(out, y, 1), 0, "trial " + trial);
            double previous = 0;
            for (int top = 1; top <= k; top++) {
                double v = Metrics.topKAccuracy(out, y, top);
                assertTrue(v >= previous, "trial " + trial + ": top-" + top + " " + v + " < " + previous);
                previous = v;
            }
        }
    }
}
