package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.Parameter;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Optimizer;
import org.bpnn.optim.OptimizerState;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Trainer#state} (what a checkpoint holds) against training on another thread: a state that
 * overlaps a weight write is refused with an {@link IllegalStateException}, never returned holding
 * the weights of two steps, as {@code Network.predict} and {@code ModelFile.save} do.
 */
class ConcurrentStateTest {
    static final String CHANGED = "the network's weights changed while the training state was captured";
    static final String MID_EPOCH = "the trainer is in the middle of epoch ";
    private static final int EPOCHS = 1500, PAUSE = 100;
    static final String TRAINER_CHANGED = "the trainer's epoch counter and early-stopping state changed while the training"
            + " state was captured (a fit or a restore running on another thread?), so no state was taken: capture it"
            + " between epochs (e.g. from a TrainingListener's onEpochEnd) or after training";

    private static long hash(float[][] weights) {
        long h = 1;
        for (float[] w : weights) h = 31 * h + Arrays.hashCode(w);
        return h;
    }

    /** rows Gaussian inputs and targets, one batch of 8 an epoch in both fits here. */
    private static Dataset randomData(long seed, int rows, int inputs, int outputs) {
        Random r = new Random(seed);
        Tensor x = Tensor.zeros(rows, inputs), y = Tensor.zeros(rows, outputs);
        for (int i = 0; i < x.size(); i++) x.data()[i] = (float) r.nextGaussian();
        for (int i = 0; i < y.size(); i++) y.data()[i] = (float) r.nextGaussian();
        return new Dataset(x, y);
    }

    private static float[][] weights(Network net) {
        return net.parameters().stream().map(p -> p.value().data().clone()).toArray(float[][]::new);
    }

