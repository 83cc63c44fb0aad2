package org.bpnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bpnn.metrics.Metric;
import org.bpnn.optim.Adam;
import org.bpnn.train.EarlyStopping;
import org.bpnn.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * SparkTrainer.Builder's checks that need no Spark session (building a trainer starts none): an
 * early-stopping monitor that names neither "loss" nor a metric is refused by build(), as
 * Trainer.Builder.build() refuses it and in its words. It was refused only at fit, after a SparkData had
 * been read (or, for fit(df, format), just before the read), far from where the trainer was configured.
 */
class SparkTrainerBuilderTest {

    @Test
    void buildRefusesAnUnknownMonitorInTrainersWords() {
        EarlyStopping acc = EarlyStopping.patience(2).monitor("acc");
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> Trainer.builder()
                .optimizer(new Adam(0.01)).metrics(Metric.accuracy(), Metric.macroF1()).earlyStopping(acc).build());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.builder()
                .optimizer(new Adam(0.01)).metrics(Metric.accuracy(), Metric.macroF1()).earlyStopping(acc).build());
        assertEquals("early stopping monitors 'acc', which is not one of the trainer's metrics [accuracy, macro_f1]; did you"
                + " mean monitor(\"accuracy\")? Else add the metric with metrics(...) or monitor \"loss\"", s.getMessage());
        assertEquals(t.getMessage(), s.getMessage());
        // a metric monitored without adding it: the same refusal, at build
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.builder()
                .optimizer(new Adam(0.01)).earlyStopping(EarlyStopping.patience(2).monitor("accuracy")).build());
        assertEquals("early stopping monitors 'accuracy', which is not one of the trainer's metrics []; add it with"
                + " metrics(...) or monitor \"loss\"", none.getMessage());
    }

    @Test
    void buildAcceptsTheLossAndAMetricsName() {
        assertNotNull(SparkTrainer.builder().optimizer(new Adam(0.01)).earlyStopping(EarlyStopping.patience(2)).build());
        assertNotNull(SparkTrainer.builder().optimizer(new Adam(0.01)).metrics(Metric.accuracy())
                .earlyStopping(EarlyStopping.patience(2).monitor("accuracy")).build());
    }
}
