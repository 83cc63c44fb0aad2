package org.bpnn.data;

import java.util.Arrays;
import org.bpnn.nn.Rng;
import org.bpnn.tensor.Tensor;

/**
 * An in-memory supervised data set: row i of {@link #features()} (n, featureCount) is a sample and
 * row i of {@link #targets()} (n, targetCount) its target (e.g. a one-hot row from {@link OneHot}).
 *
 * <p>The constructor checks that both have the same number of rows and that every value is finite,
 * and names the first bad cell. The tensors are not copied: do not modify them while training.
 *
 * <p>A data set may carry a weight per row ({@link #withSampleWeights}, {@link #withClassWeights},
 * {@link #withBalancedClassWeights}) for imbalanced classes or samples of unequal importance.
 */
public final class Dataset {
    private final Tensor features;
    private final Tensor targets;
    /** One weight per row, (n, 1), or null: an unweighted set (every row weight 1, trained on the unweighted path). */
    private final Tensor weights;

    /** features: (n, f); targets: (n, k); same n; all values finite. */
    public Dataset(Tensor features, Tensor targets) {
        this(features, targets, null);
    }

    /**
     * The checks of {@link #Dataset(Tensor, Tensor)}, then weights (n, 1) or null; the weights were
     * checked by {@link #withSampleWeights}, only their sum is checked again for a subset's rows.
     */
    Dataset(Tensor features, Tensor targets, Tensor weights) {
        if (features == null || targets == null) {
            throw new IllegalArgumentException("dataset needs features and targets, got "
                    + (features == null ? "null features" : "features " + features.shape()) + " and "
                    + (targets == null ? "null targets" : "targets " + targets.shape()));
        }
        if (features.rows() != targets.rows()) {
            throw new IllegalArgumentException("features have " + features.rows() + " rows but targets have "
                    + targets.rows() + "; each sample needs exactly one target row");
        }
        Tensor.requireFinite("features", features);
        Tensor.requireFinite("targets", targets);
        this.features = features;
        this.targets = targets;
        if (weights != null && allZero(weights.data())) {
            // a subset or split whose rows all have weight 0: a set that trains nothing and whose
            // weighted loss is 0 whatever the network does, e.g. a validation part of only such rows
            throw new IllegalArgumentException("the " + weights.rows() + " rows of this dataset all have sample weight 0, so it"
                    + " would train nothing and its weighted loss would be 0 whatever the network does; pick rows of which"
                    + " some have a weight above 0 (a split: another fraction or seed), or drop the weights (withoutSampleWeights())");
        }
        this.weights = weights;
    }

    private static boolean allZero(float[] w) {
        for (float v : w) {
            if (v != 0f) return false;
        }
        return true;
    }

    /** Copies {@code x[n][f]} and {@code y[n][k]}. */
    public static Dataset of(float[][] x, float[][] y) {
        return new Dataset(rows("x (features)", x), rows("y (targets)", y));
    }

