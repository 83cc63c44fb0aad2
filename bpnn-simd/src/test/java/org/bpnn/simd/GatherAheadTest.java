package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.simd.kernel.Simd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gather started ahead on two threads ({@link SimdBackend#startGatherRows}): the idle worker copies
 * it, parked or not; a start from another thread, a shutdown and a product in between leave every
 * destination as gatherRows would. With {@code background} cleared, the workers copy nothing, so the
 * tests choose who copies.
 */
class GatherAheadTest {
    private static final int ROWS = 1000, COLS = 784, BATCH = 128;
    private SimdBackend two;
    private final Random r = new Random(5);
    private float[] src;

    @BeforeEach
    void backend() {
        SimdTesting.assumeVectorModule();
        assumeTrue(Simd.ENABLED, "bpnn.simd.bits=off: every call is the scalar reference, no pool");
        two = SimdTesting.alwaysSplit(new SimdBackend(2));
        src = random(ROWS * COLS);
    }

    @AfterEach
    void shutdown() {
        if (two != null) {
            two.shutdown();
        }
    }

    private float[] random(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private int[] batch() {
        int[] index = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            index[i] = r.nextInt(ROWS);
        }
        return index;
    }

    private float[] gathered(int[] index) {
        float[] want = new float[BATCH * COLS];
        ScalarBackend.INSTANCE.gatherRows(BATCH, COLS, src, index, 0, want, 0);
        return want;
    }

    @Test
    void aParkedWorkerWakesAndCopiesAStartedGather() {
        WorkerPool pool = two.pool();
        Thread worker = pool.workers()[0];
        assertTrue(SimdTesting.eventually(() -> SimdTesting.parkedOn(worker, pool)), () -> SimdTesting.describe(worker));
        int[] index = batch();
        float[] dst = new float[BATCH * COLS], want = gathered(index);
        long before = two.ahead().copiedByOthers.get();
        two.startGatherRows(BATCH, COLS, src, index, 0, dst, 0);
        // the caller copies nothing until it finishes: every piece is the worker's
        int pieces = BATCH / (GatherAhead.PIECE_FLOATS / COLS);
        assertTrue(SimdTesting.eventually(() -> two.ahead().copiedByOthers.get() - before == pieces),
                () -> (two.ahead().copiedByOthers.get() - before) + " of " + pieces + " pieces copied by the worker; "
                        + SimdTesting.describe(worker));
        two.finishGatherRows();
        assertArrayEquals(want, dst);
        assertTrue(SimdTesting.eventually(() -> SimdTesting.parkedOn(worker, pool)),
                () -> "idle again, the worker parks: " + SimdTesting.describe(worker));
    }

    @Test
    void aStartOnAnotherThreadCompletesTheFirstThreadsGather() throws InterruptedException {
        two.pool().background = null; // nobody copies in the background: the second start must
        try {
            int[] first = batch(), second = batch();
            float[] dstFirst = new float[BATCH * COLS], dstSecond = new float[BATCH * COLS];
            two.startGatherRows(BATCH, COLS, src, first, 0, dstFirst, 0);
            Thread other = new Thread(() -> {
                two.startGatherRows(BATCH, COLS, src, second, 0, dstSecond, 0);
                two.finishGatherRows();
            });
            other.start();
            other.join();
            assertArrayEquals(gathered(first), dstFirst, "completed by the other thread's start");
            two.finishGatherRows(); // no longer this thread's: returns
            assertArrayEquals(gathered(second), dstSecond);
        } finally {
            two.pool().background = two.ahead();
        }
    }

    @Test
    void aSecondStartOnOneThreadCompletesTheFirst() {
        two.pool().background = null;
        try {
            int[] first = batch(), second = batch();
            float[] dstFirst = new float[BATCH * COLS], dstSecond = new float[BATCH * COLS];
            two.startGatherRows(BATCH, COLS, src, first, 0, dstFirst, 0);
            two.startGatherRows(BATCH, COLS, src, second, 0, dstSecond, 0);
            assertArrayEquals(gathered(first), dstFirst);
            two.finishGatherRows();
            assertArrayEquals(gathered(second), dstSecond);
        } finally {
            two.pool().background = two.ahead();
        }
    }

    @Test
    void aGatherPendingAtShutdownIsCompletedByItsFinish() {
        two.pool().background = null;
        int[] index = batch();
        float[] dst = new float[BATCH * COLS];
        two.startGatherRows(BATCH, COLS, src, index, 0, dst, 0);
        two.shutdown();
        two.finishGatherRows();
        assertArrayEquals(gathered(index), dst);
        int[] after = batch();
        float[] now = new float[BATCH * COLS];
        two.startGatherRows(BATCH, COLS, src, after, 0, now, 0);
        assertArrayEquals(gathered(after), now, "after shutdown a start copies at once");
        two.finishGatherRows();
    }

    /** Products and element-wise calls run on the pool while a gather is pending, with their usual values. */
    @Test
    void callsOnThePoolWhileAGatherIsPending() {
        int m = 128, n = 256, k = 784;
        float[] a = random(m * k), b = random(n * k), c = new float[m * n], want = new float[m * n];
        // one part on this thread: the same bits as any cut (K is never split)
        org.bpnn.simd.kernel.Gemm.gemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, want, 0, n, 0, 1);
        for (int round = 0; round < 20; round++) {
            int[] index = batch();
            float[] dst = new float[BATCH * COLS];
            two.startGatherRows(BATCH, COLS, src, index, 0, dst, 0);
            Arrays.fill(c, Float.NaN);
            two.gemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n);
            assertTrue(two.lastGemmSplit(), "the product took the pool");
            assertArrayEquals(want, c, "round " + round);
            two.finishGatherRows();
            assertArrayEquals(gathered(index), dst, "round " + round);
        }
    }
}
