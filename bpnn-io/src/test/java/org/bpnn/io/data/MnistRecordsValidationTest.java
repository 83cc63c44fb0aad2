package org.bpnn.io.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * MnistData and MnistIdx built by hand (not by MnistFiles, which checks the files first) check their
 * components: a null one, a label array of the wrong length or a test set of another image size was
 * accepted, and failed later (a NullPointerException in toString, a split or predict far from the cause).
 */
class MnistRecordsValidationTest {

    private static Tensor images(int rows, int pixels) {
        return Tensor.zeros(rows, pixels);
    }

    private static IdxData idx(int count, int rows, int cols) {
        return new IdxData(0x08, new int[] {count, rows, cols}, new byte[count * rows * cols]);
    }

    private static String refusal(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void mnistDataNamesTheComponent() {
        assertEquals("testX is null; pass the test images (MnistFiles.load reads all four from a directory)",
                refusal(() -> new MnistData(images(3, 4), new int[3], null, new int[2])));
        assertEquals("trainY is null; pass the training labels, one per image (MnistFiles.load reads all four from a"
                + " directory)", refusal(() -> new MnistData(images(3, 4), null, images(2, 4), new int[2])));
        assertEquals("trainY has 2 labels, but trainX has 3 images; pass one label per image, in the images' order",
                refusal(() -> new MnistData(images(3, 4), new int[2], images(2, 4), new int[2])));
        assertEquals("testY has 1 label, but testX has 2 images; pass one label per image, in the images' order",
                refusal(() -> new MnistData(images(3, 4), new int[3], images(2, 4), new int[1])));
        assertEquals("testX has images of 5 pixels, but trainX has 4; training and test images must have the same size"
                + " (come from the same dataset)", refusal(() -> new MnistData(images(3, 4), new int[3], images(2, 5), new int[2])));
        assertEquals(3, new MnistData(images(3, 4), new int[3], images(2, 4), new int[2]).trainY().length);
    }

    @Test
    void mnistIdxNamesTheComponent() {
        assertEquals("trainImages is null; pass the training images (MnistFiles.load reads all four from a directory)",
                refusal(() -> new MnistIdx(null, new int[3], idx(2, 2, 2), new int[2])));
        assertEquals("testY is null; pass the test labels, one per image (MnistFiles.load reads all four from a directory)",
                refusal(() -> new MnistIdx(idx(3, 2, 2), new int[3], idx(2, 2, 2), null)));
        assertEquals("trainY has 4 labels, but trainImages has 3 images; pass one label per image, in the images' order",
                refusal(() -> new MnistIdx(idx(3, 2, 2), new int[4], idx(2, 2, 2), new int[2])));
        assertEquals("testImages has images of 6 pixels, but trainImages has 4; training and test images must have the"
                + " same size (come from the same dataset)",
                refusal(() -> new MnistIdx(idx(3, 2, 2), new int[3], idx(2, 2, 3), new int[2])));
        assertEquals(4, new MnistIdx(idx(3, 2, 2), new int[3], idx(2, 2, 2), new int[2]).pixels());
    }
}
