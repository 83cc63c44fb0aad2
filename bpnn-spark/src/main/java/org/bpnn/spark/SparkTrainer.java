package org.bpnn.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.bpnn.metrics.Metric;
import org.bpnn.metrics.Metrics;
import org.bpnn.nn.Dropout;
import org.bpnn.nn.Layer;
import org.bpnn.nn.Network;
import org.bpnn.nn.Parameter;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.nn.Rng;
import org.bpnn.optim.Optimizer;
import org.bpnn.tensor.Tensor;
import org.bpnn.train.EarlyStopping;
import org.bpnn.train.EpochSummary;
import org.bpnn.train.NonFinitePolicy;
import org.bpnn.train.TrainingDivergedException;
import org.bpnn.train.TrainingHistory;
import org.bpnn.train.Trainer;
import org.bpnn.train.TrainingListener;

/**
 * Synchronous data-parallel mini-batch training on Spark: the same algorithm as
 * {@link org.bpnn.train.Trainer}, with each batch's gradient computed by the executors.
 * <pre>{@code
 * SparkTrainer trainer = SparkTrainer.builder()
 *     .optimizer(new Adam(1e-3))
 *     .epochs(5).batchSize(512).shuffle(7)
 *     .build();
 * try (SparkData data = SparkData.from(df, RowFormat.featureArray("features").classLabel("label", 10))) {
 *     SparkTrainingHistory h = trainer.fit(network, data);   // trains network in place
 * }
 * ModelFile.save(network, Path.of("model.bpnn"));
 * }</pre>
 *
 * <p><b>One step</b> (global batch t of B rows):
 * <ol>
 *   <li>the driver broadcasts the weights w_t as one flat {@code float[]} (the architecture went out
 *       once, as bpnn-io model bytes; executors rebuild it with {@link ModelFile#fromBytes} and keep a
 *       network per task slot);</li>
 *   <li>each partition s takes the rows of batch t that it holds, B_s of them, in their batch order,
 *       and computes g_s = (1/B_s) sum_i dC_i/dw with {@link Network#computeGradients} on the
 *       executor's own backend ({@code Backends.get()} there: simd where the Vector API is
 *       enabled);</li>
 *   <li>each shard sends g_s (floats) and B_s; {@code treeAggregate} sums B_s * g_s in double up to the driver, which sets every
 *       {@link Parameter#grad()} to g = (1/B) sum_s B_s g_s, the full batch's mean gradient, checks it
 *       for NaN/infinity, and applies the optimiser ({@link Network#applyUpdate}), whose state lives
 *       only on the driver.</li>
 * </ol>
 * So the update equals the single-machine one up to float rounding of the shard sums (see
 * {@link GradientSum}); with one partition it is bit-identical.
 *
 * <p><b>Batches.</b> Each epoch the row order is a Fisher-Yates shuffle of the global indices (see
 * {@link SparkData}) by an {@link Rng} seeded exactly as {@code Trainer}'s ({@code Rng.derive(seed,
 * 0)}, continued across epochs); batch t is positions [tB, (t+1)B) of that order, the last one
 * smaller unless {@link Builder#dropLastPartialBatch()}. The driver broadcasts the inverse
 * permutation (n ints) once per epoch. Batch composition therefore depends only on the seed and the
 * input's order, and equals {@code Trainer}'s on {@link SparkData#toLocal()}. Shards are uneven
 * (B_s follows the hypergeometric spread of a random batch over partitions): a step waits for the
 * largest.
 *
 * <p><b>Weights.</b> Rows read with a sample weight column ({@link RowFormat#sampleWeight}) and
 * {@link Builder#classWeights class weights} weight each row by its sample weight times its class's
 * weight, as {@code Trainer} trains on a {@code Dataset.withSampleWeights}/{@code withClassWeights}
 * set: each shard passes its rows' weights to {@link Network#computeGradients(Tensor, Tensor, Tensor)},
 * so g_s and the shard's cost are those of sum_i w_i C_i / B_s and the driver's g is the gradient of
 * sum_i w_i C_i / B over the whole batch, Trainer's weighted cost (with one partition, the same bits as
 * {@code Trainer} on {@link SparkData#toLocal()}, which keeps the sample weights). The epoch's training
 * loss is the weighted one. The classes are read from the cached targets (the targets' check before the
 * first step refuses a row without one); {@link SparkData#balancedClassWeights()} computes scikit-learn's
 * "balanced" weights in one Spark job.
 *
 * <p><b>Dropout</b> masks are drawn on the executors from generators reseeded every batch from the
 * network's seed, the batch's number (counted across fits, skipped batches included) and the
 * partition: reproducible for a given partitioning, but not the masks a local run would draw.
 *
 * <p><b>Why synchronous, and not parameter averaging.</b> Averaging (each partition runs k local
 * optimiser steps on its own data, then the weights are averaged) talks to the driver k times less,
 * which wins on slow networks and large models; but it changes the algorithm: the effective batch
 * and learning rate interact with k, optimiser state (Adam's moments) must be averaged or kept per
 * worker, results depend on the partitioning, and it no longer matches a local run. Synchronous
 * steps cost one broadcast and one tree aggregation of the parameters per batch (two Spark round
 * trips, tens of milliseconds in local mode), so they pay off when one batch's gradient takes
 * longer than that: large batches, wide layers. Averaging is not offered.
 *
 * <p><b>Non-finite values</b> are handled as {@code Trainer} handles them: a batch whose loss or
 * gradient is NaN or infinite fails the fit ({@link NonFinitePolicy#FAIL}) or is skipped
 * ({@link NonFinitePolicy#SKIP_BATCH}), and after each epoch the weights are checked, so an update
 * that overflowed (even on the last batch) ends in a {@link TrainingDivergedException} naming the
 * parameter instead of a network with an infinite weight.
 *
 * <p><b>Listeners</b> get {@code onTrainStart(Network, int, int, int)}, {@code onEpochStart},
 * {@code onBatchEnd}, {@code onEpochEnd} and {@code onTrainEnd} (with a {@code TrainingHistory} of the
 * same summaries, best epoch and ending as the returned {@link SparkTrainingHistory}) or
 * {@code onTrainFailed}, paired as {@link TrainingListener} says: only a listener whose
 * {@code onTrainStart} returned hears how the run ended, and it hears exactly one of the two. The work
 * before {@code onTrainStart} (reading the rows in {@link #fit(Network, Dataset, RowFormat)}, encoding
 * and broadcasting the model, checking every row's targets against the loss) is part of the fit's
 * checks: when it fails, interrupted or not, no listener is called (an interrupt there ends the fit
 * with a {@code CancellationException} all the same). {@code onTrainStart(Trainer, ...)} is not
 * called (it passes a {@code Trainer}), so bpnn-io's {@code CheckpointFile.everyEpoch} cannot
 * checkpoint a Spark fit: it refuses it in {@code onTrainStart}, before the first epoch, naming
 * {@code ModelFile.save} in a listener of one's own instead; a listener that stops training calls {@link #requestStop()} on a reference
 * of its own.
 * A trainer owns its optimiser: one trainer per network; {@link #fit} again continues the optimiser
 * and shuffle state (early stopping's bookkeeping starts again with each fit, as a new
 * {@code Trainer} run's does).
 *
 * <p><b>Validation</b> ({@link #fit(Network, SparkData, org.bpnn.data.Dataset)}) is a local bpnn
 * {@code Dataset} evaluated <em>on the driver</em> after each epoch, exactly as {@code Trainer}
 * evaluates its validation set: one forward pass over it in inference mode (dropout off) with the
 * epoch's final weights, the loss on the outputs (weighted when the set carries sample weights,
 * {@code Dataset.withSampleWeights}, as in {@code Trainer}), then the {@link Builder#metrics metrics} (unweighted) on the
 * outputs turned into class probabilities for a network trained on logits. The
 * {@link EpochSummary#validationLoss()}, {@link EpochSummary#validationMetrics()} and
 * {@link EpochSummary#hasValidation()} that listeners get from {@code onEpochEnd}, and the
 * {@link SparkTrainingHistory}, carry the values. It suits a validation set that fits in the driver's
 * memory (a held-out {@link SparkData}'s {@link SparkData#toLocal()}, or a sample of one); a
 * distributed evaluation of a validation set too large for the driver is not offered (score it
 * after training with {@link SparkScorer}). Being computed on the driver from the weights alone, the
 * values depend on the partitioning of the training data only through the weights, whose float
 * summation order of the shard gradients may differ (see above; with one partition the whole run,
 * validation included, is bit-identical to {@code Trainer}'s with the same validation set). Metrics
 * are computed on the validation set only (a training metric would need a pass over the distributed
 * training data): {@link EpochSummary#trainMetrics()} stays empty, and metrics without a validation
 * set are refused. The pass predicts in slices of 4096 rows (the same bits as one
 * predict) and checks for an interrupt after each: an interrupt during it ends the fit with a
 * {@code CancellationException}, the listeners that started told through {@code onTrainFailed}, no
 * {@code onEpochEnd} for that epoch.
 *
 * <p><b>Early stopping</b> ({@link Builder#earlyStopping}) has {@code Trainer}'s semantics: it
 * monitors the validation loss or a validation metric (with no validation set, the epoch's training
 * loss); {@link EpochSummary#improved()} says which epochs improved; with
 * {@link EarlyStopping#restoreBestWeights()} the network ends with the best epoch's weights (kept
 * as a copy on the driver), also when the run diverges. Without early stopping the best epoch is
 * still tracked by the validation loss ({@link SparkTrainingHistory#bestEpoch()}).
 *
 * <p><b>Threads.</b> A trainer runs one fit at a time (it holds the optimiser's and the shuffle's
 * state): do not call {@code fit} on one trainer from two threads at once. {@link #requestStop()}
 * may be called from any thread. The network must not be trained or predicted on elsewhere while
 * a fit runs, as for {@code Trainer}.
 */
