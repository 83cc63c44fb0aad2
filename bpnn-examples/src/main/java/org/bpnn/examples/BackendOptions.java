package org.bpnn.examples;

import org.bpnn.backend.Backend;
import org.bpnn.backend.Backends;
import picocli.CommandLine.Option;

/** The --backend and --threads flags every training example shares. */
public final class BackendOptions {
    @Option(names = "--backend", paramLabel = "NAME",
            description = "Compute backend: simd or scalar (default: the best available; see `bpnn backends`).")
    String backend;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the backend's large operations (default: all available processors).")
    Integer threads;

    /** The chosen backend. */
    public Backend resolve() {
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        int t = threads == null ? Backends.configuredThreads() : threads;
        if (backend == null) {
            Backend chosen = Backends.get();
            return chosen.threads() == t ? chosen : Backends.get(chosen.name(), t);
        }
        return Backends.get(backend, t);
    }
}
