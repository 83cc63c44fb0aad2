package org.bpnn.train;

import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bpnn.backend.Backend;
import org.bpnn.data.Batches;
import org.bpnn.data.Dataset;
import org.bpnn.metrics.Metric;
import org.bpnn.nn.Dropout;
import org.bpnn.nn.Layer;
import org.bpnn.nn.Network;
import org.bpnn.nn.Parameter;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.nn.Rng;
import org.bpnn.optim.BaseOptimizer;
import org.bpnn.optim.LearningRateSchedule;
import org.bpnn.optim.Optimizer;
import org.bpnn.optim.OptimizerSettings;
import org.bpnn.optim.OptimizerState;
import org.bpnn.tensor.Tensor;

/**
 * Mini-batch training: epochs of shuffled batches, each a forward pass, BP1-BP3
 * ({@link Network#computeGradients}) and the optimiser's update (BP4), then evaluation, early
 * stopping and callbacks.
 * <pre>{@code
 * Trainer trainer = Trainer.builder()
 *     .optimizer(new Adam(1e-3))
 *     .epochs(50).batchSize(32).shuffle(7)
 *     .validationSplit(0.2)
 *     .metrics(Metric.accuracy())
 *     .earlyStopping(EarlyStopping.patience(5).restoreBestWeights())
 *     .listener(new ConsoleProgressListener(System.out))
 *     .build();
 * TrainingHistory history = trainer.fit(network, data);
 * }</pre>
 *
 * <p><b>Each epoch</b>: the row order is reshuffled (Fisher-Yates from the identity, driven by an
 * {@link Rng} seeded from {@code shuffle(seed)}); every batch is copied into tensors allocated once
 * per fit; the loss and every gradient are checked for NaN/infinity (see {@link NonFinitePolicy}), and
 * the weights at the end of the epoch (an overflowing update fails with a {@link TrainingDivergedException},
 * after which, with restoreBestWeights, the network holds the best epoch's weights again);
 * after the last batch the validation set (and, with metrics, the training set) is evaluated in
 * inference mode. After the first epoch a training step allocates nothing.
 *
 * <p><b>Sample weights.</b> A training set that carries weights ({@link Dataset#withSampleWeights},
 * {@link Dataset#withClassWeights}, {@link Dataset#withBalancedClassWeights}) is trained on the
 * weighted cost sum_i w_i L_i / m of each batch of m rows (divided by the rows, not the weights' sum,
 * as Keras does; see {@link Network#computeGradients(Tensor, Tensor, Tensor)}), and the epoch's
 * training loss is sum_i w_i L_i / n over the n rows trained on, so the reported loss is the one
 * the gradients descend. Both losses are computed as {@link Network#computeGradients} computes a
 * batch's (from the output layer's pre-activation for sigmoid + binary and softmax + categorical
 * cross-entropy: {@link Network#costFromPreActivation}). The validation loss is weighted when the validation set carries weights (a
 * {@code validationSplit} of a weighted set keeps its rows' weights; {@link Dataset#withoutSampleWeights}
 * drops them), else unweighted. Metrics are never weighted (as Keras' {@code metrics}, without
 * {@code weighted_metrics}): an accuracy or recall counts rows. An unweighted set takes the unweighted
 * path itself, and weights of 1 give its bits.
 *
 * <p><b>Reproducibility.</b> With the same network seed, shuffle seed, backend and thread count,
 * training gives bit-identical weights. {@link #state} captures everything that evolves (weights,
 * optimiser state, shuffle and dropout generators, epoch counter, early-stopping bookkeeping) and
 * records the settings the resume depends on (the optimiser's, the batch size, dropped last batch,
 * shuffle and validation split); {@link #restore} puts it back and refuses other settings unless
 * allowed, so a resumed run ends with the same bits as an uninterrupted one.
 *
 * <p>A trainer owns its optimiser (whose state is per network): use one trainer per network, from
 * one thread; a network being trained must not be predicted on from other threads at the same time
 * (such a predict fails, see {@link Network}). Calling {@link #fit} again continues with the optimiser's and generator's state and
 * runs epochs 1..epochs again; after {@link #restore}, the next fit runs the remaining epochs (none
 * when the state was captured at the end of the epoch at which early stopping ended its run).
 */
public final class Trainer {
    private final Optimizer optimizer;
    private final int epochs;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    /**
     * batchSize, dropLast, shuffle and the validation split (with its seed), as a state records them (one
     * object, so that state() allocates none for it).
     */
    private final BatchSettings batchSettings;
    private final double validationSplit;
    /** The validation split keeps each class's share (Dataset.stratifiedSplit): set by stratifiedValidationSplit. */
    private final boolean stratified;
    private final EarlyStopping earlyStopping;
    private final Metric[] metrics;
    /** The index in {@link #metrics} of the metric early stopping monitors, or -1 for the loss (or none). */
    private final int monitorMetric;
    private final TrainingListener[] listeners;
    private final NonFinitePolicy nonFinitePolicy;

    private final Rng shuffleRng;
    private int epochsCompleted;
    private boolean resumePending;
    private double bestScore = Double.POSITIVE_INFINITY;
    private int bestEpoch;
    private int sinceImprovement;
    /**
     * The best epoch's weights, one array per parameter, or null. Arrays of the trainer's own rather than a
     * {@link ParameterSnapshot}, so that {@link #state} hands them to TrainingState, whose constructor
     * copies them: one copy a capture (a snapshot's values() would be a second one).
     */
    private float[][] best;
    /** The weights of the last epoch when fit ended by restoring {@link #best}, else null (see {@link #state}). */
    private float[][] lastEpochWeights;
    private volatile boolean stopRequested;
    /**
     * The epoch being trained, from its shuffle to its early-stopping bookkeeping, else 0; left set
     * by a fit that threw inside the epoch. A state is refused while it is set (see {@link #state}).
     */
    private volatile int epochInProgress;
    /**
     * A seqlock over the fields {@link #state} reads besides the network's (as {@link Network#weightVersion()}
     * is over its weights): odd while a fit's start resets them, an epoch's early-stopping bookkeeping or a
     * fit's end writes them, or {@link #restore} puts a state back. Those writes are outside any weight
     * write (in restore, after it), and a state read across them would pair one run's values with another's,
     * or throw a NullPointerException (the last epoch's weights of one run with no best weights of the
     * next). Two increments per fit and per epoch, none per step.
     */
    private final AtomicLong stateVersion = new AtomicLong();

