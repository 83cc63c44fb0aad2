package org.bpnn.spark;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.bpnn.nn.Network;
import org.bpnn.nn.Parameter;
import org.bpnn.tensor.Tensor;

/**
 * Executor-side copies of the network being trained, one per concurrently running task (training a
 * {@link Network} is single-threaded), kept across steps in a static, JVM-wide pool per training run
 * so that each step only copies the new weights in. The pools of the last {@value #MAX_RUNS} runs
 * are kept; older ones are dropped. Loaded models for scoring are kept the same way (one per model,
 * since prediction is thread-safe).
 */
final class Replicas {
    static final int MAX_RUNS = 4;

    private static final Map<String, ArrayDeque<Replica>> POOLS = lru();
    private static final Map<String, SavedModel> MODELS = lru();

    private Replicas() {}

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MAX_RUNS;
            }
        };
    }

    /** A network of the run's architecture, rebuilt from bpnn-io model bytes on first use in this JVM. */
    static final class Replica {
        final Network network;
        final List<Parameter> parameters;
        /** The step whose weights the parameters hold; -1 for none yet. */
        long weightsStep = -1;
        /**
         * SparkTrainer.shard's batch-order scratch (a block's rows by batch position, then compacted in place to
         * the rows it passes to gradientOf), grown to the largest batch seen. Held here rather than in
         * a static or a ThreadLocal: a replica is one task's between borrow and release, so concurrent tasks
         * never share it, and it goes with the run's pool.
         */
        private int[] slots = new int[0];
        /**
         * SparkTrainer.gradientOf's x, y and weights tensors, kept across steps: new ones every step would be (m,
         * features + targets + 1) floats per shard and step, the one allocation of a step that scales with the batch.
         */
        final BatchTensors batch = new BatchTensors();

        Replica(Network network) {
            this.network = network;
            this.parameters = network.parameters();
        }

        /** {@link #slots} with at least n elements, the first n zero. */
        int[] slots(int n) {
            if (slots.length < n) {
                slots = new int[n];
            } else {
                java.util.Arrays.fill(slots, 0, n, 0);
            }
            return slots;
        }

        /** Copies flat weights into the parameters unless they already hold {@code step}'s. */
        void load(float[] weights, long step) {
            if (weightsStep == step) return;
            int off = 0;
            for (Parameter p : parameters) {
                float[] v = p.value().data();
                System.arraycopy(weights, off, v, 0, v.length);
                off += v.length;
            }
            weightsStep = step;
        }
    }

    /**
     * A shard's batch tensors, x: (m, features), y: (m, targets) and the weights: (m, 1) or none, for the two
     * most recent (m, weighted) shapes, as {@code Network} keeps its training workspaces (it allocates its own
     * for a new m all the same). With one partition a shard is every full batch and then the epoch's smaller
     * last one, so after the first epoch no step allocates them; with several, a shard's row count follows the
     * random spread of each batch over the partitions, and a count not among the last two gets new tensors.
     */
    static final class BatchTensors {
        /** {x, y, w or null}, slot 0 the most recent. */
        private final Tensor[][] cache = new Tensor[2][];

        /** Tensors of m rows for f features and k targets, with weights or not: contents left from an earlier call. */
        Tensor[] of(int m, int f, int k, boolean weighted) {
            for (Tensor[] t : cache) {
                if (t != null && t[0].rows() == m && t[0].cols() == f && t[1].cols() == k && (t[2] != null) == weighted) {
                    return t;
                }
            }
            Tensor[] t = {Tensor.zeros(m, f), Tensor.zeros(m, k), weighted ? Tensor.zeros(m, 1) : null};
            cache[1] = cache[0];
            cache[0] = t;
            return t;
        }
    }

    static Replica borrow(String run, byte[] modelBytes) {
        synchronized (POOLS) {
            ArrayDeque<Replica> pool = POOLS.get(run);
            Replica r = pool == null ? null : pool.poll();
            if (r != null) return r;
        }
        try {
            return new Replica(ModelFile.fromBytes(modelBytes).network());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the model bytes sent to the executor do not load: " + e.getMessage(), e);
        }
    }

    static void release(String run, Replica r) {
        synchronized (POOLS) {
            POOLS.computeIfAbsent(run, k -> new ArrayDeque<>()).push(r);
        }
    }

    /** Frees a finished run's networks in this JVM (the driver's, which in local mode is also the executor's). */
    static void drop(String run) {
        synchronized (POOLS) {
            POOLS.remove(run);
        }
        synchronized (MODELS) {
            MODELS.remove(run);
        }
    }

    /** The model for scoring under {@code id}, loaded once per JVM. */
    static SavedModel model(String id, byte[] modelBytes) {
        synchronized (MODELS) {
            SavedModel m = MODELS.get(id);
            if (m != null) return m;
        }
        SavedModel m;
        try {
            m = ModelFile.fromBytes(modelBytes);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the model bytes sent to the executor do not load: " + e.getMessage(), e);
        }
        synchronized (MODELS) {
            SavedModel prev = MODELS.putIfAbsent(id, m);
            return prev != null ? prev : m;
        }
    }
}
