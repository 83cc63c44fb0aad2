package org.bpnn.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import org.bpnn.data.Dataset;
import org.bpnn.data.Folds;
import org.bpnn.metrics.Metric;
import org.bpnn.nn.Network;
import org.bpnn.tensor.Tensor;

/**
 * k-fold cross-validation: trains a fresh network on each fold's train part, scores it on the fold's
 * validation part, and reports every fold's scores with their mean and standard deviation per metric
 * (scikit-learn's {@code cross_validate}). The folds come from {@link Dataset#kFold} or
 * {@link Dataset#stratifiedKFold}.
 * <pre>{@code
 * CrossValidation.Result cv = CrossValidation.builder()
 *     .folds(data.stratifiedKFold(5, 42))
 *     .network(fold -> Network.builder(4).dense(8, Activation.tanh()).dense(3, Activation.softmax())
 *             .loss(Loss.categoricalCrossEntropy()).seed(42).build())
 *     .trainer(fold -> Trainer.builder().optimizer(new Adam(0.01)).epochs(50).shuffle(7).build())
 *     .preprocess(fold -> {
 *         // fitted on this fold's train part only: the validation rows must not shape the statistics
 *         Normaliser norm = Normaliser.standardise(fold.train());
 *         return new Dataset.Split(norm.apply(fold.train()), norm.apply(fold.validation()));
 *     })
 *     .metrics(Metric.accuracy(), Metric.macroF1())
 *     .run();
 * System.out.println(cv);  // a table: one row per fold, then mean and std
 * double accuracy = cv.mean("accuracy");
 * }</pre>
 *
 * <p><b>Per fold, a new network and a new trainer.</b> A trainer holds state (its optimiser's
 * moments and step count, its shuffle generator, early stopping's bookkeeping) and an optimiser belongs
 * to one network, so both come from factories called once per fold with the fold's index (0-based);
 * a factory that returns an object it returned for an earlier fold (a network, a trainer, or a
 * trainer whose optimiser is an earlier fold's) is refused before that fold trains, as it would start
 * from the earlier fold's weights or state. A trainer built with a {@code validationSplit} (or
 * {@code stratifiedValidationSplit}) is refused too, before its fold trains: the fold's validation part
 * is the validation set.
 *
 * <p><b>Preprocessing without leakage.</b> A normaliser fitted on all rows has seen every fold's
 * validation rows; the {@link Builder#preprocess preprocess} hook is given each fold as it comes and
 * returns the (train, validation) pair to train and score on, so whatever it fits it fits on that
 * fold's train part (the example above). Without a hook the folds are used as they are.
 *
 * <p><b>What is scored.</b> Each metric is computed on the (preprocessed) validation part with the
 * network as {@code fit} leaves it: the last epoch's weights, or, with
 * {@code EarlyStopping...restoreBestWeights()}, the best epoch's by early stopping's monitor (the weights
 * one would keep). So with a trainer that has the same metric and does not restore, a fold's score is
 * the last epoch's {@code val_} value of its history; with restoring, the best epoch's. Outputs are
 * read as the trainer's metrics read them: class probabilities ({@link Network#logitsToProbabilities})
 * for a classifier, values for a regression; metrics are unweighted (see {@link Trainer}). The mean
 * is over the folds, each counting once whatever its size; the standard deviation is the population one
 * (divided by k, as numpy's {@code std()} of scikit-learn's fold scores).
 *
 * <p><b>Memory.</b> The folds of {@link Dataset#kFold} and {@link Dataset#stratifiedKFold} ({@link Folds})
 * copy a fold's rows when it is asked for; the run asks for each once, when it trains it, and lets it
 * go before the next, so it holds one copy of the data beside the data (and what the preprocess hook
 * makes of it), not k. Each fold's trained network stays in the result. (A list of folds a caller
 * copies out beforehand holds them all.)
 *
 * <p><b>Determinism.</b> The same folds (the same data and fold seed), networks (their seeds) and
 * trainers (their shuffle seeds) give the same scores, bit for bit, on the same backend and thread
 * count: the folds run one after another on the calling thread.
 */
public final class CrossValidation {
    private final List<Dataset.Split> folds;
    private final IntFunction<Network> networks;
    private final IntFunction<Trainer> trainers;
    private final UnaryOperator<Dataset.Split> preprocess;
    private final Metric[] metrics;

