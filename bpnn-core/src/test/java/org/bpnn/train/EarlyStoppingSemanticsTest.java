package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.metrics.Metric;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.LearningRateSchedule;
import org.bpnn.optim.Momentum;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Early stopping against its Javadoc, with the monitored value scripted per epoch (a metric that
 * returns a given sequence; without a validation set it is read once per epoch on the training set).
 */
class EarlyStoppingSemanticsTest {

    /** Returns scores[epoch - 1] for the epoch-th call, starting at epoch {@code first}. */
    static final class Scripted implements Metric {
        final double[] scores;
        final boolean higher;
        int next;

        Scripted(boolean higher, int first, double... scores) {
            this.higher = higher;
            this.scores = scores;
            this.next = first - 1;
        }

        @Override public String name() { return "score"; }
        @Override public double value(Tensor outputs, Tensor targets) { return scores[next++]; }
        @Override public boolean higherIsBetter() { return higher; }
    }

    static Dataset data() {
        Tensor x = Tensor.zeros(8, 1), y = Tensor.zeros(8, 1);
        for (int i = 0; i < 8; i++) {
            x.set(i, 0, (i - 4) / 4f);
            y.set(i, 0, (i - 4) / 2f);
        }
        return new Dataset(x, y);
    }

    static Network net() {
        return Network.builder(1).dense(1, Activation.identity()).loss(Loss.mse()).seed(3)
                .backend(ScalarBackend.INSTANCE).build();
    }

    static TrainingHistory fit(EarlyStopping es, int epochs, Scripted m, List<ParameterSnapshot> snaps) {
        Network net = net();
        Trainer.Builder b = Trainer.builder().optimizer(new Momentum(0.01, 0.9)).epochs(epochs).batchSize(3).shuffle(1)
                .metrics(m).earlyStopping(es.monitor("score"));
        if (snaps != null) {
            b.listener(new TrainingListener() {
                @Override public void onEpochEnd(EpochSummary s) { snaps.add(ParameterSnapshot.of(net)); }
            });
        }
        TrainingHistory h = b.build().fit(net, data());
        if (snaps != null) snaps.add(ParameterSnapshot.of(net)); // the final weights last
        return h;
    }

    static boolean[] improved(TrainingHistory h) {
        boolean[] r = new boolean[h.size()];
        for (int i = 0; i < r.length; i++) r[i] = h.epochs().get(i).improved();
        return r;
    }

    @Test
    void patienceCountsEpochsWithoutImprovementSinceTheBest() {
        // best at 2; 3, 4, 5 do not beat 0.9 (4 beats 3 but not the best): stop after 5 with patience 3
        TrainingHistory h = fit(EarlyStopping.patience(3), 20, new Scripted(false, 1, 1.0, 0.9, 0.95, 0.92, 0.91, 0.1, 0.1), null);
        assertEquals(5, h.size());
        assertTrue(h.stoppedEarly());
        assertEquals(2, h.bestEpoch());
        assertArrayEquals(new boolean[] {true, true, false, false, false}, improved(h));
    }

    @Test
    void patienceZeroStopsAtTheFirstEpochWithoutImprovement() {
        TrainingHistory h = fit(EarlyStopping.patience(0), 20, new Scripted(false, 1, 1.0, 0.9, 0.9, 0.1), null);
        assertEquals(3, h.size());
        assertEquals(2, h.bestEpoch());
    }

    @Test
    void minDeltaNeedsMoreThanDeltaOverTheBestNotOverTheLastEpoch() {
        // 0.95 is exactly minDelta below 1.0: not an improvement; 0.9 beats the best (1.0) by more than 0.05
        TrainingHistory h = fit(EarlyStopping.patience(2).minDelta(0.05), 20,
                new Scripted(false, 1, 1.0, 0.95, 0.9, 0.89, 0.885, 0.1), null);
        assertArrayEquals(new boolean[] {true, false, true, false, false}, improved(h));
        assertEquals(3, h.bestEpoch());
        assertEquals(5, h.size());
    }

    @Test
    void minDeltaZeroIsAcceptedAndAnyDecreaseImproves() {
        // "finite, >= 0; default 0": 0 must be settable (e.g. to undo a minDelta), and then 0.99 beats 1.0
        EarlyStopping es = EarlyStopping.patience(1).minDelta(0.05).minDelta(0);
        assertEquals(0, es.minDelta());
        TrainingHistory h = fit(es, 20, new Scripted(false, 1, 1.0, 0.99, 0.98, 0.98, 0.1), null);
        assertArrayEquals(new boolean[] {true, true, true, false}, improved(h));
        assertEquals(3, h.bestEpoch());
        assertEquals(4, h.size());
    }

