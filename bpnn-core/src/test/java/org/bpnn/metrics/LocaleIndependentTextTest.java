package org.bpnn.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Printed reports use '.' decimals whatever the default locale (a German locale printed 0,5000). */
class LocaleIndependentTextTest {
    @Test
    void confusionMatrixTextIgnoresTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            Tensor out = Tensor.of(new float[][] {{0.9f, 0.1f}, {0.2f, 0.8f}, {0.6f, 0.4f}, {0.3f, 0.7f}});
            Tensor y = Tensor.of(new float[][] {{1f, 0f}, {0f, 1f}, {0f, 1f}, {1f, 0f}});
            String text = ConfusionMatrix.of(out, y).toString();
            assertTrue(text.contains("0.5000"), text);
            assertFalse(text.contains("0,5000"), text);
        } finally {
            Locale.setDefault(before);
        }
    }
}
