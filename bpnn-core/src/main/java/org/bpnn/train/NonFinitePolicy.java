package org.bpnn.train;

/** What the trainer does when a batch's loss or a gradient is NaN or infinite. */
public enum NonFinitePolicy {
    /** Stop with a {@link TrainingDivergedException} naming the epoch, batch and parameter (default). */
    FAIL,
    /**
     * Skip the batch (no update) and count it in {@link EpochSummary#skippedBatches()}; training
     * still fails if every batch of an epoch is skipped, or if a weight is no longer finite at the end of
     * an epoch (an update overflowed; skipping batches cannot undo it). A skipped batch is no update,
     * so it does not advance the optimiser's step counter: a learning-rate schedule (which counts
     * updates, as Adam's bias correction does) reaches its end that many batches after the last epoch's
     * last batch, and a cosine decay ends a little above its minimum.
     */
    SKIP_BATCH
}
