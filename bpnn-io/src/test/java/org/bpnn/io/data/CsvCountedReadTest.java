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

/**
 * A plain file is read into arrays made to the records a first pass counts ({@link CsvReader#recordsAtMost}):
 * the count is the parser's records for the usual line ends, quoting and blank lines, and whatever the count
 * (a file changed between the passes), the read gives what the chunked read of the same text gives.
 */
class CsvCountedReadTest {

    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path p = Files.createTempFile(dir, "t", ".csv");
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    /** The features from column a (b may hold any text), no labels: rows read = records less the header. */
    private static final CsvReader A = CsvReader.builder().noLabels().featureColumns("a").build();

    /** The count of {@code text}, checked against the rows the read finds (each record but the header a sample). */
    private long counted(String text) throws IOException {
        Path p = file(text);
        long records = A.recordsAtMost(p);
        assertEquals(records - 1, A.read(p).size(), text);
        return records;
    }

    @Test
    void theCountIsTheRecordsTheParserFindsHoweverLinesEndAndValuesAreQuoted() throws IOException {
        assertEquals(3, counted("a,b\n1,2\n3,4\n"));
        assertEquals(3, counted("a,b\n1,2\n3,4")); // the last line without a line break
        assertEquals(3, counted("a,b\r\n1,2\r\n3,4\r\n"));
        assertEquals(3, counted("a,b\r1,2\r3,4")); // CR alone ends a line, for Jackson as for old Mac files
        assertEquals(3, counted("\n\na,b\n\n1,2\r\n   \r\n\t\n3,4\n\n \n")); // blank lines are no records
        assertEquals(3, counted("a,b\n1,\"x\n\ny\"\n3,\"p\r\nq\"\"\n,r\"\"\"\n")); // line breaks and escaped quotes in quoted values
        assertEquals(4, counted("a,b\n1, \"x\n2,y\"\n3,z\n")); // a quote after a space opens nothing: "x and y" are plain text
        assertEquals(3, counted("\uFEFF\na,b\n1,2\n3,4\n")); // a byte-order mark alone is a blank line
        assertEquals(3, counted("a,b\n1,\"\"\n3,4\n"));
        // a quoted value of whitespace alone, line breaks too, is a blank line to the read; "" alone is a record
        assertEquals(3, counted("a,b\n\"  \"\n1,2\n\"\t\r\n \"\n\" \n\n\"\r\n3,4\n\"\n\""));
        assertEquals(4, A.recordsAtMost(file("a,b\n\"\"\n1,2\n\"\""))); // read as rows (and refused as short)
        assertEquals(2, counted("a;b\n1;'x\n,y'\n".replace(';', ',').replace('\'', '"')));
        CsvReader semicolons = CsvReader.builder().noLabels().featureColumns("a").delimiter(';').quoteChar('\'').build();
        assertEquals(3, semicolons.recordsAtMost(file("a;b\n1;'x\n;\"y'\n2;z\n")));
        assertEquals(0, A.recordsAtMost(file("")));
        assertEquals(0, A.recordsAtMost(file("\n \n")));
    }

    @Test
    void gzipDirectoriesAndOtherDelimitersAreNotCounted() throws IOException {
        Path gz = dir.resolve("t.csv.gz");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.write(gz, bytes.toByteArray());
        assertEquals(-1, A.recordsAtMost(gz));
        assertEquals(-1, A.recordsAtMost(dir));
        assertEquals(-1, CsvReader.builder().delimiter('\u00a7').build().recordsAtMost(file("a\u00a7b\n1\u00a72\n")));
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

    private static final String[] TEXTS = {
        "a,b,y\n1,2,0\n3,4,1\n-5.5,6e3,1\n",
        "a,b,y\r\n1,2,0\r\n3,4,1",
        "a,b,y\r1,2,0\r\r3,4,1\r",
        "\n a , b ,y\n\n1,2,0\n \n3,4,1\n\n",
        "a,b,y\n1,\"2\",\"0\"\n\"3\",4,1\n",
        "a,b,y\n1,2,0\n3,x,1\n",      // refused at line 3, column b
        "a,b,y\n1,2,0\n3,4\n",         // a short row
        "a,b,y\n1,2,0\n\n3,4,1\n",     // a blank line: refused without skipBlankLines
        "a,b,y\n",                      // a header only
        "",
        "a,b,y\n1,NA,0\n3,4,NA\n5,6,1\n",
    };

    @Test
    void aPlainFileReadsAsItsBytesDo() throws IOException {
        CsvReader.Builder[] readers = {
            CsvReader.builder(),
            CsvReader.builder().categorical(),
            CsvReader.builder().categorical().oneHot(true),
            CsvReader.builder().noLabels(),
            CsvReader.builder().labelColumns("a", "y"),
            CsvReader.builder().weightColumn("b"),
            CsvReader.builder().skipBlankLines(false),
            CsvReader.builder().missingValues("NA"),
        };
        for (String text : TEXTS) {
            Path p = file(text);
            byte[] bytes = Files.readAllBytes(p);
            for (CsvReader.Builder b : readers) {
                CsvReader r = b.build();
                assertSameRead(() -> r.read(bytes, p.toString()), () -> r.read(p));
            }
        }
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