    /**
     * Tensor.of, its refusal prefixed with the array it was about: "expected at least one row, got
     * null" or "row 1 has 1 values, expected 2 like row 0" alone names neither x nor y.
     */
    private static Tensor rows(String what, float[][] a) {
        try {
            return Tensor.of(a);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    /** Features with targets one-hot encoded from class labels in [0, classes). */
    public static Dataset ofLabels(Tensor features, int[] labels, int classes) {
        return new Dataset(features, OneHot.encode(labels, classes));
    }

    public Tensor features() { return features; }

    public Tensor targets() { return targets; }

    /**
     * The per-row sample weights, (n, 1), or null when the set is unweighted (every row counts once).
     * Not a copy: do not modify it while training (a trainer checks it again before it starts).
     */
    public Tensor sampleWeights() { return weights; }

    /** Whether the rows carry sample weights ({@link #withSampleWeights}). */
    public boolean isWeighted() { return weights != null; }

    /**
     * This data set with a weight per row (copied), in place of any it carried (not multiplied into them, as
     * {@link #withClassWeights} multiplies: give class weights after sample weights, {@code
     * withSampleWeights(w).withClassWeights(c)}, for both): a trainer then minimises the weighted cost
     * sum_i w_i L_i / m of each batch of m rows ({@link org.bpnn.loss.Loss#value(Tensor, Tensor, Tensor)}):
     * a row of weight 2 counts as two copies of it would in the batch's sum, one of weight 0 not at all.
     * The mean divides by the batch's rows, not by the sum of its weights (as Keras' {@code sample_weight}),
     * so the weights' scale acts like the learning rate's: weights with mean 1 over the set (as
     * {@link #withBalancedClassWeights()} gives) keep the step sizes of unweighted training.
     *
     * <p>Kept by {@link #subset}, {@link #shuffled}, {@link #split}, {@link #stratifiedSplit}, {@link #kFold},
     * {@link #stratifiedKFold} and
     * {@code Normaliser.apply} (a subset or split part whose rows all have weight 0 is refused); ignored by
     * the normalisers' fits (statistics over rows) and by metrics (see {@code Trainer}). The tensors
     * stay shared with this set, as in the constructor.
     *
     * @throws IllegalArgumentException when weights is null, its length is not the row count, a weight is
     *         negative, NaN or infinite, or every weight is 0
     */
    public Dataset withSampleWeights(float... weights) {
        if (weights == null) {
            throw new IllegalArgumentException("weights are null; pass one sample weight per row (" + size()
                    + "), or use the dataset as it is for unweighted training");
        }
        if (weights.length != size()) {
            throw new IllegalArgumentException("got " + weights.length + " sample weights for " + size() + " rows; pass one per"
                    + " row, in the rows' order");
        }
        Tensor w = Tensor.wrap(size(), 1, weights.clone());
        org.bpnn.loss.Loss.requireWeights(w, size());
        if (allZero(weights)) {
            throw new IllegalArgumentException("all " + weights.length + " sample weights are 0, so training would change nothing"
                    + " and the weighted loss would be 0; give the rows that should count a weight above 0 (1 is unweighted)");
        }
        return new Dataset(features, targets, w);
    }

    /** This data set without sample weights (the same tensors): e.g. a validation part whose loss should be unweighted. */
    public Dataset withoutSampleWeights() {
        return weights == null ? this : new Dataset(features, targets, null);
    }

    /**
     * This data set with each row's weight multiplied by its class's weight (Keras' {@code class_weight}):
     * row i gets w_i * classWeights[c_i], w_i its sample weight (1 when the set has none) and c_i its
     * class by the class metrics' rule ({@link org.bpnn.metrics.Metrics#targetClasses}): the argmax of a
     * one-hot (or soft-label) row, or for one target column (0/1 labels of a sigmoid output) 1 above 0.5
     * and 0 below. E.g. for fraud at 1:100, {@code withClassWeights(1, 100)} makes each fraud row count as
     * much as a hundred normal ones.
     *
     * @param classWeights one weight per class (the target columns, or 2 for one column), finite and &gt;= 0
     * @throws IllegalArgumentException when classWeights is null, of the wrong length or holds a bad value,
     *         a target row has no class, or every resulting weight is 0
     */
    public Dataset withClassWeights(float... classWeights) {
        int classes = classCount();
        if (classWeights == null || classWeights.length != classes) {
            throw new IllegalArgumentException("got " + (classWeights == null ? "null" : classWeights.length + "")
                    + " class weights, expected " + classes + ": one per class" + (targetCount() == 1
                    ? " (one target column holds 0/1 labels: classes 0 and 1)" : " (one per target column)"));
        }
        requireClassWeightValues(classWeights);
        int[] c = weightClasses("withClassWeights");
        float[] w = new float[size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (weights == null ? 1f : weights.data()[i]) * classWeights[c[i]];
            if (w[i] == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("row " + i + "'s sample weight " + weights.data()[i] + " times its class "
                        + c[i] + "'s weight " + classWeights[c[i]] + " overflows float; scale the weights down");
            }
        }
        if (allZero(w)) {
            throw new IllegalArgumentException("with class weights " + java.util.Arrays.toString(classWeights) + " every row of"
                    + " this dataset has weight 0 (its classes all have weight 0" + (weights == null ? "" : ", or their rows"
                    + " sample weight 0") + "); give the classes present a weight above 0");
        }
        return new Dataset(features, targets, Tensor.wrap(size(), 1, w));
    }

    /**
     * Fails unless every class weight is finite and &gt;= 0, naming the first bad one: {@link #withClassWeights}'s
     * check of the values, shared with trainers that take class weights themselves (bpnn-spark's SparkTrainer).
     */
    public static void requireClassWeightValues(float[] classWeights) {
        for (int c = 0; c < classWeights.length; c++) {
            if (!(classWeights[c] >= 0f && classWeights[c] != Float.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("the weight of class " + c + " is " + classWeights[c] + "; class weights must"
                        + " be finite and >= 0");
            }
        }
    }

    /**
     * The class of each row for {@code method} ({@link #withClassWeights}, {@link #balancedClassWeights}), by
     * the class metrics' rule. A target outside [0, 1] (a regression's value, a class number in one column)
     * is refused here in the words of weighting: the metrics' refusal ends "for a regression use
     * Metric.mse(), rmse(), mae() or r2()", which is no answer for a regression that wants weighted rows
     * (withSampleWeights). Other rows without a class (all zeros, a tie, 0.5 in one column) are refused in
     * the metrics' words, which apply.
     */
    private int[] weightClasses(String method) {
        float[] t = targets.data();
        int k = targetCount();
        for (int i = 0; i < t.length; i++) {
            if (!(t[i] >= 0f && t[i] <= 1f)) {
                throw new IllegalArgumentException(method + " weighs each row by its class, but target " + (k == 1 ? "" : i % k + " ")
                        + "of row " + i / k + " is " + t[i] + ": class targets are " + (k == 1
                        ? "0/1 labels in one column (class numbers 0, 1, 2, ... in one column: one-hot encode them with"
                        + " OneHot.encode, or CsvReader's oneHot(true))" : "one-hot rows (OneHot.encode), values in [0, 1]")
                        + ". For regression targets give each row its weight with withSampleWeights(...)");
            }
        }
        return org.bpnn.metrics.Metrics.targetClasses(targets);
    }

    /** The number of classes the targets encode: one per column, or 2 for one column of 0/1 labels. */
    private int classCount() {
        return org.bpnn.metrics.Metrics.classCount(targetCount());
    }

    /**
     * scikit-learn's "balanced" class weights for these rows: n / (classes * count_c) for class c with
     * count_c rows (classes by {@link #withClassWeights}'s rule). Their mean over the rows is 1, so the
     * weighted cost keeps the scale of the unweighted one. A class without rows is refused: its weight
     * would be n / 0 (scikit-learn counts only the classes present; here the classes are the network's
     * outputs, and a class the data never shows should not be weighted silently).
     *
     * @throws IllegalArgumentException when a target row has no class or a class has no rows
     */
    public float[] balancedClassWeights() {
        int classes = classCount();
        int[] count = new int[classes];
        for (int c : weightClasses("balancedClassWeights")) count[c]++;
        float[] w = new float[classes];
        for (int c = 0; c < classes; c++) {
            if (count[c] == 0) {
                throw new IllegalArgumentException("class " + c + " has no rows among the " + size() + ", so its balanced weight"
                        + " n / (classes * count) is undefined; pass weights of your own to withClassWeights(...)");
            }
            w[c] = (float) ((double) size() / ((double) classes * count[c]));
        }
        return w;
    }

    /** {@code withClassWeights(balancedClassWeights())}: each class's rows weigh as much in total. */
    public Dataset withBalancedClassWeights() {
        return withClassWeights(balancedClassWeights());
    }

    /** n, the number of samples. */
    public int size() { return features.rows(); }

    public int featureCount() { return features.cols(); }

    public int targetCount() { return targets.cols(); }

    /** A new dataset of the given rows, copied in that order (rows may repeat). */
    public Dataset subset(int[] rows) {
        if (rows == null) {
            throw new IllegalArgumentException("rows is null; pass the row indices to keep, each in [0, " + size() + ")");
        }
        return subset(rows, 0, rows.length);
    }

    /** A new dataset of rows[from..to), copied. */
    public Dataset subset(int[] rows, int from, int to) {
        if (rows == null) {
            throw new IllegalArgumentException("rows is null; pass the row indices to keep, each in [0, " + size() + ")");
        }
        if (from < 0 || to > rows.length || from >= to) {
            throw new IllegalArgumentException("subset range [" + from + ", " + to + ") is empty or outside the "
                    + rows.length + " indices given");
        }
        int f = featureCount(), k = targetCount(), n = to - from;
        Tensor x = Tensor.zeros(n, f), y = Tensor.zeros(n, k), w = weights == null ? null : Tensor.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            int r = rows[from + i];
            if (r < 0 || r >= size()) {
                throw new IllegalArgumentException("row index " + r + " at position " + (from + i)
                        + " is outside [0, " + size() + "): the dataset has " + size() + " rows; pass indices of existing rows");
            }
            System.arraycopy(features.data(), r * f, x.data(), i * f, f);
            System.arraycopy(targets.data(), r * k, y.data(), i * k, k);
            if (w != null) w.data()[i] = weights.data()[r];
        }
        return new Dataset(x, y, w);
    }

    /** A copy with the rows in a random order drawn from {@code seed}. */
    public Dataset shuffled(long seed) {
        return subset(permutation(size(), new Rng(seed)));
    }

    /** 0..n-1 shuffled by {@code rng}. */
    static int[] permutation(int n, Rng rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        rng.shuffle(p, n);
        return p;
    }

    /**
     * Two disjoint parts: round(n * firstFraction) rows and the rest, in the rows' order for
     * {@link #split(double)}, in a seeded shuffled order for {@link #split(double, long)} and
     * {@link #stratifiedSplit(double, long)}; or one fold of {@link #kFold} and {@link #stratifiedKFold}.
     */
    public record Split(Dataset first, Dataset second) {
        /** Alias of {@link #first()} for a train/validation split. */
        public Dataset train() { return first; }

        /** Alias of {@link #second()} for a train/validation split. */
        public Dataset validation() { return second; }
    }

    /**
     * Splits in order: the first round(n * firstFraction) rows, then the rest. Both parts must be
     * non-empty. Use {@link #split(double, long)} when the rows are sorted (e.g. by class), and
     * {@link #stratifiedSplit(double, long)} to keep each class's share in both parts.
     */
    public Split split(double firstFraction) {
        int[] order = new int[size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        return split(firstFraction, order);
    }

    /**
     * Splits after shuffling the rows with {@code seed}. A sample-weighted set's parts keep their rows'
     * weights; a part whose rows all have weight 0 is refused (it would train nothing, and its weighted
     * loss would be 0), for {@link #split(double)} too.
     */
    public Split split(double firstFraction, long seed) {
        return split(firstFraction, permutation(size(), new Rng(seed)));
    }

    /**
     * A seeded split that keeps each class's share in both parts, for classification targets: the
     * stratified form of {@link #split(double, long)} (scikit-learn's
     * {@code train_test_split(..., stratify=y)}). A plain random split of imbalanced data can leave a
     * rare class out of the smaller part altogether (e.g. all 3 rows of a 97/3 set in the training
     * part of an 80/20 split), and then the validation figures say nothing about it.
     *
     * <p>The first part has {@link #firstPartSize firstPartSize(n, firstFraction)} rows, as with
     * {@code split}: n * firstFraction rounded to the nearest, a half up (9 rows at 0.5 give 5). They
     * are apportioned among the classes by largest remainders: a class of n<sub>c</sub> rows gets
     * floor(n<sub>c</sub> cut / n) of them, and the rows still missing go one each to the classes with
     * the largest remainder n<sub>c</sub> cut mod n, the lower class index first on equal remainders
     * (two classes of 3 and 5 rows at 0.5: shares 1.5 and 2.5, so 2 rows of each; of 3 and 3: 2 of
     * class 0 and 1 of class 1). The quotas are computed in exact integers, so they always add up to
     * cut, and each is within one row of the class's exact share n<sub>c</sub> cut / n. A class of 2 or
     * more rows that this leaves in one part only (its share below one row, or within one row of all of
     * them: the 2 positives of a 98/2 set split at 0.8 have a share of 1.6) then gets one row in the
     * other part, in exchange with the class furthest past its own share the other way that can spare
     * it, the lower class index on ties (which moves one more row from its share per such exchange;
     * the classes to move are taken in class order): every class of 2 or more rows has rows in both
     * parts, so that a class metric such as AUC can be computed on each, whenever each part has at
     * least one row per such class (with more such classes than a part's rows the quotas stay as
     * computed). A class of one row is in one part only. Which rows of a class go first is drawn from
     * {@code seed}: the rows are put in the order {@code split(firstFraction, seed)} would use, and each
     * row goes to the first part while its class's quota is not yet filled. Both parts keep that
     * shuffled order, so the classes are interleaved, not grouped; with a single class the result
     * equals {@code split(firstFraction, seed)}. The same data and seed give the same parts.
     *
     * <p>Targets must be one-hot: with k &gt; 1 columns each row one 1 and k - 1 zeros (class = the
     * column of the 1); with one column (a binary, sigmoid-output model) each value 0 or 1. Soft labels,
     * multi-label rows and regression targets have no single class to stratify by and are refused,
     * naming the first such row: use {@code split(firstFraction, seed)} for them.
     *
     * @throws IllegalArgumentException when the fraction is not in (0, 1) or leaves a part empty (as
     *         {@code split} refuses), when a target row is not one-hot, or (as {@code split}) when every
     *         row of a part has sample weight 0
     */
    public Split stratifiedSplit(double firstFraction, long seed) {
        int cut = cut(firstFraction);
        int[] classes = oneHotClasses();
        int k = classCount(), n = size();
        long[] count = new long[k];
        for (int c : classes) count[c]++;
        // largest remainders: floor quotas, then one more row for each of the (cut - sum) largest remainders
        int[] quota = new int[k];
        long[] remainder = new long[k];
        int given = 0;
        for (int c = 0; c < k; c++) {
            quota[c] = (int) (count[c] * cut / n); // count * cut < 2^62: no overflow
            remainder[c] = count[c] * cut % n;
            given += quota[c];
        }
        // the remainders sum to (cut - given) * n, each below n: fewer than k rows are left, one each for
        // as many classes, and a class with a positive remainder has a row to spare (quota < count * cut / n < count)
        Integer[] byRemainder = new Integer[k];
        for (int c = 0; c < k; c++) byRemainder[c] = c;
        Arrays.sort(byRemainder, (a, b) -> remainder[a] != remainder[b] ? Long.compare(remainder[b], remainder[a]) : a - b);
        for (int i = 0; i < cut - given; i++) quota[byRemainder[i]]++;
        keepClassesInBothParts(quota, count, cut, n);
        int[] order = permutation(n, new Rng(seed));
        int[] first = new int[cut], second = new int[n - cut];
        int f = 0, s = 0;
        for (int r : order) {
            int c = classes[r];
            if (quota[c] > 0) {
                quota[c]--;
                first[f++] = r;
            } else {
                second[s++] = r;
            }
        }
        requireWeightedPart(first, 0, cut, true, firstFraction);
        requireWeightedPart(second, 0, n - cut, false, firstFraction);
        return new Split(subset(first), subset(second));
    }

    /**
     * Moves rows between the quotas so that every class of 2 or more rows has at least one in each part,
     * when both parts have a row for each such class: largest remainders alone give a class of 2 rows
     * whose share is 1.6 both (a 98/2 set at 0.8: no positive left to validate on, so AUC is undefined
     * there), and one whose share is 0.2 none. A class clamped into [1, count - 1] takes its row from
     * (or gives it to) the class whose quota is furthest above (below) its exact share and can spare
     * (take) one without leaving a part itself: the quotas still add up to cut, and only the classes
     * moved (c and its partners) leave the floor/ceil of their share, by a row per exchange. Otherwise (more such classes than a
     * part's rows) the quotas stay as they are.
     */
    private static void keepClassesInBothParts(int[] quota, long[] count, int cut, int n) {
        int k = quota.length, several = 0;
        for (int c = 0; c < k; c++) several += count[c] >= 2 ? 1 : 0;
        if (several > cut || several > n - cut) return;
        for (int c = 0; c < k; c++) {
            if (count[c] < 2) continue;
            int to = quota[c] == 0 ? 1 : quota[c] == count[c] ? (int) count[c] - 1 : quota[c];
            int move = to - quota[c]; // +1: class c takes a row from another; -1: gives one
            if (move == 0) continue;
            quota[c] = to;
            // the other class furthest from its share in the direction that compensates, in exact
            // longs: (quota * n - count * cut) is n times the quota's excess over the share
            int best = -1;
            long bestExcess = 0;
            for (int d = 0; d < k; d++) {
                if (d == c) continue;
                long lo = count[d] >= 2 ? 1 : 0, hi = count[d] >= 2 ? count[d] - 1 : count[d];
                if (move > 0 ? quota[d] <= lo : quota[d] >= hi) continue;
                long excess = ((long) quota[d] * n - count[d] * cut) * move; // larger: compensates better
                if (best < 0 || excess > bestExcess) { // strictly: of equal partners the lower class (the Javadoc's rule)
                    best = d;
                    bestExcess = excess;
                }
            }
            quota[best] -= move; // exists: the bounds' sums admit cut (several <= cut <= n - several)
        }
    }

    /**
     * The class of each row for {@link #stratifiedSplit}: the column of its 1 in a one-hot row, or the
     * 0/1 value of a single column. Anything else is refused naming the first such row.
     */
    private int[] oneHotClasses() {
        return oneHotClasses("stratifiedSplit", "split(firstFraction, seed)");
    }

    /** {@link #oneHotClasses()} for {@code method}, whose messages point to {@code plain} for targets without classes. */
    private int[] oneHotClasses(String method, String plain) {
        int n = size(), k = targetCount();
        float[] t = targets.data();
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            int off = i * k, one = -1;
            for (int j = 0; j < k; j++) {
                float v = t[off + j];
                if (v == 1f && k > 1 && one >= 0) {
                    throw notOneHot(i, "has a 1 in columns " + one + " and " + j + " (a multi-label row)", method, plain);
                } else if (v == 1f) {
                    one = j;
                } else if (v != 0f) {
                    throw notOneHot(i, (k == 1 ? "is " + v : "has " + v + " in column " + j) + ", neither 0 nor 1", method, plain);
                }
            }
            if (k == 1) {
                classes[i] = one == 0 ? 1 : 0;
            } else if (one < 0) {
                throw notOneHot(i, "is all zeros", method, plain);
            } else {
                classes[i] = one;
            }
        }
        return classes;
    }

    private IllegalArgumentException notOneHot(int row, String what, String method, String plain) {
        int k = targetCount();
        return new IllegalArgumentException("target row " + row + " " + what + "; " + method + " needs one class per row: "
                // a column of class numbers 0..k-1 (CsvReader's categorical() without oneHot) is told to one-hot encode it:
                // plain (e.g. split) is only for targets that have no classes
                + (k == 1 ? "0 or 1 in the single target column (for class numbers 0, 1, 2, ... in one column, one-hot encode"
                + " them: OneHot.encode, or CsvReader's oneHot(true))" : "one-hot rows (OneHot.encode), a 1 in the class's"
                + " column and 0 in the others") + ". For regression, multi-label or soft-label targets use " + plain);
    }

    /**
     * k-fold cross-validation parts: k {@link Split}s whose {@link Split#validation() validation} parts
     * partition the rows (every row in exactly one of them) and whose {@link Split#train() train} part
     * is every other row (scikit-learn's {@code KFold(k, shuffle=True)}). The rows are put in the order
     * {@code split(fraction, seed)} would use and dealt to the folds in turn (row j of that order to
     * fold j mod k), so the validation parts have n / k rows each, the first n mod k of them one more,
     * and sizes differ by at most one. Both parts of a fold keep the shuffled order. The same data and
     * seed give the same folds. Sample weights are kept as {@link #subset} keeps them; a part whose rows
     * all have weight 0 is refused (as a split's is), naming the fold. The folds are made one at a time:
     * the list ({@link Folds}) copies fold f's two parts when {@code get(f)} is called, so a caller that
     * holds one fold at a time holds one copy of the data beside it, not k.
     *
     * <p>For class targets, {@link #stratifiedKFold} also keeps each class's share in every fold. To
     * fit a normaliser without leaking the validation rows into it, fit it on each fold's train part
     * ({@link org.bpnn.train.CrossValidation} does this per fold with its preprocessing hook).
     *
     * @param k    the number of folds, 2 &lt;= k &lt;= n (k = n is leave-one-out)
     * @param seed the shuffle's seed
     * @return the k folds, in fold order (unmodifiable; each {@code get} copies its fold's rows)
     * @throws IllegalArgumentException when k &lt; 2 or k &gt; n, or a part holds only rows of sample weight 0
     */
    public java.util.List<Split> kFold(int k, long seed) {
        requireFoldCount("kFold", k);
        int n = size();
        int[] order = permutation(n, new Rng(seed));
        int[] foldOf = new int[n];
        for (int j = 0; j < n; j++) foldOf[order[j]] = j % k;
        return folds("kFold", k, seed, order, foldOf);
    }

    /**
     * {@link #kFold} that keeps each class's share in every fold, for classification targets
     * (scikit-learn's {@code StratifiedKFold(k, shuffle=True)}): the rows in the order
     * {@code split(fraction, seed)} would use are grouped by class (each class's rows in that order) and
     * dealt to the folds in turn, so every fold's validation part holds n<sub>c</sub> / k rows of a class
     * of n<sub>c</sub> rows, rounded down or up (some folds one more), and the parts' sizes are those of
     * {@code kFold(k, seed)}: they differ by at most one. Both parts keep the shuffled order, so the
     * classes are interleaved; with a single class the folds equal {@code kFold(k, seed)}'s. Targets
     * must be one-hot, or one column of 0/1, as {@link #stratifiedSplit} requires (same refusals).
     *
     * <p>A class with rows but fewer than k of them is refused: k - n<sub>c</sub> validation parts
     * would hold none of it, so a class metric of it (its recall, AUC) would be undefined there, which is
     * what stratifying should prevent (scikit-learn only warns). Use k &lt;= the smallest class's rows,
     * or {@code kFold(k, seed)} to accept such folds. A class without rows (an output the data never
     * shows) is ignored.
     *
     * @throws IllegalArgumentException as {@link #kFold}, when a target row is not one-hot, or a class has
     *         fewer than k rows
     */
    public java.util.List<Split> stratifiedKFold(int k, long seed) {
        requireFoldCount("stratifiedKFold", k);
        int[] classes = oneHotClasses("stratifiedKFold", "kFold(k, seed)");
        int n = size(), kc = classCount();
        int[] count = new int[kc];
        for (int c : classes) count[c]++;
        for (int c = 0; c < kc; c++) {
            if (count[c] > 0 && count[c] < k) {
                int smallest = Integer.MAX_VALUE;
                for (int d : count) if (d > 0) smallest = Math.min(smallest, d);
                throw new IllegalArgumentException("stratifiedKFold(" + k + ", seed): class " + c + " has " + count[c]
                        + (count[c] == 1 ? " row" : " rows") + ", fewer than the " + k + " folds, so " + (k - count[c])
                        + " of the validation parts would hold none of it (its recall or AUC undefined there); use k <= "
                        + smallest + " (the smallest class's rows), add rows of class " + c + ", or use kFold(" + k
                        + ", seed) to accept folds without it");
            }
        }
        int[] order = permutation(n, new Rng(seed));
        // a counting sort of the shuffled order by class (stable), then the deal: position j to fold j mod k.
        // A class's rows are n_c consecutive positions, so each fold gets floor or ceil of n_c / k of them
        int[] start = new int[kc + 1];
        for (int c = 0; c < kc; c++) start[c + 1] = start[c] + count[c];
        int[] foldOf = new int[n];
        for (int r : order) foldOf[r] = start[classes[r]]++ % k;
        return folds("stratifiedKFold", k, seed, order, foldOf);
    }

    private void requireFoldCount(String method, int k) {
        if (k < 2) {
            throw new IllegalArgumentException(method + " needs k >= 2 folds, got " + k + ": each fold trains on the rows the"
                    + " others validate on; 5 or 10 is usual (for a single train/validation split use "
                    + (method.startsWith("stratified") ? "stratifiedSplit" : "split") + "(fraction, seed))");
        }
        if (k > size()) {
            throw new IllegalArgumentException(method + "(" + k + ", seed) of " + size() + " rows: every fold validates on at"
                    + " least one row, so k can be at most the " + size() + " rows (k = " + size() + " is leave-one-out);"
                    + " use a smaller k or more rows");
        }
    }

    /**
     * The k folds of rows in {@code order}, row r validating in fold foldOf[r]; each part in that order.
     * Checked now, every fold before any is copied (a part of weight-0 rows only is refused here),
     * copied one fold at a time by {@link Folds#get}.
     */
    private Folds folds(String method, int k, long seed, int[] order, int[] foldOf) {
        int n = order.length;
        int[] size = new int[k];
        for (int f : foldOf) size[f]++;
        if (weights != null) {
            // rows of weight above 0 per fold: a part without any would train (validate) nothing
            int[] weighted = new int[k];
            int total = 0;
            float[] w = weights.data();
            for (int r = 0; r < n; r++) {
                if (w[r] != 0f) {
                    weighted[foldOf[r]]++;
                    total++;
                }
            }
            for (int f = 0; f < k; f++) {
                if (total - weighted[f] == 0) refuseWeightlessFoldPart(n - size[f], "train", f, method, k, seed);
                if (weighted[f] == 0) refuseWeightlessFoldPart(size[f], "validation", f, method, k, seed);
            }
        }
        return new Folds(this, method, seed, order, foldOf, size);
    }

    /** {@link #requireWeightedPart}'s refusal for a fold's part of {@code rows} rows, all of weight 0, naming the fold. */
    private void refuseWeightlessFoldPart(int rows, String part, int fold, String method, int k, long seed) {
        throw new IllegalArgumentException("the " + part + " part of fold " + fold + " of " + method + "(" + k + ", " + seed
                + ") holds " + weightlessRows(rows) + ", so it would " + (part.equals("train") ? "train nothing" : "validate nothing")
                + " and its weighted loss would be 0 whatever the network does; use another seed or k, or give more rows a"
                + " weight above 0");
    }

    /**
     * The rows the first part of a split of {@code rows} at {@code firstFraction} gets: for a caller
     * that sizes work by the split before making it. {@code Math.round} of the double product
     * {@code rows * firstFraction}: to the nearest, a half up (9 rows at 0.5 give 5, 2 rows at 0.25
     * give 1). The product is the double one, so a fraction that binary cannot hold exactly may put
     * it just below a half, which rounds down (45 rows at 0.7: 31.499999999999996, so 31).
     */
    public static int firstPartSize(int rows, double firstFraction) {
        return (int) Math.round(rows * firstFraction);
    }

    private Split split(double fraction, int[] order) {
        int cut = cut(fraction);
        requireWeightedPart(order, 0, cut, true, fraction);
        requireWeightedPart(order, cut, order.length, false, fraction);
        return new Split(subset(order, 0, cut), subset(order, cut, order.length));
    }

    /**
     * Refuses a part of a split whose rows all have sample weight 0, naming the part and the split: the
     * constructor's refusal of such a set says only "this dataset", and advises dropping the weights,
     * which for a split part would mean training the other part unweighted.
     */
    private void requireWeightedPart(int[] rows, int from, int to, boolean first, double fraction) {
        if (!allWeightZero(rows, from, to)) return;
        throw new IllegalArgumentException("the " + (first ? "first (train)" : "second (validation)") + " part of this split"
                + " at firstFraction " + fraction + " holds " + weightlessRows(to - from) + ", so it would "
                + (first ? "train nothing" : "validate nothing") + " and its weighted loss would be 0"
                + " whatever the network does; split at another fraction or seed, or give more rows a weight above 0");
    }

    /**
     * "20 rows that all have sample weight 0 (98 of the 100 rows have weight 0)", for a part of {@code rows}
     * rows, singular for one ("1 row, of sample weight 0", "1 of the 2 rows has"); the callers add the
     * part's own verb (a validation part would "validate nothing", never "train nothing").
     */
    private String weightlessRows(int rows) {
        long zero = zeroWeightRows();
        return (rows == 1 ? "1 row, of sample weight 0 (" : rows + " rows that all have sample weight 0 (") + zero + " of the "
                + size() + " rows " + (zero == 1 ? "has" : "have") + " weight 0)";
    }

    /** Whether this set is weighted and rows[from .. to) all have sample weight 0 (a part that would train nothing). */
    private boolean allWeightZero(int[] rows, int from, int to) {
        if (weights == null) return false;
        float[] w = weights.data();
        for (int i = from; i < to; i++) {
            if (w[rows[i]] != 0f) return false;
        }
        return true;
    }

    /** The number of rows of sample weight 0, for the refusals of a part without weight. */
    private int zeroWeightRows() {
        int zeros = 0;
        for (float v : weights.data()) zeros += v == 0f ? 1 : 0;
        return zeros;
    }

    /** The first part's size at {@code fraction}, refusing a fraction outside (0, 1) or one that leaves a part empty. */
    private int cut(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("split fraction must be in (0, 1), got " + fraction
                    + "; e.g. 0.8 keeps 80% for training");
        }
        int cut = firstPartSize(size(), fraction);
        if (cut == 0 || cut == size()) {
            throw new IllegalArgumentException("splitting " + size() + " rows at " + fraction + " leaves "
                    + (cut == 0 ? "the first" : "the second") + " part empty; use more data or another fraction");
        }
        return cut;
    }

    /**
     * Mini-batches of {@code batchSize} rows copied into preallocated tensors (see {@link Batches}).
     * A batch size larger than the data set gives one batch of all rows.
     */
    public Batches batches(int batchSize, boolean dropLast) {
        return new Batches(this, batchSize, dropLast);
    }

    @Override
    public String toString() {
        return "Dataset(" + size() + " rows, " + featureCount() + " features -> " + targetCount() + " targets"
                + (weights == null ? "" : ", sample-weighted") + ")";
    }
}
