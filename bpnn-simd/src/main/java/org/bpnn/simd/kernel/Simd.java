package org.bpnn.simd.kernel;

import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
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
    /** Lanes of {@link #SPECIES}. */
    public static final int LANES;
    /**
     * The concrete vector class of {@link #SPECIES}. Kernels cast vectors to it where JDK 17's C2
     * lost their exact type in some JIT states and boxed them (see GemmKernels' class comment): a
     * constant class gives C2 the exact type back.
     */
    static final Class<?> VECTOR_CLASS;

    static {
        String v = System.getProperty(BITS_PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        boolean enabled = true;
        VectorSpecies<Float> s = FloatVector.SPECIES_PREFERRED;
        String why = "preferred species";
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
        System.getLogger(Simd.class.getName()).log(System.Logger.Level.INFO,
                "bpnn simd: " + (enabled ? s.vectorBitSize() + "-bit vectors, " + LANES + " float lanes" : "disabled")
                        + " (" + why + ")");
    }

    private Simd() {}

    /** A one-line description of the species in use, e.g. "512-bit (16 lanes)" or "off". */
    public static String describe() {
        return ENABLED ? SPECIES.vectorBitSize() + "-bit (" + LANES + " lanes)" : "off";
    }
}
