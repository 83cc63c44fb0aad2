package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The history's metric names and table columns come in the order the metrics were given, as the
 * progress lines print them: they were sorted by name (mae before rmse, accuracy before macro_f1
 * whatever the order given), so the table's columns did not match the lines above it.
 */
class HistoryMetricOrderTest {

    private static EpochSummary epoch(int e, boolean validation) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("rmse", 0.5);
        m.put("mae", 0.25);
        m.put("r2", 0.75);
        return new EpochSummary(e, 2, 1.0, validation ? 2.0 : Double.NaN, m, validation ? m : Map.of(), 0.1, 0, 1.0, true,
                validation);
    }

    @Test
    void metricNamesKeepTheTrainersOrder() {
        TrainingHistory h = TrainingHistory.of(List.of(epoch(1, true), epoch(2, true)), 1, TrainingHistory.Ending.COMPLETED, false);
        assertEquals(List.of("rmse", "mae", "r2"), h.metricNames());
    }

    @Test
    void theTablesColumnsAreLossThenEachMetricInTheTrainersOrder() {
        TrainingHistory h = TrainingHistory.of(List.of(epoch(1, true), epoch(2, true)), 1, TrainingHistory.Ending.COMPLETED, false);
        String header = h.toString().lines().findFirst().orElseThrow();
        assertEquals(List.of("epoch", "loss", "val_loss", "rmse", "val_rmse", "mae", "val_mae", "r2", "val_r2"),
                List.of(header.trim().split(" +")), header);
        // the values follow their columns
        String row = h.toString().lines().skip(1).findFirst().orElseThrow();
        assertEquals(List.of("1*", "1.000000", "2.000000", "0.500000", "0.500000", "0.250000", "0.250000", "0.750000",
                "0.750000"), List.of(row.trim().split(" +")), row);
        TrainingHistory noVal = TrainingHistory.of(List.of(epoch(1, false)), 1, TrainingHistory.Ending.COMPLETED, false);
        assertTrue(noVal.toString().startsWith(String.format("%6s %12s %12s %12s %12s\n", "epoch", "loss", "rmse", "mae", "r2")), noVal.toString());
    }
}
