package org.bpnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Test helper: runs the command line as ./bpnn would, capturing standard output and the error stream. */
public final class Cli {
    /** Exit code, everything printed to standard output, and the error stream. */
    public record Result(int code, String out, String err) {
        /** The last line of standard output (the JSON summary of a successful run). */
        public String lastLine() {
            return out.strip().lines().reduce((a, b) -> b).orElse("");
        }
    }

    private Cli() {}

    /** Runs args through Main's command line (its error handlers included) and checks the exit code. */
    public static Result run(int expectedExit, String... args) {
        return run(cl -> cl, expectedExit, args);
    }

    /** As {@link #run(int, String...)}, with {@code setup} applied to the command line first. */
    public static Result run(UnaryOperator<CommandLine> setup, int expectedExit, String... args) {
        StringWriter err = new StringWriter(), out = new StringWriter();
        PrintStream saved = System.out;
        ByteArrayOutputStream sysout = new ByteArrayOutputStream();
        System.setOut(new PrintStream(sysout, true, StandardCharsets.UTF_8));
        int code;
        try {
            // created after System.setOut: some commands keep System.out in a field
            CommandLine cl = setup.apply(Main.commandLine());
            cl.setErr(new PrintWriter(err, true));
            cl.setOut(new PrintWriter(out, true));
            code = cl.execute(args);
        } finally {
            System.setOut(saved);
        }
        Result r = new Result(code, out + sysout.toString(StandardCharsets.UTF_8), err.toString());
        assertEquals(expectedExit, code, "exit code; stderr: " + r.err() + "\nstdout: " + r.out());
        return r;
    }

    /** Runs a command expected to fail with exit 1, checks the error is one "bpnn: error: " line, and returns it without the prefix. */
    public static String error(String... args) {
        Result r = run(1, args);
        assertEquals(1, r.err().strip().lines().count(), r.err());
        String line = r.err().strip();
        assertEquals(ERROR, line.substring(0, Math.min(line.length(), ERROR.length())), line);
        return line.substring(ERROR.length());
    }

    /** The number under {@code key} in a run's JSON summary line ({@link Result#lastLine()}); fails the test when absent. */
    public static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":([-0-9.eE]+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    /** {@code first}, then {@code more}: a test's command line with the flags every run of it shares added. */
    public static String[] concat(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    private static final String ERROR = "bpnn: error: ";
}
