package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A summary's metric maps are checked when it is made (bpnn-spark and hand-made histories construct
 * summaries too): a null map threw a NullPointerException without a message from the constructor, and a
 * null value was kept, to be reported later by a history as a metric missing from that epoch.
 */
class EpochSummaryValidationTest {

    private static IllegalArgumentException refused(Map<String, Double> train, Map<String, Double> validation) {
        return assertThrows(IllegalArgumentException.class,
                () -> new EpochSummary(1, 1, 0.5, 0.6, train, validation, 0.1, 0, 1.0, true, true));
    }

    @Test
    void aNullMapIsRefusedNamingTheComponentAndTheEmptyMap() {
        assertEquals("trainMetrics is null; pass the metric values computed on the training set by name, or an empty"
                + " map (Map.of()) when none were", refused(null, Map.of()).getMessage());
        assertEquals("validationMetrics is null; pass the metric values computed on the validation set by name, or an"
                + " empty map (Map.of()) when none were", refused(Map.of(), null).getMessage());
        // the constructor without hasValidation checks the same
        assertThrows(IllegalArgumentException.class,
                () -> new EpochSummary(1, 1, 0.5, 0.6, null, Map.of(), 0.1, 0, 1.0, true));
    }

    @Test
    void aNullNameOrValueIsRefused() {
        Map<String, Double> nullValue = new HashMap<>();
        nullValue.put("accuracy", null);
        assertEquals("validationMetrics has a null value for metric 'accuracy'; record Double.NaN for a value that could"
                + " not be computed, or leave the metric out", refused(Map.of(), nullValue).getMessage());
        Map<String, Double> nullName = new HashMap<>();
        nullName.put(null, 0.5);
        assertEquals("trainMetrics has a null metric name (value 0.5); give each value its metric's name (Metric.name())",
                refused(nullName, Map.of()).getMessage());
        // NaN is a value: kept
        assertEquals(Double.NaN, new EpochSummary(1, 1, 0.5, 0.6, Map.of("mse", Double.NaN), Map.of(), 0.1, 0, 1.0, true)
                .trainMetrics().get("mse"));
    }
}
