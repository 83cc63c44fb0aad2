package org.bpnn.io.internal;

/**
 * The rule, and its wording, for a CSV name or value that kept its quotes ({@code a, "b"}: Jackson
 * opens a quoted value only right after the delimiter, so the space keeps the quotes in the name).
 * CsvReader refuses such header names, classes and values; SavedModel refuses such feature and class
 * names given through the API or read from a model file; ./bpnn predict names such a header name.
 * One place, so the three cannot drift apart in what they refuse or in how they say it.
 */
public final class KeptQuotes {

    private KeptQuotes() {
    }

    /** Whether {@code s} (stripped by the caller) still starts and ends with {@code quote}. */
    public static boolean kept(String s, char quote) {
        return s.length() >= 2 && s.charAt(0) == quote && s.charAt(s.length() - 1) == quote;
    }

    /**
     * The refusal that follows the name or value: " kept its quotes: ...; remove the spaces before the
     * quotes". {@code delimiter} is shown as the reader's delimiter (e.g. {@code ','} or a tab), or
     * left out when null (the caller does not know which delimiter the CSV used).
     */
    public static String refusal(Character delimiter) {
        String after = delimiter == null ? "the delimiter"
                : "the delimiter '" + (delimiter == '\t' ? "\\t" : String.valueOf(delimiter)) + "'";
        return " kept its quotes: a quote opens a quoted value only right after " + after
                + " or at the start of a line, not after a space; remove the spaces before the quotes";
    }
}
