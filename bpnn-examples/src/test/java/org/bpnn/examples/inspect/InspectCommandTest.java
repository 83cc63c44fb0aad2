package org.bpnn.examples.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bpnn.backend.Backend;
import org.bpnn.backend.Backends;
import org.bpnn.data.Dataset;
import org.bpnn.data.Normaliser;
import org.bpnn.examples.Cli;
import org.bpnn.examples.ModelLimitOptions;
import org.bpnn.io.model.Checkpoint;
import org.bpnn.io.model.CheckpointFile;
import org.bpnn.io.model.CsvDialect;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.bpnn.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./bpnn inspect on models saved by a small training here: the facts it prints, and how it fails. */
class InspectCommandTest {
    private static final Backend SCALAR = Backends.get("scalar", 1);

    @TempDir
    Path dir;

    /** 30 rows of 4 features in 3 classes, as raw (unnormalised) values. */
    private static Dataset irisLike() {
        java.util.Random r = new java.util.Random(3);
        float[][] x = new float[30][4];
        int[] labels = new int[30];
        for (int i = 0; i < 30; i++) {
            labels[i] = i % 3;
            for (int j = 0; j < 4; j++) x[i][j] = 10 * labels[i] + j + (float) r.nextGaussian();
        }
        float[] flat = new float[120];
        for (int i = 0; i < 30; i++) System.arraycopy(x[i], 0, flat, 4 * i, 4);
        return Dataset.ofLabels(Tensor.wrap(30, 4, flat), labels, 3);
    }

