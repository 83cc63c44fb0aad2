package org.bpnn.spark;

import java.util.List;
import org.bpnn.train.EpochSummary;

/**
 * What a {@link SparkTrainer#fit} did: one {@link EpochSummary} per epoch (training loss as the
 * sample-weighted mean of the batches' losses, no validation), the optimiser steps, the rows
 * visited and the wall time.
 *
 * @param epochs  per-epoch summaries, in order
 * @param steps   optimiser steps applied (skipped non-finite batches excluded)
 * @param samples rows visited (each counted once per epoch)
 * @param seconds wall time of the fit, including the target check before the first step
 */
public record SparkTrainingHistory(List<EpochSummary> epochs, long steps, long samples, double seconds) {

    public SparkTrainingHistory {
        epochs = List.copyOf(epochs);
    }

    /** The training loss per epoch. */
    public double[] trainLoss() {
        return epochs.stream().mapToDouble(EpochSummary::trainLoss).toArray();
    }

    /** Rows per second over the whole fit. */
    public double samplesPerSecond() {
        return seconds > 0 ? samples / seconds : Double.NaN;
    }
}
