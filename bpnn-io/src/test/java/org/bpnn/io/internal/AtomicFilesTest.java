package org.bpnn.io.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
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

    @Test
    void fileSystemFailuresNameTheTargetNotTheTemporaryFile() {
        Path target = dir.resolve("gone/rows.csv");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> AtomicFiles.writeStream(target, out -> { }));
        assertEquals(target.toString(), e.getFile());
    }
}
