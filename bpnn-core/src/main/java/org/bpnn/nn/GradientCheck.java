package org.bpnn.nn;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bpnn.loss.Loss;
import org.bpnn.tensor.Tensor;

/**
 * The judge of every layer, activation and loss: compares the analytic gradients of
 * {@link Network#computeGradients} with central finite differences of the cost computed entirely in
 * double precision by each layer's {@link Layer#forwardDouble} and the loss's
 * {@link org.bpnn.loss.Loss#valueDouble}; for a network that computes its cost from the output layer's
 * pre-activation ({@link Network#costFromPreActivation}: sigmoid + binary and softmax + categorical
 * cross-entropy), from that z by {@link org.bpnn.loss.Loss#fusedValueDouble}, as computeGradients does,
 * so that a saturated output is judged against the exact cost rather than the rounded and clamped
 * logarithm of its double probability.
 *
 * <p>numeric = (C(theta + h) - C(theta - h)) / (2h), with h = 1e-6 on the double copy of each
 * parameter. An element passes when |analytic - numeric| &lt;= atol + rtol max(|analytic|, |numeric|);
 * an element where either side is NaN or infinite fails (its error/tolerance is Infinity).
 * The analytic side runs in float on the network's backend, so rtol cannot be much below 1e-3.
 *
 * <p>The check evaluates the inference-mode function: layers that behave differently while training
 * (dropout) must be configured to be the identity for it. A {@link Dropout} that would drop units
 * (enabled, rate &gt; 0) is refused: the analytic side would be the gradient of one random mask and
 * the numeric side that of the identity, a failure reported at some weight ("worst at dense1.W[6]")
 * that says nothing about the backward pass.
 */
public final class GradientCheck {
    private GradientCheck() {}

    /** The outcome: the worst element and how many were compared. */
    public record Result(int checked, double worstExcess, String worstWhere, double worstAnalytic, double worstNumeric,
                         double cost) {
        /** True when every compared element was within tolerance. */
        public boolean passed() {
            return worstExcess <= 1.0;
        }

        @Override
        public String toString() {
            return (passed() ? "passed" : "FAILED") + ": " + checked + " elements, worst at " + worstWhere
                    + " analytic=" + worstAnalytic + " numeric=" + worstNumeric
                    + " (error/tolerance=" + String.format(Locale.ROOT, "%.3g", worstExcess) + ")";
        }
    }

    /** Checks every parameter element with rtol 1e-3 and atol 1e-6. */
    public static Result check(Network net, Tensor x, Tensor y) {
        return check(net, x, y, 1e-3, 1e-6, Integer.MAX_VALUE);
    }

    /**
     * Checks up to {@code maxPerParameter} evenly spaced elements of each parameter.
     * x: (batch, inputSize); y: (batch, outputSize).
     *
     * @throws IllegalArgumentException when rtol or atol is negative or not finite, both are 0,
     *         maxPerParameter is below 1, or the network has a dropout layer that drops units
     */
    public static Result check(Network net, Tensor x, Tensor y, double rtol, double atol, int maxPerParameter) {
        return check(net, x, y, null, rtol, atol, maxPerParameter);
    }

    /** Checks every parameter element of the sample-weighted cost with rtol 1e-3 and atol 1e-6. */
    public static Result check(Network net, Tensor x, Tensor y, Tensor weights) {
        return check(net, x, y, weights, 1e-3, 1e-6, Integer.MAX_VALUE);
    }

