package org.bpnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.Parameter;
import org.bpnn.nn.Rng;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.train.Trainer;
import org.bpnn.train.TrainingHistory;
import org.bpnn.train.TrainingListener;
import org.junit.jupiter.api.Test;

/**
 * SparkTrainer.Builder.classWeights: the executors weight each shard's rows by their class, so a Spark fit
 * descends the same weighted cost as Trainer on {@code toLocal().withClassWeights(w)}, and reports its
 * weighted loss; SparkData.balancedClassWeights equals Dataset's.
 */
class SparkClassWeightsTest {
    private static final RowFormat FORMAT = SparkTrainerTest.FORMAT;
    private static final float[] W = {0.5f, 3f, 1.25f};

    /** One partition: the weighted Spark fit is Trainer's on the weighted local set, bit for bit, losses included. */
    @Test
    void onePartitionIsBitIdenticalToTrainerOnTheClassWeightedSet() {
        try (SparkData data = SparkData.from(SparkTestSupport.blobFrame(300, 4, 11, 1), FORMAT)) {
            Network spark = SparkTrainerTest.expFreeNet(5, 0), local = SparkTrainerTest.expFreeNet(5, 0),
                    plain = SparkTrainerTest.expFreeNet(5, 0);
            SparkTrainingHistory h = SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(2).batchSize(64).shuffle(9)
                    .classWeights(W).build().fit(spark, data);
            TrainingHistory t = Trainer.builder().optimizer(new Adam(0.01)).epochs(2).batchSize(64).shuffle(9).build()
                    .fit(local, data.toLocal().withClassWeights(W));
            float[][] a = SparkTrainerTest.weights(spark), b = SparkTrainerTest.weights(local);
            for (int i = 0; i < a.length; i++) assertArrayEquals(b[i], a[i], 0f, "parameter " + i);
            assertArrayEquals(t.trainLoss(), h.trainLoss(), 0.0, "the weighted training loss, as Trainer's");

            SparkTrainingHistory u = SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(2).batchSize(64).shuffle(9)
                    .build().fit(plain, data);
            assertTrue(SparkTrainerTest.maxDiff(plain, spark) > 1e-3, "the weights changed the training");
            assertTrue(Math.abs(u.trainLoss()[0] - h.trainLoss()[0]) > 1e-3, "the reported loss is the weighted one");
        }
    }

    /**
     * Three partitions, uneven shards: within SparkTrainerTest's tolerance of Trainer on the weighted set
     * (float rounding of the shard sums only), on a softmax classifier; the losses to the same rounding.
     */
    @Test
    void threePartitionsMatchTrainerOnTheClassWeightedSetWithinTolerance() {
        try (SparkData data = SparkData.from(SparkTestSupport.blobFrame(400, 4, 12, 3), FORMAT)) {
            assertEquals(3, data.partitions());
            Network spark = SparkTrainerTest.net(8), local = SparkTrainerTest.net(8);
            SparkTrainingHistory h = SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(3).batchSize(64).shuffle(21)
                    .classWeights(W).build().fit(spark, data);
            TrainingHistory t = Trainer.builder().optimizer(new Adam(0.01)).epochs(3).batchSize(64).shuffle(21).build()
                    .fit(local, data.toLocal().withClassWeights(W));
            double d = SparkTrainerTest.maxDiff(spark, local);
            System.out.println("[bpnn-spark] class-weighted, 3 partitions vs Trainer, 21 Adam steps: max |dw| = " + d);
            assertTrue(d <= SparkTrainerTest.TOLERANCE, "max |w_spark - w_local| = " + d);
            assertArrayEquals(t.trainLoss(), h.trainLoss(), 1e-6);
        }
    }

