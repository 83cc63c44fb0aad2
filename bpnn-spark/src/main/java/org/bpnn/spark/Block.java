package org.bpnn.spark;

import java.io.Serializable;

/**
 * One partition of a {@link SparkData}, read once and cached: the global index of each row (its
 * position in the input's order) and the rows' features and targets, row-major.
 * x: (rows, featureCount); y: (rows, targetCount).
 */
final class Block implements Serializable {
    private static final long serialVersionUID = 1L;

    final int partition;
    final int rows;
    final int featureCount;
    final int targetCount;
    final long[] index;
    final float[] x;
    final float[] y;

    Block(int partition, int rows, int featureCount, int targetCount, long[] index, float[] x, float[] y) {
        this.partition = partition;
        this.rows = rows;
        this.featureCount = featureCount;
        this.targetCount = targetCount;
        this.index = index;
        this.x = x;
        this.y = y;
    }

    /** Accumulates rows of a partition into growing arrays. */
    static final class Builder {
        private final int partition;
        private final int f;
        private final int k;
        private int rows;
        private long[] index = new long[64];
        private float[] x;
        private float[] y;

        Builder(int partition, int featureCount, int targetCount) {
            this.partition = partition;
            this.f = featureCount;
            this.k = targetCount;
            this.x = new float[64 * f];
            this.y = new float[64 * k];
        }

        /** Makes room for one more row and returns its number; fill x[row*f..] and y[row*k..] next. */
        int add(long globalIndex) {
            if (rows == index.length) {
                int cap = Math.max(64, rows + (rows >> 1));
                index = java.util.Arrays.copyOf(index, cap);
                x = java.util.Arrays.copyOf(x, Math.multiplyExact(cap, f));
                y = java.util.Arrays.copyOf(y, Math.multiplyExact(cap, k));
            }
            index[rows] = globalIndex;
            return rows++;
        }

        float[] x() { return x; }

        float[] y() { return y; }

        Block build() {
            return new Block(partition, rows, f, k, java.util.Arrays.copyOf(index, rows),
                    java.util.Arrays.copyOf(x, rows * f), java.util.Arrays.copyOf(y, rows * k));
        }
    }
}
