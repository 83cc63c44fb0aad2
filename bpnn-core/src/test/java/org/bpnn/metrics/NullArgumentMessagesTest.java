package org.bpnn.metrics;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.backend.Backends;
import org.bpnn.data.Normaliser;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A null argument is refused with what to pass: "outputs are null" said nothing more, a null class
 * array was "must have the same length, got null and 3", and a null backend name was "empty".
 */
class NullArgumentMessagesTest {

    private static String refusal(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void metricsNameWhatToPassForNullOutputs() {
        Tensor t = Tensor.zeros(2, 1);
        for (String m : new String[] {refusal(() -> Metrics.mse(null, t)), refusal(() -> Metrics.accuracy(null, t)),
                refusal(() -> Metrics.r2(null, t))}) {
            assertTrue(m.startsWith("outputs are null; pass the network's outputs"), m);
        }
        Metric rmse = Metric.inTargetUnits(Metric.rmse(), Normaliser.standardise(Tensor.of(new float[][] {{1}, {2}})));
        String m = refusal(() -> rmse.value(null, t));
        assertTrue(m.startsWith("outputs are null; pass the network's outputs (n, 1)"), m);
    }

    @Test
    void confusionMatrixNamesTheNullArray() {
        String m = refusal(() -> ConfusionMatrix.of(null, new int[] {0, 1, 2}, 3));
        assertTrue(m.startsWith("actual is null; pass the class of each row"), m);
        m = refusal(() -> ConfusionMatrix.of(new int[] {0}, null, 3));
        assertTrue(m.startsWith("predicted is null"), m);
        m = refusal(() -> ConfusionMatrix.of(new int[] {0}, new int[] {0, 1}, 3));
        assertTrue(m.contains("same length, got 1 and 2"), m);
    }

    @Test
    void aNullBackendNameIsCalledNull() {
        String m = refusal(() -> Backends.get((String) null));
        assertTrue(m.startsWith("backend name is null; pass one of the known backends: ") && m.contains("scalar"), m);
        m = refusal(() -> Backends.get(" ", 1));
        assertTrue(m.startsWith("backend name is empty"), m);
    }
}
