package org.bpnn.train;

import org.bpnn.optim.OptimizerState;

/**
 * Everything needed to resume training exactly (bit-identical weights to an uninterrupted run on
 * the same backend and thread count), in plain arrays so that bpnn-io can persist it.
 * From {@link Trainer#state}; applied by {@link Trainer#restore}. The configuration is not in it, but
 * the optimiser's settings are recorded ({@link OptimizerState#settings()}): the trainer restored into
 * supplies them and {@link Trainer#restore} refuses other ones unless allowed (see there).
 *
 * @param epoch                    epochs completed
 * @param shuffleRngState          the trainer's shuffling {@link org.bpnn.nn.Rng} state
 * @param dropoutRngStates         each {@link org.bpnn.nn.Dropout} layer's mask generator state, in
 *                                 layer order
 * @param optimizer                the optimiser's step counter and buffers, and its recorded settings
 * @param parameters               the network's parameter values, in {@code network.parameters()} order
 * @param bestScore                early stopping's best monitored value, sign-normalised so that
 *                                 lower is better (+Infinity before any epoch)
 * @param bestEpoch                the epoch of bestScore (0 for none)
 * @param epochsWithoutImprovement early stopping's patience counter
 * @param bestParameters           the best epoch's parameter values when restoring best weights, else null
 */
public record TrainingState(int epoch, long shuffleRngState, long[] dropoutRngStates, OptimizerState optimizer,
                            float[][] parameters, double bestScore, int bestEpoch, int epochsWithoutImprovement,
                            float[][] bestParameters) {

    public TrainingState {
        if (epoch < 0 || dropoutRngStates == null || optimizer == null || parameters == null) {
            throw new IllegalArgumentException("training state needs epoch >= 0, dropout states, an optimizer state and "
                    + "parameters; got epoch " + epoch);
        }
        dropoutRngStates = dropoutRngStates.clone();
        parameters = deepCopy(parameters);
        bestParameters = bestParameters == null ? null : deepCopy(bestParameters);
    }

    static float[][] deepCopy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }

    @Override
    public long[] dropoutRngStates() { return dropoutRngStates.clone(); }

    @Override
    public float[][] parameters() { return deepCopy(parameters); }

    @Override
    public float[][] bestParameters() { return bestParameters == null ? null : deepCopy(bestParameters); }

    /**
     * The state's own weight arrays, not a copy, for {@link Trainer#restore}, which copies them once
     * (the public accessor's copy, then the restore's, was one copy of the model too many).
     * Callers must not write to them.
     */
    float[][] parametersNoCopy() { return parameters; }

    /** The state's own best-weight arrays (or null), not a copy; see {@link #parametersNoCopy}. */
    float[][] bestParametersNoCopy() { return bestParameters; }

    @Override
    public String toString() {
        return "TrainingState(epoch " + epoch + ", " + optimizer + ", " + parameters.length + " parameters"
                + (bestEpoch > 0 ? ", best epoch " + bestEpoch : "") + ")";
    }
}
