package org.bpnn.metrics;

import java.util.Arrays;
import org.bpnn.nn.OutputClass;
import org.bpnn.tensor.Tensor;

/**
 * Metrics on network outputs and targets, both (n, k) with one sample per row. All are computed in
 * double and return finite values for finite inputs (the conventions for empty or constant cases are
 * stated on each method; {@link #auc}, {@link #averagePrecision} and {@link #precisionRecallCurve}
 * refuse targets of one class, for which they have no value). They allocate nothing, except
 * {@link #auc}, {@link #averagePrecision} and {@link #precisionRecallCurve}, which sort a copy of the
 * scores (n longs), the curve also returning its points, and {@link #targetClasses}, which is not a
 * metric and returns a new array.
 */
public final class Metrics {
    private Metrics() {}

    /**
     * The fraction of rows whose predicted class equals the target class: argmax (first on ties)
     * for k &gt; 1; for k = 1 (sigmoid output) the class is value &gt;= 0.5: the rule of
     * {@link org.bpnn.nn.OutputClass}, which {@code Network.predictClasses} applies too. The outputs are
     * probabilities: for a model trained on logits ({@code Loss.binaryCrossEntropyFromLogits()},
     * {@code Loss.categoricalCrossEntropyFromLogits()}) pass {@code Network.predictProbabilities(x)}
     * (sigmoid(z), softmax(z)), as {@code Trainer} does for its metrics (a logit's threshold is 0, not 0.5). A row with a NaN output (a network whose products overflowed)
     * is a miss, as in {@link #topKAccuracy}. The target classes are read by one rule for all class
     * metrics: one-hot rows, or for k = 1 0/1 labels (soft labels with a single most likely class
     * too); a target row without one class (all zeros, two 1s, a class number, a value outside [0, 1])
     * is an IllegalArgumentException naming it.
     */
    public static double accuracy(Tensor outputs, Tensor targets) {
        checkClassShapes(outputs, targets);
        int n = outputs.rows(), k = outputs.cols();
        float[] o = outputs.data(), t = targets.data();
        long ok = 0;
        for (int i = 0; i < n; i++) {
            int c = targetClass(t, i, k); // checked first: a bad target is refused whatever the output
            if (hasNaN(o, i * k, k)) {
                continue; // a miss: NaN compares false, so its row would read as class 0 and score wherever the target was 0
            }
            if (OutputClass.of(o, i * k, k) == c) ok++; // the class Network.predictClasses gives
        }
        return (double) ok / n;
    }

    /**
     * The class of target row i of t, (n, k) row-major, by the rule every class metric shares
     * ({@link #accuracy}, {@link #topKAccuracy}, {@link ConfusionMatrix#of(Tensor, Tensor)}): targets are
     * class probabilities, each in [0, 1]. With k &gt; 1 columns the class is the column of the row's
     * largest value, which must be the only one: a one-hot row (OneHot.encode) or soft labels with a
     * single most likely class. With one column (a sigmoid output) the value is the probability of
     * class 1: class 1 above 0.5, class 0 below. Anything else is refused, naming the row: unrefused, a
     * class number 2 in one column would read as class 1, an all-zero row (or one with two 1s) as class 0,
     * and a negative or NaN value as whatever argmax made of it, each silently.
     *
     * @throws IllegalArgumentException naming the row, the value and what to change
     */
    static int targetClass(float[] t, int i, int k) {
        int off = i * k;
        for (int j = 0; j < k; j++) {
            float v = t[off + j];
            if (!(v >= 0f && v <= 1f)) { // NaN too
                throw new IllegalArgumentException("target " + (k == 1 ? "" : j + " ") + "of row " + i + " is " + v
                        + "; class metrics read targets as class probabilities in [0, 1]" + (k == 1
                        ? ": one output takes 0/1 labels. For class numbers, one-hot encode them (OneHot.encode) and give the"
                                + " network one output per class; for a regression use Metric.mse(), rmse(), mae() or r2()"
                        : ", one-hot rows (OneHot.encode); for a regression use Metric.mse(), rmse(), mae() or r2()"));
            }
        }
        if (k == 1 && t[off] == 0.5f) {
            throw new IllegalArgumentException("target of row " + i + " is 0.5, which is neither class: one output takes"
                    + " 0/1 labels (or soft labels other than 0.5); give the row its class");
        }
        int best = classOfCheckedTarget(t, i, k);
        for (int j = best + 1; j < k; j++) { // a second largest value: no single class (none for k = 1)
            if (t[off + j] == t[off + best]) {
                throw new IllegalArgumentException("target row " + i + " has no single class: its largest value "
                        + t[off + best] + " is in columns " + best + " and " + j + (t[off + best] == 0f ? " (the row is all zeros)" : "")
                        + "; class metrics need one class per row: one-hot rows (OneHot.encode) with exactly one 1,"
                        + " or soft labels with a single largest value");
            }
        }
        return best;
    }

