package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The history table of summaries that differ from epoch to epoch (put together by hand and given to
 * TrainingHistory.of): a metric an epoch lacks printed "null" in its cell, and the first epoch alone
 * decided whether the table had a val_loss column and val_ columns, so a first epoch without a
 * validation set hid the later epochs' validation values.
 */
class HistoryMissingCellsTest {

    private static List<String> cells(String line) {
        return List.of(line.trim().split(" +"));
    }

    @Test
    void aMetricAnEpochLacksIsADashNotNull() {
        TrainingHistory h = TrainingHistory.of(List.of(
                new EpochSummary(1, 2, 1.0, Double.NaN, Map.of("mae", 0.5), Map.of(), 0.1, 0, 1.0, true, false),
                new EpochSummary(2, 2, 0.5, Double.NaN, Map.of(), Map.of(), 0.1, 0, 1.0, true, false)),
                2, TrainingHistory.Ending.COMPLETED, false);
        List<String> lines = h.toString().lines().toList();
        assertEquals(List.of("epoch", "loss", "mae"), cells(lines.get(0)), lines.get(0));
        assertEquals(List.of("2*", "0.500000", "-"), cells(lines.get(2)), lines.get(2));
        // the dash sits right-aligned in its 12 columns, as a number would
        assertEquals(String.format("%5d* %12s %12s", 2, "0.500000", "-"), lines.get(2));
    }

    @Test
    void validationColumnsAppearWhenALaterEpochEvaluatedOne() {
        TrainingHistory h = TrainingHistory.of(List.of(
                new EpochSummary(1, 2, 1.0, Double.NaN, Map.of(), Map.of(), 0.1, 0, 1.0, true, false),
                new EpochSummary(2, 2, 0.5, 0.75, Map.of(), Map.of("mae", 0.25), 0.1, 0, 1.0, true, true)),
                2, TrainingHistory.Ending.COMPLETED, false);
        List<String> lines = h.toString().lines().toList();
        assertEquals(List.of("epoch", "loss", "val_loss", "val_mae"), cells(lines.get(0)), lines.get(0));
        // no validation set in epoch 1: no value, not a NaN loss (NaN is a loss that was computed)
        assertEquals(List.of("1", "1.000000", "-", "-"), cells(lines.get(1)), lines.get(1));
        assertEquals(List.of("2*", "0.500000", "0.750000", "0.250000"), cells(lines.get(2)), lines.get(2));
        // the accessors agree with the table: the loss of an epoch without validation is its summary's NaN
        assertArrayEquals(new double[] {Double.NaN, 0.75}, h.validationLoss(), 0.0);
    }

    @Test
    void aValidationLossThatWasComputedAndIsNaNStaysNaN() {
        TrainingHistory h = TrainingHistory.of(List.of(
                new EpochSummary(1, 1, 1.0, Double.NaN, Map.of(), Map.of(), 0.1, 0, 1.0, true, true)),
                0, TrainingHistory.Ending.COMPLETED, false);
        assertEquals(List.of("1", "1.000000", "NaN"), cells(h.toString().lines().toList().get(1)), h.toString());
    }
}
