package org.bpnn.train;

/**
 * How {@link Trainer#restore(org.bpnn.nn.Network, TrainingState, RestoreOptions)} treats a state whose
 * recorded optimiser settings differ from the restoring trainer's. The default,
 * {@link #requireSameOptimizerSettings()} (what {@link Trainer#restore(org.bpnn.nn.Network, TrainingState)}
 * uses), refuses the difference, since only the same settings resume to the uninterrupted run;
 * {@link #allowChangedOptimizerSettings()} continues with the trainer's settings, for a deliberate
 * change on resume (a lower rate to fine-tune, a longer schedule).
 *
 * <p>An option of the restore call rather than of the trainer's builder: the choice is about one
 * state and one resume, and it reads at the call that makes it.
 */
public final class RestoreOptions {
    private static final RestoreOptions SAME = new RestoreOptions(false);
    private static final RestoreOptions CHANGED = new RestoreOptions(true);

    private final boolean allowChangedSettings;

    private RestoreOptions(boolean allowChangedSettings) {
        this.allowChangedSettings = allowChangedSettings;
    }

    /** The default: a state whose optimiser settings differ from the trainer's is refused, each difference named. */
    public static RestoreOptions requireSameOptimizerSettings() {
        return SAME;
    }

    /**
     * The trainer's optimiser settings apply from the next update whatever the state recorded (the
     * kind must still be the same); the step counter and buffers still come from the state.
     */
    public static RestoreOptions allowChangedOptimizerSettings() {
        return CHANGED;
    }

    /** Whether a difference in optimiser settings is allowed. */
    public boolean allowsChangedOptimizerSettings() {
        return allowChangedSettings;
    }

    @Override
    public String toString() {
        return allowChangedSettings ? "RestoreOptions.allowChangedOptimizerSettings()" : "RestoreOptions.requireSameOptimizerSettings()";
    }
}
