package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An epoch's metrics keep the order they were given in (Map.copyOf's iteration order varied). */
class EpochSummaryOrderTest {
    @Test
    void metricsKeepTheirOrderAndCannotBeChanged() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String n : List.of("top5", "accuracy", "mse", "r2", "mae", "rmse", "b", "a")) m.put(n, 1.0);
        EpochSummary s = new EpochSummary(1, 1, 0.5, 0.6, m, m, 0.1, 0, 1.0, true);
        assertEquals(List.copyOf(m.keySet()), List.copyOf(s.trainMetrics().keySet()));
        assertEquals(List.copyOf(m.keySet()), List.copyOf(s.validationMetrics().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> s.trainMetrics().put("x", 1.0));
    }
}
