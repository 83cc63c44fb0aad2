package org.bpnn.io.data;

import static org.bpnn.io.data.CsvTexts.fails;
import static org.bpnn.io.data.CsvTexts.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** missingValues(...): missing values are recognised and counted per column, never imputed or dropped. */
class CsvMissingValuesTest {

    private static final String HOLES = """
            a,b,y
            1,NA,3
            ,2,3
            4,5,6
            7,NA,NA
            8,9,10
            """;

    @Test
    void withoutTheOptionTheFirstMissingValueStopsTheRead() {
        CsvFormatException e = fails(CsvReader.builder(), HOLES, "test.csv line 2, column b (index 1): expected a number, found \"NA\"");
        assertEquals(2, e.line());
        fails(CsvReader.builder(), "a,b,y\n1,2,3\n,2,3\n", "line 3, column a (index 0): expected a number, found an empty value");
    }

    @Test
    void theTokensAreCountedPerColumnOverTheWholeFileAndRefused() {
        CsvFormatException e = fails(CsvReader.builder().missingValues("NA"), HOLES,
                "test.csv: 4 missing values (empty, \"NA\") in 3 of 5 rows: column a (index 0): 1, first at line 3;"
                        + " column b (index 1): 2, first at line 2; column y (index 2): 1, first at line 5;",
                "neither imputes nor drops them: drop the rows whose label (y) is missing",
                "; for the other columns, impute them", "or drop those rows or columns");
        assertEquals(2, e.line(), "the first missing value's line");
        assertEquals(-1, e.column(), "several columns");
        // one column: it is the exception's column; a file of nothing but missing rows is not "no data rows"
        CsvFormatException one = fails(CsvReader.builder().missingValues("?", "NA"), "a,y\n?,1\n", "1 missing value (\"?\")",
                "in 1 of 1 rows: column a (index 0): 1, first at line 2");
        assertEquals(0, one.column());
    }

    /** The library's message, word for word: the counts, then its advice for training data. */
    private static final String HOLES_MESSAGE = "test.csv: 4 missing values (empty, \"NA\") in 3 of 5 rows: column a (index 0): 1,"
            + " first at line 3; column b (index 1): 2, first at line 2; column y (index 2): 1, first at line 5; the reader neither"
            + " imputes nor drops them: drop the rows whose label (y) is missing: a label cannot be imputed by a mean, it is what"
            + " the model learns; for the other columns, impute them (fill in a value, such as the column's mean in the training"
            + " data) or drop those rows or columns, and read the file again";

    @Test
    void theLibrarysMessageIsUnchangedWordForWord() {
        assertEquals(HOLES_MESSAGE, fails(CsvReader.builder().missingValues("NA"), HOLES).getMessage());
    }

