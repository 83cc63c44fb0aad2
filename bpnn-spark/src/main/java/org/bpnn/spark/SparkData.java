package org.bpnn.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.bpnn.tensor.Tensor;

/**
 * A training set on Spark: every row read and checked once, then cached on the executors as one
 * block of flat float arrays per partition, each row keeping its <b>global index</b>, its position in
 * the input's order (partition by partition, as {@code zipWithIndex} would number them). The global index
 * is what the {@link SparkTrainer}'s seeded shuffle permutes, so the batch composition depends only
 * on the seed and the input's order, not on the partitioning; a local {@link org.bpnn.data.Dataset}
 * with the rows in the same order ({@link #toLocal()}) is shuffled into the same batches by
 * {@link org.bpnn.train.Trainer}.
 *
 * <p>Reading is eager: {@link #from} and {@link #fromSamples} run one Spark job that reads every row
 * once (the global indices come from the cached blocks' sizes afterwards, with no second pass over
 * the input), so a bad row (wrong feature count, null or non-numeric cell, label out of range) fails
 * there with an {@link IllegalArgumentException} naming its global index and content (the index is
 * found by counting, not parsing, the rows of the partitions before it). An interrupt of the reading
 * thread ends the read, as it ends a {@link SparkTrainer} fit, with a
 * {@link java.util.concurrent.CancellationException}, the interrupt status left set and the running
 * Spark job cancelled.
 *
 * <p><b>Order must be stable.</b> The blocks are persisted {@code MEMORY_AND_DISK}; should one be
 * lost and recomputed, its rows must come back in the same order. That holds for file sources,
 * {@code sort} by a unique key and {@code repartition(n, column).sortWithinPartitions(key)} with a
 * unique key, or a checkpointed input. It does not hold after a shuffle without a sort: Spark keeps
 * which rows a partition of {@code repartition(n, column)} holds, not their order (shuffle blocks
 * arrive in any order), so a recomputed block would hold other rows at the same global indices and
 * a step, which can only check the row counts, would not notice; an unsorted {@code repartition(n)}
 * (round-robin) changes even which rows a partition holds.
 *
 * <p>{@link #close()} unpersists the blocks; a closed {@code SparkData} is refused
 * ({@link IllegalStateException}) rather than read again from the input in every training step.
 */
public final class SparkData implements AutoCloseable {
    private final JavaRDD<Block> blocks;
    /** offsets[p]: the global index of partition p's first row (the rows of partitions 0..p-1). */
    private final long[] offsets;
    private final long size;
    private final int featureCount;
    private final int targetCount;
    /** Whether the rows carry sample weights (RowFormat.sampleWeight): every block's w is then set. */
    private final boolean weighted;
    private volatile boolean closed;

    private SparkData(JavaRDD<Block> blocks, long[] offsets, long size, int featureCount, int targetCount, boolean weighted) {
        this.blocks = blocks;
        this.offsets = offsets;
        this.size = size;
        this.featureCount = featureCount;
        this.targetCount = targetCount;
        this.weighted = weighted;
    }

    /**
     * Reads {@code df} with {@code format} (which must name a target). The feature count is the
     * number of feature columns, or the length of the first row's array; every row must match it.
     * Runs Spark jobs now (see the class comment); close the result to free the cache.
     *
     * @throws IllegalArgumentException when df or format is null, the format names no target or a column
     *         {@code df} lacks or of the wrong type, {@code df} has no rows, or a row is bad (named by its
     *         global index and shown)
     * @throws java.util.concurrent.CancellationException when the reading thread is interrupted (status left set)
     * @throws SparkTrainingException when a Spark job fails for another reason than a bad row
     */
    public static SparkData from(Dataset<Row> df, RowFormat format) {
        return from(df, format, (f, k) -> { });
    }

