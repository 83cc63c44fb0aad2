package org.bpnn.io.data;

import java.io.IOException;

/**
 * A CSV file does not fit the {@link CsvReader}'s options: a value that is not a number, a row with
 * the wrong number of fields, an unknown column name, an empty file, or malformed CSV syntax.
 *
 * <p>The message names the source, the 1-based line number in the file (the header counts as line 1)
 * and, where it is about one value, the column by index (0-based, as in the options) and by name, the
 * offending text, and what to change. A checked {@link IOException} for the same reason as
 * {@link IdxFormatException}: bad data is a property of the input, not of the calling code.
 *
 * <p>Where the remedy names the reader's options ({@code allowNonFinite(true)}, {@code featureColumns(...)},
 * {@code delimiter(';')}, {@code decimalSeparator(',')}), {@link #remedy()} says which kind it is and {@link #problem()} is the message
 * without it, so a caller that has other means (a command line's flags) words its own remedy from
 * these, never by matching the message's text.
 */
public final class CsvFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What the message's remedy is about, for a caller that words its own (see {@link #problem()}). */
    public enum Remedy {
        /** Any other: the message's remedy names no reader option, or is specific to its case; it applies as it is. */
        OTHER,
        /**
         * A value read as a number is not a finite number, or is empty: fix (fill in) it, or change the reader's
         * options (set allowNonFinite(true), leave the column out with featureColumns(...), read labels with
         * categorical()).
         */
        FIX_VALUE,
        /**
         * The header's names for feature columns are empty or repeated: rename them, or leave those
         * columns out with featureColumns(...).
         */
        RENAME_COLUMNS,
        /** The values look separated by {@link #separator()}, not the delimiter: read the file with delimiter(separator). */
        DELIMITER,
        /**
         * The numbers look written with {@link #separator()} as their decimal separator, not the reader's: read the
         * file with decimalSeparator(separator) (and, for ',', a delimiter other than ',' unless the values are quoted).
         */
        DECIMAL_SEPARATOR,
        /**
         * A number has its digits grouped in threes by {@link #separator()} and nothing else ("1,288" read with '.',
         * "1.288" read with ','): a thousands separator, which the reader never reads (remove it from the numbers),
         * or a decimal separator, which decimalSeparator(separator) reads. The reader does not guess which (either
         * guess may be a thousand times wrong), so a caller must not apply the second remedy on its own either;
         * {@link #problem()} names the cell and both readings.
         */
        THOUSANDS_OR_DECIMAL
    }

    private final String source;
    private final long line;
    private final int column;
    private final String problem;
    private final Remedy remedy;
    private final char separator;

    /**
     * @param source the file name or stream description
     * @param line 1-based line number in the file, or -1 when it is not about one line
     * @param column 0-based column index, or -1 when it is not about one column
     * @param message the full message
     */
    public CsvFormatException(String source, long line, int column, String message) {
        this(source, line, column, message, null);
    }

    public CsvFormatException(String source, long line, int column, String message, Throwable cause) {
        this(source, line, column, message, Remedy.OTHER, (char) 0, "", cause);
    }

    /**
     * An exception whose message is {@code problem + remedyText}, with the remedy's kind given apart.
     *
     * @param problem what is wrong and where, without a remedy (the message's start)
     * @param remedy what {@code remedyText} advises
     * @param separator for {@link Remedy#DELIMITER}, the separator the values look separated by; for
     *     {@link Remedy#DECIMAL_SEPARATOR}, the decimal separator the numbers look written with; for
     *     {@link Remedy#THOUSANDS_OR_DECIMAL}, the character grouping the digits; otherwise 0
     * @param remedyText the library's remedy, appended to {@code problem} for the message
     */
    public CsvFormatException(String source, long line, int column, String problem, Remedy remedy, char separator,
            String remedyText, Throwable cause) {
        super(problem + remedyText, cause);
        if (remedy == null) {
            throw new IllegalArgumentException("remedy must not be null; use Remedy.OTHER");
        }
        if ((remedy == Remedy.DELIMITER || remedy == Remedy.DECIMAL_SEPARATOR || remedy == Remedy.THOUSANDS_OR_DECIMAL)
                != (separator != 0)) {
            throw new IllegalArgumentException("separator must be given (not 0) exactly for Remedy.DELIMITER,"
                    + " Remedy.DECIMAL_SEPARATOR and Remedy.THOUSANDS_OR_DECIMAL, got " + (int) separator + " for " + remedy);
        }
        this.source = source;
        this.line = line;
        this.column = column;
        this.problem = problem;
        this.remedy = remedy;
        this.separator = separator;
    }

    /** The file name or stream description the error is about. */
    public String source() {
        return source;
    }

    /** The 1-based line number in the file (header included), or -1. */
    public long line() {
        return line;
    }

    /** The 0-based column index, or -1. */
    public int column() {
        return column;
    }

    /**
     * What is wrong and where, without the remedy: the message's start. For {@link Remedy#OTHER}, the
     * whole message, its remedy included; for the other kinds it never names one of the reader's options.
     */
    public String problem() {
        return problem;
    }

    /** What the message's remedy is about; {@link Remedy#OTHER} when it is not one of the named kinds. */
    public Remedy remedy() {
        return remedy;
    }

    /**
     * For {@link Remedy#DELIMITER}, the separator the file's values look separated by; for
     * {@link Remedy#DECIMAL_SEPARATOR}, the decimal separator its numbers look written with; for
     * {@link Remedy#THOUSANDS_OR_DECIMAL}, the character grouping a number's digits in threes; otherwise 0.
     */
    public char separator() {
        return separator;
    }
}
