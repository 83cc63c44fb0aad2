package org.bpnn.examples.predict;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bpnn.io.data.CsvData;
import org.bpnn.io.data.CsvReader;
import org.bpnn.io.data.IdxReader;
import org.bpnn.io.internal.Gzip;
import org.bpnn.tensor.Tensor;

/**
 * predict's --input as its steps read it (the CSV-or-IDX sniff, the first record for the header rule,
 * the first non-blank line's number, the read, the --id-column text), each of which starts from the
 * first byte. A regular file is opened again by each, streamed, never held in memory. A stream ({@code -}
 * for standard input, a named pipe, {@code /dev/stdin}, a process substitution {@code <(zcat a.csv.gz)})
 * can be read only once: its bytes, gzip still compressed, are read into memory once and every step reads
 * them there. Not one single-pass read instead: the header rule, the model's column names and
 * --id-column are checked against the first record before the reader is configured, and the refusals
 * name lines the way the file reader does (its UTF-8 check reads the data again), so a single pass would
 * mean a second copy of that logic for streams; the data is held as it came, no bigger than the
 * file it could be saved as, beside the float tensor read from it. {@link #toString()} is its name in
 * messages: the path, or "standard input" for {@code -}.
 */
final class PredictInput {
    /** The name of {@code --input -} in messages. */
    static final String STANDARD_INPUT = "standard input";

    /** The most bytes a stream may hold: the largest Java array (the limit of a byte[] read into memory). */
    static final int MAX_STREAM_BYTES = Integer.MAX_VALUE - 8;

    private final String name;
    /** The regular file, or null: a stream, read into {@link #data}. */
    private final Path file;
    private final byte[] data;

    private PredictInput(String name, Path file, byte[] data) {
        this.name = name;
        this.file = file;
        this.data = data;
    }

    /** Whether --input names a stream rather than a regular file: {@code -}, or an existing non-directory that is not a regular file. */
    static boolean isStream(Path input) {
        return input.toString().equals("-") || Files.exists(input) && !Files.isDirectory(input) && !Files.isRegularFile(input);
    }

    /** A regular file (checked by the caller), read where it is by each step. */
    static PredictInput file(Path file) {
        return new PredictInput(file.toString(), file, null);
    }

    /**
     * A stream's bytes, read once (to its end) from {@code stdin} for {@code -}, else from the path (a pipe,
     * a device), at most {@code limit} of them; more is refused, naming the input and the way out.
     */
    static PredictInput stream(Path input, InputStream stdin, int limit) throws IOException {
        boolean dash = input.toString().equals("-");
        String name = dash ? STANDARD_INPUT : input.toString();
        byte[] bytes;
        if (dash) {
            bytes = readAtMost(stdin, name, limit); // System.in is not ours to close
        } else {
            try (InputStream in = Files.newInputStream(input)) {
                bytes = readAtMost(in, name, limit);
            }
        }
        return new PredictInput(name, null, bytes);
    }

    private static byte[] readAtMost(InputStream in, String name, int limit) throws IOException {
        byte[] bytes = in.readNBytes(limit);
        if (bytes.length == limit && in.read() >= 0) {
            throw new IllegalArgumentException("--input " + name + " holds more than " + limit + " bytes, the most predict"
                    + " keeps in memory for a stream (which can be read only once); save the data to a file (gzipped, if it"
                    + " is large: predict reads .gz) and pass that with --input");
        }
        return bytes;
    }

    /** The bytes from the first one, buffered, decompressed when gzip (opening reads its header: damaged, it throws). */
    InputStream open(int bufferSize) throws IOException {
        return file != null ? Gzip.open(file, bufferSize) : Gzip.open(data, bufferSize);
    }

    List<String> headerNames(CsvReader reader) throws IOException {
        return file != null ? reader.headerNames(file) : reader.headerNames(data, name);
    }

    CsvData read(CsvReader reader) throws IOException {
        return file != null ? reader.read(file) : reader.read(data, name);
    }

    List<String[]> columnText(CsvReader reader, List<String> names, long maxRecords) throws IOException {
        return file != null ? reader.columnText(file, names, maxRecords) : reader.columnText(data, name, names, maxRecords);
    }

    /** The IDX images as raw values 0..255. */
    Tensor readImages() throws IOException {
        return file != null ? IdxReader.readImages(file, 1f) : IdxReader.readImages(new ByteArrayInputStream(data), name, 1f);
    }

    @Override
    public String toString() {
        return name;
    }
}
