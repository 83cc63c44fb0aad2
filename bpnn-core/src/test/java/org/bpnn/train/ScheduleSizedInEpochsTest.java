package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.bpnn.data.Dataset;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.optim.Adam;
import org.bpnn.optim.BaseOptimizer;
import org.bpnn.optim.LearningRateSchedule;
import org.junit.jupiter.api.Test;

/**
 * Schedules count steps (batches). One sized in epochs, the PyTorch habit ({@code T_max=epochs}),
 * reached 0 within the first epoch and the rest of the run changed no weight, without a word; so did
 * a second fit, which continues the optimiser's step count past a schedule sized for the first.
 * The trainer refuses such a run before it starts.
 */
class ScheduleSizedInEpochsTest {
    // 40 rows in batches of 8: 5 batches per epoch
    private final Dataset data = TrainerTest.blobs(40, 1);

    private static Trainer trainer(int epochs, LearningRateSchedule schedule, EarlyStopping stopping) {
        Trainer.Builder b = Trainer.builder().optimizer(new Adam(0.01).schedule(schedule)).epochs(epochs).batchSize(8).shuffle(7);
        if (stopping != null) b.earlyStopping(stopping);
        return b.build();
    }

    /**
     * Trains {@code net} for the whole of a 4-epoch run under cosine(20) (5 batches per epoch) and returns
     * the state captured at the end of its epoch 2.
     */
    private TrainingState stateAfterEpochTwoOfFour(Network net) {
        AtomicReference<Trainer> self = new AtomicReference<>();
        AtomicReference<TrainingState> afterTwo = new AtomicReference<>();
        Trainer whole = Trainer.builder().optimizer(new Adam(0.01).schedule(LearningRateSchedule.cosine(20))).epochs(4)
                .batchSize(8).shuffle(7).listener(new TrainingListener() {
                    @Override public void onEpochEnd(EpochSummary s) {
                        if (s.epoch() == 2) afterTwo.set(self.get().state(net));
                    }
                }).build();
        self.set(whole);
        assertEquals(4, whole.fit(net, data).size());
        return afterTwo.get();
    }

    @Test
    void aCosineSizedInEpochsIsRefusedBeforeTraining() {
        Network net = new TrainerTest().classifier(3, 0);
        long before = ParameterSnapshot.of(net).hash();
        Trainer t = trainer(4, LearningRateSchedule.cosine(4), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.fit(net, data));
        assertTrue(e.getMessage().startsWith("the learning-rate schedule LearningRateSchedule.cosine(4, 0, 0.0) gives a rate of 0"
                + " for every update of epoch 4 (steps 15 to 19 at 5 batches per epoch"), e.getMessage());
        assertTrue(e.getMessage().contains("use e.g. cosine(20) (epochs x batches per epoch)"), e.getMessage());
        assertEquals(before, ParameterSnapshot.of(net).hash(), "nothing trained");
        assertEquals(0, ((BaseOptimizer) t.optimizer()).steps());
    }

    @Test
    void aScheduleSizedInStepsTrainsToItsLastEpoch() {
        Network net = new TrainerTest().classifier(3, 0);
        Trainer t = trainer(4, LearningRateSchedule.cosine(20), null);
        TrainingHistory h = t.fit(net, data);
        assertEquals(4, h.size());
        assertTrue(h.epochs().get(3).learningRate() > 0, "the last update (step 19 of 20) has a rate above 0");
    }

    /**
     * A run resumed after epoch 2 of 4 is checked at its own last epoch (steps 15 to 19 of cosine(20)),
     * not at an epoch counted from the resume point twice over, past the schedule's end.
     */
    @Test
    void aResumedRunIsCheckedAtItsLastEpoch() {
        Network net = new TrainerTest().classifier(3, 0);
        TrainingState afterTwo = stateAfterEpochTwoOfFour(net);
        Network resumed = new TrainerTest().classifier(3, 0);
        Trainer t = trainer(4, LearningRateSchedule.cosine(20), null);
        t.restore(resumed, afterTwo);
        assertEquals(2, t.fit(resumed, data).size(), "epochs 3 and 4");
        assertEquals(ParameterSnapshot.of(net).hash(), ParameterSnapshot.of(resumed).hash(), "as the uninterrupted run");
    }