    /**
     * As {@link #from(Dataset, RowFormat)}, with {@code counts} given the feature and target counts (known from the
     * schema and the first row) before the job that reads every row: SparkTrainer refuses a network of another
     * width there, not after the whole input has been read and checked (a classLabel with fewer classes than the
     * network's outputs would be blamed on the first row with a larger label, "expected a class index in [0, 5)").
     */
    static SparkData from(Dataset<Row> df, RowFormat format, java.util.function.BiConsumer<Integer, Integer> counts) {
        // one message each, saying what to pass ("data frame and format are required, got null and ..." names neither)
        if (df == null) {
            throw new IllegalArgumentException("data frame is null; pass the Dataset<Row> to read with the format");
        }
        RowFormat.requireFormat(format, true);
        // a target (its own message when none is named) and every column, before the first row's job
        format.requireColumns(df.schema());
        return read(df.sparkSession().sparkContext(), () -> {
            int f = Failures.run("reading the first row", () -> format.featureCount(df));
            int k = Failures.run("reading the first row", () -> format.targetCount(df));
            RowReader reader = format.reader(df.schema(), f, k, true);
            counts.accept(f, k);
            JavaRDD<Row> rows = df.javaRDD();
            JavaRDD<Block> blocks = rows.mapPartitionsWithIndex((p, it) -> rowBlock(p, it, reader), true);
            return cache(blocks, rows, "the data frame", f, k, reader.weighted() ? format.toString() : null,
                    ", or read the data without sampleWeight(...)");
        });
    }

    /**
     * Reads samples; the feature and target counts come from the first sample and every other must
     * match them. The rows are unweighted: a sample with a weight other than 1 ({@link Sample#withWeight})
     * is refused, with its row named, rather than trained on as 1; read such samples with
     * {@link #fromWeightedSamples}.
     *
     * @throws IllegalArgumentException when samples is null or empty, or a sample is null, of other counts
     *         than the first, or weighted
     * @throws java.util.concurrent.CancellationException when the reading thread is interrupted (status left set)
     * @throws SparkTrainingException when a Spark job fails for another reason than a bad row
     */
    public static SparkData fromSamples(JavaRDD<Sample> samples) {
        return fromSamples(samples, false);
    }

    /**
     * Reads samples with their sample weights ({@link Sample#weight()}, 1 unless set with {@link Sample#withWeight}),
     * as {@link RowFormat#sampleWeight} reads a weight column: {@link #isWeighted()}, {@link SparkTrainer} trains on
     * the weighted cost and {@link #toLocal()} keeps them (a {@code Dataset.withSampleWeights} set). Refused as
     * {@code Dataset.withSampleWeights} refuses them: a NaN, infinite or negative weight (with its row named, as a bad
     * feature is), and samples whose weights are all 0. The feature and target counts are checked as by
     * {@link #fromSamples}.
     */
    public static SparkData fromWeightedSamples(JavaRDD<Sample> samples) {
        return fromSamples(samples, true);
    }

    private static SparkData fromSamples(JavaRDD<Sample> samples, boolean weighted) {
        if (samples == null) {
            throw new IllegalArgumentException("samples is null; pass the JavaRDD<Sample> to read, e.g."
                    + " jsc.parallelize(list) of Sample.ofClass(features, label, classes)"
                    + (weighted ? ".withWeight(w)" : "") + ", or read a Dataset<Row> with SparkData.from(df, format)");
        }
        return read(samples.context(), () -> {
            List<Sample> first = Failures.run("reading the first sample", () -> samples.take(1));
            if (first.isEmpty()) {
                throw noRows("the samples RDD has no rows");
            }
            Sample s0 = first.get(0);
            if (s0 == null || s0.features() == null || s0.target() == null) {
                throw new IllegalArgumentException("row 0: sample or its arrays are null: " + s0);
            }
            int f = s0.features().length, k = s0.target().length;
            if (f == 0 || k == 0) {
                throw new IllegalArgumentException("row 0: a sample needs at least one feature and one target value: " + s0);
            }
            JavaRDD<Block> blocks = samples.mapPartitionsWithIndex((p, it) -> sampleBlock(p, it, f, k, weighted), true);
            return cache(blocks, samples, "the samples RDD", f, k, weighted ? "the samples RDD read by fromWeightedSamples" : null,
                    "");
        });
    }

    /**
     * Runs a read's Spark jobs (the first row's, the caching one, the count that names a bad row's
     * index) under a job tag of its own, the caller's job group and description kept. An interrupt
     * of the waiting thread ends Spark's wait but not the job, which would go on reading the whole input
     * (caching blocks of an RDD unpersisted on the way out); a read that did not finish cancels its
     * jobs. The interrupt ends the read as SparkTrainer's interrupts end a fit: a CancellationException
     * with the status set again (the job wait throws InterruptedException, which clears it and which
     * Failures wraps in a SparkTrainingException "... failed: InterruptedException").
     */
    private static SparkData read(SparkContext sc, Supplier<SparkData> body) {
        return tagged(sc, "reading the data", "nothing was cached and the read's Spark job is cancelled. To read the"
                + " data, clear the status with Thread.interrupted() and call SparkData.from or fromSamples again", body);
    }

