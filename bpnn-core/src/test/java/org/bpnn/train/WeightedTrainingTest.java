package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.metrics.ConfusionMatrix;
import org.bpnn.metrics.Metric;
import org.bpnn.metrics.Metrics;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Trainer on sample-weighted data sets; subclasses rerun it on another backend. */
public class WeightedTrainingTest {
    protected Backend backend() {
        return ScalarBackend.INSTANCE;
    }

    Network classifier(long seed) {
        return Network.builder(2).dense(16, Activation.relu()).dropout(0.1).dense(3, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(seed).backend(backend()).build();
    }

    static float[] ones(int n) {
        float[] w = new float[n];
        java.util.Arrays.fill(w, 1f);
        return w;
    }

    /**
     * Weights of 1 train to the bits of no weights: the same weights, training and validation losses,
     * metrics, with shuffling, a smaller last batch, dropout and a validation split of the weighted set.
     */
    @Test
    void weightsOfOneTrainToTheUnweightedBits() {
        Dataset data = TrainerTest.blobs(157, 3);
        Trainer.Builder config = Trainer.builder().epochs(4).batchSize(16).shuffle(5).validationSplit(0.2)
                .metrics(Metric.accuracy());
        Network plain = classifier(7), weighted = classifier(7);
        TrainingHistory hp = config.optimizer(new Adam(0.01)).build().fit(plain, data);
        TrainingHistory hw = config.optimizer(new Adam(0.01)).build().fit(weighted, data.withSampleWeights(ones(157)));
        assertEquals(ParameterSnapshot.of(plain), ParameterSnapshot.of(weighted));
        assertArrayEquals(hp.trainLoss(), hw.trainLoss(), 0.0);
        assertArrayEquals(hp.validationLoss(), hw.validationLoss(), 0.0);
        assertArrayEquals(hp.validationMetric("accuracy"), hw.validationMetric("accuracy"), 0.0);
    }

    /**
     * The reported training loss is the weighted cost the gradients descend: in one full batch, epoch
     * 1's loss is computeGradients(x, y, w) of the initial weights, sum_i w_i L_i / n, not the mean.
     */
    @Test
    void theReportedTrainingLossIsTheWeightedOne() {
        Dataset data = TrainerTest.blobs(60, 4);
        float[] w = new float[60];
        for (int i = 0; i < w.length; i++) w[i] = i % 3 == 0 ? 0f : (i % 3) * 1.5f;
        Dataset weighted = data.withSampleWeights(w);
        Network net = Network.builder(2).dense(8, Activation.tanh()).dense(3, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(3).backend(backend()).build();
        Network before = net.copy();
        TrainingHistory h = Trainer.builder().optimizer(new Sgd(0.1)).epochs(1).batchSize(60).noShuffle().build()
                .fit(net, weighted);
        double expected = before.computeGradients(data.features(), data.targets(), weighted.sampleWeights());
        assertEquals(expected, h.trainLoss()[0], 1e-12);
        assertNotEquals(before.computeGradients(data.features(), data.targets()), h.trainLoss()[0], 1e-3);
    }

    /**
     * The validation loss is weighted when the validation set carries weights, else not; the metrics are
     * never weighted (they count rows), here with the weights chosen to change the loss a lot.
     */
    @Test
    void validationLossIsWeightedOnlyForAWeightedSetAndMetricsNever() {
        Dataset train = TrainerTest.blobs(90, 5), val = TrainerTest.blobs(45, 6);
        float[] w = new float[45];
        for (int i = 0; i < w.length; i++) w[i] = i < 15 ? 4f : 0.25f; // class 0 weighs 16 times the others
        for (Dataset v : new Dataset[] {val, val.withSampleWeights(w)}) {
            Network net = classifier(11);
            EpochSummary s = Trainer.builder().optimizer(new Adam(0.01)).epochs(1).batchSize(16).shuffle(2)
                    .metrics(Metric.accuracy()).build().fit(net, train, v).epochs().get(0);
            // the cost as the network computes it: from the softmax's z (Network.costFromPreActivation)
            Tensor out = Tensor.zeros(val.size(), 3), z = Tensor.zeros(val.size(), 3);
            net.predict(val.features(), out, z);
            double expected = net.lossOf(out, z, val.targets(), v.isWeighted() ? v.sampleWeights() : null);
            assertEquals(expected, s.validationLoss(), 1e-12, v.toString());
            if (v.isWeighted()) {
                assertNotEquals(net.lossOf(out, z, val.targets(), null), s.validationLoss(), 1e-3);
            }
            assertEquals(Metrics.accuracy(out, val.targets()), s.validationMetrics().get("accuracy"), 1e-12);
        }
    }

    /**
     * A weighted run resumes to the bits of the uninterrupted one: the trainer's state holds no data, and
     * the same weighted data gives the same batches and weights again.
     */
    @Test
    void aWeightedRunResumesToTheUninterruptedOne() {
        Dataset data = TrainerTest.blobs(70, 8).withBalancedClassWeights();
        float[] w = data.sampleWeights().data().clone();
        for (int i = 0; i < w.length; i += 4) w[i] *= 3f;
        Dataset weighted = data.withSampleWeights(w);
        Network straight = classifier(9);
        resumable(List.of()).fit(straight, weighted);

        Network first = classifier(9);
        AtomicReference<Trainer> trainer = new AtomicReference<>();
        AtomicReference<TrainingState> saved = new AtomicReference<>();
        trainer.set(resumable(List.of(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochSummary s) {
                if (s.epoch() == 2) {
                    saved.set(trainer.get().state(first));
                    trainer.get().requestStop();
                }
            }
        })));
        trainer.get().fit(first, weighted);
        Network resumed = classifier(1234);
        Trainer second = resumable(List.of());
        second.restore(resumed, saved.get());
        second.fit(resumed, weighted);
        assertEquals(ParameterSnapshot.of(straight), ParameterSnapshot.of(resumed));
    }

