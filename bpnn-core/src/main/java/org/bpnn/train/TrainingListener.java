package org.bpnn.train;

import org.bpnn.nn.Network;

/**
 * Callbacks from {@link Trainer#fit}, all on the training thread, all optional. Epochs and batches
 * are 1-based. {@link #onBatchEnd} runs once per batch on the hot path: an implementation should not
 * allocate there (primitives only are passed) and should throttle any output.
 * A listener may call {@link Trainer#requestStop()} to end training after the current epoch (the
 * trainer is passed to {@link #onTrainStart(Trainer, Network, int, int, int)}).
 *
 * <p><b>Start and end are paired.</b> A listener whose {@code onTrainStart} returned gets exactly one
 * of {@link #onTrainEnd} (the run finished) and {@link #onTrainFailed} (it ended with an exception),
 * so what it opens in {@code onTrainStart} it can close in those two. A listener that never saw the
 * run start gets neither:
 * <ul>
 *   <li>a fit refused before training starts (its arguments: a null network or data, features or
 *       targets that do not fit the network, a metric or early-stopping monitor it cannot compute, a
 *       validation split that leaves a part empty, an evaluation or layer buffer beyond one Java array)
 *       throws without calling any listener;</li>
 *   <li>when a listener's {@code onTrainStart} throws, the fit ends with that exception, the
 *       listeners before it (whose {@code onTrainStart} returned) get {@code onTrainFailed}, and it and
 *       the listeners after it get nothing more: like a constructor that throws, an
 *       {@code onTrainStart} that throws undoes what it did before throwing.</li>
 * </ul>
 * In {@link Trainer} an interrupt before the first epoch comes after every {@code onTrainStart}, so every
 * listener gets {@code onTrainFailed}; bpnn-spark's {@code SparkTrainer} does Spark work before
 * {@code onTrainStart} (reading the rows, broadcasting the model, checking the targets), and a failure
 * or interrupt there, like a refused argument, calls no listener.
 */
public interface TrainingListener {

    /** Before the first epoch of a fit. */
    default void onTrainStart(Network network, int epochs, int trainSamples, int validationSamples) {}

    /**
     * Before the first epoch of a {@link Trainer#fit}, with the trainer that runs it: keep it to call
     * {@link Trainer#requestStop()} or to capture {@link Trainer#state} (a checkpoint) from the later
     * callbacks, without a holder filled after {@code build()}. Calls
     * {@link #onTrainStart(Network, int, int, int)} unless overridden; trainers other than
     * {@link Trainer} (bpnn-spark's) call that one only.
     */
    default void onTrainStart(Trainer trainer, Network network, int epochs, int trainSamples, int validationSamples) {
        onTrainStart(network, epochs, trainSamples, validationSamples);
    }

    /** Before each epoch; {@code samples} is the number of training rows the epoch will visit. */
    default void onEpochStart(int epoch, int epochs, int batches, int samples) {}

    /** After each batch's update (or skip), with the batch's loss before the update. */
    default void onBatchEnd(int epoch, int batch, int batches, int batchRows, double loss) {}

    /**
     * The form the trainers call: {@link #onBatchEnd(int, int, int, int, double)} plus whether the
     * batch was skipped ({@link NonFinitePolicy#SKIP_BATCH}: its loss or a gradient was not finite,
     * so no update was applied; the loss may still be finite when only a gradient was not). Calls the
     * five-argument form unless overridden; override this one to leave skipped batches out of a
     * running mean, as the epoch's training loss does.
     */
    default void onBatchEnd(int epoch, int batch, int batches, int batchRows, double loss, boolean skipped) {
        onBatchEnd(epoch, batch, batches, batchRows, loss);
    }

    /** After each epoch's evaluation and early-stopping decision. */
    default void onEpochEnd(EpochSummary summary) {}

    /** After the last epoch (and after restoring the best weights, if configured). */
    default void onTrainEnd(TrainingHistory history) {}

    /**
     * Instead of {@link #onTrainEnd} when the run ends with an exception after this listener's
     * {@link #onTrainStart} returned (see the pairing above): a {@link TrainingDivergedException}, an
     * interrupted fit's {@code CancellationException} (before the first epoch too), a failure of the
     * backend or of a listener (another listener's {@code onTrainStart} included), an
     * {@code OutOfMemoryError}. Not for a fit refused before it started. Called just before
     * {@code cause} propagates out of {@code fit}, so that a listener can finish its output or close
     * what it opened; every listener whose {@code onTrainStart} returned is called, and what one throws
     * is added to {@code cause} as suppressed instead of replacing it. When a listener's {@link #onTrainEnd} throws, the listeners
     * after it get this call (with that exception) instead of their onTrainEnd.
     */
    default void onTrainFailed(Throwable cause) {}

    /**
     * How a trainer's builder adds a listener: refuses null, and the same listener object twice (it
     * would hear every callback twice: two onTrainStart, every batch counted twice, two progress bars
     * drawn over each other, a checkpoint written twice per epoch); two separate instances are two
     * listeners (identity, not equals: a listener with value equality may well be meant twice). For
     * trainers other than {@link Trainer} too (bpnn-spark's uses it), so both refuse in the same words.
     */
    static void add(java.util.List<TrainingListener> listeners, TrainingListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener is null; pass a TrainingListener, e.g. new"
                    + " ConsoleProgressListener(System.out)");
        }
        for (int i = 0; i < listeners.size(); i++) {
            if (listeners.get(i) == listener) {
                throw new IllegalArgumentException("listener " + listener + " was already added (listener " + (i + 1)
                        + " of " + listeners.size() + "); added again it would get every callback twice. Add it once,"
                        + " or pass a second instance if two are meant");
            }
        }
        listeners.add(listener);
    }

    /**
     * How a trainer ends a failed run: calls {@link #onTrainFailed} on each of {@code listeners} in
     * order; what one throws is added to {@code cause} as suppressed, so every listener is told and
     * {@code cause} still propagates. Pass only the listeners whose {@code onTrainStart} returned (see
     * the pairing above). For trainers other than {@link Trainer} (bpnn-spark's uses it).
     */
    static void tellFailed(Iterable<? extends TrainingListener> listeners, Throwable cause) {
        for (TrainingListener l : listeners) {
            try {
                l.onTrainFailed(cause);
            } catch (Throwable s) {
                if (s != cause) cause.addSuppressed(s);
            }
        }
    }

    /**
     * How a trainer ends a run that finished: calls {@link #onTrainEnd} on each of {@code listeners} in
     * order (all of them started: the run got to its end). When one throws, the listeners after it get
     * {@link #onTrainFailed} with that exception instead (see {@link #tellFailed}), and it propagates:
     * each listener hears of exactly one end. For trainers other than {@link Trainer} too (bpnn-spark's
     * uses it), so both keep the pairing in the same way.
     */
    static void tellEnded(java.util.List<? extends TrainingListener> listeners, TrainingHistory history) {
        for (int i = 0; i < listeners.size(); i++) {
            try {
                listeners.get(i).onTrainEnd(history);
            } catch (Throwable e) {
                // the fit now ends with e: untold, the listeners after this one would hear of neither end,
                // and what they opened would stay open
                tellFailed(listeners.subList(i + 1, listeners.size()), e);
                throw e;
            }
        }
    }
}
