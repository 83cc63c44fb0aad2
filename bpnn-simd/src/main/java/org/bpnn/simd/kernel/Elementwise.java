package org.bpnn.simd.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.bpnn.backend.ElementwiseOp;
import org.bpnn.backend.Subnormals;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.backend.scalar.ScalarKernels;

/**
 * Element-wise kernels: a vector body bounded by {@code SPECIES.loopBound}, then a scalar tail that
 * calls the reference routine ({@link ScalarKernels}, or the {@link ScalarBackend} default) so the
 * tail and the specification cannot drift apart. Exception, measured: the sigmoid and tanh tails run
 * as one zero-padded vector, because a scalar Math.tanh costs 36 ns and a 15-element tail on 255
 * columns tripled the time per element. Ranges are given explicitly so the backend can split a call
 * across threads.
 *
 * <p>Softmax rows narrower than a vector (a 10-class output layer), when contiguous (strided ones
 * take the scalar reference, {@link ScalarKernels#softmaxRow}, row by row), run
 * {@link #expRow} over the whole block of rows at once ({@link #narrowSoftmaxRows}): JMH
 * ElementwiseBenchmark.softmax10 (JDK 17, 1 thread) 2.9 ns per element, against 9.3-9.6 for the
 * scalar reference per row (Math.exp) and 8.3 for one padded expRow per row (10 of 16 lanes;
 * measured with the exp's first version, commit ce9e895).
 *
 * <p>Softmax, sigmoid and tanh use {@link #expRow}, built from fma, mul, add, max, min, abs,
 * integer adds and shifts and reinterpretation, operations that the interpreter, C1 and C2 compute
 * alike;
 * {@code lanewise(VectorOperators.EXP)} did not (its Java fallback and C2's intrinsic differed in the
 * last bit on about 1% of inputs, so a prediction changed when the JIT compiled the kernel and a run
 * that started cold did not match one that started warm):
 * <ul>
 *   <li>sigmoid(z) = 1 / (1 + e^-z): e^-z overflows to +inf for z &lt; -88.7, giving exactly 0, so
 *   no NaN for any finite z (tested up to |z| = 1e4); a result below Float.MIN_NORMAL (z &lt; -87.3)
 *   is written as 0, as the reference does (org.bpnn.backend.Subnormals);</li>
 *   <li>tanh(x) = sign(x) (1 - u) / (1 + u) with u = e^-2|x| in (0, 1] (never overflows); for
 *   |x| &lt; 1/16, where 1 - u cancels, the odd Taylor polynomial to x^7 (truncation error below
 *   3e-13 relative).</li>
 * </ul>
 *
 * <p>Flush to zero ({@link Subnormals}): the sigmoid, the softmax, the backward steps and the optimiser
 * updates set lanes below {@link Float#MIN_NORMAL} in magnitude to +0, as {@link Subnormals#flush} does
 * one value (NaN lanes compare false and stay NaN), by a blend written out in each loop: as a helper
 * method, which C2 did not inline into the sigmoid's loop, it boxed its vector argument (192 bytes per
 * single-sample predict, SimdPredictAllocationTest).
 *
 * <p>Accuracy of {@link #expRow} against {@link Math#exp} (in double): max relative error 8.3e-8 over
 * 2^21 evenly spaced floats in [-87, 88) and 2^20 in [-1, 1) (ExpAccuracyTest, each build, bound
 * 2.4e-7, i.e. 2 ulp).
 */
