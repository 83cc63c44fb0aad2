package org.bpnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.Parameter;
import org.bpnn.nn.Rng;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The arithmetic of a step's gradient over shards, without Spark: row counts past 2^24, shards split
 * into several computeGradients calls (the cure for the SIMD backend's float column sums, which drop rows
 * past 2^24 per call; reproducing that needs 2^24 rows, so the split is tested with small pieces), and
 * the shards of several partitions summed as Spark's treeAggregate sums them.
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

    /**
     * A step over several partitions, as the executors and treeAggregate compute it: each partition's shard
     * ({@link SparkTrainer#shard}: its block's rows at batch positions [lo, hi), found from the partition's
     * offset), folded onto an empty zero within its partition, then partitions' sums merged pairwise, gives
     * bpnn-core's {@link Network#computeGradients} on the batch's rows in batch order, up to float rounding.
     * Every row differs from the others: with equal rows any wrong choice of the right number of rows (a
     * partition boundary off by one, a position read for the wrong row) would give the same gradient.
     */
    @Test
    void shardsOfSeveralPartitionsMergedAsATreeGiveTheBatchGradient() throws Exception {
        Network net = Network.builder(3).dense(5, Activation.tanh()).dense(2, Activation.identity())
                .loss(Loss.mse()).seed(3).build();
        byte[] model = ModelFile.toBytes(SavedModel.of(net));
        List<Parameter> params = net.parameters();
        float[] weights = SparkTrainer.flatWeights(params);
        int f = 3, k = 2;
        int[] sizes = {5, 7, 4, 6}; // partitions of unequal sizes: offsets 0, 5, 12, 16
        int n = Arrays.stream(sizes).sum();
        Rng rng = new Rng(8);
        float[] x = new float[n * f], y = new float[n * k];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble() * 2 - 1;
        for (int i = 0; i < y.length; i++) y[i] = (float) rng.nextDouble();
        Block[] blocks = new Block[sizes.length];
        long[] offsets = new long[sizes.length];
        for (int p = 0, first = 0; p < sizes.length; first += sizes[p], p++) {
            offsets[p] = first;
            blocks[p] = new Block(p, sizes[p], f, k, Arrays.copyOfRange(x, first * f, (first + sizes[p]) * f),
                    Arrays.copyOfRange(y, first * k, (first + sizes[p]) * k));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) order.add(i);
        Collections.shuffle(order, new java.util.Random(7));
        int[] shuffled = new int[n]; // global row -> batch position, as SparkTrainer.positions
        for (int q = 0; q < n; q++) shuffled[order.get(q)] = q;

        String run = "gradient-sum-" + UUID.randomUUID();
        try {
            for (int[] pos : new int[][] {null, shuffled}) {
                // a window across every partition, the whole pass, and exactly partition 2's rows (in row order)
                for (int[] window : new int[][] {{4, 17}, {0, n}, {12, 16}}) {
                    int lo = window[0], hi = window[1];
                    String what = (pos == null ? "in row order" : "shuffled") + ", positions [" + lo + ", " + hi + ")";
                    GradientSum[] partial = new GradientSum[blocks.length];
                    for (int p = 0; p < blocks.length; p++) {
                        partial[p] = new GradientSum(); // treeAggregate's zero, one per partition
                        Iterator<GradientSum> it = SparkTrainer.shard(List.of(blocks[p]).iterator(), offsets, run,
                                () -> model, () -> weights, pos, 1, lo, hi, 9);
                        while (it.hasNext()) partial[p] = GradientSum.merge(partial[p], it.next());
                    }
                    GradientSum got = GradientSum.merge(GradientSum.merge(partial[0], partial[1]),
                            GradientSum.merge(partial[2], partial[3]));

                    // bpnn-core on one machine: the batch's rows in batch order, one computeGradients call
                    int m = hi - lo;
                    Tensor bx = Tensor.zeros(m, f), by = Tensor.zeros(m, k);
                    for (int g = 0; g < n; g++) {
                        int q = pos == null ? g : pos[g];
                        if (q < lo || q >= hi) continue;
                        System.arraycopy(x, g * f, bx.data(), (q - lo) * f, f);
                        System.arraycopy(y, g * k, by.data(), (q - lo) * k, k);
                    }
                    double cost = net.computeGradients(bx, by);
                    assertEquals(m, got.rows, what);
                    assertEquals(cost, got.cost / got.rows, 1e-6 * Math.abs(cost), what + ": mean cost");
                    float scale = 0;
                    for (Parameter p : params) for (float v : p.grad().data()) scale = Math.max(scale, Math.abs(v));
                    int off = 0;
                    for (Parameter p : params) {
                        for (int j = 0; j < p.size(); j++) {
                            assertEquals(p.grad().data()[j], got.meanAt(off + j), 1e-5f * scale,
                                    what + ": " + p.name() + " element " + j);
                        }
                        off += p.size();
                    }
                }
            }
        } finally {
            Replicas.drop(run);
        }
    }
}
