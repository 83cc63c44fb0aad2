package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A history of summaries whose metrics were computed on the validation set only, as bpnn-spark's
 * SparkTrainer records them (its listeners' onTrainEnd gets such a history): the names came from the
 * training maps alone, so the history had no metric names and its table no val_ columns, although
 * every epoch carried the validation values.
 */
class HistoryValidationOnlyMetricsTest {

    private static EpochSummary epoch(int e, double rmse) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("rmse", rmse);
        m.put("mae", 0.25);
        return new EpochSummary(e, 2, 1.0, 2.0, Map.of(), m, 0.1, 0, 1.0, true, true);
    }

    private static TrainingHistory history() {
        return TrainingHistory.of(List.of(epoch(1, 0.5), epoch(2, 0.375)), 2, TrainingHistory.Ending.COMPLETED, false);
    }

    @Test
    void metricNamesIncludeThoseRecordedOnTheValidationSetOnly() {
        assertEquals(List.of("rmse", "mae"), history().metricNames());
    }

    @Test
    void theTableHasTheValColumnsAndNoTrainingColumnOfNulls() {
        List<String> lines = history().toString().lines().toList();
        assertEquals(List.of("epoch", "loss", "val_loss", "val_rmse", "val_mae"), List.of(lines.get(0).trim().split(" +")),
                lines.get(0));
        assertEquals(List.of("1", "1.000000", "2.000000", "0.500000", "0.250000"), List.of(lines.get(1).trim().split(" +")),
                lines.get(1));
        assertEquals(List.of("2*", "1.000000", "2.000000", "0.375000", "0.250000"), List.of(lines.get(2).trim().split(" +")),
                lines.get(2));
    }

    @Test
    void aTrainingValueThatWasNotRecordedIsRefusedNamingValidationMetric() {
        TrainingHistory h = history();
        assertArrayEquals(new double[] {0.5, 0.375}, h.validationMetric("rmse"), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.trainMetric("rmse"));
        assertEquals("metric 'rmse' was recorded on the validation set only, not on the training set; read it with"
                + " validationMetric(\"rmse\")", e.getMessage());
        // a name recorded nowhere keeps its message, with the names there are
        e = assertThrows(IllegalArgumentException.class, () -> h.trainMetric("r2"));
        assertEquals("no metric named 'r2'; this history has [rmse, mae] (add metrics with the trainer builder's metrics(...))",
                e.getMessage());
    }

    @Test
    void theOtherRefusalsSayWhichSetOrWhichEpochLacksTheMetric() {
        // recorded on the training set only, read on the validation set: names trainMetric
        Map<String, Double> m = Map.of("rmse", 0.5);
        TrainingHistory trainOnly = TrainingHistory.of(List.of(new EpochSummary(1, 1, 1.0, 2.0, m, Map.of(), 0.1, 0, 1.0,
                true, true)), 1, TrainingHistory.Ending.COMPLETED, false);
        assertEquals("metric 'rmse' was recorded on the training set only, not on the validation set; read it with"
                + " trainMetric(\"rmse\")", assertThrows(IllegalArgumentException.class,
                () -> trainOnly.validationMetric("rmse")).getMessage());
        // recorded by one epoch and not by another (summaries put together by hand): names the epoch
        TrainingHistory uneven = TrainingHistory.of(List.of(epoch(1, 0.5), new EpochSummary(2, 2, 1.0, 2.0, Map.of(),
                Map.of("mae", 0.25), 0.1, 0, 1.0, true, true)), 2, TrainingHistory.Ending.COMPLETED, false);
        assertEquals("metric 'rmse' is missing from the validation metrics of epoch 2 (its summary has [mae]); the"
                + " summaries given to TrainingHistory.of should each record the same metrics",
                assertThrows(IllegalArgumentException.class, () -> uneven.validationMetric("rmse")).getMessage());
    }
}
