package org.bpnn.io.model;

import java.util.Locale;

/**
 * How the CSV a model was trained on was written: its field separator and its numbers' decimal
 * separator, as {@code CsvReader.builder().delimiter(...).decimalSeparator(...)} read it. Saved with a
 * model ({@link SavedModel#withCsvDialect}), it lets {@code ./bpnn predict} read a CSV of the same kind
 * without the flags it was trained with (a European export, {@code 1,5;2,25}: {@code new CsvDialect(';', ',')}).
 * It says nothing about IDX input, and nothing about predictions: a model predicts the same with or without it.
 *
 * <p>The values are the ones CsvReader takes with a header line: a delimiter that is one character, not
 * a line break nor the quote character {@code "}, and a whole character (not half of a UTF-16 surrogate
 * pair, which a UTF-8 model file cannot hold); a decimal separator {@code '.'} or {@code ','}. The two
 * may be the same (a file of quoted decimal commas, {@code "1,5",2}, as pandas' {@code to_csv(decimal=',')}
 * writes it), which the reader takes only with a header line, as {@code ./bpnn train} always reads.
 *
 * @param delimiter        the field separator, e.g. {@code ';'} or {@code '\t'}
 * @param decimalSeparator the numbers' decimal separator, {@code '.'} or {@code ','}
 */
public record CsvDialect(char delimiter, char decimalSeparator) {
    /** ',' between fields, '.' in numbers: what a model without a saved dialect is read with. */
    public static final CsvDialect DEFAULT = new CsvDialect(',', '.');

    /**
     * A dialect of these two characters.
     *
     * @throws IllegalArgumentException when the delimiter is a line break, {@code "} or a lone surrogate,
     *         or the decimal separator is neither '.' nor ','
     */
    public CsvDialect {
        String problem = delimiterProblem(delimiter);
        if (problem == null) {
            problem = decimalSeparatorProblem(decimalSeparator);
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem + "; pass the delimiter and decimal separator the CSV was read with");
        }
    }

    /**
     * What is wrong with a delimiter, or null: CsvReader's rule (a line break or the quote character
     * cannot separate fields), and one whole character, which a model file (UTF-8) can hold. The model
     * reader says it too, naming the field.
     */
    static String delimiterProblem(char delimiter) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            return "the CSV delimiter is " + printable(delimiter) + ", " + (delimiter == '"' ? "the quote character" : "a line break")
                    + ", which cannot separate fields; expected one character other than a line break or '\"', such as ',',"
                    + " ';', '|' or a tab";
        }
        if (Character.isSurrogate(delimiter)) {
            return "the CSV delimiter is " + printable(delimiter) + ", half of a character (a lone UTF-16 surrogate), which a"
                    + " model file cannot hold; expected one whole character such as ',', ';', '|' or a tab";
        }
        return null;
    }

    /** What is wrong with a decimal separator, or null: '.' or ',', the ones CsvReader reads. */
    static String decimalSeparatorProblem(char decimalSeparator) {
        if (decimalSeparator != '.' && decimalSeparator != ',') {
            return "the CSV decimal separator is " + printable(decimalSeparator) + "; expected '.' or ',' (the ones CsvReader reads)";
        }
        return null;
    }

    /** Whether this is {@link #DEFAULT}: ',' and '.'. */
    public boolean isDefault() {
        return equals(DEFAULT);
    }

    /** "delimiter ';', decimal separator ','" (a tab as "tab"): as inspect and messages show it. */
    @Override
    public String toString() {
        return "delimiter " + printable(delimiter) + ", decimal separator " + printable(decimalSeparator);
    }

    /**
     * A character in quotes, a tab as tab and any other control or invisible character as its code point:
     * a space other than ' ' (isSpaceChar: the no-break spaces, which isWhitespace leaves out) and a format
     * character (a zero-width space, a byte-order mark) would look like ' ' or nothing in quotes.
     */
    static String printable(char c) {
        if (c == '\t') return "tab";
        if (c == '\n') return "'\\n' (line feed)";
        if (c == '\r') return "'\\r' (carriage return)";
        if (Character.isISOControl(c) || Character.isSurrogate(c) || Character.getType(c) == Character.FORMAT
                || c != ' ' && (Character.isWhitespace(c) || Character.isSpaceChar(c))) {
            return "U+" + String.format(Locale.ROOT, "%04X", (int) c);
        }
        return "'" + c + "'";
    }
}
