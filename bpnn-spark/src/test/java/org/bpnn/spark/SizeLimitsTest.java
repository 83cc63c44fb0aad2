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
