package org.bpnn.simd.kernel;

import static org.bpnn.simd.kernel.GemmKernels.L;
import static org.bpnn.simd.kernel.GemmKernels.MR;
import static org.bpnn.simd.kernel.GemmKernels.MR_NARROW;
import static org.bpnn.simd.kernel.GemmKernels.MR_WIDE;
import static org.bpnn.simd.kernel.GemmKernels.NR;
import static org.bpnn.simd.kernel.GemmKernels.NW;
import static org.bpnn.simd.kernel.GemmKernels.S;
import static org.bpnn.simd.kernel.GemmKernels.VT;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

/**
 * The GEMM driver: C = alpha op(A) op(B) + beta C (see {@link org.bpnn.backend.Backend#gemm}).
 *
 * <p>Every transpose is reduced to one strided form: A is (m, k) with element (i, p) at
 * {@code i*ars + p*aps}, B is (k, n) with element (p, j) at {@code p*bps + j*bjs}, C is (m, n) with
 * element (i, j) at {@code i*crs + j*ccs}. Then:
 * <ul>
 *   <li>outputs 2..L wide (the classifier's 10-wide layer) use the one-vector kernels
 *   ({@link GemmKernels#kernelNarrow}, up to 12 rows x 1 vector, panels kc x L): 10 of 16 lanes work;</li>
 *   <li>column vectors (n == 1) and outputs between L and NR wide with m &gt; n are computed
 *   transposed, C^T = op(B)^T op(A)^T, so the vectors run along the longer dimension;</li>
 *   <li>NT with beta == 0 and B the larger operand (layer 1's forward product, X W^T), when one part
 *   computes it, is computed as W X^T into a scratch and transposed into C: fewer floats go through
 *   the register transposes (see {@link #viaTransposedOutput});</li>
 *   <li>a single output row (m == 1 after that: single-sample predict) takes a matrix-vector path:
 *   row dot products when B's columns are contiguous along k (X W^T), else an axpy-form sweep;</li>
 *   <li>everything else: K split evenly into blocks of at most {@link #KC_MAX} (784 in one block,
 *   1500 = 2 x 750); per
 *   block B is packed into k x NR panels (zero-padded; transposed B through 16 x 16 register
 *   transposes; a last panel at most L wide into k x L, for the one-vector kernels; B with contiguous
 *   rows is read in place up to {@link #UNPACKED_B_ROWS} rows of C, except a TN product's from
 *   {@link #TN_PACKED_B_ROWS} rows a part when its rows start off a line), rows are taken
 *   in chunks of {@link #MC} and split evenly into micro-kernel blocks of at most 8 rows (10 = 5 + 5,
 *   300 = 34 x 8 + 4 x 7), and {@link GemmKernels} multiplies each block by each panel, reading A in
 *   place (or packed per chunk when A's k runs with a stride: TN, TT; its blocks then take up to
 *   {@link #ADJACENT_ROWS}, 12, rows, 128 = 7 x 12 + 4 x 11, on {@link GemmKernels#k8Adjacent} to
 *   {@link GemmKernels#k12Adjacent});</li>
 *   <li>except that with A in place (NN, NT) the whole NW = 4-vector-wide panels of B are packed
 *   kc x NW and multiplied in blocks of at most {@link #WIDE_ROWS} (5) rows by the four-vector kernels
 *   ({@link GemmKernels#kernelWide}; see {@link #WIDE}); the columns left over (fewer than NW) take
 *   the panels above (not NN with at most {@link #NN_IN_PLACE_ROWS} rows, where reading B in place
 *   wins). The same products in the same order: the same bits either way.</li>
 * </ul>
 *
 * <p>Threads: {@code part} of {@code parts} computes a slice of C, a run of whole vectors of columns where
 * the four-vector kernels take the product (see {@link #columnUnit}; each part takes its NW-wide panels
 * from its first column and the columns left over as above), else whole NR panels (or, when there are
 * fewer vectors or panels than parts, rows; see {@link #chunks}); a TN product (a layer's weight
 * gradient) with at least {@link #MIN_ROWS_PER_PART} rows per part takes ranges of C's rows instead, and
 * the products the transposed-output path takes for one part are computed directly, so that a layer's
 * forward product X W^T and its weight gradient are both cut by the rows of W (see {@link #WEIGHT_ROWS}).
 * With that switched off, the transposed-output path computes parts too, each the slice of C^T that the
 * rule above gives, so runs of whole vectors of C's rows (NR panels without the four-vector kernels), or
 * ranges of its columns. K is never split and the block sizes depend only on k, so each element's
 * summation order, and hence its value, is the same for every thread count.
 *
 * <p>Buffers: each thread packs into its own {@link ThreadLocal} scratch, grown only when a larger
 * problem appears; after warm-up no call allocates.
 */
public final class Gemm {
    /**
     * Largest K block. A packed panel of 1024 x 32 floats is 128 KiB: it lives in L2, not in the 32 KiB
     * L1, and that costs nothing, since the micro-kernel reads 128 bytes of it per 16 FMAs (8 bytes a
     * cycle, far below L2's bandwidth). A smaller block costs a pass over C per extra block (through
     * the tile, beta = 1) and a restart of every micro-kernel. Measured against 256 (the L1-sized
     * panel, 784 = 4 x 196), JMH GemmBenchmark, JDK 17, one thread: NT 128x256x784 (layer 1's forward
     * product) 99.5 / 98.6 against 93.0 / 92.6 GFLOP/s, and 191 against 181 on two threads; NN
     * 1024^3 95.5 / 96.0 against 84.9 / 81.5; NT 128x512x1024 92.1 / 89.3 against 88.6 / 84.4; NN and
     * NT 512^3 the same within the noise. The main job (4 SGD epochs, alternating launches, one
     * thread): JDK 17 0.661 / 0.657 / 0.679 / 0.653 s against 0.681 / 0.675 / 0.673 / 0.675; JDK 25
     * 0.632 / 0.639 / 0.636 against 0.652 / 0.656 / 0.647.
     */
    static final int KC_MAX = 1024;
    /**
     * Rows per L2 chunk of A: sized for K blocks of 256 (128 rows x 256 k = 128 KiB, well inside the
     * 1 MiB L2); with blocks of up to {@link #KC_MAX} = 1024 a chunk is up to 512 KiB, half the L2.
     */
    static final int MC = 128;
    /**
     * Columns per packed block of B, sized for K blocks 256 deep: 256 k x 512 columns = 512 KiB, half
     * the L2, so the block stays there while every row chunk of A passes over it (all 1024 columns at
     * once, 1 MiB, spilled to L3: 1024^3 at 83-88 GFLOP/s, measured with 256-deep blocks). With K blocks
     * of up to {@link #KC_MAX} = 1024 a block is up to 2 MiB (1.5 MiB at k = 784) and does not fit the
     * L2; KC_MAX's measurements (NN 1024^3 95.5 against 84.9 GFLOP/s) were taken with this value.
     */
    static final int NC = 512;
    /**
     * At most this many rows of C: B, when row-contiguous (NN, TN), is read in place instead of
     * packed by the two-vector kernels (the four-vector kernels, which take NN's whole NW panels, pack
     * it: see {@link #WIDE}). The copy did not repay itself up to 512 rows: in one JVM alternating the two, median of
     * 30-60 runs each, JDK 17, unpacked / packed: TN 256x784x128 (BP3, layer 1) 0.98, NN 128x256x128
     * 0.955, TN 128x256x128 0.97, NN 128x256x784 0.93, NN 256^3 0.96, NN 512^3 0.98, TN 512^3 0.90,
     * NN 64x1000x1000 0.88; from 640 rows on it was mixed (NN 640^3 1.03, 768^3 0.98, 1024^3 1.05,
     * NN 1024x256x256 0.99, TN 1024x256x256 0.95; those measured beside another build, noisy). Both
     * read the same values in the same order, so the results are the same bits.
     */
    static final int UNPACKED_B_ROWS = 512;

