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
 * Losses and metrics print with decimals + 1 significant digits (the decimals below 10) and in
 * scientific notation from 1e6 and for tiny values: a validation loss of 4e74 printed as 75 digits
 * and pushed the history table's columns apart, and a regression's errors in target units printed
 * as 418141.8415 and 13789.119443.
 */
class NumberFormatTest {
    @Test
    void largeValuesPrintInScientificNotation() {
        assertEquals("    0.123457", TrainingHistory.number(0.1234567, 12, 6));
        assertEquals(" 4.0000e+74", TrainingHistory.number(4e74, 11, 6));
        assertEquals("-1.2346e+06", TrainingHistory.number(-1234567.0, 0, 6));
        assertEquals("999999", TrainingHistory.number(999999.0, 0, 4));
        assertEquals("NaN", TrainingHistory.number(Double.NaN, 0, 4));
        assertEquals("Infinity", TrainingHistory.number(Double.POSITIVE_INFINITY, 0, 4));
        assertEquals("     -", TrainingHistory.number(null, 6, 4));
        assertEquals("  1.2346e+07", TrainingHistory.number(12345678.9, 12, 6));
        // in a column: scientific as soon as the fixed form would not fit
        assertEquals("1.2346e+05", TrainingHistory.number(123456.7, 7, 6));
    }

    /** The values of classification (losses about 0.1-3, accuracies 0-1) print as they always did. */
    @Test
    void typicalValuesKeepTheirFixedDecimals() {
        assertEquals("0.4127", TrainingHistory.number(0.41271, 0, 4));
        assertEquals("2.3026", TrainingHistory.number(2.302585, 0, 4));
        assertEquals("0.9000", TrainingHistory.number(0.9, 0, 4));
        assertEquals("0.0000", TrainingHistory.number(0.0, 0, 4));
        assertEquals("1.0000", TrainingHistory.number(1.0, 0, 4));
        assertEquals("0.0012", TrainingHistory.number(0.00123, 0, 4));
        assertEquals("    2.302585", TrainingHistory.number(2.302585, 12, 6));
        assertEquals("    0.000123", TrainingHistory.number(0.000123, 12, 6));
    }

    /**
     * A regression on unnormalised targets: the line printed "rmse 418141.8415" beside "loss 1.75e+11",
     * the table "13789.119443"; a value shows no more significant digits than one below 10 does.
     */
    @Test
    void largerValuesShowNoMoreSignificantDigitsThanSmallOnes() {
        assertEquals("418142", TrainingHistory.number(418141.8415, 0, 4));
        assertEquals("13789", TrainingHistory.number(13789.119443, 0, 4));
        assertEquals("12.346", TrainingHistory.number(12.34567, 0, 4));
        assertEquals("-123.46", TrainingHistory.number(-123.4567, 0, 4));
        assertEquals("1.750e+11", TrainingHistory.number(1.75e11, 0, 4));
        assertEquals("    13789.12", TrainingHistory.number(13789.119443, 12, 6));
        assertEquals("    418141.8", TrainingHistory.number(418141.8415, 12, 6));
        assertEquals("   -12345.60", TrainingHistory.number(-12345.6, 12, 6));
        assertEquals("  1.7500e+11", TrainingHistory.number(1.75e11, 12, 6));
    }

    /** A loss near zero printed as 0.0000: scientific once fewer than two significant digits would show. */
    @Test
    void tinyValuesPrintInScientificNotation() {
        assertEquals("1.234e-05", TrainingHistory.number(0.00001234, 0, 4));
        assertEquals("-5.000e-04", TrainingHistory.number(-0.0005, 0, 4));
        assertEquals("  1.2340e-06", TrainingHistory.number(0.000001234, 12, 6));
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
        assertTrue(out.contains("loss 4.000e+74") && out.contains("val_loss 3.500e+38"), out);
    }
}
