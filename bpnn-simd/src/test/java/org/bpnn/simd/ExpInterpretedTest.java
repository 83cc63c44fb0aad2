package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The simd exp in the interpreter: bpnn-simd's pom runs this class in a JVM with {@code -Xint}, where
 * every Vector API operation takes its Java fallback (no intrinsic), and it must give the same bits as
 * the scalar transcription, which the default suite checks against C2's code
 * ({@link ExpAccuracyTest}): so interpreted and compiled exp agree bit for bit. (The Vector API's own
 * lanewise(EXP) did not: its fallback and C2's intrinsic differed in the last bit on about 1% of
 * inputs.) One pass over 64 vectors: the interpreted Vector API is slow.
 */
class ExpInterpretedTest {
    @Test
    void interpretedExpEqualsTheScalarTranscription() {
        String mode = System.getProperty("java.vm.info", "");
        System.out.println("bpnn simd: exp vs its transcription, JDK " + System.getProperty("java.version") + ", JVM mode: " + mode);
        if (Boolean.getBoolean("bpnn.test.interpreted")) { // set by the simd-interpreted execution
            assertTrue(mode.contains("interpreted mode"), "expected a JVM run with -Xint, got: " + mode);
        }
        ExpAccuracyTest.assertExpEqualsTranscription(1, 64);
    }
}
