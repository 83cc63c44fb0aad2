package org.bpnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.bpnn.nn.Network;
import org.bpnn.optim.Adam;
import org.bpnn.train.Trainer;
import org.bpnn.train.TrainingHistory;
import org.junit.jupiter.api.Test;

/**
 * Per-row sample weights read from a column (RowFormat.sampleWeight): a Spark fit descends Trainer's weighted
 * cost on {@code toLocal()}, which keeps the weights; combined with class weights, the product
 * Dataset.withClassWeights forms; every bad weight cell is refused with its row named.
 */
class SparkSampleWeightsTest {
    private static final RowFormat FORMAT = SparkTrainerTest.FORMAT.sampleWeight("w");

    /** The blobs of SparkTestSupport with a column w (double) of weight(i) for the row of id i. */
    static Dataset<Row> weightedFrame(int n, long seed, int partitions, IntFunction<Object> weight) {
        List<Row> rows = new ArrayList<>();
        for (Row r : SparkTestSupport.blobs(n, 4, seed)) {
            rows.add(RowFactory.create(r.get(0), r.get(1), r.get(2), weight.apply((int) r.getLong(0))));
        }
        StructType schema = SparkTestSupport.blobSchema().add("w", weight.apply(0) instanceof String ? DataTypes.StringType
                : DataTypes.DoubleType, true);
        return SparkTestSupport.spark().createDataFrame(rows, schema).repartition(partitions, new Column("id"))
                .sortWithinPartitions("id");
    }

    private static Object w(int i) {
        return i % 5 == 0 ? 4.0 : i % 7 == 0 ? 0.0 : 0.75;
    }

    /**
     * One partition: bit-identical to Trainer on toLocal() (which carries the column's weights), weights and
     * reported losses; with class weights too, to Trainer on toLocal().withClassWeights(w).
     */
    @Test
    void onePartitionIsBitIdenticalToTrainerOnTheWeightedSet() {
        try (SparkData data = SparkData.from(weightedFrame(300, 11, 1, SparkSampleWeightsTest::w), FORMAT)) {
            assertTrue(data.isWeighted());
            assertTrue(data.toString().contains("sample-weighted"), data.toString());
            org.bpnn.data.Dataset local = data.toLocal();
            assertTrue(local.isWeighted());
            float[] lw = local.sampleWeights().data();
            for (int i = 0; i < lw.length; i++) assertTrue(lw[i] == 4f || lw[i] == 0f || lw[i] == 0.75f, "row " + i + ": " + lw[i]);

            Network spark = assertFitIsTrainers(data, local, null, "");

            float[] cw = {0.5f, 3f, 1.25f};
            Network both = assertFitIsTrainers(data, local.withClassWeights(cw), cw, " (with class weights)");
            assertTrue(SparkTrainerTest.maxDiff(both, spark) > 1e-3, "the class weights changed the training");
        }
    }

    /**
     * Fits expFreeNet(5, 0) by SparkTrainer on {@code data} (with {@code classWeights} unless null) and by Trainer on
     * {@code local} (Adam 0.01, 2 epochs, batches of 64, shuffle 9 for both), asserts the same weight bits and reported
     * losses, and returns the Spark-trained network. {@code what} ends the parameters' assertion messages.
     */
    private static Network assertFitIsTrainers(SparkData data, org.bpnn.data.Dataset local, float[] classWeights, String what) {
        Network spark = SparkTrainerTest.expFreeNet(5, 0), ref = SparkTrainerTest.expFreeNet(5, 0);
        SparkTrainer.Builder sb = SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(2).batchSize(64).shuffle(9);
        if (classWeights != null) sb.classWeights(classWeights);
        SparkTrainingHistory h = sb.build().fit(spark, data);
        TrainingHistory t = Trainer.builder().optimizer(new Adam(0.01)).epochs(2).batchSize(64).shuffle(9).build()
                .fit(ref, local);
        float[][] a = SparkTrainerTest.weights(spark), b = SparkTrainerTest.weights(ref);
        for (int i = 0; i < a.length; i++) assertArrayEquals(b[i], a[i], 0f, "parameter " + i + what);
        assertArrayEquals(t.trainLoss(), h.trainLoss(), 0.0);
        return spark;
    }

    /** The blobs as weighted samples (weight w(i) for row i), in one partition, in the blobs' order. */
    private static List<Sample> weightedSamples(int n, long seed, IntFunction<Object> weight) {
        List<Sample> samples = new ArrayList<>();
        for (Row r : SparkTestSupport.blobs(n, 4, seed)) {
            int i = (int) r.getLong(0);
            samples.add(Sample.ofClass((float[]) r.get(1), r.getInt(2), 3).withWeight(((Number) weight.apply(i)).floatValue()));
        }
        return samples;
    }

    private static org.apache.spark.api.java.JavaRDD<Sample> rdd(List<Sample> samples, int partitions) {
        return org.apache.spark.api.java.JavaSparkContext.fromSparkContext(SparkTestSupport.spark().sparkContext())
                .parallelize(samples, partitions);
    }

