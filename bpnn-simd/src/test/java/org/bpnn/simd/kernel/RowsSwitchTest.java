package org.bpnn.simd.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bpnn.nn.ChildJvm;
import org.junit.jupiter.api.Test;

/**
 * The measuring switches {@code -Dbpnn.simd.wideRows} and {@code -Dbpnn.simd.adjacentRows} (the most rows a
 * four-vector block, and a block of packed A, takes; see {@link Gemm#WIDE_ROWS}, {@link Gemm#ADJACENT_ROWS}):
 * a whole number in range is taken, anything else set is replaced by the default with a warning that says
 * what was expected and what was given. They change no result, so, as with the other bpnn.simd switches, a
 * bad value does not stop the backend; until 2026-12-02 a number out of range was thrown from Gemm's static
 * initialiser (an ExceptionInInitializerError on the first product, then NoClassDefFoundError "Could not
 * initialize class" on every later one) and a value that was not a number was taken silently as the default.
 */
class RowsSwitchTest {

    @Test
    void aWholeNumberInRangeIsTakenAnythingElseSetIsTheDefaultWithTheReason() {
        String what = "the four-vector kernels' row counts";
        for (String good : new String[] {null, "", "  "}) {
            assertNull(Gemm.rowsProblem("bpnn.simd.wideRows", good, 5, what), "'" + good + "'");
            assertEquals(5, Gemm.rowsSetting("bpnn.simd.wideRows", good, 5, what), "'" + good + "': the default");
        }
        for (String good : new String[] {"1", "4", " 3 ", "5"}) {
            assertNull(Gemm.rowsProblem("bpnn.simd.wideRows", good, 5, what), good);
            assertEquals(Integer.parseInt(good.trim()), Gemm.rowsSetting("bpnn.simd.wideRows", good, 5, what), good);
        }
        for (String bad : new String[] {"0", "6", "-1", "five", "4.5", "2147483648"}) {
            assertEquals("-Dbpnn.simd.wideRows must be a whole number 1..5 (the four-vector kernels' row counts), got '"
                    + bad + "'; using 5, the default (correct or remove it)",
                    Gemm.rowsProblem("bpnn.simd.wideRows", bad, 5, what));
            assertEquals(5, Gemm.rowsSetting("bpnn.simd.wideRows", bad, 5, what), bad);
        }
    }

    /**
     * In JVMs of their own (the switches are read once, when Gemm initialises): the products run, a bad value
     * is replaced by the default with one warning naming it (checked without the level's name, which
     * java.util.logging may translate), a good one is taken. With the adjacent kernels
     * off, packed A's blocks take at most 8 rows: 12 is then out of range (it used to be ignored silently,
     * and so was any value there), and a wide row count below the default is still taken.
     */
    @Test
    void aBadValueWarnsAndLeavesTheProductsWorking() throws Exception {
        String output = child("-Dbpnn.simd.wideRows=7", "-Dbpnn.simd.adjacentRows=9");
        assertTrue(output.contains("WIDE_ROWS " + GemmKernels.MR_WIDE + ", ADJACENT_ROWS 9"), output);
        assertTrue(output.contains("-Dbpnn.simd.wideRows must be a whole number 1.." + GemmKernels.MR_WIDE
                + " (the four-vector kernels' row counts), got '7'; using " + GemmKernels.MR_WIDE
                + ", the default (correct or remove it)"), output);
        assertFalse(output.contains("adjacentRows must"), output);

        output = child("-Dbpnn.simd.noAdjacentKernel=true", "-Dbpnn.simd.adjacentRows=12", "-Dbpnn.simd.wideRows=3");
        assertTrue(output.contains("WIDE_ROWS 3, ADJACENT_ROWS " + GemmKernels.MR), output);
        assertTrue(output.contains("-Dbpnn.simd.adjacentRows must be a whole number 1.." + GemmKernels.MR
                + " (the two-vector kernels' row counts with -Dbpnn.simd.noAdjacentKernel=true), got '12'; using "
                + GemmKernels.MR + ", the default (correct or remove it)"), output);
        assertFalse(output.contains("wideRows must"), output);
    }

    /** The output of {@link Child} in a JVM with {@code properties}, which must exit 0. */
    private static String child(String... properties) throws Exception {
        List<String> options = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector"));
        options.addAll(List.of(properties));
        return ChildJvm.output(options, Child.class, Gemm.class);
    }

    /**
     * The child JVM: an NN and a TN product (the four-vector kernels' blocks and packed A's) against their sums
     * in double, twice (a class whose initialiser threw fails again on the second); prints the block sizes,
     * exits 1 on a wrong value.
     */
    static final class Child {
        public static void main(String[] args) {
            Random r = new Random(5);
            int m = 36, n = 131, k = 50; // TN in 4 blocks of 9 rows with -Dbpnn.simd.adjacentRows=9
            float[] a = new float[m * k], b = new float[k * n];
            for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
            for (int round = 0; round < 2; round++) {
                for (boolean ta : new boolean[] {false, true}) {
                    float[] c = new float[m * n];
                    // A (m x k) row-major for NN; the same values read as A^T (k x m) for TN give another product,
                    // so each is checked against its own sums
                    Gemm.gemm(ta, false, m, n, k, 1f, a, 0, ta ? m : k, b, 0, n, 0f, c, 0, n, 0, 1);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double s = 0, bound = 0;
                            for (int p = 0; p < k; p++) {
                                double t = (double) (ta ? a[p * m + i] : a[i * k + p]) * b[p * n + j];
                                s += t;
                                bound += Math.abs(t);
                            }
                            if (Math.abs(s - c[i * n + j]) > 1e-5 * bound + 1e-6) {
                                System.out.println((ta ? "TN" : "NN") + " C[" + i + "][" + j + "] = " + c[i * n + j]
                                        + ", expected " + s);
                                System.exit(1);
                            }
                        }
                    }
                }
            }
            System.out.println("WIDE_ROWS " + Gemm.WIDE_ROWS + ", ADJACENT_ROWS " + Gemm.ADJACENT_ROWS);
        }
    }
}
