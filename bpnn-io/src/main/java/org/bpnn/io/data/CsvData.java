package org.bpnn.io.data;

import java.util.Arrays;
import java.util.List;
import org.bpnn.tensor.Tensor;

/**
 * A numeric dataset read by {@link CsvReader}: one sample per row.
 *
 * @param features the feature values, (n, f), columns in {@code featureNames} order
 * @param targets the targets, or {@code null} when read with {@code noLabels()}, (n, t): for numeric targets the label columns in {@code targetNames}
 *     order; for categorical targets either the class index as a float, (n, 1), or its one-hot
 *     encoding, (n, classNames.size())
 * @param labels for categorical targets the class index of each sample, n of them, indexing
 *     {@code classNames}; {@code null} for numeric targets
 * @param featureNames the feature column names: the header names, or {@code col<i>} (0-based file
 *     column index) without a header
 * @param targetNames the label column names, named like {@code featureNames}; for numeric targets one
 *     per target column, in order, so a regression model trained on them can keep them as its output
 *     names ({@code SavedModel.withTargetNames(csv.targetNames())})
 * @param classNames the class names in class-index order for categorical targets; empty for numeric
 * @param sampleWeights each sample's weight, n of them, read from {@code CsvReader.Builder.weightColumn(...)}
 *     (each finite and &gt;= 0, not all 0): {@code new Dataset(csv.features(), csv.targets()).withSampleWeights(csv.sampleWeights())};
 *     {@code null} when no weight column was read
 */
public record CsvData(Tensor features, Tensor targets, int[] labels, List<String> featureNames, List<String> targetNames,
        List<String> classNames, float[] sampleWeights) {

    public CsvData {
        featureNames = List.copyOf(featureNames);
        targetNames = List.copyOf(targetNames);
        classNames = List.copyOf(classNames);
        if (sampleWeights != null && features != null && sampleWeights.length != features.rows()) {
            throw new IllegalArgumentException("got " + sampleWeights.length + " sample weights for " + features.rows()
                    + " rows; pass one per row, or null for unweighted data");
        }
    }

    /** Data without sample weights ({@link #sampleWeights()} null), as read without a weight column. */
    public CsvData(Tensor features, Tensor targets, int[] labels, List<String> featureNames, List<String> targetNames,
            List<String> classNames) {
        this(features, targets, labels, featureNames, targetNames, classNames, null);
    }

    /** Number of samples, n. */
    public int size() {
        return features.rows();
    }

    /** True when the targets are class labels (then {@link #labels()} is not null). */
    public boolean categorical() {
        return labels != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CsvData d && d.features.equals(features) && java.util.Objects.equals(d.targets, targets) && Arrays.equals(d.labels, labels)
                && d.featureNames.equals(featureNames) && d.targetNames.equals(targetNames) && d.classNames.equals(classNames)
                && Arrays.equals(d.sampleWeights, sampleWeights);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * features.hashCode() + java.util.Objects.hashCode(targets)) + Arrays.hashCode(labels)) + featureNames.hashCode();
    }

    @Override
    public String toString() {
        return "CsvData[features=" + features.shape() + " " + featureNames + (targets == null ? ", no targets" : ", targets=" + targets.shape() + " " + targetNames)
                + (labels == null ? "" : ", classes=" + classNames) + (sampleWeights == null ? "" : ", sample weights") + "]";
    }
}
