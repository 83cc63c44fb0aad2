package org.bpnn.examples.seed;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bpnn.backend.Backend;
import org.bpnn.examples.BackendOptions;
import org.bpnn.examples.Errors;
import org.bpnn.examples.Summary;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Dense;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What this shows: the seed note's network, 2 -> 3 -> 2 -> output, here with 2 outputs, sigmoid
 * activations, the L2 loss and fixed weights of our own (the note gives no numbers), printing z, a,
 * delta (BP1, BP2) and the gradients (BP3) in the note's column notation for one sample and for a
 * batch of four, then a few steps of gradient descent (BP4).
 *
 * <p>How to run: {@code ./bpnn seed} (or {@code ./bpnn seed --steps 20 --learning-rate 1}).
 */
@Command(name = "seed", mixinStandardHelpOptions = true,
        description = "The seed note's 2-3-2-2 network: z, a, delta (BP1, BP2), gradients (BP3) for one sample and a batch of 4, then BP4.")
public final class SeedCommand implements Callable<Integer> {
    // Example values of our own (the note has none). W[l][j][k] connects neuron k of layer l-1 to
    // neuron j of layer l; b[l][j] is neuron j's bias.
    public static final double[][] W1 = {{0.15, -0.20}, {0.25, 0.30}, {-0.40, 0.10}};
    public static final double[] B1 = {0.35, -0.10, 0.05};
    public static final double[][] W2 = {{0.40, -0.45, 0.50}, {0.55, 0.20, -0.30}};
    public static final double[] B2 = {0.60, -0.25};
    public static final double[][] W3 = {{-0.35, 0.70}, {0.45, 0.15}};
    public static final double[] B3 = {0.10, 0.20};
    /** Four samples, one per row here; the note writes them as the columns of A[0]. */
    public static final double[][] X = {{0.05, 0.10}, {0.90, -0.30}, {-0.50, 0.70}, {0.20, 0.20}};
    public static final double[][] Y = {{0.01, 0.99}, {1.0, 0.0}, {0.0, 1.0}, {0.5, 0.5}};

    @Mixin
    BackendOptions backendOptions = new BackendOptions();

    @Option(names = "--steps", defaultValue = "5", description = "Gradient-descent steps on the batch (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--learning-rate", defaultValue = "0.5", description = "alpha in BP4 (default: ${DEFAULT-VALUE}).")
    double learningRate;

    PrintStream out = System.out;

    /** The seed network with the weights above. */
    public static Network network(Backend backend) {
        Network net = Network.builder(2)
                .dense(3, Activation.sigmoid())
                .dense(2, Activation.sigmoid())
                .dense(2, Activation.sigmoid())
                .loss(Loss.mse())
                .backend(backend)
                .build();
        double[][][] ws = {W1, W2, W3};
        double[][] bs = {B1, B2, B3};
        for (int l = 0; l < 3; l++) {
            Dense d = (Dense) net.layers().get(l);
            for (int j = 0; j < ws[l].length; j++) {
                for (int k = 0; k < ws[l][j].length; k++) d.weight().value().set(j, k, (float) ws[l][j][k]);
                d.bias().value().set(0, j, (float) bs[l][j]);
            }
        }
        return net;
    }

    static Tensor rows(double[][] v, int n) {
        Tensor t = Tensor.zeros(n, v[0].length);
        for (int i = 0; i < n; i++) for (int j = 0; j < v[0].length; j++) t.set(i, j, (float) v[i][j]);
        return t;
    }

