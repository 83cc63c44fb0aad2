package org.bpnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./bpnn script's rebuild rule, run in a copy of the tree's layout with stand-ins for mvn and java
 * that only record their calls, so nothing is built or run (LauncherIT runs the real jar).
 */
class LauncherScriptTest {
    private static final Path LAUNCHER = Path.of("..", "bpnn").toAbsolutePath().normalize();
    private static final Path COMMON = Path.of("..", "scripts", "launcher-common.sh").toAbsolutePath().normalize();

    /** A copy of the launcher in {@code root}, with the file it sources from its repository. */
    private static void copyLauncher(Path root) throws IOException {
        Files.copy(LAUNCHER, root.resolve("bpnn"));
        copyCommon(root);
    }

    private static void copyCommon(Path root) throws IOException {
        Files.copy(COMMON, Files.createDirectories(root.resolve("scripts")).resolve("launcher-common.sh"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** {@code bash script args} with {@code bin} first on the PATH and its stand-in java as the JVM. */
    private static ProcessBuilder launcher(Path script, Path bin, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("JAVA", bin.resolve("java").toString());
        pb.redirectErrorStream(true);
        return pb;
    }

    /** Runs the launcher; it must end with 0 after starting the stand-in java. Returns its output. */
    private static String run(ProcessBuilder pb) throws Exception {
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("java --add-modules jdk.incubator.vector"), out);
        return out;
    }

    /** Whether the launcher rebuilt a jar older than a source, with BPNN_NO_BUILD set to {@code value}. */
    private static boolean rebuilds(Path root, String value) throws Exception {
        Path jar = root.resolve("bpnn-examples/target/bpnn-examples-all.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Path log = root.resolve("mvn.log");
        Files.deleteIfExists(log);
        ProcessBuilder pb = launcher(root.resolve("bpnn"), root.resolve("bin"), "--help");
        pb.environment().put("BPNN_NO_BUILD", value);
        run(pb);
        return Files.exists(log);
    }

    @Test
    void bpnnNoBuildIsReadAsMainReadsBpnnDebug(@TempDir Path root) throws Exception {
        // the launcher's case pattern knew 0, false, FALSE and False; Main's switchOn ignores case, so
        // BPNN_NO_BUILD=fAlse never rebuilt while BPNN_DEBUG=fAlse was off
        copyLauncher(root);
        Files.createDirectories(root.resolve("bin"));
        Path jar = Files.createDirectories(root.resolve("bpnn-examples/target")).resolve("bpnn-examples-all.jar");
        Files.writeString(jar, "");
        executable(root.resolve("bin/mvn"), "#!/bin/sh\necho \"mvn $*\" >> '" + root.resolve("mvn.log") + "'\n");
        executable(root.resolve("bin/java"), "#!/bin/sh\necho \"java $*\"\n");
        Files.writeString(Files.createDirectories(root.resolve("bpnn-core/src/main/java")).resolve("A.java"), "");
        for (String value : new String[] {"", "0", "false", "FALSE", "False", "fAlse", "1", "true", "yes", "00", "no"}) {
            assertEquals(!Main.switchOn(value), rebuilds(root, value), "BPNN_NO_BUILD='" + value + "'");
        }
    }

    /**
     * Runs {@code ./bpnn fashion-mnist ARGS} as root (a stand-in id) in a copy of the launcher whose
     * Fashion-MNIST directory is {@code data}; returns the calls of the stand-in apt-get.
     */
    private static List<String> aptCalls(Path root, Path data, String... args) throws Exception {
        return aptRun(root, data, "#!/bin/sh\necho \"apt-get $*\" >> '" + root.resolve("apt.log") + "'\n", new StringBuilder(), args);
    }

    /** As {@link #aptCalls}, with {@code apt} as the stand-in apt-get's text; the launcher's output goes to {@code out}. */
    private static List<String> aptRun(Path root, Path data, String apt, StringBuilder out, String... args) throws Exception {
        String script = Files.readString(LAUNCHER, StandardCharsets.UTF_8);
        String copy = script.replace("/usr/share/datasets/fashion-mnist", data.toString());
        assertTrue(!copy.equals(script), "the launcher no longer names /usr/share/datasets/fashion-mnist");
        executable(root.resolve("bpnn"), copy);
        copyCommon(root);
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path log = root.resolve("apt.log");
        Files.deleteIfExists(log);
        executable(bin.resolve("apt-get"), apt);
        executable(bin.resolve("id"), "#!/bin/sh\necho 0\n");
        executable(bin.resolve("java"), "#!/bin/sh\necho \"java $*\"\n");
        Files.writeString(Files.createDirectories(root.resolve("bpnn-examples/target")).resolve("bpnn-examples-all.jar"), "");
        List<String> command = new java.util.ArrayList<>(List.of("fashion-mnist"));
        command.addAll(List.of(args));
        ProcessBuilder pb = launcher(root.resolve("bpnn"), bin, command.toArray(String[]::new));
        pb.environment().remove("BPNN_DATA");
        pb.environment().remove("BPNN_CLASSPATH");
        out.append(run(pb));
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void aFailedInstallShowsAptsReasonAndOneLineSayingWhatToDo(@TempDir Path root) throws Exception {
        // apt-get's output went to /dev/null: a failed install said only "could not install", not why
        // (no such package, no network, the dpkg lock held)
        Path log = root.resolve("apt.log");
        String apt = "#!/bin/sh\necho \"apt-get $*\" >> '" + log + "'\necho 'Reading package lists...'\n"
                + "case \"$*\" in *update*) exit 0;; esac\n"
                + "echo 'E: Unable to locate package dataset-fashion-mnist' >&2\nexit 100\n";
        StringBuilder out = new StringBuilder();
        List<String> calls = aptRun(root, root.resolve("no-data"), apt, out);
        assertEquals(3, calls.size(), "install, update, install again: " + calls);
        List<String> lines = out.toString().lines().toList();
        int reason = lines.lastIndexOf("  apt-get: E: Unable to locate package dataset-fashion-mnist");
        assertTrue(reason >= 0, out.toString());
        assertTrue(lines.get(reason + 1).startsWith("bpnn: could not install dataset-fashion-mnist (apt-get's last lines are above); "), out.toString());
        // the run goes on, and the command's own error then names the files and where they go
        assertTrue(lines.get(reason + 2).startsWith("java --add-modules"), out.toString());
        // a successful install stays quiet: apt's lines are shown only for a failure
        out.setLength(0);
        String quiet = "#!/bin/sh\necho 'Reading package lists...'\n";
        aptRun(root, root.resolve("no-data"), quiet, out);
        assertTrue(out.toString().contains("bpnn: installing Fashion-MNIST"), out.toString());
        assertTrue(!out.toString().contains("Reading") && !out.toString().contains("could not"), out.toString());
    }

    @Test
    void theVersionFlagInstallsNothing(@TempDir Path root) throws Exception {
        // only -h and --help skipped the install: ./bpnn fashion-mnist --version (or -V) as root without
        // the data ran apt-get install before printing the version
        Path data = root.resolve("no-data");
        assertTrue(aptCalls(root, data).size() > 0, "the stand-in apt-get was not called without the data");
        for (String flag : new String[] {"--version", "-V", "--help", "-h"}) {
            assertEquals(List.of(), aptCalls(root, data, flag), flag);
        }
        // picocli also reads them as one cluster of short options: -hV and -Vh printed the usage after an install
        for (String flag : new String[] {"-hV", "-Vh"}) {
            assertEquals(List.of(), aptCalls(root, data, "--epochs", "1", flag), flag);
        }
        // an option's value is never one of these words: picocli refuses an option name there ("Expected
        // parameter for option '--out' but found '--data'"), so such a command line installs nothing either
        assertEquals(List.of(), aptCalls(root, data, "--out", "--data"), "--out --data");
        // other words that merely start like them are not taken for them
        for (String value : new String[] {"-hx", "--help-me", "--data-dir", "-"}) {
            assertTrue(aptCalls(root, data, "--out", value).size() > 0, "--out " + value);
        }
    }

    @Test
    void theDataCountsAsPresentAsTheCommandReadsIt(@TempDir Path root) throws Exception {
        // the launcher looked only for train-images-idx3-ubyte.gz: the four files unpacked (which the
        // command reads, plain or .gz) still installed the package, and that file alone installed nothing
        String[] names = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
        Path plain = Files.createDirectories(root.resolve("plain"));
        for (String name : names) Files.writeString(plain.resolve(name), "");
        assertEquals(List.of(), aptCalls(root, plain), "the four files, plain");
        Path gz = Files.createDirectories(root.resolve("gz"));
        for (String name : names) Files.writeString(gz.resolve(name + ".gz"), "");
        assertEquals(List.of(), aptCalls(root, gz), "the four files, .gz");
        Files.writeString(plain.resolve(names[3] + ".gz"), "");
        Files.delete(plain.resolve(names[3]));
        assertEquals(List.of(), aptCalls(root, plain), "plain and .gz mixed");
        Path one = Files.createDirectories(root.resolve("one"));
        Files.writeString(one.resolve(names[0] + ".gz"), "");
        assertTrue(aptCalls(root, one).size() > 0, "only " + names[0] + ".gz");
    }

    @Test
    void aCollectorChosenThroughTheJdksOwnVariablesIsNotDoubled(@TempDir Path root) throws Exception {
        // only BPNN_JAVA_OPTS was looked at: with JDK_JAVA_OPTIONS or JAVA_TOOL_OPTIONS naming a
        // collector, the added -XX:+UseParallelGC made the JVM refuse to start ("Multiple garbage
        // collectors selected")
        copyLauncher(root);
        Path bin = Files.createDirectories(root.resolve("bin"));
        executable(bin.resolve("java"), "#!/bin/sh\necho \"java $*\"\n");
        Files.writeString(Files.createDirectories(root.resolve("bpnn-examples/target")).resolve("bpnn-examples-all.jar"), "");
        for (String var : new String[] {"", "BPNN_JAVA_OPTS", "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS"}) {
            ProcessBuilder pb = launcher(root.resolve("bpnn"), bin, "--help");
            for (String v : new String[] {"BPNN_JAVA_OPTS", "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS"}) pb.environment().remove(v);
            if (!var.isEmpty()) pb.environment().put(var, "-Xmx1g -XX:+UseSerialGC");
            String out = run(pb);
            assertEquals(var.isEmpty(), out.contains("-XX:+UseParallelGC"), (var.isEmpty() ? "no collector named" : var) + ": " + out);
        }
    }

    /** The launcher's options sending the JVM's unified-logging warnings to standard error, as argsTree's java prints them. */
    private static final String LOG_OPTS = "[-Xlog:all=off:stdout][-Xlog:all=warning:stderr:uptime,level,tags]";

    @Test
    void jvmLogWarningsGoToStandardErrorUnlessTheJdksOwnVariablesConfigureXlog(@TempDir Path root) throws Exception {
        // the JVM's [warning][...] lines went to standard output, among a subcommand's output and ahead of
        // its JSON line; an -Xlog in JDK_JAVA_OPTIONS or JAVA_TOOL_OPTIONS comes before the launcher's
        // options, whose all=off:stdout would switch it off, so then none is added; BPNN_JAVA_OPTS come after
        Path bin = argsTree(root);
        for (String var : new String[] {"", "BPNN_JAVA_OPTS", "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS"}) {
            for (String cp : new String[] {null, "extra.jar"}) {
                String out = backendsWith(root, bin, var, "-Xmx1g -Xlog:gc:file=gc.log", cp);
                boolean added = !var.startsWith("J");
                assertEquals(added, out.contains("[-XX:+UseParallelGC]" + LOG_OPTS), (var.isEmpty() ? "none" : var) + ": " + out);
                assertEquals(added, out.contains("-Xlog:all=off:stdout"), (var.isEmpty() ? "none" : var) + ": " + out);
            }
        }
    }

    /**
     * The output of {@code ./bpnn backends} in argsTree's {@code root} with the JVM option variable {@code var}
     * ("" for none) set to {@code options} and the other two, and BPNN_CLASSPATH unless {@code cp} names a jar, unset.
     */
    private static String backendsWith(Path root, Path bin, String var, String options, String cp) throws Exception {
        ProcessBuilder pb = launcher(root.resolve("bpnn"), bin, "backends");
        for (String v : new String[] {"BPNN_JAVA_OPTS", "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "BPNN_CLASSPATH"}) {
            pb.environment().remove(v);
        }
        if (cp != null) pb.environment().put("BPNN_CLASSPATH", cp);
        if (!var.isEmpty()) pb.environment().put(var, options);
        return run(pb);
    }

    /**
     * The huge-pages option as argsTree's java prints it where this machine's kernel offers transparent huge
     * pages (THP "madvise" or "always", as the launcher reads it), else "": the launcher leaves it out where
     * the JVM would only warn that it cannot use it.
     */
    private static String thpOpt() throws IOException {
        Path thp = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        String mode = Files.isReadable(thp) ? Files.readString(thp) : "";
        return mode.contains("[madvise]") || mode.contains("[always]") ? "[-XX:+UseTransparentHugePages]" : "";
    }

    @Test
    void hugePagesAreAskedForWhereTheKernelOffersThemUnlessTheJdksOwnVariablesNameThem(@TempDir Path root) throws Exception {
        // after the log options and before BPNN_JAVA_OPTS, whose -XX:-UseTransparentHugePages then wins (the
        // JVM takes the last); JDK_JAVA_OPTIONS and JAVA_TOOL_OPTIONS come before the command line, so an
        // added option would override theirs, and none is added
        Path bin = argsTree(root);
        String thp = thpOpt();
        for (String var : new String[] {"", "BPNN_JAVA_OPTS", "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS"}) {
            for (String cp : new String[] {null, "extra.jar"}) {
                String out = backendsWith(root, bin, var, "-XX:-UseTransparentHugePages", cp);
                String expected = var.startsWith("J") ? LOG_OPTS + ALIGN_OPT + (cp == null ? "[-jar][" : "[-cp][")
                        : var.isEmpty() ? LOG_OPTS + thp + ALIGN_OPT + (cp == null ? "[-jar][" : "[-cp][")
                        : LOG_OPTS + thp + ALIGN_OPT + "[-XX:-UseTransparentHugePages]";
                assertTrue(out.contains(expected), (var.isEmpty() ? "none" : var) + ", class path " + cp + ": expected "
                        + expected + " in " + out);
            }
        }
    }

    /** The launcher's 64-byte object alignment, as argsTree's java prints it. */
    private static final String ALIGN_OPT = "[-XX:ObjectAlignmentInBytes=64]";

    @Test
    void objectsAreLineAlignedUnlessTheJdksOwnVariablesSetTheAlignment(@TempDir Path root) throws Exception {
        // after huge pages and before BPNN_JAVA_OPTS, whose own value then wins (the JVM takes the last);
        // JDK_JAVA_OPTIONS and JAVA_TOOL_OPTIONS come before the command line, so an added option would
        // override theirs, and none is added
        Path bin = argsTree(root);
        for (String var : new String[] {"", "BPNN_JAVA_OPTS", "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS"}) {
            for (String cp : new String[] {null, "extra.jar"}) {
                String out = backendsWith(root, bin, var, "-XX:ObjectAlignmentInBytes=16", cp);
                String where = (var.isEmpty() ? "none" : var) + ", class path " + cp + ": ";
                assertEquals(!var.startsWith("J"), out.contains(ALIGN_OPT), where + out);
                if (var.equals("BPNN_JAVA_OPTS")) {
                    assertTrue(out.contains(ALIGN_OPT + "[-XX:ObjectAlignmentInBytes=16]"), where + "BPNN_JAVA_OPTS' value must come last: " + out);
                }
            }
        }
    }

    /** A copy of the launcher in {@code root} with a built jar and a stand-in java that prints each argument in brackets. */
    private static Path argsTree(Path root) throws IOException {
        copyLauncher(root);
        Path bin = Files.createDirectories(root.resolve("bin"));
        executable(bin.resolve("java"), "#!/bin/sh\necho \"java $*\"\nfor a in \"$@\"; do printf '[%s]' \"$a\"; done\necho\n");
        executable(bin.resolve("mvn"), "#!/bin/sh\necho \"mvn called in $PWD\"\n");
        Files.writeString(Files.createDirectories(root.resolve("bpnn-examples/target")).resolve("bpnn-examples-all.jar"), "");
        return bin;
    }

    @Test
    void bpnnJavaOptsIsSplitAtWhitespaceOnlyAndNeverGlobbed(@TempDir Path root) throws Exception {
        // it was expanded unquoted: -Dx=* became the names of the files in the working directory that
        // matched it, and a quoted value with a space reached the JVM as two halves
        Path bin = argsTree(root);
        Files.writeString(root.resolve("-Dx=file"), "");
        for (String cp : new String[] {null, "extra.jar"}) {
            ProcessBuilder pb = launcher(root.resolve("bpnn"), bin, "backends");
            pb.directory(root.toFile());
            pb.environment().put("BPNN_JAVA_OPTS", " -Dx=*\t-Xmx1g\n -Dy=[ab]  -Dz=? ");
            pb.environment().remove("BPNN_CLASSPATH");
            if (cp != null) pb.environment().put("BPNN_CLASSPATH", cp);
            String out = run(pb);
            assertTrue(out.contains("][-Dx=*][-Xmx1g][-Dy=[ab]][-Dz=?]["), out);
        }
        // a quote is refused with one line that says where such an option goes
        ProcessBuilder pb = launcher(root.resolve("bpnn"), bin, "backends");
        pb.environment().put("BPNN_JAVA_OPTS", "-Dfoo=\"a b\"");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not finish");
        assertEquals(2, p.exitValue(), out);
        assertEquals(List.of("bpnn: BPNN_JAVA_OPTS is split at spaces and takes no quotes; put an option containing"
                + " a space in JDK_JAVA_OPTIONS (the JVM reads its quotes)"), out.lines().toList());
        // no options: none passed, not an empty argument
        pb = launcher(root.resolve("bpnn"), bin, "backends");
        pb.environment().remove("BPNN_JAVA_OPTS");
        pb.environment().remove("BPNN_CLASSPATH");
        for (String v : new String[] {"JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS"}) pb.environment().remove(v);
        assertTrue(run(pb).contains("[--add-modules][jdk.incubator.vector][-XX:+UseParallelGC]" + LOG_OPTS + thpOpt() + ALIGN_OPT + "[-jar]["),
                "no BPNN_JAVA_OPTS");
    }

    @Test
    void throughASymlinkTheRepositoryIsTheTargetsDirectory(@TempDir Path tmp) throws Exception {
        // the launcher took the symlink's own directory for the repository: ~/bin/bpnn -> repo/bpnn found
        // no jar in ~/bin, ran mvn there, then java -jar ~/bin/bpnn-examples/target/...
        Path root = Files.createDirectories(tmp.resolve("repo dir"));
        Path bin = argsTree(root);
        Path links = Files.createDirectories(tmp.resolve("links"));
        Files.createSymbolicLink(links.resolve("bpnn"), root.resolve("bpnn"));
        Files.createSymbolicLink(links.resolve("relative"), Path.of("bpnn"));  // a link to a link, relative
        String jar = "[-jar][" + root.toRealPath().resolve("bpnn-examples/target/bpnn-examples-all.jar") + "]";
        for (String name : new String[] {"bpnn", "relative"}) {
            ProcessBuilder pb = launcher(links.resolve(name), bin, "backends");
            pb.environment().remove("BPNN_CLASSPATH");
            String out = run(pb);
            assertTrue(!out.contains("mvn called"), name + ": " + out);
            assertTrue(out.contains(jar), name + ": " + out);
        }
    }

    @Test
    void benchBuildsNothingOfTheExamples(@TempDir Path root) throws Exception {
        // ./bpnn bench rebuilt the whole project when the examples jar was stale or missing, though bench
        // runs only bpnn-bench's own jar, which quick-bench.sh builds with -pl bpnn-bench -am
        Path bin = argsTree(root);
        Path log = root.resolve("mvn.log");
        executable(bin.resolve("mvn"), "#!/bin/sh\necho \"mvn $*\" >> '" + log + "'\n");
        Path bench = Files.createDirectories(root.resolve("bpnn-bench")).resolve("quick-bench.sh");
        // not executable: run with bash, it still runs
        Files.writeString(bench, "echo \"quick-bench $*\"\n");
        Path jar = root.resolve("bpnn-examples/target/bpnn-examples-all.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Files.writeString(Files.createDirectories(root.resolve("bpnn-core/src/main/java")).resolve("A.java"), "");
        for (boolean missing : new boolean[] {false, true}) {
            if (missing) Files.delete(jar);
            ProcessBuilder pb = launcher(root.resolve("bpnn"), bin, "bench", "--out", "a b");
            pb.environment().remove("BPNN_NO_BUILD");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not finish");
            assertEquals(0, p.exitValue(), out);
            assertEquals(List.of("quick-bench --out a b"), out.lines().toList(), (missing ? "no jar: " : "a stale jar: ") + out);
            assertTrue(!Files.exists(log), "mvn was run: " + out);
        }
    }

    @Test
    void theExamplesBuildIsOnlyTheModulesItsJarIsMadeFrom(@TempDir Path root) throws Exception {
        // a first ./bpnn fashion-mnist built every module: it resolved Spark (bpnn-spark's provided
        // dependency, hundreds of MB on a fresh ~/.m2) and shaded the Spark app and JMH jars, none of
        // which the examples jar holds; and an edit to bpnn-spark or bpnn-bench rebuilt it all again
        Path bin = argsTree(root);
        Path log = root.resolve("mvn.log");
        executable(bin.resolve("mvn"), "#!/bin/sh\necho \"mvn $*\" >> '" + log + "'\n");
        Path jar = root.resolve("bpnn-examples/target/bpnn-examples-all.jar");
        for (String source : new String[] {"bpnn-spark/src/main/java/S.java", "bpnn-bench/src/main/java/B.java",
                "bpnn-spark/pom.xml", "bpnn-io/src/main/java/I.java", "bpnn-examples/pom.xml", "pom.xml"}) {
            Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
            Files.writeString(Files.createDirectories(root.resolve(source).getParent()).resolve(root.resolve(source).getFileName()), "");
            Files.deleteIfExists(log);
            ProcessBuilder pb = launcher(root.resolve("bpnn"), bin, "backends");
            pb.environment().remove("BPNN_NO_BUILD");
            String out = run(pb);
            boolean examples = !source.startsWith("bpnn-spark") && !source.startsWith("bpnn-bench");
            assertEquals(examples, Files.exists(log), source + " newer than the jar: " + out);
            if (examples) {
                assertEquals(List.of("mvn -q -B package -DskipTests -pl bpnn-examples -am"), Files.readAllLines(log), source);
            }
            Files.delete(root.resolve(source));
        }
        Files.delete(jar);
        Files.deleteIfExists(log);
        ProcessBuilder pb = launcher(root.resolve("bpnn"), bin, "backends");
        pb.environment().remove("BPNN_NO_BUILD");
        run(pb);
        assertEquals(List.of("mvn -q -B package -DskipTests -pl bpnn-examples -am"), Files.readAllLines(log), "no jar");
    }

    @Test
    void theBuildWritesNoTerminalCodes(@TempDir Path root) throws Exception {
        // -B alone left Maven's console library writing ESC[0m as it exited, glued to the next line printed;
        // checked here on the MAVEN_OPTS the build gets (a real build is LauncherIT's, and too slow for this)
        Path bin = argsTree(root);
        Path log = root.resolve("mvn.log");
        executable(bin.resolve("mvn"), "#!/bin/sh\necho \"mvn $* MAVEN_OPTS=$MAVEN_OPTS\" >> '" + log + "'\n");
        Files.delete(root.resolve("bpnn-examples/target/bpnn-examples-all.jar"));
        for (String opts : new String[] {null, "-Xmx1g"}) {
            Files.deleteIfExists(log);
            ProcessBuilder pb = launcher(root.resolve("bpnn"), bin, "backends");
            pb.environment().remove("MAVEN_OPTS");
            if (opts != null) pb.environment().put("MAVEN_OPTS", opts);
            run(pb);
            assertEquals(List.of("mvn -q -B package -DskipTests -pl bpnn-examples -am MAVEN_OPTS="
                    + (opts == null ? "" : opts + " ") + "-Djansi.noreset=true"), Files.readAllLines(log), "MAVEN_OPTS " + opts);
        }
    }

    @Test
    void aFailedBuildEndsWithOneLineSayingWhatToDo(@TempDir Path root) throws Exception {
        // mvn's errors were followed by a bare non-zero exit, and nothing said BPNN_NO_BUILD could run the last jar
        Path bin = argsTree(root);
        executable(bin.resolve("mvn"), "#!/bin/sh\necho '[ERROR] compilation failed'\nexit 1\n");
        Path jar = root.resolve("bpnn-examples/target/bpnn-examples-all.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Files.writeString(Files.createDirectories(root.resolve("bpnn-core/src/main/java")).resolve("A.java"), "");
        ProcessBuilder pb = launcher(root.resolve("bpnn"), bin, "backends");
        pb.environment().remove("BPNN_NO_BUILD");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not finish");
        assertEquals(1, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertEquals("[ERROR] compilation failed", lines.get(lines.size() - 2), out);
        assertTrue(lines.get(lines.size() - 1).startsWith("bpnn: the build failed (mvn -q package -DskipTests -pl bpnn-examples -am in "), out);
        assertTrue(lines.get(lines.size() - 1).endsWith("fix them, or set BPNN_NO_BUILD=1 to run the last built jar"), out);
        assertTrue(!out.contains("java --add-modules"), out);
    }
}
