package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Random;
import org.bpnn.backend.ElementwiseOp;
import org.bpnn.simd.kernel.Simd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the two-thread backend places its work (it decides the cut, never a value): a matrix that an
 * optimiser update just wrote on one thread stays with that thread for the next matrix-vector product
 * (training at batch 1), and fixed weights are split (single-sample predict); products and
 * element-wise calls take the pool from their thresholds on. Values do not show where a call ran:
 * these tests read the pool's run count and the cut itself.
 */
class WorkPlacementTest {
    private static final int OUT = 256, IN = 784; // layer 1 of 784-256-128-10: 0.4 MFLOP, above the gemv threshold
    private SimdBackend two;

    @BeforeEach
    void backend() {
        SimdTesting.assumeVectorModule();
        assumeTrue(Simd.ENABLED, "bpnn.simd.bits=off: every call is the scalar reference, no pool");
        two = SimdTesting.alwaysSplit(new SimdBackend(2));
    }

    @AfterEach
    void shutdown() {
        if (two != null) {
            two.shutdown();
        }
    }

    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    /** z = x W^T for one sample, W (OUT, IN) row-major: the forward pass's product at batch 1. */
    private void forward(float[] x, float[] w, float[] z) {
        two.gemm(false, true, 1, OUT, IN, 1f, x, 0, IN, w, 0, IN, 0f, z, 0, OUT);
    }

    @Test
    void aProductThatFindsThePoolBusyIsNotCountedAsSplit() {
        Random r = new Random(2);
        float[] w = random(r, OUT * IN), x = random(r, IN), z = new float[OUT];
        assertTrue(two.pool().tryAcquire(), "the pool was free"); // another caller's product holds it
        try {
            forward(x, w, z);
            assertFalse(two.lastGemmSplit(), "computed on the caller alone while the pool was busy");
        } finally {
            two.pool().busy = false; // the release, as the backend does it
        }
        forward(x, w, z);
        assertTrue(two.lastGemmSplit());
    }

    /**
     * An element-wise call that finds the pool busy computes on its caller, as when it is free. The
     * same call with the pool free takes it, so that the busy one reaches the pool's claim.
     */
    @Test
    void aGatherThatFindsThePoolBusyComputesOnTheCaller() throws ReflectiveOperationException {
        SimdBackend ew = SimdTesting.alwaysSplit(new SimdBackend(2, SimdBackend.ELEMENTWISE_PARALLEL));
        try {
            int rows = 256, cols = 128; // 32K floats: split when the pool is free
            Random r = new Random(10);
            float[] src = random(r, rows * cols), free = new float[rows * cols], busy = new float[rows * cols];
            int[] index = new int[rows];
            for (int i = 0; i < rows; i++) {
                index[i] = (i * 7 + 3) % rows;
            }
            assertTrue(onThePool(ew, () -> ew.gatherRows(rows, cols, src, index, 0, free, 0)), "with the pool free");
            assertTrue(ew.pool().tryAcquire(), "the pool was free"); // another caller's call holds it
            try {
                ew.gatherRows(rows, cols, src, index, 0, busy, 0);
            } finally {
                ew.pool().busy = false;
            }
            assertArrayEquals(free, busy);
            assertEquals(src[3 * cols + 5], busy[5], "row 0 is src's row 3");
        } finally {
            ew.shutdown();
        }
    }

    @Test
    void productOfFixedWeightsIsSplit() {
        Random r = new Random(1);
        float[] w = random(r, OUT * IN), x = random(r, IN), z = new float[OUT];
        forward(x, w, z);
        assertTrue(two.lastGemmSplit());
        forward(x, w, z);
        assertTrue(two.lastGemmSplit());
    }