    /**
     * From this many rows of C in a part, a TN product (a layer's weight gradient, dW = delta^T X: A is
     * copied per row chunk, B is the layer's input) packs B after all, when B's rows all start at the same
     * place off a line and the packed panels start on one ({@link ArrayAlignment#KNOWN}): under
     * {@code -XX:ObjectAlignmentInBytes=64}, the launcher's and the benchmarks' flag, element 0 of every
     * float[] sits 16 bytes past a line, so each 64-byte load of the input read in place touches two lines.
     * The copy costs the same for every row of C, the gain grows with them. {@code
     * -Dbpnn.simd.tnPackedBRows=0} turns it off, for measuring.
     *
     * <p>Measured on the Intel Xeon (family 6 model 167), JDK 17, the flag on, one JVM alternating the two
     * every round (12 rounds each after 16 of warm-up; medians, in place / packed), one part, 512-bit
     * vectors: TN 256x784x128 (the main job's layer-1 gradient on one thread) 434.5 / 411.4 us and 430.4 /
     * 397.6 in a second run, 512x784x128 913.3 / 862.4, 256x256x128 136.9 / 126.0, 128x784x128 216.8 /
     * 205.6, 128x256x128 (layer 2's) 67.8 / 65.7 and 68.2 / 63.9; 256-bit vectors 256x784x128 632.3 /
     * 608.6. In the trainer's step (StepProfile --fit 60000, one thread, alternating launches) TN
     * 256x784x128 498-514 / 447-456 us and 128x256x128 74.0-76.6 / 69.9-70.2. Two parts cut by rows with 128
     * rows each (256x784x128, the main job on two threads) came out even: 222.7 / 211.8 and 226.5 / 227.0 in
     * the harness, 316.4 / 324.3 with 256-bit vectors, and 300-357 / 278-320 us in the trainer's step over
     * three launches each; 64 rows a part lost (128x784x128 114.7 / 117.7, 128x256x128 37.6 / 39.6).
     * Without the flag (the packed panels as unaligned as B) the gain was smaller (256x784x128 446.3 /
     * 434.0) and 128x256x128 lost 3%: hence KNOWN. Both read the same values in the same order, so the
     * results are the same bits.
     */
    static final int TN_PACKED_B_ROWS = packedBRows(Integer.getInteger("bpnn.simd.tnPackedBRows", 128));

    private static int packedBRows(int rows) {
        return rows <= 0 ? Integer.MAX_VALUE : rows;
    }

    /**
     * Whether {@link #blocked} packs B of a TN product (see {@link #TN_PACKED_B_ROWS}) with {@code rows}
     * rows of C in the part, B's rows {@code bps} apart from {@code bOff}.
     */
    static boolean packsTnB(int rows, int bOff, int bps) {
        return rows >= TN_PACKED_B_ROWS && ArrayAlignment.rowsHead(bOff, bps, L) != 0;
    }

    static final class Scratch {
        float[] pb = new float[0];
        /** The one-vector-wide last panel (see {@link #blocked}), kc x L. */
        float[] pt = new float[0];
        float[] pa = new float[0];
        float[] x = new float[0];
        float[] stage = new float[0];
        /** C^T of a product computed transposed (see {@link #viaTransposedOutput}). */
        float[] ct = new float[0];
        /** The accumulators of a kernel's largest block, {@link #TILE} floats. */
        final float[] tile = new float[TILE];
    }

    /**
     * The floats a kernel's largest block stores through its tile: R x NR for the two-vector kernels (up to
     * {@link GemmKernels#MR_ADJACENT} rows) and the one-vector ones (they store at the same stride), R x NW for
     * the four-vector ones.
     */
    static final int TILE = Math.max(Math.max(GemmKernels.MR_ADJACENT, MR_NARROW) * NR, MR_WIDE * NW);

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** The calling thread's buffers (for tests that check which kernels ran, and that nothing grows per call). */
    static Scratch scratch() {
        return SCRATCH.get();
    }

    private Gemm() {}

    /** Columns per packed panel (two vectors). */
    public static int panelWidth() {
        return NR;
    }

    /**
     * Whether products cut into parts for threads are cut by the rows of a layer's weight matrix W (out x in,
     * row-major), as the element-wise optimiser update cuts W, its gradient and its moments (by element
     * ranges, so by rows: part p of 2 the rows [p out / 2, (p + 1) out / 2), give or take a vector): the
     * gradient dW = delta^T X (TN) by ranges of C's rows, and the forward product X W^T (NT) by runs of C's
     * columns, on the direct path ({@link #viaTransposedOutput} is for one part: its C^T = W X^T would be cut
     * by batch rows, or by W's rows with each part packing all of X^T). Those slices are cut by whole vectors
     * into a multiple of the thread count (see {@link #chunks}), so the forward product's halves are the
     * update's within a vector (exactly for the main job's 256 and 128). The worker pool hands part p to the
     * same thread in every call, so a layer's W, dW and moments stay in the cache of the core that updates
     * them; cut otherwise (dW by columns, X W^T by batch rows, as the transposed-output path cuts it), half
     * of dW crosses between the cores every step and both cores read all of W, half of it written by the
     * other. Measured on AMD Zen 4, JDK 17, two threads, one JVM training two networks of the main job
     * (Fashion-MNIST 784-256-128-10, batch 128) epoch by epoch: while the host gave the two vCPUs a shared L3
     * (a cache line's round trip 60 ns), with the pool's claim order and this cut both switched, SGD 0.368 s
     * an epoch against 0.372 and Adam 0.389 against 0.401 (medians of 23-24 epochs each); while it placed
     * them apart (340 ns), with this cut alone switched (X W^T's C^T cut by W's rows, the claim order new in
     * both), Adam 0.54-0.64 s against 0.72-0.79 and SGD 0.52-0.63 against 0.54-0.70, and the direct path then
     * gained another 4-10% (SGD 0.522 against 0.562, Adam 0.554 against 0.616, medians). Off with {@code
     * -Dbpnn.simd.noWeightRowSplit=true}, for measuring. One part computes what it did; any cut gives the
     * same bits (K is never split).
     */
    static final boolean WEIGHT_ROWS = !Boolean.getBoolean("bpnn.simd.noWeightRowSplit");

    /** The fewest rows of C a part of a TN product gets when it is cut by rows for {@link #WEIGHT_ROWS}. */
    private static final int MIN_ROWS_PER_PART = 16;

    /** Computes part {@code part} of {@code parts} (0-based) of C = alpha op(A) op(B) + beta C. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc, int part, int parts) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0 || alpha == 0f) {
            int i0 = bound(m, 1, part, parts), i1 = bound(m, 1, part + 1, parts);
            for (int i = i0; i < i1; i++) {
                for (int j = 0; j < n; j++) {
                    int ci = cOff + i * ldc + j;
                    c[ci] = beta == 0f ? 0f : beta * c[ci];
                }
            }
            return;
        }
        if (transposedFor(transA, transB, m, n, k, beta, parts)) {
            Scratch s = SCRATCH.get();
            int off = ArrayAlignment.SKIP; // C^T's rows from a line boundary (see ArrayAlignment)
            if (s.ct.length < off + m * n) {
                s.ct = new float[off + m * n];
            }
            float[] ct = s.ct;
            // C^T = alpha B A^T into the scratch (n x m): the same products summed in the same order
            // (each element an fma chain over p of A(i, p) B(j, p), the factors swapped), so the same
            // bits; the call cuts it for this part as below
            gemm(false, true, n, m, k, alpha, b, bOff, ldb, a, aOff, lda, 0f, ct, off, m, part, parts);
            // the inner call's unit: C^T = B A^T is NT with both sides at least 2 NR wide (see viaTransposedOutput),
            // so it is not computed transposed and reads A (here B) in place
            int unit = columnUnit(n, m, false, false);
            if (byPanels(m, unit, parts)) {
                transposeInto(ct, off, m, 0, n, bound(m, unit, part, parts), bound(m, unit, part + 1, parts), c, cOff, ldc);
            } else {
                transposeInto(ct, off, m, bound(n, 1, part, parts), bound(n, 1, part + 1, parts), 0, m, c, cOff, ldc);
            }
            return;
        }
        int ars = transA ? 1 : lda, aps = transA ? lda : 1;
        int bps = transB ? 1 : ldb, bjs = transB ? ldb : 1;
        int crs = ldc, ccs = 1;
        float[] pa = a, pbm = b;
        int paOff = aOff, pbOff = bOff;
        // a TN product cut for threads (a weight gradient) takes ranges of C's rows, see WEIGHT_ROWS; not
        // when C is computed transposed below (its rows would be the computed product's columns)
        boolean swapped = transposeOutput(m, n);
        boolean byRows = WEIGHT_ROWS && transA && !transB && !swapped && parts > 1 && m >= MIN_ROWS_PER_PART * parts;
        if (swapped) {
            // C^T = op(B)^T op(A)^T: the old B is the new A and vice versa; C is walked transposed.
            pa = b;
            paOff = bOff;
            pbm = a;
            pbOff = aOff;
            int t = ars;
            ars = bjs;
            bjs = t;
            t = aps;
            aps = bps;
            bps = t;
            crs = 1;
            ccs = ldc;
            t = m;
            m = n;
            n = t;
        }
        if (m == 1) {
            gemv(n, k, alpha, pa, paOff, aps, pbm, pbOff, bps, bjs, beta, c, cOff, ccs, part, parts);
            return;
        }
        boolean narrow = narrow(m, n);
        boolean wide = wide(m, n, aps != 1, bjs == 1);
        int unit = columnUnit(wide);
        int i0 = 0, i1 = m, j0 = 0, j1 = n;
        if (!byRows && byPanels(n, unit, parts)) {
            j0 = bound(n, unit, part, parts);
            j1 = bound(n, unit, part + 1, parts);
        } else {
            i0 = bound(m, 1, part, parts);
            i1 = bound(m, 1, part + 1, parts);
        }
        for (int jc = j0; jc < j1 && i0 < i1; jc += NC) {
            int jEnd = Math.min(j1, jc + NC);
            int jw = wide ? jc + (jEnd - jc) / NW * NW : jc;
            if (jw > jc) {
                blocked(false, true, i0, i1, jc, jw, k, alpha, pa, paOff, ars, aps, pbm, pbOff, bps, bjs,
                        beta, c, cOff, crs, ccs);
            }
            if (jw < jEnd) {
                blocked(narrow, false, i0, i1, jw, jEnd, k, alpha, pa, paOff, ars, aps, pbm, pbOff, bps, bjs,
                        beta, c, cOff, crs, ccs);
            }
        }
    }

    /**
     * Whether the parts of a product n columns wide each get a run of whole units of columns (vectors or
     * NR panels, see {@link #columnUnit}; at least one unit per part; one part gets all), else a range of
     * its rows. The transposed-output path cuts C^T by the same rule, so that it transposes exactly the
     * slice its inner call computed.
     */
    private static boolean byPanels(int n, int unit, int parts) {
        return parts == 1 || (n + unit - 1) / unit >= parts;
    }

