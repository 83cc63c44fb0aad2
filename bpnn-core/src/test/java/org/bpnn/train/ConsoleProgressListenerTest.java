package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleProgressListenerTest {

    @Test
    void drawsABarPerEpochWithCarriageReturns() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgressListener p = new ConsoleProgressListener(new PrintStream(bytes, true, StandardCharsets.UTF_8), 0);
        p.onEpochStart(2, 5, 4, 100);
        for (int b = 1; b <= 4; b++) p.onBatchEnd(2, b, 4, 25, 0.5);
        p.onEpochEnd(new EpochSummary(2, 5, 0.5, 0.6, Map.of("accuracy", 0.9), Map.of("accuracy", 0.8), 0.01, 0, 1.25, true));
        String s = bytes.toString(StandardCharsets.UTF_8);
        String[] draws = s.split("\r");
        assertEquals(4, draws.length - 1, "3 live redraws (not after the last batch) + the final line: " + s);
        assertTrue(draws[1].startsWith("Epoch 2/5 [=======>"), draws[1]);
        assertTrue(draws[1].contains("25/100") && draws[1].contains("samples/s") && draws[1].contains("loss 0.5000")
                && draws[1].contains("ETA"), draws[1]);
        String last = draws[4];
        assertTrue(last.startsWith("Epoch 2/5 [==============================] 100/100"), last);
        assertTrue(last.contains("val_loss 0.6000") && last.contains("accuracy 0.9000") && last.contains("val_accuracy 0.8000")
                && (last.contains("(1.2s)") || last.contains("(1.3s)")), last);
        assertTrue(last.endsWith(System.lineSeparator()));
    }

    /** SparkTrainer reports metrics on the validation set only: its summaries have no training metrics. */
    @Test
    void aMetricOfTheValidationSetOnlyIsPrinted() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgressListener p = new ConsoleProgressListener(new PrintStream(bytes, true, StandardCharsets.UTF_8), 0);
        p.onEpochStart(1, 2, 1, 10);
        p.onBatchEnd(1, 1, 1, 10, 0.5);
        p.onEpochEnd(new EpochSummary(1, 2, 0.5, 0.6, Map.of(), Map.of("accuracy", 0.8), 0.01, 0, 1.25, true, true));
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("val_loss 0.6000  val_accuracy 0.8000"), s);
        assertFalse(s.contains("  accuracy"), "no training accuracy was reported: " + s);
    }

    @Test
    void aFailedRunEndsTheUnfinishedBarLine() {
        // a run that diverged mid-epoch left the cursor after the bar, so the error printed next began on its line
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgressListener p = new ConsoleProgressListener(new PrintStream(bytes, true, StandardCharsets.UTF_8), 0);
        p.onEpochStart(1, 3, 4, 100);
        p.onBatchEnd(1, 1, 4, 25, 0.5);
        p.onBatchEnd(1, 2, 4, 25, Double.NaN);
        p.onTrainFailed(new TrainingDivergedException("diverged", 1, 2, "W1"));
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(s.startsWith("\rEpoch 1/3 [") && s.endsWith(System.lineSeparator()), s);
        // after a finished epoch line, or without a live bar, nothing is added
        for (ConsoleProgressListener q : new ConsoleProgressListener[] {
                new ConsoleProgressListener(new PrintStream(bytes, true, StandardCharsets.UTF_8), 0),
                ConsoleProgressListener.epochLines(new PrintStream(bytes, true, StandardCharsets.UTF_8))}) {
            q.onEpochStart(1, 3, 4, 100);
            for (int b = 1; b <= 4; b++) q.onBatchEnd(1, b, 4, 25, 0.5);
            q.onEpochEnd(new EpochSummary(1, 3, 0.5, Double.NaN, Map.of(), Map.of(), 0.01, 0, 1.25, false));
            int before = bytes.size();
            q.onTrainFailed(new IllegalStateException("a listener failed"));
            assertEquals(before, bytes.size(), bytes.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aSkippedBatchIsNotInTheRunningLoss() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgressListener p = new ConsoleProgressListener(new PrintStream(bytes, true, StandardCharsets.UTF_8), 0);
        p.onEpochStart(1, 1, 4, 100);
        p.onBatchEnd(1, 1, 4, 25, 0.5, false);
        p.onBatchEnd(1, 2, 4, 25, 9.0, true); // a finite loss, but a gradient was not: skipped
        String s = bytes.toString(StandardCharsets.UTF_8);
        String last = s.substring(s.lastIndexOf('\r'));
        assertTrue(last.contains("50/100") && last.contains("loss 0.5000"), last);
    }

    @Test
    void toStringSaysWhichKindOfListenerItIs() {
        // epochLines(...) described itself as a live bar with a 0 ms interval
        assertEquals("ConsoleProgressListener.epochLines(System.out)", ConsoleProgressListener.epochLines(System.out).toString());
        assertEquals("new ConsoleProgressListener(System.out, 250)", new ConsoleProgressListener(System.out).toString());
    }

    @Test
    void throttlesRedraws() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgressListener p = new ConsoleProgressListener(new PrintStream(bytes, true, StandardCharsets.UTF_8), 60_000);
        p.onEpochStart(1, 1, 1000, 1000);
        for (int b = 1; b < 1000; b++) p.onBatchEnd(1, b, 1000, 1, 0.1);
        assertEquals(0, bytes.size(), "no redraw within the interval");
    }

    @Test
    void epochLinesPrintsOnlyTheEpochsLastLineWithoutCarriageReturns() {
        // for logs and pipes (--no-progress): it used to drop the per-epoch lines together with the bar
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgressListener p = ConsoleProgressListener.epochLines(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        for (int e = 1; e <= 2; e++) {
            p.onEpochStart(e, 2, 4, 100);
            for (int b = 1; b <= 4; b++) p.onBatchEnd(e, b, 4, 25, 0.5);
            p.onEpochEnd(new EpochSummary(e, 2, 0.5, 0.6, Map.of("accuracy", 0.9), Map.of("accuracy", 0.8), 0.01, 0, 1.25, true));
        }
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(s.contains("\r"), s);
        String[] lines = s.split(System.lineSeparator());
        assertEquals(2, lines.length, s);
        assertTrue(lines[0].startsWith("Epoch 1/2 [==============================] 100/100") && lines[0].contains("val_loss 0.6000"), lines[0]);
        assertTrue(lines[1].startsWith("Epoch 2/2 "), lines[1]);
    }

    /** The samples/s of a line: "  12,345 samples/s". */
    private static double rate(String line) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9,]+) samples/s").matcher(line);
        assertTrue(m.find(), line);
        return Double.parseDouble(m.group(1).replace(",", ""));
    }

    @Test
    void endLineSamplesPerSecondLeavesOutTheEvaluation() throws InterruptedException {
        // The end line divided the epoch's samples by the time up to onEpochEnd, i.e. including the
        // evaluation of the metrics on the whole training set and the validation set: in
        // `./bpnn fashion-mnist` the live bar said 75,513 samples/s and the end line 52,337.
        // No fixed threshold (a loaded machine can stall the loop for any time): the loop is timed here, and
        // the "evaluation" lasts twice as long, so the rate with it counted is at most half the loop's rate.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgressListener p = ConsoleProgressListener.epochLines(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        long beforeStart = System.nanoTime();
        p.onEpochStart(1, 1, 4, 100_000);
        long afterStart = System.nanoTime();
        for (int b = 1; b <= 4; b++) p.onBatchEnd(1, b, 4, 25_000, 0.5);
        long loop = System.nanoTime() - beforeStart; // the listener's epochStart..loopEnd lies within it
        while (System.nanoTime() - afterStart < Math.max(2 * loop, 50_000_000L)) {
            Thread.sleep(10); // the evaluation
        }
        p.onEpochEnd(new EpochSummary(1, 1, 0.5, 0.6, Map.of(), Map.of(), 0.01, 0, 0.5, true));
        String line = bytes.toString(StandardCharsets.UTF_8);
        double loopRate = 100_000 / (loop / 1e9); // at most the listener's rate; counting the evaluation gives <= half
        assertTrue(rate(line) >= loopRate * 0.99 - 1, "at least " + loopRate + " samples/s: " + line);
    }

    @Test
    void liveLossIsTheMeanOfTheFiniteLossesOnly() {
        // Under NonFinitePolicy.SKIP_BATCH a batch with a NaN loss is skipped and left out of the
        // epoch's train loss; the live bar left its loss out of the sum but not its rows out of the
        // divisor: 0.3333 shown for three batches of 0.5 and one skipped
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgressListener p = new ConsoleProgressListener(new PrintStream(bytes, true, StandardCharsets.UTF_8), 0);
        p.onEpochStart(1, 1, 5, 125);
        p.onBatchEnd(1, 1, 5, 25, 0.5);
        p.onBatchEnd(1, 2, 5, 25, Double.NaN);
        p.onBatchEnd(1, 3, 5, 25, 0.5);
        String[] draws = bytes.toString(StandardCharsets.UTF_8).split("\r");
        assertTrue(draws[3].startsWith("Epoch 1/1 ") && draws[3].contains("75/125"), draws[3]);
        assertTrue(draws[3].contains("loss 0.5000"), draws[3]);
    }
}
