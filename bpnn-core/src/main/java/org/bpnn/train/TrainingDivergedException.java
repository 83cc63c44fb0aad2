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

    public TrainingDivergedException(String message, int epoch, int batch, String parameter) {
        super(message);
        this.epoch = epoch;
        this.batch = batch;
        this.parameter = parameter;
    }

    /** The epoch, 1-based. */
    public int epoch() { return epoch; }

    /** The batch within the epoch, 1-based (0 when the whole epoch is concerned). */
    public int batch() { return batch; }

    /** The parameter whose gradient or value was not finite (e.g. "dense2.W"), or "" if none was. */
    public String parameter() { return parameter; }
}
