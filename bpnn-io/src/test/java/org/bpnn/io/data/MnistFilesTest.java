package org.bpnn.io.data;

import static org.bpnn.io.data.IdxTestFiles.gzip;
import static org.bpnn.io.data.IdxTestFiles.labels;
import static org.bpnn.io.data.IdxTestFiles.ubyte;
import static org.bpnn.io.data.IdxTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistFilesTest {
    @TempDir
    Path dir;

    /** Three training and two test images of 2 x 2 pixels, two files plain and two gzipped. */
    private void writeSmallSet() throws IOException {
        write(dir, "train-images-idx3-ubyte.gz", gzip(ubyte(3, 2, 2)));
        write(dir, "train-labels-idx1-ubyte", labels(1, 0, 2));
        write(dir, "t10k-images-idx3-ubyte", ubyte(2, 2, 2));
        write(dir, "t10k-labels-idx1-ubyte.gz", gzip(labels(2, 1)));
    }

    @Test
    void loadsPlainAndGzippedFilesOfOneDirectory() throws IOException {
        writeSmallSet();
        MnistData d = MnistFiles.load(dir, 0.5f);
        assertEquals("(3, 4)", d.trainX().shape());
        assertEquals("(2, 4)", d.testX().shape());
        assertArrayEquals(new int[] {1, 0, 2}, d.trainY());
        assertArrayEquals(new int[] {2, 1}, d.testY());
        assertEquals(5.5f, d.trainX().get(2, 3)); // element 11 of the payload, times 0.5
    }

    @Test
    void refusesANullDirectoryAndAScaleThatIsNotPositive() throws IOException {
        // null was a NullPointerException; 0 and -1 were accepted (all-zero or negated pixels)
        write(dir, "train-images-idx3-ubyte", ubyte(1, 1, 1));
        write(dir, "train-labels-idx1-ubyte", labels(0));
        write(dir, "t10k-images-idx3-ubyte", ubyte(1, 1, 1));
        write(dir, "t10k-labels-idx1-ubyte", labels(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MnistFiles.load(null));
        assertTrue(e.getMessage().startsWith("dir is null; pass the directory holding the four files"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MnistFiles.locate(null));
        e = assertThrows(IllegalArgumentException.class, () -> MnistFiles.load(dir, 0f));
        assertEquals("scale must be finite and > 0, got 0.0 (every value would be 0); use e.g. 1f for raw 0..255 or 1f / 255 for 0..1",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MnistFiles.load(dir, -1f));
        assertTrue(e.getMessage().startsWith("scale must be finite and > 0, got -1.0 (every value would change sign)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MnistFiles.load(dir, Float.NaN));
        assertTrue(e.getMessage().startsWith("scale must be finite and > 0, got NaN;"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MnistFiles.load(dir, Float.MAX_VALUE));
        assertTrue(e.getMessage().contains("(255 * scale is not a finite float)"), e.getMessage());
        assertEquals(1, MnistFiles.load(dir, 1f / 255).trainX().rows());
    }

    @Test
    void rejectsImageAndLabelCountsThatDisagree() throws IOException {
        write(dir, "train-images-idx3-ubyte", ubyte(3, 2, 2));
        write(dir, "train-labels-idx1-ubyte", labels(1, 0));
        write(dir, "t10k-images-idx3-ubyte", ubyte(2, 2, 2));
        write(dir, "t10k-labels-idx1-ubyte", labels(2, 1));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> MnistFiles.load(dir));
        assertTrue(e.getMessage().contains("has 2 labels, but"), e.getMessage());
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte has 3 images"), e.getMessage());
    }

    @Test
    void rejectsTrainAndTestImagesOfDifferentSizes() throws IOException {
        write(dir, "train-images-idx3-ubyte", ubyte(2, 2, 2));
        write(dir, "train-labels-idx1-ubyte", labels(1, 0));
        write(dir, "t10k-images-idx3-ubyte", ubyte(2, 3, 3));
        write(dir, "t10k-labels-idx1-ubyte", labels(2, 1));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> MnistFiles.load(dir));
        assertTrue(e.getMessage().contains("images of 9 pixels"), e.getMessage());
    }

    @Test
    void missingFilesAreListedByNameWithTheInstallHint() throws IOException {
        write(dir, "train-images-idx3-ubyte", ubyte(1, 1, 1));
        write(dir, "t10k-labels-idx1-ubyte.gz", gzip(labels(1)));
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> MnistFiles.load(dir));
        String m = e.getMessage();
        assertTrue(m.contains(dir.toAbsolutePath().toString()), m);
        assertTrue(m.contains("missing train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz]."), m);
        assertFalse(m.contains("missing train-images"), m);
        assertTrue(m.contains("apt-get install dataset-fashion-mnist"), m);
        assertTrue(m.contains("/usr/share/datasets/fashion-mnist"), m);
        FileNotFoundException none = assertThrows(FileNotFoundException.class, () -> MnistFiles.load(dir.resolve("nope")));
        assertTrue(none.getMessage().contains("(no such directory)"), none.getMessage());
        // a file where the directory should be (--data pointing at one of the four files) was "no such directory"
        Path file = write(dir, "a-file", new byte[] {1});
        FileNotFoundException notDir = assertThrows(FileNotFoundException.class, () -> MnistFiles.load(file));
        assertTrue(notDir.getMessage().contains(file.toAbsolutePath() + " (a file, not a directory)"), notDir.getMessage());
    }

    @Test
    void loadIdxReadsWhatLoadReadsWithTheImagesAsBytes() throws IOException {
        writeSmallSet();
        MnistIdx raw = MnistFiles.loadIdx(dir);
        MnistData d = MnistFiles.load(dir, 0.5f);
        assertEquals(3, raw.trainCount());
        assertEquals(2, raw.testCount());
        assertEquals(4, raw.pixels());
        assertArrayEquals(d.trainY(), raw.trainY());
        assertArrayEquals(d.testY(), raw.testY());
        assertEquals(d.trainX(), raw.trainImages().toTensor(0.5f));
        assertEquals(d.testX(), raw.testImages().toTensor(0.5f));
        assertEquals(raw, MnistFiles.loadIdx(dir));
        assertEquals("MnistIdx[trainImages=[3, 2, 2], trainY=3, testImages=[2, 2, 2], testY=2]", raw.toString());
    }

    @Test
    void loadIdxMakesTheChecksOfLoad() throws IOException {
        write(dir, "train-images-idx3-ubyte", ubyte(3, 2, 2));
        write(dir, "train-labels-idx1-ubyte", labels(1, 0));
        write(dir, "t10k-images-idx3-ubyte", ubyte(2, 2, 2));
        write(dir, "t10k-labels-idx1-ubyte", labels(2, 1));
        assertEquals(assertThrows(IdxFormatException.class, () -> MnistFiles.load(dir)).getMessage(),
                assertThrows(IdxFormatException.class, () -> MnistFiles.loadIdx(dir)).getMessage());
        write(dir, "train-labels-idx1-ubyte", labels(1, 0, 2));
        write(dir, "t10k-images-idx3-ubyte", ubyte(2, 3, 3));
        String sizes = assertThrows(IdxFormatException.class, () -> MnistFiles.loadIdx(dir)).getMessage();
        assertEquals(assertThrows(IdxFormatException.class, () -> MnistFiles.load(dir)).getMessage(), sizes);
        assertTrue(sizes.contains("images of 9 pixels, but"), sizes);
        write(dir, "t10k-images-idx3-ubyte", labels(2, 1)); // a labels file where the images should be
        assertEquals(assertThrows(IdxFormatException.class, () -> MnistFiles.load(dir)).getMessage(),
                assertThrows(IdxFormatException.class, () -> MnistFiles.loadIdx(dir)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> MnistFiles.loadIdx(null));
        assertThrows(FileNotFoundException.class, () -> MnistFiles.loadIdx(dir.resolve("missing")));
    }
}
