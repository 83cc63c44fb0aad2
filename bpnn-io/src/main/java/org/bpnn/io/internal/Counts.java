package org.bpnn.io.internal;

/**
 * A count with its noun, singular for one: else messages built from counts would read "has 1 features per
 * sample" for a count of 1, and a count of 1 is common here (one input, one output, a one-column
 * CSV, a one-byte file).
 */
public final class Counts {

    private Counts() {
    }

    /**
     * "1 feature", "0 features", "3 features": {@code n} and {@code noun}, with an "s" unless
     * {@code n} is 1. {@code noun} is singular and takes a plain "s" (a compound such as "target
     * column" puts the plural on its last word).
     */
    public static String of(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
