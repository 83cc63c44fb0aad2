package org.bpnn.nn;

/**
 * The class of one sample's class probabilities: the one rule by which every part of bpnn turns a
 * classifier's outputs into classes ({@link Network#predictClasses}, {@link Network#classesOf},
 * {@link Network#predictClass}, and the class metrics: {@code Metrics.accuracy},
 * {@code ConfusionMatrix.of} and the metrics built on it).
 *
 * <p><b>The default rule</b> ({@link #of(float[], int, int)}, what every caller uses unless a
 * threshold was chosen): with k &gt; 1 columns the class is the column of the largest probability,
 * the first on ties; with one column (a two-class model) it is 1 where the probability of class 1 is
 * at least 0.5, else 0.
 *
 * <p><b>A chosen threshold t</b> ({@link #of(float[], int, int, float)}) is for a two-class model: it
 * reads the probability of class 1, the only column (k = 1) or column 1 of a two-column softmax
 * (k = 2; column 0 is then 1 - p1, up to rounding), and the class is 1 where p1 &gt;= t, else 0. That is
 * the rule {@code Metrics.precisionRecallCurve} counts by (its score of a two-column output is column
 * 1), so a threshold picked on a curve classes the rows as its point counts them. For k = 2 a chosen
 * t = 0.5 is not the default rule on every row: a tie p0 == p1 == 0.5 is class 0 by the argmax (the
 * first) and class 1 by p1 &gt;= 0.5, and the float softmax need not sum to exactly 1, so a row with
 * p1 = 0.5 and p0 a rounding error above it differs too. Without a chosen threshold the classes are
 * the argmax, exactly as before thresholds applied to two columns. More than two columns take no
 * threshold: their class is the argmax, which no single threshold moves.
 *
 * <p><b>Which networks take a chosen threshold</b> ({@link #takesThreshold}, {@link #thresholdRefusal}):
 * those whose probability of class 1 is one number with a meaning, decided from the network alone,
 * so that {@code Network.predictClasses(x, t)} and a saved model ({@code SavedModel.withThreshold}, a
 * model file's threshold) accept and refuse the same networks: one output that is a sigmoid (a sigmoid
 * output layer, whatever the loss, or a logit of {@code Loss.binaryCrossEntropyFromLogits()}), or two
 * outputs that are a softmax (a softmax output layer, whatever the loss, or the logits of
 * {@code Loss.categoricalCrossEntropyFromLogits()}). Never two sigmoid outputs or two logits of a binary
 * cross-entropy (two independent scores, neither the probability of class 1), never more than two
 * outputs, and never an output that is no probability (a regression's value, or a custom output layer
 * whose activation is neither sigmoid nor softmax, as {@code predictProbabilities} refuses it).
 *
 * <p>It reads probabilities, never logits: a {@code Loss.binaryCrossEntropyFromLogits()} or
 * {@code categoricalCrossEntropyFromLogits()} network's outputs are first passed through
 * {@link Network#logitsToProbabilities}, the float sigmoid or softmax of its backend, which is what the
 * trainer gives its metrics. So a logit whose probability rounds to 0.5f (any logit in about
 * (-6e-8, 0)) is class 1 everywhere: comparing the logit with 0 in double would call it class 0 in
 * {@code predictClasses} while the metrics, on the rounded probability, count it as class 1.
 *
 * <p>The rows must hold no NaN (a NaN compares false with everything): callers refuse such a row or
 * count it as unclassified first. Allocation-free.
 */
public final class OutputClass {
    /**
     * The default threshold on a one-output model's probability of class 1. (A two-column model's
     * default is the argmax, {@link #of(float[], int, int)}, not this threshold on column 1.)
     */
    public static final float DEFAULT_THRESHOLD = 0.5f;

    private OutputClass() {}

    /**
     * The class of the k probabilities p[off .. off + k) by the default rule: the argmax (the first on
     * ties), or for k = 1, 1 from probability 0.5 on.
     */
    public static int of(float[] p, int off, int k) {
        return k == 1 ? (p[off] >= DEFAULT_THRESHOLD ? 1 : 0) : argmax(p, off, k);
    }

