package org.bpnn.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackendsTest {
    @Test
    void scalarIsAlwaysThere() {
        assertEquals("scalar", Backends.get("scalar").name());
        assertEquals("scalar", Backends.get("SCALAR", 2).name());
        assertTrue(Backends.describe().contains("scalar (priority 0, available)"), Backends.describe());
    }

    @Test
    void unknownNameListsWhatExists() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.get("gpu"));
        assertTrue(e.getMessage().contains("unknown backend 'gpu'"), e.getMessage());
        assertTrue(e.getMessage().contains("scalar"), e.getMessage());
    }

    @Test
    void unavailableProviderExplainsWhy() {
        Backends.register(new BackendProvider() {
            @Override public String name() { return "test-missing"; }
            @Override public int priority() { return -5; }
            @Override public Availability availability() { return Availability.no("needs the moon"); }
            @Override public Backend create(int threads) { throw new AssertionError("must not be created"); }
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.get("test-missing"));
        assertTrue(e.getMessage().contains("needs the moon"), e.getMessage());
        assertTrue(Backends.describe().contains("test-missing (priority -5, unavailable: needs the moon)"));
    }

    @Test
    void badThreadCountIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Backends.get("scalar", 0));
    }
}
