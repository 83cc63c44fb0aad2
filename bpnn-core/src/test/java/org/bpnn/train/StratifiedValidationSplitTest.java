package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.data.Dataset;
import org.bpnn.data.OneHot;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.nn.Rng;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Trainer.Builder.stratifiedValidationSplit: the held-out part keeps each class's share. */
class StratifiedValidationSplitTest {

    /** 97 rows of class 0 then 3 of class 1, one-hot, two noisy features. */
    static Dataset imbalanced() {
        Random r = new Random(4);
        Tensor x = Tensor.zeros(100, 2);
        int[] labels = new int[100];
        for (int i = 0; i < 100; i++) {
            labels[i] = i < 97 ? 0 : 1;
            x.set(i, 0, (float) (labels[i] + 0.3 * r.nextGaussian()));
            x.set(i, 1, (float) (r.nextGaussian()));
        }
        return Dataset.ofLabels(x, labels, 2);
    }

    static int rare(Dataset part) {
        int n = 0;
        for (int c : OneHot.decode(part.targets())) n += c;
        return n;
    }

    static Network net() {
        return Network.builder(2).dense(4, Activation.tanh()).dense(2, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(3).backend(ScalarBackend.INSTANCE).build();
    }

    static Trainer.Builder builder(long seed) {
        return Trainer.builder().optimizer(new Sgd(0.1)).epochs(3).batchSize(16).shuffle(seed);
    }

    @Test
    void theHeldOutPartKeepsTheRareClass() {
        Dataset d = imbalanced();
        // shuffle seed 1: the plain 20% validation split holds out none of the 3 rare rows
        assertEquals(0, rare(builder(1).validationSplit(0.2).build().validationSplit(d, 0.2).validation()));
        Trainer t = builder(1).stratifiedValidationSplit(0.2).build();
        Dataset.Split parts = t.validationSplit(d, 0.2);
        assertEquals(80, parts.train().size());
        assertEquals(2, rare(parts.train()));
        assertEquals(1, rare(parts.validation()));
        // Dataset.stratifiedSplit with the seed the plain split uses
        Dataset.Split expected = d.stratifiedSplit(0.8, Rng.derive(1, 1));
        assertArrayEquals(expected.train().features().data(), parts.train().features().data());
        assertArrayEquals(expected.validation().features().data(), parts.validation().features().data());
    }

    @Test
    void fitHoldsOutTheStratifiedParts() {
        Dataset d = imbalanced();
        Network a = net(), b = net(), c = net();
        Trainer stratified = builder(1).stratifiedValidationSplit(0.2).build();
        TrainingHistory ha = stratified.fit(a, d);
        Dataset.Split parts = stratified.validationSplit(d, 0.2);
        TrainingHistory hb = builder(1).build().fit(b, parts.train(), parts.validation());
        assertArrayEquals(hb.validationLoss(), ha.validationLoss());
        assertEquals(ParameterSnapshot.of(b), ParameterSnapshot.of(a));
        // and not the plain split's rows
        TrainingHistory hc = builder(1).validationSplit(0.2).build().fit(c, d);
        assertFalse(java.util.Arrays.equals(hc.validationLoss(), ha.validationLoss()));
    }

    @Test
    void twoPositivesAreSplitOneEachSoThatAucCanBeValidated() {
        // 98 negatives and 2 positives: at 0.2 the positives' share of the training part is 1.6, which largest
        // remainders rounded to both, and fit refused AUC on a validation part without a positive
        Random r = new Random(5);
        Tensor x = Tensor.zeros(100, 2);
        int[] labels = new int[100];
        for (int i = 0; i < 100; i++) {
            labels[i] = i < 98 ? 0 : 1;
            x.set(i, 0, (float) (labels[i] + 0.3 * r.nextGaussian()));
        }
        Dataset d = Dataset.ofLabels(x, labels, 2);
        Trainer t = builder(1).stratifiedValidationSplit(0.2).metrics(org.bpnn.metrics.Metric.auc()).build();
        assertEquals(1, rare(t.validationSplit(d, 0.2).validation()));
        TrainingHistory h = t.fit(net(), d);
        assertEquals(3, h.epochs().size());
        assertTrue(h.epochs().get(2).validationMetrics().containsKey("auc"));
    }

    @Test
    void targetsWithoutOneClassAreRefusedBeforeTraining() {
        Tensor x = Tensor.zeros(10, 2), y = Tensor.zeros(10, 2);
        for (int i = 0; i < 10; i++) y.set(i, i % 2, 1f);
        y.set(6, 0, 0.5f); // a soft label
        Dataset d = new Dataset(x, y);
        Network n = net();
        ParameterSnapshot before = ParameterSnapshot.of(n);
        String m = assertThrows(IllegalArgumentException.class,
                () -> builder(1).stratifiedValidationSplit(0.2).build().fit(n, d)).getMessage();
        assertEquals("stratifiedValidationSplit, train data: target row 6 has 0.5 in column 0, neither 0 nor 1;"
                + " stratifiedSplit needs one class per row: one-hot rows (OneHot.encode), a 1 in the class's column and 0 in the others. For"
                + " regression, multi-label or soft-label targets use split(firstFraction, seed); on a Trainer,"
                + " validationSplit(0.2) instead of stratifiedValidationSplit", m);
        assertEquals(before, ParameterSnapshot.of(n), "nothing trained");
    }

    @Test
    void theSettingIsNamedAndTheLastOneWins() {
        assertTrue(builder(1).stratifiedValidationSplit(0.25).build().toString().contains("\n    .stratifiedValidationSplit(0.25)\n"));
        String plain = builder(1).stratifiedValidationSplit(0.25).validationSplit(0.3).build().toString();
        assertTrue(plain.contains("\n    .validationSplit(0.3)\n") && !plain.contains("stratified"), plain);
        Dataset d = imbalanced();
        // the last call wins both ways: plain after stratified splits plainly (seed 1 leaves the rare class out)
        assertEquals(0, rare(builder(1).stratifiedValidationSplit(0.2).validationSplit(0.2).build().validationSplit(d, 0.2).validation()));
        assertEquals(1, rare(builder(1).validationSplit(0.2).stratifiedValidationSplit(0.2).build().validationSplit(d, 0.2).validation()));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Trainer.builder().stratifiedValidationSplit(1))
                .getMessage().contains("validation split must be in (0, 1), got 1.0"));
        String m = assertThrows(IllegalArgumentException.class,
                () -> builder(1).stratifiedValidationSplit(0.2).build().fit(net(), d, d)).getMessage();
        assertEquals("both a validation set and stratifiedValidationSplit(0.2) were given; pass one: drop"
                + " stratifiedValidationSplit or call fit(network, train)", m);
        // the empty-part refusal is the validation split's, as for the plain one
        m = assertThrows(IllegalArgumentException.class, () -> builder(1).stratifiedValidationSplit(0.001).build()
                .fit(net(), d)).getMessage();
        assertTrue(m.startsWith("a validation split of 0.001 of 100 samples leaves no samples to validate on"), m);
    }
}
