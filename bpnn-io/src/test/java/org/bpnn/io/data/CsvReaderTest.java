package org.bpnn.io.data;

import static org.bpnn.io.data.CsvTexts.fails;
import static org.bpnn.io.data.CsvTexts.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    private static final String IRIS = """
            sepal_length,sepal_width,species,petal_length
            5.1,3.5,setosa,1.4
            7.0,3.2,versicolor,4.7
            6.3,3.3,virginica,6.0
            4.9,3.0,setosa,1.4
            """;

    @TempDir
    Path dir;

    @Test
    void aFileWithAnotherSeparatorOrDecimalCommasIsNamedAsSuch() throws IOException {
        // a spreadsheet export in a European locale: "fix the value" sent the user to edit every cell
        fails(CsvReader.builder().noLabels(), "a;b\n1;2\n3.5;-4e2\n", "found \"1;2\": the values look separated by ';', not ','",
                "read the file with delimiter(';')");
        fails(CsvReader.builder().noLabels(), "a\tb\n1\t2\n", "separated by '\\t', not ','", "delimiter('\\t')");
        // with ';' given, a decimal comma is the next thing found
        fails(CsvReader.builder().noLabels().delimiter(';'), "a;b\n1,5;2\n", "found \"1,5\": a decimal comma?", "write \"1.5\"");
        // what is not a number for another reason keeps the usual advice
        fails(CsvReader.builder().noLabels(), "a,b\n1,x;y\n", "found \"x;y\"; fix the value");
        fails(CsvReader.builder().noLabels().delimiter(';'), "a;b\n1,5,6;2\n", "found \"1,5,6\": the values look separated by ','");
        assertEquals(2, read(CsvReader.builder().noLabels().delimiter(';'), "a;b\n1;2\n").features().cols());
    }

    /** The refusal's remedy kind, separator and problem: what a caller words its own remedy from (predict does). */
    private static void remedy(CsvFormatException e, CsvFormatException.Remedy kind, char separator, String problem) {
        assertEquals(kind, e.remedy(), e.getMessage());
        assertEquals(separator, e.separator(), e.getMessage());
        assertEquals(problem, e.problem());
        assertTrue(e.getMessage().startsWith(problem) && e.getMessage().length() > problem.length(), e.getMessage());
    }

    @Test
    void aRemedyThatNamesTheReadersOptionsIsGivenApartFromTheProblem() {
        // predict matched the message's text ("; read the file with delimiter('", "allowNonFinite(", "featureColumns(")
        // to replace these remedies with its flags: a rewording here silently left the library's advice in its errors
        CsvReader.Builder b = CsvReader.builder().noLabels();
        remedy(fails(b, "a,b\n1,x\n"), CsvFormatException.Remedy.FIX_VALUE, (char) 0,
                "test.csv line 2, column b (index 1): expected a number, found \"x\"");
        remedy(fails(b, "a,b\n1,NaN\n"), CsvFormatException.Remedy.FIX_VALUE, (char) 0,
                "test.csv line 2, column b (index 1): expected a finite number, found \"NaN\"");
        // an empty value: the library's "or remove the column" is featureColumns(...), which predict does not have
        remedy(fails(b, "a,b\n1,\n"), CsvFormatException.Remedy.FIX_VALUE, (char) 0,
                "test.csv line 2, column b (index 1): expected a number, found an empty value");
        remedy(fails(CsvReader.builder(), "a,y\n1,x\n"), CsvFormatException.Remedy.FIX_VALUE, (char) 0,
                "test.csv line 2, column y (index 1): expected a number, found \"x\"");
        remedy(fails(b, "a,b\n1,2;3\n"), CsvFormatException.Remedy.DELIMITER, ';',
                "test.csv line 2, column b (index 1): expected a number, found \"2;3\": the values look separated by ';', not ','");
        remedy(fails(b, "a;b\n1,5;2,5\n"), CsvFormatException.Remedy.DELIMITER, ';',
                "test.csv line 2: expected 1 field like the header (line 1), found 3: the values look separated by ';', not ','");
        remedy(fails(CsvReader.builder().noLabels().delimiter(';'), "a;b\n1;2\t3\n"), CsvFormatException.Remedy.DELIMITER, '\t',
                "test.csv line 2, column b (index 1): expected a number, found \"2\t3\": the values look separated by '\\t', not ';'");
        remedy(fails(b, "a,,a\n1,2,3\n"), CsvFormatException.Remedy.RENAME_COLUMNS, (char) 0,
                "test.csv line 1: expected a distinct, non-empty name for each feature column, but the header has \"a\" at"
                        + " indices 0, 2 and an empty name at index 1");
        // a remedy about the value itself, or one that names no option, is the message's own: OTHER, problem() is all of it
        for (String text : new String[] {"a,b\n1, \"2\"\n", "a,b\n1,2,3\n"}) {
            CsvFormatException e = fails(b, text);
            assertEquals(CsvFormatException.Remedy.OTHER, e.remedy(), e.getMessage());
            assertEquals(e.getMessage(), e.problem());
            assertEquals(0, e.separator());
        }
        // a decimal comma names decimalSeparator(','), which predict words as its --decimal-separator
        remedy(fails(b, "a,b\n1,\"2,5\"\n"), CsvFormatException.Remedy.DECIMAL_SEPARATOR, ',',
                "test.csv line 2, column b (index 1): expected a number, found \"2,5\": a decimal comma? numbers are read"
                        + " with '.' as the decimal point");
        remedy(fails(CsvReader.builder().noLabels().delimiter(';').decimalSeparator(','), "a;b\n1,5;2.5\n"),
                CsvFormatException.Remedy.DECIMAL_SEPARATOR, '.', "test.csv line 2, column b (index 1): expected a number"
                        + " with ',' as the decimal separator, found \"2.5\": a decimal point? numbers are read with ','; write \"2,5\"");
        assertThrows(IllegalArgumentException.class,
                () -> new CsvFormatException("f", 1, 0, "p", CsvFormatException.Remedy.DELIMITER, (char) 0, "; r", null));
        assertThrows(IllegalArgumentException.class,
                () -> new CsvFormatException("f", 1, 0, "p", CsvFormatException.Remedy.DECIMAL_SEPARATOR, (char) 0, "; r", null));
        assertThrows(IllegalArgumentException.class,
                () -> new CsvFormatException("f", 1, 0, "p", CsvFormatException.Remedy.FIX_VALUE, ';', "; r", null));
    }

    @Test
    void aHeaderOfOneFieldWithAnotherSeparatorNamesItWhenTheRowsHaveDecimalCommas() {
        // the European export the separator hint was made for, with decimal commas: "1,5;2,5" read with ','
        // is 3 fields against the header's 1, and the width check, which comes first, named only ','
        fails(CsvReader.builder().noLabels(), "a;b\n1,5;2,5\n", "expected 1 field like the header (line 1), found 3",
                "the values look separated by ';', not ','; read the file with delimiter(';')");
        // a header of one field without another separator keeps the usual advice
        CsvFormatException e = fails(CsvReader.builder().noLabels(), "a\n1,5\n", "found 2; check for a missing or extra delimiter ','");
        assertTrue(!e.getMessage().contains("look separated"), e.getMessage());
    }

    @Test
    void aLabelledReadOfAFileWithAnotherSeparatorNamesItAtTheFirstLine() {
        // the European export read with the defaults: its one-field header was refused as "no feature columns left",
        // and with a label chosen the user was told to fix labelColumns(...)'s name or index, not the delimiter
        String semi = "a;b;y\n1,5;2;3\n";
        String expected = "test.csv line 1: expected at least 2 fields (features and a label), found 1, \"a;b;y\"";
        for (CsvReader.Builder b : List.of(CsvReader.builder(), CsvReader.builder().labelColumns("y"),
                CsvReader.builder().labelColumns(2), CsvReader.builder().categorical())) {
            CsvFormatException e = fails(b, semi, expected, ": the values look separated by ';', not ','",
                    "; read the file with delimiter(';')");
            remedy(e, CsvFormatException.Remedy.DELIMITER, ';', expected + ": the values look separated by ';', not ','");
            assertEquals(1, e.line());
        }
        fails(CsvReader.builder().header(false), "1\t2\t3\n", "line 1: expected at least 2 fields", "found 1, \"1\t2\t3\"",
                "separated by '\\t', not ','");
        fails(CsvReader.builder().delimiter(';'), "a,b,y\n1,2,3\n", "separated by ',', not ';'", "delimiter(',')");
        // one field without another separator keeps the usual refusal
        fails(CsvReader.builder(), "a\n1\n", "no feature columns left");
    }

    @Test
    void quotedValuesFollowedByAnotherSeparatorNameIt() throws IOException {
        // an export that quotes every value, "a";"b": Jackson refuses the ';' after the closing quote, and the advice
        // was only "check the quoting, the delimiter ',' and the quote character"
        String problem = "test.csv line 1: malformed CSV (a quoted value followed by ';', where the delimiter ',' or a line"
                + " break was expected): the values look separated by ';', not ','";
        for (CsvReader.Builder b : List.of(CsvReader.builder(), CsvReader.builder().noLabels())) {
            CsvFormatException e = fails(b, "\"a\";\"b\";\"y\"\n\"1,5\";\"2\";\"3\"\n", "; read the file with delimiter(';')");
            remedy(e, CsvFormatException.Remedy.DELIMITER, ';', problem);
        }
        fails(CsvReader.builder().noLabels(), "a,b\n\"1\"|2,3\n", "line 2: malformed CSV (a quoted value followed by '|'",
                "delimiter('|')");
        // read with the separator, the file is fine
        assertArrayEquals(new float[] {3}, read(CsvReader.builder().delimiter(';'), "\"a\";\"b\";\"y\"\n\"1.5\";\"2\";\"3\"\n")
                .targets().data());
        // any other character after a closing quote keeps the general advice
        CsvFormatException e = fails(CsvReader.builder(), "a,y\n\"1\"x,2\n", "line 2: malformed CSV (", "check the quoting");
        assertEquals(CsvFormatException.Remedy.OTHER, e.remedy());
    }

    @Test
    void aFirstLineOfNumbersIsNotTakenForAHeaderByDefault() throws IOException {
        // a file without a header silently lost its first sample, read as column names "1", "2", "3"
        CsvFormatException e = fails(CsvReader.builder(), "1,2,3\n4,5,6\n");
        assertEquals("test.csv line 1 holds only numbers (1,2,3), so it looks like a sample, not column names; the reader "
                + "expects a header by default: set header(false) for a file without one, or header(true) if these are its "
                + "column names", e.getMessage());
        assertEquals(1, e.line());
        assertEquals(2, read(CsvReader.builder().header(false), "1,2,3\n4,5,6\n").features().rows());
        assertEquals(1, read(CsvReader.builder().header(true), "1,2,3\n4,5,6\n").features().rows()); // chosen: names
        assertEquals(1, read(CsvReader.builder(), "a,2,3\n4,5,6\n").features().rows()); // one name is enough
    }

    @Test
    void aFirstSampleWithTextOnlyInColumnsNotReadAsNumbersIsNotTakenForAHeader() throws IOException {
        // a file without a header whose text sits in a column left out (or in a class label) silently
        // lost its first sample: "1.5,red,3.2" was read as column names "1.5", "red", "3.2"
        CsvFormatException e = fails(CsvReader.builder().featureColumns(0).labelColumns(2), "1.5,red,3.2\n2.5,blue,4.2\n");
        assertEquals("test.csv line 1 holds only numbers (1.5,3.2) in the columns read as numbers, so it looks like a sample, "
                + "not column names; the reader expects a header by default: set header(false) for a file without one, or "
                + "header(true) if these are its column names", e.getMessage());
        assertEquals(1, e.line());
        fails(CsvReader.builder().categorical(), "1.5,2.5,setosa\n2.5,1,virginica\n", "line 1 holds only numbers (1.5,2.5)");
        assertEquals(2, read(CsvReader.builder().header(false).featureColumns(0).labelColumns(2), "1.5,red,3.2\n2.5,blue,4.2\n").size());
        assertEquals(1, read(CsvReader.builder().header(true).categorical(), "1.5,2.5,setosa\n2.5,1,virginica\n").size());
        // a real header: a name among the columns read as numbers is enough, whatever the other columns hold
        assertEquals(1, read(CsvReader.builder().featureColumns(0).labelColumns(2), "x,2019,y\n1.5,red,3.2\n").size());
        assertEquals(4, read(CsvReader.builder().labelColumns("species").categorical(), IRIS).size());
    }

    @Test
    void noLabelsReadsEveryColumnAsAFeature() throws IOException {
        CsvData d = read(CsvReader.builder().noLabels(), "a,b,c\n1,2,3\n4,5,6\n");
        assertEquals(2, d.size());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, d.features().data());
        assertNull(d.targets());
        assertEquals(java.util.List.of("a", "b", "c"), d.featureNames());
        assertThrows(IllegalArgumentException.class, () -> CsvReader.builder().noLabels().categorical().build());
    }

    @Test
    void defaultIsHeaderWithTheLastColumnAsNumericTarget() throws IOException {
        CsvData d = read(CsvReader.builder(), "a,b,y\n1,2,3\n4,5,6\n");
        assertEquals(List.of("a", "b"), d.featureNames());
        assertEquals(List.of("y"), d.targetNames());
        assertArrayEquals(new float[] {1, 2, 4, 5}, d.features().data());
        assertArrayEquals(new float[] {3, 6}, d.targets().data());
        assertEquals("(2, 1)", d.targets().shape());
        assertNull(d.labels());
        assertFalse(d.categorical());
    }

    @Test
    void choosesColumnsByHeaderName() throws IOException {
        CsvData d = read(CsvReader.builder().labelColumns("petal_length").featureColumns("sepal_width", "sepal_length"), IRIS);
        assertEquals(List.of("sepal_width", "sepal_length"), d.featureNames());
        assertArrayEquals(new float[] {3.5f, 5.1f}, d.features().rowCopy(0));
        assertArrayEquals(new float[] {1.4f, 4.7f, 6.0f, 1.4f}, d.targets().data());
        fails(CsvReader.builder().labelColumns("Species"), IRIS, "line 1", "\"Species\" not found", "sepal_length, sepal_width, species");
    }

    @Test
    void readsWithoutHeaderChoosingTheLabelByIndex() throws IOException {
        CsvData d = read(CsvReader.builder().header(false).labelColumns(0), "9,1,2\n8,3,4\n");
        assertEquals(List.of("col1", "col2"), d.featureNames());
        assertEquals(List.of("col0"), d.targetNames());
        assertArrayEquals(new float[] {1, 2, 3, 4}, d.features().data());
        assertArrayEquals(new float[] {9, 8}, d.targets().data());
        fails(CsvReader.builder().header(false).labelColumns(3), "9,1,2\n", "label column index 3 is out of range", "3 columns");
        assertThrows(IllegalArgumentException.class, () -> CsvReader.builder().header(false).labelColumns("y").build());
    }

    @Test
    void categoricalLabelsGetSortedClassIndicesAndOneHotTargets() throws IOException {
        CsvData d = read(CsvReader.builder().labelColumns("species").categorical().oneHot(true), IRIS);
        assertEquals(List.of("setosa", "versicolor", "virginica"), d.classNames());
        assertArrayEquals(new int[] {0, 1, 2, 0}, d.labels());
        assertEquals(List.of("sepal_length", "sepal_width", "petal_length"), d.featureNames());
        assertEquals("(4, 3)", d.targets().shape());
        assertArrayEquals(new float[] {0, 0, 1}, d.targets().rowCopy(2));
        assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f}, d.features().rowCopy(0));

        CsvData plain = read(CsvReader.builder().labelColumns(2).categorical(), IRIS);
        assertArrayEquals(new float[] {0, 1, 2, 0}, plain.targets().data());
    }

    @Test
    void integerClassNamesSortNumericallyAndExplicitClassesFixTheOrder() throws IOException {
        CsvData d = read(CsvReader.builder().header(false).categorical(), "1,10\n2,2\n3,9\n4,2\n");
        assertEquals(List.of("2", "9", "10"), d.classNames());
        assertArrayEquals(new int[] {2, 0, 1, 0}, d.labels());
        CsvData fixed = read(CsvReader.builder().labelColumns("species").categorical().classes("virginica", "setosa", "versicolor"), IRIS);
        assertArrayEquals(new int[] {1, 2, 0, 1}, fixed.labels());
        fails(CsvReader.builder().labelColumns("species").categorical().classes("setosa", "versicolor"), IRIS,
                "line 4", "species (index 2)", "\"virginica\" is not one of");
    }

    @Test
    void integerClassNamesBeyondALongStillSortNumerically() throws IOException {
        // one name past Long.MAX_VALUE (a 20-digit code) made the whole set sort as text: "10" before "9"
        CsvData d = read(CsvReader.builder().header(false).categorical(), "1,10\n2,99999999999999999999\n3,9\n4,-99999999999999999999\n");
        assertEquals(List.of("-99999999999999999999", "9", "10", "99999999999999999999"), d.classNames());
        assertArrayEquals(new int[] {2, 3, 1, 0}, d.labels());
        // signs and leading zeros as before: -0 ties with 0 and 00 (then by text), -10 before -9
        assertEquals(List.of("-10", "-9", "-0", "0", "00", "+7", "007"),
                read(CsvReader.builder().header(false).categorical(), "1,0\n2,-9\n3,007\n4,-10\n5,+7\n6,00\n7,-0\n").classNames());
    }

    @Test
    void readsTwoRegressionTargets() throws IOException {
        CsvData d = read(CsvReader.builder().labelColumns("y2", "y1"), "x,y1,z,y2\n1,2,3,4\n5,6,7,8\n");
        assertEquals(List.of("y2", "y1"), d.targetNames());
        assertEquals(List.of("x", "z"), d.featureNames());
        assertEquals("(2, 2)", d.targets().shape());
        assertArrayEquals(new float[] {4, 2, 8, 6}, d.targets().data());
        assertArrayEquals(new float[] {1, 3, 5, 7}, d.features().data());
    }

    @Test
    void badNumberNamesLineColumnAndText() {
        CsvFormatException e = fails(CsvReader.builder(), "a,b,y\n1,2,3\n\n4,x1,6\n", "test.csv line 4", "column b (index 1)",
                "expected a number, found \"x1\"");
        assertEquals(4, e.line());
        assertEquals(1, e.column());
        fails(CsvReader.builder().header(false), "1,2\n3,1f\n", "line 2", "col1 (index 1)", "found \"1f\"");
        fails(CsvReader.builder(), "a,y\n1,\n", "line 2", "y (index 1)", "empty value");
        fails(CsvReader.builder(), "a,y\n1,1e39\n", "outside the float range");
    }

    @Test
    void nonFiniteValuesNeedTheOption() throws IOException {
        fails(CsvReader.builder(), "a,y\nNaN,1\n", "line 2", "a (index 0)", "expected a finite number, found \"NaN\"", "allowNonFinite(true)");
        fails(CsvReader.builder(), "a,y\n1,-Infinity\n", "found \"-Infinity\"");
        CsvData d = read(CsvReader.builder().allowNonFinite(true), "a,b,y\nNaN,inf,-Infinity\n");
        assertArrayEquals(new float[] {Float.NaN, Float.POSITIVE_INFINITY}, d.features().data());
        assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY}, d.targets().data());
    }

    @Test
    void raggedRowNamesTheLine() {
        CsvFormatException e = fails(CsvReader.builder(), "a,b,y\n1,2,3\n4,5\n", "line 3", "expected 3 fields like the header (line 1), found 2");
        assertEquals(3, e.line());
        fails(CsvReader.builder().header(false), "1,2\n1,2,3\n", "line 2", "like the first row (line 1), found 3");
    }

    @Test
    void emptyInputAndHeaderOnlyAreErrors() {
        fails(CsvReader.builder(), "", "is empty");
        fails(CsvReader.builder(), "\n\n  \n", "is empty");
        fails(CsvReader.builder(), "a,b\n", "has a header but no data rows");
    }

    @Test
    void blankLinesAreSkippedOrRejected() throws IOException {
        String text = "a,y\n1,2\n\n   \n3,4\n";
        assertEquals(2, read(CsvReader.builder(), text).size());
        fails(CsvReader.builder().skipBlankLines(false), text, "line 3", "expected 2 fields, found a blank line");
    }

    @Test
    void digitsGroupedInThreesAreNotCalledADecimalComma() throws IOException {
        // a quoted "1,234" in a ',' file was "a decimal comma? write \"1.234\"": a thousand times too small
        CsvFormatException e = fails(CsvReader.builder().noLabels(), "a,b\n\"1,234\",2\n",
                "found \"1,234\": a thousands separator (1234) or a decimal comma (1.234)?", "not guessed",
                "if the ',' groups thousands, remove it (write \"1234\"", "if it is a decimal comma, read the file with"
                + " decimalSeparator(',') or write \"1.234\"");
        // its own kind, not DECIMAL_SEPARATOR (which a caller may apply as it is) nor OTHER (a caller could not name
        // its own option for reading decimal commas): a command line names its flag as the one remedy of the two
        assertEquals(CsvFormatException.Remedy.THOUSANDS_OR_DECIMAL, e.remedy());
        assertEquals(',', e.separator());
        assertFalse(e.problem().contains("decimalSeparator"), e.problem());
        fails(CsvReader.builder().noLabels().delimiter(';'), "a;b\n-1,288;2\n", "found \"-1,288\": a thousands separator"
                + " (-1288) or a decimal comma (-1.288)?");
        fails(CsvReader.builder().noLabels(), "a,b\n\"-1,234,567.5\",2\n", "found \"-1,234,567.5\": a thousands separator?",
                "write \"-1234567.5\"");
        fails(CsvReader.builder().noLabels().delimiter(';'), "a;b\n1.234,5;2\n", "found \"1.234,5\": a thousands separator?",
                "write \"1234.5\"");
        // not grouped in threes: still a decimal comma
        fails(CsvReader.builder().noLabels().delimiter(';'), "a;b\n1234,5;2\n", "found \"1234,5\": a decimal comma?", "write \"1234.5\"");
        fails(CsvReader.builder().noLabels().delimiter(';'), "a;b\n1,2345;2\n", "a decimal comma?", "write \"1.2345\"");
    }

    @Test
    void aValueThatKeptItsQuotesIsNamedAsSuch() throws IOException {
        // a space before the opening quote keeps the quotes: the label was a class "\"a\"" beside a (silently)
        fails(CsvReader.builder().categorical(), "x,y\n1,a\n2, \"a\"\n", "line 3, column y (index 1): class \"a\" kept its quotes",
                "remove the spaces before the quotes");
        // a number was "fix the value"
        fails(CsvReader.builder(), "x,y\n1, \"2\"\n", "found \"\"2\"\": the value kept its quotes");
        // quoted right after the delimiter, the quotes go
        assertEquals(List.of("a"), read(CsvReader.builder().categorical(), "x,y\n1,\"a\"\n2,a\n").classNames());
    }

    @Test
    void utf16TextIsNamedWithTheRemedy() throws IOException {
        // it was "line 1: not UTF-8 text (invalid byte 0xff at byte offset 0); save the file as UTF-8 (e.g. iconv -f latin1 ...)"
        byte[] body = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_16LE);
        byte[] bytes = new byte[body.length + 2];
        bytes[0] = (byte) 0xff;
        bytes[1] = (byte) 0xfe;
        System.arraycopy(body, 0, bytes, 2, body.length);
        Path f = Files.write(dir.resolve("unicode.csv"), bytes);
        for (org.junit.jupiter.api.function.Executable read : List.<org.junit.jupiter.api.function.Executable>of(
                () -> CsvReader.builder().build().read(f), () -> CsvReader.builder().build().headerNames(f))) {
            String m = assertThrows(CsvFormatException.class, read).getMessage();
            assertEquals(f + " looks like UTF-16LE (byte-order mark FF FE) text, not UTF-8, which is what the CSV reader reads;"
                    + " save it as UTF-8 (in Excel: \"CSV UTF-8\"; or iconv -f UTF-16 -t UTF-8 " + f + " > utf8.csv)", m);
        }
        // without a mark: NUL bytes beside ASCII (read as UTF-8, every value held NUL characters)
        Path g = Files.write(dir.resolve("nomark.csv"), body);
        assertTrue(assertThrows(CsvFormatException.class, () -> CsvReader.builder().build().read(g)).getMessage()
                .contains("looks like UTF-16LE (without a byte-order mark"));
        assertNull(CsvReader.wideTextEncoding(new byte[] {0, 0, 8, 3, 0, 0, 0, 1}), "IDX");
        assertNull(CsvReader.wideTextEncoding("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * UTF-32 without a byte-order mark, and UTF-16 without one whose text is not all ASCII, were not
     * found: read as UTF-8 they failed with a Latin-1 hint or read NUL characters (and ./bpnn predict
     * took them for IDX). Found by review.
     */
    @Test
    void wideTextWithoutAByteOrderMarkIsNamedBeyondAscii() throws IOException {
        java.nio.charset.Charset le32 = java.nio.charset.Charset.forName("UTF-32LE");
        java.nio.charset.Charset be32 = java.nio.charset.Charset.forName("UTF-32BE");
        String ascii = "a,b\n1,2\n";
        String cyrillic = "\u0432\u043e\u0437\u0440\u0430\u0441\u0442,\u0440\u043e\u0441\u0442\n31,180\n";
        String cjk = "\u5e74\u9f84\u8eab\u9ad8\u4f53\u91cd,\u6027\u522b\n1,2\n";
        for (String text : List.of(ascii, cyrillic, cjk, "1\n", "caf\u00e9,\ud83d\ude00\n")) {
            assertEquals("UTF-32LE (without a byte-order mark: NUL bytes after each character)",
                    CsvReader.wideTextEncoding(text.getBytes(le32)), text);
            assertEquals("UTF-32BE (without a byte-order mark: NUL bytes before each character)",
                    CsvReader.wideTextEncoding(text.getBytes(be32)), text);
        }
        for (String text : List.of(ascii, cyrillic, cjk)) {
            assertTrue(CsvReader.wideTextEncoding(text.getBytes(StandardCharsets.UTF_16LE)).startsWith("UTF-16LE (without"), text);
            assertTrue(CsvReader.wideTextEncoding(text.getBytes(StandardCharsets.UTF_16BE)).startsWith("UTF-16BE (without"), text);
            assertNull(CsvReader.wideTextEncoding(text.getBytes(StandardCharsets.UTF_8)), text);
        }
        // not found: UTF-16 whose sniffed characters hold no ASCII (no NUL byte tells it from other bytes)
        assertNull(CsvReader.wideTextEncoding("\u5e74\u9f84".repeat(20).getBytes(StandardCharsets.UTF_16LE)));
        // IDX stays IDX: 00 00 then a type byte, also when the sizes would read as UTF-32BE characters
        assertNull(CsvReader.wideTextEncoding(new byte[] {0, 0, 8, 3, 0, 0, 3, (byte) 0xe8, 0, 0, 0, 32, 0, 0, 0, 32, 7, 9}));
        assertNull(CsvReader.wideTextEncoding(new byte[] {0, 0, 0x0d, 1, 0, 0, 0, 100, 0x3f, (byte) 0x80, 0, 0}));
        // the reader refuses it, with the iconv line for the byte order
        Path f = Files.write(dir.resolve("utf32.csv"), ascii.getBytes(le32));
        assertEquals(f + " looks like UTF-32LE (without a byte-order mark: NUL bytes after each character) text, not UTF-8,"
                + " which is what the CSV reader reads; save it as UTF-8 (in Excel: \"CSV UTF-8\"; or iconv -f UTF-32LE -t UTF-8 "
                + f + " > utf8.csv)", assertThrows(CsvFormatException.class, () -> CsvReader.builder().build().read(f)).getMessage());
        Path g = Files.write(dir.resolve("utf16.csv"), cyrillic.getBytes(StandardCharsets.UTF_16BE));
        assertTrue(assertThrows(CsvFormatException.class, () -> CsvReader.builder().build().headerNames(g)).getMessage()
                .contains("iconv -f UTF-16BE -t UTF-8"));
    }

    @Test
    void aHeaderNameThatKeptItsQuotesIsRefused() throws IOException {
        // "a, \"b\"": the name was "\"b\"" with its quotes, and a model saved from the data kept it so
        CsvFormatException e = fails(CsvReader.builder().noLabels(), "a, \"b\"\n1,2\n",
                "line 1, column index 1: the header name \"b\" kept its quotes", "remove the spaces before the quotes");
        assertEquals(1, e.column());
        // a label's name too
        fails(CsvReader.builder(), "a, \"y\"\n1,2\n", "the header name \"y\" kept its quotes");
        // chosen by name: not "not found; the header has [a, \"b\"]" but why
        fails(CsvReader.builder().featureColumns("b").noLabels(), "a, \"b\"\n1,2\n",
                "feature column \"b\" not found: the header name \"b\" kept its quotes");
        // a column left out is not checked, and quoted right after the delimiter the quotes go
        assertEquals(List.of("a"), read(CsvReader.builder().featureColumns("a").noLabels(), "a, \"b\"\n1,2\n").featureNames());
        assertEquals(List.of("a", "b"), read(CsvReader.builder().noLabels(), "a,\"b\"\n1,2\n").featureNames());
    }

    @Test
    void aRowHoldingOnlyAnEmptyQuotedValueIsARowNotABlankLine() throws IOException {
        // it was skipped as a blank line: every later sample (and predict's output line) shifted against its row
        CsvFormatException e = fails(CsvReader.builder().noLabels(), "a,b\n1,2\n\"\"\n3,4\n",
                "line 3, column a (index 0)", "expected 2 fields like the header (line 1), found only an empty quoted value");
        assertEquals(3, e.line());
        // one column: the empty value is refused as any empty value is
        fails(CsvReader.builder().noLabels(), "a\n1\n\"\"\n3\n", "line 3, column a (index 0): expected a number, found an empty value");
        fails(CsvReader.builder().noLabels().header(false), "\"\"\n1\n", "line 1, column col0 (index 0): expected a number, found an empty value");
        // truly blank lines, and whitespace-only ones, are still skipped
        assertEquals(2, read(CsvReader.builder().noLabels(), "a,b\n1,2\n\n  \n3,4\n").size());
        assertEquals(2, read(CsvReader.builder().noLabels(), "a\n1\n\n3\n").size());
        // unquoted empty values elsewhere in a row are still empty values, not missing fields
        fails(CsvReader.builder().noLabels(), "a,b\n1,\n", "line 2, column b (index 1): expected a number, found an empty value");
    }

    @Test
    void featureColumnsWithEmptyOrRepeatedNamesAreRefusedAtTheHeader() throws IOException {
        // they were read, and SavedModel.withFeatureNames refused them only at save time, after training
        CsvFormatException dup = fails(CsvReader.builder(), "a,b,a,y\n1,2,3,4\n", "line 1: expected a distinct, non-empty name"
                + " for each feature column, but the header has \"a\" at indices 0, 2; rename the columns in the header");
        assertEquals(0, dup.column());
        fails(CsvReader.builder(), "a, ,b,\" \",y\n1,2,3,4,5\n", "the header has an empty name at indices 1, 3;");
        fails(CsvReader.builder().noLabels(), "x,,x\n1,2,3\n", "the header has \"x\" at indices 0, 2 and an empty name at index 1;");
        // columns not read as features are not checked: a pandas index column (empty name), a repeated label name
        CsvData d = read(CsvReader.builder().featureColumns("a", "b"), ",a,b,y\n0,1,2,3\n");
        assertEquals(List.of("a", "b"), d.featureNames());
        assertEquals(2, read(CsvReader.builder().labelColumns(2, 3), "a,b,y,y\n0,1,2,3\n").featureNames().size());
        // without a header the names are col0, col1, ...: never empty or repeated
        assertEquals(List.of("col0", "col1"), read(CsvReader.builder().header(false), "1,2,3\n").featureNames());
    }

    @Test
    void columnTextGivesTheCellsOfTheNamedColumnsRecordByRecordAsReadAlignsThem() throws IOException {
        // a BOM, a quoted id with a comma, a blank line (skipped, as read skips it) and spaces kept
        Path f = Files.writeString(dir.resolve("ids.csv"), "\uFEFFid, x ,y\n\"a,1\",1,2\n\n b ,3,4\n\"\",5,6\n",
                StandardCharsets.UTF_8);
        List<String[]> cells = CsvReader.builder().build().columnText(f, List.of("id", "x"), Long.MAX_VALUE);
        assertEquals(3, cells.size());
        assertArrayEquals(new String[] {"a,1", "1"}, cells.get(0));
        assertArrayEquals(new String[] {" b ", "3"}, cells.get(1));
        assertArrayEquals(new String[] {"", "5"}, cells.get(2));
        assertEquals(3, CsvReader.builder().labelColumns("y").featureColumns("x").build().read(f).features().rows());
        assertEquals(1, CsvReader.builder().build().columnText(f, List.of("y"), 1).size());
        assertTrue(assertThrows(CsvFormatException.class, () -> CsvReader.builder().build().columnText(f, List.of("ID"), 5))
                .getMessage().contains("no column \"ID\" in the header"));
    }

    @Test
    void headerNamesDoesNotSkipALineHoldingOnlyAnEmptyQuotedValue() throws IOException {
        Path f = Files.writeString(dir.resolve("qe.csv"), "\n\"\"\na,b\n", StandardCharsets.UTF_8);
        assertEquals(List.of(""), CsvReader.builder().build().headerNames(f));
    }

    @Test
    void quotedFieldsKeepDelimitersQuotesAndLineBreaks() throws IOException {
        String text = "\"len, cm\",\"name \"\"x\"\"\",y\n\"1.5\",\"a,\nb\",2\n3,c,\"4\"\n5,\"d\",x\n";
        CsvData d = read(CsvReader.builder().featureColumns("len, cm").labelColumns(1).categorical(), text);
        assertEquals(List.of("len, cm"), d.featureNames());
        assertEquals(List.of("name \"x\""), d.targetNames());
        assertEquals(List.of("a,\nb", "c", "d"), d.classNames());
        assertArrayEquals(new float[] {1.5f, 3, 5}, d.features().data());
        // the second record starts on line 2 and spans two lines, so the next ones are lines 4 and 5
        fails(CsvReader.builder().featureColumns(0, 2).labelColumns(1).categorical(), text, "line 5", "y (index 2)", "found \"x\"");
        // an unclosed quote is reported where the parser runs out of input
        fails(CsvReader.builder(), "a,y\n\"1,2\n", "line 3", "malformed CSV", "Missing closing quote");
    }

    @Test
    void anUnclosedQuoteInALargeFileSaysWhereTheParserGaveUp() {
        // the value swallows the rest of the file until it exceeds Jackson's 20M-character limit,
        // whose exception has no location: the message said "line -1"
        String text = "a,y\n1,2\n\"3,4\n" + "5,6\n".repeat(5_100_000);
        CsvFormatException e = fails(CsvReader.builder(), text, "malformed CSV", "check the quoting");
        assertFalse(e.getMessage().contains("line -1"), e.getMessage());
        assertTrue(e.line() > 3, e.getMessage());
    }

    @Test
    void otherDelimitersAndAByteOrderMark() throws IOException {
        CsvData d = read(CsvReader.builder().delimiter(';').labelColumns("y"), "\uFEFFy;a\n1;2.5\n");
        assertEquals(List.of("a"), d.featureNames());
        assertArrayEquals(new float[] {2.5f}, d.features().data());
        fails(CsvReader.builder().delimiter(';'), "a;y\n1;2,5\n", "found \"2,5\"");
        CsvData tab = read(CsvReader.builder().delimiter('\t'), "a\ty\n1\t2\n");
        assertArrayEquals(new float[] {2}, tab.targets().data());
    }

    @Test
    void readsFilesFromDisk() throws IOException {
        Path f = Files.writeString(dir.resolve("iris.csv"), IRIS, StandardCharsets.UTF_8);
        CsvData d = CsvReader.builder().labelColumns("species").categorical().build().read(f);
        assertEquals(4, d.size());
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> CsvReader.builder().build().read(f));
        assertTrue(e.getMessage().startsWith(f + " line 2, column species (index 2)"), e.getMessage());
        assertTrue(e.getMessage().contains("leave the column out with featureColumns"), e.getMessage());
    }

    private Path gzip(String name, byte[] bytes) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
            z.write(bytes);
        }
        return Files.write(dir.resolve(name), out.toByteArray());
    }

    @Test
    void aGzippedFileIsReadAsItsText() throws IOException {
        // a .csv.gz was "not UTF-8 text (invalid byte 0x8b at byte offset 1); ... iconv -f latin1": the wrong remedy
        String text = "\uFEFF\"a\",b,species\n" + "1.5,2,setosa\r\n".repeat(5000) + "3,4,virginica\n";
        Path gz = gzip("iris.csv.gz", text.getBytes(StandardCharsets.UTF_8));
        CsvReader r = CsvReader.builder().categorical().build();
        CsvData d = r.read(gz);
        CsvData plain = r.read(new StringReader(text), "plain");
        assertEquals(5001, d.size());
        assertArrayEquals(plain.features().data(), d.features().data());
        assertArrayEquals(plain.targets().data(), d.targets().data());
        assertEquals(List.of("a", "b"), d.featureNames());
        assertEquals(List.of("setosa", "virginica"), d.classNames());
        assertEquals(List.of("a", "b", "species"), r.headerNames(gz));
        // by content, not by name: gzip data named .csv, and a plain file named .gz
        assertEquals(5001, r.read(gzip("data.csv", text.getBytes(StandardCharsets.UTF_8))).size());
        assertEquals(5001, r.read(Files.writeString(dir.resolve("plain.gz"), text, StandardCharsets.UTF_8)).size());
        // the reader's refusals name lines of the decompressed text
        Path bad = gzip("bad.csv.gz", "a,y\n1,2\n3,x\n".getBytes(StandardCharsets.UTF_8));
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> CsvReader.builder().build().read(bad));
        assertTrue(e.getMessage().startsWith(bad + " line 3, column y (index 1): expected a number, found \"x\""), e.getMessage());
        Path wide = gzip("wide.csv.gz", "a,y\n1,2\n".getBytes(StandardCharsets.UTF_16LE));
        e = assertThrows(CsvFormatException.class, () -> CsvReader.builder().build().read(wide));
        assertTrue(e.getMessage().contains("looks like UTF-16LE"), e.getMessage());
        Path latin1 = gzip("latin1.csv.gz", new byte[] {'a', ',', 'y', '\n', '1', ',', (byte) 0xe9, '\n'});
        e = assertThrows(CsvFormatException.class, () -> CsvReader.builder().build().read(latin1));
        assertTrue(e.getMessage().startsWith(latin1 + " line 2: not UTF-8 text (invalid byte 0xe9 at byte offset 6 of the decompressed data)"),
                e.getMessage());
    }

    @Test
    void aDamagedGzipFileIsNamedAsSuch() throws IOException {
        // the JDK's "Unexpected end of ZLIB input stream" named neither the file nor gzip
        byte[] whole = Files.readAllBytes(gzip("whole.gz", ("a,y\n" + "1,2\n".repeat(10000)).getBytes(StandardCharsets.UTF_8)));
        for (int cut : new int[] {5, 20, whole.length / 2, whole.length - 4}) {
            Path f = Files.write(dir.resolve("cut" + cut + ".csv.gz"), java.util.Arrays.copyOf(whole, cut));
            CsvFormatException e = assertThrows(CsvFormatException.class, () -> CsvReader.builder().build().read(f), "cut at " + cut);
            assertTrue(e.getMessage().startsWith(f + ": the gzip data is damaged or cut short ("), e.getMessage());
            assertTrue(e.getMessage().contains("check it with gzip -t"), e.getMessage());
        }
        // headerNames reads the first record only: a file cut inside its gzip header
        Path f = Files.write(dir.resolve("cut.csv.gz"), java.util.Arrays.copyOf(whole, 5));
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> CsvReader.builder().build().headerNames(f));
        assertTrue(e.getMessage().startsWith(f + ": the gzip data is damaged or cut short ("), e.getMessage());
    }

    /**
     * Bytes held in memory (./bpnn predict --input -: standard input, read once) are read as a file with the
     * same bytes is, gzip and byte-order mark included, and each refusal names the source given, not a path.
     */
    @Test
    void bytesInMemoryAreReadAsTheFileWithThemIs() throws IOException {
        String text = "\uFEFFid,\"a\",b\n" + "x1,1.5,2\n\n".repeat(300) + "\"y,2\",3,4\n";
        byte[] plain = text.getBytes(StandardCharsets.UTF_8);
        CsvReader r = CsvReader.builder().noLabels().featureColumns("a", "b").build();
        for (byte[] bytes : List.of(plain, Files.readAllBytes(gzip("mem.csv.gz", plain)))) {
            Path f = Files.write(dir.resolve("same.csv"), bytes);
            CsvData fromFile = r.read(f), fromBytes = r.read(bytes, "standard input");
            assertEquals(301, fromBytes.size());
            assertArrayEquals(fromFile.features().data(), fromBytes.features().data());
            assertEquals(fromFile.featureNames(), fromBytes.featureNames());
            assertEquals(List.of("id", "a", "b"), r.headerNames(bytes, "standard input"));
            List<String[]> ids = r.columnText(bytes, "standard input", List.of("id"), Long.MAX_VALUE);
            assertEquals(r.columnText(f, List.of("id"), Long.MAX_VALUE).stream().map(c -> c[0]).toList(),
                    ids.stream().map(c -> c[0]).toList());
            assertEquals("y,2", ids.get(300)[0]);
        }
        CsvReader any = CsvReader.builder().noLabels().build();
        String in = "standard input";
        assertTrue(assertThrows(CsvFormatException.class, () -> any.read(new byte[0], in)).getMessage()
                .startsWith("standard input is empty; expected a header line and at least one data row"));
        byte[] latin1 = {'a', ',', 'y', '\n', '1', ',', (byte) 0xe9, '\n'};
        for (byte[] bytes : List.of(latin1, Files.readAllBytes(gzip("l.csv.gz", latin1)))) {
            CsvFormatException e = assertThrows(CsvFormatException.class, () -> any.read(bytes, in));
            assertTrue(e.getMessage().startsWith("standard input line 2: not UTF-8 text (invalid byte 0xe9 at byte offset 6"),
                    e.getMessage());
            assertEquals(bytes != latin1, e.getMessage().contains("of the decompressed data"), e.getMessage());
        }
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> any.read("a,y\n1,2\n".getBytes(StandardCharsets.UTF_16LE), in));
        assertTrue(e.getMessage().startsWith("standard input looks like UTF-16LE"), e.getMessage());
        byte[] whole = Files.readAllBytes(gzip("w.gz", ("a,y\n" + "1,2\n".repeat(10000)).getBytes(StandardCharsets.UTF_8)));
        for (int cut : new int[] {5, whole.length / 2}) {
            byte[] damaged = java.util.Arrays.copyOf(whole, cut);
            e = assertThrows(CsvFormatException.class, () -> any.read(damaged, in), "cut at " + cut);
            assertTrue(e.getMessage().startsWith("standard input: the gzip data is damaged or cut short ("), e.getMessage());
        }
        e = assertThrows(CsvFormatException.class, () -> any.read(new byte[] {'a', '\n', '1', '\n', 'x', '\n'}, null));
        assertTrue(e.getMessage().startsWith("<bytes> line 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> any.read((byte[]) null, in));
    }

    @Test
    void nullInputsAndDirectoriesAreNamed() {
        // a null reader was a NullPointerException; a directory a bare "java.io.IOException: Is a directory"
        CsvReader r = CsvReader.builder().build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.read((java.io.Reader) null, "x"));
        assertTrue(e.getMessage().startsWith("reader is null; pass the CSV text to read"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.read((Path) null));
        IOException d = assertThrows(IOException.class, () -> r.read(dir));
        assertEquals(dir + " is a directory; expected a CSV file", d.getMessage());
        assertFalse(d instanceof CsvFormatException);
    }

    @Test
    void headerNamesOfADirectoryNamesIt() {
        // read(Path) named a directory; headerNames (the CLI's first look at a file) gave a bare "Is a directory"
        IOException d = assertThrows(IOException.class, () -> CsvReader.builder().build().headerNames(dir));
        assertEquals(dir + " is a directory; expected a CSV file", d.getMessage());
        assertFalse(d instanceof CsvFormatException);
    }

    @Test
    void isNumberOfNullIsFalse() {
        assertFalse(CsvReader.isNumber(null));
        assertTrue(CsvReader.isNumber("-1.5e3"));
        assertFalse(CsvReader.isNumber(""));
    }

    @Test
    void aFileThatIsNotUtf8NamesTheFileAndTheLine() throws IOException {
        // The decoder's own message is "Input length = 1", with neither file nor line. Latin-1 "é"
        // (0xe9) on line 3003, far beyond the first buffer the reader decodes.
        byte[] text = ("a,y\n" + "1,2\n".repeat(3000) + "3,4\n").getBytes(StandardCharsets.UTF_8);
        byte[] bad = java.util.Arrays.copyOf(text, text.length + 5);
        System.arraycopy(new byte[] {'5', ',', (byte) 0xe9, '\n', '\n'}, 0, bad, text.length, 5);
        Path f = Files.write(dir.resolve("latin1.csv"), bad);
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> CsvReader.builder().build().read(f));
        assertEquals(3003, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith(f + " line 3003: not UTF-8 text (invalid byte 0xe9 at byte offset " + (text.length + 2) + ")"),
                e.getMessage());
        assertTrue(e.getMessage().contains("save the file as UTF-8"), e.getMessage());
    }

    @Test
    void optionMistakesFailAtBuild() {
        assertThrows(IllegalArgumentException.class, () -> CsvReader.builder().labelColumns(-1));
        assertThrows(IllegalArgumentException.class, () -> CsvReader.builder().labelColumns(0, 1).categorical().build());
        assertThrows(IllegalArgumentException.class, () -> CsvReader.builder().oneHot(true).build());
        assertThrows(IllegalArgumentException.class, () -> CsvReader.builder().categorical().classes("a", "a"));
        assertThrows(IllegalArgumentException.class, () -> CsvReader.builder().delimiter('"').build());
        fails(CsvReader.builder().featureColumns("a", "y"), "a,y\n1,2\n", "both as a feature and as a label");
        fails(CsvReader.builder().header(false), "1\n2\n", "no feature columns left");
    }

    @Test
    void toStringIsTheBuilderCallsThatRecreateIt() {
        CsvReader r = CsvReader.builder().header(false).delimiter('\t').labelColumns(3).categorical().oneHot(true).build();
        assertEquals("CsvReader.builder().header(false).delimiter('\\t').quoteChar('\"').labelColumns(3).categorical().oneHot(true)"
                + ".skipBlankLines(true).allowNonFinite(false).build()", r.toString());
    }

    @Test
    void aByteOrderMarkBeforeAQuotedFirstFieldIsIgnored() throws IOException {
        // the quotes were kept: 'feature column "a" not found; the header has ["a", b, y]'
        CsvData d = read(CsvReader.builder().featureColumns("a").labelColumns("y"), "\uFEFF\"a\",b,y\n1,2,3\n");
        assertEquals(1f, d.features().get(0, 0));
        d = read(CsvReader.builder().header(false), "\uFEFF\"1\",2,3\n4,5,6\n");
        assertEquals(1f, d.features().get(0, 0));
    }

    @Test
    void categoricalClassesDoNotDependOnTheRowOrder() throws IOException {
        // "2", "+2" and "02" tie numerically; the stable sort kept their first-seen order
        CsvData a = read(CsvReader.builder().categorical(), "x,y\n1,2\n2,+2\n3,02\n");
        CsvData b = read(CsvReader.builder().categorical(), "x,y\n1,02\n2,+2\n3,2\n");
        assertEquals(a.classNames(), b.classNames());
        assertEquals(java.util.List.of("+2", "02", "2"), a.classNames());
    }

    /** headerNames gives the first record's names as read() takes them with a header, reading only that record. */
    @Test
    void headerNamesParsesTheFirstRecordAsReadDoes() throws IOException {
        Path f = Files.writeString(dir.resolve("h.csv"), "\uFEFF\n\"a, cm\",\"say \"\"hi\"\"\", c \n1,2,oops\n", StandardCharsets.UTF_8);
        assertEquals(List.of("a, cm", "say \"hi\"", "c"), CsvReader.builder().build().headerNames(f));
        // the same names read() gives with a header (the third column is a label here, so the bad value is not parsed)
        assertEquals(List.of("a, cm", "say \"hi\""), CsvReader.builder().labelColumns(2).categorical().build().read(f).featureNames());
        assertEquals(List.of(), CsvReader.builder().build().headerNames(Files.writeString(dir.resolve("e.csv"), "\n\n")));
        assertThrows(IllegalArgumentException.class, () -> CsvReader.builder().build().headerNames(null));
    }

    /**
     * One-hot targets of many classes (an id column read as the label) need rows x classes floats; past
     * a Java array that was Tensor's bare IllegalArgumentException, naming neither the file nor oneHot.
     */
    @Test
    void oneHotTargetsBeyondAJavaArrayAreAFormatErrorNamingTheFix() throws IOException {
        StringBuilder sb = new StringBuilder("x,id\n");
        for (int i = 0; i < 50_000; i++) {
            sb.append(i).append(",c").append(i).append('\n');
        }
        CsvFormatException e = fails(CsvReader.builder().categorical().oneHot(true), sb.toString(),
                "50000 rows", "50000 classes", "2500000000", "oneHot(false)");
        assertEquals(-1, e.line());
        // the class indices themselves are fine
        assertEquals(50_000, read(CsvReader.builder().categorical(), sb.toString()).classNames().size());
    }

    /** A label name the header has twice is ambiguous, the first at index 0 too: never read from the later one. */
    @Test
    void aLabelNameTheHeaderHasTwiceIsRefusedAsAmbiguousFromIndexZero() {
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> CsvReader.builder().labelColumns("y").build()
                .read(new java.io.StringReader("y,a,y\n1,2,3\n"), "test.csv"));
        assertEquals("test.csv line 1: label column \"y\" is ambiguous, the header has it at indices 0 and 2; choose the"
                + " column by index instead", e.getMessage());
    }

    /** columnText gives null for a cell beyond a short record's last field, as documented, instead of failing. */
    @Test
    void columnTextGivesNullBeyondAShortRecord() throws IOException {
        List<String[]> cells = CsvReader.builder().build().columnText("id,x,y\na,1,2\nb\n".getBytes(StandardCharsets.UTF_8),
                "t.csv", List.of("id", "x", "y"), Long.MAX_VALUE);
        assertEquals(2, cells.size());
        assertArrayEquals(new String[] {"a", "1", "2"}, cells.get(0));
        assertArrayEquals(new String[] {"b", null, null}, cells.get(1)); // x is the first cell beyond its one field
    }

    /** headerNames reads the first record only: malformed CSV further on is the read's to refuse, not its. */
    @Test
    void headerNamesReadsNoFurtherThanTheFirstRecord() throws IOException {
        byte[] text = "a,b\n1,\"2\"x\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("a", "b"), CsvReader.builder().build().headerNames(text, "t.csv"));
        assertThrows(CsvFormatException.class, () -> CsvReader.builder().build().read(text, "t.csv"));
    }
}