    @Test
    void theRefusalIsItsOwnKindWithItsColumnsApartSoACallerCanWordItsOwnAdvice() throws Exception {
        // it was Remedy.OTHER, its training advice in problem(): evaluate and predict could only repeat it
        CsvFormatException e = fails(CsvReader.builder().missingValues("NA"), HOLES);
        assertEquals(CsvFormatException.Remedy.MISSING_VALUES, e.remedy());
        assertEquals("test.csv: 4 missing values (empty, \"NA\") in 3 of 5 rows: column a (index 0): 1, first at line 3;"
                + " column b (index 1): 2, first at line 2; column y (index 2): 1, first at line 5", e.problem());
        assertEquals(HOLES_MESSAGE, e.getMessage(), "the message is the problem and the library's remedy");
        assertEquals(List.of(new CsvFormatException.MissingColumn(0, "a", 1, 3), new CsvFormatException.MissingColumn(1, "b", 2, 2),
                new CsvFormatException.MissingColumn(2, "y", 1, 5)), e.missingColumns());
        assertEquals(0, e.separator());
        // without a header, the reader's names for the columns
        assertEquals(List.of(new CsvFormatException.MissingColumn(1, "col1", 1, 1)),
                fails(CsvReader.builder().header(false).missingValues("?"), "1,?,3\n4,5,6\n").missingColumns());
        // the other kinds have none; and the columns survive serialisation, as the exception does
        assertEquals(List.of(), new CsvFormatException("f", 1, 0, "p").missingColumns());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(e);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(e.missingColumns(), ((CsvFormatException) in.readObject()).missingColumns());
        }
        // the kind needs its columns
        assertThrows(IllegalArgumentException.class, () -> new CsvFormatException("f", 2, -1, "p",
                CsvFormatException.Remedy.MISSING_VALUES, (char) 0, "; r", null));
        assertThrows(IllegalArgumentException.class, () -> new CsvFormatException("f", 2, -1, "p", List.of(), "; r"));
    }

    /**
     * A column's counts are checked as the exception's other parts are, with a message: a null name or a count of 0 was
     * taken, and a null column in the list was a NullPointerException without one from List.copyOf.
     */
    @Test
    void aMissingColumnIsValidated() {
        assertEquals("a column's missing values need an index >= 0, a name, a count >= 1 and a first line >= 1; got index 0,"
                + " name null, count 1, first line 2", assertThrows(IllegalArgumentException.class,
                        () -> new CsvFormatException.MissingColumn(0, null, 1, 2)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CsvFormatException.MissingColumn(-1, "a", 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new CsvFormatException.MissingColumn(0, "a", 0, 2));
        assertThrows(IllegalArgumentException.class, () -> new CsvFormatException.MissingColumn(0, "a", 1, 0));
        List<CsvFormatException.MissingColumn> withNull = java.util.Arrays.asList(
                new CsvFormatException.MissingColumn(0, "a", 1, 2), null);
        assertEquals("a refusal of missing values needs the columns holding them, got a null column at index 1",
                assertThrows(IllegalArgumentException.class, () -> new CsvFormatException("f", 2, -1, "p", withNull, "; r"))
                        .getMessage());
    }

    @Test
    void theRefusalNamesOnlyTheTokensFoundAndForALabelAdvisesDroppingTheRows() {
        // before: every token given was listed ("empty", "NA", "N/A", "?") for one "N/A", and a missing label was to be
        // imputed with "the column's mean"
        CsvReader.Builder b = CsvReader.builder().missingValues("NA", "N/A", "?");
        CsvFormatException e = fails(b, "a,y\n1,2\nN/A,3\n", "1 missing value (\"N/A\") in 1 of 2 rows",
                "impute them (fill in a value, such as the column's mean");
        assertFalse(e.getMessage().contains("\"NA\"") || e.getMessage().contains("empty"), e.getMessage());
        e = fails(CsvReader.builder().categorical().missingValues("NA", "?"), "a,y\n1,cat\n2,?\n",
                "1 missing value (\"?\")", "drop the rows whose label (y) is missing: a label cannot be imputed by a mean");
        assertFalse(e.getMessage().contains("mean in the training data"), e.getMessage());
        // both: each kind of column gets its own advice
        fails(CsvReader.builder().missingValues("NA"), "a,y\n,1\n2,NA\n", "2 missing values (empty, \"NA\")",
                "drop the rows whose label (y) is missing", "; for the other columns, impute them");
    }

    @Test
    void aMissingClassLabelOrWeightIsCountedNotTakenForAClass() {
        fails(CsvReader.builder().categorical().missingValues("NA"), "a,y\n1,cat\n2,NA\n", "column y (index 1): 1, first at line 3");
        fails(CsvReader.builder().weightColumn("w").missingValues("NA"), "a,w,y\n1,NA,1\n", "column w (index 1): 1");
    }

    @Test
    void columnsLeftOutAndCompleteFilesAreNotAffected() throws IOException {
        CsvData d = read(CsvReader.builder().featureColumns("a").labelColumns("y").missingValues("NA"), "a,b,y\n1,NA,2\n3,,4\n");
        assertArrayEquals(new float[] {1f, 3f}, d.features().data());
        assertArrayEquals(new float[] {2f, 4f}, d.targets().data());
    }

    @Test
    void aFirstLineOfNumbersAndMissingTokensIsASampleNotAHeader() {
        // "1,NA,3" was taken for column names, the first sample lost; with "NA" a missing value it is a sample
        fails(CsvReader.builder().missingValues("NA"), "1,NA,3\n4,5,6\n", "line 1 holds only numbers", "set header(false)");
    }

    @Test
    void optionMistakesAndToString() {
        assertThrows(IllegalArgumentException.class, () -> CsvReader.builder().missingValues());
        assertThrows(IllegalArgumentException.class, () -> CsvReader.builder().missingValues("NA", null));
        assertEquals("CsvReader.builder().header(true).delimiter(',').quoteChar('\"').numeric().skipBlankLines(true)"
                + ".allowNonFinite(false).missingValues(\"NA\", \"?\").build()",
                CsvReader.builder().header(true).missingValues(" NA", "?").build().toString());
    }
}
