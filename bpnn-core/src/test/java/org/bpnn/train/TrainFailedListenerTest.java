package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.metrics.Metric;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A fit that ends with an exception tells every listener through onTrainFailed, with the exception
 * that propagates; onTrainEnd is only for runs that end normally. Before, listeners heard nothing of a
 * failed run: a live progress bar was left unfinished before the error, and a listener could not close
 * what it had opened.
 */
class TrainFailedListenerTest {

    /** Records the end callbacks, and throws what it is given from onEpochEnd or onTrainFailed. */
    static final class Recorder implements TrainingListener {
        final List<String> calls = new ArrayList<>();
        final List<Throwable> failures = new ArrayList<>();
        RuntimeException fromEpochEnd, fromTrainEnd, fromFailed;

        @Override public void onEpochEnd(EpochSummary s) {
            calls.add("epochEnd " + s.epoch());
            if (fromEpochEnd != null) throw fromEpochEnd;
        }

        @Override public void onTrainEnd(TrainingHistory h) {
            calls.add("trainEnd");
            if (fromTrainEnd != null) throw fromTrainEnd;
        }

        @Override public void onTrainFailed(Throwable cause) {
            calls.add("trainFailed");
            failures.add(cause);
            if (fromFailed != null) throw fromFailed;
        }
    }

    private static Network net() {
        return Network.builder(1).dense(1, Activation.identity()).loss(Loss.mse()).seed(1).build();
    }

    private static Dataset data(float outlier) {
        Tensor x = Tensor.zeros(8, 1), y = Tensor.zeros(8, 1);
        for (int i = 0; i < 8; i++) {
            x.set(i, 0, (i - 4) / 4f);
            y.set(i, 0, (i - 4) / 2f);
        }
        x.set(5, 0, outlier);
        return new Dataset(x, y);
    }

