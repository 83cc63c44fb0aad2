package org.bpnn.backend.scalar;

import org.bpnn.backend.Backend;
import org.bpnn.backend.BackendProvider;

/** Provides the always-available scalar reference backend (priority 0, single-threaded). */
public final class ScalarBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Availability availability() {
        return Availability.yes();
    }

    /** The scalar backend is single-threaded by design; {@code threads} is accepted and ignored. */
    @Override
    public Backend create(int threads) {
        return ScalarBackend.INSTANCE;
    }
}