    private CrossValidation(Builder b) {
        this.folds = b.folds;
        this.networks = b.networks;
        this.trainers = b.trainers;
        this.preprocess = b.preprocess;
        this.metrics = b.metrics.toArray(new Metric[0]);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains and scores every fold in order (see the class comment). Before the first fold trains,
     * each metric's check of the targets ({@link Metric#requireTargets}, e.g. AUC's two classes) is made
     * on every fold's validation part as given, so a fold without positives is refused before any work;
     * each fold's network and preprocessed parts are then checked as {@link Trainer#fit} checks them.
     *
     * @throws IllegalArgumentException naming the fold, when a factory or the hook returns null or an
     *         earlier fold's object, a metric cannot be computed on a fold, or the fit refuses the fold
     */
    public Result run() {
        for (int f = 0; f < folds.size(); f++) requireMetricTargets(f);
        List<Network> seenNetworks = new ArrayList<>();
        List<Trainer> seenTrainers = new ArrayList<>();
        List<FoldResult> results = new ArrayList<>();
        // a fold at a time, in a method of its own: its parts (a copy of the data, from Dataset's folds)
        // are unreachable once it returns, before the next fold is made
        for (int f = 0; f < folds.size(); f++) results.add(runFold(f, seenNetworks, seenTrainers));
        List<String> names = new ArrayList<>();
        for (Metric m : metrics) names.add(m.name());
        return new Result(results, names);
    }

    /**
     * Each metric's check of fold f's validation targets. From {@link Folds#validationTargets} when the
     * folds are Dataset's, which copies those targets only, not the fold.
     */
    private void requireMetricTargets(int f) {
        Tensor validation = folds instanceof Folds made ? made.validationTargets(f) : folds.get(f).validation().targets();
        for (Metric m : metrics) {
            try {
                m.requireTargets(validation);
            } catch (IllegalArgumentException e) {
                try {
                    m.requireTargets(allTargets(folds.get(f)));
                } catch (IllegalArgumentException onAll) {
                    // not the fold's doing (e.g. AUC of three classes): other folds would not help
                    throw new IllegalArgumentException("cross-validation: metric '" + m.name() + "' refuses the data's"
                            + " targets (all rows, not only fold " + f + "'s): " + onAll.getMessage(), onAll);
                }
                throw new IllegalArgumentException(foldName(f) + ", validation part, for metric '" + m.name() + "': "
                        + e.getMessage() + "; stratifiedKFold keeps each class in every fold (a class needs at least k"
                        + " rows), or use fewer folds", e);
            }
        }
    }

    /** Trains and scores fold f (see {@link #run}). */
    private FoldResult runFold(int f, List<Network> seenNetworks, List<Trainer> seenTrainers) {
        Network net = networks.apply(f);
        if (net == null) {
            throw new IllegalArgumentException(foldName(f) + ": the network factory returned null; return a new Network"
                    + " (Network.builder(...)...build()) for each fold");
        }
        requireNew(f, net, seenNetworks, "network", "the factory must build a new Network per fold (call"
                + " Network.builder(...).build() inside it), or this fold would start from an earlier fold's trained weights");
        Trainer trainer = trainers.apply(f);
        if (trainer == null) {
            throw new IllegalArgumentException(foldName(f) + ": the trainer factory returned null; return a new Trainer"
                    + " (Trainer.builder()...build()) for each fold");
        }
        requireNew(f, trainer, seenTrainers, "trainer", "a Trainer keeps its optimiser's state, shuffle generator and"
                + " early-stopping bookkeeping from fit to fit: build a new one (with a new optimiser) inside the factory");
        for (int g = 0; g < seenTrainers.size(); g++) {
            if (seenTrainers.get(g).optimizer() == trainer.optimizer()) {
                throw new IllegalArgumentException(foldName(f) + ": the trainer's optimiser " + trainer.optimizer()
                        + " is the one fold " + g + "'s trainer used; an optimiser keeps per-parameter state for one"
                        + " network: create it inside the trainer factory (Trainer.builder().optimizer(new Adam(...)))");
            }
        }
        if (trainer.validationSplitSetting() != null) {
            // fit(net, train, validation) would refuse it with advice for a single fit ("or call fit(network,
            // train)"), which cannot be followed here: the fold's validation part is the validation set
            throw new IllegalArgumentException(foldName(f) + ": the trainer was built with "
                    + trainer.validationSplitSetting() + ", which would hold out a second validation set from the fold's"
                    + " train part; cross-validation validates each fold on its own validation part: build the trainer"
                    + " without " + trainer.splitBuilderCall()
                    + " (the metrics and early stopping then read the fold's validation part)");
        }
        seenNetworks.add(net);
        seenTrainers.add(trainer);
        Dataset.Split parts = folds.get(f);
        if (preprocess != null) {
            parts = preprocess.apply(parts);
            if (parts == null || parts.train() == null || parts.validation() == null) {
                throw new IllegalArgumentException(foldName(f) + ": the preprocess hook returned " + (parts == null
                        ? "null" : "a Split with a null " + (parts.train() == null ? "train" : "validation") + " part")
                        + "; return the fold's (train, validation) pair, e.g. new Dataset.Split(norm.apply(fold.train()),"
                        + " norm.apply(fold.validation()))");
            }
        }
        try {
            Trainer.requireValidation(net, parts.validation(), List.of(metrics));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(foldName(f) + ": " + e.getMessage(), e);
        }
        TrainingHistory history;
        try {
            history = trainer.fit(net, parts.train(), parts.validation());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(foldName(f) + ": " + e.getMessage(), e);
        }
        Tensor out = net.predict(parts.validation().features());
        net.logitsToProbabilities(out); // as the trainer gives its metrics the outputs
        Map<String, Double> scores = new LinkedHashMap<>();
        for (Metric m : metrics) scores.put(m.name(), m.value(out, parts.validation().targets()));
        return new FoldResult(f, parts.train().size(), parts.validation().size(), scores, history, net);
    }

