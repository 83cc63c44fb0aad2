package org.bpnn.simd.kernel;

import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one place the vector species is chosen, logged once when this class initialises.
 *
 * <p>Default: {@link FloatVector#SPECIES_PREFERRED} (512-bit, 16 lanes, on AVX-512 machines). The
 * system property {@code bpnn.simd.bits} = 128, 256 or 512 forces a width; {@code 0} or {@code off}
 * switches vectors off so that every primitive of the simd backend runs the scalar reference kernels
 * (for tests). Only load this class after checking that {@code jdk.incubator.vector} is readable.
 */
public final class Simd {
    /** The system property that forces a vector width in bits, or switches vectors off. */
    public static final String BITS_PROPERTY = "bpnn.simd.bits";

    /** False when {@code bpnn.simd.bits=0|off}: the backend then runs the scalar kernels. */
    public static final boolean ENABLED;
    /** The species every kernel uses. */
    public static final VectorSpecies<Float> SPECIES;
    /**
     * The most lanes the kernels handle: the lane-sum butterflies have stages down from 8 (16 lanes),
     * Transpose16 is 16 x 16, the GEMM blocking was measured up to 512 bits. A wider preferred
     * species (possible with SVE or RISC-V vectors) is replaced by the 512-bit one.
     */
    public static final int MAX_LANES = 16;
    /** Lanes of {@link #SPECIES}. */
    public static final int LANES;
    /**
     * The concrete vector class of {@link #SPECIES}. Kernels cast vectors to it where JDK 17's C2
     * lost their exact type in some JIT states and boxed them (see GemmKernels' class comment): a
     * constant class gives C2 the exact type back.
     */
    static final Class<?> VECTOR_CLASS;
    /**
     * Lane l to lane l xor d (d = 8, 4, 2, 1; null where d is not below the lane count): the stages of
     * a butterfly that sums a vector's lanes in one fixed order, v = v + v.rearrange(SWAP_d) from the
     * largest d down, then lane 0. Kernels sum lanes this way instead of reduceLanes(ADD), whose order
     * the Vector API leaves open: JDK 25's C2 adds the lanes in another order than the Java fallback
     * (a single-sample prediction changed in the last bit once the kernel was compiled), JDK 17's in
     * the same one. Rearranges are exact and each add is one IEEE rounding, so the sum is the same
     * interpreted and compiled, on every JDK.
     */
    static final VectorShuffle<Float> SWAP8, SWAP4, SWAP2, SWAP1;
    /**
     * The lanes whose index has bit d set (d = 8, 4, 2, 1; null where d is not below the lane
     * count): with {@link #SWAP8} and the others, the stages of butterflies that exchange blocks of
     * two vectors (Transpose16, Gemm's joint lane sums).
     */
    static final VectorMask<Float> BIT8, BIT4, BIT2, BIT1;

    static {
        String v = System.getProperty(BITS_PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        boolean enabled = true;
        VectorSpecies<Float> s = FloatVector.SPECIES_PREFERRED;
        String why = "preferred species";
        if (s.length() > MAX_LANES) {
            // wider vectors (SVE, RISC-V V): the kernels are written for at most 16 lanes
            s = FloatVector.SPECIES_512;
            why = "preferred species has " + FloatVector.SPECIES_PREFERRED.length() + " lanes, capped at " + MAX_LANES;
        }
        switch (v) {
            case "":
                break;
            case "0":
            case "off":
                enabled = false;
                why = "-D" + BITS_PROPERTY + "=" + v + ": vectors off, scalar kernels";
                break;
            case "128":
            case "256":
            case "512":
                s = FloatVector.SPECIES_MAX.length() * 32 >= Integer.parseInt(v)
                        ? VectorSpecies.of(float.class, VectorShape.forBitSize(Integer.parseInt(v)))
                        : FloatVector.SPECIES_PREFERRED;
                why = "forced by -D" + BITS_PROPERTY + "=" + v
                        + (s.vectorBitSize() == Integer.parseInt(v) ? "" : " (not supported here, using preferred)");
                break;
            default:
                throw new IllegalArgumentException("-D" + BITS_PROPERTY + " must be 128, 256, 512, 0 or off, got '"
                        + v + "'");
        }
        ENABLED = enabled;
        SPECIES = s;
        LANES = s.length();
        VECTOR_CLASS = s.vectorType();
        SWAP8 = LANES > 8 ? VectorShuffle.fromOp(s, l -> l ^ 8) : null;
        SWAP4 = LANES > 4 ? VectorShuffle.fromOp(s, l -> l ^ 4) : null;
        SWAP2 = LANES > 2 ? VectorShuffle.fromOp(s, l -> l ^ 2) : null;
        SWAP1 = LANES > 1 ? VectorShuffle.fromOp(s, l -> l ^ 1) : null;
        BIT8 = LANES > 8 ? lanesWithBit(s, 8) : null;
        BIT4 = LANES > 4 ? lanesWithBit(s, 4) : null;
        BIT2 = LANES > 2 ? lanesWithBit(s, 2) : null;
        BIT1 = LANES > 1 ? lanesWithBit(s, 1) : null;
        System.getLogger(Simd.class.getName()).log(System.Logger.Level.INFO,
                "bpnn simd: " + (enabled ? s.vectorBitSize() + "-bit vectors, " + LANES + " float lanes" : "disabled")
                        + " (" + why + ")");
    }

    private Simd() {}

    private static VectorMask<Float> lanesWithBit(VectorSpecies<Float> s, int d) {
        long bits = 0;
        for (int l = 0; l < s.length(); l++) {
            if ((l & d) != 0) bits |= 1L << l;
        }
        return VectorMask.fromLong(s, bits);
    }

    /** A one-line description of the species in use, e.g. "512-bit (16 lanes)" or "off". */
    public static String describe() {
        return ENABLED ? SPECIES.vectorBitSize() + "-bit (" + LANES + " lanes)" : "off";
    }

    /**
     * Whether the products' packed panels and single-sample predict's weight loads sit on cache lines
     * ({@link ArrayAlignment}): they do when the JVM puts every object on a 64-byte boundary; otherwise the
     * option that makes them do so (the forward product ran about 20% faster with it on an Intel Xeon).
     */
    public static String describeArrays() {
        return ArrayAlignment.KNOWN ? "on cache lines"
                : "not on cache lines (java -XX:ObjectAlignmentInBytes=64 puts them there, as ./bpnn does)";
    }
}
