package org.bpnn.backend;

/**
 * A factory for a {@link Backend}, found with {@link java.util.ServiceLoader} (declare it in
 * {@code META-INF/services/org.bpnn.backend.BackendProvider}) or registered explicitly with
 * {@link Backends#register(BackendProvider)}.
 *
 * <p>Providers must be cheap to construct: they are instantiated during discovery, and must not
 * touch optional classes (such as {@code jdk.incubator.vector}) before {@link #availability()} said
 * they are usable.
 */
public interface BackendProvider {

    /** The backend's name, matched case-insensitively by {@code -Dbpnn.backend} and {@code BPNN_BACKEND}. */
    String name();

    /** Higher wins when no backend is requested by name; the scalar backend has 0. */
    int priority();

    /** Whether the backend can run here, and if not, why and what to change. */
    Availability availability();

    /**
     * Creates the backend with the given number of threads (at least 1). Called only when available.
     * The backend's {@link Backend#name()} must be this provider's {@link #name()} (compared
     * case-insensitively): it is the name the log, run summaries and model files report, so a provider
     * that wraps or reuses another backend returns a wrapper that answers its own name.
     * {@link Backends} refuses a backend with another name (IllegalStateException naming both).
     */
    Backend create(int threads);

    /** Whether a backend can run, with the reason when it cannot. */
    record Availability(boolean available, String reason) {
        public static Availability yes() {
            return new Availability(true, "");
        }

        public static Availability no(String reason) {
            return new Availability(false, reason);
        }
    }
}
