package org.bpnn.simd;

import java.util.Optional;
import org.bpnn.backend.Backend;
import org.bpnn.backend.BackendProvider;

/**
 * Provides the "simd" backend (priority 100, above scalar's 0) when {@code jdk.incubator.vector} is
 * readable. The check runs before any vector class is touched: this class and {@link SimdBackend}'s
 * signatures mention no vector type, and the kernels (package {@code org.bpnn.simd.kernel}) load only
 * when the backend first computes. Without the module, discovery falls back to scalar with one
 * warning that names the flag to add.
 */
public final class SimdBackendProvider implements BackendProvider {
    static final String MODULE = "jdk.incubator.vector";

    @Override
    public String name() {
        return "simd";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability availability() {
        return check();
    }

    /** Whether {@code jdk.incubator.vector} is in the boot layer and readable from this class. */
    static Availability check() {
        Optional<Module> m = ModuleLayer.boot().findModule(MODULE);
        if (m.isEmpty()) {
            return Availability.no("the module " + MODULE + " is not loaded; add --add-modules " + MODULE
                    + " to the java command");
        }
        if (!SimdBackendProvider.class.getModule().canRead(m.get())) {
            return Availability.no("the module " + MODULE + " is loaded but not readable by "
                    + SimdBackendProvider.class.getModule() + "; add --add-modules " + MODULE
                    + " (and --add-reads if bpnn-simd runs as a named module) to the java command");
        }
        return Availability.yes();
    }

    @Override
    public Backend create(int threads) {
        Availability a = check();
        if (!a.available()) {
            throw new IllegalStateException("backend 'simd' is not available: " + a.reason());
        }
        return new SimdBackend(threads);
    }
}
