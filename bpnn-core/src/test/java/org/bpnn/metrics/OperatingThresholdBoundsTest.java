package org.bpnn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The edges of PrecisionRecallCurve's threshold pickers: adjacent float scores, a midpoint that lands on 0
 * or 1 (neither is a threshold strictly between 0 and 1), a point whose precision equals the minimum
 * exactly, a later point of equal recall, the fractions 0 and 1, and toString.
 */
class OperatingThresholdBoundsTest {
    private static PrecisionRecallCurve curve(float[] scores, float[] labels) {
        return Metrics.precisionRecallCurve(Tensor.wrap(scores.length, 1, scores), Tensor.wrap(labels.length, 1, labels));
    }

    @Test
    void adjacentScoresAreSeparatedByTheHigherItself() {
        float below = 0.5f, s = Math.nextUp(below);
        // (0.5 + s) / 2 is exactly halfway and rounds to the even 0.5f, which would call the negative class 1 too
        assertEquals(below, (float) (((double) below + s) / 2));
        PrecisionRecallCurve c = curve(new float[] {s, below}, new float[] {1, 0});
        assertEquals(s, c.operatingThreshold(0));
    }

    @Test
    void aMidpointOfZeroOrOneIsNoThreshold() {
        // logits -1 and 1: the midpoint is 0, not strictly between 0 and 1
        PrecisionRecallCurve logits = curve(new float[] {1f, -1f}, new float[] {1, 0});
        assertThrows(IllegalArgumentException.class, () -> logits.operatingThreshold(0));
        // 1 and the float below it: the midpoint rounds to 1.0f
        float justBelowOne = Math.nextDown(1f);
        assertEquals(1f, (float) ((1.0 + justBelowOne) / 2));
        PrecisionRecallCurve top = curve(new float[] {1f, justBelowOne}, new float[] {1, 0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> top.operatingThreshold(0));
        assertTrue(e.getMessage().startsWith("point 0 (score 1.0, next lower 0.99999994)"), e.getMessage());
    }

    @Test
    void aPrecisionEqualToTheMinimumQualifies() {
        // points: 0.9 (tp 0, fp 1, precision 0), 0.8 (1, 1, 0.5), 0.1 (1, 2, 1/3)
        PrecisionRecallCurve c = curve(new float[] {0.9f, 0.8f, 0.1f}, new float[] {0, 1, 0});
        assertEquals((float) ((0.8 + 0.1) / 2), c.thresholdForPrecision(0.5), 1e-6f);
    }

    @Test
    void aLaterPointOfEqualRecallDoesNotWin() {
        // points: 0.9 (tp 1, fp 0, precision 1), 0.8 (1, 1, 0.5), 0.2 (1, 2, 1/3): points 0 and 1 have one
        // recall, and the first has the higher precision
        PrecisionRecallCurve c = curve(new float[] {0.9f, 0.8f, 0.2f}, new float[] {1, 0, 0});
        float first = c.operatingThreshold(0);
        assertEquals(0.85f, first, 1e-6f);
        assertEquals(first, c.thresholdForPrecision(0.5));
        // the fractions' bounds are accepted
        assertEquals(first, c.thresholdForPrecision(0.0));
        assertEquals(first, c.thresholdForPrecision(1.0));
        assertEquals(first, c.thresholdForRecall(0.0));
        assertEquals(first, c.thresholdForRecall(1.0));
    }

    @Test
    void toStringShowsAtMostEightThresholds() {
        assertEquals("PrecisionRecallCurve[3 points, 1 positives, thresholds [0.9, 0.8, 0.2]]",
                curve(new float[] {0.9f, 0.8f, 0.2f}, new float[] {1, 0, 0}).toString());
        float[] s = {0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f, 0.3f, 0.2f}, y = {1, 0, 1, 0, 1, 0, 1, 0};
        assertEquals("PrecisionRecallCurve[8 points, 4 positives, thresholds [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2]]",
                curve(s, y).toString());
        float[] s9 = {0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f, 0.3f, 0.2f, 0.1f}, y9 = {1, 0, 1, 0, 1, 0, 1, 0, 0};
        assertEquals("PrecisionRecallCurve[9 points, 4 positives, thresholds [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2]...]",
                curve(s9, y9).toString());
    }
}
