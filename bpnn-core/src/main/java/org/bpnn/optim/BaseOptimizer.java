package org.bpnn.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bpnn.backend.Backend;
import org.bpnn.nn.Parameter;

/**
 * The common frame of the built-in optimisers. One {@link #step} is:
 * <ol>
 *   <li>alpha_t = schedule.rate(alpha, t), t = updates applied so far ({@link LearningRateSchedule});</li>
 *   <li>the {@link Penalty}'s gradient is added to the weights' gradients (g &lt;- g + dP/dw);</li>
 *   <li>the gradients are clipped ({@link GradientClipping});</li>
 *   <li>t &lt;- t + 1 and the subclass's update rule runs with alpha_t and t (1-based, as in Adam).</li>
 * </ol>
 *
 * <p><b>State.</b> The optimiser owns {@link #stateSlots()} float buffers per parameter (e.g. Adam's m
 * and v), indexed by the parameter's position in the list. They are allocated, zero-filled, on the
 * first step and never afterwards; every later step checks that it gets the same parameters (the same
 * objects, not only the same sizes), so a single optimiser cannot silently be shared by two networks,
 * even of one architecture (the second would start from the first one's moments). After a
 * {@link #restore}, the next step's parameters become the owners. After the first step, a step allocates
 * nothing. {@link #state()} / {@link #restore} copy the step counter and buffers for an exact resume.
 *
 * <p>Configuration methods ({@link #schedule(LearningRateSchedule)}, {@link #clipping(GradientClipping)},
 * {@link #penalty(Penalty)}) change this instance and return it, for chaining:
 * {@code new Adam(1e-3).schedule(LearningRateSchedule.cosine(10_000)).clipping(GradientClipping.byGlobalNorm(1))}.
 * An optimiser is used by one thread at a time.
 */
public abstract class BaseOptimizer implements Optimizer {
    private final float learningRate;
    private LearningRateSchedule schedule = LearningRateSchedule.constant();
    private GradientClipping clipping = GradientClipping.none();
    private Penalty penalty = Penalty.none();
    private long step;
    private int[] sizes;
    /** The parameters the state belongs to (null right after a restore: the next step's are adopted). */
    private Parameter[] owners;
    /** slot-major: buffers[s * sizes.length + i]. */
    private float[][] buffers;
    private float lastRate = Float.NaN;

    /** @param learningRate the base rate alpha, finite and &gt; 0 ({@code hint} names a usual value) */
    protected BaseOptimizer(double learningRate, String hint) {
        // checked as the float the updates use too: 1e-300 becomes 0 (the loss would never move), 1e39 Infinity
        Hyper.positive("learning rate", learningRate, hint);
        this.learningRate = (float) learningRate;
    }

    /** A stable lower-case name for checkpoints, e.g. "adam". */
    public abstract String name();

    /** Float buffers per parameter (0 for plain SGD). */
    protected abstract int stateSlots();

    /**
     * The update of parameter {@code index} with rate {@code lr} at step {@code t} (1 for the first
     * update). Must not allocate. Use {@link #buffer(int, int)} for the state.
     */
    protected abstract void update(Backend backend, int index, Parameter p, float lr, long t);

    /** Buffer {@code slot} of parameter {@code index}, of the parameter's size. */
    protected final float[] buffer(int slot, int index) {
        return buffers[slot * sizes.length + index];
    }

    /** The base learning rate alpha. */
    public float learningRate() {
        return learningRate;
    }

    /** The rate used by the last step (the schedule's value), or the base rate before any step. */
    public float currentLearningRate() {
        if (!Float.isNaN(lastRate)) {
            return lastRate;
        }
        // right after a restore the last step was step - 1 (the schedule's t counts updates already applied)
        return step == 0 ? learningRate : (float) schedule.rate(learningRate, step - 1);
    }

    /** The number of updates applied so far, t. */
    public long steps() {
        return step;
    }

    public LearningRateSchedule schedule() { return schedule; }

    public GradientClipping clipping() { return clipping; }

    public Penalty penalty() { return penalty; }

    /** Sets the learning-rate schedule (default constant); returns this. */
    public BaseOptimizer schedule(LearningRateSchedule schedule) {
        this.schedule = require(schedule, "schedule", "LearningRateSchedule.constant()");
        return this;
    }

    /** Sets gradient clipping (default none); returns this. */
    public BaseOptimizer clipping(GradientClipping clipping) {
        this.clipping = require(clipping, "clipping", "GradientClipping.none()");
        return this;
    }

    /** Sets the L1/L2 penalty (default none); returns this. */
    public BaseOptimizer penalty(Penalty penalty) {
        this.penalty = require(penalty, "penalty", "Penalty.none()");
        return this;
    }

    private static <T> T require(T v, String what, String instead) {
        if (v == null) {
            throw new IllegalArgumentException(what + " is null; use " + instead + " for none");
        }
        return v;
    }

    @Override
    public final void step(Backend backend, List<Parameter> parameters) {
        prepare(parameters);
        double rate = schedule.rate(learningRate, step);
        if (!(rate >= 0) || !Double.isFinite(rate)) {
            throw new IllegalStateException(schedule + " gave learning rate " + rate + " at step " + step
                    + "; a schedule must give a finite rate >= 0");
        }
        float lr = (float) rate;
        if (Float.isInfinite(lr)) {
            // a finite double beyond float (e.g. a custom schedule's 1e40) would make every weight non-finite,
            // reported as a divergence blamed on the base rate
            throw new IllegalStateException(schedule + " gave learning rate " + rate + " at step " + step
                    + ", beyond the largest float (" + Float.MAX_VALUE + ") the updates compute in; a schedule must give a rate"
                    + " that fits in a float");
        }
        lastRate = lr;
        penalty.apply(backend, parameters);
        clipping.apply(backend, parameters);
        step++;
        for (int i = 0, n = parameters.size(); i < n; i++) {
            update(backend, i, parameters.get(i), lr, step);
        }
    }

