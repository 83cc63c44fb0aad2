package org.bpnn.data;

import java.util.Arrays;
import org.bpnn.tensor.Tensor;

/**
 * A per-feature affine map x'[j] = (x[j] - center[j]) / scale[j], fitted on the training set and
 * applied to every set (training, validation, test, inputs at prediction time):
 * <ul>
 *   <li>{@link #standardise}: center = mean, scale = standard deviation (population, 1/n), so the
 *       training features get mean 0 and variance 1;</li>
 *   <li>{@link #minMax}: center = min, scale = max - min, so the training features lie in [0, 1].</li>
 * </ul>
 * A constant feature gets scale 1, so it maps to 0 instead of dividing by zero; so does a feature
 * whose spread is below {@link Float#MIN_NORMAL} (about 1.2e-38): dividing by such a subnormal scale
 * sends every input farther than about 4 x scale x 1e38 from the center to Infinity, so a
 * normaliser never holds one ({@link #of} refuses it). Statistics are accumulated in double. When
 * an intermediate of (x - center) / scale or of its inverse overflows float, the value is recomputed
 * in double, so a result that fits in a float is returned rather than Infinity.
 *
 * <p>{@link #center()} and {@link #scale()} expose the fitted values so that a model file can store
 * them (bpnn-io); {@link #of} rebuilds the normaliser. Fit it on the training part only: fitting on
 * data that includes the validation set leaks information into training.
 */
public final class Normaliser {
    /** How the normaliser was fitted (stored with the parameters). */
    public enum Kind { STANDARDISE, MIN_MAX }

    private final Kind kind;
    private final float[] center;
    private final float[] scale;

    private Normaliser(Kind kind, float[] center, float[] scale) {
        this.kind = kind;
        this.center = center;
        this.scale = scale;
    }

