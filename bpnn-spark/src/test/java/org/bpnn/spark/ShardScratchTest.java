package org.bpnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.Rng;
import org.bpnn.nn.activation.Activation;
import org.junit.jupiter.api.Test;

/**
 * A step's shard on an executor orders its rows through a batch-order scratch of one int per batch
 * position, which it allocated anew for every block on every step (4 bytes per batch row in every task,
 * whether or not the partition held a row of the batch). It is the borrowed replica's now, reused; the
 * reuse must never carry one step's rows into the next. Without Spark: the broadcasts' values are passed.
 */
class ShardScratchTest {
    private static final int ROWS = 12;

    private final Network net = Network.builder(3).dense(4, Activation.tanh()).dense(2, Activation.identity())
            .loss(Loss.mse()).seed(3).build();
    private final byte[] model;
    private final float[] weights;
    private final Block blk;
    /** blk's rows with sample weights 1, 2, ..., ROWS. */
    private final Block weighted;

    ShardScratchTest() throws Exception {
        model = ModelFile.toBytes(SavedModel.of(net));
        weights = SparkTrainer.flatWeights(net.parameters());
        Rng rng = new Rng(5);
        float[] x = new float[ROWS * 3], y = new float[ROWS * 2];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble() * 2 - 1;
        for (int i = 0; i < y.length; i++) y[i] = (float) rng.nextDouble();
        blk = new Block(0, ROWS, 3, 2, x, y);
        float[] w = new float[ROWS];
        for (int i = 0; i < ROWS; i++) w[i] = 1 + i;
        weighted = new Block(0, ROWS, 3, 2, x, y, w);
    }

    private Iterator<GradientSum> shard(String run, int[] pos, long step, int lo, int hi) {
        return SparkTrainer.shard(List.of(blk).iterator(), new long[] {0}, run, () -> model, () -> weights, pos, step, lo, hi, 9);
    }

    /** A partition none of whose rows are in a batch of a million positions allocates no int per position. */
    @Test
    void aShardAllocatesNoScratchPerStepAfterItsFirst() {
        String run = "scratch-" + UUID.randomUUID();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        try {
            for (int warm = 0; warm < 3; warm++) assertFalse(shard(run, null, 1, 1_000_000, 2_000_000).hasNext());
            long before = mx.getThreadAllocatedBytes(tid);
            for (int step = 0; step < 10; step++) assertFalse(shard(run, null, 1, 1_000_000, 2_000_000).hasNext());
            long perStep = (mx.getThreadAllocatedBytes(tid) - before) / 10;
            // 4 MB per step before (a new int[1_000_000]); now the list, the iterators and two lambdas
            assertTrue(perStep < 16 * 1024, perStep + " bytes allocated per step");
        } finally {
            Replicas.drop(run);
        }
    }

    /**
     * A shard's x, y and sample weights tensors are kept across steps (its replica's): gradientOf on 3000 rows of
     * 3 features, 2 targets and a weight (72 KB of tensors, new every call before) allocates no more than its
     * result after the first calls. The last, smaller batch gets tensors of its own, kept too: calls alternating
     * between the two sizes allocate neither. Scalar backend: the Vector API boxes vectors until C2 compiles them.
     */
    @Test
    void gradientOfAllocatesNoBatchTensorsPerCallAfterItsFirst() {
        Network scalar = Network.builder(3).dense(4, Activation.tanh()).dense(2, Activation.identity()).loss(Loss.mse())
                .seed(3).backend(org.bpnn.backend.scalar.ScalarBackend.INSTANCE).build();
        int rows = 3000;
        Rng rng = new Rng(6);
        float[] x = new float[rows * 3], y = new float[rows * 2], w = new float[rows];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble() * 2 - 1;
        for (int i = 0; i < y.length; i++) y[i] = (float) rng.nextDouble();
        for (int i = 0; i < rows; i++) w[i] = 0.5f + (i % 3);
        Block weighted = new Block(0, rows, 3, 2, x, y, w);
        int[] local = new int[rows];
        for (int i = 0; i < rows; i++) local[i] = rows - 1 - i;
        Replicas.BatchTensors tensors = new Replicas.BatchTensors();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long[] perCall = new long[2];
        for (int rep = 0; rep < 6; rep++) { // a full batch of all rows, then a last batch of 1000: the first two warm up
            for (int b = 0; b < 2; b++) {
                int m = b == 0 ? rows : 1000;
                long before = mx.getThreadAllocatedBytes(tid);
                GradientSum g = SparkTrainer.gradientOf(scalar, scalar.parameters(), weighted, local, m, null,
                        SparkTrainer.MAX_ROWS_PER_CALL, tensors);
                perCall[b] = mx.getThreadAllocatedBytes(tid) - before;
                assertEquals(m, g.rows);
            }
        }
        // 72 KB (full) and 24 KB (last) per call when x, y and the weights were new tensors every call
        assertTrue(perCall[0] < 8 * 1024, perCall[0] + " bytes allocated by a full batch's call");
        assertTrue(perCall[1] < 8 * 1024, perCall[1] + " bytes allocated by the last batch's call");
    }

