package org.bpnn.train;

/** What the trainer does when a batch's loss or a gradient is NaN or infinite. */
public enum NonFinitePolicy {
    /** Stop with a {@link TrainingDivergedException} naming the epoch, batch and parameter (default). */
    FAIL,
    /**
     * Skip the batch (no update) and count it in {@link EpochSummary#skippedBatches()}; training
     * still fails if every batch of an epoch is skipped.
     */
    SKIP_BATCH
}