    @Override
    public Integer call() {
        if (steps < 0) {
            // 0 is allowed: it prints the one-sample and batch passes and takes no step
            throw new IllegalArgumentException("--steps must be >= 0, got " + steps + "; pass --steps 0 to print the forward and"
                    + " backward passes only, or a positive number of gradient-descent steps");
        }
        Sgd sgd = Errors.forFlag("--learning-rate", () -> new Sgd(learningRate)); // checked before anything is printed
        Backend backend = backendOptions.resolve();
        Network net = network(backend);
        out.println("The seed note's network: layer 0 has 2 inputs, layers 1 and 2 are hidden (3 and 2 neurons),");
        out.println("layer 3 is the output (2 neurons here); sigma is the sigmoid everywhere, the loss is L2:");
        out.println("L = (1/2) sum_j (a[3]_j - y_j)^2 per sample (the mean over the 2 outputs), cost = mean over samples.");
        out.println("Vectors are columns, written [..]^T; W[l] row j, column k connects neuron k of layer l-1 to neuron j of layer l.");
        // the symbols the lines below use, which the note defines in its own words (and with L both the loss
        // and the output layer's index): a learner recomputing BP1 needs grad_a L and sigma' of this network
        out.println("z[l] = W[l] a[l-1] + b[l] is layer l's weighted input, a[l] = sigma(z[l]) its output; W[l] is (n_l, n_{l-1}).");
        out.println("delta[l] = dL/dz[l], layer l's error (the note's delta[L], L the output layer, is delta[3] here);"
                + " (.) is the element-wise product.");
        out.println("For this loss and sigma: grad_a L = a[3] - y, and sigma'(z) = sigma(z) (1 - sigma(z)) = a (.) (1 - a).");
        out.println("The initial weights and biases (example values, not the note's: it gives none, nor the output width):");
        printParameters(net, "  ");
        out.println();
        explain(net, 1);
        out.println();
        explain(net, 4);
        out.println();
        out.println("Gradient descent (BP4) on the batch of 4, alpha = " + fmt(learningRate) + ":");
        Tensor x = rows(X, 4), y = rows(Y, 4);
        double cost = net.computeGradients(x, y);
        double first = cost;
        for (int s = 1; s <= steps; s++) {
            cost = net.trainStep(x, y, sgd);
            out.printf(Locale.ROOT, "  step %d: cost before the step = %.6f%n", s, cost);
            if (s == 1) {
                // W[l] - alpha dW[l] with the batch's dW above: checkable by hand
                out.println("  after step 1 (W[l] - alpha dW[l], b[l] - alpha db[l] with the batch gradients above):");
                printParameters(net, "    ");
            }
        }
        double fin = net.evaluateLoss(x, y);
        out.printf(Locale.ROOT, "  cost after %d steps = %.6f (from %.6f)%n", steps, fin, first);
        out.println(new Summary("seed", backend).put("steps", steps).put("initial_cost", first).put("final_cost", fin).toJson());
        return 0;
    }

    private void printParameters(Network net, String indent) {
        for (int l = 1; l <= net.layers().size(); l++) {
            Dense d = (Dense) net.layers().get(l - 1);
            out.println(indent + "W[" + l + "] = " + matrix(d.weight().value()) + ",  b[" + l + "] = " + col(d.bias().value(), 0));
        }
    }

