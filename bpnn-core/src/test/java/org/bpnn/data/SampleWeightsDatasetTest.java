package org.bpnn.data;

import static org.bpnn.data.DataTest.message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Dataset's sample and class weights: checked when set, kept by every derived set, derived from classes. */
class SampleWeightsDatasetTest {

    /** Row i has features (i, 10 i), target (i), weight i + 1 (so a row's weight names it). */
    static Dataset weighted(int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = i + 1;
        return DataTest.numbered(n).withSampleWeights(w);
    }

    @Test
    void weightsAreCheckedWhenSet() {
        Dataset d = DataTest.numbered(3);
        assertFalse(d.isWeighted());
        assertNull(d.sampleWeights());
        assertTrue(message(() -> d.withSampleWeights((float[]) null)).startsWith("weights are null; pass one sample weight per row (3)"));
        assertEquals("got 2 sample weights for 3 rows; pass one per row, in the rows' order",
                message(() -> d.withSampleWeights(1f, 1f)));
        for (float bad : new float[] {-0.5f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}) {
            assertTrue(message(() -> d.withSampleWeights(1f, 1f, bad)).startsWith("the sample weight of row 2 is " + bad
                    + "; sample weights must be finite and >= 0"), "" + bad);
        }
        assertTrue(message(() -> d.withSampleWeights(0f, 0f, 0f)).startsWith("all 3 sample weights are 0"));
        // copied: the caller's array can change afterwards
        float[] w = {1f, 0f, 2f};
        Dataset dw = d.withSampleWeights(w);
        w[0] = -1f;
        assertArrayEquals(new float[] {1f, 0f, 2f}, dw.sampleWeights().data());
        assertEquals("(3, 1)", dw.sampleWeights().shape());
        assertSame(d.features(), dw.features(), "the tensors are shared, as the constructor's");
        assertTrue(dw.toString().contains("sample-weighted"), dw.toString());
        assertFalse(dw.withoutSampleWeights().isWeighted());
        assertSame(d, d.withoutSampleWeights());
    }

    /** subset, shuffled, split and Normaliser.apply carry each row's weight with it. */
    @Test
    void weightsFollowTheirRows() {
        Dataset d = weighted(10);
        for (Dataset part : new Dataset[] {d.subset(new int[] {3, 3, 7}), d.shuffled(5), d.split(0.6).first(), d.split(0.6).second(),
                d.split(0.3, 9).first(), d.split(0.3, 9).second(), Normaliser.standardise(d).apply(d)}) {
            assertTrue(part.isWeighted(), part.toString());
            for (int i = 0; i < part.size(); i++) {
                // row i of the original has target i (numbered), Normaliser leaves the targets as they are
                assertEquals(part.targets().get(i, 0) + 1, part.sampleWeights().get(i, 0), 0f, "row " + i + " of " + part);
            }
        }
        assertFalse(DataTest.numbered(4).shuffled(1).isWeighted());
    }

    /** A subset (or split part) whose rows all weigh 0 is refused: it would train nothing and its weighted loss is 0. */
    @Test
    void aSubsetOfZeroWeightRowsIsRefused() {
        Dataset d = DataTest.numbered(4).withSampleWeights(0f, 0f, 1f, 1f);
        String m = message(() -> d.subset(new int[] {0, 1}));
        assertTrue(m.startsWith("the 2 rows of this dataset all have sample weight 0"), m);
        m = message(() -> d.split(0.5)); // a split names its part and does not advise dropping the weights
        assertTrue(m.startsWith("the first (train) part of this split at firstFraction 0.5 holds 2 rows that all have"
                + " sample weight 0 (2 of the 4 rows have weight 0)"), m);
        assertEquals(1, d.subset(new int[] {0, 2}).sampleWeights().get(1, 0), 0f);
    }

    static Dataset labels(int... labels) {
        Tensor x = Tensor.zeros(labels.length, 1);
        int classes = 0;
        for (int l : labels) classes = Math.max(classes, l + 1);
        return Dataset.ofLabels(x, labels, Math.max(classes, 2));
    }

    @Test
    void classWeightsWeighEachRowByItsClass() {
        Dataset d = labels(0, 1, 2, 1, 0, 0);
        assertArrayEquals(new float[] {1f, 5f, 0.5f, 5f, 1f, 1f}, d.withClassWeights(1f, 5f, 0.5f).sampleWeights().data());
        // multiplied into existing sample weights, as Keras multiplies sample_weight by class_weight
        Dataset dw = d.withSampleWeights(2f, 1f, 1f, 0f, 1f, 3f).withClassWeights(1f, 5f, 0.5f);
        assertArrayEquals(new float[] {2f, 5f, 0.5f, 0f, 1f, 3f}, dw.sampleWeights().data());
        // one column of 0/1 labels (a sigmoid output): classes 0 and 1, read as the class metrics read them
        Tensor y = Tensor.wrap(4, 1, new float[] {0f, 1f, 0f, 0.9f});
        Dataset binary = new Dataset(Tensor.zeros(4, 1), y);
        assertArrayEquals(new float[] {1f, 100f, 1f, 100f}, binary.withClassWeights(1f, 100f).sampleWeights().data());
        String m = message(() -> binary.withClassWeights(1f, 2f, 3f));
        assertTrue(m.startsWith("got 3 class weights, expected 2: one per class (one target column holds 0/1 labels"), m);
        m = message(() -> d.withClassWeights(1f, 2f));
        assertTrue(m.startsWith("got 2 class weights, expected 3: one per class (one per target column)"), m);
        assertTrue(message(() -> d.withClassWeights((float[]) null)).startsWith("got null class weights, expected 3"));
        m = message(() -> d.withClassWeights(1f, -1f, 1f));
        assertTrue(m.startsWith("the weight of class 1 is -1.0; class weights must be finite and >= 0"), m);
        m = message(() -> labels(1, 1).withClassWeights(1f, 0f));
        assertTrue(m.startsWith("with class weights [1.0, 0.0] every row of this dataset has weight 0"), m);
        m = message(() -> labels(0, 1).withSampleWeights(3e38f, 1f).withClassWeights(10f, 1f));
        assertTrue(m.startsWith("row 0's sample weight 3.0E38 times its class 0's weight 10.0 overflows float"), m);
        // a row without a class is refused in the class metrics' words
        Dataset noClass = new Dataset(Tensor.zeros(2, 1), Tensor.wrap(2, 2, new float[] {1f, 0f, 0f, 0f}));
        m = message(() -> noClass.withClassWeights(1f, 1f));
        assertTrue(m.startsWith("target row 1 has no single class"), m);
    }

    /** scikit-learn's rule n / (classes * count_c): 8 rows, 6 of class 0 and 2 of class 1 give 8/12 and 8/4. */
    @Test
    void balancedClassWeights() {
        Dataset d = labels(0, 0, 1, 0, 0, 0, 1, 0);
        assertArrayEquals(new float[] {(float) (8.0 / 12), 2f}, d.balancedClassWeights());
        Dataset b = d.withBalancedClassWeights();
        double sum = 0;
        for (float v : b.sampleWeights().data()) sum += v;
        assertEquals(8, sum, 1e-5, "the balanced weights have mean 1 over the rows");
        String m = message(() -> labels(0, 0, 2, 2).balancedClassWeights());
        assertTrue(m.startsWith("class 1 has no rows among the 4, so its balanced weight n / (classes * count) is undefined"), m);
    }
}