public final class SparkTrainer {
    private final Optimizer optimizer;
    private final int epochs;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final int treeDepth;
    private final NonFinitePolicy nonFinitePolicy;
    private final List<TrainingListener> listeners;
    private final Metric[] metrics;
    private final EarlyStopping earlyStopping;
    /** The index in metrics of early stopping's monitor, -1 for the loss (or none): found, and checked, at build. */
    private final int monitorMetric;
    /** One weight per class (Builder.classWeights), or null: unweighted training. */
    private final float[] classWeights;
    private final Rng shuffleRng;
    private long stepsDone;
    /**
     * Batches whose gradient was computed, skipped ones included: the key of each batch's dropout
     * masks. Keyed by stepsDone, the batch after a skipped one drew the skipped batch's masks again.
     */
    private long batchesDrawn;
    /** See requestStop: volatile, since another thread may set it. */
    private volatile boolean stopRequested;

    private SparkTrainer(Builder b) {
        this.optimizer = b.optimizer;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.treeDepth = b.treeDepth;
        this.nonFinitePolicy = b.nonFinitePolicy;
        this.listeners = List.copyOf(b.listeners);
        this.metrics = b.metrics.toArray(new Metric[0]);
        this.earlyStopping = b.earlyStopping;
        // as Trainer.Builder.build: the names a monitor can take are all known here, and a misspelt one, refused
        // only at fit, would surface where the run is started (after reading the rows, for fit(df, format)),
        // often far from where the trainer was configured
        this.monitorMetric = Trainer.requireMonitor(earlyStopping, List.of(metrics));
        this.classWeights = b.classWeights;
        this.shuffleRng = new Rng(Rng.derive(seed, 0));
    }

    /** A builder with {@code Trainer}'s defaults (see {@link Builder}); an optimiser must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** The optimiser, whose state (on the driver) carries over from one fit to the next. */
    public Optimizer optimizer() { return optimizer; }

    /** Optimiser steps applied by this trainer so far, over all its fits (skipped batches not counted). */
    public long steps() { return stepsDone; }

    /**
     * Asks the running fit to stop after the current epoch, as {@code Trainer.requestStop()}: from a
     * listener (before the first epoch too, in {@code onTrainStart}: then no epoch trains) or another
     * thread. The fit returns normally, its listeners get {@code onTrainEnd}, and the history has the
     * epochs trained and {@code endedBy()} REQUESTED ({@code stoppedEarly()} is early stopping's, and
     * stays false; COMPLETED when the request came during the last epoch, as Trainer). Requested while no
     * fit runs, it applies to the next fit, which then trains no epoch (a stop sent right after
     * submitting a fit to an executor is not lost); every fit call clears it when it ends, however it
     * ends. A listener reaches the trainer through a reference of its own (set after {@code build()}):
     * {@code onTrainStart(Trainer, ...)}, which hands {@code Trainer}'s listeners their trainer, takes a
     * {@code Trainer} and is not called by this one. An interrupt also ends a fit, with an exception.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Reads {@code df} with {@code format}, trains, and unpersists the data again; as
     * {@link #fit(Network, Dataset, RowFormat, org.bpnn.data.Dataset)} without validation.
     */
    public SparkTrainingHistory fit(Network network, Dataset<Row> df, RowFormat format) {
        return fit(network, df, format, null);
    }

    /**
     * Reads {@code df} with {@code format}, trains with {@code validation} (may be null) evaluated on the
     * driver after every epoch, and unpersists the data again. The validation set and the metrics are
     * checked before the rows are read; the features and target values per row against the network's input
     * and output sizes (and the class weights' count against the classes) as soon as the format and the first
     * row give them, before the job that reads and checks every row.
     *
     * @throws IllegalArgumentException when an argument is null or does not fit the network, or a row is
     *         bad (named by its global index, as {@link SparkData#from} names it); see also
     *         {@link #fit(Network, SparkData, org.bpnn.data.Dataset)}
     * @throws java.util.concurrent.CancellationException when the calling thread is interrupted (the
     *         status is left set); as {@link #fit(Network, SparkData, org.bpnn.data.Dataset)} otherwise
     */
    public SparkTrainingHistory fit(Network network, Dataset<Row> df, RowFormat format, org.bpnn.data.Dataset validation) {
        try {
            return readAndFit(network, df, format, validation);
        } finally {
            stopRequested = false; // see requestStop: cleared when a fit call ends, however it ends (a failed read too)
        }
    }

    private SparkTrainingHistory readAndFit(Network network, Dataset<Row> df, RowFormat format, org.bpnn.data.Dataset validation) {
        // before the read (a Spark job over the whole input): a missing network or a mismatched validation set
        // fails here, not after the whole input has been read
        requireNetwork(network);
        // Trainer.fit's words and order (network, train data, validation); left to SparkData.from, a null frame or
        // format would be refused in its words ("data frame is null ..."), after the validation set is checked
        if (df == null) {
            throw new IllegalArgumentException("train data is null; pass the Dataset<Row> to read with the format, or a"
                    + " SparkData already read (fit(network, data))");
        }
        RowFormat.requireFormat(format, true);
        requireValidation(network, validation);
        if (Thread.currentThread().isInterrupted()) throw cancelledBeforeStart(null); // as fit(Network, SparkData)
        SparkData read;
        try {
            // the widths (and the class weights' count) as checkedFit checks them, once the first row has given
            // them and before the job that reads every row: checkedFit alone would refuse them after the whole input is read
            read = SparkData.from(df, format, (f, k) -> {
                requireWidths(network, f, k);
                requireClassWeights(k);
            });
        } catch (RuntimeException e) {
            // SparkData ends an interrupted read with a CancellationException of its own (its job cancelled, the
            // status set): it ends the fit as any other interrupt before onTrainStart, no listener told
            if (!(e instanceof java.util.concurrent.CancellationException) && !Failures.interruptedBy(e)) throw e;
            throw cancelledBeforeStart(e);
        }
        try (SparkData data = read) {
            return fit(network, data, validation);
        }
    }

