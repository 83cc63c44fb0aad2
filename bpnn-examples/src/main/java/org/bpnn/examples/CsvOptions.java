package org.bpnn.examples;

import java.util.ArrayList;
import java.util.List;
import org.bpnn.io.data.CsvFormatException;
import org.bpnn.io.data.CsvReader;
import org.bpnn.io.model.CsvDialect;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The --delimiter and --decimal-separator flags of the commands that read a user's CSV file (train,
 * predict and evaluate): one definition, so that they read a file with the same words and the same rules;
 * and the wording all give a file's header in (its names listed, a header read as one column). Train saves
 * the two characters with the model ({@code SavedModel.withCsvDialect}), and predict and evaluate read with
 * the model's ({@link #defaultTo}) where a flag is not given: a model trained on a European export
 * ({@code ;} and {@code ,}) is predicted on without the flags again. A flag given still wins, with a note
 * when it differs from the model's ({@link #noteOverrides}). The flags' defaults differ, so their help does:
 * a command mixes in {@link Training} (train) or {@link ModelDefaults} (predict and evaluate).
 */
public abstract class CsvOptions {
    /** --delimiter's help before its default, the same for every command. */
    private static final String DELIMITER = "The CSV's field separator: one character, such as ; or |, or tab";

    /** --decimal-separator's help before its default, the same for every command. */
    private static final String DECIMAL_SEPARATOR = "The CSV numbers' decimal separator: . or , (1,5 as spreadsheets in many"
            + " European locales write it, with --delimiter ';', or quoted, \"1,5\", under the default --delimiter , in a file"
            + " with a header line); under , a cell with a . is refused, never guessed as thousands or a decimal point, as under"
            + " . is one like 1,288 (remove a thousands separator from the file; bpnn does not guess)";

    /** Where predict and evaluate take a flag not given from, before the character without a saved one. */
    private static final String MODELS = " (default: the model's, the one its training CSV was read with, as ./bpnn inspect"
            + " shows; ";

    // Set by the subclasses' flags (an annotation's text is one constant, so each default's wording is a
    // subclass's): null says the flag was not given, so predict and evaluate take the model's instead.
    // The setters' defaultValue is Option.NULL_VALUE, so that picocli calls them with null before a parse:
    // a setter has no initial value picocli could restore, and without it a CommandLine parsing twice
    // would keep the first parse's --delimiter.
    String delimiter;
    String decimalSeparator;

    private CsvOptions() {}

    /** train's flags: ',' and '.' when not given; train saves other characters with the model. */
    public static final class Training extends CsvOptions {
        @Option(names = "--delimiter", paramLabel = "CHAR", defaultValue = Option.NULL_VALUE,
                description = DELIMITER + " (default: ','; another is saved with the model, for predict and evaluate).")
        void delimiterFlag(String value) {
            delimiter = value;
        }

        @Option(names = "--decimal-separator", paramLabel = "CHAR", defaultValue = Option.NULL_VALUE,
                description = DECIMAL_SEPARATOR + " (default: '.'; another is saved with the model, for predict and evaluate).")
        void decimalSeparatorFlag(String value) {
            decimalSeparator = value;
        }
    }

    /** predict's and evaluate's flags: the model's characters when not given ({@link #defaultTo}), else ',' and '.'. */
    public static final class ModelDefaults extends CsvOptions {
        @Option(names = "--delimiter", paramLabel = "CHAR", defaultValue = Option.NULL_VALUE, description = DELIMITER + MODELS + "',' if none is saved).")
        void delimiterFlag(String value) {
            delimiter = value;
        }

        @Option(names = "--decimal-separator", paramLabel = "CHAR", defaultValue = Option.NULL_VALUE, description = DECIMAL_SEPARATOR + MODELS + "'.' if none is saved).")
        void decimalSeparatorFlag(String value) {
            decimalSeparator = value;
        }
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** The dialect a model was saved with, for the flags not given (predict); null: ',' and '.'. */
    private CsvDialect fallback;

    /**
     * Reads with {@code saved}'s delimiter and decimal separator where --delimiter or --decimal-separator
     * is not given (predict, with the model's {@code SavedModel.csvDialect()}; null: the defaults).
     */
    public void defaultTo(CsvDialect saved) {
        fallback = saved;
    }