    @Test
    void minDeltaForAHigherIsBetterMetric() {
        TrainingHistory h = fit(EarlyStopping.patience(1).minDelta(0.1), 20, new Scripted(true, 1, 0.5, 0.6, 0.75, 0.9), null);
        assertArrayEquals(new boolean[] {true, false}, improved(h));
        assertEquals(1, h.bestEpoch());
        h = fit(EarlyStopping.patience(1).minDelta(0.1), 4, new Scripted(true, 1, 0.5, 0.61, 0.72, 0.83), null);
        assertArrayEquals(new boolean[] {true, true, true, true}, improved(h));
        assertFalse(h.stoppedEarly());
    }

    @Test
    void bestWeightsAreRestoredAlsoWhenAllEpochsRan() {
        List<ParameterSnapshot> snaps = new ArrayList<>();
        TrainingHistory h = fit(EarlyStopping.patience(10).restoreBestWeights(), 5,
                new Scripted(false, 1, 3, 1, 2, 2, 2), snaps);
        assertFalse(h.stoppedEarly());
        assertEquals(2, h.bestEpoch());
        assertTrue(h.restoredBestWeights());
        assertEquals(snaps.get(1), snaps.get(5), "the network ends with epoch 2's weights");
        // stopping early: epoch 2 again
        snaps.clear();
        h = fit(EarlyStopping.patience(2).restoreBestWeights(), 20, new Scripted(false, 1, 3, 1, 2, 2, 2), snaps);
        assertTrue(h.stoppedEarly());
        assertEquals(4, h.size());
        assertEquals(snaps.get(1), snaps.get(4));
    }

    /**
     * A run resumed from a checkpoint taken mid-patience stops at the same epoch, with the same best
     * epoch, the same learning rates (step decay crossing epochs) and the same final weights.
     */
    @Test
    void aResumedRunKeepsThePatienceCounterAndTheScheduleOfTheUninterruptedOne() {
        double[] scores = {1.0, 0.5, 0.7, 0.6, 0.55, 0.52, 0.1, 0.1};
        java.util.function.Supplier<Trainer.Builder> cfg = () -> Trainer.builder()
                .optimizer(new Momentum(0.05, 0.9).schedule(LearningRateSchedule.stepDecay(4, 0.5)))
                .epochs(20).batchSize(3).shuffle(5) // 3 batches per epoch: decays inside epochs
                .earlyStopping(EarlyStopping.patience(4).restoreBestWeights().monitor("score"));
        Network straight = net();
        TrainingHistory all = cfg.get().metrics(new Scripted(false, 1, scores)).build().fit(straight, data());
        assertEquals(6, all.size());
        assertEquals(2, all.bestEpoch());

        Network first = net();
        AtomicReference<Trainer> t = new AtomicReference<>();
        AtomicReference<TrainingState> saved = new AtomicReference<>();
        t.set(cfg.get().metrics(new Scripted(false, 1, scores)).listener(new TrainingListener() {
            @Override public void onEpochEnd(EpochSummary s) {
                if (s.epoch() == 4) {
                    saved.set(t.get().state(first));
                    t.get().requestStop();
                }
            }
        }).build());
        t.get().fit(first, data());
        assertEquals(2, saved.get().epochsWithoutImprovement());

        Network resumed = Network.builder(1).dense(1, Activation.identity()).loss(Loss.mse()).seed(99)
                .backend(ScalarBackend.INSTANCE).build();
        Trainer second = cfg.get().metrics(new Scripted(false, 5, scores)).build();
        second.restore(resumed, saved.get());
        TrainingHistory rest = second.fit(resumed, data());
        assertEquals(5, rest.firstEpoch());
        assertEquals(2, rest.size(), rest.toString());
        assertTrue(rest.stoppedEarly());
        assertEquals(2, rest.bestEpoch());
        // the run's best, from before the resume: the summary says where it is, not just "best epoch 2" over rows 5..6
        assertTrue(rest.toString().endsWith("\nstopped early; best epoch 2 (weights restored), trained before the resume"
                + " (this history starts at epoch 5)"), rest.toString());
        for (int e = 5; e <= 6; e++) {
            assertEquals(all.epochs().get(e - 1).learningRate(), rest.epochs().get(e - 5).learningRate(), 0.0, "lr of epoch " + e);
            assertEquals(all.epochs().get(e - 1).trainLoss(), rest.epochs().get(e - 5).trainLoss(), 0.0, "loss of epoch " + e);
        }
        assertArrayEquals(ParameterSnapshot.of(straight).values(), ParameterSnapshot.of(resumed).values());
    }

