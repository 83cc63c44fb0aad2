package org.bpnn.io.data;

import static org.bpnn.io.data.CsvTexts.fails;
import static org.bpnn.io.data.CsvTexts.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** decimalSeparator(','): European exports ("1,5;2,25;cat"), and what it refuses rather than guesses. */
class CsvDecimalSeparatorTest {

    private static IllegalArgumentException refused(CsvReader.Builder b, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message lacks \"" + p + "\": " + e.getMessage());
        }
        return e;
    }

    private static CsvReader.Builder european() {
        return CsvReader.builder().delimiter(';').decimalSeparator(',');
    }

    @Test
    void aSemicolonFileWithDecimalCommasReadsToTheRightFloats() throws IOException {
        // features, a weight column and a numeric label, all written with decimal commas
        CsvData d = read(european().weightColumn("w"), """
                a;b;w;y
                1,5;-2,25e1;0,5;3,75
                2;+0,125;1;-1,5
                """);
        assertArrayEquals(new float[] {1.5f, -22.5f, 2f, 0.125f}, d.features().data());
        assertArrayEquals(new float[] {0.5f, 1f}, d.sampleWeights());
        assertArrayEquals(new float[] {3.75f, -1.5f}, d.targets().data());
        assertEquals(List.of("a", "b"), d.featureNames());
        // a class label is text: kept as it is, "2,5" included
        CsvData c = read(european().header(false).categorical(), "1,5;2,25;cat\n0,5;1;2,5\n");
        assertArrayEquals(new float[] {1.5f, 2.25f, 0.5f, 1f}, c.features().data());
        assertEquals(List.of("2,5", "cat"), c.classNames());
    }

    @Test
    void theDefaultStillReadsDecimalPointsAndRefusesADecimalCommaNamingTheOption() throws IOException {
        assertArrayEquals(new float[] {1.5f, 2f}, read(CsvReader.builder().noLabels().delimiter(';'), "a;b\n1.5;2\n").features().data());
        CsvFormatException e = fails(CsvReader.builder().noLabels().delimiter(';'), "a;b\n1,5;2\n", "line 2, column a (index 0)",
                "found \"1,5\": a decimal comma?", "decimalSeparator(',')", "write \"1.5\"");
        assertEquals(CsvFormatException.Remedy.DECIMAL_SEPARATOR, e.remedy());
        assertEquals(',', e.separator());
    }

    @Test
    void aDecimalSeparatorEqualToTheDelimiterOrTheQuoteIsRefused() {
        // without a header an unquoted 1,5 is two values in every row alike: nothing would show it
        refused(CsvReader.builder().header(false).decimalSeparator(','), "decimalSeparator(',') is also the delimiter",
                "choose another delimiter(...) (';' for decimal commas)");
        // the default '.' with delimiter('.') likewise: "1.5" was read as the two values 1 and 5
        refused(CsvReader.builder().header(false).delimiter('.'), "decimalSeparator('.') is also the delimiter");
        refused(european().quoteChar(','), "decimalSeparator(',') is also the quote character", "choose another quoteChar(...)");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvReader.builder().decimalSeparator(';'));
        assertTrue(e.getMessage().contains("expected '.' or ','"), e.getMessage());
    }

    @Test
    void quotedDecimalCommasUnderACommaDelimiterAreReadWithAHeader() throws IOException {
        // pandas' to_csv(decimal=',') keeps sep=',' and quotes the values that hold it
        CsvData d = read(CsvReader.builder().decimalSeparator(','), "a,b,y\n\"1,5\",2,\"0,25\"\n3,\"-4,5\",1\n");
        assertArrayEquals(new float[] {1.5f, 2f, 3f, -4.5f}, d.features().data());
        assertArrayEquals(new float[] {0.25f, 1f}, d.targets().data());
        // an unquoted one is two fields: the header's count shows it, and the refusal says why
        fails(CsvReader.builder().decimalSeparator(','), "a,b,y\n\"1,5\",2,3\n1,5,2,3\n", "line 3: expected 3 fields",
                "found 4", "a decimal value must be quoted");
    }

    @Test
    void underDecimalCommasAPointOrASecondCommaIsRefusedNotGuessed() {
        // "1.234" is 1234 with its thousands grouped, or a decimal point: either guess may be 1000 times wrong
        CsvFormatException e = fails(european().noLabels(), "a;b\n1;1.234\n", "line 2, column b (index 1)",
                "expected a number with ',' as the decimal separator, found \"1.234\": a thousands separator (1234) or a decimal"
                + " point (1,234)?", "if the '.' groups thousands, remove it (write \"1234\"", "if it is a decimal point, read the"
                + " file with decimalSeparator('.') or write \"1,234\"");
        assertEquals(2, e.line());
        assertEquals(1, e.column());
        assertEquals(CsvFormatException.Remedy.THOUSANDS_OR_DECIMAL, e.remedy());
        assertEquals('.', e.separator());
        fails(european().noLabels(), "a;b\n1;1.234,5\n", "write \"1234,5\"");
        fails(european().noLabels(), "a;b\n1;1,2,3\n", "line 2, column b (index 1)", "found \"1,2,3\"");
        fails(european().weightColumn("w"), "a;w;y\n1;0.5;2\n", "column w (index 1)", "found \"0.5\"");
    }

    @Test
    void decimalCommaNumbersJoinedByAnotherSeparatorNameItAndNeverTheDecimalComma() {
        // "2,5|3,5" is '|'-separated decimal commas: its parts were read with '.', so the hint was lost
        CsvFormatException e = fails(european().noLabels(), "a;b\n1;2,5|3,5\n", "line 2, column b (index 1)",
                "found \"2,5|3,5\": the values look separated by '|', not ';'", "read the file with delimiter('|')");
        assertEquals(CsvFormatException.Remedy.DELIMITER, e.remedy());
        assertEquals('|', e.separator());
        fails(european().noLabels(), "a\n-1,5e1\t0,25\n", "the values look separated by '\\t', not ';'");
        // the decimal separator in use is no delimiter to suggest: "1,5,6" keeps the usual advice
        CsvFormatException comma = fails(european().noLabels(), "a;b\n1;1,5,6\n", "found \"1,5,6\"; fix the value");
        assertEquals(CsvFormatException.Remedy.FIX_VALUE, comma.remedy(), comma.getMessage());
    }

    @Test
    void aFirstLineOfDecimalCommaNumbersIsNotTakenForAHeader() {
        // read with '.', "1,5" was no number, so the first sample of a headerless file was taken for names
        fails(european().noLabels(), "1,5;2,25\n3;4\n", "line 1 holds only numbers", "set header(false)");
    }

    @Test
    void isNumberReadsTheDecimalSeparatorGiven() {
        assertTrue(CsvReader.isNumber("-1,5e3", ','));
        assertFalse(CsvReader.isNumber("1.5", ','));
        assertFalse(CsvReader.isNumber("1,5", '.'));
        assertTrue(CsvReader.isNumber("NaN", ','));
        assertThrows(IllegalArgumentException.class, () -> CsvReader.isNumber("1", ';'));
    }

    @Test
    void separatorOfReadsThePartsWithTheDecimalSeparatorGivenAndNeverAnswersIt() {
        assertEquals('|', CsvReader.separatorOf("2,5|3,5", ';', ','));
        assertEquals(0, CsvReader.separatorOf("2,5|3,5", ';'));
        assertEquals(0, CsvReader.separatorOf("1,5,6", ';', ','));
        assertEquals(',', CsvReader.separatorOf("1,5,6", ';'));
        // refused whatever the cell, not only once it holds a candidate separator
        for (String cell : new String[] {"1", "1|2"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvReader.separatorOf(cell, ',', ';'));
            assertTrue(e.getMessage().contains("decimalSeparator ';': expected '.' or ','"), e.getMessage());
        }
    }

    @Test
    void toStringNamesTheDecimalSeparator() {
        assertEquals("CsvReader.builder().header(true).delimiter(';').quoteChar('\"').numeric().skipBlankLines(true)"
                + ".allowNonFinite(false).decimalSeparator(',').build()", european().header(true).build().toString());
    }

    /** A point is refused under decimal commas wherever it is, the first character too; a leading comma is a decimal. */
    @Test
    void underDecimalCommasALeadingPointIsRefusedAndALeadingCommaRead() throws IOException {
        fails(european().noLabels(), "a;b\n1;.5\n", "line 2, column b (index 1)", "found \".5\"", "write \",5\"");
        assertFalse(CsvReader.isNumber(".5", ','));
        assertEquals(org.bpnn.tensor.Tensor.wrap(1, 2, new float[] {0.5f, -0.25f}), read(european().noLabels(), "a;b\n,5;-,25\n").features());
    }
}
