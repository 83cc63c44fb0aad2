package org.bpnn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void constant() {
        assertEquals(0.1, LearningRateSchedule.constant().rate(0.1, 12345), 0);
    }

    @Test
    void stepDecay() {
        LearningRateSchedule s = LearningRateSchedule.stepDecay(10, 0.5);
        assertEquals(1.0, s.rate(1, 0), 1e-12);
        assertEquals(1.0, s.rate(1, 9), 1e-12);
        assertEquals(0.5, s.rate(1, 10), 1e-12);
        assertEquals(0.25, s.rate(1, 29), 1e-12);
        assertEquals(0.125, s.rate(1, 30), 1e-12);
    }

    @Test
    void exponential() {
        LearningRateSchedule s = LearningRateSchedule.exponential(0.9);
        assertEquals(2.0, s.rate(2, 0), 1e-12);
        assertEquals(2 * 0.729, s.rate(2, 3), 1e-12);
    }

    @Test
    void cosineWithoutWarmup() {
        LearningRateSchedule s = LearningRateSchedule.cosine(100);
        assertEquals(1.0, s.rate(1, 0), 1e-12);
        assertEquals(0.5, s.rate(1, 50), 1e-12);
        assertEquals((1 + Math.cos(Math.PI * 0.25)) / 2, s.rate(1, 25), 1e-12);
        assertEquals(0.0, s.rate(1, 100), 1e-12);
        assertEquals(0.0, s.rate(1, 1000), 1e-12);
    }

    @Test
    void cosineWithWarmupAndFloor() {
        LearningRateSchedule s = LearningRateSchedule.cosine(110, 10, 0.1);
        assertEquals(0.1, s.rate(1, 0), 1e-12);   // (0 + 1) / 10
        assertEquals(0.5, s.rate(1, 4), 1e-12);
        assertEquals(1.0, s.rate(1, 9), 1e-12);
        assertEquals(1.0, s.rate(1, 10), 1e-12);  // cosine starts at the peak
        assertEquals(0.55, s.rate(1, 60), 1e-12); // halfway: min + (1 - min) / 2
        assertEquals(0.1, s.rate(1, 110), 1e-12);
    }
}
