package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.optim.Momentum;
import org.junit.jupiter.api.Test;

/**
 * A fit after {@link Trainer#restore} that throws before it trains anything (a listener's onTrainStart,
 * such as a checkpoint listener finding its directory missing, or an interrupt before the first epoch)
 * leaves the resume to the next fit. It was spent: the retry ran epochs 1..epochs from the restored
 * weights, with the epoch count and early stopping reset, and ended elsewhere than the uninterrupted run.
 */
class ResumeAfterFailedStartTest {

    private static final Supplier<Trainer.Builder> CFG = () -> Trainer.builder()
            .optimizer(new Momentum(0.05, 0.9)).epochs(6).batchSize(3).shuffle(5);

    /** The state at the end of epoch 3 of a run stopped there. */
    private static TrainingState stateAfterEpoch3() {
        Network first = EarlyStoppingSemanticsTest.net();
        AtomicReference<Trainer> t = new AtomicReference<>();
        AtomicReference<TrainingState> saved = new AtomicReference<>();
        t.set(CFG.get().listener(new TrainingListener() {
            @Override public void onEpochEnd(EpochSummary s) {
                if (s.epoch() == 3) {
                    saved.set(t.get().state(first));
                    t.get().requestStop();
                }
            }
        }).build());
        t.get().fit(first, EarlyStoppingSemanticsTest.data());
        return saved.get();
    }

    private static float[][] uninterrupted() {
        Network straight = EarlyStoppingSemanticsTest.net();
        CFG.get().build().fit(straight, EarlyStoppingSemanticsTest.data());
        return ParameterSnapshot.of(straight).values();
    }

    @Test
    void aListenerThatFailsInOnTrainStartLeavesTheResumeToTheNextFit() {
        Network resumed = EarlyStoppingSemanticsTest.net();
        AtomicBoolean fail = new AtomicBoolean(true);
        Trainer second = CFG.get().listener(new TrainingListener() {
            @Override public void onTrainStart(Network n, int epochs, int trainSamples, int validationSamples) {
                if (fail.getAndSet(false)) {
                    throw new UncheckedIOException(new IOException("checkpoint directory missing"));
                }
            }
        }).build();
        second.restore(resumed, stateAfterEpoch3());
        assertThrows(UncheckedIOException.class, () -> second.fit(resumed, EarlyStoppingSemanticsTest.data()));
        assertEquals(3, second.epochsCompleted());
        TrainingHistory h = second.fit(resumed, EarlyStoppingSemanticsTest.data());
        assertEquals(4, h.firstEpoch(), "the retry resumes after epoch 3: " + h);
        assertEquals(3, h.size());
        assertArrayEquals(uninterrupted(), ParameterSnapshot.of(resumed).values());
    }

    @Test
    void anInterruptBeforeTheFirstEpochLeavesTheResumeToTheNextFit() {
        Network resumed = EarlyStoppingSemanticsTest.net();
        Trainer second = CFG.get().build();
        second.restore(resumed, stateAfterEpoch3());
        Thread.currentThread().interrupt();
        try {
            assertThrows(CancellationException.class, () -> second.fit(resumed, EarlyStoppingSemanticsTest.data()));
        } finally {
            assertTrue(Thread.interrupted(), "left set by fit; cleared here");
        }
        TrainingHistory h = second.fit(resumed, EarlyStoppingSemanticsTest.data());
        assertEquals(4, h.firstEpoch(), h.toString());
        assertArrayEquals(uninterrupted(), ParameterSnapshot.of(resumed).values());
    }
}
