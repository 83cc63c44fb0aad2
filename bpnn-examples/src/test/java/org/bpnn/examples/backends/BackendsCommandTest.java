package org.bpnn.examples.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bpnn.examples.Cli;
import org.junit.jupiter.api.Test;

/** ./bpnn backends: the table, the chosen backend, how to choose another, then the JSON line. */
class BackendsCommandTest {
    @Test
    void theHintNamesEveryWayToChooseAndWhereEachGoes() {
        Cli.Result r = Cli.run(0, "backends");
        List<String> lines = r.out().strip().lines().toList();
        int chosen = lines.indexOf(lines.stream().filter(l -> l.startsWith("chosen: ")).findFirst().orElseThrow());
        // It said "override with -Dbpnn.backend=NAME or BPNN_BACKEND=NAME; threads with BPNN_THREADS":
        // no -Dbpnn.threads, and a -D option cannot follow ./bpnn (picocli refuses it as an unknown
        // option); the launcher passes JVM options only from BPNN_JAVA_OPTS.
        assertTrue(lines.size() >= chosen + 6, "no hint after the chosen line: " + r.out());
        assertEquals(List.of(
                "to choose: BPNN_BACKEND=NAME and BPNN_THREADS=N in the environment (./bpnn and java alike),",
                "  or -Dbpnn.backend=NAME and -Dbpnn.threads=N, which win over them (./bpnn takes them in",
                "  BPNN_JAVA_OPTS, java before -jar or the main class); --backend NAME and --threads N on a",
                "  subcommand that has them (./bpnn SUBCOMMAND --help) win over both"),
                lines.subList(chosen + 1, chosen + 5), r.out());
        assertEquals(lines.size() - 1, chosen + 5, "the JSON line comes right after the hint: " + r.out());
        assertTrue(r.lastLine().startsWith("{\"example\":\"backends\""), r.lastLine());
    }

    @Test
    void theReadmeSaysTheSame() throws IOException {
        // the README's "Picking a backend" is the longer form of the hint: the same settings, the same
        // way through the launcher, the same order of precedence
        String readme = Files.readString(Path.of("..", "README.md"));
        int from = readme.indexOf("## Picking a backend");
        String section = readme.substring(from, readme.indexOf("\n## ", from + 1));
        for (String s : new String[] {"`-Dbpnn.backend=scalar`", "`BPNN_BACKEND=scalar`", "`-Dbpnn.threads=N`", "`BPNN_THREADS=N`",
                "`BPNN_JAVA_OPTS", "before `-jar` or the main class", "win over", "`--backend`", "`--threads`"}) {
            assertTrue(section.contains(s), "README's \"Picking a backend\" does not say " + s);
        }
    }
}