    /**
     * A checkpoint written at the end of every epoch (the usual listener) whose last one is the epoch
     * at which early stopping ended the run: resuming from it must not train on, or the resumed run
     * ends elsewhere than the uninterrupted one (here epoch 7 would "improve" and training went on to 20).
     */
    @Test
    void resumingFromTheCheckpointOfTheEpochThatStoppedTrainsNoFurther() {
        double[] scores = {1.0, 0.5, 0.7, 0.6, 0.55, 0.52, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
        Resumed r = stopAndResume(() -> Trainer.builder().optimizer(new Momentum(0.05, 0.9)).epochs(20).batchSize(3).shuffle(5)
                .earlyStopping(EarlyStopping.patience(4).restoreBestWeights().monitor("score")), scores);
        assertTrue(r.all().stoppedEarly());
        assertEquals(6, r.all().size());
        assertEquals(6, r.last().epoch());
        assertEquals(0, r.rest().size(), "the uninterrupted run stopped after epoch 6: " + r.rest());
        assertEquals(6, r.second().epochsCompleted());
        assertEquals(2, r.rest().bestEpoch());
        assertArrayEquals(ParameterSnapshot.of(r.net()).values(), ParameterSnapshot.of(r.resumed()).values(),
                "both end with epoch 2's weights");
        // it ended as the uninterrupted run did: by early stopping (its history said neither stopped nor where epoch 2 was)
        assertEquals(TrainingHistory.Ending.EARLY_STOPPING, r.rest().endedBy());
        assertTrue(r.rest().toString().endsWith("\nstopped early; best epoch 2 (weights restored), trained before the resume"
                + " (this fit trained no epoch)"), r.rest().toString());
    }

    /**
     * A checkpoint of a run's last planned epoch, past its patience but completed (early stopping does
     * not stop after the last epoch): its resume trains no epoch and the run is COMPLETED, not stopped early.
     */
    @Test
    void resumingFromTheCheckpointOfTheLastEpochPastPatienceIsCompleted() {
        double[] scores = {1.0, 0.5, 0.7, 0.6};
        Resumed r = stopAndResume(() -> Trainer.builder().optimizer(new Momentum(0.05, 0.9)).epochs(4).batchSize(3).shuffle(5)
                .earlyStopping(EarlyStopping.patience(2).monitor("score")), scores);
        assertEquals(TrainingHistory.Ending.COMPLETED, r.all().endedBy());
        assertEquals(2, r.last().epochsWithoutImprovement(), "the set-up must end past its patience");
        assertEquals(0, r.rest().size());
        assertEquals(TrainingHistory.Ending.COMPLETED, r.rest().endedBy());
    }

    /** A run, its checkpoint at the end of its last epoch, and a fresh network resumed from it. */
    private record Resumed(TrainingHistory all, TrainingState last, Trainer second, TrainingHistory rest, Network net,
                           Network resumed) {}

    /**
     * Trains with {@code cfg} and the scripted {@code scores}, capturing a state at the end of every
     * epoch (the usual checkpointing listener), then restores the last one into a fresh network and
     * fits again, the script going on where the first run left it.
     */
    private Resumed stopAndResume(java.util.function.Supplier<Trainer.Builder> cfg, double[] scores) {
        Network net = net();
        AtomicReference<Trainer> t = new AtomicReference<>();
        AtomicReference<TrainingState> last = new AtomicReference<>();
        t.set(cfg.get().metrics(new Scripted(false, 1, scores)).listener(new TrainingListener() {
            @Override public void onEpochEnd(EpochSummary s) { last.set(t.get().state(net)); }
        }).build());
        TrainingHistory all = t.get().fit(net, data());
        Network resumed = net();
        Trainer second = cfg.get().metrics(new Scripted(false, all.size() + 1, scores)).build();
        second.restore(resumed, last.get());
        return new Resumed(all, last.get(), second, second.fit(resumed, data()), net, resumed);
    }

    /**
     * The same when the run stopped with no best epoch (the monitored value was NaN in every epoch, as
     * early stopping stops on): the resume trained on, here to epoch 10 with "best epoch 8", where the
     * uninterrupted run stopped after epoch 2.
     */
    @Test
    void resumingFromTheCheckpointOfAStopWithNoBestEpochTrainsNoFurther() {
        double[] scores = {Double.NaN, Double.NaN, 1.0, 0.5, 0.4, 0.3, 0.2, 0.1, 0.1, 0.1};
        Resumed r = stopAndResume(() -> Trainer.builder().optimizer(new Momentum(0.05, 0.9)).epochs(10).batchSize(3).shuffle(5)
                .earlyStopping(EarlyStopping.patience(2).monitor("score")), scores);
        assertTrue(r.all().stoppedEarly());
        assertEquals(2, r.all().size());
        assertEquals(0, r.all().bestEpoch());
        assertEquals(0, r.rest().size(), "the uninterrupted run stopped after epoch 2: " + r.rest());
        assertEquals(2, r.second().epochsCompleted());
        assertEquals(0, r.rest().bestEpoch());
        assertTrue(r.rest().stoppedEarly(), "as the uninterrupted run: " + r.rest());
        assertArrayEquals(ParameterSnapshot.of(r.net()).values(), ParameterSnapshot.of(r.resumed()).values());
    }

    /**
     * A run with restoreBestWeights that diverges puts the best epoch's weights back before it throws:
     * it left the weights of the batch before the divergence (here NaN ones), and the best model of the
     * run was lost with them. Without restoreBestWeights the weights stay as they were.
     */
    @Test
    void aDivergedRunWithRestoreBestWeightsEndsWithTheBestWeights() {
        for (boolean restore : new boolean[] {true, false}) {
            Network net = net();
            List<ParameterSnapshot> snaps = new ArrayList<>();
            EarlyStopping es = EarlyStopping.patience(10).monitor("score");
            Trainer t = Trainer.builder().optimizer(new Momentum(0.01, 0.9)).epochs(6).batchSize(3).shuffle(1)
                    .metrics(new Scripted(false, 1, 3, 1, 2, 2, 2, 2)).earlyStopping(restore ? es.restoreBestWeights() : es)
                    .listener(new TrainingListener() {
                        @Override public void onEpochEnd(EpochSummary s) {
                            snaps.add(ParameterSnapshot.of(net));
                            if (s.epoch() == 3) {
                                net.parameters().get(0).value().data()[0] = Float.NaN; // epoch 4 diverges
                            }
                        }
                    }).build();
            TrainingDivergedException e = org.junit.jupiter.api.Assertions.assertThrows(TrainingDivergedException.class,
                    () -> t.fit(net, data()));
            assertEquals(4, e.epoch(), e.getMessage());
            if (restore) {
                assertEquals(2, e.restoredEpoch());
                assertTrue(e.getMessage().endsWith("; restoreBestWeights: the network holds the best weights again, those of epoch 2"),
                        e.getMessage());
                assertArrayEquals(snaps.get(1).values(), ParameterSnapshot.of(net).values(), "epoch 2's weights");
            } else {
                assertEquals(0, e.restoredEpoch());
                assertTrue(Float.isNaN(net.parameters().get(0).value().data()[0]), "left as they were");
            }
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> t.state(net),
                    "still mid-epoch: not a capture point");
        }
    }

