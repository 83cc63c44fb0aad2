package org.bpnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Batches' and Folds' index bounds (the count itself is outside, with the documented exception and
 * message), the refusal of a batch size or row count of 0, their toString, and Folds.validationTargets,
 * which must give what get(fold).validation().targets() gives.
 */
class BatchesAndFoldsBoundsTest {
    private static Dataset data(int n) {
        float[] x = new float[n], y = new float[2 * n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[2 * i] = i;
            y[2 * i + 1] = 10 * i;
        }
        return new Dataset(Tensor.wrap(n, 1, x), Tensor.wrap(n, 2, y));
    }

    @Test
    void aBatchIndexEqualToTheCountIsOutside() {
        Batches b = data(5).batches(2, false);
        assertEquals(3, b.count());
        assertEquals(1, b.rows(2));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> b.rows(3));
        assertEquals("batch 3 outside [0, 3)", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> b.features(3));
        assertThrows(IndexOutOfBoundsException.class, () -> b.weights(3));
        assertThrows(IndexOutOfBoundsException.class, () -> b.weights(-1));
        assertEquals("Batches(3 of 2 rows, last 1)", b.toString());
        assertEquals("Batches(2 of 2 rows)", data(5).batches(2, true).toString());
    }

    @Test
    void aBatchSizeOrRowCountOfZeroIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Batches.count(10, 0, false));
        assertTrue(e.getMessage().startsWith("batch size must be > 0, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Batches.count(0, 5, false));
        assertTrue(e.getMessage().startsWith("rows must be > 0, got 0"), e.getMessage());
        assertEquals(1, Batches.count(1, 5, false));
    }

    @Test
    void aFoldIndexEqualToTheCountIsOutside() {
        Folds folds = (Folds) data(5).kFold(2, 7);
        for (int bad : new int[] {2, -1}) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> folds.get(bad));
            assertEquals("fold " + bad + " of kFold(2, 7): folds are numbered 0 to 1", e.getMessage());
            e = assertThrows(IndexOutOfBoundsException.class, () -> folds.validationTargets(bad));
            assertEquals("fold " + bad + " of kFold(2, 7): folds are numbered 0 to 1", e.getMessage());
        }
        assertEquals("kFold(2, 7) of 5 rows", folds.toString());
    }

    @Test
    void validationTargetsAreTheValidationPartsTargets() {
        Dataset d = data(7);
        for (List<Dataset.Split> folds : List.of(d.kFold(3, 11), d.kFold(7, 2))) {
            for (int f = 0; f < folds.size(); f++) {
                Tensor expected = folds.get(f).validation().targets(), got = ((Folds) folds).validationTargets(f);
                assertEquals(expected.shape(), got.shape());
                assertArrayEquals(expected.data(), got.data(), "fold " + f);
            }
        }
    }
}
