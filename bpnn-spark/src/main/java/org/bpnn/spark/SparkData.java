package org.bpnn.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.bpnn.tensor.Tensor;
import scala.Tuple2;

/**
 * A training set on Spark: every row read and checked once, then cached on the executors as one
 * block of flat float arrays per partition, each row keeping its <b>global index</b>, its position in
 * the input's order (partition by partition, as {@code zipWithIndex} numbers them). The global index
 * is what the {@link SparkTrainer}'s seeded shuffle permutes, so the batch composition depends only
 * on the seed and the input's order, not on the partitioning; a local {@link org.bpnn.data.Dataset}
 * with the rows in the same order ({@link #toLocal()}) is shuffled into the same batches by
 * {@link org.bpnn.train.Trainer}.
 *
 * <p>Reading is eager: {@link #from} and {@link #fromSamples} run a Spark job that reads every row,
 * so a bad row (wrong feature count, null or non-numeric cell, label out of range) fails there with
 * an {@link IllegalArgumentException} naming its global index and content.
 *
 * <p><b>Order must be stable.</b> The blocks are persisted {@code MEMORY_AND_DISK}; should one be
 * lost and recomputed, its rows must come back in the same order. That holds for file sources and
 * {@code sort}, not for an unsorted {@code repartition(n)} (round-robin after a shuffle): sort first,
 * or {@code repartition(n, column)}, or checkpoint the input.
 *
 * <p>{@link #close()} unpersists the blocks.
 */
public final class SparkData implements AutoCloseable {
    private final JavaRDD<Block> blocks;
    private final long size;
    private final int featureCount;
    private final int targetCount;

    private SparkData(JavaRDD<Block> blocks, long size, int featureCount, int targetCount) {
        this.blocks = blocks;
        this.size = size;
        this.featureCount = featureCount;
        this.targetCount = targetCount;
    }

    /**
     * Reads {@code df} with {@code format} (which must name a target). The feature count is the
     * number of feature columns, or the length of the first row's array; every row must match it.
     */
    public static SparkData from(Dataset<Row> df, RowFormat format) {
        if (df == null || format == null) {
            throw new IllegalArgumentException("data frame and format are required, got " + df + " and " + format);
        }
        if (!format.hasTarget()) {
            throw new IllegalArgumentException(format + " names no target; add .classLabel(column, classes), "
                    + ".targetColumns(...) or .targetArray(column) to train");
        }
        int f = Failures.run("reading the first row", () -> format.featureCount(df));
        int k = Failures.run("reading the first row", () -> format.targetCount(df));
        RowReader reader = format.reader(df.schema(), f, k, true);
        JavaRDD<Block> blocks = df.javaRDD().zipWithIndex()
                .mapPartitionsWithIndex((p, it) -> rowBlock(p, it, reader), true);
        return cache(blocks, f, k);
    }

    /**
     * Reads samples; the feature and target counts come from the first sample and every other must
     * match them.
     */
    public static SparkData fromSamples(JavaRDD<Sample> samples) {
        if (samples == null) {
            throw new IllegalArgumentException("samples is null");
        }
        List<Sample> first = Failures.run("reading the first sample", () -> samples.take(1));
        if (first.isEmpty()) {
            throw new IllegalArgumentException("the data set has no rows");
        }
        Sample s0 = first.get(0);
        if (s0 == null || s0.features() == null || s0.target() == null) {
            throw new IllegalArgumentException("row 0: sample or its arrays are null: " + s0);
        }
        int f = s0.features().length, k = s0.target().length;
        if (f == 0 || k == 0) {
            throw new IllegalArgumentException("row 0: a sample needs at least one feature and one target value: " + s0);
        }
        JavaRDD<Block> blocks = samples.zipWithIndex()
                .mapPartitionsWithIndex((p, it) -> sampleBlock(p, it, f, k), true);
        return cache(blocks, f, k);
    }

