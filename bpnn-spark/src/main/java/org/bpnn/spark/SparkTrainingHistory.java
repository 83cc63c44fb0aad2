package org.bpnn.spark;

import java.util.List;
import org.bpnn.train.EpochSummary;
import org.bpnn.train.TrainingHistory;

/**
 * What a {@link SparkTrainer#fit} did: one {@link EpochSummary} per epoch (training loss as the
 * mean of the batches' losses weighted by their rows: with class weights, the class-weighted loss
 * sum_i w_i L_i / n, as {@code Trainer} reports it; with a validation set, its loss and metrics computed on
 * the driver after the epoch), the optimiser steps, the rows visited, the wall time, and how training
 * ended, as {@code TrainingHistory} records it.
 *
 * @param epochs              per-epoch summaries, in order
 * @param steps               optimiser steps applied (skipped non-finite batches excluded)
 * @param samples             rows visited (each counted once per epoch)
 * @param seconds             wall time of the fit, including the target check before the first step
 * @param bestEpoch           the best epoch (1-based) by the monitored value: early stopping's monitor when
 *                            configured, else the validation loss (the training loss without validation);
 *                            0 when no epoch ran or the value was never finite
 * @param endedBy             how training ended: at its last planned epoch (COMPLETED), by early stopping
 *                            before it (EARLY_STOPPING) or by {@link SparkTrainer#requestStop()} (REQUESTED)
 * @param restoredBestWeights whether the best epoch's weights were put back at the end (restoreBestWeights)
 */
public record SparkTrainingHistory(List<EpochSummary> epochs, long steps, long samples, double seconds, int bestEpoch,
                                   TrainingHistory.Ending endedBy, boolean restoredBestWeights) {

    /**
     * A history of these values; the summaries are copied.
     *
     * @throws IllegalArgumentException when epochs, one of its summaries, or endedBy is null
     */
    public SparkTrainingHistory {
        // TrainingHistory.of's checks and words (List.copyOf alone would throw a NullPointerException without a message)
        TrainingHistory.of(epochs, bestEpoch, endedBy, restoredBestWeights);
        epochs = List.copyOf(epochs);
    }

    /**
     * A history without a best epoch (0), ended {@code COMPLETED}, no weights restored: for a run that
     * tracked neither validation nor early stopping.
     *
     * @throws IllegalArgumentException when epochs or one of its summaries is null
     */
    public SparkTrainingHistory(List<EpochSummary> epochs, long steps, long samples, double seconds) {
        this(epochs, steps, samples, seconds, 0, TrainingHistory.Ending.COMPLETED, false);
    }

    /** Whether early stopping ended training before the planned epochs (a stop on request is not). */
    public boolean stoppedEarly() {
        return endedBy == TrainingHistory.Ending.EARLY_STOPPING;
    }

    /** The training loss per epoch. */
    public double[] trainLoss() {
        return epochs.stream().mapToDouble(EpochSummary::trainLoss).toArray();
    }

    /**
     * The validation loss per epoch; empty when no epoch evaluated a validation set (NaN for an epoch
     * that evaluated none while others did). Read by {@link TrainingHistory#validationLoss}, as
     * {@link #validationMetric} is, so that both look at every epoch, not the first one only.
     */
    public double[] validationLoss() {
        return toTrainingHistory().validationLoss();
    }

    /**
     * A metric on the validation set per epoch; empty when no epoch evaluated a validation set. Read by
     * {@link TrainingHistory#validationMetric}, so that a name it lacks gets the same answer as from a
     * {@code Trainer}'s history: the call that reads a val_ name or the loss copied from a progress
     * line, else the nearest names.
     *
     * @throws IllegalArgumentException when some epoch evaluated a validation set but an epoch has no
     *         validation value named {@code name} (usually a name never recorded)
     */
    public double[] validationMetric(String name) {
        return toTrainingHistory().validationMetric(name);
    }

    /**
     * This history as the {@link TrainingHistory} a {@code Trainer} returns (the same epochs, best epoch,
     * ending and restore): its table ({@code toString()}), the one that listeners' {@code onTrainEnd} gets.
     */
    public TrainingHistory toTrainingHistory() {
        return TrainingHistory.of(epochs, bestEpoch, endedBy, restoredBestWeights);
    }

    /**
     * The names of the metrics recorded (SparkTrainer records them on the validation set only), in the
     * trainer's order, from every epoch, not the first one only: {@link TrainingHistory#metricNames},
     * the names validationMetric's refusal lists.
     */
    public List<String> metricNames() {
        return toTrainingHistory().metricNames();
    }

    /** Rows per second over the whole fit. */
    public double samplesPerSecond() {
        return seconds > 0 ? samples / seconds : Double.NaN;
    }
}
