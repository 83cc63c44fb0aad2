package org.bpnn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Smoke check of the shaded benchmarks.jar (runs after packaging, in {@code mvn verify}): it lists the
 * benchmarks, and one benchmark runs a single very short iteration. Nothing is timed.
 */
class BenchmarksJarIT {
    private static final Path JAR = Path.of("target", "benchmarks.jar");

    private static String run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules=jdk.incubator.vector");
        cmd.add("-Djmh.ignoreLock=true"); // a smoke run times nothing; another JMH run may hold the lock
        cmd.add("-jar");
        cmd.add(JAR.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "benchmarks.jar did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        return text;
    }

    /** The quick suite (QuickSuite, as ./bpnn bench runs it) with bad arguments: exit code and stderr. */
    private static String[] quickSuiteFails(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-cp", JAR.toString(), "org.bpnn.bench.QuickSuite"));
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("quick-suite", ".err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "QuickSuite did not finish");
        String e = Files.readString(err).lines().filter(l -> !l.startsWith("WARNING: Using incubator modules"))
                .reduce((a, b) -> a + "\n" + b).orElse("");
        Files.delete(err);
        return new String[] {String.valueOf(p.exitValue()), e};
    }

    @Test
    void quickSuiteRefusesBadArgumentsBeforeRunningAnything() throws Exception {
        // "," left no thread counts, so JMH's defaults ran; " 2" passed the check and failed in a fork
        for (String threads : new String[] {",", "1,,2", "0"}) {
            String[] r = quickSuiteFails("--threads", threads);
            assertEquals("2", r[0], threads + ": " + r[1]);
            assertTrue(r[1].startsWith("bpnn bench: error: ") && !r[1].contains("\n"), threads + ": " + r[1]);
        }
        // an --out that cannot be a directory failed only after the whole suite, with a stack trace
        Path file = Files.createTempFile("quick-suite", ".not-a-dir");
        try {
            String[] r = quickSuiteFails("--threads", "1", "--out", file.toString());
            assertEquals("2", r[0], r[1]);
            assertTrue(r[1].startsWith("bpnn bench: error: cannot create the output directory " + file), r[1]);
            assertTrue(!r[1].contains("\n"), r[1]);
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void listsTheBenchmarks() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " missing: package the module first");
        String list = run("-l");
        for (String b : new String[] {"GemmBenchmark.gemm", "PassBenchmark.trainStep", "PassBenchmark.forward",
                "PassBenchmark.backward", "PredictBenchmark.predictInto", "ElementwiseBenchmark"}) {
            assertTrue(list.contains(b), "missing " + b + " in:\n" + list);
        }
    }

    @Test
    void oneBenchmarkRunsOneShortIteration() throws Exception {
        String out = run("PassBenchmark.trainStep", "-p", "backend=simd", "-p", "threads=1", "-p", "net=2-3-2-2@4",
                "-f", "1", "-wi", "0", "-i", "1", "-r", "100ms", "-foe", "true");
        assertTrue(out.contains("PassBenchmark.trainStep"), out);
        assertTrue(out.contains("Result \"org.bpnn.bench.passes.PassBenchmark.trainStep\""), out);
    }
}
