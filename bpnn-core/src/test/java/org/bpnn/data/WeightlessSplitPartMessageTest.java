package org.bpnn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * A split part whose rows all have sample weight 0 is refused in words that fit the part: the validation
 * part "would train nothing" (it never trains; a fold's validation part already said "validate
 * nothing"), and one row was "1 rows that all have sample weight 0 (1 of the 2 rows have weight 0)".
 */
class WeightlessSplitPartMessageTest {

    private static final Dataset TWO = Dataset.of(new float[][] {{1f}, {2f}}, new float[][] {{3f}, {5f}});

    @Test
    void theValidationPartWouldValidateNothingAndOneRowIsOneRow() {
        String m = assertThrows(IllegalArgumentException.class, () -> TWO.withSampleWeights(1f, 0f).split(0.5)).getMessage();
        assertEquals("the second (validation) part of this split at firstFraction 0.5 holds 1 row, of sample weight 0 (1 of"
                + " the 2 rows has weight 0), so it would validate nothing and its weighted loss would be 0 whatever the"
                + " network does; split at another fraction or seed, or give more rows a weight above 0", m);
        m = assertThrows(IllegalArgumentException.class, () -> TWO.withSampleWeights(0f, 1f).split(0.5)).getMessage();
        assertEquals("the first (train) part of this split at firstFraction 0.5 holds 1 row, of sample weight 0 (1 of the 2"
                + " rows has weight 0), so it would train nothing and its weighted loss would be 0 whatever the network does;"
                + " split at another fraction or seed, or give more rows a weight above 0", m);
    }
}