    /**
     * Trains {@code network} (on the driver, in place) on {@code data}, without validation; as
     * {@link #fit(Network, SparkData, org.bpnn.data.Dataset)}.
     */
    public SparkTrainingHistory fit(Network network, SparkData data) {
        return fit(network, data, null);
    }

    /**
     * Trains {@code network} (on the driver, in place) on {@code data}, evaluating {@code validation}
     * (may be null: none) on the driver after every epoch (see the class comment, Validation). The
     * validation set is checked as {@code Trainer.fit(network, train, validation)} checks it, with its
     * messages (feature and target widths, finite values, targets in the loss's domain, one class per row
     * for a class metric), before any Spark job, broadcast or listener call.
     *
     * @throws IllegalArgumentException when network or data is null, the data's feature or target count is not
     *         the network's, the class weights do not fit the data's classes (see {@link Builder#classWeights}),
     *         for a validation set that does not fit the network, or metrics without a validation set (an
     *         early-stopping monitor that is not one of the metrics is refused by build())
     * @throws IllegalStateException when {@code data} is closed, or its rows came back in another order
     *         during training (see {@link SparkData}, Order must be stable)
     * @throws org.bpnn.train.TrainingDivergedException when the loss, a gradient or the weights become NaN or
     *         infinite under {@link NonFinitePolicy#FAIL}, or the weights after an epoch under either policy
     * @throws java.util.concurrent.CancellationException when the calling thread is interrupted; the
     *         network holds the weights of the last finished step, and the interrupt status is left set
     * @throws SparkTrainingException when a Spark job fails for another reason than a bad row (an
     *         executor lost, out of memory)
     */
    public SparkTrainingHistory fit(Network network, SparkData data, org.bpnn.data.Dataset validation) {
        try {
            return checkedFit(network, data, validation);
        } finally {
            stopRequested = false; // see requestStop: cleared when a fit call ends, however it ends
        }
    }

    private SparkTrainingHistory checkedFit(Network network, SparkData data, org.bpnn.data.Dataset validation) {
        // Trainer.fit's words for the same mistakes ("train data ..."), with Spark's remedies where they differ
        requireNetwork(network);
        if (data == null) {
            throw new IllegalArgumentException("train data is null; pass a SparkData (SparkData.from(df, format)), or call"
                    + " fit(network, df, format) to read a Dataset<Row>");
        }
        requireWidths(network, data.featureCount(), data.targetCount());
        int classes = requireClassWeights(data.targetCount());
        requireValidation(network, validation);
        if (Thread.currentThread().isInterrupted()) {
            // as Trainer, which trains no epoch: the encoding below would fail with "cannot encode the network for
            // the executors: null" (its channel closed by the interrupt), or a Spark call with InterruptedException
            throw cancelledBeforeStart(null);
        }
        byte[] bytes;
        try {
            bytes = ModelFile.toBytes(SavedModel.of(network));
        } catch (IOException e) {
            // an interrupt during the encoding closes its channel (ClosedByInterruptException, message null)
            if (Thread.currentThread().isInterrupted()) throw cancelledBeforeStart(e);
            throw new IllegalStateException("cannot encode the network for the executors: " + e.getMessage(), e);
        }
        long t0 = System.nanoTime();
        JavaRDD<Block> blocks = data.blocks();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(blocks.context());
        String run = UUID.randomUUID().toString();
        // the fit's jobs carry a tag of their own (not a job group, which would replace the caller's), so that a
        // fit ended by an interrupt or a failure can cancel the job still running
        String tag = "bpnn-spark-fit-" + run;
        String callerDescription = jsc.getLocalProperty("spark.job.description");
        if (Thread.currentThread().isInterrupted()) throw cancelledBeforeStart(null); // the broadcast would fail to store
        Broadcast<byte[]> model = jsc.broadcast(bytes);
        boolean speculation = jsc.getConf().getBoolean("spark.speculation", false);
        boolean finished = false;
        jsc.addJobTag(tag);
        try {
            jsc.setJobDescription("bpnn-spark: checking targets against " + network.loss());
            try {
                SparkData.ClassTally tally = Failures.run("checking the targets", () -> {
                    long[] offsets = data.offsets();
                    // with class weights the same pass reads each row's class (refusing a row without one) and tallies them
                    return blocks.mapPartitions(it -> checkTargets(it, run, model, offsets, classes))
                            .fold(new SparkData.ClassTally(classes), SparkData.ClassTally::merge);
                });
                requireClassWeightsFit(tally);
            } catch (RuntimeException e) {
                // as an interrupt during an epoch: it ended the job's wait with an InterruptedException, wrapped in
                // a SparkTrainingException ("checking the targets failed"), and cleared the status
                if (!Failures.interruptedBy(e)) throw e;
                throw cancelledBeforeStart(e);
            }
            SparkTrainingHistory h = train(jsc, network, data, validation, run, model, speculation, t0);
            finished = true; // no job runs any more, also when a listener's onTrainEnd throws below
            ended(h);
            return h;
        } finally {
            // the clean-up waits for the executors (a blocking destroy): an interrupted fit's status would make it
            // throw InterruptedException in place of the fit's CancellationException, so it runs with the
            // status cleared and the status is set again after
            boolean interrupted = Thread.interrupted();
            try {
                jsc.setJobDescription(callerDescription);
                jsc.removeJobTag(tag);
                if (finished) {
                    release(model, speculation);
                } else {
                    // an interrupt or a failed task ended the fit while a job may still run: its tasks (a slow
                    // partition, the failed task's siblings) go on reading the broadcasts, and destroying them
                    // would fail those tasks with "Failed to get broadcast_...", logged as errors. The job is
                    // cancelled; its broadcasts are left to Spark's ContextCleaner, which removes them once unused
                    jsc.cancelJobsWithTag(tag);
                }
                Replicas.drop(run);
            } catch (Exception e) {
                // an interrupt during the blocking destroy, after the training ended: the run is complete, the
                // status is set again below
                if (!Failures.interruptedBy(e)) throw e;
                interrupted = true;
            } finally {
                if (interrupted) Thread.currentThread().interrupt();
            }
        }
    }

    /** Refuses training data of {@code features} x {@code targets} per row that {@code network} does not take. */
    private static void requireWidths(Network network, int features, int targets) {
        if (features != network.inputSize()) {
            throw new IllegalArgumentException("train data has " + features + " features, but the network takes "
                    + network.inputSize() + " inputs; build the network with Network.builder(" + features + ")");
        }
        if (targets != network.outputSize()) {
            // a class label is read as classes target columns (one-hot), as OneHot.encode gives Trainer
            throw new IllegalArgumentException("train data has " + targets + " target column" + (targets == 1 ? "" : "s")
                    + ", but the network has " + network.outputSize() + " output" + (network.outputSize() == 1 ? "" : "s") + "; " + (network.outputSize() == 1
                    // classLabel needs 2 classes or more: a one-output classifier reads its 0/1 label as the target value
                    ? "for a one-output (sigmoid) classifier read the 0/1 label with RowFormat.targetColumns(column)"
                    : "use RowFormat.classLabel(column, " + network.outputSize() + ") for class labels")
                    + ", or change the output layer");
        }
    }

    /**
     * The number of classes the class weights are for (0 without class weights), checked against the
     * training data's targets before any Spark job: one per target column, or 2 for one column of 0/1 labels.
     */
    private int requireClassWeights(int targetCount) {
        if (classWeights == null) return 0;
        int classes = Metrics.classCount(targetCount);
        if (classWeights.length != classes) {
            throw new IllegalArgumentException("got " + classWeights.length + " class weights, but the training data has "
                    + classes + " classes (" + (targetCount == 1 ? "one target column holds 0/1 labels: classes 0 and 1"
                    : targetCount + " target columns, one per class") + "); pass one weight per class to classWeights(...)");
        }
        return classes;
    }

