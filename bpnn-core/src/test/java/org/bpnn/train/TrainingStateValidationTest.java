package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.optim.OptimizerState;
import org.junit.jupiter.api.Test;

/**
 * {@link TrainingState}'s constructor refuses parts that {@link Trainer#restore} would act on wrongly,
 * naming the part: a NaN weight was restored and the next fit failed blaming the learning rate; a NaN
 * best score made every resumed epoch a non-improvement, so early stopping ended the run and put back
 * the old best weights; a null weight array was a NullPointerException from the copy.
 */
class TrainingStateValidationTest {
    private static final OptimizerState SGD = new OptimizerState("sgd", 3, new int[0], new float[0][]);

    private static TrainingState state(int epoch, float[][] params, double bestScore, int bestEpoch, int since, float[][] best) {
        return new TrainingState(epoch, 1L, new long[0], SGD, params, bestScore, bestEpoch, since, best);
    }

    private static String refusal(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void aNonFiniteWeightIsRefusedByItsIndex() {
        String m = refusal(() -> state(2, new float[][] {{1, 2}, {3, Float.NaN}}, 0.5, 1, 1, null));
        assertTrue(m.contains("parameters[1][1] is NaN"), m);
        m = refusal(() -> state(2, new float[][] {{1, 2}}, 0.5, 1, 1, new float[][] {{Float.POSITIVE_INFINITY, 2}}));
        assertTrue(m.contains("bestParameters[0][0] is Infinity"), m);
    }

    @Test
    void aNullWeightArrayIsRefusedByItsIndex() {
        String m = refusal(() -> state(2, new float[][] {{1}, null}, 0.5, 1, 1, null));
        assertTrue(m.contains("parameters[1] is null"), m);
        m = refusal(() -> state(2, new float[][] {{1}}, 0.5, 1, 1, new float[][] {null}));
        assertTrue(m.contains("bestParameters[0] is null"), m);
    }

    @Test
    void eachMissingPartIsNamed() {
        assertTrue(refusal(() -> state(2, null, 0.5, 1, 1, null)).contains("parameters is null"));
        assertTrue(refusal(() -> new TrainingState(2, 1L, null, SGD, new float[][] {{1}}, 0.5, 1, 1, null))
                .contains("dropoutRngStates is null"));
        assertTrue(refusal(() -> new TrainingState(2, 1L, new long[0], null, new float[][] {{1}}, 0.5, 1, 1, null))
                .contains("optimizer is null"));
    }

    @Test
    void earlyStoppingBookkeepingOutOfRangeIsRefused() {
        assertTrue(refusal(() -> state(2, new float[][] {{1}}, Double.NaN, 1, 1, null)).contains("bestScore is NaN"));
        assertTrue(refusal(() -> state(2, new float[][] {{1}}, 0.5, 3, 0, null)).contains("bestEpoch is 3 with epoch 2"));
        assertTrue(refusal(() -> state(2, new float[][] {{1}}, 0.5, -1, 0, null)).contains("bestEpoch is -1"));
        assertTrue(refusal(() -> state(2, new float[][] {{1}}, 0.5, 1, -1, null)).contains("epochsWithoutImprovement is -1"));
        assertTrue(refusal(() -> state(2, new float[][] {{1}}, 0.5, 1, 3, null)).contains("epochsWithoutImprovement is 3"));
        assertTrue(refusal(() -> state(-1, new float[][] {{1}}, 0.5, 0, 0, null)).contains("epoch is -1"));
    }

    @Test
    void aRecordedBatchSizeBelowOneIsRefusedAndNoRecordIsAccepted() {
        String m = refusal(() -> new BatchSettings(0, false, true, 0, false, 0));
        assertTrue(m.contains("batchSize is 0; expected the rows per mini-batch"), m);
        TrainingState recorded = new TrainingState(2, 1L, new long[0], SGD, new float[][] {{1}}, 0.5, 1, 1, null,
                new BatchSettings(16, true, false, 0, false, 0));
        assertEquals(new BatchSettings(16, true, false, 0, false, 0), recorded.batchSettings());
        assertEquals(null, state(2, new float[][] {{1}}, 0.5, 1, 1, null).batchSettings(), "the older parameter list: none");
        assertEquals(null, recorded.withBatchSettings(null).batchSettings());
        assertTrue(recorded.toString().contains("BatchSettings(batch size 16, last partial batch dropped, shuffle off"
                + " (noShuffle), validation split none)"), recorded.toString());
    }

    /**
     * The validation split's fields are checked as Trainer.Builder checks them: a fraction in (0, 1),
     * or 0 for none; stratified and seeded only with a split (the builder has no stratified split of
     * 0, and the seed of a run without a split is not recorded).
     */
    @Test
    void aRecordedValidationSplitOutOfRangeIsRefusedAsTheBuilderRefusesIt() {
        for (double f : new double[] {-0.1, 1, 1.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            String m = refusal(() -> new BatchSettings(8, false, true, f, false, 7));
            assertTrue(m.contains("validationSplit is " + f + "; expected the fraction the trainer held out for validation"
                    + " (Trainer.Builder.validationSplit), in (0, 1), or 0 for none"), m);
            assertThrows(IllegalArgumentException.class, () -> Trainer.builder().validationSplit(f), "as the builder does");
        }
        String m = refusal(() -> new BatchSettings(8, false, true, 0, true, 0));
        assertTrue(m.contains("stratifiedSplit is true but validationSplit is 0"), m);
        m = refusal(() -> new BatchSettings(8, false, true, 0, false, 7));
        assertTrue(m.contains("splitSeed is 7 but validationSplit is 0; the seed is recorded only with a split"), m);

        BatchSettings split = new BatchSettings(8, false, true, 0.2, true, -3);
        assertEquals(0.2, split.validationSplit());
        assertTrue(split.stratifiedSplit());
        assertEquals(-3, split.splitSeed(), "any long is a seed, 0 and negatives too");
        assertEquals("BatchSettings(batch size 8, last partial batch kept, shuffle on, validation split 0.2 stratified,"
                + " split seed -3)", split.toString());
        assertEquals("batch size 8, last partial batch kept, shuffle on, validation split 0.2 stratified, split seed -3",
                split.summary(), "toString's words without the BatchSettings(...) around them, as ./bpnn inspect shows them");
        assertEquals("batch size 16, last partial batch dropped, shuffle off (noShuffle), validation split none",
                new BatchSettings(16, true, false, 0, false, 0).summary());
        assertEquals(new BatchSettings(8, false, true, 0, false, 0), new BatchSettings(8, false, true, -0.0, false, 0),
                "-0.0 is no split too, and equal to 0");
    }

    @Test
    void aStateAsATrainerCapturesItIsAccepted() {
        // before any best epoch (+Infinity, 0), and an epoch-2 state whose best was epoch 1
        assertEquals(0, state(0, new float[][] {{1}}, Double.POSITIVE_INFINITY, 0, 0, null).bestEpoch());
        assertEquals(1, state(2, new float[][] {{1}}, -0.9, 1, 1, new float[][] {{2}}).bestEpoch());
    }
}