    @Test
    void productAfterAOneThreadUpdateStaysOnTheCaller() {
        Random r = new Random(2);
        float[] w = random(r, OUT * IN), g = random(r, OUT * IN), x = random(r, IN);
        float[] z = new float[OUT], expected = new float[OUT];
        for (int step = 0; step < 3; step++) {
            two.axpy(OUT * IN, -0.01f, g, 0, w, 0); // after a one-thread product: runs on the caller
            forward(x, w, z);
            assertFalse(two.lastGemmSplit(), "step " + step + ": the product right after the update");
            SimdTesting.oneThread().gemm(false, true, 1, OUT, IN, 1f, x, 0, IN, w, 0, IN, 0f, expected, 0, OUT);
            assertArrayEquals(expected, z, "step " + step);
        }
        forward(x, w, z); // no update since: the matrix is in both caches after this product
        assertTrue(two.lastGemmSplit());
    }

    @Test
    void otherUpdatesAndTheTransposedFormAreTracked() {
        Random r = new Random(3);
        float[] w = random(r, OUT * IN), g = random(r, OUT * IN), v = new float[OUT * IN], m = new float[OUT * IN];
        float[] x = random(r, IN), z = new float[OUT];
        two.momentumUpdate(OUT * IN, 0.01f, 0.9f, false, w, 0, g, 0, v, 0);
        forward(x, w, z);
        assertFalse(two.lastGemmSplit(), "after momentum");
        two.adamUpdate(OUT * IN, 0.001f, 0.9f, 0.999f, 1e-8f, 0.1f, 0.001f, 0f, w, 0, g, 0, m, 0, v, 0);
        forward(x, w, z);
        assertFalse(two.lastGemmSplit(), "after Adam");
        // a column vector (n == 1): the matrix is A
        two.axpy(OUT * IN, -0.01f, g, 0, w, 0);
        two.gemm(false, false, OUT, 1, IN, 1f, w, 0, IN, x, 0, 1, 0f, z, 0, 1);
        assertFalse(two.lastGemmSplit(), "W x after the update");
        two.gemm(false, false, OUT, 1, IN, 1f, w, 0, IN, x, 0, 1, 0f, z, 0, 1);
        assertTrue(two.lastGemmSplit());
    }

    @Test
    void theBackendDoesNotKeepAnUpdatedMatrixReachable() throws InterruptedException {
        // the backend is shared for the life of the process: holding the arrays kept a discarded network's weights
        float[] g = new float[OUT * IN];
        java.lang.ref.WeakReference<float[]> ref = writtenThenDropped(g);
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertTrue(ref.get() == null, "the updated matrix is still reachable");
    }

    private java.lang.ref.WeakReference<float[]> writtenThenDropped(float[] g) {
        float[] w = new float[OUT * IN];
        two.axpy(OUT * IN, -0.01f, g, 0, w, 0); // recorded: written on one thread
        return new java.lang.ref.WeakReference<>(w);
    }

    /** How many runs the backend's pool has started: its generation, private to the pool. */
    private static int runs(SimdBackend b) throws ReflectiveOperationException {
        Field f = WorkerPool.class.getDeclaredField("generation");
        f.setAccessible(true);
        return f.getInt(b.pool());
    }

    /** Whether {@code call} ran on b's pool. */
    private static boolean onThePool(SimdBackend b, Runnable call) throws ReflectiveOperationException {
        int before = runs(b);
        call.run();
        return runs(b) != before;
    }

    /**
     * A product of exactly {@link SimdBackend#GEMM_PARALLEL_FLOPS} (2 m n k) is split, one with a row
     * fewer is not.
     */
    @Test
    void aProductIsSplitFromTheThreshold() throws ReflectiveOperationException {
        assumeTrue(SimdBackend.GEMM_PARALLEL_FLOPS == 2_000_000L, "-Dbpnn.simd.gemmParallelFlops");
        Random r = new Random(4);
        float[] a = random(r, 100 * 100), b = random(r, 100 * 100), c = new float[100 * 100];
        assertTrue(onThePool(two, () -> two.gemm(false, false, 100, 100, 100, 1f, a, 0, 100, b, 0, 100, 0f, c, 0, 100)));
        assertTrue(two.lastGemmSplit());
        assertFalse(onThePool(two, () -> two.gemm(false, false, 99, 100, 100, 1f, a, 0, 100, b, 0, 100, 0f, c, 0, 100)));
        assertFalse(two.lastGemmSplit());
    }

