package org.bpnn.io.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.bpnn.io.internal.Counts;
import org.bpnn.io.internal.Gzip;
import org.bpnn.tensor.Tensor;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST, plain or gzipped.
 *
 * <p>Layout (all integers big-endian): bytes 0-1 are zero; byte 2 is the type code (0x08 unsigned
 * byte, 0x09 signed byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double); byte 3 is the number of
 * dimensions k; then k 4-byte dimension sizes; then the payload, product(sizes) values row-major.
 * Only 0x08 is supported (it is what MNIST-style datasets use); other codes are rejected by name.
 * reference: http://yann.lecun.com/exdb/mnist/ ("THE IDX FILE FORMAT").
 *
 * <p>Gzip is detected by its magic bytes 1f 8b, not by the file name. Validation, each failure an
 * {@link IdxFormatException} naming the file, the byte offset (in the decompressed stream), what was
 * expected and what was found: the magic, the type code, 1 to 4 dimensions, every size positive, the
 * element count computed in {@code long} and checked against the Java array limit before anything is
 * allocated, and the payload length against the header, so a truncated file and trailing bytes are
 * both errors (in gzipped input: trailing decompressed bytes, including a second gzip member; bytes
 * after the last member that are not gzip data are dropped by the JDK's gzip reader, unseen here).
 * For plain files the length is checked against the file size before reading (a named pipe or
 * device is read as a stream), and the payload is then read into an array of its size; for gzipped input (and a stream)
 * the buffer grows as data arrives, so an absurd header on a tiny file never allocates the size it claims.
 *
 * <p>Reads are bulk ({@link InputStream#readNBytes(byte[], int, int)} through 64 KiB buffers).
 */
public final class IdxReader {
    /** Type code of unsigned bytes, the only one supported. */
    public static final int UNSIGNED_BYTE = 0x08;
    /** Largest element count accepted: the largest Java array (and {@link Tensor}). */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** Maximum number of dimensions accepted. */
    public static final int MAX_DIMS = 4;

    private static final int BUFFER = 1 << 16;
    private static final int INITIAL_CAPACITY = 1 << 20;

    private IdxReader() {
    }

    /** Reads a 3-D image file (count, rows, cols) as a tensor (count, rows * cols) of raw values 0..255. */
    public static Tensor readImages(Path file) throws IOException {
        return readImages(file, 1f);
    }

    /**
     * Reads a 3-D image file (count, rows, cols) as a tensor (count, rows * cols), each byte value
     * 0..255 multiplied by {@code scale}, finite and &gt; 0 ({@code 1f / 255} gives 0..1).
     */
    public static Tensor readImages(Path file, float scale) throws IOException {
        IdxData.checkScale(scale);
        return images(read(file), file.toString(), scale);
    }

    /**
     * Reads a 3-D image file (count, rows, cols) with the checks of {@link #readImages(Path, float)}, its
     * pixels left as bytes: a quarter of the memory of the float tensor, for a caller that converts only
     * some images, or some at a time ({@link IdxData#toTensor(int[], int, int, float)}), instead of
     * holding every image as floats beside the tensors it makes of them.
     */
    public static IdxData readImageData(Path file) throws IOException {
        IdxData d = read(file);
        requireImages(d, file.toString());
        return d;
    }

    /**
     * {@link #readImages(Path, float)} from a stream (not closed; plain or gzipped, ending right after the
     * payload), naming it {@code source} in errors (null: {@code "<stream>"}): e.g. standard input.
     */
    public static Tensor readImages(InputStream in, String source, float scale) throws IOException {
        IdxData.checkScale(scale);
        String name = source == null ? "<stream>" : source;
        return images(read(in, name), name, scale);
    }

    private static Tensor images(IdxData d, String file, float scale) throws IdxFormatException {
        requireImages(d, file);
        return d.toTensor(scale);
    }

    private static void requireImages(IdxData d, String file) throws IdxFormatException {
        if (d.dims().length != 3) {
            throw new IdxFormatException(file, 3, file + ": expected an image file with 3 dimensions (count, rows, cols), found "
                    + d.dims().length + " " + Arrays.toString(d.dims())
                    + (d.dims().length == 1 ? "; this looks like a labels file: give the images file beside it (e.g. "
                            + "t10k-images-idx3-ubyte.gz; labels are read with IdxReader.readLabels)" : "; pass a 3-D IDX image file"));
        }
    }

    /** Reads a 1-D label file as one int (0..255) per sample. */
    public static int[] readLabels(Path file) throws IOException {
        IdxData d = read(file);
        if (d.dims().length != 1) {
            throw new IdxFormatException(file.toString(), 3, file + ": expected a label file with 1 dimension (count), found "
                    + d.dims().length + " " + Arrays.toString(d.dims())
                    + (d.dims().length == 3 ? "; this looks like an image file, read it with readImages" : "; pass a 1-D IDX label file"));
        }
        return d.toIntArray();
    }

    /** Reads and validates any supported IDX file, plain or gzipped. */
    public static IdxData read(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file is null; pass the IDX file to read, e.g. train-images-idx3-ubyte.gz");
        }
        if (Files.isDirectory(file)) {
            // reading a directory fails with a bare "Is a directory", without the path
            throw new IOException(file + " is a directory; expected an IDX file such as train-images-idx3-ubyte.gz"
                    + " (MnistFiles.load reads a directory of the four MNIST files)");
        }
        String source = file.toString();
        if (!Files.isRegularFile(file) && Files.exists(file)) {
            // a named pipe or a device (e.g. <(zcat ...)): its size says nothing, read it as a stream
            try (InputStream in = new UnsizedStream(Files.newInputStream(file))) {
                return read(in, source, -1);
            }
        }
        long size = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, source, size);
        }
    }

    /**
     * A pipe's channel cannot tell how many bytes are available ("Illegal seek"), which the gzip
     * reader asks at the end of each member; answering 1 makes it look for a further member as it
     * does in a file (at the end of the data that finds nothing), so a second member is still seen.
     */
    private static final class UnsizedStream extends java.io.FilterInputStream {
        UnsizedStream(InputStream in) {
            super(in);
        }

        @Override
        public int available() {
            return 1;
        }
    }

    /** Reads and validates IDX data, plain or gzipped, from a stream (not closed); errors name it "&lt;stream&gt;". */
    public static IdxData read(InputStream in) throws IOException {
        return read(in, "<stream>");
    }

    /**
     * Reads and validates IDX data, plain or gzipped, from a stream (not closed), naming it
     * {@code source} in errors (null: {@code "<stream>"}). The stream must end right after the payload.
     */
    public static IdxData read(InputStream in, String source) throws IOException {
        if (in == null) {
            throw new IllegalArgumentException("in is null; pass the stream of IDX data to read");
        }
        return read(in, source == null ? "<stream>" : source, -1);
    }

    /** @param rawSize the stream's total length when known (a file), else -1 */
    private static IdxData read(InputStream raw, String source, long rawSize) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        boolean gzip = Gzip.isMagic(b0, b1);
        String where = gzip ? source + " (gzip, offsets in the decompressed data)" : source;
        long plainSize = gzip ? -1 : rawSize;
        try {
            InputStream in;
            try {
                in = gzip ? new GZIPInputStream(buffered, BUFFER) : buffered;
            } catch (EOFException e) {
                // the constructor reads the gzip header: cut short, it throws a bare EOFException
                throw new IdxFormatException(source, -1, source + ": starts with the gzip magic 1f 8b but ends inside the gzip "
                        + "header (10 bytes and the optional fields its flags announce); the file is truncated, re-download it", e);
            }
            return readPlain(in, where, source, plainSize);
        } catch (ZipException e) {
            throw new IdxFormatException(source, -1, source + ": starts with the gzip magic 1f 8b but is not a valid gzip stream ("
                    + e.getMessage() + "); re-download the file or decompress it with gunzip to check it", e);
        }
    }

    private static IdxData readPlain(InputStream in, String where, String source, long plainSize) throws IOException {
        byte[] magic = readUpTo(in, 4, where, source, 0);
        if (magic.length < 4) {
            throw new IdxFormatException(source, magic.length, where + ": expected a 4-byte IDX header (00 00 type dims), but the data ends after "
                    + Counts.of(magic.length, "byte") + "; this is not an IDX file or it is truncated");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IdxFormatException(source, magic[0] != 0 ? 0 : 1, where + ": bytes 0-1: expected 00 00 (IDX magic), found "
                    + hex(magic[0]) + " " + hex(magic[1]) + "; this is not an IDX file (MNIST-style *-ubyte or *-ubyte.gz)");
        }
        int type = magic[2] & 0xFF;
        if (type != UNSIGNED_BYTE) {
            throw new IdxFormatException(source, 2, where + ": byte 2 (type code): expected 0x08 (unsigned byte), found 0x" + hex(magic[2])
                    + " (" + typeName(type) + "); only unsigned-byte IDX files are supported, convert the data to 0..255 bytes");
        }
        int k = magic[3] & 0xFF;
        if (k < 1 || k > MAX_DIMS) {
            throw new IdxFormatException(source, 3, where + ": byte 3 (dimension count): expected 1 to " + MAX_DIMS + ", found " + k
                    + "; the header is corrupt or this is not an IDX file");
        }
        byte[] sizeBytes = readUpTo(in, 4 * k, where, source, 4);
        if (sizeBytes.length < 4 * k) {
            throw new IdxFormatException(source, 4 + sizeBytes.length, where + ": the header declares " + Counts.of(k, "dimension") + ", needing "
                    + (4 + 4 * k) + " header bytes, but the data ends after " + (4 + sizeBytes.length) + "; the file is truncated");
        }
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) {
            int p = 4 * i;
            int d = ((sizeBytes[p] & 0xFF) << 24) | ((sizeBytes[p + 1] & 0xFF) << 16) | ((sizeBytes[p + 2] & 0xFF) << 8) | (sizeBytes[p + 3] & 0xFF);
            if (d == 0 && i == 0) {
                // a well-formed file of no items (an export whose filter matched nothing) is not corrupt, so it
                // gets its own message: it has nothing to read, and bpnn has no tensor of 0 rows
                throw new IdxFormatException(source, 4, where + ": bytes 4-7 (size of dimension 0, the number of items):"
                        + " found 0, so the file holds no images or labels; expected at least one: pass a file with data");
            }
            if (d <= 0) {
                throw new IdxFormatException(source, 4 + p, where + ": bytes " + (4 + p) + "-" + (7 + p) + " (size of dimension " + i
                        + "): expected a positive size, found " + Integer.toUnsignedString(d)
                        + (d < 0 ? " (" + d + " as a signed int)" : "") + "; the header is corrupt");
            }
            dims[i] = d;
        }
        long count = 1;
        for (int i = 0; i < k; i++) {
            count *= dims[i]; // count <= MAX_ELEMENTS * (2^31 - 1) < 2^62 here: no long overflow
            if (count > MAX_ELEMENTS) {
                throw new IdxFormatException(source, 4, where + ": dimensions " + Arrays.toString(dims) + " describe more than "
                        + MAX_ELEMENTS + " elements, the most a Java array can hold; the header is corrupt, or split the data into smaller files");
            }
        }
        long header = 4 + 4L * k;
        if (plainSize >= 0 && plainSize != header + count) {
            long actual = plainSize - header;
            throw payloadMismatch(source, where, dims, header, count, actual, actual < count);
        }
        byte[] data = readPayload(in, (int) count, plainSize >= 0, where, source, header, dims);
        long trailing = countRemaining(in, where, source, header + count);
        if (trailing > 0) {
            throw payloadMismatch(source, where, dims, header, count, count + trailing, false);
        }
        return new IdxData(type, dims, data);
    }

    private static IdxFormatException payloadMismatch(String source, String where, int[] dims, long header, long expected,
            long actual, boolean truncated) {
        String dimText = Arrays.toString(dims);
        if (truncated) {
            return new IdxFormatException(source, header + actual, where + ": dimensions " + dimText + " need " + expected
                    + " payload bytes after the " + header + "-byte header, found only " + actual + " (data ends at byte "
                    + (header + actual) + " of an expected " + (header + expected) + "); the file is truncated, re-download it");
        }
        return new IdxFormatException(source, header + expected, where + ": dimensions " + dimText + " need " + expected
                + " payload bytes after the " + header + "-byte header, found " + actual + " (" + (actual - expected)
                + " trailing bytes from byte " + (header + expected) + "); the header does not match the data, re-download the file");
    }

    private static byte[] readUpTo(InputStream in, int n, String where, String source, long offset) throws IOException {
        try {
            return in.readNBytes(n);
        } catch (EOFException e) {
            throw gzipTruncated(source, where, offset, e);
        }
    }

    /**
     * The count payload bytes: into an array of that size when {@code sizeKnown} (a plain file whose size
     * matched the header: for Fashion-MNIST's 47 MB of training images, doubling from 1 MiB would allocate 63 MiB of
     * arrays before the last, and hold 32 MiB of them beside it while copying), else into one grown as the data arrives.
     */
    private static byte[] readPayload(InputStream in, int count, boolean sizeKnown, String where, String source, long header,
            int[] dims) throws IOException {
        byte[] buf = new byte[sizeKnown ? count : Math.min(count, INITIAL_CAPACITY)];
        int filled = 0;
        while (true) {
            int n;
            try {
                n = in.readNBytes(buf, filled, buf.length - filled);
            } catch (EOFException e) {
                throw gzipTruncated(source, where, header + filled, e);
            }
            filled += n;
            if (filled < buf.length) {
                throw payloadMismatch(source, where, dims, header, count, filled, true);
            }
            if (filled == count) {
                return buf;
            }
            buf = Arrays.copyOf(buf, (int) Math.min(count, 2L * buf.length));
        }
    }

    private static long countRemaining(InputStream in, String where, String source, long offset) throws IOException {
        byte[] skip = new byte[BUFFER];
        long total = 0;
        try {
            for (int n; (n = in.read(skip)) > 0; ) {
                total += n;
            }
        } catch (EOFException e) {
            throw gzipTruncated(source, where, offset + total, e);
        }
        return total;
    }

    private static IdxFormatException gzipTruncated(String source, String where, long offset, EOFException e) {
        return new IdxFormatException(source, offset, where + ": the gzip stream ends unexpectedly around decompressed byte " + offset
                + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")") + "; the file is truncated, re-download it", e);
    }

    private static String hex(byte b) {
        return String.format("%02X", b & 0xFF);
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x08 -> "unsigned byte";
            case 0x09 -> "signed byte, valid IDX but not supported";
            case 0x0B -> "short, valid IDX but not supported";
            case 0x0C -> "int, valid IDX but not supported";
            case 0x0D -> "float, valid IDX but not supported";
            case 0x0E -> "double, valid IDX but not supported";
            default -> "not an IDX type code";
        };
    }
}
