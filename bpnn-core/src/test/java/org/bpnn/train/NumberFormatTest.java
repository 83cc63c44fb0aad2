package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Losses and metrics print with fixed decimals below 1e6 and in scientific notation from there: a
 * validation loss of 4e74 printed as 75 digits and pushed the history table's columns apart.
 */
class NumberFormatTest {
    @Test
    void largeValuesPrintInScientificNotation() {
        assertEquals("    0.123457", TrainingHistory.number(0.1234567, 12, 6));
        assertEquals(" 4.0000e+74", TrainingHistory.number(4e74, 11, 6));
        assertEquals("-1.2346e+06", TrainingHistory.number(-1234567.0, 0, 6));
        assertEquals("999999.0000", TrainingHistory.number(999999.0, 0, 4));
        assertEquals("NaN", TrainingHistory.number(Double.NaN, 0, 4));
        assertEquals("Infinity", TrainingHistory.number(Double.POSITIVE_INFINITY, 0, 4));
        assertEquals("  null", TrainingHistory.number(null, 6, 4));
        // in a column: scientific as soon as the fixed form would not fit (123456.7 is 13 characters)
        assertEquals("99999.000000", TrainingHistory.number(99999.0, 12, 6));
        assertEquals("  1.2346e+05", TrainingHistory.number(123456.7, 12, 6));
        assertEquals(" -1.2346e+04", TrainingHistory.number(-12345.6, 12, 6));
    }

    @Test
    void theHistoryTableAndTheProgressLineKeepTheirWidths() {
        EpochSummary huge = new EpochSummary(1, 2, 4e74, 3.5e38, Map.of("accuracy", 0.5), Map.of("accuracy", 0.25), 0.1, 0, 1.0,
                true, true);
        EpochSummary small = new EpochSummary(2, 2, 123456.7, -12345.6, Map.of("accuracy", 0.5), Map.of("accuracy", 0.25), 0.1, 0, 1.0,
                false, true);
        String table = new TrainingHistory(List.of(huge, small), 1, TrainingHistory.Ending.COMPLETED, false).toString();
        List<String> lines = table.lines().toList();
        assertEquals(lines.get(1).length(), lines.get(2).length(), table);
        assertTrue(lines.get(1).contains("4.0000e+74") && lines.get(1).contains("3.5000e+38"), table);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgressListener l = new ConsoleProgressListener(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        l.onEpochStart(1, 2, 1, 10);
        l.onBatchEnd(1, 1, 1, 10, 4e74);
        l.onEpochEnd(huge);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("loss 4.00e+74") && out.contains("val_loss 3.50e+38"), out);
    }
}
