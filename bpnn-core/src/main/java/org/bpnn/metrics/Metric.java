package org.bpnn.metrics;

import org.bpnn.data.Normaliser;
import org.bpnn.tensor.Tensor;

/**
 * A named measure of outputs against targets (both (n, k)), reported per epoch by the trainer and
 * usable as early stopping's monitor. The built-ins delegate to {@link Metrics}.
 *
 * <p>The trainer passes a classifier's outputs as class probabilities: for a network trained on
 * logits ({@code Loss.binaryCrossEntropyFromLogits()} or {@code Loss.categoricalCrossEntropyFromLogits()})
 * it applies the loss's sigmoid or row softmax first ({@code Network.logitsToProbabilities}), so a
 * custom metric sees what {@code Network.predictProbabilities} returns whichever form of the loss
 * trained the model. A regression network's outputs are passed as they are. The outputs tensor is
 * the trainer's buffer, reused every epoch: a metric must not keep it, nor write to it (the next
 * metric reads it too).
 */
public interface Metric {

    /** A short stable name used in histories and progress lines, e.g. "accuracy". */
    String name();

    /** The value over all rows. */
    double value(Tensor outputs, Tensor targets);

    /** True when larger is better (accuracy), false when smaller is (errors). */
    boolean higherIsBetter();

    /**
     * Fails with an {@link IllegalArgumentException} when this metric cannot be computed on outputs
     * of this width (e.g. top-5 accuracy of 3 classes). The trainer calls it before the first epoch,
     * so that a metric that cannot work is refused before training instead of after an epoch's work.
     * Default: every width is fine.
     */
    default void requireOutputs(int outputs) {}

    /**
     * True when this metric reads classes from the outputs and targets (accuracy, top-k accuracy, the
     * macro averages, one class's precision, recall and F1, AUC and average precision), false for the
     * regression errors. The trainer refuses a class metric on a regression network (a regression loss
     * without a sigmoid or softmax output), whose outputs have no class, and targets without one class
     * per row ({@link Metrics#requireClassTargets}), before the first epoch. Default: false.
     */
    default boolean readsClasses() { return false; }

    /**
     * Fails with an {@link IllegalArgumentException} when this metric cannot be computed on these
     * targets whatever the outputs, e.g. {@link #auc()} on a set with no positive row. The trainer calls
     * it before the first epoch on the training targets and on the validation targets (after a
     * {@code validationSplit}, on each part), and adds which set and metric to the message, so that a
     * validation split without positives is refused before training instead of after an epoch's work.
     * Default: any targets are fine.
     */
    default void requireTargets(Tensor targets) {}

    static Metric accuracy() { return Builtin.ACCURACY; }

    static Metric mse() { return Builtin.MSE; }

    static Metric rmse() { return Builtin.RMSE; }

    static Metric mae() { return Builtin.MAE; }

    static Metric r2() { return Builtin.R2; }

    /**
     * {@code metric} read in the targets' own units, for a regression trained on targets normalised
     * with {@code targetNormaliser}: the outputs and targets the trainer passes (both normalised) are
     * mapped back through its inverse (as {@link Normaliser#inverse} and {@code SavedModel.predict}
     * map them) before {@code metric} reads them. So with
     * {@code yNorm = Normaliser.standardise(train.targets())}, {@code Metric.inTargetUnits(Metric.rmse(), yNorm)}
     * reports the validation RMSE in, say, dollars, where {@code Metric.rmse()} reports it in standard
     * deviations of the training prices; it equals {@code Metrics.rmse} of the saved model's predictions
     * against the raw targets up to the float rounding of normalising and mapping back the targets.
     *
     * <p>It keeps {@code metric}'s name and direction, so the progress lines and the history show
     * {@code val_rmse}, and {@code EarlyStopping.monitor("rmse")} monitors it; a trainer takes only one
     * metric of a name, so pass either this or {@code metric}. MSE, RMSE and MAE change with the units
     * (MSE by the square of each column's scale); R^2 does not ({@code Metric.r2()} needs no wrapper).
     * A value that overflows float when mapped back becomes an infinity (an infinite error, never an
     * improvement for early stopping) rather than an exception. Allocates two copies of the outputs'
     * size per evaluation.
     *
     * @param metric           a regression metric, e.g. {@link #rmse()} or {@link #mae()}
     * @param targetNormaliser the normaliser fitted on the training targets (one column per output)
     * @throws IllegalArgumentException when either is null, or {@code metric} reads classes
     *         ({@link #readsClasses()}); the trainer refuses a normaliser of another width than the
     *         network's outputs before the first epoch ({@link #requireOutputs})
     */
    static Metric inTargetUnits(Metric metric, Normaliser targetNormaliser) {
        return new InTargetUnits(metric, targetNormaliser);
    }

