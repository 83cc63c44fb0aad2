package org.bpnn.simd;

import java.util.Locale;
import java.util.Optional;
import org.bpnn.backend.Backend;
import org.bpnn.backend.BackendProvider;
import org.bpnn.simd.kernel.Simd;

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

    /**
     * Whether {@code jdk.incubator.vector} is in the boot layer and readable from this class, and
     * {@code -Dbpnn.simd.bits} (when set) names a width the kernels take.
     */
    static Availability check() {
        String bits = bitsProblem();
        if (bits != null) {
            return Availability.no(bits);
        }
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

    /**
     * What is wrong with {@code -Dbpnn.simd.bits}, or null when it is unset or valid. Read here,
     * without loading a vector class: {@link Simd}, which applies it, throws from its static
     * initialiser on a bad value, and the error would reach the user as an ExceptionInInitializerError.
     */
    static String bitsProblem() {
        // Simd.BITS_PROPERTY is a compile-time constant: naming it does not load Simd
        String v = System.getProperty(Simd.BITS_PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "":
            case "0":
            case "off":
            case "128":
            case "256":
            case "512":
                return null;
            default:
                return "-D" + Simd.BITS_PROPERTY + " must be 128, 256, 512, 0 or off, got '" + v
                        + "'; correct or remove it";
        }
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
