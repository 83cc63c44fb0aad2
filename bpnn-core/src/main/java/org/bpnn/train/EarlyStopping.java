package org.bpnn.train;

/**
 * Stops training when the monitored quantity has not improved for {@code patience} epochs.
 *
 * <p>The monitor is "loss" (default) or the name of one of the trainer's metrics; it is read on the
 * validation set when there is one, else on the training set. An epoch improves when its value
 * beats the best so far by more than {@code minDelta} (lower for losses and errors, higher for
 * metrics with {@link org.bpnn.metrics.Metric#higherIsBetter()}); the first epoch with a finite value
 * always improves, and a NaN or infinite value never does (it counts against the patience, as in Keras:
 * with {@code patience(1)}, a NaN in epoch 1 stops the run there, with no best epoch).
 * With {@link #restoreBestWeights()}, the network ends with the weights of the best epoch, whether
 * training stopped early or ran all its epochs.
 *
 * <p>Immutable: each method returns a new configuration.
 */
public final class EarlyStopping {
    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;
    private final String monitor;

    private EarlyStopping(int patience, double minDelta, boolean restoreBest, String monitor) {
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBest = restoreBest;
        this.monitor = monitor;
    }

    /**
     * Stop after {@code epochs} (&gt;= 0) epochs in a row without improvement of the loss (change the
     * monitor with {@link #monitor}). 0 acts as 1, as in Keras: the run stops at the first epoch that
     * does not improve. A stop never comes at the last planned epoch (the run ends there anyway).
     *
     * @throws IllegalArgumentException when epochs is negative
     */
    public static EarlyStopping patience(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("patience must be >= 0 epochs, got " + epochs + "; 5 to 10 is usual");
        }
        return new EarlyStopping(epochs, 0, false, "loss");
    }

    /** The smallest change that counts as an improvement (finite, &gt;= 0; default 0). */
    public EarlyStopping minDelta(double delta) {
        if (!(delta >= 0) || !Double.isFinite(delta)) {
            throw new IllegalArgumentException("minDelta must be finite and >= 0, got " + delta + "; e.g. 1e-4");
        }
        return new EarlyStopping(patience, delta, restoreBest, monitor);
    }

    /**
     * End with the best epoch's weights: after the run, and also when it diverges (the
     * {@link TrainingDivergedException} then names the epoch, {@link TrainingDivergedException#restoredEpoch()}).
     */
    public EarlyStopping restoreBestWeights() {
        return new EarlyStopping(patience, minDelta, true, monitor);
    }

    /**
     * Monitor "loss" or a metric by name (e.g. "accuracy", "rmse"): the bare name, without the
     * {@code val_} the progress lines and the history put before validation values; the validation
     * set's value is the one read when there is a validation set. A name that is neither "loss" nor
     * one of the trainer's metrics is refused by {@code Trainer.builder()...build()}, with the names it
     * has and the nearest to this one.
     */
    public EarlyStopping monitor(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("monitor needs a name: \"loss\" or a metric name such as \"accuracy\"");
        }
        return new EarlyStopping(patience, minDelta, restoreBest, name);
    }

    public int patience() { return patience; }

    public double minDelta() { return minDelta; }

    public boolean restoresBestWeights() { return restoreBest; }

    public String monitor() { return monitor; }

    /**
     * Whether an epoch's {@code score} improves on the best so far, the rule of the class comment:
     * {@code score} is lower-is-better (a higher-is-better metric's value negated), {@code bestEpoch} 0
     * means no best yet, a NaN or infinite score never improves, and with early stopping (non-null
     * {@code es}) an improvement must exceed its minDelta. Without early stopping it still tracks the
     * best epoch. Trainer's rule, public so that other trainers (bpnn-spark's) apply the same one.
     */
    public static boolean improves(EarlyStopping es, double score, double bestScore, int bestEpoch) {
        double minDelta = es == null ? 0 : es.minDelta;
        return Double.isFinite(score) && (bestEpoch == 0 || score < bestScore - minDelta);
    }

    /**
     * Whether the run stops after {@code epoch} of {@code epochs}: {@code sinceImprovement} epochs have
     * passed without improvement, more than the patience allows, this one did not improve, and it was
     * not the last epoch anyway. Trainer's rule, for other trainers too.
     */
    public boolean stopsAfter(int sinceImprovement, boolean improved, int epoch, int epochs) {
        return sinceImprovement > patience - 1 && !improved && epoch < epochs;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("EarlyStopping.patience(").append(patience).append(')');
        if (minDelta != 0) sb.append(".minDelta(").append(minDelta).append(')');
        if (!monitor.equals("loss")) sb.append(".monitor(\"").append(monitor).append("\")");
        if (restoreBest) sb.append(".restoreBestWeights()");
        return sb.toString();
    }
}
