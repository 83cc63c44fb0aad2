package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.bpnn.backend.Backend;
import org.bpnn.backend.Backends;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.optim.AdamW;
import org.bpnn.optim.Momentum;
import org.bpnn.optim.Optimizer;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.bpnn.train.EpochSummary;
import org.bpnn.train.Trainer;
import org.bpnn.train.TrainingListener;
import org.bpnn.train.TrainingState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A hyper-parameter search as a user writes one: several trials (networks of different seeds,
 * optimisers, activations, dropout) trained at the same time on an {@link ExecutorService}, all on the
 * simd backend, with {@code Trainer.state()} captured from a listener, a predict racing a trial, and a
 * trial cancelled with {@code Future.cancel(true)}. What the Javadoc promises, checked bit for bit:
 * the backends give the same bits for every thread count and are thread-safe (Backend), so a trial
 * trained beside others on one shared backend, or on a backend of its own, ends with exactly the
 * weights it gets alone on one thread; a state captured from {@code onEpochEnd} resumes to the
 * uninterrupted run (Trainer); a predict overlapping a weight write returns one consistent set of
 * weights' outputs or throws IllegalStateException (Network's seqlock); a cancelled trial ends before
 * its next epoch at a resumable point (Trainer.fit) and leaves the shared worker pool to the others.
 *
 * <p>The layers are 128 wide at batches of 64, so the products (2.1 MFLOP) and the updates of the
 * 128 x 128 weights (16K elements) take the worker pool: the trials compete for it, and the losers
 * compute on their own threads. Assertions never depend on timing: where a cancel lands is timing,
 * but the assertion is against the solo run of as many epochs as the trial completed.
 */
class ConcurrentTrialsTest {
    /** The epochs of a trial. */
    static final int EPOCHS = 4;

    /** One point of the search. */
    record Trial(long seed, Activation hidden, double dropout, Function<Double, Optimizer> optimizer, double lr, int batch) {
        Network network(Backend backend) {
            Network.Builder b = Network.builder(32).dense(128, hidden);
            if (dropout > 0) b.dropout(dropout);
            return b.dense(128, Activation.relu()).dense(10, Activation.identity())
                    .loss(Loss.categoricalCrossEntropyFromLogits()).seed(seed).backend(backend).build();
        }

        Trainer trainer(int epochs, TrainingListener... listeners) {
            Trainer.Builder b = Trainer.builder().optimizer(optimizer.apply(lr)).epochs(epochs).batchSize(batch).shuffle(seed + 1);
            for (TrainingListener l : listeners) b.listener(l);
            return b.build();
        }
    }

    static final Trial[] TRIALS = {
        new Trial(11, Activation.relu(), 0, Adam::new, 1e-3, 64),
        new Trial(12, Activation.tanh(), 0.2, lr -> new Momentum(lr, 0.9, true), 0.02, 64),
        new Trial(13, Activation.leakyRelu(), 0, Sgd::new, 0.05, 128),
        new Trial(14, Activation.sigmoid(), 0.1, lr -> new AdamW(lr, 0.01), 2e-3, 64),
    };

    private static Dataset data;
    /** Per trial, the weights after each epoch when it is trained alone on a one-thread backend. */
    private static List<List<ParameterSnapshot>> solo;

    @BeforeEach
    void assumeVectorModule() {
        SimdTesting.assumeVectorModule();
    }

    static synchronized Dataset data() {
        if (data == null) data = SimdDeterminismTest.data();
        return data;
    }

