package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bpnn.data.Dataset;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.optim.Adam;
import org.bpnn.optim.BaseOptimizer;
import org.bpnn.optim.LearningRateSchedule;
import org.junit.jupiter.api.Test;

/**
 * A state records the trainer's batch settings (batch size, dropped last batch, shuffle, validation
 * split) and {@link Trainer#restore} refuses a trainer that would cut the epochs into other batches
 * or split off another validation set: a state restored into a trainer of another batch size was
 * accepted without a word, and the resumed run ended with other weights than the uninterrupted one,
 * the promise of {@link TrainingState}; one of another validation split (fraction, stratified flag,
 * or seed) trained on rows that were validation rows before the resume, and validated on rows it had
 * seen. {@link RestoreOptions#allowChangedBatchSettings()} allows the change on purpose; a state
 * without the record (an older checkpoint) is restored unchecked, as before.
 */
class TrainerRestoreBatchSettingsTest {
    private final Dataset data = TrainerTest.blobs(40, 3); // 5 batches of 8

    private static Trainer.Builder builder(int epochs) {
        return Trainer.builder().optimizer(new Adam(0.01)).epochs(epochs).batchSize(8).shuffle(7);
    }

    /** The state after 2 epochs of a fresh classifier (seed 2) trained by {@code builder(2)} changed by {@code how}. */
    private TrainingState stateAfter(UnaryOperator<Trainer.Builder> how) {
        Trainer first = how.apply(builder(2)).build();
        Network part = new TrainerTest().classifier(2, 0);
        first.fit(part, data);
        return first.state(part);
    }

    private static String refusal(Trainer t, Network n, TrainingState s) {
        return assertThrows(IllegalArgumentException.class, () -> t.restore(n, s)).getMessage();
    }

    @Test
    void aStateRecordsTheTrainersBatchSettings() {
        assertEquals(new BatchSettings(8, false, true, 0, false, 0), stateAfter(b -> b).batchSettings());
        assertEquals(new BatchSettings(6, true, false, 0, false, 0), stateAfter(b -> b.batchSize(6).dropLastPartialBatch().noShuffle())
                .batchSettings());
        assertEquals(new BatchSettings(32, false, true, 0, false, 0), Trainer.builder().optimizer(new Adam(0.01)).build().batchSettings(),
                "the builder's defaults");
    }

    @Test
    void anotherBatchSizeIsRefusedNamingBothValuesAndTheRemedyAndChangesNothing() {
        TrainingState state = stateAfter(b -> b);
        Network n = new TrainerTest().classifier(2, 0);
        long before = ParameterSnapshot.of(n).hash();
        Trainer other = Trainer.builder().optimizer(new Adam(0.01)).epochs(4).shuffle(7).build(); // the default batchSize(32)
        String m = refusal(other, n, state);
        assertEquals("the state was trained with other batches than this trainer makes (batch size: checkpoint 8, trainer 32):"
                + " other batches give other updates (and another number of them per epoch), so the resumed run would not end"
                + " with the uninterrupted run's weights. Build the trainer as the run the state came from"
                + " (state.batchSettings()), with batchSize(8), or, to change it on purpose, restore with"
                + " trainer.restore(network, state, RestoreOptions.allowChangedBatchSettings())", m);
        assertEquals(0, ((BaseOptimizer) other.optimizer()).steps(), "a refused restore leaves the optimiser as it was");
        assertEquals(0, other.epochsCompleted());
        assertEquals(before, ParameterSnapshot.of(n).hash(), "and the network");
        // refused by the allowance of the other kind too: one allowance per kind of setting
        assertThrows(IllegalArgumentException.class, () -> other.restore(n, state, RestoreOptions.allowChangedOptimizerSettings()));
    }

