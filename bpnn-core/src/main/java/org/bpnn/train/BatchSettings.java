package org.bpnn.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Which rows a {@link Trainer} trains on and how it cuts each epoch of them into mini-batches, as a
 * {@link TrainingState} records it ({@link TrainingState#batchSettings()}, kept in a checkpoint file):
 * the builder's settings that decide which rows each update sees, and so, with the shuffle
 * generator's state the state already holds, the sequence of batches a resumed run trains on. Only
 * the same ones resume to the uninterrupted run's weights, so {@link Trainer#restore} refuses a
 * trainer whose settings differ ({@link #differences}) unless told to allow it
 * ({@link RestoreOptions#allowChangedBatchSettings()}).
 *
 * <p>The validation split is among them because {@link Trainer#fit(org.bpnn.nn.Network, org.bpnn.data.Dataset)}
 * takes it again on every fit, from the fraction, the stratified flag and the shuffle seed: the
 * batches are drawn from the rows it leaves. Resumed with another one, the run trains on other rows,
 * and rows held out for validation before the resume are trained on after it, so its validation
 * loss, metrics and early stopping judge the network on rows it has seen (leakage) without a word.
 *
 * <p>The split's seed ({@link Trainer.Builder#shuffle(long)}'s) is recorded only with a split
 * (validationSplit &gt; 0; 0 otherwise) and compared only between two splits: without one it decides
 * nothing a resume uses, since the shuffle generator it seeds is restored from its state in the
 * state ({@link TrainingState#shuffleRngState()}), so a run without a split is never refused over
 * its seed. Not recorded either, because the state resumes without them: the epochs (a resume may
 * run more), the metrics, listeners and early stopping, and a validation set passed to
 * {@link Trainer#fit(org.bpnn.nn.Network, org.bpnn.data.Dataset, org.bpnn.data.Dataset)} (data, like
 * the training set: a trainer given one records validationSplit 0).
 *
 * @param batchSize            rows per mini-batch ({@link Trainer.Builder#batchSize}), &gt;= 1
 * @param dropLastPartialBatch whether the smaller last batch of each epoch is skipped
 *                             ({@link Trainer.Builder#dropLastPartialBatch})
 * @param shuffle              whether the rows are reshuffled every epoch ({@link Trainer.Builder#shuffle},
 *                             the default) or keep the data's order ({@link Trainer.Builder#noShuffle})
 * @param validationSplit      the fraction of the training rows held out for validation
 *                             ({@link Trainer.Builder#validationSplit}, {@link Trainer.Builder#stratifiedValidationSplit}),
 *                             in (0, 1), or 0 for none
 * @param stratifiedSplit      whether the split keeps each class's share
 *                             ({@link Trainer.Builder#stratifiedValidationSplit}); false without a split
 * @param splitSeed            the seed that chooses the split's rows (the shuffle seed, {@link Trainer.Builder#shuffle(long)}),
 *                             with a split; 0 without one (see above)
 */
public record BatchSettings(int batchSize, boolean dropLastPartialBatch, boolean shuffle, double validationSplit,
                            boolean stratifiedSplit, long splitSeed) {

    /**
     * Checks the settings as {@link Trainer.Builder} does: a batch size &gt;= 1, a split in (0, 1) or 0
     * (the builder refuses 0 as a split; here it means none), stratified and seeded only with a split.
     *
     * @throws IllegalArgumentException naming the setting out of range
     */
    public BatchSettings {
        if (validationSplit == 0) {
            validationSplit = 0; // -0.0 too: equals compares doubles by their bits, and none is none
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch settings: batchSize is " + batchSize + "; expected the rows per"
                    + " mini-batch the trainer was built with (Trainer.Builder.batchSize), >= 1");
        }
        if (!(validationSplit >= 0 && validationSplit < 1)) { // NaN too
            throw new IllegalArgumentException("batch settings: validationSplit is " + validationSplit + "; expected the"
                    + " fraction the trainer held out for validation (Trainer.Builder.validationSplit), in (0, 1), or 0"
                    + " for none");
        }
        if (validationSplit == 0 && stratifiedSplit) {
            throw new IllegalArgumentException("batch settings: stratifiedSplit is true but validationSplit is 0; a split"
                    + " is stratified only when there is one (Trainer.Builder.stratifiedValidationSplit(fraction)): pass"
                    + " false without a split");
        }
        if (validationSplit == 0 && splitSeed != 0) {
            throw new IllegalArgumentException("batch settings: splitSeed is " + splitSeed + " but validationSplit is 0;"
                    + " the seed is recorded only with a split, whose rows it chooses (the shuffle generator's state is"
                    + " in the training state): pass 0 without a split");
        }
    }

    /**
     * Each setting that differs between these settings (the recorded ones) and {@code other} (the
     * restoring trainer's), as "batch size: checkpoint 32, trainer 64" or "validation split: checkpoint
     * 0.2 stratified, trainer none"; empty when they agree. The split's seed is compared only when
     * both hold out a split (without one it decides nothing; with one on one side only, the split
     * differs anyway).
     *
     * @throws IllegalArgumentException when other is null
     */
    public List<String> differences(BatchSettings other) {
        if (other == null) {
            throw new IllegalArgumentException("other is null; pass the batch settings to compare with (trainer.batchSettings())");
        }
        List<String> out = new ArrayList<>();
        if (batchSize != other.batchSize) {
            out.add("batch size: checkpoint " + batchSize + ", trainer " + other.batchSize);
        }
        if (dropLastPartialBatch != other.dropLastPartialBatch) {
            out.add("last partial batch: checkpoint " + lastBatch(dropLastPartialBatch) + ", trainer "
                    + lastBatch(other.dropLastPartialBatch));
        }
        if (shuffle != other.shuffle) {
            out.add("shuffle: checkpoint " + order(shuffle) + ", trainer " + order(other.shuffle));
        }
        if (!sameSplitShare(other)) {
            out.add("validation split: checkpoint " + split(validationSplit, stratifiedSplit) + ", trainer "
                    + split(other.validationSplit, other.stratifiedSplit));
        }
        if (seedDiffers(other)) {
            out.add("validation split seed: checkpoint " + splitSeed + ", trainer " + other.splitSeed);
        }
        return out;
    }

    /** Whether the batch size, dropped last batch and shuffle differ from {@code other}'s (the split aside). */
    boolean batchesDiffer(BatchSettings other) {
        return batchSize != other.batchSize || dropLastPartialBatch != other.dropLastPartialBatch || shuffle != other.shuffle;
    }

    /** Whether the validation split (fraction, stratified, seed between two splits) differs from {@code other}'s. */
    boolean splitDiffers(BatchSettings other) {
        return !sameSplitShare(other) || seedDiffers(other);
    }

    /** The same fraction, stratified the same way (0 and false on both sides without a split). */
    private boolean sameSplitShare(BatchSettings other) {
        return Double.compare(validationSplit, other.validationSplit) == 0 && stratifiedSplit == other.stratifiedSplit;
    }

    /** Both hold out a split and their seeds differ; without a split on either side the seed is not compared. */
    private boolean seedDiffers(BatchSettings other) {
        return validationSplit > 0 && other.validationSplit > 0 && splitSeed != other.splitSeed;
    }

    /**
     * What to change on the builder of a trainer with settings {@code trainer} and shuffle seed
     * {@code trainerSeed} to make them these, for {@link Trainer#restore}'s refusal:
     * "batchSize(32)", "dropLastPartialBatch()", "no dropLastPartialBatch()", "shuffle(7) instead of
     * noShuffle()", "noShuffle()", "shuffle(7)" (the split's seed, also named when the trainer holds
     * out no split, whose seed its settings do not record; "shuffle(7).noShuffle()" for a run without
     * shuffling), "validationSplit(0.2)", "stratifiedValidationSplit(0.2)", "no validationSplit(0.1)",
     * joined by " and "; empty when they agree. Every call names a seed: a bare "shuffle(seed)" leaves
     * the reader to guess one, and with a split a guess other than the recorded seed is refused again.
     */
    String builderChanges(BatchSettings trainer, long trainerSeed) {
        List<String> out = new ArrayList<>();
        if (batchSize != trainer.batchSize) {
            out.add("batchSize(" + batchSize + ")");
        }
        if (dropLastPartialBatch != trainer.dropLastPartialBatch) {
            out.add(dropLastPartialBatch ? "dropLastPartialBatch()" : "no dropLastPartialBatch()");
        }
        // the seed too where the trainer holds out no split: its settings record none, and validationSplit(f)
        // alone would split with whatever seed it was built with
        if (seedDiffers(trainer) || validationSplit > 0 && trainer.validationSplit == 0) {
            // shuffle(seed) sets the split's seed and switches shuffling on: it also mends a trainer built with
            // noShuffle() where the run shuffled, and a run without shuffling switches it off again after it
            out.add(shuffle ? "shuffle(" + splitSeed + ")" + (trainer.shuffle ? "" : " instead of noShuffle()")
                    : "shuffle(" + splitSeed + ").noShuffle() (the split's seed, without shuffling)");
        } else if (shuffle != trainer.shuffle) {
            // switching shuffling on takes a seed: with a split, the recorded one (the trainer's is the same, or
            // the branch above named it); without one the state records none and none is compared (the shuffle
            // generator's state is restored), so the trainer's own, which changes nothing else
            out.add(!shuffle ? "noShuffle()" : validationSplit > 0 ? "shuffle(" + splitSeed + ") instead of noShuffle()"
                    : "shuffle(" + trainerSeed + ") instead of noShuffle() (this trainer's seed: without a split any"
                    + " seed resumes alike)");
        }
        if (!sameSplitShare(trainer)) {
            out.add(validationSplit > 0 ? splitCall(validationSplit, stratifiedSplit)
                    : "no " + splitCall(trainer.validationSplit, trainer.stratifiedSplit));
        }
        return String.join(" and ", out);
    }

    private static String lastBatch(boolean dropped) {
        return dropped ? "dropped" : "kept";
    }

    private static String order(boolean shuffled) {
        return shuffled ? "on" : "off (noShuffle)";
    }

    /** "none", "0.2" or "0.2 stratified". */
    private static String split(double fraction, boolean stratified) {
        return fraction == 0 ? "none" : fraction + (stratified ? " stratified" : "");
    }

    /** The builder call of a split: "validationSplit(0.2)" or "stratifiedValidationSplit(0.2)". */
    private static String splitCall(double fraction, boolean stratified) {
        return (stratified ? "stratifiedValidationSplit(" : "validationSplit(") + fraction + ")";
    }

    /**
     * The settings in words, for people (as {@code ./bpnn inspect} shows a checkpoint's): "batch size 8,
     * last partial batch kept, shuffle on, validation split 0.2 stratified, split seed 7" ("shuffle off
     * (noShuffle)" without shuffling; "validation split none" without a split, whose seed is not
     * recorded). {@link #toString()} is this in "BatchSettings(...)", which keeps its commas apart from a
     * {@link TrainingState}'s around it.
     */
    public String summary() {
        return "batch size " + batchSize + ", last partial batch " + lastBatch(dropLastPartialBatch) + ", shuffle "
                + order(shuffle) + ", validation split " + split(validationSplit, stratifiedSplit)
                + (validationSplit > 0 ? ", split seed " + splitSeed : "");
    }

    @Override
    public String toString() {
        return "BatchSettings(" + summary() + ")";
    }
}
