package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.function.DoubleFunction;
import org.bpnn.data.Dataset;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.optim.Adam;
import org.bpnn.optim.BaseOptimizer;
import org.bpnn.optim.LearningRateSchedule;
import org.junit.jupiter.api.Test;

/**
 * What a resume takes from the state and what from the trainer it is restored into (see
 * {@link Trainer#restore}): the step counter comes from the state, so a schedule continues at the
 * update where the run stopped instead of starting again; the settings (here the base rate) come
 * from the restoring optimiser, which a state does not record. (Another kind of optimiser is refused:
 * {@link TrainerTest#restoreRefusesAnotherArchitecture}.)
 */
class ResumeWithOtherSettingsTest {
    private static final LearningRateSchedule COSINE = LearningRateSchedule.cosine(40, 0, 1e-4);
    private final Dataset data = TrainerTest.blobs(40, 3); // 5 batches of 8: 20 updates in 4 epochs

    private static Trainer trainer(int epochs, double rate) {
        return Trainer.builder().optimizer(new Adam(rate).schedule(COSINE)).epochs(epochs).batchSize(8).shuffle(7).build();
    }

    @Test
    void aRestoredScheduleContinuesWhereItStopped() {
        Network whole = new TrainerTest().classifier(2, 0);
        TrainingHistory uninterrupted = trainer(4, 0.01).fit(whole, data);

        Network part = new TrainerTest().classifier(2, 0);
        Trainer first = trainer(2, 0.01);
        first.fit(part, data);
        TrainingState state = first.state(part);
        assertEquals(10, state.optimizer().step(), "updates recorded after two epochs");

        Network resumedNet = new TrainerTest().classifier(2, 0);
        Trainer resumed = trainer(4, 0.01);
        resumed.restore(resumedNet, state);
        assertEquals(10, ((BaseOptimizer) resumed.optimizer()).steps(), "the step counter is restored");
        TrainingHistory rest = resumed.fit(resumedNet, data);
        for (int e = 0; e < 2; e++) {
            assertEquals(uninterrupted.epochs().get(2 + e).learningRate(), rest.epochs().get(e).learningRate(), 0.0,
                    "epoch " + (3 + e) + "'s rate: the schedule continues at step 10, it does not start again");
        }
        assertEquals(ParameterSnapshot.of(whole).hash(), ParameterSnapshot.of(resumedNet).hash(),
                "with the same settings the resumed run ends with the uninterrupted run's weights");
    }

    @Test
    void anotherBaseRateAppliesFromTheNextUpdateOnTheRestoredStepCount() {
        Network part = new TrainerTest().classifier(2, 0);
        Trainer first = trainer(2, 0.01);
        first.fit(part, data);
        TrainingState state = first.state(part);

        Network resumedNet = new TrainerTest().classifier(2, 0);
        Trainer resumed = trainer(4, 0.005); // a deliberate change of rate on resume: allowed
        resumed.restore(resumedNet, state);
        TrainingHistory rest = resumed.fit(resumedNet, data);
        DoubleFunction<Float> atLastUpdateOfEpoch3 = base -> (float) COSINE.rate((float) base, 14); // the optimiser keeps its base rate as a float
        assertEquals(atLastUpdateOfEpoch3.apply(0.005), (float) rest.epochs().get(0).learningRate(), 0f,
                "epoch 3 reports the new base rate's schedule at step 14 (its last update)");
        assertNotEquals(atLastUpdateOfEpoch3.apply(0.01), (float) rest.epochs().get(0).learningRate(),
                "not the rate of the run the state came from");
    }
}
