package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
        assertTrue(h.toString().endsWith("\nstopped on request before this fit's first epoch"), h.toString());
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("stopped on request before this fit's first epoch\n"), printed);
    }

    /** A listener's stop in onTrainStart: the table's last line ended in a dangling "stopped on request; ". */
    @Test
    void aStopRequestedInOnTrainStartEndsTheTableWithAWholeLine() {
        TrainingHistory h = Trainer.builder().optimizer(new Sgd(0.1)).epochs(5).listener(new TrainingListener() {
            @Override
            public void onTrainStart(Trainer trainer, Network network, int epochs, int trainSamples, int validationSamples) {
                trainer.requestStop();
            }
        }).build().fit(new TrainerTest().classifier(3, 0), DATA);
        assertEquals(0, h.size());
        assertEquals(Ending.REQUESTED, h.endedBy());
        String[] lines = h.toString().split("\n");
        assertEquals("stopped on request before this fit's first epoch", lines[lines.length - 1], h.toString());
    }

    /** A null summary is refused where the history is made, not as a NullPointerException when it is printed or read. */
    @Test
    void aNullSummaryIsRefusedByOf() {
        List<EpochSummary> epochs = new ArrayList<>();
        epochs.add(null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingHistory.of(epochs, 0, Ending.COMPLETED, false));
        assertEquals("epoch summary 0 is null; pass one EpochSummary per epoch run, in order", e.getMessage());
    }

    /** Every ending of a history with no epoch and no best ends in a whole line, never in "; " nor an empty one. */
    @Test
    void everyEndingWithoutEpochsEndsInAWholeLine() {
        assertEquals("stopped early before this fit's first epoch",
                lastLine(TrainingHistory.of(List.of(), 0, Ending.EARLY_STOPPING, false)));
        assertEquals("stopped on request before this fit's first epoch",
                lastLine(TrainingHistory.of(List.of(), 0, Ending.REQUESTED, false)));
        assertEquals("this fit trained no epoch", lastLine(TrainingHistory.of(List.of(), 0, Ending.COMPLETED, false)));
        for (Ending e : Ending.values()) {
            String s = TrainingHistory.of(List.of(), 0, e, false).toString();
            assertFalse(s.endsWith(" ") || s.endsWith("\n"), e + ": " + s);
        }
        // with a best epoch from before a resume the line is as it was
        assertEquals("stopped on request; best epoch 2 (weights restored), trained before the resume (this fit trained no epoch)",
                lastLine(TrainingHistory.of(List.of(), 2, Ending.REQUESTED, true)));
    }

    private static String lastLine(TrainingHistory h) {
        String s = h.toString();
        return s.substring(s.lastIndexOf('\n') + 1);
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
