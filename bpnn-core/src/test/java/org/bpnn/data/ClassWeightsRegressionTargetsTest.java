package org.bpnn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Class weights on targets that are no classes (a regression's values, class numbers in one column) are
 * refused in the words of weighting, with withSampleWeights for a regression: the class metrics' refusal
 * they got ended "for a regression use Metric.mse(), rmse(), mae() or r2()", which answered a question
 * nobody asked of a method that weighs rows.
 */
class ClassWeightsRegressionTargetsTest {

    private static String refusal(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void regressionTargetsInOneColumnArePointedToSampleWeights() {
        Dataset d = new Dataset(Tensor.zeros(3, 1), Tensor.wrap(3, 1, new float[] {0.25f, 17.5f, 2f}));
        String tail = " weighs each row by its class, but target of row 1 is 17.5: class targets are 0/1 labels in one"
                + " column (class numbers 0, 1, 2, ... in one column: one-hot encode them with OneHot.encode, or CsvReader's"
                + " oneHot(true)). For regression targets give each row its weight with withSampleWeights(...)";
        assertEquals("withClassWeights" + tail, refusal(() -> d.withClassWeights(1f, 2f)));
        assertEquals("balancedClassWeights" + tail, refusal(d::balancedClassWeights));
        assertEquals("balancedClassWeights" + tail, refusal(d::withBalancedClassWeights));
    }

    @Test
    void aValueOutsideZeroOneInOneOfSeveralColumnsIsNamedByColumnAndRow() {
        Dataset d = new Dataset(Tensor.zeros(2, 1), Tensor.wrap(2, 2, new float[] {1f, 0f, 0f, -3f}));
        assertEquals("withClassWeights weighs each row by its class, but target 1 of row 1 is -3.0: class targets are"
                + " one-hot rows (OneHot.encode), values in [0, 1]. For regression targets give each row its weight with"
                + " withSampleWeights(...)", refusal(() -> d.withClassWeights(1f, 2f)));
    }
}
