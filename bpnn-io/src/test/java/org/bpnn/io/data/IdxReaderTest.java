package org.bpnn.io.data;

import static org.bpnn.io.data.IdxTestFiles.concat;
import static org.bpnn.io.data.IdxTestFiles.gzip;
import static org.bpnn.io.data.IdxTestFiles.idx;
import static org.bpnn.io.data.IdxTestFiles.labels;
import static org.bpnn.io.data.IdxTestFiles.ubyte;
import static org.bpnn.io.data.IdxTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.bpnn.nn.NamedPipes;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    private static void assertMessage(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message lacks \"" + p + "\": " + e.getMessage());
        }
    }

    private IdxFormatException fails(String name, byte[] bytes) throws IOException {
        Path f = write(dir, name, bytes);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(f));
        assertMessage(e, f.toString());
        assertEquals(f.toString(), e.source());
        return e;
    }

    @Test
    void aPlainFileIsReadIntoAnArrayOfItsPayloadsSize() throws IOException {
        // The payload was read into a buffer doubled from 1 MiB up to its size, whatever the file: for these 6 MB,
        // 1 + 2 + 4 MiB of arrays before the 6 MB one (13 MB). A plain file's size is known, and checked against the
        // header before reading: the payload is read into one array of that size.
        int count = 1500, rows = 40, cols = 100, payload = count * rows * cols;
        byte[] pixels = new byte[payload];
        for (int i = 0; i < payload; i++) pixels[i] = (byte) (i * 31 + i / 7);
        Path f = write(dir, "big-idx3-ubyte", idx(0x08, new int[] {count, rows, cols}, pixels));
        IdxReader.read(write(dir, "small-idx1-ubyte", labels(1, 2, 3))); // once first: classes loaded, as in the measured call
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        IdxData d = IdxReader.read(f);
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        // the payload, the stream's 64 KiB buffer, the trailing-bytes check's 64 KiB, and 128 KiB for the rest
        long bound = payload + (256 << 10);
        assertTrue(allocated <= bound, "reading a plain file of " + payload + " payload bytes allocated " + allocated
                + " bytes, more than " + bound);
        assertArrayEquals(new int[] {count, rows, cols}, d.dims());
        assertArrayEquals(pixels, d.data());
        // gzipped, the size is not known before reading: the same bytes, the buffer grown as they arrive
        IdxData z = IdxReader.read(write(dir, "big-idx3-ubyte.gz", gzip(idx(0x08, new int[] {count, rows, cols}, pixels))));
        assertArrayEquals(pixels, z.data());
    }

    @Test
    void readsPlainLabels() throws IOException {
        Path f = write(dir, "labels-idx1-ubyte", labels(0, 9, 200, 255));
        assertArrayEquals(new int[] {0, 9, 200, 255}, IdxReader.readLabels(f));
    }

    @Test
    void readsGzippedImagesAsRowsOfRawValues() throws IOException {
        Path f = write(dir, "images-idx3-ubyte.gz", gzip(ubyte(2, 2, 3)));
        Tensor t = IdxReader.readImages(f);
        assertEquals(2, t.rows());
        assertEquals(6, t.cols());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, t.data());
    }

    @Test
    void scalesImagesAndKeepsBytesUnsigned() throws IOException {
        byte[] payload = {0, (byte) 128, (byte) 255, 51};
        Path f = write(dir, "img", idx(0x08, new int[] {1, 2, 2}, payload));
        Tensor t = IdxReader.readImages(f, 1f / 255);
        assertArrayEquals(new float[] {0f, 128f / 255, 1f, 0.2f}, t.data(), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> IdxReader.readImages(f, Float.NaN));
        // 0 and negative scales were accepted: all-zero or negated pixels
        assertThrows(IllegalArgumentException.class, () -> IdxReader.readImages(f, 0f));
        assertThrows(IllegalArgumentException.class, () -> IdxReader.readImages(f, -1f / 255));
        IdxData d = IdxReader.read(f);
        assertThrows(IllegalArgumentException.class, () -> d.toTensor(-0f));
        assertThrows(IllegalArgumentException.class, () -> d.toTensor(-2f));
    }

    @Test
    void nullFilesAndDirectoriesAreNamed() {
        // null was a NullPointerException; a directory a bare "java.io.IOException: Is a directory"
        assertThrows(IllegalArgumentException.class, () -> IdxReader.read((Path) null));
        assertThrows(IllegalArgumentException.class, () -> IdxReader.readImages(null, 1f));
        assertThrows(IllegalArgumentException.class, () -> IdxReader.readLabels(null));
        assertThrows(IllegalArgumentException.class, () -> IdxReader.read((java.io.InputStream) null));
        IOException e = assertThrows(IOException.class, () -> IdxReader.readImages(dir));
        assertTrue(e.getMessage().startsWith(dir + " is a directory; expected an IDX file"), e.getMessage());
    }

    @Test
    void detectsGzipByContentNotName() throws IOException {
        Path gzNoSuffix = write(dir, "labels-plain-name", gzip(labels(3, 1)));
        Path plainWithGz = write(dir, "labels.gz", labels(4, 2));
        assertArrayEquals(new int[] {3, 1}, IdxReader.readLabels(gzNoSuffix));
        assertArrayEquals(new int[] {4, 2}, IdxReader.readLabels(plainWithGz));
    }

    /**
     * A named pipe (as from {@code --images <(zcat train-images.gz)}) is read like the file it
     * carries: its size, 0, was taken for the data's length (a complete plain file was "truncated,
     * found only -8 payload bytes"), and a gzipped one failed with a bare "Illegal seek" (the gzip
     * reader asks the pipe's channel how much is available at the end of the member).
     */
    @Test
    void readsFromANamedPipe() throws Exception {
        Path fifo = NamedPipes.makeOrSkip(dir.resolve("fifo"));
        for (byte[] bytes : List.of(ubyte(3, 2, 2), gzip(ubyte(3, 2, 2)))) {
            Thread writer = new Thread(() -> {
                try {
                    Files.write(fifo, bytes);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // what the writer throws ends only its thread: kept, to fail the test
            AtomicReference<Throwable> failure = new AtomicReference<>();
            writer.setUncaughtExceptionHandler((t, e) -> failure.set(e));
            writer.start();
            try {
                Tensor t = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> IdxReader.readImages(fifo));
                assertEquals(3, t.rows());
                assertEquals(4, t.cols());
                assertEquals(5f, t.get(1, 1));
            } finally {
                writer.join(10_000);
            }
            assertFalse(writer.isAlive(), "the writer still writes the pipe 10 s after it was read");
            if (failure.get() != null) fail("writing the pipe failed", failure.get());
        }
    }

    @Test
    void readsGenericStreamsOfEveryRank() throws IOException {
        for (int[] dims : new int[][] {{5}, {2, 3}, {2, 1, 3}, {1, 2, 2, 2}}) {
            byte[] bytes = ubyte(dims);
            IdxData plain = IdxReader.read(new ByteArrayInputStream(bytes));
            IdxData gz = IdxReader.read(new ByteArrayInputStream(gzip(bytes)), "mem");
            assertArrayEquals(dims, plain.dims());
            assertEquals(0x08, plain.typeCode());
            assertEquals(Arrays.stream(dims).reduce(1, (a, b) -> a * b), plain.count());
            assertEquals(plain, gz);
            assertEquals((byte) 1, plain.data()[1]);
        }
    }

    @Test
    void imagesFromAStreamAreTheFilesImagesAndItsRefusalsNameTheSource() throws IOException {
        byte[] bytes = ubyte(3, 2, 2);
        Tensor file = IdxReader.readImages(write(dir, "img", bytes), 0.5f);
        for (byte[] b : List.of(bytes, gzip(bytes))) {
            assertEquals(file, IdxReader.readImages(new ByteArrayInputStream(b), "standard input", 0.5f));
        }
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> IdxReader.readImages(new ByteArrayInputStream(labels(1, 2)), "standard input", 1f));
        assertMessage(e, "standard input: expected an image file with 3 dimensions", "found 1", "readLabels");
        assertEquals("standard input", e.source());
        assertThrows(IllegalArgumentException.class, () -> IdxReader.readImages(new ByteArrayInputStream(bytes), "s", 0f));
    }

    @Test
    void wrongShapeForImagesOrLabelsSaysWhichReaderToUse() throws IOException {
        Path lab = write(dir, "lab", labels(1, 2));
        Path img = write(dir, "img", ubyte(1, 2, 2));
        assertMessage(assertThrows(IdxFormatException.class, () -> IdxReader.readImages(lab)), "3 dimensions", "found 1", "readLabels");
        assertMessage(assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(img)), "1 dimension", "found 3", "readImages");
    }

    @Test
    void rejectsBadMagic() throws IOException {
        byte[] b = ubyte(4);
        b[1] = 0x01;
        IdxFormatException e = fails("bad-magic", b);
        assertEquals(1, e.offset());
        assertMessage(e, "expected 00 00", "found 00 01");
        assertMessage(fails("text", "hello world\n".getBytes()), "not an IDX file");
    }

    @Test
    void rejectsUnsupportedTypeCode() throws IOException {
        IdxFormatException e = fails("floats", idx(0x0D, new int[] {1}, new byte[4]));
        assertEquals(2, e.offset());
        assertMessage(e, "expected 0x08 (unsigned byte)", "found 0x0D", "float");
        assertMessage(fails("junk-type", idx(0x42, new int[] {1}, new byte[1])), "found 0x42", "not an IDX type code");
    }

    @Test
    void rejectsDimensionCountOutside1To4() throws IOException {
        IdxFormatException zero = fails("k0", idx(0x08, new int[0], new byte[0]));
        assertEquals(3, zero.offset());
        assertMessage(zero, "expected 1 to 4, found 0");
        assertMessage(fails("k5", idx(0x08, new int[] {1, 1, 1, 1, 1}, new byte[1])), "expected 1 to 4, found 5");
    }

    @Test
    void rejectsNonPositiveSizes() throws IOException {
        IdxFormatException e = fails("zero-size", idx(0x08, new int[] {2, 0, 3}, new byte[0]));
        assertEquals(8, e.offset());
        assertMessage(e, "dimension 1", "expected a positive size, found 0");
        assertMessage(fails("negative", gzip(idx(0x08, new int[] {-1}, new byte[0]))), "found 4294967295");
    }

    /**
     * A file of no items (count 0, no payload) is well-formed but empty: said so, not called corrupt as a
     * 0 among the other sizes is ("expected a positive size, found 0; the header is corrupt").
     */
    @Test
    void aFileOfNoItemsIsRefusedAsEmptyNotCorrupt() throws IOException {
        for (int[] dims : new int[][] {{0, 28, 28}, {0}}) {
            IdxFormatException e = fails("none", idx(0x08, dims, new byte[0]));
            assertEquals(4, e.offset());
            assertTrue(e.getMessage().endsWith(": bytes 4-7 (size of dimension 0, the number of items): found 0, so the file"
                    + " holds no images or labels; expected at least one: pass a file with data"), e.getMessage());
        }
    }

    @Test
    void rejectsAbsurdSizesBeforeAllocating() throws IOException {
        IdxFormatException e = fails("overflow", idx(0x08, new int[] {65536, 65536, 65536}, new byte[16]));
        assertMessage(e, "more than " + IdxReader.MAX_ELEMENTS + " elements");
        assertMessage(fails("overflow.gz", gzip(idx(0x08, new int[] {Integer.MAX_VALUE}, new byte[16]))), "more than");
        // A size that fits an array but not the data: found out without allocating the claimed gigabyte.
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertMessage(fails("huge-plain", idx(0x08, new int[] {1 << 30}, new byte[10])), "found only 10", "truncated");
            assertMessage(fails("huge.gz", gzip(idx(0x08, new int[] {1 << 15, 1 << 15}, new byte[10]))), "found only 10", "truncated");
        });
    }

    @Test
    void rejectsTruncatedPayloadStatingExpectedAndActual() throws IOException {
        byte[] full = ubyte(3, 2, 2);
        byte[] cut = Arrays.copyOf(full, full.length - 5);
        IdxFormatException plain = fails("cut", cut);
        assertMessage(plain, "need 12 payload bytes", "16-byte header", "found only 7", "truncated");
        assertEquals(16 + 7, plain.offset());
        IdxFormatException gz = fails("cut.gz", gzip(cut));
        assertMessage(gz, "need 12 payload bytes", "found only 7", "gzip");
        assertEquals(16 + 7, gz.offset());
        assertMessage(fails("header-cut", Arrays.copyOf(full, 9)), "16 header bytes", "ends after 9");
    }

    @Test
    void rejectsTruncatedGzipStream() throws IOException {
        byte[] gz = gzip(ubyte(50, 20));
        IdxFormatException e = fails("cut-stream.gz", Arrays.copyOf(gz, gz.length - 12));
        assertMessage(e, "truncated");
    }

    @Test
    void aGzipFileCutAnywhereIsAFormatErrorNamingTheFile() throws IOException {
        // cut inside the 10-byte gzip header (or a flag bit that announces header fields that are not
        // there), the JDK's GZIPInputStream constructor threw a bare EOFException: no file, no message
        byte[] gz = gzip(ubyte(5, 4));
        for (int cut = 2; cut < gz.length; cut++) {
            assertMessage(fails("cut-" + cut + ".gz", Arrays.copyOf(gz, cut)), "gzip", "truncated");
        }
        byte[] flagged = gz.clone();
        flagged[3] |= 0x04; // FEXTRA: an extra field whose length runs past the end
        assertMessage(fails("flagged.gz", Arrays.copyOf(flagged, 12)), "gzip");
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        byte[] extra = concat(ubyte(2, 2), new byte[] {7, 7, 7});
        IdxFormatException plain = fails("trailing", extra);
        assertMessage(plain, "need 4 payload bytes", "found 7", "3 trailing bytes from byte 16");
        assertEquals(16, plain.offset());
        assertMessage(fails("trailing.gz", gzip(extra)), "3 trailing bytes");
        IdxFormatException stream = assertThrows(IdxFormatException.class, () -> IdxReader.read(new ByteArrayInputStream(extra)));
        assertMessage(stream, "<stream>", "3 trailing bytes");
    }

    @Test
    void isACheckedIOException() {
        assertTrue(IOException.class.isAssignableFrom(IdxFormatException.class));
    }

    @Test
    void aHandBuiltIdxDataIsCheckedAsDocumented() {
        // new IdxData(8, {0}, {}).toTensor(1f) threw ArithmeticException: / by zero
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new IdxData(8, new int[] {0}, new byte[0])).getMessage()
                .contains("IDX dimension 0 is 0; every size must be positive"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new IdxData(8, new int[] {2, 3}, new byte[5])).getMessage()
                .contains("hold 6 elements, but data has 5 bytes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new IdxData(8, new int[0], new byte[0])).getMessage()
                .contains("1 to 4 dimensions"));
        assertEquals(6, new IdxData(8, new int[] {2, 3}, new byte[6]).toTensor(1f).size());
    }

    @Test
    void chosenSamplesConvertToTheRowsOfTheWholeTensorBitForBit() throws IOException {
        Path f = write(dir, "img.gz", gzip(ubyte(5, 3, 2))); // payload i % 256: every row differs
        IdxData d = IdxReader.readImageData(f);
        Tensor all = d.toTensor(1f / 255);
        int[] samples = {9, 4, 0, 4, 2, 9};
        Tensor part = d.toTensor(samples, 1, 5, 1f / 255); // 4, 0, 4, 2: in that order, repeats kept
        assertEquals("(4, 6)", part.shape());
        int[] rows = {4, 0, 4, 2};
        for (int i = 0; i < rows.length; i++) {
            assertArrayEquals(all.rowCopy(rows[i]), part.rowCopy(i), "row " + i + " is sample " + rows[i]);
        }
        assertEquals(all, d.toTensor(new int[] {0, 1, 2, 3, 4}, 0, 5, 1f / 255));
        assertEquals("sample index 9 at position 0 is outside [0, 5): the data holds 5 samples; pass indices of existing samples",
                assertThrows(IllegalArgumentException.class, () -> d.toTensor(samples, 0, 2, 1f)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.toTensor(samples, 2, 2, 1f)).getMessage()
                .startsWith("sample range [2, 2) is empty or outside the 6 indices given"));
        assertThrows(IllegalArgumentException.class, () -> d.toTensor(samples, 5, 7, 1f));
        assertThrows(IllegalArgumentException.class, () -> d.toTensor(samples, -1, 2, 1f));
        assertThrows(IllegalArgumentException.class, () -> d.toTensor(null, 0, 1, 1f));
        assertThrows(IllegalArgumentException.class, () -> d.toTensor(rows, 0, 1, 0f));
    }

    @Test
    void readImageDataMakesTheChecksOfReadImages() throws IOException {
        Path labelsFile = write(dir, "t10k-labels-idx1-ubyte", labels(1, 2));
        assertEquals(assertThrows(IdxFormatException.class, () -> IdxReader.readImages(labelsFile)).getMessage(),
                assertThrows(IdxFormatException.class, () -> IdxReader.readImageData(labelsFile)).getMessage());
        Path images = write(dir, "img", ubyte(2, 2, 2));
        assertEquals(IdxReader.read(images), IdxReader.readImageData(images));
    }
}