    /**
     * ROC AUC of a binary classifier, named "auc", higher is better ({@link Metrics#auc}: ties by the
     * average-rank rule, scikit-learn's {@code roc_auc_score}). For one sigmoid output with 0/1 targets,
     * or two softmax outputs with one-hot targets (scored by column 1); more outputs are refused before
     * training. Targets that are not hard labels, or that hold one class only (a validation split
     * without positives), are refused before training too ({@link #requireTargets}): AUC is undefined
     * there. Unweighted, as every metric: a validation set's sample weights weigh its loss, not its AUC
     * (scikit-learn's {@code sample_weight} argument has no counterpart here). Allocates n longs per
     * evaluation (it sorts the scores).
     */
    static Metric auc() { return Builtin.AUC; }

    /**
     * Average precision of a binary classifier (the area under its precision-recall curve), named
     * "average_precision", higher is better ({@link Metrics#averagePrecision}: scikit-learn's
     * {@code average_precision_score}, rows of equal score entering at one threshold). On imbalanced data
     * it tells rankings apart that ROC AUC scores alike: a random ranking scores the positives' share,
     * not 0.5. Layouts and refusals as {@link #auc()}: one sigmoid output with 0/1 targets or two softmax
     * outputs with one-hot targets; soft labels, more outputs and a set of one class are refused before
     * training. Unweighted, as every metric. Allocates n longs per evaluation (it sorts the scores).
     */
    static Metric averagePrecision() { return Builtin.AVERAGE_PRECISION; }

    /**
     * Precision of class {@code cls}, named "precision_{cls}" (e.g. "precision_1", what
     * {@code EarlyStopping.monitor} takes), higher is better: of the rows predicted as {@code cls}, the
     * share that are ({@link ConfusionMatrix#precision(int)}). Rows are classified as
     * {@code Network.predictClasses} classifies them: the argmax, or for one sigmoid output class 1 when
     * the probability is &gt;= 0.5 (class 0 is then the other one, so {@code precision(0)} is the negative
     * predictive value). 0 in an epoch in which no row is predicted as {@code cls} (the confusion matrix's
     * convention, scikit-learn's {@code zero_division=0}). A row with a NaN output is nobody's prediction.
     * A class outside the network's classes (0 and 1 for one output, else [0, outputs)) is refused before
     * training ({@link #requireOutputs}); allocates a confusion matrix per evaluation.
     *
     * @throws IllegalArgumentException when cls is negative
     */
    static Metric precision(int cls) { return new ClassMetric(ClassMetric.Kind.PRECISION, cls); }

    /**
     * Recall of class {@code cls}, named "recall_{cls}" (e.g. "recall_1", the share of the positives a
     * binary classifier finds), higher is better: of the rows of class {@code cls}, the share predicted as
     * it ({@link ConfusionMatrix#recall(int)}); a row with a NaN output is a miss. 0 when the set holds no
     * row of {@code cls} (the confusion matrix's convention: then it cannot improve, so do not monitor it
     * on a validation set without that class). Classes, refusals and allocation as {@link #precision(int)}.
     *
     * @throws IllegalArgumentException when cls is negative
     */
    static Metric recall(int cls) { return new ClassMetric(ClassMetric.Kind.RECALL, cls); }

    /**
     * F1 of class {@code cls}, named "f1_{cls}", higher is better: 2 P R / (P + R) of its
     * {@link #precision(int)} and {@link #recall(int)} ({@link ConfusionMatrix#f1(int)}), 0 when both are
     * 0. Classes, refusals and allocation as {@link #precision(int)}.
     *
     * @throws IllegalArgumentException when cls is negative
     */
    static Metric f1(int cls) { return new ClassMetric(ClassMetric.Kind.F1, cls); }

    /** Macro-averaged F1 over all classes ({@link ConfusionMatrix#macroF1()}); allocates a matrix. */
    static Metric macroF1() { return Builtin.MACRO_F1; }

    /** Macro-averaged precision over all classes ({@link ConfusionMatrix#macroPrecision()}); allocates a matrix. */
    static Metric macroPrecision() { return Builtin.MACRO_PRECISION; }

    /** Macro-averaged recall over all classes ({@link ConfusionMatrix#macroRecall()}); allocates a matrix. */
    static Metric macroRecall() { return Builtin.MACRO_RECALL; }

