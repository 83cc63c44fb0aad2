package org.bpnn.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import org.bpnn.backend.Backends;
import org.bpnn.io.data.CsvReader;
import org.bpnn.io.data.IdxReader;
import org.bpnn.io.model.CheckpointFile;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.ModelFormatException;
import org.junit.jupiter.api.Test;

/** A null source name (the readers' optional label for errors) gets a default instead of "null" in the message. */
class NullSourceNameTest {
    private static void assertNamed(String message, String name) {
        assertTrue(message.contains(name) && !message.contains("null"), message);
    }

    @Test
    void csvReader() {
        IOException e = assertThrows(IOException.class,
                () -> CsvReader.builder().build().read(new StringReader("a,y\n1,2\nx,3\n"), null));
        assertNamed(e.getMessage(), "<reader>");
    }

    @Test
    void idxReader() {
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5}), null));
        assertNamed(e.getMessage(), "<stream>");
    }

    @Test
    void modelAndCheckpointBytes() {
        byte[] junk = "not a model file at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertNamed(assertThrows(ModelFormatException.class,
                () -> ModelFile.fromBytes(junk, null, Backends.get("scalar", 1), ModelFile.Limits.DEFAULT)).getMessage(), "bytes");
        assertNamed(assertThrows(ModelFormatException.class,
                () -> CheckpointFile.fromBytes(junk, null, Backends.get("scalar", 1), ModelFile.Limits.DEFAULT)).getMessage(), "bytes");
    }
}