    /**
     * Every element-wise call takes the pool from {@link SimdBackend#ELEMENTWISE_PARALLEL} elements (on
     * a backend that splits them whatever ran before), not from one element (or row) fewer; the
     * column sums only once their columns make two units of 4 vectors.
     */
    @Test
    void elementwiseCallsTakeThePoolFromTheThreshold() throws ReflectiveOperationException {
        SimdBackend ew = SimdTesting.alwaysSplit(new SimdBackend(2, SimdBackend.ELEMENTWISE_PARALLEL));
        try {
            int e = SimdBackend.ELEMENTWISE_PARALLEL, cols = 128, rows = e / cols;
            Random r = new Random(5);
            float[] x = random(r, e), y = random(r, e), z = random(r, e), v = new float[e], bias = random(r, cols);
            int[] index = new int[rows];
            for (int n : new int[] {e, e - 1}) {
                boolean split = n == e;
                int rs = split ? rows : rows - 1; // the row-wise calls: rows x 128, 16K elements or 128 fewer
                assertEquals(split, onThePool(ew, () -> ew.biasActivation(ElementwiseOp.RELU, 0f, rs, cols, x, 0, cols,
                        bias, 0, y, 0, cols)), "biasActivation, " + rs + " rows");
                assertEquals(split, onThePool(ew, () -> ew.softmaxRows(rs, cols, x, 0, cols, y, 0, cols)), "softmaxRows");
                assertEquals(split, onThePool(ew, () -> ew.softmaxBackward(rs, cols, x, 0, y, 0, z, 0)), "softmaxBackward");
                assertEquals(split, onThePool(ew, () -> ew.gatherRows(rs, cols, x, index, 0, y, 0)), "gatherRows");
                assertEquals(split, onThePool(ew, () -> ew.activationBackward(ElementwiseOp.TANH, 0f, n, x, 0, y, 0, z, 0)),
                        "activationBackward, " + n + " elements");
                assertEquals(split, onThePool(ew, () -> ew.axpy(n, 0.5f, x, 0, y, 0)), "axpy");
                assertEquals(split, onThePool(ew, () -> ew.scale(n, 0.5f, y, 0)), "scale");
                assertEquals(split, onThePool(ew, () -> ew.multiplyAdd(n, x, 0, y, 0, z, 0)), "multiplyAdd");
                assertEquals(split, onThePool(ew, () -> ew.firstNonFinite(n, x, 0)), "firstNonFinite");
                assertEquals(split, onThePool(ew, () -> ew.momentumUpdate(n, 0.01f, 0.9f, false, y, 0, x, 0, v, 0)),
                        "momentumUpdate");
                assertEquals(split, onThePool(ew, () -> ew.adamUpdate(n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f, 0.001f, 0f,
                        y, 0, x, 0, z, 0, v, 0)), "adamUpdate");
            }
            // column sums cut at 4 vectors: 4 L + 1 columns are 2 units, 4 L one
            int unit = 4 * Simd.LANES, sumRows = (e + unit) / (unit + 1);
            float[] xs = random(r, sumRows * (unit + 1)), out = new float[unit + 1];
            assertTrue(onThePool(ew, () -> ew.sumColumns(sumRows, unit + 1, 1f, xs, 0, unit + 1, 0f, out, 0)),
                    "sumColumns, " + sumRows + " x " + (unit + 1));
            assertFalse(onThePool(ew, () -> ew.sumColumns(sumRows - 1, unit + 1, 1f, xs, 0, unit + 1, 0f, out, 0)),
                    "sumColumns, " + (sumRows - 1) + " x " + (unit + 1));
            assertFalse(onThePool(ew, () -> ew.sumColumns(e / unit, unit, 1f, x, 0, unit, 0f, out, 0)),
                    "sumColumns, one unit of columns");
        } finally {
            ew.shutdown();
        }
    }

