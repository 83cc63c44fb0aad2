package org.bpnn.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.bpnn.examples.Cli;
import org.bpnn.io.model.CsvDialect;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ./bpnn train on small generated CSV files, then ./bpnn predict with the model it saved. On the
 * scalar backend with one thread and fixed seeds, so each run is the same bits and takes well under a second.
 */
class TrainCommandTest {
    static final String[] SPECIES = {"setosa", "versicolor", "virginica"};

    @TempDir
    Path dir;

    /**
     * 300 rows of three Gaussian blobs (sd 1) in two dimensions, centres 4 apart, with a text label and
     * a column of text the features leave out by --features; the rows' classes in turn.
     */
    private Path blobs() throws IOException {
        Random r = new Random(3);
        double[][] centres = {{0, 0}, {4, 0}, {2, 4}};
        StringBuilder sb = new StringBuilder("x1,species,x2\n");
        for (int i = 0; i < 300; i++) {
            double[] c = centres[i % 3];
            sb.append(String.format(Locale.ROOT, "%.4f,%s,%.4f%n", c[0] + r.nextGaussian(), SPECIES[i % 3], c[1] + r.nextGaussian()));
        }
        return Files.writeString(dir.resolve("blobs.csv"), sb, StandardCharsets.UTF_8);
    }

