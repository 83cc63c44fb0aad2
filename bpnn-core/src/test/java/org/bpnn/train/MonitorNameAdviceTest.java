package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bpnn.metrics.Metric;
import org.bpnn.optim.Sgd;
import org.junit.jupiter.api.Test;

/**
 * The progress lines and the history name validation values val_loss and val_rmse, and a user writes
 * that as early stopping's monitor (Keras' monitor="val_loss"): the refusal said only "add it with
 * metrics(...)", of a metric that was already added. It now names the monitor to pass, and the nearest
 * name to a misspelt one ("acc" for "accuracy"). The names a trainer can monitor are known when it is
 * built, and build() refuses an unknown one (it was refused only when fit started).
 */
class MonitorNameAdviceTest {

    private static String refusal(String monitor, Metric... metrics) {
        return assertThrows(IllegalArgumentException.class, () -> Trainer.builder().optimizer(new Sgd(0.1)).epochs(2)
                .metrics(metrics).earlyStopping(EarlyStopping.patience(1).monitor(monitor)).build()).getMessage();
    }

    private static String refusal(String monitor) {
        return refusal(monitor, Metric.rmse(), Metric.mae());
    }

    @Test
    void anUnknownMonitorIsRefusedWhenTheTrainerIsBuilt() {
        // whichever of metrics(...) and earlyStopping(...) comes first
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder().optimizer(new Sgd(0.1))
                .earlyStopping(EarlyStopping.patience(1).monitor("acc")).metrics(Metric.accuracy()).build());
        // a known one is built, before and after its metric is added
        Trainer.builder().optimizer(new Sgd(0.1)).earlyStopping(EarlyStopping.patience(1).monitor("accuracy"))
                .metrics(Metric.accuracy()).build();
        Trainer.builder().optimizer(new Sgd(0.1)).earlyStopping(EarlyStopping.patience(1).monitor("loss")).build();
    }

    @Test
    void aValPrefixedMetricNameIsPointedToTheBareName() {
        String m = refusal("val_rmse");
        assertTrue(m.startsWith("early stopping monitors 'val_rmse', which is not one of the trainer's metrics [rmse, mae]"), m);
        assertTrue(m.contains("monitor(\"rmse\") reads the validation set's value"), m);
        assertTrue(!m.contains("add it with metrics"), m);
    }

    @Test
    void valLossIsPointedToLoss() {
        String m = refusal("val_loss");
        assertTrue(m.contains("monitor(\"loss\") reads the validation set's value"), m);
    }

    @Test
    void anotherCaseIsPointedToTheMetric() {
        assertTrue(refusal("RMSE").contains("names are case-sensitive: monitor(\"rmse\")"), refusal("RMSE"));
        assertTrue(refusal("val_MAE").contains("case-sensitive and have no val_ prefix: monitor(\"mae\")"), refusal("val_MAE"));
    }

    @Test
    void aNameThatBeginsAMetricsOrIsOneTypoAwayIsSuggested() {
        assertEquals("early stopping monitors 'acc', which is not one of the trainer's metrics [accuracy, macro_f1]; did you"
                + " mean monitor(\"accuracy\")? Else add the metric with metrics(...) or monitor \"loss\"",
                refusal("acc", Metric.accuracy(), Metric.macroF1()));
        assertTrue(refusal("val_acc", Metric.accuracy()).contains("did you mean monitor(\"accuracy\")? (the bare name: it"
                + " reads the validation set's value when fit has one)"), refusal("val_acc", Metric.accuracy()));
        assertTrue(refusal("rsme").contains("did you mean monitor(\"rmse\")?"), refusal("rsme"));
        assertTrue(refusal("accuarcy", Metric.accuracy()).contains("did you mean monitor(\"accuracy\")?"));
        assertTrue(refusal("los").contains("did you mean monitor(\"loss\")?"), refusal("los"));
        // two as near: both
        assertTrue(refusal("mse").contains("did you mean monitor(\"rmse\") or monitor(\"mae\")?"), refusal("mse"));
    }

    @Test
    void anUnknownNameStillAsksToAddIt() {
        assertTrue(refusal("r2").endsWith("; add it with metrics(...) or monitor \"loss\""), refusal("r2"));
        assertTrue(refusal("accuracy").endsWith("; add it with metrics(...) or monitor \"loss\""), refusal("accuracy"));
    }

    @Test
    void otherTrainersGetTheSameRefusal() {
        // bpnn-spark's SparkTrainer checks when it is built, with Trainer.requireMonitor
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.requireMonitor(EarlyStopping.patience(1).monitor("acc"), List.of(Metric.accuracy())));
        assertEquals(refusal("acc", Metric.accuracy()), e.getMessage());
        assertEquals(0, Trainer.requireMonitor(EarlyStopping.patience(1).monitor("accuracy"), List.of(Metric.accuracy())));
        // the index of the monitored metric among several, and -1 for the loss or no early stopping
        assertEquals(1, Trainer.requireMonitor(EarlyStopping.patience(1).monitor("rmse"), List.of(Metric.mae(), Metric.rmse())));
        assertEquals(-1, Trainer.requireMonitor(EarlyStopping.patience(1), List.of(Metric.mae(), Metric.rmse())));
        assertEquals(-1, Trainer.requireMonitor(null, List.of(Metric.mae())));
    }

    @Test
    void suggestedMonitorsAreTheNamesTheRefusalOffers() {
        // each rule of the refusal: the bare name, the name in its case, the nearest (two as near: both, in order), none
        List<Metric> regression = List.of(Metric.rmse(), Metric.mae());
        String[][] cases = {{"val_rmse", "rmse"}, {"val_loss", "loss"}, {"RMSE", "rmse"}, {"val_MAE", "mae"}, {"rsme", "rmse"},
            {"los", "loss"}, {"mse", "rmse", "mae"}, {"r2"}, {"accuracy"}};
        for (String[] c : cases) {
            List<String> offered = List.of(c).subList(1, c.length);
            assertEquals(offered, Trainer.suggestedMonitors(c[0], regression), c[0]);
            String refusal = refusal(c[0]);
            for (String n : offered) assertTrue(refusal.contains("monitor(\"" + n + "\")"), refusal);
            assertEquals(offered.isEmpty(), refusal.endsWith("; add it with metrics(...) or monitor \"loss\""), refusal);
        }
        assertEquals(List.of("accuracy"), Trainer.suggestedMonitors("acc", List.of(Metric.accuracy(), Metric.macroF1())));
        assertEquals(List.of("accuracy"), Trainer.suggestedMonitors("val_acc", List.of(Metric.accuracy())));
        // a name the trainer accepts is its own nearest; null and "" are refused as EarlyStopping.monitor refuses them
        assertEquals(List.of("rmse"), Trainer.suggestedMonitors("rmse", regression));
        assertEquals(List.of("loss"), Trainer.suggestedMonitors("loss", List.of()));
        for (String bad : new String[] {null, ""}) {
            assertEquals(assertThrows(IllegalArgumentException.class, () -> EarlyStopping.patience(1).monitor(bad)).getMessage(),
                    assertThrows(IllegalArgumentException.class, () -> Trainer.suggestedMonitors(bad, regression)).getMessage());
        }
    }

    @Test
    void suggestedMonitorsIsUnmodifiableAndRefusesNullMetrics() {
        // unmodifiable whichever rule found the names: the nearest (two of them), the bare name, none
        for (String monitor : new String[] {"mse", "val_rmse", "r2"}) {
            List<String> offered = Trainer.suggestedMonitors(monitor, List.of(Metric.rmse(), Metric.mae()));
            assertThrows(UnsupportedOperationException.class, () -> offered.add("loss"), monitor);
        }
        assertEquals("metrics is null; pass the trainer's metrics (List.of() for none)",
                assertThrows(IllegalArgumentException.class, () -> Trainer.suggestedMonitors("acc", null)).getMessage());
        assertEquals("metrics holds null at index 1; pass the trainer's metrics, such as Metric.accuracy()",
                assertThrows(IllegalArgumentException.class,
                        () -> Trainer.suggestedMonitors("acc", java.util.Arrays.asList(Metric.accuracy(), null))).getMessage());
    }
}