    /**
     * How a trainer's builder adds metrics: refuses null, and a second metric of a name already in
     * {@code metrics} (the epoch summaries key their values by name). For trainers other than
     * {@code Trainer} too (bpnn-spark's uses it), so both refuse in the same words. All or nothing: a
     * refused call adds none of its metrics.
     */
    static void add(java.util.List<Metric> metrics, Metric... added) {
        if (added == null) {
            throw new IllegalArgumentException("metrics is a null array; pass metrics such as Metric.accuracy(), or none");
        }
        java.util.List<Metric> all = new java.util.ArrayList<>(metrics);
        for (Metric m : added) {
            if (m == null) throw new IllegalArgumentException("metric is null; pass metrics such as Metric.accuracy()");
            for (Metric o : all) {
                if (o.name().equals(m.name())) {
                    // name what to change: Metric.rmse() beside inTargetUnits(Metric.rmse(), yNorm), both
                    // "rmse", is the likely case, and "added twice" alone would read as a duplicated line
                    boolean units = o instanceof InTargetUnits || m instanceof InTargetUnits;
                    throw new IllegalArgumentException("metric '" + m.name() + "' was added twice; the epoch summaries and"
                            + " early stopping tell metrics apart by name, so keep one of them"
                            + (units ? " (Metric.inTargetUnits(metric, targetNormaliser) keeps its metric's name: keep it"
                                    + " alone to report the error in the targets' units)" : ""));
                }
            }
            all.add(m);
        }
        metrics.addAll(all.subList(metrics.size(), all.size()));
    }

    /** Top-k accuracy, named "top{k}_accuracy". */
    static Metric topKAccuracy(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("top-k needs k >= 1, got " + k);
        }
        return new Metric() {
            @Override public String name() { return "top" + k + "_accuracy"; }

            @Override public double value(Tensor o, Tensor t) { return Metrics.topKAccuracy(o, t, k); }

            @Override public boolean higherIsBetter() { return true; }

            @Override public void requireOutputs(int outputs) { Metrics.requireTopK(k, outputs); }

            @Override public boolean readsClasses() { return true; }

            @Override public String toString() { return "Metric.topKAccuracy(" + k + ")"; }
        };
    }

    /** A built-in metric: a name, a direction, the computation, and the factory call for toString. */
    record Builtin(String name, boolean higherIsBetter, java.util.function.ToDoubleBiFunction<Tensor, Tensor> f,
                   String factory) implements Metric {
        static final Builtin ACCURACY = new Builtin("accuracy", true, Metrics::accuracy, "Metric.accuracy()");
        static final Builtin MSE = new Builtin("mse", false, Metrics::mse, "Metric.mse()");
        static final Builtin RMSE = new Builtin("rmse", false, Metrics::rmse, "Metric.rmse()");
        static final Builtin MAE = new Builtin("mae", false, Metrics::mae, "Metric.mae()");
        static final Builtin R2 = new Builtin("r2", true, Metrics::r2, "Metric.r2()");
        static final Builtin MACRO_F1 = new Builtin("macro_f1", true, (o, t) -> ConfusionMatrix.of(o, t).macroF1(),
                "Metric.macroF1()");
        static final Builtin MACRO_PRECISION = new Builtin("macro_precision", true,
                (o, t) -> ConfusionMatrix.of(o, t).macroPrecision(), "Metric.macroPrecision()");
        static final Builtin MACRO_RECALL = new Builtin("macro_recall", true, (o, t) -> ConfusionMatrix.of(o, t).macroRecall(),
                "Metric.macroRecall()");
        static final Builtin AUC = new Builtin("auc", true, Metrics::auc, "Metric.auc()");
        static final Builtin AVERAGE_PRECISION = new Builtin("average_precision", true, Metrics::averagePrecision,
                "Metric.averagePrecision()");

        @Override
        public double value(Tensor outputs, Tensor targets) {
            return f.applyAsDouble(outputs, targets);
        }

        /**
         * The macro averages build a {@link ConfusionMatrix}, which holds at most
         * {@link ConfusionMatrix#MAX_CLASSES} classes, and AUC and average precision read one or two
         * outputs: refused here, before training, instead of when the metric is first evaluated, after
         * the first epoch's work.
         */
        @Override
        public void requireOutputs(int outputs) {
            if (this == MACRO_F1 || this == MACRO_PRECISION || this == MACRO_RECALL) {
                ConfusionMatrix.checkMetricClassCount(name, outputs);
            } else if (binary() != null) {
                Metrics.requireBinaryOutputs(binary(), outputs);
            }
        }

        /** AUC and average precision need 0/1 (or one-hot) targets of both classes: refused here, before training. */
        @Override
        public void requireTargets(Tensor targets) {
            if (binary() != null) {
                Metrics.requireBinaryTargets(binary(), targets);
            }
        }

        /** The binary ranking metric this built-in is, whose checks and words it takes; null for the others. */
        private Metrics.Binary binary() {
            return this == AUC ? Metrics.Binary.AUC : this == AVERAGE_PRECISION ? Metrics.Binary.AVERAGE_PRECISION : null;
        }

        @Override
        public boolean readsClasses() {
            // the built-in instances only: a Builtin a caller constructs is a custom metric (default false)
            return this == ACCURACY || this == MACRO_F1 || this == MACRO_PRECISION || this == MACRO_RECALL || this == AUC
                    || this == AVERAGE_PRECISION;
        }

        @Override
        public String toString() {
            return factory;
        }
    }
}