    @Test
    void aDroppedLastBatchOrShuffleThatDiffersIsRefusedNamingEach() {
        Network n = new TrainerTest().classifier(2, 0);
        String m = refusal(builder(4).dropLastPartialBatch().build(), n, stateAfter(b -> b));
        assertTrue(m.contains("(last partial batch: checkpoint kept, trainer dropped)"), m);
        assertTrue(m.contains("with no dropLastPartialBatch(),"), m);

        m = refusal(builder(4).noShuffle().build(), n, stateAfter(b -> b));
        assertTrue(m.contains("(shuffle: checkpoint on, trainer off (noShuffle))"), m);
        assertTrue(m.contains("with shuffle(7) instead of noShuffle() (this trainer's seed: without a split any seed resumes"
                + " alike),"), m);

        m = refusal(builder(4).batchSize(5).build(), n, stateAfter(b -> b.dropLastPartialBatch().noShuffle()));
        assertTrue(m.contains("(batch size: checkpoint 8, trainer 5; last partial batch: checkpoint dropped, trainer kept;"
                + " shuffle: checkpoint off (noShuffle), trainer on)"), m);
        assertTrue(m.contains("with batchSize(8) and dropLastPartialBatch() and noShuffle(), or, to change them on purpose"), m);
    }

    /**
     * A trainer built with noShuffle() where the run shuffled is told the seed to shuffle with: the
     * remedy read "shuffle(seed) instead of noShuffle()", and with a split a guessed seed other than the
     * recorded one is refused again (over the split's seed). With a split the recorded seed is named;
     * without one the state records none and any resumes alike, so the trainer's own is, and the
     * remedy applied as written resumes to the uninterrupted run's weights.
     */
    @Test
    void switchingShufflingBackOnNamesTheSeed() {
        Network n = new TrainerTest().classifier(2, 0);
        String m = refusal(builder(4).validationSplit(0.25).noShuffle().build(), n, stateAfter(b -> b.validationSplit(0.25)));
        assertTrue(m.contains("(shuffle: checkpoint on, trainer off (noShuffle))"), m);
        assertTrue(m.contains("with shuffle(7) instead of noShuffle(), or"), m);
        // another split too: the seed is still the recorded one, which the split needs
        m = refusal(builder(4).stratifiedValidationSplit(0.5).noShuffle().build(), n, stateAfter(b -> b.validationSplit(0.25)));
        assertTrue(m.contains("with shuffle(7) instead of noShuffle() and validationSplit(0.25), or"), m);

        // no split: the trainer's seed (11), not the run's (7), which the state does not record and a resume does not need
        m = refusal(builder(4).shuffle(11).noShuffle().build(), n, stateAfter(b -> b));
        assertTrue(m.contains("with shuffle(11) instead of noShuffle() (this trainer's seed: without a split any seed"
                + " resumes alike), or"), m);
        Network whole = new TrainerTest().classifier(2, 0);
        builder(4).build().fit(whole, data);
        Trainer mended = builder(4).shuffle(11).noShuffle().shuffle(11).build(); // the remedy, applied as written
        mended.restore(n, stateAfter(b -> b));
        mended.fit(n, data);
        assertEquals(ParameterSnapshot.of(whole).hash(), ParameterSnapshot.of(n).hash());
    }

    @Test
    void theBatchesAreComparedBeforeTheOptimiserSettingsWhoseScheduleTheyOftenSize() {
        // a schedule sized as epochs x batches per epoch changes with the batch size: the refusal names the cause
        TrainingState state = stateAfter(b -> b.optimizer(new Adam(0.01).schedule(LearningRateSchedule.cosine(20))));
        Trainer other = Trainer.builder().optimizer(new Adam(0.01).schedule(LearningRateSchedule.cosine(40))).epochs(4)
                .batchSize(4).shuffle(7).build();
        String m = refusal(other, new TrainerTest().classifier(2, 0), state);
        assertTrue(m.contains("batch size: checkpoint 8, trainer 4"), m);
    }