    /** One 0/1 target column (a sigmoid classifier): two classes, the label's side of 0.5. */
    @Test
    void aOneColumnBinaryTargetIsWeightedByItsLabel() {
        List<Row> rows = new ArrayList<>();
        Rng rng = new Rng(4);
        for (int i = 0; i < 200; i++) {
            float label = rng.nextInt(10) == 0 ? 1f : 0f; // about 1:9
            float[] x = {(float) SparkTestSupport.gaussian(rng) + label, (float) SparkTestSupport.gaussian(rng)};
            rows.add(RowFactory.create((long) i, x[0], x[1], label));
        }
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                .add("id", "long").add("a", "float").add("b", "float").add("y", "float");
        RowFormat format = RowFormat.featureColumns("a", "b").targetColumns("y");
        try (SparkData data = SparkData.from(SparkTestSupport.spark().createDataFrame(rows, schema)
                .repartition(1, new org.apache.spark.sql.Column("id")).sortWithinPartitions("id"), format)) {
            Dataset all = data.toLocal();
            float[] w = data.balancedClassWeights();
            assertArrayEquals(all.balancedClassWeights(), w, 0f);
            long[] counts = data.classCounts();
            assertEquals(200, counts[0] + counts[1]);
            assertTrue(w[1] > 3 * w[0], java.util.Arrays.toString(w));
            Network spark = binary(), local = binary();
            SparkTrainer.builder().optimizer(new Adam(0.05)).epochs(2).batchSize(32).shuffle(1).classWeights(w).build()
                    .fit(spark, data);
            Trainer.builder().optimizer(new Adam(0.05)).epochs(2).batchSize(32).shuffle(1).build()
                    .fit(local, all.withClassWeights(w));
            float[][] a = SparkTrainerTest.weights(spark), b = SparkTrainerTest.weights(local);
            for (int i = 0; i < a.length; i++) assertArrayEquals(b[i], a[i], 0f, "parameter " + i);
        }
    }

    private static Network binary() {
        return Network.builder(2).dense(4, Activation.relu()).dense(1, Activation.identity()).loss(Loss.mse()).seed(2).build();
    }

    /** Balanced weights over 3 partitions: the floats Dataset.balancedClassWeights gives on the collected rows. */
    @Test
    void balancedClassWeightsEqualDatasets() {
        try (SparkData data = SparkData.from(SparkTestSupport.blobFrame(301, 4, 17, 3), FORMAT)) {
            assertArrayEquals(data.toLocal().balancedClassWeights(), data.balancedClassWeights(), 0f);
            long total = 0;
            for (long c : data.classCounts()) total += c;
            assertEquals(301, total);
        }
    }

