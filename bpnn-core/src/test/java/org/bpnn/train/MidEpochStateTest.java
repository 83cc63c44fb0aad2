package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.bpnn.data.Dataset;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.optim.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A training state records whole epochs (the epoch counter, the shuffle generator after the epoch's
 * shuffle): one taken in the middle of an epoch, from onBatchEnd or from another thread between two
 * steps, would resume to other weights than the uninterrupted run, so it is refused.
 */
class MidEpochStateTest {
    private final TrainerTest base = new TrainerTest();

    private static Trainer.Builder builder() {
        return Trainer.builder().optimizer(new Adam(1e-2)).epochs(4).batchSize(16).shuffle(5);
    }

    @Test
    void aStateTakenInTheMiddleOfAnEpochIsRefusedNotResumedToOtherWeights() {
        Dataset data = TrainerTest.blobs(90, 8);
        Network straight = base.classifier(9, 0.25);
        builder().build().fit(straight, data);

        Network first = base.classifier(9, 0.25);
        AtomicReference<Trainer> trainer = new AtomicReference<>();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        AtomicReference<TrainingState> saved = new AtomicReference<>();
        trainer.set(builder().listener(new TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int batch, int batches, int batchRows, double loss) {
                if (epoch == 2 && batch == 3) {
                    try {
                        saved.set(trainer.get().state(first));
                    } catch (IllegalStateException e) {
                        outcome.set(e);
                    }
                }
            }
        }).build());
        trainer.get().fit(first, data);
        if (saved.get() != null) {
            Network resumed = base.classifier(1234, 0.25);
            Trainer second = builder().build();
            second.restore(resumed, saved.get());
            second.fit(resumed, data);
            assertEquals(ParameterSnapshot.of(straight).hash(), ParameterSnapshot.of(resumed).hash(),
                    "a state taken after batch 3 of epoch 2 (epoch counter " + saved.get().epoch() + ") resumed to other weights");
        }
        assertTrue(outcome.get().getMessage().contains("in the middle of epoch 2"), outcome.get().getMessage());
    }

    @Test
    @Timeout(60)
    void aStateTakenFromAnotherThreadBetweenTwoStepsIsRefused() throws Exception {
        Dataset data = TrainerTest.blobs(90, 8);
        Network net = base.classifier(9, 0);
        CountDownLatch paused = new CountDownLatch(1), resume = new CountDownLatch(1);
        Trainer trainer = builder().listener(new TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int batch, int batches, int batchRows, double loss) {
                if (epoch == 2 && batch == 2) {
                    paused.countDown();
                    try {
                        resume.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }).build();
        Thread training = new Thread(() -> trainer.fit(net, data), "trainer");
        // what the fit throws ends only its thread: kept, to fail the test
        AtomicReference<Throwable> failure = new AtomicReference<>();
        training.setUncaughtExceptionHandler((t, e) -> {
            failure.set(e);
            paused.countDown(); // a fit that fails before the pause does not leave the test waiting for it
        });
        training.start();
        paused.await();
        try {
            if (failure.get() != null) fail("the fit failed before the pause", failure.get());
            // the weights do not change while the trainer waits: only the epoch bookkeeping tells
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> trainer.state(net));
            assertTrue(e.getMessage().contains("in the middle of epoch 2"), e.getMessage());
        } finally {
            resume.countDown();
            training.join(30_000);
        }
        assertFalse(training.isAlive(), "the fit still runs 30 s after it was resumed");
        if (failure.get() != null) fail("the fit failed", failure.get());
        assertEquals(4, trainer.state(net).epoch(), "after the fit a state is taken");
    }

    @Test
    void aFitThatFailedInTheMiddleOfAnEpochLeavesNoStateToCheckpoint() {
        Dataset data = TrainerTest.blobs(90, 8);
        Network net = base.classifier(9, 0);
        Trainer trainer = builder().listener(new TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int batch, int batches, int batchRows, double loss) {
                if (epoch == 3 && batch == 2) throw new IllegalStateException("listener failed");
            }
        }).build();
        assertThrows(IllegalStateException.class, () -> trainer.fit(net, data));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> trainer.state(net));
        assertTrue(e.getMessage().contains("in the middle of epoch 3"), e.getMessage());
    }
    @Test
    void aNewFitAfterOneThatFailedMidEpochCanBeCheckpointedFromItsStart() {
        Dataset data = TrainerTest.blobs(90, 8);
        Network net = base.classifier(9, 0);
        AtomicReference<Trainer> trainer = new AtomicReference<>();
        AtomicReference<Object> atStart = new AtomicReference<>();
        boolean[] fail = {true};
        trainer.set(builder().listener(new TrainingListener() {
            @Override
            public void onTrainStart(Trainer t, Network n, int epochs, int trainSamples, int validationSamples) {
                if (!fail[0]) {
                    try {
                        atStart.set(t.state(n));
                    } catch (IllegalStateException e) {
                        atStart.set(e);
                    }
                    t.requestStop(); // a fit that trains no epoch
                }
            }

            @Override
            public void onBatchEnd(int epoch, int batch, int batches, int batchRows, double loss) {
                if (fail[0] && epoch == 3 && batch == 2) throw new IllegalStateException("listener failed");
            }
        }).build());
        assertThrows(IllegalStateException.class, () -> trainer.get().fit(net, data));
        fail[0] = false;
        trainer.get().fit(net, data); // a new fit, which did not throw: onTrainStart and its end are capture points
        assertTrue(atStart.get() instanceof TrainingState, "state from onTrainStart of the next fit: " + atStart.get());
        trainer.get().state(net); // after that fit
    }
}
