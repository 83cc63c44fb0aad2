package org.bpnn.spark;

/**
 * A Spark job of bpnn-spark failed for a reason other than bad input (an executor lost, out of
 * memory, a class missing on the executors, ...). The message names the step or job and the root
 * cause; the Spark exception is the cause. Bad input rows are reported as
 * {@link IllegalArgumentException}s instead, with the row in the message.
 */
public class SparkTrainingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SparkTrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
