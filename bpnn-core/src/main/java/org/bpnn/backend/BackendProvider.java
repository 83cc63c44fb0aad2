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

    /** Creates the backend with the given number of threads (at least 1). Called only when available. */
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