    /**
     * The class of target row {@code i} of {@code t} (k values a row, row-major) by {@link #targetClasses}'s
     * rule, for a row that rule has already accepted ({@link #requireClassTargets}, {@link #targetClasses}):
     * the argmax, or for one column 1 above 0.5 and 0 below. It checks nothing (a row that was not
     * accepted gets some class silently) and allocates nothing: for a loop that reads the classes of
     * checked rows again on every step (SparkTrainer's class weights), by the one rule instead of a copy.
     */
    public static int classOfCheckedTarget(float[] t, int i, int k) {
        return k == 1 ? (t[i] > 0.5f ? 1 : 0) : OutputClass.argmax(t, i * k, k);
    }

    /**
     * Refuses targets that have no class by {@link #targetClass}'s rule, naming the first such row: for
     * a trainer, to refuse them before training instead of after an epoch's work. targets: (n, k).
     */
    public static void requireClassTargets(Tensor targets) {
        if (targets == null) {
            throw new IllegalArgumentException("targets are null; pass the targets, (n, classes)");
        }
        float[] t = targets.data();
        for (int i = 0, n = targets.rows(), k = targets.cols(); i < n; i++) {
            targetClass(t, i, k);
        }
    }

    /**
     * The class of each target row by {@link #targetClass}'s rule, which every class metric shares (the
     * argmax of a row with a single largest value; for one column, 1 above 0.5 and 0 below): for
     * {@code Dataset.withClassWeights}, so that a row is weighted as the metrics count it.
     * targets: (n, k).
     *
     * @throws IllegalArgumentException when targets is null or a row has no class, naming the row
     */
    public static int[] targetClasses(Tensor targets) {
        if (targets == null) {
            throw new IllegalArgumentException("targets are null; pass the targets, (n, classes)");
        }
        float[] t = targets.data();
        int[] c = new int[targets.rows()];
        for (int i = 0, k = targets.cols(); i < c.length; i++) {
            c[i] = targetClass(t, i, k);
        }
        return c;
    }

    /**
     * The number of classes that {@code columns} target (or output) columns encode, by
     * {@link #targetClasses}'s rule: one per column, or 2 for a single column of 0/1 labels (a sigmoid
     * output's classes 0 and 1). The one place that rule is written, for the class weights, the
     * per-class metrics, stratified splits and model files' class names.
     */
    public static int classCount(int columns) {
        return columns == 1 ? 2 : columns;
    }

    /** Whether o[from .. from+len) holds a NaN: a row of outputs without a class (ConfusionMatrix too). */
    static boolean hasNaN(float[] o, int from, int len) {
        for (int j = from; j < from + len; j++) {
            if (o[j] != o[j]) return true;
        }
        return false;
    }

