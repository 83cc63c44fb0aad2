package org.bpnn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Top-1 accuracy of a one-column (sigmoid) output is its thresholded accuracy, not 1 for every row. */
class TopKOneColumnTest {
    @Test
    void topOneOnASigmoidOutputIsTheAccuracy() {
        Tensor out = Tensor.of(new float[][] {{0.9f}, {0.1f}, {0.2f}, {0.8f}});
        Tensor y = Tensor.of(new float[][] {{0f}, {1f}, {1f}, {1f}});
        assertEquals(0.25, Metrics.accuracy(out, y), 0);
        assertEquals(0.25, Metrics.topKAccuracy(out, y, 1), 0, "was 1.0: the argmax of one column is always the target's");
        assertEquals(0.25, Metric.topKAccuracy(1).value(out, y), 0);
        String m = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Metrics.topKAccuracy(out, y, 2)).getMessage();
        org.junit.jupiter.api.Assertions.assertTrue(m.startsWith("top-k needs k in [1, 1] for 1 output (a sigmoid model"), m);
    }
}
