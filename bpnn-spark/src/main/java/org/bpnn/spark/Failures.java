package org.bpnn.spark;

import java.util.function.Supplier;
import org.bpnn.train.TrainingDivergedException;

/**
 * Turns a failed Spark job into the exception its task threw: Spark wraps a task's exception in a
 * {@code SparkException} ("Job aborted due to stage failure: ... most recent failure: ...") whose
 * message also holds the executor's stack trace. Callers get instead:
 * <ul>
 *   <li>an {@link IllegalArgumentException} with the task's own message (a bad row, named) when
 *       bpnn code threw one (its top stack frame is in {@code org.bpnn}), found as a cause or, when
 *       the cause did not travel, in Spark's message (followed by an {@code org.bpnn} frame);</li>
 *   <li>an {@link IllegalArgumentException} that Spark (or Hadoop) threw on the driver itself, a bad
 *       configuration or column, with {@code what} in front of its message;</li>
 *   <li>a {@link SparkTrainingException} naming {@code what} and the root cause otherwise, an
 *       {@code IllegalArgumentException} from Spark's own code on an executor included: it is not a
 *       bad row, and its bare message gives no hint of what bpnn was doing.</li>
 * </ul>
 */
final class Failures {
    private static final String IAE = IllegalArgumentException.class.getName() + ": ";

    private Failures() {}

    /**
     * Whether an InterruptedException is among {@code e}'s causes: a Spark call that waited (a job, a
     * broadcast) ends that way when the waiting thread is interrupted, wrapped or not. SparkData's read and
     * SparkTrainer's fit both turn it into their CancellationException.
     */
    static boolean interruptedBy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedException) return true;
        }
        return false;
    }

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
            if (t instanceof IllegalArgumentException && thrownByBpnn(t)) {
                return t == e ? (IllegalArgumentException) t : new IllegalArgumentException(t.getMessage(), e);
            }
            if (t.getCause() == t) break;
        }
        if (e instanceof IllegalArgumentException) {
            // Spark's own, thrown on the driver (a bad setting, a bad column): its message, with what bpnn was doing
            return new IllegalArgumentException(what + " failed: " + e.getMessage(), e);
        }
        String m = e.getMessage() == null ? "" : e.getMessage();
        for (int i = m.indexOf(IAE); i >= 0; i = m.indexOf(IAE, i + 1)) {
            int end = m.indexOf('\n', i);
            if (end >= 0 && firstOwnFrameIsBpnn(m, end + 1)) {
                return new IllegalArgumentException(m.substring(i + IAE.length(), end), e);
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String rm = root.getMessage() == null ? root.getClass().getName() : root.getClass().getSimpleName() + ": " + root.getMessage();
        int nl = rm.indexOf('\n');
        return new SparkTrainingException(what + " failed: " + (nl < 0 ? rm : rm.substring(0, nl)), e);
    }

    /**
     * Whether bpnn code (a row reader, a loss's target check, a normaliser) threw {@code t}, directly
     * or through the JDK (a NumberFormatException), and not Spark's, Scala's or Hadoop's code.
     */
    private static boolean thrownByBpnn(Throwable t) {
        for (StackTraceElement f : t.getStackTrace()) {
            if (!isJdk(f.getClassName())) return f.getClassName().startsWith("org.bpnn.");
        }
        return false;
    }

    /** The same for a trace printed in Spark's message: its "\tat class.method(...)" lines from {@code from}. */
    private static boolean firstOwnFrameIsBpnn(String m, int from) {
        String at = "\tat ";
        for (int i = from; m.startsWith(at, i); ) {
            int end = m.indexOf('\n', i);
            String frame = m.substring(i + at.length(), end < 0 ? m.length() : end);
            if (!isJdk(frame)) return frame.startsWith("org.bpnn.");
            if (end < 0) break;
            i = end + 1;
        }
        return false;
    }

    private static boolean isJdk(String className) {
        return className.startsWith("java.") || className.startsWith("javax.") || className.startsWith("jdk.")
                || className.startsWith("sun.");
    }
}
