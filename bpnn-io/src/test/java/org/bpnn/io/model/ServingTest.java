package org.bpnn.io.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bpnn.data.Normaliser;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service's use of a saved model: loaded once at start-up, then asked by a pool of request
 * threads (more threads than cores), one sample or a small batch per request, some malformed.
 */
class ServingTest {
    private static final int IN = 4;

    @TempDir
    Path dir;

    /** A classifier with an input normaliser (the path that copies a request before the network sees it). */
    private static SavedModel model() {
        Network net = TestNets.small();
        return SavedModel.of(net, Normaliser.standardise(TestNets.inputs(50, IN, 1)), Map.of());
    }

    /**
     * A request of the wrong length is refused before it is copied: SavedModel.predict(float...) with a
     * normaliser cloned the whole array first (a 16 MB request cost 16 MB more to refuse).
     */
    @Test
    void aRequestOfTheWrongLengthIsRefusedBeforeItIsCopied() throws Exception {
        com.sun.management.ThreadMXBean counter = LoadAllocation.counter();
        assumeTrue(counter != null, "no per-thread allocation counter in this JVM");
        SavedModel m = model();
        float[] huge = new float[4_000_000]; // 16 MB
        for (int warm = 0; warm < 3; warm++) {
            assertThrows(IllegalArgumentException.class, () -> m.predict(huge));
        }
        long bytes = LoadAllocation.allocated(counter, () -> assertThrows(IllegalArgumentException.class, () -> m.predict(huge)));
        assertTrue(bytes < 1 << 20, "refusing a request of 4,000,000 floats allocated " + bytes + " bytes");
    }

    /**
     * A request of the wrong length, an empty one included, is refused with the network's own words for
     * a single sample (a model without a normaliser hands it to the network, so a service sees one message
     * whichever model it loads); an empty one was "tensor shape must be positive, got (1, 0)", then
     * "x has shape (1, 5), expected (batch, 4)" beside the network's "x has 5 values, expected 4". The
     * tensor path names the tensor's shape.
     */
    @Test
    void aRequestOfTheWrongLengthNamesTheWidthExpectedAndGiven() {
        SavedModel m = model();
        String tail = ": the network's first layer takes 4 features per sample; pass one sample's 4 features in the"
                + " training data's column order (several samples go in a Tensor (batch, 4) to predict(Tensor))";
        for (int n : new int[] {0, 5}) {
            String refused = assertThrows(IllegalArgumentException.class, () -> m.predict(new float[n])).getMessage();
            assertEquals("x has " + n + " values, expected 4" + tail, refused);
            assertEquals(assertThrows(IllegalArgumentException.class, () -> m.network().predict(new float[n])).getMessage(),
                    refused, "the network's message");
        }
        assertEquals("x has shape (2, 5), expected (batch, 4): the network's first layer takes 4 features per sample",
                assertThrows(IllegalArgumentException.class, () -> m.predict(Tensor.zeros(2, 5))).getMessage());
    }

    /**
     * The allocation-free path of a request thread: its own (1, inputSize) and (1, outputSize)
     * tensors, the request copied in, the model's normaliser applied in place and the network's
     * predict(x, out): the bits of SavedModel.predict, no allocation after the first request, and a
     * finite request that overflows the normaliser refused naming its feature (it went into the
     * network as Infinity, refused as a non-finite input to clean).
     */
    @Test
    void aRequestThreadCanPredictRawSamplesWithoutAllocating() throws Exception {
        // feature 2 was fitted on a narrow range (scale 1e-3): a far larger request overflows
        SavedModel m = SavedModel.of(TestNets.small(), Normaliser.of(Normaliser.Kind.MIN_MAX, new float[] {0, -1, 0.5f, 0},
                new float[] {2, 3, 1e-3f, 0.25f}), Map.of());
        Tensor x = Tensor.zeros(1, IN);
        Tensor out = Tensor.zeros(1, 3);
        float[] request = {0.5f, -1f, 2f, 3f};
        Runnable predict = () -> {
            System.arraycopy(request, 0, x.data(), 0, IN);
            m.normaliser().applyInPlace(x);
            m.network().predict(x, out);
        };
        predict.run();
        assertArrayEquals(m.predict(request), out.data());
        com.sun.management.ThreadMXBean counter = LoadAllocation.counter();
        if (counter != null) {
            for (int i = 0; i < 1_000; i++) predict.run();
            long bytes = LoadAllocation.allocated(counter, () -> {
                for (int i = 0; i < 100; i++) predict.run();
            });
            assertEquals(0, bytes, "100 requests on a thread's own tensors");
        }
        request[2] = 3e38f;
        Normaliser.OverflowException e = assertThrows(Normaliser.OverflowException.class, predict::run);
        assertEquals(2, e.feature());
    }

