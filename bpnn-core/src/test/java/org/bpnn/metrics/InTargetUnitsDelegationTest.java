package org.bpnn.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bpnn.data.Normaliser;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Metric.inTargetUnits around a custom metric, which sees the values themselves: the built-in regression
 * metrics read only differences, so a lost center, a lost double-precision retry or a skipped delegation
 * of requireOutputs/requireTargets went unseen by them.
 */
class InTargetUnitsDelegationTest {
    /** Records what it is given; refuses 3 outputs and targets with a negative value (in units). */
    private static final class Recording implements Metric {
        final List<float[]> seen = new ArrayList<>();

        @Override public String name() { return "recording"; }
        @Override public boolean higherIsBetter() { return false; }
        @Override public double value(Tensor outputs, Tensor targets) {
            seen.add(outputs.data().clone());
            seen.add(targets.data().clone());
            return 0;
        }
        @Override public void requireOutputs(int outputs) {
            if (outputs == 3) throw new IllegalArgumentException("recording refuses 3 outputs");
        }
        @Override public void requireTargets(Tensor targets) {
            seen.add(targets.data().clone());
            for (float v : targets.data()) {
                if (v < 0) throw new IllegalArgumentException("recording refuses target " + v);
            }
        }
    }

    @Test
    void theMetricSeesValuesInTheTargetsUnits() {
        Normaliser y = Normaliser.of(Normaliser.Kind.STANDARDISE, new float[] {100, -5}, new float[] {10, 2});
        Recording r = new Recording();
        Metric m = Metric.inTargetUnits(r, y);
        m.value(Tensor.wrap(2, 2, new float[] {1, 0.5f, -1, 0}), Tensor.wrap(2, 2, new float[] {0, 1, 2, -2}));
        assertArrayEquals(new float[] {110, -4, 90, -5}, r.seen.get(0));
        assertArrayEquals(new float[] {100, -3, 120, -9}, r.seen.get(1));
    }

    @Test
    void anOverflowingProductIsRedoneInDouble() {
        // 3e38 * 2 overflows float, 3e38 * 2 - 3e38 = 3e38 does not
        Normaliser y = Normaliser.of(Normaliser.Kind.STANDARDISE, new float[] {-3e38f}, new float[] {2});
        Recording r = new Recording();
        Metric.inTargetUnits(r, y).value(Tensor.wrap(1, 1, new float[] {3e38f}), Tensor.zeros(1, 1));
        assertEquals(3e38f, r.seen.get(0)[0]);
        assertEquals(-3e38f, r.seen.get(1)[0]);
    }

    @Test
    void valuesMatchTheNormalisersInverseBitForBit() {
        // float z * scale + center, rounded twice, as Normaliser.inverse gives it: values whose exact
        // result rounds differently in one step are in this range
        float[] z = new float[1000];
        for (int i = 0; i < z.length; i++) z[i] = 0.001f * i - 0.37f;
        Normaliser y = Normaliser.of(Normaliser.Kind.STANDARDISE, new float[] {0.3f}, new float[] {3.3f});
        Tensor expected = y.inverse(Tensor.wrap(z.length, 1, z.clone()));
        int differsInDouble = 0;
        for (int i = 0; i < z.length; i++) {
            if ((float) ((double) z[i] * 3.3f + 0.3f) != expected.data()[i]) differsInDouble++;
        }
        assertTrue(differsInDouble > 0, "the range should hold a value whose one-step rounding differs");
        Recording r = new Recording();
        Metric.inTargetUnits(r, y).value(Tensor.wrap(z.length, 1, z.clone()), Tensor.zeros(z.length, 1));
        assertArrayEquals(expected.data(), r.seen.get(0));
    }

    @Test
    void requireOutputsChecksTheWidthThenAsksTheMetric() {
        Normaliser y3 = Normaliser.of(Normaliser.Kind.MIN_MAX, new float[] {0, 0, 0}, new float[] {1, 1, 1});
        Normaliser y2 = Normaliser.of(Normaliser.Kind.MIN_MAX, new float[] {0, 0}, new float[] {1, 1});
        Metric.inTargetUnits(new Recording(), y2).requireOutputs(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metric.inTargetUnits(new Recording(), y2).requireOutputs(3));
        assertTrue(e.getMessage().contains("fitted on 2 target columns, but the network has 3 outputs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metric.inTargetUnits(new Recording(), y3).requireOutputs(3));
        assertEquals("recording refuses 3 outputs", e.getMessage());
    }

    @Test
    void requireTargetsHandsTheMetricTargetsInUnits() {
        // normalised -1 is 10 * -1 + 5 = -5 in units
        Normaliser y = Normaliser.of(Normaliser.Kind.STANDARDISE, new float[] {5}, new float[] {10});
        Recording r = new Recording();
        Metric m = Metric.inTargetUnits(r, y);
        m.requireTargets(Tensor.wrap(2, 1, new float[] {0, 1}));
        assertArrayEquals(new float[] {5, 15}, r.seen.get(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.requireTargets(Tensor.wrap(1, 1, new float[] {-1})));
        assertEquals("recording refuses target -5.0", e.getMessage());
        // another width is requireOutputs' and value's to refuse, with their messages; null too
        m.requireTargets(Tensor.zeros(1, 2));
        m.requireTargets(null);
        assertEquals(2, r.seen.size());
    }

    @Test
    void valueRefusesTargetsOfAnotherShapeBeforeTheMetricSeesThem() {
        Normaliser y = Normaliser.of(Normaliser.Kind.STANDARDISE, new float[] {5}, new float[] {10});
        Recording r = new Recording();
        Metric m = Metric.inTargetUnits(r, y);
        assertThrows(IllegalArgumentException.class, () -> m.value(Tensor.zeros(2, 1), Tensor.zeros(3, 1)));
        assertThrows(IllegalArgumentException.class, () -> m.value(Tensor.zeros(2, 1), null));
        assertEquals(0, r.seen.size());
    }
}