    /**
     * Where part {@code part} of {@code parts} starts when {@code len} elements are cut into runs of
     * whole units of {@code unit} (the last one partial), as evenly as the units allow; part == parts
     * gives len, the end.
     */
    private static int bound(int len, int unit, int part, int parts) {
        return Math.min(len, (int) ((long) ((len + unit - 1) / unit) * part / parts) * unit);
    }

    /**
     * Whether a product cut into {@code parts} (for chunks, up to {@code threads}) is computed as C^T:
     * {@link #viaTransposedOutput}, for one part only unless {@link #WEIGHT_ROWS} is off.
     */
    private static boolean transposedFor(boolean transA, boolean transB, int m, int n, int k, float beta, int parts) {
        return viaTransposedOutput(transA, transB, m, n, k, beta) && !(WEIGHT_ROWS && parts > 1);
    }

    /**
     * Whether C = alpha A B^T (NT, beta = 0) is computed as C^T = alpha B A^T into a scratch that is
     * then transposed into C: when B is the larger operand, transposing A (m x k, to pack it as the
     * panels of C^T's right operand) and the result (m x n) moves fewer floats through the 16 x 16
     * register transposes than packing B (n x k) does. Layer 1's forward product at batch 128, X W^T
     * with W 256 x 784: 100K + 32K floats instead of 200K. Both sides at least two panels wide
     * ({@code 2 NR}), so that neither product takes the narrow, transposed or matrix-vector paths.
     * Measured, the property {@code -Dbpnn.simd.noTransposedOutput=true} (the direct path) against
     * this one: JMH GemmBenchmark NT 128x256x784, JDK 17, 101.6 / 96.8 -> 103.1 / 103.6 GFLOP/s on one
     * thread, 184 / 186 -> 194 / 194 on two; the main job's SGD epoch (4 alternating launches each, one
     * thread) 0.668 / 0.652 / 0.667 / 0.664 -> 0.646 / 0.644 / 0.647 / 0.648 s on JDK 17 and 0.640 /
     * 0.640 / 0.637 / 0.639 -> 0.625 / 0.625 / 0.629 / 0.624 s on JDK 25, the same test accuracy.
     * A product cut into parts for threads takes the direct path instead (see {@link #WEIGHT_ROWS}):
     * in a training step, W's rows kept on the core that updates them outweigh the 5% the product
     * alone gains here on two threads.
     */
    static boolean viaTransposedOutput(boolean transA, boolean transB, int m, int n, int k, float beta) {
        return VIA_CT && Transpose16.USABLE && !transA && transB && beta == 0f && m >= 2 * NR && n >= 2 * NR
                && (long) n * k > (long) m * k + (long) m * n;
    }

    /** Off with {@code -Dbpnn.simd.noTransposedOutput=true}: for measuring the direct path beside it. */
    static final boolean VIA_CT = !Boolean.getBoolean("bpnn.simd.noTransposedOutput");

    /**
     * C[i][j] = t[j][i] for S rows (C columns) j in [r0, r1) and S columns (C rows) i in [q0, q1); t's
     * element (j, i) at tOff + j lt + i. Through 16 x 16 register transposes, the edges element by element.
     */
    static void transposeInto(float[] t, int tOff, int lt, int r0, int r1, int q0, int q1, float[] c, int cOff, int ldc) {
        int iEnd = q0 + (q1 - q0) / 16 * 16, jEnd = r0 + (r1 - r0) / 16 * 16;
        for (int i = q0; i < iEnd; i += 16) {
            for (int j = r0; j < jEnd; j += 16) {
                Transpose16.transpose(t, tOff + j * lt + i, lt, c, cOff + i * ldc + j, ldc);
            }
            for (int ii = i; ii < i + 16; ii++) {
                for (int j = jEnd; j < r1; j++) {
                    c[cOff + ii * ldc + j] = t[tOff + j * lt + ii];
                }
            }
        }
        for (int i = iEnd; i < q1; i++) {
            for (int j = r0; j < r1; j++) {
                c[cOff + i * ldc + j] = t[tOff + j * lt + i];
            }
        }
    }

    /**
     * Whether the product is computed as C^T: column vectors (n == 1, then a gemv) and outputs between
     * one and two vectors wide (L &lt; n &lt; NR) with more rows than columns.
     */
    static boolean transposeOutput(int m, int n) {
        return n < NR && m > n && !narrow(m, n);
    }

    /**
     * Whether the one-vector kernels apply: 2 &lt;= n &lt;= L (the 10-wide layer). Measured on
     * NT 128x10x128: computing C^T instead needs X transposed (16K floats packed for 0.33 MFLOP), and
     * the two-vector panel wastes 22 of 32 lanes. Row dot products (both operands in place, lane
     * butterfly reductions) were tried too: 29-31 GFLOP/s at k = 128 against 36 here (67 at k = 784).
     */
    static boolean narrow(int m, int n) {
        return m > 1 && n > 1 && n <= L;
    }

    /**
     * How many chunks to cut a product into for {@code threads} threads (parts for {@link #gemm}):
     * whole column panels (at least one per chunk, 2 chunks per thread, so that a thread slowed
     * by the machine leaves little work behind for the others), else one row range per thread. A
     * product the four-vector kernels take is cut by vectors into 2 chunks per thread when each gets
     * at least an NW panel, else one per thread: chunks of equal size give or take a vector, as many on
     * each thread (the pool's StallGuard judges a run by its fastest chunk).
     */
    public static int chunks(boolean transA, boolean transB, int m, int n, int k, float beta, int threads) {
        // on the transposed-output path (one thread unless WEIGHT_ROWS is off) the parts cut C^T = B A^T
        // (n x m), so they are counted on its shape: on C's, a batch of 64 on two threads would give 4
        // parts over C^T's 4 vectors, one each, where C^T's shape gives 2 (without the four-vector
        // kernels 4 parts over C^T's 2 panels, cut by rows, each packing all of A^T)
        return transposedFor(transA, transB, m, n, k, beta, threads) ? chunks(false, true, n, m, threads)
                : chunks(transA, transB, m, n, threads);
    }