    /**
     * The allocation-free path for a regression on normalised targets: as above, then the outputs
     * mapped back in place (Normaliser.inverse allocated a copy, so such a model could not be served
     * without allocating), here for one sample with the arrays under the thread's tensors going to
     * the network's predict(float[], float[]): the bits of SavedModel.predict(float...) and no
     * allocation after the first request (an overflow of the inverse: DataTest).
     */
    @Test
    void aRequestThreadCanServeARegressionOnNormalisedTargetsWithoutAllocating() throws Exception {
        Network net = TestNets.net(IN, Activation.tanh(), 2, Activation.identity(), Loss.mse(), 7);
        SavedModel m = SavedModel.of(net, Normaliser.standardise(TestNets.inputs(50, IN, 1)),
                Normaliser.standardise(TestNets.inputs(50, 2, 2)), Map.of());
        float[] xa = new float[IN], outa = new float[2];
        Tensor x = Tensor.wrap(1, IN, xa), out = Tensor.wrap(1, 2, outa);
        float[] request = {0.5f, -1f, 2f, 3f};
        Runnable predict = () -> {
            System.arraycopy(request, 0, xa, 0, IN);
            m.normaliser().applyInPlace(x);
            m.network().predict(xa, outa);
            m.targetNormaliser().inverseInPlace(out);
        };
        predict.run();
        assertArrayEquals(m.predict(request), outa);
        com.sun.management.ThreadMXBean counter = LoadAllocation.counter();
        if (counter != null) {
            for (int i = 0; i < 1_000; i++) predict.run();
            long bytes = LoadAllocation.allocated(counter, () -> {
                for (int i = 0; i < 100; i++) predict.run();
            });
            assertEquals(0, bytes, "100 requests on a thread's own arrays");
        }
    }

