package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.bpnn.simd.kernel.Simd;
import org.junit.jupiter.api.Test;

/** -Dbpnn.simd.bits forces the width (or switches vectors off); see the surefire executions. */
class SpeciesSelectionTest {
    @Test
    void propertyIsHonoured() {
        SimdTesting.assumeVectorModule();
        String bits = System.getProperty(Simd.BITS_PROPERTY, "").trim();
        if (bits.equals("off") || bits.equals("0")) {
            assertFalse(Simd.ENABLED);
        } else if (!bits.isEmpty() && Integer.parseInt(bits) <= jdk.incubator.vector.FloatVector.SPECIES_MAX.vectorBitSize()) {
            assertEquals(Integer.parseInt(bits), Simd.SPECIES.vectorBitSize(), Simd.describe());
        } else if (jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length() <= Simd.MAX_LANES) {
            assertEquals(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED, Simd.SPECIES);
        } else {
            assertEquals(jdk.incubator.vector.FloatVector.SPECIES_512, Simd.SPECIES);
        }
    }

    /** The kernels' lane sums and transposes are written for at most 16 lanes (Simd.MAX_LANES). */
    @Test
    void neverMoreThanSixteenLanes() {
        SimdTesting.assumeVectorModule();
        org.junit.jupiter.api.Assertions.assertTrue(Simd.LANES <= Simd.MAX_LANES, Simd.describe());
    }
}