    /** {@link #chunks(boolean, boolean, int, int, int, float, int)} for the products not computed as C^T. */
    static int chunks(boolean transA, boolean transB, int m, int n, int threads) {
        boolean copiesA = transA;
        // whether a matrix-vector product takes gemvDots: its matrix (B, or after the swap below the old
        // A) holds each output's k contiguous, as gemv's bjs != 1
        boolean dots = transB;
        boolean bRows = !transB; // B's rows contiguous, as gemm's bjs == 1
        if (transposeOutput(m, n)) {
            int t = m;
            m = n;
            n = t;
            copiesA = !transB;
            dots = !transA;
            bRows = transA; // the new B is the old A transposed
        }
        if (m == 1) {
            int unit = gemvUnit(dots);
            int units = (n + unit - 1) / unit;
            return Math.max(1, Math.min(units, 2 * threads));
        }
        if (narrow(m, n)) {
            return Math.max(1, Math.min(threads, m / 16));
        }
        int vectors = (n + L - 1) / L;
        if (wide(m, n, copiesA, bRows) && vectors >= threads) {
            // Cut by vectors (columnUnit), not by NW panels: 3 NW panels (out = 129..192) made 3 chunks
            // on two threads, one thread computing two of them (at best 1.5x one thread), and a last
            // chunk narrower than the others (out = 144: 64, 64, 16 columns) made the pool's guard,
            // which judges a run by its fastest chunk, take the split for a loss and compute alone.
            // Measured on AMD Zen 4, JDK 17, two threads, cores near (JMH GemmBenchmark NT 128 x out x 784,
            // two alternating runs each): out = 160 155 / 162 -> 183 / 184 GFLOP/s, 192 151 / 151 -> 196
            // / 194, 208 109 / 108 (the guard had it on one thread) -> 179 / 180, 320 166 / 168 -> 184 /
            // 183; with the guard off, two threads against one (a loop over the backend's gemm): out = 80
            // 1.34 -> 1.64x, 176 1.44 -> 1.80. 128 and 256 (the main job) are cut as before.
            return vectors >= 2 * threads * (NW / L) ? 2 * threads : threads;
        }
        int panels = (n + NR - 1) / NR;
        if (panels >= 2 * threads) {
            // column panels, 2 chunks per thread: with one chunk per thread a worker slowed by
            // another process kept the caller waiting (128x128x128 on 2 threads: 0.65x of 1 thread);
            // 4 per thread cost more in claims and in C's lines moving between the cores than they
            // saved (JMH, 2 threads, 3 forks: NN 128x256x128 184.8 vs 173.6 GFLOP/s, NT 128x256x784
            // 164 vs 153 in the same run). When every chunk copies A (TN), one chunk per
            // thread: 8 copies of A held TN 128x256x128 to 1.1x on two threads.
            return copiesA ? threads : Math.min(panels, 2 * threads);
        }
        return Math.max(1, Math.min(threads, Math.max(panels, m / MR)));
    }

    /**
     * The unit a product's columns are cut by for parts: one vector (L) when the four-vector kernels
     * ({@link GemmKernels#kernelWide}) take it, else NR. They do when A is read in place (NN, NT: its
     * k contiguous, see {@link #wide}); each part then runs them on the NW panels from its first column
     * and the two- and one-vector kernels on the rest (a part of 80 columns: one NW panel and one
     * vector), so that parts can be as even as the vectors allow (see {@link #chunks}). Otherwise whole
     * NR panels, as the two-vector kernels pack them. m, n, copiesA (A packed: its k runs with a
     * stride) and bRowsContiguous (see {@link #wide}) are the product's as computed, after
     * {@link #transposeOutput}.
     */
    static int columnUnit(int m, int n, boolean copiesA, boolean bRowsContiguous) {
        return columnUnit(wide(m, n, copiesA, bRowsContiguous));
    }

    /** {@link #columnUnit(int, int, boolean, boolean)} for a product whose {@link #wide} is already known. */
    private static int columnUnit(boolean wide) {
        return wide ? L : NR;
    }

    /**
     * At most this many rows of C, a product whose B has contiguous rows (NN: a small batch's BP2, delta
     * W) takes the two-vector kernels, which read B in place (see {@link #UNPACKED_B_ROWS}), instead of
     * the four-vector kernels, which pack all of B into NW panels: for so few rows the copy of B costs
     * more than the wider kernels gain. Measured on the Intel Xeon (family 6 model 167), JDK 17, a loop
     * over {@code Backend.gemm} after a warm-up, best of 4, two alternating launches, C (m x 784) = D (m x
     * 256) B (256 x 784) unless noted, GFLOP/s with four-vector kernels / without: one thread, m = 8 48-50 /
     * 94-100, m = 12 56-59 / 85-89, m = 16 70-73 / 100, m = 20 80-82 / 93, m = 24 85-89 / 120-124, 16 x 300
     * over 300 66-67 / 91-96, 8 x 100 over 64 50 / 60-62; two threads m = 12 107-110 / 145-158, m = 20
     * 153-154 / 163-171, 16 x 300 over 300 114-116 / 160-163. From 32 rows on it was mixed (m = 32: 90-93 /
     * 93-100, but 32 x 1024 over 512 75-76 / 61-66; m = 48 and 64, here and over 128, 2-16% slower without). The two kernels
     * sum each element in the same order (WideKernelTest), so the results are the same bits. JMH
     * GemmBenchmark (one fork x 5 x 1 s, two alternating rounds, off / on): NN_16x784x256 74.6 / 75.2 ->
     * 92.8 / 94.0 GFLOP/s on one thread, 137.8 / 137.6 -> 155.6 / 161.0 on two; NN_16x256x128 93.3 / 80.2
     * -> 103.4 / 101.7 and 81.6 / 82.9 -> 122.5 / 99.5; NN_24x256x128 99.1 / 99.3 -> 104.8 / 105.9 and
     * 114.5 / 101.3 -> 104.2 / 119.8. {@code -Dbpnn.simd.nnInPlaceRows=0} turns it off, for measuring.
     */
    static final int NN_IN_PLACE_ROWS = Integer.getInteger("bpnn.simd.nnInPlaceRows", 24);

    /**
     * Whether the four-vector kernels take the product (after {@link #transposeOutput}): A read in place
     * (not copiesA), more than one row, not narrow, and not at most {@link #NN_IN_PLACE_ROWS} rows with B's
     * rows contiguous (NN, gemm's bjs == 1), which read B in place on the two-vector kernels.
     */
    static boolean wide(int m, int n, boolean copiesA, boolean bRowsContiguous) {
        return WIDE && m > 1 && !copiesA && !narrow(m, n) && !(bRowsContiguous && m <= NN_IN_PLACE_ROWS);
    }

    /**
     * The four-vector kernels for A in place (NN, NT); off with {@code -Dbpnn.simd.noWideKernel=true},
     * for measuring the two-vector kernels beside them. Why: with A in place {@link GemmKernels#k8}
     * keeps eight row offsets of A and C2's code for it is a per-launch lottery (the reasons in
     * {@link GemmKernels#k8Adjacent}); the four-vector kernels keep four, and C2 removes their bounds
     * checks (see {@link GemmKernels}). Measured on AMD Zen 5, JDK 17, one thread, 3 alternating
     * launches each (a harness timing {@link #gemm} itself, median of 7 phases): NT 256x128x784 (layer 1's
     * forward product as computed, W X^T) 232 / 238 / 237 GFLOP/s against 232 / 207 / 208; NT
     * 128x128x256 212 / 218 / 218 against 220 / 202 / 204; NN 128x256x128 (BP2) 233 / 238 / 241
     * against 221 / 198 / 196. Packing B for NN (read in place by the two-vector kernels up to
     * {@link #UNPACKED_B_ROWS} rows) is included. Left to the adjacent kernels (now up to
     * {@link #ADJACENT_ROWS} rows): TN and TT, where four-vector kernels on packed A measured 5% slower than
     * {@link GemmKernels#k8Adjacent}'s 8-row blocks (TN 256x784x128, 221 against 209 us: B packed too, and A
     * packed again for the columns past the last NW panel).
     */
    static final boolean WIDE = !Boolean.getBoolean("bpnn.simd.noWideKernel");