    @Test
    void aDivergedRunCallsOnTrainFailedWithTheExceptionThatPropagates() {
        Recorder a = new Recorder(), b = new Recorder();
        Trainer t = Trainer.builder().optimizer(new Sgd(0.01)).epochs(3).batchSize(2).noShuffle().listener(a).listener(b).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.fit(net(), data(1e30f)));
        for (Recorder r : new Recorder[] {a, b}) {
            assertEquals(List.of("trainFailed"), r.calls, "no epoch ended, and no onTrainEnd");
            assertSame(e, r.failures.get(0));
        }
        // a run that ends normally: onTrainEnd only
        Recorder c = new Recorder();
        Trainer.builder().optimizer(new Sgd(0.01)).epochs(2).batchSize(2).noShuffle().listener(c).build().fit(net(), data(0.5f));
        assertEquals(List.of("epochEnd 1", "epochEnd 2", "trainEnd"), c.calls);
    }

    @Test
    void aListenersFailureReachesEveryListenerAndWhatOnTrainFailedThrowsIsSuppressed() {
        Recorder a = new Recorder(), b = new Recorder();
        IllegalStateException boom = new IllegalStateException("the listener's disk is full");
        IllegalArgumentException second = new IllegalArgumentException("closing failed too");
        a.fromEpochEnd = boom;
        a.fromFailed = second;
        Trainer t = Trainer.builder().optimizer(new Sgd(0.01)).epochs(3).batchSize(2).noShuffle().listener(a).listener(b).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.fit(net(), data(0.5f)));
        assertSame(boom, e, "the first failure propagates, not the one from onTrainFailed");
        assertArrayEquals(new Throwable[] {second}, e.getSuppressed());
        assertEquals(List.of("epochEnd 1", "trainFailed"), a.calls);
        assertEquals(List.of("trainFailed"), b.calls, "told although a's onTrainFailed threw; its onEpochEnd never ran");
        assertSame(boom, b.failures.get(0));
    }

    /**
     * A listener's onTrainEnd that throws ends the fit with that exception: the listeners after it were
     * told nothing (neither onTrainEnd nor onTrainFailed), so what they opened stayed open. They get
     * onTrainFailed; those before it had their onTrainEnd.
     */
    @Test
    void aFailureInOnTrainEndTellsTheListenersAfterItThroughOnTrainFailed() {
        Recorder a = new Recorder(), b = new Recorder(), c = new Recorder();
        IllegalStateException boom = new IllegalStateException("the final report could not be written");
        b.fromTrainEnd = boom;
        Trainer t = Trainer.builder().optimizer(new Sgd(0.01)).epochs(1).batchSize(2).noShuffle()
                .listener(a).listener(b).listener(c).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.fit(net(), data(0.5f)));
        assertSame(boom, e);
        assertEquals(List.of("epochEnd 1", "trainEnd"), a.calls);
        assertEquals(List.of("epochEnd 1", "trainEnd"), b.calls, "it had its onTrainEnd, which threw");
        assertEquals(List.of("epochEnd 1", "trainFailed"), c.calls, "told of the failure instead of nothing");
        assertSame(boom, c.failures.get(0));
    }

    /**
     * A listener that opens a resource in onTrainStart and closes it in onTrainEnd or onTrainFailed: it
     * records every callback, and fails the test when it is told of the end of a run it never saw start
     * (it would close what it never opened) or told twice.
     */
    static final class Opener implements TrainingListener {
        final List<String> calls = new ArrayList<>();
        RuntimeException fromStart;
        boolean open;

        @Override public void onTrainStart(Network n, int epochs, int trainSamples, int validationSamples) {
            calls.add("trainStart");
            if (fromStart != null) throw fromStart; // threw before opening: nothing to close
            open = true;
        }

        @Override public void onTrainEnd(TrainingHistory h) {
            calls.add("trainEnd");
            close();
        }

        @Override public void onTrainFailed(Throwable cause) {
            calls.add("trainFailed " + cause.getMessage());
            close();
        }

        private void close() {
            assertTrue(open, "told of the end of a run whose start it never saw (or a second time): " + calls);
            open = false;
        }
    }

    /**
     * A listener's onTrainStart that throws ends the fit with that exception. The listeners before it
     * had started and are told through onTrainFailed; it and the ones after it never saw the run start
     * and are told nothing. (They were all told, closing what they had never opened.)
     */
    @Test
    void aFailureInOnTrainStartTellsOnlyTheListenersThatHadStarted() {
        Opener a = new Opener(), b = new Opener(), c = new Opener();
        IllegalStateException boom = new IllegalStateException("the log directory is missing");
        b.fromStart = boom;
        Trainer t = Trainer.builder().optimizer(new Sgd(0.01)).epochs(2).batchSize(2).noShuffle()
                .listener(a).listener(b).listener(c).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.fit(net(), data(0.5f)));
        assertSame(boom, e);
        assertEquals(0, e.getSuppressed().length, "no listener's onTrainFailed failed");
        assertEquals(List.of("trainStart", "trainFailed the log directory is missing"), a.calls);
        assertEquals(List.of("trainStart"), b.calls, "its own start failed: nothing more");
        assertEquals(List.of(), c.calls, "never started: nothing at all");
        assertFalse(a.open);
    }

    /**
     * A fit refused for its arguments, before training starts, calls no listener: no onTrainStart, so
     * no onTrainFailed. (This pins the behaviour the contract documents; it was already so.)
     */
    @Test
    void aFitRefusedBeforeItStartsCallsNoListener() {
        Opener a = new Opener();
        Network regression = net();
        Tensor x2 = Tensor.zeros(8, 2), y = Tensor.zeros(8, 1);
        List<Runnable> refusals = List.of(
                // features that do not fit the network
                () -> Trainer.builder().optimizer(new Sgd(0.01)).listener(a).build().fit(regression, new Dataset(x2, y)),
                // a class metric on a regression network
                () -> Trainer.builder().optimizer(new Sgd(0.01)).metrics(Metric.accuracy()).listener(a).build()
                        .fit(regression, data(0.5f)),
                // early stopping on a metric the trainer does not compute
                () -> Trainer.builder().optimizer(new Sgd(0.01)).earlyStopping(EarlyStopping.patience(2).monitor("r2"))
                        .listener(a).build().fit(regression, data(0.5f)),
                // a validation split that leaves nothing to validate on
                () -> Trainer.builder().optimizer(new Sgd(0.01)).validationSplit(0.01).listener(a).build()
                        .fit(regression, data(0.5f)),
                // validation data of another width
                () -> Trainer.builder().optimizer(new Sgd(0.01)).listener(a).build()
                        .fit(regression, data(0.5f), new Dataset(x2, y)));
        for (Runnable r : refusals) {
            assertThrows(IllegalArgumentException.class, r::run);
        }
        assertEquals(List.of(), a.calls);
    }

    /** An interrupt before the first epoch comes after every onTrainStart: every listener is told. (Already so.) */
    @Test
    void anInterruptBeforeTheFirstEpochTellsEveryListener() {
        Opener a = new Opener(), b = new Opener();
        Trainer t = Trainer.builder().optimizer(new Sgd(0.01)).epochs(2).batchSize(2).noShuffle().listener(a).listener(b).build();
        Thread.currentThread().interrupt();
        try {
            CancellationException e = assertThrows(CancellationException.class, () -> t.fit(net(), data(0.5f)));
            for (Opener o : new Opener[] {a, b}) {
                assertEquals(List.of("trainStart", "trainFailed " + e.getMessage()), o.calls);
            }
        } finally {
            Thread.interrupted(); // the fit leaves the status set; clear it for the next test on this thread
        }
    }
}
