package org.bpnn.simd;

import java.lang.ref.Cleaner;
import org.bpnn.backend.Backend;
import org.bpnn.backend.ElementwiseOp;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.simd.kernel.Elementwise;
import org.bpnn.simd.kernel.Gemm;
import org.bpnn.simd.kernel.Simd;

/**
 * The simd backend: GEMM and element-wise kernels on {@code jdk.incubator.vector}
 * ({@link org.bpnn.simd.kernel}), split across {@link #threads()} threads when large enough.
 *
 * <p>Threads: work is split over rows or columns of C (whole vectors or panels; never over K), element
 * ranges (at multiples of the lane count) or rows, so results are bit-identical for every thread count. GEMMs
 * below {@link #GEMM_PARALLEL_FLOPS} and element-wise calls below {@link #ELEMENTWISE_PARALLEL}
 * elements run on the calling thread, and so does every call for a while after split calls took
 * longer than the caller alone would have (another process on the other core: see
 * {@code StallGuard}; {@code -Dbpnn.simd.stallGuard=false} turns that off). The backend is thread-safe:
 * when several threads call it at once, the one that claims the worker pool uses it and the others
 * compute on their own thread.
 *
 * <p>A backend that is no longer referenced ends its worker threads once it is garbage-collected,
 * as {@link #shutdown()} would: one created per trial of a search and dropped with the trial's
 * network does not leave its threads behind.
 *
 * <p>With {@code -Dbpnn.simd.bits=0} (or {@code off}) every primitive runs the scalar reference.
 */
public final class SimdBackend implements Backend {
    /**
     * Below this many flops (2 m n k) a GEMM runs on the calling thread; the system property
     * {@code bpnn.simd.gemmParallelFlops} overrides it (0 = always split, for measuring). Measured
     * with the property at 0 (best of 34 in-process trials, the second core shared with other
     * builds): the 10-wide layer's 0.33 MFLOP products ran at 0.69-0.86x on two threads (row split,
     * B packed per chunk); 0.26-4 MFLOP squares at 0.96-1.0x. 2 MFLOP keeps the former on the caller;
     * when the other core was free for part of a run, 128x128x128 (4.2 MFLOP) reached 1.45x.
     */
    static final long GEMM_PARALLEL_FLOPS = Long.getLong("bpnn.simd.gemmParallelFlops", 2_000_000L);
    /**
     * The same threshold for a matrix-vector product (m == 1 or n == 1: single-sample predict). It is
     * bound by reading the matrix from L2, and each core reads its share from its own L2, so it pays
     * to split much smaller ones: 784x256 (0.4 MFLOP) predict measured 9.4 us split on two threads
     * against 12.5 us unsplit (PredictBenchmark, JDK 17). Override: {@code bpnn.simd.gemvParallelFlops}.
     */
    static final long GEMV_PARALLEL_FLOPS = Long.getLong("bpnn.simd.gemvParallelFlops", 200_000L);
    /**
     * Below this many elements an element-wise call runs on the calling thread. 16K puts the
     * 128 x 256 and 128 x 128 layers' activation passes of a training step on both threads: their
     * input is written by a two-thread GEMM, so a single thread would pull half of it from the other
     * core's cache (bias + ReLU on 128 x 256: 11 us on one thread alone, 18-28 us after a two-thread
     * product). Measured on a 784-256-128-10 training step at batch 128, 2 threads, the thresholds
     * alternating in one JVM: 64K 831 / 791 / 815 us, 16K 817 / 773 / 806 us; 4K no better than 16K.
     */
    static final int ELEMENTWISE_PARALLEL = 1 << 14;

    /**
     * From this many elements an element-wise call is split even when the last matrix product ran on
     * one thread (see {@link #lastGemmSplit}).
     */
    static final int ELEMENTWISE_PARALLEL_ALONE = 1 << 20;