    /**
     * --delimiter's character: one character, or "tab" (or a backslash-t, as a shell passes \t unquoted or
     * quoted), and one the CSV reader takes (not a line break or the quote character); without the flag, the
     * model's ({@link #defaultTo}), else ','.
     */
    public char delimiter() {
        if (delimiter == null) {
            return fallback == null ? ',' : fallback.delimiter(); // a model's was checked when it was loaded
        }
        char d = delimiterChar(delimiter);
        Errors.forFlag("--delimiter", () -> CsvReader.builder().delimiter(d).build());
        return d;
    }

    /** --decimal-separator's character: '.' or ','; without the flag, the model's ({@link #defaultTo}), else '.'. */
    public char decimalSeparator() {
        if (decimalSeparator == null) {
            return fallback == null ? '.' : fallback.decimalSeparator();
        }
        if (!decimalSeparator.equals(".") && !decimalSeparator.equals(",")) {
            throw new IllegalArgumentException("--decimal-separator must be . or , got '" + decimalSeparator + "'");
        }
        return decimalSeparator.charAt(0);
    }

    /** Whether a character read with comes from the model's dialect (the flag not given, the model's not the default). */
    public boolean fromModel(boolean decimal) {
        return fallback != null && (decimal ? decimalSeparator == null : delimiter == null);
    }

