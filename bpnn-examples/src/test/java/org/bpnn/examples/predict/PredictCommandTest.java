package org.bpnn.examples.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bpnn.backend.Backends;
import org.bpnn.data.Normaliser;
import org.bpnn.examples.Cli;
import org.bpnn.io.data.CsvFormatException;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.OutputClass;
import org.bpnn.nn.Parameter;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./bpnn predict on small CSV and IDX inputs: what it reads, what it writes, and how it fails. */
class PredictCommandTest {
    @TempDir
    Path dir;

    private Network net;
    private Path model;

    @BeforeEach
    void saveAModel() throws IOException {
        net = Network.builder(2).dense(3, Activation.tanh()).dense(2, Activation.identity()).loss(Loss.mse()).seed(5)
                .backend(Backends.get("scalar", 1)).build();
        model = dir.resolve("m.bpnn");
        ModelFile.save(net, model);
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    /**
     * dir/targets.bpnn: a 2-1 regression network, every weight and bias 1, whose target normaliser (scale 1e38)
     * overflows float on the output of sample (3, 4) (8e38) but not of (0, 0) (1e38).
     */
    static Path overflowingTargetsModel(Path dir) throws IOException {
        Network reg = Network.builder(2).dense(1, Activation.identity()).loss(Loss.mse()).seed(5)
                .backend(Backends.get("scalar", 1)).build();
        for (Parameter p : reg.parameters()) Arrays.fill(p.value().data(), 1f);
        Path targets = dir.resolve("targets.bpnn");
        ModelFile.save(SavedModel.of(reg, null, Normaliser.of(Normaliser.Kind.STANDARDISE, new float[] {0}, new float[] {1e38f}),
                null), targets);
        return targets;
    }

    private Cli.Result predict(int expectedExit, Path model, Path input, String... more) {
        return Cli.run(expectedExit, args(model, input, more));
    }

    private String fails(Path model, Path input, String... more) {
        return Cli.error(args(model, input, more));
    }

    private static String[] args(Path model, Path input, String... more) {
        return Cli.concat(new String[] {"predict", "--backend", "scalar", "--threads", "1", "--model", model.toString(),
                "--input", input.toString()}, more);
    }

    /** The predictions CSV row the command should write for one sample. */
    private String row(int i, float... x) {
        float[] y = net.predict(Tensor.wrap(1, x.length, x)).data();
        return i + "," + y[0] + "," + y[1]; // an mse model: no class column
    }

    @Test
    void jsonLineFollowsPredictionsOnStandardOutput() throws IOException {
        // the CSV writer used to close System.out, and the JSON line after it was silently lost
        Cli.Result r = predict(0, model, file("in.csv", "a,b\n1,2\n-0.5,3\n"));
        List<String> lines = r.out().strip().lines().toList();
        assertEquals(List.of("row,output0,output1", row(0, 1, 2), row(1, -0.5f, 3)), lines.subList(0, 3), r.out());
        assertEquals(4, lines.size(), r.out());
        assertTrue(r.lastLine().startsWith("{\"example\":\"predict\",\"backend\":\"scalar\""), r.lastLine());
        assertTrue(r.lastLine().contains("\"samples\":2") && r.lastLine().endsWith("\"output\":\"stdout\"}"), r.lastLine());
    }

    @Test
    void aCsvWithoutHeaderKeepsItsFirstSample() throws IOException {
        // the first line used to be taken as column names: one sample silently lost
        Path out = dir.resolve("p.csv");
        Cli.Result r = predict(0, model, file("nohdr.csv", "1,2\n-0.5,3\n"), "--output", out.toString());
        assertTrue(r.lastLine().contains("\"samples\":2"), r.lastLine());
        assertEquals(List.of("row,output0,output1", row(0, 1, 2), row(1, -0.5f, 3)), Files.readAllLines(out));
        // numbers in every cell, with spaces, quotes, signs and exponents, are still data; names in every cell a header
        assertFalse(PredictCommand.firstLineIsHeader(file("q.csv", "\n \"1\", -2.5e3 ,+.5,7.\n")));
        assertTrue(PredictCommand.firstLineIsHeader(file("h.csv", "x1,\"x 2\"\n1,2\n")));
        assertTrue(PredictCommand.firstLineIsHeader(file("i.csv", ",x1\n1,2\n")), "an unnamed index column");
        // a non-finite first row is data too, so the reader rejects it with its line instead of skipping it
        assertTrue(fails(model, file("inf.csv", "Infinity,1\n2,3\n")).contains("inf.csv line 1, column col0 (index 0): expected a finite"
                + " number"));
        // "NaN", one of train's missing values, is counted as one, at line 1: a sample still, not names
        assertTrue(fails(model, file("nan.csv", "NaN,1\n2,3\n")).startsWith(dir.resolve("nan.csv") + ": 1 missing value (\"NaN\") in 1 of 2"
                + " rows: column col0 (index 0): 1, first at line 1;"));
    }

    /** The model file with its two layers made {@code units} wide in the header (no data for them: refused before that). */
    private Path widened(int units, int outputs) throws IOException {
        byte[] file = Files.readAllBytes(model);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int h = b.getInt(12);
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(
                Arrays.copyOfRange(file, 20, 20 + h));
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("architecture").get("layers").get(0)).put("units", units);
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("architecture").get("layers").get(1)).put("units", outputs);
        byte[] header = mapper.writeValueAsBytes(tree);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(header);
        byte[] out = java.nio.ByteBuffer.allocate(20 + header.length).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .put(file, 0, 12).putInt(header.length).putInt((int) crc.getValue()).put(header).array();
        return Files.write(dir.resolve("wide.bpnn"), out);
    }

    @Test
    void aModelOverTheLimitNamesMaxFloatsWithTheNumberToPass() throws IOException {
        // the library's refusal named a call (ModelFile.Limits.DEFAULT.withMaxParameters(n)), and predict had no way to pass it
        Path input = file("in.csv", "a,b\n1,2\n");
        String small = fails(model, input, "--max-floats", "10");
        // 2 -> 3 -> 2: 9 floats by the first layer, 17 by the second, which is named
        assertEquals(model + ": at $.architecture.layers[1].units: the file holds 17 floats (17 parameters, 0 MiB), more than the"
                + " 10 --max-floats allows; if you trust the file and have the memory, pass --max-floats 17", small);
        assertTrue(predict(0, model, input, "--max-floats", "17").lastLine().contains("\"samples\":1"));

        Path wide = widened(1 << 24, 16); // 2 -> 2^24 -> 16: over the default 2^28 floats
        long wideFloats = 3L * (1 << 24) + 16L * (1 << 24) + 16;
        String over = fails(wide, input);
        assertTrue(over.contains("more than the 268435456 --max-floats allows (the default); if you trust the file and have the"
                + " memory, pass --max-floats " + wideFloats), over);
        assertFalse(over.contains("withMaxParameters") || over.contains("ModelFile"), over);
        // allowed, it gets past the limits (and is refused for its unedited tensor list, which the limits precede)
        String past = fails(wide, input, "--max-floats", String.valueOf(wideFloats));
        assertTrue(past.contains("at $.tensors[0].shape: shape mismatch") && !past.contains("--max-floats"), past);
    }

    @Test
    void maxFloatsIsValidated() throws IOException {
        Path input = file("in.csv", "a,b\n1,2\n");
        long max = ModelFile.Limits.MAX_FLOATS;
        for (String bad : new String[] {"0", "-1", String.valueOf(max + 1)}) {
            assertEquals("--max-floats must be in 1.." + max + ", got " + bad, fails(model, input, "--max-floats", bad));
        }
        assertTrue(predict(0, model, input, "--max-floats", String.valueOf(max)).lastLine().contains("\"samples\":1"));
        String help = Cli.run(0, "predict", "--help").out();
        assertTrue(help.replaceAll("\\s+", " ").contains("--max-floats=N The most floats the model file may hold"), help);
        for (String line : help.lines().toList()) {
            assertTrue(line.length() <= 80, "over the usage width: " + line);
        }
    }

    @Test
    void aModelOfMoreLayersThanTheDefaultNamesMaxLayersWithTheNumberToPass() throws IOException {
        // bpnn builds and saves 1025 layers (Network.Builder has no layer cap); predict refused the file with
        // "value"/"expected 1..1024 elements" advice about ModelFile.Limits and had no way to raise the limit
        Network.Builder b = Network.builder(2);
        for (int i = 0; i < 1025; i++) {
            b.dense(2, Activation.identity());
        }
        Path deep = dir.resolve("deep.bpnn");
        ModelFile.save(b.loss(Loss.mse()).backend(Backends.get("scalar", 1)).build(), deep);
        Path input = file("in.csv", "a,b\n1,2\n");
        assertEquals(deep + ": at $.architecture.layers: the network has 1025 layers, more than the 1024 --max-layers allows"
                + " (the default); if you trust the file, pass --max-layers 1025", fails(deep, input));
        assertTrue(predict(0, deep, input, "--max-layers", "1025").lastLine().contains("\"samples\":1"));
        // another flag given leaves this one the default
        assertTrue(fails(deep, input, "--max-floats", "99999").contains("1024 --max-layers allows (the default);"));
    }

    @Test
    void aModelWiderThanTheDefaultNamesMaxUnitsWithTheNumberToPass() throws IOException {
        // 2 -> 2^24 + 1 -> 2: 84M floats, under the default floats limit, over the default 2^24 units
        Path input = file("in.csv", "a,b\n1,2\n");
        Path wide = widened((1 << 24) + 1, 2);
        String over = fails(wide, input);
        assertEquals(wide + ": at $.architecture.layers[0].units: the network has 16777217 units in layers[0], more than the"
                + " 16777216 --max-units allows (the default); if you trust the file and have the memory, pass --max-units"
                + " 16777217", over);
        // allowed, it gets past the limits (and is refused for its unedited tensor list, which the limits precede)
        String past = fails(wide, input, "--max-units", "16777217");
        assertTrue(past.contains("at $.tensors[0].shape: shape mismatch") && !past.contains("--max-"), past);
        // the model's own small width under a smaller --max-units: the input is named, and the flag's value is not "the default"
        assertEquals(model + ": at $.architecture.input_size: the network has 2 inputs, more than the 1 --max-units allows;"
                + " if you trust the file and have the memory, pass --max-units 2", fails(model, input, "--max-units", "1"));
    }

    @Test
    void maxLayersAndMaxUnitsAreValidated() throws IOException {
        Path input = file("in.csv", "a,b\n1,2\n");
        // --max-layers took up to 2^31-1, though no model file's 1 MiB header describes more than half a million
        // layers; beyond an int, both flags got picocli's "is not an int" instead of their range
        int layers = org.bpnn.examples.ModelLimitOptions.MAX_LAYERS;
        assertEquals(ModelFile.Limits.DEFAULT.maxHeaderBytes() / 2, layers);
        for (String bad : new String[] {"0", "-1", String.valueOf(layers + 1), String.valueOf(Integer.MAX_VALUE), "99999999999"}) {
            assertEquals("--max-layers must be in 1.." + layers + ", got " + bad + " (a model file's header, at most 1048576"
                    + " bytes, cannot describe more layers)", fails(model, input, "--max-layers", bad));
        }
        long units = ModelFile.Limits.MAX_UNITS;
        for (String bad : new String[] {"0", "-1", String.valueOf(units + 1), "99999999999"}) {
            assertEquals("--max-units must be in 1.." + units + ", got " + bad + " (no network is wider)",
                    fails(model, input, "--max-units", bad));
        }
        assertTrue(predict(0, model, input, "--max-layers", String.valueOf(layers), "--max-units",
                String.valueOf(units)).lastLine().contains("\"samples\":1"));
        // not a number at all: picocli's one line (exit 2, the usage error's code), no stack trace
        for (String flag : new String[] {"--max-layers", "--max-units", "--max-floats"}) {
            Cli.Result r = Cli.run(2, args(model, input, flag, "many"));
            assertEquals(List.of("bpnn: error: Invalid value for option '" + flag + "': 'many' is not a long (see: ./bpnn"
                    + " predict --help)"), r.err().strip().lines().toList());
        }
        String help = Cli.run(0, "predict", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("--max-layers=N The most layers the model may have, dropout layers included (at most "
                + layers + ", more than a model file's 1 MiB header can describe; default: 1024)."), help);
        assertTrue(help.contains("--max-units=N The most inputs, or units in one layer, the model may have"), help);
    }

    @Test
    void aHeaderLongerThanBpnnWritesIsRefusedAsNotBpnns() throws IOException {
        // the refusal was "header length N is outside 2..1048576 (ModelFile.Limits.maxHeaderBytes)": a library limit, and
        // no flag could help, since bpnn never writes such a header
        byte[] file = Files.readAllBytes(model);
        java.nio.ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(12, (1 << 20) + 1);
        Path odd = Files.write(dir.resolve("odd.bpnn"), file);
        assertEquals(odd + ": at byte 12: header length 1048577 is more than the 1048576 bytes bpnn writes; the file was not"
                + " written by bpnn, or is damaged", fails(odd, file("in.csv", "a,b\n1,2\n")));
    }

    @Test
    void aBadValueGetsACommandLineRemedyNotALibraryOption() throws IOException {
        // the reader's own remedies name its builder options, which predict does not have
        String inf = fails(model, file("inf.csv", "a,b\n1,2\n3,Infinity\n"));
        assertEquals(dir.resolve("inf.csv") + " line 3, column b (index 1): expected a finite number, found \"Infinity\"; fix the "
                + "value in the file: every column is a model input and must be a finite number", inf);
        String word = fails(model, file("word.csv", "a,b\n1,2\n3,x\n"));
        assertTrue(word.endsWith("found \"x\"; fix the value in the file: every column is a model input and must be a finite number"), word);
    }

    /** predict's remedy for a header with empty or repeated names, reached only for a model without feature names. */
    private static final String RENAME = "; the model has no feature names and takes the columns in order, so these names are"
                + " not used, but the reader refuses empty or repeated ones: rename the columns, or delete the header"
                + " line and pass --header no";

    @Test
    void aHeaderWithRepeatedNamesSaysTheyAreNotUsedByAModelWithoutFeatureNames() throws IOException {
        // the model (from arrays) has no feature names: the columns are read in order and the header's names are
        // unused, yet the refusal said "a model saved from the data takes its inputs by these names"
        assertEquals(dir.resolve("dup.csv") + " line 1: expected a distinct, non-empty name for each feature column, but the"
                + " header has \"x\" at indices 0, 1" + RENAME, fails(model, file("dup.csv", "x,x\n1,2\n")));
        // the way out it names works
        Cli.Result r = predict(0, model, file("nohdr.csv", "1,2\n"), "--header", "no");
        assertEquals(row(0, 1, 2), r.out().strip().lines().toList().get(1));
    }

    /** predict's advice for missing values: it has no label to drop rows by, and the model needs every input. */
    private static final String FILL = "; predict neither fills them in nor drops rows: the model needs each of its inputs, so"
            + " fill in the missing values as the training data's were filled (e.g. with its column means), or drop those rows";

    @Test
    void missingValuesAreCountedPerColumnWithPredictsAdvice() throws IOException {
        // train's tokens, counted over the whole file, as train and evaluate count them: the first one stopped the read
        // ("expected a number, found \"NA\"; fix the value in the file"), then the next run's the next one
        assertEquals(dir.resolve("gaps.csv") + ": 4 missing values (empty, \"NA\") in 3 of 5 rows: column a (index 0): 2, first at"
                + " line 3; column b (index 1): 2, first at line 2" + FILL,
                fails(model, file("gaps.csv", "a,b\n1,NA\n,2\n3,4\nNA,\n5,6\n")));
        // the library's "fill it in, or remove the row or the column", or its training advice, never: every column is an input
        assertEquals(dir.resolve("gap.csv") + ": 1 missing value (empty) in 1 of 2 rows: column b (index 1): 1, first at line 3" + FILL,
                fails(model, file("gap.csv", "a,b\n1,2\n3,\n")));
        // a model with feature names: only its columns are read, so a gap in another column is no refusal
        Path named = dir.resolve("named.bpnn");
        ModelFile.save(SavedModel.of(net).withFeatureNames(List.of("x1", "x2")), named);
        assertEquals(dir.resolve("named.csv") + ": 2 missing values (\"null\", \"?\") in 2 of 3 rows: column x2 (index 2): 2,"
                + " first at line 2" + FILL, fails(named, file("named.csv", "note,x1,x2\n,1,?\nNA,2,3\n,3,null\n")));
        Cli.Result r = predict(0, named, file("other.csv", "note,x1,x2\n,1,2\nNA,3,4\n"));
        assertEquals(List.of("row,output0,output1", row(0, 1, 2), row(1, 3, 4)), r.out().strip().lines().toList().subList(0, 3));
    }

    @Test
    void missingValuesInDataRowsDoNotChangeWhichLineIsTheHeader() throws IOException {
        // --header auto decides from the first line alone: a header, with gaps below it (the counts name its columns)
        assertTrue(fails(model, file("h.csv", "a,b\nNA,2\n")).startsWith(dir.resolve("h.csv") + ": 1 missing value (\"NA\") in 1 of"
                + " 1 rows: column a (index 0): 1, first at line 2;"));
        // a first line of numbers is the first sample, gaps below it or not: 2 rows, the gap at line 2
        assertTrue(fails(model, file("n.csv", "1,2\n,3\n")).startsWith(dir.resolve("n.csv") + ": 1 missing value (empty) in 1 of 2"
                + " rows: column col0 (index 0): 1, first at line 2;"));
        // a first line mixing numbers and a missing value is still refused, as before (neither names nor a sample)
        assertTrue(fails(model, file("mixed.csv", "1,NA\n3,4\n")).contains("line 1 has 1 number and \"NA\" (column 1)"));
        // --header no on a header with an empty or "NA" name: the header, named as one, not a row of missing values
        String header = "looks like a header of column names (none of its cells is a number), which --header no reads as a"
                + " sample; pass --header yes (or --header auto, the default)";
        assertTrue(fails(model, file("na.csv", "x,NA\n1,2\n"), "--header", "no").endsWith("; but line 1 " + header));
        // a missing value elsewhere under --header no: predict's advice
        assertTrue(fails(model, file("d.csv", "1,2\nNA,b\n"), "--header", "no").endsWith(FILL));
    }

    @Test
    void aHeaderReadWithHeaderNoIsNamedAsOne() throws IOException {
        // --header no on a file with a header failed on its first name with "fix the value in the file"
        assertEquals(dir.resolve("h.csv") + " line 2, column col0 (index 0): expected a number, found \"a\": line 2 looks"
                + " like a header of column names (none of its cells is a number), which --header no reads as a sample;"
                + " pass --header yes (or --header auto, the default)", fails(model, file("h.csv", "\na,\"b\"\n1,2\n"), "--header", "no"));
        // an empty name among them is no number either
        assertTrue(fails(model, file("h2.csv", ",b\n1,2\n"), "--header", "no").endsWith("pass --header yes (or --header auto,"
                + " the default)"));
        // not the first record, or a first record with a number in it: the value is what to fix
        String fix = "; fix the value in the file: every column is a model input and must be a finite number";
        assertTrue(fails(model, file("d.csv", "1,2\na,b\n"), "--header", "no").endsWith("found \"a\"" + fix));
        assertTrue(fails(model, file("d2.csv", "1,b\n3,4\n"), "--header", "no").endsWith("found \"b\"" + fix));
    }

    @Test
    void theCommandLinesRemedyIsWordedFromTheRefusalsKindNotItsText() {
        // the library's remedies reworded: predict matched their text ("allowNonFinite(", "featureColumns(",
        // "; read the file with delimiter('"), so a rewording in bpnn-io left the library's advice in its errors
        String fix = "; fix the value in the file: every column is a model input and must be a finite number";
        assertEquals("f line 2: bad" + fix, PredictCommand.forTheCommandLine(new CsvFormatException("f", 2, 1, "f line 2: bad",
                CsvFormatException.Remedy.FIX_VALUE, (char) 0, "; or permit non-finite values in the reader", null)).getMessage());
        assertEquals("f line 1: names" + RENAME, PredictCommand.forTheCommandLine(new CsvFormatException("f", 1, 0,
                "f line 1: names", CsvFormatException.Remedy.RENAME_COLUMNS, (char) 0, "; omit them from the selection", null))
                .getMessage());
        CsvFormatException tab = PredictCommand.forTheCommandLine(new CsvFormatException("f", 3, 0, "f line 3: tabbed",
                CsvFormatException.Remedy.DELIMITER, '\t', "; use a tab separator in the reader's builder", null));
        assertEquals("f line 3: tabbed; pass --delimiter tab", tab.getMessage());
        assertEquals(List.of("f", 3L, 0), List.of(tab.source(), tab.line(), tab.column()));
        assertEquals("f line 2: comma; pass --decimal-separator ','", PredictCommand.forTheCommandLine(new CsvFormatException("f", 2,
                1, "f line 2: comma", CsvFormatException.Remedy.DECIMAL_SEPARATOR, ',', "; use decimalSeparator(',')", null)).getMessage());
        // a remedy of the value's own (a decimal comma) or naming no option passes through as it is, though it names one
        CsvFormatException other = new CsvFormatException("f", 2, 1, "f line 2: a decimal comma?; see featureColumns(...)");
        assertSame(other, PredictCommand.forTheCommandLine(other));
    }

    @Test
    void aFileWithAnotherSeparatorIsReadWithDelimiter() throws IOException {
        // a spreadsheet export with ';': its header was one cell and every row "a value to fix"
        Path semi = file("semi.csv", "a;b\n1;2\n-0.5;3\n");
        String err = fails(model, semi);
        assertTrue(err.endsWith("found \"1;2\": the values look separated by ';', not ','; pass --delimiter ';'"), err);
        Cli.Result r = predict(0, model, semi, "--delimiter", ";");
        assertEquals(List.of("row,output0,output1", row(0, 1, 2), row(1, -0.5f, 3)), r.out().strip().lines().toList().subList(0, 3));
        Cli.Result t = predict(0, model, file("tab.csv", "1\t2\n"), "--delimiter", "tab");
        assertEquals(row(0, 1, 2), t.out().strip().lines().toList().get(1));
        assertTrue(fails(model, file("tab2.csv", "a\tb\n1\t2\n")).endsWith("pass --delimiter tab"));
        assertEquals("--delimiter must be one character (such as , ; | or tab), got ';;'", fails(model, semi, "--delimiter", ";;"));
        assertTrue(fails(model, semi, "--delimiter", "\"").startsWith("--delimiter: delimiter '\"' cannot be"));
        // no header, decimal commas: the first line's cells "1", "5;2", "3" were refused as a mix advising only --header
        String mix = fails(model, file("euro.csv", "1,5;2,3\n4,5;6,7\n"));
        assertTrue(mix.endsWith("(column 1): neither column names nor a sample; the values look separated by ';': pass --delimiter ';'"),
                mix);
        // every value quoted, "a";"b": malformed CSV to the reader, whose advice named only ','
        Path quoted = file("quoted.csv", "\"a\";\"b\"\n\"1\";\"2\"\n");
        String q = fails(model, quoted);
        assertTrue(q.startsWith(quoted + " line 1: malformed CSV (a quoted value followed by ';'"), q);
        assertTrue(q.endsWith("the values look separated by ';', not ','; pass --delimiter ';'"), q);
        assertEquals(row(0, 1, 2), predict(0, model, quoted, "--delimiter", ";").out().strip().lines().toList().get(1));
    }

    /**
     * The first-line rule's separator hint looks for separators other than the --delimiter (and decimal separator)
     * the file is read with: it assumed ',' and '.', so under --delimiter ';' a comma-joined cell got no hint and a
     * quoted "3;4" was told to pass the --delimiter ';' already given.
     */
    @Test
    void theFirstLineHintNamesASeparatorOtherThanTheOnesInUse() throws IOException {
        String commas = fails(model, file("commas.csv", "1;3,4,5\n"), "--delimiter", ";");
        assertTrue(commas.endsWith("has 1 number and \"3,4,5\" (column 1): neither column names nor a sample; the values look"
                + " separated by ',': pass --delimiter ','"), commas);
        // one comma: a decimal comma as likely as two values; --delimiter ',' alone made "1;3" the mix, hinting back at ';'
        String one = fails(model, file("one.csv", "1;3,4\n"), "--delimiter", ";");
        assertTrue(one.endsWith("neither column names nor a sample; \"3,4\" looks like a number with a decimal comma, or two"
                + " values separated by ',': pass --decimal-separator ',', or --delimiter ','"), one);
        String inUse = fails(model, file("inuse.csv", "1;\"3;4\"\n"), "--delimiter", ";");
        assertTrue(inUse.endsWith("has 1 number and \"3;4\" (column 1): neither column names nor a sample; fix the line, or say"
                + " which it is with --header yes or --header no"), inUse);
        // the parts are numbers as the decimal separator reads them, and that separator is never the hint
        String pipes = fails(model, file("pipes.csv", "1;2,5|3,5\n"), "--delimiter", ";", "--decimal-separator", ",");
        assertTrue(pipes.endsWith("the values look separated by '|': pass --delimiter '|'"), pipes);
        String decimal = fails(model, file("decimal.csv", "1;2,5,6\n"), "--delimiter", ";", "--decimal-separator", ",");
        assertTrue(decimal.endsWith("fix the line, or say which it is with --header yes or --header no"), decimal);
        // the model's saved dialect is the delimiter in use as well (./bpnn train saves ';')
        Path euro = dir.resolve("euro.bpnn");
        ModelFile.save(SavedModel.of(net).withCsvDialect(new org.bpnn.io.model.CsvDialect(';', '.')), euro);
        String saved = fails(euro, file("saved.csv", "1;\"3;4\"\n"));
        assertFalse(saved.contains("--delimiter ';'"), saved);
    }

    @Test
    void aFileWithDecimalCommasIsReadWithDecimalSeparator() throws IOException {
        // a European export: ';' between values, ',' in them
        Path euro = file("euro.csv", "a;b\n1,5;2\n-0,5;3,25\n");
        String err = fails(model, euro, "--delimiter", ";");
        assertTrue(err.endsWith("found \"1,5\": a decimal comma? numbers are read with '.' as the decimal point; pass"
                + " --decimal-separator ','"), err);
        Cli.Result r = predict(0, model, euro, "--delimiter", ";", "--decimal-separator", ",");
        assertEquals(List.of("row,output0,output1", row(0, 1.5f, 2), row(1, -0.5f, 3.25f)), r.out().strip().lines().toList().subList(0, 3));
        // without a header: a first line of decimal-comma numbers is a sample, not names (a row was lost)
        Cli.Result h = predict(0, model, file("euro2.csv", "1,5;2\n3;4,5\n"), "--delimiter", ";", "--decimal-separator", ",");
        assertEquals(List.of("row,output0,output1", row(0, 1.5f, 2), row(1, 3, 4.5f)), h.out().strip().lines().toList().subList(0, 3));
        // a point under ',' is refused, not guessed; the flag's own mistakes are named
        String point = fails(model, file("mixed.csv", "a;b\n1,5;2.5\n"), "--delimiter", ";", "--decimal-separator", ",");
        assertTrue(point.endsWith("found \"2.5\": a decimal point? numbers are read with ','; write \"2,5\"; pass --decimal-separator '.'"),
                point);
        assertEquals("--decimal-separator must be . or , got ';'", fails(model, euro, "--decimal-separator", ";"));
        // digits grouped in threes, "1,288": thousands or a decimal comma, not guessed; the refusal named neither the flag
        // that reads decimal commas nor what to do about a thousands separator
        String grouped = fails(model, file("grouped.csv", "a;b\n1,288;2\n"), "--delimiter", ";");
        assertTrue(grouped.endsWith("found \"1,288\": a thousands separator (1288) or a decimal comma (1.288)? numbers are read"
                + " with neither, and which one it is is not guessed; if the ',' groups thousands, remove it from the numbers (e.g."
                + " export the file without digit grouping); if it is a decimal comma, pass --decimal-separator ','"), grouped);
        String groupedPoint = fails(model, file("grouped2.csv", "a;b\n1,5;1.288\n"), "--delimiter", ";", "--decimal-separator", ",");
        assertTrue(groupedPoint.endsWith("if it is a decimal point, pass --decimal-separator '.'"), groupedPoint);
        assertFalse(groupedPoint.contains("decimalSeparator("), groupedPoint);
        // ';' file read with ',' and decimalSeparator ',': the header is one name, "a;b", and the rows name the ';'
        assertTrue(fails(model, euro, "--decimal-separator", ",").endsWith("pass --delimiter ';'"));
    }

    @Test
    void decimalCommasQuotedInACommaFileAreReadWithTheirHeader() throws IOException {
        // "1,5",2 as pandas' to_csv(decimal=',') writes it: the reader (and ./bpnn train) take it with a header,
        // predict refused --decimal-separator ',' with the default --delimiter, though its own refusal advised it
        Path quoted = file("quoted.csv", "a,b\n\"1,5\",2\n\"-0,5\",\"3,25\"\n");
        assertTrue(fails(model, quoted).endsWith("found \"1,5\": a decimal comma? numbers are read with '.' as the decimal"
                + " point; pass --decimal-separator ','"));
        Cli.Result r = predict(0, model, quoted, "--decimal-separator", ",");
        assertEquals(List.of("row,output0,output1", row(0, 1.5f, 2), row(1, -0.5f, 3.25f)), r.out().strip().lines().toList().subList(0, 3));
        assertEquals(r.out().strip().lines().toList().subList(0, 3), predict(0, model, quoted, "--decimal-separator", ",",
                "--header", "yes").out().strip().lines().toList().subList(0, 3));
        // without a header an unquoted 1,5 is two values on every row alike: refused, by the flag or the first line
        assertTrue(fails(model, quoted, "--decimal-separator", ",", "--header", "no").startsWith("--decimal-separator ',' is"
                + " also the --delimiter, which needs the file's header line"));
        Path headerless = file("headerless.csv", "\"1,5\",2\n\"-0,5\",\"3,25\"\n");
        assertTrue(fails(model, headerless, "--decimal-separator", ",").startsWith(headerless + "'s first line is a sample,"
                + " not a header, but --decimal-separator ',' is also the --delimiter"));
    }

    @Test
    void aFirstLineOfNumbersAndOtherCellsIsRefused() throws IOException {
        // a sample with an empty or NA cell was taken for a header and silently dropped (exit 0, one row short)
        assertEquals(dir.resolve("na.csv") + " line 2 has 1 number and \"NA\" (column 1): neither column names nor a sample; "
                + "fix the line, or say which it is with --header yes or --header no", fails(model, file("na.csv", "\n1,NA\n3,4\n")));
        assertTrue(fails(model, file("empty.csv", "1,\n3,4\n")).contains("has 1 number and an empty cell (column 1)"));
        assertTrue(fails(model, file("trailing.csv", "1,2,\n")).contains("has 2 numbers and an empty cell (column 2)"));
        // cells as the CSV reader parses them: the quoted name is one cell (it was '"a' at column 0, then 'b"')
        assertTrue(fails(model, file("comma.csv", "5,\"a,b\"\n1,2\n")).contains("has 1 number and \"a,b\" (column 1)"),
                fails(model, file("comma2.csv", "5,\"a,b\"\n1,2\n")));
        // the line named is the one whose cells are shown: a first line holding only a byte-order mark is
        // blank to the CSV reader, and the refusal named line 1 for line 2's cells
        assertTrue(fails(model, file("bom.csv", "\uFEFF\n1,NA\n3,4\n")).contains("bom.csv line 2 has 1 number and \"NA\""),
                fails(model, file("bom2.csv", "\uFEFF\n1,NA\n3,4\n")));
        // a line holding only "" is not blank to the reader (one empty value): here the header, with an empty name
        assertEquals(dir.resolve("qe.csv") + " line 1: expected a distinct, non-empty name for each feature column, but the"
                + " header has an empty name at index 0" + RENAME, fails(model, file("qe.csv", "\"\"\n1,NA\n3,4\n")));
        // and a data row holding only "" is refused by its line: skipped, it shifted every later output row against its input
        assertTrue(fails(model, file("qerow.csv", "1,2\n\"\"\n3,4\n")).contains("qerow.csv line 2, column col0 (index 0): expected 2"
                + " fields like the first row (line 1), found only an empty quoted value"));
        assertTrue(fails(model, file("bomna.csv", "\uFEFF1,NA\n3,4\n")).contains("bomna.csv line 1 has 1 number and \"NA\""));
        // pandas' header for unnamed columns was predicted as a sample: ambiguous, so refused
        assertEquals(dir.resolve("pandas.csv") + " line 1 is 0,1: the column names pandas writes for unnamed columns"
                + " (DataFrame.to_csv of a NumPy array), or a sample? say which it is with --header yes or --header no",
                fails(model, file("pandas.csv", "0,1\n0.5,2\n")));
        assertTrue(fails(model, file("quoted.csv", "\"0\", \"1\"\n0.5,2\n")).contains("line 1 is 0,1:"));
        assertFalse(PredictCommand.firstLineIsHeader(file("sample.csv", "0,2\n0.5,2\n")), "not the column indices: a sample");
        assertFalse(PredictCommand.firstLineIsHeader(file("one.csv", "0\n1\n")), "one column: a sample");
        // --header says which: names that look like numbers are a header; a line the rule would take for names is data
        Path out = dir.resolve("p.csv");
        predict(0, model, file("numnames.csv", "0,1\n1,2\n"), "--header", "yes", "--output", out.toString());
        assertEquals(List.of("row,output0,output1", row(0, 1, 2)), Files.readAllLines(out));
        predict(0, model, file("nums.csv", "1,2\n3,4\n"), "--header", "no", "--output", out.toString());
        assertEquals(3, Files.readAllLines(out).size());
        assertEquals("unknown --header 'maybe'; expected auto, yes or no", fails(model, file("x.csv", "1,2\n"), "--header", "maybe"));
    }

    @Test
    void aOneOutputModelsClassIsThresholdedLikePredictClasses() throws IOException {
        // the class column took the argmax of one column: 0 for every sample of a two-class model
        Path in = file("in.csv", "a,b\n1,2\n-3,-1\n0.5,-2\n");
        Tensor x = Tensor.of(new float[][] {{1, 2}, {-3, -1}, {0.5f, -2}});
        for (Loss loss : List.of(Loss.binaryCrossEntropy(), Loss.binaryCrossEntropyFromLogits())) {
            Network one = Network.builder(2).dense(1, loss == Loss.binaryCrossEntropy() ? Activation.sigmoid() : Activation.identity())
                    .loss(loss).seed(5).backend(Backends.get("scalar", 1)).build();
            one.parameters().get(0).value().data()[0] = 2f; // w = (2, 0): class 1 where a > 0
            one.parameters().get(0).value().data()[1] = 0f;
            Path m = dir.resolve(loss.name() + ".bpnn");
            ModelFile.save(one, m);
            Path out = dir.resolve(loss.name() + ".csv");
            predict(0, m, in, "--output", out.toString());
            int[] classes = one.predictClasses(x);
            assertEquals(1, classes[0]);
            assertEquals(0, classes[1]);
            // the probability of class 1: a sigmoid output's as it is (the same bits), a logit's through the sigmoid
            float[] y = one.predictProbabilities(x).data();
            if (loss == Loss.binaryCrossEntropy()) org.junit.jupiter.api.Assertions.assertArrayEquals(one.predict(x).data(), y);
            List<String> expected = new java.util.ArrayList<>(List.of("row,class,probability1"));
            for (int i = 0; i < 3; i++) {
                expected.add(i + "," + classes[i] + "," + y[i]);
            }
            assertEquals(expected, Files.readAllLines(out), loss.name());
        }
    }

    /**
     * A two-class model saved with a threshold (SavedModel.withThreshold) gets its class column from
     * it, for a sigmoid and a logits model; --threshold overrides it (and works on a model saved
     * without one), and the JSON line says which threshold the column used. The class was always
     * from probability 0.5.
     */
    @Test
    void theClassColumnUsesTheSavedThresholdOrTheFlags() throws IOException {
        Path in = file("in.csv", "a,b\n1,2\n-0.2,-1\n-3,-1\n");
        Tensor x = Tensor.of(new float[][] {{1, 2}, {-0.2f, -1}, {-3, -1}});
        for (Loss loss : List.of(Loss.binaryCrossEntropy(), Loss.binaryCrossEntropyFromLogits())) {
            Network one = Network.builder(2).dense(1, loss == Loss.binaryCrossEntropy() ? Activation.sigmoid() : Activation.identity())
                    .loss(loss).seed(5).backend(Backends.get("scalar", 1)).build();
            one.parameters().get(0).value().data()[0] = 2f; // w = (2, 0), b = 0: probability sigmoid(2a)
            one.parameters().get(0).value().data()[1] = 0f;
            one.parameters().get(1).value().data()[0] = 0f;
            // probabilities 0.88, 0.40, 0.0025: 0.3 makes the second sample class 1, 0.9 the first class 0
            Path m = dir.resolve(loss.name() + ".bpnn");
            ModelFile.save(SavedModel.of(one).withClassNames(List.of("normal", "fraud")).withThreshold(0.3f), m);
            float[] y = one.predictProbabilities(x).data(); // one column, the probability of class 1 (fraud)
            Path out = dir.resolve(loss.name() + ".csv");
            Cli.Result r = predict(0, m, in, "--output", out.toString());
            assertEquals(List.of("row,class,class_name,probability_fraud", "0,1,fraud," + y[0], "1,1,fraud," + y[1], "2,0,normal," + y[2]),
                    Files.readAllLines(out), loss.name());
            assertTrue(r.lastLine().contains("\"threshold\":0.3"), r.lastLine());
            predict(0, m, in, "--output", out.toString(), "--threshold", "0.9");
            assertEquals(List.of("row,class,class_name,probability_fraud", "0,0,normal," + y[0], "1,0,normal," + y[1], "2,0,normal," + y[2]),
                    Files.readAllLines(out), loss.name() + " --threshold 0.9 over the saved 0.3");
            Path plain = dir.resolve(loss.name() + "-plain.bpnn");
            ModelFile.save(one, plain);
            r = predict(0, plain, in, "--output", out.toString());
            assertEquals(List.of("row,class,probability1", "0,1," + y[0], "1,0," + y[1], "2,0," + y[2]), Files.readAllLines(out),
                    loss.name() + " without a threshold: 0.5");
            assertFalse(r.lastLine().contains("threshold"), r.lastLine());
            predict(0, plain, in, "--output", out.toString(), "--threshold", "0.3");
            assertEquals(List.of("row,class,probability1", "0,1," + y[0], "1,1," + y[1], "2,0," + y[2]), Files.readAllLines(out),
                    loss.name() + " --threshold on a model saved without one");
        }
    }

    /**
     * predict's JSON line gives the class column's threshold in the float's shortest digits, so a script
     * reads back the float the column used (saved or from --threshold): 7 significant digits wrote 1/3f as
     * 0.3333333 and the float after 0.1 as 0.1, other floats.
     */
    @Test
    void theJsonThresholdReadsBackAsTheFloatTheClassColumnUsed() throws IOException {
        Path in = file("in.csv", "a,b\n1,2\n");
        Network one = Network.builder(2).dense(1, Activation.sigmoid()).loss(Loss.binaryCrossEntropy()).seed(5)
                .backend(Backends.get("scalar", 1)).build();
        Path m = dir.resolve("t.bpnn"), plain = dir.resolve("plain.bpnn");
        ModelFile.save(one, plain);
        for (float t : new float[] {1 / 3f, Math.nextUp(0.1f), 0.1f + 1e-7f}) {
            ModelFile.save(SavedModel.of(one).withThreshold(t), m);
            String saved = predict(0, m, in, "--output", dir.resolve("o.csv").toString()).lastLine();
            assertEquals(t, (float) Cli.number(saved, "threshold"), saved);
            String flag = predict(0, plain, in, "--output", dir.resolve("o.csv").toString(), "--threshold", Float.toString(t))
                    .lastLine();
            assertEquals(t, (float) Cli.number(flag, "threshold"), flag);
        }
    }

    @Test
    void thresholdIsRefusedOutOfRangeAndForModelsWithoutOneOutputClass() throws IOException {
        Path in = file("in.csv", "a,b\n1,2\n");
        for (String bad : List.of("0", "1", "-0.1", "1.5", "NaN")) {
            assertEquals("--threshold must be a probability strictly between 0 and 1, got " + Float.parseFloat(bad),
                    fails(model, in, "--threshold", bad));
        }
        // the setup's model: mse, two outputs; the refusal is the library's (OutputClass.thresholdRefusal), the
        // rule SavedModel.withThreshold and Network.predictClasses(x, t) apply
        Network setup = ModelFile.load(model).network();
        assertEquals("--threshold was given, but " + model + " takes none: " + OutputClass.thresholdRefusal(setup)
                + "; leave --threshold out", fails(model, in, "--threshold", "0.3"));
        assertTrue(OutputClass.thresholdRefusal(setup).contains("(a regression)"));
        Network softmax = Network.builder(2).dense(3, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).seed(5)
                .backend(Backends.get("scalar", 1)).build();
        Path m = dir.resolve("softmax.bpnn");
        ModelFile.save(softmax, m);
        assertEquals("--threshold was given, but " + m + " takes none: the network has 3 outputs, and its class is the argmax"
                + " of them, which one threshold does not move; a threshold is for a two-class network: one sigmoid output"
                + " (Activation.sigmoid(), or Activation.identity() with Loss.binaryCrossEntropyFromLogits()) or two softmax"
                + " outputs (Activation.softmax(), or Activation.identity() with Loss.categoricalCrossEntropyFromLogits());"
                + " leave --threshold out", fails(m, in, "--threshold", "0.3"));
        Network twoSigmoids = Network.builder(2).dense(2, Activation.sigmoid()).loss(Loss.binaryCrossEntropy()).seed(5)
                .backend(Backends.get("scalar", 1)).build();
        Path two = dir.resolve("two-sigmoids.bpnn");
        ModelFile.save(twoSigmoids, two);
        assertEquals("--threshold was given, but " + two + " takes none: " + OutputClass.thresholdRefusal(twoSigmoids)
                + "; leave --threshold out", fails(two, in, "--threshold", "0.3"));
        assertTrue(OutputClass.thresholdRefusal(twoSigmoids).startsWith("the network's two outputs are not a softmax"));
        // one sigmoid output trained with mse outputs classes (Network.outputsClasses), so
        // --threshold is taken: see aSigmoidOrSoftmaxOutputTrainedWithMseGetsItsClassColumn
        String help = Cli.run(0, "predict", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("--threshold=P") && help.contains("overriding the threshold the model was saved with")
                && help.contains("two softmax outputs") && help.contains("(class 0 on a tie, where P = 0.5 says 1)"), help);
    }

    /**
     * A sigmoid output trained with mse (as ./bpnn seed's outputs are) outputs classes (Network.outputsClasses:
     * predictClasses and a threshold take it), so predict writes its class column, with its class names,
     * at its saved threshold or --threshold's, named in the JSON line. Before, the loss alone decided: no
     * class column, the saved threshold ignored, and --threshold refused.
     */
    @Test
    void aSigmoidOrSoftmaxOutputTrainedWithMseGetsItsClassColumn() throws IOException {
        Path in = file("in.csv", "a,b\n1,2\n");
        Network mseSigmoid = Network.builder(2).dense(1, Activation.sigmoid()).loss(Loss.mse()).seed(5)
                .backend(Backends.get("scalar", 1)).build();
        float p = mseSigmoid.predict(1f, 2f)[0];
        float above = (1 + p) / 2, below = p / 2; // class 0 at the first, 1 at the second
        Path ms = dir.resolve("mse-sigmoid.bpnn"), o = dir.resolve("mse-sigmoid.csv");
        ModelFile.save(SavedModel.of(mseSigmoid).withClassNames(List.of("no", "yes")).withThreshold(above), ms);
        String json = predict(0, ms, in, "--output", o.toString()).lastLine();
        assertEquals(above, (float) Cli.number(json, "threshold"), json);
        assertEquals(List.of("row,class,class_name,probability_yes", "0,0,no," + p), Files.readAllLines(o));
        json = predict(0, ms, in, "--output", o.toString(), "--threshold", Float.toString(below)).lastLine();
        assertEquals(below, (float) Cli.number(json, "threshold"), json);
        assertEquals(List.of("row,class,class_name,probability_yes", "0,1,yes," + p), Files.readAllLines(o));

        // two softmax outputs trained with mse, saved with a target normaliser (a library user's model): the class is
        // read from the network's own outputs, as SavedModel.predictClasses reads it, not from the mapped ones, and the
        // columns are its probabilities, those outputs as SavedModel.predictProbabilities gives them (not mapped either)
        Network mseSoftmax = Network.builder(2).dense(2, Activation.softmax()).loss(Loss.mse()).seed(5)
                .backend(Backends.get("scalar", 1)).build();
        int rawClass = mseSoftmax.predictClass(1f, 2f);
        float[] center = new float[2];
        center[1 - rawClass] = 100f; // the mapped outputs' argmax is the other class
        SavedModel mapped = new SavedModel(mseSoftmax, null, null,
                Normaliser.of(Normaliser.Kind.STANDARDISE, center, new float[] {1f, 1f}));
        Path mm = dir.resolve("mse-softmax.bpnn");
        ModelFile.save(mapped, mm);
        predict(0, mm, in, "--output", o.toString());
        Tensor x = Tensor.wrap(1, 2, new float[] {1f, 2f});
        float[] outputs = mapped.predictProbabilities(x).data();
        assertEquals(rawClass, mapped.predictClasses(x)[0]);
        assertEquals(List.of("row,class,probability0,probability1", "0," + rawClass + "," + outputs[0] + "," + outputs[1]),
                Files.readAllLines(o));
    }

    /**
     * A classifier's columns are its class probabilities, SavedModel.predictProbabilities' bits: for a model trained
     * on logits (categorical or binary cross-entropy FromLogits) the logits were written, headed output0..., so the
     * command gave no probability at all. One output is the probability of class 1, named after it.
     */
    @Test
    void aLogitsModelWritesItsClassProbabilities() throws IOException {
        Path in = file("in.csv", "a,b\n1,2\n-3,-1\n0.5,-2\n");
        Tensor x = Tensor.of(new float[][] {{1, 2}, {-3, -1}, {0.5f, -2}});
        Network soft = Network.builder(2).dense(4, Activation.tanh()).dense(3, Activation.identity())
                .loss(Loss.categoricalCrossEntropyFromLogits()).seed(5).backend(Backends.get("scalar", 1)).build();
        for (Parameter p : soft.parameters()) {
            float[] d = p.value().data();
            for (int i = 0; i < d.length; i++) d[i] *= 4; // logits well outside [0, 1], so they cannot pass for probabilities
        }
        Path m = dir.resolve("soft.bpnn"), out = dir.resolve("soft.csv");
        SavedModel saved = SavedModel.of(soft);
        ModelFile.save(saved, m);
        predict(0, m, in, "--output", out.toString());
        List<String> lines = Files.readAllLines(out);
        assertEquals("row,class,probability0,probability1,probability2", lines.get(0));
        float[] p = saved.predictProbabilities(x).data();
        int[] cls = soft.predictClasses(x);
        for (int i = 0; i < 3; i++) {
            assertEquals(i + "," + cls[i] + "," + p[3 * i] + "," + p[3 * i + 1] + "," + p[3 * i + 2], lines.get(i + 1));
            double sum = 0;
            for (String f : Arrays.copyOfRange(lines.get(i + 1).split(","), 2, 5)) sum += Float.parseFloat(f);
            assertEquals(1.0, sum, 1e-6, lines.get(i + 1));
        }
        // with class names, one needing quotes: each column named by its class
        ModelFile.save(saved.withClassNames(List.of("a", "b,c", "d\"e")), m);
        predict(0, m, in, "--output", out.toString());
        assertEquals("row,class,class_name,probability_a,\"probability_b,c\",\"probability_d\"\"e\"",
                Files.readAllLines(out).get(0));

        // one logit (binary cross-entropy FromLogits): the probability of class 1, in (0, 1), named after class 1
        Network bin = Network.builder(2).dense(1, Activation.identity()).loss(Loss.binaryCrossEntropyFromLogits()).seed(5)
                .backend(Backends.get("scalar", 1)).build();
        bin.parameters().get(0).value().data()[0] = 3f; // logits 3, -9, 1.5 (and the seed's b and w1 terms)
        SavedModel one = SavedModel.of(bin);
        ModelFile.save(one, m);
        predict(0, m, in, "--output", out.toString());
        lines = Files.readAllLines(out);
        assertEquals("row,class,probability1", lines.get(0));
        p = one.predictProbabilities(x).data();
        cls = bin.predictClasses(x);
        for (int i = 0; i < 3; i++) {
            assertEquals(i + "," + cls[i] + "," + p[i], lines.get(i + 1));
            assertTrue(p[i] > 0f && p[i] < 1f && (p[i] >= 0.5f) == (cls[i] == 1), lines.get(i + 1));
        }
        ModelFile.save(one.withClassNames(List.of("stay", "leave, now")), m);
        predict(0, m, in, "--output", out.toString());
        assertEquals("row,class,class_name,\"probability_leave, now\"", Files.readAllLines(out).get(0));
        String help = Cli.run(0, "predict", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("the probability of each class, headed probability_<class name> (or probability<j> without"
                + " class names; one sigmoid output is the probability of class 1: probability_<name of class 1> or"
                + " probability1)"), help);
    }

    /**
     * A sigmoid output trained with mse and saved with target names (its regression loss takes them): its outputs are
     * values the saver named, written as before, predicted_<name> in the targets' units, not probabilities.
     */
    @Test
    void aSigmoidOutputSavedWithTargetNamesKeepsItsPredictedColumn() throws IOException {
        Network mseSigmoid = Network.builder(2).dense(1, Activation.sigmoid()).loss(Loss.mse()).seed(5)
                .backend(Backends.get("scalar", 1)).build();
        Normaliser yn = Normaliser.of(Normaliser.Kind.STANDARDISE, new float[] {10f}, new float[] {2f});
        SavedModel named = SavedModel.of(mseSigmoid, null, yn, null).withTargetNames(List.of("y"));
        Path m = dir.resolve("named-sigmoid.bpnn"), out = dir.resolve("named-sigmoid.csv");
        ModelFile.save(named, m);
        predict(0, m, file("in.csv", "a,b\n1,2\n"), "--output", out.toString());
        Tensor x = Tensor.wrap(1, 2, new float[] {1f, 2f});
        assertEquals(List.of("row,class,predicted_y", "0," + named.predictClasses(x)[0] + "," + named.predict(x).data()[0]),
                Files.readAllLines(out));
    }

    @Test
    void aRegressionModelHasNoClassColumn() throws IOException {
        // an mse, mae or huber model's outputs are values, not class scores: its argmax was written as a "class"
        Path in = file("in.csv", "a,b\n1,2\n");
        for (Loss loss : List.of(Loss.mse(), Loss.mae(), Loss.huber(1))) {
            Network reg = Network.builder(2).dense(1, Activation.identity()).loss(loss).seed(5).backend(Backends.get("scalar", 1)).build();
            Path m = dir.resolve(loss.name() + ".bpnn");
            ModelFile.save(reg, m);
            Path out = dir.resolve(loss.name() + ".csv");
            predict(0, m, in, "--output", out.toString());
            assertEquals(List.of("row,output0", "0," + reg.predict(1f, 2f)[0]), Files.readAllLines(out), loss.name());
        }
    }

    @Test
    void aCsvWithTheTargetColumnStillInSaysToDropItOrSaveFeatureNames() throws IOException {
        // a regression's test CSV with its target column (price) given to a model saved without feature
        // names: the refusal said only "use inputs of the same shape as the training data"
        String m = fails(model, file("test.csv", "a,b,price\n1,2,250000\n"));
        assertTrue(m.contains("test.csv has 3 features per sample, but the model takes 2; use inputs of the same shape as"
                + " the training data: the CSV holds the model's input columns only, in training order, so drop the 1 other"
                + " column (a target column, for one), or save the model with its feature names"), m);
        // too few columns: nothing to drop, the plain refusal
        String narrow = fails(model, file("one.csv", "a\n1\n"));
        assertTrue(narrow.endsWith("one.csv has 1 feature per sample, but the model takes 2; use inputs of the same shape as the"
                + " training data"), narrow);
    }

    @Test
    void aModelTrainedOnNormalisedTargetsPredictsInTheTargetsUnits() throws IOException {
        Network reg = Network.builder(2).dense(1, Activation.identity()).loss(Loss.mse()).seed(5)
                .backend(Backends.get("scalar", 1)).build();
        org.bpnn.tensor.Tensor prices = org.bpnn.tensor.Tensor.of(new float[][] {{1000f}, {3000f}, {2000f}});
        org.bpnn.data.Normaliser yn = org.bpnn.data.Normaliser.standardise(prices);
        Path m = dir.resolve("prices.bpnn");
        ModelFile.save(org.bpnn.io.model.SavedModel.of(reg, null, yn, null), m);
        Path out = dir.resolve("prices.csv");
        predict(0, m, file("in.csv", "a,b\n1,2\n"), "--output", out.toString());
        float units = reg.predict(1f, 2f)[0] * yn.scale()[0] + yn.center()[0];
        assertEquals(List.of("row,output0", "0," + units), Files.readAllLines(out));
    }

    @Test
    void theOutputIsNeverTheModelOrTheInput() throws IOException {
        // the predictions once overwrote the model file, exit 0
        byte[] modelBytes = Files.readAllBytes(model);
        Path in = file("in.csv", "1,2\n");
        assertEquals("--output " + model + " is the --model file; writing the predictions would overwrite it; choose another --output",
                fails(model, in, "--output", model.toString()));
        assertEquals("--output " + in + " is the --input file; writing the predictions would overwrite it; choose another --output",
                fails(model, in, "--output", in.toString()));
        assertEquals(List.of("1,2"), Files.readAllLines(in));
        org.junit.jupiter.api.Assertions.assertArrayEquals(modelBytes, Files.readAllBytes(model));
        // "-" is standard output, not a file named "-"
        Cli.Result r = predict(0, model, in, "--output", "-");
        assertTrue(r.out().startsWith("row,output0,output1\n" + row(0, 1, 2) + "\n"), r.out());
        assertFalse(Files.exists(Path.of("-")));
    }

    @Test
    void overflowingOutputsFailNamingTheSample() throws IOException {
        // finite weights of 3e38: the outputs are Infinity, once written as rows with exit 0
        Network huge = Network.builder(2).dense(3, Activation.identity()).dense(2, Activation.identity()).loss(Loss.mse())
                .backend(Backends.get("scalar", 1)).build();
        for (Parameter p : huge.parameters()) Arrays.fill(p.value().data(), 3e38f);
        Path hugeModel = dir.resolve("huge.bpnn");
        ModelFile.save(huge, hugeModel);
        Path in = file("in.csv", "a,b\n0,0\n1,2\n");
        Path out = dir.resolve("p.csv");
        String err = fails(hugeModel, in, "--output", out.toString());
        assertEquals("the model's output 0 for sample 0 (data row 1) of " + in + " is Infinity although the input is finite: "
                + "the model's weights overflow float; check (or retrain) " + hugeModel, err);
        assertFalse(Files.exists(out), "no predictions file with Infinity in it");
    }

    @Test
    void nonFiniteOutputsNameTheRowsIdWithIdColumn() throws IOException {
        // the refusals named a row by number only, though the user looks rows up by the --id-column they passed
        Network huge = Network.builder(2).dense(3, Activation.identity()).dense(2, Activation.identity()).loss(Loss.mse())
                .backend(Backends.get("scalar", 1)).build();
        for (Parameter p : huge.parameters()) Arrays.fill(p.value().data(), 3e38f);
        Path hugeModel = dir.resolve("huge.bpnn");
        ModelFile.save(huge, hugeModel);
        Path in = file("ids.csv", "customer id,a,b\nA7,0,0\n\"Smith, J\",1,2\n");
        assertEquals("the model's output 0 for sample 0 (data row 1, customer id \"A7\") of " + in + " is Infinity although the"
                + " input is finite: the model's weights overflow float; check (or retrain) " + hugeModel,
                fails(hugeModel, in, "--id-column", "customer id"));
        // the input's normaliser and the targets' name the row the same way
        Normaliser norm = Normaliser.of(Normaliser.Kind.STANDARDISE, new float[] {0, 0}, new float[] {1, 1e-30f});
        Path m = dir.resolve("norm.bpnn");
        ModelFile.save(SavedModel.of(net, norm, Map.of()), m);
        Path big = file("big.csv", "a,id,b\n1,r1,1\n2,r2,1e10\n");
        assertTrue(fails(m, big, "--id-column", "id").startsWith("the model's normaliser overflowed: it turned the finite 1.0E10"
                + " (sample 1 (data row 2, id \"r2\") of " + big + ", feature 1) into Infinity"));
        Path targets = overflowingTargetsModel(dir);
        String t = fails(targets, file("t.csv", "id,a,b\nsmall,0,0\nlarge,3,4\n"), "--id-column", "id");
        assertTrue(t.startsWith("the model's target normaliser overflowed on its output 0 for sample 1 (data row 2, id"
                + " \"large\") of "), t);
        assertTrue(t.endsWith("; check (or retrain) " + targets), t);
    }

    @Test
    void aNormaliserThatOverflowsIsBlamedNotTheInput() throws IOException {
        // a (normal) scale of 1e-30 turns 1e10 into Infinity; the message used to say the input was not finite
        Normaliser norm = Normaliser.of(Normaliser.Kind.STANDARDISE, new float[] {0, 0}, new float[] {1, 1e-30f});
        Path m = dir.resolve("norm.bpnn");
        ModelFile.save(SavedModel.of(net, norm, Map.of()), m);
        Path in = file("in.csv", "a,b\n1,1\n2,1e10\n");
        String err = fails(m, in);
        assertEquals("the model's normaliser overflowed: it turned the finite 1.0E10 (sample 1 (data row 2) of " + in + ", feature 1) "
                + "into Infinity (center 0.0, scale 1.0E-30); check the normaliser saved in " + m
                + " (refit it and save the model again) or the units of the input", err);
    }

    @Test
    void directoriesAreNamedAsSuch() throws IOException {
        Path in = file("in.csv", "a,b\n1,2\n");
        // ./bpnn train among the ways to get one, as evaluate and inspect say (it was ./bpnn fashion-mnist alone)
        String expected = "a model file saved by bpnn; train one with ./bpnn train (--out) or ./bpnn fashion-mnist (writes"
                + " runs/fashion-mnist/model.bpnn)";
        assertEquals("--model " + dir + " is a directory; expected " + expected, fails(dir, in));
        assertEquals("--model " + dir.resolve("none.bpnn") + " does not exist; expected " + expected,
                fails(dir.resolve("none.bpnn"), in));
        assertEquals("--input " + dir + " is a directory; expected a CSV or IDX file of inputs, or - for standard input", fails(model, dir));
        assertEquals("--output " + dir + " is a directory; expected a file name such as " + dir.resolve("predictions.csv"),
                fails(model, in, "--output", dir.toString()));
    }

    @Test
    void outputIntoAMissingDirectoryCreatesItOnlyWhenWriting() throws IOException {
        // refused ("directory ... does not exist; create it"), where train's --out and every directory flag made it
        Path in = file("in.csv", "a,b\n1,2\n");
        Path out = dir.resolve("runs/p/o.csv");
        Cli.Result r = predict(0, model, in, "--output", out.toString());
        assertTrue(Files.readString(out).startsWith("row,"), r.out());
        // a run that fails on its input leaves no directory behind: it is made only to write the file
        Path other = dir.resolve("more/o.csv");
        fails(model, file("bad.csv", "a,b\n1,x\n"), "--output", other.toString());
        assertFalse(Files.exists(dir.resolve("more")));
        // a file in the way is refused before the work, naming it
        Path afile = file("afile", "x");
        assertEquals("--output " + afile.resolve("sub/o.csv") + ": " + afile + " is a file, not a directory; choose another --output",
                fails(model, in, "--output", afile.resolve("sub/o.csv").toString()));
    }

    @Test
    void aFailedWriteOfTheOutputNamesTheFile() throws IOException {
        // the error was the bare "No space left on device": neither the file nor the flag
        Path full = Path.of("/dev/full");
        assumeTrue(isCharacterDevice(full) && Files.isWritable(full), "needs /dev/full as a writable character device");
        String err = fails(model, file("in.csv", "a,b\n1,2\n"), "--output", full.toString());
        assertTrue(err.startsWith("--output /dev/full: could not write the predictions (No space left on device); "), err);
    }

    /**
     * Whether {@code file} is a character device (mode S_IFCHR). Not Files.isWritable: a regular file is writable too, and
     * --output replaces a regular file by a rename, so where /dev/full is a plain file the test would fail, and as root
     * replace it with the predictions.
     */
    private static boolean isCharacterDevice(Path file) {
        try {
            return ((Integer) Files.getAttribute(file, "unix:mode") & 0170000) == 0020000;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false; // missing, or no unix attribute view on this platform
        }
    }

    /**
     * --output to a file is written atomically: a run failing part-way through its rows (a full disk; here the writer
     * fails after some thousands of characters, several buffers' worth already in the file) left half a CSV over the
     * previous good one, written in place. Now an existing file is kept byte for byte, a new one is not made, and no
     * hidden temporary file remains beside them.
     */
    @Test
    void aWriteFailingPartWayLeavesAnExistingOutputAsItWas() throws IOException {
        StringBuilder csv = new StringBuilder("a,b\n");
        for (int i = 0; i < 3000; i++) csv.append(i % 7).append(',').append(i % 5).append('\n');
        Path in = file("in.csv", csv.toString());
        Path outDir = Files.createDirectory(dir.resolve("out"));
        Path out = outDir.resolve("p.csv");
        predict(0, model, in, "--output", out.toString());
        byte[] good = Files.readAllBytes(out);
        assertTrue(good.length > 60_000, "the rows fill several buffers: " + good.length);

        java.util.function.UnaryOperator<picocli.CommandLine> failing = cl -> {
            ((PredictCommand) cl.getSubcommands().get("predict").getCommand()).outputWriter = w -> new java.io.FilterWriter(w) {
                private int written;

                @Override
                public void write(String str, int off, int len) throws IOException {
                    super.write(str, off, len);
                    if ((written += len) > 40_000) throw new IOException("No space left on device");
                }
            };
            return cl;
        };
        Files.writeString(in, csv.toString().replace("a,b\n", "a,b\n9,9\n")); // other predictions: a different file
        String err = Cli.run(failing, 1, args(model, in, "--output", out.toString())).err().strip();
        assertArrayEquals(good, Files.readAllBytes(out), "the previous predictions survive byte for byte");
        try (var files = Files.list(outDir)) {
            assertEquals(List.of(out), files.toList(), "no temporary file is left beside it");
        }
        assertEquals("bpnn: error: --output " + out + ": could not write the predictions (No space left on device); the file is"
                + " as it was: free space on its disk, fix the directory's permissions or choose another --output", err);
        // a new file is not made
        Path fresh = outDir.resolve("new.csv");
        Cli.run(failing, 1, args(model, in, "--output", fresh.toString()));
        try (var files = Files.list(outDir)) {
            assertEquals(List.of(out), files.toList(), "neither a partial file nor a temporary one");
        }
        // and a run that succeeds replaces the file, leaving nothing else
        predict(0, model, in, "--output", out.toString());
        assertTrue(Files.readString(out).startsWith("row,output0,output1\n0,"), Files.readString(out).substring(0, 40));
        assertTrue(Files.size(out) > good.length);
        try (var files = Files.list(outDir)) {
            assertEquals(List.of(out), files.toList());
        }
    }

    @Test
    void binaryInputIsReadAsIdx() throws IOException {
        // 00 01: an IDX file with a damaged magic number; it used to be read as CSV and fail with a CSV message
        Path bad = Files.write(dir.resolve("images"), new byte[] {0, 1, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 7, 9});
        String err = fails(model, bad);
        assertTrue(err.startsWith(bad + ": bytes 0-1: expected 00 00 (IDX magic), found 00 01"), err);
        assertTrue(PredictCommand.looksLikeIdx(Files.write(dir.resolve("late-nul"), ("a,b\n1,2\n" + "\0").getBytes(StandardCharsets.UTF_8))));
        assertFalse(PredictCommand.looksLikeIdx(file("text.csv", "a,b\n1,2\n")));
    }

    private Path gzip(String name, byte[] bytes) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
            z.write(bytes);
        }
        return Files.write(dir.resolve(name), out.toByteArray());
    }

    @Test
    void aGzippedCsvIsReadAsCsv() throws IOException {
        // gzip data was IDX by --format auto: a .csv.gz was refused with "expected 00 00 (IDX magic), found 61 2C"
        for (String text : List.of("a,b\n1,2\n-0.5,3\n", "\n1,2\n-0.5,3\n")) {
            Path gz = gzip("in.csv.gz", text.getBytes(StandardCharsets.UTF_8));
            assertFalse(PredictCommand.looksLikeIdx(gz));
            Path out = dir.resolve("p.csv");
            Cli.Result r = predict(0, model, gz, "--output", out.toString());
            assertTrue(r.lastLine().contains("\"samples\":2"), r.lastLine());
            assertEquals(List.of("row,output0,output1", row(0, 1, 2), row(1, -0.5f, 3)), Files.readAllLines(out), text);
        }
        // a refusal names the line of the decompressed text, as for a plain file
        Path mixed = gzip("mixed.csv.gz", "\n1,x\n2,3\n".getBytes(StandardCharsets.UTF_8));
        assertTrue(fails(model, mixed).startsWith(mixed + " line 2"), fails(model, mixed));
        // a gzipped IDX file is still IDX, and so is gzip data too damaged to show its start
        assertTrue(PredictCommand.looksLikeIdx(gzip("images.gz", new byte[] {0, 0, 8, 1, 0, 0, 0, 2, 7, 9})));
        byte[] cut = Arrays.copyOf(Files.readAllBytes(gzip("whole.gz", new byte[] {0, 0, 8, 1, 0, 0, 0, 2, 7, 9})), 5);
        assertTrue(PredictCommand.looksLikeIdx(Files.write(dir.resolve("cut.gz"), cut)));
        // a .csv.gz cut short before the sniff's 512 decompressed bytes shows its start too: the failed sniff made it
        // IDX, refused with "expected 00 00 (IDX magic), found 61 2C" instead of naming the damage
        StringBuilder rows = new StringBuilder("a,b\n");
        for (int i = 0; i < 40; i++) rows.append(i).append(',').append(i * 7 % 13).append('\n');
        byte[] whole = Files.readAllBytes(gzip("short.csv.gz", rows.toString().getBytes(StandardCharsets.UTF_8)));
        for (int length : new int[] {whole.length - 4, whole.length - 20}) {
            Path cutCsv = Files.write(dir.resolve("cut.csv.gz"), Arrays.copyOf(whole, length));
            assertFalse(PredictCommand.looksLikeIdx(cutCsv), "cut to " + length + " of " + whole.length);
            String err = fails(model, cutCsv);
            assertTrue(err.startsWith(cutCsv + ": the gzip data is damaged or cut short ("), err);
        }
    }

    @Test
    void formatChoosesTheReaderAsItsHelpSays() throws IOException {
        // --help showed "--format=<format>", picocli's placeholder, where the other flags show their values
        String help = Cli.run(0, "predict", "--help").out();
        assertTrue(help.contains("--format=csv|idx|auto"), help);
        assertTrue(help.contains("[--format=csv|idx|auto]"), help);
        Path images = Files.write(dir.resolve("images"), new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 7, 9});
        Path csv = file("in.csv", "7,9\n");
        String expected = row(0, 7, 9);
        for (String[] run : new String[][] {{images.toString(), "auto"}, {images.toString(), "idx"}, {images.toString(), "IDX"},
                {csv.toString(), "auto"}, {csv.toString(), "csv"}}) {
            Cli.Result r = predict(0, model, Path.of(run[0]), "--format", run[1]);
            assertEquals(expected, r.out().strip().lines().toList().get(1), String.join(" ", run));
        }
        // a format given is the reader used, whatever the content
        assertTrue(fails(model, csv, "--format", "idx").startsWith(csv + ": bytes 0-1: expected 00 00 (IDX magic)"));
        String asCsv = fails(model, images, "--format", "csv"); // its bytes are one line of text to the CSV reader
        assertTrue(asCsv.startsWith(images + " has a header but no data rows"), asCsv);
        assertEquals("unknown --format 'xml'; expected csv, idx or auto", fails(model, csv, "--format", "xml"));
    }

    /**
     * A model file passed as --input (the model given twice, or for the data) is named as one, with the way out,
     * whatever --format says; it was "bytes 0-1: expected 00 00 (IDX magic), found 89 42; this is not an IDX file".
     */
    @Test
    void aModelFileGivenAsInputIsNamedAsOne() throws IOException {
        String expected = "--input: " + model + " is a bpnn model file, not data; pass the model as --model and the samples,"
                + " a CSV or IDX file, as --input";
        for (String format : new String[] {"auto", "idx", "csv"}) {
            assertEquals(expected, fails(model, model, "--format", format), format);
        }
        Path gz = gzip("m.bpnn.gz", Files.readAllBytes(model));
        assertEquals("--input: " + gz + " is a bpnn model file, not data; pass the model as --model and the samples,"
                + " a CSV or IDX file, as --input", fails(model, gz));
        // evaluate reads its input as predict does
        assertEquals(expected, Cli.error("evaluate", "--backend", "scalar", "--threads", "1", "--model", model.toString(),
                "--input", model.toString(), "--label", "y"));
    }

    @Test
    void aHeaderNameThatKeptItsQuotesIsNamedAsSuch() throws IOException {
        // a, "x2": the name was "\"x2\"", and the model's x2 was reported missing beside a header showing it
        Path named = dir.resolve("named.bpnn");
        ModelFile.save(org.bpnn.io.model.SavedModel.of(net).withFeatureNames(List.of("x1", "x2")), named);
        Path in = file("kept.csv", "x1, \"x2\"\n1,2\n");
        assertEquals(in + "'s header name \"x2\" (column 1) kept its quotes: a quote opens a quoted value only right after the"
                + " delimiter or at the start of a line, not after a space; remove the spaces before the quotes (the model takes a"
                + " column named \"x2\")", fails(named, in));
        // a model without names: the reader refuses the name as it refuses such a value
        String err = fails(model, in);
        assertTrue(err.contains("kept.csv line 1, column index 1: the header name \"x2\" kept its quotes"), err);
    }

    @Test
    void utf16OrUtf32TextIsNamedNotReadAsIdx() throws IOException {
        // a Windows "Unicode" CSV: its byte-order mark or NUL bytes made it IDX, and the error was about an IDX magic number
        String text = "a,b\n1,2\n";
        Object[][] cases = {
            {"UTF_16LE", new byte[] {(byte) 0xff, (byte) 0xfe}, "UTF-16LE (byte-order mark FF FE)", "iconv -f UTF-16 -t UTF-8"},
            {"UTF_16BE", new byte[] {(byte) 0xfe, (byte) 0xff}, "UTF-16BE (byte-order mark FE FF)", "iconv -f UTF-16 -t UTF-8"},
            {"UTF-32LE", new byte[] {(byte) 0xff, (byte) 0xfe, 0, 0}, "UTF-32LE (byte-order mark FF FE 00 00)", "iconv -f UTF-32 -t"},
            {"UTF-32BE", new byte[] {0, 0, (byte) 0xfe, (byte) 0xff}, "UTF-32BE (byte-order mark 00 00 FE FF)", "iconv -f UTF-32 -t"},
            {"UTF_16LE", new byte[0], "UTF-16LE (without a byte-order mark", "iconv -f UTF-16LE -t UTF-8"},
            {"UTF_16BE", new byte[0], "UTF-16BE (without a byte-order mark", "iconv -f UTF-16BE -t UTF-8"},
            // without a mark these were IDX: "expected 00 00 (IDX magic), found 61 00" (found by review)
            {"UTF-32LE", new byte[0], "UTF-32LE (without a byte-order mark", "iconv -f UTF-32LE -t UTF-8"},
            {"UTF-32BE", new byte[0], "UTF-32BE (without a byte-order mark", "iconv -f UTF-32BE -t UTF-8"},
        };
        int k = 0;
        for (Object[] c : cases) {
            byte[] body = text.getBytes(java.nio.charset.Charset.forName((String) c[0]));
            byte[] bom = (byte[]) c[1];
            byte[] bytes = new byte[bom.length + body.length];
            System.arraycopy(bom, 0, bytes, 0, bom.length);
            System.arraycopy(body, 0, bytes, bom.length, body.length);
            Path in = Files.write(dir.resolve("wide" + k++ + ".csv"), bytes);
            assertFalse(PredictCommand.looksLikeIdx(in), (String) c[2]);
            for (String[] more : new String[][] {{}, {"--format", "csv"}, {"--header", "no"}}) {
                String err = fails(model, in, more);
                assertTrue(err.startsWith(in + " looks like " + c[2]), err);
                assertTrue(err.contains("not UTF-8") && err.contains("save it as UTF-8") && err.contains((String) c[3]), err);
            }
        }
        // UTF-16 without a mark whose header is not ASCII: the NUL bytes beside its delimiters made it IDX
        Path cyrillic = Files.write(dir.resolve("cyrillic.csv"),
                "\u0432\u043e\u0437\u0440\u0430\u0441\u0442,\u0440\u043e\u0441\u0442\n31,180\n".getBytes(StandardCharsets.UTF_16LE));
        assertFalse(PredictCommand.looksLikeIdx(cyrillic));
        assertTrue(fails(model, cyrillic).startsWith(cyrillic + " looks like UTF-16LE (without a byte-order mark"));
        // IDX, damaged or not, is still IDX
        assertTrue(PredictCommand.looksLikeIdx(Files.write(dir.resolve("idx"), new byte[] {0, 0, 8, 1, 0, 0, 0, 2, 7, 9})));
        // ... also when its sizes would read as UTF-32BE characters (1000 images of 32x32)
        assertTrue(PredictCommand.looksLikeIdx(Files.write(dir.resolve("idx3"),
                new byte[] {0, 0, 8, 3, 0, 0, 3, (byte) 0xe8, 0, 0, 0, 32, 0, 0, 0, 32, 7, 9})));
        assertTrue(PredictCommand.looksLikeIdx(Files.write(dir.resolve("idx2"), new byte[] {0, 1, 8, 3, 0, 0, 0, 1, 0, 0})));
    }

    @Test
    void aFileThatIsNotUtf8NamesTheFileAndLine() throws IOException {
        // the whole message used to be "Input length = 1"
        Path latin = Files.write(dir.resolve("latin.csv"), "a,b\n1,\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        String err = fails(model, latin);
        assertTrue(err.startsWith(latin + " line 2: not UTF-8 text"), err);
    }

    @Test
    void helpDocumentsTheHeaderRule() {
        String help = Cli.run(0, "predict", "--help").out().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        assertTrue(help.contains("header of column names unless every cell in it is a number"), help);
        assertTrue(help.contains("or is exactly 0,1,...,n-1 with n >= 2 (pandas' names for unnamed columns), is refused"), help);
    }

    /**
     * A model saved with feature names takes a CSV's columns by name: columns in another order, or
     * with more columns, are fed right (they were fed in file order, silently); a missing one is
     * refused naming it. A headerless CSV is still read in order.
     */
    @Test
    void aModelWithFeatureNamesTakesTheCsvColumnsByName() throws IOException {
        Path named = dir.resolve("named.bpnn");
        ModelFile.save(org.bpnn.io.model.SavedModel.of(net).withFeatureNames(List.of("x1", "x2")), named);
        Path out = dir.resolve("p.csv");
        List<String> expected = List.of("row,output0,output1", row(0, 1, 2), row(1, 3, 4));
        predict(0, named, file("swapped.csv", "id,x2,x1\n7,2,1\n8,4,3\n"), "--output", out.toString());
        assertEquals(expected, Files.readAllLines(out));
        predict(0, named, file("plain.csv", "1,2\n3,4\n"), "--output", out.toString());
        assertEquals(expected, Files.readAllLines(out), "no header: the columns in order");
        assertEquals(dir.resolve("missing.csv") + " has no column \"x2\" of the 2 the model was trained on; its header has"
                + " \"x1\", \"X2\" (names are case-sensitive; the model's are in " + named + ")",
                fails(named, file("missing.csv", "x1,X2\n1,2\n")));
        assertEquals(dir.resolve("twice.csv") + "'s header has the column \"x1\" twice (at 0 and 2), a feature the model"
                + " takes by name; rename or remove one", fails(named, file("twice.csv", "x1,x2,x1\n1,2,3\n")));
    }

    @Test
    void idColumnWritesTheRowsIdsFirstAndIsNeverAnInput() throws IOException {
        // before: only a row index, nothing to join the predictions back to the user's ids (and no --id-column flag)
        Path named = dir.resolve("named.bpnn"), out = dir.resolve("p.csv");
        ModelFile.save(SavedModel.of(net).withFeatureNames(List.of("x1", "x2")), named);
        Path ids = file("ids.csv", "x2,customer id,x1\n2,\"Smith, J\",1\n4, A7 ,3\n6,\"say \"\"hi\"\"\",5\n");
        predict(0, named, ids, "--id-column", "customer id", "--output", out.toString());
        assertEquals(List.of("customer id,row,output0,output1", "\"Smith, J\"," + row(0, 1, 2), " A7 ," + row(1, 3, 4),
                "\"say \"\"hi\"\"\"," + row(2, 5, 6)), Files.readAllLines(out));
        // a model without feature names takes every column in order: the id column is left out of its inputs, not
        // read as its first (a numeric id, here, would have been predicted on silently with the columns shifted)
        predict(0, model, file("numeric-ids.csv", "id,a,b\n101,1,2\n102,-0.5,3\n"), "--id-column", "id", "--output", out.toString());
        assertEquals(List.of("id,row,output0,output1", "101," + row(0, 1, 2), "102," + row(1, -0.5f, 3)), Files.readAllLines(out));
        // refusals, each one line
        assertEquals("--id-column: no column \"Customer id\" in " + ids + "'s header; expected one of \"x2\", \"customer id\","
                + " \"x1\" (names are case-sensitive: \"customer id\"?)", fails(named, ids, "--id-column", "Customer id"));
        assertTrue(fails(model, file("plain.csv", "1,2\n3,4\n"), "--id-column", "id")
                .startsWith("--id-column needs a header line naming "), "a headerless CSV");
        assertTrue(fails(model, ids, "--id-column", "id", "--header", "no").startsWith("--id-column needs the CSV's header line"));
        Path images = Files.write(dir.resolve("images"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 2});
        assertTrue(fails(model, images, "--id-column", "id").startsWith("--id-column is for a CSV input with a header, but "
                + images + " is an IDX file"));
        assertTrue(fails(model, images, "--id-column", "id", "--format", "idx").startsWith("--id-column is for a CSV input"));
        assertTrue(fails(model, file("twice.csv", "id,a,id\n1,2,3\n"), "--id-column", "id").contains("has the column \"id\" twice"));
    }

    /**
     * A CSV read for training with a sample weight column (CsvReader weightColumn) gives feature names
     * without it, so a model saved with them predicts on that same file: the weight column is left out
     * by name, as the label columns are. A model without feature names takes every column, so the
     * weight and labels are refused as the model's inputs would be.
     */
    @Test
    void aModelSavedFromWeightedCsvDataPredictsOnItsFileLeavingTheWeightOut() throws IOException {
        Path train = file("weighted.csv", "x2,w,x1,y1,y2\n2,0.5,1,0,0\n4,2,3,1,1\n");
        org.bpnn.io.data.CsvData csv = org.bpnn.io.data.CsvReader.builder().labelColumns("y1", "y2").weightColumn("w")
                .build().read(train);
        assertEquals(List.of("x2", "x1"), csv.featureNames());
        Path named = dir.resolve("weighted.bpnn");
        ModelFile.save(SavedModel.of(net).withFeatureNames(csv.featureNames()), named);
        Path out = dir.resolve("p.csv");
        predict(0, named, train, "--output", out.toString());
        assertEquals(List.of("row,output0,output1", row(0, 2, 1), row(1, 4, 3)), Files.readAllLines(out));
        String refused = fails(model, train);
        assertTrue(refused.startsWith(train + " has 5 features per sample, but the model takes 2;"), refused);
    }

    /**
     * A headerless CSV of another width than a model with feature names takes: the refusal names the model's inputs and
     * the header line that lets it take them by name. It said only "use inputs of the same shape as the training data".
     */
    @Test
    void aHeaderlessCsvOfAnotherWidthIsToldTheModelsInputsAndTheHeaderLine() throws IOException {
        Path named = dir.resolve("named.bpnn");
        ModelFile.save(SavedModel.of(net).withFeatureNames(List.of("x1", "x2")), named);
        for (String text : new String[] {"1\n2\n", "1,2,3\n4,5,6\n"}) {
            Path in = file("plain.csv", text);
            String cols = text.startsWith("1,2,3") ? "3 features" : "1 feature";
            assertEquals(in + " has " + cols + " per sample, but the model takes 2; use inputs of the same shape as the training"
                    + " data: the model's inputs are \"x1\", \"x2\", in that order; " + in + " has no header line, so its columns"
                    + " are taken in order: add a header line naming its columns, and the model takes its own by name",
                    fails(named, in));
        }
        // --header yes on a file without one: its first sample was taken for names, and only the names were shown
        Path plain = file("plain.csv", "1,2\n3,4\n");
        assertEquals(plain + " has no columns \"x1\", \"x2\" of the 2 the model was trained on; its header has \"1\", \"2\","
                + " numbers only: a sample, not column names? --header yes reads the first line as names; leave --header out"
                + " (auto) or pass --header no to predict on it, or add a header line naming the columns",
                fails(named, plain, "--header", "yes"));
        // with the header line, the wider file is predicted on (its other column left out)
        Path out = dir.resolve("p.csv");
        predict(0, named, file("headed.csv", "x2,y,x1\n2,0,1\n"), "--output", out.toString());
        assertEquals(List.of("row,output0,output1", row(0, 1, 2)), Files.readAllLines(out));
    }

    /**
     * A file without samples is refused as empty, whatever --header says and whether or not the model
     * has feature names (no prediction is made: bpnn has no 0-row tensor). Under --header yes an empty
     * file given to a model with names was "has no columns "x1", "x2" of the 2 the model was trained on;
     * its header has  (names ...)", checked against a header that was not there.
     */
    @Test
    void aCsvWithoutSamplesIsRefusedAsEmpty() throws IOException {
        Path named = dir.resolve("named.bpnn");
        ModelFile.save(org.bpnn.io.model.SavedModel.of(net).withFeatureNames(List.of("x1", "x2")), named);
        for (String text : new String[] {"", "\n \n"}) {
            Path empty = file("empty.csv", text);
            for (Path m : List.of(model, named)) {
                assertEquals(empty + " is empty; expected at least one data row", fails(m, empty));
                assertEquals(empty + " is empty; expected at least one data row", fails(m, empty, "--header", "no"));
                assertEquals(empty + " is empty; expected a header line and at least one data row",
                        fails(m, empty, "--header", "yes"), m + " " + text.length());
                // --id-column needs a header: an empty file was "its first line is a sample (every cell a number)"
                assertEquals(empty + " is empty; expected a header line and at least one data row",
                        fails(m, empty, "--id-column", "id"), m + " " + text.length());
            }
        }
        Path header = file("header.csv", "x1,x2\n");
        for (Path m : List.of(model, named)) {
            for (String h : new String[] {"auto", "yes"}) {
                assertEquals(header + " has a header but no data rows; expected a header line and at least one data row",
                        fails(m, header, "--header", h));
            }
        }
    }

    /**
     * The header's names are read as the CSV reader reads them: a quoted name with a comma or an
     * escaped quote was split on the comma by the pre-check, and a valid file refused as missing the
     * column; a space before a quote (kept as text by the reader) passed the pre-check and failed in
     * the reader with "fix the value in the file: ... must be a finite number". Found by review.
     */
    @Test
    void featureNamesAreMatchedAgainstTheHeaderAsTheCsvReaderParsesIt() throws IOException {
        Path named = dir.resolve("quoted.bpnn");
        ModelFile.save(org.bpnn.io.model.SavedModel.of(net).withFeatureNames(List.of("x1, cm", "say \"hi\"")), named);
        Path out = dir.resolve("p.csv");
        List<String> expected = List.of("row,output0,output1", row(0, 1, 2));
        predict(0, named, file("q.csv", "id,\"say \"\"hi\"\"\",\"x1, cm\"\n7,2,1\n"), "--output", out.toString());
        assertEquals(expected, Files.readAllLines(out));
        assertEquals(dir.resolve("sp.csv") + " has no column \"say \"hi\"\" of the 2 the model was trained on; its header has"
                + " \"x1, cm\", \"\"say \"\"hi\"\"\"\" (names are case-sensitive; the model's are in " + named + ")",
                fails(named, file("sp.csv", "\"x1, cm\", \"say \"\"hi\"\"\"\n1,2\n")));
    }

    /**
     * --header auto and a model whose feature names are numbers (wavelengths, pixel indices): a first
     * line holding every one of them is refused as ambiguous, as pandas' 0,1,...,n-1 is. It was taken
     * for a sample (all numbers): the header predicted as a row (exit 0), and the columns fed in file
     * order, not by name. Found by review.
     */
    @Test
    void aFirstLineOfNumbersThatHoldsEveryFeatureNameIsRefusedUnderAuto() throws IOException {
        Path named = dir.resolve("numbers.bpnn");
        ModelFile.save(org.bpnn.io.model.SavedModel.of(net).withFeatureNames(List.of("400", "410")), named);
        Path csv = file("nm.csv", "410,400\n2,1\n");
        assertEquals(csv + "'s first line holds only numbers, among them every feature name of the model (\"400\", \"410\"):"
                + " column names or a sample? say which it is with --header yes or --header no", fails(named, csv));
        Path out = dir.resolve("p.csv");
        predict(0, named, csv, "--header", "yes", "--output", out.toString());
        assertEquals(List.of("row,output0,output1", row(0, 1, 2)), Files.readAllLines(out));
        predict(0, named, file("nm2.csv", "1,2\n3,4\n"), "--output", out.toString());
        assertEquals(List.of("row,output0,output1", row(0, 1, 2), row(1, 3, 4)), Files.readAllLines(out), "not the names: samples");
    }

    /**
     * A classifier saved with class names gets a class_name column beside the class index, and its probability
     * columns are named by class, probability_<name> (each quoted when it holds a comma or a quote).
     */
    @Test
    void aClassifierWithClassNamesWritesThemBesideTheIndex() throws IOException {
        Network clf = Network.builder(2).dense(3, Activation.tanh()).dense(2, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(5).backend(Backends.get("scalar", 1)).build();
        Path named = dir.resolve("clf.bpnn");
        ModelFile.save(org.bpnn.io.model.SavedModel.of(clf).withClassNames(List.of("cat", "dog, \"large\"")), named);
        Path out = dir.resolve("p.csv");
        predict(0, named, file("x.csv", "1,2\n-3,4\n"), "--output", out.toString());
        List<String> lines = Files.readAllLines(out);
        assertEquals("row,class,class_name,probability_cat,\"probability_dog, \"\"large\"\"\"", lines.get(0));
        Tensor x = Tensor.wrap(2, 2, new float[] {1, 2, -3, 4});
        int[] cls = clf.predictClasses(x);
        float[] p = clf.predict(x).data(); // a softmax output's probabilities are its outputs
        for (int i = 0; i < 2; i++) {
            String name = cls[i] == 0 ? "cat" : "\"dog, \"\"large\"\"\"";
            assertEquals(i + "," + cls[i] + "," + name + "," + p[2 * i] + "," + p[2 * i + 1], lines.get(i + 1));
        }
    }

    /**
     * A regression model saved with target names heads each output's column predicted_<name>
     * (quoted when it holds a comma), not output<j>; the values are the same.
     */
    @Test
    void aRegressionModelWithTargetNamesHeadsItsColumnsByThem() throws IOException {
        Path named = dir.resolve("named.bpnn");
        ModelFile.save(SavedModel.of(net).withTargetNames(List.of("price", "rent, monthly")), named);
        Path out = dir.resolve("p.csv");
        predict(0, named, file("x.csv", "a,b\n1,2\n-0.5,3\n"), "--output", out.toString());
        assertEquals(List.of("row,predicted_price,\"predicted_rent, monthly\"", row(0, 1, 2), row(1, -0.5f, 3)),
                Files.readAllLines(out));
    }
}
