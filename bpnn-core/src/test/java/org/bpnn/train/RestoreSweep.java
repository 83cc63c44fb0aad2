package org.bpnn.train;

import java.util.ArrayList;
import java.util.List;
import org.bpnn.optim.Optimizer;

/**
 * The grid of builder configurations that {@link Trainer#restore}'s sweeps walk (TrainerRestoreSweepTest
 * in memory, bpnn-io's CheckpointRestoreSweepTest through a checkpoint file): batch size x dropped last
 * batch x shuffle or noShuffle x seed x no split, a plain or a stratified one; and, for each
 * configuration, those one builder call away with the difference a refusal names.
 */
public final class RestoreSweep {
    private RestoreSweep() {}

    /** One builder configuration: the calls {@link #builder} makes. */
    public record Config(int batchSize, boolean drop, boolean shuffle, long seed, double split, boolean stratified) {
        public Trainer.Builder builder(Optimizer optimizer) {
            Trainer.Builder b = Trainer.builder().optimizer(optimizer).epochs(3).batchSize(batchSize).shuffle(seed);
            if (drop) b.dropLastPartialBatch();
            if (!shuffle) b.noShuffle();
            if (split > 0) {
                if (stratified) b.stratifiedValidationSplit(split);
                else b.validationSplit(split);
            }
            return b;
        }

        /** The settings a state of this configuration records, written out here rather than asked of the trainer. */
        public BatchSettings expected() {
            return new BatchSettings(batchSize, drop, shuffle, split, stratified, split > 0 ? seed : 0);
        }

        public Config withBatchSize(int v) { return new Config(v, drop, shuffle, seed, split, stratified); }
        public Config withDrop(boolean v) { return new Config(batchSize, v, shuffle, seed, split, stratified); }
        public Config withShuffle(boolean v) { return new Config(batchSize, drop, v, seed, split, stratified); }
        public Config withSeed(long v) { return new Config(batchSize, drop, shuffle, v, split, stratified); }
        public Config withSplit(double v, boolean s) { return new Config(batchSize, drop, shuffle, seed, v, v > 0 && s); }
    }

    /** A configuration that differs from another in one builder call, and the difference a refusal names ("" for none). */
    public record Neighbour(Config config, String difference) {}

    /** Every configuration of these values, a stratified split beside each plain one. */
    public static List<Config> grid(int[] batchSizes, long[] seeds, double[] splits) {
        List<Config> out = new ArrayList<>();
        for (int batch : batchSizes) {
            for (boolean drop : new boolean[] {false, true}) {
                for (boolean shuffle : new boolean[] {true, false}) {
                    for (long seed : seeds) {
                        for (double split : splits) {
                            out.add(new Config(batch, drop, shuffle, seed, split, false));
                            if (split > 0) out.add(new Config(batch, drop, shuffle, seed, split, true));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Every configuration of these values one builder call away from {@code c}, with what the refusal must say. */
    public static List<Neighbour> neighbours(Config c, int[] batchSizes, long[] seeds, double[] splits) {
        List<Neighbour> out = new ArrayList<>();
        for (int v : batchSizes) {
            if (v != c.batchSize) out.add(new Neighbour(c.withBatchSize(v), "batch size: checkpoint " + c.batchSize + ", trainer " + v));
        }
        out.add(new Neighbour(c.withDrop(!c.drop), "last partial batch: checkpoint " + (c.drop ? "dropped, trainer kept"
                : "kept, trainer dropped")));
        out.add(new Neighbour(c.withShuffle(!c.shuffle), "shuffle: checkpoint " + (c.shuffle ? "on, trainer off (noShuffle)"
                : "off (noShuffle), trainer on")));
        for (long v : seeds) {
            if (v != c.seed) {
                // without a split the seed is not recorded, and another one resumes alike
                out.add(new Neighbour(c.withSeed(v), c.split > 0 ? "validation split seed: checkpoint " + c.seed + ", trainer " + v : ""));
            }
        }
        for (double v : splits) {
            if (v != c.split) {
                Config o = c.withSplit(v, c.stratified);
                out.add(new Neighbour(o, "validation split: checkpoint " + split(c) + ", trainer " + split(o)));
            }
        }
        if (c.split > 0) {
            Config o = c.withSplit(c.split, !c.stratified);
            out.add(new Neighbour(o, "validation split: checkpoint " + split(c) + ", trainer " + split(o)));
        }
        return out;
    }

    private static String split(Config c) {
        return c.split == 0 ? "none" : c.split + (c.stratified ? " stratified" : "");
    }
}