    /**
     * One note line on standard error when a flag given differs from the model's saved dialect
     * ({@link #defaultTo}): the model was trained on another one, and the flag wins. Nothing without a
     * saved dialect, or when the flags agree with it.
     */
    public void noteOverrides() {
        if (fallback == null) return;
        List<String> trained = new ArrayList<>(), given = new ArrayList<>();
        if (delimiter != null && delimiter() != fallback.delimiter()) {
            trained.add("delimiter " + flagValue(fallback.delimiter()));
            given.add("--delimiter " + flagValue(delimiter()));
        }
        if (decimalSeparator != null && decimalSeparator() != fallback.decimalSeparator()) {
            trained.add("decimal separator " + flagValue(fallback.decimalSeparator()));
            given.add("--decimal-separator " + flagValue(decimalSeparator()));
        }
        if (trained.isEmpty()) return;
        java.io.PrintWriter err = mixee != null ? mixee.commandLine().getErr() : new java.io.PrintWriter(System.err, true);
        err.println("bpnn: note: the model was trained on a CSV with " + String.join(" and ", trained) + "; "
                + String.join(" and ", given) + (given.size() == 1 ? " overrides it" : " override them"));
        err.flush();
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
     * "; pass --decimal-separator ','", and for digits grouped like "1,288" that flag or removing the thousands
     * separator), worded from {@link CsvFormatException#remedy()} and
     * {@link CsvFormatException#separator()}; null for any other remedy.
     */
    public static String flagRemedy(CsvFormatException e) {
        return switch (e.remedy()) {
            case DELIMITER -> "; pass --delimiter " + flagValue(e.separator());
            case DECIMAL_SEPARATOR -> "; pass --decimal-separator " + flagValue(e.separator());
            // the problem names the cell and both readings; bpnn guesses neither, so both remedies are given
            case THOUSANDS_OR_DECIMAL -> "; if the '" + e.separator() + "' groups thousands, remove it from the numbers"
                    + " (e.g. export the file without digit grouping); if it is " + (e.separator() == ',' ? "a decimal comma" : "a decimal point")
                    + ", pass --decimal-separator " + flagValue(e.separator());
            default -> null;
        };
    }

    /** A separator as the flag's value is typed: tab, or the character in quotes. */
    public static String flagValue(char d) {
        return d == '\t' ? "tab" : "'" + d + "'";
    }

    /**
     * The refusal of a header read as one column whose name holds another usual separator ("x1;x2;y"
     * read with ',' is one column of that name: the flag, not the column names, is wrong), or null for
     * any other header. {@code file} is the file as the message names it.
     */
    public static IllegalArgumentException oneColumnHeader(String file, List<String> header, char d) {
        char other = header.size() == 1 ? separatorIn(header.get(0), d) : 0;
        if (other == 0) return null;
        return new IllegalArgumentException(file + "'s header is one column, \"" + header.get(0) + "\", whose names look"
                + " separated by '" + (other == '\t' ? "\\t" : String.valueOf(other)) + "': pass --delimiter " + flagValue(other));
    }

    /**
     * The first of ';', tab, '|' and ',' other than {@code d} in a one-column header's name, or 0. Not
     * {@link CsvReader#separatorOf}, which looks for numbers joined by a separator: a header holds names.
     */
    private static char separatorIn(String name, char d) {
        for (char c : new char[] {';', '\t', '|', ','}) {
            if (c != d && name.indexOf(c) >= 0) return c;
        }
        return 0;
    }

    /**
     * The cells read as missing values besides an empty one: pandas' read_csv defaults without its rarer spellings.
     * train, predict and evaluate read their CSVs with them, so that the three commands refuse the same cells
     * (train's --input help lists them).
     */
    public static final List<String> MISSING_VALUES = List.of("NA", "N/A", "NaN", "nan", "NULL", "null", "?");

    /** Whether a (stripped) cell is a missing value as these commands read them: empty, or one of {@link #MISSING_VALUES}. */
    public static boolean isMissing(String cell) {
        return cell.isEmpty() || MISSING_VALUES.contains(cell);
    }

    /**
     * The help's words for a flag taking a list of column names: how a name holding a comma or a quote is
     * written (see {@link #columnNames}).
     */
    public static final String COLUMN_LIST_SYNTAX = "A name holding a comma or a double quote is written in double quotes"
            + " as in a CSV header, a quote in it doubled, and the whole value in single quotes for the shell:"
            + " 'id,\"city, country\"'.";

    /**
     * The column names of a list flag's values (each occurrence of the flag one value): comma-separated, as in
     * a CSV header: a name in double quotes may hold commas, and a double quote written twice
     * ({@code "say ""hi"""}); spaces around a name are stripped (as the reader strips the header's). Not
     * picocli's split, which keeps the quotes in the name ({@code "city, country"} with its quotes matches no
     * column) and has no way to write a quote inside quotes; {@link #columnList} writes a list back in this syntax.
     *
     * @throws IllegalArgumentException naming the flag, its value and the syntax, for an unclosed quote or
     *     text after a closing one
     */
    public static List<String> columnNames(String flag, List<String> values) {
        List<String> names = new ArrayList<>();
        for (String v : values) {
            int i = 0, n = v.length();
            while (true) {
                while (i < n && Character.isWhitespace(v.charAt(i))) i++;
                if (i < n && v.charAt(i) == '"') {
                    StringBuilder name = new StringBuilder();
                    int j = i + 1;
                    while (true) {
                        if (j >= n) {
                            throw new IllegalArgumentException(flag + " " + v + ": the quote at character " + (i + 1)
                                    + " is not closed; expected a name in double quotes with a quote inside it doubled, such"
                                    + " as \"city, country\" or \"say \"\"hi\"\"\"");
                        }
                        char c = v.charAt(j++);
                        if (c != '"') {
                            name.append(c);
                        } else if (j < n && v.charAt(j) == '"') {
                            name.append('"');
                            j++;
                        } else {
                            break;
                        }
                    }
                    while (j < n && Character.isWhitespace(v.charAt(j))) j++;
                    if (j < n && v.charAt(j) != ',') {
                        throw new IllegalArgumentException(flag + " " + v + ": text after the quoted name \"" + name + "\" (at"
                                + " character " + (j + 1) + "); expected a comma before the next name, and a quote inside a"
                                + " quoted name doubled");
                    }
                    names.add(name.toString());
                    i = j;
                } else {
                    int comma = v.indexOf(',', i);
                    int end = comma < 0 ? n : comma;
                    names.add(v.substring(i, end).strip());
                    i = end;
                }
                if (i >= n) break;
                i++; // past the comma
            }
        }
        return names;
    }

    /**
     * Column names as a list flag's value, as {@link #columnNames} reads it back: comma-separated, a name
     * holding a comma or a double quote (or starting with a space, which would be stripped) in double quotes
     * with its quotes doubled.
     */
    public static String columnList(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (String name : names) {
            if (sb.length() > 0) sb.append(',');
            boolean quote = name.indexOf(',') >= 0 || name.indexOf('"') >= 0 || !name.equals(name.strip());
            sb.append(quote ? '"' + name.replace("\"", "\"\"") + '"' : name);
        }
        return sb.toString();
    }

    /**
     * A word as it is typed to a POSIX shell: as it is when every character is one a shell takes literally
     * (ASCII letters and digits, and _ . , / : @ % + = -), else in single quotes (a single quote in it as
     * '\''), so that a suggested command line pastes as it is.
     */
    public static String shellWord(String word) {
        boolean plain = !word.isEmpty() && word.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9') || "_.,/:@%+=-".indexOf(c) >= 0);
        return plain ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    /** Column names in quotes, comma-separated: the first 20, then how many in all. */
    public static String quoted(List<String> names) {
        int shown = Math.min(names.size(), 20);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shown; i++) sb.append(i == 0 ? "" : ", ").append('"').append(names.get(i)).append('"');
        return sb.append(names.size() > shown ? ", ... (" + names.size() + " in all)" : "").toString();
    }
}
