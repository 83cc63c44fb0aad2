package org.bpnn.metrics;

import java.util.Locale;
import org.bpnn.nn.OutputClass;
import org.bpnn.tensor.Tensor;

/**
 * counts[a][p] = the number of samples of actual class a predicted as class p, for k classes.
 *
 * <p>Per class c, with TP = counts[c][c], predicted(c) = column sum, support(c) = row sum plus
 * {@link #unclassified(int)} (the samples of class c that have no predicted class, see below):
 * precision = TP / predicted(c), recall = TP / support(c), F1 = 2 P R / (P + R).
 * <b>Empty denominators give 0, never NaN:</b> a class with no predictions has precision 0, a class
 * with no samples has recall 0, and F1 is 0 when P + R = 0 (scikit-learn's {@code zero_division=0}).
 * <b>Macro averages are over all k classes</b>, including those with no samples or no predictions
 * (scikit-learn's {@code labels=range(k)}), so a class the model never predicts pulls the average down.
 *
 * <p><b>A sample whose output holds a NaN has no class</b> (a network whose products overflowed):
 * {@link #of(Tensor, Tensor)} counts it in {@link #unclassified(int)} of its actual class, not in the
 * matrix. It belongs to its class's support and to the total, so it lowers recall and accuracy as a
 * miss (as in {@link Metrics#accuracy}), and it is nobody's prediction, so no precision changes.
 * Before, argmax read a NaN row as class 0.
 *
 * <p><b>At most {@value #MAX_CLASSES} classes:</b> the counts are a dense k x k matrix of longs
 * (4096 classes take 128 MiB, and its text k^2 cells); beyond that k x k is out of reach (a million
 * classes would be 8 TB, an OutOfMemoryError), so a larger k is refused with that explanation. For
 * many classes use the per-sample metrics ({@link Metrics}) instead.
 */
public final class ConfusionMatrix {
    /** The most classes a matrix may have: k x k longs, 128 MiB at 4096 (see the class comment). */
    public static final int MAX_CLASSES = 4096;

    private final long[][] counts;
    /** Per actual class, the samples with no predicted class (a NaN output). */
    private final long[] unclassified;
    private final String[] names;

    private ConfusionMatrix(long[][] counts, long[] unclassified, String[] names) {
        this.counts = counts;
        this.unclassified = unclassified;
        this.names = names;
    }

