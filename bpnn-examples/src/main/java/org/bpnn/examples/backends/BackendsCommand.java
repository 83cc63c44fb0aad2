package org.bpnn.examples.backends;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.bpnn.backend.Backend;
import org.bpnn.backend.BackendProvider;
import org.bpnn.backend.Backends;
import org.bpnn.examples.LibraryLog;
import org.bpnn.examples.Summary;
import picocli.CommandLine.Command;

/** Lists the discovered backends, which one is chosen and why any is unavailable. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List the discovered compute backends, which one is chosen, and why any is unavailable.")
public final class BackendsCommand implements Callable<Integer> {
    /**
     * How to choose another backend or thread count, in every way that works. For ./bpnn the -D properties
     * go in BPNN_JAVA_OPTS: they cannot follow ./bpnn (picocli refuses them as unknown options: the
     * launcher hands only BPNN_JAVA_OPTS to the JVM). This command has no
     * --backend or --threads of its own: the chosen line shows what a training run would get by default.
     */
    static final String HOW_TO_CHOOSE = String.join(System.lineSeparator(),
            "to choose: " + Backends.ENV + "=NAME and " + Backends.THREADS_ENV + "=N in the environment (./bpnn and java alike),",
            "  or -D" + Backends.PROPERTY + "=NAME and -D" + Backends.THREADS_PROPERTY + "=N, which win over them (./bpnn takes them in",
            "  BPNN_JAVA_OPTS, java before -jar or the main class); --backend NAME and --threads N on a",
            "  subcommand that has them (./bpnn SUBCOMMAND --help) win over both");

    @Override
    public Integer call() throws IOException {
        System.out.printf("%-10s %-9s %s%n", "backend", "priority", "status");
        for (BackendProvider p : Backends.providers()) {
            BackendProvider.Availability a = Backends.availabilityOf(p);
            System.out.printf("%-10s %-9d %s%n", p.name(), p.priority(), a.available() ? "available" : "unavailable: " + a.reason());
        }
        // The backends' INFO lines (vector width, backend chosen) are left out: they repeated the
        // "chosen" line below, which names the instance (the simd backend's vector width) itself.
        Backend chosen = LibraryLog.withoutInfo(Backends::get);
        System.out.println("chosen: " + chosen.name() + " with " + chosen.threads() + " thread(s), " + chosen);
        System.out.println(HOW_TO_CHOOSE);
        System.out.println(new Summary("backends", chosen).put("available", Backends.describe()).toJson());
        return 0;
    }
}
