package org.bpnn.examples.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.bpnn.backend.Backends;
import org.bpnn.data.Normaliser;
import org.bpnn.data.OneHot;
import org.bpnn.examples.Cli;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.bpnn.loss.Loss;
import org.bpnn.metrics.ConfusionMatrix;
import org.bpnn.metrics.Metrics;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./bpnn evaluate: its figures against the library's metrics on the same predictions, and its refusals. */
class EvaluateCommandTest {
    private static final List<String> CLASSES = List.of("blue", "green", "red");

    @TempDir
    Path dir;

    /** A 2-4-3 softmax classifier (untrained: its mistakes give the figures something to count), inputs standardised. */
    private static Network classifier() {
        return Network.builder(2).dense(4, Activation.tanh()).dense(3, Activation.softmax()).loss(Loss.categoricalCrossEntropy())
                .seed(11).backend(Backends.get("scalar", 1)).build();
    }

    private static final Normaliser X_NORM = Normaliser.of(Normaliser.Kind.STANDARDISE, new float[] {1, -2}, new float[] {2, 3});

    /** n rows of (x1, x2), deterministic. */
    private static float[][] points(int n, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][2];
        for (float[] p : x) {
            p[0] = Math.round((float) r.nextGaussian() * 400) / 100f;
            p[1] = Math.round((float) r.nextGaussian() * 400) / 100f;
        }
        return x;
    }

    private static Tensor tensor(float[][] rows) {
        Tensor t = Tensor.zeros(rows.length, rows[0].length);
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, t.data(), i * rows[0].length, rows[0].length);
        return t;
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    /** net saved as m.bpnn with X_NORM, the class names CLASSES and the feature names x1, x2. */
    private Path saveNamed(Network net) throws IOException {
        Path model = dir.resolve("m.bpnn");
        ModelFile.save(SavedModel.of(net, X_NORM, null).withClassNames(CLASSES).withFeatureNames(List.of("x1", "x2")), model);
        return model;
    }

    private static String[] args(String... more) {
        return Cli.concat(new String[] {"evaluate", "--backend", "scalar", "--threads", "1"}, more);
    }

    private static JsonNode json(Cli.Result r) throws IOException {
        JsonNode j = new ObjectMapper().readTree(r.lastLine());
        assertEquals("evaluate", j.get("example").asText(), r.lastLine());
        return j;
    }

    @Test
    void aClassifierWithClassNamesIsScoredAsTheLibraryScoresItsPredictions() throws IOException {
        Network net = classifier();
        Path model = saveNamed(net);
        // the columns in another order than the model's, an id and the label among them, and sample weights
        int n = 60;
        float[][] x = points(n, 1);
        int[] labels = new int[n];
        float[] w = new float[n];
        StringBuilder csv = new StringBuilder("id,x2,colour,weight,x1\n");
        for (int i = 0; i < n; i++) {
            labels[i] = (i * 7) % 3;
            w[i] = 1 + i % 4;
            csv.append(String.format(Locale.ROOT, "r%d,%s,%s,%s,%s%n", i, x[i][1], CLASSES.get(labels[i]), w[i], x[i][0]));
        }
        Path test = file("test.csv", csv.toString());
        Cli.Result r = Cli.run(0, args("--model", model.toString(), "--input", test.toString(), "--label", "colour",
                "--weight-column", "weight"));

        // the same predictions made directly, and the library's figures of them
        Tensor xn = X_NORM.apply(tensor(x));
        Tensor out = Tensor.zeros(n, 3), z = Tensor.zeros(n, 3); // z: the softmax's, which the trainer's loss is computed from
        net.predict(xn, out, z);
        Tensor y = OneHot.encode(labels, 3);
        ConfusionMatrix cm = ConfusionMatrix.of(out, y).withClassNames(CLASSES.toArray(String[]::new));
        assertTrue(cm.accuracy() > 0 && cm.accuracy() < 1, "a model with some mistakes: " + cm.accuracy());
        JsonNode j = json(r);
        assertEquals(n, j.get("rows").asInt());
        assertEquals(3, j.get("classes").asInt());
        assertEquals(Metrics.accuracy(out, y), j.get("test_accuracy").asDouble(), r.lastLine());
        assertEquals(cm.macroF1(), j.get("macro_f1").asDouble(), r.lastLine());
        assertEquals(cm.macroPrecision(), j.get("macro_precision").asDouble(), r.lastLine());
        assertEquals(cm.macroRecall(), j.get("macro_recall").asDouble(), r.lastLine());
        assertEquals(net.lossOf(out, z, y, Tensor.wrap(n, 1, w)), j.get("test_loss").asDouble(), r.lastLine());
        assertEquals(cm.recall(1), j.get("per_class").get("green").get("recall").asDouble(), r.lastLine());
        assertEquals(cm.support(2), j.get("per_class").get("red").get("support").asLong(), r.lastLine());
        // the matrix and per-class table as the main job prints them, with the class names
        assertTrue(r.out().contains(cm.toString()), r.out());
        assertTrue(r.out().contains(String.format(Locale.ROOT, "Test accuracy: %.4f (%d of %d)", cm.accuracy(),
                Math.round(cm.accuracy() * n), n)), r.out());
        // unweighted, the loss is the network's own mean loss on the rows
        Cli.Result u = Cli.run(0, args("--model", model.toString(), "--input", test.toString(), "--label", "colour"));
        assertEquals(net.evaluateLoss(xn, y), json(u).get("test_loss").asDouble(), u.lastLine());
    }

    /** The labelled CSV of aClassifierWithClassNames..., without weights: n rows, labels (i * 7) % 3. */
    private Path labelled(String name, int n) throws IOException {
        float[][] x = points(n, 1);
        StringBuilder csv = new StringBuilder("x1,x2,colour\n");
        for (int i = 0; i < n; i++) csv.append(String.format(Locale.ROOT, "%s,%s,%s%n", x[i][0], x[i][1], CLASSES.get((i * 7) % 3)));
        return file(name, csv.toString());
    }

    /**
     * --output: evaluate printed its report and JSON line only, where predict and train write files; now the report as
     * one JSON object, the matrix included, written atomically into a directory made as predict's and train's are.
     */
    @Test
    void outputWritesTheReportAsJsonWithTheConfusionMatrix() throws IOException {
        Network net = classifier();
        Path model = saveNamed(net);
        int n = 60;
        Path test = labelled("test.csv", n);
        Path report = dir.resolve("runs/eval/report.json"); // its directory missing: made, as train's --out's is
        Cli.Result r = Cli.run(0, args("--model", model.toString(), "--input", test.toString(), "--label", "colour",
                "--output", report.toString()));
        JsonNode line = json(r);
        assertEquals(report.toString(), line.get("output").asText(), r.lastLine());
        assertFalse(line.has("confusion_matrix"), "the line keeps its size: " + r.lastLine());
        JsonNode j = new ObjectMapper().readTree(Files.readString(report));
        // the line's fields, the same values
        for (String key : new String[] {"example", "model", "input", "rows", "classes", "test_accuracy", "macro_f1", "test_loss",
                "per_class"}) {
            assertTrue(line.has(key), key + " on the line: " + r.lastLine()); // else both nulls would agree
            assertEquals(line.get(key), j.get(key), key);
        }
        Tensor out = net.predict(X_NORM.apply(tensor(points(n, 1))));
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = (i * 7) % 3;
        ConfusionMatrix cm = ConfusionMatrix.of(out, OneHot.encode(labels, 3));
        assertEquals(CLASSES, new ObjectMapper().convertValue(j.get("class_names"), List.class));
        for (int a = 0; a < 3; a++) {
            for (int c = 0; c < 3; c++) assertEquals(cm.count(a, c), j.get("confusion_matrix").get(a).get(c).asLong(), a + "," + c);
        }
        assertEquals(0, j.get("unclassified").asLong());
        try (var files = Files.list(report.getParent())) {
            assertEquals(List.of(report), files.toList(), "no temporary file left beside it");
        }
        // an existing file is replaced; --output - is standard output, as predict's: no file, no output field
        Files.writeString(report, "old");
        Cli.run(0, args("--model", model.toString(), "--input", test.toString(), "--label", "colour", "--output", report.toString()));
        assertTrue(Files.readString(report).startsWith("{\"example\":\"evaluate\""));
        Cli.Result dash = Cli.run(0, args("--model", model.toString(), "--input", test.toString(), "--label", "colour", "--output", "-"));
        assertFalse(json(dash).has("output"), dash.lastLine());
        assertFalse(Files.exists(dir.resolve("-")));
    }

    @Test
    void outputIsCheckedBeforeTheWorkAndAFailedRunLeavesNothing() throws IOException {
        Path model = saveNamed(classifier());
        Path test = labelled("test.csv", 6);
        assertEquals("--output " + test + " is the --input file; writing the report would overwrite it; choose another --output",
                Cli.error(args("--model", model.toString(), "--input", test.toString(), "--label", "colour", "--output",
                        test.toString())));
        assertEquals("--output " + dir + " is a directory; expected a file name such as " + dir.resolve("predictions.csv"),
                Cli.error(args("--model", model.toString(), "--input", test.toString(), "--label", "colour", "--output",
                        dir.toString())));
        // a run refused on its labels makes no directory and writes no file
        Path report = dir.resolve("none/report.json");
        Cli.error(args("--model", model.toString(), "--input", test.toString(), "--label", "Colour", "--output", report.toString()));
        assertFalse(Files.exists(report.getParent()));
    }

    @Test
    void aRegressionsReportHoldsItsFiguresAndTarget() throws IOException {
        Network net = Network.builder(2).dense(3, Activation.tanh()).dense(1, Activation.identity()).loss(Loss.mse()).seed(3)
                .backend(Backends.get("scalar", 1)).build();
        Path model = dir.resolve("r.bpnn");
        ModelFile.save(SavedModel.of(net, X_NORM, null).withFeatureNames(List.of("a", "b")), model);
        Path report = dir.resolve("r.json");
        Cli.Result r = Cli.run(0, args("--model", model.toString(), "--input", file("t.csv", "a,b,price\n1,2,3\n4,5,7\n").toString(),
                "--label", "price", "--output", report.toString()));
        JsonNode j = new ObjectMapper().readTree(Files.readString(report));
        for (String key : new String[] {"rmse", "mae", "r2", "mse", "test_loss"}) {
            assertTrue(json(r).has(key), key + " on the line: " + r.lastLine()); // else both nulls would agree
            assertEquals(json(r).get(key), j.get(key), key);
        }
        assertEquals("price", j.get("target").asText());
    }

    @Test
    void aLabelTheModelDoesNotKnowIsRefusedNamingItsLineAndTheClasses() throws IOException {
        Path model = saveNamed(classifier());
        Path test = file("test.csv", "x1,x2,colour\n1,2,red\n\n3,4,purple\n5,6,teal\n");
        String err = Cli.error(args("--model", model.toString(), "--input", test.toString(), "--label", "colour"));
        assertEquals(test + " line 4: the --label \"colour\" is \"purple\", not one of the 3 classes of " + model + ", \"blue\","
                + " \"green\", \"red\"; the model scores only the classes it was trained on: drop the rows of other labels, or"
                + " check that --label names the column of the true labels", err);
        // without class names the labels are class indices: 3 is none of a 3-class model's
        Path plain = dir.resolve("plain.bpnn");
        ModelFile.save(SavedModel.of(classifier(), X_NORM, null), plain);
        Path indices = file("indices.csv", "a,b,k\n1,2,0\n3,4,2\n5,6,3\n");
        err = Cli.error(args("--model", plain.toString(), "--input", indices.toString(), "--label", "k"));
        assertTrue(err.startsWith(indices + " line 4: the --label \"k\" is \"3\", not a class index: " + plain + " was saved"
                + " without class names, so its labels are the class indices 0 to 2;"), err);
        // a model without feature names takes the other columns in order, the label left out
        Cli.Result r = Cli.run(0, args("--model", plain.toString(), "--input", file("ok.csv", "a,k,b\n1,0,2\n3,2,4\n").toString(),
                "--label", "k"));
        assertEquals(2, json(r).get("rows").asInt());
        // read with another delimiter than its own: the header is one column, said so as train and predict say it
        err = Cli.error(args("--model", model.toString(), "--input", test.toString(), "--label", "colour", "--delimiter", ";"));
        assertEquals(test + "'s header is one column, \"x1,x2,colour\", whose names look separated by ',': pass --delimiter ','", err);
        // no such column: named with the columns there are
        err = Cli.error(args("--model", model.toString(), "--input", test.toString(), "--label", "Colour"));
        assertEquals("--label: no column \"Colour\" in " + test + "'s header; expected one of \"x1\", \"x2\", \"colour\" (names are"
                + " case-sensitive: \"colour\"?)", err);
    }

    /** Evaluate's advice for missing values: train's ("impute ... the column's mean in the training data") is for training. */
    private static final String LABEL_ADVICE = "; evaluate neither fills them in nor drops rows: drop the rows without a label (\"%s\"):"
            + " a missing label cannot be filled in, it is what the model is scored against";

    /**
     * Missing labels are counted as train counts them (the reader's missingValues with train's tokens), not taken for an
     * unknown class: "NA" was "not one of the 3 classes", and an empty label stopped the read at its line. The advice is
     * evaluate's: it was train's, for a label "what the model learns".
     */
    @Test
    void aClassifiersMissingLabelsAreCountedAsTrainCountsThem() throws IOException {
        Path model = saveNamed(classifier());
        Path test = file("test.csv", "x1,x2,colour\n1,2,red\n3,4,NA\n5,6,\n7,8,blue\n9,10,NA\n");
        String err = Cli.error(args("--model", model.toString(), "--input", test.toString(), "--label", "colour"));
        assertTrue(err.startsWith(test + ": 3 missing values (empty, \"NA\") in 3 of 5 rows: column colour (index 2): 3, first at"
                + " line 3;"), err);
        assertEquals(test + ": 3 missing values (empty, \"NA\") in 3 of 5 rows: column colour (index 2): 3, first at line 3"
                + LABEL_ADVICE.formatted("colour"), err);
        // in a feature and the --weight-column too, which predict's reading alone refuses as values to fix, one at a time
        Path more = file("more.csv", "x1,x2,colour,w\n1,2,red,1\nnan,4,green,1\n5,6,blue,?\n7,N/A,red,2\n");
        err = Cli.error(args("--model", model.toString(), "--input", more.toString(), "--label", "colour", "--weight-column", "w"));
        assertEquals(more + ": 3 missing values (\"N/A\", \"nan\", \"?\") in 3 of 4 rows: column x1 (index 0): 1, first at line 3;"
                + " column x2 (index 1): 1, first at line 5; column w (index 3): 1, first at line 4; evaluate neither fills them in"
                + " nor drops rows: give the rows without a weight (\"w\") one, or drop those rows; fill in the missing feature"
                + " values as the training data's were filled (e.g. with its column means), or drop those rows", err);
        // all three kinds, the label's first
        Path all = file("all.csv", "x1,x2,colour\nNA,1,red\n2,3,\n");
        err = Cli.error(args("--model", model.toString(), "--input", all.toString(), "--label", "colour"));
        assertTrue(err.endsWith("; column colour (index 2): 1, first at line 3" + LABEL_ADVICE.formatted("colour")
                + "; fill in the missing feature values as the training data's were filled (e.g. with its column means), or drop"
                + " those rows"), err);
        assertTrue(!err.contains("impute") && !err.contains("the model learns"), err);
        // an unknown label after a missing one is still named at its own line, the missing ones passed over
        // (and over a row with a missing feature, which the reader passes over too, its label unknown or not)
        Path unknown = file("unknown.csv", "x1,x2,colour\n1,2,NA\n3,4,red\nNA,4,teal\n5,6,purple\n");
        err = Cli.error(args("--model", model.toString(), "--input", unknown.toString(), "--label", "colour"));
        assertTrue(err.startsWith(unknown + " line 5: the --label \"colour\" is \"purple\", not one of the 3 classes"), err);
    }

    /** A regression's target written "?" is a missing value, counted as train counts it, not a number to fix. */
    @Test
    void aRegressionsMissingTargetsAreCountedAsTrainCountsThem() throws IOException {
        Network net = Network.builder(2).dense(1, Activation.identity()).loss(Loss.mse()).seed(3).backend(Backends.get("scalar", 1))
                .build();
        Path model = dir.resolve("r.bpnn");
        ModelFile.save(SavedModel.of(net, X_NORM, null).withFeatureNames(List.of("a", "b")), model);
        Path test = file("test.csv", "a,b,price\n1,2,3\n1,2,?\n4,5,6\n1,2,?\n");
        String err = Cli.error(args("--model", model.toString(), "--input", test.toString(), "--label", "price"));
        assertTrue(err.startsWith(test + ": 2 missing values (\"?\") in 2 of 4 rows: column price (index 2): 2, first at line 3;"),
                err);
        assertTrue(err.endsWith("first at line 3" + LABEL_ADVICE.formatted("price")) && !err.contains("fix the value"), err);
    }

    @Test
    void aRegressionIsScoredInItsTargetsUnits() throws IOException {
        Network net = Network.builder(2).dense(3, Activation.tanh()).dense(1, Activation.identity()).loss(Loss.mse()).seed(3)
                .backend(Backends.get("scalar", 1)).build();
        Normaliser yNorm = Normaliser.of(Normaliser.Kind.STANDARDISE, new float[] {100}, new float[] {25});
        Path model = dir.resolve("r.bpnn");
        ModelFile.save(SavedModel.of(net, X_NORM, yNorm, null).withFeatureNames(List.of("a", "b")).withTargetNames(List.of("price")),
                model);
        int n = 40;
        float[][] x = points(n, 2);
        float[] price = new float[n];
        StringBuilder csv = new StringBuilder("price,b,a\n");
        for (int i = 0; i < n; i++) {
            price[i] = 100 + 10 * x[i][0] - 5 * x[i][1];
            csv.append(String.format(Locale.ROOT, "%s,%s,%s%n", price[i], x[i][1], x[i][0]));
        }
        Cli.Result r = Cli.run(0, args("--model", model.toString(), "--input", file("test.csv", csv.toString()).toString(),
                "--label", "price"));
        Tensor xn = X_NORM.apply(tensor(x)), truth = Tensor.wrap(n, 1, price);
        Tensor out = net.predict(xn);
        double loss = net.evaluateLoss(xn, yNorm.apply(truth)); // the model's own, on the standardised target
        yNorm.inverseInPlace(out); // the targets' units
        JsonNode j = json(r);
        assertEquals(Metrics.rmse(out, truth), j.get("rmse").asDouble(), r.lastLine());
        assertEquals(Metrics.mae(out, truth), j.get("mae").asDouble(), r.lastLine());
        assertEquals(Metrics.r2(out, truth), j.get("r2").asDouble(), r.lastLine());
        assertEquals(Metrics.mse(out, truth), j.get("mse").asDouble(), r.lastLine());
        assertEquals(loss, j.get("test_loss").asDouble(), r.lastLine());
        assertTrue(Metrics.rmse(out, truth) > 5, "in price's units, not standardised ones: " + r.lastLine());
        assertTrue(r.out().contains("(in the units of \"price\")"), r.out());
        // a label that is not a number
        String err = Cli.error(args("--model", model.toString(), "--input", file("bad.csv", "a,b,price\n1,2,3\n1,2,cheap\n").toString(),
                "--label", "price"));
        assertTrue(err.contains("line 3") && err.endsWith("; " + model + " is a regression model, so the --label column \"price\""
                + " must hold a number in every row: fix the value, or check that --label names its target column"), err);
    }

    /**
     * One logit (binary cross-entropy FromLogits): the classes at --threshold, and the loss on the logits against a
     * 0/1 column, not on the probabilities predict writes nor against one-hot rows.
     */
    @Test
    void aOneOutputClassifierIsScoredAtItsThresholdWithItsLossOnTheLogits() throws IOException {
        Network net = Network.builder(2).dense(3, Activation.tanh()).dense(1, Activation.identity())
                .loss(Loss.binaryCrossEntropyFromLogits()).seed(7).backend(Backends.get("scalar", 1)).build();
        Path model = dir.resolve("bin.bpnn");
        SavedModel saved = SavedModel.of(net, X_NORM, null).withClassNames(List.of("stay", "leave")).withFeatureNames(List.of("x1", "x2"));
        ModelFile.save(saved, model);
        int n = 50;
        float[][] x = points(n, 3);
        int[] labels = new int[n];
        StringBuilder csv = new StringBuilder("x1,x2,churn\n");
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            csv.append(String.format(Locale.ROOT, "%s,%s,%s%n", x[i][0], x[i][1], labels[i] == 1 ? "leave" : "stay"));
        }
        Path test = file("test.csv", csv.toString());
        float t = 0.3f;
        Cli.Result r = Cli.run(0, args("--model", model.toString(), "--input", test.toString(), "--label", "churn", "--threshold",
                Float.toString(t)));
        Tensor xs = tensor(x);
        ConfusionMatrix cm = ConfusionMatrix.of(labels, saved.withThreshold(t).predictClasses(xs), 2);
        assertTrue(cm.accuracy() != ConfusionMatrix.of(labels, saved.predictClasses(xs), 2).accuracy(), "the threshold moves it");
        float[] y01 = new float[n];
        for (int i = 0; i < n; i++) y01[i] = labels[i];
        JsonNode j = json(r);
        assertEquals(2, j.get("classes").asInt());
        assertEquals(cm.accuracy(), j.get("test_accuracy").asDouble(), r.lastLine());
        assertEquals(t, (float) j.get("threshold").asDouble(), r.lastLine());
        assertEquals(net.evaluateLoss(X_NORM.apply(xs), Tensor.wrap(n, 1, y01)), j.get("test_loss").asDouble(), r.lastLine());
    }

    /** Past train's MAX_PRINTED_CLASSES the matrix (which wraps on a terminal) gives way to one line of the figures. */
    @Test
    void aModelOfManyClassesGetsItsFiguresWithoutTheMatrix() throws IOException {
        int k = org.bpnn.examples.train.TrainCommand.MAX_PRINTED_CLASSES + 1;
        Network net = Network.builder(2).dense(k, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).seed(3)
                .backend(Backends.get("scalar", 1)).build();
        Path model = dir.resolve("many.bpnn");
        ModelFile.save(SavedModel.of(net), model); // no class names: the labels are 0..k-1
        StringBuilder csv = new StringBuilder("a,b,k\n");
        int[] labels = new int[2 * k];
        float[][] x = points(2 * k, 4);
        for (int i = 0; i < 2 * k; i++) {
            labels[i] = i % k;
            csv.append(String.format(Locale.ROOT, "%s,%s,%d%n", x[i][0], x[i][1], labels[i]));
        }
        Cli.Result r = Cli.run(0, args("--model", model.toString(), "--input", file("many.csv", csv.toString()).toString(),
                "--label", "k"));
        ConfusionMatrix cm = ConfusionMatrix.of(net.predict(tensor(x)), OneHot.encode(labels, k));
        assertTrue(r.out().contains(String.format(Locale.ROOT, "Test accuracy: %.4f (%d of %d); macro precision %.4f, recall %.4f,"
                + " F1 %.4f (the matrix is printed up to %d classes)", cm.accuracy(), Math.round(cm.accuracy() * 2 * k), 2 * k,
                cm.macroPrecision(), cm.macroRecall(), cm.macroF1(), k - 1)), r.out());
        assertTrue(!r.out().contains("actual \\ predicted"), r.out());
        assertEquals(k, json(r).get("per_class").size(), r.lastLine());
    }

    @Test
    void aHeaderlessFileOrOneWithoutTheModelsFeaturesIsRefusedAsPredictRefusesIt() throws IOException {
        Path model = saveNamed(classifier());
        Path headerless = file("nohdr.csv", "1,2,0\n3,4,1\n");
        assertEquals("--label needs a header line naming " + headerless + "'s columns, but its first line is a sample (every"
                + " cell a number); add a header line naming each column, \"colour\" among them",
                Cli.error(args("--model", model.toString(), "--input", headerless.toString(), "--label", "colour")));
        // a header without one of the model's features: predict's own refusal, word for word
        Path wrong = file("wrong.csv", "x1,y2,colour\n1,2,red\n");
        String predict = Cli.error("predict", "--backend", "scalar", "--model", model.toString(), "--input", wrong.toString());
        assertEquals(predict, Cli.error(args("--model", model.toString(), "--input", wrong.toString(), "--label", "colour")));
        assertTrue(predict.startsWith(wrong + " has no column \"x2\" of the 2 the model was trained on;"), predict);
        // the label as one of the model's inputs
        String err = Cli.error(args("--model", model.toString(), "--input", wrong.toString(), "--label", "x1"));
        assertTrue(err.startsWith("--label \"x1\" is one of the inputs of " + model), err);
    }

    /** An IDX file: magic 00 00 08 (unsigned bytes) and the dimension count, the dimensions, then the bytes. */
    private Path idx(String name, int[] dims, byte[] data, boolean gzip) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put(new byte[] {0, 0, 8, (byte) dims.length});
        for (int d : dims) b.putInt(d);
        b.put(data);
        Path p = dir.resolve(name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            out.write(b.array());
        }
        return p;
    }

    @Test
    void idxImagesAreScoredAgainstAnIdxLabelsFileOfAsManyRows() throws IOException {
        // 2-pixel "images" (1 x 2), raw values 0..255, and a normaliser fitted on raw pixels as the main job's is
        Network net = classifier();
        Normaliser pixels = Normaliser.of(Normaliser.Kind.STANDARDISE, new float[] {128, 128}, new float[] {60, 70});
        Path model = dir.resolve("images.bpnn");
        ModelFile.save(SavedModel.of(net, pixels, null).withClassNames(CLASSES), model);
        int n = 30;
        byte[] px = new byte[2 * n], lab = new byte[n];
        int[] labels = new int[n];
        Random r = new Random(5);
        for (int i = 0; i < n; i++) {
            px[2 * i] = (byte) r.nextInt(256);
            px[2 * i + 1] = (byte) r.nextInt(256);
            labels[i] = i % 3;
            lab[i] = (byte) labels[i];
        }
        Path images = idx("images-idx3-ubyte.gz", new int[] {n, 1, 2}, px, true);
        Path labelsFile = idx("labels-idx1-ubyte", new int[] {n}, lab, false);
        Cli.Result res = Cli.run(0, args("--model", model.toString(), "--input", images.toString(), "--labels", labelsFile.toString()));
        Tensor x = Tensor.zeros(n, 2);
        for (int i = 0; i < 2 * n; i++) x.data()[i] = px[i] & 0xff;
        Tensor out = net.predict(pixels.apply(x)), y = OneHot.encode(labels, 3);
        JsonNode j = json(res);
        assertEquals(n, j.get("rows").asInt());
        assertEquals(Metrics.accuracy(out, y), j.get("test_accuracy").asDouble(), res.lastLine());
        assertEquals(ConfusionMatrix.of(out, y).macroF1(), j.get("macro_f1").asDouble(), res.lastLine());
        assertEquals(net.evaluateLoss(pixels.apply(x), y), j.get("test_loss").asDouble(), res.lastLine());

        // a labels file of another length is refused, with both counts
        Path fewer = idx("fewer-idx1-ubyte", new int[] {n - 1}, java.util.Arrays.copyOf(lab, n - 1), false);
        assertEquals("--labels " + fewer + " holds 29 labels, but --input " + images + " holds 30 images; pass the labels file of"
                + " the same images (e.g. t10k-labels-idx1-ubyte.gz with t10k-images-idx3-ubyte.gz)",
                Cli.error(args("--model", model.toString(), "--input", images.toString(), "--labels", fewer.toString())));
        // a label past the model's classes
        lab[7] = 9;
        Path nine = idx("nine-idx1-ubyte", new int[] {n}, lab, false);
        String err = Cli.error(args("--model", model.toString(), "--input", images.toString(), "--labels", nine.toString()));
        assertTrue(err.startsWith("--labels " + nine + ": label 7 is 9, but " + model + " has 3 classes, 0 to 2;"), err);
        // --label on images, --labels on a CSV, neither, both
        err = Cli.error(args("--model", model.toString(), "--input", images.toString(), "--label", "colour"));
        assertTrue(err.startsWith("--label names a CSV column, but " + images + " is an IDX file"), err);
        err = Cli.error(args("--model", model.toString(), "--input", file("p.csv", "a,b\n1,2\n").toString(), "--labels",
                labelsFile.toString()));
        assertTrue(err.startsWith("--labels is for IDX images, but "), err);
        // told so before --labels is read: a CSV passed as --labels too was refused as a malformed IDX labels file
        err = Cli.error(args("--model", model.toString(), "--input", file("q.csv", "a,b\n1,2\n").toString(), "--labels",
                file("labels.csv", "colour\nred\n").toString()));
        assertTrue(err.startsWith("--labels is for IDX images, but "), err);
        err = Cli.error(args("--model", model.toString(), "--input", images.toString()));
        assertTrue(err.startsWith("evaluate needs the true labels: --label COLUMN for a CSV input"), err);
    }

    /**
     * An empty or blank file is said to be empty. It was "--label needs a header line naming e.csv's columns, but its
     * first line is a sample (every cell a number)", of a file without any line.
     */
    @Test
    void anEmptyCsvIsSaidToBeEmpty() throws IOException {
        Path model = saveNamed(classifier());
        for (String text : new String[] {"", "\n \n"}) {
            Path empty = file("e.csv", text);
            assertEquals(empty + " is empty; expected a header line of column names and rows of samples with their labels",
                    Cli.error(args("--model", model.toString(), "--input", empty.toString(), "--label", "colour")),
                    text.length() + " characters");
        }
    }

    /** Weights that are all 0 are refused in evaluate's terms: the reader's refusal said "training on them". */
    @Test
    void weightsThatAreAllZeroAreRefusedWithoutTalkOfTraining() throws IOException {
        Path model = saveNamed(classifier());
        Path test = file("zero.csv", "x1,x2,colour,w\n1,2,red,0\n3,4,blue,0\n");
        assertEquals(test + ": every sample weight in column w (index 3) is 0 (2 rows), so every row would count for nothing;"
                + " give the rows that should count a weight above 0 (1 is unweighted)", Cli.error(args("--model",
                model.toString(), "--input", test.toString(), "--label", "colour", "--weight-column", "w")));
    }

    /** An empty --weight-column, or one beside IDX --labels, is refused before the model or the data is read. */
    @Test
    void aWeightColumnEmptyOrBesideIdxLabelsIsRefusedBeforeAnythingIsRead() throws IOException {
        Path model = file("never-read.bpnn", "not a model: the flags are refused first");
        Path input = file("t.csv", "x1,x2,colour\n1,2,red\n");
        String empty = "--weight-column is empty; expected the name of a column of the CSV's header";
        assertEquals(empty, Cli.error(args("--model", model.toString(), "--input", input.toString(), "--label", "colour",
                "--weight-column", " ")));
        assertEquals("--weight-column is for a CSV input with --label; IDX images have no columns: leave --weight-column out",
                Cli.error(args("--model", model.toString(), "--input", input.toString(), "--labels", input.toString(),
                        "--weight-column", "w")));
        // an empty one is said to be empty, with --labels too
        assertEquals(empty, Cli.error(args("--model", model.toString(), "--input", input.toString(), "--labels", input.toString(),
                "--weight-column", " ")));
    }

    @Test
    void helpListsTheFlags() {
        String help = Cli.run(0, "evaluate", "--help").out();
        for (String flag : new String[] {"--model=FILE", "--input=FILE", "--label=COLUMN", "--labels=FILE", "--weight-column=COLUMN",
                "--threshold=P", "--output=FILE", "--delimiter=CHAR", "--decimal-separator=CHAR", "--backend"}) {
            assertTrue(help.contains(flag), flag + " in\n" + help);
        }
        assertTrue(Cli.run(0, "--help").out().contains("evaluate"));
    }
}