    /**
     * The fraction of rows whose target class is among the topK classes with the highest outputs, ties
     * broken as {@link #accuracy}'s argmax breaks them, by class index (the lower first): the target's
     * rank is the number of classes with a strictly higher output plus those of a lower index with an
     * equal one, and the row is a hit when rank &lt; topK. So {@code topKAccuracy(o, t, 1)} equals
     * {@code accuracy(o, t)} on every input, the value grows with topK and reaches 1 at topK = classes,
     * and it is the share of rows whose target is among the first topK classes of a stable descending
     * sort (what {@code tf.math.top_k} returns). Ties do not count in the sample's favour (as Keras's
     * {@code in_top_k} counts them): that way a network whose outputs are all equal would score 1.0 at
     * every topK, a top-1 score above the 0.5 accuracy of the same outputs on balanced classes, and
     * early stopping would keep such an epoch as the best.
     *
     * <p>A NaN output never counts in its favour: a NaN target-class output is a miss, and a NaN output
     * of another class ranks above it (a NaN compares false with everything, so NaN outputs, e.g. from a
     * layer that overflowed, scored 1.0). topK in [1, classes]. For k = 1 (a sigmoid output) the only
     * choice is topK = 1, which is {@link #accuracy} (class 1 when the value is &gt;= 0.5): the argmax
     * of a single column is always 0, so ranking it would count every row as a hit. Targets as in
     * {@link #accuracy}: a row without one class is refused.
     */
    public static double topKAccuracy(Tensor outputs, Tensor targets, int topK) {
        checkClassShapes(outputs, targets);
        int n = outputs.rows(), k = outputs.cols();
        requireTopK(topK, k);
        if (k == 1) {
            return accuracy(outputs, targets);
        }
        float[] o = outputs.data(), t = targets.data();
        long ok = 0;
        for (int i = 0; i < n; i++) {
            int c = targetClass(t, i, k);
            float s = o[i * k + c];
            int rank = s != s ? k : 0;
            for (int j = 0; j < k && rank < topK; j++) {
                float v = o[i * k + j];
                if (v > s || (v == s && j < c) || (v != v && j != c)) rank++;
            }
            if (rank < topK) ok++;
        }
        return (double) ok / n;
    }

    /** topK in [1, classes] (only 1 for one output). */
    static void requireTopK(int topK, int classes) {
        if (topK < 1 || topK > classes) {
            throw new IllegalArgumentException("top-k needs k in [1, " + classes + "] for " + classes
                    + (classes == 1 ? " output (a sigmoid model: top-1 is its accuracy)" : " classes") + ", got " + topK
                    + "; use a k up to the number of outputs");
        }
    }

    /**
     * The area under the ROC curve of a binary classifier: the probability that a random positive row
     * scores above a random negative one, a tie counting one half. It is the Mann-Whitney U statistic
     * over positives x negatives, with tied scores given their average rank, which is what
     * scikit-learn's {@code roc_auc_score} computes (and Keras's {@code AUC} approximates with
     * thresholds). 1 for a perfect ranking, 0 for an inverted one, 0.5 when every score is equal.
     * O(n log n): the scores are sorted once (a copy of n longs); the count is exact in longs and
     * divided once in double.
     *
     * <p>Two layouts: outputs (n, 1), the probability of class 1 (a sigmoid output), with 0/1 targets;
     * or outputs (n, 2) (a softmax output) with one-hot targets {@code [1, 0]} or {@code [0, 1]}, scored
     * by column 1, the probability of class 1. More columns are refused.
     * Only the order of the scores matters, so logits give the same value as their sigmoid or softmax
     * (a strictly increasing map), except where float rounding makes distinct logits equal
     * probabilities (sigmoid(z) is 1.0f for every z above about 17), which then tie. The trainer passes
     * probabilities, as to every metric.
     *
     * <p>A row whose score is NaN (a network whose products overflowed) never counts in its favour, as
     * for {@link #accuracy} and {@link #topKAccuracy}: it stays in the count of its class, and every pair
     * it is part of counts 0, as if it ranked below every negative when it is positive and above every
     * positive when it is negative. Scores of +-0 are equal. With two outputs the score is column 1
     * alone, so a row whose column 0 only is NaN keeps its score here (accuracy would count it a miss;
     * a softmax gives NaN in every column or none).
     *
     * @throws IllegalArgumentException for outputs other than (n, 1) or (n, 2), a target other than
     *         0/1 (one column) or {@code [1, 0]}/{@code [0, 1]} (two columns), naming the row and value, and
     *         targets of one class only, for which AUC is undefined (no positive, or no negative, to rank)
     */
    public static double auc(Tensor outputs, Tensor targets) {
        Ranked r = rank(Binary.AUC, outputs, targets);
        long[] keys = r.keys;
        // 2U = sum over groups of tied scores, from the highest down, of neg_g * (2 * positives above + pos_g):
        // each negative loses to the positives above its group and ties (one half) with those in it; the
        // average-rank rule. The same walk as averagePrecision and precisionRecallCurve (tieStart)
        long twiceU = 0, positivesAbove = 0;
        for (int e = r.m; e > 0; ) {
            int g = tieStart(keys, e);
            long pos = positivesIn(keys, g, e), neg = e - g - pos;
            twiceU += neg * (2 * positivesAbove + pos);
            positivesAbove += pos;
            e = g;
        }
        return twiceU / (2.0 * r.positives * r.negatives);
    }

