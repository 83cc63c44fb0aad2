package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleFunction;
import org.bpnn.data.Dataset;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.optim.Adam;
import org.bpnn.optim.BaseOptimizer;
import org.bpnn.optim.GradientClipping;
import org.bpnn.optim.OptimizerState;
import org.bpnn.optim.LearningRateSchedule;
import org.junit.jupiter.api.Test;

/**
 * What a resume takes from the state and what from the trainer it is restored into (see
 * {@link Trainer#restore}): the step counter comes from the state, so a schedule continues at the
 * update where the run stopped instead of starting again; the settings (here the base rate) come
 * from the restoring optimiser, which must have the recorded ones unless the restore allows a change
 * ({@link RestoreOptions#allowChangedOptimizerSettings()}). (Another kind of optimiser is refused:
 * {@link TrainerTest#restoreRefusesAnotherArchitecture}.)
 */
class ResumeWithOtherSettingsTest {
    private static final LearningRateSchedule COSINE = LearningRateSchedule.cosine(40, 0, 1e-4);
    private final Dataset data = TrainerTest.blobs(40, 3); // 5 batches of 8: 20 updates in 4 epochs

    private static Trainer trainer(int epochs, double rate) {
        return Trainer.builder().optimizer(new Adam(rate).schedule(COSINE)).epochs(epochs).batchSize(8).shuffle(7).build();
    }

    /** The state {@code first} captures after fitting a fresh classifier (seed 2) to the data. */
    private TrainingState stateAfter(Trainer first) {
        Network part = new TrainerTest().classifier(2, 0);
        first.fit(part, data);
        return first.state(part);
    }

    @Test
    void aRestoredScheduleContinuesWhereItStopped() {
        Network whole = new TrainerTest().classifier(2, 0);
        TrainingHistory uninterrupted = trainer(4, 0.01).fit(whole, data);

        TrainingState state = stateAfter(trainer(2, 0.01));
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
        TrainingState state = stateAfter(trainer(2, 0.01));

        Network resumedNet = new TrainerTest().classifier(2, 0);
        Trainer resumed = trainer(4, 0.005); // a deliberate change of rate on resume: allowed when asked for
        resumed.restore(resumedNet, state, RestoreOptions.allowChangedOptimizerSettings());
        TrainingHistory rest = resumed.fit(resumedNet, data);
        DoubleFunction<Float> atLastUpdateOfEpoch3 = base -> (float) COSINE.rate((float) base, 14); // the optimiser keeps its base rate as a float
        assertEquals(atLastUpdateOfEpoch3.apply(0.005), (float) rest.epochs().get(0).learningRate(), 0f,
                "epoch 3 reports the new base rate's schedule at step 14 (its last update)");
        assertNotEquals(atLastUpdateOfEpoch3.apply(0.01), (float) rest.epochs().get(0).learningRate(),
                "not the rate of the run the state came from");
    }

