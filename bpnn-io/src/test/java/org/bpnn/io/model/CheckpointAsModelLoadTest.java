package org.bpnn.io.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.bpnn.data.Normaliser;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.OptimizerState;
import org.bpnn.train.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ModelFile#load} of a checkpoint verifies the optimiser state and best weights by streaming
 * them (checksum, finiteness) without allocating them: deploying from a checkpoint needs the model's
 * memory, not four times it.
 */
class CheckpointAsModelLoadTest {
    /** 256 x 1024 x 10: 273,418 parameters, so a checkpoint with Adam and best weights holds about 4.4 MB. */
    private static final int IN = 256, HIDDEN = 1024, OUT = 10;

    @TempDir
    Path dir;

    private static Network network() {
        return Network.builder(IN).dense(HIDDEN, Activation.relu()).dense(OUT, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(5).backend(TestNets.SCALAR).build();
    }

    private static long parameterCount(Network net) {
        long n = 0;
        for (float[] p : ParameterSnapshot.of(net).values()) n += p.length;
        return n;
    }

    /** An Adam-like state (two slots) with best weights, filled with finite noise. */
    private static Checkpoint checkpoint(Network net) {
        float[][] values = ParameterSnapshot.of(net).values();
        int p = values.length;
        int[] sizes = new int[p];
        float[][] buffers = new float[2 * p][];
        float[][] best = new float[p][];
        Random r = new Random(1);
        for (int i = 0; i < p; i++) {
            sizes[i] = values[i].length;
            for (int s = 0; s < 2; s++) {
                float[] b = new float[sizes[i]];
                for (int k = 0; k < b.length; k++) b[k] = (float) r.nextGaussian();
                buffers[s * p + i] = b;
            }
            best[i] = values[i].clone();
            for (int k = 0; k < best[i].length; k++) best[i][k] += 0.01f;
        }
        TrainingState state = new TrainingState(3, 42, new long[0], new OptimizerState("adam", 30, sizes, buffers), values,
                0.25, 2, 1, best);
        float[] center = new float[IN], scale = new float[IN];
        for (int i = 0; i < IN; i++) {
            center[i] = i;
            scale[i] = 1 + i;
        }
        SavedModel model = new SavedModel(net, Normaliser.of(Normaliser.Kind.STANDARDISE, center, scale),
                SavedModel.of(net).metadata());
        return new Checkpoint(model, state);
    }

    private Path save(byte[] bytes) throws IOException {
        Path f = dir.resolve("c.ckpt");
        Files.write(f, bytes);
        return f;
    }

    @Test
    void theModelLoadedFromACheckpointIsTheCheckpointsModel() throws IOException {
        Network net = network();
        Path f = save(CheckpointFile.toBytes(checkpoint(net)));
        SavedModel fromModelLoad = ModelFile.load(f, TestNets.SCALAR);
        Checkpoint fromCheckpointLoad = CheckpointFile.load(f, TestNets.SCALAR);
        ModelFileRoundTripTest.assertSameModel(net, fromModelLoad.network());
        ModelFileRoundTripTest.assertSameModel(fromCheckpointLoad.model().network(), fromModelLoad.network());
        assertArrayEquals(fromCheckpointLoad.model().normaliser().center(), fromModelLoad.normaliser().center());
        assertArrayEquals(fromCheckpointLoad.model().normaliser().scale(), fromModelLoad.normaliser().scale());
        assertEquals(fromCheckpointLoad.model().metadata(), fromModelLoad.metadata());
    }

    @Test
    void aCorruptOptimiserSectionIsRefusedWithTheSameMessage() throws IOException {
        Network net = network();
        byte[] good = CheckpointFile.toBytes(checkpoint(net));
        ModelBytes m = ModelBytes.parse(good);
        long modelFloats = parameterCount(net) + 2L * IN;
        int dataStart = 20 + m.header.length;

        // a flipped bit in the second optimiser slot, past the first chunk: the checksum
        byte[] flipped = good.clone();
        flipped[dataStart + (int) (4 * (modelFloats + parameterCount(net) + 20_000)) + 1] ^= 0x10;
        ModelFormatException c = assertThrows(ModelFormatException.class, () -> CheckpointFile.load(save(flipped),
                TestNets.SCALAR));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.load(save(flipped), TestNets.SCALAR));
        assertEquals(c.getMessage(), e.getMessage());
        assertEquals("byte " + dataStart, e.location());
        assertTrue(e.getMessage().contains("weight checksum mismatch"), e.getMessage());

        // a NaN there with a matching checksum: finiteness, at the same byte and element
        long at = modelFloats + parameterCount(net) + 20_000; // slot1.layers[0].weight element 20000 = [78, 32]
        byte[] nan = m.withData(d -> d.putFloat((int) (4 * at), Float.NaN));
        int nanStart = 20 + ModelBytes.parse(nan).header.length;
        c = assertThrows(ModelFormatException.class, () -> CheckpointFile.load(save(nan), TestNets.SCALAR));
        e = assertThrows(ModelFormatException.class, () -> ModelFile.load(save(nan), TestNets.SCALAR));
        assertEquals(c.getMessage(), e.getMessage());
        assertEquals("byte " + (nanStart + 4 * at), e.location());
        assertTrue(e.getMessage().contains("tensor optimizer.slot1.layers[0].weight element [78, 32] is NaN"), e.getMessage());

        // an infinity in the best weights (after the NaN-free slots): the first non-finite value is named
        long last = modelFloats + 3 * parameterCount(net) - 1; // best.layers[1].bias element 9
        byte[] inf = m.withData(d -> d.putFloat((int) (4 * last), Float.NEGATIVE_INFINITY));
        e = assertThrows(ModelFormatException.class, () -> ModelFile.load(save(inf), TestNets.SCALAR));
        c = assertThrows(ModelFormatException.class, () -> CheckpointFile.load(save(inf), TestNets.SCALAR));
        assertEquals(c.getMessage(), e.getMessage());
        assertTrue(e.getMessage().contains("tensor best.layers[1].bias element [0, 9] is -Infinity"), e.getMessage());

        // truncated in the optimiser section, and trailing bytes: the same refusals
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 4 * (int) parameterCount(net));
        c = assertThrows(ModelFormatException.class, () -> CheckpointFile.load(save(cut), TestNets.SCALAR));
        e = assertThrows(ModelFormatException.class, () -> ModelFile.load(save(cut), TestNets.SCALAR));
        assertEquals(c.getMessage(), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 3);
        c = assertThrows(ModelFormatException.class, () -> CheckpointFile.load(save(longer), TestNets.SCALAR));
        e = assertThrows(ModelFormatException.class, () -> ModelFile.load(save(longer), TestNets.SCALAR));
        assertEquals(c.getMessage(), e.getMessage());
        assertTrue(e.getMessage().contains("trailing garbage"), e.getMessage());
    }

    @Test
    void loadingAModelFromACheckpointDoesNotAllocateTheTrainingState() throws IOException {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled(), "no per-thread allocation counter");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Network net = network();
        Path f = save(CheckpointFile.toBytes(checkpoint(net)));
        long modelBytes = 4 * parameterCount(net);
        long thread = Thread.currentThread().getId();
        long[] allocated = new long[2];
        for (int round = 0; round < 3; round++) { // the last round, after class loading and warm-up
            long before = mx.getThreadAllocatedBytes(thread);
            ModelFile.load(f, TestNets.SCALAR);
            allocated[0] = mx.getThreadAllocatedBytes(thread) - before;
            before = mx.getThreadAllocatedBytes(thread);
            CheckpointFile.load(f, TestNets.SCALAR);
            allocated[1] = mx.getThreadAllocatedBytes(thread) - before;
        }
        // the state alone (two slots and the best weights) is 3 x modelBytes; the model load allocates the
        // network (its weights, and whatever the layers keep beside them) and a 64 KiB scratch buffer. Measured:
        // 1.2 MB for the model load (it was 10.0 MB, as much as the checkpoint load, then 2.3 MB while a network
        // allocated its gradients at build), 8.9 MB for the checkpoint load.
        assertTrue(allocated[0] < allocated[1] - 3 * modelBytes,
                "a model load allocated " + allocated[0] + " bytes, a checkpoint load " + allocated[1] + ", the model is "
                        + modelBytes);
        assertTrue(allocated[0] < 3 * modelBytes, "a model load allocated " + allocated[0] + " bytes for a model of "
                + modelBytes);
    }
}