    /** The reference: each trial alone, on the one-thread simd backend, one trial after the other. */
    static synchronized List<List<ParameterSnapshot>> solo() {
        if (solo == null) {
            List<List<ParameterSnapshot>> all = new ArrayList<>();
            for (Trial t : TRIALS) {
                List<ParameterSnapshot> epochs = new ArrayList<>();
                Network net = t.network(SimdTesting.oneThread());
                t.trainer(EPOCHS, new TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochSummary s) {
                        epochs.add(ParameterSnapshot.of(net));
                    }
                }).fit(net, data());
                all.add(List.copyOf(epochs));
            }
            solo = all;
        }
        return solo;
    }

    private static ParameterSnapshot soloAfter(int trial, int epoch) {
        return solo().get(trial).get(epoch - 1);
    }

    /** What a trial leaves: its network, each epoch's weights, and the state captured after epoch 2. */
    record Outcome(Network network, List<ParameterSnapshot> epochs, TrainingState afterEpoch2) {}

    /** Trains trial i on the backend, capturing a state from onEpochEnd after epoch 2 (a checkpoint). */
    private static Outcome run(int i, Backend backend) {
        Trial t = TRIALS[i];
        Network net = t.network(backend);
        List<ParameterSnapshot> epochs = new ArrayList<>();
        AtomicReference<TrainingState> state = new AtomicReference<>();
        Trainer[] trainer = new Trainer[1];
        trainer[0] = t.trainer(EPOCHS, new TrainingListener() {
            @Override
            public void onEpochEnd(EpochSummary s) {
                epochs.add(ParameterSnapshot.of(net));
                if (s.epoch() == 2) state.set(trainer[0].state(net));
            }
        });
        trainer[0].fit(net, data());
        return new Outcome(net, epochs, state.get());
    }

    /** Runs the tasks at once on a pool of as many threads, all released together; their results in order. */
    private static <T> List<T> atOnce(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> fs = new ArrayList<>();
            for (Callable<T> c : tasks) {
                fs.add(pool.submit(() -> {
                    go.await();
                    return c.call();
                }));
            }
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : fs) out.add(f.get(60, TimeUnit.SECONDS));
            return out;
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS), "a trial still runs");
        }
    }

    /** Every trial's weights after every epoch equal its solo run's. */
    private static void assertSolo(List<Outcome> outcomes, String where) {
        for (int i = 0; i < outcomes.size(); i++) {
            List<ParameterSnapshot> e = outcomes.get(i).epochs();
            assertEquals(EPOCHS, e.size(), where + ": trial " + i + " epochs");
            for (int epoch = 1; epoch <= EPOCHS; epoch++) {
                assertEquals(soloAfter(i, epoch), e.get(epoch - 1), where + ": trial " + i + " differs from its solo run after epoch "
                        + epoch);
            }
            assertEquals(soloAfter(i, EPOCHS), ParameterSnapshot.of(outcomes.get(i).network()), where + ": trial " + i);
        }
    }

    /** Resumes every trial from its epoch-2 state, all at once on the backend: each ends with its solo weights. */
    private static void assertResumes(List<Outcome> outcomes, Backend backend, String where) throws Exception {
        List<Callable<Network>> resumes = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            Trial t = TRIALS[i];
            TrainingState s = outcomes.get(i).afterEpoch2();
            assertNotNull(s, where + ": trial " + i + " captured no state");
            resumes.add(() -> {
                Network net = t.network(backend);
                Trainer trainer = t.trainer(EPOCHS);
                trainer.restore(net, s);
                trainer.fit(net, data());
                return net;
            });
        }
        List<Network> resumed = atOnce(resumes);
        for (int i = 0; i < resumed.size(); i++) {
            assertEquals(soloAfter(i, EPOCHS), ParameterSnapshot.of(resumed.get(i)), where + ": trial " + i
                    + " resumed from its epoch-2 state differs from its uninterrupted run");
        }
    }

    /**
     * Four trials on one shared backend: the two-thread backend that splits every call it can (so
     * the trials fight for its pool), and the one {@code Backends.get("simd", 2)} hands every caller.
     */
    @Test
    @Timeout(120)
    void trialsSharingOneBackendEndWithTheirSoloWeights() throws Exception {
        for (Backend shared : new Backend[] {SimdTesting.twoThreads(), Backends.get("simd", 2)}) {
            List<Callable<Outcome>> tasks = new ArrayList<>();
            for (int i = 0; i < TRIALS.length; i++) {
                int trial = i;
                tasks.add(() -> run(trial, shared));
            }
            String where = "shared " + shared;
            List<Outcome> outcomes = atOnce(tasks);
            assertSolo(outcomes, where);
            assertResumes(outcomes, shared, where);
            assertFalse(shared.isShutdown(), where);
        }
    }

    /**
     * Four trials, each on a backend of its own from the public provider (the per-trial backend a
     * search that sizes its threads per trial creates), shut down when the trial ends: the same
     * bits as alone, and after shutdown the network still predicts the same bits (on its caller).
     */
    @Test
    @Timeout(120)
    void trialsOnBackendsOfTheirOwnEndWithTheirSoloWeights() throws Exception {
        Tensor probe = Tensor.zeros(64, 32);
        System.arraycopy(data().features().data(), 0, probe.data(), 0, probe.size());
        List<Callable<Outcome>> tasks = new ArrayList<>();
        float[][] before = new float[TRIALS.length][]; // written by the trials, read after their futures
        for (int i = 0; i < TRIALS.length; i++) {
            int trial = i;
            tasks.add(() -> {
                Backend own = new SimdBackendProvider().create(2);
                try {
                    Outcome o = run(trial, own);
                    before[trial] = o.network().predict(probe).data();
                    return o;
                } finally {
                    own.shutdown();
                    assertTrue(own.isShutdown());
                }
            });
        }
        List<Outcome> outcomes = atOnce(tasks);
        assertSolo(outcomes, "own backends");
        for (int i = 0; i < outcomes.size(); i++) {
            Network net = outcomes.get(i).network();
            assertTrue(net.backend().isShutdown(), "trial " + i);
            for (Thread w : ((SimdBackend) net.backend()).workerThreads()) {
                assertFalse(w.isAlive(), "trial " + i + ": worker " + w.getName() + " alive after its backend's shutdown");
            }
            assertTrue(Arrays.equals(before[i], net.predict(probe).data()),
                    "trial " + i + ": predictions changed after its backend's shutdown");
        }
        // a state captured on a backend that has since been shut down resumes on the shared one
        assertResumes(outcomes, SimdTesting.twoThreads(), "own backends, resumed on a shared one");
    }

    /**
     * A predict on another thread racing a trial's weight writes (both taking the shared pool when
     * they win it, beside two more trials training on it): every predict that returns gives the
     * outputs of one weight state the trial passed through (recorded on the training thread after
     * each step), never a mix; the others throw the documented IllegalStateException.
     */
    @Test
    @Timeout(120)
    void aPredictRacingATrialGivesOneWeightStatesOutputsOrIsRefused() throws Exception {
        Backend shared = SimdTesting.twoThreads();
        Tensor probe = Tensor.zeros(64, 32); // 64 x 32 x 128 and 64 x 128 x 128: the second product takes the pool
        System.arraycopy(data().features().data(), 64 * 32, probe.data(), 0, probe.size());
        Trial t = TRIALS[0];
        Network net = t.network(shared);
        Set<String> consistent = ConcurrentHashMap.newKeySet();
        consistent.add(Arrays.toString(net.predict(probe).data()));
        Trainer trainer = t.trainer(EPOCHS, new TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int batch, int batches, int batchRows, double loss) {
                consistent.add(Arrays.toString(net.predict(probe).data())); // the state after this step
            }
        });
        List<float[]> seen = new ArrayList<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        List<Callable<Object>> tasks = new ArrayList<>();
        tasks.add(() -> {
            try {
                trainer.fit(net, data());
            } finally {
                done.set(true);
            }
            return null;
        });
        tasks.add(() -> {
            Tensor out = Tensor.zeros(64, 10);
            while (!done.get()) {
                try {
                    net.predict(probe, out);
                    seen.add(out.data().clone());
                } catch (IllegalStateException e) {
                    if (!e.getMessage().startsWith("the network's weights changed during predict")) throw e;
                    refused.incrementAndGet();
                }
            }
            net.predict(probe, out); // after training: always a consistent state, so seen is never empty
            seen.add(out.data().clone());
            return null;
        });
        tasks.add(() -> run(1, shared));
        tasks.add(() -> run(2, shared));
        List<Object> results = atOnce(tasks);
        assertEquals(soloAfter(1, EPOCHS), ParameterSnapshot.of(((Outcome) results.get(2)).network()), "trial 1 beside the race");
        assertEquals(soloAfter(2, EPOCHS), ParameterSnapshot.of(((Outcome) results.get(3)).network()), "trial 2 beside the race");
        assertEquals(soloAfter(0, EPOCHS), ParameterSnapshot.of(net), "the raced trial differs from its solo run");
        int mixed = 0;
        for (float[] o : seen) {
            if (!consistent.contains(Arrays.toString(o))) mixed++;
        }
        assertEquals(0, mixed, "predictions from mixed weights (" + seen.size() + " returned, " + refused.get() + " refused)");
        System.out.println("predict racing a trial on " + shared + ": " + seen.size() + " returned, " + refused.get()
                + " refused, 0 mixed");
    }

    /**
     * A search cancels a trial with {@code Future.cancel(true)} while three run on one shared backend
     * (the interrupt may land in a kernel, with the trial holding the pool): the cancelled fit ends
     * with a CancellationException before its next epoch, the interrupt status left set, its network
     * holding the weights of the last epoch it completed (its solo run's, bit for bit) and a state
     * that resumes to its uninterrupted run; the other trials end with their solo weights; the pool
     * is left free and running, and a trial started after the cancel still gets its solo weights.
     */
    @Test
    @Timeout(120)
    void aCancelledTrialLeavesTheSharedBackendToTheOthers() throws Exception {
        Backend shared = SimdTesting.twoThreads();
        Trial t = TRIALS[0];
        Network net = t.network(shared);
        CountDownLatch inEpoch2 = new CountDownLatch(1);
        AtomicReference<Throwable> ended = new AtomicReference<>();
        AtomicBoolean interruptLeftSet = new AtomicBoolean();
        AtomicReference<TrainingState> stateAtCancel = new AtomicReference<>();
        Trainer trainer = t.trainer(1000, new TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int batch, int batches, int batchRows, double loss) {
                if (epoch == 2) inEpoch2.countDown(); // cancelled from now on, most likely inside a kernel
            }

            @Override
            public void onEpochStart(int epoch, int epochs, int batches, int samples) {
                if (epoch == EPOCHS) {
                    // the cancel has not landed yet (the machine is slow): wait for it here, so that the
                    // trial cannot run past the epochs the solo run recorded
                    while (!Thread.currentThread().isInterrupted()) Thread.onSpinWait();
                }
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> cancelled = pool.submit(() -> {
                try {
                    trainer.fit(net, data());
                } catch (Throwable e) {
                    ended.set(e);
                    interruptLeftSet.set(Thread.currentThread().isInterrupted());
                    stateAtCancel.set(trainer.state(net));
                }
            });
            Future<Outcome> other1 = pool.submit(() -> run(1, shared));
            Future<Outcome> other2 = pool.submit(() -> run(3, shared));
            assertTrue(inEpoch2.await(60, TimeUnit.SECONDS), "the trial did not reach epoch 2");
            assertTrue(cancelled.cancel(true), () -> "the trial ended before it was cancelled: " + ended.get());
            Outcome o1 = other1.get(60, TimeUnit.SECONDS), o3 = other2.get(60, TimeUnit.SECONDS);
            assertEquals(soloAfter(1, EPOCHS), ParameterSnapshot.of(o1.network()), "trial 1 beside the cancelled one");
            assertEquals(soloAfter(3, EPOCHS), ParameterSnapshot.of(o3.network()), "trial 3 beside the cancelled one");
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "a trial still runs after its cancel");
        }
        assertInstanceOf(CancellationException.class, ended.get(), "the cancelled fit ended with " + ended.get());
        assertTrue(interruptLeftSet.get(), "the interrupt status was cleared");
        int k = trainer.epochsCompleted();
        assertTrue(k >= 2 && k <= EPOCHS, "completed " + k + " epochs");
        assertEquals(soloAfter(0, k), ParameterSnapshot.of(net), "the cancelled trial's weights are not its solo run's after epoch " + k);
        TrainingState s = stateAtCancel.get();
        assertNotNull(s, "no state captured after the cancel");
        assertEquals(k, s.epoch());

        // the shared pool is free and running: the trial resumed on it ends as uninterrupted, and so
        // does a fresh trial
        SimdBackend simd = (SimdBackend) shared;
        assertFalse(simd.pool().busy, "the cancelled trial left the pool claimed");
        assertFalse(simd.isShutdown());
        Network resumed = t.network(shared);
        Trainer again = t.trainer(EPOCHS);
        again.restore(resumed, s);
        again.fit(resumed, data());
        assertEquals(soloAfter(0, EPOCHS), ParameterSnapshot.of(resumed), "the cancelled trial resumed from its state");
        assertEquals(soloAfter(2, EPOCHS), ParameterSnapshot.of(run(2, shared).network()), "a trial after the cancel");
    }
}
