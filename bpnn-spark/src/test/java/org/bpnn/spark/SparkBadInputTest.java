package org.bpnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Sgd;
import org.junit.jupiter.api.Test;

/** Bad rows fail with an IllegalArgumentException naming the row, not a Spark or serialisation trace. */
class SparkBadInputTest {

    static void assertNamesRow(IllegalArgumentException e, String... parts) {
        String m = e.getMessage();
        System.out.println("[bpnn-spark] " + m);
        for (String p : parts) assertTrue(m.contains(p), "message should contain '" + p + "': " + m);
        assertTrue(!m.contains("\tat ") && !m.contains("Job aborted"), "message should be the row's problem only: " + m);
    }

    /** 12 good rows over 2 partitions with row {@code bad} replaced. */
    static Dataset<Row> frame(StructType schema, int bad, Row badRow, java.util.function.IntFunction<Row> good) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 12; i++) rows.add(i == bad ? badRow : good.apply(i));
        return SparkTestSupport.spark().createDataFrame(rows, schema).coalesce(1).repartition(2, new org.apache.spark.sql.Column("id"))
                .sortWithinPartitions("id");
    }

    static Row good(int i) {
        return RowFactory.create((long) i, new float[] {i, 1, 2, 3}, i % 3);
    }

    static long globalIndexOf(Dataset<Row> df, long id) {
        List<Row> ids = df.select("id").collectAsList();
        for (int i = 0; i < ids.size(); i++) if (ids.get(i).getLong(0) == id) return i;
        throw new AssertionError("id " + id + " not found");
    }

    @Test
    void wrongFeatureCountNamesTheRow() {
        Dataset<Row> df = frame(SparkTestSupport.blobSchema(), 7, RowFactory.create(7L, new float[] {1, 2, 3}, 1), SparkBadInputTest::good);
        long at = globalIndexOf(df, 7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkData.from(df, SparkTrainerTest.FORMAT));
        assertNamesRow(e, "row " + at + ":", "has 3 values, expected 4", "[7,");
    }

    /**
     * A row of another length says where the expected length came from: the first row when training data is read,
     * the model's input size when scoring ("has 3 values, expected 4" alone left the scorer's user to guess that 4
     * was the model's width, e.g. after scoring with another model than the one trained on these rows).
     */
    @Test
    void aRowOfAnotherLengthSaysWhereTheExpectedLengthCameFrom() {
        Dataset<Row> df = frame(SparkTestSupport.blobSchema(), 5, RowFactory.create(5L, new float[] {1, 2, 3}, 1), SparkBadInputTest::good);
        Dataset<Row> scored = SparkScorer.score(df, org.bpnn.io.model.SavedModel.of(SparkTrainerTest.net(1)),
                RowFormat.featureArray("features"));
        Exception failure = null;
        try {
            scored.collectAsList();
        } catch (Exception e) {
            failure = e;
        }
        assertTrue(failure != null, "a row of 3 features scored with a 4-input model");
        assertNamesRow((IllegalArgumentException) Failures.translate("scoring", failure),
                "feature column 'features' has 3 values, expected 4, the model's input size; score with a model of this width");
        String m = refusal(() -> SparkData.from(df, SparkTrainerTest.FORMAT));
        assertTrue(m.contains("feature column 'features' has 3 values, expected 4, as in row 0;"), m);
    }

    @Test
    void anEmptyFeatureArrayInTheFirstRowIsNamedAsSuch() {
        // its length 0 became the feature count: every later row was blamed ("has 4 values, expected 0"),
        // and all-empty data was accepted and then pointed at Network.builder(0)
        Dataset<Row> df = SparkTestSupport.spark().createDataFrame(List.of(RowFactory.create(0L, new float[0], 1),
                good(1), good(2)), SparkTestSupport.blobSchema()).coalesce(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkData.from(df, SparkTrainerTest.FORMAT));
        assertEquals("row 0: array column 'features' is empty; every row needs at least one value", e.getMessage());
    }

    @Test
    void columnNamesResolveIgnoringCaseAsSparkDoes() {
        // featureArray("FEATURES") failed with "no feature column" beside a column "features"
        Dataset<Row> df = frame(SparkTestSupport.blobSchema(), -1, null, SparkBadInputTest::good);
        assertEquals(12, SparkData.from(df, RowFormat.featureArray("FEATURES").classLabel("Label", 3)).size());
        Dataset<Row> two = df.withColumn("Features2", df.col("features")).withColumnRenamed("Features2", "FEATURES");
        String m = assertThrows(IllegalArgumentException.class,
                () -> SparkData.from(two, RowFormat.featureArray("Features").classLabel("label", 3))).getMessage();
        assertTrue(m.contains("is ambiguous: the data has 'features' and 'FEATURES'; name it exactly"), m);
    }

    @Test
    void nullLabelNamesTheRow() {
        Dataset<Row> df = frame(SparkTestSupport.blobSchema(), 4, RowFactory.create(4L, new float[] {1, 2, 3, 4}, null), SparkBadInputTest::good);
        long at = globalIndexOf(df, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkTrainer.builder().optimizer(new Sgd(0.1)).build().fit(SparkTrainerTest.net(1), df, SparkTrainerTest.FORMAT));
        assertNamesRow(e, "row " + at + ":", "label column 'label' is null");
    }

    @Test
    void nonNumericLabelNamesTheRow() {
        StructType schema = new StructType()
                .add("id", DataTypes.LongType, false)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), true)
                .add("label", DataTypes.StringType, true);
        Dataset<Row> df = frame(schema, 9, RowFactory.create(9L, new float[] {1, 2, 3, 4}, "cat"),
                i -> RowFactory.create((long) i, new float[] {i, 1, 2, 3}, Integer.toString(i % 3)));
        long at = globalIndexOf(df, 9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkData.from(df, SparkTrainerTest.FORMAT));
        assertNamesRow(e, "row " + at + ":", "is not a number: \"cat\"");
    }

    @Test
    void labelOutOfRangeNamesTheRow() {
        Dataset<Row> df = frame(SparkTestSupport.blobSchema(), 2, RowFactory.create(2L, new float[] {1, 2, 3, 4}, 5), SparkBadInputTest::good);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkData.from(df, SparkTrainerTest.FORMAT));
        assertNamesRow(e, "label column 'label' is 5, expected a class index in [0, 3)");
    }

    @Test
    void sampleWithWrongTargetLengthNamesTheRow() {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 10; i++) samples.add(Sample.ofClass(new float[] {i, 1, 2, 3}, i % 3, 3));
        samples.set(7, new Sample(new float[] {7, 1, 2, 3}, new float[] {1, 0}));
        org.apache.spark.api.java.JavaRDD<Sample> rdd = org.apache.spark.api.java.JavaSparkContext
                .fromSparkContext(SparkTestSupport.spark().sparkContext()).parallelize(samples, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkData.fromSamples(rdd));
        assertNamesRow(e, "row 7:", "2 target values, expected 4 and 3", "Sample([7.0, 1.0, 2.0, 3.0] -> [1.0, 0.0])");
    }

    @Test
    void badRowWhileScoringNamesPartitionAndRow() {
        Dataset<Row> df = frame(SparkTestSupport.blobSchema(), 5, RowFactory.create(5L, null, 1), SparkBadInputTest::good);
        Dataset<Row> scored = SparkScorer.score(df, org.bpnn.io.model.SavedModel.of(SparkTrainerTest.net(1)),
                RowFormat.featureArray("features"));
        // Spark actions are not wrapped by bpnn-spark: the caller sees Spark's exception, whose cause chain holds ours
        Exception e = assertThrows(Exception.class, scored::collectAsList);
        IllegalArgumentException iae = (IllegalArgumentException) Failures.translate("scoring", e);
        assertNamesRow(iae, "of partition", "feature column 'features' is null", "[5,null,1]");
    }

    @Test
    void missingColumnAndWrongTypeFailBeforeAnyJob() {
        Dataset<Row> df = SparkTestSupport.blobFrame(10, 4, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkData.from(df, RowFormat.featureArray("pixels").classLabel("label", 3)));
        assertNamesRow(e, "no feature column 'pixels'", "[id, features, label]"); // as SparkScorer names it
        e = assertThrows(IllegalArgumentException.class,
                () -> SparkData.from(df, RowFormat.featureColumns("features").classLabel("label", 3)));
        assertNamesRow(e, "feature column 'features' has type array<float>");
        e = assertThrows(IllegalArgumentException.class,
                () -> SparkTrainer.builder().optimizer(new Sgd(0.1)).build().fit(SparkTrainerTest.net(1),
                        df, RowFormat.featureArray("features").classLabel("label", 4)));
        assertNamesRow(e, "train data has 4 target columns, but the network has 3 outputs", "classLabel(column, 3)");
    }

    /** The message of the IllegalArgumentException that {@code call} ends with (failing the test if it returns). */
    static String refusal(Runnable call) {
        try {
            call.run();
        } catch (IllegalArgumentException e) {
            System.out.println("[bpnn-spark] " + e.getMessage());
            return e.getMessage();
        }
        throw new AssertionError("expected an IllegalArgumentException");
    }

    /**
     * Every column of the format is checked against the schema before the first row is read: a misspelt label or
     * weight column waited for that row's Spark job, and on an empty frame (a filter that matched nothing) was
     * reported as "the data frame has no rows", hiding the misspelling.
     */
    @Test
    void aMissingTargetOrWeightColumnIsNamedBeforeTheFirstRowIsRead() {
        Dataset<Row> empty = SparkTestSupport.blobFrame(10, 4, 1, 1).filter("id < 0");
        String m = refusal(() -> SparkData.from(empty, RowFormat.featureArray("features").classLabel("lbl", 3)));
        assertEquals("no target column 'lbl'; the data has columns [id, features, label]", m);
        m = refusal(() -> SparkData.from(empty, SparkTrainerTest.FORMAT.sampleWeight("w")));
        assertEquals("no sample weight column 'w'; the data has columns [id, features, label]", m);
        m = refusal(() -> SparkData.from(empty, RowFormat.featureArray("features").classLabel("features", 3)));
        assertTrue(m.startsWith("target column 'features' has type array<float>; expected a numeric column"), m);
        m = refusal(() -> SparkData.from(empty, RowFormat.featureArray("features")));
        assertTrue(m.endsWith(" names no target; add .classLabel(column, classes), .targetColumns(...) or .targetArray(column)"
                + " to train"), m);
    }

    /**
     * fit(network, df, format) refuses a network of another input or output width than the format and the first
     * row give (and class weights of another count than the classes) before the job that reads every row: it read
     * and checked the whole input first, so a later bad row (here a null label, row 7) was reported instead, and a
     * classLabel with fewer classes than the network's outputs was blamed on a row's label ("is 2, expected a class
     * index in [0, 2)") rather than on the format.
     */
    @Test
    void fitFromAFrameRefusesTheNetworksWidthsBeforeReadingEveryRow() {
        Dataset<Row> df = frame(SparkTestSupport.blobSchema(), 7, RowFactory.create(7L, new float[] {7, 1, 2, 3}, null),
                SparkBadInputTest::good);
        SparkTrainer trainer = SparkTrainer.builder().optimizer(new Sgd(0.1)).build();
        Network wide = Network.builder(5).dense(3, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).build();
        String m = refusal(() -> trainer.fit(wide, df, SparkTrainerTest.FORMAT));
        assertEquals("train data has 4 features, but the network takes 5 inputs; build the network with Network.builder(4)", m);
        m = refusal(() -> trainer.fit(SparkTrainerTest.net(1), df, RowFormat.featureArray("features").classLabel("label", 2)));
        assertEquals("train data has 2 target columns, but the network has 3 outputs; use RowFormat.classLabel(column, 3) for"
                + " class labels, or change the output layer", m);
        SparkTrainer weighted = SparkTrainer.builder().optimizer(new Sgd(0.1)).classWeights(1, 2).build();
        m = refusal(() -> weighted.fit(SparkTrainerTest.net(1), df, SparkTrainerTest.FORMAT));
        assertTrue(m.startsWith("got 2 class weights, but the training data has 3 classes"), m);
    }

    /**
     * fit(network, df, format) with a null df or format says which is null and what to pass, in Trainer's
     * words ("train data is null; ..."), before the validation set is checked and before any Spark job. It
     * said "data frame and format are required, got null and RowFormat[...]" (from SparkData.from), and a
     * bad validation set given with them was reported first. SparkData.from names each on its own too.
     */
    @Test
    void aNullFrameOrFormatIsRefusedInTrainersWords() {
        SparkTrainer trainer = SparkTrainer.builder().optimizer(new Sgd(0.1)).build();
        Dataset<Row> df = SparkTestSupport.blobFrame(10, 4, 1, 1);
        RowFormat format = RowFormat.featureArray("features").classLabel("label", 3);
        org.bpnn.data.Dataset wrongWidth = org.bpnn.data.Dataset.of(new float[][] {{1, 2, 3, 4, 5}}, new float[][] {{1, 0, 0}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer.fit(SparkTrainerTest.net(1), null, format, wrongWidth));
        assertEquals("train data is null; pass the Dataset<Row> to read with the format, or a SparkData already read"
                + " (fit(network, data))", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(SparkTrainerTest.net(1), df, null, wrongWidth));
        assertEquals("row format is null; pass the RowFormat that reads the rows, e.g."
                + " RowFormat.featureArray(\"features\").classLabel(\"label\", classes)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparkData.from(null, format));
        assertEquals("data frame is null; pass the Dataset<Row> to read with the format", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparkData.from(df, null));
        assertEquals("row format is null; pass the RowFormat that reads the rows, e.g."
                + " RowFormat.featureArray(\"features\").classLabel(\"label\", classes)", e.getMessage());
    }

    /**
     * Every public entry point of bpnn-spark names a null argument on its own, in the arguments' order, with
     * what to pass (Trainer's style). SparkScorer.score said "data frame and format are required, got null
     * and RowFormat[...]" (after checking the model first), null model bytes got bpnn-io's "bytes is null",
     * and fromSamples, featureArray and listener said only "... is null".
     */
    @Test
    void everyPublicEntryPointNamesANullArgumentAndWhatToPass() throws Exception {
        Dataset<Row> df = SparkTestSupport.blobFrame(10, 4, 1, 1);
        RowFormat format = RowFormat.featureArray("features");
        org.bpnn.io.model.SavedModel model = org.bpnn.io.model.SavedModel.of(SparkTrainerTest.net(1));
        byte[] bytes = org.bpnn.io.model.ModelFile.toBytes(model);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkScorer.score(null, (org.bpnn.io.model.SavedModel) null, null));
        assertEquals("data frame is null; pass the Dataset<Row> whose rows to score", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparkScorer.score(null, bytes, format, "output", "prediction"));
        assertEquals("data frame is null; pass the Dataset<Row> whose rows to score", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparkScorer.score(df, (org.bpnn.io.model.SavedModel) null, null));
        assertEquals("model is null; load one with ModelFile.load(path)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparkScorer.score(df, (byte[]) null, null, "output", "prediction"));
        assertEquals("model bytes are null; pass the content of a model file (ModelFile.toBytes(model) or"
                + " Files.readAllBytes(path)), or a SavedModel (ModelFile.load(path))", e.getMessage());
        for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> SparkScorer.score(df, model, null),
                () -> SparkScorer.score(df, model, null, "output", "prediction"),
                () -> SparkScorer.score(df, bytes, null, "output", "prediction"))) {
            e = assertThrows(IllegalArgumentException.class, call);
            assertEquals("row format is null; pass the RowFormat that reads the features, e.g."
                    + " RowFormat.featureArray(\"features\") (a target, if it names one, is not read)", e.getMessage());
        }
        e = assertThrows(IllegalArgumentException.class, () -> SparkScorer.score(df, model, format, null, "prediction"));
        assertEquals("output column name is null; pass the name of the column to add for the outputs, e.g. \"output\""
                + " (as score(df, model, format) does)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparkScorer.score(df, bytes, format, "", "prediction"));
        assertTrue(e.getMessage().startsWith("output column name is empty; pass the name of the column"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparkData.fromSamples(null));
        assertTrue(e.getMessage().startsWith("samples is null; pass the JavaRDD<Sample> to read"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RowFormat.featureArray(null));
        assertEquals("feature column name is null; pass the column's name as the data frame's schema has it"
                + " (df.columns())", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RowFormat.featureColumns("a", null));
        assertTrue(e.getMessage().startsWith("feature column name is null; pass the column's name"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> format.classLabel(null, 3));
        assertTrue(e.getMessage().startsWith("label column name is null; pass the column's name"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.builder().listener(null));
        assertEquals("listener is null; pass a TrainingListener, e.g. new ConsoleProgressListener(System.out)", e.getMessage());
    }

    /**
     * A null network, null data or data of another width is refused in Trainer.fit's words ("network is
     * null; ...", "train data has ..."), with what to change; SparkTrainer said "network and data are
     * required, got null and ..." and "the data has ...". A null network given with a Dataset<Row> is
     * refused before the rows are read: it was refused only after the whole input had been read (here the
     * read would fail first, for its missing column).
     */
    @Test
    void aNullNetworkOrDataOrAWidthMismatchIsRefusedInTrainersWords() {
        SparkTrainer trainer = SparkTrainer.builder().optimizer(new Sgd(0.1)).build();
        Dataset<Row> df = SparkTestSupport.blobFrame(10, 4, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer.fit(null, df, RowFormat.featureArray("pixels").classLabel("label", 3)));
        assertEquals("network is null; pass the Network to train (Network.builder(...).build())", e.getMessage());
        try (SparkData data = SparkData.from(df, RowFormat.featureArray("features").classLabel("label", 3))) {
            e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(null, data));
            assertEquals("network is null; pass the Network to train (Network.builder(...).build())", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(SparkTrainerTest.net(1), (SparkData) null));
            assertTrue(e.getMessage().startsWith("train data is null; pass a SparkData (SparkData.from(df, format))"), e.getMessage());
            org.bpnn.nn.Network wide = org.bpnn.nn.Network.builder(5).dense(3, org.bpnn.nn.activation.Activation.softmax())
                    .loss(org.bpnn.loss.Loss.categoricalCrossEntropy()).seed(1).build();
            e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(wide, data));
            assertEquals("train data has 4 features, but the network takes 5 inputs; build the network with"
                    + " Network.builder(4)", e.getMessage());
        }
    }

    /**
     * A finite feature that the model's normaliser overflows is a bad row like any other: named by
     * partition and row. The scorer normalises 256 rows at a time, and the normaliser's own message
     * named the row's place in that chunk ("normalising row 44"), not in the data.
     */
    @Test
    void aFeatureTheNormaliserOverflowsNamesTheRowWhileScoring() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 600; i++) rows.add(good(i));
        rows.set(300, RowFactory.create(300L, new float[] {3e38f, 1, 2, 3}, 0));
        Dataset<Row> df = SparkTestSupport.spark().createDataFrame(rows, SparkTestSupport.blobSchema()).coalesce(1);
        org.bpnn.data.Normaliser norm = org.bpnn.data.Normaliser.of(org.bpnn.data.Normaliser.Kind.STANDARDISE,
                new float[] {-1e38f, 0, 0, 0}, new float[] {1, 1, 1, 1});
        Dataset<Row> scored = SparkScorer.score(df, new org.bpnn.io.model.SavedModel(SparkTrainerTest.net(1), norm, null),
                RowFormat.featureArray("features"));
        Exception e = assertThrows(Exception.class, scored::collectAsList);
        IllegalArgumentException iae = (IllegalArgumentException) Failures.translate("scoring", e);
        assertNamesRow(iae, "row 300 of partition 0", "feature 0", "3.0E38", "[300,");
    }

    /**
     * The same for the target normaliser's inverse of the outputs: its message named the row's place
     * in the chunk of 256 ("undoing the normalisation of row 44"), not in the data.
     */
    @Test
    void anOutputTheTargetNormaliserOverflowsNamesTheRowWhileScoring() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 600; i++) rows.add(RowFactory.create((long) i, new float[] {i % 3, 1, 2, 3}, 0));
        rows.set(300, RowFactory.create(300L, new float[] {1e7f, 1e7f, 1e7f, 1e7f}, 0));
        Dataset<Row> df = SparkTestSupport.spark().createDataFrame(rows, SparkTestSupport.blobSchema()).coalesce(1);
        // outputs below 300 stay finite at scale 1e36; row 300's, of 1e6 and more, do not
        org.bpnn.data.Normaliser target = org.bpnn.data.Normaliser.of(org.bpnn.data.Normaliser.Kind.STANDARDISE,
                new float[] {0, 0, 0}, new float[] {1e36f, 1e36f, 1e36f});
        Dataset<Row> scored = SparkScorer.score(df, new org.bpnn.io.model.SavedModel(SparkTrainerTest.expFreeNet(1, 0), null,
                null, target), RowFormat.featureArray("features"));
        Exception e = assertThrows(Exception.class, scored::collectAsList);
        IllegalArgumentException iae = (IllegalArgumentException) Failures.translate("scoring", e);
        assertNamesRow(iae, "row 300 of partition 0", "target normaliser", "[300,");
    }

    /**
     * Finite but huge features can overflow inside the network; such a row is refused, named, instead
     * of scored as NaN or infinite outputs (with a "prediction" that looks like a result).
     */
    @Test
    void aNonFiniteOutputFromFiniteFeaturesNamesTheRowWhileScoring() {
        Dataset<Row> df = frame(SparkTestSupport.blobSchema(), 9, RowFactory.create(9L, new float[] {3e38f, -3e38f, 3e38f, -3e38f}, 0),
                SparkBadInputTest::good);
        Dataset<Row> scored = SparkScorer.score(df, org.bpnn.io.model.SavedModel.of(SparkTrainerTest.expFreeNet(1, 0)),
                RowFormat.featureArray("features"));
        Exception e = assertThrows(Exception.class, scored::collectAsList);
        IllegalArgumentException iae = (IllegalArgumentException) Failures.translate("scoring", e);
        assertNamesRow(iae, "of partition", "output", "[9,");
    }

    /**
     * A label is checked as given, not after rounding to float: 0.9999999999 (a double) and
     * "2.00000001" rounded to 1.0f and 2.0f and were taken for classes 1 and 2.
     */
    @Test
    void aLabelThatIsNotAnIntegerBeforeRoundingToFloatIsRefused() {
        StructType schema = new StructType().add("id", DataTypes.LongType, false)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), true)
                .add("label", DataTypes.DoubleType, true);
        Dataset<Row> df = frame(schema, 4, RowFactory.create(4L, new float[] {4, 1, 2, 3}, 0.9999999999),
                i -> RowFactory.create((long) i, new float[] {i, 1, 2, 3}, (double) (i % 3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkData.from(df, RowFormat.featureArray("features").classLabel("label", 3)));
        assertNamesRow(e, "row " + globalIndexOf(df, 4) + ":", "label column 'label' is 0.9999999999, expected a class index");
        StructType strings = new StructType().add("id", DataTypes.LongType, false)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), true)
                .add("label", DataTypes.StringType, true);
        Dataset<Row> sf = frame(strings, 7, RowFactory.create(7L, new float[] {7, 1, 2, 3}, "2.00000001"),
                i -> RowFactory.create((long) i, new float[] {i, 1, 2, 3}, String.valueOf(i % 3)));
        e = assertThrows(IllegalArgumentException.class, () -> SparkData.from(sf, RowFormat.featureArray("features").classLabel("label", 3)));
        assertNamesRow(e, "row " + globalIndexOf(sf, 7) + ":", "label column 'label' is 2.00000001, expected a class index");
    }

    @Test
    void aColumnThatIsBothAFeatureAndTheTargetIsRefused() {
        // the network would be handed the answer: a loss near 0 in training, a useless model in use
        Dataset<Row> df = SparkTestSupport.blobFrame(12, 4, 5, 2).selectExpr("id", "features[0] AS a", "features[1] AS b",
                "CAST(label AS DOUBLE) AS label");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkData.from(df, RowFormat.featureColumns("a", "b", "label").targetColumns("label")));
        assertTrue(e.getMessage().contains("column 'label' is both a feature and the target"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SparkData.from(df, RowFormat.featureColumns("a", "LABEL").classLabel("label", 3)));
        assertTrue(e.getMessage().contains("is both a feature and the target"), e.getMessage());
        assertEquals(12, SparkData.from(df, RowFormat.featureColumns("a", "b").targetColumns("label")).size());
    }

    /**
     * A column whose name holds a dot or a backtick (a flattened struct, a CSV header "f.x") is found
     * by its name like any other: the scorer read such columns, but SparkData.from looked the array
     * column up again with df.select(name), which Spark parses as SQL ("f.x": field x of a struct f),
     * and failed inside Spark's analyser.
     */
    @Test
    void arrayColumnsWhoseNamesHoldDotsOrBackticksAreRead() {
        StructType schema = new StructType()
                .add("f.x", DataTypes.createArrayType(DataTypes.FloatType, false), true)
                .add("t`y", DataTypes.createArrayType(DataTypes.DoubleType, false), true);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) rows.add(RowFactory.create(new float[] {i, 1, 2}, new double[] {0.5 * i}));
        Dataset<Row> df = SparkTestSupport.spark().createDataFrame(rows, schema).coalesce(1);
        try (SparkData data = SparkData.from(df, RowFormat.featureArray("f.x").targetArray("t`y"))) {
            assertEquals(6, data.size());
            assertEquals(3, data.featureCount());
            assertEquals(1, data.targetCount());
            assertEquals(2.5f, data.toLocal().targets().data()[5]);
        }
    }

    /**
     * Two columns of the same name (a join of two frames that both have "label") are ambiguous, as
     * Spark itself says for df.select("label"): reading the first one silently trained on a label
     * column that may be the other side's.
     */
    @Test
    void aColumnNameThatTheDataHoldsTwiceIsRefusedAsAmbiguous() {
        StructType schema = new StructType().add("x", DataTypes.FloatType)
                .add("label", DataTypes.IntegerType).add("label", DataTypes.IntegerType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) rows.add(RowFactory.create((float) i, i % 3, (i + 1) % 3));
        Dataset<Row> df = SparkTestSupport.spark().createDataFrame(rows, schema).coalesce(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkData.from(df, RowFormat.featureColumns("x").classLabel("label", 3)));
        assertNamesRow(e, "target column 'label' is ambiguous", "2 columns named 'label'", "[x, label, label]");
        e = assertThrows(IllegalArgumentException.class, () -> SparkScorer.score(df.withColumnRenamed("x", "label"),
                org.bpnn.io.model.SavedModel.of(SparkTrainerTest.net(1)), RowFormat.featureColumns("label", "label", "label", "label")));
        assertNamesRow(e, "feature column 'label' is ambiguous", "3 columns named 'label'");
    }

    /**
     * A one-output binary classifier (sigmoid and binary cross-entropy) trained on classLabel(label, 2)
     * data: the mismatch message advised RowFormat.classLabel(column, 1), which RowFormat refuses
     * (classes must be >= 2). The 0/1 label goes in as the single target column instead.
     */
    @Test
    void aOneOutputNetworkOnClassLabelsIsToldToReadTheLabelAsATargetColumn() {
        StructType schema = new StructType().add("id", DataTypes.LongType, false)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), true).add("label", DataTypes.IntegerType, true);
        Dataset<Row> df = frame(schema, -1, null, i -> RowFactory.create((long) i, new float[] {i, 1, 2, 3}, i % 2));
        org.bpnn.nn.Network net = org.bpnn.nn.Network.builder(4).dense(1, org.bpnn.nn.activation.Activation.sigmoid())
                .loss(org.bpnn.loss.Loss.binaryCrossEntropy()).seed(1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.builder()
                .optimizer(new Sgd(0.1)).build().fit(net, df, RowFormat.featureArray("features").classLabel("label", 2)));
        assertNamesRow(e, "train data has 2 target columns", "network has 1 output;", "targetColumns(");
        assertTrue(!e.getMessage().contains("classLabel(column, 1)"), "advice that RowFormat refuses: " + e.getMessage());
        // the advice works
        try (SparkData data = SparkData.from(df, RowFormat.featureArray("features").targetColumns("label"))) {
            assertEquals(12, SparkTrainer.builder().optimizer(new Sgd(0.1)).epochs(1).batchSize(4).build().fit(net, data).samples());
        }
    }

    /**
     * The same for labels with more digits than a double holds: a decimal(38, 20) label
     * 0.99999999999999999999 and a string "2.0000000000000000001" are 1.0 and 2.0 as doubles, and
     * were taken for classes 1 and 2.
     */
    @Test
    void aDecimalOrStringLabelThatIsNotAnIntegerBeforeRoundingToDoubleIsRefused() {
        org.apache.spark.sql.types.DecimalType dec = DataTypes.createDecimalType(38, 20);
        StructType schema = new StructType().add("id", DataTypes.LongType, false)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), true).add("label", dec, true);
        Dataset<Row> df = frame(schema, 4, RowFactory.create(4L, new float[] {4, 1, 2, 3}, new java.math.BigDecimal("0.99999999999999999999")),
                i -> RowFactory.create((long) i, new float[] {i, 1, 2, 3}, new java.math.BigDecimal(i % 3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkData.from(df, RowFormat.featureArray("features").classLabel("label", 3)));
        assertNamesRow(e, "row " + globalIndexOf(df, 4) + ":", "label column 'label' is 0.99999999999999999999, expected a class index");
        StructType strings = new StructType().add("id", DataTypes.LongType, false)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), true)
                .add("label", DataTypes.StringType, true);
        Dataset<Row> sf = frame(strings, 7, RowFactory.create(7L, new float[] {7, 1, 2, 3}, "2.0000000000000000001"),
                i -> RowFactory.create((long) i, new float[] {i, 1, 2, 3}, i % 3 + (i % 2 == 0 ? ".0" : "")));
        e = assertThrows(IllegalArgumentException.class, () -> SparkData.from(sf, RowFormat.featureArray("features").classLabel("label", 3)));
        assertNamesRow(e, "row " + globalIndexOf(sf, 7) + ":", "label column 'label' is 2.0000000000000000001, expected a class index");
        // integral decimals and strings ("2", "2.0", " 1 ") are classes
        try (SparkData data = SparkData.from(sf.filter("id <> 7"), RowFormat.featureArray("features").classLabel("label", 3));
             SparkData decimals = SparkData.from(df.filter("id <> 4"), RowFormat.featureArray("features").classLabel("label", 3))) {
            assertEquals(11, data.size());
            assertEquals(11, decimals.size());
        }
    }

    /** As Trainer.Builder: the same listener object twice would hear every callback twice. */
    @Test
    void theSameListenerTwiceIsRefusedAsTrainerRefusesIt() {
        org.bpnn.train.TrainingListener l = new org.bpnn.train.TrainingListener() {
            @Override
            public String toString() {
                return "myListener";
            }
        };
        SparkTrainer.Builder b = SparkTrainer.builder().optimizer(new Sgd(0.1)).listener(l);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.listener(l));
        assertEquals("listener myListener was already added (listener 1 of 1); added again it would get every callback"
                + " twice. Add it once, or pass a second instance if two are meant", e.getMessage());
        // two instances are two listeners
        b.listener(new org.bpnn.train.TrainingListener() { });
    }
}
