package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.ArrayList;
import java.util.List;
import org.bpnn.backend.Backend;
import org.bpnn.backend.ElementwiseOp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Results must be bit-identical for 1 and 2 threads (work is split over rows and columns of C, never
 * over K), and the backend must give the same answers when several threads call it at once.
 */
class ThreadDeterminismTest {
    private Backend one;
    private Backend two;

    @BeforeEach
    void backends() {
        one = SimdTesting.oneThread();
        two = SimdTesting.twoThreads();
    }

    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private static float[] gemm(Backend be, boolean ta, boolean tb, int m, int n, int k, float[] a, float[] b,
                                float beta, float[] c0) {
        float[] c = c0.clone();
        be.gemm(ta, tb, m, n, k, 0.75f, a, 1, ta ? m : k, b, 2, tb ? k : n, beta, c, 3, n);
        return c;
    }

    @Test
    void gemmIsBitIdenticalForOneAndTwoThreads() {
        Random r = new Random(11);
        int[][] shapes = {{300, 257, 131}, {128, 784, 256}, {128, 256, 784}, {128, 10, 128}, {10, 128, 128},
                {128, 128, 10}, {1, 256, 784}, {1, 784, 256}, {257, 1, 300}, {64, 64, 64}, {67, 301, 1031}, {64, 100, 500}};
        assertEquals(2, two.threads());
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    float[] a = random(r, 1 + m * k), b = random(r, 2 + k * n), c0 = random(r, 3 + m * n);
                    for (float beta : new float[] {0f, 0.5f}) {
                        float[] c1 = gemm(one, ta, tb, m, n, k, a, b, beta, c0);
                        float[] c2 = gemm(two, ta, tb, m, n, k, a, b, beta, c0);
                        assertArrayEquals(c1, c2, (ta ? "T" : "N") + (tb ? "T" : "N") + " " + m + "x" + n + "x" + k
                                + " beta=" + beta + ": 1 and 2 threads differ");
                    }
                }
            }
        }
    }

    /**
     * Bit for bit, sigmoid, tanh and softmax included: the simd exp's operations are the same in every mode,
     * so a kernel compiled between the one- and the two-thread call gives the same bits. (With the
     * Vector API's lanewise(EXP) it did not, and this test had to allow 16 ulps for those kernels.
     * Renaming this method from "elementwiseIsBitIdentical..." reordered the class's methods and, on
     * JDK 17, put the JIT into the state where GEMM stores boxed: the suite's allocation tests failed
     * in 2 of 3 runs until the kernels cast their vectors to the species' class; see GemmKernels.)
     */
    @Test
    void elementwiseMatchesForOneAndTwoThreads() {
        Random r = new Random(12);
        int rows = 257, cols = 301, n = rows * cols;
        float[] z = random(r, n), bias = random(r, cols), g = random(r, n);
        for (ElementwiseOp op : ElementwiseOp.values()) {
            float[] z1 = z.clone(), z2 = z.clone(), a1 = new float[n], a2 = new float[n];
            one.biasActivation(op, 0.01f, rows, cols, z1, 0, cols, bias, 0, a1, 0, cols);
            two.biasActivation(op, 0.01f, rows, cols, z2, 0, cols, bias, 0, a2, 0, cols);
            assertArrayEquals(a1, a2, op + " forward");
            float[] o1 = new float[n], o2 = new float[n];
            one.activationBackward(op, 0.01f, n - 5, a1, 0, g, 5, o1, 0);
            two.activationBackward(op, 0.01f, n - 5, a1, 0, g, 5, o2, 0);
            assertArrayEquals(o1, o2, op + " backward");
        }
        float[] s1 = new float[n], s2 = new float[n];
        one.softmaxRows(rows, cols, z, 0, cols, s1, 0, cols);
        two.softmaxRows(rows, cols, z, 0, cols, s2, 0, cols);
        assertArrayEquals(s1, s2, "softmax");
        // rows narrower than a vector: one exp over the block of rows, cut between threads by rows; 2003
        // rows put the cut at row 1001, element 10010, inside a vector of the one-thread block
        int narrowRows = 2003, classes = 10;
        float[] n1 = new float[narrowRows * classes], n2 = new float[narrowRows * classes];
        one.softmaxRows(narrowRows, classes, z, 0, classes, n1, 0, classes);
        two.softmaxRows(narrowRows, classes, z, 0, classes, n2, 0, classes);
        assertArrayEquals(n1, n2, "softmax over 10 classes");
        float[] d1 = new float[n], d2 = new float[n];
        one.softmaxBackward(rows, cols, s1, 0, g, 0, d1, 0);
        two.softmaxBackward(rows, cols, s1, 0, g, 0, d2, 0);
        assertArrayEquals(d1, d2, "softmax backward");
        float[] c1 = random(r, cols), c2 = c1.clone();
        one.sumColumns(rows, cols, 0.5f, z, 0, cols, 0.25f, c1, 0);
        two.sumColumns(rows, cols, 0.5f, z, 0, cols, 0.25f, c2, 0);
        assertArrayEquals(c1, c2, "sumColumns");
        float[] w1 = z.clone(), w2 = z.clone(), m1 = g.clone(), m2 = g.clone(), v1 = new float[n], v2 = new float[n];
        one.adamUpdate(n - 3, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f, 0.001f, 0.01f, w1, 0, g, 3, m1, 0, v1, 0);
        two.adamUpdate(n - 3, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f, 0.001f, 0.01f, w2, 0, g, 3, m2, 0, v2, 0);
        assertArrayEquals(w1, w2, "adam");
        one.momentumUpdate(n, 0.1f, 0.9f, true, w1, 0, g, 0, v1, 0);
        two.momentumUpdate(n, 0.1f, 0.9f, true, w2, 0, g, 0, v2, 0);
        assertArrayEquals(w1, w2, "momentum");
        one.axpy(n - 1, 0.3f, g, 1, w1, 0);
        two.axpy(n - 1, 0.3f, g, 1, w2, 0);
        assertArrayEquals(w1, w2, "axpy");
    }

    /**
     * Four threads scan their own arrays (each with its first NaN at its own index) on one two-thread
     * backend. The parts' results used to be read after the pool was released, so another caller's
     * scan could overwrite them first: this test failed 3 of 3 times against that code, each within
     * about a second (a NaN missed, another caller's index returned). Timed, so it bounds the cost
     * rather than proves the absence. What a scanning thread throws is collected and thrown here:
     * left to the thread, it would end only that thread, and the test would pass.
     */
    @Test
    void concurrentScansForNonFiniteValuesEachGetTheirOwnAnswer() throws Throwable {
        int n = SimdBackend.ELEMENTWISE_PARALLEL; // large enough to take the pool
        int users = 4;
        AtomicReference<String> wrong = new AtomicReference<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        long end = System.nanoTime() + 2_000_000_000L;
        Thread[] ts = new Thread[users];
        for (int u = 0; u < users; u++) {
            int expect = u == 0 ? -1 : u;
            float[] x = new float[n];
            if (u > 0) {
                x[u] = Float.NaN;
                x[n / 2 + u] = Float.NaN; // one in the second part too, so both parts find something
            }
            ts[u] = new Thread(() -> {
                do { // at least one round, even for a thread that starts after the deadline
                    for (int i = 0; i < 100; i++) {
                        int got = two.firstNonFinite(n, x, 0);
                        if (got != expect) {
                            wrong.compareAndSet(null, "expected " + expect + ", got " + got);
                        }
                    }
                } while (System.nanoTime() < end && wrong.get() == null && failures.isEmpty());
            }, "scan-" + u);
            ts[u].setUncaughtExceptionHandler((t, e) -> failures.add(e));
        }
        for (Thread t : ts) t.start();
        // the scans stop after 2 s; far past that, a scan waits forever
        long deadline = System.currentTimeMillis() + 30_000;
        for (Thread t : ts) {
            t.join(Math.max(1, deadline - System.currentTimeMillis()));
            assertFalse(t.isAlive(), t.getName() + " still runs after 30 s (the scans stop after 2): a call waits forever");
        }
        if (!failures.isEmpty()) {
            Throwable first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
        assertNull(wrong.get(), () -> "a concurrent scan returned another caller's index: " + wrong.get());
    }

    @Test
    void concurrentCallersGetTheSameAnswers() throws Exception {
        Random r = new Random(13);
        int m = 128, n = 256, k = 784;
        float[] a = random(r, m * k), b = random(r, n * k);
        float[] expected = new float[m * n];
        one.gemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, expected, 0, n);
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> fs = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                fs.add(ex.submit(() -> {
                    float[] c = new float[m * n];
                    two.gemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n);
                    return c;
                }));
            }
            // 16 products take well under a second; far past that, a call waits forever
            for (int t = 0; t < fs.size(); t++) {
                float[] got;
                try {
                    got = fs.get(t).get(60, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    throw new AssertionError("concurrent gemm " + t + " of " + fs.size() + " has not returned after a"
                            + " 60 s wait: a call waits forever", e);
                }
                assertArrayEquals(expected, got, "concurrent gemm " + t);
            }
        } finally {
            ex.shutdownNow();
        }
    }
}
