package org.bpnn.io.data;

import java.util.Arrays;
import org.bpnn.io.internal.Counts;
import org.bpnn.tensor.Tensor;

/**
 * An MNIST-style dataset: training and test images, one flattened image per row, and their labels.
 *
 * @param trainX training images, (trainCount, rows * cols)
 * @param trainY training labels, trainCount of them
 * @param testX test images, (testCount, rows * cols)
 * @param testY test labels, testCount of them
 */
public record MnistData(Tensor trainX, int[] trainY, Tensor testX, int[] testY) {

    /**
     * Checks the four components.
     *
     * @throws IllegalArgumentException when a component is null, a label array's length is not its image
     *         count, or trainX and testX differ in columns (pixels per image); {@link MnistFiles#load}
     *         checks these first, naming the files
     */
    public MnistData {
        // checked here too, not only by MnistFiles: a record built by hand with a label short or a test
        // set of another image size would fail later, in a split or a predict, far from the cause
        checkNotNull("trainX", trainX, "trainY", trainY, "testX", testX, "testY", testY);
        checkLabels("trainY", trainY.length, "trainX", trainX.rows());
        checkLabels("testY", testY.length, "testX", testX.rows());
        checkPixels("testX", testX.cols(), "trainX", trainX.cols());
    }

    /** Refuses the first null of the four components, by name (MnistData's and MnistIdx's). */
    static void checkNotNull(String trainImagesName, Object trainImages, String trainYName, int[] trainY,
                             String testImagesName, Object testImages, String testYName, int[] testY) {
        String[] names = {trainImagesName, trainYName, testImagesName, testYName};
        Object[] values = {trainImages, trainY, testImages, testY};
        for (int i = 0; i < names.length; i++) {
            if (values[i] == null) {
                throw new IllegalArgumentException(names[i] + " is null; pass the " + (i < 2 ? "training" : "test")
                        + (i % 2 == 0 ? " images" : " labels, one per image") + " (MnistFiles.load reads all four from a directory)");
            }
        }
    }

    /** One label per image. */
    static void checkLabels(String labelsName, int labels, String imagesName, int images) {
        if (labels != images) {
            throw new IllegalArgumentException(labelsName + " has " + Counts.of(labels, "label") + ", but " + imagesName + " has "
                    + Counts.of(images, "image") + "; pass one label per image, in the images' order");
        }
    }

    /** Training and test images of the same size: a network takes one input width. */
    static void checkPixels(String testName, int testPixels, String trainName, int trainPixels) {
        if (testPixels != trainPixels) {
            throw new IllegalArgumentException(testName + " has images of " + Counts.of(testPixels, "pixel") + ", but " + trainName
                    + " has " + trainPixels + "; training and test images must have the same size (come from the same dataset)");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MnistData m && m.trainX.equals(trainX) && Arrays.equals(m.trainY, trainY)
                && m.testX.equals(testX) && Arrays.equals(m.testY, testY);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * trainX.hashCode() + Arrays.hashCode(trainY)) + testX.hashCode()) + Arrays.hashCode(testY);
    }

    @Override
    public String toString() {
        return "MnistData[trainX=" + trainX.shape() + ", trainY=" + trainY.length + ", testX=" + testX.shape()
                + ", testY=" + testY.length + "]";
    }
}
