package org.bpnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/** The command line's error paths: one line on stderr and a non-zero exit, never a stack trace. */
class MainTest {
    private static String[] run(int expectedExit, String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter(), out = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(out));
        PrintStream saved = System.out;
        ByteArrayOutputStream sysout = new ByteArrayOutputStream();
        System.setOut(new PrintStream(sysout, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = cl.execute(args);
        } finally {
            System.setOut(saved);
        }
        assertEquals(expectedExit, code, "exit code; stderr: " + err);
        return new String[] {out + sysout.toString(StandardCharsets.UTF_8), err.toString()};
    }

    @Test
    void badFlagIsOneLine() {
        String err = run(2, "xor", "--no-such-flag")[1];
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.startsWith("bpnn: error: Unknown option: '--no-such-flag'"), err);
        assertTrue(err.contains("./bpnn xor --help"), err);
    }

    @Test
    void badValueIsOneLine() {
        String err = run(2, "xor", "--epochs", "many")[1];
        assertTrue(err.startsWith("bpnn: error: Invalid value for option '--epochs'"), err);
        assertEquals(1, err.strip().lines().count(), err);
    }

    @Test
    void failingRunIsOneLineWithoutStackTrace() {
        String err = run(1, "xor", "--epochs", "0")[1];
        assertEquals("bpnn: error: --epochs must be >= 1, got 0", err.strip());
        String err2 = run(1, "xor", "--backend", "gpu", "--epochs", "1")[1];
        assertTrue(err2.startsWith("bpnn: error: unknown backend 'gpu'"), err2);
        assertEquals(1, err2.strip().lines().count(), err2);
    }

    @Test
    void unknownSubcommand() {
        String err = run(2, "train-my-dog")[1];
        assertTrue(err.startsWith("bpnn: error: Unmatched argument"), err);
    }

    @Test
    void xorRunEndsWithAJsonLine() {
        String out = run(0, "xor", "--backend", "scalar", "--epochs", "3000")[0];
        String last = out.strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("{\"example\":\"xor\",\"backend\":\"scalar\""), last);
        assertTrue(last.contains("\"train_accuracy\":1"), last);
    }

    @Test
    void summaryJson() {
        assertEquals("{\"example\":\"t\",\"s\":\"a\\\"b\\n\",\"x\":0.8912346,\"n\":60000,\"bad\":null}",
                new Summary("t").put("s", "a\"b\n").put("x", 0.89123456).put("n", 60000).put("bad", Double.NaN).toJson());
    }
}