    private void explain(Network net, int m) {
        Tensor x = rows(X, m), y = rows(Y, m);
        List<Network.LayerTrace> trace = net.trace(x, y);
        if (m == 1) {
            out.println("== One sample: a[0] = x = " + col(x, 0) + ", y = " + col(y, 0));
            for (int l = 1; l <= 3; l++) {
                Network.LayerTrace t = trace.get(l - 1);
                out.println("forward  z[" + l + "] = W[" + l + "] a[" + (l - 1) + "] + b[" + l + "] = " + col(t.z(), 0));
                out.println("forward  a[" + l + "] = sigma(z[" + l + "]) = " + col(t.a(), 0));
            }
            Network.LayerTrace last = trace.get(2);
            out.println("cost     L = " + fmt(net.loss().value(last.a(), y)));
            out.println("BP1      delta[3] = grad_a L (.) sigma'(z[3]) = " + col(last.delta(), 0));
            for (int l = 2; l >= 1; l--) {
                out.println("BP2      delta[" + l + "] = (W[" + (l + 1) + "]^T delta[" + (l + 1) + "]) (.) sigma'(z[" + l + "]) = "
                        + col(trace.get(l - 1).delta(), 0));
            }
            for (int l = 3; l >= 1; l--) {
                Network.LayerTrace t = trace.get(l - 1);
                out.println("BP3      dL/dW[" + l + "] = delta[" + l + "] a[" + (l - 1) + "]^T = " + matrix(t.gradients().get(0)));
                out.println("BP3      dL/db[" + l + "] = delta[" + l + "] = " + col(t.gradients().get(1), 0));
            }
        } else {
            // Y too, as the note's (n_L, m) matrix: without it the cost and dZ[3] cannot be recomputed by hand
            out.println("== A batch of " + m + " samples: A[0] and the targets Y have one column per sample, A[0] = " + columns(x)
                    + ", Y = " + columns(y));
            for (int l = 1; l <= 3; l++) {
                Network.LayerTrace t = trace.get(l - 1);
                out.println("forward  Z[" + l + "] = W[" + l + "] A[" + (l - 1) + "] + b[" + l + "] = " + columns(t.z()));
                out.println("forward  A[" + l + "] = sigma(Z[" + l + "]) = " + columns(t.a()));
            }
            out.println("cost     J = (1/m) sum_i L_i = " + fmt(net.loss().value(trace.get(2).a(), y)));
            for (int l = 3; l >= 1; l--) {
                Network.LayerTrace t = trace.get(l - 1);
                Tensor dz = t.delta().copy();
                // The note's dZ[l]: column i is delta[l] of sample i, dL_i/dz[l]. The trace's delta is dJ/dZ of
                // the mean cost J, which carries the batch's 1/m (the note's batch BP1 grad_A C (.) sigma'(Z)
                // would too, and its dW = (1/m) dZ A^T would then divide by m twice): multiply it back.
                for (int i = 0; i < dz.size(); i++) dz.data()[i] *= m;
                String formula = l == 3 ? "grad_a L_i (.) sigma'(z[3])"
                        : "(W[" + (l + 1) + "]^T dZ[" + (l + 1) + "]) (.) sigma'(Z[" + l + "])";
                out.println((l == 3 ? "BP1" : "BP2") + "      dZ[" + l + "] = " + formula
                        + ", one column per sample (delta[" + l + "] per sample, no 1/m) = " + columns(dz));
                out.println("BP3      dW[" + l + "] = (1/m) dZ[" + l + "] A[" + (l - 1) + "]^T = " + matrix(t.gradients().get(0)));
                out.println("BP3      db[" + l + "] = (1/m) sum over samples of dZ[" + l + "] = " + col(t.gradients().get(1), 0)
                        + "   (the batch mean; the note's \"(1/m) mean of each row\" would divide by m twice)");
            }
            out.println("BP4      W[l] <- W[l] - alpha dW[l],  b[l] <- b[l] - alpha db[l]");
        }
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    /** Row r of t as a column vector. */
    static String col(Tensor t, int r) {
        StringBuilder sb = new StringBuilder("[");
        for (int j = 0; j < t.cols(); j++) {
            if (j > 0) sb.append(", ");
            sb.append(fmt(t.get(r, j)));
        }
        return sb.append("]^T").toString();
    }

    /** A (rows, cols) matrix as [[row], [row]]. */
    static String matrix(Tensor t) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < t.rows(); i++) {
            if (i > 0) sb.append(", ");
            sb.append('[');
            for (int j = 0; j < t.cols(); j++) {
                if (j > 0) sb.append(", ");
                sb.append(fmt(t.get(i, j)));
            }
            sb.append(']');
        }
        return sb.append(']').toString();
    }

    /** A (samples, n) tensor shown as the note's (n, samples) matrix, one column per sample. */
    static String columns(Tensor t) {
        StringBuilder sb = new StringBuilder("[");
        for (int j = 0; j < t.cols(); j++) {
            if (j > 0) sb.append(", ");
            sb.append('[');
            for (int i = 0; i < t.rows(); i++) {
                if (i > 0) sb.append(", ");
                sb.append(fmt(t.get(i, j)));
            }
            sb.append(']');
        }
        return sb.append(']').toString();
    }
}
