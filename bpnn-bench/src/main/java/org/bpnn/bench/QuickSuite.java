package org.bpnn.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.UnCloseablePrintStream;
import org.openjdk.jmh.util.Utils;

/**
 * The quick suite: a chosen subset of the benchmarks in a few minutes, written as JMH JSON and as a
 * markdown table (benchmark, backend, threads, case, score, unit, GFLOP/s where it applies, bytes
 * allocated per call of the benchmark method, JDK), so two machines or two JDKs can be compared.
 *
 * <p>How to run: {@code ./bpnn bench} or {@code bpnn-bench/quick-bench.sh [--out DIR] [--threads N,...]
 * [--scalar]}; {@code --help} prints the resource quick-bench-usage.txt beside this class. One fork per
 * case, 2 x 1 s warm-up (5 x 1 s for the training step, 4 x 1 s for predict, whose many kernels take
 * longer to reach C2), 3 x 1 s measurement: enough to compare, not to publish; use the full benchmarks
 * (3 forks) for figures that matter.
 */
public final class QuickSuite {
    private QuickSuite() {}

    public static void main(String[] args) throws RunnerException, IOException {
        Path out = null;
        String threads = "1,2";
        boolean scalar = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out": out = Path.of(value(args, ++i, "--out")); break;
                case "--threads": threads = value(args, ++i, "--threads"); break;
                case "--scalar": scalar = true; break;
                case "-h": case "--help":
                    // quick-bench.sh prints it before this runs (no jar to build for a static text); here for a
                    // direct java -cp benchmarks.jar run
                    System.out.print(usage());
                    return;
                default:
                    System.err.println("bpnn bench: error: unknown argument '" + oneLine(args[i]) + "' (see: ./bpnn bench --help)");
                    System.exit(2);
            }
        }
        String[] threadList = threadCounts(threads);
        for (String t : threadList.length == 0 ? new String[] {""} : threadList) { // "," left none: JMH's defaults ran
            if (!t.matches("[1-9][0-9]{0,3}")) {
                System.err.println("bpnn bench: error: --threads takes thread counts >= 1 separated by commas, e.g. 1,2; got '"
                        + oneLine(threads) + "'");
                System.exit(2);
            }
        }
        if (out == null) {
            out = Path.of("bench-results", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        String[] backends = scalar ? new String[] {"simd", "scalar"} : new String[] {"simd"};
        threads = String.join(",", threadList);
        // the output directory first: an --out that cannot be a directory failed only after the
        // whole suite had run, with a stack trace, and the results were lost
        boolean existed = Files.isDirectory(out);
        try {
            Files.createDirectories(out);
        } catch (IOException | RuntimeException e) {
            System.err.println("bpnn bench: error: cannot create the output directory " + out + ": " + firstLine(e));
            System.exit(2);
        }
        List<RunResult> results = new ArrayList<>();
        try {
            runAll(results, backends, threadList);
        } catch (RunnerException e) {
            // JMH leaves a failed benchmark out of its results: a table without it looked complete
            System.err.println("bpnn bench: error: a benchmark failed, so no results were written: "
                    + firstLine(e.getCause() != null ? e.getCause() : e));
            if (!existed) {
                try {
                    Files.deleteIfExists(out); // only if still empty
                } catch (IOException ignored) {
                    // left behind, empty
                }
            }
            System.exit(1);
        }
        Path json = out.resolve("results.json");
        String table = markdown(results);
        try {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, json.toString()).writeOut(results);
            Files.writeString(out.resolve("results.md"), table, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            System.err.println("bpnn bench: error: cannot write the results to " + out + ": " + firstLine(e));
            System.exit(1);
        }
        PrintStream o = System.out;
        o.println();
        o.print(table);
        o.println("\nwritten: " + json + " and " + out.resolve("results.md"));
        // like every ./bpnn run, one JSON line last, for scripts
        o.println("{\"example\":\"bench\",\"jdk\":" + jsonString(System.getProperty("java.version")) + ",\"threads\":"
                + jsonString(threads) + ",\"benchmarks\":" + results.size() + ",\"results\":" + jsonString(json.toString())
                + ",\"table\":" + jsonString(out.resolve("results.md").toString()) + "}");
    }

    /**
     * The --help text: quick-bench-usage.txt beside this class, which quick-bench.sh prints itself, from the
     * source tree, before it builds the jar this class is in. It names the launcher, ./bpnn bench, which
     * runs this through quick-bench.sh, an implementation detail.
     */
    static String usage() throws IOException {
        try (java.io.InputStream in = QuickSuite.class.getResourceAsStream("quick-bench-usage.txt")) {
            if (in == null) {
                throw new IllegalStateException("quick-bench-usage.txt is missing beside " + QuickSuite.class.getName()
                        + " in its jar; rebuild the benchmarks jar (mvn -q package -DskipTests -pl bpnn-bench -am)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The first line of an exception's class and message (a distinct name: {@link #oneLine(String)} escapes instead). */
    private static String firstLine(Throwable e) {
        return String.valueOf(e).lines().findFirst().orElse("");
    }

    /**
     * s with its control characters escaped (backslash n, r, t, else backslash u and four hex digits),
     * so that an error echoing a value stays one line (as the examples' Errors.oneLine).
     */
    static String oneLine(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else sb.append(c);
            }
        }
        return sb.toString();
    }

    /** s as a JSON string literal. */
    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                default:
                    if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static void runAll(List<RunResult> results, String[] backends, String[] threadList) throws RunnerException {
        // JMH's report as Runner(Options) prints it (System.out, the console's encoding, normal
        // verbosity, a stream each Runner's close leaves open), through ForkNoticeFilter: every fork
        // printed the JVM's incubator notice into it
        ForkNoticeFilter filter = new ForkNoticeFilter(System.out);
        PrintStream report;
        try {
            report = new UnCloseablePrintStream(filter, Utils.guessConsoleEncoding());
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e); // a Charset given, not a name: never thrown
        }
        OutputFormat format = OutputFormatFactory.createFormatInstance(report, VerboseMode.NORMAL);
        try {
            for (Options o : plan(backends, threadList)) {
                results.addAll(new Runner(o, format).run());
            }
        } finally {
            report.flush();
            try {
                filter.close(); // a held partial line, if the report ended inside one
            } catch (IOException e) {
                // System.out does not throw; nothing to report it on
            }
        }
    }

    /**
     * The suite's JMH runs, in order. The scalar backend runs at one thread whatever --threads says: it
     * ignores its thread count (ScalarBackendProvider), so at 2 it ran the one-thread code again, a
     * minute of duplicate forks and "scalar | 2" rows that measured nothing of two threads.
     */
    static List<Options> plan(String[] backends, String[] threadList) {
        List<Options> runs = new ArrayList<>();
        for (String be : backends) {
            runs.add(base("kernels.GemmBenchmark")
                    .param("backend", be).param("threads", threadsOf(be, threadList))
                    .param("shape", "NT_128x256x784", "TN_256x784x128", "NN_128x256x128", "NT_128x10x128", "NN_512x512x512")
                    .build());
        }
        for (String be : backends) {
            runs.add(base("passes.PassBenchmark.trainStep").warmupIterations(5)
                    .param("backend", be).param("threads", threadsOf(be, threadList))
                    .param("net", "2-3-2-2@4", "784-256-128-10@128")
                    .build());
        }
        for (String be : backends) {
            runs.add(base("passes.PredictBenchmark").warmupIterations(4)
                    .param("backend", be).param("threads", threadsOf(be, threadList))
                    .build());
        }
        // op is a parameter of forward and backward only (ElementwiseBenchmark.OpState): the softmax
        // benchmarks run once each, not once per op
        runs.add(base("kernels.ElementwiseBenchmark.(forward|backward|softmax10|softmaxWide)")
                .param("backend", backends).param("op", "SIGMOID", "RELU")
                .build());
        return runs;
    }

    private static String[] threadsOf(String backend, String[] threadList) {
        return backend.equals("scalar") ? new String[] {"1"} : threadList;
    }

    /**
     * The --threads values, stripped (JMH parses them as given, so "1, 2" passed the check and failed in
     * the fork) and each once: JMH runs a repeated value again, so "1,1" ran every case twice and listed
     * it twice in the table.
     */
    static String[] threadCounts(String threads) {
        return Arrays.stream(threads.split(",")).map(String::strip).distinct().toArray(String[]::new);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            System.err.println("bpnn bench: error: " + flag + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    private static ChainedOptionsBuilder base(String include) {
        return new OptionsBuilder()
                .include("org\\.bpnn\\.bench\\." + include.replace(".", "\\.") + "($|\\.)")
                .forks(1)
                .warmupIterations(2).warmupTime(TimeValue.seconds(1))
                .measurementIterations(3).measurementTime(TimeValue.seconds(1))
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .jvmArgsAppend(BenchJvm.VECTOR, BenchJvm.LINE_ALIGNED);
    }

    /** The results as a markdown table. */
    static String markdown(Collection<RunResult> results) {
        StringBuilder sb = new StringBuilder();
        String jdk = System.getProperty("java.version");
        sb.append("| benchmark | backend | threads | case | score | unit | GFLOP/s | alloc B/call | JDK |\n");
        sb.append("| --- | --- | --- | --- | ---: | --- | ---: | ---: | --- |\n");
        for (RunResult r : results) {
            var params = r.getParams();
            String name = params.getBenchmark().replaceFirst("^org\\.bpnn\\.bench\\.(kernels|passes)\\.", "");
            String backend = param(params, "backend");
            String threads = param(params, "threads");
            String kase = firstNonEmpty(param(params, "shape"), param(params, "net"), param(params, "op"));
            Result<?> primary = r.getPrimaryResult();
            // JMH declares the map's values raw (Map<String, Result>): each is read into a Result<?>,
            // so no raw type is spelt here (javac's rawtypes lint).
            Result<?> gflop = r.getSecondaryResults().get("gflop");
            Result<?> allocNorm = r.getSecondaryResults().get("gc.alloc.rate.norm");
            String gflops = "";
            if (gflop != null) {
                gflops = String.format(Locale.ROOT, "%.1f", gflop.getScore());
            }
            String alloc = "";
            if (allocNorm != null) {
                // gc.alloc.rate.norm is per operation, and JMH counts @OperationsPerInvocation(n)
                // operations a call (ElementwiseBenchmark's elements), so a kernel that must allocate
                // nothing showed 0 B/op while allocating under 16 KB a call (under half a byte per
                // element of 128 x 255). Per call, for every benchmark.
                alloc = String.format(Locale.ROOT, "%.0f",
                        allocNorm.getScore() * params.getOpsPerInvocation());
            }
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.3f ± %.3f | %s | %s | %s | %s |%n",
                    name, backend, threads, kase, primary.getScore(), primary.getScoreError(),
                    primary.getScoreUnit(), gflops, alloc, jdk));
        }
        return sb.toString();
    }

    private static String param(org.openjdk.jmh.infra.BenchmarkParams p, String key) {
        String v = p.getParam(key);
        return v == null ? "" : v;
    }

    private static String firstNonEmpty(String... v) {
        for (String s : v) if (!s.isEmpty()) return s;
        return "";
    }
}