    private static Network classifier() {
        return Network.builder(4).dense(8, Activation.relu()).dropout(0.5).dense(3, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(7).backend(SCALAR).build();
    }

    private static Trainer.Builder trainer() {
        return Trainer.builder().optimizer(new Sgd(0.1)).epochs(2).batchSize(8).shuffle(1);
    }

    /** A classifier trained for two epochs, saved with its normaliser, names and a training summary. */
    private Path savedClassifier() throws IOException {
        Dataset raw = irisLike();
        Normaliser norm = Normaliser.standardise(raw);
        Network net = classifier();
        trainer().build().fit(net, norm.apply(raw));
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("epochs", 2);
        training.put("train_accuracy", 0.75);
        training.put("data", "iris-like");
        SavedModel m = SavedModel.of(net, norm, training).withFeatureNames(List.of("sepal_length", "sepal_width", "petal_length", "petal_width"))
                .withClassNames(List.of("setosa", "versicolor", "virginica"));
        Path file = dir.resolve("iris.bpnn");
        ModelFile.save(m, file);
        return file;
    }

    private static String[] args(Path model, String... more) {
        return Cli.concat(new String[] {"inspect", "--backend", "scalar", "--threads", "1", "--model", model.toString()}, more);
    }

    @Test
    void printsTheNetworksSummaryAndTheFactsSavedWithIt() throws IOException {
        Path file = savedClassifier();
        Cli.Result r = Cli.run(0, args(file));
        String out = r.out();
        assertTrue(out.startsWith("Model file: " + file + " (bpnn model file, format version 1)\n"), out);
        // the loaded network's summary, whole (loaded onto the scalar backend with 1 thread)
        assertTrue(out.contains(ModelFile.load(file, SCALAR).network().summary()), out);
        assertTrue(out.contains("\n1  Dense              8  relu                40\n"), out);
        assertTrue(out.contains("\n2  Dropout(0.5)       8  -                    0\n"), out);
        assertTrue(out.contains("\nTotal parameters: 67\n"), out);
        assertTrue(out.contains("\nTask: classification, 3 classes\n"), out);
        assertTrue(out.contains("\nFeatures: 4: sepal_length, sepal_width, petal_length, petal_width\n"), out);
        assertTrue(out.contains("\nClasses: 3: setosa, versicolor, virginica\n"), out);
        assertTrue(out.contains("\nInput normaliser: standardise over 4 columns, saved with the model\n"), out);
        assertFalse(out.contains("Target normaliser") || out.contains("Targets:") || out.contains("Threshold"), out);
        assertTrue(out.contains(", trained on the scalar backend, seed 7\n"), out);
        assertTrue(out.contains("\nTraining summary:\n  epochs:         2\n  train_accuracy: 0.75\n  data:           iris-like\n"), out);
        assertEquals("{\"example\":\"inspect\",\"backend\":\"scalar\",\"threads\":1,\"jdk\":\"" + System.getProperty("java.version")
                + "\",\"model\":\"" + file + "\",\"kind\":\"model\",\"format_version\":1,\"parameters\":67}", r.lastLine());
        assertEquals("", r.err());
    }

    @Test
    void jsonIsOneObjectWithEveryFact() throws IOException {
        Path file = savedClassifier();
        Cli.Result r = Cli.run(0, args(file, "--json"));
        assertEquals(1, r.out().strip().lines().count(), r.out());
        String j = r.lastLine();
        assertTrue(j.startsWith("{\"example\":\"inspect\",\"backend\":\"scalar\",\"threads\":1,"), j);
        for (String part : new String[] {
                "\"kind\":\"model\",\"format_version\":1,\"parameters\":67,",
                "\"input_size\":4,\"outputs\":3,\"task\":\"classification\",\"loss\":\"categorical_cross_entropy\",",
                "\"layers\":[{\"kind\":\"Dense\",\"outputs\":8,\"activation\":\"relu\",\"parameters\":40},"
                        + "{\"kind\":\"Dropout\",\"outputs\":8,\"rate\":0.5,\"parameters\":0},"
                        + "{\"kind\":\"Dense\",\"outputs\":3,\"activation\":\"softmax\",\"parameters\":27}],",
                "\"feature_names\":[\"sepal_length\",\"sepal_width\",\"petal_length\",\"petal_width\"],",
                "\"class_names\":[\"setosa\",\"versicolor\",\"virginica\"],\"target_names\":null,",
                "\"normaliser\":\"standardise\",\"target_normaliser\":null,\"threshold\":null,",
                "\"trained_backend\":\"scalar\",\"seed\":7,",
                "\"training\":{\"epochs\":2,\"train_accuracy\":0.75,\"data\":\"iris-like\"}}"}) {
            assertTrue(j.contains(part), part + " in " + j);
        }
        assertFalse(j.contains("loss_parameter") || j.contains("checkpoint_epoch"), j);
    }

    @Test
    void aRegressionShowsItsTargetsAndTargetNormaliser() throws IOException {
        float[] x = new float[20], y = new float[20];
        for (int i = 0; i < 20; i++) {
            x[i] = i;
            y[i] = 100 + 3 * i;
        }
        Normaliser xn = Normaliser.standardise(Tensor.wrap(20, 1, x)), yn = Normaliser.standardise(Tensor.wrap(20, 1, y));
        Network net = Network.builder(1).dense(4, Activation.leakyRelu(0.01f)).dense(1, Activation.identity())
                .loss(Loss.huber(1.5)).seed(3).backend(SCALAR).build();
        trainer().build().fit(net, new Dataset(xn.apply(Tensor.wrap(20, 1, x)), yn.apply(Tensor.wrap(20, 1, y))));
        Path file = dir.resolve("reg.bpnn");
        ModelFile.save(SavedModel.of(net, xn, yn, null).withTargetNames(List.of("price")), file);
        String out = Cli.run(0, args(file)).out();
        assertTrue(out.contains("\n1  Dense       4  leaky_relu(0.01)           8\n"), out);
        assertTrue(out.contains("\nLoss: huber(1.5)\n"), out);
        assertTrue(out.contains("\nTask: regression, 1 output\nFeatures: 1, unnamed\nTargets: 1: price\n"), out);
        assertTrue(out.contains("\nTarget normaliser: standardise over 1 column, saved with the model\n"), out);
        assertTrue(out.contains("\nTraining summary: none saved\n"), out);
        String j = Cli.run(0, args(file, "--json")).lastLine();
        assertTrue(j.contains("\"task\":\"regression\",\"loss\":\"huber\",\"loss_parameter\":1.5,"), j);
        assertTrue(j.contains("\"activation\":\"leaky_relu\",\"activation_parameter\":0.01,"), j);
        assertTrue(j.contains("\"feature_names\":null,\"class_names\":null,\"target_names\":[\"price\"],"
                + "\"normaliser\":\"standardise\",\"target_normaliser\":\"standardise\""), j);
        assertTrue(j.contains("\"training\":{}}"), j);
    }

    @Test
    void aTwoClassModelShowsItsThreshold() throws IOException {
        Network net = Network.builder(2).dense(1, Activation.sigmoid()).loss(Loss.binaryCrossEntropy()).backend(SCALAR).build();
        Path with = dir.resolve("t.bpnn"), without = dir.resolve("u.bpnn");
        ModelFile.save(SavedModel.of(net).withThreshold(0.25f), with);
        ModelFile.save(SavedModel.of(net), without);
        assertTrue(Cli.run(0, args(with)).out().contains("\nClasses: 2, unnamed\nInput normaliser: none (inputs go in as they are)\n"
                + "Threshold: 0.25 (class 1 from this probability)\n"));
        assertTrue(Cli.run(0, args(without)).out().contains("\nThreshold: none saved (class 1 from probability 0.5)\n"));
        assertTrue(Cli.run(0, args(with, "--json")).lastLine().contains("\"threshold\":0.25,"));
        // two softmax outputs, as ./bpnn train saves two classes, take a threshold on output1 too
        Network two = Network.builder(2).dense(2, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).backend(SCALAR).build();
        ModelFile.save(SavedModel.of(two).withThreshold(0.25f), with);
        ModelFile.save(SavedModel.of(two), without);
        assertTrue(Cli.run(0, args(with)).out().contains("\nThreshold: 0.25 (class 1 from this probability of class 1, output1)\n"));
        assertTrue(Cli.run(0, args(without)).out().contains("\nThreshold: none saved (the larger probability; class 0 on a tie)\n"));
        // a regression's values take none, and no rule is shown for them
        Network values = Network.builder(2).dense(1, Activation.identity()).loss(Loss.mse()).backend(SCALAR).build();
        ModelFile.save(SavedModel.of(values), without);
        String out = Cli.run(0, args(without)).out();
        assertFalse(out.contains("Threshold"), out);
    }

    /**
     * A sigmoid output trained with mse (as ./bpnn seed's outputs are) outputs classes (Network.outputsClasses),
     * and predict writes its class column at its saved threshold: inspect says it is a classification
     * with its classes and threshold (the default rule when none is saved). Before, it said regression,
     * with targets, and no default rule, while showing a saved threshold that predict then ignored.
     * Saved with target names or a target normaliser (which its regression loss takes), it shows them too.
     */
    @Test
    void aSigmoidOutputTrainedWithMseIsAClassifier() throws IOException {
        Network mse = Network.builder(2).dense(1, Activation.sigmoid()).loss(Loss.mse()).backend(SCALAR).build();
        Path with = dir.resolve("t.bpnn"), without = dir.resolve("u.bpnn");
        ModelFile.save(SavedModel.of(mse).withClassNames(List.of("no", "yes")).withThreshold(0.25f), with);
        ModelFile.save(SavedModel.of(mse), without);
        String out = Cli.run(0, args(with)).out();
        assertTrue(out.contains("\nTask: classification, 2 classes\nFeatures: 2, unnamed\nClasses: 2: no, yes\n"
                + "Input normaliser: none (inputs go in as they are)\nThreshold: 0.25 (class 1 from this probability)\n"), out);
        assertFalse(out.contains("Target"), out);
        out = Cli.run(0, args(without)).out();
        assertTrue(out.contains("\nThreshold: none saved (class 1 from probability 0.5)\n"), out);
        String j = Cli.run(0, args(with, "--json")).lastLine();
        assertTrue(j.contains("\"task\":\"classification\",\"loss\":\"mse\""), j);
        assertTrue(j.contains("\"class_names\":[\"no\",\"yes\"],\"target_names\":null,"), j);

        ModelFile.save(SavedModel.of(mse).withTargetNames(List.of("y")), without);
        out = Cli.run(0, args(without)).out();
        assertTrue(out.contains("\nTask: classification, 2 classes\nFeatures: 2, unnamed\nClasses: 2, unnamed\n"
                + "Targets: 1: y\n"), out);
    }

    @Test
    void theCsvDialectTheModelWasTrainedOnIsShown() throws IOException {
        Network net = Network.builder(2).dense(1, Activation.sigmoid()).loss(Loss.binaryCrossEntropy()).backend(SCALAR).build();
        Path with = dir.resolve("d.bpnn"), tab = dir.resolve("tab.bpnn"), without = dir.resolve("e.bpnn");
        ModelFile.save(SavedModel.of(net).withCsvDialect(new CsvDialect(';', ',')), with);
        ModelFile.save(SavedModel.of(net).withCsvDialect(new CsvDialect('\t', '.')), tab);
        ModelFile.save(SavedModel.of(net), without);
        assertTrue(Cli.run(0, args(with)).out().contains("\nCSV dialect: delimiter ';', decimal separator ',' (the training"
                + " CSV's; predict reads a CSV with it unless --delimiter or --decimal-separator is given)\nSaved by: bpnn "));
        assertTrue(Cli.run(0, args(tab)).out().contains("\nCSV dialect: delimiter tab, decimal separator '.' (the training"));
        assertTrue(Cli.run(0, args(without)).out().contains("\nCSV dialect: none saved (delimiter ',', decimal separator '.',"
                + " the defaults)\n"));
        String j = Cli.run(0, args(with, "--json")).lastLine();
        assertTrue(j.contains(",\"csv_dialect\":{\"delimiter\":\";\",\"decimal_separator\":\",\"},"), j);
        assertTrue(Cli.run(0, args(tab, "--json")).lastLine().contains(",\"csv_dialect\":{\"delimiter\":\"\\t\","));
        assertTrue(Cli.run(0, args(without, "--json")).lastLine().contains(",\"csv_dialect\":null,"));
    }

    /**
     * inspect --json writes a saved threshold in the float's shortest digits, so it reads back as the
     * float the model holds: 7 significant digits wrote 1/3f as 0.3333333 and the float after 0.1 as 0.1.
     */
    @Test
    void theJsonThresholdReadsBackAsTheSavedFloat() throws IOException {
        Network net = Network.builder(2).dense(1, Activation.sigmoid()).loss(Loss.binaryCrossEntropy()).backend(SCALAR).build();
        Path m = dir.resolve("t.bpnn");
        for (float t : new float[] {1 / 3f, Math.nextUp(0.1f), 0.1f + 1e-7f}) {
            ModelFile.save(SavedModel.of(net).withThreshold(t), m);
            String j = Cli.run(0, args(m, "--json")).lastLine();
            assertEquals(t, (float) Cli.number(j, "threshold"), j);
            assertTrue(j.contains("\"threshold\":" + t + ","), j);
        }
    }

    @Test
    void aCheckpointIsSaidToBeOneWithItsTrainingState() throws IOException {
        Dataset raw = irisLike();
        Normaliser norm = Normaliser.standardise(raw);
        Path file = dir.resolve("run.ckpt");
        trainer().listener(CheckpointFile.everyEpoch(file, norm)).build().fit(classifier(), norm.apply(raw));
        String out = Cli.run(0, args(file)).out();
        // 30 rows in batches of 8: 4 steps an epoch
        assertTrue(out.startsWith("Model file: " + file + " (bpnn checkpoint file, format version 1)\n"
                + "Training state: after epoch 2, optimiser sgd at step 8\n"
                + "Batch settings: batch size 8, last partial batch kept, shuffle on, validation split none\n"), out);
        assertTrue(out.contains("\nTotal parameters: 67\n"), out);
        String j = Cli.run(0, args(file, "--json")).lastLine();
        assertTrue(j.contains("\"kind\":\"checkpoint\",\"format_version\":1,\"parameters\":67,"
                + "\"checkpoint_epoch\":2,\"optimizer\":\"sgd\",\"optimizer_step\":8,"
                + "\"batching\":{\"batch_size\":8,\"drop_last_partial_batch\":false,\"shuffle\":true,"
                + "\"validation_split\":0,\"stratified_split\":false,\"split_seed\":null},"), j);
    }

    /**
     * The batch settings a restore compares, the validation split and the seed that chose its rows
     * included, are shown for a checkpoint, in BatchSettings.summary()'s words (as the file's
     * checkpoint.batching in --json); a checkpoint
     * that recorded none says so, and a model file shows none.
     */
    @Test
    void aCheckpointShowsItsBatchSettingsWithTheValidationSplitAndItsSeed() throws IOException {
        Dataset raw = irisLike();
        Normaliser norm = Normaliser.standardise(raw);
        Path file = dir.resolve("split.ckpt");
        trainer().stratifiedValidationSplit(0.2).dropLastPartialBatch().noShuffle().listener(CheckpointFile.everyEpoch(file, norm))
                .build().fit(classifier(), norm.apply(raw));
        String out = Cli.run(0, args(file)).out();
        // 24 training rows in batches of 8: 3 steps an epoch
        assertTrue(out.contains("\nTraining state: after epoch 2, optimiser sgd at step 6\nBatch settings: batch size 8, last"
                + " partial batch dropped, shuffle off (noShuffle), validation split 0.2 stratified, split seed 1\n\n"), out);
        String j = Cli.run(0, args(file, "--json")).lastLine();
        assertTrue(j.contains(",\"batching\":{\"batch_size\":8,\"drop_last_partial_batch\":true,\"shuffle\":false,"
                + "\"validation_split\":0.2,\"stratified_split\":true,\"split_seed\":1},"), j);

        Checkpoint c = CheckpointFile.load(file, SCALAR);
        assertTrue(out.contains("\nBatch settings: " + c.batchSettings().summary() + "\n"), "BatchSettings' own words: " + out);
        Path unrecorded = dir.resolve("unrecorded.ckpt");
        CheckpointFile.save(new Checkpoint(c.model(), c.state().withBatchSettings(null)), unrecorded);
        out = Cli.run(0, args(unrecorded)).out();
        assertTrue(out.contains("\nBatch settings: not recorded (a checkpoint written before 2026-12-01; a restore cannot"
                + " compare them with the trainer's)\n"), out);
        assertTrue(Cli.run(0, args(unrecorded, "--json")).lastLine().contains(",\"optimizer_step\":6,\"batching\":null,"));

        Path model = savedClassifier();
        assertFalse(Cli.run(0, args(model)).out().contains("Batch settings"));
        assertFalse(Cli.run(0, args(model, "--json")).lastLine().contains("batching"));
    }

    @Test
    void aMissingFileOrADirectoryIsOneLineNamingTheFlag() {
        Path missing = dir.resolve("nope.bpnn");
        assertTrue(Cli.error(args(missing)).startsWith("--model " + missing + " does not exist; expected a model file saved by bpnn"));
        assertTrue(Cli.error(args(dir)).startsWith("--model " + dir + " is a directory; expected"));
    }

    @Test
    void aFileThatIsNoModelIsOneLine() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.bpnn"), "hello, this is not a model\n");
        String e = Cli.error(args(text));
        assertTrue(e.contains("not a bpnn model file"), e);
        Path cut = dir.resolve("cut.bpnn");
        byte[] whole = Files.readAllBytes(savedClassifier());
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 10));
        assertTrue(Cli.error(args(cut)).contains(cut.toString()));
    }

    @Test
    void theLoadLimitsAreFlagsWhoseRefusalNamesTheNumberToPass() throws IOException {
        Path file = savedClassifier();
        String e = Cli.error(args(file, "--max-floats", "10"));
        assertTrue(e.contains("more than the 10 --max-floats allows; if you trust the file and have the memory, pass --max-floats "), e);
        assertTrue(Cli.error(args(file, "--max-layers", "0")).startsWith("--max-layers must be in 1.." + ModelLimitOptions.MAX_LAYERS + ", got 0"));
        assertTrue(Cli.error(args(file, "--max-units", "2")).contains("--max-units"));
        assertEquals(ModelFile.Limits.DEFAULT.maxHeaderBytes() / 2, ModelLimitOptions.MAX_LAYERS);
    }

    @Test
    void longNameListsAreCutInTheTextOnly() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 25; i++) names.add("f" + i);
        assertEquals("25: f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19, ..."
                + " (25 in all; --json lists them)", InspectCommand.names(names, 25));
        assertEquals("784, unnamed", InspectCommand.names(null, 784));
    }
}
