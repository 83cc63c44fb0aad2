package org.bpnn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Which losses classify (a class can be read from their outputs) and which regress. */
class LossKindTest {
    @Test
    void theCrossEntropiesClassifyAndTheRegressionLossesDoNot() {
        for (Loss loss : new Loss[] {Loss.binaryCrossEntropy(), Loss.binaryCrossEntropyFromLogits(),
                Loss.categoricalCrossEntropy(), Loss.categoricalCrossEntropyFromLogits()}) {
            assertEquals(true, loss.classification(), loss.name());
        }
        for (Loss loss : new Loss[] {Loss.mse(), Loss.mae(), Loss.huber(1)}) {
            assertEquals(false, loss.classification(), loss.name());
        }
    }
}