    /**
     * After a product on one thread, an element-wise call is split only from the backend's
     * elementwiseAlone elements; after a split product, from {@link SimdBackend#ELEMENTWISE_PARALLEL}.
     */
    @Test
    void afterAOneThreadProductOnlyLargerElementwiseCallsAreSplit() throws ReflectiveOperationException {
        int alone = 1 << 15, e = SimdBackend.ELEMENTWISE_PARALLEL;
        SimdBackend be = SimdTesting.alwaysSplit(new SimdBackend(2, alone));
        try {
            Random r = new Random(6);
            float[] x = random(r, alone), y = random(r, alone);
            float[] a = random(r, 128 * 128), b = random(r, 128 * 128), c = new float[128 * 128];
            be.gemm(false, false, 8, 8, 8, 1f, a, 0, 8, b, 0, 8, 0f, c, 0, 8);
            assertFalse(be.lastGemmSplit());
            assertFalse(onThePool(be, () -> be.axpy(alone - 1, 0.5f, x, 0, y, 0)), (alone - 1) + " elements");
            assertTrue(onThePool(be, () -> be.axpy(alone, 0.5f, x, 0, y, 0)), alone + " elements");
            be.gemm(false, false, 128, 128, 128, 1f, a, 0, 128, b, 0, 128, 0f, c, 0, 128);
            assertTrue(be.lastGemmSplit());
            assertTrue(onThePool(be, () -> be.axpy(e, 0.5f, x, 0, y, 0)), e + " elements after a split product");
        } finally {
            be.shutdown();
        }
    }

    /** An update of exactly {@link SimdBackend#ELEMENTWISE_PARALLEL} elements keeps the next product on the caller. */
    @Test
    void anUpdateOfTheThresholdsSizeIsTracked() {
        Random r = new Random(7);
        float[] w = random(r, OUT * IN), g = random(r, OUT * IN), x = random(r, IN), z = new float[OUT];
        two.axpy(SimdBackend.ELEMENTWISE_PARALLEL, -0.01f, g, 0, w, 0);
        forward(x, w, z);
        assertFalse(two.lastGemmSplit());
    }

    /** Matrices are told apart by identity, not by length alone: another matrix of the same size is split. */
    @Test
    void anUpdatedMatrixDoesNotHoldBackAnotherOfTheSameSize() {
        Random r = new Random(8);
        float[] w = random(r, OUT * IN), fixed = random(r, OUT * IN), g = random(r, OUT * IN);
        float[] x = random(r, IN), z = new float[OUT];
        two.axpy(OUT * IN, -0.01f, g, 0, w, 0);
        forward(x, fixed, z);
        assertTrue(two.lastGemmSplit(), "the fixed matrix");
        forward(x, w, z);
        assertFalse(two.lastGemmSplit(), "the updated one");
    }

    /**
     * A matrix-vector product that is not split anyway (one unit: x W^T of 8 outputs) leaves an
     * updated matrix recorded: it read the matrix on the caller, in whose cache it still is alone, so
     * the next product that would be split stays there too.
     */
    @Test
    void aProductOfOnePartLeavesTheMatrixRecorded() {
        int cols = 8; // W is cols x k row-major, and k x cols read as A
        int k = (int) (SimdBackend.GEMV_PARALLEL_FLOPS / (2 * cols)) + 1;
        assumeTrue(cols * k >= SimdBackend.ELEMENTWISE_PARALLEL, "-Dbpnn.simd.gemvParallelFlops below 16K floats");
        Random r = new Random(9);
        float[] w = random(r, cols * k), g = random(r, cols * k), x = random(r, k), y = random(r, cols);
        float[] z = new float[k];
        two.axpy(cols * k, -0.01f, g, 0, w, 0);
        // x W^T, one part: C is a single unit of the 8 rows Gemm.gemvDots sums jointly
        two.gemm(false, true, 1, cols, k, 1f, x, 0, k, w, 0, k, 0f, z, 0, cols);
        assertFalse(two.lastGemmSplit(), "one part");
        // W (read as k x cols) y: split into parts, were W not on the caller alone
        two.gemm(false, false, k, 1, cols, 1f, w, 0, cols, y, 0, 1, 0f, z, 0, 1);
        assertFalse(two.lastGemmSplit(), "the product after the one-part one");
        two.gemm(false, false, k, 1, cols, 1f, w, 0, cols, y, 0, 1, 0f, z, 0, 1);
        assertTrue(two.lastGemmSplit(), "the next: W is in both caches");
    }

