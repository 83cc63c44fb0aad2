package org.bpnn.simd.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * ArrayAlignment's arithmetic, and its answer in this JVM: 0 under the default 8-byte object alignment, a
 * line boundary under -XX:ObjectAlignmentInBytes=64 (the simd-line-aligned test JVM, which sets
 * bpnn.test.lineAligned, runs the products' tests with it).
 */
class ArrayAlignmentTest {

    @Test
    void skipReachesTheNextLineFromTheArrayBase() {
        assertEquals(12, ArrayAlignment.skip(64, 16), "HotSpot with compressed class pointers: 16 + 48 bytes");
        assertEquals(12, ArrayAlignment.skip(256, 16), "a larger multiple of the line");
        assertEquals(13, ArrayAlignment.skip(64, 12), "compact object headers: 12 + 52 bytes");
        assertEquals(10, ArrayAlignment.skip(64, 24), "without compressed class pointers: 24 + 40 bytes");
        assertEquals(0, ArrayAlignment.skip(64, 0), "already on a line");
        assertEquals(0, ArrayAlignment.skip(64, 64), "a whole line in");
    }

    @Test
    void skipIsZeroWhenNothingIsKnown() {
        assertEquals(0, ArrayAlignment.skip(8, 16), "the default 8-byte alignment: arrays start anywhere");
        assertEquals(0, ArrayAlignment.skip(32, 16), "half a line");
        assertEquals(0, ArrayAlignment.skip(96, 16), "not a multiple of the line");
        assertEquals(0, ArrayAlignment.skip(0, 16), "the JVM did not say");
        assertEquals(0, ArrayAlignment.skip(64, -1), "no array base");
        assertEquals(0, ArrayAlignment.skip(64, 18), "a base that is not a whole float");
    }

    @Test
    void thisJvmsAnswer() {
        String backend = org.bpnn.backend.Backends.get("simd", 1).toString();
        if (Boolean.getBoolean("bpnn.test.lineAligned")) {
            // the floats skipped end on a line: 16 bytes of header on 64-bit HotSpot, so 12 floats
            assertTrue(ArrayAlignment.KNOWN, "-XX:ObjectAlignmentInBytes=64 must be seen");
            assertTrue(ArrayAlignment.SKIP > 0 && ArrayAlignment.SKIP < ArrayAlignment.LINE / Float.BYTES,
                    "-XX:ObjectAlignmentInBytes=64 must give a skip of 1..15 floats, got " + ArrayAlignment.SKIP);
            assertTrue(backend.contains("arrays on cache lines"), backend);
        } else {
            assertFalse(ArrayAlignment.KNOWN, "the default object alignment (8 bytes) guarantees no line boundary");
            assertEquals(0, ArrayAlignment.SKIP, "the default object alignment (8 bytes) guarantees no line boundary");
            // the backend's description (./bpnn backends prints it) says how to get them
            assertTrue(backend.contains("not on cache lines (java -XX:ObjectAlignmentInBytes=64"), backend);
        }
    }
}
