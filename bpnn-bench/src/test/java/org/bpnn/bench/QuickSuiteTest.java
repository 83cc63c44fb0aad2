package org.bpnn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        String first = buf.toString(java.nio.charset.StandardCharsets.UTF_8).lines().findFirst().orElse("");
        assertEquals("usage: ./bpnn bench [--out DIR] [--threads 1,2] [--scalar]  (or bpnn-bench/quick-bench.sh ...)", first);
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
}