    /**
     * Weighted samples (SparkData.fromWeightedSamples), one partition: bit-identical to Trainer on the same rows as a
     * local Dataset.withSampleWeights set, weights and reported losses; toLocal() keeps the weights.
     */
    @Test
    void weightedSamplesInOnePartitionAreBitIdenticalToTrainerOnWithSampleWeights() {
        List<Sample> samples = weightedSamples(300, 11, SparkSampleWeightsTest::w);
        float[][] x = new float[samples.size()][], y = new float[samples.size()][];
        float[] sw = new float[samples.size()];
        for (int i = 0; i < sw.length; i++) {
            x[i] = samples.get(i).features();
            y[i] = samples.get(i).target();
            sw[i] = samples.get(i).weight();
        }
        org.bpnn.data.Dataset local = org.bpnn.data.Dataset.of(x, y).withSampleWeights(sw);
        try (SparkData data = SparkData.fromWeightedSamples(rdd(samples, 1))) {
            assertTrue(data.isWeighted());
            assertArrayEquals(sw, data.toLocal().sampleWeights().data(), 0f);
            Network spark = assertFitIsTrainers(data, local, null, "");
            Network plain = SparkTrainerTest.expFreeNet(5, 0);
            Trainer.builder().optimizer(new Adam(0.01)).epochs(2).batchSize(64).shuffle(9).build()
                    .fit(plain, local.withoutSampleWeights());
            assertTrue(SparkTrainerTest.maxDiff(plain, spark) > 1e-3, "the weights changed the training");
        }
    }

    /**
     * fromWeightedSamples refuses what Dataset.withSampleWeights refuses, in its words, the row named as a bad
     * feature's is; fromSamples refuses a weighted sample rather than train on it as 1, and reads weight-1 samples
     * unweighted.
     */
    @Test
    void badSampleWeightsAreRefusedWithTheirRowNamed() {
        // started here, outside the assertThrows below, so that only SparkData's exceptions can satisfy them
        SparkTestSupport.spark();
        for (float bad : new float[] {-0.5f, Float.NaN, Float.POSITIVE_INFINITY}) {
            List<Sample> samples = weightedSamples(40, 3, i -> 1.0);
            samples.set(13, samples.get(13).withWeight(bad));
            String m = assertThrows(IllegalArgumentException.class, () -> SparkData.fromWeightedSamples(rdd(samples, 2)))
                    .getMessage();
            assertTrue(m.startsWith("row 13: sample weight is " + bad + "; sample weights must be finite and >= 0 (0 leaves"
                    + " the row out of the cost, 2 counts it twice); the row is Sample("), m);
            assertTrue(m.endsWith(", weight " + bad + ")"), m);
        }
        String m = assertThrows(IllegalArgumentException.class,
                () -> SparkData.fromWeightedSamples(rdd(weightedSamples(40, 3, i -> 0.0), 2))).getMessage();
        assertEquals("every row's sample weight is 0 (the samples RDD read by fromWeightedSamples, 40 rows), so training"
                + " would change nothing and the weighted loss would be 0; give the rows that should count a weight above 0"
                + " (1 is unweighted)", m);
        List<Sample> samples = weightedSamples(40, 3, i -> 1.0);
        samples.set(13, samples.get(13).withWeight(2f));
        m = assertThrows(IllegalArgumentException.class, () -> SparkData.fromSamples(rdd(samples, 2))).getMessage();
        assertTrue(m.startsWith("row 13: sample has weight 2.0, which fromSamples would ignore (it reads unweighted rows);"
                + " read weighted samples with SparkData.fromWeightedSamples"), m);
        try (SparkData ones = SparkData.fromSamples(rdd(weightedSamples(40, 3, i -> 1.0), 2))) {
            assertFalse(ones.isWeighted());
        }
        m = assertThrows(IllegalArgumentException.class, () -> SparkData.fromWeightedSamples(null)).getMessage();
        assertTrue(m.startsWith("samples is null; pass the JavaRDD<Sample> to read, e.g. jsc.parallelize(list) of"
                + " Sample.ofClass(features, label, classes).withWeight(w)"), m);
    }

    /** Three partitions: within SparkTrainerTest's tolerance of Trainer on toLocal(). */
    @Test
    void threePartitionsMatchTrainerWithinTolerance() {
        try (SparkData data = SparkData.from(weightedFrame(400, 12, 3, SparkSampleWeightsTest::w), FORMAT)) {
            assertEquals(3, data.partitions());
            Network spark = SparkTrainerTest.net(8), local = SparkTrainerTest.net(8), plain = SparkTrainerTest.net(8);
            SparkTrainingHistory h = SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(3).batchSize(64).shuffle(21).build()
                    .fit(spark, data);
            TrainingHistory t = Trainer.builder().optimizer(new Adam(0.01)).epochs(3).batchSize(64).shuffle(21).build()
                    .fit(local, data.toLocal());
            double d = SparkTrainerTest.maxDiff(spark, local);
            System.out.println("[bpnn-spark] sample-weighted, 3 partitions vs Trainer, 21 Adam steps: max |dw| = " + d);
            assertTrue(d <= SparkTrainerTest.TOLERANCE, "max |w_spark - w_local| = " + d);
            assertArrayEquals(t.trainLoss(), h.trainLoss(), 1e-6);
            Trainer.builder().optimizer(new Adam(0.01)).epochs(3).batchSize(64).shuffle(21).build()
                    .fit(plain, data.toLocal().withoutSampleWeights());
            assertTrue(SparkTrainerTest.maxDiff(plain, spark) > 1e-3, "the weights changed the training");
        }
    }

