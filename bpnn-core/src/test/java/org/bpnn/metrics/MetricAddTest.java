package org.bpnn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bpnn.train.Trainer;
import org.junit.jupiter.api.Test;

/** How trainers' builders add metrics ({@link Metric#add}): refusals are IllegalArgumentExceptions and add nothing. */
class MetricAddTest {

    @Test
    void aNullArrayIsRefusedWithAdviceNotANullPointer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder().metrics((Metric[]) null));
        assertTrue(e.getMessage().startsWith("metrics is a null array; pass metrics such as Metric.accuracy()"), e.getMessage());
    }

    @Test
    void aRefusedCallAddsNoneOfItsMetrics() {
        List<Metric> metrics = new ArrayList<>();
        Metric.add(metrics, Metric.accuracy());
        assertThrows(IllegalArgumentException.class, () -> Metric.add(metrics, Metric.macroF1(), Metric.accuracy()));
        assertThrows(IllegalArgumentException.class, () -> Metric.add(metrics, Metric.mae(), null));
        assertEquals(List.of("accuracy"), metrics.stream().map(Metric::name).toList(), "the refused calls' first metrics stay out");
        // so a caller that catches the refusal and adds the one it meant gets no "added twice"
        Trainer.Builder b = Trainer.builder();
        assertThrows(IllegalArgumentException.class, () -> b.metrics(Metric.macroF1(), Metric.macroF1()));
        b.metrics(Metric.macroF1());
    }
}
