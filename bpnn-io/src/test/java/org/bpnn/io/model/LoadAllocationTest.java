package org.bpnn.io.model;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.bpnn.nn.Network;
import org.bpnn.optim.OptimizerState;
import org.bpnn.train.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading reads the data section straight into the arrays it keeps: the reader allocates the
 * network (what building it allocates), the arrays of the checkpoint's extra tensors, what the
 * core records' constructors copy, and a fixed amount besides (the header, a 64 KiB read buffer, the
 * digest) that does not grow with the model. A copy of its own, even of one tensor, breaks the bound.
 * Allocation counting (ThreadMXBean) is deterministic after a warm-up; the model is large enough
 * (669,706 parameters, 2.7 MB each copy) that the fixed part is small against it.
 */
class LoadAllocationTest {
    /**
     * Header, the 64 KiB read buffer, digest, JSON tree, records: about 135 KB measured (JDK 17), so
     * four times that, and below a copy of any of the three weight matrices (1 MiB and more).
     */
    private static final long FIXED = 512 << 10;

    @TempDir
    Path dir;

    @Test
    void checkpointLoadMakesNoCopyOfItsOwn() throws Exception {
        com.sun.management.ThreadMXBean counter = LoadAllocation.counter();
        assumeTrue(counter != null, "this JVM does not count allocated bytes per thread");
        Network n = LoadAllocation.mnistSized();
        Path p = dir.resolve("c.bpnn");
        CheckpointFile.save(new Checkpoint(SavedModel.of(n), LoadAllocation.adamState(n, true)), p);

        Checkpoint[] c = new Checkpoint[1];
        long load = LoadAllocation.allocatedWarm(counter, () -> c[0] = CheckpointFile.load(p, TestNets.SCALAR));

        long build = buildAllocation(counter);
        TrainingState s = c[0].state();
        OptimizerState o = s.optimizer();
        int[] sizes = o.parameterSizes();
        float[][] buffers = o.buffers();
        float[][] parameters = s.parameters();
        float[][] best = s.bestParameters();
        long[] dropout = s.dropoutRngStates();
        long records = LoadAllocation.allocated(counter, () -> new TrainingState(s.epoch(), s.shuffleRngState(), dropout,
                new OptimizerState(o.optimizer(), o.step(), sizes, buffers), parameters, s.bestScore(), s.bestEpoch(),
                s.epochsWithoutImprovement(), best));
        long extraTensors = 4L * (floats(buffers) + floats(best));

        long bound = build + records + extraTensors + FIXED;
        assertTrue(load <= bound, "CheckpointFile.load allocated " + load + " bytes; building the network allocates "
                + build + ", the state's constructors copy " + records + ", the optimiser buffers and best weights read"
                + " are " + extraTensors + ": " + (load - build - records - extraTensors) + " bytes more, over the "
                + FIXED + " allowed for fixed overhead");
    }

    @Test
    void modelLoadMakesNoCopyOfItsOwn() throws Exception {
        com.sun.management.ThreadMXBean counter = LoadAllocation.counter();
        assumeTrue(counter != null, "this JVM does not count allocated bytes per thread");
        Network n = LoadAllocation.mnistSized();
        Path model = dir.resolve("m.bpnn");
        ModelFile.save(n, model);
        Path checkpoint = dir.resolve("c.bpnn");
        CheckpointFile.save(new Checkpoint(SavedModel.of(n), LoadAllocation.adamState(n, true)), checkpoint);
        long build = buildAllocation(counter);
        for (Path p : new Path[] {model, checkpoint}) { // a checkpoint's state is verified, not kept
            long load = LoadAllocation.allocatedWarm(counter, () -> ModelFile.load(p, TestNets.SCALAR));
            assertTrue(load <= build + FIXED, "ModelFile.load(" + p.getFileName() + ") allocated " + load
                    + " bytes; building the network allocates " + build + ": " + (load - build) + " bytes more, over the "
                    + FIXED + " allowed for fixed overhead");
        }
    }

    /**
     * A loaded model holds its weights and no gradients (a network allocates them at its first training
     * step): a load allocates about the weights once, not twice. Until 2026-11-30 building the network
     * allocated a gradient per parameter, so this load allocated 5.4 MB for 2.7 MB of weights.
     */
    @Test
    void aLoadedModelHoldsItsWeightsNotGradients() throws Exception {
        com.sun.management.ThreadMXBean counter = LoadAllocation.counter();
        assumeTrue(counter != null, "this JVM does not count allocated bytes per thread");
        Network n = LoadAllocation.mnistSized();
        Path model = dir.resolve("m.bpnn");
        ModelFile.save(n, model);
        long weights = 4 * n.parameterCount();
        long load = LoadAllocation.allocatedWarm(counter, () -> ModelFile.load(model, TestNets.SCALAR));
        assertTrue(load <= weights + FIXED, "ModelFile.load allocated " + load + " bytes for " + weights
                + " bytes of weights: " + (load - weights) + " bytes more, over the " + FIXED + " allowed for fixed overhead");
    }

    /** What building the file's network allocates (its parameters; their gradients come with training), after a warm-up. */
    private static long buildAllocation(com.sun.management.ThreadMXBean counter) throws Exception {
        return LoadAllocation.allocatedWarm(counter, LoadAllocation::mnistSizedUntouched);
    }

    private static long floats(float[][] a) {
        long n = 0;
        if (a != null) {
            for (float[] x : a) n += x.length;
        }
        return n;
    }
}
