package org.bpnn.nn;

import java.util.List;
import org.bpnn.backend.Backend;
import org.bpnn.tensor.Tensor;

/**
 * Inverted dropout (reference: Srivastava et al. 2014, https://jmlr.org/papers/v15/srivastava14a.html):
 * while training, each unit is kept with probability 1 - p and scaled by 1 / (1 - p), so that the
 * expected activation is unchanged and inference is the identity:
 * <pre>
 *   training   r_i ~ Bernoulli(1 - p),  mask_i = r_i / (1 - p),  y = x (.) mask
 *   backward   dL/dx = dL/dy (.) mask
 *   inference  y = x
 * </pre>
 * The mask is drawn from the layer's own {@link Rng}, seeded from the network's seed, so training is
 * reproducible; its state can be captured ({@link #rngState()}) for an exact resume. The mask is kept
 * in the network's scratch buffer for backward. No parameters.
 *
 * <p>{@link #forwardDouble} (the gradient check's reference) is the inference identity; to check a
 * network that contains dropout, use rate 0 or {@link #setEnabled(boolean) disable} it so that the
 * training pass is the identity too.
 */
public final class Dropout implements Layer {
    private final String name;
    private final int size;
    private final float rate;
    private final float scale;
    private final Rng rng;
    private volatile boolean enabled = true;

    /**
     * @param size units in and out, &gt; 0
     * @param rate p, the probability of dropping a unit, in [0, 1)
     * @param seed the seed of the mask generator
     */
    public Dropout(String name, int size, double rate, long seed) {
        if (size <= 0) {
            throw new IllegalArgumentException(name + ": size must be > 0, got " + size);
        }
        if (!(rate >= 0 && (float) rate < 1f)) { // kept as a float: a rate that rounds to 1 would drop every unit
            throw new IllegalArgumentException(name + ": dropout rate must be in [0, 1), got " + rate
                    + "; it is the fraction of units dropped while training, 0.1 to 0.5 is usual");
        }
        this.name = name;
        this.size = size;
        this.rate = (float) rate;
        this.scale = (float) (1.0 / (1.0 - rate));
        this.rng = new Rng(seed);
    }

    public String name() { return name; }

    /** p, the probability of dropping a unit while training. */
    public float rate() { return rate; }

    /**
     * 1 / (1 - p), the factor kept units are multiplied by while training: rounded once from the
     * double rate the layer was built with, so it is not always the one {@link #rate()} widened back
     * would give (0.45: 1.8181819, not 1.8181818). A model file needs it to rebuild the layer exactly.
     */
    public float scale() { return scale; }

    @Override public int inputSize() { return size; }

    @Override public int outputSize() { return size; }

    @Override public List<Parameter> parameters() { return List.of(); }

    /** The mask, one float per unit. */
    @Override public int scratchColumns() { return size; }

    /** Whether training passes drop units (default true); false makes training the identity too. */
    public boolean isEnabled() { return enabled; }

    /** Switches dropout off (identity also in training, e.g. for a gradient check) or back on. */
    public void setEnabled(boolean enabled) { this.enabled = enabled; }

    /** The mask generator's state, for checkpoints. */
    public long rngState() { return rng.state(); }

    /** Restores the mask generator's state. */
    public void setRngState(long state) { rng.setState(state); }

    @Override
    public void forward(Backend backend, Tensor x, Tensor y, Tensor mask, boolean training) {
        float[] in = x.data(), out = y.data();
        int n = x.size();
        if (!training) {
            System.arraycopy(in, 0, out, 0, n);
            return;
        }
        float[] m = mask.data();
        if (!enabled || rate == 0f) {
            System.arraycopy(in, 0, out, 0, n);
            java.util.Arrays.fill(m, 0, n, 1f);
            return;
        }
        float p = rate, s = scale;
        for (int i = 0; i < n; i++) {
            float k = rng.nextFloat() >= p ? s : 0f;
            m[i] = k;
            out[i] = in[i] * k;
        }
    }

    @Override
    public void backward(Backend backend, Tensor x, Tensor y, Tensor dy, boolean dyIsDelta, Tensor dx, Tensor mask) {
        if (dx == null) {
            return;
        }
        float[] g = dy.data(), m = mask.data(), out = dx.data();
        for (int i = 0, n = dy.size(); i < n; i++) {
            out[i] = g[i] * m[i];
        }
    }

    @Override
    public double[] forwardDouble(double[][] params, double[] x, int batch) {
        return x.clone();
    }

    /**
     * A layer like this one whose mask generator continues from this one's current state (the two
     * then draw the same masks, each from its own generator), enabled or not as this one; for
     * {@link Network#copy()}.
     */
    Dropout copy() {
        return new Dropout(this);
    }

    /**
     * Field by field, not through the public constructor: that derives the scale from the double
     * rate it is given, and this float rate widened back can round the scale differently (0.45:
     * 1.8181819 vs 1.8181818), so the copy's training outputs would differ in the last bit.
     */
    private Dropout(Dropout source) {
        this.name = source.name;
        this.size = source.size;
        this.rate = source.rate;
        this.scale = source.scale;
        this.rng = new Rng(source.rng.state());
        this.enabled = source.enabled;
    }

    @Override
    public Layer copyStructure(long seed) {
        return new Dropout(name, size, rate, seed);
    }

    @Override
    public String toString() {
        return "Dropout(" + rate + ")";
    }
}