    /**
     * Element-wise calls cut their units (rows, or elements and columns at multiples of {@code align})
     * into parts that tile them in order, each whole blocks of align but the last, the blocks shared
     * as evenly as they go (a part with none would leave its thread idle). The cut is the private
     * task's, read through reflection.
     */
    @Test
    void elementwiseCutsAreEvenAndAligned() throws ReflectiveOperationException {
        Object t = ewTask();
        Method bound = ewBound();
        for (int align : new int[] {1, 4, 16, 64}) {
            for (int units : new int[] {1, 2, 3, 5, 15, 16, 17, 63, 64, 65, 1000, 1040, 32773}) {
                int blocks = (units + align - 1) / align;
                for (int parts = 1; parts <= 4; parts++) {
                    String what = units + " units in " + parts + " parts, align " + align;
                    int from = (int) bound.invoke(t, 0, parts, units, align);
                    assertEquals(0, from, what);
                    for (int p = 0; p < parts; p++) {
                        int to = (int) bound.invoke(t, p + 1, parts, units, align);
                        assertTrue(to >= from && (to % align == 0 || to == units), what + ": part " + p + " [" + from + ", " + to + ")");
                        int got = (to - from + align - 1) / align;
                        assertTrue(got == blocks / parts || got == (blocks + parts - 1) / parts,
                                what + ": part " + p + " has " + got + " of " + blocks + " blocks");
                        from = to;
                    }
                    assertEquals(units, from, what);
                }
            }
        }
    }

    /**
     * The element-wise optimiser update cuts W (out x in, row-major) by element ranges at multiples of
     * a vector; on two threads its halves are W's row halves within a vector, as the products cut for
     * threads take them (kernel.WeightRowSplitTest), so each thread updates the rows it computed.
     */
    @Test
    void theUpdatesHalvesAreWsRowHalves() throws ReflectiveOperationException {
        Object t = ewTask();
        Method bound = ewBound();
        for (int[] w : new int[][] {{256, 784}, {128, 256}, {512, 784}, {64, 100}}) {
            int out = w[0], in = w[1];
            int half = (int) bound.invoke(t, 1, 2, out * in, Simd.LANES);
            assertTrue(Math.abs(half - out / 2 * in) < Simd.LANES,
                    "W " + out + "x" + in + ": the update's first half ends at element " + half + ", row " + out / 2
                            + " starts at " + out / 2 * in);
        }
    }

    /** An element-wise task of the backend, for its {@code bound}. */
    private static Object ewTask() throws ReflectiveOperationException {
        Constructor<?> ctor = Class.forName(SimdBackend.class.getName() + "$EwTask").getDeclaredConstructor(int.class);
        ctor.setAccessible(true);
        return ctor.newInstance(4);
    }

    /** EwTask.bound(part, parts, units, align): where part starts when units are cut at multiples of align. */
    private static Method ewBound() throws ReflectiveOperationException {
        Method bound = Class.forName(SimdBackend.class.getName() + "$EwTask")
                .getDeclaredMethod("bound", int.class, int.class, int.class, int.class);
        bound.setAccessible(true);
        return bound;
    }
}
