package org.bpnn.simd.kernel;

import java.lang.management.ManagementFactory;

/**
 * Where a {@code float[]}'s first 64-byte boundary lies, when the JVM guarantees one: the packed panels
 * of the matrix products start there ({@link Gemm}), so that their vector loads do not straddle two
 * cache lines.
 *
 * <p>Why: a 64-byte vector load from an address that is not a multiple of 64 touches two cache lines.
 * On the Intel Xeon host of 2026-12-02 (JDK 17, one thread; a harness moving the panels' start 0..14
 * floats into the scratch array, in one JVM) the four-vector kernel ran NT 128x256x784 (the main job's
 * forward product) at 137-145 GFLOP/s at the one start that fell on a line and at 112-123 at the seven
 * others. Java places arrays on 8-byte boundaries only, so where the scratch array landed decided it:
 * this is the per-launch lottery PERFORMANCE.md records (one fresh JVM in seven 17% faster). The same
 * holds for arrays the products read in place (single-sample predict's 784 x 256 product took 6.8-7.3
 * us with W on a line, 10.1-10.8 without). Those are the caller's and stay where they are; when
 * {@link #KNOWN}, gemvDots finds where their lines begin ({@link #head}) and loads from there, the
 * optimisers' updates and the gradient check take the elements before the first line one at a time
 * ({@link Elementwise#lineHead}), and a TN product with many rows packs the B it would read in place
 * ({@link Gemm#TN_PACKED_B_ROWS}).
 *
 * <p>With {@code -XX:ObjectAlignmentInBytes=64} (or a larger multiple of 64) every object starts on a
 * 64-byte boundary, so a float array's elements start {@code ARRAY_FLOAT_BASE_OFFSET} bytes past one
 * (16 on 64-bit HotSpot with compressed class pointers) in every array and after every GC move; then
 * {@link #SKIP} is the number of floats from index 0 to the next boundary (12 there). Under the default
 * 8-byte alignment nothing is known, and SKIP is 0: the buffers are used from index 0 as they always
 * were. The offset never changes a value, only where the same numbers are stored: the kernels read the
 * same elements in the same order whatever it is.
 *
 * <p>The JVM is asked once, when {@link Gemm} or {@link Elementwise} is initialised (their switches read
 * {@link #KNOWN}), so on the first product or element-wise pass, whatever its path (the management
 * bean's first use costs about 20 ms); a JVM without those answers (no {@code jdk.management}, not
 * HotSpot) gets 0.
 */
final class ArrayAlignment {
    /** The cache line (and the widest vector) in bytes. */
    static final int LINE = 64;

    private static final int OBJECT_ALIGNMENT = objectAlignment(), FLOAT_ARRAY_BASE = floatArrayBase();

    /** Whether every float[] starts at the same place in a cache line (so that {@link #SKIP} says where lines begin). */
    static final boolean KNOWN = known(OBJECT_ALIGNMENT, FLOAT_ARRAY_BASE);

    /** Floats from a float[]'s index 0 to its first 64-byte boundary when {@link #KNOWN}, else 0. */
    static final int SKIP = skip(OBJECT_ALIGNMENT, FLOAT_ARRAY_BASE);

    private ArrayAlignment() {
    }

    /**
     * The floats to skip from index 0 to a line boundary, for objects aligned to {@code objectAlignment}
     * bytes whose float elements start {@code base} bytes in; 0 when that is not known to be the same in
     * every array (alignment below a line, or an unknown base).
     */
    static int skip(int objectAlignment, int base) {
        return known(objectAlignment, base) ? (LINE - base % LINE) % LINE / Float.BYTES : 0;
    }

    /** Whether objects aligned to {@code objectAlignment} bytes put element 0 of every float[] at the same place in a line. */
    static boolean known(int objectAlignment, int base) {
        return objectAlignment >= LINE && objectAlignment % LINE == 0 && base >= 0 && base % Float.BYTES == 0;
    }

    /**
     * The elements before the first place at or after index {@code start} of a float[] where a vector of
     * {@code lanes} floats lies within one line: a line boundary for 16 lanes, a half or a quarter line for
     * 8 or 4 (lanes dividing 16; 0..lanes-1 when {@link #KNOWN}; meaningless otherwise).
     */
    static int head(int start, int lanes) {
        return Math.floorMod(SKIP - start, lanes);
    }

    /**
     * {@link #head} of a matrix's rows, the first from index {@code start} and each {@code stride} floats
     * after the one before, when they all have the same (lines {@link #KNOWN}, stride a whole number of
     * vectors); else 0, as for rows whose vectors already lie within lines: either way there is nothing to
     * realign.
     */
    static int rowsHead(int start, int stride, int lanes) {
        return KNOWN && stride % lanes == 0 ? head(start, lanes) : 0;
    }

    /** -XX:ObjectAlignmentInBytes, or 0 when the JVM does not say. */
    private static int objectAlignment() {
        try {
            return Integer.parseInt(ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption("ObjectAlignmentInBytes").getValue());
        } catch (RuntimeException | LinkageError e) {
            return 0; // not HotSpot, no jdk.management module, or no such option: nothing is known
        }
    }

    /**
     * Where a float[]'s elements start in the object, in bytes: sun.misc.Unsafe's constant, read as a
     * field (not a memory-access method, so JDK 24's warnings about those do not apply); -1 when absent.
     */
    private static int floatArrayBase() {
        try {
            return Class.forName("sun.misc.Unsafe").getField("ARRAY_FLOAT_BASE_OFFSET").getInt(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return -1;
        }
    }
}
