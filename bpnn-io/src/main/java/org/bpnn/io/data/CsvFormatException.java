package org.bpnn.io.data;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;

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
 * these, never by matching the message's text. A refusal of missing values ({@link Remedy#MISSING_VALUES})
 * gives its columns apart too, {@link #missingColumns()}, so that a caller can word advice for its own use
 * of the data (a file to predict from has no label to drop rows by).
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
        THOUSANDS_OR_DECIMAL,
        /**
         * The file holds missing values, recognised by {@link CsvReader.Builder#missingValues(String...)} and counted
         * over the whole file: {@link #problem()} says how many, in how many rows, which tokens were found and, per
         * column, how many and the first line; {@link #missingColumns()} gives the columns apart. The library's
         * remedy is written for training data: drop the rows of a missing label, impute (or drop) the rest.
         */
        MISSING_VALUES
    }

    /**
     * One column's missing values, for {@link Remedy#MISSING_VALUES}.
     *
     * @param index the column's 0-based index in the file
     * @param name its name (the header's, or the reader's default name without one)
     * @param count how many of its values are missing
     * @param firstLine the 1-based line of the first (the header counts as line 1)
     */
    public record MissingColumn(int index, String name, long count, long firstLine) implements Serializable {
        private static final long serialVersionUID = 1L;

        /**
         * Checked as the exception's other parts are: a caller words advice from these, by index and name.
         *
         * @throws IllegalArgumentException naming the part out of range, or a null name
         */
        public MissingColumn {
            if (index < 0 || name == null || count < 1 || firstLine < 1) {
                throw new IllegalArgumentException("a column's missing values need an index >= 0, a name, a count >= 1 and"
                        + " a first line >= 1; got index " + index + ", name " + (name == null ? "null" : "\"" + name + "\"")
                        + ", count " + count + ", first line " + firstLine);
            }
        }
    }

    private final String source;
    private final long line;
    private final int column;
    private final String problem;
    private final Remedy remedy;
    private final char separator;
    /**
     * For Remedy.MISSING_VALUES, the columns (an unmodifiable, serializable list); otherwise empty.
     * javac's serial lint (JDK 18+) flags List as not Serializable; every value here is List.of() or
     * List.copyOf(...), whose lists are, and CsvMissingValuesTest round-trips one through serialization.
     */
    @SuppressWarnings("serial")
    private final List<MissingColumn> missingColumns;

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
        this(source, line, column, problem, remedy, separator, List.of(), remedyText, cause);
    }

    /**
     * A refusal of missing values ({@link Remedy#MISSING_VALUES}), its message {@code problem + remedyText}.
     *
     * @param problem how many values are missing, and where, without a remedy (the message's start)
     * @param missingColumns the columns holding missing values, at least one, in the file's order
     * @param remedyText the library's remedy, appended to {@code problem} for the message
     */
    public CsvFormatException(String source, long line, int column, String problem, List<MissingColumn> missingColumns,
            String remedyText) {
        this(source, line, column, problem, Remedy.MISSING_VALUES, (char) 0, requireColumns(missingColumns), remedyText, null);
    }

    private static List<MissingColumn> requireColumns(List<MissingColumn> columns) {
        if (columns == null || columns.isEmpty() || columns.contains(null)) {
            throw new IllegalArgumentException("a refusal of missing values needs the columns holding them, got "
                    + (columns == null ? "null" : columns.isEmpty() ? "none" : "a null column at index " + columns.indexOf(null)));
        }
        return List.copyOf(columns);
    }

    private CsvFormatException(String source, long line, int column, String problem, Remedy remedy, char separator,
            List<MissingColumn> missingColumns, String remedyText, Throwable cause) {
        super(problem + remedyText, cause);
        if (remedy == null) {
            throw new IllegalArgumentException("remedy must not be null; use Remedy.OTHER");
        }
        if (remedy == Remedy.MISSING_VALUES && missingColumns.isEmpty()) {
            throw new IllegalArgumentException("Remedy.MISSING_VALUES needs the columns holding them: use the constructor"
                    + " taking the missing columns");
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
        this.missingColumns = missingColumns;
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

    /**
     * For {@link Remedy#MISSING_VALUES}, the columns holding missing values, in the file's order, each with its
     * count and first line (as {@link #problem()} names them); otherwise an empty list.
     */
    public List<MissingColumn> missingColumns() {
        return missingColumns;
    }
}