    @Test
    @Timeout(120)
    void aStateTakenWhileAnotherThreadTrainsIsNeverAMixOfTwoSteps() throws Exception {
        // 300-200-2: 60,602 weights, long enough to copy that a step lands in the middle of a copy
        Network net = Network.builder(300).dense(200, Activation.tanh()).dense(2, Activation.identity())
                .loss(Loss.mse()).seed(3).backend(ScalarBackend.INSTANCE).build();
        // every weight state the trainer leaves between its steps (recorded on its own thread), and the epoch
        // that ends with it (one batch an epoch)
        Set<Long> consistent = ConcurrentHashMap.newKeySet();
        Map<Long, Integer> epochOf = new ConcurrentHashMap<>();
        consistent.add(hash(weights(net)));
        epochOf.put(hash(weights(net)), 0);
        // a state is taken only in the short gap between two epochs (most attempts are refused as mid-epoch or
        // overlapping a step), so on a busy machine a run could take none and check nothing: every PAUSE-th epoch
        // the trainer waits in onEpochEnd until the capturing thread has taken a state, so some are always checked
        AtomicReference<CountDownLatch> pause = new AtomicReference<>();
        Trainer trainer = Trainer.builder().optimizer(new Sgd(1e-3)).epochs(EPOCHS).batchSize(8).noShuffle()
                .listener(new TrainingListener() {
                    @Override
                    public void onBatchEnd(int epoch, int batch, int batches, int batchRows, double loss) {
                        consistent.add(hash(weights(net)));
                        epochOf.put(hash(weights(net)), epoch);
                    }

                    @Override
                    public void onEpochEnd(EpochSummary summary) {
                        if (summary.epoch() % PAUSE != 0) return;
                        CountDownLatch takenOne = new CountDownLatch(1);
                        pause.set(takenOne);
                        try {
                            if (!takenOne.await(60, TimeUnit.SECONDS)) {
                                throw new AssertionError("no state was taken while the trainer waited after epoch "
                                        + summary.epoch());
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new AssertionError("interrupted", e);
                        }
                    }
                }).build();
        AtomicBoolean done = new AtomicBoolean();
        Throwable[] failure = new Throwable[1];
        Thread training = new Thread(() -> {
            try {
                trainer.fit(net, randomData(1, 8, 300, 2));
            } finally {
                done.set(true);
            }
        }, "trainer");
        training.setUncaughtExceptionHandler((t, e) -> failure[0] = e);
        training.start();
        // hashes: thousands of 60,602-float copies would not fit the heap
        List<Long> taken = new java.util.ArrayList<>();
        List<Integer> takenEpochs = new java.util.ArrayList<>();
        int refused = 0;
        while (!done.get()) {
            try {
                TrainingState s = trainer.state(net);
                taken.add(hash(s.parameters()));
                takenEpochs.add(s.epoch());
                CountDownLatch waiting = pause.getAndSet(null);
                if (waiting != null) waiting.countDown();
            } catch (IllegalStateException e) {
                // the last: a state across the fit's start or end (its resets, its last write of the fields)
                assertTrue(e.getMessage().startsWith(CHANGED) || e.getMessage().startsWith(MID_EPOCH)
                        || e.getMessage().equals(TRAINER_CHANGED), e.getMessage());
                refused++;
            }
        }
        training.join();
        if (failure[0] != null) fail("training failed", failure[0]);
        int mixed = 0, otherEpoch = 0;
        for (int i = 0; i < taken.size(); i++) {
            long h = taken.get(i);
            if (!consistent.contains(h)) mixed++;
            else if (epochOf.get(h).intValue() != takenEpochs.get(i)) otherEpoch++;
        }
        assertEquals(0, mixed, "states holding weights of two steps (" + taken.size() + " taken, " + refused + " refused)");
        // a state whose epoch counter was read before an epoch's bookkeeping and its weights after that epoch's
        // step (the weight version read after the epoch marker) was taken too
        assertEquals(0, otherEpoch, "states holding the weights of one epoch with the counter of another (" + taken.size()
                + " taken, " + refused + " refused)");
        assertTrue(taken.size() >= EPOCHS / PAUSE, taken.size() + " states taken, " + refused + " refused: the checks above"
                + " saw too few states");
        System.out.println("state while training: " + taken.size() + " taken, " + refused + " refused, 0 mixed");
    }

    @Test
    void aStateDuringAWeightWriteIsRefused() {
        Network net = smallNetwork();
        Trainer trainer = Trainer.builder().optimizer(new Sgd(0.1)).epochs(1).build();
        IllegalStateException[] thrown = new IllegalStateException[1];
        net.applyUpdate(new Optimizer() {
            @Override
            public void step(Backend backend, List<Parameter> parameters) {
                thrown[0] = assertThrows(IllegalStateException.class, () -> trainer.state(net));
            }
        });
        assertEquals("the network's weights changed while the training state was captured (training on another thread?), so no "
                + "state was taken: capture it between epochs (e.g. from a TrainingListener's onEpochEnd) or after training", thrown[0].getMessage());
        assertEquals(0, trainer.state(net).epoch(), "works again once the write has ended");
    }

    /**
     * A read torn by a fit on another thread is refused as overlapping a weight write wherever a check sees it
     * first: an optimiser's state read during its first step (its sizes half written) was refused as invalid
     * ("parameterSizes[1] is 0") or as another network's ("pass the network this trainer trained"), since only
     * TrainingState's own checks went to the seqlock first. Here the optimiser's state() makes the weight write
     * it overlaps, so the tear is certain.
     */
    @Test
    void aTornOptimizerStateIsRefusedAsOverlappingAWeightWrite() {
        Network net = smallNetwork();
        for (int[] torn : new int[][] {{12, 0, 6, 2}, {12, 3}}) {
            Optimizer optimizer = new Optimizer() {
                @Override
                public void step(Backend backend, List<Parameter> parameters) {
                }

                @Override
                public OptimizerState state() {
                    net.applyUpdate(new Sgd(0.1)); // a step of the fit on the other thread, during the read
                    return new OptimizerState("sgd", 1, torn, new float[0][]);
                }
            };
            Trainer trainer = Trainer.builder().optimizer(optimizer).epochs(1).build();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> trainer.state(net), Arrays.toString(torn));
            assertTrue(e.getMessage().startsWith("the network's weights changed while the training state was captured"),
                    e.getMessage());
        }
    }

