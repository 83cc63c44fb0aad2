package org.bpnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.Rng;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.optim.Momentum;
import org.bpnn.optim.Optimizer;
import org.bpnn.train.Trainer;
import org.junit.jupiter.api.Test;

class SparkTrainerTest {
    static final RowFormat FORMAT = RowFormat.featureArray("features").classLabel("label", 3);

    static Network net(long seed) {
        return Network.builder(4)
                .dense(16, Activation.tanh())
                .dense(3, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy())
                .seed(seed)
                .build();
    }

    /**
     * For the bit-identity tests: no exp anywhere (ReLU, identity output, MSE on the one-hot labels).
     * Chosen when the simd exp's last bit depended on whether the JIT had compiled it; it no longer
     * does (RELIABILITY.md), so this is now only the smallest network that exercises the paths.
     */
    static Network expFreeNet(long seed, double dropout) {
        Network.Builder b = Network.builder(4).dense(16, Activation.relu());
        if (dropout > 0) b.dropout(dropout);
        return b.dense(3, Activation.identity()).loss(Loss.mse()).seed(seed).build();
    }

    /** The largest |a - b| over all parameters. */
    static double maxDiff(Network a, Network b) {
        double d = 0;
        for (int i = 0; i < a.parameters().size(); i++) {
            float[] x = a.parameters().get(i).value().data(), y = b.parameters().get(i).value().data();
            for (int j = 0; j < x.length; j++) d = Math.max(d, Math.abs(x[j] - y[j]));
        }
        return d;
    }

    static float[][] weights(Network n) {
        return n.parameters().stream().map(p -> p.value().data().clone()).toArray(float[][]::new);
    }

    @Test
    void onePartitionIsBitIdenticalToTrainer() {
        Dataset<Row> df = SparkTestSupport.blobFrame(300, 4, 11, 1);
        try (SparkData data = SparkData.from(df, FORMAT)) {
            Network spark = expFreeNet(5, 0), local = expFreeNet(5, 0);
            SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(2).batchSize(64).shuffle(9).build().fit(spark, data);
            Trainer.builder().optimizer(new Adam(0.01)).epochs(2).batchSize(64).shuffle(9).build().fit(local, data.toLocal());
            float[][] a = weights(spark), b = weights(local);
            for (int i = 0; i < a.length; i++) assertArrayEquals(b[i], a[i], 0f, "parameter " + i);
        }
    }

    /**
     * Several partitions: each step's gradient is the sum of shard gradients, so it differs from the
     * single-machine batch gradient by float rounding only. Measured max |w_spark - w_local| after 21
     * Adam steps (lr 0.01): see TOLERANCE.
     */
    @Test
    void threePartitionsMatchLocalComputeGradientsWithinTolerance() {
        Dataset<Row> df = SparkTestSupport.blobFrame(400, 4, 12, 3);
        try (SparkData data = SparkData.from(df, FORMAT)) {
            assertEquals(3, data.partitions());
            long seed = 21;
            int epochs = 3, batch = 64;
            Supplier<Optimizer> opt = () -> new Adam(0.01);
            Network spark = net(8);
            SparkTrainingHistory h = SparkTrainer.builder().optimizer(opt.get()).epochs(epochs).batchSize(batch)
                    .shuffle(seed).build().fit(spark, data);
            assertEquals(21, h.steps());

            // the single-machine reference: same permutation, computeGradients on the whole batch, same optimiser
            org.bpnn.data.Dataset all = data.toLocal();
            Network local = net(8);
            Optimizer lo = opt.get();
            Rng rng = new Rng(Rng.derive(seed, 0));
            int n = all.size();
            for (int e = 0; e < epochs; e++) {
                int[] order = new int[n];
                for (int i = 0; i < n; i++) order[i] = i;
                rng.shuffle(order, n);
                for (int s = 0; s < n; s += batch) {
                    org.bpnn.data.Dataset b = all.subset(order, s, Math.min(n, s + batch));
                    local.computeGradients(b.features(), b.targets());
                    lo.step(local.backend(), local.parameters());
                }
            }
            double d = maxDiff(spark, local);
            System.out.println("[bpnn-spark] 3 partitions vs local, 21 Adam steps: max |dw| = " + d);
            assertTrue(d <= TOLERANCE, "max |w_spark - w_local| = " + d + " > " + TOLERANCE);
        }
    }

    /**
     * Measured: max |dw| = 1.0e-7 to 1.2e-7 after 21 Adam steps on 3 partitions (weights of magnitude ~1, so a
     * few float ulps); asserted with a 100x margin.
     */
    static final double TOLERANCE = 1e-5;

    @Test
    void momentumOnSamplesMatchesTrainerWithinTolerance() {
        List<Row> rows = SparkTestSupport.blobs(250, 4, 13);
        List<Sample> samples = rows.stream()
                .map(r -> Sample.ofClass((float[]) r.get(1), r.getInt(2), 3)).toList();
        try (SparkData data = SparkData.fromSamples(SparkTestSupport.spark().createDataset(samples,
                org.apache.spark.sql.Encoders.javaSerialization(Sample.class)).javaRDD().repartition(2))) {
            Network spark = net(3), local = net(3);
            SparkTrainer.builder().optimizer(new Momentum(0.05, 0.9)).epochs(2).batchSize(50).shuffle(4).build().fit(spark, data);
            Trainer.builder().optimizer(new Momentum(0.05, 0.9)).epochs(2).batchSize(50).shuffle(4).build().fit(local, data.toLocal());
            double d = maxDiff(spark, local);
            System.out.println("[bpnn-spark] samples RDD vs Trainer, 10 momentum steps: max |dw| = " + d);
            assertTrue(d <= TOLERANCE, "max |dw| = " + d);
        }
    }

