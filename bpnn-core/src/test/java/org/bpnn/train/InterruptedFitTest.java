package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.bpnn.data.Dataset;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.optim.Sgd;
import org.junit.jupiter.api.Test;

/**
 * An interrupt of the training thread ends a fit before the next epoch. It was ignored: a
 * hyper-parameter search's trial cancelled with {@code Future.cancel(true)} trained to its last
 * epoch (50 of 50 after a cancel at epoch 5), keeping its executor thread and a core busy.
 */
class InterruptedFitTest {
    @Test
    void anInterruptEndsTheFitBeforeTheNextEpochAtAResumablePoint() {
        Dataset data = TrainerTest.blobs(90, 8);
        TrainerTest fixtures = new TrainerTest();
        Network straight = fixtures.classifier(9, 0.25);
        fixtures.resumable(List.of()).fit(straight, data);
        long expected = ParameterSnapshot.of(straight).hash();

        Network first = fixtures.classifier(9, 0.25);
        Trainer trainer = fixtures.resumable(List.of(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochSummary s) {
                if (s.epoch() == 3) {
                    Thread.currentThread().interrupt(); // as Future.cancel(true) during epoch 3
                }
            }
        }));
        CancellationException e;
        TrainingState saved;
        try {
            e = assertThrows(CancellationException.class, () -> trainer.fit(first, data));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status must stay set for the caller");
            saved = trainer.state(first);
        } finally {
            Thread.interrupted();
        }
        assertTrue(e.getMessage().startsWith("fit was interrupted before epoch 4 of 6"), e.getMessage());
        assertEquals(3, trainer.epochsCompleted());
        assertEquals(3, saved.epoch());

        Network resumed = fixtures.classifier(1234, 0.25);
        Trainer second = fixtures.resumable(List.of());
        second.restore(resumed, saved);
        second.fit(resumed, data);
        assertEquals(expected, ParameterSnapshot.of(resumed).hash(), "the run resumed after the interrupt differs from the uninterrupted one");
    }

    @Test
    void cancellingTheFutureOfAFitEndsIt() throws Exception {
        Dataset data = TrainerTest.blobs(30, 1);
        Network net = new TrainerTest().classifier(3, 0);
        CountDownLatch started = new CountDownLatch(1), ended = new CountDownLatch(1);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Trainer trainer = Trainer.builder().optimizer(new Sgd(0.1)).epochs(Integer.MAX_VALUE).listener(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochSummary s) {
                started.countDown();
            }
        }).build();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> f = pool.submit(() -> {
                try {
                    trainer.fit(net, data);
                } catch (Throwable t) {
                    outcome.set(t);
                } finally {
                    ended.countDown();
                }
            });
            assertTrue(started.await(10, TimeUnit.SECONDS), "the fit did not finish an epoch");
            f.cancel(true);
            assertTrue(ended.await(10, TimeUnit.SECONDS), "the fit still runs 10 s after its future was cancelled");
            assertTrue(outcome.get() instanceof CancellationException, "ended with " + outcome.get());
        } finally {
            trainer.requestStop(); // ends it on the old code, which ignored the interrupt
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