    /**
     * The average precision of a binary classifier, the area under its precision-recall curve as
     * scikit-learn's {@code average_precision_score} computes it: AP = sum_n (R_n - R_{n-1}) P_n over the
     * distinct scores taken as thresholds from the highest down, where P_n and R_n are the precision and
     * recall of calling class 1 every row scoring at least the n-th threshold (R_0 = 0). Rows of equal
     * score enter together, at one threshold (no interpolation, no trapezoid). 1 for a perfect ranking;
     * the share of positive rows when every score is equal; for a random ranking about that share, which
     * is why it is read on imbalanced data where ROC AUC looks good: it weighs the top of the ranking,
     * where a rare class's false positives are. O(n log n): the scores are sorted once (a copy of n
     * longs); tp and fp are counted exactly in longs, the sum in double.
     *
     * <p>Layouts, labels and refusals as {@link #auc}: outputs (n, 1) with 0/1 targets, or (n, 2) with
     * one-hot targets scored by column 1; targets of one class are refused (without positives there is
     * no recall; with only positives every ranking scores 1). Only the order of the scores matters.
     *
     * <p>A row whose score is NaN never counts in its favour, as in {@link #auc}: a NaN positive stays in
     * the count of positives but is never recalled (the recall never reaches 1), and a NaN negative is a
     * false positive at every threshold (as if it scored above every row). Scores of +-0 are equal, one
     * threshold, as in {@link #auc}.
     *
     * @throws IllegalArgumentException as {@link #auc}
     */
    public static double averagePrecision(Tensor outputs, Tensor targets) {
        Ranked r = rank(Binary.AVERAGE_PRECISION, outputs, targets);
        long[] keys = r.keys;
        // from the highest score down; NaN negatives are false positives from the first threshold on
        long tp = 0, fp = r.nanNegatives;
        double sum = 0; // sum over thresholds of pos_g * P_n; divided by the positives once: R_n - R_{n-1} = pos_g / P
        for (int e = r.m; e > 0; ) {
            int g = tieStart(keys, e);
            long pos = positivesIn(keys, g, e);
            tp += pos;
            fp += e - g - pos;
            if (pos > 0) {
                sum += pos * ((double) tp / (tp + fp));
            }
            e = g;
        }
        return sum / r.positives;
    }

