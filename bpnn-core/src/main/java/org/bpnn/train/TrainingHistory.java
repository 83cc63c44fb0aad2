package org.bpnn.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The per-epoch record of a {@link Trainer#fit}: losses and metrics on the training and validation
 * sets, one entry per epoch run, plus how training ended. Arrays are indexed from 0 for the first
 * epoch of this fit ({@link #firstEpoch()}, which is not 1 after a resume).
 */
public final class TrainingHistory {
    /** Why a run ended without an exception ({@link #endedBy()}). */
    public enum Ending {
        /** It ran to its last planned epoch. */
        COMPLETED,
        /** Early stopping ended it before its last planned epoch ({@link #stoppedEarly()}). */
        EARLY_STOPPING,
        /** {@code requestStop()} (from a listener or another thread) ended it before its last planned epoch. */
        REQUESTED
    }

    private final List<EpochSummary> epochs;
    private final int bestEpoch;
    private final Ending endedBy;
    private final boolean restoredBest;

    TrainingHistory(List<EpochSummary> epochs, int bestEpoch, Ending endedBy, boolean restoredBest) {
        this.epochs = Collections.unmodifiableList(new ArrayList<>(epochs));
        this.bestEpoch = bestEpoch;
        this.endedBy = endedBy;
        this.restoredBest = restoredBest;
    }

    /**
     * A history for trainers other than {@link Trainer} (bpnn-spark's {@code SparkTrainer} uses it), so
     * that their listeners get {@link TrainingListener#onTrainEnd} with the type it takes: the summaries
     * in order, the best epoch (0 if none), how the run ended and whether the best weights were put back.
     *
     * @throws IllegalArgumentException when epochs, one of its summaries, or endedBy is null
     */
    public static TrainingHistory of(List<EpochSummary> epochs, int bestEpoch, Ending endedBy,
                                     boolean restoredBestWeights) {
        if (epochs == null) {
            throw new IllegalArgumentException("epochs is null; pass the run's summaries (an empty list when no epoch ran)");
        }
        for (int i = 0; i < epochs.size(); i++) {
            // a loop, not contains(null): List.of's contains throws NullPointerException for a null argument
            if (epochs.get(i) == null) {
                throw new IllegalArgumentException("epoch summary " + i + " is null; pass one EpochSummary per epoch run,"
                        + " in order");
            }
        }
        if (endedBy == null) {
            throw new IllegalArgumentException("endedBy is null; pass how the run ended: Ending.COMPLETED, EARLY_STOPPING or"
                    + " REQUESTED");
        }
        return new TrainingHistory(epochs, bestEpoch, endedBy, restoredBestWeights);
    }

    /** One summary per epoch run, in order. */
    public List<EpochSummary> epochs() { return epochs; }

    /** The number of epochs run. */
    public int size() { return epochs.size(); }

    /** The 1-based number of the first epoch in this history (0 if empty). */
    public int firstEpoch() { return epochs.isEmpty() ? 0 : epochs.get(0).epoch(); }

    /**
     * The best epoch (1-based) of the run by the monitored quantity: early stopping's when configured,
     * else the lowest validation loss (training loss without validation); 0 if no epoch of the run had a
     * finite monitored value. It is the run's overall best, the epoch whose weights
     * {@link #restoredBestWeights()} puts back, so after {@link Trainer#restore} it can be an epoch
     * trained before the resume, before {@link #firstEpoch()} and not in {@link #epochs()} (in the
     * history of the fit that trained it); {@link #toString()} then says so.
     */
    public int bestEpoch() { return bestEpoch; }

    /**
     * The one number format of the progress lines ({@code decimals} 4) and the history table (6, in
     * 12 columns; {@code width} 0: no padding). Below 10 a value has {@code decimals} decimals
     * ({@code 0.4127}, {@code 2.302585}); above, decimals go as the integer digits grow, so that no
     * value shows more significant digits than one below 10 does ({@code 13789.12} in the table,
     * {@code 418142} in a line, not digits that say nothing, as {@code 418141.8415}). From 1e6 up,
     * and below 10^-(decimals-1) (where the fixed form keeps fewer than two significant digits),
     * scientific notation with up to 4 decimals ({@code 1.750e+11} in a line, {@code 1.2346e+05} in
     * the table), also whenever the fixed form would be wider than the column (a loss of 4e74 would be
     * 75 digits and push the table's columns apart). Zero, NaN and the infinities print as they are.
     * A missing value ({@code null}: a metric one epoch's summary lacks) prints as {@link #MISSING}.
     */
    static String number(Double v, int width, int decimals) {
        String w = width > 0 ? Integer.toString(width) : "";
        if (v == null) {
            return String.format(Locale.ROOT, "%" + w + "s", MISSING); // a metric missing from one epoch's summary
        }
        double a = Math.abs(v);
        if (!Double.isFinite(a) || a == 0) {
            return String.format(Locale.ROOT, "%" + w + "." + decimals + "f", v);
        }
        boolean scientific = a >= 1e6 || a < Math.pow(10, 1 - decimals);
        if (!scientific) {
            // decimals + 1 significant digits, as a value in [1, 10) has; never fewer than the integer digits
            int fixedDecimals = Math.max(0, Math.min(decimals, decimals - (int) Math.floor(Math.log10(a))));
            String fixed = String.format(Locale.ROOT, "%" + w + "." + fixedDecimals + "f", v);
            if (width == 0 || fixed.length() <= width) {
                return fixed;
            }
        }
        return String.format(Locale.ROOT, "%" + w + "." + Math.min(decimals - 1, 4) + "e", v);
    }

    /**
     * A table cell with no value: a metric an epoch's summary lacks, the validation loss of an epoch that
     * evaluated no validation set. "-", as {@link org.bpnn.nn.Network#summary()} marks a cell that does
     * not apply: "null" would read as a failed computation (a failed one is NaN), and a blank would
     * shift the columns of a table split on whitespace.
     */
    static final String MISSING = "-";

    /** Said instead of the best epoch when none was: the monitored value was never finite. */
    static final String NO_BEST_EPOCH = "no best epoch: the monitored value (early stopping's monitor, else the validation"
            + " loss, or the training loss without a validation set) was not finite in any epoch";

    /**
     * Whether early stopping ended training before the planned epochs: {@code endedBy() ==
     * Ending.EARLY_STOPPING}. A stop on request is not early stopping's, and leaves this false.
     */
    public boolean stoppedEarly() { return endedBy == Ending.EARLY_STOPPING; }

    /**
     * How the run ended: {@link Ending#COMPLETED} at its last planned epoch, {@link Ending#EARLY_STOPPING}
     * or {@link Ending#REQUESTED} ({@code requestStop()}) before it. A fit resumed from the state of an
     * epoch at which early stopping ended its run trains no epoch and reports EARLY_STOPPING, as the
     * uninterrupted run did.
     */
    public Ending endedBy() { return endedBy; }

    /** Whether the best epoch's weights were restored at the end. */
    public boolean restoredBestWeights() { return restoredBest; }

    /**
     * The training loss per epoch: the mean cost of the batches the epoch trained on (sample-weighted
     * when the training set carries weights, see {@link Trainer}), as the gradients descend it; skipped
     * batches ({@link NonFinitePolicy#SKIP_BATCH}) are left out. A new array each call.
     */
    public double[] trainLoss() {
        double[] a = new double[epochs.size()];
        for (int i = 0; i < a.length; i++) a[i] = epochs.get(i).trainLoss();
        return a;
    }

    /**
     * The validation loss per epoch; empty when no epoch evaluated a validation set (NaN for an epoch
     * that evaluated none while others did, as its summary records).
     */
    public double[] validationLoss() {
        if (!anyValidation()) return new double[0];
        double[] a = new double[epochs.size()];
        for (int i = 0; i < a.length; i++) a[i] = epochs.get(i).validationLoss();
        return a;
    }

    /**
     * A metric on the training set per epoch, by its bare name ({@code "accuracy"}).
     *
     * @throws IllegalArgumentException when no epoch recorded a metric of that name (the message names
     *         the nearest, and {@link #validationMetric} for a {@code val_} name), or it was recorded on the
     *         validation set only (bpnn-spark's SparkTrainer computes none on the training set)
     */
    public double[] trainMetric(String name) {
        return metric(name, false);
    }

    /**
     * A metric on the validation set per epoch, by its bare name ({@code "accuracy"}, not
     * {@code "val_accuracy"}); empty when no epoch evaluated a validation set, whatever the name.
     *
     * @throws IllegalArgumentException when some epoch evaluated a validation set and no epoch recorded a
     *         metric of that name on it
     */
    public double[] validationMetric(String name) {
        if (!anyValidation()) return new double[0];
        return metric(name, true);
    }

    private double[] metric(String name, boolean validation) {
        double[] a = new double[epochs.size()];
        for (int i = 0; i < a.length; i++) {
            Map<String, Double> m = validation ? epochs.get(i).validationMetrics() : epochs.get(i).trainMetrics();
            Double v = m.get(name);
            if (v == null) {
                throw missing(name, validation, i);
            }
            a[i] = v;
        }
        return a;
    }

    /**
     * Why a metric's values cannot be read: a name never recorded, or one recorded only on the other set
     * (a trainer that computes its metrics on the validation set only, as bpnn-spark's SparkTrainer: its
     * names are in {@link #metricNames()}, and "no metric named 'accuracy'; this history has [accuracy]"
     * would say nothing).
     */
    private IllegalArgumentException missing(String name, boolean validation, int index) {
        List<String> names = metricNames();
        if (!names.contains(name)) {
            return new IllegalArgumentException("no metric named '" + name + "'; this history has " + names
                    + unknownNameAdvice(name, names));
        }
        String set = validation ? "validation" : "training";
        if (!has(name, !validation)) {
            return new IllegalArgumentException("metric '" + name + "' was recorded on the " + (validation ? "training" : "validation")
                    + " set only, not on the " + set + " set; read it with " + (validation ? "trainMetric" : "validationMetric")
                    + "(\"" + name + "\")");
        }
        EpochSummary e = epochs.get(index);
        return new IllegalArgumentException("metric '" + name + "' is missing from the " + set + " metrics of epoch " + e.epoch()
                + " (its summary has " + List.copyOf((validation ? e.validationMetrics() : e.trainMetrics()).keySet())
                + "); the summaries given to TrainingHistory.of should each record the same metrics");
    }

    /**
     * What to read instead of a metric name the history does not have. The table and the progress lines
     * head the validation values val_accuracy and val_loss, which is what a reader copies from them (and
     * what Keras' history keys are), while the history keys its metrics by the bare name: "no metric named
     * 'val_accuracy'; this history has [accuracy]" alone says what is wrong but not that
     * validationMetric("accuracy") is the call. The loss, in the table too, is not a metric. Else the nearest names, as early stopping's
     * monitor is answered ({@link Trainer#nearestNames}). The builder is not named: histories come from
     * {@link Trainer} and, through {@link #of}, from bpnn-spark's SparkTrainer, whose builders differ.
     */
    private static String unknownNameAdvice(String name, List<String> names) {
        String bare = name.startsWith("val_") ? name.substring(4) : null;
        if (bare != null && names.contains(bare)) {
            return "; metrics are recorded by their bare name, and the val_ of the table and the progress lines marks"
                    + " the validation set's values: read validationMetric(\"" + bare + "\")";
        }
        if (name.equals("loss") || "loss".equals(bare)) {
            return "; the loss is not a metric: read " + (bare != null ? "validationLoss()" : "trainLoss() or validationLoss()");
        }
        List<String> near = Trainer.nearestNames(bare != null ? bare : name, names);
        if (!near.isEmpty()) {
            return "; did you mean " + String.join(" or ", near.stream().map(n -> "'" + n + "'").toList()) + "?"
                    + (bare != null ? " (the bare name: validationMetric reads the validation set's values)" : "")
                    + " Else add the metric with the trainer builder's metrics(...)";
        }
        return " (add metrics with the trainer builder's metrics(...))";
    }

    /**
     * Whether some epoch evaluated a validation set. Any epoch, not the first: the summaries given to
     * {@link #of} can differ, and judged by its first epoch, a history whose first epoch had none would
     * hide the later epochs' validation values (no val_ columns, an empty validationLoss()).
     */
    private boolean anyValidation() {
        for (EpochSummary e : epochs) {
            if (e.hasValidation()) return true;
        }
        return false;
    }

    /** Whether some epoch recorded {@code name} on the training set ({@code training}) or the validation set. */
    private boolean has(String name, boolean training) {
        for (EpochSummary e : epochs) {
            if ((training ? e.trainMetrics() : e.validationMetrics()).containsKey(name)) return true;
        }
        return false;
    }

    /**
     * The metric names recorded, on the training set or the validation set, in the trainer's order (the
     * order given to {@code metrics(...)}, as the progress lines print them). A name recorded on the
     * validation set only counts: bpnn-spark's SparkTrainer computes its metrics there only (a training
     * metric would need a pass over the distributed training data).
     */
    public List<String> metricNames() {
        Set<String> names = new LinkedHashSet<>();
        for (EpochSummary e : epochs) {
            names.addAll(e.trainMetrics().keySet());
            names.addAll(e.validationMetrics().keySet());
        }
        return List.copyOf(names);
    }

    /**
     * A table: epoch (the best marked *), loss, val_loss when some epoch evaluated a validation set, then
     * each metric and its val_ column in the order of {@link #metricNames()}, each column only when some
     * epoch recorded its values (a metric computed on the validation set only, as bpnn-spark's
     * SparkTrainer computes them, has its val_ column alone); a cell an epoch has no value for is
     * {@code -} (a value that was computed and is not a number is {@code NaN}); its last line says how
     * the run ended and which epoch was best, or, when no epoch ran, that the fit stopped before its
     * first epoch or trained none.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%6s %12s", "epoch", "loss"));
        boolean val = anyValidation();
        if (val) sb.append(String.format(Locale.ROOT, " %12s", "val_loss"));
        List<String> names = metricNames();
        // per name, whether it has a training column and a val_ column: a column of "-" in every row
        // (a training metric that was never computed) would say nothing
        boolean[] trainCol = new boolean[names.size()], valCol = new boolean[names.size()];
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            trainCol[i] = has(n, true);
            valCol[i] = val && has(n, false);
            if (trainCol[i]) sb.append(String.format(Locale.ROOT, " %12s", n));
            if (valCol[i]) sb.append(String.format(Locale.ROOT, " %12s", "val_" + n));
        }
        sb.append('\n');
        for (EpochSummary e : epochs) {
            sb.append(String.format(Locale.ROOT, "%5d%s ", e.epoch(), e.epoch() == bestEpoch ? "*" : " "))
                    .append(number(e.trainLoss(), 12, 6));
            if (val) sb.append(' ').append(number(e.hasValidation() ? e.validationLoss() : null, 12, 6));
            for (int i = 0; i < names.size(); i++) {
                if (trainCol[i]) sb.append(' ').append(number(e.trainMetrics().get(names.get(i)), 12, 6));
                if (valCol[i]) sb.append(' ').append(number(e.validationMetrics().get(names.get(i)), 12, 6));
            }
            sb.append('\n');
        }
        String ending = endedBy == Ending.EARLY_STOPPING ? "stopped early"
                : endedBy == Ending.REQUESTED ? "stopped on request" : null;
        String best = best();
        if (!best.isEmpty()) {
            return sb.append(ending == null ? "" : ending + "; ").append(best).toString();
        }
        // no epoch ran and no best from before a resume: without this the line would end in a dangling
        // "stopped on request; " (a stop requested in onTrainStart) or be empty (a COMPLETED run that trained none)
        return sb.append(ending == null ? NO_EPOCH : ending + " before this fit's first epoch").toString();
    }

    /** The last line of {@link #toString()} for a run that trained no epoch and has no best epoch. */
    static final String NO_EPOCH = "this fit trained no epoch";

    /**
     * "best epoch 4 (weights restored)", with where it is when not in this history, or why there is
     * none; empty when no epoch ran. The last line of {@link #toString()} and of
     * {@link ConsoleProgressListener}'s end.
     */
    String best() {
        if (bestEpoch > 0) {
            String s = "best epoch " + bestEpoch + (restoredBest ? " (weights restored)" : "");
            if (epochs.isEmpty() || bestEpoch < firstEpoch()) {
                // a resumed run's best can predate this fit: "best epoch 4" alone over rows 5..8 reads as a mistake
                s += epochs.isEmpty() ? ", trained before the resume (" + NO_EPOCH + ")"
                        : ", trained before the resume (this history starts at epoch " + firstEpoch() + ")";
            }
            return s;
        }
        // the trainer takes only a finite monitored value as an improvement; without this line the
        // table would end in "stopped early; " and nothing would say why no epoch was best
        return epochs.isEmpty() ? "" : NO_BEST_EPOCH;
    }
}
