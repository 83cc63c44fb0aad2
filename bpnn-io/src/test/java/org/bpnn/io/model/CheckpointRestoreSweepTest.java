package org.bpnn.io.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bpnn.nn.Network;
import org.bpnn.optim.Momentum;
import org.bpnn.train.RestoreOptions;
import org.bpnn.train.RestoreSweep;
import org.bpnn.train.RestoreSweep.Config;
import org.bpnn.train.RestoreSweep.Neighbour;
import org.bpnn.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore sweep of bpnn-core's TrainerRestoreSweepTest through a checkpoint file, on a smaller
 * grid of its {@link RestoreSweep} (batch size x dropped last batch x shuffle or noShuffle x seed x no
 * split, a plain or a stratified one of two fractions: 80 configurations): each is saved and loaded, its batch settings
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

    private static Trainer build(Config c) {
        return c.builder(new Momentum(0.03, 0.85)).build();
    }

    @Test
    void aLoadedCheckpointRestoresIntoExactlyTheSameSettingsAndRefusesEachSingleDifferenceNamingIt() throws IOException {
        List<Config> grid = RestoreSweep.grid(BATCH_SIZES, SEEDS, SPLITS);
        assertEquals(80, grid.size());
        Path f = dir.resolve("run.ckpt");
        int refused = 0;
        for (Config recorded : grid) {
            Network n = TestNets.small();
            Trainer t = build(recorded);
            CheckpointFile.save(t, n, null, Map.of(), f);
            Checkpoint c = CheckpointFile.load(f, TestNets.SCALAR);
            assertEquals(t.batchSettings(), c.batchSettings(), recorded.toString());
            assertEquals(recorded.expected(), c.state().batchSettings(), recorded.toString());
            Network into = c.model().network();

            build(recorded).restore(into, c.state());
            for (Neighbour nb : RestoreSweep.neighbours(recorded, BATCH_SIZES, SEEDS, SPLITS)) {
                String where = "recorded " + recorded + ", trainer " + nb.config();
                Trainer other = build(nb.config());
                if (nb.difference().isEmpty()) {
                    other.restore(into, c.state()); // the seed without a split: not compared
                    continue;
                }
                String m = assertThrows(IllegalArgumentException.class, () -> other.restore(into, c.state()), where).getMessage();
                refused++;
                assertTrue(m.contains(" (" + nb.difference() + "): "), where + ": " + m);
                assertFalse(m.contains("shuffle(seed)"), "the remedy names the seed: " + m);
                assertEquals(0, other.epochsCompleted(), where);
                build(nb.config()).restore(into, c.state(), RestoreOptions.allowChangedBatchSettings());
            }
        }
        // 16 configurations without a split (6 neighbours, the seed's not refused), 64 with one (7)
        assertEquals(16 * 5 + 64 * 7, refused);
    }
}
