package org.bpnn.nn;

import java.util.Arrays;
import java.util.List;

/**
 * A copy of the values of a list of parameters (a network's weights and biases), in plain arrays:
 * for early stopping's "restore best weights", checkpoints and comparisons. {@link #copyFrom}
 * reuses the arrays, so taking a snapshot again allocates nothing.
 */
public final class ParameterSnapshot {
    private final float[][] values;

    private ParameterSnapshot(float[][] values) {
        this.values = values;
    }

    /** A snapshot of {@code network}'s parameters. */
    public static ParameterSnapshot of(Network network) {
        if (network == null) {
            throw new IllegalArgumentException("network is null; pass the network whose weights to snapshot");
        }
        return of(network.parameters());
    }

    /** A snapshot of {@code parameters}' values. */
    public static ParameterSnapshot of(List<Parameter> parameters) {
        if (parameters == null) {
            throw new IllegalArgumentException("parameters is null; pass network.parameters()");
        }
        float[][] v = new float[parameters.size()][];
        for (int i = 0; i < v.length; i++) {
            if (parameters.get(i) == null) { // refused as of(float[][]) refuses a null element, not a NullPointerException below
                throw new IllegalArgumentException("parameters[" + i + "] is null; pass network.parameters()");
            }
            v[i] = parameters.get(i).value().data().clone();
        }
        return new ParameterSnapshot(v);
    }

    /** A snapshot holding copies of {@code values} (one array per parameter, in network order). */
    public static ParameterSnapshot of(float[][] values) {
        requireValues(values);
        float[][] v = new float[values.length][];
        for (int i = 0; i < v.length; i++) v[i] = values[i].clone();
        return new ParameterSnapshot(v);
    }

    private static void requireValues(float[][] values) {
        if (values == null) {
            throw new IllegalArgumentException("values is null; pass one array of values per parameter, in network order");
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new IllegalArgumentException("values[" + i + "] is null; pass one array of values per parameter, in network order");
            }
        }
    }

    /**
     * {@code of(values).requireFits(network)} without the copy: throws IllegalArgumentException unless
     * values (one array per parameter, in network order) fit {@code network}, with the same messages.
     */
    public static void requireFits(float[][] values, Network network) {
        requireValues(values);
        if (network == null) {
            throw new IllegalArgumentException("network is null; pass the network the values were taken from");
        }
        check(values, network.parameters());
    }

    /**
     * {@code of(values).restoreTo(network)} without the copy: writes values (one array per parameter, in
     * network order, checked as {@link #requireFits(float[][], Network)} checks them) into
     * {@code network}'s parameters as one weight write. For a caller that keeps weights in arrays of its
     * own (a {@code Trainer}'s best weights, which its {@code state()} then copies once, not twice).
     */
    public static void restore(float[][] values, Network network) {
        requireFits(values, network);
        new ParameterSnapshot(values).restoreTo(network); // the arrays are only read, during this call
    }

    /** Overwrites this snapshot with the current values of {@code parameters} (same shapes). */
    public void copyFrom(List<Parameter> parameters) {
        check(parameters);
        for (int i = 0, n = values.length; i < n; i++) {
            System.arraycopy(parameters.get(i).value().data(), 0, values[i], 0, values[i].length);
        }
    }

    /** Writes the snapshot's values into {@code parameters} (same shapes). */
    public void restoreTo(List<Parameter> parameters) {
        check(parameters);
        for (int i = 0, n = values.length; i < n; i++) {
            System.arraycopy(values[i], 0, parameters.get(i).value().data(), 0, values[i].length);
        }
    }

    /**
     * Writes the snapshot into {@code network}'s parameters, as one weight write that a concurrent
     * predict detects (see {@link Network}'s thread rules).
     */
    public void restoreTo(Network network) {
        if (network == null) {
            throw new IllegalArgumentException("network is null; pass the network to restore the weights into");
        }
        check(network.parameters());
        network.beginWeightWrite();
        try {
            restoreTo(network.parameters());
        } finally {
            network.endWeightWrite();
        }
    }

    /**
     * Throws IllegalArgumentException unless the snapshot fits {@code network} (the same number of
     * parameters, each of the same size): the check {@link #restoreTo(Network)} makes, for callers
     * that must validate everything before writing anything.
     */
    public void requireFits(Network network) {
        if (network == null) {
            throw new IllegalArgumentException("network is null; pass the network the snapshot was taken from");
        }
        check(network.parameters());
    }

    private void check(List<Parameter> parameters) {
        check(values, parameters);
    }

    private static void check(float[][] values, List<Parameter> parameters) {
        if (parameters == null) {
            throw new IllegalArgumentException("parameters is null; pass network.parameters() of a network of the same architecture");
        }
        if (parameters.size() != values.length) {
            throw new IllegalArgumentException("snapshot has " + values.length + " parameters, the network has "
                    + parameters.size() + "; a snapshot only fits a network of the same architecture");
        }
        for (int i = 0; i < values.length; i++) {
            if (parameters.get(i) == null) {
                throw new IllegalArgumentException("parameters[" + i + "] is null; pass network.parameters() of a network of the"
                        + " same architecture");
            }
            if (parameters.get(i).size() != values[i].length) {
                throw new IllegalArgumentException("snapshot parameter " + i + " has " + values[i].length + " values, but "
                        + parameters.get(i) + " has " + parameters.get(i).size() + "; the architectures differ");
            }
        }
    }

    /** A deep copy of the values, one array per parameter. */
    public float[][] values() {
        float[][] v = new float[values.length][];
        for (int i = 0; i < v.length; i++) v[i] = values[i].clone();
        return v;
    }

    /** A 64-bit hash of every bit of every value, to compare weights across runs. */
    public long hash() {
        long h = 1125899906842597L;
        for (float[] a : values) {
            for (float f : a) {
                h = 31 * h + Float.floatToRawIntBits(f);
            }
            h = Rng.mix(h);
        }
        return h;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSnapshot s && Arrays.deepEquals(s.values, values);
    }

    /**
     * Consistent with {@link #equals}, which compares as {@link Float#equals} does (every NaN alike):
     * not {@link #hash()}, whose raw bits tell NaNs apart, so that equal snapshots of weights holding
     * NaN (0xFFC00000 from the arithmetic, 0x7FC00000 as Float.NaN) had different hash codes.
     */
    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        long n = 0;
        for (float[] a : values) n += a.length;
        return "ParameterSnapshot(" + values.length + " parameters, " + n + " values, hash " + Long.toHexString(hash()) + ")";
    }
}
