package org.bpnn.data;

import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.nn.Rng;
import org.bpnn.tensor.Tensor;

/**
 * A data set cut into mini-batches in a (re-shufflable) row order, each batch copied into
 * contiguous tensors allocated once: one pair for full batches and one for a smaller last batch (and,
 * for a sample-weighted set, one weight tensor each). After construction, {@link #shuffle},
 * {@link #features}, {@link #targets} and {@link #weights} allocate nothing.
 *
 * <p>The tensors returned are reused: batch b's contents are valid until the next call for a batch
 * of the same size. Not thread-safe.
 */
public final class Batches {
    private final Dataset data;
    private final int batchSize;
    private final int count;
    private final int lastRows;
    private final int[] order;
    private final Tensor fullX;
    private final Tensor fullY;
    private final Tensor lastX;
    private final Tensor lastY;
    /** The batches' sample weights, (rows, 1), allocated once; null when the data set is unweighted. */
    private final Tensor fullW;
    private final Tensor lastW;
    /** Copies the rows of a batch: the reference row-by-row gather unless {@link #gatherWith} chose another. */
    private Backend copier = ScalarBackend.INSTANCE;
    /** Whether {@link #features} starts the next batch's copy ({@link #gatherAhead}). */
    private boolean ahead;
    /** The second full-batch features tensor that {@link #gatherAhead} alternates with fullX; made on first use. */
    private Tensor fullX2;
    /** The batch whose features copy was started into {@link #startedX}, or -1. */
    private int started = -1;
    private Tensor startedX;

