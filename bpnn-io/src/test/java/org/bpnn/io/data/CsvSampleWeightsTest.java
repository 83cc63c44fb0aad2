package org.bpnn.io.data;

import static org.bpnn.io.data.CsvTexts.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.bpnn.data.Dataset;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** CsvReader.Builder.weightColumn: per-row sample weights, as bpnn-spark's RowFormat.sampleWeight(column). */
class CsvSampleWeightsTest {
    /** The weight between the features, the label last. */
    private static final String WEIGHTED = """
            x1,w,x2,y
            1,0.5,2,10
            3,2,4,20
            5,0,6,30
            """;

    private static CsvFormatException fails(CsvReader.Builder b, String text, long line, int column, String message) {
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> read(b, text));
        assertEquals(message, e.getMessage());
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
        return e;
    }

    @Test
    void weightsAreReadInRowOrderAndLeftOutOfTheFeatures() throws IOException {
        for (CsvReader.Builder b : List.of(CsvReader.builder().weightColumn("w"), CsvReader.builder().weightColumn(1))) {
            CsvData csv = read(b, WEIGHTED);
            assertArrayEquals(new float[] {0.5f, 2f, 0f}, csv.sampleWeights());
            assertEquals(List.of("x1", "x2"), csv.featureNames());
            assertEquals(Tensor.wrap(3, 2, new float[] {1, 2, 3, 4, 5, 6}), csv.features());
            assertEquals(Tensor.wrap(3, 1, new float[] {10, 20, 30}), csv.targets());
            assertEquals(List.of("y"), csv.targetNames());
            Dataset data = new Dataset(csv.features(), csv.targets()).withSampleWeights(csv.sampleWeights());
            assertTrue(data.isWeighted());
        }
        // explicit features and labels by name, a categorical label: the same weights
        CsvData csv = read(CsvReader.builder().featureColumns("x2").labelColumns("x1").categorical().oneHot(true)
                .weightColumn("w"), WEIGHTED);
        assertArrayEquals(new float[] {0.5f, 2f, 0f}, csv.sampleWeights());
        assertEquals(List.of("x2"), csv.featureNames());
        assertTrue(csv.toString().endsWith(", sample weights]"), csv.toString());
    }

    @Test
    void withoutAWeightColumnNothingChanges() throws IOException {
        CsvData csv = read(CsvReader.builder(), WEIGHTED);
        assertNull(csv.sampleWeights());
        assertEquals(List.of("x1", "w", "x2"), csv.featureNames(), "an unchosen weight column is a feature, as before");
        assertEquals(new CsvData(csv.features(), csv.targets(), csv.labels(), csv.featureNames(), csv.targetNames(),
                csv.classNames()), csv, "the six-component constructor is the unweighted data");
        assertNull(read(CsvReader.builder().noLabels(), WEIGHTED).sampleWeights());
        assertEquals(List.of("x1", "w", "x2", "y"), CsvReader.builder().weightColumn("w").build()
                .headerNames(writeTemp(WEIGHTED)));
    }

    private static java.nio.file.Path writeTemp(String text) throws IOException {
        java.nio.file.Path p = java.nio.file.Files.createTempFile("weights", ".csv");
        p.toFile().deleteOnExit();
        return java.nio.file.Files.writeString(p, text);
    }

    @Test
    void aBadWeightIsRefusedNamingItsLineAndColumn() {
        CsvReader.Builder b = CsvReader.builder().weightColumn("w");
        String at = "test.csv line 3, column w (index 1): expected a sample weight (a finite number >= 0), found ";
        fails(b, "x,w,y\n1,1,2\n3,,4\n", 3, 1, at + "an empty value; fill in the row's weight, or remove the row");
        for (String bad : new String[] {"NaN", "inf", "-Infinity"}) {
            fails(b, "x,w,y\n1,1,2\n3," + bad + ",4\n", 3, 1, at + "\"" + bad + "\"; fill in the row's weight, or remove the row");
            // allowNonFinite is about features and targets, never weights
            fails(CsvReader.builder().weightColumn(1).allowNonFinite(true), "x,w,y\n1,1,2\n3," + bad + ",4\n", 3, 1,
                    at + "\"" + bad + "\"; fill in the row's weight, or remove the row");
        }
        // not "(0 leaves the row out of training)": ./bpnn evaluate reads the weights too
        fails(b, "x,w,y\n1,1,2\n3,-0.5,4\n", 3, 1, at + "\"-0.5\"; sample weights cannot be negative: fix the value (0 makes"
                + " the row count for nothing, 1 is unweighted), or remove the row");
        CsvFormatException e = fails(b, "x,w,y\n1,1,2\n3,heavy,4\n", 3, 1, "test.csv line 3, column w (index 1): expected a"
                + " number, found \"heavy\"; fix the sample weight (a finite number >= 0), or remove the row");
        assertEquals(CsvFormatException.Remedy.OTHER, e.remedy(), "allowNonFinite or featureColumns(...) would not help");
        fails(b, "x,w,y\n1,1e39,2\n", 2, 1, "test.csv line 2, column w (index 1): \"1e39\" is outside the float range"
                + " (about +-3.4e38); rescale the column");
    }

    @Test
    void weightsThatAreAllZeroAreRefused() throws IOException {
        // worded for any use of the weights (evaluate weighs a loss with them), not for training alone
        fails(CsvReader.builder().weightColumn("w"), "x,w,y\n1,0,2\n3,-0,4\n", -1, 1, "test.csv: every sample weight in column"
                + " w (index 1) is 0 (2 rows), so every row would count for nothing; give the rows that should count a"
                + " weight above 0 (1 is unweighted)");
        assertArrayEquals(new float[] {0f, 1e-30f}, read(CsvReader.builder().weightColumn("w"), "x,w,y\n1,0,2\n3,1e-30,4\n")
                .sampleWeights());
    }

    @Test
    void aWeightColumnThatIsAFeatureOrALabelIsRefused() {
        fails(CsvReader.builder().weightColumn("y"), WEIGHTED, 1, 3, "test.csv: column y (index 3) is chosen both as the sample"
                + " weight and as a label (the label is the last column by default); choose the weight's own column in"
                + " weightColumn(...), or the labels with labelColumns(...)");
        fails(CsvReader.builder().labelColumns(1).weightColumn("w"), WEIGHTED, 1, 1, "test.csv: column w (index 1) is chosen"
                + " both as the sample weight and as a label; choose the weight's own column in weightColumn(...), or the"
                + " labels with labelColumns(...)");
        fails(CsvReader.builder().featureColumns("x1", "w").weightColumn(1), WEIGHTED, 1, 1, "test.csv: column w (index 1) is"
                + " chosen both as a feature and as the sample weight; remove it from featureColumns(...) or choose another"
                + " weightColumn(...)");
        fails(CsvReader.builder().weightColumn("W"), WEIGHTED, 1, -1, "test.csv line 1: weight column \"W\" not found; the"
                + " header has [x1, w, x2, y]; fix the name in weightColumn(...) (names are case-sensitive)");
        fails(CsvReader.builder().weightColumn(4), WEIGHTED, 1, 4, "test.csv: weight column index 4 is out of range; line 1"
                + " has 4 columns, indices 0..3; fix weightColumn(...)");
        fails(CsvReader.builder().weightColumn(0), "w,y\n1,2\n", 1, -1, "test.csv: no feature columns left: the file has 2"
                + " column(s) [w, y] and [y] are labels, w the sample weight; a dataset needs at least one feature column");
    }

    @Test
    void weightColumnOptionsAreChecked() {
        assertEquals("noLabels() cannot be combined with weightColumn(...): sample weights weigh the rows' losses against"
                + " their labels, and noLabels() reads data to predict on; drop one or the other", assertThrows(
                IllegalArgumentException.class, () -> CsvReader.builder().noLabels().weightColumn("w").build()).getMessage());
        assertEquals("columns chosen by name [w] but header(false): names need a header line; choose the columns by index"
                + " or set header(true)", assertThrows(IllegalArgumentException.class,
                () -> CsvReader.builder().header(false).weightColumn("w").build()).getMessage());
        assertThrows(IllegalArgumentException.class, () -> CsvReader.builder().weightColumn(-1));
        assertThrows(IllegalArgumentException.class, () -> CsvReader.builder().weightColumn(" "));
        assertThrows(IllegalArgumentException.class, () -> CsvReader.builder().weightColumn((String) null));
        assertTrue(CsvReader.builder().weightColumn("w").build().toString().contains(".weightColumn(\"w\")"));
        assertTrue(CsvReader.builder().weightColumn("w").weightColumn(2).build().toString().endsWith(".weightColumn(2).build()"));
        assertEquals("got 1 sample weights for 2 rows; pass one per row, or null for unweighted data", assertThrows(
                IllegalArgumentException.class, () -> new CsvData(Tensor.zeros(2, 1), null, null, List.of("a"), List.of(),
                        List.of(), new float[1])).getMessage());
    }

    @Test
    void theWeightColumnCountsAsANumberColumnForTheDefaultHeaderRule() throws IOException {
        // a first line of numbers in the features and the weight (text only in the class label) is a sample
        CsvFormatException e = assertThrows(CsvFormatException.class,
                () -> read(CsvReader.builder().weightColumn(1).categorical(), "1.5,0.5,cat\n2.5,1,dog\n"));
        assertTrue(e.getMessage().startsWith("test.csv line 1 holds only numbers (1.5,0.5) in the columns read as numbers"),
                e.getMessage());
        // and a name there makes the line a header, though the feature's name is a number (a wavelength)
        CsvData csv = read(CsvReader.builder().weightColumn(1).categorical(), "450,w,y\n1.5,0.5,cat\n2.5,1,dog\n");
        assertEquals(List.of("450"), csv.featureNames());
        assertArrayEquals(new float[] {0.5f, 1f}, csv.sampleWeights());
    }

    /** The weight column may be the first (index 0): its weights are read, and its missing values counted. */
    @Test
    void aWeightColumnAtIndexZeroIsReadAndCounted() throws IOException {
        String text = "w,x,y\n0.5,1,10\n2,3,20\n";
        for (CsvReader.Builder b : List.of(CsvReader.builder().weightColumn(0), CsvReader.builder().weightColumn("w"))) {
            CsvData csv = read(b, text);
            assertArrayEquals(new float[] {0.5f, 2f}, csv.sampleWeights());
            assertEquals(List.of("x"), csv.featureNames());
            assertEquals(Tensor.wrap(2, 1, new float[] {1, 3}), csv.features());
        }
        CsvTexts.fails(CsvReader.builder().weightColumn(0).missingValues("NA"), "w,x,y\nNA,1,10\n2,3,20\n",
                "1 missing value (\"NA\") in 1 of 2 rows: column w (index 0): 1, first at line 2");
        // and noLabels() refuses it at index 0 as at any other
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CsvReader.builder().noLabels().weightColumn(0).build())
                .getMessage().startsWith("noLabels() cannot be combined with weightColumn(...)"));
    }
}
