package org.bpnn.io.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bpnn.nn.Network;
import org.bpnn.optim.Momentum;
import org.bpnn.train.BatchSettings;
import org.bpnn.train.RestoreOptions;
import org.bpnn.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore sweep of bpnn-core's TrainerRestoreSweepTest through a checkpoint file, on a smaller
 * grid (batch size x dropped last batch x shuffle or noShuffle x seed x no split, a plain or a
 * stratified one of two fractions: 80 configurations): each is saved and loaded, its batch settings
 * read back as the trainer's, the loaded state is restored into a trainer built the same way, and
 * refused by each trainer one builder call away, that setting named (another seed without a split
 * is not compared, and restores). What the file adds to the in-memory sweep is the round trip of
 * each field, the split's seed under noShuffle and the seed 0 with a split among them.
 */
class CheckpointRestoreSweepTest {
    private static final int[] BATCH_SIZES = {4, 8};
    private static final long[] SEEDS = {0, -9};
    private static final double[] SPLITS = {0, 0.1, 0.3};

    @TempDir
    Path dir;

    record Config(int batchSize, boolean drop, boolean shuffle, long seed, double split, boolean stratified) {
        Trainer build() {
            Trainer.Builder b = Trainer.builder().optimizer(new Momentum(0.03, 0.85)).epochs(3).batchSize(batchSize).shuffle(seed);
            if (drop) b.dropLastPartialBatch();
            if (!shuffle) b.noShuffle();
            if (split > 0) {
                if (stratified) b.stratifiedValidationSplit(split);
                else b.validationSplit(split);
            }
            return b.build();
        }

        Config with(int batch, boolean d, boolean s, long sd, double f, boolean st) {
            return new Config(batch, d, s, sd, f, f > 0 && st);
        }
    }

    private static List<Config> grid() {
        List<Config> out = new ArrayList<>();
        for (int batch : BATCH_SIZES) {
            for (boolean drop : new boolean[] {false, true}) {
                for (boolean shuffle : new boolean[] {true, false}) {
                    for (long seed : SEEDS) {
                        for (double split : SPLITS) {
                            out.add(new Config(batch, drop, shuffle, seed, split, false));
                            if (split > 0) out.add(new Config(batch, drop, shuffle, seed, split, true));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static String split(Config c) {
        return c.split == 0 ? "none" : c.split + (c.stratified ? " stratified" : "");
    }

    /** The configurations one builder call away from {@code c}, each with the difference a refusal names ("" for none). */
    private static Map<Config, String> neighbours(Config c) {
        Map<Config, String> out = new java.util.LinkedHashMap<>();
        int batch = c.batchSize == 4 ? 8 : 4;
        out.put(c.with(batch, c.drop, c.shuffle, c.seed, c.split, c.stratified), "batch size: checkpoint " + c.batchSize + ", trainer " + batch);
        out.put(c.with(c.batchSize, !c.drop, c.shuffle, c.seed, c.split, c.stratified),
                "last partial batch: checkpoint " + (c.drop ? "dropped, trainer kept" : "kept, trainer dropped"));
        out.put(c.with(c.batchSize, c.drop, !c.shuffle, c.seed, c.split, c.stratified),
                "shuffle: checkpoint " + (c.shuffle ? "on, trainer off (noShuffle)" : "off (noShuffle), trainer on"));
        long seed = c.seed == 0 ? -9 : 0;
        out.put(c.with(c.batchSize, c.drop, c.shuffle, seed, c.split, c.stratified),
                c.split > 0 ? "validation split seed: checkpoint " + c.seed + ", trainer " + seed : "");
        for (double f : SPLITS) {
            if (f != c.split) {
                Config o = c.with(c.batchSize, c.drop, c.shuffle, c.seed, f, c.stratified);
                out.put(o, "validation split: checkpoint " + split(c) + ", trainer " + split(o));
            }
        }
        if (c.split > 0) {
            Config o = c.with(c.batchSize, c.drop, c.shuffle, c.seed, c.split, !c.stratified);
            out.put(o, "validation split: checkpoint " + split(c) + ", trainer " + split(o));
        }
        return out;
    }

    @Test
    void aLoadedCheckpointRestoresIntoExactlyTheSameSettingsAndRefusesEachSingleDifferenceNamingIt() throws IOException {
        List<Config> grid = grid();
        assertEquals(80, grid.size());
        Path f = dir.resolve("run.ckpt");
        int refused = 0;
        for (Config recorded : grid) {
            Network n = TestNets.small();
            Trainer t = recorded.build();
            CheckpointFile.save(t, n, null, Map.of(), f);
            Checkpoint c = CheckpointFile.load(f, TestNets.SCALAR);
            assertEquals(t.batchSettings(), c.batchSettings(), recorded.toString());
            assertEquals(new BatchSettings(recorded.batchSize, recorded.drop, recorded.shuffle, recorded.split, recorded.stratified,
                    recorded.split > 0 ? recorded.seed : 0), c.state().batchSettings(), recorded.toString());
            Network into = c.model().network();

            recorded.build().restore(into, c.state());
            for (Map.Entry<Config, String> nb : neighbours(recorded).entrySet()) {
                String where = "recorded " + recorded + ", trainer " + nb.getKey();
                Trainer other = nb.getKey().build();
                if (nb.getValue().isEmpty()) {
                    other.restore(into, c.state()); // the seed without a split: not compared
                    continue;
                }
                String m = assertThrows(IllegalArgumentException.class, () -> other.restore(into, c.state()), where).getMessage();
                refused++;
                assertTrue(m.contains(" (" + nb.getValue() + "): "), where + ": " + m);
                assertFalse(m.contains("shuffle(seed)"), "the remedy names the seed: " + m);
                assertEquals(0, other.epochsCompleted(), where);
                nb.getKey().build().restore(into, c.state(), RestoreOptions.allowChangedBatchSettings());
            }
        }
        // 16 configurations without a split (6 neighbours, the seed's not refused), 64 with one (7)
        assertEquals(16 * 5 + 64 * 7, refused);
    }
}
