package org.bpnn.io.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stream form of the atomic write (the channel form is ModelFile.save's, tested by AtomicSaveTest). */
class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    /** Rows through a buffered Writer closed by try-with-resources: closing it does not end the write early. */
    @Test
    void aStreamedBodyClosedByItsWriterIsWrittenWhole() throws IOException {
        Path target = dir.resolve("rows.csv");
        StringBuilder expected = new StringBuilder();
        AtomicFiles.writeStream(target, out -> {
            try (Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
                for (int i = 0; i < 20_000; i++) {
                    String row = i + ",\u00e9\n";
                    w.write(row);
                    expected.append(row);
                }
            }
        });
        assertEquals(expected.toString(), Files.readString(target));
        assertEquals(List.of(target), files());
    }

    @Test
    void aBodyFailingPartWayLeavesTheOldFileAndNoTemporaryOne() throws IOException {
        Path target = Files.writeString(dir.resolve("rows.csv"), "old,rows\n");
        byte[] old = Files.readAllBytes(target);
        IOException full = new IOException("No space left on device");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeStream(target, out -> {
            out.write(new byte[100_000]);
            throw full;
        }));
        assertSame(full, e, "a failure that names no file is thrown as it is");
        assertArrayEquals(old, Files.readAllBytes(target));
        assertEquals(List.of(target), files());
        RuntimeException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> AtomicFiles.writeStream(dir.resolve("new.csv"), out -> {
            out.write(1);
            throw boom;
        })));
        assertEquals(List.of(target), files());
    }

    /** A private file's new content is private from its first byte: the temporary file has its mode before the body runs. */
    @Test
    void theTemporaryFileHasTheReplacedFilesPermissionsBeforeTheBodyWrites() throws IOException {
        Path target = Files.writeString(dir.resolve("model.bpnn"), "old");
        Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rw-------");
        assumeTrue(Files.getFileAttributeView(target, PosixFileAttributeView.class) != null, "a POSIX file system");
        Files.setPosixFilePermissions(target, owner);
        List<Object> seen = new ArrayList<>();
        AtomicFiles.writeStream(target, out -> {
            for (Path p : files()) {
                if (!p.equals(target)) seen.add(Files.getPosixFilePermissions(p));
            }
            out.write("new".getBytes(StandardCharsets.UTF_8));
        });
        assertEquals(List.of(owner), seen, "the temporary file's permissions while the body wrote");
        assertEquals("new", Files.readString(target));
        assertEquals(owner, Files.getPosixFilePermissions(target));
    }

    /**
     * An existing target that is not a regular file is refused, not renamed over: run as root, a missed check in a
     * caller replaced /dev/full with a file of predictions. A named pipe stands in for the device here.
     */
    @Test
    void anExistingTargetThatIsNotARegularFileIsRefusedNotReplaced() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "no mkfifo here: " + e.getMessage());
            return;
        }
        assumeTrue(p.waitFor() == 0 && Files.exists(fifo) && !Files.isRegularFile(fifo), "mkfifo made a named pipe");
        boolean[] ran = {false};
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> AtomicFiles.writeStream(fifo, out -> ran[0] = true));
        assertEquals(fifo.toAbsolutePath().toString(), e.getFile());
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        assertFalse(ran[0], "refused before the body runs");
        assertFalse(Files.isRegularFile(fifo), "the pipe is still a pipe");
        assertEquals(List.of(fifo), files(), "no temporary file left");
    }

    @Test
    void fileSystemFailuresNameTheTargetNotTheTemporaryFile() {
        Path target = dir.resolve("gone/rows.csv");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> AtomicFiles.writeStream(target, out -> { }));
        assertEquals(target.toString(), e.getFile());
    }
}
