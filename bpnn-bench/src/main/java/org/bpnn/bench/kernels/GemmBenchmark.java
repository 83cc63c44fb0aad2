package org.bpnn.bench.kernels;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bpnn.backend.Backend;
import org.bpnn.backend.Backends;
import org.bpnn.backend.scalar.ScalarKernels;
import org.bpnn.bench.BenchJvm;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * GEMM throughput per backend, thread count and shape.
 *
 * <p>What this shows: GFLOP/s of {@link Backend#gemm} on the products of the 784-256-128-10 network at
 * batch 128 (forward X W^T = NT, BP2 delta W = NN, BP3 delta^T X = TN) and on squares. The
 * {@code gflop} secondary result is already GFLOP/s (each call adds 2 m n k / 1e9); the primary
 * result is calls per second.
 *
 * <p>How to run (scalar is a slow reference: leave it out of the large squares):
 * <pre>
 * java --add-modules jdk.incubator.vector -jar bpnn-bench/target/benchmarks.jar GemmBenchmark \
 *     -p backend=simd -p threads=1,2 -f 3 -wi 3 -w 1s -i 5 -r 1s
 * </pre>
 * then {@code bpnn-bench/gemm-vs-numpy.py} for OpenBLAS's figures on the same shapes.
 *
 * <p>Shape format: {@code TT_MxNxK}, TT the transposes of A and B (N or T), C: (M, N), K the inner
 * dimension.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {BenchJvm.VECTOR, BenchJvm.LINE_ALIGNED})
public class GemmBenchmark {

    @Param({"simd", "scalar"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    @Param({
        // forward Z = X W^T, batch 128
        "NT_128x256x784", "NT_128x128x256", "NT_128x10x128",
        // BP2 dX = delta W (layers after the first)
        "NN_128x256x128", "NN_128x128x10",
        // BP3 dW = delta^T X
        "TN_256x784x128", "TN_128x256x128", "TN_10x128x128",
        // squares
        "NN_128x128x128", "NN_256x256x256", "NN_512x512x512", "NN_1024x1024x1024",
        // single-sample predict
        "NT_1x256x784"
    })
    public String shape;

    private Backend be;
    private boolean ta, tb;
    private int m, n, k, lda, ldb;
    private float[] a, b, c;
    private double gflopPerCall;

    /** GFLOP done, reported by JMH as a rate: GFLOP/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflop;
    }

    /**
     * M, N and K of a {@code shape} value "TT_MxNxK", checked whole before anything is allocated: a
     * value without "_" or with two dimensions failed deep in the set-up with an
     * ArrayIndexOutOfBoundsException that named neither the parameter nor its format, and one whose
     * matrices overflow an array with a NegativeArraySizeException.
     */
    static int[] dimensionsOf(String shape) {
        String problem = null;
        if (!shape.matches("[NT][NT]_[1-9][0-9]{0,8}x[1-9][0-9]{0,8}x[1-9][0-9]{0,8}")) {
            problem = "";
        } else {
            String[] d = shape.substring(3).split("x");
            long m = Long.parseLong(d[0]), n = Long.parseLong(d[1]), k = Long.parseLong(d[2]);
            if (Math.max(m * k, Math.max(k * n, m * n)) > Integer.MAX_VALUE - 8) {
                problem = " (a matrix of more than 2^31 - 9 floats cannot be one Java array)";
            } else {
                return new int[] {(int) m, (int) n, (int) k};
            }
        }
        throw new IllegalArgumentException("-p shape takes TT_MxNxK: TT the transposes of A and B (NN, NT, TN or TT), "
                + "then C's rows M, C's columns N and the inner dimension K, each >= 1, e.g. -p shape=NT_128x256x784; got '"
                + shape + "'" + problem);
    }

    @Setup(Level.Trial)
    public void setUp() {
        int[] d = dimensionsOf(shape);
        ta = shape.charAt(0) == 'T';
        tb = shape.charAt(1) == 'T';
        m = d[0];
        n = d[1];
        k = d[2];
        lda = ta ? m : k;
        ldb = tb ? k : n;
        Random r = new Random(42);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
        gflopPerCall = 2.0 * m * n * k / 1e9;
        be = Backends.get(backend, threads);
        if (be.threads() != threads && !backend.equals("scalar")) {
            throw new IllegalStateException(backend + " reports " + be.threads() + " threads, asked " + threads);
        }
        checkAgainstScalar();
    }

    /** The backend must agree with the scalar reference on this shape (rows sampled on big ones). */
    private void checkAgainstScalar() {
        be.gemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
        int step = m <= 256 ? 1 : m / 61;
        float[] ref = new float[n];
        for (int i = 0; i < m; i += step) {
            ScalarKernels.gemm(ta, tb, i, i + 1, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, ref, -i * n, n);
            for (int j = 0; j < n; j++) {
                double bound = 0;
                for (int p = 0; p < k; p++) {
                    float aip = ta ? a[p * lda + i] : a[i * lda + p];
                    float bpj = tb ? b[j * ldb + p] : b[p * ldb + j];
                    bound += Math.abs((double) aip * bpj);
                }
                float got = c[i * n + j];
                if (!(Math.abs(got - ref[j]) <= 1e-5 * bound + 1e-6)) {
                    throw new IllegalStateException(backend + " gemm " + shape + " disagrees with scalar at (" + i
                            + ", " + j + "): expected " + ref[j] + ", got " + got);
                }
            }
        }
    }

    @Benchmark
    public float[] gemm(Flops flops) {
        be.gemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
        flops.gflop += gflopPerCall;
        return c;
    }
}
