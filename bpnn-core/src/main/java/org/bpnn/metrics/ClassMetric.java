package org.bpnn.metrics;

import org.bpnn.tensor.Tensor;

/**
 * {@link Metric#precision(int)}, {@link Metric#recall(int)} and {@link Metric#f1(int)}: one class's figure
 * of the {@link ConfusionMatrix} of the outputs and targets, so that it follows the matrix's rules (the
 * classes of {@code Network.predictClasses}, a NaN row unclassified, 0 for an empty denominator).
 */
final class ClassMetric implements Metric {
    enum Kind {
        PRECISION("precision"), RECALL("recall"), F1("f1");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private final Kind kind;
    private final int cls;

    ClassMetric(Kind kind, int cls) {
        if (cls < 0) {
            throw new IllegalArgumentException(kind.label + " of class " + cls + ": classes are numbered from 0 (for one"
                    + " sigmoid output 0 and 1, else the output columns); pass e.g. Metric." + kind.label + "(1) for the"
                    + " positive class of a binary classifier");
        }
        this.kind = kind;
        this.cls = cls;
    }

    /** "recall_1": no val_ prefix of its own, so early stopping's monitor takes it as it is. */
    @Override
    public String name() {
        return kind.label + "_" + cls;
    }

    @Override
    public double value(Tensor outputs, Tensor targets) {
        if (outputs != null) {
            requireOutputs(outputs.cols()); // the class named in this metric's words, not the matrix's
        }
        ConfusionMatrix m = ConfusionMatrix.of(outputs, targets);
        return switch (kind) {
            case PRECISION -> m.precision(cls);
            case RECALL -> m.recall(cls);
            case F1 -> m.f1(cls);
        };
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public boolean readsClasses() {
        return true;
    }

    /**
     * The class must be one of the network's: 0 or 1 for one (sigmoid) output, else [0, outputs); and the
     * matrix it reads must fit {@link ConfusionMatrix#MAX_CLASSES}, as for the macro averages.
     */
    @Override
    public void requireOutputs(int outputs) {
        int classes = Metrics.classCount(outputs);
        if (cls >= classes) {
            throw new IllegalArgumentException("metric '" + name() + "' reads class " + cls + ", but the network has " + outputs
                    + " output" + (outputs == 1 ? " (a sigmoid: classes 0 and 1)" : "s (classes 0 to " + (outputs - 1) + ")")
                    + "; pass a class in [0, " + classes + ")");
        }
        ConfusionMatrix.checkMetricClassCount(name(), outputs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassMetric c && c.kind == kind && c.cls == cls;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + cls;
    }

    @Override
    public String toString() {
        return "Metric." + kind.label + "(" + cls + ")";
    }
}
