package org.bpnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.bpnn.metrics.Metrics;
import org.bpnn.nn.Network;
import org.bpnn.optim.Adam;
import org.bpnn.tensor.Tensor;
import org.bpnn.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkScorerTest {

    /** Accuracy of the rows' "prediction" against their "label". */
    static double accuracy(Dataset<Row> scored) {
        List<Row> rows = scored.select("label", "prediction").collectAsList();
        long right = rows.stream().filter(r -> r.getInt(0) == r.getInt(1)).count();
        return (double) right / rows.size();
    }

    @Test
    void sparkTrainedClassifierScoresAsWellAsALocalOne(@TempDir Path dir) throws Exception {
        Dataset<Row> train = SparkTestSupport.blobFrame(900, 4, 31, 2);
        Dataset<Row> test = SparkTestSupport.blobFrame(300, 4, 32, 2);
        RowFormat format = SparkTrainerTest.FORMAT;
        Network spark = SparkTrainerTest.net(17), local = SparkTrainerTest.net(17);
        SparkTrainingHistory h;
        org.bpnn.data.Dataset localTrain, localTest;
        try (SparkData data = SparkData.from(train, format); SparkData testData = SparkData.from(test, format)) {
            h = SparkTrainer.builder().optimizer(new Adam(0.01)).epochs(4).batchSize(64).shuffle(3).build().fit(spark, data);
            localTrain = data.toLocal();
            localTest = testData.toLocal();
        }
        Trainer.builder().optimizer(new Adam(0.01)).epochs(4).batchSize(64).shuffle(3).build().fit(local, localTrain);
        assertEquals(4, h.epochs().size());
        assertTrue(h.trainLoss()[3] < h.trainLoss()[0], "loss should fall: " + java.util.Arrays.toString(h.trainLoss()));

        // the Spark-trained network is a normal bpnn network: save, load, score on Spark
        Path file = dir.resolve("blobs.bpnn");
        ModelFile.save(spark, file);
        SavedModel loaded = ModelFile.load(file);
        Dataset<Row> scored = SparkScorer.score(test, loaded, RowFormat.featureArray("features"));
        double sparkAcc = accuracy(scored);
        double localAcc = Metrics.accuracy(local.predict(localTest.features()), localTest.targets());
        System.out.println("[bpnn-spark] blobs test accuracy: spark " + sparkAcc + ", local " + localAcc);
        assertTrue(sparkAcc > 0.7, "spark-trained accuracy " + sparkAcc);
        assertEquals(localAcc, sparkAcc, 0.02, "spark vs local accuracy");

        // the loaded model is the driver's network bit for bit, and predicts as it does, bit for bit (the
        // simd kernels give the same bits before and after the JIT compiles them; RELIABILITY.md)
        for (int i = 0; i < spark.parameters().size(); i++) {
            assertArrayEquals(spark.parameters().get(i).value().data(),
                    loaded.network().parameters().get(i).value().data(), 0f, "parameter " + i);
        }
        assertArrayEquals(spark.predict(localTest.features()).data(), loaded.predict(localTest.features()).data(), 0f);
        // and the scorer's outputs are those predictions; bpnn's kernels depend on the batch's row count, and
        // the scorer batches rows per partition, so the last bits may differ: measured <= 1 ulp (6e-8 at 1.0)
        List<Row> rows = scored.select("features", "output").orderBy("id").collectAsList();
        for (Row r : rows) {
            float[] x = floats(r.getList(0)), o = floats(r.getList(1));
            assertArrayEquals(spark.predict(x), o, 1e-6f);
        }
    }

    static float[] floats(List<Float> xs) {
        float[] x = new float[xs.size()];
        for (int j = 0; j < x.length; j++) x[j] = xs.get(j);
        return x;
    }

    @Test
    void scoresNamedColumnsAndKeepsTheInputColumns() throws Exception {
        Network net = SparkTrainerTest.net(2);
        Dataset<Row> df = SparkTestSupport.blobFrame(20, 4, 5, 2)
                .selectExpr("id", "features[0] AS a", "features[1] AS b", "CAST(features[2] AS double) AS c",
                        "CAST(features[3] AS string) AS d");
        Dataset<Row> scored = SparkScorer.score(df, ModelFile.toBytes(SavedModel.of(net)),
                RowFormat.featureColumns("a", "b", "c", "d"), "probabilities", null);
        assertEquals(List.of("id", "a", "b", "c", "d", "probabilities"), List.of(scored.columns()));
        Row r = scored.orderBy("id").first();
        float[] x = {((Number) r.get(1)).floatValue(), ((Number) r.get(2)).floatValue(), (float) r.getDouble(3),
                Float.parseFloat(r.getString(4))};
        List<Float> os = r.getList(5);
        float[] expected = net.predict(Tensor.wrap(1, 4, x)).data();
        assertArrayEquals(expected, floats(os), 1e-6f);
    }

    /**
     * A model saved with feature names refuses a format whose named feature columns are in another
     * order (or are other columns): the columns were fed in the format's order, silently.
     */
    @Test
    void aModelWithFeatureNamesRefusesFeatureColumnsInAnotherOrder() throws Exception {
        Network net = SparkTrainerTest.net(2);
        Dataset<Row> df = SparkTestSupport.blobFrame(20, 4, 5, 2)
                .selectExpr("id", "features[0] AS a", "features[1] AS b", "features[2] AS c", "features[3] AS d");
        SavedModel named = SavedModel.of(net).withFeatureNames(List.of("a", "b", "c", "d"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SparkScorer.score(df, named, RowFormat.featureColumns("b", "a", "c", "d")));
        assertEquals("the format takes the feature columns [b, a, c, d], but the model was trained on [a, b, c, d] in that"
                + " order; use RowFormat.featureColumns(model.featureNames().toArray(String[]::new))", e.getMessage());
        Dataset<Row> scored = SparkScorer.score(df, named, RowFormat.featureColumns(named.featureNames().toArray(String[]::new)));
        assertEquals(20, scored.count());
    }

    @Test
    void outputColumnsThatClashIgnoringCaseAreRefused() throws Exception {
        // Spark resolves names ignoring case: "x" twice, or "output" beside "OUTPUT", made every select ambiguous
        Network net = SparkTrainerTest.net(2);
        Dataset<Row> df = SparkTestSupport.blobFrame(20, 4, 5, 2);
        SavedModel m = SavedModel.of(net);
        String e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SparkScorer.score(df, m, RowFormat.featureArray("features"), "x", "X")).getMessage();
        assertEquals("the output and prediction columns are both named 'x' (Spark compares names ignoring case); "
                + "pass two different names", e);
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SparkScorer.score(
                df.withColumn("OUTPUT", org.apache.spark.sql.functions.lit(1)), m, RowFormat.featureArray("features"))).getMessage();
        assertEquals("the data already has a column 'OUTPUT' (Spark compares names ignoring case, so 'output' would clash); "
                + "pass another output or prediction column name", e);
    }

    /**
     * The prediction column is {@link Network#predictClasses}: for a one-output (two-class) model a
     * threshold, not the argmax of one column, which was 0 for every row.
     */
    @Test
    void aOneOutputModelPredictsBothClassesAsPredictClassesDoes() {
        Dataset<Row> df = SparkTestSupport.blobFrame(60, 4, 7, 2);
        List<Row> rows = df.orderBy("id").collectAsList();
        Tensor x = features(rows);
        for (org.bpnn.loss.Loss loss : new org.bpnn.loss.Loss[] {org.bpnn.loss.Loss.binaryCrossEntropy(),
                org.bpnn.loss.Loss.binaryCrossEntropyFromLogits()}) {
            boolean logits = loss.name().endsWith("logits");
            Network net = Network.builder(4).dense(1, logits ? org.bpnn.nn.activation.Activation.identity()
                    : org.bpnn.nn.activation.Activation.sigmoid()).loss(loss).seed(1).build();
            int[] expected = net.predictClasses(x);
            List<Row> scored = SparkScorer.score(df, SavedModel.of(net), RowFormat.featureArray("features"))
                    .orderBy("id").select("prediction").collectAsList();
            int[] got = scored.stream().mapToInt(r -> r.getInt(0)).toArray();
            assertTrue(java.util.Arrays.stream(expected).anyMatch(c -> c == 1) && java.util.Arrays.stream(expected).anyMatch(c -> c == 0),
                    "the test needs rows of both classes");
            assertArrayEquals(expected, got, loss.name());
        }
    }

    /**
     * A model saved with a threshold (SavedModel.withThreshold) is scored at it, as SavedModel.predictClasses
     * and ./bpnn predict class it: the prediction column was from probability 0.5 whatever the model said.
     */
    @Test
    void aModelsSavedThresholdGivesThePredictionColumn() {
        Dataset<Row> df = SparkTestSupport.blobFrame(60, 4, 7, 2);
        List<Row> rows = df.orderBy("id").collectAsList();
        Network net = sigmoidNet();
        Tensor t = features(rows);
        float threshold = aThresholdThatMovesClasses(net, t);
        int[] expected = net.predictClasses(t, threshold);
        List<Row> scored = SparkScorer.score(df, SavedModel.of(net).withThreshold(threshold), RowFormat.featureArray("features"))
                .orderBy("id").select("prediction").collectAsList();
        assertArrayEquals(expected, scored.stream().mapToInt(r -> r.getInt(0)).toArray());
    }

    @Test
    void aRegressionModelGetsNoPredictionColumn() {
        // its outputs are values (a price, an area), not class scores: their argmax was written as a "class"
        Dataset<Row> df = SparkTestSupport.blobFrame(12, 4, 3, 2);
        Network reg = Network.builder(4).dense(2, org.bpnn.nn.activation.Activation.identity())
                .loss(org.bpnn.loss.Loss.mse()).seed(1).build();
        Dataset<Row> scored = SparkScorer.score(df, SavedModel.of(reg), RowFormat.featureArray("features"));
        assertTrue(java.util.Arrays.asList(scored.columns()).contains("output"));
        assertTrue(!java.util.Arrays.asList(scored.columns()).contains("prediction"), String.join(",", scored.columns()));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SparkScorer.score(df, SavedModel.of(reg), RowFormat.featureArray("features"), "output", "prediction"));
        assertTrue(e.getMessage().contains("the model's loss is mse and its output layer applies identity: its outputs are"
                + " values"), e.getMessage());
    }

    /**
     * A sigmoid or softmax output trained with mse (as ./bpnn seed's output layer is) outputs classes
     * (Network.outputsClasses: predictClasses and a threshold take it), so it gets the prediction column,
     * at its saved threshold, with its class names, as ./bpnn predict writes its class column: the loss
     * alone decided, and it got none (naming one was refused). With a target normaliser (a library user's
     * model) the class is read from the network's own outputs, as SavedModel.predictClasses reads it.
     */
    @Test
    void aSigmoidOrSoftmaxOutputTrainedWithMseGetsAPredictionColumn() throws Exception {
        Dataset<Row> df = SparkTestSupport.blobFrame(60, 4, 7, 2);
        List<Row> in = df.orderBy("id").collectAsList();
        Tensor x = features(in);
        Network sigmoid = Network.builder(4).dense(1, org.bpnn.nn.activation.Activation.sigmoid())
                .loss(org.bpnn.loss.Loss.mse()).seed(1).build();
        Network softmax = Network.builder(4).dense(3, org.bpnn.nn.activation.Activation.softmax())
                .loss(org.bpnn.loss.Loss.mse()).seed(1).build();
        float threshold = aThresholdThatMovesClasses(sigmoid, x);
        float[] center = {100f, 0f, -100f}; // the mapped outputs' argmax is 0 for every row
        SavedModel mapped = new SavedModel(softmax, null, null,
                org.bpnn.data.Normaliser.of(org.bpnn.data.Normaliser.Kind.STANDARDISE, center, new float[] {1f, 1f, 1f}));
        List<SavedModel> models = List.of(SavedModel.of(sigmoid).withThreshold(threshold),
                SavedModel.of(softmax).withClassNames(List.of("cat", "dog", "bird")), mapped);
        for (SavedModel saved : models) {
            SavedModel m = ModelFile.fromBytes(ModelFile.toBytes(saved));
            Dataset<Row> scored = SparkScorer.score(df, m, RowFormat.featureArray("features"));
            List<String> columns = new java.util.ArrayList<>(List.of("id", "features", "label", "output", "prediction"));
            if (m.classNames() != null) columns.add("prediction_name");
            columns.add("probability");
            assertEquals(columns, List.of(scored.columns()));
            int[] expected = m.predictClasses(x);
            assertTrue(java.util.Arrays.stream(expected).distinct().count() > 1, "the test needs rows of several classes");
            float[] outputs = m.predict(x).data();
            int k = m.network().outputSize();
            List<Row> rows = scored.orderBy("id").collectAsList();
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                assertEquals(expected[i], r.getInt(4), "row " + i);
                assertArrayEquals(java.util.Arrays.copyOfRange(outputs, i * k, (i + 1) * k), floats(r.getList(3)), "row " + i);
                if (m.classNames() != null) assertEquals(m.classNames().get(expected[i]), r.getString(5), "row " + i);
            }
            assertEquals(List.of("id", "features", "label", "out", "cls"), List.of(SparkScorer.score(df,
                    ModelFile.toBytes(m), RowFormat.featureArray("features"), "out", "cls").columns()));
        }
        // saved with target names instead (its regression loss takes them): its outputs under predicted_y and, as
        // ./bpnn predict writes class beside predicted_y, its class beside them; it had no prediction column
        SavedModel named = ModelFile.fromBytes(ModelFile.toBytes(
                SavedModel.of(sigmoid).withTargetNames(List.of("y")).withThreshold(threshold)));
        Dataset<Row> scored = SparkScorer.score(df, named, RowFormat.featureArray("features"));
        assertEquals(List.of("id", "features", "label", "predicted_y", "prediction", "probability"), List.of(scored.columns()));
        int[] expected = named.predictClasses(x);
        float[] outputs = named.predict(x).data();
        List<Row> rows = scored.orderBy("id").collectAsList();
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(outputs[i], rows.get(i).getFloat(3), "row " + i);
            assertEquals(expected[i], rows.get(i).getInt(4), "row " + i);
        }
    }

    static Network regression(int outputs) {
        return Network.builder(4).dense(outputs, org.bpnn.nn.activation.Activation.identity())
                .loss(org.bpnn.loss.Loss.mse()).seed(1).build();
    }

    /**
     * A regression model saved with target names gets a float column predicted_&lt;name&gt; per output, as
     * ./bpnn predict heads them: the scorer wrote one "output" array whatever the model called its outputs.
     */
    @Test
    void aModelSavedWithTargetNamesGetsAPredictedColumnPerOutput() throws Exception {
        Dataset<Row> df = SparkTestSupport.blobFrame(30, 4, 3, 2);
        List<Row> in = df.orderBy("id").collectAsList();
        for (List<String> targets : List.of(List.of("price"), List.of("price", "area"))) {
            Network reg = regression(targets.size());
            // through the file's bytes: the names are read back from the model file, as a loaded model's are
            SavedModel m = ModelFile.fromBytes(ModelFile.toBytes(SavedModel.of(reg).withTargetNames(targets)));
            Dataset<Row> scored = SparkScorer.score(df, m, RowFormat.featureArray("features"));
            List<String> expected = new java.util.ArrayList<>(List.of("id", "features", "label"));
            for (String t : targets) expected.add("predicted_" + t);
            assertEquals(expected, List.of(scored.columns()));
            for (String t : targets) {
                assertEquals(org.apache.spark.sql.types.DataTypes.FloatType, scored.schema().apply("predicted_" + t).dataType());
            }
            List<Row> rows = scored.orderBy("id").collectAsList();
            for (int i = 0; i < rows.size(); i++) {
                float[] want = reg.predict(floats(in.get(i).getList(1)));
                for (int j = 0; j < targets.size(); j++) {
                    assertEquals(want[j], rows.get(i).getFloat(3 + j), 1e-6f, "row " + i + ", " + targets.get(j));
                }
            }
            // a column the caller names is still the one array column
            assertEquals(List.of("id", "features", "label", "out"), List.of(
                    SparkScorer.score(df, m, RowFormat.featureArray("features"), "out", null).columns()));
        }
    }

    /**
     * Guard: a model without target names keeps the columns it had, names, types and places, regression or
     * classifier (a classifier's probability comes after them).
     */
    @Test
    void aModelWithoutTargetNamesKeepsItsColumns() {
        Dataset<Row> df = SparkTestSupport.blobFrame(12, 4, 3, 2);
        org.apache.spark.sql.types.DataType array = org.apache.spark.sql.types.DataTypes.createArrayType(
                org.apache.spark.sql.types.DataTypes.FloatType, false);
        Dataset<Row> reg = SparkScorer.score(df, SavedModel.of(regression(2)), RowFormat.featureArray("features"));
        assertEquals(List.of("id", "features", "label", "output"), List.of(reg.columns()));
        assertEquals(array, reg.schema().apply("output").dataType());
        assertEquals(2, reg.first().getList(3).size());
        Dataset<Row> cls = SparkScorer.score(df, SavedModel.of(SparkTrainerTest.net(2)), RowFormat.featureArray("features"));
        assertEquals(List.of("id", "features", "label", "output", "prediction", "probability"), List.of(cls.columns()));
        assertEquals(array, cls.schema().apply("output").dataType());
        assertEquals(org.apache.spark.sql.types.DataTypes.IntegerType, cls.schema().apply("prediction").dataType());
        // nor does a one-output classifier with a saved threshold but no class names get a prediction_name column
        Network one = sigmoidNet();
        assertEquals(List.of("id", "features", "label", "output", "prediction", "probability"), List.of(SparkScorer.score(df,
                SavedModel.of(one).withThreshold(0.3f), RowFormat.featureArray("features")).columns()));
    }

    @Test
    void aTargetNamesColumnThatClashesIsRefused() {
        Dataset<Row> df = SparkTestSupport.blobFrame(12, 4, 3, 2);
        SavedModel m = SavedModel.of(regression(2)).withTargetNames(List.of("price", "area"));
        String e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SparkScorer.score(
                df.withColumn("Predicted_Area", org.apache.spark.sql.functions.lit(1)), m, RowFormat.featureArray("features")))
                .getMessage();
        assertEquals("the data already has a column 'Predicted_Area' (Spark compares names ignoring case, so 'predicted_area'"
                + " would clash), the column of the model's output 1 (target name 'area'); rename or drop the data's column"
                + " (df.withColumnRenamed), or score with score(df, model, format, \"output\", null) for the outputs in one"
                + " array column", e);
        // the model takes two names that differ in case; Spark would take their columns for one
        SavedModel cased = SavedModel.of(regression(2)).withTargetNames(List.of("Price", "price"));
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SparkScorer.score(df, cased, RowFormat.featureArray("features"))).getMessage();
        assertEquals("the model's target names 'Price' and 'price' give the columns 'predicted_Price' and 'predicted_price',"
                + " one column to Spark (it compares names ignoring case); save the model with target names that differ in"
                + " more than case (withTargetNames), or score with score(df, model, format, \"output\", null) for the outputs"
                + " in one array column", e);
        // the way out the messages give works
        assertEquals(List.of("id", "features", "label", "output"),
                List.of(SparkScorer.score(df, cased, RowFormat.featureArray("features"), "output", null).columns()));
    }

    /** A 4-1 sigmoid classifier (binary cross-entropy), seed 1, untrained. */
    static Network sigmoidNet() {
        return Network.builder(4).dense(1, org.bpnn.nn.activation.Activation.sigmoid())
                .loss(org.bpnn.loss.Loss.binaryCrossEntropy()).seed(1).build();
    }

    /**
     * A threshold that makes three quarters of the rows of {@code x} class 1 for the one-output {@code net},
     * checked to move some row's class from what probability 0.5 gives.
     */
    static float aThresholdThatMovesClasses(Network net, Tensor x) {
        float[] p = net.predict(x).data().clone();
        java.util.Arrays.sort(p);
        float threshold = p[p.length / 4]; // three quarters of the rows class 1, whatever 0.5 gives
        assertTrue(!java.util.Arrays.equals(net.predictClasses(x, threshold), net.predictClasses(x)),
                "the threshold moves some rows' class");
        return threshold;
    }

    /** The features of {@code rows} (blobFrame's, ordered), one row after another, for a local predict. */
    static Tensor features(List<Row> rows) {
        float[] x = new float[rows.size() * 4];
        for (int i = 0; i < rows.size(); i++) System.arraycopy(floats(rows.get(i).getList(1)), 0, x, i * 4, 4);
        return Tensor.wrap(rows.size(), 4, x);
    }

    /**
     * A classifier saved with class names gets a string column prediction_name, the name of the class in
     * prediction, as ./bpnn predict writes class_name beside its class index: the scorer wrote the index only.
     * For a one-output model with a saved threshold the name is that of the class at the threshold.
     */
    @Test
    void aClassifierSavedWithClassNamesGetsTheNameOfItsPrediction() throws Exception {
        Dataset<Row> df = SparkTestSupport.blobFrame(60, 4, 7, 2);
        List<Row> in = df.orderBy("id").collectAsList();
        Tensor x = features(in);
        Network one = sigmoidNet();
        float threshold = aThresholdThatMovesClasses(one, x);
        List<SavedModel> models = List.of(
                SavedModel.of(SparkTrainerTest.net(3)).withClassNames(List.of("cat", "dog", "bird")),
                SavedModel.of(one).withThreshold(threshold).withClassNames(List.of("normal", "fraud")));
        for (SavedModel saved : models) {
            // through the file's bytes: the names and the threshold are read back, as a loaded model's are
            SavedModel m = ModelFile.fromBytes(ModelFile.toBytes(saved));
            Dataset<Row> scored = SparkScorer.score(df, m, RowFormat.featureArray("features"));
            assertEquals(List.of("id", "features", "label", "output", "prediction", "prediction_name", "probability"),
                    List.of(scored.columns()));
            assertEquals(org.apache.spark.sql.types.DataTypes.StringType, scored.schema().apply("prediction_name").dataType());
            int[] expected = m.predictClasses(x);
            assertTrue(java.util.Arrays.stream(expected).distinct().count() > 1, "the test needs rows of several classes");
            List<Row> rows = scored.orderBy("id").select("prediction", "prediction_name").collectAsList();
            assertEquals(in.size(), rows.size());
            for (int i = 0; i < rows.size(); i++) {
                assertEquals(expected[i], rows.get(i).getInt(0), "row " + i);
                assertEquals(m.classNames().get(rows.get(i).getInt(0)), rows.get(i).getString(1), "row " + i);
            }
            // the overloads that name the columns keep exactly the columns named
            assertEquals(List.of("id", "features", "label", "output", "prediction"), List.of(
                    SparkScorer.score(df, m, RowFormat.featureArray("features"), "output", "prediction").columns()));
            assertEquals(List.of("id", "features", "label", "out", "cls"), List.of(SparkScorer.score(df,
                    ModelFile.toBytes(m), RowFormat.featureArray("features"), "out", "cls").columns()));
        }
    }

    @Test
    void aClassNameColumnThatClashesIsRefused() {
        Dataset<Row> df = SparkTestSupport.blobFrame(12, 4, 3, 2);
        SavedModel m = SavedModel.of(SparkTrainerTest.net(3)).withClassNames(List.of("cat", "dog", "bird"));
        for (String have : List.of("prediction_name", "Prediction_Name")) {
            String e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SparkScorer.score(
                    df.withColumn(have, org.apache.spark.sql.functions.lit("x")), m, RowFormat.featureArray("features")))
                    .getMessage();
            assertEquals("the data already has a column '" + have + "'" + (have.equals("prediction_name") ? ""
                    : " (Spark compares names ignoring case, so 'prediction_name' would clash)") + ", the column of the"
                    + " predicted class's name (the model's class names, withClassNames); rename or drop the data's column"
                    + " (df.withColumnRenamed), or score with score(df, model, format, \"output\", \"prediction\") for the"
                    + " class index without its name", e);
        }
        // the way out the message gives works
        assertEquals(List.of("id", "features", "label", "prediction_name", "output", "prediction"), List.of(SparkScorer.score(
                df.withColumn("prediction_name", org.apache.spark.sql.functions.lit("x")), m, RowFormat.featureArray("features"),
                "output", "prediction").columns()));
    }

    /**
     * A classifier's "probability" column is SavedModel.predictProbabilities on the same rows, bit for bit: a
     * logits model's logits through its sigmoid or softmax (the "output" column keeps the logits), a softmax
     * output's as they are, and a sigmoid or softmax output trained with mse with a target normaliser (with target
     * names too) its network's own outputs, before the normaliser. The scorer wrote only the raw outputs, so a
     * logits model gave no probabilities. One partition of 300 rows: a full 256-row chunk and a 44-row one, each
     * compared with predictProbabilities of those rows (the kernels' last bits depend on the batch's row count).
     */
    @Test
    void aClassifiersProbabilityColumnIsSavedModelPredictProbabilities() throws Exception {
        Dataset<Row> df = SparkTestSupport.blobFrame(300, 4, 11, 1);
        List<Row> in = df.orderBy("id").collectAsList();
        Tensor x = features(in);
        org.bpnn.nn.activation.Activation tanh = org.bpnn.nn.activation.Activation.tanh();
        Network logits3 = Network.builder(4).dense(8, tanh).dense(3, org.bpnn.nn.activation.Activation.identity())
                .loss(org.bpnn.loss.Loss.categoricalCrossEntropyFromLogits()).seed(3).build();
        Network logits1 = Network.builder(4).dense(8, tanh).dense(1, org.bpnn.nn.activation.Activation.identity())
                .loss(org.bpnn.loss.Loss.binaryCrossEntropyFromLogits()).seed(4).build();
        Network sigmoidMse = Network.builder(4).dense(1, org.bpnn.nn.activation.Activation.sigmoid())
                .loss(org.bpnn.loss.Loss.mse()).seed(5).build();
        Network softmaxMse = Network.builder(4).dense(3, org.bpnn.nn.activation.Activation.softmax())
                .loss(org.bpnn.loss.Loss.mse()).seed(6).build();
        org.bpnn.data.Normaliser.Kind std = org.bpnn.data.Normaliser.Kind.STANDARDISE;
        List<SavedModel> models = List.of(
                SavedModel.of(logits3).withClassNames(List.of("cat", "dog", "bird")),
                SavedModel.of(logits1),
                SavedModel.of(SparkTrainerTest.net(7)), // softmax output, categorical cross-entropy
                new SavedModel(softmaxMse, null, null,
                        org.bpnn.data.Normaliser.of(std, new float[] {100f, 0f, -100f}, new float[] {2f, 3f, 4f})),
                new SavedModel(sigmoidMse, null, null, org.bpnn.data.Normaliser.of(std, new float[] {10f}, new float[] {5f}))
                        .withTargetNames(List.of("y")));
        for (SavedModel saved : models) {
            SavedModel m = ModelFile.fromBytes(ModelFile.toBytes(saved));
            int k = m.network().outputSize();
            Dataset<Row> scored = SparkScorer.score(df, m, RowFormat.featureArray("features"));
            List<String> columns = List.of(scored.columns());
            assertEquals("probability", columns.get(columns.size() - 1), columns.toString());
            assertEquals(org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.FloatType,
                    false), scored.schema().apply("probability").dataType());
            List<Row> rows = scored.orderBy("id").collectAsList();
            assertEquals(in.size(), rows.size());
            int at = columns.indexOf("probability");
            for (int start = 0; start < in.size(); start += SparkScorer.BATCH) {
                int n = Math.min(SparkScorer.BATCH, in.size() - start);
                Tensor chunk = Tensor.wrap(n, 4, java.util.Arrays.copyOfRange(x.data(), start * 4, (start + n) * 4));
                float[] want = m.predictProbabilities(chunk).data();
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(java.util.Arrays.copyOfRange(want, i * k, (i + 1) * k),
                            floats(rows.get(start + i).getList(at)), 0f, m.network().loss().name() + ", row " + (start + i));
                }
            }
            if (m.network().loss().name().endsWith("logits")) {
                // the output column keeps the logits (raw outputs), which are not the probabilities
                assertTrue(!java.util.Arrays.equals(floats(rows.get(0).getList(columns.indexOf("output"))),
                        floats(rows.get(0).getList(at))), "logits differ from probabilities");
            }
        }
    }

    /**
     * A "probability" column in the data (any case) is refused, as "prediction_name" is, with the way out that
     * works: the overload that names the columns, which adds no probability column.
     */
    @Test
    void aProbabilityColumnThatClashesIsRefused() {
        Dataset<Row> base = SparkTestSupport.blobFrame(12, 4, 3, 2);
        SavedModel m = SavedModel.of(SparkTrainerTest.net(3));
        for (String have : List.of("probability", "Probability")) {
            Dataset<Row> df = base.withColumn(have, org.apache.spark.sql.functions.lit(0.5));
            String e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> SparkScorer.score(df, m, RowFormat.featureArray("features"))).getMessage();
            assertEquals("the data already has a column '" + have + "'" + (have.equals("probability") ? ""
                    : " (Spark compares names ignoring case, so 'probability' would clash)") + ", the column of the"
                    + " class probabilities (the model is a classifier); rename or drop the data's column"
                    + " (df.withColumnRenamed), or score with score(df, model, format, \"output\", \"prediction\") for"
                    + " the outputs and the class index without the probabilities", e);
            assertEquals(List.of("id", "features", "label", have, "output", "prediction"), List.of(SparkScorer.score(
                    df, m, RowFormat.featureArray("features"), "output", "prediction").columns()));
        }
        // a regression model adds none, so the data's column is no clash for it
        assertEquals(List.of("id", "features", "label", "probability", "output"), List.of(SparkScorer.score(
                base.withColumn("probability", org.apache.spark.sql.functions.lit(0.5)), SavedModel.of(regression(2)),
                RowFormat.featureArray("features")).columns()));
    }
}
