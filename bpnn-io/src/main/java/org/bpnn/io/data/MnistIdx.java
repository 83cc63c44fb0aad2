package org.bpnn.io.data;

import java.util.Arrays;

/**
 * An MNIST-style dataset as {@link MnistFiles#loadIdx} reads it: the images still as the files' bytes
 * (one sample per entry of dimension 0), the labels as ints. {@link IdxData#toTensor(float)} converts a
 * whole image file, {@link IdxData#toTensor(int[], int, int, float)} the samples a part needs.
 *
 * @param trainImages training images, dims (trainCount, rows, cols)
 * @param trainY training labels, trainCount of them
 * @param testImages test images, dims (testCount, rows, cols)
 * @param testY test labels, testCount of them
 */
public record MnistIdx(IdxData trainImages, int[] trainY, IdxData testImages, int[] testY) {

    /**
     * Checks the four components.
     *
     * @throws IllegalArgumentException when a component is null, a label array's length is not its image
     *         count, or training and test images differ in pixels per image ({@link MnistFiles#loadIdx}
     *         checks these first, naming the files)
     */
    public MnistIdx {
        // checked here too, not only by MnistFiles: a record built by hand with a label short or a test
        // set of another image size would fail later, in a split or a tensor, far from the cause
        MnistData.checkNotNull("trainImages", trainImages, "trainY", trainY, "testImages", testImages, "testY", testY);
        MnistData.checkLabels("trainY", trainY.length, "trainImages", trainImages.dims()[0]);
        MnistData.checkLabels("testY", testY.length, "testImages", testImages.dims()[0]);
        MnistData.checkPixels("testImages", testImages.count() / testImages.dims()[0], "trainImages",
                trainImages.count() / trainImages.dims()[0]);
    }

    /** The number of training images. */
    public int trainCount() {
        return trainImages.dims()[0];
    }

    /** The number of test images. */
    public int testCount() {
        return testImages.dims()[0];
    }

    /** The pixels of one training image (rows * cols): the columns of its tensor. */
    public int pixels() {
        return trainImages.count() / trainCount();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MnistIdx m && m.trainImages.equals(trainImages) && Arrays.equals(m.trainY, trainY)
                && m.testImages.equals(testImages) && Arrays.equals(m.testY, testY);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * trainImages.hashCode() + Arrays.hashCode(trainY)) + testImages.hashCode()) + Arrays.hashCode(testY);
    }

    @Override
    public String toString() {
        return "MnistIdx[trainImages=" + Arrays.toString(trainImages.dims()) + ", trainY=" + trainY.length + ", testImages="
                + Arrays.toString(testImages.dims()) + ", testY=" + testY.length + "]";
    }
}