    /** 300 rows of y = 2a - b + N(0, 0.1^2) with a, b uniform on [-3, 3]. */
    private Path linear() throws IOException {
        Random r = new Random(4);
        StringBuilder sb = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 300; i++) {
            double a = -3 + 6 * r.nextDouble(), b = -3 + 6 * r.nextDouble();
            sb.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f%n", a, b, 2 * a - b + 0.1 * r.nextGaussian()));
        }
        return Files.writeString(dir.resolve("linear.csv"), sb, StandardCharsets.UTF_8);
    }

    private static String[] args(String... more) {
        return Cli.concat(new String[] {"train", "--backend", "scalar", "--threads", "1", "--seed", "1"}, more);
    }

    @Test
    void aClassifierOnTextLabelsIsSavedWithItsNamesAndPredictWritesThem() throws IOException {
        Path csv = blobs(), model = dir.resolve("out/blobs.bpnn");
        Cli.Result r = Cli.run(0, args("--input", csv.toString(), "--label", "species", "--epochs", "20",
                "--learning-rate", "0.01", "--hidden", "16", "--out", model.toString()));
        String json = r.lastLine();
        assertTrue(json.startsWith("{\"example\":\"train\",\"backend\":\"scalar\",\"threads\":1,"), json);
        assertTrue(json.contains("\"task\":\"classification\"") && json.contains("\"classes\":3") && json.contains("\"epochs\":20"), json);
        assertTrue(Cli.number(json, "val_accuracy") >= 0.9, json); // blobs 4 sd apart: about 0.98 by the Bayes rule
        assertTrue(Cli.number(json, "median_epoch_seconds") > 0 && Cli.number(json, "samples_per_second") > 0, json);
        assertTrue(json.endsWith("\"model\":\"" + model + "\"}"), json);
        assertTrue(r.out().contains("Epoch 1/20 ") && r.out().contains("Epoch 20/20 ") && r.out().contains("val_accuracy"), r.out());

        SavedModel saved = ModelFile.load(model);
        assertEquals(List.of(SPECIES), saved.classNames());
        assertEquals(List.of("x1", "x2"), saved.featureNames()); // every column but the label, in file order
        assertTrue(saved.normaliser() != null, "the features' standardisation is in the model");

        // predict takes the training CSV as it is: the features by name, the label column left out
        Path predictions = dir.resolve("p.csv");
        Cli.run(0, "predict", "--backend", "scalar", "--threads", "1", "--model", model.toString(), "--input", csv.toString(),
                "--output", predictions.toString());
        List<String> lines = Files.readAllLines(predictions);
        assertTrue(lines.get(0).startsWith("row,class,class_name,"), lines.get(0));
        assertEquals(301, lines.size());
        int right = 0;
        for (int i = 1; i < lines.size(); i++) {
            right += lines.get(i).split(",")[2].equals(SPECIES[(i - 1) % 3]) ? 1 : 0;
        }
        assertTrue(right >= 270, right + " of 300 rows predicted as their species");
    }

    @Test
    void aRegressionReachesALowRmseInTheTargetsUnits() throws IOException {
        Path csv = linear(), model = dir.resolve("linear.bpnn");
        String json = Cli.run(0, args("--input", csv.toString(), "--label", "y", "--task", "regression", "--epochs", "150",
                "--learning-rate", "0.01", "--hidden", "16", "--early-stopping", "20", "--monitor", "rmse",
                "--out", model.toString())).lastLine();
        assertTrue(json.contains("\"task\":\"regression\""), json);
        // y's standard deviation is about 4.7 and the noise's 0.1 (about 0.12 is reached)
        assertTrue(Cli.number(json, "val_rmse") < 0.2, json);
        assertEquals(Cli.number(json, "val_rmse") * Cli.number(json, "val_rmse"), Cli.number(json, "val_mse"), 1e-6);
        SavedModel saved = ModelFile.load(model);
        assertEquals(List.of("y"), saved.targetNames());
        float[] y = saved.predict(1f, -1f); // raw inputs in, the target's units out: 2 * 1 - (-1) = 3
        assertEquals(3f, y[0], 0.3f);
    }

    @Test
    void aMistypedMonitorIsAnsweredWithTheNearestName() throws IOException {
        // the command listed its monitors but did not say which was meant, as Trainer.Builder.build() does
        String in = blobs().toString(), lin = linear().toString(), o = dir.resolve("m.bpnn").toString();
        String expected = "unknown --monitor '%s' for classification; expected loss, accuracy, macro_f1, auc";
        for (String[] typed : new String[][] {{"acc", "accuracy"}, {"ACCURACY", "accuracy"}, {"val_acc", "accuracy"},
                {"macro-f1", "macro_f1"}, {"los", "loss"}}) {
            Cli.Result r = Cli.run(1, args("--input", in, "--label", "species", "--early-stopping", "3", "--monitor", typed[0],
                    "--out", o));
            assertEquals("bpnn: error: " + expected.formatted(typed[0]) + "; did you mean --monitor " + typed[1] + "?",
                    r.err().strip());
            assertEquals("", r.out(), "refused before the data is read");
        }
        assertEquals("unknown --monitor 'rsme' for regression; expected loss, rmse, mae, r2; did you mean --monitor rmse?",
                Cli.error(args("--input", lin, "--label", "y", "--task", "regression", "--monitor", "rsme", "--out", o)));
        // two as near: both, in the trainer's order
        assertEquals("unknown --monitor 'mse' for regression; expected loss, rmse, mae, r2; did you mean --monitor rmse or"
                + " --monitor mae?", Cli.error(args("--input", lin, "--label", "y", "--task", "regression", "--monitor", "mse",
                "--out", o)));
        // a name near none says nothing more; another task's name keeps its own hint
        assertEquals(expected.formatted("kappa"), Cli.error(args("--input", in, "--label", "species", "--monitor", "kappa", "--out", o)));
        assertTrue(Cli.error(args("--input", in, "--label", "species", "--monitor", "rmse", "--out", o))
                .endsWith("auc (rmse is for regression: pass --task regression if \"species\" is a number to predict)"));
    }

    @Test
    void badFlagsAndColumnsFailInOneLine() throws IOException {
        Path blobs = blobs(), linear = linear(), out = dir.resolve("m.bpnn");
        String in = blobs.toString(), o = out.toString();
        assertEquals("--label: no column \"Species\" in the header; expected one of \"x1\", \"species\", \"x2\" (names are"
                + " case-sensitive: \"species\"?)", Cli.error(args("--input", in, "--label", "Species", "--out", o)));
        assertTrue(Cli.error(args("--input", linear.toString(), "--label", "y", "--task", "regression", "--class-weights",
                "balanced", "--out", o)).startsWith("--class-weights balanced is for classification, but --task is regression"));
        String text = Cli.error(args("--input", in, "--label", "species", "--task", "regression", "--out", o));
        assertTrue(text.contains("expected a number, found \"setosa\"") && text.contains("--task regression needs a number"), text);
        String features = Cli.error(args("--input", in, "--label", "x1", "--features", "x1,x2", "--out", o));
        assertTrue(features.startsWith("--features names the --label column \"x1\""), features);
        String numbers = Cli.error(args("--input", linear.toString(), "--label", "y", "--out", o));
        assertTrue(numbers.contains("a regression target? pass --task regression"), numbers);
        assertTrue(Cli.error(args("--input", dir.resolve("none.csv").toString(), "--label", "y")).endsWith("does not exist;"
                + " expected a CSV file with a header row"));
        assertTrue(Cli.error(args("--input", in, "--label", "species", "--monitor", "accuracy", "--out", o))
                .contains("but --early-stopping is not given"));
        // usage errors: picocli's, exit 2, one line naming the command's --help
        for (String[] bad : new String[][] {{"--bogus"}, {"--label", "x2"}, {"--hidden", "a"}}) {
            Cli.Result r = Cli.run(2, args(Cli.concat(new String[] {"--input", in, "--label", "species", "--out", o}, bad)));
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().endsWith("(see: ./bpnn train --help)" + System.lineSeparator()), r.err());
        }
        assertFalse(Files.exists(out), "no run saved a model");
    }

    @Test
    void aFileWithDecimalCommasIsReadWithDecimalSeparatorAndTheRefusalNamesTheFlag() throws IOException {
        Path comma = european();
        String o = dir.resolve("komma.bpnn").toString();
        String refused = Cli.error(args("--input", comma.toString(), "--delimiter", ";", "--label", "y", "--task", "regression",
                "--out", o));
        assertTrue(refused.endsWith("; pass --decimal-separator ','"), refused);
        String json = Cli.run(0, args("--input", comma.toString(), "--delimiter", ";", "--decimal-separator", ",", "--label", "y",
                "--task", "regression", "--epochs", "150", "--learning-rate", "0.01", "--hidden", "16", "--early-stopping",
                "20", "--monitor", "rmse", "--out", o)).lastLine();
        assertTrue(Cli.number(json, "val_rmse") < 0.2, json); // the same data as aRegressionReachesALowRmse...
        assertTrue(Cli.error(args("--input", comma.toString(), "--label", "y", "--decimal-separator", ";", "--out", o))
                .startsWith("--decimal-separator must be . or , got ';'"));
    }

    @Test
    void digitsGroupedInThreesNameTheDecimalSeparatorFlagAndTheThousandsRemedy() throws IOException {
        // "1,288" is 1288 or 1.288; the refusal said to write one or the other, never naming --decimal-separator
        Path semi = Files.writeString(dir.resolve("grouped.csv"), "x1;x2;y\n1,288;2;a\n3;4;b\n5;6;a\n7;8;b\n", StandardCharsets.UTF_8);
        Path quoted = Files.writeString(dir.resolve("grouped-quoted.csv"), "x1,x2,y\n\"1,288\",2,a\n3,4,b\n5,6,a\n7,8,b\n",
                StandardCharsets.UTF_8);
        String o = dir.resolve("grouped.bpnn").toString();
        for (String[] run : new String[][] {{"--input", semi.toString(), "--delimiter", ";"}, {"--input", quoted.toString()}}) {
            String refused = Cli.error(args(Cli.concat(run, "--label", "y", "--out", o)));
            assertTrue(refused.contains("found \"1,288\": a thousands separator (1288) or a decimal comma (1.288)?"), refused);
            assertTrue(refused.endsWith("; if the ',' groups thousands, remove it from the numbers (e.g. export the file without"
                    + " digit grouping); if it is a decimal comma, pass --decimal-separator ','"), refused);
        }
        assertFalse(Files.exists(Path.of(o)), "no model saved");
    }

    /** The blobs file with its features' decimal commas quoted under the ',' delimiter, as pandas' to_csv(decimal=',') writes it. */
    private Path quotedDecimalCommas() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line : Files.readAllLines(blobs())) {
            String[] c = line.split(",");
            sb.append(c[0].equals("x1") ? line : "\"" + c[0].replace('.', ',') + "\"," + c[1] + ",\"" + c[2].replace('.', ',') + "\"")
                    .append('\n');
        }
        return Files.writeString(dir.resolve("quoted.csv"), sb, StandardCharsets.UTF_8);
    }

    @Test
    void predictReadsTheQuotedDecimalCommasTrainReadsWithTheSameFlags() throws IOException {
        // "1,5" quoted in a ',' file (pandas' to_csv(decimal=',')): train took --decimal-separator ',' with the default
        // --delimiter, and predict refused the same flags on the same file
        Path csv = quotedDecimalCommas(), model = dir.resolve("quoted.bpnn");
        Cli.run(0, args("--input", csv.toString(), "--label", "species", "--decimal-separator", ",", "--epochs", "2",
                "--hidden", "4", "--out", model.toString()));
        Cli.Result p = predict(0, model, csv, "--decimal-separator", ",");
        assertEquals(302, p.out().strip().lines().count(), p.out()); // the header, 300 rows and the JSON line
    }

    /** The linear file as a spreadsheet in a European locale writes it: ';' between fields, ',' in numbers. */
    private Path european() throws IOException {
        return Files.writeString(dir.resolve("komma.csv"), Files.readString(linear()).replace(',', ';').replace('.', ','),
                StandardCharsets.UTF_8);
    }

    private static Cli.Result predict(int exit, Path model, Path input, String... flags) {
        List<String> a = new ArrayList<>(List.of("predict", "--backend", "scalar", "--threads", "1", "--model", model.toString(),
                "--input", input.toString()));
        a.addAll(List.of(flags));
        return Cli.run(exit, a.toArray(String[]::new));
    }

    @Test
    void predictReadsACsvWithTheDialectTheModelWasTrainedOnWithoutTheFlags() throws IOException {
        // trained with --delimiter ';' --decimal-separator ',', predict refused the same file without them again
        Path comma = european(), model = dir.resolve("komma.bpnn");
        Cli.run(0, args("--input", comma.toString(), "--delimiter", ";", "--decimal-separator", ",", "--label", "y",
                "--task", "regression", "--epochs", "2", "--hidden", "4", "--out", model.toString()));
        Cli.Result plain = predict(0, model, comma);
        assertEquals("", plain.err(), "no note: no flag given");
        assertEquals(new CsvDialect(';', ','), ModelFile.load(model).csvDialect());
        List<String> rows = plain.out().strip().lines().toList();
        assertEquals(302, rows.size(), plain.out()); // the header, 300 rows and the JSON line
        assertEquals("row,predicted_y", rows.get(0));
        Cli.Result flags = predict(0, model, comma, "--delimiter", ";", "--decimal-separator", ",");
        assertEquals("", flags.err(), "no note: the flags say what the model says");
        assertEquals(rows.subList(0, 301), flags.out().strip().lines().toList().subList(0, 301), "the same predictions");

        // a default-dialect file trains a model whose file holds no dialect: older bpnn versions still read it
        Path linear = dir.resolve("linear.csv"), plainModel = dir.resolve("linear.bpnn");
        Cli.run(0, args("--input", linear.toString(), "--label", "y", "--task", "regression", "--epochs", "1", "--hidden", "4",
                "--out", plainModel.toString()));
        assertFalse(new String(Files.readAllBytes(plainModel), StandardCharsets.ISO_8859_1).contains("csv_dialect"));
        assertEquals(null, ModelFile.load(plainModel).csvDialect());
    }

    @Test
    void aFlagThatDiffersFromTheModelsDialectWinsWithOneNote() throws IOException {
        Path comma = european(), model = dir.resolve("komma.bpnn");
        Cli.run(0, args("--input", comma.toString(), "--delimiter", ";", "--decimal-separator", ",", "--label", "y",
                "--task", "regression", "--epochs", "2", "--hidden", "4", "--out", model.toString()));
        // the same numbers with decimal points, still ';'-separated: the model's ',' would refuse every cell
        Path points = Files.writeString(dir.resolve("points.csv"), Files.readString(comma).replace(',', '.'), StandardCharsets.UTF_8);
        Cli.Result r = predict(0, model, points, "--decimal-separator", ".");
        assertEquals("bpnn: note: the model was trained on a CSV with decimal separator ','; --decimal-separator '.' overrides it",
                r.err().strip());
        assertEquals(302, r.out().strip().lines().count(), r.out());
        assertEquals(predict(0, model, comma).out().strip().lines().toList().subList(0, 301),
                r.out().strip().lines().toList().subList(0, 301), "read with the flag: the same values, the same predictions");
        // both flags: one line naming both
        Path pipes = Files.writeString(dir.resolve("pipes.csv"), Files.readString(points).replace(';', '|'), StandardCharsets.UTF_8);
        Cli.Result both = predict(0, model, pipes, "--delimiter", "|", "--decimal-separator", ".");
        assertEquals("bpnn: note: the model was trained on a CSV with delimiter ';' and decimal separator ','; --delimiter '|'"
                + " and --decimal-separator '.' override them", both.err().strip());
        // without the flag, the model's dialect refuses the file, naming the flag to pass
        String refused = Cli.error("predict", "--backend", "scalar", "--threads", "1", "--model", model.toString(), "--input",
                points.toString());
        assertTrue(refused.contains("pass --decimal-separator '.'"), refused);
    }

    @Test
    void aModelOfQuotedDecimalCommasRefusesHeaderNoNamingWhereTheSeparatorCameFrom() throws IOException {
        Path csv = quotedDecimalCommas(), model = dir.resolve("quoted.bpnn");
        Cli.run(0, args("--input", csv.toString(), "--label", "species", "--decimal-separator", ",", "--epochs", "1",
                "--hidden", "4", "--out", model.toString()));
        assertEquals(302, predict(0, model, csv).out().strip().lines().count(), "read with the model's dialect");
        assertEquals(new CsvDialect(',', ','), ModelFile.load(model).csvDialect());
        Path rows = Files.writeString(dir.resolve("rows.csv"), "\"1,5\",\"2,5\"\n", StandardCharsets.UTF_8);
        assertEquals("the decimal separator ',' the model was trained with is also its delimiter, which needs the file's header"
                + " line (its field count shows an unquoted 1,5 as two values), but --header is no; pass the file's field"
                + " separator with --delimiter (';' for a file with decimal commas)",
                Cli.error("predict", "--backend", "scalar", "--threads", "1", "--model", model.toString(), "--input",
                        rows.toString(), "--header", "no"));
    }

    @Test
    void aLabelOfDecimalCommaNumbersWithoutTaskIsRefusedAsALikelyRegressionTarget() throws IOException {
        // read with '.', "4,5273" was text: every value a class (300 softmax outputs), trained without a word
        Path comma = european();
        Path out = dir.resolve("komma.bpnn");
        String refused = Cli.error(args("--input", comma.toString(), "--delimiter", ";", "--decimal-separator", ",",
                "--label", "y", "--out", out.toString()));
        assertTrue(refused.startsWith("the --label column \"y\" holds numbers, among them ")
                && refused.contains("a regression target? pass --task regression"), refused);
        assertFalse(Files.exists(out), "no model saved");
    }

    @Test
    void excludeLeavesOutAnIdAndTextColumnsAndTheTextRefusalNamesIt() throws IOException {
        // an export as it comes: an id, a text column no feature can be, then the numbers and the label
        StringBuilder sb = new StringBuilder("id,city,x1,x2,species\n");
        for (String line : Files.readAllLines(blobs()).subList(1, 301)) {
            String[] f = line.split(",");
            sb.append("C").append(sb.length()).append(",Paris,").append(f[0]).append(',').append(f[2]).append(',').append(f[1]).append('\n');
        }
        Path csv = Files.writeString(dir.resolve("export.csv"), sb, StandardCharsets.UTF_8), model = dir.resolve("export.bpnn");
        String in = csv.toString(), o = model.toString();
        // the refusal of text columns names every one (before: only the first, id, so two runs to learn of city) and the
        // flag with them, after the columns already left out with it
        String refused = Cli.error(args("--input", in, "--label", "species", "--out", o));
        assertTrue(refused.endsWith("; every feature must be a finite number, and 2 feature columns hold text (in the first 300"
                + " data rows): \"id\" (e.g. \"C23\"), \"city\" (e.g. \"Paris\"); leave them out with --exclude id,city (a text"
                + " column needs encoding as numbers first), or fix the values"), refused);
        assertTrue(Cli.error(args("--input", in, "--label", "species", "--exclude", "id", "--out", o))
                .endsWith("; every feature must be a finite number: fix the value, or leave the column out with --exclude id,city"
                        + " (a text column needs encoding as numbers first)"));
        assertTrue(Cli.error(args("--input", in, "--label", "species", "--features", "x1,city", "--out", o))
                .contains("leave the column out of --features "));
        // a third text column further on (line 5), and missing values (not text) in x1, which is not listed
        List<String> lines = new ArrayList<>(Files.readAllLines(csv));
        lines.set(0, lines.get(0) + ",notes");
        for (int i = 1; i < lines.size(); i++) lines.set(i, lines.get(i) + (i == 4 ? ",looks fine" : ",1.5"));
        lines.set(2, lines.get(2).replaceFirst("^([^,]*,[^,]*,)[^,]*", "$1NA"));
        Path three = Files.write(dir.resolve("three.csv"), lines, StandardCharsets.UTF_8);
        refused = Cli.error(args("--input", three.toString(), "--label", "species", "--out", o));
        assertTrue(refused.contains("3 feature columns hold text (in the first 300 data rows): \"id\" (e.g. \"C23\"), \"city\""
                + " (e.g. \"Paris\"), \"notes\" (e.g. \"looks fine\"); leave them out with --exclude id,city,notes "), refused);
        assertTrue(Cli.error(args("--input", three.toString(), "--label", "species", "--features", "x1,city,notes", "--out", o))
                .contains("2 feature columns hold text (in the first 300 data rows): \"city\" (e.g. \"Paris\"), \"notes\" (e.g."
                        + " \"looks fine\"); leave them out of --features "));
        Cli.run(0, args("--input", in, "--label", "species", "--exclude", "id, city", "--epochs", "2", "--out", o));
        assertEquals(List.of("x1", "x2"), ModelFile.load(model).featureNames());
        assertEquals("--exclude: no column \"ID\" in the header; expected one of \"id\", \"city\", \"x1\", \"x2\", \"species\""
                + " (names are case-sensitive: \"id\"?)", Cli.error(args("--input", in, "--label", "species", "--exclude", "ID", "--out", o)));
        assertTrue(Cli.error(args("--input", in, "--label", "species", "--exclude", "id", "--features", "x1", "--out", o))
                .startsWith("--features and --exclude both choose the feature columns"));
        assertTrue(Cli.error(args("--input", in, "--label", "species", "--exclude", "species", "--out", o))
                .startsWith("--exclude names the --label column \"species\""));
        assertTrue(Cli.error(args("--input", in, "--label", "species", "--exclude", "id,city,x1,x2", "--out", o))
                .endsWith(" has no column besides --label and --exclude; a network needs at least one feature column"));
    }

    /**
     * Which class is class 1 decides what predict's --threshold is about; --help and the README did not say how the
     * classes are numbered. Sorted: numerically for integer labels, else by their text, whatever the rows' order.
     */
    @Test
    void theClassesAreNumberedInSortedOrderAsTheHelpSays() throws IOException {
        String help = Cli.run(0, "train", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("The classes are numbered in sorted order, numerically when every label is an integer, else by"
                + " their text (Yes before no), whatever the rows' order, as ./bpnn inspect lists them; of two, class 1 (the one"
                + " predict's --threshold is about) is the later: normal of fraud and normal."), help);
        String o = dir.resolve("order.bpnn").toString();
        Path text = Files.writeString(dir.resolve("text.csv"), "a,y\n1,normal\n2,fraud\n3,normal\n4,fraud\n",
                StandardCharsets.UTF_8);
        Cli.run(0, args("--input", text.toString(), "--label", "y", "--epochs", "1", "--validation-split", "0", "--out", o));
        assertEquals(List.of("fraud", "normal"), ModelFile.load(Path.of(o)).classNames());
        Path integers = Files.writeString(dir.resolve("integers.csv"), "a,y\n1,10\n2,2\n3,10\n4,2\n", StandardCharsets.UTF_8);
        Cli.run(0, args("--input", integers.toString(), "--label", "y", "--epochs", "1", "--validation-split", "0", "--out", o));
        assertEquals(List.of("2", "10"), ModelFile.load(Path.of(o)).classNames());
    }

    /**
     * A column read that the header names twice is refused naming the file, the column and both places; the refusals were
     * the reader's API's: "featureColumns(...) got "a" twice; give each name once" (every other column as features), or
     * "... is ambiguous ...; choose the column by index instead", which no flag can do. One not read (an id left out) is fine.
     */
    @Test
    void aColumnReadThatTheHeaderNamesTwiceIsRefusedNamingIt() throws IOException {
        Path csv = Files.writeString(dir.resolve("twice.csv"), "id,a,b,a,y,id\n1,1,1,1,x,1\n2,3,2,3,z,2\n3,2,3,2,x,3\n"
                + "4,4,4,4,z,4\n", StandardCharsets.UTF_8);
        String in = csv.toString(), o = dir.resolve("twice.bpnn").toString();
        String twice = in + "'s header has the column ";
        assertEquals(twice + "\"a\" twice (at 1 and 3), a feature column, which train takes by name; rename or remove one in the file",
                Cli.error(args("--input", in, "--label", "y", "--exclude", "id", "--out", o)));
        assertEquals(twice + "\"a\" twice (at 1 and 3), a feature column, which train takes by name; rename or remove one in the file",
                Cli.error(args("--input", in, "--label", "y", "--features", "b,a", "--out", o)));
        Path label = Files.writeString(dir.resolve("label.csv"), "a,y,y\n1,x,x\n2,z,z\n", StandardCharsets.UTF_8);
        assertEquals(label + "'s header has the column \"y\" twice (at 1 and 2), the --label column, which train takes by name;"
                + " rename or remove one in the file", Cli.error(args("--input", label.toString(), "--label", "y", "--out", o)));
        Path once = Files.writeString(dir.resolve("once.csv"), "id,a,y,id\n1,1,x,1\n2,3,z,2\n3,2,x,3\n4,4,z,4\n",
                StandardCharsets.UTF_8);
        Cli.run(0, args("--input", once.toString(), "--label", "y", "--exclude", "id", "--epochs", "1", "--validation-split", "0",
                "--out", o));
        assertEquals(List.of("a"), ModelFile.load(Path.of(o)).featureNames());
    }

    @Test
    void columnNamesWithACommaOrAQuoteAreSuggestedQuotedAndTakenByExcludeAndFeatures() throws IOException {
        // the suggestion was --exclude id,city, country,say "hi": three words to a shell, and four names to the flag, which
        // split on every comma and kept a quoted name's quotes, so no name holding a comma could be given at all
        StringBuilder sb = new StringBuilder("id,\"city, country\",\"say \"\"hi\"\"\",\"x, 1\",x2,species\n");
        for (String line : Files.readAllLines(blobs()).subList(1, 301)) {
            String[] f = line.split(",");
            sb.append("C").append(sb.length()).append(",\"Paris, FR\",hello,").append(f[0]).append(',').append(f[2]).append(',')
                    .append(f[1]).append('\n');
        }
        Path csv = Files.writeString(dir.resolve("names.csv"), sb, StandardCharsets.UTF_8), model = dir.resolve("names.bpnn");
        String in = csv.toString(), o = model.toString();
        String refused = Cli.error(args("--input", in, "--label", "species", "--out", o));
        String value = "id,\"city, country\",\"say \"\"hi\"\"\"";
        assertTrue(refused.contains("; leave them out with --exclude '" + value + "' (a text column"), refused);
        // what the shell hands over for that word, given to the flag: the three columns left out, the two others trained on
        Cli.run(0, args("--input", in, "--label", "species", "--exclude", value, "--epochs", "2", "--out", o));
        assertEquals(List.of("x, 1", "x2"), ModelFile.load(model).featureNames());
        Cli.run(0, args("--input", in, "--label", "species", "--features", "x2, \"x, 1\"", "--epochs", "2", "--out", o));
        assertEquals(List.of("x2", "x, 1"), ModelFile.load(model).featureNames());
        // given one at a time, the rest suggested after it, quoted for the shell as one word
        assertTrue(Cli.error(args("--input", in, "--label", "species", "--exclude", "\"say \"\"hi\"\"\"", "--out", o))
                .contains("leave them out with --exclude '\"say \"\"hi\"\"\",id,\"city, country\"' (a text column"));
        assertEquals("--exclude id,\"city: the quote at character 4 is not closed; expected a name in double quotes with a"
                + " quote inside it doubled, such as \"city, country\" or \"say \"\"hi\"\"\"",
                Cli.error(args("--input", in, "--label", "species", "--exclude", "id,\"city", "--out", o)));
    }

    @Test
    void missingValuesAreCountedPerColumnAndAnNaLabelIsNotAClass() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(blobs()));
        String o = dir.resolve("m.bpnn").toString();
        // "NA" as a class label: read as it was, it became a fourth class, "NA", and the model trained with it
        lines.set(5, lines.get(5).replace(",setosa,", ",NA,").replace(",versicolor,", ",NA,").replace(",virginica,", ",NA,"));
        Path label = Files.write(dir.resolve("label.csv"), lines, StandardCharsets.UTF_8);
        String refused = Cli.error(args("--input", label.toString(), "--label", "species", "--epochs", "1", "--out", o));
        assertTrue(refused.contains("1 missing value (") && refused.contains("column species (index 1): 1, first at line 6"), refused);
        // the token found, not all seven; and a label is not imputed by its mean (before: "impute ... the column's mean")
        assertTrue(refused.contains("1 missing value (\"NA\") in 1 of 300 rows") && refused.contains("drop the rows whose label"
                + " (species) is missing: a label cannot be imputed by a mean") && !refused.contains("mean in the training"), refused);
        // an empty cell and an "NA" in two feature columns: both counted, and no advice about text columns
        lines = new ArrayList<>(Files.readAllLines(blobs()));
        lines.set(3, lines.get(3).replaceFirst("^[^,]*,", ","));
        lines.set(9, lines.get(9).replaceFirst(",[^,]*$", ",NA"));
        Path features = Files.write(dir.resolve("features.csv"), lines, StandardCharsets.UTF_8);
        refused = Cli.error(args("--input", features.toString(), "--label", "species", "--epochs", "1", "--out", o));
        assertTrue(refused.contains("2 missing values (empty, \"NA\") in") && refused.contains("impute them (fill in") && refused.contains("in 2 of 300 rows: column x1 (index 0): 1, first at"
                + " line 4; column x2 (index 2): 1, first at line 10;") && !refused.contains("text column"), refused);
        assertFalse(Files.exists(Path.of(o)));
    }

    @Test
    void classNamesThatDifferOnlyInCaseAreWarnedOf() throws IOException {
        String o = dir.resolve("m.bpnn").toString();
        Path mixed = Files.writeString(dir.resolve("mixed.csv"), Files.readString(blobs()).replace(",setosa,", ",Setosa,")
                .replaceFirst(",Setosa,", ",setosa ,"), StandardCharsets.UTF_8);
        String warning = "bpnn: warning: the --label column \"species\" has class names that differ only in case (\"Setosa\","
                + " \"setosa\"), trained as different classes; if they are the same class, write them the same way in the file";
        assertTrue(stderrOf(() -> Cli.run(0, args("--input", mixed.toString(), "--label", "species", "--epochs", "1", "--out", o)))
                .contains(warning));
        assertFalse(stderrOf(() -> Cli.run(0, args("--input", blobs().toString(), "--label", "species", "--epochs", "1", "--out", o)))
                .contains("warning"));
    }

    /** 500 rows, every 10th of class rare (10%), the rest of common (or, with three, alternately common and other), x N(0, 1) and 0.5 apart. */
    private Path rare(boolean three) throws IOException {
        Random r = new Random(5);
        StringBuilder sb = new StringBuilder("x1,x2,y\n");
        for (int i = 0; i < 500; i++) {
            String y = i % 10 == 0 ? "rare" : three && i % 2 == 1 ? "other" : "common";
            double shift = y.equals("rare") ? 0.5 : 0;
            sb.append(String.format(Locale.ROOT, "%.4f,%.4f,%s%n", shift + r.nextGaussian(), shift + r.nextGaussian(), y));
        }
        return Files.writeString(dir.resolve(three ? "rare3.csv" : "rare.csv"), sb, StandardCharsets.UTF_8);
    }

    @Test
    void aRareClassRecalledHalfTheTimeGetsTheHint() throws IOException {
        // recall exactly 0.5 (1 of 2) was let through silently by a rule of under 0.5: one rare row is at x = 10, which the
        // network learns, the other at x = 0 among 18 common rows, which no model can tell apart (so never more than 0.5)
        StringBuilder sb = new StringBuilder("x,y\n");
        for (int i = 0; i < 18; i++) sb.append("0,common\n");
        sb.append("0,rare\n10,rare\n");
        Path half = Files.writeString(dir.resolve("half.csv"), sb, StandardCharsets.UTF_8);
        Cli.Result[] run = new Cli.Result[1];
        String err = stderrOf(() -> run[0] = Cli.run(0, args("--input", half.toString(), "--label", "y", "--validation-split", "0",
                "--epochs", "300", "--learning-rate", "0.01", "--hidden", "8", "--batch-size", "4",
                "--out", dir.resolve("half.bpnn").toString())));
        assertTrue(run[0].out().contains("rare     1.0000     0.5000"), run[0].out()); // the premise: precision 1, recall 0.5
        assertTrue(err.contains("bpnn: hint: rare class \"rare\" (10.0% of the training rows, training recall 0.50) is seldom"
                + " predicted: try --class-weights balanced"), err);
    }

    @Test
    void aRareClassSeldomPredictedGetsAHintOfClassWeightsAndMonitor() throws IOException {
        // before: a recall of 0 for the rare class with default settings, and not a word
        String o = dir.resolve("m.bpnn").toString(), two = rare(false).toString();
        String err = stderrOf(() -> Cli.run(0, args("--input", two, "--label", "y", "--epochs", "3", "--out", o)));
        assertTrue(err.contains("bpnn: hint: rare class \"rare\" (10.0% of the training rows, validation recall 0.00) is seldom"
                + " predicted: try --class-weights balanced (every class counts as much in the loss) and --early-stopping 10"
                + " --monitor auc (keeps the epoch of the best auc, not of the lowest loss)"), err);
        assertEquals(1, err.lines().filter(l -> l.contains("hint")).count(), err);
        // what was given is not suggested again; given both, no hint
        err = stderrOf(() -> Cli.run(0, args("--input", two, "--label", "y", "--epochs", "3", "--early-stopping", "3", "--out", o)));
        assertTrue(err.contains("seldom predicted: try --class-weights balanced (every class counts as much in the loss) and"
                + " --monitor auc (keeps the epoch of the best auc, not of the lowest loss)\n"), err);
        err = stderrOf(() -> Cli.run(0, args("--input", two, "--label", "y", "--epochs", "3", "--class-weights", "balanced",
                "--early-stopping", "3", "--monitor", "auc", "--out", o)));
        assertFalse(err.contains("hint"), err);
        // three classes: macro_f1, as auc is for two
        err = stderrOf(() -> Cli.run(0, args("--input", rare(true).toString(), "--label", "y", "--epochs", "3", "--out", o)));
        assertTrue(err.contains("rare class \"rare\" (10.0% of the training rows, validation recall 0.00)")
                && err.contains("--early-stopping 10 --monitor macro_f1 "), err);
        // classes of a third each: none
        assertFalse(stderrOf(() -> Cli.run(0, args("--input", blobs().toString(), "--label", "species", "--epochs", "1", "--out", o)))
                .contains("hint"));
    }

    /**
     * ./bpnn train saves two classes as two softmax outputs; predict --threshold on such a model classes
     * a row 1 where output1 (the probability of class 1) is at least the threshold, and without one
     * keeps the argmax. Before, --threshold refused every two-class model train makes ("has the loss
     * categorical_cross_entropy and 2 outputs").
     */
    @Test
    void predictThresholdWorksOnATwoClassModelTrainSaved() throws IOException {
        Path csv = rare(false), model = dir.resolve("rare.bpnn");
        stderrOf(() -> Cli.run(0, args("--input", csv.toString(), "--label", "y", "--epochs", "3", "--out", model.toString())));
        SavedModel saved = ModelFile.load(model);
        assertEquals(2, saved.network().outputSize(), "train saves two classes as two outputs");
        assertEquals("categorical_cross_entropy", saved.network().loss().name());

        Path plain = dir.resolve("plain.csv"), chosen = dir.resolve("chosen.csv");
        predict(0, model, csv, "--output", plain.toString());
        List<String> rows = Files.readAllLines(plain);
        assertEquals("row,class,class_name,probability_" + saved.classNames().get(0) + ",probability_"
                + saved.classNames().get(1), rows.get(0));
        float[] p1 = new float[rows.size() - 1];
        for (int i = 1; i < rows.size(); i++) {
            String[] f = rows.get(i).split(",");
            float p0 = Float.parseFloat(f[3]);
            p1[i - 1] = Float.parseFloat(f[4]);
            assertEquals(p1[i - 1] > p0 ? "1" : "0", f[1], "without --threshold the argmax (class 0 on a tie), row " + f[0]);
        }
        float[] sorted = p1.clone();
        java.util.Arrays.sort(sorted);
        float t = sorted[sorted.length * 9 / 10]; // a threshold at the top tenth's scores: moves classes of 3 epochs' model
        assertTrue(t > 0f && t < 1f, "threshold " + t);
        Cli.Result r = predict(0, model, csv, "--output", chosen.toString(), "--threshold", Float.toString(t));
        assertEquals(t, (float) Cli.number(r.lastLine(), "threshold"), r.lastLine()); // the float's shortest digits: exact
        List<String> thresholded = Files.readAllLines(chosen);
        int moved = 0;
        for (int i = 1; i < thresholded.size(); i++) {
            String[] f = thresholded.get(i).split(",");
            assertEquals(p1[i - 1] >= t ? "1" : "0", f[1], "--threshold " + t + ": p1 >= t, row " + f[0]);
            assertEquals(saved.classNames().get(Integer.parseInt(f[1])), f[2]);
            if (!f[1].equals(rows.get(i).split(",")[1])) moved++;
        }
        assertTrue(moved > 0, "the threshold moved some rows' classes");
        // the same classes from the library: withThreshold on the loaded model, through a file
        Path withT = dir.resolve("with-threshold.bpnn");
        ModelFile.save(saved.withThreshold(t), withT);
        predict(0, withT, csv, "--output", plain.toString());
        assertEquals(thresholded, Files.readAllLines(plain), "the saved threshold classes as --threshold does");
    }

    @Test
    void predictOnASemicolonFileWithoutDelimiterSaysWhichToPass() throws IOException {
        Path csv = blobs(), model = dir.resolve("blobs.bpnn");
        Path comma = Files.writeString(dir.resolve("semi.csv"), Files.readString(csv).replace(',', ';'), StandardCharsets.UTF_8);
        // trained on a ',' file: a model trained on the ';' one saves its dialect, and predict reads the file with it
        Cli.run(0, args("--input", csv.toString(), "--label", "species", "--epochs", "1", "--out", model.toString()));
        // before: "has no columns "x1", "x2" of the 2 the model was trained on; its header has "x1;species;x2" ..."
        assertEquals(comma + "'s header is one column, \"x1;species;x2\", whose names look separated by ';': pass --delimiter ';'",
                Cli.error("predict", "--backend", "scalar", "--threads", "1", "--model", model.toString(), "--input", comma.toString()));
    }

    @Test
    void trainOnATabbedFileWithoutDelimiterSaysWhichToPass() throws IOException {
        Path tabbed = Files.writeString(dir.resolve("tabbed.csv"), Files.readString(blobs()).replace(',', '\t'), StandardCharsets.UTF_8);
        // read with ',', the header is one column (the error line writes its tabs as \t), and --label species is not it:
        // the flag is wrong, not the names
        assertEquals("--input " + tabbed + "'s header is one column, \"x1\\tspecies\\tx2\", whose names look separated by '\\t':"
                + " pass --delimiter tab", Cli.error(args("--input", tabbed.toString(), "--label", "species", "--out",
                dir.resolve("tabbed.bpnn").toString())));
    }

    @Test
    void theMonitoredFigureOfTheEpochSavedIsReported() throws IOException {
        // two of the three blobs: --monitor auc chose the epoch saved, but the summary gave its accuracy and loss only
        StringBuilder sb = new StringBuilder();
        for (String line : Files.readAllLines(blobs())) {
            if (!line.contains(",virginica,")) sb.append(line).append('\n');
        }
        Path two = Files.writeString(dir.resolve("two.csv"), sb, StandardCharsets.UTF_8);
        Cli.Result r = Cli.run(0, args("--input", two.toString(), "--label", "species", "--epochs", "5", "--early-stopping", "2",
                "--monitor", "auc", "--out", dir.resolve("two.bpnn").toString()));
        double auc = Cli.number(r.lastLine(), "val_auc");
        assertTrue(auc > 0.9 && auc <= 1, r.lastLine());
        assertTrue(r.out().contains(String.format(Locale.ROOT, ", auc %.4f%n", auc)), r.out());
        // and saved with the model, which kept only val_accuracy: ./bpnn inspect did not show what chose the epoch
        assertEquals(auc, (Double) ModelFile.load(dir.resolve("two.bpnn")).metadata().training().get("val_auc"));
        String inspected = Cli.run(0, "inspect", "--model", dir.resolve("two.bpnn").toString()).out();
        assertTrue(inspected.matches("(?s).*\n  val_auc: +" + java.util.regex.Pattern.quote(Double.toString(auc)) + "\n.*"), inspected);
        String json = Cli.run(0, args("--input", linear().toString(), "--label", "y", "--task", "regression", "--epochs", "5",
                "--early-stopping", "2", "--monitor", "mae", "--out", dir.resolve("lin.bpnn").toString())).lastLine();
        assertTrue(Cli.number(json, "val_mae") > 0 && Cli.number(json, "val_mae") < Cli.number(json, "val_rmse") * 1.01, json);
    }

    @Test
    void aFigureThatIsNotFiniteIsLeftOutOfTheSavedSummaryNotRefusedAfterTraining() {
        // SavedModel.of refuses NaN in the summary: a NaN val_auc or val_loss put there lost the trained model
        java.util.Map<String, Object> about = new java.util.LinkedHashMap<>();
        TrainCommand.putFigure(about, "val_auc", Double.NaN);
        TrainCommand.putFigure(about, "val_loss", Double.POSITIVE_INFINITY);
        TrainCommand.putFigure(about, "val_accuracy", 0.75);
        assertEquals(java.util.Map.of("val_accuracy", 0.75), about);
    }

    @Test
    void theLossOfTheEpochSavedIsInTheTrainingSummary() throws IOException {
        // --monitor loss (the default) chooses the epoch saved by the loss, which the summary left out: a classification
        // kept val_accuracy only, though its JSON line reports val_loss, so ./bpnn inspect did not show the figure
        Path model = dir.resolve("blobs.bpnn");
        String json = Cli.run(0, args("--input", blobs().toString(), "--label", "species", "--epochs", "6",
                "--early-stopping", "2", "--out", model.toString())).lastLine();
        Map<String, Object> training = ModelFile.load(model).metadata().training();
        assertEquals(Cli.number(json, "val_loss"), (Double) training.get("val_loss"), json + "\n" + training);
        String inspected = Cli.run(0, "inspect", "--model", model.toString()).out();
        assertTrue(inspected.matches("(?s).*\n  val_loss: +" + java.util.regex.Pattern.quote(training.get("val_loss").toString())
                + "\n.*"), inspected);
        // without a validation part, the training loss, named as on the JSON line
        json = Cli.run(0, args("--input", blobs().toString(), "--label", "species", "--epochs", "2", "--validation-split", "0",
                "--out", model.toString())).lastLine();
        training = ModelFile.load(model).metadata().training();
        assertEquals(Cli.number(json, "train_loss"), (Double) training.get("train_loss"), json + "\n" + training);
        assertFalse(training.containsKey("val_loss"), training.toString());
        // a regression's loss is the MSE of the standardised target: val_rmse in the target's units is not it, but
        // (unweighted) its root times the target's standard deviation
        json = Cli.run(0, args("--input", linear().toString(), "--label", "y", "--task", "regression", "--epochs", "6",
                "--early-stopping", "2", "--out", model.toString())).lastLine();
        SavedModel saved = ModelFile.load(model);
        double loss = (Double) saved.metadata().training().get("val_loss"), sd = saved.targetNormaliser().scale()[0];
        double rmse = Cli.number(json, "val_rmse");
        assertEquals(rmse * rmse, loss * sd * sd, 1e-4 * rmse * rmse, json + "\n" + saved.metadata().training());
        // and its JSON line reports the same loss, as a classification's does (it had val_rmse and val_mse only)
        assertEquals(Cli.number(json, "val_loss"), loss, json + "\n" + saved.metadata().training());
    }

    @Test
    void aFileWithoutAHeaderIsSaidToNeedOne() throws IOException {
        List<String> lines = Files.readAllLines(blobs());
        Path headerless = Files.write(dir.resolve("headerless.csv"), lines.subList(1, lines.size()), StandardCharsets.UTF_8);
        // before: "--label: no column "species" in the header; expected one of "-0.9609", "setosa", "0.6039"", its first sample
        String first = lines.get(1);
        String[] f = first.split(",");
        assertEquals("--label: no column \"species\" in the header, and " + headerless + "'s first line holds numbers (\"" + f[0]
                + "\", \"" + f[2] + "\"): a sample, not column names? train needs a first line of column names: add one naming"
                + " each of its 3 columns, the label's \"species\"", Cli.error(args("--input", headerless.toString(), "--label",
                "species", "--out", dir.resolve("m.bpnn").toString())));
    }

    /**
     * {@code rows} x {@code features} Gaussian values (seeded) as the reader gives them, with sample weights; for
     * classification a class of three in turn, one-hot, else a number to predict.
     */
    private static org.bpnn.io.data.CsvData synthetic(int rows, int features, boolean regression) {
        Random r = new Random(5);
        float[] x = new float[rows * features], w = new float[rows];
        int k = regression ? 1 : 3;
        float[] y = new float[rows * k];
        int[] labels = regression ? null : new int[rows];
        for (int i = 0; i < x.length; i++) x[i] = (float) (3 * r.nextGaussian() + 1);
        for (int i = 0; i < rows; i++) {
            w[i] = 0.5f + r.nextInt(3);
            if (regression) {
                y[i] = (float) (10 * r.nextGaussian() + 100);
            } else {
                labels[i] = i % 3;
                y[i * k + labels[i]] = 1f;
            }
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < features; j++) names.add("x" + j);
        return new org.bpnn.io.data.CsvData(org.bpnn.tensor.Tensor.wrap(rows, features, x), org.bpnn.tensor.Tensor.wrap(rows, k, y),
                labels, names, List.of("y"), regression ? List.of() : List.of(SPECIES), w);
    }

    @Test
    void theDataIsSplitAndNormalisedWithOneFloatCopyOfTheFeaturesAndTheBitsOfCopyingNormalisers() {
        // The command held the file's features, the split's copies of them and the normaliser's copies of those
        // through training: three float copies of the data (a 1,000,000 x 40 file: 505 MB live for its 160 MB of
        // floats). Now the parts, the command's own, are normalised in place: one copy is allocated (the split's),
        // none without a split, and the file's tensors are dropped before training.
        int n = 20_000, f = 100;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (boolean regression : new boolean[] {false, true}) {
            for (double validationSplit : new double[] {0.2, 0}) {
                boolean balanced = !regression;
                TrainCommand.normalise(TrainCommand.split(synthetic(n, f, regression), regression, validationSplit, 7, balanced),
                        regression); // once first: classes loaded, as in the measured call
                org.bpnn.io.data.CsvData csv = synthetic(n, f, regression);
                long before = threads.getThreadAllocatedBytes(id);
                TrainCommand.Prepared p = TrainCommand.normalise(TrainCommand.split(csv, regression, validationSplit, 7, balanced),
                        regression);
                long allocated = threads.getThreadAllocatedBytes(id) - before;
                // the split's float copy of the features (none without a split), and per row its copied target row and
                // weight, its place in the split's permutation and part lists, its class (twice, for the class weights)
                // and its class-weighted weight (under 64 bytes besides the target), plus 256 KB for the rest (the old
                // way: 2 copies of the features with a split, 1 without)
                long features = 4L * n * f, copies = validationSplit > 0 ? features : 0;
                long bound = copies + (4L * csv.targets().cols() + 64) * n + (1 << 18);
                String run = (regression ? "regression" : "classification") + " with --validation-split " + validationSplit;
                assertTrue(allocated <= bound, run + ": splitting and normalising " + n + " rows of " + f + " features allocated "
                        + allocated + " bytes, more than " + bound + " (one float copy of the features: " + features + ")");

                // the bits of the old way: Dataset's split of the rows, each part normalised into a copy by apply
                org.bpnn.io.data.CsvData d = synthetic(n, f, regression);
                org.bpnn.data.Dataset all = new org.bpnn.data.Dataset(d.features(), d.targets()).withSampleWeights(d.sampleWeights());
                org.bpnn.data.Dataset train = all, validation = null;
                if (validationSplit > 0) {
                    org.bpnn.data.Dataset.Split parts = regression ? all.split(1 - validationSplit, 7)
                            : all.stratifiedSplit(1 - validationSplit, 7);
                    train = parts.train();
                    validation = parts.validation();
                }
                if (balanced) train = train.withBalancedClassWeights();
                org.bpnn.data.Normaliser x = org.bpnn.data.Normaliser.standardise(train.features());
                org.bpnn.data.Normaliser y = regression ? org.bpnn.data.Normaliser.standardise(train.targets()) : null;
                assertEquals(x.toString(), p.xNorm().toString(), run);
                assertEquals(String.valueOf(y), String.valueOf(p.yNorm()), run);
                org.bpnn.data.Dataset[][] pairs = {{train, p.train()}, {validation, p.validation()}};
                for (org.bpnn.data.Dataset[] pair : pairs) {
                    if (pair[0] == null) {
                        assertEquals(null, pair[1], run);
                        continue;
                    }
                    assertEquals(x.apply(pair[0].features()), pair[1].features(), run);
                    assertEquals(regression ? y.apply(pair[0].targets()) : pair[0].targets(), pair[1].targets(), run);
                    assertEquals(pair[0].sampleWeights(), pair[1].sampleWeights(), run);
                }
            }
        }
    }

    private interface Run {
        void run() throws IOException;
    }

    /** What {@code run} writes to System.err (the command's warnings), which Cli does not capture. */
    private static String stderrOf(Run run) throws IOException {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            run.run();
        } finally {
            System.setErr(saved);
        }
        return err.toString(StandardCharsets.UTF_8);
    }
}
