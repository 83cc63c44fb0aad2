package org.bpnn.metrics;

import org.bpnn.data.Normaliser;
import org.bpnn.tensor.Tensor;

/**
 * {@link Metric#inTargetUnits}: a metric read on outputs and targets mapped back through a target
 * normaliser's inverse, so that a regression trained on normalised targets reports its errors in the
 * targets' own units.
 */
final class InTargetUnits implements Metric {
    private final Metric metric;
    private final Normaliser targetNormaliser;
    private final float[] center, scale;

    InTargetUnits(Metric metric, Normaliser targetNormaliser) {
        if (metric == null) {
            throw new IllegalArgumentException("metric is null; pass a regression metric such as Metric.rmse()");
        }
        if (targetNormaliser == null) {
            throw new IllegalArgumentException("targetNormaliser is null; pass the Normaliser fitted on the training targets"
                    + " (Normaliser.standardise(train.targets())), or use " + metric + " itself for targets in their own units");
        }
        if (metric.readsClasses()) {
            // accuracy of values mapped through an affine map: argmax moves with the per-column scales
            // and centers, so it would read other classes than the network's outputs give
            throw new IllegalArgumentException("metric '" + metric.name() + "' reads classes, but a target normaliser maps"
                    + " regression values back into their units; pass " + metric + " without it, or wrap a regression"
                    + " metric (Metric.mse(), rmse(), mae())");
        }
        this.metric = metric;
        this.targetNormaliser = targetNormaliser;
        this.center = targetNormaliser.center();
        this.scale = targetNormaliser.scale();
    }

    @Override
    public String name() {
        return metric.name();
    }

    @Override
    public boolean higherIsBetter() {
        return metric.higherIsBetter();
    }

    @Override
    public void requireOutputs(int outputs) {
        if (outputs != center.length) {
            throw new IllegalArgumentException("metric '" + name() + "' maps the outputs back with a target normaliser fitted on "
                    + center.length + " target column" + (center.length == 1 ? "" : "s") + ", but the network has " + outputs
                    + " output" + (outputs == 1 ? "" : "s") + "; pass the normaliser fitted on this network's training targets");
        }
        metric.requireOutputs(outputs);
    }

    /** The wrapped metric's check, on the targets mapped back into their units (as value reads them). */
    @Override
    public void requireTargets(Tensor targets) {
        if (targets != null && targets.cols() == center.length) {
            metric.requireTargets(inUnits(targets));
        }
    }

    @Override
    public double value(Tensor outputs, Tensor targets) {
        if (outputs == null) {
            throw new IllegalArgumentException("outputs are null; pass the network's outputs (n, " + center.length
                    + "), on normalised targets, e.g. net.predict(x)");
        }
        if (outputs.cols() != center.length) {
            throw new IllegalArgumentException("metric '" + name() + "' has a target normaliser fitted on " + center.length
                    + " target columns, but the outputs are " + outputs.shape() + "; pass outputs with one column per target");
        }
        Tensor.requireShape("targets", targets, outputs.rows(), outputs.cols());
        // copies: the trainer's tensors are read by the metrics after this one and must not be written
        return metric.value(inUnits(outputs), inUnits(targets));
    }

    /**
     * v = z * scale + center per column, as {@link Normaliser#inverse} computes it (so the value matches
     * the metric of {@code SavedModel.predict}'s outputs), but an overflow is kept as an infinity instead
     * of thrown: a diverging epoch then scores an infinite error, which early stopping counts as no
     * improvement, rather than ending the run from inside a metric.
     */
    private Tensor inUnits(Tensor x) {
        Tensor out = x.copy();
        float[] d = out.data();
        int k = center.length;
        for (int i = 0; i < d.length; i++) {
            int j = i % k;
            float z = d[i], v = z * scale[j] + center[j];
            if (!Float.isFinite(v) && Float.isFinite(z)) {
                v = (float) ((double) z * scale[j] + center[j]);
            }
            d[i] = v;
        }
        return out;
    }

    @Override
    public String toString() {
        return "Metric.inTargetUnits(" + metric + ", " + targetNormaliser + ")";
    }
}
