package org.bpnn.bench.kernels;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bpnn.backend.Backend;
import org.bpnn.backend.Backends;
import org.bpnn.backend.ElementwiseOp;
import org.bpnn.bench.BenchJvm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Element-wise kernels in ns per element (each invocation counts its elements as operations): JMH's
 * "ns/op" here is per element, not per call, so a call takes the score times its element count
 * ({@link OperationsPerInvocation}). Without warm-up the first iterations run the Vector API
 * interpreted or in C1, hundreds of ns per element, before C2 takes over.
 *
 * <p>What this shows: the activation forward (biasActivation without a bias), the activation backward and the softmax
 * over a hidden layer's output at batch 128 (128 x 256, awkward width 255 to hit the tails) and the
 * 10-wide output layer (softmax 128 x 10), and the finiteness scan of a training step's gradients.
 * Only forward and backward take {@code -p op} (see {@link OpState}), and only adam takes {@code -p deadRows}
 * (see {@link AdamState}): Adam over the first layer's weights, with that many rows belonging to dead units.
 *
 * <p>How to run:
 * <pre>
 * java --add-modules jdk.incubator.vector -jar bpnn-bench/target/benchmarks.jar ElementwiseBenchmark \
 *     -p backend=simd,scalar -f 2 -wi 3 -w 1s -i 5 -r 1s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {BenchJvm.VECTOR, BenchJvm.LINE_ALIGNED})
public class ElementwiseBenchmark {
    static final int ROWS = 128, COLS = 255, N = ROWS * COLS, OUT = 10;
    /** The 784-256-128-10 network's parameter count: the trainer scans that many gradients a step. */
    static final int GRADS = 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10;

    @Param({"simd", "scalar"})
    public String backend;

    @Param({"1"})
    public int threads;

    private Backend be;
    private float[] z, bias, g, out, logits, probs, grads;

    /**
     * The activation of {@link #forward} and {@link #backward}, the only benchmarks that use one: a
     * parameter of its own state, so that the softmax and finiteness benchmarks are not run (and listed)
     * once per activation. As a parameter of the whole class, a default run timed each of those three
     * times over, the same code each time.
     */
    @State(Scope.Thread)
    public static class OpState {
        @Param({"SIGMOID", "TANH", "RELU"})
        public ElementwiseOp op;

        /** f(z): what backward reads, as in training, and what forward writes (the same values again). */
        float[] a;

        @Setup(Level.Trial)
        public void setUp(ElementwiseBenchmark b) {
            // checked against the scalar reference before timing: a wrong fast kernel timed here would
            // be a figure of nothing
            Backend ref = Backends.get("scalar", 1);
            float[] z1 = b.z.clone(), z2 = b.z.clone(), a1 = new float[N], a2 = new float[N];
            ref.biasActivation(op, 0.01f, ROWS, COLS, z1, 0, COLS, b.bias, 0, a1, 0, COLS);
            b.be.biasActivation(op, 0.01f, ROWS, COLS, z2, 0, COLS, b.bias, 0, a2, 0, COLS);
            b.agree(op + " forward", a1, a2);
            float[] o1 = new float[N], o2 = new float[N];
            ref.activationBackward(op, 0.01f, N, a1, 0, b.g, 0, o1, 0);
            b.be.activationBackward(op, 0.01f, N, a1, 0, b.g, 0, o2, 0);
            b.agree(op + " backward", o1, o2);
            // backward reads a = f(z), as in training: from an all-zero array every element would be
            // f'(0) (ReLU's branch always taken the same way, sigmoid's a (1 - a) and its output all zero)
            a = new float[N];
            b.be.biasActivation(op, 0.01f, ROWS, COLS, b.z, 0, COLS, null, 0, a, 0, COLS);
        }
    }

    /**
     * Adam over 784-256-128-10's first weight matrix (256 x 784), of which {@code deadRows} rows belong
     * to dead units: their gradient is 0 and their first moment m starts at 4 x 2^-149, where a decay
     * without the flush would keep it (0.9 times it rounds back to it), so every call computes on
     * subnormal values; with the flush ({@link org.bpnn.backend.Subnormals}) the first call zeroes them.
     * The other rows' state stays normal: a live gradient. The dead rows' v starts at 1e-3 and decays by
     * 0.999 a call, below 1e-38 after about 80,000 calls: the default 8 s a fork make at most about 72,000
     * (110 us a call), but a longer run would add subnormal v to the unflushed figures (the flushed
     * kernel zeroes v there, eps 1e-8). The rate is small so that the weights barely move.
     */
    @State(Scope.Thread)
    public static class AdamState {
        @Param({"0", "10"})
        public int deadRows;

        float[] w, g, m, v;

        @Setup(Level.Trial)
        public void setUp(ElementwiseBenchmark b) {
            Random r = new Random(11);
            w = new float[W1];
            g = new float[W1];
            m = new float[W1];
            v = new float[W1];
            for (int i = 0; i < W1; i++) {
                w[i] = (float) (0.05 * r.nextGaussian());
                g[i] = (float) (1e-3 * r.nextGaussian());
                m[i] = g[i];
                v[i] = g[i] * g[i];
            }
            int stride = 256 / Math.max(1, deadRows);
            for (int d = 0; d < deadRows; d++) {
                for (int j = 0; j < 784; j++) {
                    int i = d * stride * 784 + j;
                    g[i] = 0f;
                    m[i] = 4 * Float.MIN_VALUE;
                    v[i] = 1e-3f;
                }
            }
            // checked against the scalar reference before timing, on copies
            float[] w1 = w.clone(), m1 = m.clone(), v1 = v.clone(), w2 = w.clone(), m2 = m.clone(), v2 = v.clone();
            update(Backends.get("scalar", 1), w1, g, m1, v1);
            update(b.be, w2, g, m2, v2);
            b.agree("adam w", w1, w2);
            b.agree("adam m", m1, m2);
            b.agree("adam v", v1, v2);
        }
    }

