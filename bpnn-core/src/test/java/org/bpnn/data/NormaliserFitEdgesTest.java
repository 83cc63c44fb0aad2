package org.bpnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The fitters' edges: a column of negative values only (its maximum is below 0), a spread of exactly the
 * smallest normal float (kept: only below it is a column near-constant and scaled by 1), null or
 * non-finite data refused, the width checked in place too, and the overflow naming its feature.
 */
class NormaliserFitEdgesTest {
    @Test
    void minMaxOfAnAllNegativeColumn() {
        Normaliser n = Normaliser.minMax(Tensor.of(new float[][] {{-3, 4}, {-1, 6}, {-2, 5}}));
        assertArrayEquals(new float[] {-3, 4}, n.center());
        assertArrayEquals(new float[] {2, 2}, n.scale());
        assertEquals(2, n.featureCount());
        assertArrayEquals(new float[] {1, 0.5f}, n.apply(Tensor.of(new float[][] {{-1, 5}})).data());
        Normaliser fromData = Normaliser.minMax(new Dataset(Tensor.of(new float[][] {{-3, 4}, {-1, 6}}), Tensor.zeros(2, 1)));
        assertEquals(n.toString(), fromData.toString());
    }

    @Test
    void aSpreadOfTheSmallestNormalFloatIsKept() {
        float m = Float.MIN_NORMAL;
        // standard deviation of {0, 2m}: sqrt(m^2) = m exactly
        Normaliser s = Normaliser.standardise(Tensor.of(new float[][] {{0}, {2 * m}}));
        assertArrayEquals(new float[] {m}, s.center());
        assertArrayEquals(new float[] {m}, s.scale());
        // range of {0, m}: m
        Normaliser r = Normaliser.minMax(Tensor.of(new float[][] {{0}, {m}}));
        assertArrayEquals(new float[] {m}, r.scale());
        // below it, near-constant: scale 1
        assertArrayEquals(new float[] {1}, Normaliser.minMax(Tensor.of(new float[][] {{0}, {Math.nextDown(m)}})).scale());
    }

    @Test
    void nullAndNonFiniteDataAreRefused() {
        Tensor nan = Tensor.wrap(2, 1, new float[] {1, Float.NaN});
        Tensor inf = Tensor.wrap(2, 1, new float[] {Float.POSITIVE_INFINITY, 1});
        for (Tensor bad : new Tensor[] {nan, inf, null}) {
            assertThrows(IllegalArgumentException.class, () -> Normaliser.standardise(bad));
            assertThrows(IllegalArgumentException.class, () -> Normaliser.minMax(bad));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Normaliser.minMax((Dataset) null));
        assertTrue(e.getMessage().startsWith("data is null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Normaliser.minMax((Tensor) null));
        assertTrue(e.getMessage().startsWith("x is null"), e.getMessage());
    }

    @Test
    void applyInPlaceChecksTheWidth() {
        Normaliser n = Normaliser.of(Normaliser.Kind.STANDARDISE, new float[] {0, 0}, new float[] {1, 1});
        Tensor three = Tensor.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> n.applyInPlace(three));
        assertTrue(e.getMessage().startsWith("the normaliser was fitted on 2 features, but x has 3 columns"), e.getMessage());
    }

    @Test
    void anOverflowNamesItsRowAndFeature() {
        Normaliser n = Normaliser.of(Normaliser.Kind.STANDARDISE, new float[] {0, 0}, new float[] {1, Float.MIN_NORMAL});
        Tensor x = Tensor.of(new float[][] {{0, 0}, {5, 3e38f}});
        Normaliser.OverflowException e = assertThrows(Normaliser.OverflowException.class, () -> n.apply(x));
        assertEquals(1, e.row());
        assertEquals(1, e.feature());
        assertEquals(3e38f, e.input());
    }
}
