package org.bpnn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * quick-bench.sh (which ./bpnn bench runs) rebuilds a benchmarks.jar older than the sources it is
 * built from, passes BPNN_JAVA_OPTS on, and prints --help without building. It is run in a copy of the tree's layout with stand-ins for mvn and java that only
 * record their calls, so nothing is built or run.
 */
class QuickBenchScriptTest {

    private static Path executable(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** The usage text, which the script prints for --help and QuickSuite too. */
    private static final String USAGE = "src/main/resources/org/bpnn/bench/quick-bench-usage.txt";

    /** A copy of the script in {@code root}'s bpnn-bench, with the files it reads from the repository. */
    private static void copyScript(Path root) throws IOException {
        Files.copy(Path.of("quick-bench.sh"), Files.createDirectories(root.resolve("bpnn-bench")).resolve("quick-bench.sh"));
        Path usage = Files.copy(Path.of(USAGE),
                Files.createDirectories(root.resolve("bpnn-bench").resolve(USAGE).getParent()).resolve("quick-bench-usage.txt"));
        // a source of the jar (a resource): older than any jar the tests make, so that it costs no build
        Files.setLastModifiedTime(usage, FileTime.fromMillis(System.currentTimeMillis() - 600_000));
        Files.copy(Path.of("..", "scripts", "launcher-common.sh"),
                Files.createDirectories(root.resolve("scripts")).resolve("launcher-common.sh"));
    }

    /** Runs the copied script; returns the lines the stand-in mvn logged (one per build). */
    private static List<String> run(Path root, Path bin, Path log, Map<String, String> env) throws Exception {
        return run(root, bin, log, env, "java --add-modules jdk.incubator.vector -cp ");
    }

    private static List<String> run(Path root, Path bin, Path log, Map<String, String> env, String javaCall) throws Exception {
        // --scalar, a run's flag: the stand-in java only prints its command line (--help no longer reaches it)
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("bpnn-bench/quick-bench.sh").toString(), "--scalar");
        pb.directory(root.toFile());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("JAVA", bin.resolve("java").toString());
        pb.environment().remove("BPNN_NO_BUILD");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "quick-bench.sh did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains(javaCall), out);
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void aJarOlderThanASourceOfCoreSimdOrTheBenchmarksIsRebuilt(@TempDir Path root) throws Exception {
        // the script built the jar only when it was missing: after an edit to core, simd or a benchmark,
        // bpnn-bench/quick-bench.sh ran (and reported figures for) the old code
        copyScript(root);
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path log = root.resolve("mvn.log");
        Path jar = Files.createDirectories(root.resolve("bpnn-bench/target")).resolve("benchmarks.jar");
        executable(bin.resolve("mvn"), "#!/bin/sh\necho \"mvn $*\" >> '" + log + "'\ntouch '" + jar + "'\n");
        executable(bin.resolve("java"), "#!/bin/sh\necho \"java $*\"\n");
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Path core = Files.createDirectories(root.resolve("bpnn-core/src/main/java")).resolve("A.java");
        Path simd = Files.createDirectories(root.resolve("bpnn-simd/src/main/java")).resolve("B.java");
        Path bench = Files.createDirectories(root.resolve("bpnn-bench/src/main/java")).resolve("C.java");
        Path other = Files.createDirectories(root.resolve("bpnn-spark/src/main/java")).resolve("D.java");
        for (Path f : List.of(core, simd, bench, other, root.resolve("pom.xml"))) {
            Files.writeString(f, "");
            Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() - 120_000));
        }
        Files.writeString(jar, "");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));

        assertEquals(List.of(), run(root, bin, log, Map.of()), "the jar is newer than every source");
        // a module the benchmarks are not built from does not cost a build
        Files.setLastModifiedTime(other, FileTime.fromMillis(System.currentTimeMillis()));
        assertEquals(List.of(), run(root, bin, log, Map.of()), "bpnn-spark is not in the benchmarks jar");
        int builds = 0;
        for (Path f : List.of(core, simd, bench)) {
            Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
            Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis()));
            // BPNN_NO_BUILD, as for the launcher: never rebuild
            assertEquals(builds, run(root, bin, log, Map.of("BPNN_NO_BUILD", "1")).size(), f + " with BPNN_NO_BUILD");
            // 0 and false are off, as for ./bpnn since it read them so (here they never rebuilt)
            for (String off : new String[] {"0", "False"}) {
                List<String> calls = run(root, bin, log, Map.of("BPNN_NO_BUILD", off));
                assertEquals(++builds, calls.size(), f + " is newer than the jar, BPNN_NO_BUILD=" + off + ": " + calls);
                Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
            }
            List<String> calls = run(root, bin, log, Map.of());
            assertEquals(++builds, calls.size(), f + " is newer than the jar: " + calls);
            assertTrue(calls.get(builds - 1).contains("-pl bpnn-bench -am"), calls.toString());
        }
        // the jar was rebuilt: no further build
        assertEquals(builds, run(root, bin, log, Map.of()).size());
        // BPNN_JAVA_OPTS reaches the suite's JVM, whose options JMH's forks inherit (it was ignored by
        // ./bpnn bench alone, so BPNN_JAVA_OPTS=-XX:+UseParallelGC compared nothing)
        run(root, bin, log, Map.of("BPNN_JAVA_OPTS", "-XX:+UseParallelGC -Xmx1g"),
                "java --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx1g -cp ");
        // split at whitespace only: -Dx=* was globbed against the working directory (run from the
        // repository root, it matched nothing there; a file named -Dx=... would have replaced it)
        Files.writeString(root.resolve("-Dx=file"), "");
        run(root, bin, log, Map.of("BPNN_JAVA_OPTS", " -Dx=*\t-Xmx1g\n"),
                "java --add-modules jdk.incubator.vector -Dx=* -Xmx1g -cp ");
        // a missing jar is built even with BPNN_NO_BUILD (there is nothing else to run)
        Files.delete(jar);
        assertEquals(builds + 1, run(root, bin, log, Map.of("BPNN_NO_BUILD", "1")).size());
    }

    /** A copy of the script in {@code root}'s bpnn-bench with a jar newer than any source and a stand-in java in {@code root/bin}. */
    private static Path tree(Path root) throws IOException {
        copyScript(root);
        Path bin = Files.createDirectories(root.resolve("bin"));
        executable(bin.resolve("java"), "#!/bin/sh\necho \"java $*\"\n");
        Files.writeString(Files.createDirectories(root.resolve("bpnn-bench/target")).resolve("benchmarks.jar"), "");
        return bin;
    }

    /** Runs {@code bash script --scalar} with {@code path} as the PATH; returns the exit code and output. */
    private static Map.Entry<Integer, String> exec(Path script, String path, Map<String, String> env) throws Exception {
        return exec(script, path, env, List.of("--scalar"));
    }

    /** Runs {@code bash script args...} with {@code path} as the PATH; returns the exit code and output. */
    private static Map.Entry<Integer, String> exec(Path script, String path, Map<String, String> env, List<String> args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", script.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("PATH", path);
        pb.environment().remove("BPNN_NO_BUILD");
        pb.environment().remove("BPNN_JAVA_OPTS");
        pb.environment().remove("JAVA_HOME");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "quick-bench.sh did not finish");
        return Map.entry(p.exitValue(), out);
    }

    @Test
    void aRepositoryUnderASrcMainDirectoryIsReadFromInside(@TempDir Path tmp) throws Exception {
        // find was given absolute paths: a repository under .../src/main/... matched every file (the
        // script itself, newer than the jar, rebuilt on every run); and one under .../target/... is
        // still searched (-path '*/target' prunes only a directory named target inside the tree)
        for (String parent : new String[] {"src/main/x", "target/x"}) {
            Path root = Files.createDirectories(tmp.resolve(parent).resolve("repo"));
            Path bin = tree(root);
            Path log = root.resolve("mvn.log");
            executable(bin.resolve("mvn"), "#!/bin/sh\necho \"mvn $*\" >> '" + log + "'\n");
            Path jar = root.resolve("bpnn-bench/target/benchmarks.jar");
            Path source = Files.createDirectories(root.resolve("bpnn-core/src/main/java")).resolve("A.java");
            Files.writeString(source, "");
            for (Path f : List.of(source, root.resolve("bpnn-bench/quick-bench.sh"))) {
                Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() - 120_000));
            }
            Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
            Files.writeString(root.resolve("bpnn-bench/notes.txt"), "");  // newer than the jar, not a source
            assertEquals(List.of(), run(root, bin, log, Map.of()), parent + ": nothing newer than the jar");
            Files.setLastModifiedTime(source, FileTime.fromMillis(System.currentTimeMillis()));
            assertEquals(1, run(root, bin, log, Map.of()).size(), parent + ": a source newer than the jar");
        }
    }

    @Test
    void throughASymlinkTheJarIsTheTargetsOwn(@TempDir Path tmp) throws Exception {
        // the script took the symlink's own directory: ~/bin/quick-bench -> repo/bpnn-bench/quick-bench.sh
        // found no jar there and started mvn in ~ (./bpnn passed its real path, so only a direct run did)
        Path root = Files.createDirectories(tmp.resolve("repo dir"));
        Path bin = tree(root);
        executable(bin.resolve("mvn"), "#!/bin/sh\necho \"mvn called in $PWD\"\n");
        Path links = Files.createDirectories(tmp.resolve("links"));
        Files.createSymbolicLink(links.resolve("quick-bench"), root.resolve("bpnn-bench/quick-bench.sh"));
        Files.createSymbolicLink(links.resolve("relative"), Path.of("quick-bench"));  // a link to a link, relative
        String jar = "-cp " + root.toRealPath().resolve("bpnn-bench/target/benchmarks.jar") + " ";
        for (String name : new String[] {"quick-bench", "relative"}) {
            Map.Entry<Integer, String> r = exec(links.resolve(name), bin + ":" + System.getenv("PATH"),
                    Map.of("JAVA", bin.resolve("java").toString()));
            assertEquals(0, r.getKey(), name + ": " + r.getValue());
            assertTrue(!r.getValue().contains("mvn called"), name + ": " + r.getValue());
            assertTrue(r.getValue().contains(jar), name + ": " + r.getValue());
        }
    }

    @Test
    void aMissingJavaOrMavenOrAFailedBuildEndsWithOneLineSayingWhatToDo(@TempDir Path root) throws Exception {
        // as ./bpnn does: it was bash's "java: command not found" or "mvn: command not found", or mvn's
        // errors and a bare non-zero exit with nothing said about BPNN_NO_BUILD
        Path bin = tree(root);
        Path script = root.resolve("bpnn-bench/quick-bench.sh");
        String path = bin + ":" + System.getenv("PATH");
        Map.Entry<Integer, String> r = exec(script, path, Map.of("JAVA", root.resolve("nowhere/java").toString()));
        assertEquals(1, r.getKey(), r.getValue());
        assertEquals(List.of("bpnn bench: no java found ('" + root.resolve("nowhere/java")
                + "'); install a JDK 17 or later, or point JAVA_HOME or JAVA at one"), r.getValue().lines().toList());

        Map<String, String> java = Map.of("JAVA", bin.resolve("java").toString());
        Path jar = root.resolve("bpnn-bench/target/benchmarks.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Files.writeString(Files.createDirectories(root.resolve("bpnn-core/src/main/java")).resolve("A.java"), "");
        executable(bin.resolve("mvn"), "#!/bin/sh\necho '[ERROR] compilation failed'\nexit 1\n");
        r = exec(script, path, java);
        assertEquals(1, r.getKey(), r.getValue());
        List<String> lines = r.getValue().lines().toList();
        assertEquals("[ERROR] compilation failed", lines.get(lines.size() - 2), r.getValue());
        assertTrue(lines.get(lines.size() - 1).startsWith("bpnn bench: the build failed (mvn -q package -DskipTests -pl bpnn-bench -am in "), r.getValue());
        assertTrue(lines.get(lines.size() - 1).endsWith("fix them, or set BPNN_NO_BUILD=1 to run the last built jar"), r.getValue());
        assertTrue(!r.getValue().contains("java --add-modules"), r.getValue());

        // no mvn anywhere on the PATH
        Files.delete(bin.resolve("mvn"));
        Files.delete(jar);
        Path tools = tools(root);
        try {
            r = exec(script, tools.toString(), java);
            assertEquals(1, r.getKey(), r.getValue());
            assertEquals(List.of("bpnn bench: the benchmarks jar needs building and Maven (mvn) is not on the PATH; install Maven"),
                    r.getValue().lines().toList());
        } finally {
            removeLinks(tools);
        }
    }

    /** A PATH of only the tools the script uses (launcher-common.sh lists them), linked into {@code root/tools}. */
    private static Path tools(Path root) throws IOException {
        Path tools = Files.createDirectories(root.resolve("tools"));
        for (String tool : new String[] {"dirname", "readlink", "tr", "find"}) {
            for (String dir : System.getenv("PATH").split(":")) {
                Path candidate = Path.of(dir, tool);
                if (Files.isExecutable(candidate)) {
                    Files.createSymbolicLink(tools.resolve(tool), candidate);
                    break;
                }
            }
        }
        return tools;
    }

    /** Removes {@link #tools}' links: JUnit warns about each link out of its temporary directory that it deletes. */
    private static void removeLinks(Path tools) throws IOException {
        try (var links = Files.list(tools)) {
            for (Path link : links.toList()) Files.delete(link);
        }
    }

    @Test
    void helpIsPrintedWithoutJavaMavenOrAJar(@TempDir Path root) throws Exception {
        // on a fresh clone, ./bpnn bench --help built the benchmarks jar (minutes) before printing a static text,
        // and without mvn it printed "the benchmarks jar needs building and Maven (mvn) is not on the PATH" instead
        copyScript(root);
        Path script = root.resolve("bpnn-bench/quick-bench.sh");
        Path tools = tools(root); // no mvn, no java, no cat; and no jar
        Map<String, String> noJava = Map.of("JAVA", root.resolve("nowhere/java").toString());
        String usage = Files.readString(Path.of(USAGE));
        try {
            for (List<String> args : List.of(List.of("--help"), List.of("-h"), List.of("--scalar", "--threads", "1", "--out", "x", "-h"))) {
                Map.Entry<Integer, String> r = exec(script, tools.toString(), noJava, args);
                assertEquals(0, r.getKey(), args + ": " + r.getValue());
                assertEquals(usage, r.getValue(), args.toString());
            }
            // as QuickSuite reads them: a flag's value (a directory named --help) and after a word it refuses
            // are not a request for help, so the script goes on to a run, here to the missing java
            for (List<String> args : List.of(List.of("--out", "--help"), List.of("--threads", "-h"), List.of("--x", "--help"))) {
                Map.Entry<Integer, String> r = exec(script, tools.toString(), noJava, args);
                assertEquals(1, r.getKey(), args + ": " + r.getValue());
                assertTrue(r.getValue().startsWith("bpnn bench: no java found"), args + ": " + r.getValue());
            }
        } finally {
            removeLinks(tools);
        }
    }
}
