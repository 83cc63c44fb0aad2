package org.bpnn.io.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever the count of records the arrays are made for, the read gives what the chunked read of the same text gives. */
class CsvCountedReadTest {

    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path p = Files.createTempFile(dir, "t", ".csv");
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    /** The same data, bit for bit, or the same refusal (message, line and column) as from the chunked read. */
    private static void assertSameRead(ReadCall expected, ReadCall actual) {
        CsvData e = null, a = null;
        CsvFormatException ee = null, ae = null;
        try {
            e = expected.read();
        } catch (CsvFormatException x) {
            ee = x;
        } catch (IOException x) {
            throw new AssertionError(x);
        }
        try {
            a = actual.read();
        } catch (CsvFormatException x) {
            ae = x;
        } catch (IOException x) {
            throw new AssertionError(x);
        }
        if (ee != null) {
            assertNotNull(ae, "expected the refusal " + ee.getMessage());
            assertEquals(ee.getMessage(), ae.getMessage());
            assertEquals(ee.line(), ae.line());
            assertEquals(ee.column(), ae.column());
            return;
        }
        if (ae != null) {
            throw new AssertionError("expected data, got " + ae.getMessage(), ae);
        }
        assertArrayEquals(e.features().data(), a.features().data());
        assertEquals(e.features().shape(), a.features().shape());
        assertArrayEquals(e.targets() == null ? null : e.targets().data(), a.targets() == null ? null : a.targets().data());
        assertArrayEquals(e.labels(), a.labels());
        assertArrayEquals(e.sampleWeights(), a.sampleWeights());
        assertEquals(e, a);
        assertEquals(e.classNames(), a.classNames());
        assertEquals(e.targetNames(), a.targetNames());
    }

    private interface ReadCall {
        CsvData read() throws IOException;
    }

    @Test
    void aWrongCountChangesNothingButMemory() throws IOException {
        // as from a file changed between the passes: grown (fewer records counted than read), shrunk, or truncated
        StringBuilder sb = new StringBuilder("a,b,w,y\n");
        int rows = 3000; // past the chunks' first sizes, so that a count too small goes on through several chunks
        for (int i = 0; i < rows; i++) {
            sb.append(i * 0.25f).append(',').append(-i).append(',').append(i % 5).append(',').append(i % 3).append('\n');
        }
        String text = sb.toString();
        CsvReader.Builder[] readers = {
            CsvReader.builder(),
            CsvReader.builder().categorical().weightColumn("w"),
            CsvReader.builder().noLabels(),
            CsvReader.builder().labelColumns("b", "y").featureColumns("a"),
        };
        for (CsvReader.Builder b : readers) {
            CsvReader r = b.build();
            for (long records : new long[] {0, 1, 2, 1000, rows, rows + 1, rows + 2, 3 * rows}) {
                assertSameRead(() -> r.read(new StringReader(text), "t.csv"), () -> r.read(new StringReader(text), "t.csv", records));
            }
        }
    }
}
