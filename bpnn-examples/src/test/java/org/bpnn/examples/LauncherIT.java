package org.bpnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./bpnn launcher end to end, after the jar is packaged (failsafe, in mvn verify): help, a bad
 * flag, a missing data directory, running out of memory, and a short run ending in its JSON line.
 */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("..", "bpnn").toAbsolutePath().normalize();

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    private static Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(LAUNCHER.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("BPNN_NO_BUILD", "1"); // the jar was just packaged; never rebuild inside a test
        Path err = Files.createTempFile("bpnn-launcher", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "launcher did not finish");
        String e = Files.readString(err);
        Files.delete(err);
        return new Run(p.exitValue(), out, e);
    }

    /** stderr without the JVM's incubator notice and the INFO log lines naming the backend and vector width. */
    private static List<String> errorLines(String err) {
        return err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules") && !l.startsWith("INFO: ")).toList();
    }

    @Test
    void helpListsTheSubcommands() throws Exception {
        Run r = run("--help");
        assertEquals(0, r.code(), r.err());
        for (String sub : new String[] {"fashion-mnist", "seed", "xor", "sine", "imbalanced", "train", "predict", "inspect", "backends", "bench"}) {
            assertTrue(r.out().contains(sub), "missing " + sub + " in " + r.out());
        }
    }

    @Test
    void backendsNamesTheChoiceOnceWithoutTheLogLines() throws Exception {
        Run r = run("backends");
        assertEquals(0, r.code(), r.err());
        // the INFO lines repeated the "chosen" line; the vector width they gave is now on it
        assertFalse(r.err().contains("INFO"), r.err());
        assertTrue(r.out().contains("chosen: simd with ") && r.out().contains("vectors="), r.out());
    }

    @Test
    void backendsHintWorksAsItSays() throws Exception {
        // what `backends` prints as the ways to choose, through the launcher: both variables, both
        // properties in BPNN_JAVA_OPTS, a property winning over its variable; a -D word after the
        // subcommand (which the old hint suggested) is refused
        assertTrue(run(Map.of("BPNN_BACKEND", "scalar"), "backends").out().contains("chosen: scalar with 1 thread(s)"));
        assertTrue(run(Map.of("BPNN_THREADS", "1"), "backends").out().contains("chosen: simd with 1 thread(s)"));
        Run props = run(Map.of("BPNN_BACKEND", "simd", "BPNN_THREADS", "2",
                "BPNN_JAVA_OPTS", "-Dbpnn.backend=scalar -Dbpnn.threads=1"), "backends");
        assertTrue(props.out().contains("chosen: scalar with 1 thread(s)"), props.out() + props.err());
        Run threads = run(Map.of("BPNN_THREADS", "2", "BPNN_JAVA_OPTS", "-Dbpnn.threads=1"), "backends");
        assertTrue(threads.out().contains("chosen: simd with 1 thread(s)"), threads.out() + threads.err());
        Run after = run("backends", "-Dbpnn.backend=scalar");
        assertEquals(2, after.code(), after.out());
        assertTrue(after.err().contains("Unknown option: '-Dbpnn.backend=scalar'"), after.err());
    }

    @Test
    void badFlagIsOneLineAndExitTwo() throws Exception {
        Run r = run("xor", "--frobnicate");
        assertEquals(2, r.code());
        assertEquals(List.of("bpnn: error: Unknown option: '--frobnicate' (see: ./bpnn xor --help)"), errorLines(r.err()));
    }

    @Test
    void bpnnDebugPrintsTheStackTraceAndAnEmptyOneCountsAsUnset() throws Exception {
        Run debug = run(Map.of("BPNN_DEBUG", "1"), "xor", "--hidden", "0");
        assertEquals(1, debug.code(), debug.err());
        assertTrue(debug.err().contains("\tat org.bpnn.examples.xor.XorCommand.call"), debug.err());
        // as an empty BPNN_DATA, BPNN_BACKEND or BPNN_THREADS (and BPNN_NO_BUILD in the launcher): it printed the trace
        Run empty = run(Map.of("BPNN_DEBUG", ""), "xor", "--hidden", "0");
        assertEquals(1, empty.code(), empty.err());
        assertEquals(1, errorLines(empty.err()).size(), empty.err());
        assertTrue(errorLines(empty.err()).get(0).startsWith("bpnn: error: --hidden must be in 1..1000000, got 0;"), empty.err());
        for (String off : new String[] {"0", "false"}) { // both printed the trace
            Run r = run(Map.of("BPNN_DEBUG", off), "xor", "--hidden", "0");
            assertEquals(1, r.code(), r.err());
            assertEquals(1, errorLines(r.err()).size(), "BPNN_DEBUG=" + off + ": " + r.err());
        }
    }

    @Test
    void badActivationIsOneLineWithoutTheBackendsLog() throws Exception {
        // checked after the backend was created, so its two INFO lines came before the error
        Run r = run("xor", "--activation", "swish");
        assertEquals(1, r.code(), r.err());
        assertEquals(List.of("bpnn: error: unknown --activation 'swish'; expected sigmoid, tanh, relu, leaky_relu or identity; swish is"
                + " not built in: implement Activation (see its class comment); model files hold the built-in activations only"),
                r.err().lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList());
    }

    @Test
    void aBadModelFileForPredictIsOneLineWithoutTheBackendsLog(@TempDir Path dir) throws Exception {
        // read after the backend was created, so its two INFO lines came before the error
        Path model = Files.writeString(dir.resolve("model.bpnn"), "not a model\n");
        Path input = Files.writeString(dir.resolve("x.csv"), "1,2\n");
        Run r = run("predict", "--model", model.toString(), "--input", input.toString());
        assertEquals(1, r.code(), r.err());
        List<String> lines = r.err().lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("bpnn: error: " + model), lines.get(0));
    }

    @Test
    void missingDataIsOneLineNamingTheFiles() throws Exception {
        Run r = run("fashion-mnist", "--data", "/nonexistent/fashion", "--epochs", "1");
        assertEquals(1, r.code());
        List<String> lines = errorLines(r.err());
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("bpnn: error: "), lines.get(0));
        assertTrue(lines.get(0).contains("train-images-idx3-ubyte"), lines.get(0));
    }

    @Test
    void dataMissingFromBpnnDataSaysBpnnDataChoseTheDirectory() throws Exception {
        // the message named only the path and said to install the package, which BPNN_DATA would still override
        Run r = run(Map.of("BPNN_DATA", "/nonexistent/fashion"), "fashion-mnist", "--epochs", "1");
        assertEquals(1, r.code(), r.err());
        List<String> lines = errorLines(r.err());
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).endsWith(" BPNN_DATA chose /nonexistent/fashion: unset it to use /usr/share/datasets/fashion-mnist, "
                + "or point it (or --data) at the four files."), lines.get(0));
    }

    @Test
    void threadsFlagOverridesBpnnThreads() throws Exception {
        // the default backend was still created from BPNN_THREADS first: a bad value failed the run, and
        // a good one was logged ("using backend 'simd' with 3 thread(s)") although the run used --threads
        Run bad = run(Map.of("BPNN_THREADS", "abc"), "xor", "--epochs", "10", "--threads", "1");
        assertEquals(0, bad.code(), bad.err());
        Run other = run(Map.of("BPNN_THREADS", "3"), "xor", "--epochs", "10", "--threads", "1");
        assertEquals(0, other.code(), other.err());
        assertTrue(!other.err().contains("3 thread(s)"), other.err());
        assertTrue(other.out().contains("\"threads\":1,"), other.out());
    }

    @Test
    void aThreadCountTheBackendRefusesNamesBpnnThreads() throws Exception {
        // "backend 'simd' refused 5000 thread(s): ..." did not say that BPNN_THREADS had set the count
        Run r = run(Map.of("BPNN_THREADS", "5000"), "xor", "--epochs", "1");
        assertEquals(1, r.code(), r.err());
        List<String> lines = errorLines(r.err());
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("bpnn: error: backend 'simd' refused 5000 thread(s) from BPNN_THREADS: threads must be in "
                + "[1, 1024], got 5000;"), lines.get(0));
        assertTrue(lines.get(0).endsWith("; set BPNN_THREADS to another count"), lines.get(0));
    }

    @Test
    void theLauncherRunsTheThroughputCollectorUnlessBpnnJavaOptsPicksOne() throws Exception {
        Run dflt = run(Map.of("BPNN_JAVA_OPTS", "-XX:+PrintCommandLineFlags"), "backends");
        assertEquals(0, dflt.code(), dflt.err());
        assertTrue(dflt.out().contains("-XX:+UseParallelGC"), dflt.out());
        // a collector of the user's: the launcher adds none, or the JVM would refuse the two
        Run g1 = run(Map.of("BPNN_JAVA_OPTS", "-XX:+PrintCommandLineFlags -XX:+UseG1GC"), "backends");
        assertEquals(0, g1.code(), g1.err());
        assertTrue(g1.out().contains("-XX:+UseG1GC") && !g1.out().contains("UseParallelGC"), g1.out());
        // options that only start with -XX:+Use and end with GC across two words pick no collector: the
        // launcher's pattern spanned words, so these ran under the JVM's default G1
        Run notACollector = run(Map.of("BPNN_JAVA_OPTS", "-XX:+PrintCommandLineFlags -XX:+UseNUMA -XX:+DisableExplicitGC"), "backends");
        assertEquals(0, notACollector.code(), notACollector.err());
        assertTrue(notACollector.out().contains("-XX:+UseParallelGC"), notACollector.out());
    }

    @Test
    void outOfMemoryIsOneLine() throws Exception {
        // a real OutOfMemoryError in a small heap: it used to escape picocli as a stack trace
        Run r = run(Map.of("BPNN_JAVA_OPTS", "-Xmx40m"), "xor", "--hidden", "1000000", "--epochs", "1", "--threads", "1");
        assertEquals(1, r.code(), r.err());
        List<String> lines = errorLines(r.err());
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("bpnn: error: out of memory (Java heap space, with a maximum heap of "), lines.get(0));
        assertTrue(lines.get(0).contains("BPNN_JAVA_OPTS=-Xmx"), lines.get(0));
        // xor's own flag only: it has no --batch-size to lower
        assertTrue(lines.get(0).contains(" MiB); lower --hidden, or raise the heap"), lines.get(0));
    }

    @Test
    void aThirdPartyBackendJoinsThroughBpnnClasspath(@TempDir Path dir) throws Exception {
        Path services = dir.resolve("META-INF/services/org.bpnn.backend.BackendProvider");
        Files.createDirectories(services.getParent());
        Files.writeString(services, AcmeBackendProvider.class.getName() + "\n");
        // the provider class is in this module's test classes, its service entry in the temporary directory
        String cp = Path.of("target", "test-classes").toAbsolutePath() + java.io.File.pathSeparator + dir;
        Run listed = run(Map.of("BPNN_CLASSPATH", cp), "backends");
        assertEquals(0, listed.code(), listed.err());
        assertTrue(listed.out().contains("acme"), listed.out());
        Run r = run(Map.of("BPNN_CLASSPATH", cp), "xor", "--epochs", "200", "--backend", "acme");
        assertEquals(0, r.code(), r.err());
        String last = r.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.contains("\"backend\":\"acme\""), last);
    }

    /**
     * Nothing on standard error but the incubator notice and the INFO lines, on the JDK running this test
     * (JAVA_HOME=... mvn verify runs it on another): a dependency calling sun.misc.Unsafe's memory access
     * prints four WARNING lines from JDK 24 on, a restricted (native) method one from JDK 22 on, and a
     * deprecated or removed -XX flag of the launcher's a VM warning. sine touches the most: the backend,
     * training, Jackson (the model file) and JFreeChart (the PNG).
     */
    @Test
    void aRunPrintsNoOtherWarningOnStandardError(@TempDir Path dir) throws Exception {
        Run r = run("sine", "--epochs", "2", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(), errorLines(r.err()), r.err());
    }

    @Test
    void theJvmsLogWarningsGoToStandardErrorAndAnXlogOfTheUsersWins() throws Exception {
        // unified logging prints its warnings on standard output by default: "[0.001s][warning][pagesize]
        // UseLargePages disabled, no large pages configured ..." came before the seed's first line. A machine
        // with large pages configured prints no such warning, so a selection that matches no tag set is
        // logged too: "[warning][logging] No tag set matches selection: pagesize+jfr" on every machine, on
        // JDK 17 and 25, which makes this part check where a warning goes wherever it runs.
        Run r = run(Map.of("BPNN_JAVA_OPTS", "-XX:+UseLargePages -Xlog:pagesize+jfr"), "seed");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("The seed note's network"), r.out());
        assertFalse(r.out().contains("[warning]"), r.out());
        assertTrue(r.err().contains("[warning][logging] No tag set matches selection: pagesize+jfr"),
                "expected the JVM's warning for -Xlog:pagesize+jfr on standard error, which has: " + r.err()
                        + "; a JDK with a pagesize+jfr tag set does not warn: give this test a selection that matches none");
        // an -Xlog in BPNN_JAVA_OPTS comes after the launcher's: the user's choice of standard output stands
        Run gc = run(Map.of("BPNN_JAVA_OPTS", "-Xlog:gc"), "backends");
        assertEquals(0, gc.code(), gc.err());
        assertTrue(gc.out().contains("[info][gc] Using Parallel"), gc.out());
    }

    @Test
    void xorEndsWithAJsonLine() throws Exception {
        Run r = run("xor", "--epochs", "2000");
        assertEquals(0, r.code(), r.err());
        String last = r.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("{\"example\":\"xor\""), last);
        assertTrue(last.contains("\"train_accuracy\":1"), last);
    }
}