    /** From class labels in [0, classes); both arrays of the same length. */
    public static ConfusionMatrix of(int[] actual, int[] predicted, int classes) {
        if (actual == null || predicted == null) {
            // named, with what to pass: the length check below would say "must have the same length, got null and 3"
            throw new IllegalArgumentException((actual == null ? "actual" : "predicted") + " is null; pass the class of each"
                    + " row in both, e.g. Metrics.targetClasses(targets) and net.predictClasses(x)");
        }
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException("actual and predicted must have the same length, got "
                    + actual.length + " and " + predicted.length);
        }
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        checkClassCount("classes", classes);
        long[][] c = new long[classes][classes];
        for (int i = 0; i < actual.length; i++) {
            int a = actual[i], p = predicted[i];
            if (a < 0 || a >= classes || p < 0 || p >= classes) {
                throw new IllegalArgumentException("at index " + i + ": actual " + a + ", predicted " + p
                        + "; both must be in [0, " + classes + ")");
            }
            c[a][p]++;
        }
        return new ConfusionMatrix(c, new long[classes], numbers(classes));
    }

    /**
     * Refuses more than {@link #MAX_CLASSES} classes: new long[k][k] for a million classes would be an
     * OutOfMemoryError (8 TB) that names neither the class count nor the limit.
     */
    static void checkClassCount(String what, int classes) {
        if (classes > MAX_CLASSES) {
            throw new IllegalArgumentException(what + " is " + classes + "; a confusion matrix holds at most " + MAX_CLASSES
                    + " classes (its k x k counts would take " + ((long) classes * classes * 8 >> 20) + " MiB); for this many"
                    + " classes use Metrics.accuracy or Metrics.topKAccuracy instead, or map the labels onto at most " + MAX_CLASSES + " groups");
        }
    }

    /**
     * {@link #checkClassCount} for a metric that reads a matrix of the network's classes (the macro
     * averages, one class's precision, recall or F1), before training, in the words of the metric's name.
     */
    static void checkMetricClassCount(String metricName, int outputs) {
        checkClassCount("metric '" + metricName + "' reads a confusion matrix of the network's classes; their count (its"
                + " outputs)", outputs);
    }

    private static String[] numbers(int classes) {
        String[] names = new String[classes];
        for (int i = 0; i < classes; i++) names[i] = Integer.toString(i);
        return names;
    }

    /**
     * From network outputs and targets, both (n, k): classes by argmax; for k = 1 (a sigmoid
     * output) class 1 when the value is &gt;= 0.5, giving a 2x2 matrix ({@link org.bpnn.nn.OutputClass}'s
     * rule, {@code Network.predictClasses}'s). Outputs are probabilities:
     * for a logits model pass {@code Network.predictProbabilities(x)} (or use {@code Network.predictClasses},
     * which knows the loss). A row holding a NaN output has no class: it is counted in
     * {@link #unclassified(int)} of its actual class. The actual classes are read from the targets by
     * the rule of {@link Metrics#accuracy}: a target row without one class (all zeros, two 1s, a class
     * number in the one column, a value outside [0, 1]) is an IllegalArgumentException naming it.
     */
    public static ConfusionMatrix of(Tensor outputs, Tensor targets) {
        if (outputs == null) {
            throw new IllegalArgumentException("outputs are null; pass the network's outputs (n, k) and the targets of the same shape");
        }
        Metrics.checkClassShapes(outputs, targets);
        int n = outputs.rows(), k = outputs.cols();
        float[] o = outputs.data(), t = targets.data();
        if (k == 1) {
            long[][] c = new long[2][2];
            long[] none = new long[2];
            for (int i = 0; i < n; i++) {
                int a = Metrics.targetClass(t, i, 1);
                if (o[i] != o[i]) {
                    none[a]++;
                } else {
                    c[a][OutputClass.of(o, i, 1)]++; // the class Network.predictClasses gives
                }
            }
            return new ConfusionMatrix(c, none, numbers(2));
        }
        checkClassCount("outputs.cols() (the classes)", k); // before decode's O(n k) scan, and the k x k allocation
        long[][] c = new long[k][k];
        long[] none = new long[k];
        for (int i = 0; i < n; i++) {
            int a = Metrics.targetClass(t, i, k); // the rule of Metrics.accuracy: a row without one class is refused
            if (Metrics.hasNaN(o, i * k, k)) {
                none[a]++;
            } else {
                c[a][OutputClass.of(o, i * k, k)]++;
            }
        }
        return new ConfusionMatrix(c, none, numbers(k));
    }


    /** The same counts rendered with these class names (one per class). */
    public ConfusionMatrix withClassNames(String... classNames) {
        if (classNames == null || classNames.length != counts.length) {
            throw new IllegalArgumentException("expected " + counts.length + " class names, got "
                    + (classNames == null ? "null" : classNames.length));
        }
        for (int i = 0; i < classNames.length; i++) {
            if (classNames[i] == null) { // toString would fail on it later, with an NPE
                throw new IllegalArgumentException("class name " + i + " is null; pass a name for each of the " + counts.length
                        + " classes (e.g. Integer.toString(" + i + "))");
            }
        }
        return new ConfusionMatrix(counts, unclassified, classNames.clone());
    }

    public int classes() { return counts.length; }

    /** Samples of actual class a predicted as p. */
    public long count(int actual, int predicted) {
        checkClass("actual", actual);
        checkClass("predicted", predicted);
        return counts[actual][predicted];
    }

    /** A copy of the counts, [actual][predicted] (without the {@link #unclassified(int)} samples). */
    public long[][] counts() {
        long[][] c = new long[counts.length][];
        for (int i = 0; i < c.length; i++) c[i] = counts[i].clone();
        return c;
    }

    /** All samples, the unclassified ones included. */
    public long total() {
        long t = 0;
        for (long[] r : counts) for (long v : r) t += v;
        return t + unclassified();
    }

    /** Samples of actual class c that have no predicted class (their output held a NaN). */
    public long unclassified(int c) {
        checkClass("class", c);
        return unclassified[c];
    }

    /** Samples that have no predicted class (their output held a NaN), over all classes. */
    public long unclassified() {
        long t = 0;
        for (long v : unclassified) t += v;
        return t;
    }

    /** Samples whose actual class is c, the unclassified ones included. */
    public long support(int c) {
        checkClass("class", c);
        long s = unclassified[c];
        for (long v : counts[c]) s += v;
        return s;
    }

    /** Samples predicted as class c. */
    public long predictedCount(int c) {
        checkClass("class", c);
        long s = 0;
        for (long[] r : counts) s += r[c];
        return s;
    }

    /** A class index outside [0, classes), refused with the range (else an ArrayIndexOutOfBoundsException without it). */
    private void checkClass(String what, int c) {
        if (c < 0 || c >= counts.length) {
            throw new IllegalArgumentException(what + " " + c + " is outside [0, " + counts.length + "); this matrix has "
                    + counts.length + " classes, numbered from 0");
        }
    }

    /** Correct / total (an unclassified sample is not correct); 0 for an empty matrix. */
    public double accuracy() {
        long t = total(), ok = 0;
        for (int i = 0; i < counts.length; i++) ok += counts[i][i];
        return t == 0 ? 0 : (double) ok / t;
    }

    /** TP / predicted(c); 0 when c is never predicted. */
    public double precision(int c) {
        long p = predictedCount(c); // checks c
        return p == 0 ? 0 : (double) counts[c][c] / p;
    }

    /** TP / support(c); 0 when c has no samples. */
    public double recall(int c) {
        long s = support(c); // checks c
        return s == 0 ? 0 : (double) counts[c][c] / s;
    }

    /** 2 P R / (P + R); 0 when P + R = 0. */
    public double f1(int c) {
        double p = precision(c), r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Mean of precision over all classes. */
    public double macroPrecision() {
        double s = 0;
        for (int c = 0; c < counts.length; c++) s += precision(c);
        return s / counts.length;
    }

    /** Mean of recall over all classes. */
    public double macroRecall() {
        double s = 0;
        for (int c = 0; c < counts.length; c++) s += recall(c);
        return s / counts.length;
    }

    /** Mean of the per-class F1 over all classes (not the F1 of the macro P and R). */
    public double macroF1() {
        double s = 0;
        for (int c = 0; c < counts.length; c++) s += f1(c);
        return s / counts.length;
    }

    /**
     * The matrix as aligned text, rows actual, columns predicted (and a last column "no class" when
     * a sample has none), then per-class precision, recall, F1 and support:
     * <pre>
     * actual \ predicted   cat   dog  bird
     *                cat     5     1     0
     * ...
     * </pre>
     */
    @Override
    public String toString() {
        int w = 4;
        for (String n : names) w = Math.max(w, n.length());
        for (long[] r : counts) for (long v : r) w = Math.max(w, Long.toString(v).length());
        boolean none = unclassified() > 0;
        String noClass = "no class";
        int wn = noClass.length();
        for (long v : unclassified) wn = Math.max(wn, Long.toString(v).length());
        String corner = "actual \\ predicted";
        int first = Math.max(corner.length(), w);
        StringBuilder sb = new StringBuilder();
        sb.append(pad(corner, first));
        for (String n : names) sb.append("  ").append(pad(n, w));
        if (none) sb.append("  ").append(pad(noClass, wn));
        sb.append('\n');
        for (int a = 0; a < counts.length; a++) {
            sb.append(pad(names[a], first));
            for (long v : counts[a]) sb.append("  ").append(pad(Long.toString(v), w));
            if (none) sb.append("  ").append(pad(Long.toString(unclassified[a]), wn));
            sb.append('\n');
        }
        sb.append('\n').append(pad("class", first)).append("  precision     recall         f1    support\n");
        for (int c = 0; c < counts.length; c++) {
            sb.append(pad(names[c], first)).append(String.format(Locale.ROOT, "  %9.4f  %9.4f  %9.4f  %9d%n", precision(c), recall(c), f1(c), support(c)));
        }
        sb.append(pad("macro avg", first)).append(String.format(Locale.ROOT, "  %9.4f  %9.4f  %9.4f  %9d%n", macroPrecision(), macroRecall(), macroF1(), total()));
        sb.append(pad("accuracy", first)).append(String.format(Locale.ROOT, "  %31.4f%n", accuracy()));
        return sb.toString();
    }

    private static String pad(String s, int w) {
        StringBuilder sb = new StringBuilder();
        for (int i = s.length(); i < w; i++) sb.append(' ');
        return sb.append(s).toString();
    }
}