    /**
     * Whether the last matrix product was split across the threads. Below {@link
     * #ELEMENTWISE_PARALLEL_ALONE} elements an element-wise call is split only then: its data was just
     * written by both cores, whereas after a one-thread product (a small batch) it sits in the caller's
     * cache, and splitting it would send half of it to the other core and back. A 784-256-128-10 training
     * step at batch 1 and 4 (the SGD update and the scans of W1's 200K elements split, the products not)
     * took 1.32x and 1.23x as long on two threads as on one (JMH, reproduced in one JVM alternating
     * the two). A hint shared by the backend's callers without synchronisation: it decides only how
     * the work is cut, never a value.
     */
    private boolean lastGemmSplit;
    private final int elementwiseAlone;

    /**
     * Matrices that an optimiser update (axpy, momentum, Adam) of at least {@link #ELEMENTWISE_PARALLEL}
     * elements wrote on the calling thread alone, not yet read by a matrix-vector product since. Such a
     * product runs on the caller (and forgets the matrix, so the next one splits again): at batch 1 the
     * update writes W1 on one core, and a split product in the next forward pass would have the other
     * core pull its half of W1's 200K floats from the first core's cache at every step. JMH trainStep
     * 784-256-128-10@1, JDK 17, 1 and 2 threads: 103 and 137 us with that product split (one fork
     * each), 96.7 and 97.1 us with it on the caller (two forks each). Single-sample predict of fixed weights still splits
     * (PredictBenchmark.predictInto, 3 forks: 12.6 us on 1 thread, 7.8 on 2).
     * Like {@link #lastGemmSplit}, a hint read and written without synchronisation: it decides only how
     * the work is cut, never a value. A matrix is recorded by its identity hash and length, not held: the
     * backend is shared and long-lived, and holding arrays would keep a discarded network's weights reachable
     * (a collision only keeps one product on one thread). 0 is an empty slot.
     */
    private final long[] writtenAlone = new long[8];
    private int writtenAlonePos;

    private static final Backend REF = ScalarBackend.INSTANCE;

    /**
     * Upper bound on threads: a call is cut into at most 2 chunks per thread, and the pool hands out
     * at most {@code WorkerPool.MAX_CHUNKS}; far below that, each thread is a started platform thread.
     */
    static final int MAX_THREADS = 1024;

    private final int threads;
    private final WorkerPool pool;
    private final GemmTask gemmTask = new GemmTask();
    /** Each calling thread's element-wise task, filled before the pool is claimed (see {@link #runParallel}). */
    private final ThreadLocal<EwTask> ewTasks;

    SimdBackend(int threads) {
        this(threads, ELEMENTWISE_PARALLEL_ALONE);
    }

    /**
     * Stops the pools of backends that became unreachable. Created with the first backend that has
     * workers; {@link Cleaner#create()}'s thread carries no context class loader, so it does not keep
     * an application's classes loaded after the host unloads it.
     */
    private static final class Dropped {
        static final Cleaner CLEANER = Cleaner.create();
    }