    /**
     * The most rows of C a four-vector kernel takes at once: {@link GemmKernels#MR_WIDE}, 5 (20
     * accumulators); {@code -Dbpnn.simd.wideRows=4} caps it, for measuring the 16-accumulator blocks
     * beside it (a value other than a whole number 1..5 is replaced by 5, with a warning: see
     * {@link #rowsSetting}). The row blocks only regroup which elements of C one kernel call sums: each element is
     * summed over p in the same order either way, so its value does not change. Why 5: per k step a
     * block loads NW = 4 vectors of B and broadcasts one float of A per row, so 5 rows spend 9 loads
     * on 20 FMAs where 4 spend 8 on 16, and the loop's own instructions (index, bound, branch) count
     * once for more FMAs. Measured on an Intel Xeon (family 6 model 167, AVX-512 with two FMA units:
     * 190 GFLOP/s per core on FMAs alone), JDK 17, one thread, 4 against 5 in alternating launches:
     * GemmBenchmark (3 forks each, two rounds) NT 128x256x784 106 / 98 against 109 / 120 GFLOP/s, NT
     * 128x128x256 102 / 91 against 105 / 102, NN 128x256x128 119 / 119 against 128 / 123; the
     * fashion-mnist epoch (SGD, 3 launches each) 0.734 / 0.720 / 0.742 s against 0.702 / 0.710 / 0.712
     * on one thread, 0.478 / 0.489 / 0.462 against 0.459 / 0.445 / 0.444 on two, the same accuracy.
     * The kernel alone (a prototype timing one product's calls, two runs) 113-129 against 128-144 GFLOP/s; 6
     * rows (24 accumulators, as KERNEL-NOTES found on Zen 4) 113-119. Not measured on AMD.
     */
    static final int WIDE_ROWS = rowsSetting("bpnn.simd.wideRows", System.getProperty("bpnn.simd.wideRows"), MR_WIDE,
            "the four-vector kernels' row counts");

    /**
     * The most rows of C a two-vector kernel takes at once from packed A (TN, TT: A's k runs with a
     * stride, so {@link #blocked} copies its rows adjacent): {@link GemmKernels#MR_ADJACENT}, 12 (24
     * accumulators, {@link GemmKernels#k12Adjacent}), or {@link GemmKernels#MR}, 8, with the adjacent
     * kernels off; {@code -Dbpnn.simd.adjacentRows=8} caps it, for measuring (with the adjacent kernels off, at
     * 8; a value out of range or not a whole number is replaced by the default, with a warning: see
     * {@link #rowsSetting}). The same bits either way, as
     * for {@link #WIDE_ROWS}. Measured on the Intel Xeon of {@link #WIDE_ROWS}, JDK 17, one thread, 8
     * against 12 in alternating launches: GemmBenchmark (3 forks each, two rounds) TN 256x784x128 (dW1)
     * 113 / 121 against 132 / 128 GFLOP/s, TN 128x256x128 110 / 112 against 131 / 131; on JDK 25 (2 forks)
     * 113 / 114 against 130 / 125 and 113 / 113 against 129 / 123; PassBenchmark.trainStep
     * 784-256-128-10@128 (3 forks) 1367 / 1399 against 1331 / 1288 us on one thread, 845 / 801 against
     * 829 / 807 on two (no change). The kernel alone (a prototype, A packed as here, B in place) 120
     * against 136 GFLOP/s; 8 rows x 3 vectors (24 accumulators too, but panels 48 wide) 134. Not measured on AMD.
     */
    static final int ADJACENT_ROWS = rowsSetting("bpnn.simd.adjacentRows", System.getProperty("bpnn.simd.adjacentRows"),
            GemmKernels.ADJACENT ? GemmKernels.MR_ADJACENT : MR, "the two-vector kernels' row counts "
                    + (GemmKernels.ADJACENT ? "for packed A" : "with -Dbpnn.simd.noAdjacentKernel=true"));

    /**
     * A row-count switch ({@link #WIDE_ROWS}, {@link #ADJACENT_ROWS}) from its property's {@code value}: the
     * number when it is a whole number 1..most, else {@code most}, the default, with a warning when it was
     * set to anything else ({@link #rowsProblem}). Not thrown: the switches change no result, and the other
     * bpnn.simd switches never stop the backend either; thrown from this class's static initialiser, a bad
     * value made it unusable (ExceptionInInitializerError on the first product, NoClassDefFoundError on every
     * later one). Not silent either, as Integer.getInteger is on a value that is not a number: a measurement
     * against a mistyped value would compare the default with itself.
     */
    static int rowsSetting(String property, String value, int most, String what) {
        String problem = rowsProblem(property, value, most, what);
        if (problem != null) {
            System.getLogger(Gemm.class.getName()).log(System.Logger.Level.WARNING, problem);
            return most;
        }
        return value == null || value.isBlank() ? most : Integer.parseInt(value.trim());
    }

