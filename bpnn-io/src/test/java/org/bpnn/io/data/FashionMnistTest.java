package org.bpnn.io.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Reads the real Fashion-MNIST files; skipped unless {@code apt-get install dataset-fashion-mnist} has put them in place. */
class FashionMnistTest {

    @Test
    void readsTheInstalledDataset() throws IOException {
        assumeTrue(Files.isDirectory(MnistFiles.FASHION_MNIST_DIR), "Fashion-MNIST not installed in " + MnistFiles.FASHION_MNIST_DIR);
        long start = System.nanoTime();
        MnistData d = MnistFiles.loadFashionMnist(1f / 255);
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("FashionMnistTest: read all four Fashion-MNIST files in " + ms + " ms");

        assertEquals(60000, d.trainX().rows());
        assertEquals(10000, d.testX().rows());
        assertEquals(784, d.trainX().cols());
        assertEquals(784, d.testX().cols());
        assertEquals(60000, d.trainY().length);
        assertEquals(10000, d.testY().length);
        checkClasses(d.trainY(), 6000);
        checkClasses(d.testY(), 1000);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : d.trainX().data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
    }

    private static void checkClasses(int[] labels, int perClass) {
        int[] counts = new int[10];
        for (int y : labels) {
            assertTrue(y >= 0 && y <= 9, "label " + y + " outside 0..9");
            counts[y]++;
        }
        for (int c = 0; c < 10; c++) {
            assertTrue(Math.abs(counts[c] - perClass) <= perClass / 20, "class " + c + " has " + counts[c] + " samples, expected ~" + perClass);
        }
    }
}
