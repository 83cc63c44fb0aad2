package org.bpnn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The quick suite's last line is JSON, like every ./bpnn run: its strings are escaped. */
class QuickSuiteTest {
    @Test
    void jsonStringsAreEscaped() {
        assertEquals("\"bench-results/a \\\"b\\\"\\\\c\\u000a\"", QuickSuite.jsonString("bench-results/a \"b\"\\c\n"));
        assertEquals("\"1,2\"", QuickSuite.jsonString("1,2"));
    }

    @Test
    void echoedArgumentsAreEscapedToStayOnOneLine() {
        // ./bpnn bench $'a\nb' printed "unknown argument 'a" and "b' (see --help)" on two lines
        assertEquals("a\\nb\\t\\u0007", QuickSuite.oneLine("a\nb\t\u0007"));
        assertEquals("1,2", QuickSuite.oneLine("1,2"));
    }

    @Test
    void helpNamesTheLauncherCommand() throws Exception {
        // it said "usage: quick-bench.sh ...", the script ./bpnn bench runs, not the command the user typed
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            QuickSuite.main(new String[] {"--help"});
        } finally {
            System.setOut(saved);
        }
        String help = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        String first = help.lines().findFirst().orElse("");
        assertEquals("usage: ./bpnn bench [--out DIR] [--threads N,...] [--scalar]  (or bpnn-bench/quick-bench.sh ...)", first);
        // "[--threads 1,2]" was all it said of the flag: not whose thread counts they are, nor that 1,2 is the default
        String flat = help.replaceAll("\\s+", " ");
        assertTrue(flat.contains(" --threads N,... the simd backend's thread counts to benchmark, separated by commas (default: 1,2) "),
                help);
    }

    @Test
    void scalarRunsAtOneThreadOnly() {
        // the scalar backend ignores its thread count, so --scalar --threads 1,2 ran each scalar case
        // twice and listed a "scalar | 2" row that measured nothing of two threads
        int scalarRuns = 0, simdRuns = 0;
        for (org.openjdk.jmh.runner.options.Options o : QuickSuite.plan(new String[] {"simd", "scalar"}, new String[] {"1", "2"})) {
            java.util.Collection<String> backends = o.getParameter("backend").get();
            java.util.Collection<String> threads = o.getParameter("threads").orElse(java.util.List.of("1"));
            if (backends.contains("scalar") && o.getParameter("threads").hasValue()) {
                scalarRuns++;
                assertEquals(java.util.List.of("scalar"), java.util.List.copyOf(backends), "scalar and simd share a run");
                assertEquals(java.util.List.of("1"), java.util.List.copyOf(threads), o.getIncludes().toString());
            } else if (backends.contains("simd") && o.getParameter("threads").hasValue()) {
                simdRuns++;
                assertEquals(java.util.List.of("1", "2"), java.util.List.copyOf(threads), o.getIncludes().toString());
            }
        }
        assertEquals(3, scalarRuns); // GEMM, train step, predict
        assertEquals(3, simdRuns);
    }

    @Test
    void aRepeatedThreadCountRunsOnce() {
        // JMH runs a repeated parameter value again: --threads 1,1 ran every case twice, two rows each
        org.junit.jupiter.api.Assertions.assertArrayEquals(new String[] {"1", "2"}, QuickSuite.threadCounts("1, 2,1,2"));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new String[] {"1", "", "2"}, QuickSuite.threadCounts("1,,2"));
    }

    @Test
    void theAllocationColumnIsBytesPerCallEvenWhenTheScoreIsPerElement() {
        // gc.alloc.rate.norm is per JMH operation, and ElementwiseBenchmark counts each element of a
        // call as one: 8 KB a call over 32,640 elements is 0.25 B/op, which the table printed as 0
        int elements = 128 * 255;
        String table = QuickSuite.markdown(java.util.List.of(
                result("org.bpnn.bench.kernels.ElementwiseBenchmark.forward", "op", "RELU", elements, 0.4, 8192.0 / elements),
                result("org.bpnn.bench.passes.PassBenchmark.trainStep", "net", "2-3-2-2@4", 1, 2.5e6, 24.0)));
        java.util.List<String> lines = table.lines().collect(java.util.stream.Collectors.toList());
        assertEquals(java.util.List.of("ElementwiseBenchmark.forward", "RELU", "ns/op", "8192"), cells(lines.get(2), 0, 3, 5, 7));
        // one operation a call: the figure as JMH gave it
        assertEquals(java.util.List.of("PassBenchmark.trainStep", "2-3-2-2@4", "ns/op", "24"), cells(lines.get(3), 0, 3, 5, 7));
        // the header says so: "B/op" next to a score in ns/op read as per element
        assertEquals("| benchmark | backend | threads | case | score | unit | GFLOP/s | alloc B/call | JDK |", lines.get(0));
    }

    /** The cells of a markdown table row at the given columns, stripped. */
    private static java.util.List<String> cells(String row, int... columns) {
        String[] all = row.substring(1, row.length() - 1).split("\\|", -1);
        java.util.List<String> picked = new java.util.ArrayList<>();
        for (int c : columns) picked.add(all[c].strip());
        return picked;
    }

    /**
     * A one-iteration AverageTime result of the benchmark (simd, one thread, the case parameter given),
     * as the quick suite's runs return it: score ns per operation, opsPerInvocation operations a call,
     * and the GC profiler's gc.alloc.rate.norm (bytes per operation).
     */
    private static org.openjdk.jmh.results.RunResult result(String benchmark, String caseParam, String caseValue,
            int opsPerInvocation, double nsPerOp, double allocNormBytesPerOp) {
        var workload = new org.openjdk.jmh.runner.WorkloadParams();
        workload.put("backend", "simd", 0);
        workload.put("threads", "1", 1);
        workload.put(caseParam, caseValue, 2);
        var warmup = new org.openjdk.jmh.infra.IterationParams(org.openjdk.jmh.runner.IterationType.WARMUP, 2,
                org.openjdk.jmh.runner.options.TimeValue.seconds(1), 1);
        var measurement = new org.openjdk.jmh.infra.IterationParams(org.openjdk.jmh.runner.IterationType.MEASUREMENT, 1,
                org.openjdk.jmh.runner.options.TimeValue.seconds(1), 1);
        var params = new org.openjdk.jmh.infra.BenchmarkParams(benchmark, benchmark + "_jmhTest", false, 1, new int[] {1},
                java.util.List.of(), 1, 0, warmup, measurement, org.openjdk.jmh.annotations.Mode.AverageTime, workload,
                java.util.concurrent.TimeUnit.NANOSECONDS, opsPerInvocation, "java", java.util.List.of(),
                "17", "vm", "17", "1.37", org.openjdk.jmh.runner.options.TimeValue.minutes(10));
        long ops = 1_000_000L * opsPerInvocation;
        var iteration = new org.openjdk.jmh.results.IterationResult(params, measurement,
                new org.openjdk.jmh.results.IterationResultMetaData(ops, ops));
        iteration.addResult(new org.openjdk.jmh.results.AverageTimeResult(org.openjdk.jmh.results.ResultRole.PRIMARY,
                benchmark, ops, (long) (nsPerOp * ops), java.util.concurrent.TimeUnit.NANOSECONDS));
        iteration.addResult(new org.openjdk.jmh.results.ScalarResult("gc.alloc.rate.norm", allocNormBytesPerOp, "B/op",
                org.openjdk.jmh.results.AggregationPolicy.AVG));
        return new org.openjdk.jmh.results.RunResult(params,
                java.util.List.of(new org.openjdk.jmh.results.BenchmarkResult(params, java.util.List.of(iteration))));
    }
}
