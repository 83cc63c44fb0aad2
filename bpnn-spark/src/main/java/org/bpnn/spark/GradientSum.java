package org.bpnn.spark;

import java.io.Serializable;

/**
 * What one step's shards add up to: the rows, sum over shards of rows_s * (mean cost of shard s),
 * and sum over shards of rows_s * g_s with g_s the shard's mean gradient. The driver divides by the
 * rows to get the global batch's mean gradient, which is what
 * {@link org.bpnn.nn.Network#computeGradients} returns for the whole batch.
 *
 * <p>A shard sends g_s itself as floats ({@link #mean}: half the bytes of doubles, and under Spark's
 * 1 MiB direct task-result limit for networks up to 262,144 parameters); merging turns it into
 * double sums ({@link #sum}). Rows are counted in a long and weighted in double, so no count is
 * rounded (a float count would have rounded 2^24 + 1 rows to 2^24). A term rows_s * g_s (a count
 * below 2^29 times a float's 24-bit significand: at most 53 bits) is exact in double, and so, in
 * practice, is the sum of the few shard terms, so the result does not depend on the order in which
 * Spark's tree aggregation merges the shards; a larger shard's term rounds by 2^-53 of itself, no
 * bias. The limit that would bias a mean past 2^24 rows is in the shard's own gradient (a float
 * column sum on the executor): see {@code SparkTrainer.MAX_ROWS_PER_CALL}.
 */
final class GradientSum implements Serializable {
    private static final long serialVersionUID = 1L;

    long rows;
    double cost;
    /** A single shard's mean gradient, flat in {@code Network.parameters()} order; or null. */
    float[] mean;
    /** Merged: sum of rows_s * g_s; or null. Exactly one of mean and sum is set while rows &gt; 0. */
    double[] sum;

    GradientSum() {}

    /** One shard: {@code rows} rows, mean cost and mean gradient. */
    static GradientSum shard(long rows, double meanCost, float[] mean) {
        GradientSum g = new GradientSum();
        g.rows = rows;
        g.cost = meanCost * rows;
        g.mean = mean;
        return g;
    }

    /** Adds b into a and returns the result (whichever is non-empty when the other is empty). */
    static GradientSum merge(GradientSum a, GradientSum b) {
        if (b.rows == 0) return a;
        if (a.rows == 0) return b;
        if (a.sum == null) {
            double[] s = new double[a.mean.length];
            addTo(s, a);
            a.sum = s;
            a.mean = null;
        }
        addTo(a.sum, b);
        a.rows += b.rows;
        a.cost += b.cost;
        return a;
    }

    private static void addTo(double[] s, GradientSum g) {
        if (g.mean != null) {
            double r = g.rows;
            float[] m = g.mean;
            for (int i = 0; i < s.length; i++) s[i] += r * m[i];
        } else {
            double[] t = g.sum;
            for (int i = 0; i < s.length; i++) s[i] += t[i];
        }
    }

    /** The batch's mean gradient, element i. */
    float meanAt(int i) {
        return mean != null ? mean[i] : (float) (sum[i] / rows);
    }
}