    private static SparkData cache(JavaRDD<Block> blocks, int f, int k) {
        blocks.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long n = Failures.run("reading the training data", () -> blocks.map(b -> (long) b.rows).reduce(Long::sum));
            if (n == 0) {
                throw new IllegalArgumentException("the data set has no rows");
            }
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("the data set has " + n + " rows; the shuffle permutes at most "
                        + (Integer.MAX_VALUE - 8) + " (an int[] on the driver)");
            }
            return new SparkData(blocks, n, f, k);
        } catch (RuntimeException e) {
            blocks.unpersist(false);
            throw e;
        }
    }

    private static Iterator<Block> rowBlock(int partition, Iterator<Tuple2<Row, Long>> rows, RowReader reader) {
        Block.Builder b = new Block.Builder(partition, reader.featureCount(), reader.targetCount());
        int f = reader.featureCount(), k = reader.targetCount();
        while (rows.hasNext()) {
            Tuple2<Row, Long> t = rows.next();
            String where = "row " + t._2();
            int r = b.add(t._2());
            reader.features(t._1(), b.x(), r * f, where);
            reader.target(t._1(), b.y(), r * k, where);
        }
        return Collections.singletonList(b.build()).iterator();
    }

    private static Iterator<Block> sampleBlock(int partition, Iterator<Tuple2<Sample, Long>> samples, int f, int k) {
        Block.Builder b = new Block.Builder(partition, f, k);
        while (samples.hasNext()) {
            Tuple2<Sample, Long> t = samples.next();
            Sample s = t._1();
            String where = "row " + t._2();
            if (s == null || s.features() == null || s.target() == null) {
                throw new IllegalArgumentException(where + ": sample or its arrays are null: " + RowReader.show(s));
            }
            if (s.features().length != f || s.target().length != k) {
                throw new IllegalArgumentException(where + ": sample has " + s.features().length + " features and "
                        + s.target().length + " target values, expected " + f + " and " + k + " (as in row 0): "
                        + RowReader.show(s));
            }
            int r = b.add(t._2());
            copyFinite(s.features(), b.x(), r * f, where, "feature", s);
            copyFinite(s.target(), b.y(), r * k, where, "target", s);
        }
        return Collections.singletonList(b.build()).iterator();
    }

    private static void copyFinite(float[] src, float[] dst, int off, String where, String what, Sample s) {
        for (int j = 0; j < src.length; j++) {
            if (!Float.isFinite(src[j])) {
                throw new IllegalArgumentException(where + ": " + what + " " + j + " is " + src[j] + ": " + RowReader.show(s));
            }
        }
        System.arraycopy(src, 0, dst, off, src.length);
    }

    JavaRDD<Block> blocks() { return blocks; }

    /** n, the number of rows. */
    public long size() { return size; }

    public int featureCount() { return featureCount; }

    public int targetCount() { return targetCount; }

    public int partitions() { return blocks.getNumPartitions(); }

    /**
     * All rows collected to the driver as a bpnn {@link org.bpnn.data.Dataset}, in global-index
     * order: the local twin that {@link org.bpnn.train.Trainer} trains on in the same batches.
     */
    public org.bpnn.data.Dataset toLocal() {
        List<Block> all = new ArrayList<>(Failures.run("collecting the data", blocks::collect));
        int n = (int) size;
        Tensor x = Tensor.zeros(n, featureCount), y = Tensor.zeros(n, targetCount);
        for (Block b : all) {
            for (int i = 0; i < b.rows; i++) {
                int r = (int) b.index[i];
                System.arraycopy(b.x, i * featureCount, x.data(), r * featureCount, featureCount);
                System.arraycopy(b.y, i * targetCount, y.data(), r * targetCount, targetCount);
            }
        }
        return new org.bpnn.data.Dataset(x, y);
    }

    /** Unpersists the cached blocks. */
    @Override
    public void close() {
        blocks.unpersist(false);
    }

    @Override
    public String toString() {
        return "SparkData(" + size + " rows, " + featureCount + " features -> " + targetCount + " targets, "
                + partitions() + " partitions)";
    }
}