    @Test
    void badClassWeightsAreRefusedInTheBuilder() {
        SparkTrainer.Builder b = SparkTrainer.builder();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.classWeights((float[]) null)).getMessage()
                .startsWith("got null class weights; pass one weight per class"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.classWeights()).getMessage()
                .startsWith("got no class weights"));
        assertEquals("the weight of class 1 is NaN; class weights must be finite and >= 0",
                assertThrows(IllegalArgumentException.class, () -> b.classWeights(1, Float.NaN)).getMessage());
        assertEquals("the weight of class 0 is -1.0; class weights must be finite and >= 0",
                assertThrows(IllegalArgumentException.class, () -> b.classWeights(-1, 2)).getMessage());
        assertEquals("the weight of class 2 is Infinity; class weights must be finite and >= 0",
                assertThrows(IllegalArgumentException.class, () -> b.classWeights(1, 2, Float.POSITIVE_INFINITY)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.classWeights(0, 0)).getMessage()
                .startsWith("all 2 class weights are 0"));
        float[] w = {1, 2, 3};
        SparkTrainer t = SparkTrainer.builder().optimizer(new Adam(0.01)).classWeights(w).build();
        w[0] = Float.NaN; // copied: a later change of the caller's array does not reach the trainer
        assertTrue(t.toString().contains(".classWeights(1.0f, 2.0f, 3.0f)"), t.toString());
    }

    /**
     * Refused by fit before any listener: the wrong number of weights (before any Spark job), a training row
     * without a class (named by its global index), and data whose classes present all weigh 0.
     */
    @Test
    void fitRefusesWeightsThatDoNotFitTheData() {
        AtomicInteger started = new AtomicInteger();
        TrainingListener l = new TrainingListener() {
            @Override public void onTrainStart(Network n, int epochs, int train, int validation) { started.incrementAndGet(); }
        };
        try (SparkData data = SparkData.from(SparkTestSupport.blobFrame(90, 4, 3, 2), FORMAT)) {
            String m = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.builder().optimizer(new Adam(0.01))
                    .classWeights(1, 2).listener(l).build().fit(SparkTrainerTest.net(1), data)).getMessage();
            assertTrue(m.startsWith("got 2 class weights, but the training data has 3 classes (3 target columns, one per"
                    + " class)"), m);
        }
        // labels 0 and 1 only, read as 3 classes: class 2 has no rows
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) rows.add(RowFactory.create((long) i, new float[] {i, 1, 2, 3}, i % 2));
        try (SparkData data = SparkData.from(SparkTestSupport.spark().createDataFrame(rows, SparkTestSupport.blobSchema())
                .repartition(2, new org.apache.spark.sql.Column("id")).sortWithinPartitions("id"), FORMAT)) {
            String m = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.builder().optimizer(new Adam(0.01))
                    .classWeights(0, 0, 1).listener(l).build().fit(SparkTrainerTest.net(1), data)).getMessage();
            assertEquals("with class weights [0.0, 0.0, 1.0] every row of the training data has weight 0 (rows per class:"
                    + " [20, 20, 0]); give the classes present a weight above 0", m);
            m = assertThrows(IllegalArgumentException.class, data::balancedClassWeights).getMessage();
            assertTrue(m.startsWith("class 2 has no rows among the 40"), m);
        }
        // regression targets: the value 3 (id 7) is no class
        List<Row> reg = new ArrayList<>();
        for (int i = 0; i < 30; i++) reg.add(RowFactory.create((long) i, new float[] {i, 1, 2, 3}, i == 7 ? 3 : i % 2));
        RowFormat regFormat = RowFormat.featureArray("features").targetColumns("label");
        try (SparkData data = SparkData.from(SparkTestSupport.spark().createDataFrame(reg, SparkTestSupport.blobSchema())
                .repartition(2, new org.apache.spark.sql.Column("id")).sortWithinPartitions("id"), regFormat)) {
            // the row's global index is its place in the partitioned order, not its id
            float[] t = data.toLocal().targets().data();
            int bad = 0;
            while (t[bad] != 3f) bad++;
            String row = "row " + bad + ": target [3.0] has no class";
            Network r = Network.builder(4).dense(1, Activation.identity()).loss(Loss.mse()).seed(1).build();
            String m = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.builder().optimizer(new Adam(0.01))
                    .classWeights(1, 2).listener(l).build().fit(r, data)).getMessage();
            assertTrue(m.startsWith(row + ", which class weights need: one target column holds 0/1"
                    + " labels (a value in [0, 1] other than 0.5)"), m);
            m = assertThrows(IllegalArgumentException.class, data::classCounts).getMessage();
            assertTrue(m.startsWith(row), m);
        }
        assertEquals(0, started.get(), "no listener started");
    }

    /**
     * The class weights cost one (m, 1) tensor beside x and y, nothing per call beyond it: gradientOf on fresh
     * tensors (the overload without a replica's buffers, which the executors keep across steps: ShardScratchTest)
     * allocates at most 4 m bytes (plus a tensor's header) more weighted than unweighted on the same rows.
     */
    @Test
    void aWeightedShardAllocatesOnlyItsWeightsTensorMore() {
        // scalar: the Vector API allocates a box per vector until C2 compiles it, tens of MB per call at first
        Network net = Network.builder(4).dense(16, Activation.tanh()).dense(3, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(3).backend(org.bpnn.backend.scalar.ScalarBackend.INSTANCE).build();
        List<Parameter> params = net.parameters();
        int rows = 2000;
        Rng rng = new Rng(8);
        float[] x = new float[rows * 4], y = new float[rows * 3];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble();
        for (int i = 0; i < rows; i++) y[i * 3 + rng.nextInt(3)] = 1f;
        Block blk = new Block(0, rows, 4, 3, x, y);
        int[] local = new int[rows];
        for (int i = 0; i < rows; i++) local[i] = rows - 1 - i;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        // the least of several calls after warm-up, each kind: one call's count can carry a one-off (a JIT
        // deoptimisation's or a lazily made object), which made a single comparison fail now and then
        long[] plain = new long[10], weighted = new long[10];
        for (int rep = 0; rep < plain.length; rep++) { // the first ones warm up the network's workspace
            long a = mx.getThreadAllocatedBytes(tid);
            SparkTrainer.gradientOf(net, params, blk, local, rows, null, SparkTrainer.MAX_ROWS_PER_CALL);
            long b = mx.getThreadAllocatedBytes(tid);
            SparkTrainer.gradientOf(net, params, blk, local, rows, W, SparkTrainer.MAX_ROWS_PER_CALL);
            long c = mx.getThreadAllocatedBytes(tid);
            plain[rep] = b - a;
            weighted[rep] = c - b;
        }
        long extra = Arrays.stream(weighted, 3, weighted.length).min().getAsLong()
                - Arrays.stream(plain, 3, plain.length).min().getAsLong();
        assertTrue(extra <= 4L * rows + 256, "the weighted call allocated " + extra + " bytes more than the unweighted one");
    }
}