    /** The size of 784-256-128-10's first weight matrix, which {@link #adam} updates. */
    static final int W1 = 784 * 256;

    /** One Adam step over W1 elements with the rate and bias corrections of a mid-run step, small lr. */
    static void update(Backend be, float[] w, float[] g, float[] m, float[] v) {
        be.adamUpdate(W1, 1e-6f, 0.9f, 0.999f, 1e-8f, 0.5f, 0.1f, 0f, w, 0, g, 0, m, 0, v, 0);
    }

    @Setup(Level.Trial)
    public void setUp() {
        be = Backends.get(backend, threads);
        Random r = new Random(7);
        z = new float[N];
        bias = new float[COLS];
        g = new float[N];
        logits = new float[ROWS * OUT];
        for (int i = 0; i < N; i++) {
            z[i] = (float) (3 * r.nextGaussian());
            g[i] = (float) r.nextGaussian();
        }
        for (int j = 0; j < COLS; j++) bias[j] = (float) (0.1 * r.nextGaussian());
        for (int i = 0; i < logits.length; i++) logits[i] = (float) (5 * r.nextGaussian());
        out = new float[N];
        probs = new float[ROWS * OUT];
        // check against the scalar reference before timing (the activations' kernels in Activation's
        // set-up): a wrong fast kernel timed here would be a figure of nothing
        Backend ref = Backends.get("scalar", 1);
        float[] o1 = new float[N], o2 = new float[N];
        float[] p1 = new float[ROWS * OUT], p2 = new float[ROWS * OUT];
        ref.softmaxRows(ROWS, OUT, logits, 0, OUT, p1, 0, OUT);
        be.softmaxRows(ROWS, OUT, logits, 0, OUT, p2, 0, OUT);
        agree("softmax10", p1, p2);
        ref.softmaxRows(ROWS, COLS, z, 0, COLS, o1, 0, COLS);
        be.softmaxRows(ROWS, COLS, z, 0, COLS, o2, 0, COLS);
        agree("softmaxWide", o1, o2);
        grads = new float[GRADS];
        for (int i = 0; i < GRADS; i++) grads[i] = (float) (1e-3 * r.nextGaussian());
        float[] bad = grads.clone();
        bad[GRADS - 100] = Float.NaN;
        if (be.firstNonFinite(GRADS, grads, 0) != -1 || be.firstNonFinite(GRADS, bad, 0) != ref.firstNonFinite(GRADS, bad, 0)) {
            throw new IllegalStateException(backend + " firstNonFinite disagrees with scalar");
        }
    }

    void agree(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= 4e-6 * Math.max(1, Math.abs(expected[i])))) {
                throw new IllegalStateException(backend + " " + what + " disagrees with scalar at " + i + ": "
                        + expected[i] + " vs " + actual[i]);
            }
        }
    }

    /**
     * a = f(z) over 128 x 255 through biasActivation, without the bias (with one, z would grow on
     * every call; the bias add is one more vector add per element).
     */
    @Benchmark
    @OperationsPerInvocation(N)
    public float[] forward(OpState f) {
        be.biasActivation(f.op, 0.01f, ROWS, COLS, z, 0, COLS, null, 0, f.a, 0, COLS);
        return f.a;
    }

    /** out = g (.) f'(a) over 128 x 255, a = f(z) from the set-up. */
    @Benchmark
    @OperationsPerInvocation(N)
    public float[] backward(OpState f) {
        be.activationBackward(f.op, 0.01f, N, f.a, 0, g, 0, out, 0);
        return out;
    }

    /** The finiteness scan of a training step's gradients (all finite: the whole array is read). */
    @Benchmark
    @OperationsPerInvocation(GRADS)
    public int firstNonFinite() {
        return be.firstNonFinite(GRADS, grads, 0);
    }

    /**
     * Row softmax over 128 x 10 logits (the output layer): 1280 elements a call, so 2 ns/op is 2.56 us a
     * call, not an eliminated one (a plain loop that changes a logit before each call and consumes
     * the output times the same per element).
     */
    @Benchmark
    @OperationsPerInvocation(ROWS * OUT)
    public float[] softmax10() {
        be.softmaxRows(ROWS, OUT, logits, 0, OUT, probs, 0, OUT);
        return probs;
    }

    /**
     * One Adam update of the 256 x 784 first-layer weights (bias corrections of a mid-run step); with
     * {@code deadRows} &gt; 0, how much subnormal moments would cost (see {@link AdamState}).
     */
    @Benchmark
    @OperationsPerInvocation(W1)
    public float[] adam(AdamState a) {
        update(be, a.w, a.g, a.m, a.v);
        return a.w;
    }

    /** Row softmax over 128 x 255. */
    @Benchmark
    @OperationsPerInvocation(N)
    public float[] softmaxWide() {
        be.softmaxRows(ROWS, COLS, z, 0, COLS, out, 0, COLS);
        return out;
    }
}
