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
 */
public final class CsvFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long line;
    private final int column;

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
        super(message, cause);
        this.source = source;
        this.line = line;
        this.column = column;
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
}
