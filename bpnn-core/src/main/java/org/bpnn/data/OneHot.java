package org.bpnn.data;

import org.bpnn.tensor.Tensor;

/** Class labels to one-hot target rows and back. */
public final class OneHot {
    private OneHot() {}

    /**
     * Row i is all zeros except a 1 at column labels[i]: (labels.length, classes).
     *
     * @throws IllegalArgumentException naming the index of the first label outside [0, classes)
     */
    public static Tensor encode(int[] labels, int classes) {
        if (labels == null || labels.length == 0) {
            throw new IllegalArgumentException("expected at least one label, got " + (labels == null ? "null" : "none"));
        }
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        Tensor t = Tensor.zeros(labels.length, classes);
        float[] d = t.data();
        for (int i = 0; i < labels.length; i++) {
            int c = labels[i];
            if (c < 0 || c >= classes) {
                throw new IllegalArgumentException("label " + c + " at index " + i + " is outside [0, " + classes
                        + "); labels must be 0-based class numbers below classes, or raise classes");
            }
            d[i * classes + c] = 1f;
        }
        return t;
    }

    /**
     * The class of each row: the column of its largest value (the first on ties), i.e. argmax. Needs
     * one column per class (2 or more): the argmax of a single column is always 0, so one column (class
     * numbers, or a one-output sigmoid model's probabilities) is refused.
     *
     * @throws IllegalArgumentException when rows is null or has one column
     */
    public static int[] decode(Tensor rows) {
        if (rows == null) {
            throw new IllegalArgumentException("rows is null; pass one-hot targets or per-class outputs, (n, classes)");
        }
        if (rows.cols() == 1) {
            throw new IllegalArgumentException("decode needs one column per class, got shape " + rows.shape()
                    + " (its argmax is always 0); for a one-output (sigmoid) model use Network.predictClasses, which"
                    + " thresholds the probability at 0.5; class numbers in one column are already the classes");
        }
        int k = rows.cols();
        int[] out = new int[rows.rows()];
        for (int i = 0; i < out.length; i++) {
            out[i] = argmax(rows.data(), i * k, k);
        }
        return out;
    }

    /** The index in [0, n) of the largest of a[off..off+n), the first on ties. */
    public static int argmax(float[] a, int off, int n) {
        int best = 0;
        float v = a[off];
        for (int j = 1; j < n; j++) {
            if (a[off + j] > v) {
                v = a[off + j];
                best = j;
            }
        }
        return best;
    }
}
