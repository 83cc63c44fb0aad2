package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a class's main in a JVM of its own (a test's heap limit, a system property read once at class
 * initialisation) and returns what it printed; fails the test unless it exits 0 within 120 s. Shared by
 * the tests of bpnn-core and, through its test jar, bpnn-simd's and bpnn-io's.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /**
     * The output (standard output and error) of {@code main} run by this JVM's java with {@code options}
     * before the class path, which holds where {@code main} and each of {@code onClassPath} were loaded from.
     */
    public static String output(List<String> options, Class<?> main, Class<?>... onClassPath) throws Exception {
        List<String> cp = new ArrayList<>(List.of(location(main)));
        for (Class<?> c : onClassPath) cp.add(location(c));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options);
        command.addAll(List.of("-cp", String.join(File.pathSeparator, cp), main.getName()));
        // to a file, not read from a pipe: reading the pipe to its end waited for the child to exit, so a
        // hung child hung the build and the timeout below never fired
        Path log = Files.createTempFile("bpnn-child-jvm-", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("the child JVM did not end in 120 s: " + command + "; its output so far:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), command + " printed:\n" + output);
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
