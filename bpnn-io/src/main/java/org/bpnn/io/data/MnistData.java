package org.bpnn.io.data;

import java.util.Arrays;
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
