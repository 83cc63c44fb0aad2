package org.bpnn.io.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Gzip told by content, not by file name: data starting with gzip's magic 1f 8b is decompressed.
 * UTF-8 text never starts so (8b is a continuation byte and cannot follow 1f), and neither does an
 * IDX file (00 00), so a {@code .csv.gz} and a plain CSV, or a gzipped and a plain IDX file, are told
 * apart by their first two bytes. One rule for the CSV reader, the IDX reader, the model reader's
 * refusals and {@code ./bpnn predict}.
 */
public final class Gzip {

    private Gzip() {
    }

    /** Whether two first bytes (as {@link InputStream#read()} returns them) are gzip's magic 1f 8b. */
    public static boolean isMagic(int b0, int b1) {
        return b0 == 0x1f && b1 == 0x8b;
    }

    /** Whether {@code head} starts with gzip's magic. */
    public static boolean startsWithMagic(byte[] head) {
        return head.length >= 2 && isMagic(head[0] & 0xff, head[1] & 0xff);
    }

    /** Whether the file starts with gzip's magic. */
    public static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return isMagic(in.read(), in.read());
        }
    }

    /**
     * The file's bytes, buffered ({@code bufferSize}), and decompressed when the file starts with
     * gzip's magic: one open of the file. Opening reads the gzip header, so damaged or cut-short gzip
     * data throws {@link java.util.zip.ZipException} or {@link java.io.EOFException} here (the file
     * then closed) or while reading.
     */
    public static InputStream open(Path file, int bufferSize) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), bufferSize);
        in.mark(2);
        boolean gzip = isMagic(in.read(), in.read());
        in.reset();
        if (!gzip) {
            return in;
        }
        try {
            return new GZIPInputStream(in, bufferSize);
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    /**
     * {@link #open(Path, int)} of bytes held in memory (standard input read once): the bytes as they are, or
     * decompressed when they start with gzip's magic, the header read here (damaged: ZipException or
     * EOFException).
     */
    public static InputStream open(byte[] data, int bufferSize) throws IOException {
        InputStream in = new java.io.ByteArrayInputStream(data);
        return startsWithMagic(data) ? new GZIPInputStream(in, bufferSize) : in;
    }
}
