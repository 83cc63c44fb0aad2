package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Gradients are allocated by the first training step, not by build: a network that only predicts
 * (a loaded model being served) holds its weights alone. Until 2026-11-30 every {@link Parameter}
 * allocated a gradient as large as its value when constructed, so building (or loading) a network
 * allocated twice its weights.
 */
class LazyGradientTest {
    /** A 784-512-512-10 classifier: 669,706 parameters, 2.7 MB of weights. */
    private static Network mnistSized() {
        return Network.builder(784).dense(512, Activation.relu()).dense(512, Activation.relu())
                .dense(10, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).seed(3)
                .backend(ScalarBackend.INSTANCE).build();
    }

    @Test
    void buildingAllocatesTheWeightsNotTheGradients() {
        AllocationMeter meter = new AllocationMeter();
        mnistSized(); // warm-up (class loading)
        long start = meter.bytes();
        Network net = mnistSized();
        long build = meter.since(start);
        long weights = 4 * net.parameterCount();
        // the layers, lists and records besides the weights are a few KB; the gradients were as much again
        assertTrue(build <= weights + (256 << 10), "building a network of " + net.parameterCount() + " parameters ("
                + weights + " bytes of weights) allocated " + build + " bytes");

        Tensor x = Tensor.zeros(1, 784);
        Tensor y = Tensor.zeros(1, 10);
        y.data()[3] = 1f;
        start = meter.bytes();
        net.computeGradients(x, y);
        long first = meter.since(start);
        assertTrue(first >= weights, "the first computeGradients allocated " + first + " bytes, less than the "
                + weights + " of the gradients it must allocate");
    }

    @Test
    void gradIsZerosOfTheValuesShapeAndTheSameTensorEveryTime() {
        Network net = Network.builder(3).dense(4, Activation.tanh()).dense(2, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).backend(ScalarBackend.INSTANCE).build();
        for (Parameter p : net.parameters()) {
            Tensor g = p.grad();
            assertEquals(p.value().shape(), g.shape(), p.name());
            for (float v : g.data()) assertEquals(0f, v, p.name());
            assertSame(g, p.grad(), p.name());
        }
        Tensor x = Tensor.wrap(1, 3, new float[] {0.5f, -1f, 2f});
        Tensor y = Tensor.wrap(1, 2, new float[] {0f, 1f});
        Tensor before = net.parameters().get(0).grad();
        net.computeGradients(x, y); // writes into the tensors grad() already gave
        assertSame(before, net.parameters().get(0).grad());
        assertTrue(before.firstNonFinite() < 0 && maxAbs(before) > 0, "the gradient was written: " + before);
    }

    /** Threads that ask a fresh parameter for its gradient at once all get one tensor: it is allocated once. */
    @Test
    void threadsRacingForTheFirstGradientGetTheSameTensor() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 50; round++) {
                Parameter p = new Parameter("p", Tensor.zeros(64, 64), true);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Tensor>> got = new java.util.ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    got.add(pool.submit(() -> {
                        go.await();
                        return p.grad();
                    }));
                }
                go.countDown();
                for (Future<Tensor> f : got) assertSame(p.grad(), f.get(30, TimeUnit.SECONDS), "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Build refuses a network whose weights exceed the maximum heap (4 bytes per parameter), with
     * the count and -Xmx; one whose weights fit but not its gradients too (8 bytes per parameter) is
     * built and predicts, and its first training step refuses it with the count and -Xmx, rather than an
     * OutOfMemoryError. Run in a JVM of 128 MiB, where such a network is small enough to build.
     * (Until 2026-11-30 build counted the gradients and refused it.)
     */
    @Test
    void gradientsThatDoNotFitTheHeapAreRefusedAtTheFirstStepWithTheCount() throws Exception {
        String output = ChildJvm.output(List.of("-Xmx128m", "-XX:+UseSerialGC"), TooLargeToTrain.class, Network.class);
        assertTrue(output.contains("refused:"), output);
    }

    private static float maxAbs(Tensor t) {
        float m = 0;
        for (float v : t.data()) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** The child JVM of the heap test: exit 0 when every check holds, else a message and exit 1. */
    static final class TooLargeToTrain {
        public static void main(String[] args) {
            long heap = Runtime.getRuntime().maxMemory();
            int in = 4096;
            // weights alone beyond the heap: refused at build. Checked here, in a heap this small, and not in
            // the test JVM: there a heap of 4 GiB or more (the default on a machine of 16 GiB or more) needs
            // a count past MAX_PARAMETERS, which build refuses first.
            int over = (int) (heap / 4 / (in + 1) * 101 / 100);
            try {
                Network.builder(in).dense(over, Activation.identity()).loss(Loss.mse()).backend(ScalarBackend.INSTANCE).build();
                fail("build allocated weights beyond the heap");
            } catch (IllegalArgumentException e) {
                if (!e.getMessage().contains(((long) in * over + over) + " parameters") || !e.getMessage().contains("-Xmx")) {
                    fail("build's message without the count or -Xmx: " + e.getMessage());
                }
            }
            int units = (int) (heap / 8 / (in + 1) * 101 / 100); // weights ~51% of the heap, with gradients ~102%
            long params = (long) in * units + units;
            Network net;
            try {
                net = Network.builder(in).dense(units, Activation.identity()).loss(Loss.mse())
                        .backend(ScalarBackend.INSTANCE).build();
            } catch (IllegalArgumentException e) {
                fail("build refused a network whose weights fit the heap: " + e.getMessage());
                return;
            }
            float[] x = new float[in];
            x[0] = 1f;
            if (net.predict(x).length != units) fail("predict failed");
            try {
                net.computeGradients(Tensor.wrap(1, in, x), Tensor.zeros(1, units));
                fail("computeGradients allocated gradients beyond the heap");
            } catch (IllegalStateException e) {
                String m = e.getMessage();
                if (!m.contains(params + " parameters") || !m.contains("-Xmx")) fail("message without the count or -Xmx: " + m);
                System.out.println("refused: " + m);
            }
            try {
                net.parameters().get(0).grad();
                fail("grad() allocated a gradient beyond the heap");
            } catch (IllegalStateException e) {
                if (!e.getMessage().contains(params + " parameters")) fail("grad(): " + e.getMessage());
            }
            if (net.predict(x).length != units) fail("predict after the refusal failed");
            System.exit(0);
        }

        private static void fail(String message) {
            System.out.println("FAILED: " + message);
            System.exit(1);
        }
    }
}
