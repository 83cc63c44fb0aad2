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
        } else {
            assertEquals(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED, Simd.SPECIES);
        }
    }
}
