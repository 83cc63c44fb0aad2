package org.bpnn.tensor;

import java.util.Arrays;

/**
 * A dense 2-D matrix of floats over a flat row-major {@code float[]}: element (r, c) lives at
 * {@code data[r * cols + c]}.
 *
 * <p><b>Rows are samples.</b> bpnn's public API takes data as one sample per row, shape
 * (batch, features), like CSV files and every ML library. The seed note writes one sample per
 * <em>column</em>: Z[l] = W[l] A[l-1] + b[l] with A of shape (n_{l-1}, m). Transposing both sides
 * gives the row form used here, Z[l]^T = A[l-1]^T W[l]^T + b[l]^T, i.e. with X = A^T (batch, in):
 * {@code Z = X W^T + b}, where W keeps the seed's shape (out, in) and b is broadcast over rows.
 *
 * <p>Every tensor has at least one row and one column: there is no empty tensor, and so no empty
 * batch. The backends' kernels, the network's buffers and the losses' means are written for at least
 * one row; a caller whose data has no rows (an empty file, a filter that matched nothing, an empty
 * partition) skips the call, or refuses the data saying it is empty, as bpnn's readers do.
 *
 * <p>A tensor is a mutable buffer; it is not thread-safe. {@link #data()} exposes the backing array
 * without copying so that backends can work on it in place.
 */
public final class Tensor {
    /**
     * The most elements a tensor holds: one Java float array, whose length HotSpot caps a few elements
     * below Integer.MAX_VALUE. Sizes are checked against it in long arithmetic before allocating.
     */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final int rows;
    private final int cols;
    private final float[] data;

    private Tensor(int rows, int cols, float[] data) {
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    /**
     * A zero-filled tensor of shape (rows, cols).
     *
     * @throws IllegalArgumentException when rows or cols is not &gt; 0, or rows * cols exceeds {@link #MAX_ELEMENTS}
     */
    public static Tensor zeros(int rows, int cols) {
        checkShape(rows, cols);
        return new Tensor(rows, cols, new float[Math.multiplyExact(rows, cols)]);
    }

    /**
     * Wraps {@code data} (not copied: writes to either show in the other) as a (rows, cols) row-major tensor.
     *
     * @throws IllegalArgumentException when the shape is refused as by {@link #zeros}, data is null, or its
     *         length is not rows * cols
     */
    public static Tensor wrap(int rows, int cols, float[] data) {
        checkShape(rows, cols);
        if (data == null) {
            throw new IllegalArgumentException("data is null; expected a float[] of length " + (long) rows * cols);
        }
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException("shape (" + rows + ", " + cols + ") needs " + (long) rows * cols
                    + " floats, but data has " + data.length + "; pass an array of rows*cols floats");
        }
        return new Tensor(rows, cols, data);
    }

    /**
     * Copies a rectangular {@code float[rows][cols]} into a new tensor.
     *
     * @throws IllegalArgumentException when rowsData is null or empty, a row is null or empty, or the rows
     *         differ in length
     */
    public static Tensor of(float[][] rowsData) {
        if (rowsData == null || rowsData.length == 0) {
            throw new IllegalArgumentException("expected at least one row, got " + (rowsData == null ? "null" : "0 rows" + NO_EMPTY));
        }
        if (rowsData[0] == null) {
            throw new IllegalArgumentException("row 0 is null; every row must be a float[] of the same, positive length");
        }
        int cols = rowsData[0].length;
        if (cols == 0) {
            throw new IllegalArgumentException("rows must have at least one value, got row 0 with 0 values");
        }
        Tensor t = zeros(rowsData.length, cols);
        for (int r = 0; r < rowsData.length; r++) {
            if (rowsData[r] == null || rowsData[r].length != cols) {
                throw new IllegalArgumentException("row " + r + " has " + (rowsData[r] == null ? "null" : rowsData[r].length + (rowsData[r].length == 1 ? " value" : " values"))
                        + ", expected " + cols + " like row 0; all rows must have the same length");
            }
            System.arraycopy(rowsData[r], 0, t.data, r * cols, cols);
        }
        return t;
    }

    /** A single-row tensor (1, values.length) holding a copy of {@code values}. */
    public static Tensor row(float... values) {
        return of(new float[][] {values});
    }

    /** Why a 0-row (or 0-column) tensor is refused, and what to do instead; see the class comment. */
    private static final String NO_EMPTY = "; bpnn has no empty tensors: skip the call when there is no data";