    /**
     * With class weights, refuses what {@code Dataset.withClassWeights} refuses: a row whose sample weight times
     * its class's weight overflows float, and training data whose rows all weigh 0 (only classes of weight 0
     * present, or their rows of sample weight 0), a fit that would change nothing and report a loss of 0.
     */
    private void requireClassWeightsFit(SparkData.ClassTally tally) {
        if (classWeights == null) return;
        boolean some = false;
        for (int c = 0; c < classWeights.length; c++) {
            if (tally.maxWeight[c] * classWeights[c] == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("a row of class " + c + " has sample weight " + tally.maxWeight[c] + ", which"
                        + " times the class's weight " + classWeights[c] + " overflows float; scale the weights down");
            }
            some |= tally.maxWeight[c] * classWeights[c] > 0f;
        }
        if (!some) {
            throw new IllegalArgumentException("with class weights " + java.util.Arrays.toString(classWeights) + " every row of the"
                    + " training data has weight 0 (rows per class: " + java.util.Arrays.toString(tally.rows) + "); give the"
                    + " classes present a weight above 0");
        }
    }

    private static void requireNetwork(Network network) {
        if (network == null) {
            throw new IllegalArgumentException("network is null; pass the Network to train (Network.builder(...).build())");
        }
    }

    /**
     * The validation set and the metrics checked with {@code Trainer}'s checks and words; metrics need a
     * validation set here (a training metric would need a pass over the distributed training data).
     */
    private void requireValidation(Network network, org.bpnn.data.Dataset validation) {
        List<Metric> ms = List.of(metrics);
        if (validation != null) {
            // also refuses, before any Spark job, a validation pass whose buffers (the (rows, outputs) tensor, a
            // layer's at a 256-row chunk) exceed a Java array: found by Tensor.zeros, it would fail after the targets
            // of every training row have been checked on the cluster, with no word of what to change
            Trainer.requireValidation(network, validation, ms);
        } else if (metrics.length > 0) {
            List<String> names = ms.stream().map(Metric::name).toList();
            throw new IllegalArgumentException("metrics " + names + " were set, but no validation set was given, and"
                    + " SparkTrainer computes metrics on the validation set only (not on the distributed training data);"
                    + " pass a local validation Dataset (fit(network, data, validation), e.g. a held-out SparkData's"
                    + " toLocal()) or drop metrics(...)");
        }
    }

    private SparkTrainingHistory train(JavaSparkContext jsc, Network network, SparkData data, org.bpnn.data.Dataset validation,
                                       String run, Broadcast<byte[]> model, boolean speculation, long t0) {
        int n = SparkData.checkRows(data.size()); // refused at the read already: a wrapped count cannot get here
        int b = Math.min(batchSize, n);
        int full = n / b, rest = n - full * b;
        int nb = full + (rest > 0 && !dropLast ? 1 : 0);
        int perPass = dropLast ? full * b : n;
        List<Parameter> params = network.parameters();
        long[] offsets = data.offsets();
        long dropoutSeed = Rng.derive(network.seed(), 7);
        int inEpoch = 0; // the epoch that was running, for an interrupt's message
        // validation and early stopping as in Trainer.run; the bookkeeping is per fit (there is no state() to resume)
        Tensor valOut = validation != null ? Tensor.zeros(validation.size(), network.outputSize()) : null;
        // the output layer's z for the validation cost, as Trainer's (Network.costFromPreActivation)
        Tensor valZ = valOut != null && network.costFromPreActivation() ? Tensor.zeros(validation.size(), network.outputSize()) : null;
        BestEpoch best = new BestEpoch(earlyStopping);
        // the listeners whose onTrainStart returned: only they hear how the run ended (TrainingListener's
        // contract, as Trainer.run). One whose onTrainStart threw, and those after it, never saw the run
        // start; told of its failure, a listener that opens a file in onTrainStart would close one it never opened
        int started = 0;
        try {
            // inside the try, as Trainer: a listener failing here ends the run, and the listeners that
            // had started (a progress bar, an open file) are told through onTrainFailed
            for (; started < listeners.size(); started++) {
                listeners.get(started).onTrainStart(network, epochs, n, validation == null ? 0 : validation.size());
            }
            List<EpochSummary> summaries = new ArrayList<>();
            long steps = 0, samples = 0;
            TrainingHistory.Ending endedBy = TrainingHistory.Ending.COMPLETED;
            for (int epoch = 1; epoch <= epochs; epoch++) {
                if (stopRequested) {
                    endedBy = TrainingHistory.Ending.REQUESTED;
                    break; // checked before each epoch, as Trainer: a stop requested in onTrainStart trains none
                }
                if (Thread.currentThread().isInterrupted()) {
                    // as Trainer: else a cancelled fit (Future.cancel(true)) would go on to its last epoch, or fail
                    // inside a Spark job with an InterruptedException wrapped in a SparkTrainingException
                    throw interruptedBefore(epoch);
                }
                inEpoch = epoch;
                long te = System.nanoTime();
                for (TrainingListener l : listeners) l.onEpochStart(epoch, epochs, nb, perPass);
                // a broadcast made while the status is set fails to store its blocks ("ERROR TorrentBroadcast:
                // Store broadcast ... fail"); an interrupt from a listener (or between jobs) ends the fit here
                if (Thread.currentThread().isInterrupted()) throw interruptedDuring(epoch, null);
                Broadcast<int[]> positions = shuffle ? jsc.broadcast(positions(n)) : null;
                double lossSum = 0;
                long rows = 0;
                int skipped = 0;
                for (int t = 0; t < nb; t++) {
                    int lo = t * b, hi = batchEnd(lo, b, n);
                    long step = ++batchesDrawn; // equals stepsDone + 1 until a batch is skipped
                    jsc.setJobDescription("bpnn-spark: epoch " + epoch + ", batch " + (t + 1) + " of " + nb);
                    if (Thread.currentThread().isInterrupted()) throw interruptedDuring(epoch, null);
                    Broadcast<float[]> weights = jsc.broadcast(flatWeights(params));
                    String what = "epoch " + epoch + ", batch " + (t + 1) + " of " + nb;
                    GradientSum s = Failures.run(what, () -> gradient(data.blocks(), offsets, run, model, weights, positions,
                            classWeights, step, lo, hi, dropoutSeed, treeDepth));
                    // destroyed once its job has ended (under speculation only unpersisted: see release); when the job
                    // failed or was interrupted, its tasks may still read it, and fit leaves it to the ContextCleaner
                    release(weights, speculation);
                    if (s.rows != hi - lo) {
                        throw new IllegalStateException("batch " + (t + 1) + " of epoch " + epoch + " should have " + (hi - lo)
                                + " rows but the partitions held " + s.rows + "; the input's row order changed while training"
                                + " (a lost partition recomputed in another order?): see SparkData on stable order");
                    }
                    double loss = s.cost / s.rows;
                    setGradients(params, s);
                    int bad = Double.isFinite(loss) ? firstNonFiniteGradient(params) : -2;
                    if (bad != -1) {
                        if (nonFinitePolicy == NonFinitePolicy.FAIL) {
                            throw best.restoringTo(network, diverged(network, epoch, t + 1, nb, loss, bad));
                        }
                        skipped++;
                    } else {
                        network.applyUpdate(optimizer); // BP4 as one weight write, as Trainer does
                        stepsDone++;
                        steps++;
                        lossSum += loss * s.rows;
                        rows += s.rows;
                    }
                    samples += s.rows;
                    for (TrainingListener l : listeners) l.onBatchEnd(epoch, t + 1, nb, hi - lo, loss, bad != -1);
                }
                if (positions != null) release(positions, speculation); // as the weights: not after a failed job
                if (skipped == nb) {
                    throw best.restoringTo(network, TrainingDivergedException.allSkipped(network, epoch, nb));
                }
                // as Trainer: every loss and gradient was checked, not the weights; an update can still overflow
                // (w - lr g with finite lr and g), and after the last batch nothing would notice it
                String overflowed = network.firstNonFiniteParameter();
                if (!overflowed.isEmpty()) {
                    throw best.restoringTo(network, TrainingDivergedException.overflowed(optimizer, epoch, overflowed));
                }
                double trainLoss = lossSum / rows;
                double valLoss = Double.NaN;
                Map<String, Double> valMetrics = new LinkedHashMap<>();
                if (valOut != null) {
                    // on the driver, as Trainer: inference mode, the loss on the raw outputs (or z[L]), the metrics on probabilities
                    predictValidation(network, validation.features(), valOut, valZ, epoch);
                    // weighted when the validation set carries sample weights, as Trainer's (null: unweighted),
                    // and from z[L] for a fused output layer, as Trainer's
                    valLoss = network.lossOf(valOut, valZ, validation.targets(), validation.sampleWeights());
                    if (metrics.length > 0) {
                        network.logitsToProbabilities(valOut); // after the loss, which reads the logits
                        for (Metric m : metrics) valMetrics.put(m.name(), m.value(valOut, validation.targets()));
                    }
                }
                // early stopping (or, without it, tracking of the best epoch by loss), Trainer's rule
                double monitored = monitorMetric >= 0 ? valMetrics.get(metrics[monitorMetric].name())
                        : valOut != null ? valLoss : trainLoss;
                double score = monitorMetric >= 0 && metrics[monitorMetric].higherIsBetter() ? -monitored : monitored;
                boolean improved = best.record(score, epoch, params);
                double lr = EpochSummary.learningRateOf(optimizer);
                EpochSummary summary = new EpochSummary(epoch, epochs, trainLoss, valLoss, Map.of(), valMetrics, lr,
                        skipped, (System.nanoTime() - te) / 1e9, earlyStopping == null || improved, valOut != null);
                summaries.add(summary);
                for (TrainingListener l : listeners) l.onEpochEnd(summary);
                if (earlyStopping != null && earlyStopping.stopsAfter(best.since, improved, epoch, epochs)) {
                    endedBy = TrainingHistory.Ending.EARLY_STOPPING;
                    break;
                }
            }
            int last = summaries.isEmpty() ? 0 : summaries.get(summaries.size() - 1).epoch();
            boolean restored = best.weights != null && best.epoch != last; // weights: restoreBestWeights only
            if (restored) best.weights.restoreTo(network);
            return new SparkTrainingHistory(summaries, steps, samples, (System.nanoTime() - t0) / 1e9, best.epoch,
                    endedBy, restored);
        } catch (Throwable e) {
            // an interrupt that came while a Spark call waited (a broadcast, a job) ended it with an
            // InterruptedException, a checked exception fit does not declare, or a SparkTrainingException
            // naming one, and cleared the status: it ends the fit as an interrupt before an epoch does
            Throwable f = Failures.interruptedBy(e) ? interruptedDuring(inEpoch, e) : e;
            TrainingListener.tellFailed(listeners.subList(0, started), f); // as Trainer: every started one, f propagates
            if (f != e) throw (java.util.concurrent.CancellationException) f;
            throw e;
        }
    }

