package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Optimizer;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thread-safe inference: many threads predicting on one network get exactly the bits one thread
 * gets; training while predicting is refused with an {@link IllegalStateException}, never answered
 * with outputs of half-updated weights. Subclasses rerun it on another backend.
 */
public class ConcurrentPredictTest {
    static final int THREADS = 8;
    static final String CHANGED = "the network's weights changed during predict";

    protected Backend backend() {
        return ScalarBackend.INSTANCE;
    }

    /** Predictions per thread in the concurrency test. */
    protected int predictionsPerThread() {
        return 20_000;
    }

    /** The network of the concurrency test (tanh, ReLU, softmax). */
    protected Network network(long seed) {
        return Network.builder(8).dense(16, Activation.tanh()).dense(12, Activation.relu())
                .dense(4, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).seed(seed).backend(backend()).build();
    }

    static Tensor random(Random r, int rows, int cols) {
        Tensor t = Tensor.zeros(rows, cols);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) r.nextGaussian();
        return t;
    }

    /** A few trained steps so that the weights are not the initial ones. */
    private void train(Network net, int steps) {
        Random r = new Random(5);
        Tensor x = random(r, 32, 8);
        int[] labels = new int[32];
        for (int i = 0; i < labels.length; i++) labels[i] = r.nextInt(4);
        Tensor y = org.bpnn.data.OneHot.encode(labels, 4);
        Sgd sgd = new Sgd(0.1);
        for (int i = 0; i < steps; i++) net.trainStep(x, y, sgd);
    }

    @Test
    @Timeout(120)
    void concurrentPredictionsMatchOneThreadBitForBit() throws Exception {
        Network net = network(11);
        train(net, 20);
        predictConcurrently(net, predictionsPerThread(), 0);
    }

    /**
     * {@value #THREADS} threads make {@code perThread} mixed predictions each (single samples,
     * batches of 1 to 700 rows, all four predict overloads, predictClass) on {@code net} and compare each output
     * with the one-thread reference: bit for bit when maxUlps is 0, else within maxUlps units in the
     * last place.
     */
    protected final void predictConcurrently(Network net, int perThread, int maxUlps) throws Exception {
        // Inputs: mostly single samples and small batches; a few above 256 rows (the chunked path).
        Random r = new Random(3);
        int[] sizes = {1, 2, 3, 5, 8, 13, 16, 31, 64, 100, 255, 256, 257, 300, 513, 700};
        List<Tensor> inputs = new ArrayList<>();
        for (int i = 0; i < 48; i++) inputs.add(random(r, sizes[i % sizes.length], 8));
        // The reference, on one thread, computed once (before the kernels have warmed up, when this
        // class runs first): a batch's outputs, and each row predicted alone (on simd a row predicted
        // alone may differ in the last bits from the same row in a batch: other kernels).
        List<float[]> wantBatch = new ArrayList<>();
        List<float[][]> wantRows = new ArrayList<>();
        // predictClasses and evaluateLoss too (the thread-safety guarantee names them): one-hot targets
        List<Tensor> targets = new ArrayList<>();
        List<int[]> wantClasses = new ArrayList<>();
        List<Double> wantLoss = new ArrayList<>();
        for (Tensor x : inputs) {
            Tensor y = Tensor.zeros(x.rows(), net.outputSize());
            for (int j = 0; j < x.rows(); j++) y.set(j, r.nextInt(net.outputSize()), 1f);
            targets.add(y);
            wantClasses.add(net.predictClasses(x));
            wantLoss.add(net.evaluateLoss(x, y));
        }
        for (Tensor x : inputs) {
            wantBatch.add(net.predict(x).data());
            float[][] rowsOut = new float[x.rows()][];
            for (int j = 0; j < x.rows(); j++) rowsOut[j] = net.predict(x.rowCopy(j));
            wantRows.add(rowsOut);
        }

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        AtomicInteger rowsPredicted = new AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = 100 + t;
                futures.add(pool.submit(() -> {
                    start.await();
                    Random rt = new Random(seed);
                    Tensor[] outs = new Tensor[inputs.size()];
                    float[] one = new float[net.outputSize()];
                    int rows = 0;
                    for (int i = 0; i < perThread; i++) {
                        int pick = rt.nextInt(inputs.size());
                        Tensor x = inputs.get(pick);
                        float[] want = wantBatch.get(pick);
                        float[] got;
                        int api = rt.nextInt(10);
                        if (api < 6 || x.rows() > 64 && rt.nextInt(8) != 0) {
                            // one sample (row j of x) 60% of the time; batches above 64 rows 1 time in 20
                            int j = rt.nextInt(x.rows());
                            int how = rt.nextInt(3);
                            if (how == 2 && maxUlps == 0 && net.outputsClasses()) {
                                float[] w = wantRows.get(pick)[j];
                                if (net.predictClass(x.rowCopy(j)) != net.classesOf(Tensor.wrap(1, w.length, w))[0]) {
                                    fail("thread " + seed + ": the class of sample " + j + " of input " + pick + " differs from one thread");
                                }
                                rows++;
                                continue;
                            }
                            if (how == 0) {
                                got = net.predict(x.rowCopy(j));
                            } else { // into the thread's own array, as a request thread that must not allocate
                                got = one;
                                net.predict(x.rowCopy(j), one);
                            }
                            if (!close(got, wantRows.get(pick)[j], maxUlps)) {
                                fail("thread " + seed + ": sample " + j + " of input " + pick + " differs from one thread");
                            }
                            rows++;
                            continue;
                        } else if (api < 8) {
                            got = net.predict(x).data();
                        } else if (api == 9 && maxUlps == 0) {
                            boolean classes = rt.nextBoolean();
                            boolean same = classes ? Arrays.equals(wantClasses.get(pick), net.predictClasses(x))
                                    : Double.doubleToLongBits(wantLoss.get(pick)) == Double.doubleToLongBits(net.evaluateLoss(x, targets.get(pick)));
                            if (!same) {
                                fail("thread " + seed + ": " + (classes ? "predictClasses" : "evaluateLoss") + " of input " + pick
                                        + " differs from one thread");
                            }
                            rows += x.rows();
                            continue;
                        } else {
                            if (outs[pick] == null) outs[pick] = Tensor.zeros(x.rows(), 4);
                            net.predict(x, outs[pick]);
                            got = outs[pick].data();
                        }
                        rows += x.rows();
                        if (!close(want, got, maxUlps)) {
                            fail("thread " + seed + ": batch of " + x.rows() + " rows (input " + pick + ") differs from one thread");
                        }
                    }
                    rowsPredicted.addAndGet(rows);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) f.get(110, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertTrue(rowsPredicted.get() >= THREADS * perThread);
    }

    private static boolean close(float[] a, float[] b, int maxUlps) {
        if (maxUlps == 0) return Arrays.equals(a, b);
        if (a.length != b.length) return false;
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > maxUlps * Math.ulp(Math.max(Math.abs(a[i]), Math.abs(b[i])))) return false;
        }
        return true;
    }

    @Test
    @Timeout(60)
    void trainingWhilePredictingNeverMixesWeights() throws Exception {
        Network net = Network.builder(8).dense(64, Activation.relu()).dense(64, Activation.relu())
                .dense(4, Activation.identity()).loss(Loss.mse()).seed(13).backend(backend()).build();
        Random r = new Random(9);
        Tensor probe = random(r, 300, 8); // > 256 rows: a long predict, chunked
        Tensor x = random(r, 64, 8);
        Tensor y = random(r, 64, 4);
        for (int i = 0; i < 200; i++) net.predict(probe); // warm-up
        // Every weight state the trainer leaves: the outputs a consistent predict may return.
        Set<String> consistent = java.util.concurrent.ConcurrentHashMap.newKeySet();
        consistent.add(Arrays.toString(net.predict(probe).data()));
        ConcurrentLinkedQueue<float[]> seen = new ConcurrentLinkedQueue<>();
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger refused = new AtomicInteger();
        Thread predictor = new Thread(() -> {
            Tensor out = Tensor.zeros(300, 4);
            while (!done.get()) {
                try {
                    net.predict(probe, out);
                    seen.add(out.data().clone());
                } catch (IllegalStateException e) {
                    if (!e.getMessage().startsWith(CHANGED)) throw e;
                    refused.incrementAndGet();
                }
            }
        }, "predictor");
        Throwable[] failure = new Throwable[1];
        predictor.setUncaughtExceptionHandler((t, e) -> failure[0] = e);
        predictor.start();
        Sgd sgd = new Sgd(0.05);
        long v0 = net.weightVersion();
        int steps = 300;
        for (int i = 0; i < steps; i++) {
            net.trainStep(x, y, sgd);
            // the trainer's own thread predicts between steps: the state after step i
            consistent.add(Arrays.toString(net.predict(probe).data()));
        }
        done.set(true);
        predictor.join(30_000);
        // a predictor still running would keep adding to seen while it is checked below
        assertFalse(predictor.isAlive(), "the predictor still runs 30 s after training ended: a predict waits forever");
        if (failure[0] != null) fail("predictor failed", failure[0]);
        assertEquals(v0 + 2L * steps, net.weightVersion(), "each step is one weight write (the counter moves by 2)");
        int mixed = 0;
        for (float[] o : seen) {
            if (!consistent.contains(Arrays.toString(o))) mixed++;
        }
        assertEquals(0, mixed, "predictions from mixed weights (" + seen.size() + " succeeded, " + refused.get() + " refused)");
        assertTrue(consistent.size() > 1, "training changed the outputs");
        System.out.println("train-while-predict on " + backend().name() + ": " + seen.size() + " predictions succeeded,"
                + " " + refused.get() + " refused, 0 mixed");
    }

    @Test
    void predictDuringAWeightWriteIsRefused() {
        Network net = network(1);
        Tensor x = Tensor.zeros(3, 8);
        IllegalStateException[] thrown = new IllegalStateException[1];
        Optimizer predictsInsideStep = new Optimizer() {
            @Override
            public void step(Backend backend, List<Parameter> parameters) {
                thrown[0] = assertThrows(IllegalStateException.class, () -> net.predict(x));
            }
        };
        net.applyUpdate(predictsInsideStep);
        assertTrue(thrown[0].getMessage().startsWith(CHANGED), thrown[0].getMessage());
        assertTrue(thrown[0].getMessage().contains("predict on a copy or after training"));
        assertEquals(0, net.weightVersion() % 2, "the write ended");
        net.predict(x); // works again
    }

    @Test
    void aWeightWriteDuringPredictIsDetected() {
        // A layer that, while the network predicts, makes the network write its weights: the predict
        // must notice at its end that the version moved.
        Network[] holder = new Network[1];
        Layer sneaky = new Layer() {
            @Override public int inputSize() { return 4; }

            @Override public int outputSize() { return 4; }

            @Override public List<Parameter> parameters() { return List.of(); }

            @Override
            public void forward(Backend backend, Tensor x, Tensor y, Tensor scratch, boolean training) {
                y.copyFrom(x);
                if (!training && holder[0] != null) holder[0].applyUpdate(new Sgd(0.1));
            }

            @Override
            public void backward(Backend backend, Tensor x, Tensor y, Tensor dy, boolean dyIsDelta, Tensor dx, Tensor s) {
                if (dx != null) dx.copyFrom(dy);
            }

            @Override public double[] forwardDouble(double[][] params, double[] x, int batch) { return x.clone(); }
        };
        Network net = Network.builder(4).layer(sneaky).dense(2, Activation.identity()).loss(Loss.mse())
                .backend(backend()).build();
        net.computeGradients(Tensor.zeros(1, 4), Tensor.zeros(1, 2)); // gradients for the optimiser
        holder[0] = net;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.predict(1, 2, 3, 4));
        assertTrue(e.getMessage().startsWith(CHANGED), e.getMessage());
        holder[0] = null;
        assertArrayEquals(net.predict(1, 2, 3, 4), net.predict(1, 2, 3, 4));
    }

    @Test
    void restoringASnapshotIsAWeightWrite() {
        Network net = network(2);
        ParameterSnapshot s = ParameterSnapshot.of(net);
        long v = net.weightVersion();
        s.restoreTo(net);
        assertEquals(v + 2, net.weightVersion());
        assertNotEquals(v, net.weightVersion());
        Set<Long> versions = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            train(net, 1);
            versions.add(net.weightVersion());
        }
        assertEquals(3, versions.size(), "every step moves the version");
    }
}