    Batches(Dataset data, int batchSize, boolean dropLast) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be > 0, got " + batchSize + "; 32 is a usual start");
        }
        int n = data.size();
        int b = Math.min(batchSize, n);
        int full = n / b, rest = n - full * b;
        this.data = data;
        this.batchSize = b;
        this.count = count(n, batchSize, dropLast);
        this.lastRows = rest > 0 && !dropLast ? rest : b;
        this.order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        this.fullX = Tensor.zeros(b, data.featureCount());
        this.fullY = Tensor.zeros(b, data.targetCount());
        boolean partial = lastRows != b;
        this.lastX = partial ? Tensor.zeros(lastRows, data.featureCount()) : fullX;
        this.lastY = partial ? Tensor.zeros(lastRows, data.targetCount()) : fullY;
        boolean weighted = data.isWeighted();
        this.fullW = weighted ? Tensor.zeros(b, 1) : null;
        this.lastW = weighted ? (partial ? Tensor.zeros(lastRows, 1) : fullW) : null;
    }

    /** The number of batches. */
    public int count() { return count; }

    /**
     * The number of batches {@code rows} rows make at {@code batchSize}, as a pass counts them: a last,
     * smaller batch counts unless {@code dropLast}, and a batch size above the row count makes one
     * batch of every row. A per-step learning-rate schedule spans {@code epochs * count(...)} steps.
     *
     * @throws IllegalArgumentException if rows or batchSize is below 1
     */
    public static int count(int rows, int batchSize, boolean dropLast) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be > 0, got " + batchSize + "; 32 is a usual start");
        }
        if (rows <= 0) {
            throw new IllegalArgumentException("rows must be > 0, got " + rows + "; a data set has at least one row");
        }
        int b = Math.min(batchSize, rows), full = rows / b;
        return full + (rows > full * b && !dropLast ? 1 : 0);
    }

    /** Rows per full batch (the requested size, or n if smaller). */
    public int batchSize() { return batchSize; }

    /** The rows of batch b. */
    public int rows(int b) {
        checkBatch(b);
        return b == count - 1 ? lastRows : batchSize;
    }

    /** The number of rows visited per pass (n, or fewer when the last partial batch is dropped). */
    public int samplesPerPass() {
        return (count - 1) * batchSize + lastRows;
    }

    /** Restores the original row order. */
    public void unshuffle() {
        finishGathers(); // the started copy reads the order
        for (int i = 0; i < order.length; i++) order[i] = i;
    }

    /**
     * A new random row order: the identity permuted by Fisher-Yates with {@code rng}. The order
     * depends only on the rng's state, not on previous orders, so an epoch can be replayed from it.
     */
    public void shuffle(Rng rng) {
        unshuffle();
        rng.shuffle(order, order.length);
    }

    /**
     * Copies batch b's features into a preallocated tensor and returns it: (rows(b), featureCount).
     * With {@link #gatherAhead}, batch b's copy may have been started by the call before, and this
     * call starts batch b+1's into the other full-batch tensor.
     */
    public Tensor features(int b) {
        int rows = rows(b);
        int s = started;
        Tensor sx = startedX;
        finishGathers();
        Tensor x;
        if (s == b) {
            x = sx;
        } else {
            x = rows == batchSize ? fullX : lastX;
            gather(data.features(), x, b * batchSize);
        }
        if (ahead && copier.threads() > 1 && b + 1 < count && rows(b + 1) == batchSize) {
            if (fullX2 == null) {
                fullX2 = Tensor.zeros(batchSize, data.featureCount());
            }
            Tensor next = x == fullX ? fullX2 : fullX;
            copier.startGatherRows(batchSize, next.cols(), data.features().data(), order, (b + 1) * batchSize,
                    next.data(), 0);
            startedX = next;
            started = b + 1;
        }
        return x;
    }

    /**
     * Has {@link #features} start copying the next batch's features when it returns a batch's, so
     * that a backend with idle threads ({@link Backend#startGatherRows}) copies it while the caller
     * trains on this one; the batches are the same. Only for a backend of more than one thread
     * ({@link Backend#threads()}): one thread would copy the next batch at once, before this one
     * trains, and gain nothing (a one-thread training step in one JVM, switching every round: 1114 us a step
     * without, 1128 with). Batch b's features tensor then stays valid until the
     * next call of {@link #features}, as before, and the full-batch tensors alternate between two. The
     * data set's features must not change while batches are drawn; call {@link #finishGathers()} before
     * dropping this object in the middle of a pass. Returns this.
     */
    public Batches gatherAhead() {
        this.ahead = true;
        return this;
    }

    /**
     * Waits for a copy that {@link #gatherAhead} started, if any (the next {@link #features} call then
     * copies its batch again): a trainer stopped in the middle of a pass leaves none behind, for the
     * backend would hold the data set until it completes.
     */
    public void finishGathers() {
        if (started >= 0) {
            started = -1;
            startedX = null;
            copier.finishGatherRows();
        }
    }

    /** Copies batch b's targets into the preallocated tensor and returns it: (rows(b), targetCount). */
    public Tensor targets(int b) {
        Tensor y = rows(b) == batchSize ? fullY : lastY;
        gather(data.targets(), y, b * batchSize);
        return y;
    }

    /**
     * Copies batch b's sample weights into the preallocated tensor and returns it: (rows(b), 1); null
     * when the data set is unweighted (so that a trainer takes the unweighted path). The batch's rows are
     * those of {@link #features} and {@link #targets} for the same b and order.
     */
    public Tensor weights(int b) {
        if (fullW == null) {
            checkBatch(b);
            return null;
        }
        Tensor w = rows(b) == batchSize ? fullW : lastW;
        gather(data.sampleWeights(), w, b * batchSize);
        return w;
    }

    /**
     * Copies batches with {@code backend}'s {@link Backend#gatherRows} (which may use its threads)
     * instead of on the calling thread; the tensors' contents are the same. Returns this.
     */
    public Batches gatherWith(Backend backend) {
        if (backend == null) {
            throw new IllegalArgumentException("backend is null; pass the network's, e.g. gatherWith(network.backend())");
        }
        finishGathers(); // on the backend that started it
        this.copier = backend;
        return this;
    }

    private void gather(Tensor src, Tensor dst, int first) {
        int c = src.cols(), rows = dst.rows();
        copier.gatherRows(rows, c, src.data(), order, first, dst.data(), 0);
    }

    private void checkBatch(int b) {
        if (b < 0 || b >= count) {
            throw new IndexOutOfBoundsException("batch " + b + " outside [0, " + count + ")");
        }
    }

    @Override
    public String toString() {
        return "Batches(" + count + " of " + batchSize + " rows" + (lastRows != batchSize ? ", last " + lastRows : "") + ")";
    }
}
