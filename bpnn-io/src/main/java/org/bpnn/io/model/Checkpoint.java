package org.bpnn.io.model;

import org.bpnn.train.TrainingState;

/**
 * A model and the training state to resume it from: what a checkpoint file holds.
 *
 * <pre>{@code
 * Checkpoint c = CheckpointFile.load(path);
 * Trainer trainer = sameConfiguration();           // same optimiser kind, data, batch size, seed
 * trainer.restore(c.model().network(), c.state());
 * trainer.fit(c.model().network(), data);           // continues at epoch c.state().epoch() + 1
 * }</pre>
 *
 * @param model the network (with the weights the state captured), normaliser and metadata
 * @param state the trainer's state: epoch, optimiser state, shuffle and dropout generator states,
 *              early-stopping bookkeeping; its parameters are the network's weights
 */
public record Checkpoint(SavedModel model, TrainingState state) {
    public Checkpoint {
        if (model == null || state == null) {
            throw new IllegalArgumentException("a checkpoint needs a model and a training state; got " + model + ", " + state);
        }
    }
}