    /** The targets of the fold's two parts together: every row of the data the folds were made from. */
    private static Tensor allTargets(Dataset.Split fold) {
        Tensor a = fold.train().targets(), b = fold.validation().targets();
        Tensor all = Tensor.zeros(a.rows() + b.rows(), a.cols());
        System.arraycopy(a.data(), 0, all.data(), 0, a.size());
        System.arraycopy(b.data(), 0, all.data(), a.size(), b.size());
        return all;
    }

    private String foldName(int f) {
        return "cross-validation fold " + f + " (of " + folds.size() + ")";
    }

    private <T> void requireNew(int f, T object, List<T> seen, String what, String remedy) {
        for (int g = 0; g < seen.size(); g++) {
            if (seen.get(g) == object) {
                throw new IllegalArgumentException(foldName(f) + ": the " + what + " factory returned the same " + what
                        + " object as for fold " + g + "; " + remedy);
            }
        }
    }

    /**
     * One fold's outcome.
     *
     * @param fold           the fold's index, 0-based, as in the list of folds
     * @param trainRows      the rows trained on (after preprocessing)
     * @param validationRows the rows scored
     * @param scores         metric name to value on the validation part, in the metrics' order
     * @param history        the fold's training history
     * @param network        the fold's trained network (as scored)
     */
    public record FoldResult(int fold, int trainRows, int validationRows, Map<String, Double> scores,
                             TrainingHistory history, Network network) {
        public FoldResult {
            scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
        }
    }

    /** Every fold's scores, and their mean and standard deviation per metric; {@link #toString()} is a table. */
    public static final class Result {
        private final List<FoldResult> folds;
        private final List<String> metricNames;

        Result(List<FoldResult> folds, List<String> metricNames) {
            this.folds = List.copyOf(folds);
            this.metricNames = List.copyOf(metricNames);
        }

        /** One result per fold, in fold order. */
        public List<FoldResult> folds() { return folds; }

        /** The metrics' names, in the order given. */
        public List<String> metricNames() { return metricNames; }

        /** The metric's value on each fold's validation part, in fold order. */
        public double[] scores(String metric) {
            if (!metricNames.contains(metric)) {
                throw new IllegalArgumentException("no metric named '" + metric + "'; this cross-validation scored "
                        + metricNames + " (add metrics with CrossValidation.builder().metrics(...))");
            }
            double[] s = new double[folds.size()];
            for (int i = 0; i < s.length; i++) s[i] = folds.get(i).scores().get(metric);
            return s;
        }

        /** The mean of the metric over the folds, each fold counting once. */
        public double mean(String metric) {
            double[] s = scores(metric);
            double sum = 0;
            for (double v : s) sum += v;
            return sum / s.length;
        }

        /** The population standard deviation of the metric over the folds: sqrt(sum (s_i - mean)^2 / k). */
        public double standardDeviation(String metric) {
            double[] s = scores(metric);
            double mean = mean(metric), m2 = 0;
            for (double v : s) m2 += (v - mean) * (v - mean);
            return Math.sqrt(m2 / s.length);
        }

