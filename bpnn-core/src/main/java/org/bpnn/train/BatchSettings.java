package org.bpnn.train;

import java.util.ArrayList;
import java.util.List;

/**
 * How a {@link Trainer} cuts each epoch into mini-batches, as a {@link TrainingState} records it
 * ({@link TrainingState#batchSettings()}, kept in a checkpoint file): the builder's settings that
 * decide which rows each update sees, and so, with the shuffle generator's state the state already
 * holds, the sequence of batches a resumed run trains on. Only the same ones resume to the
 * uninterrupted run's weights, so {@link Trainer#restore} refuses a trainer whose settings differ
 * ({@link #differences}) unless told to allow it ({@link RestoreOptions#allowChangedBatchSettings()}).
 *
 * <p>Not recorded, because the state resumes without them: the shuffle seed (the generator's state
 * is in the state; the seed only chooses a validation split's rows, part of the data, like the data
 * set itself), the epochs (a resume may run more), the metrics, listeners and early stopping.
 *
 * @param batchSize            rows per mini-batch ({@link Trainer.Builder#batchSize}), &gt;= 1
 * @param dropLastPartialBatch whether the smaller last batch of each epoch is skipped
 *                             ({@link Trainer.Builder#dropLastPartialBatch})
 * @param shuffle              whether the rows are reshuffled every epoch ({@link Trainer.Builder#shuffle},
 *                             the default) or keep the data's order ({@link Trainer.Builder#noShuffle})
 */
public record BatchSettings(int batchSize, boolean dropLastPartialBatch, boolean shuffle) {

    /** @throws IllegalArgumentException when batchSize is below 1 */
    public BatchSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch settings: batchSize is " + batchSize + "; expected the rows per"
                    + " mini-batch the trainer was built with (Trainer.Builder.batchSize), >= 1");
        }
    }

    /**
     * Each setting that differs between these settings (the recorded ones) and {@code other} (the
     * restoring trainer's), as "batch size: checkpoint 32, trainer 64"; empty when they agree.
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
        return out;
    }

    /**
     * What to change on the builder of a trainer with settings {@code trainer} to make them these, for
     * {@link Trainer#restore}'s refusal: "batchSize(32)", "dropLastPartialBatch()", "no
     * dropLastPartialBatch()", "shuffle(seed) instead of noShuffle()" or "noShuffle()", joined by
     * " and "; empty when they agree.
     */
    String builderChanges(BatchSettings trainer) {
        List<String> out = new ArrayList<>();
        if (batchSize != trainer.batchSize) {
            out.add("batchSize(" + batchSize + ")");
        }
        if (dropLastPartialBatch != trainer.dropLastPartialBatch) {
            out.add(dropLastPartialBatch ? "dropLastPartialBatch()" : "no dropLastPartialBatch()");
        }
        if (shuffle != trainer.shuffle) {
            out.add(shuffle ? "shuffle(seed) instead of noShuffle()" : "noShuffle()");
        }
        return String.join(" and ", out);
    }

    private static String lastBatch(boolean dropped) {
        return dropped ? "dropped" : "kept";
    }

    private static String order(boolean shuffled) {
        return shuffled ? "on" : "off (noShuffle)";
    }

    @Override
    public String toString() {
        return "BatchSettings(batch size " + batchSize + ", last partial batch " + lastBatch(dropLastPartialBatch)
                + ", shuffle " + order(shuffle) + ")";
    }
}
