package org.bpnn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * r2 over several target columns (each column's mean and sums read down that column, the column scores
 * averaged), and mae's shape check: the existing tests only had one column, so a column mixed up with
 * another or a sum instead of an average went unseen.
 */
class RegressionMetricColumnsTest {
    @Test
    void r2AveragesEachColumnsOwnScore() {
        Tensor y = Tensor.of(new float[][] {{1, 10}, {3, 20}});
        Tensor o = Tensor.of(new float[][] {{2, 10}, {3, 16}});
        // column 0: mean 2, SS_tot 1 + 1 = 2, SS_res 1 + 0 = 1, R^2 0.5
        // column 1: mean 15, SS_tot 25 + 25 = 50, SS_res 0 + 16 = 16, R^2 0.68
        assertEquals((0.5 + 0.68) / 2, Metrics.r2(o, y), 1e-12);
    }

    @Test
    void r2OfThreeRowsAndColumnsByHand() {
        Tensor y = Tensor.of(new float[][] {{0, 1, 5}, {1, 1, 5}, {2, 1, 8}});
        Tensor o = Tensor.of(new float[][] {{0, 1, 6}, {2, 1, 6}, {2, 1, 6}});
        // column 0: mean 1, SS_tot 2, SS_res 1: 0.5; column 1 constant and exact: 1;
        // column 2: mean 6, SS_tot 1 + 1 + 4 = 6, SS_res 1 + 1 + 4 = 6: 0
        assertEquals(1.5 / 3, Metrics.r2(o, y), 1e-12);
    }

    @Test
    void maeRefusesTargetsOfAnotherShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.mae(Tensor.zeros(2, 1), Tensor.zeros(3, 1)));
        assertTrue(e.getMessage().contains("targets"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Metrics.mae(Tensor.zeros(2, 1), null));
    }
}
