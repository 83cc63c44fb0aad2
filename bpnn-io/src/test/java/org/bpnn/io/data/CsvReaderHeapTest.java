package org.bpnn.io.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.bpnn.nn.ChildJvm;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heap a read needs: the most the reader holds at once, which only a heap too small for it shows (the
 * bytes it allocates are mostly each cell's short-lived strings), so the read runs in a JVM of its own.
 */
class CsvReaderHeapTest {

    @TempDir
    Path dir;

    /** Rows of the file: 40 features each, 4.4 M floats (17.6 MB), just past 4 Mi floats. */
    private static final int ROWS = 110_000;
    private static final int FEATURES = 40;

    /**
     * The features were held in one array doubled from 1,024 floats, then trimmed by a copy: for 4.4 M floats,
     * an array of 8 Mi (33.5 MB) and the 17.6 MB copy at once, 51 MB (and 50 MB while it grew from 4 Mi).
     * Held in small chunks and copied into one array at the end, they need 35 MB at once. Under a 64 MiB heap
     * (the serial collector's old generation, where arrays this size live, is two thirds of it) the one read
     * ran out of memory. (A plain file now needs less, see aLargePlainFileIsReadWithinAboutItsFloats.)
     */
    @Test
    void aLargeFileIsReadWithinAboutTwiceItsFloats() throws Exception {
        readInAJvmOfItsOwn(writeWide(dir.resolve("wide.csv"), false), 64);
    }

    /**
     * The same rows gzip-compressed, which are not counted before the read (see CsvReader.read(Path)): still
     * within the 64 MiB the chunks need.
     */
    @Test
    void aLargeGzipFileIsReadWithinAboutTwiceItsFloats() throws Exception {
        readInAJvmOfItsOwn(writeWide(dir.resolve("wide.csv.gz"), true), 64);
    }

    /**
     * A plain file's records are counted first, and its floats read straight into an array of that size: 17.6 MB
     * held once. Measured (serial collector): the chunked read ran out of memory at 52 MiB and read it at 56;
     * the counted read ran out at 26 and read it at 28. 40 MiB is between, with room on both sides.
     */
    @Test
    void aLargePlainFileIsReadWithinAboutItsFloats() throws Exception {
        readInAJvmOfItsOwn(writeWide(dir.resolve("wide.csv"), false), 40);
    }

    private static Path writeWide(Path csv, boolean gzip) throws IOException {
        OutputStream bytes = Files.newOutputStream(csv);
        try (Writer w = new BufferedWriter(new OutputStreamWriter(gzip ? new GZIPOutputStream(bytes) : bytes, StandardCharsets.UTF_8))) {
            for (int c = 0; c < FEATURES; c++) w.write("f" + c + ",");
            w.write("label\n");
            for (int r = 0; r < ROWS; r++) {
                for (int c = 0; c < FEATURES; c++) w.write(cell(r, c) + ",");
                w.write((r % 3) + "\n");
            }
        }
        return csv;
    }

    /** Reads {@code csv} in a child JVM with a heap of {@code heapMiB} and the serial collector; fails if that fails. */
    private static void readInAJvmOfItsOwn(Path csv, int heapMiB) throws Exception {
        // the file is named by a system property, as ChildJvm passes options but no program arguments
        String output = ChildJvm.output(List.of("-Xmx" + heapMiB + "m", "-XX:+UseSerialGC", "-D" + ReadWide.FILE + "=" + csv),
                ReadWide.class, CsvReader.class, Tensor.class, CsvMapper.class, ObjectMapper.class, JsonFactory.class,
                JsonInclude.class);
        assertTrue(output.contains("read " + ROWS + " rows"), output);
    }

    /** A short cell, so the file is small: 0, 0.5, 1, ... 3.5, and -1 in every seventh row. */
    private static String cell(int r, int c) {
        return r % 7 == 0 ? "-1" : Float.toString(((r + c) % 8) / 2f).replace(".0", "");
    }

    /** The child JVM: reads the file, checks every value, exit 0; a check that fails, or running out of memory, exits 1. */
    static final class ReadWide {
        /** The system property that names the file to read. */
        static final String FILE = "bpnn.test.csv";

        public static void main(String[] args) throws IOException {
            String file = System.getProperty(FILE);
            if (file == null) throw new IllegalArgumentException("expected the file to read in -D" + FILE + "=<path>, given none");
            CsvData d = CsvReader.builder().header(true).categorical().build().read(Path.of(file));
            float[] x = d.features().data();
            if (d.features().rows() != ROWS || d.features().cols() != FEATURES || x.length != ROWS * FEATURES) {
                throw new AssertionError("read " + d.features().rows() + " x " + d.features().cols() + " in " + x.length);
            }
            for (int r = 0; r < ROWS; r++) {
                for (int c = 0; c < FEATURES; c++) {
                    if (x[r * FEATURES + c] != Float.parseFloat(cell(r, c))) {
                        throw new AssertionError("row " + r + ", column " + c + ": " + x[r * FEATURES + c] + ", not " + cell(r, c));
                    }
                }
                if (d.labels()[r] != r % 3) {
                    throw new AssertionError("row " + r + ": class " + d.labels()[r] + ", not " + r % 3);
                }
            }
            System.out.println("read " + ROWS + " rows");
        }
    }
}
