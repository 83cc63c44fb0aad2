package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A metric name the history does not have, as a reader copies it from the table or the progress lines
 * (val_accuracy) or Keras' history: the refusal says which call reads it. It said "no metric named
 * 'val_accuracy'; this history has [accuracy] (add metrics with the trainer builder's metrics(...))", advice
 * that does not apply to a metric the trainer had.
 */
class HistoryMetricNameAdviceTest {

    private static TrainingHistory history() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", 0.5);
        m.put("recall_1", 0.25);
        EpochSummary e = new EpochSummary(1, 1, 1.0, 2.0, m, m, 0.1, 0, 1.0, true, true);
        return TrainingHistory.of(List.of(e), 1, TrainingHistory.Ending.COMPLETED, false);
    }

    private static String refusal(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void aValPrefixedNameIsPointedToValidationMetricOfTheBareName() {
        TrainingHistory h = history();
        String expected = "no metric named 'val_accuracy'; this history has [accuracy, recall_1]; metrics are recorded by"
                + " their bare name, and the val_ of the table and the progress lines marks the validation set's values:"
                + " read validationMetric(\"accuracy\")";
        assertEquals(expected, refusal(() -> h.validationMetric("val_accuracy")));
        assertEquals(expected, refusal(() -> h.trainMetric("val_accuracy")));
    }

    @Test
    void theLossIsPointedToItsOwnReaders() {
        TrainingHistory h = history();
        assertEquals("no metric named 'val_loss'; this history has [accuracy, recall_1]; the loss is not a metric: read"
                + " validationLoss()", refusal(() -> h.validationMetric("val_loss")));
        assertEquals("no metric named 'loss'; this history has [accuracy, recall_1]; the loss is not a metric: read"
                + " trainLoss() or validationLoss()", refusal(() -> h.trainMetric("loss")));
    }

    @Test
    void aNearNameIsOffered() {
        TrainingHistory h = history();
        assertEquals("no metric named 'acc'; this history has [accuracy, recall_1]; did you mean 'accuracy'? Else add the"
                + " metric with the trainer builder's metrics(...)", refusal(() -> h.trainMetric("acc")));
        assertEquals("no metric named 'val_recall'; this history has [accuracy, recall_1]; did you mean 'recall_1'? (the"
                + " bare name: validationMetric reads the validation set's values) Else add the metric with"
                + " the trainer builder's metrics(...)", refusal(() -> h.validationMetric("val_recall")));
    }
}
