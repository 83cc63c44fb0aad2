package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.data.Dataset;
import org.bpnn.nn.Network;
import org.bpnn.optim.Adam;
import org.bpnn.optim.BaseOptimizer;
import org.bpnn.optim.LearningRateSchedule;
import org.junit.jupiter.api.Test;

/**
 * The optimiser keeps its rate as a float; widened to double, 0.001f reached logs and listeners as
 * 0.0010000000474974513. The summary reports the float's shortest decimal, which is the same float.
 */
class EpochSummaryLearningRateTest {
    private final Dataset data = TrainerTest.blobs(40, 1);

    @Test
    void aConstantRateIsReportedAsWritten() {
        Network net = new TrainerTest().classifier(3, 0);
        Trainer t = Trainer.builder().optimizer(new Adam(0.001)).epochs(1).batchSize(8).shuffle(7).build();
        EpochSummary s = t.fit(net, data).epochs().get(0);
        assertEquals(0.001, s.learningRate(), 0.0);
        assertTrue(s.toString().contains("learningRate=0.001,"), s.toString());
    }

    @Test
    void aScheduledRateIsTheFloatTheLastUpdateUsed() {
        Network net = new TrainerTest().classifier(3, 0);
        Trainer t = Trainer.builder().optimizer(new Adam(0.01).schedule(LearningRateSchedule.cosine(20)))
                .epochs(2).batchSize(8).shuffle(7).build();
        EpochSummary s = t.fit(net, data).epochs().get(1);
        float used = ((BaseOptimizer) t.optimizer()).currentLearningRate();
        assertEquals(used, (float) s.learningRate(), 0f, "the same float");
        assertEquals(Float.toString(used), Double.toString(s.learningRate()), "its shortest decimal, not the widened float");
    }
}
