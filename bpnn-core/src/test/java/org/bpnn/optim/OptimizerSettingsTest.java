package org.bpnn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link BaseOptimizer#settings()} records for each kind, and that {@link OptimizerSettings#toOptimizer()} rebuilds it. */
class OptimizerSettingsTest {

    static List<BaseOptimizer> everyKind() {
        return List.of(
                new Sgd(0.05),
                new Momentum(0.03, 0.85),
                Momentum.nesterov(0.02, 0.95),
                new Adam(0.002, 0.8, 0.99, 1e-7),
                new AdamW(0.001, 0.85, 0.995, 1e-6, 0.02),
                new AdaGrad(0.07, 1e-9),
                new RmsProp(0.004, 0.95, 1e-7),
                new Adam(0.001).schedule(LearningRateSchedule.warmup(50, LearningRateSchedule.stepDecay(500, 0.3)))
                        .clipping(GradientClipping.byValue(2.5)).penalty(Penalty.elasticNet(1e-5, 3e-4)),
                new Sgd(0.1).schedule(LearningRateSchedule.cosine(1000, 10, 1e-5)).clipping(GradientClipping.byGlobalNorm(1))
                        .penalty(Penalty.l2(1e-4)),
                new RmsProp(0.01).schedule(LearningRateSchedule.exponential(0.999)));
    }

    @Test
    void eachKindRebuildsToTheSameConfiguration() {
        for (BaseOptimizer o : everyKind()) {
            OptimizerSettings s = o.settings();
            BaseOptimizer rebuilt = s.toOptimizer();
            assertEquals(o.toString(), rebuilt.toString(), "rebuilt from " + s);
            assertEquals(s, rebuilt.settings());
            assertEquals(List.of(), s.differences(rebuilt.settings()));
        }
    }

    @Test
    void theValuesAreNamedAndOrdered() {
        OptimizerSettings s = new AdamW(0.001, 0.85, 0.995, 1e-6, 0.02).penalty(Penalty.l1(1e-5)).settings();
        assertEquals("adamw", s.optimizer());
        assertEquals(List.of("learning_rate", "beta1", "beta2", "epsilon", "weight_decay", "l1_penalty"),
                List.copyOf(s.values().keySet()));
        assertEquals(0.85f, s.value("beta1"));
        assertEquals("LearningRateSchedule.constant()", s.schedule());
        assertEquals(0.9f, Momentum.nesterov(0.1, 0.9).settings().value("momentum"));
        assertEquals("nesterov", Momentum.nesterov(0.1, 0.9).settings().optimizer());
    }

    @Test
    void aScheduleOfYourOwnIsComparedByItsTextButNotRebuilt() {
        LearningRateSchedule mine = new LearningRateSchedule() {
            @Override
            public double rate(double baseRate, long step) {
                return baseRate / (1 + step);
            }

            @Override
            public String toString() {
                return "inverseTime()";
            }
        };
        OptimizerSettings s = new Adam(0.001).schedule(mine).settings();
        assertEquals("inverseTime()", s.schedule());
        IllegalStateException e = assertThrows(IllegalStateException.class, s::toOptimizer);
        assertTrue(e.getMessage().contains("inverseTime()"), e.getMessage());
        assertEquals(List.of("schedule: checkpoint inverseTime(), trainer LearningRateSchedule.constant()"),
                s.differences(new Adam(0.001).settings()));
        // two schedules of your own are not compared (a lambda's text differs from run to run): no difference
        assertEquals(List.of(), s.differences(new Adam(0.001).schedule((alpha, t) -> alpha).settings()));
    }

    @Test
    void anUnknownKindCannotBeRebuilt() {
        OptimizerSettings s = new OptimizerSettings("lion", Map.of("learning_rate", 1e-4f), "LearningRateSchedule.constant()");
        assertTrue(assertThrows(IllegalStateException.class, s::toOptimizer).getMessage().contains("'lion'"));
    }
}
