package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The pool's hand-out protocol: every chunk of a run runs exactly once, inside that run. Runs with
 * different chunk counts alternate back to back, as a training step's GEMMs (4 chunks on two threads)
 * and element-wise calls (2) do; with the chunk count kept beside the ticket instead of in it, a
 * worker occasionally claimed a chunk of an already finished run, and the caller then cleared the
 * task's arrays under a running chunk (seen as an NPE in training). This loop found that within about
 * a second on the development machine; it runs for a fixed time, so it bounds the cost, not the proof.
 */
class WorkerPoolTest {

    /** A task whose input exists only while its run is in progress, and which counts its chunks. */
    private static final class Checked implements WorkerPool.Task {
        volatile int[] input;
        final AtomicInteger[] runs = new AtomicInteger[8];
        final AtomicReference<String> problem;

        Checked(AtomicReference<String> problem) {
            this.problem = problem;
            for (int i = 0; i < runs.length; i++) runs[i] = new AtomicInteger();
        }

        @Override
        public void run(int chunk, int chunks) {
            int[] in = input;
            if (in == null) {
                problem.compareAndSet(null, "chunk " + chunk + " of " + chunks + " ran outside its run");
                return;
            }
            int s = 0;
            for (int i = 0; i < 64; i++) s += in[(chunk + i) % in.length]; // a little work, so runs overlap
            in[chunk] = s;
            runs[chunk].incrementAndGet();
        }
    }

    @Test
    void everyChunkRunsOnceInsideItsRunWhileChunkCountsAlternate() {
        WorkerPool pool = new WorkerPool(2, "bpnn-simd-test");
        AtomicReference<String> problem = new AtomicReference<>();
        Checked[] tasks = {new Checked(problem), new Checked(problem)};
        int[] counts = {2, 4, 2, 3, 1, 4};
        int[] data = new int[8];
        long end = System.nanoTime() + 2_000_000_000L;
        long run = 0;
        while (System.nanoTime() < end && problem.get() == null) {
            Checked t = tasks[(int) (run & 1)];
            int n = counts[(int) (run % counts.length)];
            for (int c = 0; c < n; c++) t.runs[c].set(0);
            assertTrue(pool.tryAcquire(), "the pool is free between runs");
            t.input = data;
            try {
                pool.run(t, n);
            } finally {
                t.input = null;
                pool.release();
            }
            for (int c = 0; c < n; c++) {
                if (t.runs[c].get() != 1) {
                    problem.compareAndSet(null, "run " + run + ": chunk " + c + " of " + n + " ran " + t.runs[c].get() + " times");
                }
            }
            run++;
        }
        assertEquals(null, problem.get(), "after " + run + " runs");
    }

    @Test
    void chunkCountsOutsideTheTicketsRangeAreRejected() {
        WorkerPool pool = new WorkerPool(2, "bpnn-simd-test");
        WorkerPool.Task noop = (chunk, chunks) -> { };
        assertThrows(IllegalArgumentException.class, () -> pool.run(noop, 0));
        assertThrows(IllegalArgumentException.class, () -> pool.run(noop, WorkerPool.MAX_CHUNKS + 1));
    }

    @Test
    void theBackendRefusesThreadCountsThePoolCannotServe() {
        // 2 chunks per thread must stay within the ticket's chunk range
        assertTrue(2 * SimdBackend.MAX_THREADS <= WorkerPool.MAX_CHUNKS);
        for (int bad : new int[] {0, -3, SimdBackend.MAX_THREADS + 1, Integer.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SimdBackend(bad));
            assertTrue(e.getMessage().contains("threads must be in [1, " + SimdBackend.MAX_THREADS + "], got " + bad),
                    e.getMessage());
        }
    }
}
