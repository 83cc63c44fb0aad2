package org.bpnn.examples.backends;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.bpnn.backend.Backend;
import org.bpnn.backend.BackendProvider;
import org.bpnn.backend.Backends;
import org.bpnn.examples.Jdk;
import org.bpnn.examples.LibraryLog;
import org.bpnn.examples.Summary;
import picocli.CommandLine.Command;

/** Lists the discovered backends, which one is chosen and why any is unavailable. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List the discovered compute backends, which one is chosen, and why any is unavailable.")
public final class BackendsCommand implements Callable<Integer> {

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
        System.out.println("chosen: " + chosen.name() + " with " + chosen.threads() + " thread(s), " + chosen
                + " (override with -Dbpnn.backend=NAME or BPNN_BACKEND=NAME; threads with BPNN_THREADS)");
        System.out.println(new Summary("backends").put("backend", chosen.name()).put("threads", chosen.threads())
                .put("jdk", Jdk.version()).put("available", Backends.describe()).toJson());
        return 0;
    }
}
