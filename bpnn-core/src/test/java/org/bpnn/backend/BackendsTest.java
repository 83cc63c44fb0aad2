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
    void theDefaultChoiceWithAGivenThreadCount() {
        Backend chosen = Backends.get();
        Backend two = Backends.get(2);
        assertEquals(chosen.name(), two.name());
        assertEquals(two.name().equals("scalar") ? 1 : 2, two.threads());
        assertThrows(IllegalArgumentException.class, () -> Backends.get(0));
    }

    @Test
    void unknownNameListsWhatExists() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.get("gpu"));
        assertTrue(e.getMessage().contains("unknown backend 'gpu'"), e.getMessage());
        assertTrue(e.getMessage().contains("scalar"), e.getMessage());
        // the name came from the caller's code: no advice to change a setting that was not used
        assertTrue(e.getMessage().endsWith("; use one of the available names"), e.getMessage());
    }

    @Test
    void anUnknownNameFromTheSettingNamesTheSetting() {
        String old = System.getProperty(Backends.PROPERTY);
        System.setProperty(Backends.PROPERTY, "gpu");
        try {
            Backends.shutdown(); // forget the default chosen before
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Backends::get);
            assertTrue(e.getMessage().startsWith("unknown backend 'gpu'"), e.getMessage());
            assertTrue(e.getMessage().endsWith("(the name came from -Dbpnn.backend; set it to one of them, or unset it for the"
                    + " best available)"), e.getMessage());
        } finally {
            if (old == null) System.clearProperty(Backends.PROPERTY);
            else System.setProperty(Backends.PROPERTY, old);
            Backends.shutdown();
        }
    }

    /**
     * An unknown name from -Dbpnn.backend or BPNN_BACKEND names the setting; an unavailable one did not:
     * a BPNN_BACKEND=simd left in a shell made every Backends.get() (a model loaded, a network built)
     * fail with simd's reason alone, no word of the setting that asked for it or that unsetting it
     * gives the best available backend.
     */
    @Test
    void anUnavailableNameFromTheSettingNamesTheSetting() {
        Backends.register(provider("test-eclipse", -15, () -> BackendProvider.Availability.no("needs an eclipse"),
                t -> { throw new AssertionError("must not be created"); }));
        System.setProperty(Backends.PROPERTY, "test-eclipse");
        try {
            Backends.shutdown(); // forget the default chosen before
            String suffix = "(the name came from -Dbpnn.backend; set it to an available one, or unset it for the best available)";
            for (org.junit.jupiter.api.function.Executable get : java.util.List.<org.junit.jupiter.api.function.Executable>of(
                    Backends::get, () -> Backends.get(2))) {
                IllegalStateException e = assertThrows(IllegalStateException.class, get);
                assertTrue(e.getMessage().startsWith("backend 'test-eclipse' is not available: needs an eclipse"), e.getMessage());
                assertTrue(e.getMessage().endsWith(suffix), e.getMessage());
            }
            // named in the caller's code: no setting to change
            String m = assertThrows(IllegalStateException.class, () -> Backends.get("test-eclipse", 1)).getMessage();
            assertTrue(!m.contains("the name came from"), m);
        } finally {
            System.clearProperty(Backends.PROPERTY);
            Backends.shutdown();
        }
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

    /**
     * A cached backend stopped by its own shutdown() (not Backends.shutdown()) was handed out again by
     * every later get(): a simd one then computed on one thread for everyone. A backend that says it
     * is stopped (isShutdown) is replaced; one whose isShutdown() throws is kept, as before.
     */
    @Test
    void aBackendStoppedByItsOwnShutdownIsReplacedByTheNextGet() {
        Backends.register(new BackendProvider() {
            @Override public String name() { return "test-own-stop"; }
            @Override public int priority() { return -7; }
            @Override public Availability availability() { return Availability.yes(); }
            @Override public Backend create(int threads) {
                boolean[] stopped = {false};
                return (Backend) java.lang.reflect.Proxy.newProxyInstance(Backend.class.getClassLoader(),
                        new Class<?>[] {Backend.class}, (proxy, m, args) -> switch (m.getName()) {
                            case "shutdown" -> { stopped[0] = true; yield null; }
                            case "isShutdown" -> stopped[0];
                            case "name" -> "test-own-stop";
                            case "threads" -> threads;
                            default -> null;
                        });
            }
        });
        try {
            Backend two = Backends.get("test-own-stop", 2);
            assertSame(two, Backends.get("test-own-stop", 2), "cached while running");
            two.shutdown();
            Backend next = Backends.get("test-own-stop", 2);
            assertNotSame(two, next, "a stopped backend is not handed out again");
            assertTrue(!next.isShutdown());
            assertSame(next, Backends.get("test-own-stop", 2), "the new one is cached");
        } finally {
            Backends.shutdown();
        }
    }

    /**
     * A {@link Backends#get()} that runs while {@link Backends#shutdown()} is stopping the backends
     * must not keep one of them as the default. shutdown() forgot the default backend first and then
     * removed the cached ones one by one: a get() in between chose again, found the old default still
     * cached, and kept it, just before shutdown() stopped it. Every later get() (and every network
     * built without a backend) then had a backend without threads, until the next shutdown (a racing
     * get() and shutdown() on two threads left it so 3 times in 2,000 simd trials). Here every
     * backend's shutdown() runs a get() on another thread and waits for it; with eight backends
     * cached, the default is not the first one stopped, whatever the cache's order, for 7 of the 8
     * thread counts tried.
     */
    @Test
    void aGetDuringShutdownDoesNotKeepAStoppedBackendAsTheDefault() throws InterruptedException {
        java.util.Set<Backend> stopped = java.util.Collections.synchronizedSet(
                java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Backends.register(provider("test-racing", -14, BackendProvider.Availability::yes, threads -> {
            Backend[] self = new Backend[1];
            self[0] = (Backend) java.lang.reflect.Proxy.newProxyInstance(Backend.class.getClassLoader(),
                    new Class<?>[] {Backend.class}, (proxy, m, args) -> {
                        if (m.getName().equals("shutdown")) {
                            stopped.add(self[0]);
                            if (armed.get()) {
                                Thread other = new Thread(() -> {
                                    try {
                                        Backends.get();
                                    } catch (Throwable e) {
                                        failures.add(e);
                                    }
                                });
                                other.start();
                                other.join(30_000);
                                if (other.isAlive()) {
                                    // get() waits for this shutdown(): it must not (Backends#shutdown stops
                                    // backends outside the lock). Disarmed, so that the other backends'
                                    // shutdown() does not wait 30 s each before the test fails.
                                    armed.set(false);
                                    failures.add(new AssertionError("a get() during shutdown() still waits 30 s"
                                            + " later: shutdown() holds the lock get() takes while it stops " + self[0]));
                                }
                            }
                            return null;
                        }
                        switch (m.getName()) {
                            case "name": return "test-racing";
                            case "threads": return threads;
                            case "toString": return "test-racing/" + threads;
                            case "hashCode": return System.identityHashCode(proxy);
                            case "equals": return proxy == args[0];
                            default: return null;
                        }
                    });
            return self[0];
        }));
        System.setProperty(Backends.PROPERTY, "test-racing");
        try {
            for (int t = 2; t <= 9; t++) {
                armed.set(false);
                Backends.shutdown();
                System.setProperty(Backends.THREADS_PROPERTY, Integer.toString(t));
                for (int u = 2; u <= 9; u++) {
                    Backends.get("test-racing", u);
                }
                Backend before = Backends.get();
                assertEquals(t, before.threads());
                armed.set(true);
                Backends.shutdown();
                armed.set(false);
                assertTrue(failures.isEmpty(), "a get() during shutdown() failed: " + failures);
                Backend after = Backends.get();
                assertTrue(!stopped.contains(after), "with " + t + " threads, Backends.get() after shutdown() is "
                        + after + ", a backend that shutdown() stopped");
            }
        } finally {
            armed.set(false);
            System.clearProperty(Backends.PROPERTY);
            System.clearProperty(Backends.THREADS_PROPERTY);
            Backends.shutdown();
        }
    }

    /** A provider of a proxy backend (only name and threads answer) with the given behaviour. */
    private static BackendProvider provider(String name, int priority, java.util.function.Supplier<BackendProvider.Availability> availability,
                                            java.util.function.IntFunction<Backend> create) {
        return new BackendProvider() {
            @Override public String name() { return name; }
            @Override public int priority() { return priority; }
            @Override public Availability availability() { return availability.get(); }
            @Override public Backend create(int threads) { return create.apply(threads); }
        };
    }

    private static Backend proxy(String name, int threads) {
        return (Backend) java.lang.reflect.Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, m, args) -> m.getName().equals("name") ? name : m.getName().equals("threads") ? threads : null);
    }

    /**
     * A provider registered again under a name that has a cached backend: the cache kept the first
     * provider's instance, so every later get() of the name ignored the new provider. Now the new
     * registration replaces the old one, and the old provider's backends are forgotten and stopped.
     */
    @Test
    void aReRegisteredNameGetsTheNewProvidersBackend() {
        java.util.concurrent.atomic.AtomicInteger stops = new java.util.concurrent.atomic.AtomicInteger();
        BackendProvider first = provider("test-reregistered", -16, BackendProvider.Availability::yes, t ->
                (Backend) java.lang.reflect.Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                        (proxy, m, args) -> {
                            if (m.getName().equals("shutdown")) stops.incrementAndGet();
                            return m.getName().equals("name") ? "test-reregistered" : m.getName().equals("threads") ? t : null;
                        }));
        Backends.register(first);
        Backend old1 = Backends.get("test-reregistered", 1), old2 = Backends.get("test-reregistered", 2);
        Backends.register(first); // the same provider again changes nothing
        assertSame(old1, Backends.get("test-reregistered", 1), "registering the same provider again keeps its backends");
        assertEquals(0, stops.get());

        Backend fresh = proxy("test-reregistered", 1);
        Backends.register(provider("test-reregistered", -16, BackendProvider.Availability::yes, t -> fresh));
        assertSame(fresh, Backends.get("test-reregistered", 1), "the provider registered last serves the name");
        assertNotSame(old2, Backends.get("test-reregistered", 2));
        assertEquals(2, stops.get(), "each backend of the replaced provider stopped once");
        assertEquals(1, Backends.providers().stream().filter(p -> p.name().equals("test-reregistered")).count(),
                "the replaced provider is no longer listed");
    }

    @Test
    void aProviderWhoseAvailabilityThrowsIsUnavailableNotFatal() {
        // it broke Backends.get(), describe() and every error message that lists the backends
        Backends.register(provider("test-native", -7, () -> { throw new UnsatisfiedLinkError("no libacme in java.library.path"); },
                t -> { throw new AssertionError("must not be created"); }));
        assertTrue(Backends.describe().contains("test-native (priority -7, unavailable: its availability() threw "
                + "java.lang.UnsatisfiedLinkError: no libacme in java.library.path)"), Backends.describe());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.get("test-native", 1));
        assertTrue(e.getMessage().startsWith("backend 'test-native' is not available: its availability() threw"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Backends.get("nosuch", 1)).getMessage().contains("scalar"));
    }

    @Test
    void createThatFailsOrReturnsNullIsNamed() {
        Backends.register(provider("test-null", -8, BackendProvider.Availability::yes, t -> null));
        Backends.register(provider("test-boom", -9, BackendProvider.Availability::yes, t -> { throw new IllegalStateException("boom"); }));
        String m = assertThrows(IllegalStateException.class, () -> Backends.get("test-null", 1)).getMessage();
        assertTrue(m.contains("returned null from create(1); it must return a backend or throw"), m);
        m = assertThrows(IllegalStateException.class, () -> Backends.get("test-boom", 2)).getMessage();
        assertTrue(m.startsWith("backend 'test-boom' (") && m.endsWith("failed to start with 2 thread(s): java.lang.IllegalStateException: boom"), m);
    }

    @Test
    void aBackendReportingNoThreadsIsRefused() {
        Backends.register(provider("test-nothreads", -11, BackendProvider.Availability::yes, t -> proxy("test-nothreads", 0)));
        String m = assertThrows(IllegalStateException.class, () -> Backends.get("test-nothreads", 2)).getMessage();
        assertTrue(m.startsWith("backend 'test-nothreads' (") && m.contains("reports threads() = 0 after create(2)"), m);
    }

    /**
     * A provider "acme" whose create() returned the scalar backend: -Dbpnn.backend=acme was logged as
     * "using backend 'scalar'", and run summaries and model files said scalar. Now refused, naming
     * the provider class and both names.
     */
    @Test
    void aBackendNamedOtherThanItsProviderIsRefused() {
        Backends.register(provider("test-acme", -17, BackendProvider.Availability::yes, t -> Backends.get("scalar", t)));
        String m = assertThrows(IllegalStateException.class, () -> Backends.get("test-acme", 1)).getMessage();
        assertTrue(m.startsWith("backend provider " + BackendsTest.class.getName() + "$") && m.contains(" is named 'test-acme' but its"
                + " create(1) returned a backend named 'scalar' (") && m.contains("return a backend whose name() is the provider's"
                + " name() ('test-acme')"), m);
        System.setProperty(Backends.PROPERTY, "test-acme");
        try {
            Backends.shutdown(); // forget the default backend, so that get() chooses again
            assertThrows(IllegalStateException.class, Backends::get, "requested by -Dbpnn.backend");
        } finally {
            System.clearProperty(Backends.PROPERTY);
            Backends.shutdown();
        }
        assertEquals("scalar", Backends.get("scalar", 1).name(), "the refused provider's shared scalar backend still works");
        Backends.register(provider("test-noname", -19, BackendProvider.Availability::yes, t -> proxy(null, t)));
        m = assertThrows(IllegalStateException.class, () -> Backends.get("test-noname", 1)).getMessage();
        assertTrue(m.contains(" is named 'test-noname' but its create(1) returned a backend named null ("), m);
        // names are matched case-insensitively, as -Dbpnn.backend matches them
        Backends.register(provider("test-Case", -18, BackendProvider.Availability::yes, t -> proxy("TEST-case", t)));
        assertEquals("TEST-case", Backends.get("test-case", 1).name());
    }

    @Test
    void aProviderMayGetAnotherBackendInCreate() {
        // a wrapper around another backend: the nested computeIfAbsent failed ("Recursive update") for some thread counts
        // (create() fetches many other backends, so that one of them shares the reserved bin: with a
        // single nested get the collision depended on the hash table's size and was not certain)
        Backends.register(provider("test-wrapper", -10, BackendProvider.Availability::yes, t -> {
            for (int i = 1; i <= 256; i++) Backends.get("scalar", 1000 * t + i);
            return proxy("test-wrapper", t);
        }));
        for (int t = 1; t <= 4; t++) {
            assertEquals("test-wrapper", Backends.get("test-wrapper", t).name(), "threads " + t);
        }
    }

    @Test
    void aRefusedConfiguredThreadCountNamesWhereItCameFrom() {
        // "backend 'simd' refused 5000 thread(s): ..." did not say that BPNN_THREADS (or -Dbpnn.threads) had set the count
        Backends.register(provider("test-max4", -12, BackendProvider.Availability::yes, t -> {
            if (t > 4) throw new IllegalArgumentException("threads must be in [1, 4], got " + t);
            return proxy("test-max4", t);
        }));
        String refusal = "threads must be in [1, 4], got 5";
        assertEquals("backend 'test-max4' refused 5 thread(s): " + refusal,
                assertThrows(IllegalArgumentException.class, () -> Backends.get("test-max4", 5)).getMessage(), "the caller's own count");
        System.setProperty(Backends.THREADS_PROPERTY, "5");
        try {
            assertEquals("backend 'test-max4' refused 5 thread(s) from -Dbpnn.threads: " + refusal + "; set -Dbpnn.threads to another count",
                    assertThrows(IllegalArgumentException.class, () -> Backends.get("test-max4")).getMessage());
            System.setProperty(Backends.PROPERTY, "test-max4");
            Backends.shutdown(); // forget the default backend, so that get() chooses again
            assertEquals("backend 'test-max4' refused 5 thread(s) from -Dbpnn.threads: " + refusal + "; set -Dbpnn.threads to another count",
                    assertThrows(IllegalArgumentException.class, Backends::get).getMessage());
        } finally {
            System.clearProperty(Backends.THREADS_PROPERTY);
            System.clearProperty(Backends.PROPERTY);
            Backends.shutdown();
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(Backends.THREADS_ENV) == null, "BPNN_THREADS is set");
        Backends.register(provider("test-refuses", -13, BackendProvider.Availability::yes, t -> {
            throw new IllegalArgumentException("no threads for you");
        }));
        int n = Runtime.getRuntime().availableProcessors();
        assertEquals("backend 'test-refuses' refused " + n + " thread(s), the number of available processors: no threads for you; "
                + "set -Dbpnn.threads or BPNN_THREADS to another count",
                assertThrows(IllegalArgumentException.class, () -> Backends.get("test-refuses")).getMessage());
    }

    @Test
    void badThreadCountIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Backends.get("scalar", 0));
    }

    /**
     * README: without the Vector API "scalar is used with one warning". Each choice by priority warned
     * again about every unavailable backend above the chosen one, so a search calling
     * {@link Backends#get(int)} per trial (or a host calling get() after each shutdown) repeated the
     * same warning per trial, though the choice itself was logged once.
     */
    @Test
    void anUnavailableBackendIsWarnedAboutOnce() {
        try {
            java.util.List<String> lines = logged(() -> {
                // above scalar, so that every choice by priority passes it; never available, so never chosen
                Backends.register(provider("test-above", 1, () -> BackendProvider.Availability.no("needs the sun"),
                        t -> { throw new AssertionError("must not be created"); }));
                Backends.shutdown(); // forgets what was logged
                for (int i = 0; i < 5; i++) Backends.get(2);
                Backends.get(1);
                Backends.get();
            });
            java.util.List<String> warnings = lines.stream().filter(l -> l.contains("'test-above' is unavailable")).toList();
            assertEquals(1, warnings.size(), "warned once per choice instead of once: " + warnings);
        } finally {
            Backends.shutdown();
        }
    }

    /** A search that asks for a backend per trial logged a line per trial: each choice is logged once. */
    @Test
    void aRepeatedChoiceIsLoggedOnce() {
        java.util.List<String> lines = logged(() -> {
            Backends.shutdown(); // forgets what was logged
            for (int i = 0; i < 5; i++) Backends.get(2);
            Backends.get(1);
        });
        java.util.List<String> choices = lines.stream().filter(l -> l.startsWith("bpnn: using backend")).toList();
        assertTrue(!choices.isEmpty(), lines.toString());
        assertEquals(new java.util.HashSet<>(choices).size(), choices.size(), "a choice logged twice: " + choices);
    }

    /**
     * A program calling the README's {@code Backends.register(new SimdBackendProvider())} on a class path
     * that keeps the service files (where it is not needed, but does no harm) was warned, on every
     * providers() call, that the service file's instance "is named 'simd', like
     * org.bpnn.simd.SimdBackendProvider, which is kept; give it another name": one provider class, found
     * twice, not a clash. Two classes of one name are still warned about.
     */
    @Test
    void aRegisteredProviderThatTheServiceFilesAlsoListIsNoClash(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // Backends reads the service files of its own class loader, and the tests' must not list this
        // provider (every other test would find it): bpnn-core and these test classes in a loader of their
        // own, with a service file that lists Listed
        java.nio.file.Path services = java.nio.file.Files.createDirectories(dir.resolve("META-INF/services"));
        java.nio.file.Files.writeString(services.resolve(BackendProvider.class.getName()), Listed.class.getName() + "\n");
        java.net.URL[] urls = {Backends.class.getProtectionDomain().getCodeSource().getLocation(),
                Listed.class.getProtectionDomain().getCodeSource().getLocation(), dir.toUri().toURL()};
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            Class<?> backends = loader.loadClass(Backends.class.getName());
            java.lang.reflect.Method register = backends.getMethod("register", loader.loadClass(BackendProvider.class.getName()));
            java.lang.reflect.Method providers = backends.getMethod("providers");
            java.util.function.Function<Class<?>, java.util.List<String>> registerAndList = cls -> logged(() -> {
                try {
                    register.invoke(null, loader.loadClass(cls.getName()).getConstructor().newInstance());
                    for (Object p : (java.util.List<?>) providers.invoke(null)) {
                        if (p.toString().startsWith("test-listed")) assertEquals(cls.getName(), p.getClass().getName(),
                                "the registered provider is the one kept");
                    }
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            });
            java.util.List<String> lines = registerAndList.apply(Listed.class);
            assertEquals(java.util.List.of(), lines.stream().filter(l -> l.contains(" is named ")).toList(),
                    "the service file's Listed is the registered one's class");

            lines = registerAndList.apply(Impostor.class); // replaces Listed's registration: two classes, one name
            assertEquals(java.util.List.of("bpnn: backend provider " + Listed.class.getName() + " (found by ServiceLoader) is named"
                    + " 'test-listed', like " + Impostor.class.getName() + ", which is kept; give it another name"),
                    lines.stream().filter(l -> l.contains(" is named ")).toList());
        }
    }

    /** Listed in a service file by {@link #aRegisteredProviderThatTheServiceFilesAlsoListIsNoClash}: public, as ServiceLoader needs. */
    public static class Listed implements BackendProvider {
        @Override public String name() { return "test-listed"; }
        @Override public int priority() { return -20; }
        @Override public Availability availability() { return Availability.no("a test's provider"); }
        @Override public Backend create(int threads) { throw new AssertionError("must not be created"); }
        @Override public String toString() { return name() + " " + getClass().getName(); }
    }

    /** Another class named as {@link Listed}. */
    public static final class Impostor extends Listed {}

    /** The messages Backends logs (at every level) while {@code work} runs. */
    private static java.util.List<String> logged(Runnable work) {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(Backends.class.getName());
        java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override public void publish(java.util.logging.LogRecord r) { lines.add(r.getMessage()); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        java.util.logging.Level level = log.getLevel();
        log.setLevel(java.util.logging.Level.ALL);
        log.addHandler(h);
        try {
            work.run();
        } finally {
            log.removeHandler(h);
            log.setLevel(level);
        }
        return lines;
    }
}