    private static void checkShape(int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("tensor shape must be positive, got (" + rows + ", " + cols + ")"
                    + (rows >= 0 && cols >= 0 ? NO_EMPTY : ""));
        }
        if ((long) rows * cols > MAX_ELEMENTS) {
            throw new IllegalArgumentException("tensor shape (" + rows + ", " + cols + ") has " + (long) rows * cols
                    + " elements, more than a Java array can hold (" + MAX_ELEMENTS + ")");
        }
    }

    public int rows() { return rows; }

    public int cols() { return cols; }

    /** Number of elements, rows * cols. */
    public int size() { return data.length; }

    /** The backing row-major array (not a copy). */
    public float[] data() { return data; }

    /**
     * Element (r, c), 0-based.
     *
     * @throws IndexOutOfBoundsException when (r, c) is outside the shape
     */
    public float get(int r, int c) {
        checkIndex(r, c);
        return data[r * cols + c];
    }

    /**
     * Sets element (r, c), 0-based.
     *
     * @throws IndexOutOfBoundsException when (r, c) is outside the shape
     */
    public void set(int r, int c, float v) {
        checkIndex(r, c);
        data[r * cols + c] = v;
    }

    private void checkIndex(int r, int c) {
        if (r < 0 || r >= rows || c < 0 || c >= cols) {
            throw new IndexOutOfBoundsException("index (" + r + ", " + c + ") outside shape (" + rows + ", " + cols + ")");
        }
    }

    /** A copy of row {@code r}. */
    public float[] rowCopy(int r) {
        checkIndex(r, 0);
        return Arrays.copyOfRange(data, r * cols, (r + 1) * cols);
    }

    /** A deep copy. */
    public Tensor copy() {
        return new Tensor(rows, cols, data.clone());
    }

    /** Copies into {@code float[rows][cols]}. */
    public float[][] toArray() {
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = rowCopy(r);
        }
        return out;
    }

    public void fill(float v) {
        Arrays.fill(data, v);
    }

    /** Copies {@code src}'s values into this tensor; the shapes must be equal. */
    public void copyFrom(Tensor src) {
        requireShape("source", src, rows, cols);
        System.arraycopy(src.data, 0, data, 0, data.length);
    }

    /** True when every element is finite (no NaN, no infinity). */
    public boolean isFinite() {
        for (float v : data) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first non-finite element, or -1. */
    public int firstNonFinite() {
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                return i;
            }
        }
        return -1;
    }

    /** "(rows, cols)". */
    public String shape() {
        return "(" + rows + ", " + cols + ")";
    }

    /** Fails with a message naming {@code what} unless {@code t} has shape (rows, cols). */
    public static void requireShape(String what, Tensor t, int rows, int cols) {
        if (t == null) {
            throw new IllegalArgumentException(what + " is null; expected a tensor of shape (" + rows + ", " + cols + ")");
        }
        if (t.rows != rows || t.cols != cols) {
            throw new IllegalArgumentException(what + " has shape " + t.shape() + ", expected (" + rows + ", " + cols + ")");
        }
    }

    /** Fails unless every element of {@code t} is finite, naming the first bad element. */
    public static void requireFinite(String what, Tensor t) {
        if (t == null) {
            // named like requireShape's null, not a NullPointerException from inside (a direct caller, or
            // Loss.validateTargets, gets it first)
            throw new IllegalArgumentException(what + " is null; expected a tensor of finite values");
        }
        int i = t.firstNonFinite();
        if (i >= 0) {
            throw new IllegalArgumentException(what + " contains " + t.data[i] + " at (" + i / t.cols + ", " + i % t.cols
                    + "); inputs must be finite: clean or impute the data before training or predicting");
        }
    }

    /**
     * Equal to a tensor of the same shape whose elements have the same float values as
     * {@link Arrays#equals(float[], float[])} compares them: NaN equals NaN, and 0.0f differs from -0.0f.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && t.rows == rows && t.cols == cols && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(data);
    }

    /** The shape and the values of at most the first 6 rows and 8 columns, for people: "Tensor(2, 3) [[1.0, ...], ...]". */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(shape()).append(' ');
        int shownRows = Math.min(rows, 6);
        sb.append('[');
        for (int r = 0; r < shownRows; r++) {
            if (r > 0) sb.append(", ");
            sb.append('[');
            int shownCols = Math.min(cols, 8);
            for (int c = 0; c < shownCols; c++) {
                if (c > 0) sb.append(", ");
                sb.append(data[r * cols + c]);
            }
            if (shownCols < cols) sb.append(", ...");
            sb.append(']');
        }
        if (shownRows < rows) sb.append(", ...");
        return sb.append(']').toString();
    }
}
