package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
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

    private static long hash(float[][] weights) {
        long h = 1;
        for (float[] w : weights) h = 31 * h + Arrays.hashCode(w);
        return h;
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
        Random r = new Random(1);
        Tensor x = Tensor.zeros(8, 300), y = Tensor.zeros(8, 2);
        for (int i = 0; i < x.size(); i++) x.data()[i] = (float) r.nextGaussian();
        for (int i = 0; i < y.size(); i++) y.data()[i] = (float) r.nextGaussian();
        // every weight state the trainer leaves between its steps (recorded on its own thread)
        Set<Long> consistent = ConcurrentHashMap.newKeySet();
        consistent.add(hash(weights(net)));
        Trainer trainer = Trainer.builder().optimizer(new Sgd(1e-3)).epochs(1500).batchSize(8).noShuffle()
                .listener(new TrainingListener() {
                    @Override
                    public void onBatchEnd(int epoch, int batch, int batches, int batchRows, double loss) {
                        consistent.add(hash(weights(net)));
                    }
                }).build();
        AtomicBoolean done = new AtomicBoolean();
        Throwable[] failure = new Throwable[1];
        Thread training = new Thread(() -> {
            try {
                trainer.fit(net, new Dataset(x, y));
            } finally {
                done.set(true);
            }
        }, "trainer");
        training.setUncaughtExceptionHandler((t, e) -> failure[0] = e);
        training.start();
        List<Long> taken = new java.util.ArrayList<>(); // hashes: thousands of 60,602-float copies would not fit the heap
        int refused = 0;
        while (!done.get()) {
            try {
                taken.add(hash(trainer.state(net).parameters()));
            } catch (IllegalStateException e) {
                assertTrue(e.getMessage().startsWith(CHANGED) || e.getMessage().startsWith(MID_EPOCH), e.getMessage());
                refused++;
            }
        }
        training.join();
        if (failure[0] != null) fail("training failed", failure[0]);
        int mixed = 0;
        for (long h : taken) {
            if (!consistent.contains(h)) mixed++;
        }
        assertEquals(0, mixed, "states holding weights of two steps (" + taken.size() + " taken, " + refused + " refused)");
        assertTrue(taken.size() + refused > 0);
        System.out.println("state while training: " + taken.size() + " taken, " + refused + " refused, 0 mixed");
    }

    @Test
    void aStateDuringAWeightWriteIsRefused() {
        Network net = Network.builder(4).dense(3, Activation.tanh()).dense(2, Activation.identity())
                .loss(Loss.mse()).seed(1).backend(ScalarBackend.INSTANCE).build();
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
        Network net = Network.builder(4).dense(3, Activation.tanh()).dense(2, Activation.identity())
                .loss(Loss.mse()).seed(1).backend(ScalarBackend.INSTANCE).build();
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
}