    /**
     * A fit's start resets the epoch counter and early-stopping state (and the last epoch's weights kept by
     * a run that restored its best ones) with no weight write and no epoch marker: a state whose checks'
     * first reads came before those resets and its reads of the fields after them was returned, an epoch
     * 0 without best weights of the next run under the versions of the last one's end (read in the other
     * order, the last epoch's weights with no best weights: a NullPointerException). The optimiser's
     * state() here is the first read of trainer.state, and holds it until the second fit has reset its
     * fields (onTrainStart runs after the resets), which then waits in onTrainStart until the state is
     * taken or refused: no weight is written in between, so only the trainer's own seqlock can see it.
     */
    @Test
    @Timeout(60)
    void aStateOverlappingTheStartOfAFitIsRefused() throws Exception {
        Network net = smallNetwork();
        CountDownLatch inRead = new CountDownLatch(1), resetsDone = new CountDownLatch(1), taken = new CountDownLatch(1);
        AtomicBoolean holdNextRead = new AtomicBoolean(), secondFit = new AtomicBoolean();
        Sgd sgd = new Sgd(0.1); // never steps: its state is that of no step, which fits any network
        Optimizer optimizer = new Optimizer() {
            @Override
            public void step(Backend backend, List<Parameter> parameters) {
                // gradient ascent: every epoch is worse than the one before, so early stopping (patience 1)
                // ends the run after epoch 2 and puts back epoch 1's weights, keeping epoch 2's for state()
                for (Parameter p : parameters) {
                    float[] w = p.value().data(), g = p.grad().data();
                    for (int i = 0; i < w.length; i++) w[i] += 0.05f * g[i];
                }
            }

            @Override
            public OptimizerState state() {
                if (holdNextRead.compareAndSet(true, false)) {
                    inRead.countDown();
                    awaitUninterruptibly(resetsDone);
                }
                return sgd.state();
            }
        };
        Trainer trainer = Trainer.builder().optimizer(optimizer).epochs(5).batchSize(8).noShuffle()
                .earlyStopping(EarlyStopping.patience(1).restoreBestWeights())
                .listener(new TrainingListener() {
                    @Override
                    public void onTrainStart(Trainer t, Network n, int epochs, int trainSamples, int validationSamples) {
                        if (secondFit.get()) {
                            resetsDone.countDown();
                            awaitUninterruptibly(taken);
                        }
                    }
                }).build();
        Dataset data = smallData();
        TrainingHistory first = trainer.fit(net, data);
        assertTrue(first.restoredBestWeights(), "the first run must end by restoring its best weights: " + first);
        assertEquals(2, trainer.state(net).epoch());

        holdNextRead.set(true);
        Object[] outcome = new Object[1];
        Thread capturing = new Thread(() -> {
            try {
                outcome[0] = trainer.state(net);
            } catch (Throwable e) {
                outcome[0] = e;
            } finally {
                taken.countDown();
            }
        }, "capturing");
        capturing.start();
        inRead.await(); // the state's checks have read the versions of the first run's end
        secondFit.set(true);
        trainer.fit(net, data); // resets, then onTrainStart releases the state and waits for its outcome
        capturing.join();
        if (!(outcome[0] instanceof IllegalStateException e)) {
            TrainingState s = outcome[0] instanceof TrainingState ts ? ts : null;
            throw new AssertionError("a state overlapping the start of a fit was not refused: "
                    + (s != null ? "epoch " + s.epoch() + ", best epoch " + s.bestEpoch() + ", best weights "
                    + (s.bestParameters() == null ? "none" : "kept") : outcome[0]),
                    outcome[0] instanceof Throwable t ? t : null);
        }
        assertEquals(TRAINER_CHANGED, e.getMessage());
        assertEquals(2, trainer.state(net).epoch(), "taken again once the fit has ended");
    }

    /**
     * A restore writes the trainer's fields after its weight write, with no epoch marker: a state of a network of
     * the same architecture (whose weight version a restore into the trained one does not move) whose checks'
     * first reads came before the restore and its reads of the fields after it was returned, the restored epoch
     * counter and early-stopping state under the versions from before. Only the trainer's own seqlock sees it.
     * The optimiser's state() is the first read of trainer.state, held here until the restore has returned.
     */
    @Test
    @Timeout(60)
    void aStateOverlappingARestoreIsRefused() throws Exception {
        Network net = smallNetwork(), sameArchitecture = smallNetwork();
        HeldSgd optimizer = new HeldSgd();
        Trainer trainer = Trainer.builder().optimizer(optimizer).epochs(3).batchSize(8).noShuffle().build();
        trainer.fit(net, smallData());
        TrainingState saved = trainer.state(net);

        optimizer.holdStateOf(trainer, sameArchitecture); // its checks have read the versions from before the restore
        try {
            trainer.restore(net, saved);
        } finally {
            optimizer.release();
        }
        optimizer.requireRefused("a restore");
    }