    /**
     * @param elementwiseAlone from how many elements an element-wise call is split after a one-thread
     *        product ({@link #ELEMENTWISE_PARALLEL_ALONE}; the two-thread contract tests pass
     *        {@link #ELEMENTWISE_PARALLEL} so that every large call takes the pool)
     */
    SimdBackend(int threads, int elementwiseAlone) {
        this.elementwiseAlone = elementwiseAlone;
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be in [1, " + MAX_THREADS + "], got " + threads
                    + "; this machine has " + Runtime.getRuntime().availableProcessors()
                    + " processors, and more threads than cores only slow the kernels down");
        }
        this.threads = threads;
        this.pool = threads > 1 ? new WorkerPool(threads, "bpnn-simd") : null;
        if (pool != null) {
            // The workers hold the pool, not the backend, and park when idle: a backend dropped without
            // shutdown() (one per trial of a search, from SimdBackendProvider.create) would otherwise leave
            // threads - 1 parked threads behind for good. The action captures the pool alone (never this, which
            // would keep the backend reachable); shutdown() waits for a call in progress, so a backend
            // collected while its last call still runs (its reference dead in the caller) is not
            // stopped under that call, and after it a call computes on its caller, with the same bits.
            Dropped.CLEANER.register(this, pool::shutdown);
        }
        if (pool != null) {
            pool.background = ahead;
        }
        this.ewTasks = ThreadLocal.withInitial(() -> new EwTask(threads));
        // Initialise the species holder now (it logs the choice once), not inside the first kernel.
        Simd.describe();
    }

    @Override
    public String name() {
        return "simd";
    }

    /**
     * Ends the worker threads (after a call in progress); later calls compute on the calling thread,
     * with the same results, and {@link #threads()} still reports the configured count (see
     * {@link Backend#threads()} for why) while {@link #toString()} says it is shut down. From then on
     * {@link #isShutdown()} is true, so {@code Backends.get} creates a new instance instead of handing
     * out this one. A backend dropped without it ends its workers when it is garbage-collected.
     */
    @Override
    public void shutdown() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    /**
     * Whether {@link #shutdown()} ended the worker threads. A one-thread backend has none to end and
     * computes as before, so it answers false.
     */
    @Override
    public boolean isShutdown() {
        return pool != null && pool.isStopped();
    }

    /** The pool's worker threads (for tests); empty with one thread. */
    Thread[] workerThreads() {
        return pool == null ? new Thread[0] : pool.workers();
    }

    @Override
    public int threads() {
        return threads;
    }

    /** How many parts a job of {@code units} independent units and the given size should use. */
    private int parts(boolean large, int units) {
        if (pool == null || !large || !pool.guard.allowsSplit(System.nanoTime())) {
            return 1;
        }
        return Math.max(1, Math.min(threads, units));
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        if (!Simd.ENABLED) {
            REF.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        boolean gemv = m == 1 || n == 1;
        long threshold = gemv ? GEMV_PARALLEL_FLOPS : GEMM_PARALLEL_FLOPS;
        int parts = pool != null && 2L * m * n * k >= threshold ? Gemm.chunks(transA, transB, m, n, k, beta, threads) : 1;
        if (parts > 1 && gemv && forgetWrittenAlone(m == 1 ? b : a)) {
            parts = 1;
        }
        // Recorded after the claim: a caller that finds the pool busy computes alone, and counting that
        // product as split would make the element-wise calls after it split data that sits in one core's cache.
        boolean split = parts > 1 && pool.guard.allowsSplit(System.nanoTime()) && pool.tryAcquire();
        lastGemmSplit = split;
        if (split) {
            GemmTask t = gemmTask;
            try {
                t.transA = transA;
                t.transB = transB;
                t.m = m;
                t.n = n;
                t.k = k;
                t.alpha = alpha;
                t.a = a;
                t.aOff = aOff;
                t.lda = lda;
                t.b = b;
                t.bOff = bOff;
                t.ldb = ldb;
                t.beta = beta;
                t.c = c;
                t.cOff = cOff;
                t.ldc = ldc;
                pool.run(t, parts);
            } finally {
                t.a = t.b = t.c = null;
                pool.busy = false; // no call between claim and release: see runParallel
            }
            return;
        }
        Gemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, 0, 1);
    }

    private static final class GemmTask implements WorkerPool.Task {
        boolean transA, transB;
        int m, n, k, aOff, lda, bOff, ldb, cOff, ldc;
        float alpha, beta;
        float[] a, b, c;

        @Override
        public void run(int part, int parts) {
            Gemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, part, parts);
        }
    }

    // ---- element-wise: one preallocated task with an opcode --------------------------------------

    private static final int BIAS_ACT = 1, ACT_BACK = 2, SOFTMAX = 3, SOFTMAX_BACK = 4, SUM_COLS = 5,
            AXPY = 6, SCALE = 7, MUL_ADD = 8, MOMENTUM = 9, ADAM = 10, GATHER = 11, NON_FINITE = 12;

    private static final class EwTask implements WorkerPool.Task {
        int code;
        ElementwiseOp op;
        boolean flag;
        int count, rows, cols, o0, o1, o2, o3, ld0, ld1, ld2;
        float f0, f1, f2, f3, f4, f5, f6;
        float[] x0, x1, x2, x3;
        int[] index;
        /** NON_FINITE: per part, the first bad element's index in x (or -1). */
        final int[] found;

        EwTask(int threads) {
            found = new int[threads];
        }

        /** [start, end) of part of count units, split at multiples of {@code align}. */
        int bound(int part, int parts, int units, int align) {
            int blocks = (units + align - 1) / align;
            return Math.min(units, (int) ((long) blocks * part / parts) * align);
        }

        @Override
        public void run(int part, int parts) {
            // Rows split anywhere; element ranges at multiples of the lanes (only the last part has
            // a scalar tail, the same elements as on one thread); columns at multiples of 4 vectors.
            int align = code == BIAS_ACT || code == SOFTMAX || code == SOFTMAX_BACK || code == GATHER ? 1
                    : code == SUM_COLS ? 4 * Simd.LANES : Simd.LANES;
            int from = bound(part, parts, count, align), to = bound(part + 1, parts, count, align);
            if (from >= to) {
                if (code == NON_FINITE) {
                    found[part] = -1;
                }
                return;
            }
            switch (code) {
                case BIAS_ACT:
                    Elementwise.biasActivation(op, f0, from, to, cols, x0, o0, ld0, x1, o1, x2, o2, ld2);
                    break;
                case ACT_BACK:
                    Elementwise.activationBackward(op, f0, from, to, x0, o0, x1, o1, x2, o2);
                    break;
                case SOFTMAX:
                    Elementwise.softmaxRows(from, to, cols, x0, o0, ld0, x1, o1, ld1);
                    break;
                case SOFTMAX_BACK:
                    Elementwise.softmaxBackward(from, to, cols, x0, o0, x1, o1, x2, o2);
                    break;
                case SUM_COLS:
                    Elementwise.sumColumns(rows, from, to, f0, x0, o0, ld0, f1, x1, o1);
                    break;
                case AXPY:
                    Elementwise.axpy(from, to, f0, x0, o0, x1, o1);
                    break;
                case SCALE:
                    Elementwise.scale(from, to, f0, x0, o0);
                    break;
                case MUL_ADD:
                    Elementwise.multiplyAdd(from, to, x0, o0, x1, o1, x2, o2);
                    break;
                case MOMENTUM:
                    Elementwise.momentumUpdate(from, to, f0, f1, flag, x0, o0, x1, o1, x2, o2);
                    break;
                case ADAM:
                    Elementwise.adamUpdate(from, to, f0, f1, f2, f3, f4, f5, f6, x0, o0, x1, o1, x2, o2, x3, o3);
                    break;
                case GATHER:
                    Elementwise.gatherRows(from, to, cols, x0, index, o0, x1, o1);
                    break;
                case NON_FINITE: {
                    int j = Elementwise.firstNonFinite(to - from, x0, o0 + from);
                    found[part] = j < 0 ? -1 : from + j;
                    break;
                }
                default:
                    throw new AssertionError(code);
            }
        }
    }

    /** {@link #runParallel}'s answer when the pool was busy: the caller computes on its own thread. */
    private static final int NOT_RUN = -2;

    /**
     * Runs the calling thread's prepared element-wise task on the pool, or returns {@link #NOT_RUN} when
     * another call holds the pool. Returns, for {@link #NON_FINITE}, the least index any part found (-1
     * for none), else -1.
     *
     * <p>The pool is claimed here, right before the try whose finally releases it with plain field
     * writes, no call: near the stack limit any call can throw StackOverflowError, and one between a
     * claim and its release would leave the pool claimed for good (every later call would run on one
     * thread and {@link #shutdown()} would spin forever). That is why each thread fills a task of its own
     * ({@link #ewTasks}) before the claim, instead of one shared task after it.
     */
    private int runParallel(EwTask t, int parts) {
        if (!pool.tryAcquire()) {
            t.x0 = t.x1 = t.x2 = t.x3 = null;
            t.index = null;
            return NOT_RUN;
        }
        try {
            pool.run(t, parts);
            int first = -1;
            if (t.code == NON_FINITE) {
                for (int p = 0; p < parts; p++) {
                    int j = t.found[p];
                    if (j >= 0 && (first < 0 || j < first)) {
                        first = j;
                    }
                }
            }
            return first;
        } finally {
            t.x0 = t.x1 = t.x2 = t.x3 = null;
            t.index = null;
            pool.busy = false;
        }
    }

    /** Records that an update wrote {@code w} (n elements) on the calling thread (see {@link #writtenAlone}). */
    private void wroteAlone(float[] w, int n) {
        if (pool != null && n >= ELEMENTWISE_PARALLEL) {
            int i = writtenAlonePos;
            writtenAlone[i] = key(w);
            writtenAlonePos = (i + 1) % writtenAlone.length;
        }
    }

    /** Whether {@code matrix} is among {@link #writtenAlone}; removes it. */
    private boolean forgetWrittenAlone(float[] matrix) {
        long k = key(matrix);
        long[] ws = writtenAlone;
        for (int i = 0; i < ws.length; i++) {
            if (ws[i] == k) {
                ws[i] = 0;
                return true;
            }
        }
        return false;
    }

    /** An array's slot key: identity hash and length (never 0 for the arrays recorded, 16K+ long). */
    private static long key(float[] a) {
        return (long) System.identityHashCode(a) << 32 | (a.length & 0xffffffffL);
    }

    /** The pool, or null with one thread (tests). */
    WorkerPool pool() {
        return pool;
    }

    /** The gather started ahead (tests). */
    GatherAhead ahead() {
        return ahead;
    }

    /** Whether the last matrix product ran on more than one thread (for tests). */
    boolean lastGemmSplit() {
        return lastGemmSplit;
    }

    /**
     * The number of parts for an element-wise call of {@code elements} over {@code units}; when more
     * than 1, the caller fills its task and calls {@link #runParallel}.
     */
    private int split(long elements, int units) {
        return parts(elements >= ELEMENTWISE_PARALLEL && (lastGemmSplit || elements >= elementwiseAlone), units);
    }

    @Override
    public void biasActivation(ElementwiseOp op, float param, int rows, int cols, float[] z, int zOff, int ldz,
                               float[] bias, int biasOff, float[] a, int aOff, int lda) {
        if (!Simd.ENABLED) {
            REF.biasActivation(op, param, rows, cols, z, zOff, ldz, bias, biasOff, a, aOff, lda);
            return;
        }
        int parts = split((long) rows * cols, rows);
        if (parts > 1) {
            EwTask t = ewTasks.get();
            t.code = BIAS_ACT;
            t.op = op;
            t.f0 = param;
            t.count = rows;
            t.cols = cols;
            t.x0 = z;
            t.o0 = zOff;
            t.ld0 = ldz;
            t.x1 = bias;
            t.o1 = biasOff;
            t.x2 = a;
            t.o2 = aOff;
            t.ld2 = lda;
            if (runParallel(t, parts) != NOT_RUN) {
                return;
            }
        }
        Elementwise.biasActivation(op, param, 0, rows, cols, z, zOff, ldz, bias, biasOff, a, aOff, lda);
    }

    @Override
    public void activation(ElementwiseOp op, float param, int n, float[] in, int inOff, float[] out, int outOff) {
        biasActivation(op, param, 1, n, in, inOff, n, null, 0, out, outOff, n);
    }

    @Override
    public void activationBackward(ElementwiseOp op, float param, int n, float[] a, int aOff,
                                   float[] g, int gOff, float[] out, int outOff) {
        if (!Simd.ENABLED) {
            REF.activationBackward(op, param, n, a, aOff, g, gOff, out, outOff);
            return;
        }
        int parts = split(n, n);
        if (parts > 1) {
            EwTask t = ewTasks.get();
            t.code = ACT_BACK;
            t.op = op;
            t.f0 = param;
            t.count = n;
            t.x0 = a;
            t.o0 = aOff;
            t.x1 = g;
            t.o1 = gOff;
            t.x2 = out;
            t.o2 = outOff;
            if (runParallel(t, parts) != NOT_RUN) {
                return;
            }
        }
        Elementwise.activationBackward(op, param, 0, n, a, aOff, g, gOff, out, outOff);
    }

    @Override
    public void softmaxRows(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff, int ldo) {
        if (!Simd.ENABLED) {
            REF.softmaxRows(rows, cols, x, xOff, ldx, out, outOff, ldo);
            return;
        }
        int parts = split((long) rows * cols, rows);
        if (parts > 1) {
            EwTask t = ewTasks.get();
            t.code = SOFTMAX;
            t.count = rows;
            t.cols = cols;
            t.x0 = x;
            t.o0 = xOff;
            t.ld0 = ldx;
            t.x1 = out;
            t.o1 = outOff;
            t.ld1 = ldo;
            if (runParallel(t, parts) != NOT_RUN) {
                return;
            }
        }
        Elementwise.softmaxRows(0, rows, cols, x, xOff, ldx, out, outOff, ldo);
    }

    @Override
    public void softmaxBackward(int rows, int cols, float[] a, int aOff, float[] g, int gOff, float[] out, int outOff) {
        if (!Simd.ENABLED) {
            REF.softmaxBackward(rows, cols, a, aOff, g, gOff, out, outOff);
            return;
        }
        int parts = split((long) rows * cols, rows);
        if (parts > 1) {
            EwTask t = ewTasks.get();
            t.code = SOFTMAX_BACK;
            t.count = rows;
            t.cols = cols;
            t.x0 = a;
            t.o0 = aOff;
            t.x1 = g;
            t.o1 = gOff;
            t.x2 = out;
            t.o2 = outOff;
            if (runParallel(t, parts) != NOT_RUN) {
                return;
            }
        }
        Elementwise.softmaxBackward(0, rows, cols, a, aOff, g, gOff, out, outOff);
    }

    @Override
    public void sumColumns(int rows, int cols, float alpha, float[] x, int xOff, int ldx,
                           float beta, float[] out, int outOff) {
        if (!Simd.ENABLED) {
            REF.sumColumns(rows, cols, alpha, x, xOff, ldx, beta, out, outOff);
            return;
        }
        // Split at multiples of 4 vectors so each part takes the same vector/scalar path per column.
        int unit = 4 * Simd.LANES;
        int units = (cols + unit - 1) / unit;
        int parts = split((long) rows * cols, units);
        if (parts > 1) {
            EwTask t = ewTasks.get();
            t.code = SUM_COLS;
            t.rows = rows;
            t.count = cols;
            t.f0 = alpha;
            t.x0 = x;
            t.o0 = xOff;
            t.ld0 = ldx;
            t.f1 = beta;
            t.x1 = out;
            t.o1 = outOff;
            if (runParallel(t, parts) != NOT_RUN) {
                return;
            }
        }
        Elementwise.sumColumns(rows, 0, cols, alpha, x, xOff, ldx, beta, out, outOff);
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        if (!Simd.ENABLED) {
            REF.axpy(n, alpha, x, xOff, y, yOff);
            return;
        }
        int parts = split(n, n);
        if (parts > 1) {
            EwTask t = ewTasks.get();
            t.code = AXPY;
            t.count = n;
            t.f0 = alpha;
            t.x0 = x;
            t.o0 = xOff;
            t.x1 = y;
            t.o1 = yOff;
            if (runParallel(t, parts) != NOT_RUN) {
                return;
            }
        }
        wroteAlone(y, n);
        Elementwise.axpy(0, n, alpha, x, xOff, y, yOff);
    }

    /**
     * Vectorised (~10x the scalar loop), and split across the threads from
     * {@link #ELEMENTWISE_PARALLEL} elements: the training step's scans of inputs and gradients.
     */
    @Override
    public int firstNonFinite(int n, float[] x, int off) {
        if (!Simd.ENABLED) {
            return REF.firstNonFinite(n, x, off);
        }
        int parts = split(n, n);
        if (parts > 1) {
            // each part finds the first bad value of its range; the first over all is the least found
            EwTask t = ewTasks.get();
            t.code = NON_FINITE;
            t.count = n;
            t.x0 = x;
            t.o0 = off;
            int first = runParallel(t, parts);
            if (first != NOT_RUN) {
                return first;
            }
        }
        return Elementwise.firstNonFinite(n, x, off);
    }

    /**
     * Eight rows at a time ({@link Elementwise#gatherRows}); rows split across the threads from
     * {@link #ELEMENTWISE_PARALLEL} floats (a 128 x 784 batch: two cores keep twice the reads in flight).
     */
    @Override
    public void gatherRows(int rows, int cols, float[] src, int[] index, int indexOff, float[] dst, int dstOff) {
        if (!Simd.ENABLED) {
            Backend.super.gatherRows(rows, cols, src, index, indexOff, dst, dstOff);
            return;
        }
        int parts = split((long) rows * cols, rows);
        if (parts > 1) {
            EwTask t = ewTasks.get();
            t.code = GATHER;
            t.count = rows;
            t.cols = cols;
            t.x0 = src;
            t.index = index;
            t.o0 = indexOff;
            t.x1 = dst;
            t.o1 = dstOff;
            if (runParallel(t, parts) != NOT_RUN) {
                return;
            }
        }
        Elementwise.gatherRows(0, rows, cols, src, index, indexOff, dst, dstOff);
    }

    /** The gather started ahead, which the pool's idle workers copy ({@link GatherAhead}). */
    private final GatherAhead ahead = new GatherAhead();

    /**
     * Off with {@code -Dbpnn.simd.noGatherAhead=true}: {@link #startGatherRows} then gathers at once, as
     * {@link #gatherRows} (for measuring). Measured on AMD Zen 5 (family 26 model 2, vCPUs apart), JDK
     * 17, two threads, one JVM switching every round (8 rounds of two one-epoch fits of 60,000 random
     * rows, 784-256-128-10, batch 128): Adam 831.9 -> 782.4 us a step, SGD 829.6 -> 777.2.
     */
    static volatile boolean gatherAhead = !Boolean.getBoolean("bpnn.simd.noGatherAhead");

    /**
     * Hands the copy to the pool's idle workers (see {@link GatherAhead}); what they have not copied when
     * {@link #finishGatherRows()} is called, the caller copies then. At once, as {@link #gatherRows}, on one
     * thread, below {@link #ELEMENTWISE_PARALLEL} floats, while the pool's guard keeps calls on the caller (the
     * other core is busy), and when an index or a bound is wrong (so that the refusal is gatherRows', here).
     */
    @Override
    public void startGatherRows(int rows, int cols, float[] src, int[] index, int indexOff, float[] dst, int dstOff) {
        if (!Simd.ENABLED || pool == null || !gatherAhead || rows < 2 || cols <= 0
                || (long) rows * cols < ELEMENTWISE_PARALLEL || pool.isStopped()
                || !pool.guard.allowsSplit(System.nanoTime()) || !inBounds(rows, cols, src, index, indexOff, dst, dstOff)) {
            finishGatherRows();
            gatherRows(rows, cols, src, index, indexOff, dst, dstOff);
            return;
        }
        ahead.start(rows, cols, src, index, indexOff, dst, dstOff);
        pool.wakeIdle();
    }

    @Override
    public void finishGatherRows() {
        ahead.finish(Thread.currentThread());
    }

    /** Whether every index names a row of src and the rows fit index and dst (a worker's piece must not throw). */
    private static boolean inBounds(int rows, int cols, float[] src, int[] index, int indexOff, float[] dst, int dstOff) {
        if (src == null || index == null || dst == null || indexOff < 0 || indexOff > index.length - rows
                || dstOff < 0 || (long) dstOff + (long) rows * cols > dst.length) {
            return false;
        }
        for (int i = 0; i < rows; i++) {
            long from = (long) index[indexOff + i] * cols;
            if (from < 0 || from + cols > src.length) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void scale(int n, float alpha, float[] x, int xOff) {
        if (!Simd.ENABLED) {
            REF.scale(n, alpha, x, xOff);
            return;
        }
        int parts = split(n, n);
        if (parts > 1) {
            EwTask t = ewTasks.get();
            t.code = SCALE;
            t.count = n;
            t.f0 = alpha;
            t.x0 = x;
            t.o0 = xOff;
            if (runParallel(t, parts) != NOT_RUN) {
                return;
            }
        }
        Elementwise.scale(0, n, alpha, x, xOff);
    }

    @Override
    public void multiplyAdd(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        if (!Simd.ENABLED) {
            REF.multiplyAdd(n, x, xOff, y, yOff, z, zOff);
            return;
        }
        int parts = split(n, n);
        if (parts > 1) {
            EwTask t = ewTasks.get();
            t.code = MUL_ADD;
            t.count = n;
            t.x0 = x;
            t.o0 = xOff;
            t.x1 = y;
            t.o1 = yOff;
            t.x2 = z;
            t.o2 = zOff;
            if (runParallel(t, parts) != NOT_RUN) {
                return;
            }
        }
        Elementwise.multiplyAdd(0, n, x, xOff, y, yOff, z, zOff);
    }

    @Override
    public void momentumUpdate(int n, float lr, float mu, boolean nesterov,
                               float[] w, int wOff, float[] g, int gOff, float[] v, int vOff) {
        if (!Simd.ENABLED) {
            REF.momentumUpdate(n, lr, mu, nesterov, w, wOff, g, gOff, v, vOff);
            return;
        }
        int parts = split(n, n);
        if (parts > 1) {
            EwTask t = ewTasks.get();
            t.code = MOMENTUM;
            t.count = n;
            t.f0 = lr;
            t.f1 = mu;
            t.flag = nesterov;
            t.x0 = w;
            t.o0 = wOff;
            t.x1 = g;
            t.o1 = gOff;
            t.x2 = v;
            t.o2 = vOff;
            if (runParallel(t, parts) != NOT_RUN) {
                return;
            }
        }
        wroteAlone(w, n);
        Elementwise.momentumUpdate(0, n, lr, mu, nesterov, w, wOff, g, gOff, v, vOff);
    }

    @Override
    public void adamUpdate(int n, float lr, float b1, float b2, float eps, float c1, float c2, float wd,
                           float[] w, int wOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff) {
        if (!Simd.ENABLED) {
            REF.adamUpdate(n, lr, b1, b2, eps, c1, c2, wd, w, wOff, g, gOff, m, mOff, v, vOff);
            return;
        }
        int parts = split(n, n);
        if (parts > 1) {
            EwTask t = ewTasks.get();
            t.code = ADAM;
            t.count = n;
            t.f0 = lr;
            t.f1 = b1;
            t.f2 = b2;
            t.f3 = eps;
            t.f4 = c1;
            t.f5 = c2;
            t.f6 = wd;
            t.x0 = w;
            t.o0 = wOff;
            t.x1 = g;
            t.o1 = gOff;
            t.x2 = m;
            t.o2 = mOff;
            t.x3 = v;
            t.o3 = vOff;
            if (runParallel(t, parts) != NOT_RUN) {
                return;
            }
        }
        wroteAlone(w, n);
        Elementwise.adamUpdate(0, n, lr, b1, b2, eps, c1, c2, wd, w, wOff, g, gOff, m, mOff, v, vOff);
    }

    @Override
    public String toString() {
        // A stopped backend says so: "threads=2" alone would claim workers it no longer has.
        return "SimdBackend(threads=" + threads + (isShutdown() ? ", shut down: computes on the calling thread" : "")
                + ", vectors=" + Simd.describe() + (Simd.ENABLED ? ", arrays " + Simd.describeArrays() : "") + ")";
    }
}