    /**
     * A run resumed after epoch 2 with more epochs (6) than its cosine(20) was sized for (4) is refused,
     * and told the size the whole run needs (the optimiser's 10 steps + 4 epochs x 5 batches = 30), not
     * the 20 steps left, which is the schedule it already has; nor to make a new optimiser, which would
     * not resume.
     */
    @Test
    void aResumedRunPastTheEndOfTheScheduleIsToldTheWholeRunsSize() {
        TrainingState afterTwo = stateAfterEpochTwoOfFour(new TrainerTest().classifier(3, 0));
        Network resumed = new TrainerTest().classifier(3, 0);
        Trainer t = trainer(6, LearningRateSchedule.cosine(20), null);
        t.restore(resumed, afterTwo);
        long before = ParameterSnapshot.of(resumed).hash();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.fit(resumed, data));
        assertTrue(e.getMessage().contains("epoch 6 (steps 25 to 29 at 5 batches per epoch, the optimiser being at step 10)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("to anneal over the whole run's 6 epochs use e.g. cosine(30) (the optimiser's 10 steps"
                + " + 4 epochs x batches per epoch)"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; a resumed run keeps the schedule it was saved with, so resume with no more epochs"
                + " than that schedule was sized for, or train again from the start with one sized for the whole run"), e.getMessage());
        assertFalse(e.getMessage().contains("new optimiser"), e.getMessage());
        assertEquals(before, ParameterSnapshot.of(resumed).hash(), "nothing trained");
    }

    @Test
    void aSecondFitPastTheEndOfTheScheduleIsRefused() {
        Network net = new TrainerTest().classifier(3, 0);
        Trainer t = trainer(4, LearningRateSchedule.cosine(20), null);
        assertEquals(4, t.fit(net, data).size());
        long after = ParameterSnapshot.of(net).hash();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.fit(net, data));
        assertTrue(e.getMessage().contains("epoch 4 (steps 35 to 39 at 5 batches per epoch, the optimiser being at step 20)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("a second fit continues the optimiser's steps"), e.getMessage());
        assertEquals(after, ParameterSnapshot.of(net).hash());
    }

    /** With early stopping, epochs is often a ceiling: a schedule that ends before it is fine, one that ends in epoch 1 is not. */
    @Test
    void withEarlyStoppingOnlyAScheduleThatEndsInTheFirstEpochIsRefused() {
        Network net = new TrainerTest().classifier(3, 0);
        trainer(50, LearningRateSchedule.cosine(20), EarlyStopping.patience(3)).fit(net, data);
        Network other = new TrainerTest().classifier(3, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer(50, LearningRateSchedule.cosine(5), EarlyStopping.patience(3)).fit(other, data));
        assertTrue(e.getMessage().contains("every update of epoch 2 (steps 5 to 9"), e.getMessage());
    }

    /**
     * The advice is in the schedule's own terms: an exponential or a step decay meant per epoch was told
     * to use cosine(total) or "give the schedule a minRate > 0", which neither has.
     */
    @Test
    void aDecaySizedInEpochsIsToldHowToSizeItselfInSteps() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer(40, LearningRateSchedule.exponential(0.5), null).fit(new TrainerTest().classifier(3, 0), data));
        assertTrue(e.getMessage().endsWith("A schedule counts steps (batches), not epochs: exponential's gamma is the factor"
                + " per step, so a factor of 0.5 per epoch is exponential(" + Math.pow(0.5, 1.0 / 5) + ") at 5 batches per"
                + " epoch (gamma^(1 / batches per epoch)); or give it a gamma nearer 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> trainer(40, LearningRateSchedule.stepDecay(1, 0.01), null).fit(new TrainerTest().classifier(3, 0), data));
        assertTrue(e.getMessage().endsWith("not epochs: a decay every 1 epochs is stepDecay(5, 0.01) at 5 batches per epoch"
                + " (epochs x batches per epoch); or give it a gamma nearer 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> trainer(4,
                LearningRateSchedule.warmup(2, LearningRateSchedule.cosine(4)), null).fit(new TrainerTest().classifier(3, 0), data));
        assertTrue(e.getMessage().endsWith("not epochs: after its 2 warm-up steps, to anneal over the run's other 18 steps use"
                + " e.g. cosine(18); or give the schedule a minRate > 0"),
                e.getMessage());
        assertFalse(e.getMessage().contains("exponential"), e.getMessage());
    }
}
