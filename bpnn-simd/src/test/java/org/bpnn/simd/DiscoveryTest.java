package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
    void aBadVectorWidthMakesSimdUnavailableWithTheReason() {
        // it used to reach the user as an ExceptionInInitializerError from Simd's static initialiser
        String saved = System.getProperty("bpnn.simd.bits");
        try {
            for (String bad : new String[] {"999", "64", "abc", "1024"}) {
                System.setProperty("bpnn.simd.bits", bad);
                BackendProvider.Availability a = SimdBackendProvider.check();
                assertFalse(a.available(), bad);
                assertEquals("-Dbpnn.simd.bits must be 128, 256, 512, 0 or off, got '" + bad + "'; correct or remove it",
                        a.reason());
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SimdBackendProvider().create(1));
                assertTrue(e.getMessage().contains("got '" + bad + "'"), e.getMessage());
            }
            for (String good : new String[] {"", " 256 ", "OFF", "0", "128", "512"}) {
                System.setProperty("bpnn.simd.bits", good);
                assertNull(SimdBackendProvider.bitsProblem(), good);
            }
        } finally {
            if (saved == null) System.clearProperty("bpnn.simd.bits");
            else System.setProperty("bpnn.simd.bits", saved);
        }
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