    static Trainer resumable(List<TrainingListener> listeners) {
        Trainer.Builder b = Trainer.builder().optimizer(new Adam(0.01)).epochs(4).batchSize(16).shuffle(3);
        for (TrainingListener l : listeners) b.listener(l);
        return b.build();
    }

    /**
     * Fraud-like data: class 1 is 1 row in 25, its blob overlapping class 0's. Unweighted, the network
     * mostly predicts the majority class and finds few class-1 rows of a balanced test set; with balanced
     * class weights (n / (2 count_c): 0.52 and 12.5) it finds most of them. Deterministic (seeds).
     */
    @Test
    void classWeightsRaiseTheMinorityClassRecall() {
        Dataset train = imbalanced(1000, 25, 21), test = imbalanced(400, 2, 22);
        double[] recall = new double[2];
        for (int run = 0; run < 2; run++) {
            Network net = Network.builder(2).dense(8, Activation.tanh()).dense(2, Activation.softmax())
                    .loss(Loss.categoricalCrossEntropy()).seed(5).backend(backend()).build();
            Trainer.builder().optimizer(new Adam(0.01)).epochs(15).batchSize(32).shuffle(4).build()
                    .fit(net, run == 0 ? train : train.withBalancedClassWeights());
            recall[run] = ConfusionMatrix.of(net.predict(test.features()), test.targets()).recall(1);
        }
        assertTrue(recall[0] < 0.5 && recall[1] > 0.75, "minority recall unweighted " + recall[0] + ", balanced " + recall[1]);
    }

    /** n rows, one in every `every` of class 1 (centre (1, 1)), the rest class 0 (centre (0, 0)), noise 0.7. */
    static Dataset imbalanced(int n, int every, long seed) {
        Random r = new Random(seed);
        Tensor x = Tensor.zeros(n, 2);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % every == 0 ? 1 : 0;
            x.set(i, 0, (float) (labels[i] + 0.7 * r.nextGaussian()));
            x.set(i, 1, (float) (labels[i] + 0.7 * r.nextGaussian()));
        }
        return Dataset.ofLabels(x, labels, 2);
    }

    /**
     * A Dataset's weights are checked when set, but its tensor is writable: fit checks them again before
     * training, for the training and the validation set, naming the row.
     */
    @Test
    void weightsChangedAfterTheyWereSetAreRefused() {
        Dataset train = TrainerTest.blobs(30, 1).withSampleWeights(ones(30));
        train.sampleWeights().data()[7] = Float.NaN;
        Trainer trainer = Trainer.builder().optimizer(new Adam(0.01)).epochs(1).build();
        String m = assertThrows(IllegalArgumentException.class, () -> trainer.fit(classifier(1), train)).getMessage();
        assertTrue(m.startsWith("train data: the sample weight of row 7 is NaN; the Dataset's weights were valid when set"), m);
        Dataset val = TrainerTest.blobs(30, 2).withSampleWeights(ones(30));
        java.util.Arrays.fill(val.sampleWeights().data(), 0f);
        m = assertThrows(IllegalArgumentException.class, () -> trainer.fit(classifier(1), TrainerTest.blobs(30, 1), val))
                .getMessage();
        assertTrue(m.startsWith("validation data: every sample weight is 0"), m);
    }
    @Test
    void aValidationSplitPartOfOnlyZeroWeightRowsIsRefusedNamingTheSetting() {
        // 100 rows of which only rows 0 and 99 have a weight: a 20% validation part without either
        Tensor x = Tensor.zeros(100, 2);
        int[] labels = new int[100];
        for (int i = 0; i < 100; i++) {
            labels[i] = i % 2;
            x.set(i, 0, i % 2);
        }
        float[] w = new float[100];
        w[0] = 1;
        w[99] = 1;
        Dataset d = Dataset.ofLabels(x, labels, 2).withSampleWeights(w);
        for (boolean stratified : new boolean[] {false, true}) {
            Trainer.Builder b = Trainer.builder().optimizer(new Sgd(0.1)).epochs(1).batchSize(16).shuffle(1);
            Trainer t = (stratified ? b.stratifiedValidationSplit(0.2) : b.validationSplit(0.2)).build();
            Network n = Network.builder(2).dense(2, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).seed(3)
                    .backend(ScalarBackend.INSTANCE).build();
            String m = assertThrows(IllegalArgumentException.class, () -> t.fit(n, d)).getMessage();
            String setting = stratified ? "stratifiedValidationSplit(0.2)" : "validationSplit(0.2)";
            assertTrue(m.startsWith(setting + " of the 100 train rows: the second (validation) part of this split at"
                    + " firstFraction 0.8 holds 20 rows that all have sample weight 0 (98 of the 100 rows have weight 0)"), m);
            // not the advice for targets without a class, nor to drop the weights (the training part would lose them)
            assertFalse(m.contains("instead of stratifiedValidationSplit") || m.contains("withoutSampleWeights"), m);
        }
        // Dataset.split names the part too (rows 50..99 all of weight 0)
        float[] first = new float[100];
        first[0] = 1;
        Dataset one = Dataset.ofLabels(x, labels, 2).withSampleWeights(first);
        String m = assertThrows(IllegalArgumentException.class, () -> one.split(0.5)).getMessage();
        assertTrue(m.startsWith("the second (validation) part of this split at firstFraction 0.5 holds 50 rows that all"
                + " have sample weight 0 (99 of the 100 rows have weight 0)"), m);
    }
}