    private Trainer(Builder b) {
        this.optimizer = b.optimizer;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.validationSplit = b.validationSplit;
        this.stratified = b.stratified;
        // the seed only with a split, whose rows it chooses: without one a resume takes nothing from it
        this.batchSettings = new BatchSettings(batchSize, dropLast, shuffle, validationSplit, stratified,
                validationSplit > 0 ? seed : 0);
        this.earlyStopping = b.earlyStopping;
        this.metrics = b.metrics.toArray(new Metric[0]);
        // the names a monitor can take ("loss" and the metrics', bare: the validation value is read under
        // the same name) are all known here; refused only at fit, a misspelt monitor would pass build() and
        // surface where the run is started, often far from where the trainer was configured
        this.monitorMetric = monitorIndex(earlyStopping, metrics);
        this.listeners = b.listeners.toArray(new TrainingListener[0]);
        this.nonFinitePolicy = b.nonFinitePolicy;
        this.shuffleRng = new Rng(Rng.derive(seed, 0));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optimizer optimizer() { return optimizer; }

    public int epochs() { return epochs; }

    public int batchSize() { return batchSize; }

    /**
     * The batch size, dropped last batch, shuffle and validation split (fraction, stratified, seed) this
     * trainer was built with, as {@link #state} records them and {@link #restore} compares them.
     */
    public BatchSettings batchSettings() { return batchSettings; }

    /** Epochs completed by the last fit (or restored). */
    public int epochsCompleted() { return epochsCompleted; }

    /**
     * Asks the running fit to stop after the current epoch (e.g. from a listener or another thread);
     * from {@link TrainingListener#onTrainStart(Trainer, Network, int, int, int)}, before its first.
     * Requested while no fit runs, it applies to the next fit, which then trains no epoch (a stop
     * sent right after submitting a fit to an executor must not be lost); every fit call clears it
     * when it ends, however it ends (refused for its arguments, stopped, finished or failed).
     * The fit returns normally, with a history that says so ({@link TrainingHistory#endedBy()} is
     * {@link TrainingHistory.Ending#REQUESTED}; COMPLETED when the request came during the last epoch,
     * which ended the run anyway). An interrupt of the training thread also ends a fit after the current
     * epoch, but with an exception (see {@link #fit(Network, Dataset)}).
     */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Trains on {@code train}; when the builder set {@code validationSplit(f)}, a fraction f of the
     * rows (chosen by a shuffle from the seed, the same on every run) is held out for validation; with
     * {@code stratifiedValidationSplit(f)}, the same fraction of each class's rows.
     *
     * <p>An interrupt of the training thread ({@code Future.cancel(true)}, {@code shutdownNow()},
     * {@link Thread#interrupt()}) ends the fit before the next epoch with a
     * {@link java.util.concurrent.CancellationException}; the interrupt status stays set, the network
     * holds the weights of the last complete epoch, and {@link #state} may be captured (a restored
     * state resumes to the uninterrupted run). Before the first epoch too: a thread whose interrupt
     * status is already set trains nothing. A listener that does interruptible I/O on the training
     * thread (a {@code FileChannel}, which an interrupted thread closes) must set the pending interrupt
     * aside for it and set it again, as bpnn-io's {@code CheckpointFile.everyEpoch} does: the epoch's
     * checkpoint is then written before the fit ends.
     *
     * <p>A run whose learning-rate schedule gives a rate of 0 for every update of its last epoch (with
     * early stopping, of its second) is refused before it starts: those epochs would change no weight.
     * It is the mark of a schedule sized in epochs where steps are meant, or of a second fit past the
     * end of a schedule sized for the first (see {@link org.bpnn.optim.LearningRateSchedule}).
     *
     * <p>Everything below but the divergence and the interrupt is refused before the first epoch (and
     * before a listener hears of the run); the trainer and the network are then unchanged.
     *
     * @throws IllegalArgumentException when network or train is null, or train does not fit the network
     *         (feature or target count, a non-finite value or sample weight, targets outside the loss's
     *         domain), a metric cannot be computed on the network's outputs or the targets, the validation
     *         split cannot be taken ({@link #validationSplit(Dataset, double)}), a buffer of the run would
     *         exceed one Java array, or the schedule trains nothing in the last epoch (above)
     * @throws TrainingDivergedException (an IllegalStateException) when a loss, gradient or weight is NaN
     *         or infinite, as {@link NonFinitePolicy} says
     * @throws java.util.concurrent.CancellationException when the training thread is interrupted (above)
     */
    public TrainingHistory fit(Network network, Dataset train) {
        try {
            require(network, train, "train");
            requireMetrics(network, metrics);
            requireClassTargets(train, "train", metrics);
            if (validationSplit > 0) {
                Dataset.Split s = validationSplit(train, validationSplit);
                // the whole set passed; a part can still lack what a metric needs (AUC: both classes). A
                // stratified split puts every class of 2 or more rows in both parts when they have room
                String remedy = " of the " + train.size() + " rows: " + (stratified
                        ? "use another fraction (a class of a single row is in one part only: add rows of it)"
                        : "stratifiedValidationSplit(" + validationSplit + ") keeps each class's share in both parts, or"
                        + " use another fraction") + ", or split the data yourself (e.g. per class) and call fit(network,"
                        + " train, validation)";
                requireMetricTargets(s.first(), "train", "; the training part of " + validationSplitSetting() + " is "
                        + s.first().size() + remedy, metrics);
                requireMetricTargets(s.second(), "validation", "; the validation part of " + validationSplitSetting() + " is "
                        + s.second().size() + remedy, metrics);
                return run(network, s.first(), s.second());
            }
            return run(network, train, null);
        } finally {
            stopRequested = false; // see requestStop: cleared when a fit call ends, however it ends
        }
    }

    /**
     * The training and validation parts that {@link #fit(Network, Dataset)} would take from
     * {@code train} with {@code validationSplit(fraction)} on this trainer's builder: the same rows,
     * chosen by a shuffle from the trainer's seed ({@code train.split(1 - fraction, Rng.derive(seed, 1))});
     * on a trainer built with {@code stratifiedValidationSplit}, the stratified parts
     * ({@link Dataset#stratifiedSplit}, same fraction and seed), whose targets must be one-hot. Split
     * first to fit a normaliser on the training part only (one fitted on every row has seen the
     * validation rows), then, on a trainer built without a validation split, {@code fit(network, norm.apply(parts.train()), norm.apply(parts.validation()))}.
     *
     * @throws IllegalArgumentException when train is null, the fraction is not in (0, 1), the
     *         split leaves no rows to train on or none to validate on, or only rows of sample weight 0 in
     *         a part, or (stratified) a target row is not one-hot
     */
    public Dataset.Split validationSplit(Dataset train, double fraction) {
        if (train == null) {
            throw new IllegalArgumentException("train data is null; pass the Dataset to train on (e.g. Dataset.ofLabels(x,"
                    + " labels, classes))");
        }
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
        }
        // the rule of Dataset.split, checked here to name the validation split rather than its complement
        int keep = Dataset.firstPartSize(train.size(), 1 - fraction);
        if (keep == 0 || keep == train.size()) {
            throw new IllegalArgumentException("a validation split of " + fraction + " of " + train.size()
                    + " samples leaves " + (keep == 0 ? "no samples to train on" : "no samples to validate on")
                    + "; use more data or another fraction, or train without a validation split");
        }
        String setting = splitBuilderCall() + "(" + fraction + ")";
        try {
            return stratified ? train.stratifiedSplit(1 - fraction, Rng.derive(seed, 1)) : train.split(1 - fraction, Rng.derive(seed, 1));
        } catch (IllegalArgumentException e) {
            // the fraction passed the checks above: a part whose rows all have sample weight 0, or (stratified)
            // targets without one class per row. Which one: the same split of the unweighted rows (the rows a
            // split chooses do not depend on the weights) succeeds for the first only; on this failure path only
            if (stratified && !splitsWithoutWeights(train, fraction)) {
                throw new IllegalArgumentException("stratifiedValidationSplit, train data: " + e.getMessage() + "; on a Trainer,"
                        + " validationSplit(" + fraction + ") instead of stratifiedValidationSplit", e);
            }
            throw new IllegalArgumentException(setting + " of the " + train.size() + " train rows: " + e.getMessage()
                    + " (on a Trainer the split's seed is the shuffle seed, Builder.shuffle(seed)), or split the data yourself"
                    + " and call fit(network, train, validation)", e);
        }
    }

    /** Whether {@code train}'s rows, without their weights, split stratified at this fraction (their targets have classes). */
    private boolean splitsWithoutWeights(Dataset train, double fraction) {
        if (!train.isWeighted()) return false;
        try {
            train.withoutSampleWeights().stratifiedSplit(1 - fraction, Rng.derive(seed, 1));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The builder call that set the validation split, for messages: "validationSplit(0.2)"; null when
     * this trainer holds out none (also for {@link CrossValidation}'s refusal of such a trainer).
     */
    String validationSplitSetting() {
        return validationSplit > 0 ? splitBuilderCall() + "(" + validationSplit + ")" : null;
    }

    /** The builder method that set the validation split, for messages: "validationSplit". */
    String splitBuilderCall() {
        return stratified ? "stratifiedValidationSplit" : "validationSplit";
    }

    /**
     * Trains on {@code train}, evaluating {@code validation} after every epoch; validation null is
     * {@link #fit(Network, Dataset)} (with the builder's validation split, if any).
     *
     * @throws IllegalArgumentException as {@link #fit(Network, Dataset)}, for validation as for train, and
     *         when a validation set is given to a trainer built with a validation split (pass one, not both)
     * @throws TrainingDivergedException as {@link #fit(Network, Dataset)}
     * @throws java.util.concurrent.CancellationException as {@link #fit(Network, Dataset)}
     */
    public TrainingHistory fit(Network network, Dataset train, Dataset validation) {
        if (validation == null) {
            return fit(network, train);
        }
        try {
            require(network, train, "train");
            require(network, validation, "validation");
            requireMetrics(network, metrics);
            requireClassTargets(train, "train", metrics);
            requireClassTargets(validation, "validation", metrics);
            if (validationSplit > 0) {
                throw new IllegalArgumentException("both a validation set and " + validationSplitSetting()
                        + " were given; pass one: drop " + splitBuilderCall()
                        + " or call fit(network, train)");
            }
            return run(network, train, validation);
        } finally {
            stopRequested = false; // see requestStop: cleared when a fit call ends, however it ends
        }
    }

    /**
     * The checks {@link #fit(Network, Dataset, Dataset)} makes of a validation set and of the metrics
     * before its first epoch, with its messages: the validation set's feature and target widths against
     * {@code network} (already checked against the training data), its values finite, its targets in
     * the loss's domain; every metric computable on the network's outputs (a class metric not on a
     * regression network); with a class metric, one class per validation row; the targets each metric requires
     * ({@link Metric#requireTargets}, e.g. both classes for AUC); the validation pass's buffers
     * within one Java array (the (rows, outputs) tensor, each layer's at a 256-row chunk). For trainers other than
     * {@link Trainer} (bpnn-spark's {@code SparkTrainer} uses it, so that the same mistake is refused in
     * the same words).
     *
     * @throws IllegalArgumentException naming what was expected, what was given and what to change
     */
    public static void requireValidation(Network network, Dataset validation, List<Metric> metrics) {
        Metric[] m = metrics.toArray(new Metric[0]);
        require(network, validation, "validation");
        requireMetrics(network, m);
        requireClassTargets(validation, "validation", m);
        requireValidationBuffersFit(network, validation.size(), max -> "pass at most " + max
                + " validation rows (evaluate the rest after training)");
    }

    /**
     * Fails as {@link Builder#build()} does when {@code earlyStopping} monitors neither "loss" nor one of
     * {@code metrics}; null (no early stopping) passes. For trainers other than {@link Trainer}.
     *
     * @return the index in {@code metrics} of the monitored metric, or -1 for the loss (or no early stopping)
     */
    public static int requireMonitor(EarlyStopping earlyStopping, List<Metric> metrics) {
        return monitorIndex(earlyStopping, metrics.toArray(new Metric[0]));
    }

    /**
     * The monitor names that {@link #requireMonitor}'s (and {@link Builder#build()}'s) refusal of
     * {@code monitor} offers in its place, in its order: the bare name of a {@code val_}-prefixed one
     * ("val_rmse": rmse), the name in another case ("RMSE": rmse), else the nearest among "loss" and
     * the metrics' names ("acc": accuracy; "mse": rmse and mae); empty when it offers none. For a tool
     * that answers in its own words (a command line's "did you mean --monitor accuracy?") without
     * reading the names out of the refusal's. A name the trainer accepts is offered as itself.
     *
     * @param metrics the trainer's metrics (an empty list for none)
     * @return an unmodifiable list of names, each the name of one of {@code metrics} or "loss", in that
     *         order (the metrics' order, then "loss")
     * @throws IllegalArgumentException when monitor is null or empty, as {@link EarlyStopping#monitor} does,
     *         or metrics is null or holds a null
     */
    public static List<String> suggestedMonitors(String monitor, List<Metric> metrics) {
        EarlyStopping.patience(1).monitor(monitor); // its refusal of null or "" is the one to give
        if (metrics == null) {
            throw new IllegalArgumentException("metrics is null; pass the trainer's metrics (List.of() for none)");
        }
        Metric[] m = metrics.toArray(new Metric[0]);
        for (int i = 0; i < m.length; i++) {
            if (m[i] == null) {
                throw new IllegalArgumentException("metrics holds null at index " + i + "; pass the trainer's metrics,"
                        + " such as Metric.accuracy()");
            }
        }
        List<String> known = monitorNames(m);
        // an accepted name first: the rules below read every name as one the trainer refused, so a custom
        // metric's "val_x" beside a metric x, or "ACC" after "acc", would be pointed elsewhere
        return known.contains(monitor) ? List.of(monitor) : List.copyOf(offeredMonitors(monitor, known));
    }

    private static void require(Network network, Dataset d, String what) {
        if (network == null) {
            throw new IllegalArgumentException("network is null; pass the Network to train (Network.builder(...).build())");
        }
        if (d == null) {
            throw new IllegalArgumentException(what + " data is null; pass a Dataset"
                    + (what.equals("validation") ? ", or call fit(network, train) for none" : ""));
        }
        if (d.featureCount() != network.inputSize()) {
            // for the validation set the network (already checked against the training set) is right: the set is wrong
            throw new IllegalArgumentException(what + " data has " + count(d.featureCount(), "feature") + ", but the network takes "
                    + count(network.inputSize(), "input") + "; " + (what.equals("validation")
                    ? "the validation set needs the same " + network.inputSize() + " feature columns as the training set"
                    : "build the network with Network.builder(" + d.featureCount() + ")"));
        }
        if (d.targetCount() != network.outputSize()) {
            throw new IllegalArgumentException(what + " data has " + count(d.targetCount(), "target column") + ", but the network has "
                    + count(network.outputSize(), "output") + "; " + (!network.loss().classification()
                    ? "give the network one output per target column"
                    // not "one-hot encode labels": a binary set's one-hot targets are already encoded, just too wide
                    : network.outputSize() == 1
                    ? "a one-output (sigmoid) classifier takes one target column of 0/1 labels (of two one-hot columns, the"
                            + " column of class 1; from a CSV, CsvReader's label column without oneHot(true)), or give the"
                            + " network one softmax output per target column"
                    : "one-hot encode class labels (OneHot.encode, or CsvReader's oneHot(true)) or change the output layer"));
        }
        // A Dataset checks its values when built, but its tensors stay writable: found here, a NaN is
        // named by its data row (a step would report its place in a shuffled batch)
        for (Tensor t : new Tensor[] {d.features(), d.targets()}) {
            int i = network.backend().firstNonFinite(t.size(), t.data(), 0);
            if (i >= 0) {
                throw new IllegalArgumentException(what + " data: " + (t == d.features() ? "feature" : "target") + " " + i % t.cols()
                        + " of row " + i / t.cols() + " is " + t.data()[i] + "; the Dataset was finite when built, so its tensors "
                        + "were changed since: clean or impute the value and build the Dataset again");
            }
        }
        network.loss().validateTargets(d.targets());
        Tensor w = d.sampleWeights();
        if (w != null) {
            // checked when set, but writable as the features: a NaN or negative weight would train silently wrong
            float[] v = w.data();
            boolean any = false;
            for (int i = 0; i < v.length; i++) {
                if (!(v[i] >= 0f && v[i] != Float.POSITIVE_INFINITY)) {
                    throw new IllegalArgumentException(what + " data: the sample weight of row " + i + " is " + v[i] + "; the"
                            + " Dataset's weights were valid when set, so they were changed since: set them again with"
                            + " withSampleWeights (finite, >= 0)");
                }
                any |= v[i] != 0f;
            }
            if (!any) {
                throw new IllegalArgumentException(what + " data: every sample weight is 0 (changed since they were set), so"
                        + " there is nothing to " + (what.equals("validation") ? "validate on" : "train on")
                        + "; set them again with withSampleWeights");
            }
        }
    }

    /**
     * Metrics that cannot work on this network's outputs, refused before training (top-5 of 3 classes
     * would otherwise fail after epoch 1). A class metric ({@link Metric#readsClasses()}) on a regression
     * network (a regression loss, mse, mae or huber, with an output layer that is neither sigmoid nor
     * softmax) is refused too: its outputs are values, which accuracy would threshold at 0.5 and report as
     * a meaningless number every epoch. An MSE network with a sigmoid or softmax output is a classifier
     * (as ./bpnn seed's network is) and keeps its class metrics.
     */
    private static void requireMetrics(Network network, Metric[] metrics) {
        for (Metric m : metrics) {
            m.requireOutputs(network.outputSize());
        }
        Metric classMetric = firstClassMetric(metrics);
        if (classMetric != null && !network.outputsClasses()) {
            String act = network.layers().get(network.layers().size() - 1).activation().name();
            throw new IllegalArgumentException("metric '" + classMetric.name() + "' reads classes from the outputs, but the"
                    + " network's loss is " + network.loss().name() + " and its output layer applies " + act + ", so its"
                    + " outputs are values, not class probabilities; for a regression use Metric.mse(), rmse(), mae() or"
                    + " r2(); for a classifier give the output layer Activation.sigmoid() (one output, 0/1 targets) or"
                    + " softmax() (one-hot targets) with a cross-entropy loss (a custom loss whose outputs are class scores:"
                    + " return true from Loss.classification())");
        }
    }

    private static Metric firstClassMetric(Metric[] metrics) {
        for (Metric m : metrics) {
            if (m.readsClasses()) return m;
        }
        return null;
    }

    /**
     * With a class metric, targets without one class per row (Metrics' rule: an all-zero row, a class
     * number) are refused before training, naming the data set's row; found by the metric they would fail
     * the fit after the first epoch's work (and, with a validation split, name a row of the shuffled part).
     */
    private static void requireClassTargets(Dataset d, String what, Metric[] metrics) {
        Metric classMetric = firstClassMetric(metrics);
        if (classMetric != null) {
            try {
                org.bpnn.metrics.Metrics.requireClassTargets(d.targets());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + " data, for metric '" + classMetric.name() + "': " + e.getMessage(), e);
            }
        }
        requireMetricTargets(d, what, "", metrics);
    }

    /**
     * Each metric's own check of the targets ({@link Metric#requireTargets}, e.g. AUC's two classes),
     * before training: found by the metric, a validation set without positives would fail the fit after
     * the first epoch's work.
     */
    private static void requireMetricTargets(Dataset d, String what, String remedy, Metric[] metrics) {
        for (Metric m : metrics) {
            try {
                m.requireTargets(d.targets());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + " data, for metric '" + m.name() + "': " + e.getMessage() + remedy, e);
            }
        }
    }

    /**
     * Refuses, before the first epoch (and before any listener hears of the run), a buffer that the run
     * allocates only once training has started and that would not fit one Java array
     * ({@link Tensor#MAX_ELEMENTS}): the (rows, outputs) tensors each epoch's evaluation predicts into (the
     * training set's with metrics, the validation set's), and each layer's per-row buffers (output,
     * scratch, gradient) at a training batch's rows and at an evaluation chunk's. Left to Tensor.zeros, a
     * validation set too large would fail after the whole first epoch had trained, with a tensor shape and
     * no word of what to change.
     */
    private void requireBuffersFit(Network net, Dataset train, Dataset validation) {
        int n = train.size();
        if (metrics.length > 0) {
            List<String> names = Arrays.stream(metrics).map(Metric::name).toList();
            requireOutputsFit("training", n, net.outputSize(), max -> "the metrics " + names + " are computed each epoch on"
                    + " the outputs of every training row: train on at most " + max + " rows, or drop metrics(...) and"
                    + " compute them after training (Metric.value on the network's outputs, a part at a time)");
        }
        requireLayerRowsFit(net, Math.min(batchSize, n), "a training batch", max -> "use batchSize(" + max + ") or smaller,"
                + " or a narrower layer");
        if (validation != null) {
            requireOutputsFit("validation", validation.size(), net.outputSize(), max -> validationSplit > 0
                    ? "use a smaller " + splitBuilderCall() + " (now "
                    + validationSplit + ": " + validation.size() + " of the "
                    + (n + validation.size()) + " rows), or split the data yourself and pass at most " + max
                    + " validation rows to fit(network, train, validation)"
                    : "pass at most " + max + " validation rows (evaluate the rest after training)");
        }
        int evaluated = Math.max(metrics.length > 0 ? n : 0, validation != null ? validation.size() : 0);
        if (evaluated > 0) {
            requireEvaluationChunkFits(net, evaluated);
        }
    }

    /**
     * Refuses a run whose learning-rate schedule is 0 (as the float the updates use) for every update of
     * its last epoch, or, with early stopping (where epochs is often a ceiling the schedule need not
     * reach), of its second. Such epochs change no weight, and nothing else would say so. The usual
     * causes: a schedule sized in epochs where steps are meant ({@code cosine(epochs)}, PyTorch's
     * {@code T_max=epochs}: the rate reaches 0 after {@code epochs} batches), and a second fit, which
     * continues the optimiser's step count past the end of a schedule sized for the first.
     */
    private void requireScheduleTrains(int start, int rows) {
        if (!(optimizer instanceof BaseOptimizer bo) || start >= epochs) {
            return;
        }
        long nb = Batches.count(rows, batchSize, dropLast);
        int checked = earlyStopping == null ? epochs : Math.min(epochs, start + 2);
        long from = bo.steps() + (checked - start - 1) * nb;
        for (long t = from; t < from + nb; t++) {
            if ((float) bo.schedule().rate(bo.learningRate(), t) != 0f) {
                return;
            }
        }
        // a resumed run (start > 0) goes on counting the restored optimiser's steps under the schedule it was saved
        // with, so the schedule must span the whole run from its step 0, not only the epochs left
        boolean resumed = start > 0;
        long total = (resumed ? bo.steps() : 0) + (epochs - start) * nb;
        throw new IllegalArgumentException("the learning-rate schedule " + bo.schedule() + " gives a rate of 0 for every update"
                + " of epoch " + checked + " (steps " + from + " to " + (from + nb - 1) + " at " + nb + " batches per epoch, the"
                + " optimiser being at step " + bo.steps() + "), so that epoch would change no weight. A schedule counts steps"
                + " (batches), not epochs: " + (resumed
                        ? scheduleAdvice(bo.schedule(), nb, "the whole run's " + epochs + " epochs", total, " (the optimiser's "
                                + bo.steps() + " steps + " + (epochs - start) + " epochs x batches per epoch)")
                                + "; a resumed run keeps the schedule it was saved with, so resume with no more epochs than"
                                + " that schedule was sized for, or train again from the start with one sized for the whole run"
                        : scheduleAdvice(bo.schedule(), nb, epochs, total)
                                + (bo.steps() > 0 ? "; a second fit continues the optimiser's steps, so give"
                                + " it a new Trainer with a new optimiser to start the schedule again" : "")));
    }

    /**
     * How to size {@code schedule} in steps, for {@link #requireScheduleTrains}'s refusal, in the schedule's
     * own terms: cosine's advice alone ("use e.g. cosine(500); or give the schedule a minRate &gt; 0") would
     * tell an exponential(0.5) meant per epoch, or a stepDecay(1, 0.01) meant to decay every epoch, to
     * switch to cosine and to set a minRate they do not have. nb: batches per epoch; epochs and total: this
     * run's epochs and steps.
     */
    private static String scheduleAdvice(LearningRateSchedule schedule, long nb, int epochs, long total) {
        return scheduleAdvice(schedule, nb, "this run's " + epochs + " epochs", total, " (epochs x batches per epoch)");
    }

    private static String scheduleAdvice(LearningRateSchedule schedule, long nb, String span, long total, String howTotal) {
        if (schedule instanceof LearningRateSchedule.Warmup w) {
            long rest = total - w.warmupSteps();
            return "after its " + w.warmupSteps() + " warm-up steps, " + (rest > 0
                    ? scheduleAdvice(w.then(), nb, "the run's other " + rest + " steps", rest, "")
                    : "none of the run's " + total + " steps is left: shorten the warm-up");
        }
        if (schedule instanceof LearningRateSchedule.StepDecay sd) {
            return "a decay every " + sd.stepSize() + " epochs is stepDecay(" + sd.stepSize() * nb + ", " + sd.gamma()
                    + ") at " + nb + " batches per epoch (epochs x batches per epoch); or give it a gamma nearer 1";
        }
        if (schedule instanceof LearningRateSchedule.Exponential ex) {
            return "exponential's gamma is the factor per step, so a factor of " + ex.gamma() + " per epoch is exponential("
                    + Math.pow(ex.gamma(), 1.0 / nb) + ") at " + nb + " batches per epoch (gamma^(1 / batches per epoch));"
                    + " or give it a gamma nearer 1";
        }
        return "to anneal over " + span + " use e.g. cosine(" + total + ")" + howTotal
                + (schedule instanceof LearningRateSchedule.Cosine ? "; or give the schedule a minRate > 0" : "");
    }

    /**
     * The validation set's evaluation buffers, for {@link #requireValidation}: its (rows, outputs) tensor and
     * the layers' buffers at an evaluation chunk's rows.
     */
    private static void requireValidationBuffersFit(Network net, int rows, java.util.function.IntFunction<String> remedy) {
        requireOutputsFit("validation", rows, net.outputSize(), remedy);
        requireEvaluationChunkFits(net, rows);
    }

    /** Network.predict computes a set of this many rows in chunks of at most PREDICT_CHUNK rows. */
    private static void requireEvaluationChunkFits(Network net, int rows) {
        int chunk = Math.min(Network.PREDICT_CHUNK, rows);
        requireLayerRowsFit(net, chunk, "an evaluation chunk (each epoch's evaluation predicts " + Network.PREDICT_CHUNK
                + " rows at a time)", max -> "use layers of at most " + Tensor.MAX_ELEMENTS / chunk + " units");
    }

    /**
     * Refuses a (rows, outputs) tensor of a data set's outputs beyond one Java array, naming the set's size,
     * the network's outputs, the limit and {@code remedy} (given the most rows that fit). Checked on sizes
     * alone, so a test needs no such data set.
     */
    static void requireOutputsFit(String set, int rows, int outputs, java.util.function.IntFunction<String> remedy) {
        long values = (long) rows * outputs;
        if (values > Tensor.MAX_ELEMENTS) {
            throw new IllegalArgumentException("the " + set + " set has " + rows + " rows and the network " + outputs
                    + " outputs: " + values + " output values, which each epoch's evaluation predicts into one array, more"
                    + " than a Java array holds (" + Tensor.MAX_ELEMENTS + "); " + remedy.apply(Tensor.MAX_ELEMENTS / outputs));
        }
    }

    private static void requireLayerRowsFit(Network net, int rows, String what, java.util.function.IntFunction<String> remedy) {
        List<Layer> layers = net.layers();
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            requireLayerRowsFit(l + 1, Math.max(layer.outputSize(), layer.scratchColumns()), rows, what, remedy);
        }
    }

    /**
     * Refuses a layer's (rows, width) buffer beyond one Java array: width is the wider of its outputs (its
     * output and gradient buffers) and its scratch columns; remedy is given the most rows that fit.
     * Checked on sizes alone, for a test.
     */
    static void requireLayerRowsFit(int layer, int width, int rows, String what, java.util.function.IntFunction<String> remedy) {
        long values = (long) rows * width;
        if (values > Tensor.MAX_ELEMENTS) {
            throw new IllegalArgumentException("layer " + layer + " holds " + width + " values per row (outputs or scratch):"
                    + " for " + what + " of " + rows + " rows its buffer is " + values + " floats in one array, more than a Java"
                    + " array holds (" + Tensor.MAX_ELEMENTS + "); " + remedy.apply(Tensor.MAX_ELEMENTS / width));
        }
    }

    /**
     * The stop flag is cleared by the public fit methods when they end, not here when a run starts: a
     * stop requested from another thread just before the fit begins (right after submitting it to an
     * executor) would be lost, and all its epochs trained (cleared at the start, it was lost in 19 of 20
     * tries).
     */
    private TrainingHistory run(Network net, Dataset train, Dataset validation) {
        // the metrics were checked by the fit that called this (before the targets, for the better message);
        // the buffers here, once the validation split is known, before anything of the trainer is changed
        requireBuffersFit(net, train, validation);
        int start = resumePending ? epochsCompleted : 0;
        // a state captured at the end of the epoch at which early stopping ended its run (e.g. by a
        // listener checkpointing every epoch): the uninterrupted run trained no further, nor does this one.
        // Also without a best epoch: a monitored value that was never finite stops the run as well (were
        // one required, a resume from such a checkpoint would train on to the last epoch)
        boolean stoppedBeforeResume = false;
        if (resumePending && earlyStopping != null
                && sinceImprovement >= Math.max(1, earlyStopping.patience())) {
            // its history says how that run ended: by early stopping, unless at its last epoch anyway
            stoppedBeforeResume = epochsCompleted < epochs;
            start = epochs;
        }
        requireScheduleTrains(start, train.size());
        beginStateWrite(); // plain assignments up to its end: nothing throws in between
        if (!resumePending) {
            // a new run counts its epochs from 1: else a state captured at its start (onTrainStart) would
            // record the previous fit's count, and a resume from it would skip that many of this run's epochs
            epochsCompleted = 0;
            bestScore = Double.POSITIVE_INFINITY;
            bestEpoch = 0;
            sinceImprovement = 0;
            best = null;
        }
        boolean resuming = resumePending;
        int completedBefore = epochsCompleted;
        resumePending = false;
        epochInProgress = 0; // a previous fit that threw mid-epoch: this fit's start and end are capture points
        lastEpochWeights = null; // only for state() after this run ends by restoring the best weights
        endStateWrite(); // before onTrainStart, a capture point
        List<Parameter> params = net.parameters();
        // the next batch's features are copied while this one trains (Backend.startGatherRows: on two threads,
        // in the worker's idle gaps)
        Batches batches = train.batches(batchSize, dropLast).gatherWith(net.backend()).gatherAhead();
        int nb = batches.count();
        Tensor trainOut = metrics.length > 0 ? Tensor.zeros(train.size(), net.outputSize()) : null;
        Tensor valOut = validation != null ? Tensor.zeros(validation.size(), net.outputSize()) : null;
        // the output layer's z for the validation cost (Network.costFromPreActivation), as large as valOut,
        // whose size requireBuffersFit checked
        Tensor valZ = valOut != null && net.costFromPreActivation() ? Tensor.zeros(validation.size(), net.outputSize()) : null;
        boolean restoreBest = earlyStopping != null && earlyStopping.restoresBestWeights();
        List<EpochSummary> summaries = new ArrayList<>();
        TrainingHistory.Ending endedBy = stoppedBeforeResume ? TrainingHistory.Ending.EARLY_STOPPING
                : TrainingHistory.Ending.COMPLETED;
        TrainingHistory history;
        // the listeners whose onTrainStart returned: only they hear how the run ended (TrainingListener's
        // contract). One whose onTrainStart threw, and those after it, never saw the run start; told of its
        // failure, a listener that opens a file in onTrainStart would close one it never opened
        int started = 0;
        try {
            for (; started < listeners.length; started++) {
                listeners[started].onTrainStart(this, net, epochs, train.size(), validation == null ? 0 : validation.size());
            }
            for (int epoch = start + 1; epoch <= epochs; epoch++) {
                if (stopRequested) {
                    endedBy = TrainingHistory.Ending.REQUESTED;
                    break; // checked before each epoch: a stop requested in onTrainStart trains none
                }
                if (Thread.currentThread().isInterrupted()) {
                    // ignored, a cancelled fit (Future.cancel(true) on a hyper-parameter search's trial)
                    // would train to its last epoch, keeping its executor thread and a core busy; between
                    // epochs the trainer is at a capture point, so the run can still be resumed
                    throw new java.util.concurrent.CancellationException("fit was interrupted before epoch " + epoch + " of "
                            + epochs + " (the training thread's interrupt status is set: Future.cancel(true), shutdownNow() "
                            + "or Thread.interrupt()); the network holds the weights of epoch " + (epoch - 1) + " and the "
                            + "interrupt status is left set. To train, clear it with Thread.interrupted() and call fit again, "
                            + "or restore a state() captured now to resume");
                }
                long t0 = System.nanoTime();
                for (TrainingListener l : listeners) l.onEpochStart(epoch, epochs, nb, batches.samplesPerPass());
                epochInProgress = epoch;
                if (shuffle) {
                    batches.shuffle(shuffleRng);
                }
                double lossSum = 0;
                long rows = 0;
                int skipped = 0;
                for (int b = 0; b < nb; b++) {
                    Tensor x = batches.features(b), y = batches.targets(b);
                    double loss = net.computeGradients(x, y, batches.weights(b)); // null weights: the unweighted pass
                    int bad = Double.isFinite(loss) ? firstNonFiniteGradient(net.backend(), params) : -2;
                    if (bad != -1) {
                        if (nonFinitePolicy == NonFinitePolicy.FAIL) {
                            throw restoringBest(net, diverged(net, epoch, b + 1, nb, loss, bad));
                        }
                        skipped++;
                    } else {
                        net.applyUpdate(optimizer); // BP4, as one weight write (see Network's thread rules)
                        lossSum += loss * x.rows();
                        rows += x.rows();
                    }
                    for (int i = 0; i < listeners.length; i++) {
                        listeners[i].onBatchEnd(epoch, b + 1, nb, x.rows(), loss, bad != -1);
                    }
                }
                if (skipped == nb) {
                    throw restoringBest(net, TrainingDivergedException.allSkipped(net, epoch, nb));
                }
                // every loss and gradient was checked, not the weights: an update can still overflow (w - lr g
                // with finite lr and g), and after the last batch nothing would notice it
                String overflowed = net.firstNonFiniteParameter();
                if (!overflowed.isEmpty()) {
                    throw restoringBest(net, TrainingDivergedException.overflowed(optimizer, epoch, overflowed));
                }
                double trainLoss = lossSum / rows;
                Map<String, Double> trainMetrics = new LinkedHashMap<>();
                if (trainOut != null) {
                    net.predict(train.features(), trainOut);
                    net.logitsToProbabilities(trainOut); // see Builder.metrics: metrics read probabilities
                    for (Metric m : metrics) trainMetrics.put(m.name(), m.value(trainOut, train.targets()));
                }
                double valLoss = Double.NaN;
                Map<String, Double> valMetrics = new LinkedHashMap<>();
                if (valOut != null) {
                    // weighted when the validation set carries weights (null: the unweighted cost itself), and
                    // computed as the training steps compute theirs (from z[L] for a fused output layer)
                    net.predict(validation.features(), valOut, valZ);
                    valLoss = net.lossOf(valOut, valZ, validation.targets(), validation.sampleWeights());
                    if (metrics.length > 0) {
                        net.logitsToProbabilities(valOut); // after the loss, which reads the logits
                        for (Metric m : metrics) valMetrics.put(m.name(), m.value(valOut, validation.targets()));
                    }
                }
                // early stopping (or, without it, tracking of the best epoch by loss)
                double monitored;
                boolean higher = false;
                if (monitorMetric >= 0) {
                    Metric m = metrics[monitorMetric];
                    monitored = (valOut != null ? valMetrics : trainMetrics).get(m.name());
                    higher = m.higherIsBetter();
                } else {
                    monitored = valOut != null ? valLoss : trainLoss;
                }
                double score = higher ? -monitored : monitored;
                boolean improved;
                // inside the epoch, which state() refuses, and after its weight writes; the trainer's seqlock
                // still covers it, so that no check rests on the network state() was given being this one
                beginStateWrite();
                try {
                    epochsCompleted = epoch;
                    improved = EarlyStopping.improves(earlyStopping, score, bestScore, bestEpoch);
                    if (improved) {
                        bestScore = score;
                        bestEpoch = epoch;
                        sinceImprovement = 0;
                        if (restoreBest) {
                            if (best == null) best = TrainingState.deepCopy(liveWeights(net));
                            else copyInto(best, net);
                        }
                    } else {
                        sinceImprovement++;
                    }
                } finally {
                    endStateWrite();
                }
                epochInProgress = 0;
                double lr = EpochSummary.learningRateOf(optimizer);
                EpochSummary summary = new EpochSummary(epoch, epochs, trainLoss, valLoss, trainMetrics, valMetrics, lr,
                        skipped, (System.nanoTime() - t0) / 1e9, earlyStopping == null || improved, valOut != null);
                summaries.add(summary);
                for (TrainingListener l : listeners) l.onEpochEnd(summary);
                if (earlyStopping != null && earlyStopping.stopsAfter(sinceImprovement, improved, epoch, epochs)) {
                    endedBy = TrainingHistory.Ending.EARLY_STOPPING;
                    break;
                }
            }
            boolean restored = false;
            beginStateWrite();
            try {
                lastEpochWeights = null;
                if (restoreBest && best != null && bestEpoch != epochsCompleted) {
                    // kept for state(): a resumed run continues from the last epoch's weights, not the best
                    lastEpochWeights = TrainingState.deepCopy(liveWeights(net));
                    ParameterSnapshot.restore(best, net);
                    restored = true;
                }
            } finally {
                endStateWrite();
            }
            history = new TrainingHistory(summaries, bestEpoch, endedBy, restored);
        } catch (Throwable e) {
            try {
                batches.finishGathers(); // stopped mid-pass: the backend must not keep the data set
            } catch (Throwable f) {
                e.addSuppressed(f);
            }
            if (resuming && epochsCompleted == completedBefore && epochInProgress == 0) {
                // nothing was trained (a listener's onTrainStart or onEpochStart threw, e.g. a checkpoint
                // directory found missing, or an interrupt before the first epoch): the next fit still
                // resumes, rather than run epochs 1..epochs from the restored weights with early stopping reset.
                resumePending = true;
            }
            TrainingListener.tellFailed(Arrays.asList(listeners).subList(0, started), e);
            throw e;
        }
        TrainingListener.tellEnded(Arrays.asList(listeners), history); // one that throws ends the fit
        return history;
    }

    /** -1 to monitor the loss, else the index of the monitored metric. */
    private static int monitorIndex(EarlyStopping earlyStopping, Metric[] metrics) {
        if (earlyStopping == null || earlyStopping.monitor().equals("loss")) {
            return -1;
        }
        for (int i = 0; i < metrics.length; i++) {
            if (metrics[i].name().equals(earlyStopping.monitor())) return i;
        }
        String monitor = earlyStopping.monitor();
        List<String> known = monitorNames(metrics);
        throw new IllegalArgumentException("early stopping monitors '" + monitor + "', which is not one of the trainer's metrics "
                + known.subList(0, metrics.length) + "; " + monitorAdvice(monitor, known));
    }

    /** The names a trainer with these metrics can monitor: the metrics' names, then "loss". */
    private static List<String> monitorNames(Metric[] metrics) {
        List<String> known = new ArrayList<>();
        for (Metric m : metrics) known.add(m.name());
        known.add("loss");
        return known;
    }

    /**
     * What to pass instead of a monitor name that is none of {@code known}: the names {@link #offeredMonitors}
     * offers, with the reason of the rule that found them. The progress lines and the history print the
     * validation values as val_loss and val_rmse, which a Keras user also writes as the monitor; the monitor
     * is the bare name, read on the validation set when there is one. A name in another case (RMSE) is
     * pointed to its metric too.
     */
    private static String monitorAdvice(String monitor, List<String> known) {
        String bare = monitor.startsWith("val_") ? monitor.substring(4) : null;
        List<String> near = offeredMonitors(monitor, known);
        if (!near.isEmpty() && near.get(0).equals(bare)) {
            return "the monitor is the name without the val_ of the progress lines: monitor(\"" + bare + "\") reads the"
                    + " validation set's value when fit has one (else the training set's)";
        }
        if (!near.isEmpty() && near.get(0).equalsIgnoreCase(bare != null ? bare : monitor)) {
            return "names are case-sensitive" + (bare != null ? " and have no val_ prefix" : "") + ": monitor(\"" + near.get(0)
                    + "\")" + (bare != null ? " reads the validation set's value when fit has one" : "");
        }
        if (!near.isEmpty()) {
            return "did you mean " + String.join(" or ", near.stream().map(n -> "monitor(\"" + n + "\")").toList()) + "?"
                    + (bare != null ? " (the bare name: it reads the validation set's value when fit has one)" : "")
                    + " Else add the metric with metrics(...) or monitor \"loss\"";
        }
        return "add it with metrics(...) or monitor \"loss\"";
    }

    /**
     * The names of {@code known} offered for {@code monitor}: the one its val_ prefix alone keeps it from,
     * else the one its case alone keeps it from (without a val_ prefix), else {@link #nearestNames}.
     */
    private static List<String> offeredMonitors(String monitor, List<String> known) {
        String bare = monitor.startsWith("val_") ? monitor.substring(4) : null;
        for (String n : known) {
            if (n.equals(bare)) return List.of(n);
        }
        for (String n : known) {
            if (n.equalsIgnoreCase(bare != null ? bare : monitor)) return List.of(n);
        }
        return nearestNames(bare != null ? bare : monitor, known);
    }

    /**
     * The names of {@code known} that {@code given} most likely meant, for a "did you mean" (empty when
     * none is near): those it begins, when it has 2 characters or more (Keras' "acc" for accuracy, "f1"
     * for f1_1), else those nearest by edit distance (insertions, deletions, substitutions and swaps of
     * two adjacent characters, ignoring case) within 1 edit for names of up to 4 characters and 2 for
     * longer ones, so that a short unrelated name ("r2" beside "rmse") is not offered. Several at the same
     * distance are all returned, in the order of {@code known}.
     */
    static List<String> nearestNames(String given, List<String> known) {
        String g = given.toLowerCase(java.util.Locale.ROOT);
        List<String> near = new ArrayList<>();
        if (g.length() >= 2) {
            for (String n : known) {
                if (n.toLowerCase(java.util.Locale.ROOT).startsWith(g)) near.add(n);
            }
            if (!near.isEmpty()) return near;
        }
        int best = g.length() <= 4 ? 1 : 2;
        for (String n : known) {
            int d = editDistance(g, n.toLowerCase(java.util.Locale.ROOT));
            if (d < best) {
                near.clear();
                best = d;
            }
            if (d == best) near.add(n);
        }
        return near;
    }

    /** The optimal-string-alignment distance: Levenshtein's edits plus a swap of two adjacent characters. */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** The index of the first parameter with a non-finite gradient, or -1. Allocation-free. */
    private static int firstNonFiniteGradient(Backend backend, List<Parameter> params) {
        for (int i = 0, n = params.size(); i < n; i++) {
            Parameter p = params.get(i);
            if (backend.firstNonFinite(p.size(), p.grad().data(), 0) >= 0) return i;
        }
        return -1;
    }

    /**
     * With early stopping's restoreBestWeights, a run that diverges puts the best epoch's weights back
     * before it throws, as a run that ends does, and says so: otherwise it would leave the weights of the
     * batch before the divergence (or, after an overflowing update, non-finite ones), and the best model of
     * the run would be lost with them. The run stays mid-epoch, so {@link #state} still refuses to capture it.
     */
    private TrainingDivergedException restoringBest(Network net, TrainingDivergedException e) {
        if (earlyStopping == null || !earlyStopping.restoresBestWeights() || best == null) {
            return e;
        }
        ParameterSnapshot.restore(best, net);
        return TrainingDivergedException.withBestRestored(e, bestEpoch);
    }

    private TrainingDivergedException diverged(Network net, int epoch, int batch, int batches, double loss, int bad) {
        String backendName = net.backend().name();
        // a third-party backend that returns NaN would otherwise be blamed on the hyper-parameters
        String hint = backendName.equals("scalar") || backendName.equals("simd") ? null : "; the backend '" + backendName
                + "' is not one of bpnn's: rerun on Backends.get(\"scalar\", 1) to rule it out";
        return TrainingDivergedException.atBatch(net, optimizer, epoch, batch, batches, loss, bad, hint);
    }

    // ---- checkpoints ----------------------------------------------------------------------------

    /**
     * Captures the training state of this trainer and {@code network} (copies; see {@link TrainingState}).
     * After a {@link #fit} that put the best weights back (early stopping's restoreBestWeights), the
     * state holds the last epoch's weights, which the next epoch continues from, while the network
     * still holds the restored best ones (they are in the state as the best weights): a run resumed
     * from it ends with the weights of an uninterrupted run (the best weights with the last epoch's
     * optimiser state would not: the resumed run would diverge from it).
     *
     * <p>Call it between epochs (from a {@link TrainingListener}'s {@code onEpochEnd}) or after training. The copy
     * of the weights and the optimiser's state is checked against {@link Network#weightVersion()}, as
     * {@code Network.predict} is: a state that overlaps a weight write (a fit on another thread) throws
     * {@link IllegalStateException} instead of holding the weights of two steps. So does one that overlaps a
     * write of the trainer's epoch counter and early-stopping state (a fit starting or ending, or a
     * {@link #restore}, on another thread), instead of holding two runs' values.
     *
     * <p>A state records whole epochs: in the middle of one (from {@code onBatchEnd}, from another
     * thread while a fit runs, or after a fit that threw inside an epoch) it throws
     * {@link IllegalStateException}, since it would hold the epoch counter of the last finished epoch
     * with weights and a shuffle generator from the next, and a run resumed from it would end with
     * other weights than the uninterrupted one. {@code onEpochStart},
     * {@code onEpochEnd} and {@code onTrainStart}/{@code onTrainEnd} are such points.
     *
     * <p>{@code network} must be the network this trainer trains: one whose parameters do not match the
     * optimiser's state (another architecture) is refused with {@link IllegalArgumentException}, since
     * no restore would take the state.
     */
    public TrainingState state(Network network) {
        if (network == null) {
            throw new IllegalArgumentException("network is null; pass the network this trainer trains");
        }
        // the weight version read before the epoch marker: an epoch that begins after the marker was read then
        // steps after the version was, and is refused by it. (Read after the marker, the version could be
        // that of the new epoch's step, and the fields read before its early-stopping bookkeeping: the
        // epoch counter of one epoch with the weights of the next.) The checks keep their order
        long version = network.weightVersion();
        int inEpoch = epochInProgress;
        if (inEpoch != 0) {
            throw midEpoch(inEpoch);
        }
        if ((version & 1) != 0) {
            throw weightsChanged();
        }
        long trainerVersion = stateVersion.get();
        if ((trainerVersion & 1) != 0) {
            throw trainerChanged();
        }
        // Every read of the state comes before the checks below: an epoch that began on another thread
        // after a read (shuffling the generator, then stepping) is caught by them.
        TrainingState state;
        try {
            state = read(network);
        } catch (IllegalArgumentException e) {
            // A check sees a torn read before the seqlock does: a fit on another thread that finished an epoch
            // between the reads of epochsCompleted and bestEpoch gives TrainingState's "bestEpoch is 399 with
            // epoch 398", and an optimiser's first step, its sizes half written, "parameterSizes[1] is 0" or
            // this method's "pass the network this trainer trained". Such a read is the seqlock's to refuse,
            // as any other; only a state read whole is refused as it is
            requireUnchanged(network, version, trainerVersion);
            throw e;
        }
        requireUnchanged(network, version, trainerVersion);
        return state;
    }

    /** The reads of {@link #state(Network)}, which its seqlock checks validate: an optimiser's and the network's. */
    private TrainingState read(Network network) {
        OptimizerState optimizerState = optimizer.state(); // stepped inside the weight write: same check
        // a network other than the one this trainer trains: the state would pair its weights with another
        // network's optimiser buffers, which no restore takes ("the state mixes two architectures") and
        // CheckpointFile.save would refuse only while writing, naming neither the cause nor the remedy
        int[] sizes = optimizerState.parameterSizes();
        int[] has = parameterSizes(network);
        if (!fitsSizes(sizes, has)) {
            throw new IllegalArgumentException("this trainer's optimiser state is for " + count(sizes.length, "parameter")
                    + " of sizes " + Arrays.toString(sizes) + ", but the network passed has " + has.length + " of sizes "
                    + Arrays.toString(has) + ", so no state was taken: pass"
                    + " the network this trainer trained (a trainer keeps its optimiser's state for one network: use one"
                    + " trainer per network)");
        }
        // The network's own arrays, which TrainingState's constructor copies: that copy is the read the
        // seqlock checks in state() validate. (A snapshot, then its values(), would be two more copies of the whole
        // model per checkpoint.) The last epoch's and the best weights are the trainer's own arrays, copied by
        // that constructor too: once each. Only after a run that restored its best weights are the
        // network's weights compared with them (in place: a snapshot to compare would be one more copy).
        // Each field read once: a fit's start or a restore on another thread (refused by the seqlock after this
        // read) sets best to null before lastEpochWeights, and a second read of best could be holds(network, null)
        float[][] last = lastEpochWeights, bestWeights = best;
        float[][] weights = last != null && bestWeights != null && holds(network, bestWeights) ? last : liveWeights(network);
        return new TrainingState(epochsCompleted, shuffleRng.state(), dropoutStates(network), optimizerState,
                weights, bestScore, bestEpoch, sinceImprovement, bestWeights, batchSettings);
    }

    /**
     * The seqlock's read side (as Network.predict) for {@link #state(Network)}: the reads before this call
     * happen before the versions are read again. Refuses a read that overlapped a weight write, an epoch
     * that began during it (a step will follow, or has), or a write of the trainer's own fields (a fit's
     * start or end, an epoch's bookkeeping, a restore: {@link #stateVersion}).
     */
    private void requireUnchanged(Network network, long version, long trainerVersion) {
        VarHandle.acquireFence();
        if (network.weightVersion() != version) {
            throw weightsChanged();
        }
        int inEpoch = epochInProgress;
        if (inEpoch != 0) {
            throw midEpoch(inEpoch);
        }
        if (stateVersion.get() != trainerVersion) {
            throw trainerChanged();
        }
    }

    /** Marks the start of a write of the fields {@link #state} reads ({@link #stateVersion} becomes odd). */
    private void beginStateWrite() {
        stateVersion.getAndIncrement(); // a full fence: the field writes cannot move above it
        VarHandle.storeStoreFence();
    }

    /** Marks the end of such a write ({@link #stateVersion} becomes even again). */
    private void endStateWrite() {
        stateVersion.getAndIncrement();
    }

    /** The element count of each of {@code network}'s parameters, in network order (as OptimizerState.parameterSizes). */
    private static int[] parameterSizes(Network network) {
        return network.parameters().stream().mapToInt(Parameter::size).toArray();
    }

    /**
     * Whether an optimiser state's parameter sizes fit a network's: the same, or none at all (before the
     * optimiser's first step there is nothing to mismatch). Trainer.state and restore ask it alike.
     */
    private static boolean fitsSizes(int[] optimizerSizes, int[] networkSizes) {
        return optimizerSizes.length == 0 || Arrays.equals(optimizerSizes, networkSizes);
    }

    /** "1 output", "10 outputs": a count and its noun, singular for one. */
    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** Whether {@code network}'s parameters hold {@code values} (compared as ParameterSnapshot.equals does). */
    private static boolean holds(Network network, float[][] values) {
        List<Parameter> params = network.parameters();
        if (params.size() != values.length) return false;
        for (int i = 0; i < values.length; i++) {
            if (!Arrays.equals(params.get(i).value().data(), values[i])) return false;
        }
        return true;
    }

    /** Copies {@code network}'s parameter values into {@code into}, checked to fit by ParameterSnapshot.requireFits. */
    private static void copyInto(float[][] into, Network network) {
        ParameterSnapshot.requireFits(into, network);
        List<Parameter> params = network.parameters();
        for (int i = 0; i < into.length; i++) {
            System.arraycopy(params.get(i).value().data(), 0, into[i], 0, into[i].length);
        }
    }

    /** The parameters' value arrays themselves, in network order (no copy). */
    private static float[][] liveWeights(Network network) {
        List<Parameter> params = network.parameters();
        float[][] w = new float[params.size()][];
        for (int i = 0; i < w.length; i++) w[i] = params.get(i).value().data();
        return w;
    }

    private static IllegalStateException weightsChanged() {
        return new IllegalStateException("the network's weights changed while the training state was captured (training on another"
                + " thread?), so no state was taken: capture it between epochs (e.g. from a TrainingListener's onEpochEnd) or after training");
    }

    private static IllegalStateException trainerChanged() {
        return new IllegalStateException("the trainer's epoch counter and early-stopping state changed while the training state"
                + " was captured (a fit or a restore running on another thread?), so no state was taken: capture it"
                + " between epochs (e.g. from a TrainingListener's onEpochEnd) or after training");
    }

    private static IllegalStateException midEpoch(int epoch) {
        return new IllegalStateException("the trainer is in the middle of epoch " + epoch + " (a fit running on another thread,"
                + " a call from onBatchEnd, or a fit that threw inside the epoch), so no state was taken: a state from the"
                + " middle of an epoch would not resume to the uninterrupted run; capture it from onEpochEnd (as"
                + " CheckpointFile.everyEpoch does) or after the fit, or resume from the last such checkpoint");
    }

    /**
     * Puts {@code state} back into this trainer and {@code network} (weights, optimiser, generators,
     * early stopping); the next {@link #fit} continues with epoch {@code state.epoch() + 1}. Use the
     * same data, configuration and architecture as the run the state came from.
     *
     * <p><b>Optimiser settings.</b> A state holds the optimiser's kind, step counter and buffers
     * (moments, velocities) and a record of its settings ({@link OptimizerState#settings()}: learning
     * rate, the kind's own such as momentum, betas, epsilon, weight decay, rho, the penalty, the clipping
     * and the schedule). This trainer's optimiser must be of the same kind (an Adam state into an Sgd is
     * refused), and its settings must be the recorded ones: a difference is refused with each differing
     * setting named (checkpoint value, trainer value), since only the same settings resume to the
     * uninterrupted run's weights. To rebuild the recorded optimiser use
     * {@code state.optimizer().settings().toOptimizer()}; to change settings on resume deliberately (a
     * lower rate to fine-tune, a longer schedule), call {@link #restore(Network, TrainingState, RestoreOptions)}
     * with {@link RestoreOptions#allowChangedOptimizerSettings()}, and this trainer's settings apply from
     * the next update. (PyTorch's {@code optimizer.load_state_dict} and Keras restore the saved
     * settings instead; here the code that builds the trainer stays the record of them, and the state
     * checks it.) A state without recorded settings (an older checkpoint file, see
     * {@link OptimizerState#settings()}, or an optimiser that does not describe them:
     * {@link org.bpnn.optim.Optimizer#settings()} null) cannot be compared: it is restored unchecked,
     * and this trainer's settings apply. The step counter t is restored, so a schedule
     * continues at the update where the run stopped, it does not start again, and Adam's bias
     * correction continues too.
     *
     * <p><b>Batch settings.</b> A state records which rows the run trained on and how it cut its epochs
     * into batches ({@link TrainingState#batchSettings()}: the batch size, whether the last partial batch
     * was dropped, whether rows were shuffled, and the validation split: its fraction, whether stratified,
     * and the seed that chose its rows), and this trainer's must be the same ({@link #batchSettings()}):
     * another batch size trains on other batches, with another number of updates per epoch, and the
     * resumed run would not end with the uninterrupted run's weights. Another validation split (fraction,
     * stratified flag, or, with a split, shuffle seed) is taken again by the next fit: it trains on other
     * rows, and rows the run held out for validation before are trained on, so the resumed run's
     * validation metrics and early stopping would judge the network on rows it has seen. A difference is
     * refused, naming the checkpoint's value, the trainer's and the builder call to use (e.g.
     * {@code batchSize(128)}, {@code validationSplit(0.2)}, {@code stratifiedValidationSplit(0.2)},
     * {@code shuffle(7)}), before the optimiser settings are compared (a schedule sized from the batch
     * size differs because of it). The shuffle seed of a run without a split is not compared: the
     * shuffle generator's state is restored from the state. To change them on resume deliberately, call {@link #restore(Network, TrainingState, RestoreOptions)}
     * with {@link RestoreOptions#allowChangedBatchSettings()} (see there for what that does to a
     * learning-rate schedule); this trainer's then apply from the next epoch. A state without
     * recorded batch settings (a checkpoint file written before 2026-12-01, a state built with
     * TrainingState's constructor of the older parameter list) cannot be compared: it is restored
     * unchecked, with this trainer's.
     *
     * <p>A fit that throws
     * before its first epoch trains (in a listener's {@code onTrainStart}, or interrupted) leaves the
     * resume to the fit after it.
     *
     * @throws IllegalArgumentException when network or state is null, the state's weights, optimiser
     *         state or dropout generators do not fit the network, its optimiser is of another kind or
     *         (see above) has other settings, it recorded other batch settings (above), or the state has
     *         completed more epochs than this trainer runs (a fit would train none); nothing is changed then
     */
    public void restore(Network network, TrainingState state) {
        restore(network, state, RestoreOptions.requireSameOptimizerSettings());
    }

    /**
     * {@link #restore(Network, TrainingState)} with {@code options}, e.g.
     * {@code trainer.restore(network, state, RestoreOptions.allowChangedOptimizerSettings())} to continue
     * with this trainer's optimiser settings where they differ from the state's, or
     * {@link RestoreOptions#allowChangedBatchSettings()} with its batch size (dropped last batch, shuffle,
     * validation split).
     */
    public void restore(Network network, TrainingState state, RestoreOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options is null; pass RestoreOptions.requireSameOptimizerSettings() (the"
                    + " default), RestoreOptions.allowChangedOptimizerSettings() or RestoreOptions.allowChangedBatchSettings()");
        }
        if (network == null) {
            throw new IllegalArgumentException("network is null; pass the network to restore into");
        }
        if (state == null) {
            throw new IllegalArgumentException("state is null; capture one with trainer.state(network)");
        }
        if (state.epoch() > epochs) {
            // the next fit would start after its last epoch and return an empty history without a word
            throw new IllegalArgumentException("the state was captured after epoch " + state.epoch() + ", but this trainer runs "
                    + epochs + " epoch" + (epochs == 1 ? "" : "s") + ", so a fit would train none; restore into a trainer built"
                    + " like the run the state came from, with epochs(" + state.epoch() + ") or more");
        }
        long[] rngs = state.dropoutRngStates();
        List<Dropout> dropouts = dropouts(network);
        if (rngs.length != dropouts.size()) {
            throw new IllegalArgumentException("the state has " + rngs.length + " dropout generator states but the network has "
                    + dropouts.size() + " dropout layers; restore into the same architecture");
        }
        // Everything is checked before anything is written: a failed restore leaves the trainer, its
        // optimiser and the network as they were (with the optimiser restored first, a later shape
        // mismatch would leave it holding another architecture's state).
        // read without the accessors' copies (each accessor copies the whole model): the weights are
        // written from the state's arrays, the best weights copied once, into arrays the trainer keeps
        float[][] weights = state.parametersNoCopy();
        requireFits(weights, network, "weights");
        float[][] bestValues = state.bestParametersNoCopy();
        if (bestValues != null) {
            requireFits(bestValues, network, "best weights");
        }
        float[][] bestWeights = bestValues == null ? null : TrainingState.deepCopy(bestValues); // the trainer's own
        // the optimiser's buffers must fit this network too: a state whose weights fit but whose optimiser
        // state came from another architecture would fail only at the first step, blaming the optimiser's reuse
        int[] sizes = state.optimizer().parameterSizes();
        int[] has = parameterSizes(network);
        if (!fitsSizes(sizes, has)) {
            throw new IllegalArgumentException("the state's optimiser state is for " + sizes.length + " parameters of sizes "
                    + Arrays.toString(sizes) + ", but the network has " + has.length + " of sizes " + Arrays.toString(has)
                    + "; the state mixes two architectures: restore a state captured from this one");
        }
        // the batches first: a schedule sized from the batch size (epochs x batches per epoch) differs because of
        // them, and the optimiser's refusal would name the schedule, not the cause
        if (!options.allowsChangedBatchSettings()) {
            requireSameBatchSettings(state);
        }
        if (!options.allowsChangedOptimizerSettings()) {
            requireSameOptimizerSettings(state.optimizer());
        }
        // all of it inside the trainer's seqlock: the fields below are written after the weight write, and a
        // state() on another thread that read them across it would mix the restored state with the one before
        beginStateWrite();
        try {
            optimizer.restore(state.optimizer()); // validates the kind and buffers before anything is written
            ParameterSnapshot.restore(weights, network);
            for (int i = 0; i < rngs.length; i++) dropouts.get(i).setRngState(rngs[i]);
            shuffleRng.setState(state.shuffleRngState());
            epochsCompleted = state.epoch();
            bestScore = state.bestScore();
            bestEpoch = state.bestEpoch();
            sinceImprovement = state.epochsWithoutImprovement();
            best = bestWeights;
            lastEpochWeights = null;
            epochInProgress = 0;
            resumePending = true;
        } finally {
            endStateWrite();
        }
    }

    /**
     * Refuses a state whose recorded batch settings differ from this trainer's; nothing to compare when
     * the state has none (an older checkpoint). The message gives the reason of each kind of difference:
     * other batches (other updates), another validation split (other rows, and validation rows trained on).
     */
    private void requireSameBatchSettings(TrainingState state) {
        BatchSettings recorded = state.batchSettings();
        if (recorded == null) {
            return;
        }
        List<String> diff = recorded.differences(batchSettings);
        if (diff.isEmpty()) {
            return;
        }
        boolean batches = recorded.batchesDiffer(batchSettings), split = recorded.splitDiffers(batchSettings);
        String what = batches && split ? "with other batches and another validation split than this trainer takes"
                : batches ? "with other batches than this trainer makes" : "on another validation split than this trainer takes";
        String why = (batches ? "other batches give other updates (and another number of them per epoch)" : "")
                + (batches && split ? " and " : "") + (split ? "another split trains on other rows" : "")
                + ", so the resumed run would not end with the uninterrupted run's weights"
                + (split ? "; and rows the run held out for validation would be trained on, so its validation loss,"
                        + " metrics and early stopping would judge the network on rows it has seen" : "");
        throw new IllegalArgumentException("the state was trained " + what + " (" + String.join("; ", diff) + "): " + why
                + ". Build the trainer as the run the state came from (state.batchSettings()), with "
                + recorded.builderChanges(batchSettings, seed) + ", or, to change " + (diff.size() == 1 ? "it" : "them")
                + " on purpose, restore with trainer.restore(network, state, RestoreOptions.allowChangedBatchSettings())");
    }

    /**
     * Refuses a state whose recorded settings differ from this trainer's optimiser's. Nothing to compare
     * when either side has none, and another kind is left to the optimiser's restore, whose refusal
     * says so.
     */
    private void requireSameOptimizerSettings(OptimizerState state) {
        OptimizerSettings recorded = state.settings();
        OptimizerSettings mine = optimizer.settings();
        if (recorded == null || mine == null || !recorded.optimizer().equals(mine.optimizer())) {
            return;
        }
        List<String> diff = recorded.differences(mine);
        if (!diff.isEmpty()) {
            throw new IllegalArgumentException("the state's optimiser settings differ from this trainer's (" + optimizer + ") in "
                    + count(diff.size(), "setting") + ": " + String.join("; ", diff) + ". Only the same settings resume to the"
                    + " uninterrupted run: build the trainer's optimiser with the state's (state.optimizer().settings()"
                    + ".toOptimizer() rebuilds it), or, to change them on purpose, restore with"
                    + " trainer.restore(network, state, RestoreOptions.allowChangedOptimizerSettings())");
        }
    }

    /**
     * The snapshot's check, in the words of a restore: its own "snapshot parameter 0 has 32 values, but
     * dense1.W(9, 4) has 36; the architectures differ" names no state and no remedy.
     */
    private static void requireFits(float[][] values, Network network, String what) {
        try {
            ParameterSnapshot.requireFits(values, network);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the state's " + what + " do not fit this network (" + e.getMessage()
                    + "); restore into a network of the architecture the state was captured from (from a checkpoint file,"
                    + " the network CheckpointFile.load returns: c.model().network())", e);
        }
    }

    private static List<Dropout> dropouts(Network network) {
        List<Dropout> out = new ArrayList<>();
        for (Layer l : network.layers()) {
            if (l instanceof Dropout d) out.add(d);
        }
        return out;
    }

    private static long[] dropoutStates(Network network) {
        List<Dropout> d = dropouts(network);
        long[] s = new long[d.size()];
        for (int i = 0; i < s.length; i++) s[i] = d.get(i).rngState();
        return s;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Trainer.builder()")
                .append("\n    .optimizer(").append(optimizer).append(')')
                .append("\n    .epochs(").append(epochs).append(')')
                .append("\n    .batchSize(").append(batchSize).append(')');
        // without shuffling the seed still chooses a validation split's rows (Rng.derive(seed, 1)): printed
        // then, or the configuration pasted back would split with the default seed 42
        if (shuffle || validationSplit > 0) sb.append("\n    .shuffle(").append(seed).append("L)");
        if (!shuffle) sb.append("\n    .noShuffle()");
        if (dropLast) sb.append("\n    .dropLastPartialBatch()");
        if (validationSplit > 0) sb.append("\n    .").append(validationSplitSetting());
        if (metrics.length > 0) {
            sb.append("\n    .metrics(");
            for (int i = 0; i < metrics.length; i++) sb.append(i > 0 ? ", " : "").append(metrics[i]);
            sb.append(')');
        }
        if (earlyStopping != null) sb.append("\n    .earlyStopping(").append(earlyStopping).append(')');
        if (nonFinitePolicy != NonFinitePolicy.FAIL) sb.append("\n    .nonFinitePolicy(NonFinitePolicy.").append(nonFinitePolicy).append(')');
        return sb.append("\n    .build()").toString();
    }

    /** Configures a {@link Trainer}; {@link #build()} checks that an optimiser was given. */
    public static final class Builder {
        private Optimizer optimizer;
        private int epochs = 10;
        private int batchSize = 32;
        private boolean shuffle = true;
        private long seed = 42L;
        private boolean dropLast;
        private double validationSplit;
        private boolean stratified;
        private EarlyStopping earlyStopping;
        private final List<Metric> metrics = new ArrayList<>();
        private final List<TrainingListener> listeners = new ArrayList<>();
        private NonFinitePolicy nonFinitePolicy = NonFinitePolicy.FAIL;

        private Builder() {}

        /** The optimiser (required), e.g. {@code new Adam(1e-3)}. */
        public Builder optimizer(Optimizer optimizer) {
            if (optimizer == null) {
                throw new IllegalArgumentException("optimizer is null; use e.g. new Adam(1e-3) or new Sgd(0.1)");
            }
            this.optimizer = optimizer;
            return this;
        }

        /** The number of passes over the training data, &gt;= 1 (default 10). */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** Rows per mini-batch, &gt;= 1 (default 32; larger than the data set means full batch). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize + "; 32 is a usual start");
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Reshuffle the rows every epoch from this seed (default: on, seed 42). */
        public Builder shuffle(long seed) {
            this.shuffle = true;
            this.seed = seed;
            return this;
        }

        /** Keep the data's row order in every epoch. */
        public Builder noShuffle() {
            this.shuffle = false;
            return this;
        }

        /** Skip the smaller last batch of each epoch (default: it is used). */
        public Builder dropLastPartialBatch() {
            this.dropLast = true;
            return this;
        }

        /**
         * Hold out this fraction (in (0, 1)) of the training rows for validation when
         * {@link Trainer#fit(Network, Dataset)} is called; the rows are chosen by a shuffle derived
         * from the shuffle seed, so the split is the same on every run. Replaces a
         * {@link #stratifiedValidationSplit} set before. A state records the split (fraction,
         * stratified, seed: {@link Trainer#batchSettings()}), and {@link Trainer#restore} refuses a
         * trainer that would take another, whose next fit would train on the run's validation rows.
         */
        public Builder validationSplit(double fraction) {
            if (!(fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException("validation split must be in (0, 1), got " + fraction + "; 0.1 to 0.2 is usual");
            }
            this.validationSplit = fraction;
            this.stratified = false;
            return this;
        }

        /**
         * {@link #validationSplit} for classification data, stratified: the fraction of each class's
         * rows is held out (see {@link Dataset#stratifiedSplit}), so a rare class is in the validation
         * part too (a plain split can leave it out): every class of 2 or more rows is in both parts when
         * each has room for one row of every such class. Same seed as the plain split (with a single class
         * the two are the same rows). The training targets must be one-hot (or one 0/1 column);
         * others are refused when fit starts. Replaces a {@link #validationSplit} set before.
         */
        public Builder stratifiedValidationSplit(double fraction) {
            validationSplit(fraction);
            this.stratified = true;
            return this;
        }

        /**
         * Metrics to report per epoch on the training and validation sets, computed once per epoch (after
         * its last batch) on the outputs of the whole set in inference mode against its targets. A metric
         * gets class probabilities from a classifier: a model trained on logits
         * ({@code Loss.binaryCrossEntropyFromLogits()}, {@code Loss.categoricalCrossEntropyFromLogits()},
         * identity output layer) has its outputs passed through its loss's link first, the sigmoid or the
         * row softmax, as {@link Network#predictProbabilities} does, so a custom metric (a log-loss, a
         * calibration error, a threshold) reads the same values for either form of the loss. Other
         * networks' outputs are passed as {@code predict} gives them. The validation loss is computed
         * before that conversion, as the training steps compute their cost ({@link Network#lossOf}: from the
         * output layer's pre-activation for sigmoid + binary and softmax + categorical cross-entropy).
         * Each call adds to the metrics of earlier calls.
         *
         * @throws IllegalArgumentException when the array or a metric is null, or a metric has the name of one
         *         already added (the summaries and early stopping tell metrics apart by name); a refused call adds
         *         none of its metrics
         */
        public Builder metrics(Metric... metrics) {
            Metric.add(this.metrics, metrics);
            return this;
        }

        /** Early stopping (default none; null for none), e.g. {@code EarlyStopping.patience(5).restoreBestWeights()}. */
        public Builder earlyStopping(EarlyStopping earlyStopping) {
            this.earlyStopping = earlyStopping;
            return this;
        }

        /**
         * Adds a listener (called in the order added). Null and the same listener object twice are
         * refused (see {@link TrainingListener#add}); two separate instances are two listeners.
         */
        public Builder listener(TrainingListener listener) {
            TrainingListener.add(listeners, listener);
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
         * The trainer. Refused: no optimiser, and early stopping that monitors neither "loss" nor the name
         * of one of {@link #metrics}' metrics (the bare name, {@code "accuracy"}, not {@code "val_accuracy"}),
         * with the names it can monitor and the nearest to the one given.
         *
         * @throws IllegalArgumentException for either refusal
         */
        public Trainer build() {
            if (optimizer == null) {
                throw new IllegalArgumentException("no optimizer set; call optimizer(new Adam(1e-3)) or optimizer(new Sgd(0.1))");
            }
            return new Trainer(this);
        }
    }
}
