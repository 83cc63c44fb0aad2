package org.bpnn.optim;

import java.util.List;
import org.bpnn.backend.Backend;
import org.bpnn.nn.Parameter;

/**
 * BP4 and its refinements: updates each parameter from its gradient. An optimiser owns its
 * per-parameter state (velocities, moments), keyed by the parameter's position in the list it is
 * given, so one optimiser instance serves one network. It must not allocate after its first step.
 */
public interface Optimizer {

    /** Applies one update to every parameter from its current gradient. */
    void step(Backend backend, List<Parameter> parameters);
}
