package org.bpnn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * The schedule records are public, being members of an interface, and their constructors
     * validated nothing: new StepDecay(0, 0.5) failed only at the first step, with "/ by zero", and a
     * negative gamma or minRate, or a warm-up as long as the run, were found late or not at all.
     */
    @Test
    void theRecordsConstructorsValidateAsTheFactoriesDo() {
        refused(() -> new LearningRateSchedule.StepDecay(0, 0.5), "step decay stepSize must be > 0 steps, got 0");
        refused(() -> new LearningRateSchedule.StepDecay(10, -0.5), "step decay gamma must be in (0, 1], got -0.5");
        refused(() -> new LearningRateSchedule.StepDecay(10, Double.NaN), "step decay gamma must be in (0, 1], got NaN");
        refused(() -> new LearningRateSchedule.Exponential(2), "exponential decay gamma must be in (0, 1], got 2.0");
        refused(() -> new LearningRateSchedule.Cosine(10, 10, 0), "cosine schedule needs totalSteps > warmupSteps >= 0");
        refused(() -> new LearningRateSchedule.Cosine(10, -1, 0), "cosine schedule needs totalSteps > warmupSteps >= 0");
        refused(() -> new LearningRateSchedule.Cosine(10, 2, -0.1), "cosine minRate must be finite and >= 0, got -0.1");
        // and the factories still give the records
        assertEquals(new LearningRateSchedule.StepDecay(10, 0.5), LearningRateSchedule.stepDecay(10, 0.5));
        assertEquals(new LearningRateSchedule.Cosine(10, 2, 0.0), LearningRateSchedule.cosine(10, 2, 0));
    }

    static void refused(Runnable r, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should contain '" + part + "'");
    }

    /** warmup(w, then): the cosine schedule's ramp, then {@code then} from its own step 0. */
    @Test
    void warmupThenStepDecay() {
        LearningRateSchedule s = LearningRateSchedule.warmup(4, LearningRateSchedule.stepDecay(10, 0.5));
        assertEquals(0.25, s.rate(1, 0), 0);   // (0 + 1) / 4
        assertEquals(0.75, s.rate(1, 2), 0);
        assertEquals(1.0, s.rate(1, 3), 0);    // the ramp ends at alpha
        assertEquals(1.0, s.rate(1, 4), 0);    // step decay's step 0
        assertEquals(1.0, s.rate(1, 13), 0);
        assertEquals(0.5, s.rate(1, 14), 0);   // its first decay, 10 steps after the warm-up
        assertEquals(0.25, s.rate(1, 24), 0);
        assertEquals(0.3, LearningRateSchedule.warmup(1, LearningRateSchedule.constant()).rate(0.3, 0), 0);
    }

    /** cosine(T, w, min) is warmup(w, cosine(T - w, 0, min)) bit for bit, as warmup's Javadoc says. */
    @Test
    void warmupBeforeCosineIsTheBuiltInWarmupBitForBit() {
        LearningRateSchedule builtIn = LearningRateSchedule.cosine(1000, 70, 0.001);
        LearningRateSchedule composed = LearningRateSchedule.warmup(70, LearningRateSchedule.cosine(930, 0, 0.001));
        for (long t = 0; t < 1100; t++) {
            assertEquals(Double.doubleToRawLongBits(builtIn.rate(0.01f, t)), Double.doubleToRawLongBits(composed.rate(0.01f, t)),
                    "step " + t);
        }
    }

    @Test
    void warmupValidatesAndPrintsItsFactoryCall() {
        refused(() -> LearningRateSchedule.warmup(0, LearningRateSchedule.constant()), "warm-up needs warmupSteps > 0, got 0");
        refused(() -> LearningRateSchedule.warmup(5, null), "the schedule after the warm-up is null");
        LearningRateSchedule s = LearningRateSchedule.warmup(500, LearningRateSchedule.stepDecay(5000, 0.5));
        assertEquals("LearningRateSchedule.warmup(500, LearningRateSchedule.stepDecay(5000, 0.5))", s.toString());
        assertEquals(s, LearningRateSchedule.warmup(500, LearningRateSchedule.stepDecay(5000, 0.5)));
    }
}