    @Test
    void theOptionAllowsAnotherBatchSizeWhichThenApplies() {
        TrainingState state = stateAfter(b -> b);
        Network n = new TrainerTest().classifier(2, 0);
        List<Integer> batchesPerEpoch = new ArrayList<>();
        Trainer other = builder(4).batchSize(20).listener(new TrainingListener() {
            @Override
            public void onEpochStart(int epoch, int epochs, int batches, int samples) {
                batchesPerEpoch.add(batches);
            }
        }).build();
        other.restore(n, state, RestoreOptions.allowChangedBatchSettings());
        assertEquals(10, ((BaseOptimizer) other.optimizer()).steps(), "the step counter is the state's (2 epochs of 5)");
        TrainingHistory h = other.fit(n, data);
        assertEquals(3, h.firstEpoch());
        assertEquals(List.of(2, 2), batchesPerEpoch, "the trainer's batch size applies: 2 batches of 20");
        assertEquals(14, ((BaseOptimizer) other.optimizer()).steps());
        assertEquals(new BatchSettings(20, false, true, 0, false, 0), other.state(n).batchSettings(), "and is what its states record");

        // and not the uninterrupted run's weights, which is why it must be asked for
        Network whole = new TrainerTest().classifier(2, 0);
        builder(4).build().fit(whole, data);
        assertNotEquals(ParameterSnapshot.of(whole).hash(), ParameterSnapshot.of(n).hash());
    }

    @Test
    void bothAllowancesTogetherAllowBothChanges() {
        TrainingState state = stateAfter(b -> b);
        Trainer other = builder(4).batchSize(20).optimizer(new Adam(0.005)).build();
        Network n = new TrainerTest().classifier(2, 0);
        String m = assertThrows(IllegalArgumentException.class,
                () -> other.restore(n, state, RestoreOptions.allowChangedBatchSettings())).getMessage();
        assertTrue(m.contains("learning_rate: checkpoint 0.01, trainer 0.005"), "the optimiser's settings are still compared: " + m);
        RestoreOptions both = RestoreOptions.allowChangedOptimizerSettings().and(RestoreOptions.allowChangedBatchSettings());
        assertTrue(both.allowsChangedBatchSettings() && both.allowsChangedOptimizerSettings());
        assertEquals("RestoreOptions.allowChangedOptimizerSettings().and(RestoreOptions.allowChangedBatchSettings())", both.toString());
        other.restore(n, state, both);
        assertEquals(2, other.epochsCompleted());
    }

    @Test
    void aStateWithoutTheRecordIsRestoredUncheckedAsBefore() {
        TrainingState s = stateAfter(b -> b);
        TrainingState old = new TrainingState(s.epoch(), s.shuffleRngState(), s.dropoutRngStates(), s.optimizer(), s.parameters(),
                s.bestScore(), s.bestEpoch(), s.epochsWithoutImprovement(), s.bestParameters());
        assertNull(old.batchSettings(), "the constructor of the older parameter list records none");
        Trainer other = builder(4).batchSize(20).build(); // nothing to compare with: restored, as before the record
        other.restore(new TrainerTest().classifier(2, 0), old);
        assertEquals(2, other.epochsCompleted());
        // the record put back on it is checked again
        TrainingState again = old.withBatchSettings(s.batchSettings());
        refusal(builder(4).batchSize(20).build(), new TrainerTest().classifier(2, 0), again);
    }

    @Test
    void theSameSettingsStillResumeToTheUninterruptedRunsWeights() {
        for (UnaryOperator<Trainer.Builder> how : List.<UnaryOperator<Trainer.Builder>>of(
                b -> b.batchSize(6).dropLastPartialBatch().noShuffle(), b -> b.stratifiedValidationSplit(0.25))) {
            Network whole = new TrainerTest().classifier(2, 0);
            how.apply(builder(4)).build().fit(whole, data);

            TrainingState state = stateAfter(how);
            Network n = new TrainerTest().classifier(2, 0);
            Trainer resumed = how.apply(builder(4)).build();
            resumed.restore(n, state);
            resumed.fit(n, data);
            assertEquals(ParameterSnapshot.of(whole).hash(), ParameterSnapshot.of(n).hash());
        }
    }

    @Test
    void aStateRecordsTheValidationSplitWithItsSeedAndTheSeedOnlyWithASplit() {
        assertEquals(new BatchSettings(8, false, true, 0.25, false, 7), stateAfter(b -> b.validationSplit(0.25)).batchSettings());
        assertEquals(new BatchSettings(8, false, false, 0.25, true, 7),
                stateAfter(b -> b.stratifiedValidationSplit(0.25).noShuffle()).batchSettings(), "the seed splits without shuffling too");
        assertEquals(0, stateAfter(b -> b.shuffle(9)).batchSettings().splitSeed(), "no split: no seed");
        assertEquals(new BatchSettings(8, false, true, 0.5, false, 9),
                builder(4).stratifiedValidationSplit(0.2).validationSplit(0.5).shuffle(9).build().batchSettings(),
                "the builder's last split and seed");
    }