    /** As read(): {@code body}'s jobs tagged, cancelled unless it finished; an interrupt ends it cancelled. */
    private static <T> T tagged(SparkContext sc, String what, String after, Supplier<T> body) {
        if (Thread.currentThread().isInterrupted()) {
            // each Spark job would be submitted, then its wait would throw at once: none is started
            throw interrupted(what, after, null);
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
        String tag = "bpnn-spark-read-" + UUID.randomUUID();
        boolean read = false;
        jsc.addJobTag(tag);
        try {
            T result = body.get();
            read = true;
            return result;
        } catch (RuntimeException e) {
            if (!Failures.interruptedBy(e)) throw e;
            throw interrupted(what, after, e);
        } finally {
            jsc.removeJobTag(tag);
            if (!read) jsc.cancelJobsWithTag(tag); // a job that failed has ended already: nothing to cancel
        }
    }

    private static CancellationException interrupted(String what, String after, Throwable cause) {
        Thread.currentThread().interrupt();
        CancellationException c = new CancellationException(what + " was interrupted (the thread's interrupt status is"
                + " set: Future.cancel(true), shutdownNow() or Thread.interrupt(), and is left set); " + after);
        if (cause != null) c.initCause(cause);
        return c;
    }

    /**
     * Refuses data without rows, saying what to change: "the data set has no rows" alone would be the
     * same words whether a data frame or an RDD of samples is empty and whatever the caller is doing.
     * Empty data is most often a filter, a sample or a path that matched nothing. One wording for
     * {@link #from}, {@link #fromSamples} and {@link RowFormat}'s first-row read.
     *
     * @param problem what is empty, e.g. "the data frame has no rows"
     */
    static IllegalArgumentException noRows(String problem) {
        return new IllegalArgumentException(problem + "; SparkData needs at least one row to read: check the data's"
                + " source and any filter or sample applied to it");
    }

    /**
     * @param what the data as the caller knows it ("the data frame"), for the message when it has no rows
     * @param weightedBy what read sample weights (the format), for the message when they are all 0, or null for
     *                   unweighted rows
     * @param orUnweighted the way to read the data unweighted, for that message (", or read ..."), or ""
     */
    private static SparkData cache(JavaRDD<Block> blocks, JavaRDD<?> source, String what, int f, int k, String weightedBy,
                                   String orUnweighted) {
        blocks.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<long[]> sizes;
            try {
                // tagged by read(), which cancels it should the wait end first (an interrupt)
                // and whether some row weighs more than 0, in the same job (always, without weights)
                sizes = blocks.map(b -> new long[] {b.partition, b.rows, b.anyWeight() ? 1 : 0}).collect();
            } catch (Exception e) {
                throw globalRow(e, source);
            }
            long[] offsets = new long[blocks.getNumPartitions()];
            long[] counts = new long[offsets.length];
            boolean anyWeight = false;
            for (long[] s : sizes) {
                counts[(int) s[0]] += s[1];
                anyWeight |= s[2] != 0;
            }
            long n = 0;
            for (int p = 0; p < offsets.length; p++) {
                offsets[p] = n;
                n += counts[p];
            }
            if (n == 0) {
                throw noRows(what + " has no rows");
            }
            checkRows(n);
            if (weightedBy != null && !anyWeight) {
                // as Dataset.withSampleWeights refuses it: a fit would change nothing and report a loss of 0
                throw new IllegalArgumentException("every row's sample weight is 0 (" + weightedBy + ", " + n + " rows), so"
                        + " training would change nothing and the weighted loss would be 0; give the rows that should count a"
                        + " weight above 0 (1 is unweighted)" + orUnweighted);
            }
            return new SparkData(blocks, offsets, n, f, k, weightedBy != null);
        } catch (RuntimeException e) {
            blocks.unpersist(false);
            throw e;
        }
    }

    /** The most rows one SparkData holds: see {@link #checkRows}. */
    static final int MAX_ROWS = Block.Builder.MAX_ARRAY;

    /**
     * {@code n} as an int, or a refusal when there are more than {@link #MAX_ROWS} rows: a row's global
     * index is an int, and SparkTrainer permutes the indices in one int[] on the driver (and broadcasts
     * its inverse). Checked once the read has counted the rows (no earlier point knows the count), and
     * again where SparkTrainer narrows {@link #size()} to an int, so no count can wrap there.
     */
    static int checkRows(long n) {
        if (n > MAX_ROWS) {
            throw new IllegalArgumentException("the data set has " + n + " rows, more than the " + MAX_ROWS + " one"
                    + " SparkData holds (a row's index is an int, and SparkTrainer shuffles the indices in one int[] on"
                    + " the driver); read fewer rows into it, e.g. df.sample(false, fraction, seed), or train on parts"
                    + " of the data (df.randomSplit) one fit after another");
        }
        return (int) n;
    }