    /**
     * The same across an epoch's early-stopping bookkeeping (the state's reads begin after one epoch's end and
     * end after the next's) and across a fit's end: their writes of the trainer's fields are refused by its
     * seqlock, not by the weight version of the network passed (of the same architecture, not trained).
     */
    @Test
    @Timeout(60)
    void aStateOverlappingAnEpochsBookkeepingOrAFitsEndIsRefused() throws Exception {
        for (boolean acrossTheEnd : new boolean[] {false, true}) {
            Network net = smallNetwork(), sameArchitecture = smallNetwork();
            HeldSgd optimizer = new HeldSgd();
            Trainer[] trainer = new Trainer[1];
            // across the end: held from the last epoch's end to onTrainEnd; else from epoch 1's end to epoch 2's
            int epochs = acrossTheEnd ? 1 : 2;
            trainer[0] = Trainer.builder().optimizer(optimizer).epochs(epochs).batchSize(8).noShuffle()
                    .listener(new TrainingListener() {
                        @Override
                        public void onEpochEnd(EpochSummary summary) {
                            if (summary.epoch() == 1) {
                                optimizer.holdStateOf(trainer[0], sameArchitecture);
                            } else {
                                optimizer.release();
                            }
                        }

                        @Override
                        public void onTrainEnd(TrainingHistory history) {
                            if (acrossTheEnd) optimizer.release();
                        }
                    }).build();
            trainer[0].fit(net, smallData());
            optimizer.requireRefused(acrossTheEnd ? "a fit's end" : "an epoch's bookkeeping");
        }
    }

    /** A 4-3-2 network, the same for the same call: two are of the same architecture. */
    private static Network smallNetwork() {
        return Network.builder(4).dense(3, Activation.tanh()).dense(2, Activation.identity())
                .loss(Loss.mse()).seed(1).backend(ScalarBackend.INSTANCE).build();
    }

    /** 8 rows of Gaussian features and targets for {@link #smallNetwork}. */
    private static Dataset smallData() {
        return randomData(2, 8, 4, 2);
    }

    /**
     * An Sgd whose state() can hold a trainer.state call on another thread after its first reads (the versions)
     * until {@link #release}: the trainer's writes in between are what its seqlock must see.
     */
    private static final class HeldSgd implements Optimizer {
        private final Sgd sgd = new Sgd(0.1);
        private final AtomicBoolean holdNextRead = new AtomicBoolean();
        private final CountDownLatch inRead = new CountDownLatch(1), released = new CountDownLatch(1);
        private final Object[] outcome = new Object[1];
        private Thread capturing;

        @Override
        public void step(Backend backend, List<Parameter> parameters) {
            sgd.step(backend, parameters);
        }

        @Override
        public OptimizerState state() {
            if (holdNextRead.compareAndSet(true, false)) {
                inRead.countDown();
                awaitUninterruptibly(released);
            }
            return sgd.state();
        }

        @Override
        public org.bpnn.optim.OptimizerSettings settings() {
            return sgd.settings();
        }

        @Override
        public void restore(OptimizerState state) {
            sgd.restore(state);
        }

        /** Starts trainer.state(network) on another thread and returns once it is held in this state(). */
        void holdStateOf(Trainer trainer, Network network) {
            holdNextRead.set(true);
            capturing = new Thread(() -> {
                try {
                    outcome[0] = trainer.state(network);
                } catch (Throwable e) {
                    outcome[0] = e;
                }
            }, "capturing");
            capturing.start();
            awaitUninterruptibly(inRead);
        }

        /** Lets the held state go on, and waits for its outcome. */
        void release() {
            released.countDown();
            try {
                capturing.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        void requireRefused(String overlapped) {
            if (!(outcome[0] instanceof IllegalStateException e)) {
                throw new AssertionError("a state overlapping " + overlapped + " was not refused: " + outcome[0],
                        outcome[0] instanceof Throwable t ? t : null);
            }
            assertEquals(TRAINER_CHANGED, e.getMessage());
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
