package org.bpnn.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One training row for {@link SparkData#fromSamples} (or {@link SparkData#fromWeightedSamples}): features
 * x: (featureCount), target y: (targetCount) and a sample weight, 1 unless set ({@link #withWeight}). Plain
 * float arrays, so Spark serialises it without knowing any bpnn class.
 *
 * @param features the inputs; not copied
 * @param target   the target row (e.g. one-hot, see {@link #ofClass})
 * @param weight   the row's sample weight, as {@code Dataset.withSampleWeights} takes it (finite, &gt;= 0: checked
 *                 by {@link SparkData#fromWeightedSamples}, which reads it, with the row named); 1 is unweighted
 */
public record Sample(float[] features, float[] target, float weight) implements Serializable {

    /** An unweighted sample (weight 1). */
    public Sample(float[] features, float[] target) {
        this(features, target, 1f);
    }

    /** A sample whose target is class {@code label} of {@code classes}, one-hot encoded. */
    public static Sample ofClass(float[] features, int label, int classes) {
        if (label < 0 || label >= classes) {
            throw new IllegalArgumentException("label " + label + " is outside [0, " + classes + ")");
        }
        float[] y = new float[classes];
        y[label] = 1f;
        return new Sample(features, y);
    }

    /**
     * This sample with sample weight {@code weight} (the arrays shared), for {@link SparkData#fromWeightedSamples}:
     * 2 counts the row twice in its batch's cost, 0 leaves it out.
     */
    public Sample withWeight(float weight) {
        return new Sample(features, target, weight);
    }

    @Override
    public String toString() {
        return "Sample(" + Arrays.toString(features) + " -> " + Arrays.toString(target)
                + (Float.compare(weight, 1f) == 0 ? "" : ", weight " + weight) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sample s && Arrays.equals(features, s.features) && Arrays.equals(target, s.target)
                && Float.compare(weight, s.weight) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(features) + Arrays.hashCode(target)) + Float.hashCode(weight);
    }
}