    /**
     * Another fraction splits the data again into other parts: rows the run held out for validation are
     * trained on after the resume, and the validation loss and early stopping judge the network on rows
     * it has seen. Refused, with the values, the leakage and the builder call; nothing changed.
     */
    @Test
    void anotherValidationFractionIsRefusedNamingBothValuesTheLeakageAndTheRemedy() {
        TrainingState state = stateAfter(b -> b.validationSplit(0.25));
        Network n = new TrainerTest().classifier(2, 0);
        long before = ParameterSnapshot.of(n).hash();
        Trainer other = builder(4).validationSplit(0.5).build();
        String m = refusal(other, n, state);
        assertEquals("the state was trained on another validation split than this trainer takes (validation split:"
                + " checkpoint 0.25, trainer 0.5): another split trains on other rows, so the resumed run would not end with"
                + " the uninterrupted run's weights; and rows the run held out for validation would be trained on, so its"
                + " validation loss, metrics and early stopping would judge the network on rows it has seen. Build the"
                + " trainer as the run the state came from (state.batchSettings()), with validationSplit(0.25), or, to"
                + " change it on purpose, restore with trainer.restore(network, state,"
                + " RestoreOptions.allowChangedBatchSettings())", m);
        assertEquals(0, other.epochsCompleted(), "a refused restore changes nothing");
        assertEquals(before, ParameterSnapshot.of(n).hash());

        // a trainer without a split, and the other way round; the seed is named where the trainer records none
        m = refusal(builder(4).build(), n, state);
        assertTrue(m.contains("(validation split: checkpoint 0.25, trainer none)"), m);
        assertTrue(m.contains("with shuffle(7) and validationSplit(0.25), or"), m);
        m = refusal(builder(4).validationSplit(0.25).build(), n, stateAfter(b -> b));
        assertTrue(m.contains("(validation split: checkpoint none, trainer 0.25)"), m);
        assertTrue(m.contains("with no validationSplit(0.25), or"), m);

        // with other batches too: both reasons
        m = refusal(builder(4).batchSize(4).build(), n, state);
        assertTrue(m.startsWith("the state was trained with other batches and another validation split than this trainer"
                + " takes (batch size: checkpoint 8, trainer 4; validation split: checkpoint 0.25, trainer none): other"
                + " batches give other updates (and another number of them per epoch) and another split trains on other"
                + " rows, so the resumed run would not end with the uninterrupted run's weights; and rows the run held out"), m);
        assertTrue(m.contains("with batchSize(8) and shuffle(7) and validationSplit(0.25), or, to change them on purpose"), m);
    }

    @Test
    void anotherStratifiedFlagIsRefused() {
        Network n = new TrainerTest().classifier(2, 0);
        String m = refusal(builder(4).validationSplit(0.25).build(), n, stateAfter(b -> b.stratifiedValidationSplit(0.25)));
        assertTrue(m.contains("(validation split: checkpoint 0.25 stratified, trainer 0.25)"), m);
        assertTrue(m.contains("with stratifiedValidationSplit(0.25), or"), m);
        assertTrue(m.contains("rows the run held out for validation would be trained on"), m);

        m = refusal(builder(4).stratifiedValidationSplit(0.25).build(), n, stateAfter(b -> b.validationSplit(0.25)));
        assertTrue(m.contains("(validation split: checkpoint 0.25, trainer 0.25 stratified)"), m);
        assertTrue(m.contains("with validationSplit(0.25), or"), m);
    }

