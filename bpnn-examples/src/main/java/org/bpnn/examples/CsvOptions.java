package org.bpnn.examples;

import org.bpnn.io.data.CsvFormatException;
import org.bpnn.io.data.CsvReader;
import picocli.CommandLine.Option;

/**
 * The --delimiter and --decimal-separator flags of the commands that read a user's CSV file (train and
 * predict): one definition, so that the two read a file with the same words and the same rules, and a
 * model trained on a file is predicted on with the flags it was trained with.
 */
public final class CsvOptions {
    @Option(names = "--delimiter", defaultValue = ",", paramLabel = "CHAR",
            description = "The CSV's field separator: one character, such as ; or |, or tab (default: ${DEFAULT-VALUE}).")
    String delimiter = ",";

    @Option(names = "--decimal-separator", defaultValue = ".", paramLabel = "CHAR",
            description = "The CSV numbers' decimal separator: . or , (1,5 as spreadsheets in many European locales write it, "
                    + "with --delimiter ';', or quoted, \"1,5\", under the default --delimiter , in a file with a header line);"
                    + " under , a cell with a . is refused, never guessed as thousands or a decimal point (default: ${DEFAULT-VALUE}).")
    String decimalSeparator = ".";

    /**
     * --delimiter's character: one character, or "tab" (or a backslash-t, as a shell passes \t unquoted or
     * quoted), and one the CSV reader takes (not a line break or the quote character).
     */
    public char delimiter() {
        char d = delimiterChar(delimiter);
        Errors.forFlag("--delimiter", () -> CsvReader.builder().delimiter(d).build());
        return d;
    }

    /** --decimal-separator's character: '.' or ','. */
    public char decimalSeparator() {
        if (!decimalSeparator.equals(".") && !decimalSeparator.equals(",")) {
            throw new IllegalArgumentException("--decimal-separator must be . or , got '" + decimalSeparator + "'");
        }
        return decimalSeparator.charAt(0);
    }

    /** A CSV reader builder with both flags' characters. */
    public CsvReader.Builder reader() {
        return CsvReader.builder().delimiter(delimiter()).decimalSeparator(decimalSeparator());
    }

    private static char delimiterChar(String value) {
        if (value.equalsIgnoreCase("tab") || value.equals("\\t")) {
            return '\t';
        }
        if (value.length() != 1) {
            throw new IllegalArgumentException("--delimiter must be one character (such as , ; | or tab), got '" + value + "'");
        }
        return value.charAt(0);
    }

    /**
     * The flag to pass for a reader's refusal whose remedy is one of these flags ("; pass --delimiter ';'",
     * "; pass --decimal-separator ','"), worded from {@link CsvFormatException#remedy()} and
     * {@link CsvFormatException#separator()}; null for any other remedy.
     */
    public static String flagRemedy(CsvFormatException e) {
        return switch (e.remedy()) {
            case DELIMITER -> "; pass --delimiter " + flagValue(e.separator());
            case DECIMAL_SEPARATOR -> "; pass --decimal-separator " + flagValue(e.separator());
            default -> null;
        };
    }

    /** A separator as the flag's value is typed: tab, or the character in quotes. */
    public static String flagValue(char d) {
        return d == '\t' ? "tab" : "'" + d + "'";
    }
}
