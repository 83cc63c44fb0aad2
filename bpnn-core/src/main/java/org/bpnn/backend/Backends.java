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
 * Names are matched ignoring case and surrounding spaces ({@code " SIMD"} is {@code simd}).
 *
 * <p>Every method may be called from any thread; backends are created under one lock, and the
 * instances handed out are shared (see {@link Backend} for their own thread rules).
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
    /** The choices and unavailable backends logged so far (each once; forgotten by {@link #shutdown()}). */
    private static final java.util.Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private Backends() {}

    /**
     * Stops the threads of every backend created here ({@link Backend#shutdown()}) and forgets them,
     * for a host that unloads the application. Backends already handed out keep working on their
     * callers' threads; the next {@link #get} creates new ones. (A single cached backend stopped by
     * its own {@link Backend#shutdown()} is replaced likewise by the next {@link #get} of its name
     * and count.)
     */
    public static void shutdown() {
        // Forgotten at once, under the lock get() chooses the default under: were the default
        // forgotten first and the cache emptied after, a get() in between would choose again, find the
        // old default still cached and keep it, just before it is stopped (every later get() would then
        // have a backend without threads). Stopped after, outside the lock: a backend's shutdown() waits for
        // a call in progress, and other threads' get() need not wait with it.
        LOGGED.clear();
        List<Backend> created = new ArrayList<>();
        synchronized (Backends.class) {
            defaultBackend = null;
            for (String k : List.copyOf(CACHE.keySet())) {
                Backend b = CACHE.remove(k);
                if (b != null) {
                    created.add(b);
                }
            }
        }
        for (Backend b : created) {
            b.shutdown();
        }
    }

    /**
     * Adds a provider that {@link ServiceLoader} cannot see (shaded jars, custom class loaders); registering
     * the same instance again changes nothing. It
     * replaces an earlier registration of the same name (a host that redeploys registers its new
     * provider) and wins over a service-file provider of that name (silently when that one is of the same
     * class, as where {@code register(new SimdBackendProvider())} runs on a class path that kept the
     * service files; with a warning when it is another class). Backends already created under
     * that name are forgotten and stopped ({@link Backend#shutdown()}: those handed out keep working,
     * on their callers' threads), so the next {@link #get} creates one from this provider.
     */
    public static void register(BackendProvider provider) {
        if (provider == null) {
            throw new IllegalArgumentException("provider is null; pass the BackendProvider to register");
        }
        if (REGISTERED.contains(provider)) {
            return; // registered again: nothing changes (its backends stay, not stopped and made anew)
        }
        String name;
        try {
            name = provider.name();
        } catch (RuntimeException | LinkageError e) {
            name = null; // providers() leaves it out with a warning that says why
        }
        List<Backend> replaced = new ArrayList<>();
        synchronized (Backends.class) {
            // Under the lock get(name) creates under, the name's cached backends dropped and an earlier
            // provider of the name unregistered: else the cache would keep the instance created before,
            // so a provider registered after a get() of its name would be ignored by every later get(),
            // and a second registration of a name would be left out behind the first (which could pin
            // an undeployed application's class loader).
            if (name != null && !name.isBlank()) {
                String k = key(name);
                REGISTERED.removeIf(p -> p != provider && k.equals(nameKey(p)));
                String prefix = k + "/";
                for (String c : List.copyOf(CACHE.keySet())) {
                    if (c.startsWith(prefix)) {
                        Backend b = CACHE.remove(c);
                        if (b != null) {
                            replaced.add(b);
                        }
                    }
                }
            }
            REGISTERED.add(provider);
            defaultBackend = null;
        }
        // outside the lock, as in shutdown(): a backend's shutdown() waits for a call in progress
        for (Backend b : replaced) {
            b.shutdown();
        }
    }

    /** A provider's name as a cache key, or null when name() fails or is blank. */
    private static String nameKey(BackendProvider p) {
        try {
            String n = p.name();
            return n == null || n.isBlank() ? null : key(n);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * Every known provider, highest priority first, each name once (explicit registrations win, the
     * latest of a name replacing earlier ones, then scalar, then the service files in class-path order; a later provider of a taken name is left out
     * with a warning, unless it is of the same class as the one kept: a registered provider that the
     * service files also list is one provider). A provider that fails to load, or whose name is blank, is left out with a warning;
     * the others are still found.
     */
    public static List<BackendProvider> providers() {
        Map<String, BackendProvider> byName = new java.util.LinkedHashMap<>();
        for (BackendProvider p : REGISTERED) {
            add(byName, p, "registered");
        }
        byName.putIfAbsent("scalar", new ScalarBackendProvider());
        java.util.Iterator<BackendProvider> it = ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).iterator();
        while (true) {
            BackendProvider p;
            try {
                // one failing provider (its constructor threw, its class is missing) must not end the
                // whole search, hiding every provider after it on the class path (simd among them)
                if (!it.hasNext()) break;
                p = it.next();
            } catch (ServiceConfigurationError e) {
                LOG.log(System.Logger.Level.WARNING, "bpnn: a backend provider failed to load and is left out: " + e.getMessage()
                        + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
                continue;
            }
            add(byName, p, "found by ServiceLoader");
        }
        List<BackendProvider> all = new ArrayList<>(byName.values());
        all.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        return all;
    }

    private static void add(Map<String, BackendProvider> byName, BackendProvider p, String how) {
        String name;
        try {
            name = p.name();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "bpnn: backend provider " + p.getClass().getName() + " (" + how
                    + ") failed in name() and is left out: " + e);
            return;
        }
        if (name == null || name.isBlank()) {
            LOG.log(System.Logger.Level.WARNING, "bpnn: backend provider " + p.getClass().getName() + " (" + how
                    + ") has no name and is left out; name() must return a non-blank name");
            return;
        }
        BackendProvider had = byName.putIfAbsent(key(name), p);
        // Another instance of the kept one's class is the same provider, not a clash: scalar (added above
        // and listed in bpnn-core's service file), or a registered provider the service files list too
        // (register(new SimdBackendProvider()) on a class path that keeps them), which was warned about
        // on every providers() call with "give it another name", though nothing was wrong.
        if (had != null && had.getClass() != p.getClass()) {
            LOG.log(System.Logger.Level.WARNING, "bpnn: backend provider " + p.getClass().getName() + " (" + how + ") is named '"
                    + name + "', like " + had.getClass().getName() + ", which is kept; give it another name");
        }
    }

    /**
     * A provider's availability; one whose availability() throws (a native library that does not
     * load, say) is unavailable with that as the reason, instead of breaking every choice and message.
     */
    public static BackendProvider.Availability availabilityOf(BackendProvider p) {
        try {
            BackendProvider.Availability a = p.availability();
            return a != null ? a : BackendProvider.Availability.no("its availability() returned null");
        } catch (RuntimeException | LinkageError e) {
            return BackendProvider.Availability.no("its availability() threw " + e);
        }
    }

    /**
     * The backend chosen by property, environment or priority, created once with the configured
     * thread count (chosen and created again after {@link #shutdown()}, or after that backend's own
     * {@link Backend#shutdown()}).
     *
     * @throws IllegalArgumentException when -Dbpnn.backend or BPNN_BACKEND names an unknown backend, the
     *         configured thread count is not a whole number &gt;= 1, or the backend refuses it
     * @throws IllegalStateException when the named backend, or every backend, is unavailable
     */
    public static Backend get() {
        Backend b = defaultBackend;
        if (b == null || stopped(b)) {
            synchronized (Backends.class) {
                b = defaultBackend;
                if (b == null || stopped(b)) {
                    b = choose(configuredThreads(), configuredThreadsOrigin());
                    defaultBackend = b;
                }
            }
        }
        return b;
    }

    /**
     * The backend {@link #get()} would choose (-Dbpnn.backend, BPNN_BACKEND, else the highest-priority
     * available one), with {@code threads} threads instead of the configured count: bpnn.threads and
     * BPNN_THREADS are not read (a command-line flag overrides them). The instance is cached per name
     * and count, as {@link #get(String, int)}'s, but unlike {@link #get()}, which chooses once, every
     * call chooses again (a changed setting is seen); a choice is logged only the first time it is made
     * (a hyper-parameter search calling this per trial logs one line, not one per trial). Throws
     * IllegalArgumentException when {@code threads} is below 1, when -Dbpnn.backend or BPNN_BACKEND names an unknown backend, or when the chosen backend
     * refuses the count (the provider's exception is the cause); IllegalStateException when the named
     * backend, or every backend, is unavailable.
     */
    public static Backend get(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        return choose(threads, null);
    }

    /**
     * The named backend with the configured thread count ({@link #configuredThreads()}), cached as
     * {@link #get(String, int)}'s.
     *
     * @throws IllegalArgumentException when name is null, blank or unknown, or the configured count is
     *         invalid or refused by the backend
     * @throws IllegalStateException when the backend is unavailable (the message says why) or fails to start
     */
    public static Backend get(String name) {
        return get(name, configuredThreads(), configuredThreadsOrigin());
    }

    /**
     * The named backend with {@code threads} threads. Instances are cached per name and count; one
     * that was stopped ({@link Backend#isShutdown()}) is replaced by a new one, never handed out again.
     *
     * @throws IllegalArgumentException when name is null, blank or unknown, threads is below 1, or the
     *         backend refuses the count
     * @throws IllegalStateException when the backend is unavailable (the message says why) or fails to start
     */
    public static Backend get(String name, int threads) {
        return get(name, threads, null);
    }

    /**
     * origin: the setting a configured thread count came from ("BPNN_THREADS", "-Dbpnn.threads", or ""
     * for the available processors), for the message when the backend refuses the count ("refused 5000
     * thread(s)" alone does not say that BPNN_THREADS set it); null when the caller passed the count.
     */
    private static Backend get(String name, int threads, String origin) {
        if (name == null || name.isBlank()) {
            // says which: a null name is not "empty"
            throw new IllegalArgumentException("backend name is " + (name == null ? "null" : "empty") + "; pass one of the"
                    + " known backends: " + describe() + ", or call Backends.get() for the default");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        String k = key(name) + "/" + threads;
        Backend b = CACHE.get(k);
        if (b == null || stopped(b)) {
            // not computeIfAbsent: a provider whose create() gets another backend from here (a wrapper
            // around simd) made a nested computeIfAbsent, which fails when the keys share a bin
            synchronized (Backends.class) {
                b = CACHE.get(k);
                if (b == null || stopped(b)) {
                    // a stopped one is replaced: someone called shutdown() on the shared instance,
                    // and handing it out again would give every later caller a backend without its threads
                    b = create(name, threads, origin);
                    CACHE.put(k, b);
                }
            }
        }
        return b;
    }

    /**
     * Whether a cached backend was stopped by its own {@link Backend#shutdown()}. One whose
     * isShutdown() throws (a proxy whose handler answers null) counts as running, the default answer of
     * isShutdown(): a broken answer must not make every get() fail.
     */
    private static boolean stopped(Backend b) {
        try {
            return b.isShutdown();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Backend create(String name, int threads, String origin) {
        for (BackendProvider p : providers()) {
            if (key(p.name()).equals(key(name))) {
                BackendProvider.Availability a = availabilityOf(p);
                if (!a.available()) {
                    throw new UnavailableBackend("backend '" + name + "' is not available: " + a.reason()
                            + ". Known backends: " + describe());
                }
                Backend b;
                try {
                    b = p.create(threads);
                } catch (IllegalArgumentException e) {
                    String from = origin == null ? "" : origin.isEmpty() ? ", the number of available processors" : " from " + origin;
                    String change = origin == null ? "" : "; set " + (origin.isEmpty() ? "-D" + THREADS_PROPERTY + " or " + THREADS_ENV
                            : origin) + " to another count";
                    throw new IllegalArgumentException("backend '" + name + "' refused " + threads + " thread(s)" + from + ": "
                            + e.getMessage() + change, e);
                } catch (RuntimeException e) {
                    throw new IllegalStateException("backend '" + name + "' (" + p.getClass().getName() + ") failed to start with "
                            + threads + " thread(s): " + e, e);
                }
                if (b == null) {
                    throw new IllegalStateException("backend provider " + p.getClass().getName() + " returned null from create("
                            + threads + "); it must return a backend or throw");
                }
                String given;
                try {
                    given = b.name();
                } catch (RuntimeException e) {
                    throw new IllegalStateException("backend provider " + p.getClass().getName() + " is named '" + p.name()
                            + "' but the backend its create(" + threads + ") returned (" + b.getClass().getName()
                            + ") failed in name(): " + e + "; return a backend whose name() is the provider's name() ('"
                            + p.name() + "')", e);
                }
                if (given == null || !key(given).equals(key(p.name()))) {
                    // the log, run summaries and model metadata report the backend's own name: a provider
                    // "acme" returning a scalar backend would be logged as "using 'scalar', requested by
                    // -Dbpnn.backend" when acme was asked for. Not shut down: a provider may have handed
                    // out a shared backend (Backends.get("scalar")), which others are still using.
                    throw new IllegalStateException("backend provider " + p.getClass().getName() + " is named '" + p.name()
                            + "' but its create(" + threads + ") returned a backend named " + (given == null ? "null" : "'" + given + "'")
                            + " (" + b.getClass().getName() + "); return a backend whose name() is the provider's name() ('"
                            + p.name() + "'), e.g. a wrapper that delegates the rest");
                }
                int reported = b.threads(); // thread counts size work splits and are reported in every run summary
                if (reported < 1) {
                    throw new IllegalStateException("backend '" + name + "' (" + b.getClass().getName() + ") reports threads() = "
                            + reported + " after create(" + threads + "); a backend uses at least 1 thread (the caller's): "
                            + "return 1 when it has no threads of its own");
                }
                return b;
            }
        }
        throw new UnknownBackend("unknown backend '" + name + "'. Known backends: " + describe()
                + "; use one of the available names");
    }

    /** A name no provider has; {@link #choose} adds the setting the name came from. */
    private static final class UnknownBackend extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UnknownBackend(String message) {
            super(message);
        }
    }

    /** A name whose provider is unavailable; {@link #choose} adds the setting the name came from. */
    private static final class UnavailableBackend extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        UnavailableBackend(String message) {
            super(message);
        }
    }

    private static Backend choose(int threads, String origin) {
        String requested = System.getProperty(PROPERTY);
        String source = "-D" + PROPERTY;
        if (requested == null || requested.isBlank()) {
            requested = System.getenv(ENV);
            source = ENV;
        }
        Backend chosen;
        String why;
        if (requested != null && !requested.isBlank()) {
            try {
                chosen = get(requested.trim(), threads, origin);
            } catch (UnknownBackend e) {
                // the name came from a setting, not from the caller's code: say which one to change
                throw new IllegalArgumentException(e.getMessage() + " (the name came from " + source + "; set it to one of"
                        + " them, or unset it for the best available)", e);
            } catch (UnavailableBackend e) {
                // likewise: a BPNN_BACKEND left set fails every get(), and the backend's reason alone would not say why
                throw new IllegalStateException(e.getMessage() + " (the name came from " + source + "; set it to an available"
                        + " one, or unset it for the best available)", e);
            }
            why = "requested by " + source;
        } else {
            chosen = null;
            why = null;
            StringBuilder skipped = new StringBuilder();
            for (BackendProvider p : providers()) {
                BackendProvider.Availability a = availabilityOf(p);
                if (a.available()) {
                    chosen = get(p.name(), threads, origin);
                    why = "highest-priority available backend" + (skipped.length() > 0 ? " (" + skipped + ")" : "");
                    break;
                }
                if (skipped.length() > 0) skipped.append("; ");
                skipped.append(p.name()).append(" unavailable: ").append(a.reason());
                // once, like the choice below: a search calling get(int) per trial would warn per trial
                String warning = "bpnn: backend '" + p.name() + "' is unavailable: " + a.reason();
                if (LOGGED.add(warning)) {
                    LOG.log(System.Logger.Level.WARNING, warning);
                }
            }
            if (chosen == null) {
                throw new IllegalStateException("no backend is available: " + describe());
            }
        }
        String line = "bpnn: using backend '" + chosen.name() + "' with " + chosen.threads() + " thread(s), " + why;
        if (LOGGED.add(line)) {
            LOG.log(System.Logger.Level.INFO, line);
        }
        return chosen;
    }

    /**
     * Threads from {@code bpnn.threads} (first) or {@code BPNN_THREADS}, else the available processors.
     *
     * @throws IllegalArgumentException when the setting is not a whole number &gt;= 1
     */
    public static int configuredThreads() {
        String source = configuredThreadsOrigin();
        if (source.isEmpty()) {
            return Runtime.getRuntime().availableProcessors();
        }
        String v = source.equals(THREADS_ENV) ? System.getenv(THREADS_ENV) : System.getProperty(THREADS_PROPERTY);
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

    /** The setting {@link #configuredThreads()} takes its count from: "-Dbpnn.threads", "BPNN_THREADS", or "" (the processors). */
    private static String configuredThreadsOrigin() {
        String v = System.getProperty(THREADS_PROPERTY);
        if (v != null && !v.isBlank()) {
            return "-D" + THREADS_PROPERTY;
        }
        v = System.getenv(THREADS_ENV);
        return v != null && !v.isBlank() ? THREADS_ENV : "";
    }

    /**
     * Every provider on one line, comma-separated, highest priority first: its name, priority, and
     * available or the reason it is not, e.g. {@code "simd (priority 100, available), scalar (priority 0, available)"}.
     */
    public static String describe() {
        StringBuilder sb = new StringBuilder();
        for (BackendProvider p : providers()) {
            if (sb.length() > 0) sb.append(", ");
            BackendProvider.Availability a = availabilityOf(p);
            sb.append(p.name()).append(" (priority ").append(p.priority()).append(", ")
                    .append(a.available() ? "available" : "unavailable: " + a.reason()).append(')');
        }
        return sb.toString();
    }

    private static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }
}
