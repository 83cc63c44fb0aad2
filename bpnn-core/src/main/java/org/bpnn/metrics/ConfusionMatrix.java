package org.bpnn.metrics;

import java.util.Locale;
import org.bpnn.data.OneHot;
import org.bpnn.tensor.Tensor;

/**
 * counts[a][p] = the number of samples of actual class a predicted as class p, for k classes.
 *
 * <p>Per class c, with TP = counts[c][c], predicted(c) = column sum, support(c) = row sum:
 * precision = TP / predicted(c), recall = TP / support(c), F1 = 2 P R / (P + R).
 * <b>Empty denominators give 0, never NaN:</b> a class with no predictions has precision 0, a class
 * with no samples has recall 0, and F1 is 0 when P + R = 0 (scikit-learn's {@code zero_division=0}).
 * <b>Macro averages are over all k classes</b>, including those with no samples or no predictions
 * (scikit-learn's {@code labels=range(k)}), so a class the model never predicts pulls the average down.
 */
public final class ConfusionMatrix {
    private final long[][] counts;
    private final String[] names;

    private ConfusionMatrix(long[][] counts, String[] names) {
        this.counts = counts;
        this.names = names;
    }

    /** From class labels in [0, classes); both arrays of the same length. */
    public static ConfusionMatrix of(int[] actual, int[] predicted, int classes) {
        if (actual == null || predicted == null || actual.length != predicted.length) {
            throw new IllegalArgumentException("actual and predicted must have the same length, got "
                    + (actual == null ? "null" : actual.length) + " and " + (predicted == null ? "null" : predicted.length));
        }
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        long[][] c = new long[classes][classes];
        for (int i = 0; i < actual.length; i++) {
            int a = actual[i], p = predicted[i];
            if (a < 0 || a >= classes || p < 0 || p >= classes) {
                throw new IllegalArgumentException("at index " + i + ": actual " + a + ", predicted " + p
                        + "; both must be in [0, " + classes + ")");
            }
            c[a][p]++;
        }
        String[] names = new String[classes];
        for (int i = 0; i < classes; i++) names[i] = Integer.toString(i);
        return new ConfusionMatrix(c, names);
    }

    /**
     * From network outputs and targets, both (n, k): classes by argmax; for k = 1 (a sigmoid
     * output) class 1 when the value is &gt;= 0.5, giving a 2x2 matrix. Outputs are probabilities:
     * for a logits model pass {@code Network.predictProbabilities(x)} (or use {@code Network.predictClasses},
     * which knows the loss).
     */
    public static ConfusionMatrix of(Tensor outputs, Tensor targets) {
        if (outputs == null) {
            throw new IllegalArgumentException("outputs are null; pass the network's outputs (n, k) and the targets of the same shape");
        }
        Tensor.requireShape("targets", targets, outputs.rows(), outputs.cols());
        if (outputs.cols() == 1) {
            int n = outputs.rows();
            int[] a = new int[n], p = new int[n];
            for (int i = 0; i < n; i++) {
                a[i] = targets.data()[i] >= 0.5f ? 1 : 0;
                p[i] = outputs.data()[i] >= 0.5f ? 1 : 0;
            }
            return of(a, p, 2);
        }
        return of(OneHot.decode(targets), OneHot.decode(outputs), outputs.cols());
    }

    /** The same counts rendered with these class names (one per class). */
    public ConfusionMatrix withClassNames(String... classNames) {
        if (classNames == null || classNames.length != counts.length) {
            throw new IllegalArgumentException("expected " + counts.length + " class names, got "
                    + (classNames == null ? "null" : classNames.length));
        }
        for (int i = 0; i < classNames.length; i++) {
            if (classNames[i] == null) { // toString failed on it later, with an NPE
                throw new IllegalArgumentException("class name " + i + " is null; pass a name for each of the " + counts.length
                        + " classes (e.g. Integer.toString(" + i + "))");
            }
        }
        return new ConfusionMatrix(counts, classNames.clone());
    }

    public int classes() { return counts.length; }

    /** Samples of actual class a predicted as p. */
    public long count(int actual, int predicted) {
        checkClass("actual", actual);
        checkClass("predicted", predicted);
        return counts[actual][predicted];
    }

    /** A copy of the counts, [actual][predicted]. */
    public long[][] counts() {
        long[][] c = new long[counts.length][];
        for (int i = 0; i < c.length; i++) c[i] = counts[i].clone();
        return c;
    }

    public long total() {
        long t = 0;
        for (long[] r : counts) for (long v : r) t += v;
        return t;
    }

    /** Samples whose actual class is c. */
    public long support(int c) {
        checkClass("class", c);
        long s = 0;
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

    /** A class index outside [0, classes) was an ArrayIndexOutOfBoundsException without the range. */
    private void checkClass(String what, int c) {
        if (c < 0 || c >= counts.length) {
            throw new IllegalArgumentException(what + " " + c + " is outside [0, " + counts.length + "); this matrix has "
                    + counts.length + " classes, numbered from 0");
        }
    }

    /** Correct / total; 0 for an empty matrix. */
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
     * The matrix as aligned text, rows actual, columns predicted, then per-class precision, recall,
     * F1 and support:
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
        String corner = "actual \\ predicted";
        int first = Math.max(corner.length(), w);
        StringBuilder sb = new StringBuilder();
        sb.append(pad(corner, first));
        for (String n : names) sb.append("  ").append(pad(n, w));
        sb.append('\n');
        for (int a = 0; a < counts.length; a++) {
            sb.append(pad(names[a], first));
            for (long v : counts[a]) sb.append("  ").append(pad(Long.toString(v), w));
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