    /**
     * Rows the driver's validation pass predicts between two interrupt checks: 16 of {@code Network.predict}'s
     * 256-row chunks, so the slices are cut where predict cuts its chunks and the outputs are the bits one
     * predict over the whole set gives (one partition stays bit-identical to {@code Trainer}).
     */
    static final int VALIDATION_SLICE = 16 * 256;

    /**
     * valOut = the network's outputs on the validation features (and valZ, unless null, the output layer's
     * pre-activation z[L], for the cost: {@link Network#predict(Tensor, Tensor, Tensor)}), in slices of {@link #VALIDATION_SLICE} rows
     * with an interrupt check after each: the pass is on the driver, outside any Spark call, and one predict
     * over a large set would let an interrupt wait for the whole pass and the next epoch's check (a cancelled fit
     * would go on validating, and tell its listeners of an epoch's end). The copies into the slices are O(rows x
     * features) per epoch, small beside the forward pass; the training batches are not touched.
     */
    private void predictValidation(Network network, Tensor features, Tensor valOut, Tensor valZ, int epoch) {
        int n = features.rows(), f = features.cols(), k = valOut.cols();
        if (n <= VALIDATION_SLICE) {
            network.predict(features, valOut, valZ);
        } else {
            Tensor x = Tensor.zeros(VALIDATION_SLICE, f), out = Tensor.zeros(VALIDATION_SLICE, k);
            Tensor z = valZ == null ? null : Tensor.zeros(VALIDATION_SLICE, k);
            for (int r0 = 0; r0 < n; r0 += VALIDATION_SLICE) {
                int rows = Math.min(VALIDATION_SLICE, n - r0);
                if (rows < VALIDATION_SLICE) {
                    x = Tensor.zeros(rows, f);
                    out = Tensor.zeros(rows, k);
                    z = valZ == null ? null : Tensor.zeros(rows, k);
                }
                System.arraycopy(features.data(), r0 * f, x.data(), 0, rows * f);
                network.predict(x, out, z);
                System.arraycopy(out.data(), 0, valOut.data(), r0 * k, rows * k);
                if (z != null) {
                    System.arraycopy(z.data(), 0, valZ.data(), r0 * k, rows * k);
                }
                if (Thread.currentThread().isInterrupted()) throw interruptedInValidation(epoch);
            }
        }
        if (Thread.currentThread().isInterrupted()) throw interruptedInValidation(epoch);
    }

    private java.util.concurrent.CancellationException interruptedInValidation(int epoch) {
        return new java.util.concurrent.CancellationException("fit was interrupted during the validation pass of epoch "
                + epoch + " of " + epochs + " (the training thread's interrupt status is set: Future.cancel(true),"
                + " shutdownNow() or Thread.interrupt()); the network holds the weights of all of epoch " + epoch + "'s"
                + " batches, not validated (no onEpochEnd, no history entry for it), and the interrupt status is left set");
    }

    /**
     * onTrainEnd on every listener (all started: train returned), as Trainer: when one throws, the fit
     * ends with that exception and the listeners after it get onTrainFailed with it instead, so each
     * listener hears of exactly one end. SparkTrainer called no onTrainEnd: a listener that closed its
     * output there (a progress bar, a file) never closed it after a Spark fit that finished.
     */
    private void ended(SparkTrainingHistory h) {
        TrainingListener.tellEnded(listeners, h.toTrainingHistory());
    }

    /**
     * Frees a broadcast whose job succeeded. Without speculation it is destroyed: no task of that job
     * runs any more. With {@code spark.speculation} a speculative copy of one of its tasks may still
     * run: Spark kills it when the other attempt succeeds, but asynchronously, and a copy that reads the
     * broadcast after a destroy fails ("Failed to get broadcast_..." / "Attempted to use Broadcast after
     * it was destroyed"), logged as an error. So it is only unpersisted (not blocking): the executors'
     * copies go, the driver's stays for such a late reader and is left to Spark's ContextCleaner, as a
     * cancelled job's broadcasts are. Local mode launches no speculative copies.
     */
    static void release(Broadcast<?> b, boolean speculation) {
        if (speculation) {
            b.unpersist();
        } else {
            b.destroy();
        }
    }

    private java.util.concurrent.CancellationException interruptedBefore(int epoch) {
        return new java.util.concurrent.CancellationException("fit was interrupted before epoch " + epoch + " of "
                + epochs + " (the training thread's interrupt status is set: Future.cancel(true), shutdownNow() or"
                + " Thread.interrupt()); the network holds the weights of epoch " + (epoch - 1) + " and the interrupt"
                + " status is left set. To train on, clear it with Thread.interrupted() and call fit again: it"
                + " continues the optimiser and the shuffle");
    }

