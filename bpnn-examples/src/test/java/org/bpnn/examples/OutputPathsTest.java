package org.bpnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

    /**
     * One rule for the commands that write a file: a missing directory is made (predict's --output refused one, where
     * train's --out made it), and only when the file is written, so that a run refused on its data leaves none.
     */
    @Test
    void everyCommandThatWritesAFileMakesAMissingDirectoryOnlyWhenWriting() throws IOException {
        StringBuilder csv = new StringBuilder("x1,x2,colour\n");
        for (int i = 0; i < 20; i++) csv.append(i % 7).append(',').append(i % 5).append(i % 2 == 0 ? ",red\n" : ",blue\n");
        String data = Files.writeString(dir.resolve("points.csv"), csv).toString();
        String[] quick = {"--backend", "scalar", "--threads", "1"};
        Path model = dir.resolve("t/a/m.bpnn"), predictions = dir.resolve("p/b/o.csv"), report = dir.resolve("e/c/r.json");
        Cli.run(1, Cli.concat(new String[] {"train", "--input", data, "--label", "nope", "--out", model.toString()}, quick));
        Cli.run(1, Cli.concat(new String[] {"predict", "--model", data, "--input", data, "--output", predictions.toString()}, quick));
        Cli.run(1, Cli.concat(new String[] {"evaluate", "--model", data, "--input", data, "--label", "colour", "--output",
                report.toString()}, quick));
        for (String d : new String[] {"t", "p", "e"}) assertFalse(Files.exists(dir.resolve(d)), d + ": made by a refused run");
        Cli.run(0, Cli.concat(new String[] {"train", "--input", data, "--label", "colour", "--epochs", "1", "--out", model.toString()},
                quick));
        Cli.run(0, Cli.concat(new String[] {"predict", "--model", model.toString(), "--input", data, "--output",
                predictions.toString()}, quick));
        Cli.run(0, Cli.concat(new String[] {"evaluate", "--model", model.toString(), "--input", data, "--label", "colour", "--output",
                report.toString()}, quick));
        for (Path f : List.of(model, predictions, report)) assertTrue(Files.size(f) > 0, f + " written");
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

    /**
     * The write check creates a file rather than asking Files.isWritable, which says yes to root whatever the
     * permission bits: /sys, a read-only file system, refuses even root, so this runs whoever runs the tests
     * (readOnlyOutSaysPermissionDenied is skipped under root). Without the check, each of these was accepted.
     */
    @Test
    void aDirectoryNoOneCanWriteInIsRefusedEvenForRoot() {
        Path sys = Path.of("/sys");
        assumeTrue(Files.isDirectory(sys), "no /sys here");
        try {
            Files.delete(Files.createTempFile(sys, "bpnn-test", ".tmp"));
            assumeTrue(false, "/sys is writable here");
        } catch (IOException expected) {
            // the case under test
        }
        String inIt = Cli.error("sine", "--epochs", "1", "--out", "/sys");
        assertTrue(inIt.startsWith("--out /sys: cannot create files in the directory ("), inIt);
        assertTrue(inIt.endsWith("); choose a writable --out or fix its permissions"), inIt);
        String under = Cli.error("sine", "--epochs", "1", "--out", "/sys/bpnn-out");
        assertTrue(under.startsWith("--out /sys/bpnn-out: cannot create the directory in /sys ("), under);
        String file = assertThrows(IllegalArgumentException.class,
                () -> OutputPaths.file("--output", Path.of("/sys/predictions.csv"))).getMessage();
        assertTrue(file.startsWith("--output /sys/predictions.csv: cannot create files in directory /sys ("), file);
    }

    /**
     * writeAtomically is bpnn-io's atomic write (AtomicFiles), not a copy of it: the copy named its hidden file after the
     * whole target name, so a legal name of 234 to 255 characters failed ("File name too long" about a name that was
     * not), and its rename replaced a symbolic link with a file, leaving the linked file as it was.
     */
    @Test
    void writeAtomicallyTakesAnyLegalNameAndWritesThroughASymbolicLink() throws IOException {
        Path out = Files.createDirectory(dir.resolve("out"));
        Path longName = out.resolve("r".repeat(245) + ".json");
        OutputPaths.writeAtomically("--output", longName, "the report", "{}\n");
        OutputPaths.writeAtomically("--output", longName, "the report", "{\"a\":1}\n"); // over the existing file too
        assertEquals("{\"a\":1}\n", Files.readString(longName));
        Files.delete(longName);

        Path real = Files.writeString(out.resolve("v1.json"), "old");
        Path link = out.resolve("current.json");
        try {
            Files.createSymbolicLink(link, real.getFileName());
        } catch (UnsupportedOperationException | IOException e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "no symbolic links here: " + e);
        }
        OutputPaths.writeAtomically("--output", link, "the report", "new");
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertEquals("new", Files.readString(real), "the linked file holds the new report");
        try (var files = Files.list(out)) {
            assertEquals(List.of(link, real), files.sorted().toList(), "no temporary file is left");
        }
    }
}
