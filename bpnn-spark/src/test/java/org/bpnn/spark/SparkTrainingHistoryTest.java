package org.bpnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bpnn.train.EpochSummary;
import org.bpnn.train.TrainingHistory;
import org.junit.jupiter.api.Test;

/**
 * {@link SparkTrainingHistory#validationMetric} answers a name it lacks as {@link TrainingHistory} does
 * (with the call that reads it): it said "no metric named 'val_accuracy'; this history has [accuracy]
 * (add metrics with SparkTrainer.builder().metrics(...))" for a metric the trainer had. No Spark: the
 * history is a record of summaries.
 */
class SparkTrainingHistoryTest {

    /** Two epochs with accuracy and recall_1 on the validation set only, as SparkTrainer records them. */
    private static SparkTrainingHistory history() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", 0.5);
        m.put("recall_1", 0.25);
        return new SparkTrainingHistory(List.of(
                new EpochSummary(1, 2, 1.0, 2.0, Map.of(), m, 0.1, 0, 1.0, true, true),
                new EpochSummary(2, 2, 0.5, 1.5, Map.of(), m, 0.1, 0, 1.0, true, true)),
                4, 40, 1.0, 2, TrainingHistory.Ending.COMPLETED, false);
    }

    private static String refusal(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void aValPrefixedNameIsPointedToValidationMetricOfTheBareName() {
        SparkTrainingHistory h = history();
        assertEquals("no metric named 'val_accuracy'; this history has [accuracy, recall_1]; metrics are recorded by"
                + " their bare name, and the val_ of the table and the progress lines marks the validation set's values:"
                + " read validationMetric(\"accuracy\")", refusal(() -> h.validationMetric("val_accuracy")));
        assertEquals("no metric named 'val_loss'; this history has [accuracy, recall_1]; the loss is not a metric: read"
                + " validationLoss()", refusal(() -> h.validationMetric("val_loss")));
        assertArrayEquals(new double[] {0.5, 0.5}, h.validationMetric("accuracy"));
    }

    /**
     * The same advice as TrainingHistory's, which names no trainer's builder: naming Trainer's misled a
     * SparkTrainer's user, who also reads it through the history a listener's onTrainEnd gets.
     */
    @Test
    void theAdviceIsTrainingHistorysAndNamesNoOneTrainersBuilder() {
        SparkTrainingHistory h = history();
        assertEquals(refusal(() -> h.toTrainingHistory().validationMetric("val_recall")),
                refusal(() -> h.validationMetric("val_recall")));
        assertEquals("no metric named 'val_recall'; this history has [accuracy, recall_1]; did you mean 'recall_1'? (the"
                + " bare name: validationMetric reads the validation set's values) Else add the metric with"
                + " the trainer builder's metrics(...)", refusal(() -> h.validationMetric("val_recall")));
        assertEquals("no metric named 'r2'; this history has [accuracy, recall_1] (add metrics with"
                + " the trainer builder's metrics(...))", refusal(() -> h.validationMetric("r2")));
    }

    /**
     * validationLoss and metricNames read every epoch, as validationMetric does: they looked at the first
     * epoch only, so a history whose first epoch evaluated no validation set had no validation loss and
     * no metric names while validationMetric returned the later epochs' values.
     */
    @Test
    void validationValuesOfALaterEpochAreReadByEveryAccessor() {
        SparkTrainingHistory h = new SparkTrainingHistory(List.of(
                new EpochSummary(1, 2, 1.0, Double.NaN, Map.of(), Map.of(), 0.1, 0, 1.0, true, false),
                new EpochSummary(2, 2, 0.5, 1.5, Map.of(), Map.of("accuracy", 0.75), 0.1, 0, 1.0, true, true)),
                4, 40, 1.0, 2, TrainingHistory.Ending.COMPLETED, false);
        assertArrayEquals(new double[] {Double.NaN, 1.5}, h.validationLoss());
        assertEquals(List.of("accuracy"), h.metricNames());
        assertEquals(h.toTrainingHistory().metricNames(), h.metricNames());
    }

    /**
     * A null list or summary is refused in TrainingHistory.of's words, naming it: List.copyOf threw a
     * NullPointerException without a message.
     */
    @Test
    void aNullListOrSummaryIsRefusedNamingIt() {
        String m = refusal(() -> new SparkTrainingHistory(null, 0, 0, 0.0, 0, TrainingHistory.Ending.COMPLETED, false));
        assertEquals("epochs is null; pass the run's summaries (an empty list when no epoch ran)", m);
        java.util.List<EpochSummary> withNull = new java.util.ArrayList<>(history().epochs());
        withNull.add(null);
        m = refusal(() -> new SparkTrainingHistory(withNull, 4, 40, 1.0));
        assertEquals("epoch summary 2 is null; pass one EpochSummary per epoch run, in order", m);
    }

    @Test
    void toTrainingHistoryCarriesTheRun() {
        TrainingHistory t = history().toTrainingHistory();
        assertEquals(history().epochs(), t.epochs());
        assertEquals(2, t.bestEpoch());
        assertEquals(TrainingHistory.Ending.COMPLETED, t.endedBy());
    }
}