    /**
     * Refuses a {@link #toLocal()} whose rows x features or rows x targets exceed one Java array, before
     * any row is collected: Tensor.zeros would refuse it only after every block has been collected to the
     * driver, in words that say nothing of Spark (and the copies' int offsets, rows x features, would
     * wrap).
     */
    static void checkLocal(long rows, int featureCount, int targetCount) {
        int width = Math.max(featureCount, targetCount);
        if (rows * width > Block.Builder.MAX_ARRAY) {
            throw new IllegalArgumentException("toLocal() would collect " + rows + " rows of " + width + " "
                    + (width == featureCount ? "features" : "target values") + ", " + rows * width + " floats in one"
                    + " tensor, more than a Java array holds (" + Block.Builder.MAX_ARRAY + "); collect at most "
                    + Block.Builder.MAX_ARRAY / width + " rows: read a part of the data into its own SparkData"
                    + " (df.sample(false, fraction, seed)), or train on all of it on Spark with SparkTrainer.fit(network, data)");
        }
    }

    /** The read's failure, with a bad row's (partition, row) turned into its global index. */
    private static RuntimeException globalRow(Exception e, JavaRDD<?> source) {
        BadRowException bad = null;
        for (Throwable t = e; t != null && bad == null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BadRowException b) bad = b;
        }
        if (bad == null) {
            return Failures.translate("reading the training data", e);
        }
        int before = bad.partition;
        List<Long> counts = Failures.run("counting rows", () -> source.mapPartitionsWithIndex((p, it) -> {
            long c = 0;
            if (p < before) {
                for (; it.hasNext(); it.next()) c++;
            }
            return Collections.singletonList(c).iterator();
        }, true).collect());
        long offset = 0;
        for (long c : counts) offset += c;
        return bad.withGlobalIndex(offset + bad.row, e);
    }

    private static Iterator<Block> rowBlock(int partition, Iterator<Row> rows, RowReader reader) {
        Block.Builder b = new Block.Builder(partition, reader.featureCount(), reader.targetCount(), reader.weighted());
        int f = reader.featureCount(), k = reader.targetCount();
        while (rows.hasNext()) {
            Row row = rows.next();
            int r = b.add();
            reader.features(row, b.x(), r * f, partition, r);
            reader.target(row, b.y(), r * k, partition, r);
            if (reader.weighted()) b.w()[r] = reader.weight(row, partition, r);
        }
        return Collections.singletonList(b.build()).iterator();
    }

    private static Iterator<Block> sampleBlock(int partition, Iterator<Sample> samples, int f, int k, boolean weighted) {
        Block.Builder b = new Block.Builder(partition, f, k, weighted);
        for (long i = 0; samples.hasNext(); i++) {
            Sample s = samples.next();
            if (s == null || s.features() == null || s.target() == null) {
                throw new BadRowException(partition, i, "sample or its arrays are null", RowReader.show(s));
            }
            if (s.features().length != f || s.target().length != k) {
                throw new BadRowException(partition, i, "sample has " + s.features().length + " features and "
                        + s.target().length + " target values, expected " + f + " and " + k + " (as in row 0)",
                        RowReader.show(s));
            }
            int r = b.add();
            copyFinite(s.features(), b.x(), r * f, partition, i, "feature", s);
            copyFinite(s.target(), b.y(), r * k, partition, i, "target", s);
            float w = s.weight();
            if (weighted) {
                // Loss.requireWeights' rule and words, which Dataset.withSampleWeights applies
                if (!(w >= 0f && w != Float.POSITIVE_INFINITY)) { // NaN too
                    throw new BadRowException(partition, i, "sample weight is " + w + "; sample weights must be finite and"
                            + " >= 0 (0 leaves the row out of the cost, 2 counts it twice)", RowReader.show(s));
                }
                b.w()[r] = w;
            } else if (Float.compare(w, 1f) != 0) {
                // trained on as 1, the weight would be lost without a word
                throw new BadRowException(partition, i, "sample has weight " + w + ", which fromSamples would ignore (it"
                        + " reads unweighted rows); read weighted samples with SparkData.fromWeightedSamples", RowReader.show(s));
            }
        }
        return Collections.singletonList(b.build()).iterator();
    }

    private static void copyFinite(float[] src, float[] dst, int off, int partition, long row, String what, Sample s) {
        for (int j = 0; j < src.length; j++) {
            if (!Float.isFinite(src[j])) {
                throw new BadRowException(partition, row, what + " " + j + " is " + src[j], RowReader.show(s));
            }
        }
        System.arraycopy(src, 0, dst, off, src.length);
    }

    JavaRDD<Block> blocks() {
        requireOpen();
        return blocks;
    }

    /** Without the cache, every use would read and parse the whole input again (each training step). */
    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(this + " was closed (its cached blocks unpersisted); read the data again with "
                    + "SparkData.from(...) or SparkData.fromSamples(...), and close it after the last fit");
        }
    }

    /** The global index of each partition's first row. */
    long[] offsets() { return offsets.clone(); }

    /** n, the number of rows. */
    public long size() { return size; }

    /** The features per row (the network's input size to train on it). */
    public int featureCount() { return featureCount; }

    /** The target values per row (the network's output size to train on it). */
    public int targetCount() { return targetCount; }

    /** The number of cached blocks: the input's partitions, whose rows each shard of a step computes. */
    public int partitions() { return blocks.getNumPartitions(); }

    /**
     * Whether the rows carry sample weights ({@link RowFormat#sampleWeight}): {@link SparkTrainer} trains on
     * them and {@link #toLocal()} keeps them. Rows read by {@link #fromSamples} carry none, those read by
     * {@link #fromWeightedSamples} their {@link Sample#weight()}.
     */
    public boolean isWeighted() { return weighted; }

    /**
     * All rows collected to the driver as a bpnn {@link org.bpnn.data.Dataset}, in global-index
     * order, with their sample weights when the rows carry them ({@link #isWeighted()}): the local twin
     * that {@link org.bpnn.train.Trainer} trains on in the same batches. Needs the driver's memory for
     * every row; the data stays cached on the executors.
     *
     * @throws IllegalStateException when this data is closed
     * @throws IllegalArgumentException when the rows' features or targets exceed one Java array (checked
     *         before any row is collected)
     * @throws java.util.concurrent.CancellationException when the calling thread is interrupted (status left
     *         set; the data stays usable)
     */
    public org.bpnn.data.Dataset toLocal() {
        requireOpen();
        checkLocal(size, featureCount, targetCount);
        // tagged and cancelled as a read is: else an interrupt would end it in "collecting the data failed: InterruptedException"
        List<Block> all = new ArrayList<>(tagged(blocks.context(), "collecting the data", "its Spark job is cancelled and"
                + " the data stays cached: clear the status with Thread.interrupted() and call toLocal() again",
                () -> Failures.run("collecting the data", blocks::collect)));
        int n = checkRows(size);
        Tensor x = Tensor.zeros(n, featureCount), y = Tensor.zeros(n, targetCount);
        float[] w = weighted ? new float[n] : null;
        for (Block b : all) {
            for (int i = 0; i < b.rows; i++) {
                int r = (int) (offsets[b.partition] + i);
                System.arraycopy(b.x, i * featureCount, x.data(), r * featureCount, featureCount);
                System.arraycopy(b.y, i * targetCount, y.data(), r * targetCount, targetCount);
                if (w != null) w[r] = b.w[i];
            }
        }
        org.bpnn.data.Dataset d = new org.bpnn.data.Dataset(x, y);
        return w == null ? d : d.withSampleWeights(w);
    }

    /**
     * The number of rows of each class, in one Spark job over the cached blocks: classes by the class
     * metrics' rule ({@link org.bpnn.metrics.Metrics#targetClasses}, as {@code Dataset.withClassWeights}
     * reads them): the argmax of a one-hot (or soft-label) target row, or for one target column (0/1 labels)
     * 1 above 0.5 and 0 below. One count per target column, or 2 for one column. For class weights of one's
     * own (e.g. the square root of the balanced ones) for {@link SparkTrainer.Builder#classWeights}.
     *
     * @throws IllegalArgumentException when a target row has no class, naming its global index
     */
    public long[] classCounts() {
        requireOpen();
        int classes = org.bpnn.metrics.Metrics.classCount(targetCount);
        long[] offsets = this.offsets;
        return tagged(blocks.context(), "counting the classes", "its Spark job is cancelled and the data stays cached:"
                + " clear the status with Thread.interrupted() and call classCounts() again",
                () -> Failures.run("counting the classes", () -> blocks.map(b -> ClassTally.of(b, offsets[b.partition], classes))
                        .fold(new ClassTally(classes), ClassTally::merge))).rows;
    }

    /**
     * scikit-learn's "balanced" class weights for these rows, as {@code Dataset.balancedClassWeights()}
     * computes them (the same floats as {@code toLocal().balancedClassWeights()}, without collecting the
     * rows): n / (classes * count_c) for class c with count_c rows ({@link #classCounts()}, one Spark job).
     * Their mean over the rows is 1, so the weighted cost keeps the scale of the unweighted one. For
     * {@code SparkTrainer.builder().classWeights(data.balancedClassWeights())}.
     *
     * @throws IllegalArgumentException when a target row has no class or a class has no rows
     */
    public float[] balancedClassWeights() {
        long[] count = classCounts();
        float[] w = new float[count.length];
        for (int c = 0; c < count.length; c++) {
            if (count[c] == 0) {
                throw new IllegalArgumentException("class " + c + " has no rows among the " + size + ", so its balanced weight"
                        + " n / (classes * count) is undefined; pass weights of your own to SparkTrainer.Builder.classWeights(...)");
            }
            w[c] = (float) ((double) size / ((double) count.length * count[c]));
        }
        return w;
    }

    /**
     * Per class: its rows, and the largest sample weight among them (1 for unweighted rows; 0 for a class
     * without rows), which SparkTrainer checks class weights against (a class present with some weight, no
     * product that overflows float).
     */
    static final class ClassTally implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final long[] rows;
        final float[] maxWeight;

        ClassTally(int classes) {
            rows = new long[classes];
            maxWeight = new float[classes];
        }

        /**
         * The tally of {@code blk}, whose first row has global index {@code offset}: Metrics.targetClasses on the
         * whole block, and on a refusal the row found again and named by its global index (Metrics names it by
         * its place in the block).
         */
        static ClassTally of(Block blk, long offset, int classes) {
            ClassTally t = new ClassTally(classes);
            int[] c = classes(blk, offset);
            for (int i = 0; i < c.length; i++) {
                t.rows[c[i]]++;
                t.maxWeight[c[i]] = Math.max(t.maxWeight[c[i]], blk.w == null ? 1f : blk.w[i]);
            }
            return t;
        }

        static ClassTally merge(ClassTally a, ClassTally b) {
            for (int c = 0; c < a.rows.length; c++) {
                a.rows[c] += b.rows[c];
                a.maxWeight[c] = Math.max(a.maxWeight[c], b.maxWeight[c]);
            }
            return a;
        }
    }

    /** The class of each row of {@code blk} (see {@link ClassTally#of}). */
    private static int[] classes(Block blk, long offset) {
        if (blk.rows == 0) return new int[0];
        int k = blk.targetCount;
        int[] c;
        try {
            c = org.bpnn.metrics.Metrics.targetClasses(Tensor.wrap(blk.rows, k, blk.y));
        } catch (IllegalArgumentException e) {
            for (int i = 0; i < blk.rows; i++) {
                float[] row = java.util.Arrays.copyOfRange(blk.y, i * k, (i + 1) * k);
                try {
                    org.bpnn.metrics.Metrics.targetClasses(Tensor.wrap(1, k, row));
                } catch (IllegalArgumentException ei) {
                    // in words of its own: Metrics' message names the row by its place in the one-row copy (row 0)
                    throw new IllegalArgumentException("row " + (offset + i) + ": target " + java.util.Arrays.toString(row)
                            + " has no class, which class weights need: " + (k == 1 ? "one target column holds 0/1 labels"
                            + " (a value in [0, 1] other than 0.5)" : "a target row holds values in [0, 1] with a single"
                            + " largest one (a one-hot row: RowFormat.classLabel)") + "; read the class labels as such, or"
                            + " train without class weights", ei);
                }
            }
            throw e;
        }
        return c;
    }

    /**
     * Unpersists the cached blocks (without waiting for the executors); the data can no longer be used:
     * training on it, {@link #toLocal()} and the class counts then throw {@link IllegalStateException}.
     * Closing again does nothing more.
     */
    @Override
    public void close() {
        closed = true;
        blocks.unpersist(false);
    }

    @Override
    public String toString() {
        return "SparkData(" + size + " rows, " + featureCount + " features -> " + targetCount + " targets, "
                + partitions() + " partitions" + (weighted ? ", sample-weighted" : "") + (closed ? ", closed" : "") + ")";
    }
}
