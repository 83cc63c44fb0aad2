package org.bpnn.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bpnn.backend.scalar.ScalarBackendProvider;

/**
 * Finds and creates backends.
 *
 * <p>Providers come from {@link ServiceLoader} (on the class path and on the module path) plus any
 * registered with {@link #register(BackendProvider)}, which is the path for hosts whose class
 * loaders or fat jars lose {@code META-INF/services}. The scalar backend is always present.
 *
 * <p>Choice: the system property {@code bpnn.backend} or else the environment variable
 * {@code BPNN_BACKEND} names a backend; without either, the available provider with the highest
 * priority wins. The thread count comes from {@code bpnn.threads} / {@code BPNN_THREADS}, default the
 * number of available processors. An unknown or unavailable name fails with the list of backends and
 * the reason each unavailable one gives. The choice is logged once through {@link System.Logger}.
 */
public final class Backends {
    public static final String PROPERTY = "bpnn.backend";
    public static final String ENV = "BPNN_BACKEND";
    public static final String THREADS_PROPERTY = "bpnn.threads";
    public static final String THREADS_ENV = "BPNN_THREADS";

    private static final System.Logger LOG = System.getLogger(Backends.class.getName());
    private static final List<BackendProvider> REGISTERED = new CopyOnWriteArrayList<>();
    private static final Map<String, Backend> CACHE = new ConcurrentHashMap<>();
    private static volatile Backend defaultBackend;

    private Backends() {}

    /**
     * Stops the threads of every backend created here ({@link Backend#shutdown()}) and forgets them,
     * for a host that unloads the application. Backends already handed out keep working on their
     * callers' threads; the next {@link #get} creates new ones.
     */
    public static void shutdown() {
        synchronized (Backends.class) {
            defaultBackend = null;
        }
        for (String k : List.copyOf(CACHE.keySet())) {
            Backend b = CACHE.remove(k);
            if (b != null) {
                b.shutdown();
            }
        }
    }

    /** Adds a provider that {@link ServiceLoader} cannot see (shaded jars, custom class loaders). */
    public static void register(BackendProvider provider) {
        if (provider == null) {
            throw new IllegalArgumentException("provider is null");
        }
        REGISTERED.add(provider);
        synchronized (Backends.class) {
            defaultBackend = null;
        }
    }

    /** Every known provider, highest priority first, each name once (explicit registrations win). */
    public static List<BackendProvider> providers() {
        Map<String, BackendProvider> byName = new java.util.LinkedHashMap<>();
        for (BackendProvider p : REGISTERED) {
            byName.putIfAbsent(key(p.name()), p);
        }
        byName.putIfAbsent("scalar", new ScalarBackendProvider());
        try {
            for (BackendProvider p : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
                byName.putIfAbsent(key(p.name()), p);
            }
        } catch (ServiceConfigurationError e) {
            LOG.log(System.Logger.Level.WARNING, "bpnn: a backend provider failed to load: " + e.getMessage());
        }
        List<BackendProvider> all = new ArrayList<>(byName.values());
        all.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        return all;
    }

    /**
     * The backend chosen by property, environment or priority, created once with the configured
     * thread count.
     */
    public static Backend get() {
        Backend b = defaultBackend;
        if (b == null) {
            synchronized (Backends.class) {
                b = defaultBackend;
                if (b == null) {
                    b = choose();
                    defaultBackend = b;
                }
            }
        }
        return b;
    }

    /** The named backend with the configured thread count. */
    public static Backend get(String name) {
        return get(name, configuredThreads());
    }

    /** The named backend with {@code threads} threads (instances are cached per name and count). */
    public static Backend get(String name, int threads) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("backend name is empty; known backends: " + describe());
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        return CACHE.computeIfAbsent(key(name) + "/" + threads, k -> create(name, threads));
    }

    private static Backend create(String name, int threads) {
        for (BackendProvider p : providers()) {
            if (key(p.name()).equals(key(name))) {
                BackendProvider.Availability a = p.availability();
                if (!a.available()) {
                    throw new IllegalStateException("backend '" + name + "' is not available: " + a.reason()
                            + ". Known backends: " + describe());
                }
                return p.create(threads);
            }
        }
        throw new IllegalArgumentException("unknown backend '" + name + "'. Known backends: " + describe()
                + ". Set -D" + PROPERTY + " or " + ENV + " to one of the available names");
    }

    private static Backend choose() {
        String requested = System.getProperty(PROPERTY);
        String source = "-D" + PROPERTY;
        if (requested == null || requested.isBlank()) {
            requested = System.getenv(ENV);
            source = ENV;
        }
        int threads = configuredThreads();
        Backend chosen;
        String why;
        if (requested != null && !requested.isBlank()) {
            chosen = get(requested.trim(), threads);
            why = "requested by " + source;
        } else {
            chosen = null;
            why = null;
            StringBuilder skipped = new StringBuilder();
            for (BackendProvider p : providers()) {
                BackendProvider.Availability a = p.availability();
                if (a.available()) {
                    chosen = get(p.name(), threads);
                    why = "highest-priority available backend" + (skipped.length() > 0 ? " (" + skipped + ")" : "");
                    break;
                }
                if (skipped.length() > 0) skipped.append("; ");
                skipped.append(p.name()).append(" unavailable: ").append(a.reason());
                LOG.log(System.Logger.Level.WARNING, "bpnn: backend '" + p.name() + "' is unavailable: " + a.reason());
            }
            if (chosen == null) {
                throw new IllegalStateException("no backend is available: " + describe());
            }
        }
        LOG.log(System.Logger.Level.INFO, "bpnn: using backend '" + chosen.name() + "' with " + chosen.threads()
                + " thread(s), " + why);
        return chosen;
    }

    /** Threads from {@code bpnn.threads} / {@code BPNN_THREADS}, else the available processors. */
    public static int configuredThreads() {
        String v = System.getProperty(THREADS_PROPERTY);
        String source = "-D" + THREADS_PROPERTY;
        if (v == null || v.isBlank()) {
            v = System.getenv(THREADS_ENV);
            source = THREADS_ENV;
        }
        if (v == null || v.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int t = Integer.parseInt(v.trim());
            if (t >= 1) {
                return t;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(source + " must be a whole number >= 1, got '" + v + "'");
    }

    /** One line per provider: name, priority, and available or the reason it is not. */
    public static String describe() {
        StringBuilder sb = new StringBuilder();
        for (BackendProvider p : providers()) {
            if (sb.length() > 0) sb.append(", ");
            BackendProvider.Availability a = p.availability();
            sb.append(p.name()).append(" (priority ").append(p.priority()).append(", ")
                    .append(a.available() ? "available" : "unavailable: " + a.reason()).append(')');
        }
        return sb.toString();
    }

    private static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }
}
