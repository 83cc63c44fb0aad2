package org.bpnn.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * A live progress bar per epoch, redrawn in place with a carriage return:
 * <pre>
 * Epoch 3/20 [===========&gt;                  ] 2432/6000  18,210 samples/s  loss 0.4127  ETA 0:00
 * </pre>
 * then, at the end of the epoch, a final line with the validation loss and metrics and a newline.
 * Redraws are throttled (default every 250 ms) so that printing does not slow training; between
 * redraws {@link #onBatchEnd} only adds numbers and allocates nothing. {@link #epochLines} prints
 * only the end-of-epoch lines, without carriage returns (for logs and pipes).
 */
public final class ConsoleProgressListener implements TrainingListener {
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final long intervalNanos;
    /** False for {@link #epochLines}: no redraws during an epoch, no carriage returns. */
    private final boolean live;
    private int epochs;
    private int epochSamples;
    private long epochStart;
    private long lastDraw;
    /** When the epoch's last batch ended: the end line's samples/s leaves out the evaluation. */
    private long loopEnd;
    private boolean loopEnded;
    private long samples;
    private double lossSum;
    /** The rows of the batches whose loss is finite: a skipped batch's rows are not in the mean. */
    private long lossRows;
    private int lastLength;
    /** Whether a live redraw left the cursor at the end of an unfinished line. */
    private boolean midLine;

    /** Writes to {@code out}, at most 4 redraws per second. */
    public ConsoleProgressListener(PrintStream out) {
        this(out, 250);
    }

    /** Writes to {@code out}, redrawing at most every {@code minIntervalMillis} (&gt;= 0) milliseconds. */
    public ConsoleProgressListener(PrintStream out, long minIntervalMillis) {
        if (out == null) {
            throw new IllegalArgumentException("out is null; pass e.g. System.out");
        }
        if (minIntervalMillis < 0) {
            throw new IllegalArgumentException("minIntervalMillis must be >= 0, got " + minIntervalMillis);
        }
        this.out = out;
        this.intervalNanos = minIntervalMillis * 1_000_000L;
        this.live = true;
    }

    private ConsoleProgressListener(PrintStream out, boolean live) {
        if (out == null) {
            throw new IllegalArgumentException("out is null; pass e.g. System.out");
        }
        this.out = out;
        this.intervalNanos = 0;
        this.live = live;
    }

    /** One line per epoch (loss, metrics, time), written when the epoch ends; no live bar. */
    public static ConsoleProgressListener epochLines(PrintStream out) {
        return new ConsoleProgressListener(out, false);
    }

    @Override
    public void onEpochStart(int epoch, int epochs, int batches, int samples) {
        this.epochs = epochs;
        this.epochSamples = samples;
        this.epochStart = System.nanoTime();
        this.lastDraw = epochStart;
        this.loopEnded = false;
        this.samples = 0;
        this.lossSum = 0;
        this.lossRows = 0;
        this.lastLength = 0;
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int batches, int batchRows, double loss) {
        onBatchEnd(epoch, batch, batches, batchRows, loss, !Double.isFinite(loss));
    }

    /**
     * A skipped batch's loss is left out of the running mean, as the epoch's training loss leaves it
     * out: it counted when only a gradient was non-finite (its loss finite), and the live bar showed
     * another loss than the line that ends the epoch.
     */
    @Override
    public void onBatchEnd(int epoch, int batch, int batches, int batchRows, double loss, boolean skipped) {
        samples += batchRows;
        if (!skipped && Double.isFinite(loss)) {
            lossSum += loss * batchRows;
            lossRows += batchRows;
        }
        long now = System.nanoTime();
        if (batch == batches) {
            loopEnd = now;
            loopEnded = true;
        }
        if (live && batch < batches && now - lastDraw >= intervalNanos) {
            lastDraw = now;
            draw(epoch, now, null);
        }
    }

    @Override
    public void onEpochEnd(EpochSummary s) {
        // samples/s is the training loop's throughput: the epoch's evaluation (metrics on the whole
        // training set, the validation set) comes after the last batch and is in the epoch's seconds only
        draw(s.epoch(), loopEnded ? loopEnd : System.nanoTime(), s);
    }

    @Override
    public void onTrainEnd(TrainingHistory history) {
        if (history.endedBy() != TrainingHistory.Ending.COMPLETED) {
            // not "best epoch 0" when the monitored value was never finite (e.g. a NaN validation loss every
            // epoch), nor "after epoch -1" when this fit trained none (a resume of a run that had stopped)
            String best = history.best();
            out.println((history.stoppedEarly() ? "stopped early " : "stopped on request ")
                    + (history.size() == 0 ? "before this fit's first epoch" : "after epoch " + (history.firstEpoch() + history.size() - 1))
                    + (best.isEmpty() ? "" : "; " + best));
        }
        out.flush();
    }

    /**
     * Ends an unfinished live line, so that the error that follows (a diverged run's, printed by the
     * caller) starts on a line of its own instead of after the bar.
     */
    @Override
    public void onTrainFailed(Throwable cause) {
        if (midLine) {
            out.println();
            midLine = false;
        }
        out.flush();
    }

    private void draw(int epoch, long now, EpochSummary end) {
        double seconds = Math.max(1e-9, (now - epochStart) / 1e9);
        double rate = samples / seconds;
        int done = (int) Math.min(WIDTH, (long) WIDTH * samples / Math.max(1, epochSamples));
        StringBuilder sb = new StringBuilder(120);
        sb.append(live ? "\rEpoch " : "Epoch ").append(epoch).append('/').append(epochs).append(" [");
        for (int i = 0; i < WIDTH; i++) {
            sb.append(i < done ? '=' : i == done && end == null ? '>' : ' ');
        }
        sb.append("] ").append(samples).append('/').append(epochSamples);
        sb.append(String.format(Locale.ROOT, "  %,.0f samples/s", rate));
        if (end == null) {
            sb.append("  loss ").append(TrainingHistory.number(lossRows == 0 ? Double.NaN : lossSum / lossRows, 0, 4));
            long eta = rate > 0 ? Math.round((epochSamples - samples) / rate) : 0;
            sb.append(String.format(Locale.ROOT, "  ETA %d:%02d", eta / 60, eta % 60));
        } else {
            sb.append("  loss ").append(TrainingHistory.number(end.trainLoss(), 0, 4));
            if (end.hasValidation()) sb.append("  val_loss ").append(TrainingHistory.number(end.validationLoss(), 0, 4));
            for (Map.Entry<String, Double> e : end.trainMetrics().entrySet()) {
                sb.append("  ").append(e.getKey()).append(' ').append(TrainingHistory.number(e.getValue(), 0, 4));
                Double v = end.validationMetrics().get(e.getKey());
                if (v != null) sb.append("  val_").append(e.getKey()).append(' ').append(TrainingHistory.number(v, 0, 4));
            }
            // a metric reported on the validation set only (bpnn-spark's SparkTrainer computes metrics on its
            // driver-side validation set, not on the distributed training set): the loop above, over the training
            // metrics, does not reach it
            for (Map.Entry<String, Double> e : end.validationMetrics().entrySet()) {
                if (end.trainMetrics().containsKey(e.getKey())) continue;
                sb.append("  val_").append(e.getKey()).append(' ').append(TrainingHistory.number(e.getValue(), 0, 4));
            }
            if (end.skippedBatches() > 0) sb.append("  skipped ").append(end.skippedBatches());
            sb.append(String.format(Locale.ROOT, "  (%.1fs)", end.seconds()));
        }
        int len = sb.length();
        for (int i = len; live && i < lastLength; i++) sb.append(' '); // erase the rest of a longer previous line
        lastLength = len;
        if (end != null) {
            sb.append(System.lineSeparator());
        }
        midLine = live && end == null;
        out.print(sb);
        out.flush();
    }

    @Override
    public String toString() {
        // the stream is shown as System.out, which it usually is (a PrintStream has no readable name)
        return live ? "new ConsoleProgressListener(System.out, " + intervalNanos / 1_000_000L + ")"
                : "ConsoleProgressListener.epochLines(System.out)";
    }
}
