package org.bpnn.simd;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bpnn.simd.kernel.Elementwise;

/**
 * A gather started ahead ({@link SimdBackend#startGatherRows}): the pool's idle workers copy it a few
 * rows at a time between runs ({@link WorkerPool.Background}), and the thread that started it copies
 * what is left when it finishes it. In a training step on two threads the worker is idle while the
 * caller computes the output layer, its loss and the small updates on its own (about 40 us of a 700 us
 * step); the next batch's gather, 50 us split across both cores, fits in those gaps.
 *
 * <p>One gather at a time per backend. Starting one completes the previous one first, whichever thread
 * started it (its owner's finish then has nothing left to wait for); a piece copies exactly the rows its
 * starter asked for, so who copies it does not change the result. Pieces are claimed through a ticket
 * ({@code (generation << 32) | (end << 16) | next}, as {@link WorkerPool}'s), so a worker holding a
 * stale ticket cannot claim a piece of the next gather. No allocation per gather.
 */
final class GatherAhead implements WorkerPool.Background {
    /**
     * About this many floats per piece (8 KB; two rows of 784): a run that starts while a worker copies a
     * piece waits for it, well under a microsecond.
     */
    static final int PIECE_FLOATS = 2048;

    private final AtomicLong ticket = new AtomicLong();
    private final AtomicInteger done = new AtomicInteger();
    /** Pieces copied by threads other than the gather's starter: for tests. */
    final AtomicLong copiedByOthers = new AtomicLong();
    /** The gather being copied; written under this object's lock before the ticket that publishes them. */
    private int generation, pieces, rowsPerPiece, rows, cols, indexOff, dstOff;
    private float[] src, dst;
    private int[] index;
    /** Who started the gather in progress, or null; under this object's lock. */
    private Thread owner;
    /** A piece threw (a worker's StackOverflowError or OutOfMemoryError): its starter copies it all again. */
    private volatile boolean failed;

    /**
     * Starts copying dst row i = src row index[indexOff + i] for i in [0, rows), once the previous gather
     * is complete. The caller has checked every index and bound, and that rows * cols is at least 2 pieces.
     */
    synchronized void start(int rows, int cols, float[] src, int[] index, int indexOff, float[] dst, int dstOff) {
        complete();
        int per = Math.max(1, PIECE_FLOATS / Math.max(1, cols));
        per = Math.max(per, (rows + 0xFFFE) / 0xFFFF); // pieces fit the ticket's 16 bits
        this.rowsPerPiece = per;
        this.pieces = (rows + per - 1) / per;
        this.rows = rows;
        this.cols = cols;
        this.src = src;
        this.index = index;
        this.indexOff = indexOff;
        this.dst = dst;
        this.dstOff = dstOff;
        this.failed = false;
        this.owner = Thread.currentThread();
        done.set(0);
        generation++;
        ticket.set((long) generation << 32 | (long) pieces << 16); // publishes the fields above
    }

    /** Completes the gather {@code thread} started, if it is still the one in progress. */
    synchronized void finish(Thread thread) {
        if (owner == thread) {
            complete();
        }
    }

    /**
     * Copies the unclaimed pieces on this thread, waits for those in progress elsewhere, and forgets the
     * gather (its arrays too: a finished gather must not keep a training set reachable).
     */
    private void complete() {
        if (owner == null) {
            return;
        }
        while (work()) {
            // the pieces no worker claimed
        }
        while (done.get() < pieces) {
            Thread.onSpinWait(); // a piece is in progress on a worker: under a microsecond
        }
        owner = null;
        float[] s = src, d = dst;
        int[] ix = index;
        src = dst = null;
        index = null;
        if (failed) {
            Elementwise.gatherRows(0, rows, cols, s, ix, indexOff, d, dstOff); // throws what the piece threw, or copies
        }
    }

    @Override
    public boolean work() {
        while (true) {
            long t = ticket.get();
            int next = (int) (t & 0xFFFF), end = (int) ((t >>> 16) & 0xFFFF);
            if (next >= end) {
                return false;
            }
            if (!ticket.compareAndSet(t, t + 1)) {
                continue;
            }
            try {
                int from = next * rowsPerPiece, to = Math.min(rows, from + rowsPerPiece);
                Elementwise.gatherRows(from, to, cols, src, index, indexOff, dst, dstOff);
                if (Thread.currentThread() != owner) {
                    copiedByOthers.incrementAndGet();
                }
            } catch (Throwable e) {
                failed = true;
            } finally {
                done.incrementAndGet();
            }
            return true;
        }
    }

    @Override
    public boolean pending() {
        long t = ticket.get();
        return (int) (t & 0xFFFF) < (int) ((t >>> 16) & 0xFFFF);
    }
}
