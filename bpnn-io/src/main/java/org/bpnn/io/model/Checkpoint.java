package org.bpnn.io.model;

import org.bpnn.optim.OptimizerSettings;
import org.bpnn.train.BatchSettings;
import org.bpnn.train.TrainingState;

/**
 * A model and the training state to resume it from: what a checkpoint file holds.
 *
 * <pre>{@code
 * Checkpoint c = CheckpointFile.load(path);
 * Trainer trainer = sameConfiguration();           // same optimiser and settings, data, batches, split, seed
 * trainer.restore(c.model().network(), c.state()); // refused when the optimiser's or batch settings differ
 * trainer.fit(c.model().network(), data);           // continues at epoch c.state().epoch() + 1
 * }</pre>
 * The optimiser can also be rebuilt from the file: {@code Trainer.builder().optimizer(c.optimizerSettings()
 * .toOptimizer())...} (built-in optimisers and schedules; a file from before 2026-11-30 has no settings), and
 * the batches from {@link #batchSettings()} ({@code .batchSize(c.batchSettings().batchSize())}; a file from
 * before 2026-12-01 has none).
 *
 * @param model the network (with the weights the state captured), normaliser and metadata
 * @param state the trainer's state: epoch, optimiser state, shuffle and dropout generator states,
 *              early-stopping bookkeeping, batch settings; its parameters are the network's weights
 */
public record Checkpoint(SavedModel model, TrainingState state) {
    public Checkpoint {
        if (model == null || state == null) {
            throw new IllegalArgumentException("a checkpoint needs a model and a training state; got " + model + ", " + state);
        }
    }

    /**
     * The optimiser's settings the checkpoint recorded (kind, learning rate, its own such as betas,
     * penalty, clipping, schedule), the same as {@code state().optimizer().settings()}; null when it
     * recorded none (a file written before 2026-11-30, or an optimiser that does not describe its
     * settings), and then {@link org.bpnn.train.Trainer#restore} cannot compare them with the trainer's.
     */
    public OptimizerSettings optimizerSettings() {
        return state.optimizer().settings();
    }

    /**
     * The batch settings the checkpoint recorded (batch size, dropped last batch, shuffle, validation
     * split with its seed), the same as {@code state().batchSettings()}; null when it recorded none (a
     * file written before 2026-12-01), and then {@link org.bpnn.train.Trainer#restore} cannot compare
     * them with the trainer's.
     */
    public BatchSettings batchSettings() {
        return state.batchSettings();
    }
}
