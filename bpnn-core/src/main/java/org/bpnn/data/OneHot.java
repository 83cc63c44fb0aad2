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
     * The class of each one-hot target row: the column of its 1. The inverse of {@link #encode}, and
     * only of it: every row must hold exactly one 1 and zeros elsewhere (-0 counts as 0), and anything
     * else is refused, naming the first row that is not one-hot and what it holds. Before, decode was
     * the argmax of each row, so an all-zero row (a sample without a class), a row of two 1s, a NaN or
     * a class number in a column each came back as some class, class 0 for the first two, silently.
     *
     * <p>Outputs are not targets: the class of a network's outputs or probabilities is their argmax
     * (or, for one output, a threshold), which {@code Network.classesOf} / {@code predictClasses}
     * give; the class of soft-label targets (a single largest value per row) is what
     * {@code Metrics.targetClasses} gives, by the rule the class metrics use. Needs one column per
     * class (2 or more): one column holds 0/1 labels or class numbers, which are already the classes.
     *
     * @throws IllegalArgumentException when rows is null, has one column, or a row is not one-hot
     */
    public static int[] decode(Tensor rows) {
        if (rows == null) {
            throw new IllegalArgumentException("rows is null; pass one-hot targets, (n, classes), as encode returns them");
        }
        if (rows.cols() == 1) {
            throw new IllegalArgumentException("decode needs one column per class, got shape " + rows.shape()
                    + " (one column holds no one-hot row); 0/1 labels or class numbers in one column are already the"
                    + " classes (Metrics.targetClasses reads 0/1 labels), and a one-output (sigmoid) model's classes are"
                    + " Network.predictClasses's, which thresholds the probability at 0.5");
        }
        int k = rows.cols();
        float[] d = rows.data();
        int[] out = new int[rows.rows()];
        for (int i = 0; i < out.length; i++) {
            out[i] = hotColumn(d, i, k);
        }
        return out;
    }

    /** The column of the 1 in one-hot row i of d, (n, k) row-major; refuses a row that is not one-hot. */
    private static int hotColumn(float[] d, int i, int k) {
        int off = i * k, hot = -1;
        for (int j = 0; j < k; j++) {
            float v = d[off + j];
            if (v == 1f) {
                if (hot >= 0) {
                    throw notOneHot(i, "has a 1 in columns " + hot + " and " + j + ", two classes");
                }
                hot = j;
            } else if (v != 0f) { // NaN too
                throw notOneHot(i, "holds " + v + " in column " + j + ", which is neither 0 nor 1");
            }
        }
        if (hot < 0) {
            throw notOneHot(i, "has no 1 (all " + k + " values are 0), so no class");
        }
        return hot;
    }

    private static IllegalArgumentException notOneHot(int row, String what) {
        return new IllegalArgumentException("row " + row + " " + what + ": decode expects one-hot rows (one 1, the rest 0),"
                + " as encode writes them; give each row its class, drop the rows without one, and for network outputs or"
                + " probabilities use Network.classesOf (their argmax), for soft labels Metrics.targetClasses");
    }

    /**
     * The index in [0, n) of the largest of a[off..off+n), the first on ties: the class of a row of
     * outputs or probabilities. It checks nothing (a NaN compares false, an all-zero row is 0): for
     * target rows use {@link #decode}, which refuses a row that is not one-hot.
     */
    public static int argmax(float[] a, int off, int n) {
        return org.bpnn.nn.OutputClass.argmax(a, off, n);
    }
}