    /** What is wrong with a row-count switch's value, or null when it is unset, blank or a whole number 1..most. */
    static String rowsProblem(String property, String value, int most, String what) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int rows = Integer.parseInt(value.trim());
            if (rows >= 1 && rows <= most) {
                return null;
            }
        } catch (NumberFormatException e) {
            // not a whole number: the message below
        }
        return "-D" + property + " must be a whole number 1.." + most + " (" + what + "), got '" + value + "'; using "
                + most + ", the default (correct or remove it)";
    }

    private static void blocked(boolean narrow, boolean wide, int i0, int i1, int j0, int j1, int k, float alpha,
                                float[] a, int aOff, int ars, int aps, float[] b, int bOff, int bps, int bjs,
                                float beta, float[] c, int cOff, int crs, int ccs) {
        Scratch s = SCRATCH.get();
        int kb = (k + KC_MAX - 1) / KC_MAX;
        int kcBase = k / kb, kRem = k % kb;
        int pw = wide ? NW : narrow ? L : NR;
        int np = (j1 - j0 + pw - 1) / pw;
        // A last panel at most one vector wide runs on the one-vector kernels from a kc x L panel:
        // zero-padded to two vectors it would cost a whole panel's FMAs (n = 784 is 24.5 panels, not 25).
        // Both kernels sum each element in the same order, so its value does not change.
        int tail = narrow || wide ? 0 : (j1 - j0) % pw;
        boolean thinTail = tail > 0 && tail <= L;
        int jFull = thinTail ? j1 - tail : j1; // the two-vector panels cover [j0, jFull)
        // the packed panels from a line boundary when the JVM guarantees one (see ArrayAlignment): each
        // panel is a multiple of 16 floats, so every vector load of every panel is then line-aligned
        int off = ArrayAlignment.SKIP;
        int need = off + (kcBase + 1) * np * pw;
        if (s.pb.length < need) {
            s.pb = new float[need];
        }
        if (thinTail && s.pt.length < off + (kcBase + 1) * L) {
            s.pt = new float[off + (kcBase + 1) * L];
        }
        // A whose k runs with a stride (TN, TT) is copied per row chunk: read in place, each k step
        // touches a new cache line lda apart (1 KiB for m = 256: L1 set conflicts), 70 vs 95 GFLOP/s.
        boolean packA = aps != 1;
        // packed A's blocks also run on the one-vector kernels for a thin last panel: ADJACENT_ROWS <= MR_NARROW
        int mr = wide ? WIDE_ROWS : narrow ? MR_NARROW : packA ? ADJACENT_ROWS : MR;
        if (packA && s.pa.length < (kcBase + 1) * (MC + 1)) {
            s.pa = new float[(kcBase + 1) * (MC + 1)];
        }
        if (s.stage.length < (kcBase + 1) * pw) {
            s.stage = new float[(kcBase + 1) * pw];
        }
        float[] pb = s.pb;
        float[] pt = s.pt;
        float[] pa = s.pa;
        float[] stage = s.stage;
        float[] tile = s.tile;
        boolean packB = wide || !(bjs == 1 && i1 - i0 <= UNPACKED_B_ROWS) || packA && packsTnB(i1 - i0, bOff, bps);
        int p0 = 0;
        for (int blk = 0; blk < kb; blk++) {
            int kc = kcBase + (blk < kRem ? 1 : 0);
            if (thinTail) {
                pack(b, bOff + p0 * bps, bps, bjs, kc, jFull, j1, L, pt, off, stage);
            }
            if (packB) {
                pack(b, bOff + p0 * bps, bps, bjs, kc, j0, jFull, pw, pb, off, stage);
            } else if (!thinTail && (j1 - j0) % pw != 0) {
                // the partial last panel still needs its zero padding
                pack(b, bOff + p0 * bps, bps, bjs, kc, j1 - (j1 - j0) % pw, j1, pw, pb, off, stage);
            }
            float be = blk == 0 ? beta : 1f;
            for (int ic = i0; ic < i1; ic += MC) {
                int rows = Math.min(MC, i1 - ic);
                int nb = (rows + mr - 1) / mr;
                int base = rows / nb, extra = rows % nb;
                // packed A (when its k runs with a stride): p-major, element (ii, p) at p * sa + ii,
                // one contiguous copy of the chunk's rows per k; sa = rows + 1 so that successive k
                // do not land on the same L1 sets (a 512-byte stride did: 70 vs 93 GFLOP/s on TN)
                int sa = rows + 1;
                if (packA) {
                    int src = aOff + ic * ars + p0 * aps;
                    if (ars == 1) {
                        for (int p = 0, d = 0; p < kc; p++, src += aps, d += sa) {
                            System.arraycopy(a, src, pa, d, rows);
                        }
                    } else {
                        for (int p = 0, d = 0; p < kc; p++, src += aps, d += sa) {
                            for (int ii = 0; ii < rows; ii++) {
                                pa[d + ii] = a[src + ii * ars];
                            }
                        }
                    }
                }
                for (int q = 0; q < np; q++) {
                    int j = j0 + q * pw;
                    int cols = Math.min(pw, j1 - j);
                    float[] bk = pb;
                    // unpacked B's partial last panel is the only one packed (from pb[off]) then
                    int bBase = off + (packB ? q * kc * pw : 0), bs = pw;
                    if (!packB && cols == pw) {
                        bk = b;
                        bBase = bOff + p0 * bps + j;
                        bs = bps;
                    }
                    int i = ic;
                    for (int t = 0; t < nb; t++) {
                        int r = base + (t < extra ? 1 : 0);
                        float[] ak = packA ? pa : a;
                        int aBase = packA ? i - ic : aOff + i * ars + p0 * aps;
                        int rs = packA ? 1 : ars, ps = packA ? sa : aps;
                        if (wide) {
                            GemmKernels.kernelWide(r, kc, ak, aBase, rs, bk, bBase,
                                    c, cOff + i * crs + j * ccs, crs, ccs, cols, alpha, be, tile);
                        } else if (narrow) {
                            GemmKernels.kernelNarrow(r, kc, ak, aBase, rs, ps, bk, bBase, bs,
                                    c, cOff + i * crs + j * ccs, crs, ccs, cols, alpha, be, tile);
                        } else if (j >= jFull) {
                            GemmKernels.kernelNarrow(r, kc, ak, aBase, rs, ps, pt, off, L,
                                    c, cOff + i * crs + j * ccs, crs, ccs, cols, alpha, be, tile);
                        } else {
                            GemmKernels.kernel(r, kc, ak, aBase, rs, ps, bk, bBase, bs,
                                    c, cOff + i * crs + j * ccs, crs, ccs, cols, alpha, be, tile);
                        }
                        i += r;
                    }
                }
            }
            p0 += kc;
        }
    }

    /**
     * Packs B rows [0, kc) (from bBase), columns [j0, j1) into panels of kc x pw, zero-padded, the
     * first from pb[pbOff]; {@code stage} holds at least pw x kc floats (used for a partial transposed panel).
     */
    static void pack(float[] b, int bBase, int bps, int bjs, int kc, int j0, int j1, int pw, float[] pb, int pbOff,
                     float[] stage) {
        int q = 0;
        for (int j = j0; j < j1; j += pw, q++) {
            int w = Math.min(pw, j1 - j);
            int dst = pbOff + q * kc * pw;
            if (bjs == 1) {
                int src = bBase + j;
                if (w == pw) {
                    for (int p = 0; p < kc; p++, src += bps, dst += pw) {
                        for (int h = 0; h < pw; h += L) {
                            ((FloatVector) VT.cast(FloatVector.fromArray(S, b, src + h))).intoArray(pb, dst + h);
                        }
                    }
                } else {
                    for (int p = 0; p < kc; p++, src += bps, dst += pw) {
                        System.arraycopy(b, src, pb, dst, w);
                        Arrays.fill(pb, dst + w, dst + pw, 0f);
                    }
                }
            } else if (bps == 1 && Transpose16.USABLE) {
                // transposed B (NT): 16 x 16 register transposes (measured 0.27 vs 0.61 ns/element
                // for scalar copies); the k tail (kc % 16) scalar. A partial panel (the 10-wide
                // layer's W) is first copied, zero-padded to pw rows, into the stage: NT 128x10x128's
                // packing measured 0.62 us against 1.76 without the stage, the product 40.5 against
                // 35.6 GFLOP/s (JDK 17).
                float[] src = b;
                int s0 = bBase + j * bjs, ld = bjs;
                if (w < pw) {
                    for (int jj = 0; jj < w; jj++) {
                        System.arraycopy(b, s0 + jj * bjs, stage, jj * kc, kc);
                    }
                    Arrays.fill(stage, w * kc, pw * kc, 0f);
                    src = stage;
                    s0 = 0;
                    ld = kc;
                }
                int p = 0;
                for (; p + 16 <= kc; p += 16) {
                    for (int h = 0; h < pw; h += 16) {
                        Transpose16.transpose(src, s0 + h * ld + p, ld, pb, dst + p * pw + h, pw);
                    }
                }
                for (int jj = 0; jj < pw; jj++) {
                    for (int pp = p, sj = s0 + jj * ld; pp < kc; pp++) {
                        pb[dst + pp * pw + jj] = src[sj + pp];
                    }
                }
            } else {
                int jj = 0;
                for (; jj + 4 <= w; jj += 4) {
                    int s0 = bBase + (j + jj) * bjs, s1 = s0 + bjs, s2 = s1 + bjs, s3 = s2 + bjs;
                    int d = dst + jj;
                    for (int p = 0, o = 0; p < kc; p++, o += bps, d += pw) {
                        pb[d] = b[s0 + o];
                        pb[d + 1] = b[s1 + o];
                        pb[d + 2] = b[s2 + o];
                        pb[d + 3] = b[s3 + o];
                    }
                }
                for (; jj < w; jj++) {
                    int s0 = bBase + (j + jj) * bjs;
                    int d = dst + jj;
                    for (int p = 0, o = 0; p < kc; p++, o += bps, d += pw) {
                        pb[d] = b[s0 + o];
                    }
                }
                if (w < pw) {
                    for (int p = 0, d = dst; p < kc; p++, d += pw) {
                        Arrays.fill(pb, d + w, d + pw, 0f);
                    }
                }
            }
        }
    }

    /**
     * One output row: c[j] = alpha sum_p x[p] B(p, j) + beta c[j] for the part's columns, x[p] at
     * {@code aOff + p*aps}, c[j] at {@code cOff + j*ccs}.
     */
    private static void gemv(int n, int k, float alpha, float[] a, int aOff, int aps, float[] b, int bOff,
                             int bps, int bjs, float beta, float[] c, int cOff, int ccs, int part, int parts) {
        int unit = gemvUnit(bjs != 1);
        int j0 = bound(n, unit, part, parts), j1 = bound(n, unit, part + 1, parts);
        if (j0 >= j1) {
            return;
        }
        if (bjs == 1) {
            gemvRows(j0, j1, k, alpha, a, aOff, aps, b, bOff, bps, beta, c, cOff, ccs, SCRATCH.get().tile);
        } else {
            float[] x = a;
            int xOff = aOff;
            if (aps != 1) {
                Scratch s = SCRATCH.get();
                if (s.x.length < k) {
                    s.x = new float[k];
                }
                for (int p = 0; p < k; p++) {
                    s.x[p] = a[aOff + p * aps];
                }
                x = s.x;
                xOff = 0;
            }
            gemvDots(j0, j1, k, alpha, x, xOff, b, bOff, bps, bjs, beta, c, cOff, ccs);
        }
    }

    /**
     * The outputs a matrix-vector product's parts are cut by: the {@link #DOT_ROWS} rows {@link #gemvDots} sums
     * jointly, or {@link #gemvRows}' 4 vectors. Single-sample predict (x W^T) takes the dots, and cut by
     * 4 vectors, a layer of 200 outputs made parts of 64, 64, 64 and 8 (the last judged by the pool's
     * StallGuard as the run's speed, so the split looked like a loss) and one of 300 left one thread
     * 172 of them. Measured on AMD Zen 4, JDK 17, two threads, cores near, guard off (a loop of
     * {@code Network.predict(x, out)}, medians of 7 x 50,000, two alternating launches each):
     * 784-300-100-10 13.4 / 10.9 -> 9.4 / 9.6 us, 784-192-96-10 7.16 / 7.20 -> 6.09 / 5.63, 784-200-10
     * 5.45 / 5.45 -> 5.11 / 4.94; the main job's layer of 256 outputs is cut as before (its 128 are not split).
     */
    static int gemvUnit(boolean dots) {
        return dots ? DOT_ROWS : 4 * L;
    }

    /** The rows {@link #gemvDots} sums jointly (one load of x for eight FMAs). */
    private static final int DOT_ROWS = 8;

    /** gemv with B's rows contiguous along j: 4 vectors of columns at a time, swept down k. */
    private static void gemvRows(int j0, int j1, int k, float alpha, float[] a, int aOff, int aps, float[] b,
                                 int bOff, int bps, float beta, float[] c, int cOff, int ccs, float[] tile) {
        int j = j0;
        for (; j + 4 * L <= j1; j += 4 * L) {
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S),
                    s3 = FloatVector.zero(S);
            for (int p = 0, bi = bOff + j, ai = aOff; p < k; p++, bi += bps, ai += aps) {
                FloatVector x = FloatVector.broadcast(S, a[ai]);
                s0 = x.fma(FloatVector.fromArray(S, b, bi), s0);
                s1 = x.fma(FloatVector.fromArray(S, b, bi + L), s1);
                s2 = x.fma(FloatVector.fromArray(S, b, bi + 2 * L), s2);
                s3 = x.fma(FloatVector.fromArray(S, b, bi + 3 * L), s3);
            }
            ((FloatVector) VT.cast(s0)).intoArray(tile, 0);
            ((FloatVector) VT.cast(s1)).intoArray(tile, L);
            ((FloatVector) VT.cast(s2)).intoArray(tile, 2 * L);
            ((FloatVector) VT.cast(s3)).intoArray(tile, 3 * L);
            storeRow(tile, 4 * L, alpha, beta, c, cOff + j * ccs, ccs);
        }
        for (; j + L <= j1; j += L) {
            FloatVector s0 = FloatVector.zero(S);
            for (int p = 0, bi = bOff + j, ai = aOff; p < k; p++, bi += bps, ai += aps) {
                s0 = FloatVector.broadcast(S, a[ai]).fma(FloatVector.fromArray(S, b, bi), s0);
            }
            ((FloatVector) VT.cast(s0)).intoArray(tile, 0);
            storeRow(tile, L, alpha, beta, c, cOff + j * ccs, ccs);
        }
        for (; j < j1; j++) {
            float s = 0f;
            for (int p = 0, bi = bOff + j, ai = aOff; p < k; p++, bi += bps, ai += aps) {
                s = Math.fma(a[ai], b[bi], s);
            }
            int ci = cOff + j * ccs;
            float v = alpha * s;
            c[ci] = beta == 0f ? v : v + beta * c[ci];
        }
    }

    private static void storeRow(float[] t, int len, float alpha, float beta, float[] c, int cBase, int ccs) {
        for (int j = 0; j < len; j++) {
            int ci = cBase + j * ccs;
            float v = alpha * t[j];
            c[ci] = beta == 0f ? v : v + beta * c[ci];
        }
    }

    /**
     * gemv with B's columns contiguous along k (X W^T): 8 row dot products at a time (8 accumulators
     * share each load of x: 9 loads per 8 FMAs), then the last (at most 7) rows one by one. Every
     * output sums in the same order whichever loop computes it.
     */
    private static void gemvDots(int j0, int j1, int k, float alpha, float[] x, int xOff, float[] b, int bOff,
                                 int bps, int bjs, float beta, float[] c, int cOff, int ccs) {
        int kv = S.loopBound(k);
        // h > 0: every row starts h elements before a vector's place in a cache line (a line holds 1, 2 or 4
        // vectors of 16, 8 or 4 lanes; rows a whole number of vectors apart), and the eight-row loop reads
        // them from those places, so that no load straddles two lines (the rotated loop below; LINE_DOTS); 0:
        // as they come. kv > 0: the rotated loop's loads need at least one whole vector in each row
        int h = LINE_DOTS && kv > 0 ? ArrayAlignment.rowsHead(bOff + j0 * bjs, bjs, L) : 0;
        int j = j0;
        for (; JOINT && j + DOT_ROWS <= j1; j += DOT_ROWS) {
            int r0 = bOff + j * bjs, r1 = r0 + bjs, r2 = r1 + bjs, r3 = r2 + bjs;
            int r4 = r3 + bjs, r5 = r4 + bjs, r6 = r5 + bjs, r7 = r6 + bjs;
            // h > 0: the same fma chains from loads inside single lines. Lane l sums elements l, l + L, ..., in
            // that order; a load from h + t L holds element h + t L + i in lane i, which is lane (h + i) mod L's.
            // So the accumulators run rotated by h lanes: lane i holds lane (h + i) mod L's chain. Its first
            // term for lanes below h (elements 0..h-1, before the first aligned place) comes from the unaligned
            // load at 0, computed as fma(w, x, 0) as the loop does, then rotated into place; its last loads are
            // those at kv - L rotated the same way, of which lanes below L - h are the chains' (the others were
            // summed already). The rotation need not be undone: the reduction below adds lanes i and i + L/2,
            // then those sums' lanes i and i + L/4, and so on, pairs that a cyclic rotation maps onto pairs of
            // the same kind, so it adds the same pairs and gives the same bits (LineDotsTest compares every h
            // with h = 0).
            FloatVector zero = FloatVector.zero(S);
            FloatVector s0, s1, s2, s3, s4, s5, s6, s7;
            if (h == 0) {
                s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = zero;
            } else {
                VectorMask<Float> first = LINE_FIRST[h];
                VectorShuffle<Float> rot = LINE_ROTATE[h];
                FloatVector x0 = FloatVector.fromArray(S, x, xOff);
                s0 = zero.blend(FloatVector.fromArray(S, b, r0).fma(x0, zero), first).rearrange(rot);
                s1 = zero.blend(FloatVector.fromArray(S, b, r1).fma(x0, zero), first).rearrange(rot);
                s2 = zero.blend(FloatVector.fromArray(S, b, r2).fma(x0, zero), first).rearrange(rot);
                s3 = zero.blend(FloatVector.fromArray(S, b, r3).fma(x0, zero), first).rearrange(rot);
                s4 = zero.blend(FloatVector.fromArray(S, b, r4).fma(x0, zero), first).rearrange(rot);
                s5 = zero.blend(FloatVector.fromArray(S, b, r5).fma(x0, zero), first).rearrange(rot);
                s6 = zero.blend(FloatVector.fromArray(S, b, r6).fma(x0, zero), first).rearrange(rot);
                s7 = zero.blend(FloatVector.fromArray(S, b, r7).fma(x0, zero), first).rearrange(rot);
            }
            int pEnd = h == 0 ? kv : h + kv - L; // with h > 0 the last L - h elements are loaded from kv - L below
            for (int p = h; p < pEnd; p += L) {
                FloatVector xv = FloatVector.fromArray(S, x, xOff + p);
                s0 = FloatVector.fromArray(S, b, r0 + p).fma(xv, s0);
                s1 = FloatVector.fromArray(S, b, r1 + p).fma(xv, s1);
                s2 = FloatVector.fromArray(S, b, r2 + p).fma(xv, s2);
                s3 = FloatVector.fromArray(S, b, r3 + p).fma(xv, s3);
                s4 = FloatVector.fromArray(S, b, r4 + p).fma(xv, s4);
                s5 = FloatVector.fromArray(S, b, r5 + p).fma(xv, s5);
                s6 = FloatVector.fromArray(S, b, r6 + p).fma(xv, s6);
                s7 = FloatVector.fromArray(S, b, r7 + p).fma(xv, s7);
            }
            if (h > 0) {
                VectorMask<Float> last = LINE_LAST[h];
                VectorShuffle<Float> rot = LINE_ROTATE[h];
                int e = kv - L;
                FloatVector xl = FloatVector.fromArray(S, x, xOff + e).rearrange(rot);
                s0 = s0.blend(FloatVector.fromArray(S, b, r0 + e).rearrange(rot).fma(xl, s0), last);
                s1 = s1.blend(FloatVector.fromArray(S, b, r1 + e).rearrange(rot).fma(xl, s1), last);
                s2 = s2.blend(FloatVector.fromArray(S, b, r2 + e).rearrange(rot).fma(xl, s2), last);
                s3 = s3.blend(FloatVector.fromArray(S, b, r3 + e).rearrange(rot).fma(xl, s3), last);
                s4 = s4.blend(FloatVector.fromArray(S, b, r4 + e).rearrange(rot).fma(xl, s4), last);
                s5 = s5.blend(FloatVector.fromArray(S, b, r5 + e).rearrange(rot).fma(xl, s5), last);
                s6 = s6.blend(FloatVector.fromArray(S, b, r6 + e).rearrange(rot).fma(xl, s6), last);
                s7 = s7.blend(FloatVector.fromArray(S, b, r7 + e).rearrange(rot).fma(xl, s7), last);
            }
            // the eight accumulators' lanes summed in a fixed order (see Simd.SWAP8): jointly, in one
            // butterfly whose stages also merge pairs of vectors (8 rearranges instead of 32)
            FloatVector z0 = (FloatVector) VT.cast(s0.blend(s1, K1).add(s1.blend(s0, K1).rearrange(J1)));
            FloatVector z1 = (FloatVector) VT.cast(s2.blend(s3, K1).add(s3.blend(s2, K1).rearrange(J1)));
            FloatVector z2 = (FloatVector) VT.cast(s4.blend(s5, K1).add(s5.blend(s4, K1).rearrange(J1)));
            FloatVector z3 = (FloatVector) VT.cast(s6.blend(s7, K1).add(s7.blend(s6, K1).rearrange(J1)));
            FloatVector y0 = (FloatVector) VT.cast(z0.blend(z1, K2).add(z1.blend(z0, K2).rearrange(J2)));
            FloatVector y1 = (FloatVector) VT.cast(z2.blend(z3, K2).add(z3.blend(z2, K2).rearrange(J2)));
            // with 4 lanes y0 holds the sums of s0..s3 and y1 those of s4..s7; wider, one more merge
            FloatVector w0 = y0, w1 = y1;
            if (L >= 8) {
                w0 = w1 = (FloatVector) VT.cast(y0.blend(y1, K3).add(y1.blend(y0, K3).rearrange(J3)));
            }
            if (L == 16) {
                w0 = w1 = (FloatVector) VT.cast(w0.add(w0.rearrange(Simd.SWAP1)));
            }
            float t0 = w0.lane(LANE0), t1 = w0.lane(LANE1), t2 = w0.lane(LANE2), t3 = w0.lane(LANE3);
            float t4 = w1.lane(LANE4), t5 = w1.lane(LANE5), t6 = w1.lane(LANE6), t7 = w1.lane(LANE7);
            for (int p = kv; p < k; p++) {
                float xp = x[xOff + p];
                t0 = Math.fma(xp, b[r0 + p], t0);
                t1 = Math.fma(xp, b[r1 + p], t1);
                t2 = Math.fma(xp, b[r2 + p], t2);
                t3 = Math.fma(xp, b[r3 + p], t3);
                t4 = Math.fma(xp, b[r4 + p], t4);
                t5 = Math.fma(xp, b[r5 + p], t5);
                t6 = Math.fma(xp, b[r6 + p], t6);
                t7 = Math.fma(xp, b[r7 + p], t7);
            }
            store(t0, alpha, beta, c, cOff + j * ccs);
            store(t1, alpha, beta, c, cOff + (j + 1) * ccs);
            store(t2, alpha, beta, c, cOff + (j + 2) * ccs);
            store(t3, alpha, beta, c, cOff + (j + 3) * ccs);
            store(t4, alpha, beta, c, cOff + (j + 4) * ccs);
            store(t5, alpha, beta, c, cOff + (j + 5) * ccs);
            store(t6, alpha, beta, c, cOff + (j + 6) * ccs);
            store(t7, alpha, beta, c, cOff + (j + 7) * ccs);
        }
        for (; j < j1; j++) {
            int r0 = bOff + j * bjs;
            FloatVector s0 = FloatVector.zero(S);
            for (int p = 0; p < kv; p += L) {
                s0 = FloatVector.fromArray(S, b, r0 + p).fma(FloatVector.fromArray(S, x, xOff + p), s0);
            }
            if (L > 8) s0 = (FloatVector) VT.cast(s0.add(s0.rearrange(Simd.SWAP8)));
            if (L > 4) s0 = (FloatVector) VT.cast(s0.add(s0.rearrange(Simd.SWAP4)));
            if (L > 2) s0 = (FloatVector) VT.cast(s0.add(s0.rearrange(Simd.SWAP2)));
            if (L > 1) s0 = (FloatVector) VT.cast(s0.add(s0.rearrange(Simd.SWAP1)));
            float t0 = s0.lane(0);
            for (int p = kv; p < k; p++) {
                t0 = Math.fma(x[xOff + p], b[r0 + p], t0);
            }
            store(t0, alpha, beta, c, cOff + j * ccs);
        }
    }

    /**
     * gemvDots' joint reduction of eight accumulators (4, 8 or 16 lanes; Simd caps the species at 16).
     * Stage i merges pairs of vectors a, b at distance D_i = L/2, L/4 (and L/8 with 8 or more
     * lanes): a.blend(b, K_i) + b.blend(a, K_i).rearrange(J_i) leaves a's pairwise sums in the lanes
     * without bit D_i and b's in those with it; with 16 lanes a last stage at distance 1 finishes
     * the sums. Accumulator r's sum ends in lane D_1 (r &amp; 1) + D_2 ((r &gt;&gt; 1) &amp; 1) + D_3
     * ((r &gt;&gt; 2) &amp; 1), of the one merged vector (8 or 16 lanes) or, with 4 lanes, of the
     * vector of r's half (D_3 = 0). Each sum adds the same pairs in the same order as the one-row
     * butterfly, so its bits do not depend on which loop computed it.
     */
    private static final boolean JOINT = L >= 4;
    /**
     * Whether gemvDots reads the rows from their vectors' places in the cache lines (when the JVM says where
     * lines start): single-sample predict's 784 x 256 product took 6.8-7.3 us with W's rows on
     * lines and 10.1-10.8 without (Intel Xeon host, JDK 17, one thread, 16 lanes; see ArrayAlignment), and the
     * rotated loop 7.3-8.0 us wherever W starts (9.8-10.2 at the misaligned starts without it). With 8
     * lanes (a vector half a line, as on AVX2) every other load of a misaligned row straddles two lines:
     * on the AMD Zen 5 host of 2026-12-02 ({@code -Dbpnn.simd.bits=256}, JDK 17, one thread, one JVM
     * switching between the loops) the same product took 10.25-10.42 us at the 14 starts off a half line
     * without the rotated loop and 9.48-9.68 with it (9.0-9.35 at the two on one either way), and the
     * whole 784-256-128-10 predict 13.75-14.14 against 13.25-13.61 (W from the start every array has under
     * the flag, 4 elements before a half line); with 4 lanes the product took 15.9-16.2 against 15.6-15.9.
     * Separate JVMs could not show it: this host's speed swung by 1.4x from minute to minute.
     */
    static final boolean LINE_DOTS = ArrayAlignment.KNOWN && ArrayAlignment.LINE % (L * Float.BYTES) == 0;
    /** For h in 0..L-1: lanes below h; lanes below L - h; lane i from lane (i + h) mod L. */
    private static final VectorMask<Float>[] LINE_FIRST = lineMasks(false), LINE_LAST = lineMasks(true);
    private static final VectorShuffle<Float>[] LINE_ROTATE = lineRotations();

    @SuppressWarnings("unchecked")
    private static VectorMask<Float>[] lineMasks(boolean fromEnd) {
        VectorMask<Float>[] m = new VectorMask[L];
        for (int h = 0; h < L; h++) {
            m[h] = VectorMask.fromLong(S, (1L << (fromEnd ? L - h : h)) - 1);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] lineRotations() {
        VectorShuffle<Float>[] r = new VectorShuffle[L];
        for (int h = 0; h < L; h++) {
            r[h] = VectorShuffle.iota(S, h, 1, true);
        }
        return r;
    }
    private static final VectorShuffle<Float> J1 = JOINT ? swap(L / 2) : null, J2 = JOINT ? swap(L / 4) : null,
            J3 = L >= 8 ? swap(L / 8) : null;
    private static final VectorMask<Float> K1 = JOINT ? bit(L / 2) : null, K2 = JOINT ? bit(L / 4) : null,
            K3 = L >= 8 ? bit(L / 8) : null;
    private static final int LANE0 = lane(0), LANE1 = lane(1), LANE2 = lane(2), LANE3 = lane(3),
            LANE4 = lane(4), LANE5 = lane(5), LANE6 = lane(6), LANE7 = lane(7);

    private static VectorShuffle<Float> swap(int d) {
        return d == 8 ? Simd.SWAP8 : d == 4 ? Simd.SWAP4 : d == 2 ? Simd.SWAP2 : Simd.SWAP1;
    }

    private static VectorMask<Float> bit(int d) {
        return d == 8 ? Simd.BIT8 : d == 4 ? Simd.BIT4 : d == 2 ? Simd.BIT2 : Simd.BIT1;
    }

    private static int lane(int r) {
        return L < 4 ? 0 : L / 2 * (r & 1) + L / 4 * ((r >> 1) & 1) + L / 8 * ((r >> 2) & 1);
    }

    private static void store(float s, float alpha, float beta, float[] c, int ci) {
        float v = alpha * s;
        c[ci] = beta == 0f ? v : v + beta * c[ci];
    }
}
