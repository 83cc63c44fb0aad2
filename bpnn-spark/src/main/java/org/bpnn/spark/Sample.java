package org.bpnn.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One training row for {@link SparkData#fromSamples}: features x: (featureCount) and target
 * y: (targetCount). Plain float arrays, so Spark serialises it without knowing any bpnn class.
 *
 * @param features the inputs; not copied
 * @param target   the target row (e.g. one-hot, see {@link #ofClass})
 */
public record Sample(float[] features, float[] target) implements Serializable {

    /** A sample whose target is class {@code label} of {@code classes}, one-hot encoded. */
    public static Sample ofClass(float[] features, int label, int classes) {
        if (label < 0 || label >= classes) {
            throw new IllegalArgumentException("label " + label + " is outside [0, " + classes + ")");
        }
        float[] y = new float[classes];
        y[label] = 1f;
        return new Sample(features, y);
    }

    @Override
    public String toString() {
        return "Sample(" + Arrays.toString(features) + " -> " + Arrays.toString(target) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sample s && Arrays.equals(features, s.features) && Arrays.equals(target, s.target);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(features) + Arrays.hashCode(target);
    }
}
