package org.bpnn.train;

import org.bpnn.optim.OptimizerState;

/**
 * Everything needed to resume training exactly (bit-identical weights to an uninterrupted run on
 * the same backend and thread count), in plain arrays so that bpnn-io can persist it.
 * From {@link Trainer#state}; applied by {@link Trainer#restore}. The configuration is not in it, but
 * the parts of it an exact resume depends on are recorded: the optimiser's settings
 * ({@link OptimizerState#settings()}) and which rows are trained on and how epochs of them are cut
 * into batches ({@link #batchSettings()}: batch size, dropped last batch, shuffle, validation split).
 * The trainer restored into supplies them, and {@link Trainer#restore} refuses other ones unless
 * allowed (see there). A state without such a
 * record (built with the constructor of the older parameter list, or read from a checkpoint file
 * written before it was kept) is restored unchecked.
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
 * @param batchSettings            the trainer's batch size, dropped last batch, shuffle and validation
 *                                 split when the state was taken, or null when they were not recorded (a state built with the
 *                                 older constructor, a checkpoint file written before 2026-12-01): then a
 *                                 resume cannot compare them
 */
public record TrainingState(int epoch, long shuffleRngState, long[] dropoutRngStates, OptimizerState optimizer,
                            float[][] parameters, double bestScore, int bestEpoch, int epochsWithoutImprovement,
                            float[][] bestParameters, BatchSettings batchSettings) {

    /**
     * A state without recorded batch settings (the parameter list from before they were recorded, kept for
     * its callers): {@link Trainer#restore} cannot compare them and restores it with the trainer's.
     */
    public TrainingState(int epoch, long shuffleRngState, long[] dropoutRngStates, OptimizerState optimizer,
                         float[][] parameters, double bestScore, int bestEpoch, int epochsWithoutImprovement,
                         float[][] bestParameters) {
        this(epoch, shuffleRngState, dropoutRngStates, optimizer, parameters, bestScore, bestEpoch, epochsWithoutImprovement,
                bestParameters, null);
    }

    /**
     * Checks the parts, as {@link Trainer#restore} would act on them: a state built
     * from other arrays (one persisted by the application's own code) with a NaN weight was restored
     * without a word, and the next fit failed blaming the learning rate ("training diverged ... lower the
     * learning rate"); a NaN best score made every epoch of the resumed run a non-improvement, so early
     * stopping ended it and put back the old best weights; a null weight array was a
     * NullPointerException from the copy. The batch settings check themselves ({@link BatchSettings}: a
     * batch size &gt;= 1, a validation split in [0, 1)); null means not recorded.
     *
     * @throws IllegalArgumentException naming the part that is missing, out of range or not finite
     */
    public TrainingState {
        if (epoch < 0) {
            throw new IllegalArgumentException("training state: epoch is " + epoch + "; expected the number of epochs"
                    + " completed, >= 0");
        }
        if (dropoutRngStates == null) {
            throw new IllegalArgumentException("training state: dropoutRngStates is null; expected one generator state per"
                    + " Dropout layer, in layer order (an empty array for a network without dropout)");
        }
        if (optimizer == null) {
            throw new IllegalArgumentException("training state: optimizer is null; expected the optimiser's state"
                    + " (optimizer.state())");
        }
        if (parameters == null) {
            throw new IllegalArgumentException("training state: parameters is null; expected the network's parameter"
                    + " values, one float[] per parameter in network.parameters() order");
        }
        if (Double.isNaN(bestScore)) {
            throw new IllegalArgumentException("training state: bestScore is NaN; expected early stopping's best"
                    + " monitored value (lower is better), or +Infinity when no epoch has been the best yet");
        }
        if (bestEpoch < 0 || bestEpoch > epoch) {
            throw new IllegalArgumentException("training state: bestEpoch is " + bestEpoch + " with epoch " + epoch
                    + "; expected the best epoch among those completed, 0 to " + epoch + " (0 for none)");
        }
        if (epochsWithoutImprovement < 0 || epochsWithoutImprovement > epoch) {
            throw new IllegalArgumentException("training state: epochsWithoutImprovement is " + epochsWithoutImprovement
                    + " with epoch " + epoch + "; expected early stopping's count of epochs since the last improvement, 0"
                    + " to " + epoch);
        }
        parameters = finiteCopy("parameters", parameters);
        bestParameters = bestParameters == null ? null : finiteCopy("bestParameters", bestParameters);
        dropoutRngStates = dropoutRngStates.clone();
    }

    /**
     * A copy of {@code values}, each array present and every value finite, as a trainer's weights are between
     * epochs and a model file's always. The copy is what is checked: the caller's arrays are read once (a scan
     * of them, then the copy, would read a trainer's live weights twice inside Trainer.state's seqlock window),
     * and the values kept are the values checked.
     */
    private static float[][] finiteCopy(String what, float[][] values) {
        float[][] copy = new float[values.length][];
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new IllegalArgumentException("training state: " + what + "[" + i + "] is null; expected one float[]"
                        + " per parameter, in network.parameters() order");
            }
            float[] v = copy[i] = values[i].clone();
            for (int k = 0; k < v.length; k++) {
                if (!Float.isFinite(v[k])) {
                    throw new IllegalArgumentException("training state: " + what + "[" + i + "][" + k + "] is " + v[k]
                            + "; a state holds finite weights (a network's between epochs, a checkpoint file's): build it"
                            + " from such weights, as trainer.state(network) and CheckpointFile.load do");
                }
            }
        }
        return copy;
    }

    /**
     * This state with {@code batchSettings} recorded instead (null: none), e.g. for a state an application
     * persisted itself before they were recorded, to have the resume check them. A new state: its arrays are
     * copied again.
     */
    public TrainingState withBatchSettings(BatchSettings batchSettings) {
        return new TrainingState(epoch, shuffleRngState, dropoutRngStates, optimizer, parameters, bestScore, bestEpoch,
                epochsWithoutImprovement, bestParameters, batchSettings);
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
     * (the public accessor's copy, then the restore's, would be one copy of the model too many).
     * Callers must not write to them.
     */
    float[][] parametersNoCopy() { return parameters; }

    /** The state's own best-weight arrays (or null), not a copy; see {@link #parametersNoCopy}. */
    float[][] bestParametersNoCopy() { return bestParameters; }

    @Override
    public String toString() {
        return "TrainingState(epoch " + epoch + ", " + optimizer + ", " + parameters.length + " parameters"
                + (bestEpoch > 0 ? ", best epoch " + bestEpoch : "")
                + (batchSettings == null ? ", batch settings not recorded" : ", " + batchSettings) + ")";
    }
}
