package org.bpnn.spark;

import java.util.function.Supplier;
import org.bpnn.train.TrainingDivergedException;

/**
 * Turns a failed Spark job into the exception its task threw: Spark wraps a task's exception in a
 * {@code SparkException} ("Job aborted due to stage failure: ... most recent failure: ...") whose
 * message also holds the executor's stack trace. Callers get instead:
 * <ul>
 *   <li>an {@link IllegalArgumentException} with the task's own message (a bad row, named) when the
 *       task threw one, found as a cause or, when the cause did not travel, in Spark's message;</li>
 *   <li>a {@link SparkTrainingException} naming {@code what} and the root cause otherwise.</li>
 * </ul>
 */
final class Failures {
    private static final String IAE = IllegalArgumentException.class.getName() + ": ";

    private Failures() {}

    /** Runs a Spark action; rethrows its failure as described above. */
    static <T> T run(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (Exception e) {
            throw translate(what, e);
        }
    }

    static RuntimeException translate(String what, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TrainingDivergedException d) {
                return d;
            }
            if (t instanceof IllegalArgumentException) {
                return t == e ? (IllegalArgumentException) t : new IllegalArgumentException(t.getMessage(), e);
            }
            if (t.getCause() == t) break;
        }
        String m = e.getMessage() == null ? "" : e.getMessage();
        int i = m.indexOf(IAE);
        if (i >= 0) {
            int end = m.indexOf('\n', i);
            return new IllegalArgumentException(m.substring(i + IAE.length(), end < 0 ? m.length() : end), e);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String rm = root.getMessage() == null ? root.getClass().getName() : root.getClass().getSimpleName() + ": " + root.getMessage();
        int nl = rm.indexOf('\n');
        return new SparkTrainingException(what + " failed: " + (nl < 0 ? rm : rm.substring(0, nl)), e);
    }
}