    /** With a split, the shuffle seed chooses its rows: another seed, other validation rows. */
    @Test
    void anotherSeedWithASplitIsRefusedNamingTheShuffleCall() {
        Network n = new TrainerTest().classifier(2, 0);
        String m = refusal(builder(4).validationSplit(0.25).shuffle(9).build(), n, stateAfter(b -> b.validationSplit(0.25)));
        assertTrue(m.contains("(validation split seed: checkpoint 7, trainer 9)"), m);
        assertTrue(m.contains("with shuffle(7), or, to change it on purpose"), m);
        assertTrue(m.contains("rows the run held out for validation would be trained on"), m);

        // a run without shuffling: shuffle(7) would switch it on, so noShuffle() after it
        m = refusal(builder(4).validationSplit(0.25).shuffle(9).noShuffle().build(), n,
                stateAfter(b -> b.validationSplit(0.25).noShuffle()));
        assertTrue(m.contains("(validation split seed: checkpoint 7, trainer 9)"), m);
        assertTrue(m.contains("with shuffle(7).noShuffle() (the split's seed, without shuffling), or"), m);
        // the trainer's noShuffle() where the run shuffled is mended by the same call
        m = refusal(builder(4).validationSplit(0.25).shuffle(9).noShuffle().build(), n, stateAfter(b -> b.validationSplit(0.25)));
        assertTrue(m.contains("(shuffle: checkpoint on, trainer off (noShuffle); validation split seed: checkpoint 7, trainer 9)"), m);
        assertTrue(m.contains("with shuffle(7) instead of noShuffle(), or"), m);
    }

    /**
     * Without a split the seed decides nothing a resume uses (the shuffle generator's state is in the
     * state): another seed is restored, and resumes to the uninterrupted run's weights.
     */
    @Test
    void anotherSeedWithoutASplitIsNotRefusedAndResumesToTheUninterruptedRun() {
        Network whole = new TrainerTest().classifier(2, 0);
        builder(4).build().fit(whole, data);

        Network n = new TrainerTest().classifier(2, 0);
        Trainer reseeded = builder(4).shuffle(12345).build();
        reseeded.restore(n, stateAfter(b -> b));
        reseeded.fit(n, data);
        assertEquals(ParameterSnapshot.of(whole).hash(), ParameterSnapshot.of(n).hash());
    }

    @Test
    void theOptionAllowsAnotherSplitWhichThenApplies() {
        Network n = new TrainerTest().classifier(2, 0);
        List<Integer> validationRows = new ArrayList<>();
        TrainingListener rows = new TrainingListener() {
            @Override
            public void onTrainStart(Network network, int epochs, int trainSamples, int validationSamples) {
                validationRows.add(validationSamples);
            }
        };
        for (UnaryOperator<Trainer.Builder> how : List.<UnaryOperator<Trainer.Builder>>of(
                b -> b.validationSplit(0.5), b -> b.validationSplit(0.25).shuffle(9), b -> b.stratifiedValidationSplit(0.25))) {
            Trainer other = how.apply(builder(4)).listener(rows).build();
            other.restore(n, stateAfter(b -> b.validationSplit(0.25)), RestoreOptions.allowChangedBatchSettings());
            assertEquals(3, other.fit(n, data).firstEpoch());
            assertEquals(other.batchSettings(), other.state(n).batchSettings(), "the trainer's split is what its states record");
        }
        assertEquals(List.of(20, 10, 10), validationRows, "the trainer's split applies: 0.5 and 0.25 of the 40 rows");
    }

    /**
     * What {@link RestoreOptions#allowChangedBatchSettings()} says of a schedule: the step counter is the
     * state's, counted in batches of the old size, so a schedule sized for them (cosine(20): 4 epochs of
     * 5 batches) ends before the last epoch at a smaller batch size, and the fit is refused before it trains.
     */
    @Test
    void aScheduleSizedForTheOldBatchesEndsEarlyAtSmallerOnesAndTheFitSaysSo() {
        LearningRateSchedule cosine = LearningRateSchedule.cosine(20);
        TrainingState state = stateAfter(b -> b.optimizer(new Adam(0.01).schedule(cosine)));
        assertEquals(10, state.optimizer().step());
        Trainer smaller = builder(4).batchSize(4).optimizer(new Adam(0.01).schedule(cosine)).build(); // 10 batches per epoch
        Network n = new TrainerTest().classifier(2, 0);
        smaller.restore(n, state, RestoreOptions.allowChangedBatchSettings());
        String m = assertThrows(IllegalArgumentException.class, () -> smaller.fit(n, data)).getMessage();
        assertTrue(m.contains("gives a rate of 0 for every update of epoch 4 (steps 20 to 29 at 10 batches per epoch"), m);
    }
}