    /** Dropout masks are reseeded per (step, partition) from the network's seed: two runs give the same bits. */
    @Test
    void dropoutTrainingIsReproducible() {
        Dataset<Row> df = SparkTestSupport.blobFrame(200, 4, 14, 2);
        try (SparkData data = SparkData.from(df, FORMAT)) {
            float[][][] runs = new float[2][][];
            for (int r = 0; r < 2; r++) {
                Network net = expFreeNet(6, 0.3);
                SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(2).batchSize(40).shuffle(2).build().fit(net, data);
                runs[r] = weights(net);
            }
            for (int i = 0; i < runs[0].length; i++) assertArrayEquals(runs[0][i], runs[1][i], 0f, "parameter " + i);
        }
    }

    /**
     * Trainer's rule: a run never returns normally with a non-finite weight. Each step checks the
     * loss and the gradient, not the update: w - lr g overflowed on the last batch (finite lr and g ~
     * 1e36) and fit returned a network with an infinite weight, under either policy.
     */
    @Test
    void anUpdateThatOverflowsAWeightIsReportedEvenOnTheLastBatch() {
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) rows.add(org.apache.spark.sql.RowFactory.create((long) i, new float[] {1e18f}, 1f));
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                .add("id", org.apache.spark.sql.types.DataTypes.LongType, false)
                .add("x", org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.FloatType, false))
                .add("y", org.apache.spark.sql.types.DataTypes.FloatType);
        Dataset<Row> df = SparkTestSupport.spark().createDataFrame(rows, schema).repartition(2, new org.apache.spark.sql.Column("id"))
                .sortWithinPartitions("id");
        try (SparkData data = SparkData.from(df, RowFormat.featureArray("x").targetColumns("y"))) {
            for (org.bpnn.train.NonFinitePolicy policy : org.bpnn.train.NonFinitePolicy.values()) {
                Network net = Network.builder(1).dense(1, Activation.identity()).loss(Loss.mse()).seed(1).build();
                List<Throwable> told = new java.util.ArrayList<>();
                org.bpnn.train.TrainingDivergedException e = org.junit.jupiter.api.Assertions.assertThrows(
                        org.bpnn.train.TrainingDivergedException.class, () -> SparkTrainer.builder().optimizer(new org.bpnn.optim.Sgd(1e3))
                                .epochs(1).batchSize(4).nonFinitePolicy(policy).listener(new org.bpnn.train.TrainingListener() {
                                    @Override public void onTrainFailed(Throwable cause) {
                                        told.add(cause);
                                    }
                                }).build().fit(net, data), "policy " + policy);
                assertEquals(List.of(e), told, "listeners are told of the failed run, as Trainer's are");
                assertTrue(e.getMessage().contains("is no longer finite after the epoch's updates"), e.getMessage());
                assertEquals(1, e.epoch());
                assertTrue(!e.parameter().isEmpty(), e.getMessage());
            }
        }
    }

    /**
     * A divergence in a batch is reported in Trainer's words: the batch, what is not finite and where
     * (a gradient's position, or for a non-finite loss the weight that is no longer finite), and the
     * remedies with the clipping call to add. SparkTrainer said "the loss is NaN" without naming the
     * weight, a gradient without its position, and "clip gradients" without how.
     */
    @Test
    void aDivergedBatchIsReportedInTrainersWords() {
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) rows.add(org.apache.spark.sql.RowFactory.create((long) i, new float[] {1e18f}, 1f));
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                .add("id", org.apache.spark.sql.types.DataTypes.LongType, false)
                .add("x", org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.FloatType, false))
                .add("y", org.apache.spark.sql.types.DataTypes.FloatType);
        Dataset<Row> df = SparkTestSupport.spark().createDataFrame(rows, schema).repartition(2, new org.apache.spark.sql.Column("id"))
                .sortWithinPartitions("id");
        try (SparkData data = SparkData.from(df, RowFormat.featureArray("x").targetColumns("y"))) {
            Network net = Network.builder(1).dense(1, Activation.identity()).loss(Loss.mse()).seed(1).build();
            // the first batch's update overflows a weight; the second batch's loss is then not finite
            org.bpnn.train.TrainingDivergedException e = org.junit.jupiter.api.Assertions.assertThrows(
                    org.bpnn.train.TrainingDivergedException.class, () -> SparkTrainer.builder().optimizer(new org.bpnn.optim.Sgd(1e3))
                            .epochs(1).batchSize(2).noShuffle().build().fit(net, data));
            String m = e.getMessage();
            assertTrue(m.startsWith("training diverged at epoch 1, batch 2 of 2: "), m);
            assertTrue(m.contains("the loss is Infinity (parameter dense1.W is no longer finite)"), "names the weight: " + m);
            assertTrue(m.contains("clip gradients (e.g. .clipping(GradientClipping.byGlobalNorm(1.0)) on the optimiser)"), m);
            assertTrue(m.endsWith("or use nonFinitePolicy(NonFinitePolicy.SKIP_BATCH) to skip such batches"), m);
            assertEquals(2, e.batch());
            assertEquals("dense1.W", e.parameter());
        }
    }

    /**
     * As Trainer (TrainingListener: start and end are paired): a listener whose onTrainStart throws ends
     * the run; the listeners before it, whose onTrainStart returned (and opened a progress bar or a
     * file), hear of it through onTrainFailed, and it and the listeners after it hear nothing more. Until
     * the pairing every listener was told, the failing one and those after it included.
     */
    @Test
    void aFailureInOnTrainStartTellsOnlyTheListenersThatHadStarted() {
        List<String> calls = new java.util.ArrayList<>();
        IllegalStateException boom = new IllegalStateException("boom");
        org.bpnn.train.TrainingListener first = new org.bpnn.train.TrainingListener() {
            @Override public void onTrainStart(Network n, int epochs, int train, int validation) {
                calls.add("first started");
            }
            @Override public void onTrainFailed(Throwable cause) {
                calls.add("first told of " + cause.getMessage());
            }
        };
        org.bpnn.train.TrainingListener failing = new org.bpnn.train.TrainingListener() {
            @Override public void onTrainStart(Network n, int epochs, int train, int validation) {
                throw boom;
            }
            @Override public void onTrainFailed(Throwable cause) {
                calls.add("failing told of " + cause.getMessage());
            }
        };
        Recorder after = new Recorder();
        try (SparkData data = SparkData.from(SparkTestSupport.blobFrame(40, 4, 11, 2), FORMAT)) {
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(1).batchSize(8).listener(first).listener(failing)
                            .listener(after).build().fit(net(1), data));
            assertEquals(boom, e);
        }
        assertEquals(List.of("first started", "first told of boom"), calls);
        assertEquals(List.of(), after.calls, "the listener after the failing one never started, and hears nothing");
    }

    /** Records the start and end callbacks it gets, and the history or exception of each end. */
    static final class Recorder implements org.bpnn.train.TrainingListener {
        final List<String> calls = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        volatile org.bpnn.train.TrainingHistory history;
        volatile Throwable failure;

        @Override public void onTrainStart(Network n, int epochs, int train, int validation) {
            calls.add("start");
        }
        @Override public void onTrainEnd(org.bpnn.train.TrainingHistory h) {
            calls.add("end");
            history = h;
        }
        @Override public void onTrainFailed(Throwable cause) {
            calls.add("failed");
            failure = cause;
        }
    }

    /**
     * A fit that finishes calls onTrainEnd on every listener, with a TrainingHistory of the same epochs,
     * best epoch and ending as the SparkTrainingHistory it returns. SparkTrainer called no onTrainEnd: a
     * listener that closes its output there (ConsoleProgressListener, a file) never closed it.
     */
    @Test
    void aFinishedFitCallsOnTrainEndWithItsHistory() {
        Recorder a = new Recorder(), b = new Recorder();
        SparkTrainingHistory h;
        try (SparkData data = SparkData.from(SparkTestSupport.blobFrame(40, 4, 11, 2), FORMAT)) {
            h = SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(2).batchSize(8).listener(a).listener(b).build()
                    .fit(net(1), data);
        }
        for (Recorder r : List.of(a, b)) {
            assertEquals(List.of("start", "end"), r.calls);
            assertEquals(h.epochs(), r.history.epochs());
            assertEquals(h.bestEpoch(), r.history.bestEpoch());
            assertEquals(h.stoppedEarly(), r.history.stoppedEarly());
            assertEquals(org.bpnn.train.TrainingHistory.Ending.COMPLETED, h.endedBy());
            assertEquals(h.endedBy(), r.history.endedBy());
            assertEquals(h.restoredBestWeights(), r.history.restoredBestWeights());
        }
    }

    /**
     * As Trainer: when a listener's onTrainEnd throws, the fit ends with that exception and the
     * listeners after it get onTrainFailed with it instead of onTrainEnd (each hears of exactly one end).
     */
    @Test
    void aListenerFailingInOnTrainEndEndsTheFitAndTellsTheListenersAfterIt() {
        IllegalStateException boom = new IllegalStateException("closing failed");
        Recorder before = new Recorder(), after = new Recorder();
        org.bpnn.train.TrainingListener failing = new org.bpnn.train.TrainingListener() {
            @Override public void onTrainEnd(org.bpnn.train.TrainingHistory h) {
                throw boom;
            }
        };
        try (SparkData data = SparkData.from(SparkTestSupport.blobFrame(40, 4, 11, 2), FORMAT)) {
            SparkTrainer trainer = SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(1).batchSize(8).listener(before)
                    .listener(failing).listener(after).build();
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> trainer.fit(net(1), data));
            assertEquals(boom, e);
            assertEquals(5, trainer.steps(), "the run itself finished");
        }
        assertEquals(List.of("start", "end"), before.calls);
        assertEquals(List.of("start", "failed"), after.calls);
        assertEquals(boom, after.failure);
    }

    /**
     * An interrupt set in onTrainStart comes after the listeners started: every one of them hears of the
     * cancellation, as Trainer's do of an interrupt before the first epoch.
     */
    @Test
    void anInterruptAfterOnTrainStartTellsEveryListener() {
        Recorder a = new Recorder(), b = new Recorder();
        org.bpnn.train.TrainingListener interrupter = new org.bpnn.train.TrainingListener() {
            @Override public void onTrainStart(Network n, int epochs, int train, int validation) {
                Thread.currentThread().interrupt();
            }
        };
        try (SparkData data = SparkData.from(SparkTestSupport.blobFrame(40, 4, 11, 2), FORMAT)) {
            SparkTrainer trainer = SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(2).batchSize(8).listener(a)
                    .listener(interrupter).listener(b).build();
            java.util.concurrent.CancellationException e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.CancellationException.class, () -> trainer.fit(net(1), data));
            assertTrue(e.getMessage().startsWith("fit was interrupted before epoch 1 of 2"), e.getMessage());
            assertTrue(Thread.interrupted(), "the interrupt status is left set (and cleared here)");
            assertEquals(List.of("start", "failed"), a.calls);
            assertEquals(List.of("start", "failed"), b.calls);
            assertEquals(e, b.failure);
            assertEquals(0, trainer.steps());
        } finally {
            Thread.interrupted();
        }
    }

    /**
     * The driver's backend, delegating to scalar; the first gemm on the training thread while armed (on the
     * driver only the validation pass multiplies: the executors compute on their own Backends.get())
     * interrupts that thread, as a Future.cancel(true) arriving during the pass would. Counts the gemms.
     */
    static final class InterruptingBackend implements org.bpnn.backend.Backend {
        final org.bpnn.backend.Backend d = org.bpnn.backend.Backends.get("scalar", 1);
        final Thread target = Thread.currentThread();
        volatile boolean armed = true;
        int gemms;

        @Override public String name() { return "scalar"; }
        @Override public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                   float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
            if (Thread.currentThread() == target) {
                gemms++;
                if (armed) {
                    armed = false;
                    target.interrupt();
                }
            }
            d.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
        @Override public void biasActivation(org.bpnn.backend.ElementwiseOp op, float param, int rows, int cols, float[] z, int zOff,
                                             int ldz, float[] bias, int biasOff, float[] a, int aOff, int lda) {
            d.biasActivation(op, param, rows, cols, z, zOff, ldz, bias, biasOff, a, aOff, lda);
        }
        @Override public void activationBackward(org.bpnn.backend.ElementwiseOp op, float param, int n, float[] a, int aOff,
                                                 float[] g, int gOff, float[] out, int outOff) {
            d.activationBackward(op, param, n, a, aOff, g, gOff, out, outOff);
        }
        @Override public void softmaxRows(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff, int ldo) {
            d.softmaxRows(rows, cols, x, xOff, ldx, out, outOff, ldo);
        }
        @Override public void sumColumns(int rows, int cols, float alpha, float[] x, int xOff, int ldx, float beta, float[] out,
                                         int outOff) {
            d.sumColumns(rows, cols, alpha, x, xOff, ldx, beta, out, outOff);
        }
        @Override public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) { d.axpy(n, alpha, x, xOff, y, yOff); }
        @Override public void scale(int n, float alpha, float[] x, int xOff) { d.scale(n, alpha, x, xOff); }
    }

    /**
     * An interrupt during the driver's validation pass ends the fit after the slice it came in (4096 rows),
     * as the other interrupts in an epoch do: a CancellationException, the status left set, onTrainFailed for
     * the started listeners and no onEpochEnd for the epoch. The pass ran to its end over every row, told the
     * listeners the epoch ended, and the fit stopped only before the next epoch: a large validation set
     * delayed a cancel by a whole pass.
     */
    @Test
    void anInterruptDuringTheValidationPassEndsTheFitAfterItsSlice() {
        InterruptingBackend backend = new InterruptingBackend();
        Network net = Network.builder(4).dense(16, Activation.tanh()).dense(3, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(1).backend(backend).build();
        int rows = 3 * SparkTrainer.VALIDATION_SLICE + 10; // 4 slices
        Rng rng = new Rng(3);
        float[][] vx = new float[rows][4], vy = new float[rows][3];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < 4; j++) vx[i][j] = (float) rng.nextDouble();
            vy[i][rng.nextInt(3)] = 1;
        }
        org.bpnn.data.Dataset validation = org.bpnn.data.Dataset.of(vx, vy);
        Recorder a = new Recorder();
        List<Integer> epochEnds = new java.util.ArrayList<>();
        org.bpnn.train.TrainingListener ends = new org.bpnn.train.TrainingListener() {
            @Override public void onEpochEnd(org.bpnn.train.EpochSummary s) { epochEnds.add(s.epoch()); }
        };
        try (SparkData data = SparkData.from(SparkTestSupport.blobFrame(40, 4, 11, 2), FORMAT)) {
            SparkTrainer trainer = SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(2).batchSize(8).listener(a)
                    .listener(ends).build();
            java.util.concurrent.CancellationException e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.CancellationException.class, () -> trainer.fit(net, data, validation));
            assertTrue(Thread.interrupted(), "the interrupt status is left set (and cleared here)");
            assertTrue(e.getMessage().startsWith("fit was interrupted during the validation pass of epoch 1 of 2"), e.getMessage());
            assertEquals(List.of(), epochEnds, "no onEpochEnd for an epoch whose validation was interrupted");
            assertEquals(List.of("start", "failed"), a.calls);
            assertEquals(e, a.failure);
            assertEquals(5, trainer.steps(), "epoch 1's batches were all trained");
            // one slice: 16 predict chunks of 256 rows, two layers each (the whole pass is 49 chunks, 98 gemms)
            assertEquals(2 * SparkTrainer.VALIDATION_SLICE / 256, backend.gemms);
        } finally {
            Thread.interrupted();
        }
    }

    /**
     * bpnn-io's CheckpointFile.everyEpoch saves a Trainer's state, which a Spark fit does not have: it is
     * refused in onTrainStart, before the first epoch, saying what to use instead. It overrode only the
     * Trainer form of onTrainStart, which SparkTrainer does not call, and failed at the end of epoch 1: a
     * whole epoch of cluster time spent first.
     */
    @Test
    void checkpointFileEveryEpochIsRefusedBeforeTheFirstEpoch(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path ckpt = dir.resolve("run.ckpt");
        Recorder before = new Recorder();
        List<String> epochs = new java.util.ArrayList<>();
        org.bpnn.train.TrainingListener epochStarts = new org.bpnn.train.TrainingListener() {
            @Override public void onEpochStart(int epoch, int of, int batches, int samples) { epochs.add("epoch" + epoch); }
        };
        try (SparkData data = SparkData.from(SparkTestSupport.blobFrame(40, 4, 11, 2), FORMAT)) {
            SparkTrainer trainer = SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(2).batchSize(8).listener(before)
                    .listener(org.bpnn.io.model.CheckpointFile.everyEpoch(ckpt, null)).listener(epochStarts).build();
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> trainer.fit(net(1), data));
            assertTrue(e.getMessage().startsWith("CheckpointFile.everyEpoch(" + ckpt + ") saves a Trainer's state"), e.getMessage());
            assertTrue(e.getMessage().contains("ModelFile.save(network, path) in onEpochEnd"), e.getMessage());
            assertEquals(List.of(), epochs, "no epoch started");
            assertEquals(0, trainer.steps());
            assertEquals(List.of("start", "failed"), before.calls, "the listener before it had started and is told");
            assertTrue(!java.nio.file.Files.exists(ckpt));
        }
    }

    /**
     * As Trainer.requestStop: a listener that asks the trainer to stop in epoch 2 of 5 ends the fit after
     * that epoch, normally (onTrainEnd, a history of 2 epochs); the next fit is not stopped by it.
     */
    @Test
    void aListenerCanStopTheFitAfterTheCurrentEpoch() {
        SparkTrainer[] holder = new SparkTrainer[1];
        List<String> calls = new java.util.ArrayList<>();
        org.bpnn.train.TrainingListener stopper = new org.bpnn.train.TrainingListener() {
            @Override public void onEpochEnd(org.bpnn.train.EpochSummary s) {
                calls.add("end" + s.epoch());
                if (s.epoch() == 2 && calls.size() == 2) holder[0].requestStop(); // in the first fit only
            }
            @Override public void onTrainEnd(org.bpnn.train.TrainingHistory h) {
                calls.add("trainEnd " + h.size() + " " + h.endedBy());
            }
        };
        holder[0] = SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(5).batchSize(8).listener(stopper).build();
        try (SparkData data = SparkData.from(SparkTestSupport.blobFrame(40, 4, 11, 2), FORMAT)) {
            Network net = net(1); // one network per trainer (its optimiser's state): the second fit continues it
            SparkTrainingHistory h = holder[0].fit(net, data);
            assertEquals(2, h.epochs().size());
            assertTrue(!h.stoppedEarly(), "stoppedEarly is early stopping's");
            assertEquals(org.bpnn.train.TrainingHistory.Ending.REQUESTED, h.endedBy(), "the history says why it ended");
            assertEquals(List.of("end1", "end2", "trainEnd 2 REQUESTED"), calls);
            assertEquals(10, holder[0].steps());
            SparkTrainingHistory next = holder[0].fit(net, data);
            assertEquals(5, next.epochs().size(), "a fit call clears the request when it ends");
            assertEquals(org.bpnn.train.TrainingHistory.Ending.COMPLETED, next.endedBy());
        }
    }

    /**
     * As Trainer.requestStop: a stop requested while no fit runs (right after submitting one to an
     * executor) applies to the next fit, which trains no epoch and ends normally; that fit clears it.
     */
    @Test
    void aStopRequestedBeforeTheFitTrainsNoEpoch() {
        Recorder r = new Recorder();
        SparkTrainer trainer = SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(3).batchSize(8).listener(r).build();
        try (SparkData data = SparkData.from(SparkTestSupport.blobFrame(40, 4, 11, 2), FORMAT)) {
            trainer.requestStop();
            Network net = net(1);
            SparkTrainingHistory h = trainer.fit(net, data);
            assertEquals(0, h.epochs().size());
            assertEquals(org.bpnn.train.TrainingHistory.Ending.REQUESTED, h.endedBy());
            assertEquals(org.bpnn.train.TrainingHistory.Ending.REQUESTED, r.history.endedBy());
            assertEquals(0, trainer.steps());
            assertEquals(List.of("start", "end"), r.calls);
            assertEquals(3, trainer.fit(net, data).epochs().size(), "the fit that stopped cleared the request");
        }
    }

    /**
     * As Trainer's: an interrupt (Future.cancel(true)) ends the fit before the next epoch with a
     * CancellationException, the interrupt status left set. It trained on to the last epoch.
     */
    @Test
    void anInterruptedFitStopsBeforeTheNextEpoch() {
        List<Integer> ended = new java.util.ArrayList<>();
        org.bpnn.train.TrainingListener interrupter = new org.bpnn.train.TrainingListener() {
            @Override public void onEpochEnd(org.bpnn.train.EpochSummary s) {
                ended.add(s.epoch());
                if (s.epoch() == 2) Thread.currentThread().interrupt();
            }
        };
        try (SparkData data = SparkData.from(SparkTestSupport.blobFrame(40, 4, 11, 2), FORMAT)) {
            java.util.concurrent.CancellationException e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.CancellationException.class, () -> SparkTrainer.builder().optimizer(new Adam(0.01))
                            .epochs(5).batchSize(8).listener(interrupter).build().fit(net(1), data));
            assertTrue(e.getMessage().startsWith("fit was interrupted before epoch 3 of 5"), e.getMessage());
            assertTrue(Thread.interrupted(), "the interrupt status is left set (and cleared here)");
        } finally {
            Thread.interrupted();
        }
        assertEquals(List.of(1, 2), ended);
    }

    /**
     * As Trainer's: a fit whose thread is interrupted before it starts trains no epoch and ends with a
     * CancellationException, the status left set. Its first Spark calls (the model's broadcast, the
     * targets' check) threw the undeclared InterruptedException instead. The interrupt comes before any
     * onTrainStart, so no listener is called (TrainingListener pairs the start and the end); until the
     * pairing every listener got onTrainFailed for a run it never saw start.
     */
    @Test
    void aFitInterruptedBeforeItStartsEndsAsCancelled() {
        List<Integer> started = new java.util.ArrayList<>();
        Recorder recorder = new Recorder();
        org.bpnn.train.TrainingListener l = new org.bpnn.train.TrainingListener() {
            @Override public void onEpochStart(int epoch, int epochs, int batches, int samples) {
                started.add(epoch);
            }
        };
        try (SparkData data = SparkData.from(SparkTestSupport.blobFrame(40, 4, 11, 2), FORMAT)) {
            SparkTrainer trainer = SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(2).batchSize(8).listener(l)
                    .listener(recorder).build();
            Network net = net(1);
            Thread.currentThread().interrupt();
            RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> trainer.fit(net, data));
            assertTrue(e instanceof java.util.concurrent.CancellationException, e.toString());
            assertTrue(Thread.interrupted(), "the interrupt status is left set (and cleared here)");
        } finally {
            Thread.interrupted();
        }
        assertEquals(List.of(), started);
        assertEquals(List.of(), recorder.calls, "no listener saw the run start, so none hears of its end");
    }

    /**
     * An interrupt that arrives while the epoch's Spark jobs run (where a cancelled fit spends its time)
     * ends the fit as one before an epoch does: a CancellationException, the interrupt status left set.
     * It ended in a SparkTrainingException ("... failed: InterruptedException") with the status cleared.
     */
    @Test
    void anInterruptDuringAnEpochsSparkJobEndsTheFitAsCancelled() {
        org.bpnn.train.TrainingListener interrupter = new org.bpnn.train.TrainingListener() {
            @Override public void onBatchEnd(int epoch, int batch, int batches, int rows, double loss) {
                if (epoch == 1 && batch == 1) Thread.currentThread().interrupt(); // the next batch's job sees it
            }
        };
        try (SparkData data = SparkData.from(SparkTestSupport.blobFrame(40, 4, 11, 2), FORMAT)) {
            RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                    () -> SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(3).batchSize(8).listener(interrupter).build()
                            .fit(net(1), data));
            assertTrue(e instanceof java.util.concurrent.CancellationException, e.toString());
            assertTrue(Thread.interrupted(), "the interrupt status is left set (and cleared here)");
        } finally {
            Thread.interrupted();
        }
    }

    /** The fitting thread, interrupted by the first armed task that reads the (uncached) source. */
    static volatile Thread fitThread;
    /** Tasks that read the source count it down; those that take it from 2 and from 1 are held (see {@link #holdIfArmed}). */
    static final java.util.concurrent.atomic.AtomicInteger ARMED = new java.util.concurrent.atomic.AtomicInteger();
    /** Opened by {@link #failedTasksDuring} once the fit has returned: the held tasks go on then. */
    static volatile java.util.concurrent.CountDownLatch RELEASE = new java.util.concurrent.CountDownLatch(0);
    /** The held tasks' contexts, to see that their job was cancelled (they were killed) before they go on. */
    static final List<org.apache.spark.TaskContext> HELD = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    /**
     * Called by a task after it has read its partition of the source (past Spark's kill checks) and before it
     * reads the fit's broadcasts: the tasks that take {@link #ARMED} from 2 and from 1 are held on
     * {@link #RELEASE}, as slow tasks still running when the fit ends, and the first of them interrupts
     * {@link #fitThread}. No sleeps: the held tasks go on only after the fit has returned (its clean-up done),
     * so a clean-up that destroyed what they read fails them whatever the machine's load.
     */
    static void holdIfArmed() throws InterruptedException {
        int armed = ARMED.getAndDecrement();
        if (armed > 0 && armed <= 2) {
            HELD.add(org.apache.spark.TaskContext.get());
            if (armed == 2) fitThread.interrupt(); // once: a second one would land in the fit's clean-up
            RELEASE.await(60, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /**
     * Samples whose blocks are not cached, so every job reads them again: the next two tasks that read them
     * after {@link #ARMED} is set to 2 are held (the first interrupts {@link #fitThread}) until the fit has
     * returned, after the reading and before the broadcasts are read, as slow tasks would be. Both
     * partitions' tasks are held: in local mode a broadcast one task has read stays readable to the other
     * after its destroy.
     */
    static SparkData slowData() {
        List<Sample> samples = SparkTestSupport.blobs(40, 4, 11).stream()
                .map(r -> Sample.ofClass((float[]) r.get(1), r.getInt(2), 3)).toList();
        org.apache.spark.api.java.JavaRDD<Sample> rdd = org.apache.spark.api.java.JavaSparkContext
                .fromSparkContext(SparkTestSupport.spark().sparkContext()).parallelize(samples, 2)
                .mapPartitions(it -> {
                    List<Sample> all = new java.util.ArrayList<>();
                    it.forEachRemaining(all::add);
                    holdIfArmed();
                    return all.iterator();
                });
        SparkData data = SparkData.fromSamples(rdd);
        data.blocks().unpersist(true);
        return data;
    }

    /**
     * Runs {@code fit} on this thread with a listener that records the tasks that failed (not those killed).
     * Once {@code fit} has returned, waits (at most 30 s, which only a job left running reaches) for the held
     * tasks to be killed, so that a cancelled job's tasks end as killed, then lets them go on and waits for
     * every task started meanwhile to end.
     */
    static List<String> failedTasksDuring(Runnable fit) throws Exception {
        List<String> failed = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.Set<Long> started = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.Set<Long> ended = java.util.concurrent.ConcurrentHashMap.newKeySet();
        org.apache.spark.scheduler.SparkListener l = new org.apache.spark.scheduler.SparkListener() {
            @Override public void onTaskStart(org.apache.spark.scheduler.SparkListenerTaskStart e) {
                started.add(e.taskInfo().taskId());
            }

            @Override public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd e) {
                if (e.reason() instanceof org.apache.spark.ExceptionFailure f) failed.add(f.toErrorString());
                ended.add(e.taskInfo().taskId());
            }
        };
        org.apache.spark.SparkContext sc = SparkTestSupport.spark().sparkContext();
        HELD.clear();
        RELEASE = new java.util.concurrent.CountDownLatch(1);
        sc.addSparkListener(l);
        try {
            fitThread = Thread.currentThread();
            try {
                fit.run();
            } finally {
                ARMED.set(0);
                Thread.interrupted();
                long killDeadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
                while (!allHeldKilled() && System.nanoTime() < killDeadline) Thread.sleep(5);
                RELEASE.countDown(); // the fit has returned: the held tasks go on
            }
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            sc.listenerBus().waitUntilEmpty();
            while (!ended.containsAll(started)) {
                assertTrue(System.nanoTime() < deadline, "tasks " + started + " started, only " + ended + " ended");
                Thread.sleep(5);
                sc.listenerBus().waitUntilEmpty();
            }
        } finally {
            ARMED.set(0);
            RELEASE.countDown();
            Thread.interrupted();
            sc.removeSparkListener(l);
        }
        return failed;
    }

    private static boolean allHeldKilled() {
        synchronized (HELD) {
            for (org.apache.spark.TaskContext c : HELD) {
                if (!c.isInterrupted()) return false;
            }
            return true;
        }
    }

    /**
     * An interrupt while the targets are checked (the fit's first job) ends the fit as one before it
     * starts: a CancellationException, the status left set. It ended in a SparkTrainingException
     * ("checking the targets failed: InterruptedException") with the status cleared; and the model's
     * broadcast was destroyed while the job's tasks still ran, which failed them.
     */
    @Test
    void anInterruptWhileTheTargetsAreCheckedEndsTheFitAsCancelled() throws Exception {
        Recorder recorder = new Recorder();
        try (SparkData data = slowData()) {
            SparkTrainer trainer = SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(2).batchSize(8).listener(recorder).build();
            Network net = net(1);
            List<String> failed = failedTasksDuring(() -> {
                ARMED.set(2);
                RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> trainer.fit(net, data));
                assertTrue(e instanceof java.util.concurrent.CancellationException, e.toString());
                assertTrue(e.getMessage().startsWith("fit was interrupted before epoch 1 of 2"), e.getMessage());
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is left set");
            });
            assertEquals(List.of(), failed, "no task fails because the fit's clean-up destroyed what it used");
            assertEquals(0, trainer.steps());
        }
        assertEquals(List.of(), recorder.calls, "the targets' check comes before onTrainStart: no listener is called");
    }

    /**
     * An interrupt while a batch's job runs ends the fit cancelled, and the job is cancelled with it:
     * its broadcasts (the model, the weights, the order) were destroyed while its tasks still ran,
     * which failed them ("Failed to get broadcast_..."), logged as errors for an ordinary cancellation.
     */
    @Test
    void anInterruptDuringABatchsJobDoesNotFailItsTasks() throws Exception {
        org.bpnn.train.TrainingListener arm = new org.bpnn.train.TrainingListener() {
            @Override public void onEpochStart(int epoch, int epochs, int batches, int samples) {
                if (epoch == 1) ARMED.set(2); // after the targets' check: the first batch's job
            }
        };
        try (SparkData data = slowData()) {
            SparkTrainer trainer = SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(2).batchSize(8).listener(arm).build();
            List<String> failed = failedTasksDuring(() -> {
                RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                        () -> trainer.fit(net(1), data));
                assertTrue(e instanceof java.util.concurrent.CancellationException, e.toString());
                assertTrue(e.getMessage().startsWith("fit was interrupted during epoch 1 of 2"), e.getMessage());
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is left set");
            });
            assertEquals(List.of(), failed, "no task fails because the fit's clean-up destroyed what it used");
        }
    }

    /**
     * An interrupt while fit(Network, Dataset, RowFormat) reads the rows (SparkData.from) ends the fit as
     * any other interrupt before its first epoch: a CancellationException, the status left set. It ended in
     * a SparkTrainingException ("reading the training data failed: InterruptedException") with the status
     * cleared. The read comes before any onTrainStart, so no listener is called (TrainingListener pairs the
     * start and the end); for a while every listener got onTrainFailed for a run it never saw start.
     */
    @Test
    void anInterruptWhileTheRowsAreReadEndsTheFitAsCancelled() throws Exception {
        List<Throwable> told = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        org.bpnn.train.TrainingListener l = new org.bpnn.train.TrainingListener() {
            @Override public void onTrainFailed(Throwable cause) {
                told.add(cause);
            }
        };
        org.apache.spark.api.java.JavaRDD<Row> rows = org.apache.spark.api.java.JavaSparkContext
                .fromSparkContext(SparkTestSupport.spark().sparkContext()).parallelize(SparkTestSupport.blobs(40, 4, 11), 2)
                .mapPartitions(it -> {
                    List<Row> all = new java.util.ArrayList<>();
                    it.forEachRemaining(all::add);
                    holdIfArmed();
                    return all.iterator();
                });
        Dataset<Row> df = SparkTestSupport.spark().createDataFrame(rows, SparkTestSupport.blobSchema());
        SparkTrainer trainer = SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(2).batchSize(8).listener(l).build();
        java.util.concurrent.atomic.AtomicInteger killed = new java.util.concurrent.atomic.AtomicInteger();
        org.apache.spark.scheduler.SparkListener kills = new org.apache.spark.scheduler.SparkListener() {
            @Override public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd e) {
                if (e.reason() instanceof org.apache.spark.TaskKilled) killed.incrementAndGet();
            }
        };
        SparkTestSupport.spark().sparkContext().addSparkListener(kills);
        List<String> failed;
        try {
            failed = failedTasksDuring(() -> {
                // 3: the task of the first row's job (one partition) goes through; the job that reads and converts
                // every row has its tasks held, the first interrupting the fit
                ARMED.set(3);
                RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                        () -> trainer.fit(net(1), df, FORMAT));
                assertTrue(e instanceof java.util.concurrent.CancellationException, e.toString());
                assertTrue(e.getMessage().startsWith("fit was interrupted before epoch 1 of 2"), e.getMessage());
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is left set");
                assertEquals(List.of(), told, "no listener saw the run start, so none is told of its cancellation");
            });
        } finally {
            SparkTestSupport.spark().sparkContext().removeSparkListener(kills);
        }
        assertEquals(List.of(), failed);
        assertTrue(killed.get() > 0, "the read's job is cancelled, not left reading the input");
        assertEquals(0, trainer.steps());
    }

    /**
     * A finished job's broadcasts under spark.speculation stay readable for a speculative copy of one of
     * its tasks that is still running (they are unpersisted, the driver keeping its copy, not destroyed);
     * without speculation they are destroyed. Local mode launches no speculative copies, so this checks
     * only that a task started after the release still reads the value: destroyed, it could not.
     */
    @Test
    void underSpeculationAFinishedJobsBroadcastStaysReadable() {
        org.apache.spark.api.java.JavaSparkContext jsc = org.apache.spark.api.java.JavaSparkContext
                .fromSparkContext(SparkTestSupport.spark().sparkContext());
        List<String> errors = SparkTestSupport.errorsDuring(() -> {
            org.apache.spark.api.java.JavaRDD<Integer> one = jsc.parallelize(List.of(1, 2), 2);
            org.apache.spark.broadcast.Broadcast<float[]> kept = jsc.broadcast(new float[] {1, 2, 3});
            assertEquals(List.of(3, 3), one.map(i -> kept.value().length).collect());
            SparkTrainer.release(kept, true);
            assertEquals(List.of(3, 3), one.map(i -> kept.value().length).collect(), "a late task still reads it");
            org.apache.spark.broadcast.Broadcast<float[]> gone = jsc.broadcast(new float[] {1, 2, 3});
            SparkTrainer.release(gone, false);
            // destroyed: the driver's value is gone too. Checked on the driver: a job whose closure captured it
            // failed too, but Spark logged that as "ERROR Utils: Exception encountered ... Attempted to use
            // Broadcast(n) after it was destroyed (destroy at SparkTrainer.java:...)", the one ERROR line of the
            // module's tests, which read as a broadcast that SparkTrainer destroyed while in use
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, gone::value);
            assertTrue(e.getMessage().contains("after it was destroyed"), e.getMessage());
        });
        assertEquals(List.of(), errors, "nothing logged an error");
    }

    /**
     * A finished fit destroys its broadcasts (the weights after each step, the positions after each epoch, the
     * model at the end) only once their jobs have ended, and a score broadcasts its model for the ContextCleaner
     * to remove: no task reads a destroyed broadcast, so Spark logs no error (a destroy before its job ended is
     * logged as "Failed to get broadcast_..." by the failing task's siblings, or fails the fit).
     */
    @Test
    void aFitAndAScoreLogNoError() {
        Dataset<Row> df = SparkTestSupport.blobFrame(120, 4, 14, 3);
        List<String> errors = SparkTestSupport.errorsDuring(() -> {
            Network net = net(3);
            SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(2).batchSize(32).shuffle(4).build().fit(net, df, FORMAT);
            assertEquals(120, SparkScorer.score(df, org.bpnn.io.model.SavedModel.of(net), FORMAT).count());
        });
        assertEquals(List.of(), errors, "nothing logged an error");
    }

    /**
     * After close() the blocks are no longer cached: a fit would read and parse the whole input again
     * in every step (and rely on its order being stable across all those reads). Refused instead.
     */
    @Test
    void aClosedSparkDataIsRefused() {
        SparkData data = SparkData.from(SparkTestSupport.blobFrame(40, 4, 11, 2), FORMAT);
        data.close();
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(1).batchSize(8).build().fit(net(1), data));
        assertTrue(e.getMessage().contains("closed") && e.getMessage().contains("SparkData.from"), e.getMessage());
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, data::toLocal).getMessage().contains("closed"));
    }

    /**
     * A skipped batch still uses up its dropout masks: the next batch draws the masks of its own
     * number. Keyed by optimiser steps, the batch after a skipped one drew the skipped one's masks
     * again. Checked against a run whose clean batch is the second one drawn, after a first batch
     * whose update is undone (plain SGD keeps no state).
     */
    @Test
    void theBatchAfterASkippedOneDrawsItsOwnDropoutMasks() {
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                .add("id", org.apache.spark.sql.types.DataTypes.LongType, false)
                .add("x", org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.FloatType, false))
                .add("y", org.apache.spark.sql.types.DataTypes.FloatType);
        RowFormat format = RowFormat.featureArray("x").targetColumns("y");
        List<Row> poisoned = new java.util.ArrayList<>(), clean = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            // rows 0-3 overflow the gradient (|x| near Float.MAX_VALUE): the first batch is skipped
            float v = i < 4 ? 3e38f : 0.25f * i;
            Row r = org.apache.spark.sql.RowFactory.create((long) i, new float[] {v, 1 - v}, 0.5f * i);
            poisoned.add(r);
            if (i >= 4) clean.add(r);
        }
        Supplier<Network> net = () -> Network.builder(2).dense(8, Activation.relu()).dropout(0.5)
                .dense(1, Activation.identity()).loss(Loss.mse()).seed(3).build();
        Supplier<SparkTrainer> trainer = () -> SparkTrainer.builder().optimizer(new org.bpnn.optim.Sgd(0.05)).epochs(1)
                .batchSize(4).noShuffle().nonFinitePolicy(org.bpnn.train.NonFinitePolicy.SKIP_BATCH).build();
        Network skipped = net.get();
        try (SparkData data = SparkData.from(SparkTestSupport.spark().createDataFrame(poisoned, schema).coalesce(1), format)) {
            SparkTrainingHistory h = trainer.get().fit(skipped, data);
            assertEquals(1, h.epochs().get(0).skippedBatches(), "the poisoned batch is skipped");
            assertEquals(1, h.steps());
        }
        Network reference = net.get();
        org.bpnn.nn.ParameterSnapshot start = org.bpnn.nn.ParameterSnapshot.of(reference);
        SparkTrainer t = trainer.get();
        try (SparkData data = SparkData.from(SparkTestSupport.spark().createDataFrame(clean, schema).coalesce(1), format)) {
            t.fit(reference, data); // batch 1: the clean rows, update undone below
            start.restoreTo(reference);
            t.fit(reference, data); // batch 2: the same rows, as in the skipped run
        }
        assertTrue(maxDiff(reference, net.get()) > 0, "the clean batch changed the weights");
        for (int i = 0; i < reference.parameters().size(); i++) {
            assertArrayEquals(reference.parameters().get(i).value().data(), skipped.parameters().get(i).value().data(), 0f,
                    "parameter " + i + ": the clean batch after the skipped one trained with batch 2's masks");
        }
    }
}
