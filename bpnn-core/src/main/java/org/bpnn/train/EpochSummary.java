package org.bpnn.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one epoch produced.
 *
 * @param epoch             the epoch, 1-based
 * @param epochs            the total planned
 * @param trainLoss         the epoch's training loss, sum_i w_i L_i / n over the n rows of the batches
 *                          it trained on (w_i = 1 when unweighted): each batch's loss counted once per
 *                          row, so a smaller last batch weighs less than a full one (it is not the
 *                          plain mean of the batches' losses), and skipped batches are left out; as
 *                          computed during the epoch, with dropout active and the weights moving;
 *                          penalties excluded
 * @param validationLoss    the loss on the validation set after the epoch, or NaN without one
 * @param trainMetrics      metric name to value on the whole training set after the epoch
 *                          (inference mode), in the trainer's metric order; empty without metrics,
 *                          never null, nor a null name or value (a value not computed is NaN)
 * @param validationMetrics the same on the validation set; empty without one
 * @param learningRate      the rate of the epoch's last update (NaN for a custom optimiser). The optimiser
 *                          keeps its rates as floats; the trainers report the float's shortest decimal
 *                          ({@code 0.001} for {@code new Adam(0.001)}, not the widened
 *                          {@code 0.0010000000474974513}), which casts back to the same float
 * @param skippedBatches    batches skipped under {@link NonFinitePolicy#SKIP_BATCH}
 * @param seconds           wall time of the epoch, including evaluation
 * @param improved          whether early stopping counted the epoch as an improvement (true for
 *                          every epoch when there is no early stopping)
 * @param hasValidation     whether a validation set was evaluated; recorded, because its loss can be
 *                          NaN too (finite weights and inputs whose products overflow)
 */
public record EpochSummary(int epoch, int epochs, double trainLoss, double validationLoss,
                           Map<String, Double> trainMetrics, Map<String, Double> validationMetrics,
                           double learningRate, int skippedBatches, double seconds, boolean improved,
                           boolean hasValidation) {

    public EpochSummary {
        // Refused here rather than on first use: a null map would throw a bare NullPointerException from
        // the copy below, and a null value put into a history would read as the metric being absent from the epoch
        checkMetrics("trainMetrics", trainMetrics, "the training set");
        checkMetrics("validationMetrics", validationMetrics, "the validation set");
        // in the order given (the trainer's metric order): Map.copyOf's order is unspecified and varies from run to run
        trainMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(trainMetrics));
        validationMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(validationMetrics));
    }

    private static void checkMetrics(String component, Map<String, Double> metrics, String set) {
        if (metrics == null) {
            throw new IllegalArgumentException(component + " is null; pass the metric values computed on " + set
                    + " by name, or an empty map (Map.of()) when none were");
        }
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            if (e.getKey() == null) {
                throw new IllegalArgumentException(component + " has a null metric name (value " + e.getValue()
                        + "); give each value its metric's name (Metric.name())");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException(component + " has a null value for metric '" + e.getKey()
                        + "'; record Double.NaN for a value that could not be computed, or leave the metric out");
            }
        }
    }

    /**
     * The summary before {@code hasValidation} was recorded: a validation set counts as evaluated when
     * its loss is not NaN.
     */
    public EpochSummary(int epoch, int epochs, double trainLoss, double validationLoss,
                        Map<String, Double> trainMetrics, Map<String, Double> validationMetrics,
                        double learningRate, int skippedBatches, double seconds, boolean improved) {
        this(epoch, epochs, trainLoss, validationLoss, trainMetrics, validationMetrics, learningRate, skippedBatches,
                seconds, improved, !Double.isNaN(validationLoss));
    }

    /**
     * The learningRate a summary reports for {@code optimizer} after an epoch: its last update's rate
     * ({@link org.bpnn.optim.BaseOptimizer#currentLearningRate()}) as the float's shortest decimal
     * (0.001, not the widened 0.0010000000474974513; cast back it is the same float), or NaN for an
     * optimiser that is not a BaseOptimizer. Trainer's and SparkTrainer's rule.
     */
    public static double learningRateOf(org.bpnn.optim.Optimizer optimizer) {
        return optimizer instanceof org.bpnn.optim.BaseOptimizer bo ? Double.parseDouble(Float.toString(bo.currentLearningRate()))
                : Double.NaN;
    }
}
