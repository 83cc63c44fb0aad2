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

    /**
     * The case rule offers the one name the given one differs from by case alone, not every name it
     * begins (recall_10 beside recall_1), with or without a val_ prefix; and only the val_ form's advice
     * says that the bare name reads the validation set.
     */
    @Test
    void aNameInAnotherCaseIsOfferedAloneAndItsAdviceFitsItsForm() {
        List<Metric> recalls = List.of(Metric.recall(1), Metric.recall(10));
        assertEquals(List.of("recall_1"), Trainer.suggestedMonitors("RECALL_1", recalls));
        assertEquals(List.of("recall_1"), Trainer.suggestedMonitors("val_RECALL_1", recalls));
        assertTrue(refusal("RMSE").endsWith("; names are case-sensitive: monitor(\"rmse\")"), refusal("RMSE"));
        assertTrue(refusal("val_MAE").endsWith("; names are case-sensitive and have no val_ prefix: monitor(\"mae\") reads the"
                + " validation set's value when fit has one"), refusal("val_MAE"));
    }

    /**
     * The edges of the nearest-name rules: a name of 2 characters that begins a metric's (Keras' "f1"),
     * one edit for names of up to 4 characters and two for longer ones, a nearer name found after a
     * farther one replaces it, a swap plus another edit is two edits, and a name is not near one of a
     * very different length (edits are counted from both ends).
     */
    @Test
    void nearestNamesKeepToTheirDistances() {
        List<Metric> regression = List.of(Metric.rmse(), Metric.mae());
        assertEquals(List.of("f1_1"), Trainer.suggestedMonitors("f1", List.of(Metric.f1(1))));
        assertEquals(List.of(), Trainer.suggestedMonitors("laas", regression), "4 characters, 2 edits from loss");
        assertEquals(List.of("accuracy"), Trainer.suggestedMonitors("acurracy", List.of(Metric.accuracy())), "8 characters, 2 edits");
        assertEquals(List.of("recall_1"), Trainer.suggestedMonitors("recal_1", List.of(Metric.recall(2), Metric.recall(1))),
                "1 edit from recall_1, 2 from recall_2 before it");
        assertEquals(List.of(), Trainer.suggestedMonitors("rsm", regression), "a swap and an insertion from rmse");
        assertEquals(List.of(), Trainer.suggestedMonitors("recall", List.of(Metric.r2())), "5 edits from r2");
        assertEquals(List.of(), Trainer.suggestedMonitors("x", List.of(Metric.accuracy())), "8 edits from accuracy, 4 from loss");
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

    /** A custom metric named so that the refusal's rules would point elsewhere: an accepted name is still itself. */
    @Test
    void anAcceptedNameIsSuggestedAsItself() {
        List<Metric> custom = List.of(named("x"), named("val_x"), named("acc"), named("ACC"), named("LOSS"));
        for (String accepted : List.of("val_x", "ACC", "acc", "x", "loss", "LOSS")) {
            assertEquals(List.of(accepted), Trainer.suggestedMonitors(accepted, custom), accepted);
            // and the trainer does accept it: build() does not refuse the monitor
            Trainer.builder().optimizer(new Sgd(0.1)).epochs(2).metrics(custom.toArray(new Metric[0]))
                    .earlyStopping(EarlyStopping.patience(1).monitor(accepted)).build();
        }
    }

    private static Metric named(String name) {
        return new Metric() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public double value(org.bpnn.tensor.Tensor outputs, org.bpnn.tensor.Tensor targets) {
                return 0;
            }

            @Override
            public boolean higherIsBetter() {
                return true;
            }
        };
    }
}
