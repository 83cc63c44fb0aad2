package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.bpnn.backend.BackendProvider;
import org.bpnn.backend.Backends;
import org.junit.jupiter.api.Test;

/**
 * Without {@code jdk.incubator.vector} (the surefire execution "no-vector-module" runs this class with
 * no --add-modules): the provider says why and which flag to add, creating it fails with that reason,
 * and discovery falls back to scalar. Skipped when the module is present.
 */
class UnavailableModuleTest {
    @Test
    void reportsTheFlagAndFallsBackToScalar() {
        assumeFalse(SimdBackendProvider.check().available(), "jdk.incubator.vector is readable here");
        BackendProvider.Availability a = new SimdBackendProvider().availability();
        assertFalse(a.available());
        assertTrue(a.reason().contains("--add-modules jdk.incubator.vector"), a.reason());
        assertThrows(IllegalStateException.class, () -> new SimdBackendProvider().create(1));
        String requested = System.getProperty(Backends.PROPERTY, System.getenv(Backends.ENV));
        if (requested == null || requested.isBlank()) {
            assertEquals("scalar", Backends.get().name());
        }
    }
}
