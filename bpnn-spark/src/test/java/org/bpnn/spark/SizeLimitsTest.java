package org.bpnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Every Spark-side row count, and rows x features product, that could pass int range is refused before it
 * wraps, naming what was given, the limit and what to change. The checks are tested on their own, with
 * sizes that would need 2^31 elements to reach for real.
 */
class SizeLimitsTest {
    private static final int MAX = Integer.MAX_VALUE - 8;

    /** SparkTrainer narrows SparkData.size() to an int: a count over the limit is refused, not wrapped. */
    @Test
    void aRowCountBeyondIntRangeIsRefusedWithTheLimitAndWhatToDo() {
        assertEquals(MAX, SparkData.checkRows(MAX));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkData.checkRows(1L << 31));
        String m = e.getMessage();
        assertTrue(m.startsWith("the data set has 2147483648 rows, more than the 2147483639 one SparkData holds"), m);
        assertTrue(m.contains("df.sample(false, fraction, seed)"), m);
    }

    /**
     * toLocal refuses rows x features (or targets) beyond one array before collecting anything: it
     * collected every block to the driver first, then failed in Tensor.zeros with no word of Spark.
     */
    @Test
    void toLocalBeyondOneArrayIsRefusedBeforeCollecting() {
        SparkData.checkLocal(MAX / 4096, 4096, 10); // fits exactly
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkData.checkLocal(1_000_000, 4096, 10));
        String m = e.getMessage();
        assertTrue(m.startsWith("toLocal() would collect 1000000 rows of 4096 features, 4096000000 floats in one tensor,"
                + " more than a Java array holds (2147483639); collect at most 524287 rows"), m);
        assertTrue(m.contains("SparkTrainer.fit(network, data)"), m);
        // many classes: the one-hot targets are the wider side
        e = assertThrows(IllegalArgumentException.class, () -> SparkData.checkLocal(1_000_000, 10, 5000));
        assertTrue(e.getMessage().startsWith("toLocal() would collect 1000000 rows of 5000 target values"), e.getMessage());
    }

    /**
     * A scoring chunk's outputs (rows x outputs) are bounded as its features are: a model of 2^23 outputs
     * got 256-row chunks, 2^31 output values, beyond a Java array.
     */
    @Test
    void aScoringChunkIsSizedByTheWiderOfFeaturesAndOutputs() {
        assertEquals(SparkScorer.BATCH, SparkScorer.chunkRows(784, 10));
        for (int[] fk : new int[][] {{1, 1 << 23}, {1, 1 << 24}, {1 << 23, 1}, {1 << 24, 1 << 24}, {1, 1 << 30}}) {
            int m = SparkScorer.chunkRows(fk[0], fk[1]);
            assertTrue(m >= 1, "chunk of " + m + " rows");
            assertTrue((long) m * fk[0] <= Math.max(fk[0], SparkScorer.CHUNK_FLOATS), "features of " + m + " rows x " + fk[0]);
            assertTrue((long) m * fk[1] <= Math.max(fk[1], SparkScorer.CHUNK_FLOATS), "outputs of " + m + " rows x " + fk[1]);
        }
    }

    /** lo + b of a batch over 2^30 rows passed int range: the end wrapped negative and the step failed. */
    @Test
    void theEndOfABatchDoesNotWrap() {
        assertEquals(2_000_000_000, SparkTrainer.batchEnd(1_500_000_000, 1_500_000_000, 2_000_000_000));
        assertEquals(MAX, SparkTrainer.batchEnd(MAX - 1, MAX, MAX));
        assertEquals(64, SparkTrainer.batchEnd(32, 32, 100));
        assertEquals(100, SparkTrainer.batchEnd(96, 32, 100));
    }

    /**
     * A partition of more rows than one array holds is refused at the row that would pass the limit (a
     * mock limit of 3 rows here), with a remedy that keeps the row order stable: it said "repartition",
     * whose unsorted form changes which rows a partition holds.
     */
    @Test
    void aPartitionBeyondOneArrayIsRefusedWithAnOrderKeepingRemedy() {
        Block.Builder b = new Block.Builder(2, 4, 1, 3);
        for (int i = 0; i < 3; i++) assertEquals(i, b.add());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::add);
        String m = e.getMessage();
        assertTrue(m.startsWith("partition 2 holds more than 3 rows of 4 features and 1 target values"), m);
        assertTrue(m.contains("repartition(n, key).sortWithinPartitions(key) with a unique key"), m);
        assertEquals(3, b.build().rows);
    }
}
