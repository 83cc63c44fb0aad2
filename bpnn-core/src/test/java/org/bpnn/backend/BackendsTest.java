package org.bpnn.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
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
    void shutdownStopsEveryCreatedBackendAndForgetsIt() {
        java.util.concurrent.atomic.AtomicInteger stops = new java.util.concurrent.atomic.AtomicInteger();
        Backends.register(new BackendProvider() {
            @Override public String name() { return "test-threads"; }
            @Override public int priority() { return -6; }
            @Override public Availability availability() { return Availability.yes(); }
            @Override public Backend create(int threads) {
                // only name and shutdown are called: a proxy stands for the rest of the interface
                return (Backend) java.lang.reflect.Proxy.newProxyInstance(Backend.class.getClassLoader(),
                        new Class<?>[] {Backend.class}, (proxy, m, args) -> {
                            if (m.getName().equals("shutdown")) stops.incrementAndGet();
                            return m.getName().equals("name") ? "test-threads" : m.getName().equals("threads") ? threads : null;
                        });
            }
        });
        Backend one = Backends.get("test-threads", 1), two = Backends.get("test-threads", 2);
        assertSame(one, Backends.get("test-threads", 1), "cached");
        Backends.shutdown();
        assertEquals(2, stops.get(), "each created backend stopped once");
        assertNotSame(one, Backends.get("test-threads", 1), "forgotten: the next get creates a new one");
        assertNotSame(two, Backends.get("test-threads", 2));
        Backends.shutdown();
        assertEquals(4, stops.get());
        assertEquals("scalar", Backends.get("scalar", 1).name(), "usable after a shutdown");
    }

    @Test
    void badThreadCountIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Backends.get("scalar", 0));
    }
}
