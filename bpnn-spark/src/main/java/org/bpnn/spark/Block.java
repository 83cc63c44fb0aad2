package org.bpnn.spark;

import java.io.Serializable;

/**
 * One partition of a {@link SparkData}, read once and cached: the rows' features and targets,
 * row-major, in the partition's order. x: (rows, featureCount); y: (rows, targetCount). Row i's
 * global index is the partition's offset (the rows of all earlier partitions) plus i.
 */
final class Block implements Serializable {
    private static final long serialVersionUID = 1L;

    final int partition;
    final int rows;
    final int featureCount;
    final int targetCount;
    final float[] x;
    final float[] y;

    Block(int partition, int rows, int featureCount, int targetCount, float[] x, float[] y) {
        this.partition = partition;
        this.rows = rows;
        this.featureCount = featureCount;
        this.targetCount = targetCount;
        this.x = x;
        this.y = y;
    }

    /** Accumulates rows of a partition into growing arrays. */
    static final class Builder {
        private final int partition;
        private final int f;
        private final int k;
        private int rows;
        private int capacity = 64;
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
        int add() {
            if (rows == capacity) {
                int cap = Math.max(64, rows + (rows >> 1));
                capacity = cap;
                x = java.util.Arrays.copyOf(x, Math.multiplyExact(cap, f));
                y = java.util.Arrays.copyOf(y, Math.multiplyExact(cap, k));
            }
            return rows++;
        }

        float[] x() { return x; }

        float[] y() { return y; }

        Block build() {
            return new Block(partition, rows, f, k,
                    java.util.Arrays.copyOf(x, rows * f), java.util.Arrays.copyOf(y, rows * k));
        }
    }
}