    /**
     * The class of a two-class model's k probabilities p[off .. off + k) at a chosen threshold: 1 where
     * the probability of class 1, p[off] for k = 1 or p[off + 1] for k = 2, is &gt;= threshold
     * (compared as floats), else 0. For k = 2, threshold 0.5 can differ from {@link #of(float[], int, int)}
     * (the argmax) on a tie or within rounding of one; see the class comment.
     *
     * @throws IllegalArgumentException when k is not 1 or 2: the class of more columns is their argmax,
     *         which one threshold does not move
     */
    public static int of(float[] p, int off, int k, float threshold) {
        if (k == 1) return p[off] >= threshold ? 1 : 0;
        if (k == 2) return p[off + 1] >= threshold ? 1 : 0;
        throw new IllegalArgumentException("a threshold was given for " + k + " class probabilities, but a threshold"
                + " is for a two-class model (one probability, or two columns whose column 1 is class 1's); the class of "
                + k + " is their argmax: call of(p, off, k) without one");
    }

    /**
     * Whether a chosen threshold applies to network ({@code Network.predictClasses(x, t)},
     * {@code SavedModel.withThreshold}): its probability of class 1 is one sigmoid output, or column 1
     * of two softmax outputs (see the class comment); {@link #thresholdRefusal} says why not.
     */
    public static boolean takesThreshold(Network network) {
        return thresholdRefusal(network) == null;
    }

    /**
     * Why a chosen threshold means nothing for network, or null when it takes one: the one rule behind
     * {@code Network.predictClasses(x, t)} and a saved model's threshold (see the class comment). The
     * text says what the network is and what a threshold is for, reading on from "a threshold was given,
     * but "; the caller adds what to change in its own terms (leave the threshold out of a call, a saved
     * model or a command line).
     *
     * @throws IllegalArgumentException when network is null
     */
    public static String thresholdRefusal(Network network) {
        if (network == null) {
            throw new IllegalArgumentException("network is null; pass the network whose classes the threshold would decide");
        }
        return network.thresholdRefusal(); // worked out by refusalOf when the network was made
    }

    /** {@link #thresholdRefusal}'s answer, worked out from the network's fixed loss and layers: once, by its constructor. */
    static String refusalOf(Network network) {
        int k = network.outputSize();
        String loss = network.loss().name();
        String act = network.layers().get(network.layers().size() - 1).activation().name();
        String given;
        if (!network.outputsClasses()) {
            given = "the network's loss is " + loss + " and its output layer applies " + act + ", so its outputs are values"
                    + " (a regression), not class probabilities";
        } else if (k > 2) {
            given = "the network has " + k + " outputs, and its class is the argmax of them, which one threshold does not move";
        } else if (k == 2 && !act.equals("softmax") && !loss.equals("categorical_cross_entropy_logits")) {
            given = "the network's two outputs are not a softmax (loss " + loss + ", output layer " + act + "): they are two"
                    + " independent scores, neither the probability of class 1 that a threshold is compared with";
        } else if (k == 1 && !act.equals("sigmoid") && !loss.equals("binary_cross_entropy_logits")) {
            given = "the network's one output is not a probability (loss " + loss + ", output layer " + act + "): neither a"
                    + " sigmoid nor the logit of Loss.binaryCrossEntropyFromLogits(), so no probability of class 1 to compare"
                    + " a threshold with";
        } else {
            return null;
        }
        return given + "; a threshold is for a two-class network: one sigmoid output (Activation.sigmoid(), or"
                + " Activation.identity() with Loss.binaryCrossEntropyFromLogits()) or two softmax outputs"
                + " (Activation.softmax(), or Activation.identity() with Loss.categoricalCrossEntropyFromLogits())";
    }

    /** The index in [0, n) of the largest of a[off .. off + n), the first on ties (+0 and -0 tie). */
    public static int argmax(float[] a, int off, int n) {
        int best = 0;
        float v = a[off];
        for (int j = 1; j < n; j++) {
            if (a[off + j] > v) {
                v = a[off + j];
                best = j;
            }
        }
        return best;
    }
}