    /**
     * The check of {@link Network#computeGradients(Tensor, Tensor, Tensor)}: the analytic gradients of the
     * sample-weighted cost against finite differences of its double reference
     * sum_i w_i L_i / m, where L_i is the loss's {@link org.bpnn.loss.Loss#valueDouble} of row i alone
     * (its {@link org.bpnn.loss.Loss#fusedValueDouble} from z[L] when the network computes its cost from z).
     * That reference is built from the unweighted per-row losses, not from the weighted code under test.
     * weights: (batch, 1), each finite and &gt;= 0; null checks the unweighted cost.
     */
    public static Result check(Network net, Tensor x, Tensor y, Tensor weights, double rtol, double atol,
                               int maxPerParameter) {
        if (!(rtol >= 0 && atol >= 0 && Double.isFinite(rtol) && Double.isFinite(atol)) || rtol + atol == 0) {
            throw new IllegalArgumentException("rtol and atol must be finite, >= 0 and not both 0, got rtol=" + rtol
                    + ", atol=" + atol + "; check(net, x, y) uses rtol 1e-3, atol 1e-6");
        }
        if (maxPerParameter < 1) {
            throw new IllegalArgumentException("maxPerParameter must be >= 1, got " + maxPerParameter
                    + "; use Integer.MAX_VALUE to check every element");
        }
        for (Layer layer : net.layers()) {
            if (layer instanceof Dropout d && d.isEnabled() && d.rate() > 0f) {
                // refused before computeGradients, which would also draw a mask and so move the layer's generator
                throw new IllegalArgumentException("the gradient check compares with the inference function, but layer "
                        + d.name() + " is a " + d + " that drops units in the training pass the analytic gradients come from;"
                        + " call setEnabled(false) on it for the check (or build the network with dropout rate 0)");
            }
        }
        double cost = net.computeGradients(x, y, weights); // checks the weights' shape and values
        double[] wd = weights == null ? null : toDouble(weights.data());
        List<Layer> layers = net.layers();
        double[][][] params = new double[layers.size()][][];
        for (int l = 0; l < layers.size(); l++) {
            List<Parameter> ps = layers.get(l).parameters();
            params[l] = new double[ps.size()][];
            for (int p = 0; p < ps.size(); p++) {
                params[l][p] = toDouble(ps.get(p).value().data());
            }
        }
        double[] xd = toDouble(x.data());
        double[] yd = toDouble(y.data());
        int batch = x.rows();
        final double h = 1e-6;
        int checked = 0;
        double worst = -1;
        String where = "nothing";
        double wa = 0, wn = 0;
        for (int l = 0; l < layers.size(); l++) {
            List<Parameter> ps = layers.get(l).parameters();
            for (int p = 0; p < ps.size(); p++) {
                double[] theta = params[l][p];
                float[] grad = ps.get(p).grad().data();
                // step ceil(n / k) gives at most k indices 0, step, 2 step, ... (n / k rounded down would give up to 2k - 1)
                int k = Math.min(maxPerParameter, theta.length);
                int step = k == 0 ? 1 : (int) (((long) theta.length + k - 1) / k);
                for (int i = 0; i < theta.length; i += step) {
                    double saved = theta[i];
                    theta[i] = saved + h;
                    double plus = cost(net, params, xd, yd, wd, batch);
                    theta[i] = saved - h;
                    double minus = cost(net, params, xd, yd, wd, batch);
                    theta[i] = saved;
                    double numeric = (plus - minus) / (2 * h);
                    double analytic = grad[i];
                    double excess = Math.abs(analytic - numeric) / (atol + rtol * Math.max(Math.abs(analytic), Math.abs(numeric)));
                    if (Double.isNaN(excess)) {
                        // a NaN side, or an infinite one (Infinity / Infinity): no finite gradient matches it.
                        // NaN compares false with the worst so far, so such an element would be skipped, and a
                        // layer whose every gradient was NaN would "pass" with "worst at nothing"
                        excess = Double.POSITIVE_INFINITY;
                    }
                    checked++;
                    if (excess > worst) {
                        worst = excess;
                        where = ps.get(p).name() + "[" + i + "]";
                        wa = analytic;
                        wn = numeric;
                    }
                }
            }
        }
        return new Result(checked, worst, where, wa, wn, cost);
    }

    /**
     * The mean cost in double precision for the given parameter values; with weights w (else null),
     * sum_i w_i L_i / batch, each L_i the loss's valueDouble of row i alone (fusedValueDouble from z[L]
     * when the network computes its cost from z).
     */
    static double cost(Network net, double[][][] params, double[] x, double[] y, double[] w, int batch) {
        double[] a = x;
        List<Layer> layers = net.layers();
        int last = layers.size() - 1;
        for (int l = 0; l < last; l++) {
            a = layers.get(l).forwardDouble(params[l], a, batch);
        }
        // z[L] too when the network computes its cost from it (a fused dense output layer), as computeGradients
        // does; a[L] then from that z, not from a second product of the layer's weights
        double[] z = null;
        if (net.costFromPreActivation()) {
            Dense output = (Dense) layers.get(last);
            z = output.preActivationDouble(params[last], a, batch);
            a = output.activateDouble(z, batch);
        } else {
            a = layers.get(last).forwardDouble(params[last], a, batch);
        }
        int k = net.outputSize();
        if (w == null) {
            return rowsCost(net.loss(), z, a, y, batch, k);
        }
        double s = 0;
        for (int i = 0; i < batch; i++) {
            double[] zi = z == null ? null : Arrays.copyOfRange(z, i * k, (i + 1) * k);
            double[] ai = Arrays.copyOfRange(a, i * k, (i + 1) * k);
            double[] yi = Arrays.copyOfRange(y, i * k, (i + 1) * k);
            s += w[i] * rowsCost(net.loss(), zi, ai, yi, 1, k);
        }
        return s / batch;
    }

    /** The loss's double cost of the rows: from z when given (a fused output layer), else from a. */
    private static double rowsCost(Loss loss, double[] z, double[] a, double[] y, int batch, int k) {
        return z != null ? loss.fusedValueDouble(z, a, y, batch, k) : loss.valueDouble(a, y, batch, k);
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