    /** shard() computes into its replica's tensors: after a step, the replica's (m rows, weighted) ones hold its rows. */
    @Test
    void aShardComputesIntoItsReplicasTensors() throws Exception {
        String run = "tensors-" + UUID.randomUUID();
        try {
            int[] pos = {5, 0, 9, 3, 11, 2, 7, 1, 10, 4, 8, 6}; // positions 0..3: rows 1, 7, 5, 3
            assertTrue(SparkTrainer.shard(List.of(weighted).iterator(), new long[] {0}, run, () -> model, () -> weights,
                    pos, null, 1, 0, 4, 9).hasNext());
            Replicas.Replica rep = Replicas.borrow(run, model); // the one the step released
            org.bpnn.tensor.Tensor[] xyw = rep.batch.of(4, 3, 2, true);
            int[] rows = {1, 7, 5, 3};
            for (int r = 0; r < 4; r++) {
                for (int j = 0; j < 3; j++) assertEquals(blk.x[rows[r] * 3 + j], xyw[0].get(r, j), 0f);
                for (int j = 0; j < 2; j++) assertEquals(blk.y[rows[r] * 2 + j], xyw[1].get(r, j), 0f);
                assertEquals(weighted.w[rows[r]], xyw[2].get(r, 0), 0f);
            }
            Replicas.release(run, rep);
        } finally {
            Replicas.drop(run);
        }
    }

    /**
     * The reused tensors give each step its own rows: a step on a replica that computed another batch (of the
     * same size, other rows and weights) first has the bits of gradientOf on fresh tensors.
     */
    @Test
    void theReusedBatchTensorsCarryNoRowsIntoTheNextStep() throws Exception {
        String run = "tensors-" + UUID.randomUUID();
        try {
            int[] first = {0, 1, 2, 3, 11, 10, 9, 8, 7, 6, 5, 4}; // rows 0..3 at positions 0..3
            assertTrue(SparkTrainer.shard(List.of(weighted).iterator(), new long[] {0}, run, () -> model, () -> weights,
                    first, null, 1, 0, 4, 9).hasNext());
            int[] pos = {5, 0, 9, 3, 11, 2, 7, 1, 10, 4, 8, 6}; // positions 0..3: rows 1, 7, 5, 3
            GradientSum got = SparkTrainer.shard(List.of(weighted).iterator(), new long[] {0}, run, () -> model,
                    () -> weights, pos, null, 2, 0, 4, 9).next();
            Network ref = ModelFile.fromBytes(model).network();
            GradientSum want = SparkTrainer.gradientOf(ref, ref.parameters(), weighted, new int[] {1, 7, 5, 3}, 4, null,
                    Integer.MAX_VALUE);
            assertEquals(4, got.rows);
            assertEquals(want.cost, got.cost, 0.0);
            for (int i = 0; i < weights.length; i++) assertEquals(want.meanAt(i), got.meanAt(i), 0f, "element " + i);
        } finally {
            Replicas.drop(run);
        }
    }

    /**
     * The reused scratch gives each step the rows of its own batch in batch order: the gradient equals
     * gradientOf on the rows listed by hand, after a step of another order and a larger batch on the same
     * replica.
     */
    @Test
    void theReusedScratchCarriesNoRowsIntoTheNextStep() {
        String run = "scratch-" + UUID.randomUUID();
        try {
            int[] wide = {11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0}; // positions of rows 0..11: all in [0, 12)
            assertTrue(shard(run, wide, 1, 0, 12).hasNext());
            int[] pos = {5, 0, 9, 3, 11, 2, 7, 1, 10, 4, 8, 6};
            GradientSum got = shard(run, pos, 2, 2, 6).next(); // positions 2..5: rows 5, 3, 9, 0
            Network ref = ModelFile.fromBytes(model).network();
            GradientSum want = SparkTrainer.gradientOf(ref, ref.parameters(), blk, new int[] {5, 3, 9, 0}, Integer.MAX_VALUE);
            assertEquals(4, got.rows);
            assertEquals(want.cost, got.cost, 0.0);
            for (int i = 0; i < weights.length; i++) assertEquals(want.meanAt(i), got.meanAt(i), 0f, "element " + i);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        } finally {
            Replicas.drop(run);
        }
    }
}
