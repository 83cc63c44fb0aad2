package org.bpnn.train;

/** What the trainer does when a batch's loss or a gradient is NaN or infinite. */
public enum NonFinitePolicy {
    /** Stop with a {@link TrainingDivergedException} naming the epoch, batch and parameter (default). */
    FAIL,
    /**
     * Skip the batch (no update) and count it in {@link EpochSummary#skippedBatches()}; training
     * still fails if every batch of an epoch is skipped, or if a weight is no longer finite at the end of
     * an epoch (an update overflowed; skipping batches cannot undo it).
     */
    SKIP_BATCH
}
