package org.bpnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --out is checked before any data is loaded or any training done: a bad one used to fail only at
 * the end of a run, with the name of a temporary file as the whole message.
 */
class OutputPathsTest {
    @TempDir
    Path dir;

    @Test
    void fashionMnistChecksOutBeforeLoadingTheData() throws IOException {
        // the data directory does not exist either: the error must be about --out, so --out was checked first
        String noData = dir.resolve("no-data").toString();
        Path file = Files.writeString(dir.resolve("afile"), "x");
        assertEquals("--out " + file + " is a file, not a directory; choose another --out or remove the file",
                Cli.error("fashion-mnist", "--data", noData, "--epochs", "1", "--out", file.toString()));
        Path under = file.resolve("sub");
        assertEquals("--out " + under + ": " + file + " is a file, not a directory; choose another --out",
                Cli.error("fashion-mnist", "--data", noData, "--epochs", "1", "--out", under.toString()));
        // a good --out passes the check; it is created only once the data is loaded, so a run that
        // fails on its data leaves no empty directory behind
        Path fresh = dir.resolve("runs/fm");
        assertTrue(Cli.error("fashion-mnist", "--data", noData, "--epochs", "1", "--out", fresh.toString())
                .contains("train-images-idx3-ubyte"));
        assertFalse(Files.exists(dir.resolve("runs")));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "the write check leaves nothing behind either");
        }
    }

    @Test
    void aDirectoryWhereARunWritesAFileIsRefusedBeforeTraining() throws IOException {
        // curves.png (and sine.png) were written after training: a directory of that name failed the
        // run at its end, the model saved and no chart or summary line
        Path out = Files.createDirectories(dir.resolve("fm"));
        Files.createDirectory(out.resolve("curves.png"));
        assertEquals("--out " + out + ": " + out.resolve("curves.png") + " is a directory, and the run writes the file curves.png"
                + " there; remove or rename the directory, or choose another --out",
                Cli.error("fashion-mnist", "--data", dir.resolve("no-data").toString(), "--epochs", "1", "--out", out.toString()));
        Path s = Files.createDirectories(dir.resolve("s/sine.png")).getParent();
        Cli.Result r = Cli.run(1, "sine", "--epochs", "1", "--out", s.toString());
        assertTrue(r.err().strip().endsWith("sine.png is a directory, and the run writes the file sine.png there; remove or rename"
                + " the directory, or choose another --out"), r.err());
        assertEquals("", r.out(), "nothing is trained or printed before the check");
    }

    @Test
    void sineRejectsAnEmptyOrFileOut() throws IOException {
        // Path.of("") is the current directory: sine.png used to land there silently
        Cli.Result r = Cli.run(1, "sine", "--epochs", "1", "--out", "");
        assertEquals("bpnn: error: --out is empty; expected a directory such as runs/example (use --out . for the current directory)",
                r.err().strip());
        assertEquals("", r.out(), "nothing is printed before the check");
        Path file = Files.writeString(dir.resolve("afile"), "x");
        assertEquals("--out " + file + " is a file, not a directory; choose another --out or remove the file",
                Cli.error("sine", "--epochs", "1", "--out", file.toString()));
    }

    @Test
    void readOnlyOutSaysPermissionDenied() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root may write into read-only directories");
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assertEquals("--out " + ro + ": cannot create files in the directory (permission denied); choose a writable --out "
                    + "or fix its permissions", Cli.error("sine", "--epochs", "1", "--out", ro.toString()));
            assertEquals("--out " + ro.resolve("sub/deeper") + ": cannot create the directory in " + ro + " (permission denied); "
                    + "choose a writable --out or create the directory first",
                    Cli.error("sine", "--epochs", "1", "--out", ro.resolve("sub/deeper").toString()));
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
