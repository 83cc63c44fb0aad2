package org.bpnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.util.List;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.Parameter;
import org.bpnn.nn.Rng;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The arithmetic of a step's gradient over shards, without Spark: row counts past 2^24 and shards split
 * into several computeGradients calls (the cure for the SIMD backend's float column sums, which drop rows
 * past 2^24 per call; reproducing that needs 2^24 rows, so the split is tested with small pieces).
 */
class GradientSumTest {

    /**
     * The bound on one computeGradients call is 2^24 rows, as RELIABILITY.md says: the most equal terms a
     * float column sum still counts one by one. Only the constant is checked; a shard past it needs 2^24 + 1
     * rows (hundreds of MB of tensors), so the split itself is tested with small pieces below.
     */
    @Test
    void oneCallTakesAtMost2To24Rows() {
        assertEquals(16_777_216, SparkTrainer.MAX_ROWS_PER_CALL);
    }

    /** Row counts are longs and the sums doubles: 2^24 + 1 rows (not a float) weigh what they are. */
    @Test
    void rowCountsPast2To24AreExact() {
        long big = (1L << 24) + 1; // the first count a float cannot hold (it rounds to 2^24)
        GradientSum s = GradientSum.merge(GradientSum.shard(big, 1.0, new float[] {1f, 0.1f}),
                GradientSum.shard(1, 3.0, new float[] {3f, 0.3f}));
        assertEquals(big + 1, s.rows);
        assertEquals(big + 3.0, s.cost, 0.0);
        // (big * 1 + 1 * 3) / (big + 1) in double, then float: a float count would give (2^24 + 3) / (2^24 + 1)
        assertEquals((float) ((big + 3.0) / (big + 1)), s.meanAt(0));
        assertEquals((float) ((big * (double) 0.1f + (double) 0.3f) / (big + 1)), s.meanAt(1));
    }

    /** A shard split into calls of maxRows rows gives the one-call gradient up to float rounding. */
    @Test
    void aShardInSeveralCallsGivesTheOneCallGradient() {
        Network net = Network.builder(3).dense(5, Activation.tanh()).dense(2, Activation.identity())
                .loss(Loss.mse()).seed(3).build();
        int rows = 11;
        Rng rng = new Rng(5);
        float[] x = new float[rows * 3], y = new float[rows * 2];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble() * 2 - 1;
        for (int i = 0; i < y.length; i++) y[i] = (float) rng.nextDouble();
        Block blk = new Block(0, rows, 3, 2, x, y);
        int[] local = {4, 0, 10, 7, 1, 2, 9}; // some of the block's rows, in a batch order
        List<Parameter> params = net.parameters();

        GradientSum one = SparkTrainer.gradientOf(net, params, blk, local, SparkTrainer.MAX_ROWS_PER_CALL);
        // one call: exactly computeGradients on the rows in that order (what a shard sent before the split)
        Tensor bx = Tensor.zeros(local.length, 3), by = Tensor.zeros(local.length, 2);
        for (int r = 0; r < local.length; r++) {
            System.arraycopy(x, local[r] * 3, bx.data(), r * 3, 3);
            System.arraycopy(y, local[r] * 2, by.data(), r * 2, 2);
        }
        double cost = net.computeGradients(bx, by);
        assertEquals(local.length, one.rows);
        assertEquals(cost * local.length, one.cost, 0.0);
        int off = 0;
        for (Parameter p : params) {
            for (int j = 0; j < p.size(); j++) assertEquals(p.grad().data()[j], one.meanAt(off + j), "one call, element " + (off + j));
            off += p.size();
        }

        for (int maxRows : new int[] {1, 2, 3, 6}) {
            GradientSum split = SparkTrainer.gradientOf(net, params, blk, local, maxRows);
            assertNotSame(one, split);
            assertEquals(local.length, split.rows, "rows with pieces of " + maxRows);
            assertEquals(one.cost, split.cost, 1e-12 * Math.abs(one.cost) + 1e-12, "cost with pieces of " + maxRows);
            for (int i = 0; i < off; i++) {
                assertEquals(one.meanAt(i), split.meanAt(i), 1e-6, "element " + i + " with pieces of " + maxRows);
            }
        }
    }
}
