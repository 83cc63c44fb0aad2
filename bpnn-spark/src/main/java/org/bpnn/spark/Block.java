package org.bpnn.spark;

import java.io.Serializable;

/**
 * One partition of a {@link SparkData}, read once and cached: the rows' features and targets,
 * row-major, in the partition's order, and their sample weights when the format reads a weight column.
 * x: (rows, featureCount); y: (rows, targetCount); w: (rows), or null (unweighted). Row i's global
 * index is the partition's offset (the rows of all earlier partitions) plus i.
 */
final class Block implements Serializable {
    private static final long serialVersionUID = 1L;

    final int partition;
    final int rows;
    final int featureCount;
    final int targetCount;
    final float[] x;
    final float[] y;
    /** Row i's sample weight (finite, &gt;= 0), or null: no weight column, every row weighs 1. */
    final float[] w;

    Block(int partition, int rows, int featureCount, int targetCount, float[] x, float[] y) {
        this(partition, rows, featureCount, targetCount, x, y, null);
    }

    Block(int partition, int rows, int featureCount, int targetCount, float[] x, float[] y, float[] w) {
        this.partition = partition;
        this.rows = rows;
        this.featureCount = featureCount;
        this.targetCount = targetCount;
        this.x = x;
        this.y = y;
        this.w = w;
    }

    /** Whether some row weighs more than 0 (always, without weights). */
    boolean anyWeight() {
        if (w == null) return rows > 0;
        for (float v : w) {
            if (v > 0f) return true;
        }
        return false;
    }

    /**
     * Accumulates rows of a partition into growing arrays: 64 rows to start, fewer for rows wider
     * than 16,384 values (at most 2^20 floats, or one row when a row is wider), then 1.5 times as many rows.
     */
    static final class Builder {
        /** The largest Java array: a Tensor's limit, so a block's arrays always make tensors. */
        static final int MAX_ARRAY = org.bpnn.tensor.Tensor.MAX_ELEMENTS;

        private final int partition;
        private final int f;
        private final int k;
        /** The most rows whose x and y each fit in one array. */
        private final int maxRows;
        private int rows;
        private int capacity;
        private float[] x;
        private float[] y;
        /** The rows' sample weights, or null when the format reads none. */
        private float[] w;

        Builder(int partition, int featureCount, int targetCount) {
            this(partition, featureCount, targetCount, MAX_ARRAY / Math.max(1, Math.max(featureCount, targetCount)));
        }

        /** As {@link #Builder(int, int, int)}, with a sample weight per row ({@link #w()}). */
        Builder(int partition, int featureCount, int targetCount, boolean weighted) {
            this(partition, featureCount, targetCount);
            if (weighted) w = new float[capacity];
        }

        /** With a row limit of its own: a test reaches the limit without allocating 2^31 floats. */
        Builder(int partition, int featureCount, int targetCount, int maxRows) {
            this.partition = partition;
            this.f = featureCount;
            this.k = targetCount;
            int width = Math.max(1, Math.max(f, k));
            this.maxRows = maxRows;
            this.capacity = Math.max(1, Math.min(Math.min(64, (1 << 20) / width), maxRows));
            this.x = new float[capacity * f];
            this.y = new float[capacity * k];
        }

        /** Makes room for one more row and returns its number; fill x[row*f..] and y[row*k..] next. */
        int add() {
            if (rows == capacity) {
                if (rows == maxRows) {
                    // checked before the row is added, so rows * f and the copies' offsets stay in int range; the
                    // remedy keeps the row order stable, which an unsorted repartition(n) would not (see SparkData)
                    long floats = (long) (rows + 1) * Math.max(f, k);
                    throw new IllegalArgumentException("partition " + partition + " holds more than " + maxRows + " rows of "
                            + f + " features and " + k + " target values (" + floats + " floats with the next row), more"
                            + " than one Java array holds (" + MAX_ARRAY + "); split the data into more partitions,"
                            + " keeping its order stable: repartition(n, key).sortWithinPartitions(key) with a unique key");
                }
                int cap = (int) Math.min(maxRows, rows + Math.max(1L, rows >> 1));
                capacity = cap;
                x = java.util.Arrays.copyOf(x, cap * f);
                y = java.util.Arrays.copyOf(y, cap * k);
                if (w != null) w = java.util.Arrays.copyOf(w, cap);
            }
            return rows++;
        }

        float[] x() { return x; }

        float[] y() { return y; }

        /** The weights (fill w[row] after {@link #add()}), or null for an unweighted builder. */
        float[] w() { return w; }

        Block build() {
            return new Block(partition, rows, f, k, java.util.Arrays.copyOf(x, rows * f), java.util.Arrays.copyOf(y, rows * k),
                    w == null ? null : java.util.Arrays.copyOf(w, rows));
        }
    }
}
