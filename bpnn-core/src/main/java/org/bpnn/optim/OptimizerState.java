package org.bpnn.optim;

import java.util.Arrays;

/**
 * An optimiser's state in plain arrays, so that it can be persisted (bpnn-io) and restored for an
 * exact resume: what evolves, plus a record of the settings it evolved under. An optimiser restored
 * from it keeps its own learning rate, schedule and other hyper-parameters (an exact resume needs the
 * same ones) and continues its schedule from {@code step}; {@code Trainer.restore} compares its
 * settings with {@link #settings()} and refuses a difference unless told to allow it.
 *
 * @param optimizer      the optimiser's kind, e.g. "adam"; restore refuses another kind
 * @param step           the number of updates applied so far (t; Adam's bias correction and the
 *                       learning-rate schedule depend on it)
 * @param parameterSizes the element count of each parameter, in the network's order (empty before
 *                       the first step)
 * @param buffers        slot-major: buffers[s * parameterSizes.length + i] is slot s (e.g. Adam's
 *                       m = 0, v = 1) of parameter i; empty for stateless optimisers
 * @param settings       the optimiser's settings when the state was taken ({@link Optimizer#settings()}),
 *                       or null when they were not recorded (an optimiser that cannot describe them, a
 *                       checkpoint file written before 2026-11-30): then a resume cannot compare them
 */
public record OptimizerState(String optimizer, long step, int[] parameterSizes, float[][] buffers,
                             OptimizerSettings settings) {

    /** A state without recorded settings (a resume cannot compare them). */
    public OptimizerState(String optimizer, long step, int[] parameterSizes, float[][] buffers) {
        this(optimizer, step, parameterSizes, buffers, null);
    }

    public OptimizerState {
        if (optimizer == null || step < 0 || parameterSizes == null || buffers == null) {
            throw new IllegalArgumentException("optimizer state needs a name, step >= 0, sizes and buffers; got "
                    + optimizer + ", " + step + ", " + (parameterSizes == null ? "null sizes" : "sizes")
                    + ", " + (buffers == null ? "null buffers" : "buffers"));
        }
        parameterSizes = parameterSizes.clone();
        for (int i = 0; i < parameterSizes.length; i++) {
            // a negative size matches no buffer, but a stateless optimiser (SGD) has none to compare with
            if (parameterSizes[i] < 1) {
                throw new IllegalArgumentException("parameterSizes[" + i + "] is " + parameterSizes[i]
                        + "; a parameter's size is its element count, >= 1");
            }
        }
        float[][] copy = new float[buffers.length][];
        for (int i = 0; i < buffers.length; i++) {
            if (buffers[i] == null) { // else a bare NullPointerException from the copy below
                throw new IllegalArgumentException("buffers[" + i + "] is null; expected one float[] per slot and parameter"
                        + " (empty for a stateless optimiser)");
            }
            copy[i] = buffers[i].clone();
        }
        buffers = copy;
        if (settings != null && !settings.optimizer().equals(optimizer)) {
            throw new IllegalArgumentException("the settings are a '" + settings.optimizer() + "' optimiser's, the state a '"
                    + optimizer + "' one's; pass the settings of the optimiser the state came from");
        }
    }

    /** This state with {@code settings} recorded instead (null: none). */
    public OptimizerState withSettings(OptimizerSettings settings) {
        return new OptimizerState(optimizer, step, parameterSizes, buffers, settings);
    }

    /** A copy of the sizes. */
    @Override
    public int[] parameterSizes() {
        return parameterSizes.clone();
    }

    /** A deep copy of the buffers. */
    @Override
    public float[][] buffers() {
        float[][] copy = new float[buffers.length][];
        for (int i = 0; i < buffers.length; i++) {
            copy[i] = buffers[i].clone();
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OptimizerState s && s.optimizer.equals(optimizer) && s.step == step
                && Arrays.equals(s.parameterSizes, parameterSizes) && Arrays.deepEquals(s.buffers, buffers)
                && java.util.Objects.equals(s.settings, settings);
    }

    @Override
    public int hashCode() {
        return (optimizer.hashCode() * 31 + Long.hashCode(step)) * 31 + Arrays.deepHashCode(buffers);
    }

    @Override
    public String toString() {
        return "OptimizerState(" + optimizer + ", step " + step + ", " + parameterSizes.length + " parameters, "
                + buffers.length + " buffers" + (settings == null ? ", settings not recorded" : ", " + settings) + ")";
    }
}