    /** A NaN, an infinity and null are refused naming what was wrong, through every predict of a model. */
    @Test
    void nonFiniteAndNullRequestsAreRefusedNamingTheValue() {
        SavedModel m = model();
        String nan = assertThrows(IllegalArgumentException.class, () -> m.predict(1f, Float.NaN, 3f, 4f)).getMessage();
        assertTrue(nan.contains("NaN at (0, 1)"), nan);
        Tensor inf = Tensor.wrap(2, IN, new float[] {1, 2, 3, 4, 5, 6, Float.NEGATIVE_INFINITY, 8});
        String c = assertThrows(IllegalArgumentException.class, () -> m.predictClasses(inf)).getMessage();
        assertTrue(c.contains("Infinity at (1, 2)"), c);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m.predict((float[]) null)).getMessage().startsWith("x is null"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m.predict((Tensor) null)).getMessage().startsWith("x is null"));
    }

    /**
     * Sixteen request threads on a model loaded from its file (more threads than this machine's
     * cores) get exactly what one thread gets, request by request: single samples, small batches,
     * classes and probabilities. On the scalar backend a sample alone and in a batch agree too.
     */
    @Test
    @Timeout(60)
    void requestThreadsOnALoadedModelGetTheOneThreadAnswers() throws Exception {
        Path file = dir.resolve("model.bpnn");
        ModelFile.save(model(), file);
        SavedModel m = ModelFile.load(file, TestNets.SCALAR);
        List<Tensor> requests = new ArrayList<>();
        for (int i = 0; i < 40; i++) requests.add(TestNets.inputs(1 + i % 7, IN, 100 + i));
        List<float[]> batch = new ArrayList<>();
        List<float[]> first = new ArrayList<>();
        List<int[]> classes = new ArrayList<>();
        List<float[]> probabilities = new ArrayList<>();
        for (Tensor x : requests) {
            batch.add(m.predict(x).data());
            first.add(m.predict(x.rowCopy(0)));
            classes.add(m.predictClasses(x));
            probabilities.add(m.predictProbabilities(x).data());
            assertArrayEquals(first.get(first.size() - 1), Arrays.copyOf(batch.get(batch.size() - 1), 3),
                    "scalar: a sample alone and first in a batch");
        }
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = t;
                results.add(pool.submit(() -> {
                    start.await();
                    Random r = new Random(seed);
                    for (int i = 0; i < 2_000; i++) {
                        int k = r.nextInt(requests.size());
                        Tensor x = requests.get(k);
                        switch (r.nextInt(4)) {
                            case 0 -> assertArrayEquals(first.get(k), m.predict(x.rowCopy(0)), "single sample " + k);
                            case 1 -> assertArrayEquals(batch.get(k), m.predict(x).data(), "batch " + k);
                            case 2 -> assertArrayEquals(classes.get(k), m.predictClasses(x), "classes " + k);
                            default -> assertArrayEquals(probabilities.get(k), m.predictProbabilities(x).data(), "probabilities " + k);
                        }
                    }
                    return 2_000;
                }));
            }
            start.countDown();
            int done = 0;
            for (Future<Integer> f : results) done += f.get(50, TimeUnit.SECONDS);
            assertEquals(threads * 2_000, done);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A loaded model holds everything it needs: replacing its file (by a save, by a cut copy) or
     * deleting it changes none of its answers. A start-up load of the file cut short (a copy
     * still being written) is a ModelFormatException naming the file, never a half-loaded model.
     */
    @Test
    void aLoadedModelOutlivesItsFileAndACutFileNeverLoads() throws Exception {
        Path file = dir.resolve("model.bpnn");
        SavedModel saved = model();
        ModelFile.save(saved, file);
        SavedModel loaded = ModelFile.load(file, TestNets.SCALAR);
        Tensor x = TestNets.inputs(5, IN, 9);
        float[] want = loaded.predict(x).data();

        Network other = TestNets.net(IN, Activation.relu(), 3, Activation.softmax(), Loss.categoricalCrossEntropy(), 99);
        ModelFile.save(SavedModel.of(other), file); // replaced atomically
        assertArrayEquals(want, loaded.predict(x).data());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2)); // overwritten in place, cut
        assertArrayEquals(want, loaded.predict(x).data());
        Files.delete(file);
        assertArrayEquals(want, loaded.predict(x).data());

        byte[] valid = ModelFile.toBytes(saved);
        // every byte of the preamble, then a spread through header and data, and the last byte
        List<Integer> cuts = new ArrayList<>();
        for (int c = 0; c < 24; c++) cuts.add(c);
        for (int c = 24; c < valid.length; c += 37) cuts.add(c);
        cuts.add(valid.length - 1);
        for (int cut : cuts) {
            Files.write(file, Arrays.copyOf(valid, cut));
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.load(file, TestNets.SCALAR),
                    "cut at " + cut);
            assertTrue(e.getMessage().startsWith(file.toString() + ": at byte "), e.getMessage());
            // a cut within the magic is a bpnn file cut short too (it was "not a bpnn model file")
            assertTrue(e.getMessage().contains(cut == 0 ? "the file is empty" : "truncated"), e.getMessage());
        }
    }
}
