package org.bpnn.optim;

import java.util.List;
import org.bpnn.backend.Backend;
import org.bpnn.nn.Parameter;

/**
 * BP4 and its refinements: updates each parameter from its gradient. An optimiser owns its
 * per-parameter state (velocities, moments), keyed by the parameter's position in the list it is
 * given, so one optimiser instance serves one network. It must not allocate after its first step.
 *
 * <p>The built-in optimisers extend {@link BaseOptimizer}, which adds learning-rate schedules,
 * L1/L2 penalties, gradient clipping and state capture for exact resume.
 */
public interface Optimizer {

    /** Applies one update to every parameter from its current gradient. */
    void step(Backend backend, List<Parameter> parameters);

    /**
     * A copy of the optimiser's state (step counter and per-parameter buffers) for a checkpoint.
     * The default throws: an optimiser that cannot be captured cannot be resumed exactly.
     */
    default OptimizerState state() {
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + " cannot capture its state; extend BaseOptimizer or override state()/restore()");
    }

    /**
     * The optimiser's settings (kind, rates, schedule, ...) for a checkpoint, so that a resume can
     * check it is configured the same and a program can rebuild it; null (the default) when the
     * optimiser cannot describe them, and then a resume cannot compare them.
     */
    default OptimizerSettings settings() {
        return null;
    }

    /**
     * Replaces the optimiser's state with a copy of {@code state} (from {@link #state()}): the step
     * counter and buffers; the optimiser's own settings (rate, schedule, ...) stay, and apply from the
     * next step. A state of another kind of optimiser is refused; settings recorded in the state are
     * not compared here ({@code Trainer.restore} compares them).
     */
    default void restore(OptimizerState state) {
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + " cannot restore a state; extend BaseOptimizer or override state()/restore()");
    }
}