    /**
     * Every loss and gradient is finite, but the last update of the run overflows a weight (w - lr g with
     * g ~ 1e36): fit returned normally with a -Infinity weight and "best epoch 1".
     */
    @Test
    void anUpdateThatOverflowsAWeightIsReportedEvenOnTheLastBatch() {
        Tensor x = Tensor.zeros(4, 1), y = Tensor.zeros(4, 1);
        for (int i = 0; i < 4; i++) {
            x.set(i, 0, 1e18f);
            y.set(i, 0, 1);
        }
        for (NonFinitePolicy policy : NonFinitePolicy.values()) {
            Network net = net();
            TrainingDivergedException e = org.junit.jupiter.api.Assertions.assertThrows(TrainingDivergedException.class,
                    () -> Trainer.builder().optimizer(new org.bpnn.optim.Sgd(1e3)).epochs(1).batchSize(4)
                            .nonFinitePolicy(policy).build().fit(net, new Dataset(x, y)));
            assertTrue(e.getMessage().contains("is no longer finite after the epoch's updates"), e.getMessage());
            assertEquals(1, e.epoch());
            assertFalse(e.parameter().isEmpty());
        }
    }

    /** A non-finite monitored value never improves, not even in epoch 1; the first finite one does. */
    @Test
    void aNonFiniteValueNeverImprovesAndCountsAgainstThePatience() {
        TrainingHistory h = fit(EarlyStopping.patience(2), 20, new Scripted(false, 1, Double.NaN, 2, 1, 3, 4, 0), null);
        assertArrayEquals(new boolean[] {false, true, true, false, false}, improved(h));
        assertEquals(3, h.bestEpoch());
        h = fit(EarlyStopping.patience(1), 20, new Scripted(false, 1, Double.NaN, 2, 1), null);
        assertEquals(1, h.size());
        assertEquals(0, h.bestEpoch());
    }
}
