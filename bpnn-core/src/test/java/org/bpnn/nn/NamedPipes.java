package org.bpnn.nn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Test helper: makes a named pipe, or skips the calling test where none can be made. Public because the tests that
 * need one sit in several packages and modules (bpnn-io's model, data and internal, bpnn-examples' predict); it lives
 * in bpnn-core's test sources, whose own tests make no pipe, because theirs is the test jar the other modules share
 * (as {@link ChildJvm}); it is no part of any module's API.
 */
public final class NamedPipes {
    private NamedPipes() {}

    /**
     * Makes a named pipe at {@code path} with mkfifo (Java has no call for it) and returns {@code path}. Where mkfifo
     * is missing, fails, or leaves no pipe there, the calling test is skipped with what went wrong, not failed: it
     * tests pipes, and a machine without mkfifo says nothing about them.
     */
    public static Path makeOrSkip(Path path) throws InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return Assumptions.abort("no mkfifo here to make the named pipe " + path + " this test needs: " + e.getMessage());
        }
        String said;
        try {
            said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            said = "(its output could not be read: " + e.getMessage() + ")";
        }
        int code = p.waitFor();
        if (code != 0) {
            return Assumptions.abort("mkfifo " + path + " exited " + code + " without making the named pipe this test"
                    + " needs: " + said);
        }
        if (!Files.exists(path) || Files.isRegularFile(path)) {
            return Assumptions.abort("mkfifo " + path + " exited 0 but left " + (Files.exists(path) ? "a regular file"
                    : "nothing") + " there, not the named pipe this test needs");
        }
        return path;
    }
}