    @Test
    void anotherBaseRateIsRefusedNamingBothValuesAndChangesNothing() {
        TrainingState state = stateAfter(trainer(2, 0.01));

        Network resumedNet = new TrainerTest().classifier(2, 0);
        long before = ParameterSnapshot.of(resumedNet).hash();
        Trainer resumed = trainer(4, 0.005);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resumed.restore(resumedNet, state));
        assertTrue(e.getMessage().contains("learning_rate: checkpoint 0.01, trainer 0.005"), e.getMessage());
        assertTrue(e.getMessage().contains("RestoreOptions.allowChangedOptimizerSettings()"), e.getMessage());
        assertTrue(e.getMessage().contains("toOptimizer()"), e.getMessage());
        assertEquals(0, ((BaseOptimizer) resumed.optimizer()).steps(), "a refused restore leaves the optimiser as it was");
        assertEquals(0, resumed.epochsCompleted());
        assertEquals(before, ParameterSnapshot.of(resumedNet).hash(), "and the network");
    }

    @Test
    void everyDifferingSettingIsNamedBetasScheduleAndClipping() {
        TrainingState state = stateAfter(Trainer.builder().optimizer(new Adam(0.01, 0.9, 0.999, 1e-8).schedule(COSINE))
                .epochs(2).batchSize(8).shuffle(7).build());

        Trainer other = Trainer.builder().optimizer(new Adam(0.01, 0.8, 0.999, 1e-8).schedule(LearningRateSchedule.cosine(80, 0, 1e-4))
                .clipping(GradientClipping.byGlobalNorm(1))).epochs(4).batchSize(8).shuffle(7).build();
        String m = assertThrows(IllegalArgumentException.class,
                () -> other.restore(new TrainerTest().classifier(2, 0), state)).getMessage();
        assertTrue(m.contains("in 3 settings"), m);
        assertTrue(m.contains("beta1: checkpoint 0.9, trainer 0.8"), m);
        assertTrue(m.contains("clip_global_norm: checkpoint none, trainer 1.0"), m);
        assertTrue(m.contains("schedule: checkpoint LearningRateSchedule.cosine(40, 0, 1.0E-4), trainer"
                + " LearningRateSchedule.cosine(80, 0, 1.0E-4)"), m);
        assertFalse(m.contains("learning_rate"), "an equal setting is not listed: " + m);
    }

    @Test
    void theRecordedSettingsRebuildTheOptimiserThatResumesExactly() {
        Network whole = new TrainerTest().classifier(2, 0);
        trainer(4, 0.01).fit(whole, data);

        TrainingState state = stateAfter(trainer(2, 0.01));

        Network resumedNet = new TrainerTest().classifier(2, 0);
        Trainer resumed = Trainer.builder().optimizer(state.optimizer().settings().toOptimizer()).epochs(4).batchSize(8)
                .shuffle(7).build();
        resumed.restore(resumedNet, state);
        resumed.fit(resumedNet, data);
        assertEquals(ParameterSnapshot.of(whole).hash(), ParameterSnapshot.of(resumedNet).hash());
    }

    @Test
    void aStateWithoutRecordedSettingsIsRestoredWithTheTrainersAsBefore() {
        TrainingState s = stateAfter(trainer(2, 0.01));
        OptimizerState bare = new OptimizerState(s.optimizer().optimizer(), s.optimizer().step(),
                s.optimizer().parameterSizes(), s.optimizer().buffers());
        TrainingState old = new TrainingState(s.epoch(), s.shuffleRngState(), s.dropoutRngStates(), bare, s.parameters(),
                s.bestScore(), s.bestEpoch(), s.epochsWithoutImprovement(), s.bestParameters());

        Trainer resumed = trainer(4, 0.005); // nothing to compare with: allowed, as before settings were recorded
        resumed.restore(new TrainerTest().classifier(2, 0), old);
        assertEquals(10, ((BaseOptimizer) resumed.optimizer()).steps());
    }

    @Test
    void twoSchedulesOfTheUsersOwnAreNotComparedABuiltInAndACustomOneAre() {
        TrainingState state = stateAfter(Trainer.builder().optimizer(new Adam(0.01).schedule((base, step) -> base)).epochs(2)
                .batchSize(8).shuffle(7).build());

        Trainer resumed = Trainer.builder().optimizer(new Adam(0.01).schedule((base, step) -> base)).epochs(4).batchSize(8)
                .shuffle(7).build(); // another lambda: another toString(), the same schedule
        resumed.restore(new TrainerTest().classifier(2, 0), state);
        assertEquals(10, ((BaseOptimizer) resumed.optimizer()).steps());

        String m = assertThrows(IllegalArgumentException.class, () -> trainer(4, 0.01).restore(
                new TrainerTest().classifier(2, 0), state)).getMessage();
        assertTrue(m.contains("schedule: checkpoint ") && m.contains("trainer LearningRateSchedule.cosine(40, 0, 1.0E-4)"), m);
    }
}
