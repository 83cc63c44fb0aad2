package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.bpnn.data.Dataset;
import org.bpnn.nn.Network;
import org.bpnn.optim.Sgd;
import org.bpnn.train.TrainingHistory.Ending;
import org.junit.jupiter.api.Test;

/**
 * {@link TrainingHistory#endedBy()}: a history said only whether early stopping ended the run, and a
 * run ended by {@link Trainer#requestStop()} read as one that had simply run fewer epochs.
 */
class TrainingHistoryEndingTest {
    private static final Dataset DATA = TrainerTest.blobs(30, 1);

    /** A trainer of {@code epochs} whose listener requests a stop at the end of epoch {@code stopAt}, printing to bytes. */
    private static TrainingHistory stoppedAt(int stopAt, int epochs, ByteArrayOutputStream bytes) {
        AtomicReference<Trainer> t = new AtomicReference<>();
        t.set(Trainer.builder().optimizer(new Sgd(0.1)).epochs(epochs).listener(new TrainingListener() {
            @Override public void onEpochEnd(EpochSummary s) {
                if (s.epoch() == stopAt) t.get().requestStop();
            }
        }).listener(ConsoleProgressListener.epochLines(new PrintStream(bytes, true, StandardCharsets.UTF_8))).build());
        return t.get().fit(new TrainerTest().classifier(3, 0), DATA);
    }

    @Test
    void aStopRequestedByAListenerIsRecordedAsSuch() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TrainingHistory h = stoppedAt(2, 5, bytes);
        assertEquals(2, h.size());
        assertEquals(Ending.REQUESTED, h.endedBy());
        assertFalse(h.stoppedEarly(), "stoppedEarly is early stopping's");
        assertTrue(h.toString().contains("\nstopped on request; best epoch "), h.toString());
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("stopped on request after epoch 2; best epoch "), printed);
    }

    @Test
    void aStopRequestedDuringTheLastEpochLeavesTheRunCompleted() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TrainingHistory h = stoppedAt(3, 3, bytes);
        assertEquals(3, h.size());
        assertEquals(Ending.COMPLETED, h.endedBy());
        assertFalse(h.toString().contains("stopped"), h.toString());
        assertFalse(bytes.toString(StandardCharsets.UTF_8).contains("stopped"));
    }

    @Test
    void aStopRequestedBeforeTheFitTrainsNoEpochAndSaysWhy() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Trainer trainer = Trainer.builder().optimizer(new Sgd(0.1)).epochs(4)
                .listener(ConsoleProgressListener.epochLines(new PrintStream(bytes, true, StandardCharsets.UTF_8))).build();
        trainer.requestStop();
        TrainingHistory h = trainer.fit(new TrainerTest().classifier(3, 0), DATA);
        assertEquals(0, h.size());
        assertEquals(Ending.REQUESTED, h.endedBy());
        assertTrue(h.toString().endsWith("\nstopped on request; "), h.toString());
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("stopped on request before this fit's first epoch\n"), printed);
    }

    @Test
    void completedAndEarlyStoppedRunsSayHowTheyEnded() {
        TrainingHistory done = Trainer.builder().optimizer(new Sgd(0.1)).epochs(3).build()
                .fit(new TrainerTest().classifier(3, 0), DATA);
        assertEquals(Ending.COMPLETED, done.endedBy());
        assertFalse(done.stoppedEarly());
        // no loss improves on the first by a million: patience 1 stops after epoch 2
        TrainingHistory early = Trainer.builder().optimizer(new Sgd(0.1)).epochs(10).earlyStopping(EarlyStopping.patience(1).minDelta(1e6))
                .build().fit(new TrainerTest().classifier(3, 0), DATA);
        assertEquals(2, early.size(), early.toString());
        assertEquals(Ending.EARLY_STOPPING, early.endedBy());
        assertTrue(early.stoppedEarly());
    }

    @Test
    void ofRefusesANullEnding() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingHistory.of(List.of(), 0, null, false));
        assertTrue(e.getMessage().contains("Ending.COMPLETED"), e.getMessage());
        assertTrue(TrainingHistory.of(List.of(), 0, Ending.EARLY_STOPPING, false).stoppedEarly());
    }
}
