package org.bpnn.bench.passes;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bpnn.backend.Backend;
import org.bpnn.backend.Backends;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.bench.BenchJvm;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Layer;
import org.bpnn.nn.Network;
import org.bpnn.nn.Parameter;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Optimizer;
import org.bpnn.optim.Sgd;
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
 * The forward pass, the backward pass and one full training step of whole networks.
 *
 * <p>What this shows: microseconds per call of
 * <ul>
 *   <li>{@code forward}: every layer's forward pass in training mode (Z = X W^T + b, A = sigma(Z));</li>
 *   <li>{@code backward}: the backward pass {@link Network#trainStep} runs after its forward pass, on that
 *       forward pass's outputs: BP1 (delta[L] directly where the loss fuses with the output activation,
 *       as softmax with cross-entropy does, else dL/da[L] and the output layer's activation derivative),
 *       then every layer's BP2 (dX) and BP3 (the parameter gradients);</li>
 *   <li>{@code trainStep}: forward, loss, backward and the SGD update (BP4), as
 *       {@link Network#trainStep} runs it in training.</li>
 * </ul>
 * The case is {@code SIZES@BATCH}: "2-3-2-2" is the seed note's network (sigmoid, L2); the others have
 * ReLU hidden layers and a softmax output with cross-entropy. For 784-256-128-10 at batch 128, one
 * Fashion-MNIST epoch is 469 training steps. Run with {@code -prof gc}: gc.alloc.rate.norm is the
 * bytes allocated per call, (close to) zero in the steady state.
 *
 * <p>How to run:
 * <pre>
 * java --add-modules jdk.incubator.vector -jar bpnn-bench/target/benchmarks.jar PassBenchmark \
 *     -p backend=simd -p threads=1,2 -p net=784-256-128-10@128 -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {BenchJvm.VECTOR, BenchJvm.LINE_ALIGNED})
public class PassBenchmark {

    @Param({"simd", "scalar"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    @Param({"2-3-2-2@4", "784-256-128-10@1", "784-256-128-10@32", "784-256-128-10@128", "784-256-128-10@512",
            "1024-1024-1024-10@128"})
    public String net;

    Network network; // package-private for PassBenchmarkTest
    private Optimizer sgd;
    private Tensor x, y;
    private List<Layer> layers;
    private Tensor[] outputs, scratch, grads;
    /** Whether the loss fuses with the output activation: then training's BP1 gives delta[L], not dL/da[L]. */
    private boolean fused;

    /** Layer sizes "a-b-...-k": two or more, each 1 to 7 digits, no leading zero. */
    static final String SIZES = "[1-9][0-9]{0,6}(-[1-9][0-9]{0,6})+";

    /** Builds a network "a-b-...-k" (see the class comment) on the given backend with seed 1. */
    public static Network build(String sizes, Backend backend) {
        String[] s = sizes.split("-");
        boolean seed = sizes.equals("2-3-2-2");
        Network.Builder b = Network.builder(Integer.parseInt(s[0]));
        for (int i = 1; i < s.length; i++) {
            boolean last = i == s.length - 1;
            Activation a = seed ? Activation.sigmoid() : last ? Activation.softmax() : Activation.relu();
            b.dense(Integer.parseInt(s[i]), a);
        }
        return b.loss(seed ? Loss.mse() : Loss.categoricalCrossEntropy()).seed(1).backend(backend).build();
    }

    /** A batch of inputs in [0, 1) and one-hot targets, from a fixed seed. */
    public static Tensor[] batch(Network n, int rows) {
        Random r = new Random(7);
        Tensor x = Tensor.zeros(rows, n.inputSize());
        for (int i = 0; i < x.size(); i++) x.data()[i] = r.nextFloat();
        Tensor y = Tensor.zeros(rows, n.outputSize());
        for (int i = 0; i < rows; i++) y.set(i, r.nextInt(n.outputSize()), 1f);
        return new Tensor[] {x, y};
    }

    /**
     * The batch of a {@code net} value "a-b-...-k@BATCH", checked whole before anything is built: a
     * value without "@" (or with a word for a size) failed deep in the set-up with an
     * ArrayIndexOutOfBoundsException or a NumberFormatException that named neither the parameter nor
     * its format.
     */
    static int batchOf(String net) {
        String[] parts = net.split("@", -1);
        boolean ok = parts.length == 2 && parts[0].matches(SIZES)
                && parts[1].matches("[1-9][0-9]{0,6}");
        if (!ok) {
            throw new IllegalArgumentException("-p net takes SIZES@BATCH: two or more layer sizes >= 1 joined by '-' "
                    + "(input first), '@', and a batch >= 1, e.g. -p net=784-256-128-10@128; got '" + net + "'");
        }
        return Integer.parseInt(parts[1]);
    }

    @Setup(Level.Trial)
    public void setUp() {
        int m = batchOf(net);
        String[] parts = net.split("@");
        Backend be = Backends.get(backend, threads);
        network = build(parts[0], be);
        Tensor[] xy = batch(network, m);
        x = xy[0];
        y = xy[1];
        sgd = new Sgd(1e-3);
        checkAgainstScalar(parts[0]);
        layers = network.layers();
        int n = layers.size();
        outputs = new Tensor[n];
        scratch = new Tensor[n];
        grads = new Tensor[n];
        for (int l = 0; l < n; l++) {
            Layer layer = layers.get(l);
            outputs[l] = Tensor.zeros(m, layer.outputSize());
            scratch[l] = layer.scratchColumns() > 0 ? Tensor.zeros(m, layer.scratchColumns()) : null;
            grads[l] = Tensor.zeros(m, layer.outputSize());
        }
        fused = network.loss().fusesWith(layers.get(n - 1).activation());
        forward(); // backward reads these outputs (and the layers' scratch), as training's does
    }

    /**
     * Whether the set-up checks a non-scalar backend against the scalar reference on {@code net}: every
     * case up to 200M (batch x parameters; 784-256-128-10@512 is 120M, a second or so of scalar
     * products), not the larger ones (1024-1024-1024-10@128 is 269M), for which the scalar reference is
     * too slow and the contract tests cover the kernels: only the largest case goes unchecked, as the
     * README says.
     */
    static boolean checkedAgainstScalar(String net) {
        long batch = batchOf(net); // the format first
        String[] s = net.substring(0, net.indexOf('@')).split("-");
        long params = 0;
        for (int i = 1; i < s.length; i++) params += (Long.parseLong(s[i - 1]) + 1) * Long.parseLong(s[i]);
        return batch * params <= 200_000_000L;
    }

    /** The backends must agree on this network's gradients before anything is timed. */
    private void checkAgainstScalar(String sizes) {
        if (backend.equals("scalar") || !checkedAgainstScalar(net)) {
            return;
        }
        Network ref = build(sizes, ScalarBackend.INSTANCE);
        double a = network.computeGradients(x, y), b = ref.computeGradients(x, y);
        if (Math.abs(a - b) > 1e-4 * Math.max(1, Math.abs(b))) {
            throw new IllegalStateException(backend + " cost " + a + " differs from scalar " + b + " on " + net);
        }
        for (int p = 0; p < network.parameters().size(); p++) {
            Parameter pa = network.parameters().get(p), pb = ref.parameters().get(p);
            float[] ga = pa.grad().data(), gb = pb.grad().data();
            double scale = 1e-12;
            for (float v : gb) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < ga.length; i++) {
                if (Math.abs(ga[i] - gb[i]) > 1e-3 * scale) {
                    throw new IllegalStateException(backend + " gradient " + pa.name() + "[" + i + "] = " + ga[i]
                            + " differs from scalar " + gb[i] + " on " + net);
                }
            }
        }
    }

    @Benchmark
    public Tensor forward() {
        Backend be = network.backend();
        Tensor in = x;
        for (int l = 0; l < layers.size(); l++) {
            layers.get(l).forward(be, in, outputs[l], scratch[l], true);
            in = outputs[l];
        }
        return in;
    }

    /**
     * BP1 to BP3 as Network.computeGradients runs them after its forward pass. It started from a random
     * dL/da[L] with every output layer taken as unfused, so softmax networks timed the softmax's
     * Jacobian product, which training never runs (the cross-entropy delta is a - y), and left out BP1.
     */
    @Benchmark
    public Tensor backward() {
        Backend be = network.backend();
        int last = layers.size() - 1;
        // BP1 into the last layer's dy (backward overwrites it in place, so it is written every call)
        if (fused) {
            network.loss().fusedDelta(outputs[last], y, grads[last]);
        } else {
            network.loss().gradient(outputs[last], y, grads[last]);
        }
        for (int l = last; l >= 0; l--) {
            layers.get(l).backward(be, l == 0 ? x : outputs[l - 1], outputs[l], grads[l], fused && l == last,
                    l == 0 ? null : grads[l - 1], scratch[l]);
        }
        return grads[0];
    }

    /**
     * One SGD step on the same batch, call after call: the weights are not reset, so they fit that batch
     * (784-256-128-10@128's cost falls from 2.7 to 0.01 over 24k steps) but stay finite (trainStep throws
     * otherwise, and the run fails), and the time per step stayed flat all along, as it did over 8M steps
     * of 2-3-2-2@4.
     */
    @Benchmark
    public double trainStep() {
        return network.trainStep(x, y, sgd);
    }
}