    /**
     * An interrupt before train() started (the read, the encoding, the broadcast, the targets' check: before
     * any onTrainStart): the status set again (a Spark call that threw InterruptedException cleared it). No
     * listener is told, as none is of any other failure there (a bad target, an encoding that fails):
     * TrainingListener pairs onTrainFailed with an onTrainStart that returned: told of a failure here, a
     * listener that closes in onTrainFailed what it opened in onTrainStart would close what it never
     * opened.
     */
    private java.util.concurrent.CancellationException cancelledBeforeStart(Throwable cause) {
        Thread.currentThread().interrupt();
        java.util.concurrent.CancellationException c = interruptedBefore(1);
        if (cause != null) c.initCause(cause);
        return c;
    }

    private java.util.concurrent.CancellationException interruptedDuring(int epoch, Throwable cause) {
        Thread.currentThread().interrupt(); // left set, as before an epoch
        java.util.concurrent.CancellationException c = new java.util.concurrent.CancellationException("fit was interrupted"
                + " during epoch " + epoch + " of " + epochs + " (the training thread's interrupt status is set: Future.cancel(true),"
                + " shutdownNow() or Thread.interrupt()); the network holds the weights of the batches trained before it, not"
                + " those of a whole epoch, and the interrupt status is left set");
        c.initCause(cause);
        return c;
    }

    /**
     * Early stopping's bookkeeping for one fit: Trainer's bestScore, bestEpoch, sinceImprovement and best weights,
     * updated by Trainer's rule. Trainer keeps them as fields of its own, as they are part of its resumable
     * state(); a Spark fit has none, so they live for one fit here.
     */
    private static final class BestEpoch {
        private final EarlyStopping earlyStopping;
        private final boolean restoreBest;
        double score = Double.POSITIVE_INFINITY;
        int epoch;
        int since;
        /** The best epoch's weights, with restoreBestWeights only: non-null once an epoch improved. */
        ParameterSnapshot weights;

        BestEpoch(EarlyStopping earlyStopping) {
            this.earlyStopping = earlyStopping;
            this.restoreBest = earlyStopping != null && earlyStopping.restoresBestWeights();
        }

        /** Records epoch's (sign-adjusted) score; whether it improved (EarlyStopping.improves), as Trainer.run. */
        boolean record(double score, int epoch, List<Parameter> params) {
            if (!EarlyStopping.improves(earlyStopping, score, this.score, this.epoch)) {
                since++;
                return false;
            }
            this.score = score;
            this.epoch = epoch;
            since = 0;
            if (restoreBest) {
                if (weights == null) weights = ParameterSnapshot.of(params);
                else weights.copyFrom(params);
            }
            return true;
        }

        /**
         * As Trainer.restoringBest: with restoreBestWeights, a run that diverges puts the best epoch's
         * weights back before it throws, and says so.
         */
        TrainingDivergedException restoringTo(Network net, TrainingDivergedException e) {
            if (weights == null) return e; // no restoreBestWeights, or no epoch improved yet
            weights.restoreTo(net);
            return TrainingDivergedException.withBestRestored(e, epoch);
        }
    }

    /**
     * The end of the batch that starts at {@code lo}: min(lo + b, n) in long, since lo + b exceeds int range
     * for a batch of more than 2^30 rows on over 2^30 rows: in int, lo = b = 1.5e9 of n = 2e9 would wrap to the
     * end -1294967296, each shard would allocate hi - lo (wrapped back to 1.5e9) slots for none of its rows, and
     * the step would fail with "should have 1500000000 rows but the partitions held 0".
     */
    static int batchEnd(int lo, int b, int n) {
        return (int) Math.min((long) lo + b, n);
    }

    /** pos[i] = position of global row i in this epoch's order (the identity shuffled by Fisher-Yates, as Trainer). */
    private int[] positions(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        shuffleRng.shuffle(order, n);
        int[] pos = new int[n];
        for (int i = 0; i < n; i++) pos[order[i]] = i;
        return pos;
    }

    /** The parameters' values end to end, in {@code params}' order: what the driver broadcasts and a replica loads. */
    static float[] flatWeights(List<Parameter> params) {
        int total = 0;
        for (Parameter p : params) total += p.size();
        float[] w = new float[total];
        int off = 0;
        for (Parameter p : params) {
            System.arraycopy(p.value().data(), 0, w, off, p.size());
            off += p.size();
        }
        return w;
    }

    private static void setGradients(List<Parameter> params, GradientSum s) {
        int off = 0;
        for (Parameter p : params) {
            float[] g = p.grad().data();
            for (int j = 0; j < g.length; j++) g[j] = s.meanAt(off + j);
            off += g.length;
        }
    }

