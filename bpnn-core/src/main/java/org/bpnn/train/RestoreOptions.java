package org.bpnn.train;

/**
 * How {@link Trainer#restore(org.bpnn.nn.Network, TrainingState, RestoreOptions)} treats a state whose
 * recorded configuration differs from the restoring trainer's: its optimiser settings
 * ({@link org.bpnn.optim.OptimizerState#settings()}) and its batch settings
 * ({@link TrainingState#batchSettings()}: batch size, dropped last batch, shuffle, validation split). The default,
 * {@link #requireSameOptimizerSettings()} (what {@link Trainer#restore(org.bpnn.nn.Network, TrainingState)}
 * uses), refuses either difference, since only the same configuration resumes to the uninterrupted run;
 * {@link #allowChangedOptimizerSettings()} continues with the trainer's optimiser settings, for a
 * deliberate change on resume (a lower rate to fine-tune, a longer schedule), and
 * {@link #allowChangedBatchSettings()} with its batch settings (a smaller batch on a machine with less
 * memory, a larger one later in training). {@link #and} allows both:
 * {@code allowChangedOptimizerSettings().and(allowChangedBatchSettings())}.
 *
 * <p>One allowance per kind of setting rather than one for every difference: a resume that changes
 * the rate on purpose should still be told that the batch size changed by mistake (a trainer built
 * with the default batchSize(32) for a run trained at 128), and the other way round.
 *
 * <p>An option of the restore call rather than of the trainer's builder: the choice is about one
 * state and one resume, and it reads at the call that makes it.
 */
public final class RestoreOptions {
    private static final RestoreOptions SAME = new RestoreOptions(false, false);
    private static final RestoreOptions CHANGED_OPTIMIZER = new RestoreOptions(true, false);
    private static final RestoreOptions CHANGED_BATCHES = new RestoreOptions(false, true);
    private static final RestoreOptions CHANGED_BOTH = new RestoreOptions(true, true);

    private final boolean allowChangedSettings;
    private final boolean allowChangedBatches;

    private RestoreOptions(boolean allowChangedSettings, boolean allowChangedBatches) {
        this.allowChangedSettings = allowChangedSettings;
        this.allowChangedBatches = allowChangedBatches;
    }

    private static RestoreOptions of(boolean settings, boolean batches) {
        return settings ? (batches ? CHANGED_BOTH : CHANGED_OPTIMIZER) : (batches ? CHANGED_BATCHES : SAME);
    }

    /**
     * The default: a state whose optimiser settings or batch settings differ from the trainer's is
     * refused, each difference named.
     */
    public static RestoreOptions requireSameOptimizerSettings() {
        return SAME;
    }

    /**
     * The trainer's optimiser settings apply from the next update whatever the state recorded (the
     * kind must still be the same); the step counter and buffers still come from the state. Other
     * batch settings are still refused.
     */
    public static RestoreOptions allowChangedOptimizerSettings() {
        return CHANGED_OPTIMIZER;
    }

    /**
     * The trainer's batch size, dropped last batch, shuffle and validation split (fraction, stratified,
     * seed) apply from the next epoch whatever the state recorded; other optimiser settings are still
     * refused. The resumed run does not end with the uninterrupted run's weights.
     *
     * <p>Another validation split risks leakage: the next fit splits the data again with the trainer's
     * fraction, stratified flag and seed, so rows the run held out for validation before the resume
     * are trained on after it, and its validation loss and metrics, and early stopping (with
     * restoreBestWeights, the weights it keeps), then judge the network on rows it has seen. Allow it
     * when that is meant, e.g. to train the last epochs on every row (validationSplit dropped: nothing
     * is then judged on the old validation rows), and judge the result on a test set kept apart.
     *
     * <p>The optimiser's step counter is the state's, counted in updates of the old batch size: a learning-rate schedule sized as epochs x batches per epoch at the old
     * size continues at that step but now takes another number of updates per epoch, so with smaller
     * batches it reaches its end before the last epoch (a run whose last epoch would train at a rate
     * of 0 is refused when the fit starts), with larger ones it does not reach it. Resized for the new
     * size, the schedule is another setting: allow that with {@link #and}
     * {@link #allowChangedOptimizerSettings()}, and size it as the restored step count plus the
     * remaining epochs x the new batches per epoch.
     */
    public static RestoreOptions allowChangedBatchSettings() {
        return CHANGED_BATCHES;
    }

    /**
     * Options that allow what either this or {@code other} allows, e.g.
     * {@code allowChangedOptimizerSettings().and(allowChangedBatchSettings())}.
     *
     * @throws IllegalArgumentException when other is null
     */
    public RestoreOptions and(RestoreOptions other) {
        if (other == null) {
            throw new IllegalArgumentException("other is null; pass RestoreOptions.allowChangedOptimizerSettings() or"
                    + " RestoreOptions.allowChangedBatchSettings()");
        }
        return of(allowChangedSettings || other.allowChangedSettings, allowChangedBatches || other.allowChangedBatches);
    }

    /** Whether a difference in optimiser settings is allowed. */
    public boolean allowsChangedOptimizerSettings() {
        return allowChangedSettings;
    }

    /** Whether a difference in batch settings (batch size, dropped last batch, shuffle, validation split) is allowed. */
    public boolean allowsChangedBatchSettings() {
        return allowChangedBatches;
    }

    /** The call that gives these options. */
    @Override
    public String toString() {
        if (allowChangedSettings && allowChangedBatches) {
            return "RestoreOptions.allowChangedOptimizerSettings().and(RestoreOptions.allowChangedBatchSettings())";
        }
        return allowChangedSettings ? "RestoreOptions.allowChangedOptimizerSettings()"
                : allowChangedBatches ? "RestoreOptions.allowChangedBatchSettings()"
                : "RestoreOptions.requireSameOptimizerSettings()";
    }
}
