package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.nn.AllocationMeter;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.AdaGrad;
import org.bpnn.optim.Adam;
import org.bpnn.optim.AdamW;
import org.bpnn.optim.GradientClipping;
import org.bpnn.optim.LearningRateSchedule;
import org.bpnn.optim.Momentum;
import org.bpnn.optim.Optimizer;
import org.bpnn.optim.Penalty;
import org.bpnn.optim.RmsProp;
import org.bpnn.optim.Sgd;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * After warm-up, the batches of an epoch (batch copy, forward, backward, finiteness check,
 * optimiser update with schedule, penalty and clipping, listener call) allocate nothing: measured
 * with the thread's allocated-bytes counter between the first and the last batch of each of epochs
 * 3 to 8 (more on backends that need C2, see {@link #epochs()}; and further runs, up to 20 s, until
 * one epoch comes to 0), summed over this thread and the backend's worker threads ({@link AllocationMeter}).
 *
 * <p>The counter occasionally jumps once by a few hundred bytes at a random batch with the JIT on
 * (never under -Xint, where every {@code new} would show): a VM event, not the code. A per-step
 * allocation would show in every epoch, so the test requires one epoch that allocates exactly 0.
 */
public class AllocationFreeStepTest {
    protected Backend backend() {
        return ScalarBackend.INSTANCE;
    }

    /** Epochs to train; measured from epoch 3. A backend whose kernels need C2 to stop allocating needs more. */
    protected int epochs() {
        return 8;
    }

    /**
     * The schedules stay above 0 (as floats) for all the steps the repeated fits of the simd variant
     * take (1000 epochs of 13 steps per fit, up to 20 s of fits): the trainer refuses a run whose last
     * epoch would have rate 0, and a second fit continues the first one's steps.
     */
    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("sgd", (Supplier<Optimizer>) () -> new Sgd(0.05).penalty(Penalty.elasticNet(1e-4, 1e-4))),
                Arguments.of("nesterov", (Supplier<Optimizer>) () -> Momentum.nesterov(0.05, 0.9)
                        .clipping(GradientClipping.byValue(1))),
                Arguments.of("adam", (Supplier<Optimizer>) () -> new Adam(0.01)
                        .schedule(LearningRateSchedule.cosine(1000, 10, 1e-4)).clipping(GradientClipping.byGlobalNorm(1))),
                Arguments.of("adamw", (Supplier<Optimizer>) () -> new AdamW(0.01, 0.01)
                        .schedule(LearningRateSchedule.stepDecay(1000, 0.9))),
                Arguments.of("rmsprop", (Supplier<Optimizer>) () -> new RmsProp(0.01)
                        .schedule(LearningRateSchedule.exponential(0.99999))),
                Arguments.of("adagrad", (Supplier<Optimizer>) () -> new AdaGrad(0.05)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void trainingStepsAllocateNothingAfterWarmUp(String name, Supplier<Optimizer> optimizer) {
        assertStepsAllocateNothing(name, optimizer, TrainerTest.blobs(203, 5)); // 12 full batches of 16 and one of 11
    }

    /**
     * A sample-weighted set adds the gather of each batch's weights (into a tensor allocated once per
     * fit) and the scaling of delta[L]'s rows: still nothing per step. One optimiser: the weights touch
     * only the gradients, which every optimiser reads alike.
     */
    @org.junit.jupiter.api.Test
    void weightedTrainingStepsAllocateNothingAfterWarmUp() {
        Dataset data = TrainerTest.blobs(203, 5);
        float[] w = new float[data.size()];
        for (int i = 0; i < w.length; i++) w[i] = 0.25f * (i % 7);
        assertStepsAllocateNothing("adam, weighted", () -> new Adam(0.01).schedule(LearningRateSchedule.cosine(1000, 10, 1e-4)),
                data.withSampleWeights(w));
    }

    private void assertStepsAllocateNothing(String name, Supplier<Optimizer> optimizer, Dataset data) {
        Network probe = Network.builder(1).dense(1, Activation.identity()).loss(Loss.mse()).backend(backend()).build();
        probe.predict(0f); // the backend (and its worker threads) exist before the meter looks for them
        AllocationMeter meter = new AllocationMeter(); // this thread and the backend's workers
        Network net = Network.builder(2).dense(32, Activation.tanh()).dropout(0.2).dense(16, Activation.relu())
                .dense(3, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).seed(1).backend(backend()).build();
        int epochs = epochs();
        long[] start = new long[epochs + 1], end = new long[epochs + 1];
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int batch, int batches, int rows, double loss) {
                if (epoch >= 3 && batch == 1) start[epoch] = meter.bytes();
                if (epoch >= 3 && batch == batches) end[epoch] = meter.bytes();
            }
        };
        long overhead = meter.overhead();
        Trainer trainer = Trainer.builder().optimizer(optimizer.get()).epochs(epochs).batchSize(16).shuffle(2)
                .listener(listener).build();
        long least = Long.MAX_VALUE;
        StringBuilder perEpoch = new StringBuilder();
        // More runs (up to 60 s) while no epoch has come to 0: with one C2 thread on a busy machine the
        // kernels can still be waiting for compilation at the end of the first run. The bound only ends
        // a wait for a JIT that will never get there (code that allocates fails after it, code that does
        // not stops as soon as it is compiled): at 20 s, a case took 8 s of it at a load average of 48.
        long deadline = System.nanoTime() + 60_000_000_000L;
        do {
            trainer.fit(net, data);
            for (int e = 3; e <= epochs; e++) {
                long bytes = Math.max(0, end[e] - start[e] - overhead);
                least = Math.min(least, bytes);
                if (e < 13 && perEpoch.length() < 200) perEpoch.append(' ').append(bytes);
            }
        } while (least > 0 && System.nanoTime() < deadline);
        assertEquals(0, least, name + ": bytes allocated by the 12 steps after the first batch of epochs 3..:" + perEpoch);
    }
}
