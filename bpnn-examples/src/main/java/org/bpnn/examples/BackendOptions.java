package org.bpnn.examples;

import java.util.stream.Collectors;
import org.bpnn.backend.Backend;
import org.bpnn.backend.BackendProvider;
import org.bpnn.backend.Backends;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The --backend and --threads flags every training example shares. */
public final class BackendOptions {
    /** The command this is mixed into (its error stream takes the warning); null when used on its own. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Compute backend: simd, scalar or a third-party one added with BPNN_CLASSPATH (default: $BPNN_BACKEND, else the best available; see `bpnn backends`).")
    String backend;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the backend's large operations (default: $BPNN_THREADS, else all available processors).")
    Integer threads;

    /** The chosen backend. */
    public Backend resolve() {
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        Backend b;
        if (backend == null && threads == null) {
            b = Backends.get();
        } else if (backend == null) {
            // not Backends.get(): it creates the default backend with BPNN_THREADS first (failing on a bad
            // value the flag overrides) and logs that thread count, not this one
            b = fromFlag(() -> Backends.get(threads.intValue()));
        } else {
            boolean known = Backends.providers().stream().anyMatch(p -> p.name().equalsIgnoreCase(backend.strip()));
            if (!known) {
                // Backends' own message names neither the flag that was used nor ./bpnn backends
                throw new IllegalArgumentException("unknown --backend '" + backend + "'; expected one of "
                        + Backends.providers().stream().map(BackendProvider::name).collect(Collectors.joining(", "))
                        + " (./bpnn backends shows which are available here)");
            }
            // without --threads, Backends.get(name) names -Dbpnn.threads / BPNN_THREADS if the backend refuses the count
            b = threads == null ? Backends.get(backend) : fromFlag(() -> Backends.get(backend, threads));
        }
        if (threads != null && b.threads() < threads) {
            warn("the " + b.name() + " backend runs on " + b.threads() + " thread(s); --threads " + threads + " does not apply to it");
        }
        return b;
    }

    /**
     * get() with the --threads count, a backend's refusal of the count naming the flag (Backends
     * wraps a provider's IllegalArgumentException, the cause, in its "backend 'simd' refused 5000
     * thread(s): ..."; its other IllegalArgumentExceptions have no cause).
     */
    private Backend fromFlag(java.util.function.Supplier<Backend> get) {
        try {
            return get.get();
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof IllegalArgumentException) {
                throw new IllegalArgumentException("--threads " + threads + ": " + e.getMessage() + "; choose another --threads", e);
            }
            throw e;
        }
    }

    private void warn(String message) {
        java.io.PrintWriter err = mixee != null ? mixee.commandLine().getErr() : new java.io.PrintWriter(System.err, true);
        err.println("bpnn: warning: " + Errors.oneLine(message));
        err.flush();
    }
}
