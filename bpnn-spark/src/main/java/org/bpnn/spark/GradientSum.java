package org.bpnn.spark;

import java.io.Serializable;

/**
 * What one step's shards add up to: sum over shards of rows_s * (mean gradient of shard s), the
 * same for the cost, and the rows. The driver divides by the rows to get the global batch's mean
 * gradient, which is what {@link org.bpnn.nn.Network#computeGradients} returns for the whole batch.
 *
 * <p>Sums are in double: a shard's rows_s * g (an int below 2^24 times a float) is exact in double,
 * and so, in practice, is the sum of the few shard terms, so the result does not depend on the order
 * in which Spark's tree aggregation merges the shards.
 */
final class GradientSum implements Serializable {
    private static final long serialVersionUID = 1L;

    long rows;
    double cost;
    /** Flat over the network's parameters in {@code Network.parameters()} order; null while rows == 0. */
    double[] grad;

    GradientSum() {}

    GradientSum(long rows, double cost, double[] grad) {
        this.rows = rows;
        this.cost = cost;
        this.grad = grad;
    }

    /** Adds b into a and returns a (or returns whichever is non-empty). */
    static GradientSum merge(GradientSum a, GradientSum b) {
        if (b.rows == 0) return a;
        if (a.rows == 0) return b;
        a.rows += b.rows;
        a.cost += b.cost;
        double[] g = a.grad, h = b.grad;
        for (int i = 0; i < g.length; i++) g[i] += h[i];
        return a;
    }
}
