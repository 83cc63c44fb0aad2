package org.bpnn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * What a trainer reads of a metric besides its value: equal class metrics hash alike (a set or map of
 * them), top-k is higher-is-better and prints as its factory, and a ranking metric refuses targets of
 * three columns for their width, before reading them as pairs.
 */
class MetricIdentityTest {
    @Test
    void equalClassMetricsHashAlike() {
        assertEquals(Metric.recall(1).hashCode(), Metric.recall(1).hashCode());
        assertEquals(Metric.f1(3).hashCode(), Metric.f1(3).hashCode());
        assertNotEquals(Metric.recall(1).hashCode(), Metric.recall(2).hashCode());
        assertNotEquals(Metric.recall(1).hashCode(), Metric.precision(1).hashCode());
    }

    @Test
    void topKIsHigherIsBetterAndPrintsAsItsFactory() {
        Metric top = Metric.topKAccuracy(3);
        assertTrue(top.higherIsBetter());
        assertTrue(top.readsClasses());
        assertEquals("Metric.topKAccuracy(3)", top.toString());
        assertEquals("top3_accuracy", top.name());
    }

    @Test
    void rankingMetricsRefuseThreeTargetColumnsForTheirWidth() {
        // rows [1, 0, 0] and [0, 1, 0]: read as pairs, the second row's first two values would be [0, 0]
        Tensor three = Tensor.wrap(2, 3, new float[] {1, 0, 0, 0, 1, 0});
        for (Metric m : new Metric[] {Metric.auc(), Metric.averagePrecision()}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.requireTargets(three));
            assertTrue(e.getMessage().contains("reads one output (a sigmoid, 0/1 targets) or two"), e.getMessage());
            assertTrue(e.getMessage().contains("has 3 outputs"), e.getMessage());
        }
    }
}
