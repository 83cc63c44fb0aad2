package org.bpnn.io.model;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Random;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.Parameter;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.OptimizerState;
import org.bpnn.train.TrainingState;

/**
 * Test helper: the bytes a load allocates on the loading thread, from
 * {@link com.sun.management.ThreadMXBean#getThreadAllocatedBytes(long)}, against the floats the
 * loaded result keeps.
 */
final class LoadAllocation {
    private LoadAllocation() {}

    /** The allocation counter of this JVM, or null when it has none (or it is switched off). */
    static com.sun.management.ThreadMXBean counter() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t)) {
            return null;
        }
        if (!t.isThreadAllocatedMemorySupported()) {
            return null;
        }
        if (!t.isThreadAllocatedMemoryEnabled()) {
            t.setThreadAllocatedMemoryEnabled(true);
        }
        return t.isThreadAllocatedMemoryEnabled() ? t : null;
    }

    /** What {@code load} allocated on this thread, in bytes. */
    static long allocated(com.sun.management.ThreadMXBean counter, IoAction load) throws Exception {
        long id = Thread.currentThread().getId();
        long before = counter.getThreadAllocatedBytes(id);
        load.run();
        return counter.getThreadAllocatedBytes(id) - before;
    }

    /** What {@code load} allocated on this thread on a second run, the first a warm-up (class loading, caches). */
    static long allocatedWarm(com.sun.management.ThreadMXBean counter, IoAction load) throws Exception {
        allocated(counter, load);
        return allocated(counter, load);
    }

    interface IoAction {
        void run() throws Exception;
    }

    /** A 784-512-512-10 classifier (669,706 parameters) with non-trivial weights. */
    static Network mnistSized() {
        Network n = mnistSizedUntouched();
        Random r = new Random(5);
        for (Parameter p : n.parameters()) {
            float[] d = p.value().data();
            for (int i = 0; i < d.length; i++) d[i] = (float) r.nextGaussian() * 0.05f;
        }
        return n;
    }

    /** The network of {@link #mnistSized} as built, as a load builds it before reading the weights into it. */
    static Network mnistSizedUntouched() {
        return Network.builder(784).dense(512, Activation.relu()).dense(512, Activation.relu())
                .dense(10, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).seed(3).backend(TestNets.SCALAR)
                .build();
    }

    /** An Adam-like state (two slots per parameter) for {@code n}, with the best weights when {@code best}. */
    static TrainingState adamState(Network n, boolean best) {
        int p = n.parameters().size();
        int[] sizes = new int[p];
        float[][] buffers = new float[2 * p][];
        float[][] values = new float[p][];
        float[][] bests = best ? new float[p][] : null;
        Random r = new Random(7);
        for (int i = 0; i < p; i++) {
            float[] v = n.parameters().get(i).value().data();
            sizes[i] = v.length;
            values[i] = v;
            for (int s = 0; s < 2; s++) {
                float[] b = new float[v.length];
                for (int k = 0; k < b.length; k++) b[k] = (float) r.nextGaussian() * (s == 0 ? 0.01f : 1e-4f);
                buffers[s * p + i] = b;
            }
            if (best) {
                bests[i] = v.clone();
            }
        }
        return new TrainingState(4, 11L, new long[0], new OptimizerState("adam", 120, sizes, buffers), values, 0.25, 3, 1,
                bests);
    }

    /**
     * The floats a loaded checkpoint keeps that came from the file: the network's parameters, the
     * state's copy of them, the optimiser buffers and the best weights. (The network's gradients are
     * not allocated by a load, but by its first training step.)
     */
    static long keptFloats(Checkpoint c) {
        long n = 0;
        for (Parameter p : c.model().network().parameters()) n += p.value().size();
        for (float[] a : c.state().parameters()) n += a.length;
        for (float[] a : c.state().optimizer().buffers()) n += a.length;
        if (c.state().bestParameters() != null) {
            for (float[] a : c.state().bestParameters()) n += a.length;
        }
        return n;
    }

    /** The floats a loaded model keeps that came from the file: the network's parameters. */
    static long keptFloats(SavedModel m) {
        long n = 0;
        for (Parameter p : m.network().parameters()) n += p.value().size();
        return n;
    }

    /** Prints the ratios for a checkpoint at {@code path} (for a look by hand: run from a test). */
    static String report(Path path) throws Exception {
        com.sun.management.ThreadMXBean counter = counter();
        if (counter == null) return "no allocation counter on this JVM";
        Checkpoint[] c = new Checkpoint[1];
        SavedModel[] m = new SavedModel[1];
        long ck = allocatedWarm(counter, () -> c[0] = CheckpointFile.load(path, TestNets.SCALAR));
        long md = allocatedWarm(counter, () -> m[0] = ModelFile.load(path, TestNets.SCALAR));
        return String.format("checkpoint load: %d bytes, %d floats kept, ratio %.3f; model load: %d bytes, %d floats kept,"
                + " ratio %.3f", ck, keptFloats(c[0]), ck / (4.0 * keptFloats(c[0])), md, keptFloats(m[0]),
                md / (4.0 * keptFloats(m[0])));
    }

    /** The ratio for a plain model load of {@code path}. */
    static String modelReport(Path path) throws Exception {
        com.sun.management.ThreadMXBean counter = counter();
        if (counter == null) return "no allocation counter on this JVM";
        SavedModel[] m = new SavedModel[1];
        long md = allocatedWarm(counter, () -> m[0] = ModelFile.load(path, TestNets.SCALAR));
        return String.format("model load: %d bytes, %d floats kept, ratio %.3f", md, keptFloats(m[0]),
                md / (4.0 * keptFloats(m[0])));
    }
}
