package org.bpnn.data;

import org.bpnn.nn.Rng;
import org.bpnn.tensor.Tensor;

/**
 * An in-memory supervised data set: row i of {@link #features()} (n, featureCount) is a sample and
 * row i of {@link #targets()} (n, targetCount) its target (e.g. a one-hot row from {@link OneHot}).
 *
 * <p>The constructor checks that both have the same number of rows and that every value is finite,
 * and names the first bad cell. The tensors are not copied: do not modify them while training.
 */
public final class Dataset {
    private final Tensor features;
    private final Tensor targets;

    /** features: (n, f); targets: (n, k); same n; all values finite. */
    public Dataset(Tensor features, Tensor targets) {
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
    }

    /** Copies {@code x[n][f]} and {@code y[n][k]}. */
    public static Dataset of(float[][] x, float[][] y) {
        return new Dataset(rows("x (features)", x), rows("y (targets)", y));
    }

    /**
     * Tensor.of, its refusal prefixed with the array it was about: "expected at least one row, got
     * null" or "row 1 has 1 values, expected 2 like row 0" named neither x nor y.
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
        Tensor x = Tensor.zeros(n, f), y = Tensor.zeros(n, k);
        for (int i = 0; i < n; i++) {
            int r = rows[from + i];
            if (r < 0 || r >= size()) {
                throw new IllegalArgumentException("row index " + r + " at position " + (from + i)
                        + " is outside [0, " + size() + "): the dataset has " + size() + " rows; pass indices of existing rows");
            }
            System.arraycopy(features.data(), r * f, x.data(), i * f, f);
            System.arraycopy(targets.data(), r * k, y.data(), i * k, k);
        }
        return new Dataset(x, y);
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
     * {@link #split(double)}, in a seeded shuffled order for {@link #split(double, long)}.
     */
    public record Split(Dataset first, Dataset second) {
        /** Alias of {@link #first()} for a train/validation split. */
        public Dataset train() { return first; }

        /** Alias of {@link #second()} for a train/validation split. */
        public Dataset validation() { return second; }
    }

    /**
     * Splits in order: the first round(n * firstFraction) rows, then the rest. Both parts must be
     * non-empty. Use {@link #split(double, long)} when the rows are sorted (e.g. by class).
     */
    public Split split(double firstFraction) {
        int[] order = new int[size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        return split(firstFraction, order);
    }

    /** Splits after shuffling the rows with {@code seed}. */
    public Split split(double firstFraction, long seed) {
        return split(firstFraction, permutation(size(), new Rng(seed)));
    }

    /**
     * The rows the first part of a split of {@code rows} at {@code firstFraction} gets (rounded to
     * the nearest): for a caller that sizes work by the split before making it.
     */
    public static int firstPartSize(int rows, double firstFraction) {
        return (int) Math.round(rows * firstFraction);
    }

    private Split split(double fraction, int[] order) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("split fraction must be in (0, 1), got " + fraction
                    + "; e.g. 0.8 keeps 80% for training");
        }
        int cut = firstPartSize(size(), fraction);
        if (cut == 0 || cut == size()) {
            throw new IllegalArgumentException("splitting " + size() + " rows at " + fraction + " leaves "
                    + (cut == 0 ? "the first" : "the second") + " part empty; use more data or another fraction");
        }
        return new Split(subset(order, 0, cut), subset(order, cut, order.length));
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
        return "Dataset(" + size() + " rows, " + featureCount() + " features -> " + targetCount() + " targets)";
    }
}
