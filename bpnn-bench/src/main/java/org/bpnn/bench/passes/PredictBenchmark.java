package org.bpnn.bench.passes;

import java.util.concurrent.TimeUnit;
import org.bpnn.backend.Backends;
import org.bpnn.bench.BenchJvm;
import org.bpnn.nn.Network;
import org.bpnn.tensor.Tensor;
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
 * Single-sample prediction latency of a network: by default the 784-256-128-10 classifier (the main
 * job's network); {@code -p net=SIZES} (e.g. {@code 784-300-100-10}) times another, built as
 * {@link PassBenchmark} builds it (ReLU hidden layers, softmax output; "2-3-2-2" the seed note's).
 *
 * <p>What this shows: microseconds per prediction. {@code predictInto} is the allocation-free form
 * ({@link Network#predict(Tensor, Tensor)} into a caller's buffer); {@code predictArray} is the
 * convenience {@code float[] predict(float...)} that returns a new array. For the same network numpy
 * ({@code mlp-numpy.py}) takes 17.8-18.5 us on the AMD Zen 5 of the README's "Measured figures"
 * (2026-11-30); on the AMD Zen 4 used until 2026-11-29 it took 24 us, PyTorch 28 us and Deeplearning4j
 * 250 us (those two were not measured again). Compare only figures taken in the same session.
 *
 * <p>How to run:
 * <pre>
 * java --add-modules jdk.incubator.vector -jar bpnn-bench/target/benchmarks.jar PredictBenchmark -prof gc
 * java --add-modules jdk.incubator.vector -jar bpnn-bench/target/benchmarks.jar PredictBenchmark.predictInto \
 *     -p backend=simd -p threads=1,2 -p net=784-300-100-10,784-192-96-10
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {BenchJvm.VECTOR, BenchJvm.LINE_ALIGNED})
public class PredictBenchmark {

    @Param({"simd", "scalar"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    @Param({"784-256-128-10"})
    public String net;

    private Network network;
    private Tensor x, out;
    private float[] sample;

    /**
     * The layer sizes of a {@code net} value, checked whole before anything is built: "784-256-128-10",
     * not PassBenchmark's "SIZES@BATCH" (a prediction is one sample).
     */
    static String sizesOf(String net) {
        if (!net.matches(PassBenchmark.SIZES)) {
            throw new IllegalArgumentException("-p net takes SIZES: two or more layer sizes >= 1 joined by '-' (input "
                    + "first), e.g. -p net=784-256-128-10 (no @BATCH: a prediction is one sample); got '" + net + "'");
        }
        return net;
    }

    @Setup(Level.Trial)
    public void setUp() {
        String sizes = sizesOf(net);
        network = PassBenchmark.build(sizes, Backends.get(backend, threads));
        x = PassBenchmark.batch(network, 1)[0];
        sample = x.data().clone();
        out = Tensor.zeros(1, network.outputSize());
        Tensor ref = PassBenchmark.build(sizes, org.bpnn.backend.scalar.ScalarBackend.INSTANCE).predict(x);
        network.predict(x, out);
        for (int j = 0; j < network.outputSize(); j++) {
            if (Math.abs(ref.get(0, j) - out.get(0, j)) > 1e-4f) {
                throw new IllegalStateException(backend + " predicts " + out + ", scalar " + ref);
            }
        }
    }

    @Benchmark
    public Tensor predictInto() {
        network.predict(x, out);
        return out;
    }

    @Benchmark
    public float[] predictArray() {
        return network.predict(sample);
    }
}
