package org.bpnn.train;

import org.bpnn.nn.Network;
import org.bpnn.nn.Parameter;
import org.bpnn.optim.BaseOptimizer;
import org.bpnn.optim.Optimizer;

/**
 * Training produced a NaN or infinite loss or gradient. The message says where (epoch, batch,
 * parameter) and what to change; the fields give the same for code.
 */
public class TrainingDivergedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int batch;
    private final String parameter;
    private final int restoredEpoch;

    public TrainingDivergedException(String message, int epoch, int batch, String parameter) {
        this(message, epoch, batch, parameter, 0);
    }

    /** @param restoredEpoch the epoch whose weights the network holds again (restoreBestWeights), or 0 */
    public TrainingDivergedException(String message, int epoch, int batch, String parameter, int restoredEpoch) {
        super(message);
        this.epoch = epoch;
        this.batch = batch;
        this.parameter = parameter;
        this.restoredEpoch = restoredEpoch;
    }

    /**
     * A batch whose loss or gradient is not finite, in Trainer's words: where (epoch, batch, the first
     * non-finite gradient value's parameter and (row, col), or for a non-finite loss whether a weight is
     * no longer finite) and what to change. {@code badParameter} is the index in {@code net.parameters()}
     * of the parameter with a non-finite gradient, or negative for a non-finite loss; {@code backendHint}
     * is appended to the remedy when the backend is not one of bpnn's (null: none). Public so that other
     * trainers (bpnn-spark's) report the same divergence in the same words.
     */
    public static TrainingDivergedException atBatch(Network net, Optimizer optimizer, int epoch, int batch, int batches,
                                                    double loss, int badParameter, String backendHint) {
        String where = "training diverged at epoch " + epoch + ", batch " + batch + " of " + batches + ": ";
        String fix = remedy(optimizer) + ", normalise the inputs, or use nonFinitePolicy(NonFinitePolicy.SKIP_BATCH) to"
                + " skip such batches" + (backendHint == null ? "" : backendHint);
        if (badParameter >= 0) {
            Parameter p = net.parameters().get(badParameter);
            int i = p.grad().firstNonFinite();
            return new TrainingDivergedException(where + "the gradient of " + p.name() + " is " + p.grad().data()[i]
                    + " at (" + i / p.grad().cols() + ", " + i % p.grad().cols() + ") with loss " + loss + fix,
                    epoch, batch, p.name());
        }
        String param = net.firstNonFiniteParameter();
        return new TrainingDivergedException(where + "the loss is " + loss + (param.isEmpty()
                ? " (all weights are finite: the outputs overflowed)" : " (parameter " + param + " is no longer finite)") + fix,
                epoch, batch, param);
    }

    /** Every batch of {@code epoch} was skipped (NonFinitePolicy.SKIP_BATCH), in Trainer's words. */
    public static TrainingDivergedException allSkipped(Network net, int epoch, int batches) {
        return new TrainingDivergedException("training diverged in epoch " + epoch + ": all " + batches + " batches had a"
                + " non-finite loss or gradient and were skipped; lower the learning rate, clip gradients, or check the data"
                + " for extreme values", epoch, 0, net.firstNonFiniteParameter());
    }

    /**
     * {@code parameter} is no longer finite after {@code epoch}'s updates (every loss and gradient was finite:
     * an update overflowed), in Trainer's words.
     */
    public static TrainingDivergedException overflowed(Optimizer optimizer, int epoch, String parameter) {
        return new TrainingDivergedException("training diverged in epoch " + epoch + ": " + parameter + " is no longer"
                + " finite after the epoch's updates (an update overflowed)" + remedy(optimizer) + " or normalise the"
                + " inputs", epoch, 0, parameter);
    }

    /**
     * {@code e} again, saying that restoreBestWeights put the weights of {@code restoredEpoch} back (the
     * caller has restored them).
     */
    public static TrainingDivergedException withBestRestored(TrainingDivergedException e, int restoredEpoch) {
        return new TrainingDivergedException(e.getMessage() + "; restoreBestWeights: the network holds the best weights"
                + " again, those of epoch " + restoredEpoch, e.epoch(), e.batch(), e.parameter(), restoredEpoch);
    }

    /** "; lower the learning rate (now ...), clip gradients (e.g. ...)": the start of a divergence's remedy. */
    private static String remedy(Optimizer optimizer) {
        return "; lower the learning rate" + (optimizer instanceof BaseOptimizer bo ? " (" + rateInEffect(bo) + ")" : "")
                + ", clip gradients (e.g. .clipping(GradientClipping.byGlobalNorm(1.0)) on the optimiser)";
    }

    /**
     * "now 0.5", or under a schedule that has moved the rate, "now 0.05: LearningRateSchedule.exponential(0.99)
     * of base rate 0.5". The rate named is the one the weights were last updated with (before any update, the
     * one the first would use): the base rate alone would be wrong advice under a warm-up or decay, where
     * the rate that diverged can be far from it.
     */
    private static String rateInEffect(BaseOptimizer bo) {
        float base = bo.learningRate();
        float now = bo.steps() == 0 ? (float) bo.schedule().rate(base, 0) : bo.currentLearningRate();
        return "now " + now + (now == base ? "" : ": " + bo.schedule() + " of base rate " + base);
    }

    /** The epoch, 1-based. */
    public int epoch() { return epoch; }

    /** The batch within the epoch, 1-based (0 when the whole epoch is concerned). */
    public int batch() { return batch; }

    /** The parameter whose gradient or value was not finite (e.g. "dense2.W"), or "" if none was. */
    public String parameter() { return parameter; }

    /**
     * The epoch whose weights the network holds again: with early stopping's restoreBestWeights the
     * trainer puts the best epoch's weights back before it throws. 0 when it did not (no best epoch
     * yet, or restoreBestWeights off): then the network holds the weights it had when training stopped.
     */
    public int restoredEpoch() { return restoredEpoch; }
}