    private static String readError(IntFunction<Object> weight, RowFormat format) {
        return assertThrows(IllegalArgumentException.class, () -> SparkData.from(weightedFrame(40, 3, 2, weight), format))
                .getMessage();
    }

    /** The global index of the row of id {@code id} in weightedFrame's order (partitioned by id, not sorted). */
    private static long globalRow(int id) {
        List<Row> rows = weightedFrame(40, 3, 2, i -> 1.0).select("id").collectAsList();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).getLong(0) == id) return i;
        }
        throw new AssertionError("no row " + id);
    }

    @Test
    void badWeightCellsAreRefusedWithTheirRowNamed() {
        long row = globalRow(13);
        String m = readError(i -> i == 13 ? -0.5 : 1.0, FORMAT);
        assertTrue(m.startsWith("row " + row + ": sample weight column 'w' is -0.5; sample weights must be finite and >= 0"), m);
        m = readError(i -> i == 13 ? Double.NaN : 1.0, FORMAT);
        assertTrue(m.startsWith("row " + row + ": sample weight column 'w' is NaN, which is not a finite float"), m);
        m = readError(i -> i == 13 ? 1e300 : 1.0, FORMAT);
        assertTrue(m.startsWith("row " + row + ": sample weight column 'w' is 1.0E300, which is not a finite float"), m);
        m = readError(i -> i == 13 ? null : 1.0, FORMAT);
        assertTrue(m.startsWith("row " + row + ": sample weight column 'w' is null"), m);
        m = readError(i -> i == 13 ? "heavy" : "2", FORMAT);
        assertTrue(m.startsWith("row " + row + ": sample weight column 'w' is not a number: \"heavy\""), m);
        m = readError(i -> 0.0, FORMAT);
        assertTrue(m.startsWith("every row's sample weight is 0 (RowFormat.featureArray(\"features\").classLabel(\"label\", 3)"
                + ".sampleWeight(\"w\"), 40 rows)"), m);
        m = readError(i -> 1.0, SparkTrainerTest.FORMAT.sampleWeight("weight"));
        assertTrue(m.startsWith("no sample weight column 'weight'; the data has columns [id, features, label, w]"), m);
        m = readError(i -> 1.0, SparkTrainerTest.FORMAT.sampleWeight("label"));
        assertTrue(m.endsWith("column 'label' is both the sample weight and a target; name the weight's own column"), m);
        m = assertThrows(IllegalArgumentException.class, () -> SparkTrainerTest.FORMAT.sampleWeight(null)).getMessage();
        assertTrue(m.startsWith("sample weight column name is null"), m);
    }

    /** A sample weight times a class weight that overflows float is refused before any listener, as Dataset refuses it. */
    @Test
    void aSampleTimesClassWeightThatOverflowsIsRefused() {
        try (SparkData data = SparkData.from(weightedFrame(60, 3, 2, i -> i == 5 ? 3e38 : 1.0), FORMAT)) {
            org.bpnn.data.Dataset local = data.toLocal();
            int cls = org.bpnn.metrics.Metrics.targetClasses(local.targets())[(int) globalRowIn(data, 3e38f)];
            float[] cw = {1, 1, 1};
            cw[cls] = 10;
            String m = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.builder().optimizer(new Adam(0.01))
                    .classWeights(cw).build().fit(SparkTrainerTest.net(1), data)).getMessage();
            assertEquals("a row of class " + cls + " has sample weight 3.0E38, which times the class's weight 10.0 overflows"
                    + " float; scale the weights down", m);
            assertThrows(IllegalArgumentException.class, () -> local.withClassWeights(cw), "Dataset refuses it too");
        }
    }

    private static long globalRowIn(SparkData data, float weight) {
        float[] w = data.toLocal().sampleWeights().data();
        for (int i = 0; i < w.length; i++) {
            if (w[i] == weight) return i;
        }
        throw new AssertionError();
    }

    /** Scoring reads no weight, as it reads no target: a frame without the column scores. */
    @Test
    void scoringIgnoresTheWeightColumn() {
        Network net = SparkTrainerTest.net(2);
        Dataset<Row> df = SparkTestSupport.blobFrame(20, 4, 5, 2);
        assertFalse(List.of(df.columns()).contains("w"));
        assertEquals(20, SparkScorer.score(df, org.bpnn.io.model.SavedModel.of(net), FORMAT).count());
        assertEquals("RowFormat.featureArray(\"features\").classLabel(\"label\", 3).sampleWeight(\"w\")", FORMAT.toString());
        assertEquals(FORMAT.toString(), RowFormat.featureArray("features").sampleWeight("w").classLabel("label", 3).toString(),
                "a target set after the weight keeps it");
    }
}