    /**
     * The precision-recall curve of a binary classifier, as scikit-learn's {@code precision_recall_curve}:
     * one point per distinct score, from the highest down, each the precision and recall of calling class 1
     * every row scoring at least that score (the point's threshold); rows of equal score enter together.
     * Conventions (order, no final recall-0 point) on {@link PrecisionRecallCurve}, whose pickers
     * ({@code thresholdForRecall}, {@code thresholdForPrecision}, {@code bestF1}) give a threshold for
     * {@code SavedModel.withThreshold} and {@code Network.predictClasses(x, t)}: for a sigmoid output, or
     * two softmax outputs (scored by column 1, as {@code ./bpnn train} saves two classes),
     * {@code classesOf(outputs, t)} calls class 1 exactly the rows of the picked point. For a logits model
     * ({@code Loss.binaryCrossEntropyFromLogits()} or {@code categoricalCrossEntropyFromLogits()} with two
     * outputs) pass {@code net.predictProbabilities(x)}, as the trainer
     * gives its metrics probabilities: the thresholds are then probabilities, what withThreshold takes.
     * {@link #averagePrecision} is sum_n (R_n - R_{n-1}) P_n over these points (R_0 = 0).
     *
     * <p>Layouts, labels, refusals and NaN rows as {@link #averagePrecision} (one sorted copy of the
     * scores, n longs; the result holds a float and two longs per distinct score): outputs (n, 1) with
     * 0/1 targets, or (n, 2) with one-hot targets scored by column 1; targets of one class are refused. A
     * NaN score is in no point's favour: a NaN positive is never recalled, a NaN negative is a false
     * positive at every point, and when every score is NaN the curve has no point. Scores of -0 and +0
     * are one point, of threshold +0.
     *
     * @throws IllegalArgumentException as {@link #auc}
     */
    public static PrecisionRecallCurve precisionRecallCurve(Tensor outputs, Tensor targets) {
        Ranked r = rank(Binary.PRECISION_RECALL_CURVE, outputs, targets);
        long[] keys = r.keys;
        int points = 0;
        for (int e = r.m; e > 0; e = tieStart(keys, e)) {
            points++;
        }
        float[] thresholds = new float[points];
        long[] tps = new long[points], fps = new long[points];
        long tp = 0, fp = r.nanNegatives; // as averagePrecision: from the highest score down
        int p = 0;
        for (int e = r.m; e > 0; p++) {
            int g = tieStart(keys, e);
            long pos = positivesIn(keys, g, e);
            tp += pos;
            fp += e - g - pos;
            thresholds[p] = scoreOf(keys[e - 1]);
            tps[p] = tp;
            fps[p] = fp;
            e = g;
        }
        return new PrecisionRecallCurve(thresholds, tps, fps, r.positives);
    }

    /**
     * The binary ranking metrics and the curve, which share their layouts, label rule and refusals: what
     * their messages call them (a metric by its name, "metric 'auc'"; the curve, which is no metric, by
     * its method) and the words they use.
     */
    enum Binary {
        AUC("metric 'auc'", "ROC AUC", "AUC", "AUC ranks positives against negatives (scikit-learn's roc_auc_score refuses this too)"),
        AVERAGE_PRECISION("metric 'average_precision'", "average precision", "average precision", "average precision measures how"
                + " the positives rank above the negatives (without a positive there is no recall to average, and with"
                + " only positives every ranking scores 1)"),
        PRECISION_RECALL_CURVE("Metrics.precisionRecallCurve", "precision-recall curve", "precision-recall curve", "the curve"
                + " measures how the positives rank above the negatives (without a positive there is no recall, and with"
                + " only positives every threshold has precision 1)");

        final String subject, title, shortTitle, why;

        Binary(String subject, String title, String shortTitle, String why) {
            this.subject = subject;
            this.title = title;
            this.shortTitle = shortTitle;
            this.why = why;
        }
    }

    /**
     * The non-NaN rows as sortable longs, sorted ascending (the score's bits ordered as signed ints, then
     * the 0/1 label), and the class counts, every target checked by {@link #binaryLabel}.
     */
    private record Ranked(long[] keys, int m, long positives, long negatives, long nanNegatives) {}

    /** The float score of a key made by {@link #rank}: the bit transform undone (it is its own inverse). */
    private static float scoreOf(long key) {
        int b = (int) (key >> 32);
        return Float.intBitsToFloat(b ^ ((b >> 31) & 0x7fffffff));
    }

    /**
     * The start g of the run of tied scores that ends (exclusive) at e in keys sorted by {@link #rank}:
     * keys[g, e) share one score. What a tie is, in one place for {@link #auc}, {@link #averagePrecision}
     * and {@link #precisionRecallCurve}, which walk the runs from the highest score down. e &gt; 0.
     */
    private static int tieStart(long[] keys, int e) {
        long score = keys[e - 1] >> 32;
        int g = e - 1;
        while (g > 0 && keys[g - 1] >> 32 == score) {
            g--;
        }
        return g;
    }