    /** Allocates the state on first use; afterwards checks that the parameter list is the same shape. */
    private void prepare(List<Parameter> parameters) {
        int n = parameters.size();
        if (sizes == null) {
            sizes = new int[n];
            for (int i = 0; i < n; i++) sizes[i] = parameters.get(i).size();
            owners = parameters.toArray(new Parameter[0]);
            int slots = stateSlots();
            buffers = new float[slots * n][];
            for (int s = 0; s < slots; s++) {
                for (int i = 0; i < n; i++) buffers[s * n + i] = new float[sizes[i]];
            }
            return;
        }
        if (n != sizes.length) {
            throw new IllegalStateException(this + " was first used with " + sizes.length + " parameters, now got " + n
                    + "; an optimiser keeps per-parameter state for one network: create one optimiser per network");
        }
        for (int i = 0; i < n; i++) {
            if (parameters.get(i).size() != sizes[i]) {
                throw new IllegalStateException(this + ": parameter " + i + " (" + parameters.get(i) + ") has "
                        + parameters.get(i).size() + " elements, but this optimiser's state was built for " + sizes[i]
                        + "; create one optimiser per network");
            }
        }
        if (owners == null) {
            owners = parameters.toArray(new Parameter[0]);
            return;
        }
        for (int i = 0; i < n; i++) {
            if (parameters.get(i) != owners[i]) {
                throw new IllegalStateException(this + " holds the state (step " + step + ") of another network's parameters "
                        + "of the same shapes (parameter " + i + ", " + parameters.get(i) + ", is another object); an optimiser "
                        + "keeps per-parameter state for one network: create one optimiser (and one Trainer) per network");
            }
        }
    }

    /**
     * The kind's own settings after the learning rate, by the names {@link OptimizerSettings} lists
     * (e.g. Adam's beta1, beta2, epsilon), in a fixed order. The default has none: a subclass of your
     * own with settings of its own overrides it, or a resume cannot tell them apart.
     */
    protected Map<String, Float> hyperParameters() {
        return Map.of();
    }

    /** The kind, base rate, own settings, penalty, clipping and schedule as they are now. */
    @Override
    public OptimizerSettings settings() {
        Map<String, Float> v = new LinkedHashMap<>();
        v.put(OptimizerSettings.LEARNING_RATE, learningRate);
        v.putAll(hyperParameters());
        if (penalty.l1() != 0) v.put("l1_penalty", penalty.l1());
        if (penalty.l2() != 0) v.put("l2_penalty", penalty.l2());
        String clip = clipping.settingName();
        if (clip != null) v.put(clip, clipping.limit());
        return new OptimizerSettings(name(), v, schedule.toString());
    }

    /** The step counter and buffers, with the {@link #settings()} they were built with. */
    @Override
    public OptimizerState state() {
        return new OptimizerState(name(), step, sizes == null ? new int[0] : sizes,
                buffers == null ? new float[0][] : buffers, settings());
    }

    @Override
    public void restore(OptimizerState state) {
        if (state == null) {
            throw new IllegalArgumentException("state is null; pass one from optimizer.state()");
        }
        if (!state.optimizer().equals(name())) {
            throw new IllegalArgumentException("cannot restore a '" + state.optimizer() + "' state into " + this
                    + "; resume with the same kind of optimiser (" + state.optimizer() + ")");
        }
        int[] sz = state.parameterSizes();
        float[][] buf = state.buffers();
        if (sz.length == 0) {
            if (state.step() != 0) {
                throw new IllegalArgumentException("state has step " + state.step() + " but no parameter sizes");
            }
            sizes = null;
            buffers = null;
            owners = null;
        } else {
            int slots = stateSlots();
            if (buf.length != slots * sz.length) {
                throw new IllegalArgumentException(name() + " keeps " + slots + " buffers per parameter, so "
                        + slots * sz.length + " buffers for " + sz.length + " parameters, but the state has " + buf.length);
            }
            for (int k = 0; k < buf.length; k++) {
                if (buf[k].length != sz[k % sz.length]) {
                    throw new IllegalArgumentException("state buffer " + k + " has " + buf[k].length
                            + " values, expected " + sz[k % sz.length] + " for parameter " + k % sz.length);
                }
            }
            sizes = sz;
            buffers = buf;
            owners = null; // the network it is restored for is the one the next step updates
        }
        step = state.step();
        lastRate = Float.NaN;
    }

    /** The constructor call, e.g. "new Adam(0.001, 0.9, 0.999, 1.0E-8)". */
    protected abstract String constructor();

    /** A configuration you could paste back: the constructor plus non-default settings. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(constructor());
        if (schedule != LearningRateSchedule.constant()) sb.append(".schedule(").append(schedule).append(')');
        if (clipping != GradientClipping.none()) sb.append(".clipping(").append(clipping).append(')');
        if (penalty != Penalty.none()) sb.append(".penalty(").append(penalty).append(')');
        return sb.toString();
    }
}
