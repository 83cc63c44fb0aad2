package org.bpnn.train;

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