    /** The positives among keys[g, e): a key's low bit is its 0/1 label. */
    private static long positivesIn(long[] keys, int g, int e) {
        long pos = 0;
        for (int i = g; i < e; i++) {
            pos += keys[i] & 1;
        }
        return pos;
    }

    private static Ranked rank(Binary metric, Tensor outputs, Tensor targets) {
        checkClassShapes(outputs, targets);
        int n = outputs.rows(), k = outputs.cols();
        requireBinaryOutputs(metric, k);
        float[] o = outputs.data(), t = targets.data();
        long[] keys = new long[n];
        int m = 0;
        long positives = 0, nanNegatives = 0;
        for (int i = 0; i < n; i++) {
            int label = binaryLabel(metric, t, i, k); // every target checked, whatever the output
            positives += label;
            float s = o[i * k + k - 1];
            if (s != s) {
                nanNegatives += 1 - label;
                continue; // counted in its class, in no pair's favour (see auc's Javadoc)
            }
            int b = Float.floatToIntBits(s + 0f); // -0 + 0 is +0: equal scores have equal bits
            b ^= (b >> 31) & 0x7fffffff; // negative floats reversed: the ints order as the floats do
            keys[m++] = (long) b << 32 | label;
        }
        long negatives = n - positives;
        requireBothClasses(metric, positives, negatives);
        Arrays.sort(keys, 0, m);
        return new Ranked(keys, m, positives, negatives, nanNegatives);
    }

    /** The binary ranking metrics read one output (sigmoid) or two (softmax). */
    static void requireBinaryOutputs(Binary metric, int outputs) {
        if (outputs != 1 && outputs != 2) {
            throw new IllegalArgumentException(metric.subject + " is the " + metric.title + " of a binary"
                    + " classifier: it reads one output (a sigmoid, 0/1 targets) or two (a softmax, one-hot targets), but the"
                    + " network has " + outputs + " outputs; for " + outputs + " classes use Metric.macroF1(), macroRecall()"
                    + " or accuracy() (one-vs-rest " + metric.shortTitle + " is not provided)");
        }
    }

    /** The 0/1 label of target row i for the binary ranking metrics ({@link Binary}): hard labels only (a soft label has no rank to count). */
    private static int binaryLabel(Binary metric, float[] t, int i, int k) {
        if (k == 1) {
            float v = t[i];
            if (v == 0f || v == 1f) return (int) v;
            throw new IllegalArgumentException("target of row " + i + " is " + v + "; " + metric.subject + " reads 0/1"
                    + " labels with one output (class 1 for 1, class 0 for 0): threshold or round soft labels, and one-hot"
                    + " encode class numbers (OneHot.encode) for a network with one output per class");
        }
        float a = t[2 * i], b = t[2 * i + 1];
        if (a == 1f && b == 0f) return 0;
        if (a == 0f && b == 1f) return 1;
        throw new IllegalArgumentException("target row " + i + " is [" + a + ", " + b + "]; " + metric.subject + " with"
                + " two outputs reads one-hot rows, [1.0, 0.0] for class 0 or [0.0, 1.0] for class 1 (OneHot.encode(labels, 2)):"
                + " threshold or round soft labels");
    }

