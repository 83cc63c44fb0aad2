package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.bpnn.backend.Backend;
import org.bpnn.backend.BackendProvider;
import org.bpnn.backend.Backends;
import org.junit.jupiter.api.Test;

/** ServiceLoader finds the simd provider, and it wins by priority when the module is readable. */
class DiscoveryTest {
    @Test
    void providerIsListedWithPriority100() {
        BackendProvider p = Backends.providers().stream().filter(x -> x.name().equals("simd")).findFirst()
                .orElseThrow(() -> new AssertionError("simd provider not found: " + Backends.describe()));
        assertEquals(100, p.priority());
        assertEquals(SimdBackendProvider.check().available(), p.availability().available(), Backends.describe());
    }

    @Test
    void defaultBackendIsSimdWhenTheModuleIsReadable() {
        SimdTesting.assumeVectorModule();
        String requested = System.getProperty(Backends.PROPERTY, System.getenv(Backends.ENV));
        assumeTrue(requested == null || requested.isBlank(), "a backend is requested explicitly");
        Backend b = Backends.get();
        assertEquals("simd", b.name());
        assertEquals(Backends.configuredThreads(), b.threads());
    }

    @Test
    void namedBackendReportsItsThreads() {
        SimdTesting.assumeVectorModule();
        Backend b = Backends.get("simd", 2);
        assertEquals("simd", b.name());
        assertEquals(2, b.threads());
        assertTrue(b.toString().contains("threads=2"), b.toString());
    }
}