    private static int firstNonFiniteGradient(List<Parameter> params) {
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i).grad().firstNonFinite() >= 0) return i;
        }
        return -1;
    }

    /**
     * Trainer's message for the same divergence ({@link TrainingDivergedException#atBatch}), with the hint about a
     * backend that is not bpnn's. The gradients were computed on the executors' Backends.get(), not on the driver
     * network's backend: the driver's default is named, which is the executors' in local mode and with the same
     * settings (-Dbpnn.backend / BPNN_BACKEND) on the cluster.
     */
    private TrainingDivergedException diverged(Network net, int epoch, int batch, int batches, double loss, int bad) {
        String backendName;
        try {
            backendName = org.bpnn.backend.Backends.get().name();
        } catch (RuntimeException e) {
            backendName = "scalar"; // no hint rather than a failure that hides the divergence
        }
        // a third-party backend that returns NaN would otherwise be blamed on the hyper-parameters
        String hint = backendName.equals("scalar") || backendName.equals("simd") ? null : "; the executors compute on"
                + " Backends.get(), here '" + backendName + "', which is not one of bpnn's: rerun with -D"
                + org.bpnn.backend.Backends.PROPERTY + "=scalar on the driver and the executors"
                + " (spark.executor.extraJavaOptions) to rule it out";
        return TrainingDivergedException.atBatch(net, optimizer, epoch, batch, batches, loss, bad, hint);
    }

    // ---- executor side (static: the closures capture only serialisable values) -------------------

    private static GradientSum gradient(JavaRDD<Block> blocks, long[] offsets, String run, Broadcast<byte[]> model,
                                        Broadcast<float[]> weights, Broadcast<int[]> positions, float[] classWeights,
                                        long step, int lo, int hi, long dropoutSeed, int depth) {
        // the class weights (a float per class) travel in the closure, as the offsets do
        return blocks.mapPartitions(it -> shard(it, offsets, run, model, weights, positions, classWeights, step, lo, hi,
                        dropoutSeed))
                .treeAggregate(new GradientSum(), GradientSum::merge, GradientSum::merge, depth);
    }

    /**
     * The most rows one {@link Network#computeGradients} call gets on an executor. The SIMD backend sums a
     * bias gradient (the column sums of delta, each row's term carrying the batch's 1/m) in one float per
     * column: once the partial sum reaches 2^24 times a row's term, adding a term rounds back to the sum, so
     * a call on m &gt; 2^24 rows would return a bias gradient as small as 2^24/m of the true one (m = 2^25 rows of
     * equal terms: half), silently, and the update would use it. A shard of more rows is computed in pieces of at
     * most this many, whose means are weighted by their rows in double ({@link GradientSum}); up to it, one
     * call, so a one-partition run is bit-identical to {@code Trainer}'s.
     */
    static final int MAX_ROWS_PER_CALL = 1 << 24;

    /** This partition's part of batch positions [lo, hi): rows * its mean gradient. */
    static Iterator<GradientSum> shard(Iterator<Block> it, long[] offsets, String run, Broadcast<byte[]> model, Broadcast<float[]> weights,
                                       Broadcast<int[]> positions, float[] classWeights, long step, int lo, int hi, long dropoutSeed) {
        // the broadcasts are read only when needed: a task whose rows are not in this batch
        // fetches no weights
        return shard(it, offsets, run, model::value, weights::value, positions == null ? null : positions.value(), classWeights,
                step, lo, hi, dropoutSeed);
    }

    /**
     * {@link #shard(Iterator, long[], String, Broadcast, Broadcast, Broadcast, float[], long, int, int, long)} on the
     * broadcasts' values. The batch-order scratch (one int per batch position) is the borrowed replica's,
     * reused from step to step: a new int[hi - lo] per block and step would be 4 bytes per batch row, in
     * every task, whether or not the partition holds a row of the batch.
     */
    static Iterator<GradientSum> shard(Iterator<Block> it, long[] offsets, String run, Supplier<byte[]> model,
                                       Supplier<float[]> weights, int[] pos, long step, int lo, int hi, long dropoutSeed) {
        return shard(it, offsets, run, model, weights, pos, null, step, lo, hi, dropoutSeed);
    }

    /** As above, with each row weighted by its class's weight ({@code classWeights} null: unweighted). */
    static Iterator<GradientSum> shard(Iterator<Block> it, long[] offsets, String run, Supplier<byte[]> model,
                                       Supplier<float[]> weights, int[] pos, float[] classWeights, long step, int lo, int hi,
                                       long dropoutSeed) {
        List<GradientSum> out = new ArrayList<>(1);
        Replicas.Replica rep = null;
        try {
            while (it.hasNext()) {
                Block blk = it.next();
                if (blk.rows == 0) continue;
                if (rep == null) rep = Replicas.borrow(run, model.get()); // this task's alone until released
                // slot[q - lo] = the local row at batch position q: rows go in their batch order, as Trainer's.
                int[] slot = rep.slots(hi - lo); // zeroed here: a fill that threw must not leave rows for the next use
                int count = 0;
                long first = offsets[blk.partition];
                for (int i = 0; i < blk.rows; i++) {
                    int g = (int) (first + i);
                    int q = pos == null ? g : pos[g];
                    if (q >= lo && q < hi) {
                        slot[q - lo] = i + 1;
                        count++;
                    }
                }
                if (count == 0) continue;
                // the block's rows of this batch, in batch order, compacted into slot[0, count) in place (r <= q:
                // an entry is moved only to a position already read), not into a new int[count] per step
                int r = 0;
                for (int q = 0, n = hi - lo; q < n; q++) {
                    if (slot[q] != 0) slot[r++] = slot[q] - 1;
                }
                rep.load(weights.get(), step);
                reseedDropout(rep.network, dropoutSeed, step, blk.partition);
                out.add(gradientOf(rep.network, rep.parameters, blk, slot, count, classWeights, MAX_ROWS_PER_CALL, rep.batch));
            }
        } finally {
            if (rep != null) Replicas.release(run, rep);
        }
        return out.iterator();
    }

    /**
     * The gradient of {@code net} on the rows {@code local} of {@code blk} (in that order), computed in
     * calls of at most {@code maxRows} rows (see {@link #MAX_ROWS_PER_CALL}) and summed as shards are.
     */
    static GradientSum gradientOf(Network net, List<Parameter> params, Block blk, int[] local, int maxRows) {
        return gradientOf(net, params, blk, local, local.length, null, maxRows);
    }

    /**
     * As above on the first {@code count} entries of {@code local}, each row weighted by its sample weight (the
     * block's, when the rows carry them) times its class's weight (when {@code classWeights} is set), the product
     * {@code Dataset.withClassWeights} forms ({@link Network#computeGradients(Tensor, Tensor, Tensor)}: the call's cost is sum_i w_i L_i / m, so a shard's
     * rows times it is sum_i w_i L_i and the driver's division by the batch's rows gives Trainer's weighted batch
     * cost and gradient). Neither: null weights, the unweighted pass itself. The weights' (m, 1) tensor is
     * new with x and y here; the executors' calls (below) take all three from their replica's buffers.
     */
    static GradientSum gradientOf(Network net, List<Parameter> params, Block blk, int[] local, int count, float[] classWeights,
                                  int maxRows) {
        return gradientOf(net, params, blk, local, count, classWeights, maxRows, new Replicas.BatchTensors());
    }

    /**
     * As above, with x, y and the weights in {@code tensors}' buffers (a replica's, kept from step to step): every
     * call overwrites all m rows of each, so a reused buffer carries nothing from the last step.
     */
    static GradientSum gradientOf(Network net, List<Parameter> params, Block blk, int[] local, int count, float[] classWeights,
                                  int maxRows, Replicas.BatchTensors tensors) {
        int f = blk.featureCount, k = blk.targetCount;
        int total = 0;
        for (Parameter p : params) total += p.size();
        GradientSum sum = new GradientSum();
        boolean weighted = classWeights != null || blk.w != null;
        for (int from = 0; from < count; from += maxRows) {
            int m = Math.min(maxRows, count - from);
            Tensor[] xyw = tensors.of(m, f, k, weighted);
            Tensor x = xyw[0], y = xyw[1], w = xyw[2];
            for (int r = 0; r < m; r++) {
                int i = local[from + r];
                System.arraycopy(blk.x, i * f, x.data(), r * f, f);
                System.arraycopy(blk.y, i * k, y.data(), r * k, k);
                if (weighted) {
                    float s = blk.w == null ? 1f : blk.w[i];
                    // every row's class was checked before the first step (checkTargets), so it needs no checks
                    w.data()[r] = classWeights == null ? s : s * classWeights[Metrics.classOfCheckedTarget(blk.y, i, k)];
                }
            }
            double cost = net.computeGradients(x, y, w); // null: the unweighted pass
            float[] grad = new float[total];
            int off = 0;
            for (Parameter p : params) {
                float[] gp = p.grad().data();
                System.arraycopy(gp, 0, grad, off, gp.length);
                off += gp.length;
            }
            sum = GradientSum.merge(sum, GradientSum.shard(m, cost, grad));
        }
        return sum;
    }

    private static void reseedDropout(Network net, long dropoutSeed, long step, int partition) {
        List<Layer> layers = net.layers();
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l) instanceof Dropout d) {
                d.setRngState(Rng.derive(Rng.derive(dropoutSeed, step), (long) partition * layers.size() + l));
            }
        }
    }

    /**
     * Runs the loss's target check on every row of a partition, naming the first bad row; with {@code classes}
     * &gt; 0 (class weights) also reads every row's class, refusing a row without one, and returns the tally of
     * each class (an empty one without).
     */
    private static Iterator<SparkData.ClassTally> checkTargets(Iterator<Block> it, String run, Broadcast<byte[]> model,
                                                               long[] offsets, int classes) {
        SparkData.ClassTally tally = new SparkData.ClassTally(classes);
        Replicas.Replica rep = null;
        try {
            while (it.hasNext()) {
                Block blk = it.next();
                if (blk.rows == 0) continue;
                if (rep == null) rep = Replicas.borrow(run, model.value());
                try {
                    rep.network.loss().validateTargets(Tensor.wrap(blk.rows, blk.targetCount, blk.y));
                } catch (IllegalArgumentException e) {
                    int k = blk.targetCount;
                    for (int i = 0; i < blk.rows; i++) {
                        float[] row = java.util.Arrays.copyOfRange(blk.y, i * k, (i + 1) * k);
                        try {
                            rep.network.loss().validateTargets(Tensor.wrap(1, k, row));
                        } catch (IllegalArgumentException ei) {
                            throw new IllegalArgumentException("row " + (offsets[blk.partition] + i) + ": target "
                                    + java.util.Arrays.toString(row) + " is not valid for " + rep.network.loss() + ": "
                                    + ei.getMessage(), ei);
                        }
                    }
                    throw e;
                }
                if (classes > 0) SparkData.ClassTally.merge(tally, SparkData.ClassTally.of(blk, offsets[blk.partition], classes));
            }
        } finally {
            if (rep != null) Replicas.release(run, rep);
        }
        return java.util.Collections.singletonList(tally).iterator();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SparkTrainer.builder()\n    .optimizer(").append(optimizer).append(')')
                .append("\n    .epochs(").append(epochs).append(").batchSize(").append(batchSize).append(')');
        sb.append(shuffle ? "\n    .shuffle(" + seed + "L)" : "\n    .noShuffle()");
        if (dropLast) sb.append("\n    .dropLastPartialBatch()");
        if (treeDepth != 2) sb.append("\n    .treeDepth(").append(treeDepth).append(')');
        if (metrics.length > 0) {
            sb.append("\n    .metrics(");
            for (int i = 0; i < metrics.length; i++) sb.append(i > 0 ? ", " : "").append(metrics[i]);
            sb.append(')');
        }
        if (earlyStopping != null) sb.append("\n    .earlyStopping(").append(earlyStopping).append(')');
        if (classWeights != null) {
            sb.append("\n    .classWeights(");
            for (int c = 0; c < classWeights.length; c++) sb.append(c > 0 ? ", " : "").append(classWeights[c]).append('f');
            sb.append(')');
        }
        if (nonFinitePolicy != NonFinitePolicy.FAIL) sb.append("\n    .nonFinitePolicy(NonFinitePolicy.").append(nonFinitePolicy).append(')');
        return sb.append("\n    .build()").toString();
    }

    /** Configures a {@link SparkTrainer}; the defaults are {@code Trainer}'s. */
    public static final class Builder {
        private Optimizer optimizer;
        private int epochs = 10;
        private int batchSize = 32;
        private boolean shuffle = true;
        private long seed = 42L;
        private boolean dropLast;
        private int treeDepth = 2;
        private NonFinitePolicy nonFinitePolicy = NonFinitePolicy.FAIL;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private final List<Metric> metrics = new ArrayList<>();
        private EarlyStopping earlyStopping;
        private float[] classWeights;

        private Builder() {}

        /** The optimiser (required); it runs on the driver and keeps its state there. */
        public Builder optimizer(Optimizer optimizer) {
            if (optimizer == null) {
                throw new IllegalArgumentException("optimizer is null; use e.g. new Adam(1e-3) or new Sgd(0.1)");
            }
            this.optimizer = optimizer;
            return this;
        }

        /** Passes over the data, &gt;= 1 (default 10). */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** Rows per global mini-batch, split over the partitions, &gt;= 1 (default 32). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize
                        + "; on Spark a few hundred rows or more per step amortise the per-step round trip");
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Reshuffle every epoch from this seed, as {@code Trainer.Builder.shuffle(seed)} (default: on, 42). */
        public Builder shuffle(long seed) {
            this.shuffle = true;
            this.seed = seed;
            return this;
        }

        /** Batches in the input's order every epoch. */
        public Builder noShuffle() {
            this.shuffle = false;
            return this;
        }

        /** Skip the smaller last batch of each epoch. */
        public Builder dropLastPartialBatch() {
            this.dropLast = true;
            return this;
        }

        /** Depth of Spark's {@code treeAggregate} of the gradients (default 2; 1 sends every shard straight to the driver). */
        public Builder treeDepth(int depth) {
            if (depth < 1) {
                throw new IllegalArgumentException("tree depth must be >= 1, got " + depth);
            }
            this.treeDepth = depth;
            return this;
        }

        /** What to do on a NaN or infinite loss or gradient (default {@link NonFinitePolicy#FAIL}). */
        public Builder nonFinitePolicy(NonFinitePolicy policy) {
            if (policy == null) {
                throw new IllegalArgumentException("policy is null; use NonFinitePolicy.FAIL or SKIP_BATCH");
            }
            this.nonFinitePolicy = policy;
            return this;
        }

        /**
         * Metrics to report per epoch on the validation set, computed on the driver as
         * {@code Trainer.Builder.metrics} computes them (on class probabilities for a classifier trained on
         * logits); they need a validation set ({@link SparkTrainer#fit(Network, SparkData, org.bpnn.data.Dataset)}):
         * SparkTrainer computes none on the training data.
         */
        public Builder metrics(Metric... metrics) {
            Metric.add(this.metrics, metrics);
            return this;
        }

        /**
         * Early stopping with {@code Trainer}'s semantics (see {@link EarlyStopping}): it monitors the
         * validation loss or a validation metric, or without a validation set the epoch's training loss.
         * Default, and null: none (every planned epoch runs).
         */
        public Builder earlyStopping(EarlyStopping earlyStopping) {
            this.earlyStopping = earlyStopping;
            return this;
        }

        /**
         * Trains on the class-weighted cost, as {@code Trainer} trains on {@code Dataset.withClassWeights(classWeights)}
         * (Keras' {@code class_weight}): row i weighs classWeights[c_i], c_i its class by the class metrics' rule
         * (the argmax of a one-hot target row; for one target column, 0/1 labels, 1 above 0.5 and 0 below), times
         * its sample weight when the rows carry them ({@link RowFormat#sampleWeight}), and each batch of m rows
         * descends sum_i w_i L_i / m (divided by the rows, not the weights' sum). The
         * executors weight each shard's rows; the epoch's training loss is the weighted one, sum_i w_i L_i / n,
         * as {@code Trainer} reports it. The validation loss is weighted only by the validation set's own
         * sample weights, the metrics never. E.g. for fraud at 1:100, {@code classWeights(1, 100)}; for
         * scikit-learn's "balanced" weights, {@code classWeights(data.balancedClassWeights())}
         * ({@link SparkData#balancedClassWeights()}, one Spark job). The values are copied.
         *
         * <p>Checked here: one or more weights, each finite and &gt;= 0, not all 0. Checked by fit, before any
         * listener is called: one weight per class of the training data (its target columns, or 2 for one
         * column), every training row with a class (named by its global index otherwise), and a class of
         * weight above 0 among those present, and no sample weight times its class's weight that overflows float.
         */
        public Builder classWeights(float... classWeights) {
            if (classWeights == null || classWeights.length == 0) {
                throw new IllegalArgumentException("got " + (classWeights == null ? "null" : "no") + " class weights; pass one"
                        + " weight per class (per target column, or 2 for one column of 0/1 labels), e.g. classWeights(1, 100),"
                        + " or leave classWeights unset for unweighted training");
            }
            org.bpnn.data.Dataset.requireClassWeightValues(classWeights); // Dataset.withClassWeights' check, in its words
            boolean someAboveZero = false;
            for (float v : classWeights) someAboveZero |= v > 0f;
            if (!someAboveZero) {
                throw new IllegalArgumentException("all " + classWeights.length + " class weights are 0, so training would change"
                        + " nothing; give the classes that should count a weight above 0 (1 is unweighted)");
            }
            this.classWeights = classWeights.clone();
            return this;
        }

        /**
         * Adds a listener, called on the driver. Null and the same listener object twice are refused in
         * Trainer.Builder's words (see {@link TrainingListener#add}).
         */
        public Builder listener(TrainingListener listener) {
            TrainingListener.add(listeners, listener);
            return this;
        }

        /**
         * The trainer. Refused, as {@code Trainer.Builder.build()} refuses them and in its words: no optimiser,
         * and early stopping that monitors neither "loss" nor the name of one of {@link #metrics}' metrics
         * (the bare name, {@code "accuracy"}, not {@code "val_accuracy"}), with the names it can monitor and
         * the nearest to the one given.
         */
        public SparkTrainer build() {
            if (optimizer == null) {
                throw new IllegalArgumentException("no optimizer set; call optimizer(new Adam(1e-3)) or optimizer(new Sgd(0.1))");
            }
            return new SparkTrainer(this);
        }
    }
}