    private static void requireBothClasses(Binary metric, long positives, long negatives) {
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException(metric.title + " is undefined: all " + (positives + negatives) + " target rows are"
                    + " class " + (positives == 0 ? "0 (no positive" : "1 (no negative") + " to rank against the others), and "
                    + metric.why + "; evaluate it on rows of both classes, e.g. a larger validation set or one split per class");
        }
    }

    /**
     * Refuses targets on which a binary ranking metric ({@link #auc}, {@link #averagePrecision}) has no
     * value, in its words, before any output exists (for a trainer, before the first epoch): a row that
     * is not a 0/1 label (one column) or a one-hot row (two columns), named, or targets of one class
     * only. targets: (n, 1) or (n, 2).
     */
    static void requireBinaryTargets(Binary metric, Tensor targets) {
        if (targets == null) {
            throw new IllegalArgumentException("targets are null; pass the targets, (n, 1) 0/1 labels or (n, 2) one-hot rows");
        }
        int n = targets.rows(), k = targets.cols();
        requireBinaryOutputs(metric, k);
        float[] t = targets.data();
        long positives = 0;
        for (int i = 0; i < n; i++) {
            positives += binaryLabel(metric, t, i, k);
        }
        requireBothClasses(metric, positives, n - positives);
    }

    /** Mean squared error over all n k elements. */
    public static double mse(Tensor outputs, Tensor targets) {
        check(outputs, targets);
        float[] o = outputs.data(), t = targets.data();
        double s = 0;
        for (int i = 0; i < o.length; i++) {
            double r = (double) o[i] - t[i];
            s += r * r;
        }
        return s / o.length;
    }

    /** sqrt(MSE). */
    public static double rmse(Tensor outputs, Tensor targets) {
        return Math.sqrt(mse(outputs, targets));
    }

    /** Mean absolute error over all n k elements. */
    public static double mae(Tensor outputs, Tensor targets) {
        check(outputs, targets);
        float[] o = outputs.data(), t = targets.data();
        double s = 0;
        for (int i = 0; i < o.length; i++) {
            s += Math.abs((double) o[i] - t[i]);
        }
        return s / o.length;
    }

    /**
     * Coefficient of determination, per output column R^2_j = 1 - SS_res / SS_tot with
     * SS_tot = sum (y - mean(y))^2, averaged over the k columns (scikit-learn's uniform average).
     * A constant target column (SS_tot = 0) scores 1 if predicted exactly, else 0 (no NaN, no
     * infinity). R^2 can be negative: worse than predicting the mean.
     */
    public static double r2(Tensor outputs, Tensor targets) {
        check(outputs, targets);
        int n = outputs.rows(), k = outputs.cols();
        float[] o = outputs.data(), t = targets.data();
        double total = 0;
        for (int j = 0; j < k; j++) {
            double mean = 0;
            for (int i = 0; i < n; i++) mean += t[i * k + j];
            mean /= n;
            double res = 0, tot = 0;
            for (int i = 0; i < n; i++) {
                double y = t[i * k + j], r = y - o[i * k + j], d = y - mean;
                res += r * r;
                tot += d * d;
            }
            total += tot == 0 ? (res == 0 ? 1 : 0) : 1 - res / tot;
        }
        return total / k;
    }

    /**
     * {@link #check} for the class metrics: one target column beside k &gt; 1 outputs is most likely each
     * row's class index (CsvReader's {@code categorical()} without {@code oneHot(true)}), and the bare
     * "expected (n, k)" would not say what to change.
     */
    static void checkClassShapes(Tensor outputs, Tensor targets) {
        if (outputs != null && targets != null && outputs.cols() > 1 && targets.cols() == 1 && targets.rows() == outputs.rows()) {
            int k = outputs.cols();
            throw new IllegalArgumentException("targets has shape " + targets.shape() + ", expected " + outputs.shape()
                    + ": one target column beside " + k + " outputs (class indices?), where class metrics read one-hot"
                    + " targets, one column per output; encode the labels with OneHot.encode(labels, " + k
                    + ") (CsvReader: oneHot(true)), or count class indices with ConfusionMatrix.of(actual, predicted, " + k + ")");
        }
        check(outputs, targets);
    }

    private static void check(Tensor outputs, Tensor targets) {
        if (outputs == null) {
            // with what to pass, not only "outputs are null"
            throw new IllegalArgumentException("outputs are null; pass the network's outputs for the rows (n, k), e.g."
                    + " net.predict(x), and their targets of the same shape");
        }
        Tensor.requireShape("targets", targets, outputs.rows(), outputs.cols());
    }
}