        /**
         * A table: one line per fold (its index, train/validation rows, epochs trained, a score per
         * metric), then the mean and the standard deviation of each metric.
         */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%5s %15s %7s", "fold", "train/val", "epochs"));
            for (String n : metricNames) sb.append(String.format(Locale.ROOT, " %12s", n));
            sb.append('\n');
            for (FoldResult r : folds) {
                sb.append(String.format(Locale.ROOT, "%5d %15s %7d", r.fold(), r.trainRows() + "/" + r.validationRows(),
                        r.history().size()));
                for (String n : metricNames) sb.append(' ').append(TrainingHistory.number(r.scores().get(n), 12, 6));
                sb.append('\n');
            }
            sb.append(String.format(Locale.ROOT, "%29s", "mean"));
            for (String n : metricNames) sb.append(' ').append(TrainingHistory.number(mean(n), 12, 6));
            sb.append('\n').append(String.format(Locale.ROOT, "%29s", "std"));
            for (String n : metricNames) sb.append(' ').append(TrainingHistory.number(standardDeviation(n), 12, 6));
            return sb.toString();
        }
    }

    /** Configures a {@link CrossValidation}; {@link #run()} (or {@link #build()}) checks that folds, factories and metrics were given. */
    public static final class Builder {
        private List<Dataset.Split> folds;
        private IntFunction<Network> networks;
        private IntFunction<Trainer> trainers;
        private UnaryOperator<Dataset.Split> preprocess;
        private final List<Metric> metrics = new ArrayList<>();

        private Builder() {}

        /**
         * The folds (required), e.g. {@code data.kFold(5, 42)} or {@code data.stratifiedKFold(5, 42)}; at least 2.
         * Those ({@link Folds}) are kept as given and made one at a time as the run reaches them; another list
         * is copied (its folds as they are now).
         */
        public Builder folds(List<Dataset.Split> folds) {
            if (folds == null || folds.size() < 2) {
                throw new IllegalArgumentException("cross-validation needs at least 2 folds, got " + (folds == null ? "null"
                        : folds.size()) + "; pass data.kFold(k, seed) or data.stratifiedKFold(k, seed) with k >= 2");
            }
            if (folds instanceof Folds) {
                // kept as it is: its parts are never null, and reading them here (or copying the list) would
                // make every fold at once, the k copies of the data that making them one at a time avoids
                this.folds = folds;
                return this;
            }
            for (int f = 0; f < folds.size(); f++) {
                Dataset.Split s = folds.get(f);
                if (s == null || s.train() == null || s.validation() == null) {
                    throw new IllegalArgumentException("fold " + f + " is " + (s == null ? "null" : "missing its "
                            + (s.train() == null ? "train" : "validation") + " part") + "; pass the folds of data.kFold(k, seed)"
                            + " or data.stratifiedKFold(k, seed)");
                }
            }
            this.folds = List.copyOf(folds);
            return this;
        }

        /**
         * A new network for each fold (required), given the fold's index: e.g.
         * {@code fold -> Network.builder(4)...seed(42).build()} (the same seed for every fold, so the folds
         * differ by their data only).
         */
        public Builder network(IntFunction<Network> factory) {
            if (factory == null) {
                throw new IllegalArgumentException("network factory is null; pass fold -> Network.builder(...)...build()");
            }
            this.networks = factory;
            return this;
        }

        /**
         * A new trainer, with a new optimiser, for each fold (required), given the fold's index: e.g.
         * {@code fold -> Trainer.builder().optimizer(new Adam(1e-3)).epochs(20).build()}. Without a
         * validationSplit: each fold's validation part is its validation set.
         */
        public Builder trainer(IntFunction<Trainer> factory) {
            if (factory == null) {
                throw new IllegalArgumentException("trainer factory is null; pass fold -> Trainer.builder().optimizer(new"
                        + " Adam(1e-3))...build()");
            }
            this.trainers = factory;
            return this;
        }

        /**
         * Maps each fold before training (default: none; null for none), e.g. to normalise it with a
         * normaliser fitted on the fold's train part only (see the class comment). Given the fold's
         * (train, validation) pair, it returns the pair to train and score on.
         */
        public Builder preprocess(UnaryOperator<Dataset.Split> hook) {
            this.preprocess = hook;
            return this;
        }

        /** The metrics to score each fold with (at least one; names unique), e.g. {@code Metric.accuracy()}. */
        public Builder metrics(Metric... metrics) {
            if (metrics == null) {
                throw new IllegalArgumentException("metrics is null; pass metrics such as Metric.accuracy()");
            }
            Metric.add(this.metrics, metrics);
            return this;
        }

        /** Checks the configuration. */
        public CrossValidation build() {
            if (folds == null) {
                throw new IllegalArgumentException("no folds; call folds(data.kFold(k, seed)) or folds(data.stratifiedKFold(k,"
                        + " seed))");
            }
            if (networks == null) {
                throw new IllegalArgumentException("no network factory; call network(fold -> Network.builder(...)...build())");
            }
            if (trainers == null) {
                throw new IllegalArgumentException("no trainer factory; call trainer(fold -> Trainer.builder().optimizer(new"
                        + " Adam(1e-3))...build())");
            }
            if (metrics.isEmpty()) {
                throw new IllegalArgumentException("no metrics to report; call metrics(...), e.g. metrics(Metric.accuracy())"
                        + " for a classifier or metrics(Metric.rmse()) for a regression");
            }
            return new CrossValidation(this);
        }

        /** {@code build().run()}. */
        public Result run() {
            return build().run();
        }
    }
}
