package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Zero allocation on the hot paths, measured with the allocated-bytes counters of this thread and
 * the backend's workers ({@link AllocationMeter}): after warm-up, {@link Network#predict(Tensor, Tensor)}
 * allocates nothing for a batch size seen before (and for chunked batches above 256 rows),
 * {@link Network#predict(Tensor)} and {@link Network#predict(float...)} only their results, and a
 * {@link Network#trainStep} and the validation cost ({@link Network#predict(Tensor, Tensor, Tensor)}, {@link Network#lossOf}) nothing.
 *
 * <p>As in {@code AllocationFreeStepTest}, the counter can jump once by a few hundred bytes at a
 * random point (a VM event, not the code): each check takes the least of 5 rounds, and a per-call
 * allocation would show in every round. Subclasses rerun it on another backend.
 */
public class PredictAllocationTest {
    static final int ROUNDS = 5;
    static final int CALLS = 10;

    protected Backend backend() {
        return ScalarBackend.INSTANCE;
    }

    /** Wide enough (2 m n k above 2 MFLOP at 256 rows) that a multi-threaded backend uses its workers. */
    private Network network() {
        return Network.builder(64).dense(128, Activation.relu()).dense(32, Activation.tanh())
                .dense(10, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).seed(3).backend(backend()).build();
    }

    private static Tensor random(Random r, int rows, int cols) {
        Tensor t = Tensor.zeros(rows, cols);
        for (int i = 0; i < t.size(); i++) t.data()[i] = (float) r.nextGaussian();
        return t;
    }

    /** {@code bytes} rounded up to the JVM's object alignment (-XX:ObjectAlignmentInBytes; 8 when it does not say). */
    static long aligned(long bytes) {
        long a = OBJECT_ALIGNMENT;
        return (bytes + a - 1) / a * a;
    }

    private static final long OBJECT_ALIGNMENT = objectAlignment();

    private static long objectAlignment() {
        try {
            return Long.parseLong(java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption("ObjectAlignmentInBytes").getValue());
        } catch (RuntimeException | LinkageError e) {
            return 8;
        }
    }

    /**
     * The least bytes over rounds of CALLS calls of {@code call}, after a warm-up: at least ROUNDS
     * rounds, and more (up to 60 s) while none has come within the allowance, so that the JIT has compiled the
     * kernels (interpreted Vector API code boxes every vector on the heap). The bound only ends a wait
     * for a JIT that will never get there: a call that allocates fails after it, one that does not
     * returns as soon as it is compiled. It was 15 s, and on a busy machine (load average 15-48 on two
     * cores) a case of four such waits took up to 7 s.
     */
    private static long leastBytes(AllocationMeter meter, long allowance, Runnable call) {
        for (int i = 0; i < 200; i++) call.run();
        long least = Long.MAX_VALUE;
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (int round = 0; round < ROUNDS || least > allowance && System.nanoTime() < deadline; round++) {
            long start = meter.bytes();
            for (int i = 0; i < CALLS; i++) call.run();
            least = Math.min(least, meter.since(start));
        }
        return least;
    }

    @Test
    void predictIntoAnExistingOutputAllocatesNothing() {
        Network net = network();
        AllocationMeter meter = new AllocationMeter();
        Random r = new Random(1);
        for (int rows : new int[] {1, 17, 256, 300}) {
            Tensor x = random(r, rows, 64), out = Tensor.zeros(rows, 10);
            long bytes = leastBytes(meter, 0, () -> net.predict(x, out));
            assertEquals(0, bytes, "predict(x, out) with " + rows + " rows allocated " + bytes + " bytes per "
                    + CALLS + " calls (" + meter.threads() + " threads measured)");
        }
    }

    @Test
    void predictAllocatesOnlyItsResult() {
        Network net = network();
        AllocationMeter meter = new AllocationMeter();
        Random r = new Random(2);
        for (int rows : new int[] {1, 64}) {
            Tensor x = random(r, rows, 64);
            // the result: a Tensor (~24 bytes) and its float[rows * 10] (16-byte header), each rounded up
            // to the JVM's object alignment (8 bytes, or 64 as ./bpnn runs it)
            long result = aligned(24) + aligned(16 + rows * 10 * 4);
            long bytes = leastBytes(meter, CALLS * (result + 16), () -> net.predict(x));
            assertTrue(bytes <= CALLS * (result + 16), "predict(x) with " + rows + " rows allocated " + bytes
                    + " bytes per " + CALLS + " calls; the results alone are about " + CALLS * result);
        }
    }

    /**
     * predict(float...) allocates its float[10] (16-byte header + 40 bytes) and nothing else: it
     * wrapped the input and the result in two Tensors, about 100 bytes per call beside the result.
     */
    @Test
    void predictOfOneSampleAllocatesOnlyItsArray() {
        Network net = network();
        AllocationMeter meter = new AllocationMeter();
        float[] one = new float[64];
        for (int i = 0; i < one.length; i++) one[i] = (i % 7) * 0.25f - 0.5f;
        long result = aligned(16 + 10 * 4);
        long bytes = leastBytes(meter, CALLS * result, () -> net.predict(one));
        assertTrue(bytes <= CALLS * result, "predict(float...) allocated " + bytes + " bytes per " + CALLS
                + " calls; the results alone are " + CALLS * result);
        Tensor x = Tensor.zeros(1, 64);
        System.arraycopy(one, 0, x.data(), 0, 64);
        org.junit.jupiter.api.Assertions.assertArrayEquals(net.predict(x).data(), net.predict(one), 0f,
                "the same output as predict(Tensor) for the same sample");
    }

    /**
     * The single-sample path of a request thread that must not allocate: predict(x, out) into its own
     * array, and predictClass, allocate nothing after warm-up and give predict(float...)'s bits (on
     * simd the single-sample product's, not a batch's).
     */
    @Test
    void predictOfOneSampleIntoAnArrayAllocatesNothing() {
        Network net = network();
        AllocationMeter meter = new AllocationMeter();
        float[] one = new float[64];
        for (int i = 0; i < one.length; i++) one[i] = (i % 5) * 0.3f - 0.6f;
        float[] out = new float[10];
        long bytes = leastBytes(meter, 0, () -> net.predict(one, out));
        assertEquals(0, bytes, "predict(float[], float[]) allocated " + bytes + " bytes per " + CALLS + " calls ("
                + meter.threads() + " threads measured)");
        org.junit.jupiter.api.Assertions.assertArrayEquals(net.predict(one), out, 0f, "predict(float...)'s bits");
        int[] sink = new int[1];
        bytes = leastBytes(meter, 0, () -> sink[0] += net.predictClass(one));
        assertEquals(0, bytes, "predictClass allocated " + bytes + " bytes per " + CALLS + " calls");
        int best = 0;
        for (int j = 1; j < out.length; j++) if (out[j] > out[best]) best = j;
        assertEquals(best, net.predictClass(one), "the argmax of predict(float...)'s outputs");
    }

    /**
     * predictClass of a from-logits network maps the logits to probabilities (the trainer's sigmoid or
     * softmax, so that its class is the metrics') in the thread's output buffer: still nothing allocated.
     */
    @Test
    void predictClassOfALogitsModelAllocatesNothing() {
        float[] one = new float[64];
        for (int i = 0; i < one.length; i++) one[i] = (i % 7) * 0.2f - 0.5f;
        for (int outputs : new int[] {1, 10}) {
            Network net = Network.builder(64).dense(32, Activation.tanh()).dense(outputs, Activation.identity())
                    .loss(outputs == 1 ? Loss.binaryCrossEntropyFromLogits() : Loss.categoricalCrossEntropyFromLogits())
                    .seed(5).backend(backend()).build();
            AllocationMeter meter = new AllocationMeter(); // after backend(): it finds the workers alive when it is made
            int[] sink = new int[1];
            long bytes = leastBytes(meter, 0, () -> sink[0] += net.predictClass(one));
            assertEquals(0, bytes, "predictClass of " + outputs + " logits allocated " + bytes + " bytes per " + CALLS + " calls");
            if (outputs == 1) {
                bytes = leastBytes(meter, 0, () -> sink[0] += net.predictClass(one, 0.3f));
                assertEquals(0, bytes, "predictClass(x, t) of a logit allocated " + bytes + " bytes per " + CALLS + " calls");
            }
        }
        // a sigmoid output's threshold check reads the output activation, whose name() builds a string: the
        // network works out whether it takes a threshold once, when it is made
        Network sigmoid = Network.builder(64).dense(32, Activation.tanh()).dense(1, Activation.sigmoid())
                .loss(Loss.binaryCrossEntropy()).seed(5).backend(backend()).build();
        AllocationMeter meter = new AllocationMeter();
        int[] sink = new int[1];
        long bytes = leastBytes(meter, 0, () -> sink[0] += sigmoid.predictClass(one, 0.3f));
        assertEquals(0, bytes, "predictClass(x, t) of a sigmoid output allocated " + bytes + " bytes per " + CALLS + " calls");
        // an MSE network with a sigmoid output (as ./bpnn seed's network is) is a classifier by its output layer, which
        // predictClass(x) checks on every call: worked out once too
        Network mse = Network.builder(64).dense(32, Activation.tanh()).dense(1, Activation.sigmoid())
                .loss(Loss.mse()).seed(5).backend(backend()).build();
        bytes = leastBytes(meter, 0, () -> sink[0] += mse.predictClass(one));
        assertEquals(0, bytes, "predictClass(x) of an mse network with a sigmoid output allocated " + bytes + " bytes per "
                + CALLS + " calls");
    }

    /**
     * A custom loss whose name() builds its string (here a binary cross-entropy on logits, delegating to the
     * built-in one): the link predictClass applies to its logits is worked out once, when the network is made,
     * so the name is not asked again on every call.
     */
    @Test
    void predictClassOfALogitsModelWhoseLossBuildsItsNameAllocatesNothing() {
        Loss logits = Loss.binaryCrossEntropyFromLogits();
        Loss built = new Loss() {
            private final String[] parts = {"binary_cross_entropy", "_logits"};

            @Override public String name() { return parts[0] + parts[1]; } // a new String each call
            @Override public double value(Tensor output, Tensor target) { return logits.value(output, target); }
            @Override public void gradient(Tensor output, Tensor target, Tensor grad) { logits.gradient(output, target, grad); }
            @Override public boolean classification() { return true; }
            @Override public double valueDouble(double[] output, double[] target, int batch, int k) {
                return logits.valueDouble(output, target, batch, k);
            }
        };
        float[] one = new float[64];
        for (int i = 0; i < one.length; i++) one[i] = (i % 7) * 0.2f - 0.5f;
        Network net = Network.builder(64).dense(32, Activation.tanh()).dense(1, Activation.identity())
                .loss(built).seed(5).backend(backend()).build();
        AllocationMeter meter = new AllocationMeter();
        int[] sink = new int[1];
        long bytes = leastBytes(meter, 0, () -> sink[0] += net.predictClass(one));
        assertEquals(0, bytes, "predictClass of a logit allocated " + bytes + " bytes per " + CALLS + " calls");
        bytes = leastBytes(meter, 0, () -> sink[0] += net.predictClass(one, 0.3f));
        assertEquals(0, bytes, "predictClass(x, t) of a logit allocated " + bytes + " bytes per " + CALLS + " calls");
    }

    /**
     * The trainer's validation pass: predict(x, out, z) into existing outputs and pre-activations and lossOf (the cost
     * from z[L] of the softmax output, weighted or not) allocates nothing, chunked or not.
     */
    @Test
    void validationLossIntoExistingBuffersAllocatesNothing() {
        Network net = network();
        assertTrue(net.costFromPreActivation());
        AllocationMeter meter = new AllocationMeter();
        Random r = new Random(5);
        for (int rows : new int[] {17, 300}) {
            Tensor x = random(r, rows, 64), out = Tensor.zeros(rows, 10), z = Tensor.zeros(rows, 10), w = Tensor.zeros(rows, 1);
            int[] labels = new int[rows];
            for (int i = 0; i < rows; i++) {
                labels[i] = r.nextInt(10);
                w.data()[i] = r.nextFloat();
            }
            Tensor y = org.bpnn.data.OneHot.encode(labels, 10);
            double[] sink = new double[1];
            long bytes = leastBytes(meter, 0, () -> sink[0] += evaluate(net, x, y, null, out, z));
            assertEquals(0, bytes, "predict(x, out, z) and lossOf(out, z, y, null) with " + rows + " rows allocated " + bytes + " bytes per "
                    + CALLS + " calls");
            bytes = leastBytes(meter, 0, () -> sink[0] += evaluate(net, x, y, w, out, z));
            assertEquals(0, bytes, "predict(x, out, z) and lossOf(out, z, y, w) with " + rows + " rows allocated " + bytes + " bytes per "
                    + CALLS + " calls");
        }
    }

    private static double evaluate(Network net, Tensor x, Tensor y, Tensor w, Tensor out, Tensor z) {
        net.predict(x, out, z);
        return net.lossOf(out, z, y, w);
    }

    @Test
    void trainStepAllocatesNothingAfterWarmUp() {
        Network net = network();
        AllocationMeter meter = new AllocationMeter();
        Random r = new Random(3);
        Tensor x = random(r, 256, 64);
        int[] labels = new int[256];
        for (int i = 0; i < labels.length; i++) labels[i] = r.nextInt(10);
        Tensor y = org.bpnn.data.OneHot.encode(labels, 10);
        Adam adam = new Adam(1e-4);
        long bytes = leastBytes(meter, 0, () -> net.trainStep(x, y, adam));
        assertEquals(0, bytes, "trainStep allocated " + bytes + " bytes per " + CALLS + " calls");
    }

    @Test
    void predictBuffersHoldNoTrainingDeltas() {
        // The buffers are the network's, whatever the backend; on simd a first call also allocates the
        // GEMM's packing scratch and, before C2 has compiled the kernels, boxed vectors (64 MB measured)
        org.junit.jupiter.api.Assumptions.assumeTrue(backend() == ScalarBackend.INSTANCE,
                "the workspace is backend-independent; measured on the scalar backend only");
        // wide layers so that the buffers dwarf everything else a first call allocates
        Network net = Network.builder(16).dense(2048, Activation.relu()).dense(2048, Activation.relu())
                .dense(10, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).seed(3).backend(backend()).build();
        Tensor x = random(new Random(4), 100, 16), out = Tensor.zeros(100, 10);
        AllocationMeter meter = new AllocationMeter();
        long start = meter.bytes();
        net.predict(x, out); // the first call of this size on this thread allocates this network's buffers
        long bytes = meter.since(start);
        // a[l] and z[l] (Dense's scratch) per layer; the deltas of a training workspace would add a[l]'s size again
        long forward = 2L * 100 * (2048 + 2048 + 10) * 4;
        long deltas = 100L * (2048 + 2048 + 10) * 4;
        assertTrue(bytes < forward + deltas / 2, "the first predict of 100 rows allocated " + bytes + " bytes; its"
                + " forward buffers are " + forward + " and the training deltas would add " + deltas);
    }
}