public final class Elementwise {
    static final VectorSpecies<Float> S = Simd.SPECIES;
    static final int L = S.length();
    /**
     * {@link Simd#VECTOR_CLASS}: every vector store casts its vector to it, and so do sumColumns'
     * accumulators, the ReLU backward pass and expRow throughout, because in the JDK 17 JIT state
     * described in GemmKernels C2 lost vectors' exact type and boxed them on every step (JFR found
     * the GEMM stores, sumColumns and the ReLU backward pass; expRow without casts brought the
     * state about in 5 of 32 launches; the other stores are cast as a precaution, which made no
     * difference beyond launch noise in PassBenchmark.trainStep and PredictBenchmark).
     */
    static final Class<?> VT = Simd.VECTOR_CLASS;
    /** The concrete class of int vectors of the same shape (expRow's integer steps cast to it). */
    static final Class<?> IVT = S.withLanes(int.class).vectorType();
    private static final float TANH_SMALL = 0.0625f;
    /**
     * Scratch per thread: [0, L) a padded vector for the exp-based tails, [L, L + BLOCK) tanh's
     * e^-2|x| (a tail goes through tanh too, so the two must not overlap).
     */
    private static final int BLOCK = 16 * L;
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[L + BLOCK]);

    private Elementwise() {}

    // e^x = 2^n e^r with n = round(x log2 e) and r = x - n ln 2 (ln 2 in two parts, Cody-Waite), so
    // |r| <= ln2 / 2; e^r by Cephes' expf minimax polynomial; 2^n as two power-of-two factors so that
    // neither overflows (n = 128 near ln(FLT_MAX)) nor goes subnormal (n down to -159).
    // The input is clamped to [EXP_LO, EXP_HI]: both ends lie beyond float's range (e^89 overflows to
    // +inf, e^-110 rounds to 0), so the clamp only keeps n small enough for the 2^n factors; it also
    // maps -inf to 0 and +inf to +inf without a blend.
    private static final float EXP_HI = 89f;
    private static final float EXP_LO = -110f;
    private static final float LOG2E = 1.44269504f;
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float ROUND = 12582912f; // 1.5 * 2^23: (v + ROUND) - ROUND rounds v to an integer
    private static final int ROUND_BITS = 0x4B400000; // Float.floatToRawIntBits(ROUND)
    private static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f,
            P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    /**
     * out[o + j] = e^(scale v + shift) with v = in[i + j] (|in[i + j]| when {@code abs}) for j in
     * [0, n), n a multiple of L; returns the sum of the results (lane sums, then a fixed-order
     * butterfly over the lanes, see {@link Simd#SWAP8}). May run
     * in place. Deterministic in every execution mode: fma, mul, add, max, min and abs are correctly
     * rounded (or exact) IEEE operations, integer adds and shifts and reinterpretation are exact, so
     * the interpreter, C1 and C2 give the same bits (tested against a scalar transcription:
     * ExpAccuracyTest, ExpInterpretedTest). e^-inf = 0, e^+inf = +inf, NaN stays NaN; below
     * Float.MIN_VALUE / 2 the result is 0, above Float.MAX_VALUE +inf.
     *
     * <p>Written out once, with arrays at its boundary: a helper taking and returning a vector was not
     * always inlined by C2 (callers are large), and every call then boxed vectors. Every vector is cast
     * to its species' concrete class ({@link #VT}, {@link #IVT}): in the JDK 17 JIT state described in
     * GemmKernels, C2 lost the exact type of vectors and boxed them; this exp without the casts was
     * seen to bring that state about (in 5 of 32 launches, see {@link #VT}).
     */
    static float expRow(float[] in, int i, float scale, float shift, boolean abs, float[] out, int o, int n) {
        FloatVector sum = (FloatVector) VT.cast(FloatVector.zero(S));
        for (int j = 0; j < n; j += L) {
            FloatVector v = (FloatVector) VT.cast(FloatVector.fromArray(S, in, i + j));
            if (abs) {
                v = (FloatVector) VT.cast(v.abs());
            }
            FloatVector x = (FloatVector) VT.cast(v.mul(scale).add(shift));
            FloatVector xc = (FloatVector) VT.cast(x.max(EXP_LO).min(EXP_HI));
            // n in the comment above: (v + ROUND) holds round(v) in its low mantissa bits, so the
            // integer comes from the bits (C2 on JDK 17 does not intrinsify a vector F2I convert)
            FloatVector t = (FloatVector) VT.cast(xc.mul(LOG2E).add(ROUND));
            FloatVector k = (FloatVector) VT.cast(t.sub(ROUND));
            FloatVector r = (FloatVector) VT.cast(k.fma(xc.broadcast(-LN2_HI), xc));
            r = (FloatVector) VT.cast(k.fma(xc.broadcast(-LN2_LO), r));
            FloatVector p = (FloatVector) VT.cast(r.fma(P0, P1));
            p = (FloatVector) VT.cast(p.fma(r, r.broadcast(P2)));
            p = (FloatVector) VT.cast(p.fma(r, r.broadcast(P3)));
            p = (FloatVector) VT.cast(p.fma(r, r.broadcast(P4)));
            p = (FloatVector) VT.cast(p.fma(r, r.broadcast(P5)));
            FloatVector y = (FloatVector) VT.cast(p.fma(r.mul(r), r).add(1f));
            IntVector ki = (IntVector) IVT.cast(((IntVector) IVT.cast(t.reinterpretAsInts())).sub(ROUND_BITS));
            IntVector h = (IntVector) IVT.cast(ki.lanewise(VectorOperators.ASHR, 1));
            FloatVector s1 = (FloatVector) VT.cast(((IntVector) IVT.cast(h.add(127).lanewise(VectorOperators.LSHL, 23)))
                    .reinterpretAsFloats());
            FloatVector s2 = (FloatVector) VT.cast(((IntVector) IVT.cast(ki.sub(h).add(127)
                    .lanewise(VectorOperators.LSHL, 23))).reinterpretAsFloats());
            y = (FloatVector) VT.cast(y.mul(s1).mul(s2));
            y.intoArray(out, o + j);
            sum = (FloatVector) VT.cast(sum.add(y));
        }
        // the lanes summed in a fixed order (see Simd.SWAP8)
        if (L > 8) sum = (FloatVector) VT.cast(sum.add(sum.rearrange(Simd.SWAP8)));
        if (L > 4) sum = (FloatVector) VT.cast(sum.add(sum.rearrange(Simd.SWAP4)));
        if (L > 2) sum = (FloatVector) VT.cast(sum.add(sum.rearrange(Simd.SWAP2)));
        if (L > 1) sum = (FloatVector) VT.cast(sum.add(sum.rearrange(Simd.SWAP1)));
        return sum.lane(0);
    }

    /** y[yOff + j] = e^x[xOff + j] for j in [0, n), n a multiple of L (see {@link #expRow}). */
    public static void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        expRow(x, xOff, 1f, 0f, false, y, yOff, n);
    }

    // ---- activations --------------------------------------------------------------------------

    /** z[i][j] += bias[j]; a[i][j] = f(z[i][j]) for rows [r0, r1); see Backend#biasActivation. */
    public static void biasActivation(ElementwiseOp op, float param, int r0, int r1, int cols,
                                      float[] z, int zOff, int ldz, float[] bias, int biasOff,
                                      float[] a, int aOff, int lda) {
        int cv = S.loopBound(cols);
        boolean expTail = cv < cols && (op == ElementwiseOp.SIGMOID || op == ElementwiseOp.TANH);
        float[] tmp = expTail ? SCRATCH.get() : null;
        for (int i = r0; i < r1; i++) {
            int zr = zOff + i * ldz, ar = aOff + i * lda;
            if (bias != null) {
                for (int j = 0; j < cv; j += L) {
                    ((FloatVector) VT.cast(FloatVector.fromArray(S, z, zr + j)
                            .add(FloatVector.fromArray(S, bias, biasOff + j)))).intoArray(z, zr + j);
                }
            }
            applyRow(op, param, z, zr, a, ar, cv);
            if (cv == cols) {
                continue;
            }
            if (expTail) {
                // exp-based tail as one zero-padded vector: Math.tanh costs 36 ns, and a 15-element
                // tail on 255 columns tripled the time per element
                int n = cols - cv;
                for (int t = 0; t < L; t++) {
                    float v = 0f;
                    if (t < n) {
                        v = z[zr + cv + t];
                        if (bias != null) {
                            v += bias[biasOff + cv + t];
                            z[zr + cv + t] = v;
                        }
                    }
                    tmp[t] = v;
                }
                applyRow(op, param, tmp, 0, tmp, 0, L);
                System.arraycopy(tmp, 0, a, ar + cv, n);
            } else {
                ScalarKernels.biasActivation(op, param, i, i + 1, cols - cv, z, zOff + cv, ldz,
                        bias, biasOff + cv, a, aOff + cv, lda);
            }
        }
    }

    /**
     * out[o + j] = f(in[i + j]) for j in [0, n), n a multiple of L. The loops are written out per op
     * and no vector crosses a call: a helper that C2 declines to inline boxes its vector arguments
     * (tanh as a helper: 3.1 ns/element and garbage on every call).
     */
    private static void applyRow(ElementwiseOp op, float param, float[] in, int i, float[] out, int o, int n) {
        switch (op) {
            case IDENTITY:
                if (in != out || i != o) {
                    System.arraycopy(in, i, out, o, n);
                }
                break;
            case SIGMOID:
                // e = e^-z into out, then 1 / (1 + e)
                expRow(in, i, -1f, 0f, false, out, o, n);
                for (int j = 0; j < n; j += L) {
                    FloatVector e = (FloatVector) VT.cast(FloatVector.fromArray(S, out, o + j));
                    FloatVector y = e.broadcast(1f).div(e.add(1f)); // below MIN_NORMAL 0, as ElementwiseOp.sigmoid
                    ((FloatVector) VT.cast(y.blend(0f, y.abs().compare(VectorOperators.LT, Float.MIN_NORMAL))))
                            .intoArray(out, o + j);
                }
                break;
            case TANH:
                // u = e^-2|x| in blocks through the scratch (out may be in, and x is read again)
                float[] u = SCRATCH.get();
                for (int b = 0; b < n; b += BLOCK) {
                    int m = Math.min(BLOCK, n - b);
                    expRow(in, i + b, -2f, 0f, true, u, L, m);
                    for (int j = 0; j < m; j += L) {
                        FloatVector v = (FloatVector) VT.cast(FloatVector.fromArray(S, in, i + b + j));
                        FloatVector ax = (FloatVector) VT.cast(v.abs());
                        FloatVector uv = (FloatVector) VT.cast(FloatVector.fromArray(S, u, L + j));
                        FloatVector t = (FloatVector) VT.cast(uv.broadcast(1f).sub(uv).div(uv.add(1f)));
                        t = (FloatVector) VT.cast(t.blend(t.neg(), v.compare(VectorOperators.LT, 0f)));
                        FloatVector x2 = (FloatVector) VT.cast(v.mul(v));
                        FloatVector poly = (FloatVector) VT.cast(
                                v.add(v.mul(x2).mul(x2.mul(x2.mul(-17f / 315f).add(2f / 15f)).add(-1f / 3f))));
                        // at x = -0 the polynomial gives -0 + +0 = +0; the reference, Math.tanh, gives -0
                        ((FloatVector) VT.cast(t.blend(poly, ax.compare(VectorOperators.LT, TANH_SMALL))
                                .blend(v, v.compare(VectorOperators.EQ, 0f))))
                                .intoArray(out, o + b + j);
                    }
                }
                break;
            case RELU:
                // 0 where not z > 0, as the reference: not 0 * z, which is NaN for z = -inf (a GEMM
                // overflow) and -0 for z < 0
                for (int j = 0; j < n; j += L) {
                    FloatVector v = FloatVector.fromArray(S, in, i + j);
                    ((FloatVector) VT.cast(v.broadcast(0f).blend(v, v.compare(VectorOperators.GT, 0f))))
                            .intoArray(out, o + j);
                }
                break;
            case LEAKY_RELU:
                for (int j = 0; j < n; j += L) {
                    FloatVector v = FloatVector.fromArray(S, in, i + j);
                    ((FloatVector) VT.cast(v.mul(param).blend(v, v.compare(VectorOperators.GT, 0f))))
                            .intoArray(out, o + j);
                }
                break;
            default:
                throw new AssertionError(op);
        }
    }

    /**
     * out[i] = g[i] * f'(a[i]) for i in [from, to), below MIN_NORMAL 0 as ScalarKernels.activationBackward;
     * see Backend#activationBackward.
     */
    public static void activationBackward(ElementwiseOp op, float param, int from, int to,
                                          float[] a, int aOff, float[] g, int gOff, float[] out, int outOff) {
        int end = from + S.loopBound(to - from);
        int i = from;
        switch (op) {
            case IDENTITY:
                // f' = 1: out = g by System.arraycopy (the same bits as a vector copy; nothing to do
                // in place). A vector copy, whose 512-bit stores are not aligned, loses
                // to the reference, which C2 vectorises with an aligned store when the offsets are
                // constant and one op reaches it. JMH ElementwiseBenchmark.backward -p op=IDENTITY,
                // threads=1, -f 1 x 2 alternating, medians ns/element: JDK 17 vector copy 0.063,
                // arraycopy 0.042, reference 0.043; JDK 25 0.053, 0.042, 0.041. In one JVM that had
                // run every op (a nanoTime loop, not JMH): arraycopy 0.042, reference 0.19 (its switch
                // not folded once every op had reached it).
                if (g != out || gOff != outOff) {
                    System.arraycopy(g, gOff + from, out, outOff + from, to - from);
                }
                return;
            case SIGMOID:
                for (; i < end; i += L) {
                    FloatVector av = FloatVector.fromArray(S, a, aOff + i);
                    FloatVector d = av.mul(av.broadcast(1f).sub(av));
                    FloatVector o = FloatVector.fromArray(S, g, gOff + i).mul(d);
                    ((FloatVector) VT.cast(o.blend(0f, o.abs().compare(VectorOperators.LT, Float.MIN_NORMAL))))
                            .intoArray(out, outOff + i);
                }
                break;
            case TANH:
                for (; i < end; i += L) {
                    FloatVector av = FloatVector.fromArray(S, a, aOff + i);
                    FloatVector d = av.broadcast(1f).sub(av.mul(av));
                    FloatVector o = FloatVector.fromArray(S, g, gOff + i).mul(d);
                    ((FloatVector) VT.cast(o.blend(0f, o.abs().compare(VectorOperators.LT, Float.MIN_NORMAL))))
                            .intoArray(out, outOff + i);
                }
                break;
            case RELU:
            case LEAKY_RELU:
                float slope = op == ElementwiseOp.RELU ? 0f : param;
                for (; i < end; i += L) {
                    FloatVector av = (FloatVector) VT.cast(FloatVector.fromArray(S, a, aOff + i));
                    FloatVector gv = (FloatVector) VT.cast(FloatVector.fromArray(S, g, gOff + i));
                    VectorMask<Float> pos = av.compare(VectorOperators.GT, 0f);
                    FloatVector d = (FloatVector) VT.cast(av.broadcast(slope).blend(av.broadcast(1f), pos));
                    FloatVector o = (FloatVector) VT.cast(gv.mul(d));
                    ((FloatVector) VT.cast(o.blend(0f, o.abs().compare(VectorOperators.LT, Float.MIN_NORMAL))))
                            .intoArray(out, outOff + i);
                }
                break;
            default:
                throw new AssertionError(op);
        }
        ScalarKernels.activationBackward(op, param, i, to, a, aOff, g, gOff, out, outOff);
    }

    // ---- softmax --------------------------------------------------------------------------------

    /** Stable softmax of rows [r0, r1); see Backend#softmaxRows. */
    public static void softmaxRows(int r0, int r1, int cols, float[] x, int xOff, int ldx,
                                   float[] out, int outOff, int ldo) {
        int cv = S.loopBound(cols);
        if (cv == 0 && ldx == cols && ldo == cols) {
            narrowSoftmaxRows(r0, r1, cols, x, xOff, out, outOff);
            return;
        }
        float[] tmp = null;
        for (int i = r0; i < r1; i++) {
            int xr = xOff + i * ldx, or = outOff + i * ldo;
            if (cv == 0) {
                // a strided row narrower than a vector: the reference, whose Math.exp HotSpot
                // computes with one stub in the interpreter, C1 and C2
                ScalarKernels.softmaxRow(cols, x, xr, out, or);
                continue;
            }
            FloatVector mv = FloatVector.fromArray(S, x, xr);
            for (int j = L; j < cv; j += L) {
                mv = mv.max(FloatVector.fromArray(S, x, xr + j));
            }
            float max = mv.reduceLanes(VectorOperators.MAX);
            for (int j = cv; j < cols; j++) {
                max = Math.max(max, x[xr + j]);
            }
            double sum = expRow(x, xr, 1f, -max, false, out, or, cv); // e^(x - max)
            if (cv < cols) {
                if (tmp == null) {
                    tmp = SCRATCH.get();
                }
                expPadded(tmp, x, xr + cv, cols - cv, -max, out, or + cv);
                for (int j = cv; j < cols; j++) {
                    sum += out[or + j];
                }
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < cv; j += L) { // subnormal probabilities are 0, as ScalarKernels.softmaxRow's
                FloatVector p = FloatVector.fromArray(S, out, or + j).mul(inv);
                ((FloatVector) VT.cast(p.blend(0f, p.abs().compare(VectorOperators.LT, Float.MIN_NORMAL))))
                        .intoArray(out, or + j);
            }
            for (int j = cv; j < cols; j++) {
                out[or + j] = Subnormals.flush(out[or + j] * inv);
            }
        }
    }

    /**
     * Softmax of contiguous rows narrower than a vector (the 10-class output layer): the rows are one
     * block, so out = x - (its row's max) is written row by row, then {@link #expRow} runs over the whole
     * block in place (10 of 16 lanes would work if it ran per row), then each row is summed in
     * double and scaled, as {@link ScalarKernels#softmaxRow} does (whose Math.exp in double it
     * matches within 3e-7 relative: NarrowSoftmaxReproducibilityTest).
     */
    private static void narrowSoftmaxRows(int r0, int r1, int cols, float[] x, int xOff, float[] out, int outOff) {
        int from = r0 * cols, to = r1 * cols;
        for (int i = from; i < to; i += cols) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x[xOff + i + j]);
            }
            for (int j = 0; j < cols; j++) {
                out[outOff + i + j] = x[xOff + i + j] - max;
            }
        }
        int nv = S.loopBound(to - from);
        expRow(out, outOff + from, 1f, 0f, false, out, outOff + from, nv);
        if (from + nv < to) {
            int o = outOff + from + nv;
            expPadded(SCRATCH.get(), out, o, to - from - nv, 0f, out, o);
        }
        for (int i = from; i < to; i += cols) {
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += out[outOff + i + j];
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < cols; j++) {
                out[outOff + i + j] = Subnormals.flush(out[outOff + i + j] * inv);
            }
        }
    }

    /**
     * dst[dstOff + t] = e^(src[srcOff + t] + shift) for t in [0, n), n &lt; L: one {@link #expRow}
     * over a vector padded with -inf (whose exp is 0), in {@code tmp}'s first L floats (the
     * thread's scratch). May run in place.
     */
    private static void expPadded(float[] tmp, float[] src, int srcOff, int n, float shift, float[] dst, int dstOff) {
        for (int t = 0; t < L; t++) {
            tmp[t] = t < n ? src[srcOff + t] : Float.NEGATIVE_INFINITY;
        }
        expRow(tmp, 0, 1f, shift, false, tmp, 0, L);
        System.arraycopy(tmp, 0, dst, dstOff, n);
    }

    /** Softmax backward for rows [r0, r1); see Backend#softmaxBackward. */
    public static void softmaxBackward(int r0, int r1, int cols, float[] a, int aOff, float[] g, int gOff,
                                       float[] out, int outOff) {
        int cv = S.loopBound(cols);
        for (int i = r0; i < r1; i++) {
            int ra = aOff + i * cols, rg = gOff + i * cols, ro = outOff + i * cols;
            FloatVector dv = FloatVector.zero(S);
            for (int j = 0; j < cv; j += L) {
                dv = FloatVector.fromArray(S, g, rg + j).fma(FloatVector.fromArray(S, a, ra + j), dv);
            }
            // the lanes summed in a fixed order (see Simd.SWAP8)
            if (L > 8) dv = (FloatVector) VT.cast(dv.add(dv.rearrange(Simd.SWAP8)));
            if (L > 4) dv = (FloatVector) VT.cast(dv.add(dv.rearrange(Simd.SWAP4)));
            if (L > 2) dv = (FloatVector) VT.cast(dv.add(dv.rearrange(Simd.SWAP2)));
            if (L > 1) dv = (FloatVector) VT.cast(dv.add(dv.rearrange(Simd.SWAP1)));
            double dot = dv.lane(0);
            for (int j = cv; j < cols; j++) {
                dot += (double) g[rg + j] * a[ra + j];
            }
            float d = (float) dot;
            for (int j = 0; j < cv; j += L) {
                FloatVector av = FloatVector.fromArray(S, a, ra + j);
                FloatVector o = av.mul(FloatVector.fromArray(S, g, rg + j).sub(d)); // below MIN_NORMAL 0, as Backend's
                ((FloatVector) VT.cast(o.blend(0f, o.abs().compare(VectorOperators.LT, Float.MIN_NORMAL))))
                        .intoArray(out, ro + j);
            }
            for (int j = cv; j < cols; j++) {
                out[ro + j] = Subnormals.flush(a[ra + j] * (g[rg + j] - d));
            }
        }
    }

    // ---- reductions and vector updates -----------------------------------------------------------

    /** out[j] = alpha sum_i x[i][j] + beta out[j] for columns [j0, j1); see Backend#sumColumns. */
    public static void sumColumns(int rows, int j0, int j1, float alpha, float[] x, int xOff, int ldx,
                                  float beta, float[] out, int outOff) {
        // No helper for the store: a helper taking a vector, when C2 judges its call site cold and
        // does not inline it, boxes the vector on every call (3 boxes per training step of a small
        // network, seen in SimdAllocationFreeStepTest once other tests had shaped the profile).
        int j = j0;
        for (; j + 4 * L <= j1; j += 4 * L) {
            FloatVector zero = (FloatVector) VT.cast(FloatVector.zero(S));
            FloatVector s0 = zero, s1 = zero, s2 = zero, s3 = zero;
            for (int i = 0, xi = xOff + j; i < rows; i++, xi += ldx) {
                s0 = (FloatVector) VT.cast(s0.add(FloatVector.fromArray(S, x, xi)));
                s1 = (FloatVector) VT.cast(s1.add(FloatVector.fromArray(S, x, xi + L)));
                s2 = (FloatVector) VT.cast(s2.add(FloatVector.fromArray(S, x, xi + 2 * L)));
                s3 = (FloatVector) VT.cast(s3.add(FloatVector.fromArray(S, x, xi + 3 * L)));
            }
            int o = outOff + j;
            s0 = s0.mul(alpha);
            s1 = s1.mul(alpha);
            s2 = s2.mul(alpha);
            s3 = s3.mul(alpha);
            if (beta != 0f) {
                s0 = s0.add(FloatVector.fromArray(S, out, o).mul(beta));
                s1 = s1.add(FloatVector.fromArray(S, out, o + L).mul(beta));
                s2 = s2.add(FloatVector.fromArray(S, out, o + 2 * L).mul(beta));
                s3 = s3.add(FloatVector.fromArray(S, out, o + 3 * L).mul(beta));
            }
            ((FloatVector) VT.cast(s0)).intoArray(out, o);
            ((FloatVector) VT.cast(s1)).intoArray(out, o + L);
            ((FloatVector) VT.cast(s2)).intoArray(out, o + 2 * L);
            ((FloatVector) VT.cast(s3)).intoArray(out, o + 3 * L);
        }
        for (; j + L <= j1; j += L) {
            FloatVector s0 = (FloatVector) VT.cast(FloatVector.zero(S));
            for (int i = 0, xi = xOff + j; i < rows; i++, xi += ldx) {
                s0 = (FloatVector) VT.cast(s0.add(FloatVector.fromArray(S, x, xi)));
            }
            s0 = s0.mul(alpha);
            if (beta != 0f) {
                s0 = s0.add(FloatVector.fromArray(S, out, outOff + j).mul(beta));
            }
            ((FloatVector) VT.cast(s0)).intoArray(out, outOff + j);
        }
        ScalarKernels.sumColumns(rows, j, j1, alpha, x, xOff, ldx, beta, out, outOff);
    }

    /**
     * Whether the passes over a parameter and its gradient (the optimisers' updates, the gradient check)
     * leave their first elements to the scalar loop so that their vectors load from within one line (see
     * {@link #lineHead}): when {@link ArrayAlignment#KNOWN}; {@code -Dbpnn.simd.noPeel=true} turns it off,
     * for measuring.
     */
    static final boolean PEEL = ArrayAlignment.KNOWN && !Boolean.getBoolean("bpnn.simd.noPeel");

    /** The fewest elements {@link #lineHead} peels for: below, the vectors saved do not pay for the scalar head. */
    static final int PEEL_MIN = 64 * L;

    /**
     * The elements to take one at a time (the scalar reference's arithmetic, the same bits as a lane's)
     * before a pass over at least {@link #PEEL_MIN} elements whose arrays start at s0..s3 (indices), so
     * that every vector after them lies within one line: under {@code -XX:ObjectAlignmentInBytes=64} a
     * float[]'s element 0 is 16 bytes past a line and every 64-byte vector from it touches two. 0 when
     * {@link #PEEL} is off, the pass is shorter, or the arrays sit at different places in their lines
     * (one of them would then straddle anyway). Measured on the Intel Xeon (family 6 model 167), JDK 17,
     * one thread, the flag on: in one JVM alternating start 0 and 12 (on a line), before this, adamUpdate
     * of 65,536 floats 32.5 / 30.2 us and axpy 7.5 / 6.3; in the trainer's step (StepProfile --fit 60000
     * --optimizer adam, alternating launches, without / with) adamUpdate 200704 147.4-151.1 / 131.3-134.1
     * us and 32768 26.2-27.8 / 22.6-23.7.
     */
    static int lineHead(int n, int s0, int s1, int s2, int s3) {
        if (!PEEL || n < PEEL_MIN) {
            return 0;
        }
        int h = ArrayAlignment.head(s0, L);
        return h == ArrayAlignment.head(s1, L) && h == ArrayAlignment.head(s2, L) && h == ArrayAlignment.head(s3, L) ? h : 0;
    }

    /** y[i] += alpha x[i] for i in [from, to). */
    public static void axpy(int from, int to, float alpha, float[] x, int xOff, float[] y, int yOff) {
        int i = from;
        int h = lineHead(to - from, xOff + from, yOff + from, yOff + from, yOff + from);
        if (h > 0) {
            ScalarBackend.INSTANCE.axpy(h, alpha, x, xOff + i, y, yOff + i);
            i += h;
        }
        int end = i + S.loopBound(to - i);
        for (; i < end; i += L) {
            ((FloatVector) VT.cast(FloatVector.fromArray(S, y, yOff + i)
                    .add(FloatVector.fromArray(S, x, xOff + i).mul(alpha)))).intoArray(y, yOff + i);
        }
        ScalarBackend.INSTANCE.axpy(to - i, alpha, x, xOff + i, y, yOff + i);
    }

    /**
     * dst row i = src row index[indexOff + i] (rows of {@code cols} floats) for i in [from, to).
     * Eight source rows are copied side by side, one vector of each per step: rows of a shuffled
     * training set come from DRAM, and one row at a time (System.arraycopy) waits on one stream of
     * misses; eight streams keep more loads in flight. Measured for a 128-row batch of 784 columns
     * from a 188 MB set, one thread: 69 -> 37 us.
     */
    public static void gatherRows(int from, int to, int cols, float[] src, int[] index, int indexOff,
                                  float[] dst, int dstOff) {
        int body = S.loopBound(cols);
        int i = from;
        if (body > 0) {
            for (; i + 8 <= to; i += 8) {
                int s0 = rowStart(index[indexOff + i], cols, src.length);
                int s1 = rowStart(index[indexOff + i + 1], cols, src.length);
                int s2 = rowStart(index[indexOff + i + 2], cols, src.length);
                int s3 = rowStart(index[indexOff + i + 3], cols, src.length);
                int s4 = rowStart(index[indexOff + i + 4], cols, src.length);
                int s5 = rowStart(index[indexOff + i + 5], cols, src.length);
                int s6 = rowStart(index[indexOff + i + 6], cols, src.length);
                int s7 = rowStart(index[indexOff + i + 7], cols, src.length);
                if ((s0 | s1 | s2 | s3 | s4 | s5 | s6 | s7) < 0) {
                    // the reference refuses the first row not in src, naming it (and copies the rows before it)
                    ScalarBackend.INSTANCE.gatherRows(8, cols, src, index, indexOff + i, dst, dstOff + i * cols);
                }
                int d = dstOff + i * cols;
                for (int c = 0; c < body; c += L) {
                    FloatVector v0 = FloatVector.fromArray(S, src, s0 + c), v1 = FloatVector.fromArray(S, src, s1 + c);
                    FloatVector v2 = FloatVector.fromArray(S, src, s2 + c), v3 = FloatVector.fromArray(S, src, s3 + c);
                    FloatVector v4 = FloatVector.fromArray(S, src, s4 + c), v5 = FloatVector.fromArray(S, src, s5 + c);
                    FloatVector v6 = FloatVector.fromArray(S, src, s6 + c), v7 = FloatVector.fromArray(S, src, s7 + c);
                    ((FloatVector) VT.cast(v0)).intoArray(dst, d + c);
                    ((FloatVector) VT.cast(v1)).intoArray(dst, d + cols + c);
                    ((FloatVector) VT.cast(v2)).intoArray(dst, d + 2 * cols + c);
                    ((FloatVector) VT.cast(v3)).intoArray(dst, d + 3 * cols + c);
                    ((FloatVector) VT.cast(v4)).intoArray(dst, d + 4 * cols + c);
                    ((FloatVector) VT.cast(v5)).intoArray(dst, d + 5 * cols + c);
                    ((FloatVector) VT.cast(v6)).intoArray(dst, d + 6 * cols + c);
                    ((FloatVector) VT.cast(v7)).intoArray(dst, d + 7 * cols + c);
                }
                if (body < cols) {
                    for (int r = 0; r < 8; r++) {
                        System.arraycopy(src, index[indexOff + i + r] * cols + body, dst, d + r * cols + body,
                                cols - body);
                    }
                }
            }
        }
        ScalarBackend.INSTANCE.gatherRows(to - i, cols, src, index, indexOff + i, dst, dstOff + i * cols);
    }

    /**
     * Where row {@code row} of src starts, or -1 when the row is not in src. In long, as the reference
     * (Backend.gatherRows) computes it: index * cols in int wraps for an absurd index onto another
     * row's offset (1431655766 * 3 is 2 modulo 2^32). Checked once per row beside a copy of cols floats.
     */
    private static int rowStart(int row, int cols, int srcLength) {
        long from = (long) row * cols;
        return from < 0 || from + cols > srcLength ? -1 : (int) from;
    }

    /**
     * The index (from 0) of the first NaN or infinity among x[off .. off+n), or -1. A block of up to
     * {@link #SCAN_BLOCK} floats is summed as x * 0 into four accumulators: a finite x adds +-0, a
     * NaN or infinite one makes its accumulator NaN for good, so one compare per block tells whether
     * the block is clean. One FMA per vector instead of abs, compare and a mask AND, with one
     * allTrue per block instead of one per four vectors (the JDK 17 allTrue was 2% of a training
     * step's samples). JMH ElementwiseBenchmark.firstNonFinite (235K floats, the 784-256-128-10
     * network's gradients, one thread, -f 2, a build scanning with abs, compare and AND alternating
     * with this one): 0.064 / 0.070 there against 0.044 / 0.043 ns per float here on JDK 17 (15-16.5
     * against 10.2 us a scan), 0.060 / 0.055 against 0.042 / 0.043 on JDK 25. A dirty block, and the tail, are rescanned element by element for the
     * exact index.
     */
    public static int firstNonFinite(int n, float[] x, int off) {
        int step = 4 * L;
        int i = lineHead(n, off, off, off, off);
        if (i > 0) {
            int j = ScalarBackend.INSTANCE.firstNonFinite(i, x, off);
            if (j >= 0) {
                return j;
            }
        }
        int end = n - (n - i) % step;
        FloatVector zero = FloatVector.zero(S);
        while (i < end) {
            int blockEnd = Math.min(end, i + SCAN_BLOCK);
            FloatVector s0 = zero, s1 = zero, s2 = zero, s3 = zero;
            for (int j = i; j < blockEnd; j += step) {
                s0 = FloatVector.fromArray(S, x, off + j).fma(zero, s0);
                s1 = FloatVector.fromArray(S, x, off + j + L).fma(zero, s1);
                s2 = FloatVector.fromArray(S, x, off + j + 2 * L).fma(zero, s2);
                s3 = FloatVector.fromArray(S, x, off + j + 3 * L).fma(zero, s3);
            }
            if (!s0.add(s1).add(s2.add(s3)).compare(VectorOperators.EQ, 0f).allTrue()) {
                break; // the scalar scan below finds the exact index from this block on
            }
            i = blockEnd;
        }
        int j = ScalarBackend.INSTANCE.firstNonFinite(n - i, x, off + i);
        return j < 0 ? -1 : i + j;
    }

    /** Floats per block of {@link #firstNonFinite}: a multiple of 4 vectors at every width. */
    static final int SCAN_BLOCK = 1024;

    /** x[i] *= alpha for i in [from, to). */
    public static void scale(int from, int to, float alpha, float[] x, int xOff) {
        int end = from + S.loopBound(to - from);
        int i = from;
        for (; i < end; i += L) {
            ((FloatVector) VT.cast(FloatVector.fromArray(S, x, xOff + i).mul(alpha))).intoArray(x, xOff + i);
        }
        ScalarBackend.INSTANCE.scale(to - i, alpha, x, xOff + i);
    }

    /** z[i] += x[i] y[i] for i in [from, to). */
    public static void multiplyAdd(int from, int to, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        int end = from + S.loopBound(to - from);
        int i = from;
        for (; i < end; i += L) {
            FloatVector xy = FloatVector.fromArray(S, x, xOff + i).mul(FloatVector.fromArray(S, y, yOff + i));
            ((FloatVector) VT.cast(FloatVector.fromArray(S, z, zOff + i).add(xy))).intoArray(z, zOff + i);
        }
        ScalarBackend.INSTANCE.multiplyAdd(to - i, x, xOff + i, y, yOff + i, z, zOff + i);
    }

    /** SGD with momentum for i in [from, to); see Backend#momentumUpdate. */
    public static void momentumUpdate(int from, int to, float lr, float mu, boolean nesterov,
                                      float[] w, int wOff, float[] g, int gOff, float[] v, int vOff) {
        int i = from;
        int h = lineHead(to - from, wOff + from, gOff + from, vOff + from, vOff + from);
        if (h > 0) {
            ScalarBackend.INSTANCE.momentumUpdate(h, lr, mu, nesterov, w, wOff + i, g, gOff + i, v, vOff + i);
            i += h;
        }
        int end = i + S.loopBound(to - i);
        for (; i < end; i += L) {
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i);
            FloatVector vi = FloatVector.fromArray(S, v, vOff + i).mul(mu).add(gv);
            vi = (FloatVector) VT.cast(vi.blend(0f, vi.abs().compare(VectorOperators.LT, Float.MIN_NORMAL)));
            ((FloatVector) VT.cast(vi)).intoArray(v, vOff + i);
            FloatVector step = nesterov ? gv.add(vi.mul(mu)) : vi;
            ((FloatVector) VT.cast(FloatVector.fromArray(S, w, wOff + i).sub(step.mul(lr)))).intoArray(w, wOff + i);
        }
        ScalarBackend.INSTANCE.momentumUpdate(to - i, lr, mu, nesterov, w, wOff + i, g, gOff + i, v, vOff + i);
    }

    /** Adam / AdamW for i in [from, to); see Backend#adamUpdate. */
    public static void adamUpdate(int from, int to, float lr, float b1, float b2, float eps, float c1, float c2,
                                  float wd, float[] w, int wOff, float[] g, int gOff, float[] m, int mOff,
                                  float[] v, int vOff) {
        int i = from;
        int h = lineHead(to - from, wOff + from, gOff + from, mOff + from, vOff + from);
        if (h > 0) {
            ScalarBackend.INSTANCE.adamUpdate(h, lr, b1, b2, eps, c1, c2, wd, w, wOff + i, g, gOff + i, m, mOff + i, v, vOff + i);
            i += h;
        }
        int end = i + S.loopBound(to - i);
        float ob1 = 1f - b1, ob2 = 1f - b2;
        float s1 = 1f / c1, s2 = (float) (1.0 / Math.sqrt(c2)); // as the reference: Backend#adamUpdate
        boolean flushV = Subnormals.vanishBeside(s2, eps);
        for (; i < end; i += L) {
            FloatVector gi = FloatVector.fromArray(S, g, gOff + i);
            FloatVector mi = FloatVector.fromArray(S, m, mOff + i).mul(b1).add(gi.mul(ob1));
            mi = (FloatVector) VT.cast(mi.blend(0f, mi.abs().compare(VectorOperators.LT, Float.MIN_NORMAL)));
            FloatVector vi = FloatVector.fromArray(S, v, vOff + i).mul(b2).add(gi.mul(ob2).mul(gi));
            if (flushV) {
                vi = (FloatVector) VT.cast(vi.blend(0f, vi.abs().compare(VectorOperators.LT, Float.MIN_NORMAL)));
            }
            ((FloatVector) VT.cast(mi)).intoArray(m, mOff + i);
            ((FloatVector) VT.cast(vi)).intoArray(v, vOff + i);
            FloatVector wi = FloatVector.fromArray(S, w, wOff + i);
            FloatVector upd = mi.mul(s1).div(vi.sqrt().mul(s2).add(eps)).add(wi.mul(wd));
            ((FloatVector) VT.cast(wi.sub(upd.mul(lr)))).intoArray(w, wOff + i);
        }
        ScalarBackend.INSTANCE.adamUpdate(to - i, lr, b1, b2, eps, c1, c2, wd, w, wOff + i, g, gOff + i,
                m, mOff + i, v, vOff + i);
    }
}
