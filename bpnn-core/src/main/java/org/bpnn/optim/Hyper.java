package org.bpnn.optim;

/** Validation of hyper-parameters, with messages that say what was expected and what to use. */
final class Hyper {
    private Hyper() {}

    /** Finite and &gt; 0. */
    static double positive(String what, double v, String hint) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be finite and > 0, got " + v + "; " + hint);
        }
        return v;
    }

    /** Finite and &gt;= 0. */
    static double nonNegative(String what, double v, String hint) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be finite and >= 0, got " + v + "; " + hint);
        }
        return v;
    }

    /** In [0, 1). */
    static double unitInterval(String what, double v, String hint) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1), got " + v + "; " + hint);
        }
        return v;
    }
}