    /** Mean and standard deviation per column of x: (n, features). */
    public static Normaliser standardise(Tensor x) {
        requireData(x);
        int n = x.rows(), f = x.cols();
        Tensor.requireFinite("x", x);
        double[] mean = new double[f], m2 = new double[f];
        float[] d = x.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) mean[j] += d[i * f + j];
        }
        for (int j = 0; j < f; j++) mean[j] /= n;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                double r = d[i * f + j] - mean[j];
                m2[j] += r * r;
            }
        }
        float[] c = new float[f], s = new float[f];
        for (int j = 0; j < f; j++) {
            c[j] = (float) mean[j];
            float sd = (float) Math.sqrt(m2[j] / n);
            s[j] = sd >= Float.MIN_NORMAL ? sd : 1f;
        }
        return new Normaliser(Kind.STANDARDISE, c, s);
    }

    private static void requireData(Tensor x) {
        if (x == null) {
            throw new IllegalArgumentException("x is null; fit the normaliser on the training features, (n, features)");
        }
    }

    /** Standardises on the features of {@code data} (every row counts once: sample weights are not used). */
    public static Normaliser standardise(Dataset data) {
        if (data == null) {
            throw new IllegalArgumentException("data is null; fit the normaliser on the training set");
        }
        return standardise(data.features());
    }

    /** Minimum and range per column of x: (n, features). */
    public static Normaliser minMax(Tensor x) {
        requireData(x);
        int n = x.rows(), f = x.cols();
        Tensor.requireFinite("x", x);
        float[] lo = new float[f], hi = new float[f];
        Arrays.fill(lo, Float.POSITIVE_INFINITY);
        Arrays.fill(hi, Float.NEGATIVE_INFINITY);
        float[] d = x.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                float v = d[i * f + j];
                lo[j] = Math.min(lo[j], v);
                hi[j] = Math.max(hi[j], v);
            }
        }
        float[] s = new float[f];
        for (int j = 0; j < f; j++) {
            float r = hi[j] - lo[j];
            if (Float.isInfinite(r)) {
                // e.g. [-3e38, 3e38]: the range overflows float, and an infinite scale would zero the
                // column (and make NaN of its largest value)
                throw new IllegalArgumentException("feature " + j + " spans [" + lo[j] + ", " + hi[j] + "], a range beyond the "
                        + "largest float; rescale that feature (or use standardise, whose scale is its standard deviation)");
            }
            s[j] = r >= Float.MIN_NORMAL ? r : 1f;
        }
        return new Normaliser(Kind.MIN_MAX, lo, s);
    }

    /** Min-max on the features of {@code data} (sample weights are not used: the range is over every row). */
    public static Normaliser minMax(Dataset data) {
        if (data == null) {
            throw new IllegalArgumentException("data is null; fit the normaliser on the training set");
        }
        return minMax(data.features());
    }

    /**
     * Rebuilds a fitted normaliser from stored values; centers must be finite and scales finite and
     * at least {@link Float#MIN_NORMAL} (a subnormal scale overflows any but tiny inputs).
     */
    public static Normaliser of(Kind kind, float[] center, float[] scale) {
        if (kind == null || center == null || scale == null || center.length != scale.length || center.length == 0) {
            throw new IllegalArgumentException("normaliser needs a kind and center/scale arrays of the same non-zero length, got "
                    + kind + ", " + (center == null ? "null" : center.length) + " centers, "
                    + (scale == null ? "null" : scale.length) + " scales");
        }
        for (int j = 0; j < center.length; j++) {
            if (!Float.isFinite(center[j]) || !(scale[j] > 0) || !Float.isFinite(scale[j])) {
                throw new IllegalArgumentException("feature " + j + ": center " + center[j] + ", scale " + scale[j]
                        + "; center must be finite and scale finite and > 0");
            }
            if (scale[j] < Float.MIN_NORMAL) {
                // at run time, as scale[j] is: javac folds "" + MIN_NORMAL with its own JDK's digits (Hyper.positive)
                String minNormal = Float.toString(Float.MIN_NORMAL);
                throw new IllegalArgumentException("feature " + j + " has scale " + scale[j] + ", below the smallest normal float "
                        + minNormal + ", so (x - center) / scale is Infinity for all but tiny inputs; expected a scale >= "
                        + minNormal + " (the fitters give a constant or near-constant feature scale 1): refit the normaliser");
            }
        }
        return new Normaliser(kind, center.clone(), scale.clone());
    }

    public Kind kind() { return kind; }

    /** The number of features it was fitted on. */
    public int featureCount() { return center.length; }

    /** A copy of the centers (means or minima). */
    public float[] center() { return center.clone(); }

    /** A copy of the scales (standard deviations or ranges; 1 for constant features). */
    public float[] scale() { return scale.clone(); }

    /** A normalised copy of x: (n, featureCount). */
    public Tensor apply(Tensor x) {
        check(x);
        Tensor out = x.copy();
        // a finite input far outside the fitted range can overflow (x - center) / scale: said here,
        // where it happens, instead of as "x contains Infinity" about an input that was finite
        normalise(out);
        return out;
    }

    /**
     * Thrown by {@link #apply(Tensor)} when a finite input overflows (x - center) / scale: says which
     * element, so that a caller that knows where the rows came from can say so too. Its subclass
     * {@link InverseOverflowException} is the same for {@link #inverse} and {@link #inverseInPlace}.
     */
    public static sealed class OverflowException extends IllegalArgumentException permits InverseOverflowException {
        private static final long serialVersionUID = 1L;
        private final int row, feature;
        private final float input, result;

        OverflowException(int row, int feature, float input, float center, float scale, float result) {
            this("normalising row " + row + ", feature " + feature + ": (" + input + " - " + center + ") / " + scale
                    + " overflows float; the input is far outside the range the normaliser was fitted on (check its units) "
                    + "or the normaliser's scale is too small", row, feature, input, result);
        }

        private OverflowException(String message, int row, int feature, float input, float result) {
            super(message);
            this.row = row;
            this.feature = feature;
            this.input = input;
            this.result = result;
        }

        public int row() { return row; }

        public int feature() { return feature; }

        /** The finite value that overflowed: the input, or for {@link #inverse} the normalised value. */
        public float input() { return input; }

        /** What the map (or its inverse) turned it into: Infinity or -Infinity. */
        public float result() { return result; }
    }

    /**
     * {@link #inverse} of a finite value overflowed float: the value is far outside the range the
     * normaliser was fitted on. A caller that maps back only the targets' units catches it before an
     * {@link OverflowException} of the inputs (SparkScorer names the row in its partition for both).
     */
    public static final class InverseOverflowException extends OverflowException {
        private static final long serialVersionUID = 1L;

        InverseOverflowException(int row, int feature, float input, float center, float scale, float result) {
            super("undoing the normalisation of row " + row + ", feature " + feature + ": " + input + " * " + scale + " + "
                    + center + " overflows float; the value is far outside the range the normaliser was fitted on (check "
                    + "that it is a normalised value, e.g. a prediction of a model trained on targets normalised with it)",
                    row, feature, input, result);
        }
    }

    /** A dataset with normalised features and the same targets (and sample weights, if it has them). */
    public Dataset apply(Dataset data) {
        if (data == null) {
            throw new IllegalArgumentException("data is null; pass the dataset to normalise");
        }
        return new Dataset(apply(data.features()), data.targets(), data.sampleWeights());
    }

    /**
     * Normalises x: (n, featureCount) in place. Allocation-free: with a network's
     * {@code predict(x, out)}, the way to predict raw requests without allocating. A finite input
     * whose result overflows float is an {@link OverflowException} naming its row and feature, as in
     * {@link #apply(Tensor)}; x then holds the elements before it normalised and the rest as they
     * were. (It was written as Infinity, which predict then refused as a non-finite input to clean.)
     */
    public void applyInPlace(Tensor x) {
        check(x);
        normalise(x);
    }

    /**
     * x = (x - center) / scale in place; a finite input whose result is not finite throws an
     * {@link OverflowException} before it is written (apply passes a copy).
     */
    private void normalise(Tensor x) {
        int f = center.length;
        float[] d = x.data();
        for (int i = 0, n = x.rows(); i < n; i++) {
            for (int j = 0; j < f; j++) {
                float v = d[i * f + j], z = (v - center[j]) / scale[j];
                if (!Float.isFinite(z) && Float.isFinite(v)) {
                    // v - center overflowed float though the quotient may fit (e.g. {-3e38, -3e38, 3e38}:
                    // 3e38 - -1e38); redo it in double. Only here, so that every other value keeps its
                    // float result bit for bit (a saved model sees inputs normalised as in its training)
                    z = (float) (((double) v - center[j]) / scale[j]);
                    if (!Float.isFinite(z)) {
                        throw new OverflowException(i, j, v, center[j], scale[j], z);
                    }
                }
                d[i * f + j] = z;
            }
        }
    }

    /**
     * Undoes the map on a copy of x (e.g. to turn normalised regression outputs back into units). A
     * finite value whose result overflows float (far outside the range the normaliser was fitted on)
     * is an IllegalArgumentException naming its row and feature, not Infinity.
     */
    public Tensor inverse(Tensor x) {
        checkInverse(x);
        Tensor out = x.copy();
        denormalise(out);
        return out;
    }

    /**
     * Undoes the map on x: (n, featureCount) in place, the bits of {@link #inverse}. Allocation-free:
     * after a network's {@code predict(x, out)}, the way to turn a model's normalised outputs back into
     * the targets' units without allocating. A finite value whose result overflows float is an
     * {@link InverseOverflowException} naming its row and feature, as in {@link #inverse}; x then holds
     * the elements before it mapped back and the rest as they were (as {@link #applyInPlace}).
     */
    public void inverseInPlace(Tensor x) {
        checkInverse(x);
        denormalise(x);
    }

    /**
     * x = x * scale + center in place; a finite value whose result is not finite throws an
     * {@link InverseOverflowException} before it is written (inverse passes a copy).
     */
    private void denormalise(Tensor x) {
        int f = center.length;
        float[] d = x.data();
        for (int i = 0, n = x.rows(); i < n; i++) {
            for (int j = 0; j < f; j++) {
                float z = d[i * f + j], v = z * scale[j] + center[j];
                if (!Float.isFinite(v) && Float.isFinite(z)) {
                    v = (float) ((double) z * scale[j] + center[j]); // z * scale overflowed; see normalise
                    if (!Float.isFinite(v)) {
                        throw new InverseOverflowException(i, j, z, center[j], scale[j], v);
                    }
                }
                d[i * f + j] = v;
            }
        }
    }

    private void check(Tensor x) {
        if (x == null || x.cols() != center.length) {
            throw new IllegalArgumentException("the normaliser was fitted on " + center.length + " features, but x has "
                    + (x == null ? "null" : x.cols() + " columns " + x.shape()) + "; normalise data with the same columns");
        }
    }

    /**
     * {@link #check}'s for {@link #inverse} and {@link #inverseInPlace}, whose x is not data to normalise
     * but values already normalised (a model's predictions, usually): apply's advice, "normalise data
     * with the same columns", would be wrong for them.
     */
    private void checkInverse(Tensor x) {
        if (x != null && x.cols() == center.length) {
            return; // the messages are built only for a refusal: inverseInPlace allocates nothing
        }
        int f = center.length;
        String cols = f + " column" + (f == 1 ? "" : "s");
        String expected = "inverse maps back values in this normaliser's units, " + cols + " (e.g. the predictions of a"
                + " network trained on targets normalised with it, which has " + f + " output" + (f == 1 ? "" : "s") + ")";
        if (x == null) {
            throw new IllegalArgumentException("x is null; " + expected + ": pass them");
        }
        throw new IllegalArgumentException("the normaliser was fitted on " + cols + ", but x has " + x.cols()
                + " column" + (x.cols() == 1 ? "" : "s") + " " + x.shape() + "; " + expected + ": pass values with " + cols
                + ", or map x back with the normaliser fitted on its " + x.cols() + " column" + (x.cols() == 1 ? "" : "s"));
    }

    @Override
    public String toString() {
        return "Normaliser.of(Normaliser.Kind." + kind + ", new float[] " + floats(center) + ", new float[] " + floats(scale) + ")";
    }

    private static String floats(float[] a) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < a.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(a[i]).append('f');
        }
        return sb.append('}').toString();
    }
}
