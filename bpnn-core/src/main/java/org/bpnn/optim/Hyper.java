package org.bpnn.optim;

/**
 * Validation of hyper-parameters, with messages that say what was expected and what to use.
 *
 * <p>The optimisers, clipping, penalties and schedules take doubles but compute in float, so each
 * value is also checked as the float it becomes: a double inside the domain can round outside it
 * (an epsilon of 1e-50 becomes 0 and Adam would divide 0 by 0 for a zero gradient, a beta of
 * 0.9999999999 becomes 1 and the bias correction 1 - beta^t would be 0, a clip limit of 1e-50 becomes 0
 * and would zero every gradient, an L2 penalty of 1e40 becomes Infinity), and unchecked, the failure
 * would surface as a "diverged" blamed on the learning rate, or not at all.
 */
final class Hyper {
    private Hyper() {}

    /** Finite and &gt; 0, also as a float (at least {@link Float#MIN_NORMAL}, below Infinity). */
    static double positive(String what, double v, String hint) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be finite and > 0, got " + v + "; " + hint);
        }
        float f = (float) v;
        if (f < Float.MIN_NORMAL) {
            // Float.toString at run time: "" + Float.MIN_NORMAL is a constant that javac folds with its own
            // JDK's digits (1.17549435E-38 on 17, 1.1754944E-38 from 19), so the message would depend on the compiler
            String minNormal = Float.toString(Float.MIN_NORMAL);
            throw new IllegalArgumentException(what + " " + v + " is below the smallest normal float (" + minNormal
                    + "): the updates compute in float, where it is " + f + "; expected at least " + minNormal
                    + "; " + hint);
        }
        return requireFloatRange(what, v, hint);
    }

    /** Finite and &gt;= 0, also as a float. */
    static double nonNegative(String what, double v, String hint) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be finite and >= 0, got " + v + "; " + hint);
        }
        return requireFloatRange(what, v, hint);
    }

    /** In [0, 1), also as a float (at most 1 - 2^-24 = 0.99999994). */
    static double unitInterval(String what, double v, String hint) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1), got " + v + "; " + hint);
        }
        if ((float) v >= 1f) {
            throw new IllegalArgumentException(what + " " + v + " rounds to 1 as a float, which the updates compute in; "
                    + "expected at most " + Math.nextDown(1f) + "; " + hint);
        }
        return v;
    }

    private static double requireFloatRange(String what, double v, String hint) {
        if (Float.isInfinite((float) v)) {
            throw new IllegalArgumentException(what + " " + v + " is beyond the largest float (" + Float.MAX_VALUE
                    + "): the updates compute in float, where it is Infinity; " + hint);
        }
        return v;
    }
}
