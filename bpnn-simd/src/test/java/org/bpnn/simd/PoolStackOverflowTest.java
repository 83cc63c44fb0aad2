package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A parallel call that overflows the caller's stack must still release the worker pool. Between the
 * claim and the release the backend and the pool made method calls outside any try/finally (the
 * call to the element-wise runner after the claim, the release itself, the drain in tryAcquire), and
 * a StackOverflowError in one of them left the pool claimed for good: every later call on one
 * thread, and Backend#shutdown() spinning at 100% forever. This sweeps the depths near the stack
 * limit, making one call at each, until the calls succeed again; before the fix the first sweep
 * (GEMM, or any element-wise call) left the pool claimed almost every time.
 */
class PoolStackOverflowTest {
    /** The vector module, and not the -Xint execution (interpreted kernels take minutes here). */
    private static void assumeCompiled() {
        SimdTesting.assumeVectorModule();
        assumeFalse(Boolean.getBoolean("bpnn.test.interpreted"), "too slow interpreted");
    }

    private static final int EW = 1 << 15;

    private final float[] x = new float[EW], y = new float[EW];
    private SimdBackend two;
    private int op;
    private int successes;
    private boolean swept;

    private void call() {
        switch (op) {
            case 0:
                two.axpy(EW, 0.5f, x, 0, y, 0);
                break;
            case 1:
                two.scale(EW, 1f, x, 0);
                break;
            case 2:
                two.firstNonFinite(EW, x, 0);
                break;
            default:
                two.gemm(false, false, 128, 256, 128, 1f, x, 0, 128, x, 0, 256, 0f, y, 0, 256);
        }
    }

    /** Recurses until the stack overflows, then calls once at each depth on the way back. */
    private void probe() {
        try {
            probe();
        } catch (StackOverflowError e) {
            // the deepest frame: start calling from here
        }
        if (swept) {
            return;
        }
        try {
            call();
            if (++successes > 50) {
                swept = true; // well clear of the limit
            }
        } catch (StackOverflowError e) {
            successes = 0;
        }
    }

    @Test
    void aCallThatOverflowsTheStackReleasesThePool() throws Exception {
        assumeCompiled();
        Random r = new Random(1);
        for (int i = 0; i < EW; i++) x[i] = (float) r.nextGaussian();
        assumeTrue(org.bpnn.simd.kernel.Simd.ENABLED, "bpnn.simd.bits=off: every call is the scalar reference, no pool");
        two = SimdTesting.alwaysSplit(new SimdBackend(2));
        WorkerPool pool = two.pool();
        for (int i = 0; i < 20_000; i++) { // compiled, as in a long training
            op = i & 3;
            call();
        }
        // at least 8 sweeps (two of each op) however slow the machine; more while time allows. The
        // floor is a count, not a timed assertion: under load (a busy CI host) 4 s gave as few as 4
        long end = System.nanoTime() + 4_000_000_000L;
        int sweeps = 0;
        // what escapes a sweep or the stopper (the sweep catches its stack overflows itself): left to
        // that thread, it would end only the thread, and the test would pass
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        for (; sweeps < 8 || sweeps < 400 && System.nanoTime() < end; sweeps++) {
            op = sweeps & 3;
            swept = false;
            successes = 0;
            Thread t = new Thread(null, this::probe, "stack-sweep", 1 << 20);
            t.setUncaughtExceptionHandler((th, e) -> thrown.set(e));
            t.start();
            t.join(60_000);
            assertFalse(t.isAlive(), "sweep " + sweeps + " (op " + op + ") still runs after 60 s");
            if (thrown.get() != null) fail("sweep " + sweeps + " (op " + op + ") threw", thrown.get());
            assertTrue(pool.tryAcquire(), "sweep " + sweeps + " (op " + op + ") left the pool claimed");
            pool.release();
        }

        // and the pool still works and stops
        float[] c = new float[128 * 256], c1 = new float[128 * 256];
        two.gemm(false, false, 128, 256, 128, 1f, x, 0, 128, x, 0, 256, 0f, c, 0, 256);
        new SimdBackend(1).gemm(false, false, 128, 256, 128, 1f, x, 0, 128, x, 0, 256, 0f, c1, 0, 256);
        assertArrayEquals(c1, c);
        Thread stopper = new Thread(two::shutdown);
        stopper.setDaemon(true);
        stopper.setUncaughtExceptionHandler((th, e) -> thrown.set(e));
        stopper.start();
        stopper.join(10_000);
        assertFalse(stopper.isAlive(), "shutdown did not return");
        if (thrown.get() != null) fail("shutdown threw", thrown.get());
    }
}
