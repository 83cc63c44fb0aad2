package org.bpnn.io.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bpnn.io.internal.Counts;
import org.bpnn.io.internal.Gzip;
import org.bpnn.io.internal.KeptQuotes;
import org.bpnn.tensor.Tensor;

/**
 * Reads a numeric CSV file into features and targets, one sample per row, streaming the rows through
 * jackson-dataformat-csv (the text is never held in memory as a whole). A file may be gzip-compressed
 * ({@code data.csv.gz}; found by content, see {@link #read(Path)}).
 *
 * <pre>{@code
 * CsvData iris = CsvReader.builder().header(true).labelColumns("species").categorical().oneHot(true).build()
 *         .read(Path.of("iris.csv"));
 * }</pre>
 *
 * <p><b>Columns.</b> The label columns are chosen by 0-based index or, with a header, by name; the
 * default is the last column. The features are all other columns in file order, unless chosen
 * explicitly. A sample weight column ({@link Builder#weightColumn(String)}) is neither: it is left out of
 * the default features, and its weights are {@link CsvData#sampleWeights()}. Every row must have as many fields as the header (or, without one, as the first row).
 * Names and values are trimmed of surrounding whitespace. A blank line (empty, or only whitespace) is
 * skipped by default (see {@link Builder#skipBlankLines(boolean)}); a line holding only {@code ""} is
 * not blank but one empty quoted value, so it is read as a row (and refused as one). With a header,
 * the feature columns' names must be non-empty and distinct, as a saved model's input names must be
 * (columns left out, and the labels, may have any name); a feature or label name that kept its quotes
 * ({@code a, "b"}: a quote opens a quoted value only right after the delimiter) is refused, as such a
 * value is, since a model saved from the data would keep the quotes in its feature names.
 *
 * <p><b>Numbers.</b> Decimal notation only ({@code -1.5}, {@code 2e-3}); Java-only forms such as
 * {@code 1f} or hex floats are rejected. {@code NaN}, {@code Inf}, {@code Infinity} (any case, with a
 * sign) are rejected unless {@link Builder#allowNonFinite(boolean)} is set; a value beyond the float
 * range is always rejected. The decimal separator is '.' unless {@link Builder#decimalSeparator(char)}
 * makes it ',' (a European export, {@code 1,5;2,25;cat}, is read with {@code delimiter(';')} and
 * {@code decimalSeparator(',')}); thousands separators are never read (a cell with one is refused, as
 * is a decimal comma read with '.', each naming the option or the text to write).
 *
 * <p><b>Missing values.</b> An empty value is an error, and so is any other mark of a missing value
 * ({@code NA}, {@code ?}) in a column read as numbers (in a categorical label column such a mark is text,
 * read as a class of its own, unless {@link Builder#missingValues} names it): the reader neither imputes
 * nor drops rows. Without options the first one stops the read naming its line and column; with {@link Builder#missingValues(String...)} the tokens
 * given (and empty cells) are recognised, the whole file is read, and the refusal counts them per
 * column, so one run shows what to impute or drop before reading. Values become floats (24 significant bits,
 * about 7 decimal digits): a column with a large offset loses resolution (a Unix timestamp near
 * 1.7e9 is rounded to a multiple of 128 s, and a value below about 1.2e-38 keeps fewer bits); subtract
 * the offset, or change the unit, before writing the file.
 *
 * <p><b>Categorical labels.</b> Class names are the trimmed label text. Class indices follow
 * {@link Builder#classes(String...)} when given (an unseen name is then an error); otherwise the
 * names sorted so the order does not depend on the row order: numerically when every name is an
 * integer ({@code "2"} before {@code "10"}), else by {@link String#compareTo}.
 *
 * <p><b>Binary labels.</b> A network with one sigmoid output (binary cross-entropy) takes one target
 * column of 0/1 labels: a 0/1 label column read as it is (numeric, the default) gives those targets, (n, 1);
 * {@code categorical()} without {@code oneHot(true)} gives the same (n, 1) class indices and also the class
 * names, for {@code SavedModel.withClassNames(csv.classNames())}. Class 1 is the one the per-class metrics'
 * {@code recall(1)} and a threshold are about: name labels that are not 0/1 in order with {@link Builder#classes}
 * ({@code classes("normal", "fraud")}), since sorted names could make the rare class class 0 ({@code "fraud"}
 * before {@code "normal"}). {@code oneHot(true)} gives two columns, for a network with two softmax outputs.
 *
 * <p><b>Errors.</b> Data problems are {@link CsvFormatException}s naming the source, the 1-based line
 * number in the file (the header is line 1; blank lines and lines inside quoted values count), the
 * column by index and name, and the offending text. A file whose values look separated by another
 * of ';', tab, '|' and ',' (numbers joined by it, a one-field first line holding it, or a quoted
 * value followed by it) is refused naming it, with {@link CsvFormatException.Remedy#DELIMITER}. Text in UTF-16 or UTF-32 (a byte-order mark, or
 * NUL bytes beside its ASCII characters; see {@link #wideTextEncoding}) is refused naming the encoding
 * and the remedy, saving it as UTF-8. Option mistakes are
 * {@link IllegalArgumentException}s, thrown by the setter that gets a bad value (a negative index, a
 * blank name, a decimal separator other than '.' or ',') or, for options that conflict, by
 * {@link Builder#build()}. A null file, source bytes or reader is an {@link IllegalArgumentException} too.
 *
 * <p><b>Threads.</b> A {@code CsvReader} is immutable and thread-safe: one instance may read several
 * files at once, from any threads. A {@link Builder} is not thread-safe.
 */
public final class CsvReader {

    /** What the label columns hold. */
    public enum LabelKind {
        /** Numbers, one target per label column (regression). */
        NUMERIC,
        /** Class names in a single label column (classification). */
        CATEGORICAL
    }

    /** Thread-safe once configured; only its factory is used, to stream rows as arrays of strings. */
    private static final CsvMapper MAPPER = new CsvMapper();
    private static final Set<String> NAN_WORDS = Set.of("nan", "+nan", "-nan");
    private static final Set<String> POS_INF_WORDS = Set.of("inf", "+inf", "infinity", "+infinity");
    private static final Set<String> NEG_INF_WORDS = Set.of("-inf", "-infinity");

    /** Whether a lower-cased cell is one of the words read as NaN or an infinity. */
    private static boolean nonFiniteWord(String lower) {
        return NAN_WORDS.contains(lower) || POS_INF_WORDS.contains(lower) || NEG_INF_WORDS.contains(lower);
    }

    private final boolean header;
    /** Whether header(...) was called: by default a first line of numbers is refused (see Builder#header). */
    private final boolean headerChosen;
    private final char delimiter;
    private final char quoteChar;
    private final int[] labelIndices;
    private final List<String> labelNames;
    private final int[] featureIndices;
    private final List<String> featureNames;
    private final LabelKind labelKind;
    private final boolean oneHot;
    private final List<String> classes;
    private final boolean skipBlankLines;
    private final boolean noLabels;
    private final boolean allowNonFinite;
    /** The sample weight column by 0-based index, or -1; at most one of this and weightName is set. */
    private final int weightIndex;
    /** The sample weight column by header name, or null. */
    private final String weightName;
    /** '.' (the fast path: cells parsed as they are) or ','. */
    private final char decimalSeparator;
    /** The cells (stripped) read as missing values, "" among them, or null: missingValues(...) not called. */
    private final Set<String> missingTokens;

    private CsvReader(Builder b) {
        header = b.header;
        headerChosen = b.headerChosen;
        delimiter = b.delimiter;
        quoteChar = b.quoteChar;
        labelIndices = b.labelIndices;
        labelNames = b.labelNames;
        featureIndices = b.featureIndices;
        featureNames = b.featureNames;
        labelKind = b.labelKind;
        oneHot = b.oneHot;
        classes = b.classes;
        skipBlankLines = b.skipBlankLines;
        allowNonFinite = b.allowNonFinite;
        noLabels = b.noLabels;
        weightIndex = b.weightIndex;
        weightName = b.weightName;
        decimalSeparator = b.decimalSeparator;
        missingTokens = b.missingTokens;
    }

    /** A builder with the defaults: header, ',' delimiter, '"' quotes, last column numeric label, blank lines skipped. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a UTF-8 file (a leading byte-order mark is ignored), gzip-compressed or plain. A file that
     * is not UTF-8 text is a {@link CsvFormatException} naming the line of the first invalid byte.
     * Gzip is detected by its magic bytes 1f 8b (which UTF-8 text cannot start with), not by the file
     * name, and decompressed as the rows are read; damaged or cut-short gzip data is a
     * {@link CsvFormatException} saying so.
     *
     * <p>A plain file (not gzip, a regular file rather than a pipe) is read twice: a first pass over its bytes
     * counts its records, so that the floats go straight into arrays of that size and the read holds them
     * once; a read of any other source holds them twice at its end. The file is only read, never changed.
     *
     * @throws IllegalArgumentException when file is null
     * @throws CsvFormatException       for a problem with the content (see the class comment, Errors)
     * @throws IOException              when the file cannot be read (missing, no permission, a directory)
     */
    public CsvData read(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file is null; pass the CSV file to read");
        }
        // counted inside readText: after its refusals (a directory, UTF-16 text), so that they cost no pass
        return readText(Source.of(file), r -> read(r, file.toString(), recordsAtMost(file)));
    }

    /**
     * At most how many records the plain file holds, counted in one pass over its bytes, or -1 when it is not
     * counted: a gzip file (decompressing it twice costs more than the copy it saves), not a regular file (a
     * pipe can be read only once), a delimiter or quote character outside ASCII (this pass looks at bytes), or
     * the file no longer readable (the read itself, already open, goes on and reports its own failures).
     *
     * <p>A record is what Jackson's CsvDecoder ends at a line break ('\n', '\r' or "\r\n") outside quotes, or at
     * the end of the text; a quote opens a quoted value only as a field's first character, and a doubled one
     * inside it is one quote character. A line of only ASCII whitespace is not counted, nor one quoted value of
     * only whitespace ({@code "  "}, as isBlankLine takes it): it is a blank line, which the read skips or refuses,
     * never a sample ({@code ""} alone is a record). So for a file without blank lines made of other whitespace, the
     * count is the records the read meets, however the lines end and whatever the quoted values hold: the arrays
     * are filled exactly. It need not be exact to be safe: a file changed between the passes, or text this count
     * misjudges, gets arrays too large (copied out at the end) or too small (continued in chunks), as a read of
     * a stream always was, and reads the same values.
     */
    long recordsAtMost(Path file) {
        if (delimiter > 0x7f || quoteChar > 0x7f || !Files.isRegularFile(file)) {
            return -1;
        }
        final byte delim = (byte) delimiter, quote = (byte) quoteChar;
        // bytes below this are line breaks, whitespace or the delimiter or the quote: the rest are content alone
        final int special = Math.max(' ', Math.max(delimiter, quoteChar));
        long records = 0;
        boolean inQuotes = false;
        boolean justClosed = false; // a quote that ended a quoted value: one more right after it is an escaped quote
        boolean fieldStart = true;
        boolean content = false; // whether the line so far holds more than whitespace
        boolean emptyQuoted = false; // whether the line is a quoted value with nothing inside yet: "" is no blank line
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int k = in.readNBytes(buf, 0, 3);
            if (k >= 2 && Gzip.isMagic(buf[0] & 0xff, buf[1] & 0xff)) {
                return -1;
            }
            // a byte-order mark is no content: the parser drops it, so it leaves a blank first line blank
            int start = k == 3 && (buf[0] & 0xff) == 0xef && (buf[1] & 0xff) == 0xbb && (buf[2] & 0xff) == 0xbf ? 3 : 0;
            for (; k > 0; k = in.read(buf), start = 0) {
                for (int i = start; i < k; i++) {
                    byte b = buf[i];
                    if (inQuotes) {
                        if (b == quote) {
                            inQuotes = false;
                            justClosed = true;
                        } else {
                            // a quoted value of whitespace alone ("  ", or line breaks) is a blank line to the read
                            content |= !asciiWhitespace(b);
                            emptyQuoted = false;
                        }
                        continue;
                    }
                    if ((b & 0xff) > special) {
                        // most bytes (digits, '.', '-', letters, UTF-8 sequences) are content alone: skipped in a
                        // tight loop, which ran this pass about 1.4 times as fast as setting the flags for each
                        while (i + 1 < k && (buf[i + 1] & 0xff) > special) {
                            i++;
                        }
                        content = true;
                        fieldStart = justClosed = false;
                        continue;
                    }
                    if (b == '\n' || b == '\r') {
                        if (content || emptyQuoted) { // the '\n' of "\r\n" ends a line without content: one record
                            records++;
                        }
                        content = justClosed = emptyQuoted = false;
                        fieldStart = true;
                    } else if (b == delim) {
                        content = fieldStart = true; // two fields, even empty ones, are no blank line
                        justClosed = false;
                    } else if (b == quote && fieldStart) {
                        inQuotes = emptyQuoted = true;
                        fieldStart = false;
                    } else if (b == quote && justClosed) {
                        content = inQuotes = true; // a doubled quote: a quote character in the value
                        justClosed = false;
                    } else {
                        content |= !asciiWhitespace(b);
                        fieldStart = justClosed = false;
                    }
                }
            }
        } catch (IOException e) {
            return -1; // only the capacity is lost: the read has the file open already
        }
        return content || inQuotes || emptyQuoted ? records + 1 : records;
    }

    /** Whether an ASCII byte is whitespace as String.isBlank (Character.isWhitespace) takes it. */
    private static boolean asciiWhitespace(byte b) {
        return b == ' ' || b >= 0x09 && b <= 0x0d || b >= 0x1c && b <= 0x1f;
    }

    /**
     * Reads CSV data held in memory as {@link #read(Path)} reads a file: UTF-8 (a leading byte-order mark
     * ignored), gzip-compressed or plain (by its magic bytes), with the same refusals (not UTF-8, UTF-16 or
     * UTF-32 text, damaged gzip data), each naming {@code source} (null: {@code "<bytes>"}). For data that
     * can be read only once, such as standard input, read into memory first (as {@code ./bpnn predict --input -}
     * does), so that the reader's own second pass over it (the line of a byte that is not UTF-8) has it.
     *
     * @throws IllegalArgumentException when data is null
     * @throws CsvFormatException       for a problem with the content (see the class comment, Errors)
     */
    public CsvData read(byte[] data, String source) throws IOException {
        Source s = Source.of(data, source, "read");
        return readText(s, r -> read(r, s.name()));
    }

    /**
     * Where a read's bytes come from: a file, opened again for each pass, or its bytes held in memory
     * (standard input, read once). {@code name} is what errors call it.
     */
    private record Source(String name, Path file, byte[] data) {
        static Source of(Path file) {
            return new Source(file.toString(), file, null);
        }

        static Source of(byte[] data, String name, String method) {
            if (data == null) {
                throw new IllegalArgumentException(method + "(byte[], String): data is null; pass the bytes of the CSV text");
            }
            return new Source(name == null ? "<bytes>" : name, null, data);
        }

        /** The bytes, buffered, decompressed when gzip (which reads its header: a damaged one throws here). */
        InputStream open(int bufferSize) throws IOException {
            return file != null ? Gzip.open(file, bufferSize) : Gzip.open(data, bufferSize);
        }

        boolean isGzip() throws IOException {
            return file != null ? Gzip.isGzip(file) : Gzip.startsWithMagic(data);
        }
    }

    /** What is done with a file's text, the reader left open for {@link #readText} to close. */
    private interface TextRead<T> {
        T apply(Reader text) throws IOException;
    }

    /**
     * Opens the file once, refuses a directory and UTF-16 or UTF-32 text ({@link #wideTextEncoding}, of its
     * first bytes, read and put back), and hands {@code read} its UTF-8 text (gzip decompressed); a failure to
     * decode or decompress becomes the refusal that names it. One open: looking at the first bytes through an
     * open of their own would open the file, and decompress a gzip file's start, twice for every read.
     */
    private static <T> T readText(Source file, TextRead<T> read) throws IOException {
        if (file.file() != null) checkNotDirectory(file.file());
        try (java.io.PushbackInputStream in = new java.io.PushbackInputStream(bytes(file), WIDE_TEXT_SNIFF_BYTES)) {
            checkNotWideText(file.name(), in);
            return read.apply(text(in));
        } catch (CharacterCodingException e) {
            throw notUtf8(file, e);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw damagedIfGzip(file, e);
        }
    }

    /**
     * The file's bytes, decompressed when it is gzip ({@link Gzip}: by its magic 1f 8b, since a .csv.gz
     * read as text would be "not UTF-8 text" with advice to convert it from Latin-1). Only gzip data can
     * fail to open with a ZipException or EOFException (its header is read here).
     */
    private static InputStream bytes(Source file) throws IOException {
        try {
            return file.open(1 << 16);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw damagedGzip(file, e);
        }
    }

    /** The bytes' text, decoded as UTF-8 with malformed input reported (as Files.newBufferedReader does). */
    private static Reader text(InputStream bytes) {
        return new java.io.BufferedReader(new java.io.InputStreamReader(bytes, StandardCharsets.UTF_8.newDecoder()), 1 << 16);
    }

    /**
     * A ZipException or EOFException met while reading the file: {@link #damagedGzip} when the file is
     * gzip, else e as it is. Whether it is gzip is asked only here, on the failure path: {@link #bytes}
     * decides it by itself on opening, so a read that succeeds opens the file no more for it.
     */
    private static IOException damagedIfGzip(Source file, IOException e) throws IOException {
        return file.isGzip() ? damagedGzip(file, e) : e;
    }

    /** The JDK's own message ("Unexpected end of ZLIB input stream") names neither the file nor gzip. */
    private static CsvFormatException damagedGzip(Source file, IOException e) {
        return new CsvFormatException(file.name(), -1, -1, file.name() + ": the gzip data is damaged or cut short ("
                + e.getMessage() + "); check it with gzip -t, and compress or copy the file again", e);
    }

    /** Reading a directory fails with a bare "Is a directory", without the path: this names it. */
    private static void checkNotDirectory(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a directory; expected a CSV file");
        }
    }

    /**
     * How many leading bytes {@link #wideTextEncoding} looks at: 32 UTF-16 or 16 UTF-32 characters, so a
     * header whose first name is non-ASCII (Cyrillic, CJK) still shows a delimiter or digit in them.
     */
    public static final int WIDE_TEXT_SNIFF_BYTES = 64;

    /**
     * The encoding of text in UTF-16 or UTF-32 (as Windows tools and PowerShell write "Unicode" CSV),
     * judged from the file's first {@link #WIDE_TEXT_SNIFF_BYTES} bytes, or null: a byte-order mark
     * (UTF-32 LE FF FE 00 00, UTF-32 BE 00 00 FE FF, UTF-16 LE FF FE, UTF-16 BE FE FF), or, without one,
     * every 2-byte (4-byte) unit in one byte order a text character, at least two (one) of them ASCII:
     * UTF-16 LE "a\0,\0", or with non-ASCII "\u0436\u0437,\0" as bytes 36 04 37 04 2C 00; UTF-32 LE
     * "1\0\0\0,\0\0\0", BE "\0\0\01\0\0\0,". Read as UTF-8, such text would fail on its first byte
     * or (without a mark) give NUL characters in every value, so the reads refuse it with
     * {@link #wideTextMessage}. Neither UTF-8 text (no
     * NUL byte) nor IDX (00 00 is no character in UTF-16; in UTF-32 BE its magic, 00 00 then a type
     * byte 08-0E, is left to IDX) is one of these. Not found: UTF-16 whose sniffed characters are all
     * non-ASCII, or all but one (say a long CJK first name): the check needs two ASCII characters, each
     * with its NUL byte, to tell them from other bytes.
     */
    public static String wideTextEncoding(byte[] head) {
        int n = Math.min(head.length, WIDE_TEXT_SNIFF_BYTES);
        int b0 = n > 0 ? head[0] & 0xff : -1, b1 = n > 1 ? head[1] & 0xff : -1;
        int b2 = n > 2 ? head[2] & 0xff : -1, b3 = n > 3 ? head[3] & 0xff : -1;
        if (b0 == 0xff && b1 == 0xfe && b2 == 0 && b3 == 0) return "UTF-32LE (byte-order mark FF FE 00 00)";
        if (b0 == 0 && b1 == 0 && b2 == 0xfe && b3 == 0xff) return "UTF-32BE (byte-order mark 00 00 FE FF)";
        if (b0 == 0xff && b1 == 0xfe) return "UTF-16LE (byte-order mark FF FE)";
        if (b0 == 0xfe && b1 == 0xff) return "UTF-16BE (byte-order mark FE FF)";
        if (n < 8) return null;
        // UTF-16 first: its ASCII pairs read as UTF-32 are planes 9 and up, which wideUnits does not take
        if (wideUnits(head, n, 2, false, 2)) return "UTF-16LE (without a byte-order mark: a NUL byte after each ASCII character)";
        if (wideUnits(head, n, 2, true, 2)) return "UTF-16BE (without a byte-order mark: a NUL byte before each ASCII character)";
        if (wideUnits(head, n, 4, false, 1)) return "UTF-32LE (without a byte-order mark: NUL bytes after each character)";
        boolean idxMagic = b0 == 0 && b1 == 0 && (b2 == 0x08 || b2 == 0x09 || b2 >= 0x0b && b2 <= 0x0e);
        if (!idxMagic && wideUnits(head, n, 4, true, 1)) return "UTF-32BE (without a byte-order mark: NUL bytes before each character)";
        return null;
    }

    /**
     * Whether the first n bytes, in whole units of {@code size} bytes (2 or 4) in one byte order, are
     * at least 4 (UTF-16) or 2 (UTF-32) text characters, at least {@code ascii} of them ASCII (a NUL
     * byte beside each, which UTF-8 text never has): the CSV's delimiters, digits and line breaks.
     */
    private static boolean wideUnits(byte[] head, int n, int size, boolean bigEndian, int ascii) {
        int units = n / size;
        if (units < (size == 2 ? 4 : 2)) return false;
        int seen = 0;
        for (int u = 0; u < units; u++) {
            long v = 0; // a long: 4 bytes from 0x80 up would be a negative int, and pass as ASCII
            for (int k = 0; k < size; k++) {
                v = v << 8 | head[u * size + (bigEndian ? k : size - 1 - k)] & 0xff;
            }
            if (v < 0x80) {
                if (!asciiText((byte) v)) return false;
                seen++;
            } else if (v < 0xa0 || v == 0xfffe || v == 0xffff || size == 4 && (v >= 0xd800 && v < 0xe000 || v > 0x3ffff)) {
                // C1 controls and non-characters are no text; UTF-32 holds no surrogates, and text there
                // stays in planes 0-3 (BMP, emoji, CJK), which also keeps UTF-16 ASCII pairs out
                return false;
            }
        }
        return seen >= ascii;
    }

    private static boolean asciiText(byte b) {
        return b >= 0x20 && b < 0x7f || b == '\t' || b == '\n' || b == '\r';
    }

    /**
     * Refuses UTF-16 or UTF-32 text (see {@link #wideTextEncoding}), naming what was found and the remedy;
     * the bytes looked at are put back, so {@code in} still starts at the file's first byte.
     */
    private static void checkNotWideText(String file, java.io.PushbackInputStream in) throws IOException {
        byte[] head = in.readNBytes(WIDE_TEXT_SNIFF_BYTES);
        in.unread(head);
        String encoding = wideTextEncoding(head);
        if (encoding != null) {
            throw new CsvFormatException(file, 1, -1, wideTextMessage(file, encoding));
        }
    }

    /**
     * "FILE looks like UTF-16LE text (...), not UTF-8: the CSV reader reads UTF-8; save it as UTF-8 (...)":
     * the message for {@link #wideTextEncoding}'s finding, for a caller that checks before reading.
     */
    public static String wideTextMessage(String source, String encoding) {
        String name = encoding.substring(0, encoding.indexOf(' '));
        return source + " looks like " + encoding + " text, not UTF-8, which is what the CSV reader reads; save it as UTF-8"
                + " (in Excel: \"CSV UTF-8\"; or iconv -f " + (encoding.contains("without") ? name : name.substring(0, 6)) + " -t UTF-8 " + source + " > utf8.csv)";
    }

    /** The decoder's own message is just "Input length = 1": this one finds where the bad bytes are. */
    private static CsvFormatException notUtf8(Source file, CharacterCodingException e) throws IOException {
        long[] at = firstInvalidUtf8(file);
        boolean gzip = at != null && file.isGzip(); // then the offset is in the decompressed data
        String where = at == null ? "" : " line " + at[0];
        return new CsvFormatException(file.name(), at == null ? -1 : at[0], -1, file.name() + where + ": not UTF-8 text"
                + (at == null ? "" : " (invalid byte 0x" + String.format("%02x", at[2]) + " at byte offset " + at[1]
                        + (gzip ? " of the decompressed data" : "") + ")")
                + "; save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)", e);
    }

    /** A parse error at its line ("line -1" when Jackson gives no location: the parser's position then). */
    private CsvFormatException malformed(String source, JsonProcessingException e, CsvParser p) {
        // a value over Jackson's length limit (an unclosed quote in a large file) has no location: "line -1"
        long line = e.getLocation() != null && e.getLocation().getLineNr() > 0 ? e.getLocation().getLineNr()
                : p.currentLocation().getLineNr();
        java.util.regex.Matcher m = AFTER_QUOTE.matcher(String.valueOf(e.getOriginalMessage()));
        char after = m.matches() ? (char) Integer.parseInt(m.group(1)) : 0;
        if (after != 0 && after != delimiter && new String(SEPARATORS).indexOf(after) >= 0) {
            // "a";"b";"y" read with ',' (an export that quotes every value): the malformed-CSV advice would name only
            // ',', and predict, which has --delimiter for this, could not word its own remedy
            return separatedBy(source, line, -1, source + " line " + line + ": malformed CSV (a quoted value followed by '"
                    + printable(after) + "', where the delimiter '" + printable(delimiter) + "' or a line break was expected)",
                    after, delimiter, e);
        }
        return new CsvFormatException(source, line, -1, source + " line " + line + ": malformed CSV (" + e.getOriginalMessage()
                + "); check the quoting, the delimiter '" + printable(delimiter) + "' and the quote character '"
                + printable(quoteChar) + "'", e);
    }

    /**
     * The 1-based line, the byte offset and the value of the first byte that is not valid UTF-8, or
     * null if none is found. A second pass, on the error path only: the decoder under the reader
     * reads ahead, so it cannot tell where the bad byte is. A newline byte never occurs inside a
     * multi-byte UTF-8 sequence, so each line can be checked on its own.
     */
    private static long[] firstInvalidUtf8(Source file) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try (InputStream in = bytes(file)) { // buffered
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            long lineNo = 1, lineStart = 0, offset = 0;
            for (int b; ; offset++) {
                b = in.read();
                if (b == '\n' || b < 0) {
                    ByteBuffer bytes = ByteBuffer.wrap(line.toByteArray());
                    CoderResult r = decoder.reset().decode(bytes, CharBuffer.allocate(bytes.remaining()), true);
                    if (r.isError() || (r = decoder.flush(CharBuffer.allocate(1))).isError()) {
                        int at = bytes.position();
                        return new long[] {lineNo, lineStart + at, at < bytes.limit() ? bytes.get(at) & 0xff : 0};
                    }
                    if (b < 0) {
                        return null;
                    }
                    line.reset();
                    lineNo++;
                    lineStart = offset + 1;
                } else {
                    line.write(b);
                }
            }
        }
    }

    /**
     * The names in the file's first non-blank record, trimmed, exactly as {@link #read(Path)} takes
     * them with a header (the same parser, delimiter, quote character and byte-order-mark handling; a
     * quoted name may hold the delimiter, an escaped quote or a line break; gzip decompressed); only
     * that record is read.
     * Empty for a file without one. Lets a caller check names before a read (e.g. against a model's).
     *
     * @throws CsvFormatException when the record is malformed CSV or not UTF-8 text
     */
    public List<String> headerNames(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file is null; pass the CSV file whose header to read");
        }
        return headerNames(Source.of(file));
    }

    /** {@link #headerNames(Path)} of CSV data held in memory, read as {@link #read(byte[], String)} reads it. */
    public List<String> headerNames(byte[] data, String source) throws IOException {
        return headerNames(Source.of(data, source, "headerNames"));
    }

    private List<String> headerNames(Source file) throws IOException {
        return readText(file, r -> {
            try (CsvParser p = parser(r)) {
                List<List<String>> header = new ArrayList<>(1);
                try {
                    forEachRecord(p, new ArrayList<>(), (row, quotedEmpty, line) -> {
                        if (isBlankLine(row, quotedEmpty)) return true;
                        header.add(row.stream().map(String::strip).toList());
                        return false;
                    });
                } catch (JsonProcessingException e) {
                    throw malformed(file.name(), e, p);
                }
                return header.isEmpty() ? List.<String>of() : header.get(0);
            }
        });
    }

    /**
     * The text of the named columns in the file's data records, as {@link #read(Path)} with a header
     * parses them (the same parser, delimiter, quote character, byte-order-mark and gzip handling; a
     * blank line skipped exactly when {@code read} skips it), unquoted but not stripped nor parsed: one
     * array per record, in the order of {@code names}, at most {@code maxRecords} records. A cell beyond
     * a short record's last field is null (read refuses such a record; this does not check the file).
     * Lets a caller keep a column read leaves out (an id, beside the predictions) or look at the
     * values of columns before a read (which are text).
     *
     * @param names header names (matched as read matches them, stripped); each must be in the header
     * @throws CsvFormatException when a name is not in the header, or the text is malformed CSV or not UTF-8
     */
    public List<String[]> columnText(Path file, List<String> names, long maxRecords) throws IOException {
        if (file == null || names == null || names.isEmpty() || maxRecords < 0) {
            throw new IllegalArgumentException("columnText needs a file, at least one column name and maxRecords >= 0, got "
                    + file + ", " + names + ", " + maxRecords);
        }
        return columnText(Source.of(file), names, maxRecords);
    }

    /** {@link #columnText(Path, List, long)} of CSV data held in memory, read as {@link #read(byte[], String)} reads it. */
    public List<String[]> columnText(byte[] data, String source, List<String> names, long maxRecords) throws IOException {
        if (names == null || names.isEmpty() || maxRecords < 0) {
            throw new IllegalArgumentException("columnText needs at least one column name and maxRecords >= 0, got "
                    + names + ", " + maxRecords);
        }
        return columnText(Source.of(data, source, "columnText"), names, maxRecords);
    }

    private List<String[]> columnText(Source file, List<String> names, long maxRecords) throws IOException {
        return readText(file, r -> {
            try (CsvParser p = parser(r)) {
                List<String[]> out = new ArrayList<>();
                int[] at = new int[names.size()];
                boolean[] headerRead = {false};
                try {
                    // maxRecords 0 parses nothing: not even the header, so an unknown name is not refused then
                    if (maxRecords > 0) forEachRecord(p, new ArrayList<>(), (row, quotedEmpty, line) -> {
                        if (isBlankLine(row, quotedEmpty) && (skipBlankLines || !headerRead[0])) return true;
                        if (!headerRead[0]) {
                            List<String> header = row.stream().map(String::strip).toList();
                            for (int i = 0; i < at.length; i++) {
                                at[i] = header.indexOf(names.get(i).strip());
                                if (at[i] < 0) {
                                    throw new CsvFormatException(file.name(), -1, -1, file.name() + ": no column \"" + names.get(i)
                                            + "\" in the header; the header has " + header);
                                }
                            }
                            headerRead[0] = true;
                            return true;
                        }
                        String[] cells = new String[at.length];
                        for (int i = 0; i < at.length; i++) cells[i] = at[i] < row.size() ? row.get(at[i]) : null;
                        out.add(cells);
                        return out.size() < maxRecords;
                    });
                } catch (JsonProcessingException e) {
                    throw malformed(file.name(), e, p);
                }
                return out;
            }
        });
    }

    /** What is done with each record {@link #forEachRecord} assembles; false stops the parse. */
    private interface RecordSink {
        /**
         * @param row the record's fields, unquoted, not stripped (an unquoted empty one as ""); the list is
         *     refilled for the next record
         * @param quotedEmpty whether the first field is a quoted empty value (see {@link #isBlankLine})
         * @param line the 1-based line of the first field, or -1 for a record without one
         */
        boolean accept(List<String> row, boolean quotedEmpty, long line) throws IOException;
    }

    /**
     * Hands {@code sink} each record of {@code p} (WRAP_AS_ARRAY: one array of record arrays), filled into
     * {@code row}, until it returns false or the text ends: the one assembly of records from Jackson's
     * tokens for {@link #read(Reader, String)}, {@link #headerNames} and {@link #columnText}, so that they
     * split records, tell blank lines and count lines alike.
     */
    private static void forEachRecord(CsvParser p, List<String> row, RecordSink sink) throws IOException {
        boolean quotedEmpty = false;
        long line = -1;
        int depth = 0;
        for (JsonToken t; (t = p.nextToken()) != null; ) {
            if (t == JsonToken.START_ARRAY) {
                if (++depth == 2) {
                    row.clear();
                    line = -1;
                }
            } else if (t == JsonToken.END_ARRAY) {
                if (depth-- == 2 && !sink.accept(row, quotedEmpty, line)) {
                    return;
                }
            } else if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NULL) {
                if (row.isEmpty()) {
                    line = p.currentTokenLocation().getLineNr();
                    quotedEmpty = t == JsonToken.VALUE_STRING && p.getText().isEmpty();
                }
                row.add(t == JsonToken.VALUE_NULL ? "" : p.getText()); // an unquoted empty value (see parser)
            }
        }
    }

    /**
     * Whether a record is a blank line: no field, or one field that is unquoted and empty or only
     * whitespace. A quoted empty value ({@code ""}, {@code quotedEmpty}) is a value: skipped as blank,
     * a row shifted every later sample (and ./bpnn predict's output) against its line. A quoted
     * whitespace value ({@code "  "}) cannot be told from an unquoted one, and counts as blank.
     */
    private static boolean isBlankLine(List<String> row, boolean quotedEmpty) {
        return row.isEmpty() || row.size() == 1 && row.get(0).isBlank() && !quotedEmpty;
    }

    /** A parser of this reader's schema over {@code reader}, a leading byte-order mark skipped. */
    private CsvParser parser(Reader reader) throws IOException {
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(delimiter).withQuoteChar(quoteChar);
        // A byte-order mark goes before the parser sees it: behind it, a quoted first field ("\uFEFF\"a\",b")
        // is not seen as quoted, and keeps its quotes
        java.io.PushbackReader in = new java.io.PushbackReader(reader, 1);
        int c0 = in.read();
        if (c0 >= 0 && c0 != '\uFEFF') {
            in.unread(c0);
        }
        CsvParser p = MAPPER.getFactory().createParser(in);
        p.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        // an unquoted empty value comes as VALUE_NULL, a quoted one ("") as an empty VALUE_STRING: the one
        // way to tell a blank line from a row holding only ""
        p.enable(CsvParser.Feature.EMPTY_UNQUOTED_STRING_AS_NULL);
        p.setSchema(schema);
        return p;
    }

    /**
     * Reads CSV text from {@code reader} (not closed), naming it {@code source} in errors (null:
     * {@code "<reader>"}). The characters are read as they come: no gzip or encoding detection.
     *
     * @throws CsvFormatException for a problem with the content (see the class comment, Errors)
     * @throws IOException        when the reader fails
     */
    public CsvData read(Reader reader, String source) throws IOException {
        return read(reader, source, -1);
    }

    /**
     * {@link #read(Reader, String)}, the arrays made for at most {@code records} records (header and blank lines
     * among them) when that is &gt;= 0; -1: not known. A wrong bound changes how much memory the read takes,
     * never what it reads (see FloatChunks). Package-private so that tests can give a wrong one.
     */
    CsvData read(Reader reader, String source, long records) throws IOException {
        if (reader == null) {
            throw new IllegalArgumentException("reader is null; pass the CSV text to read, e.g. new StringReader(text),"
                    + " or read(Path) for a file");
        }
        if (source == null) {
            source = "<reader>"; // "null line 3: ..." read like a bug in the reader
        }
        try (CsvParser p = parser(reader)) {
            try {
                return new Run(source, records).read(p);
            } catch (JsonProcessingException e) {
                throw malformed(source, e, p);
            }
        }
    }

    /** The state of one read. */
    private final class Run {
        private final String source;
        private final List<String> row = new ArrayList<>();
        /** Whether the current row's first field is a quoted empty value (see isBlankLine). */
        private boolean quotedEmpty;
        private long rowLine;
        private int width = -1;
        private long widthLine;
        private String[] names;
        private int[] feat;
        private int[] lab;
        /** At most how many records the text holds, or -1: unknown (see read(Reader, String, long)). */
        private final long records;
        /**
         * The features, row by row, and the numeric targets (categorical labels are ids): made by {@link #allocate}
         * once the columns are known, to the row count when it is known, else in chunks.
         */
        private FloatChunks x;
        private FloatChunks y;
        private int[] ids;
        /** The weight column's index, or -1: none read. */
        private int wcol = -1;
        private FloatChunks w;
        private int n;
        private final Map<String, Integer> classIds = new HashMap<>();
        private final List<String> seen = new ArrayList<>();
        /** With missingValues(...): each column's count of missing values, and the line of its first; else null. */
        private int[] missing;
        private long[] missingLine;
        /** With missingValues(...): the rows holding a missing value (left out of the samples, then refused). */
        private long missingRows;
        /** With missingValues(...): the tokens met in the file, so the refusal names those, not every one given. */
        private final Set<String> missingFound = new java.util.HashSet<>();

        Run(String source, long records) {
            this.source = source;
            this.records = records;
        }

        /**
         * Makes the holders of the values once the columns are known (the first record): when the records are
         * counted, each to the most rows the rest of the text can hold (the records less the header), so that a
         * file without blank lines fills them exactly and finish() hands them out without a copy; else chunks,
         * and class ids doubled from 256. A count over the array limit is left to addSample's refusal, which
         * names the line.
         */
        private void allocate() {
            long rows = records < 0 ? -1 : Math.max(0, records - (header ? 1 : 0));
            int most = Math.max(feat.length, lab.length);
            if (rows >= 0 && rows * most <= IdxReader.MAX_ELEMENTS) {
                int r = (int) rows;
                x = new FloatChunks(r * feat.length);
                y = new FloatChunks(labelKind == LabelKind.NUMERIC ? r * lab.length : 0);
                w = wcol < 0 ? null : new FloatChunks(r);
                ids = new int[labelKind == LabelKind.CATEGORICAL ? Math.max(1, r) : 1]; // class ids: categorical labels only
            } else {
                x = new FloatChunks();
                y = new FloatChunks();
                w = wcol < 0 ? null : new FloatChunks();
                ids = new int[256];
            }
        }

        CsvData read(CsvParser p) throws IOException {
            forEachRecord(p, row, (r, quoted, line) -> {
                quotedEmpty = quoted;
                rowLine = line;
                endRow();
                return true;
            });
            return finish();
        }

        private void endRow() throws CsvFormatException {
            if (isBlankLine(row, quotedEmpty)) {
                if (skipBlankLines) {
                    return;
                }
                if (width != 1) {
                    throw new CsvFormatException(source, rowLine, -1, source + " line " + rowLine + ": expected "
                            + (width < 0 ? (header ? "the header" : "the first row") : width + " fields")
                            + ", found a blank line; remove it or set skipBlankLines(true)");
                }
            }
            if (width < 0) {
                if (header && !headerChosen && row.stream().allMatch(c -> isNumberOrMissing(c.strip()))
                        && row.stream().anyMatch(c -> isNumber(c.strip(), decimalSeparator))) {
                    // read as names, a file without a header would silently lose its first sample
                    throw new CsvFormatException(source, rowLine, -1, source + " line " + rowLine + " holds only numbers ("
                            + String.join(",", row.subList(0, Math.min(row.size(), 4))) + (row.size() > 4 ? ",..." : "")
                            + "), so it looks like a sample, not column names; the reader expects a header by default: "
                            + "set header(false) for a file without one, or header(true) if these are its column names");
                }
                char other = noLabels || row.size() != 1 ? 0 : otherSeparator(row.get(0), delimiter);
                if (other != 0) {
                    // a labelled read needs two columns, so one field can never be read: "a;b;y" with ',' would be refused
                    // as "no feature columns left", or told to fix labelColumns(...)'s name or index, not the delimiter
                    String field = row.get(0).strip();
                    throw separatedBy(source, rowLine, -1, source + " line " + rowLine + ": expected at least 2 fields (features"
                            + " and a label), found 1, \"" + (field.length() > 60 ? field.substring(0, 57) + "..." : field) + "\"",
                            other, delimiter, null);
                }
                width = row.size();
                widthLine = rowLine;
                resolveColumns();
                if (header && !headerChosen && numberColumnsHoldOnlyNumbers()) {
                    // text only in a column left out or in a class label ("1.5,red,3.2"): the same silent loss
                    List<String> cells = new ArrayList<>();
                    for (int c = 0; c < width && cells.size() < 5; c++) {
                        if (readAsNumber(c)) {
                            cells.add(row.get(c));
                        }
                    }
                    throw new CsvFormatException(source, rowLine, -1, source + " line " + rowLine + " holds only numbers ("
                            + String.join(",", cells.subList(0, Math.min(cells.size(), 4))) + (cells.size() > 4 ? ",..." : "")
                            + ") in the columns read as numbers, so it looks like a sample, not column names; the reader expects "
                            + "a header by default: set header(false) for a file without one, or header(true) if these are its "
                            + "column names");
                }
                if (header) {
                    return;
                }
            }
            if (row.size() != width) {
                // a header of one field that holds another usual separator ("a;b"): the file's values are separated
                // by it (with decimal commas, "1,5;2,5" read with ',' is 3 fields, found before any value is parsed)
                char other = header && width == 1 ? otherSeparator(names[0], delimiter) : 0;
                if (quotedEmpty && row.size() == 1) {
                    throw new CsvFormatException(source, rowLine, 0, source + " line " + rowLine + ", column " + describe(0)
                            + ": expected " + Counts.of(width, "field") + " like " + (header ? "the header" : "the first row") + " (line " + widthLine
                            + "), found only an empty quoted value (\"\"); fill in the row's values or remove the line");
                }
                String problem = source + " line " + rowLine + ": expected " + Counts.of(width, "field") + " like "
                        + (header ? "the header" : "the first row") + " (line " + widthLine + "), found " + row.size();
                if (other != 0) {
                    throw separatedBy(source, rowLine, -1, problem, other, delimiter, null);
                }
                if (decimalSeparator == delimiter && row.size() > width) {
                    // decimalSeparator(',') with delimiter(','): the one sign of an unquoted decimal value
                    throw new CsvFormatException(source, rowLine, -1, problem + "; the delimiter '" + printable(delimiter)
                            + "' is also the decimal separator, so a decimal value must be quoted (\"1" + delimiter + "5\"),"
                            + " or it is read as two values: quote the decimal values, or write the file with another delimiter"
                            + " (';' for decimal commas)");
                }
                throw new CsvFormatException(source, rowLine, -1, problem + "; check for a missing or extra delimiter '"
                        + printable(delimiter) + "', and quote values that contain it");
            }
            addSample();
        }

        private void resolveColumns() throws CsvFormatException {
            names = new String[width];
            for (int i = 0; i < width; i++) {
                names[i] = header ? row.get(i).strip() : "col" + i;
            }
            lab = noLabels ? new int[0] : labelNames != null ? lookup(labelNames, "label")
                    : labelIndices != null ? check(labelIndices, "label") : new int[] {width - 1};
            if (weightName != null || weightIndex >= 0) {
                wcol = weightName != null ? lookup(List.of(weightName), "weight")[0] : check(new int[] {weightIndex}, "weight")[0];
                if (contains(lab, wcol)) {
                    throw new CsvFormatException(source, widthLine, wcol, source + ": column " + describe(wcol) + " is chosen both"
                            + " as the sample weight and as a label" + (labelNames == null && labelIndices == null
                            ? " (the label is the last column by default)" : "") + "; choose the weight's own column in"
                            + " weightColumn(...), or the labels with labelColumns(...)");
                }
            }
            if (featureNames != null || featureIndices != null) {
                feat = featureNames != null ? lookup(featureNames, "feature") : check(featureIndices, "feature");
                for (int f : feat) {
                    for (int l : lab) {
                        if (f == l) {
                            throw new CsvFormatException(source, widthLine, f, source + ": column " + describe(f)
                                    + " is chosen both as a feature and as a label; remove it from featureColumns(...) or labelColumns(...)");
                        }
                    }
                    if (f == wcol) {
                        throw new CsvFormatException(source, widthLine, f, source + ": column " + describe(f) + " is chosen both"
                                + " as a feature and as the sample weight; remove it from featureColumns(...) or choose another"
                                + " weightColumn(...)");
                    }
                }
            } else {
                Set<Integer> labels = new LinkedHashSet<>();
                for (int l : lab) {
                    labels.add(l);
                }
                if (wcol >= 0) {
                    labels.add(wcol); // neither a feature nor a label: left out of the default features
                }
                feat = new int[width - labels.size()];
                int k = 0;
                for (int i = 0; i < width; i++) {
                    if (!labels.contains(i)) {
                        feat[k++] = i;
                    }
                }
            }
            if (feat.length == 0) {
                throw new CsvFormatException(source, widthLine, -1, source + ": no feature columns left: the file has " + width
                        + " column(s) " + Arrays.toString(names) + " and " + Arrays.toString(labelNamesOf(lab))
                        + " are labels" + (wcol >= 0 ? ", " + names[wcol] + " the sample weight" : "")
                        + "; a dataset needs at least one feature column");
            }
            if (header) {
                checkQuotedNames();
                checkFeatureNames();
            }
            allocate();
        }

        /**
         * Refuses a feature or label column whose header name kept its quotes ({@code a, "b"}: the space
         * before the quote keeps them, as in a value): taken as is, {@code "b"} with its quotes would become a
         * feature name that a model saved from the data keeps, and that a CSV with a plain b header (or
         * featureColumns("b")) does not match. Columns left out are not checked.
         */
        private void checkQuotedNames() throws CsvFormatException {
            for (int c = 0; c < width; c++) {
                if ((contains(feat, c) || contains(lab, c)) && keptQuotes(names[c])) {
                    throw new CsvFormatException(source, widthLine, c, source + " line " + widthLine + ", column index " + c
                            + ": the header name " + names[c] + quotesKept());
                }
            }
        }

        /**
         * Refuses feature columns whose header names are empty or given twice: {@link CsvData#featureNames()}
         * hands them out, and SavedModel.withFeatureNames (predict takes a model's inputs by name) would refuse
         * them only when the model is saved, after a whole training run. Columns left out are not checked
         * (a pandas index column has an empty name), nor are the labels' names, which a model does not keep.
         */
        private void checkFeatureNames() throws CsvFormatException {
            Map<String, List<Integer>> at = new java.util.LinkedHashMap<>();
            for (int f : feat) {
                at.computeIfAbsent(names[f], k -> new ArrayList<>()).add(f);
            }
            List<String> problems = new ArrayList<>();
            int first = -1;
            for (Map.Entry<String, List<Integer>> e : at.entrySet()) {
                if (e.getKey().isEmpty() || e.getValue().size() > 1) {
                    problems.add((e.getKey().isEmpty() ? "an empty name" : "\"" + e.getKey() + "\"") + " at "
                            + (e.getValue().size() == 1 ? "index " : "indices ") + e.getValue().stream().map(String::valueOf)
                                    .collect(java.util.stream.Collectors.joining(", ")));
                    first = first < 0 ? e.getValue().get(0) : Math.min(first, e.getValue().get(0));
                }
            }
            if (!problems.isEmpty()) {
                // the remedy's kind apart (RENAME_COLUMNS): predict, which has no featureColumns(...), words its own
                throw new CsvFormatException(source, widthLine, first, source + " line " + widthLine + ": expected a distinct,"
                        + " non-empty name for each feature column, but the header has " + String.join(" and ", problems),
                        CsvFormatException.Remedy.RENAME_COLUMNS, (char) 0, "; rename the columns in the header, or leave them"
                        + " out with featureColumns(...); a model saved from the data takes its inputs by these names, and"
                        + " refuses empty or repeated ones", null);
            }
        }

        /** Whether column c is parsed as a number: a feature, a label of numeric targets, or the sample weight. */
        private boolean readAsNumber(int c) {
            return contains(feat, c) || labelKind == LabelKind.NUMERIC && contains(lab, c) || c == wcol;
        }

        /** Whether every cell of the current row in a column parsed as a number is a number. */
        private boolean numberColumnsHoldOnlyNumbers() {
            for (int c = 0; c < width; c++) {
                if (readAsNumber(c) && !isNumberOrMissing(row.get(c).strip())) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Whether a (stripped) cell is a number as this reader parses it, or a missing value's token (with
         * missingValues(...)): a first line "1,NA,3" is a sample, not names, once "NA" is a missing value.
         */
        private boolean isNumberOrMissing(String cell) {
            return isNumber(cell, decimalSeparator) || missingTokens != null && !cell.isEmpty() && missingTokens.contains(cell);
        }

        private int[] lookup(List<String> wanted, String role) throws CsvFormatException {
            int[] out = new int[wanted.size()];
            for (int w = 0; w < out.length; w++) {
                String name = wanted.get(w);
                int found = -1;
                for (int i = 0; i < width; i++) {
                    if (names[i].equals(name)) {
                        if (found >= 0) {
                            throw new CsvFormatException(source, widthLine, i, source + " line " + widthLine + ": " + role + " column \"" + name
                                    + "\" is ambiguous, the header has it at indices " + found + " and " + i
                                    + "; choose the column by index instead");
                        }
                        found = i;
                    }
                }
                if (found < 0) {
                    int quoted = Arrays.asList(names).indexOf(quoteChar + name + quoteChar);
                    if (quoted >= 0) {
                        throw new CsvFormatException(source, widthLine, quoted, source + " line " + widthLine + ", column index "
                                + quoted + ": " + role + " column \"" + name + "\" not found: the header name " + names[quoted]
                                + quotesKept());
                    }
                    throw new CsvFormatException(source, widthLine, -1, source + " line " + widthLine + ": " + role + " column \"" + name
                            + "\" not found; the header has " + Arrays.toString(names) + "; fix the name in "
                            + option(role) + "(...) (names are case-sensitive)");
                }
                out[w] = found;
            }
            return out;
        }

        private int[] check(int[] indices, String role) throws CsvFormatException {
            for (int i : indices) {
                if (i >= width) {
                    throw new CsvFormatException(source, widthLine, i, source + ": " + role + " column index " + i + " is out of range; line "
                            + widthLine + " has " + Counts.of(width, "column") + ", indices 0.." + (width - 1) + "; fix " + option(role) + "(...)");
                }
            }
            return indices.clone();
        }

        /** The builder option that chooses columns of this role. */
        private static String option(String role) {
            return role.equals("weight") ? "weightColumn" : role + "Columns";
        }

        private String[] labelNamesOf(int[] idx) {
            String[] out = new String[idx.length];
            for (int i = 0; i < idx.length; i++) {
                out[i] = names[idx[i]];
            }
            return out;
        }

        private String describe(int col) {
            return names[col] + " (index " + col + ")";
        }

        private void addSample() throws CsvFormatException {
            if (missingTokens != null && countMissing()) {
                return; // refused in finish(), with the counts of the whole file
            }
            int f = feat.length;
            int t = labelKind == LabelKind.NUMERIC ? lab.length : 0;
            if ((long) (n + 1) * Math.max(f, t) > IdxReader.MAX_ELEMENTS) {
                throw new CsvFormatException(source, rowLine, -1, source + " line " + rowLine + ": more than " + IdxReader.MAX_ELEMENTS
                        + " values in one tensor, the most a Java array can hold; split the file or choose fewer columns");
            }
            // a refusal below ends the read, so a row's values added before it are never read back
            for (int j = 0; j < f; j++) {
                x.add(parseNumber(feat[j]));
            }
            if (noLabels) {
                n++;
                return;
            }
            if (wcol >= 0) {
                w.add(parseWeight(wcol));
            }
            if (labelKind == LabelKind.NUMERIC) {
                for (int j = 0; j < t; j++) {
                    y.add(parseNumber(lab[j]));
                }
            } else {
                if (n == ids.length) {
                    ids = Arrays.copyOf(ids, (int) Math.min(IdxReader.MAX_ELEMENTS, 2L * ids.length)); // ids.length >= 1
                }
                ids[n] = classId(lab[0]);
            }
            n++;
        }

        /** Counts the current row's missing values in the columns read; whether it has one. */
        private boolean countMissing() {
            if (missing == null) {
                missing = new int[width];
                missingLine = new long[width];
            }
            boolean found = false;
            for (int c : feat) {
                found |= missingAt(c);
            }
            for (int c : lab) {
                found |= missingAt(c);
            }
            if (wcol >= 0) {
                found |= missingAt(wcol);
            }
            if (found) {
                missingRows++;
            }
            return found;
        }

        private boolean missingAt(int col) {
            if (!missingTokens.contains(row.get(col).strip())) {
                return false;
            }
            if (missing[col]++ == 0) {
                missingLine[col] = rowLine;
            }
            missingFound.add(row.get(col).strip());
            return true;
        }

        /**
         * The refusal of a file with missing values (missingValues(...)): how many, in how many rows, per column
         * with its first line, so the user knows what there is to impute or drop; the line is the first one.
         */
        private CsvFormatException missingValuesFound() {
            long total = 0, first = Long.MAX_VALUE;
            int columns = 0, lastCol = -1;
            StringBuilder per = new StringBuilder();
            List<CsvFormatException.MissingColumn> counted = new ArrayList<>();
            for (int c = 0; c < width; c++) {
                if (missing[c] > 0) {
                    total += missing[c];
                    first = Math.min(first, missingLine[c]);
                    columns++;
                    lastCol = c;
                    counted.add(new CsvFormatException.MissingColumn(c, names[c], missing[c], missingLine[c]));
                    per.append(per.length() == 0 ? "" : "; ").append("column ").append(describe(c)).append(": ")
                            .append(missing[c]).append(", first at line ").append(missingLine[c]);
                }
            }
            List<String> tokens = new ArrayList<>();
            for (String t : missingTokens) {
                if (missingFound.contains(t)) { // the ones in the file: all seven named for one "NA" would send users looking for the rest
                    tokens.add(t.isEmpty() ? "empty" : "\"" + t + "\"");
                }
            }
            List<String> labels = new ArrayList<>();
            boolean others = false;
            for (int c = 0; c < width; c++) {
                if (missing[c] > 0 && contains(lab, c)) {
                    labels.add(names[c]);
                } else if (missing[c] > 0) {
                    others = true;
                }
            }
            // a label is what the model learns: a mean (of class names, or of the targets) would teach it made-up answers
            String labelRemedy = labels.isEmpty() ? "" : "drop the rows whose label (" + String.join(", ", labels)
                    + ") is missing: a label cannot be imputed by a mean, it is what the model learns";
            String remedy = !others ? labelRemedy : (labels.isEmpty() ? "" : labelRemedy + "; for the other columns, ")
                    + "impute them (fill in a value, such as the column's mean in the training data) or drop those rows or columns";
            // the counts apart from the advice, which is for training data: a caller reading data to predict from or to
            // score (no label to drop rows by, no means to impute from) words its own from the columns
            return new CsvFormatException(source, first, columns == 1 ? lastCol : -1, source + ": " + Counts.of(total, "missing value")
                    + " (" + String.join(", ", tokens) + ") in " + missingRows + " of " + (missingRows + n) + " rows: " + per,
                    counted, "; the reader neither imputes nor drops them: " + remedy + ", and read the file again");
        }

        private int classId(int col) throws CsvFormatException {
            String name = row.get(col).strip();
            if (name.isEmpty()) {
                throw new CsvFormatException(source, rowLine, col, source + " line " + rowLine + ", column " + describe(col)
                        + ": expected a class label, found an empty value; fill it in or remove the row");
            }
            if (keptQuotes(name)) {
                // taken as is, " \"cat\"" would become a class of its own beside the rows' plain cat
                throw new CsvFormatException(source, rowLine, col, source + " line " + rowLine + ", column " + describe(col)
                        + ": class " + name + quotesKept());
            }
            Integer id = classIds.get(name);
            if (id != null) {
                return id;
            }
            if (classes != null) {
                int k = classes.indexOf(name);
                if (k < 0) {
                    throw new CsvFormatException(source, rowLine, col, source + " line " + rowLine + ", column " + describe(col)
                            + ": class \"" + name + "\" is not one of the classes given to classes(...), " + classes
                            + "; add it there or fix the value");
                }
                classIds.put(name, k);
                return k;
            }
            classIds.put(name, seen.size());
            seen.add(name);
            return seen.size() - 1;
        }

        /**
         * A sample weight, as Dataset.withSampleWeights takes it: a finite number &gt;= 0. NaN and the infinities
         * are refused whatever allowNonFinite (which is about features and targets), and so is a negative weight.
         */
        private float parseWeight(int col) throws CsvFormatException {
            String s = row.get(col).strip();
            if (s.isEmpty() || nonFiniteWord(s.toLowerCase(Locale.ROOT))) {
                throw new CsvFormatException(source, rowLine, col, source + " line " + rowLine + ", column " + describe(col)
                        + ": expected a sample weight (a finite number >= 0), found " + (s.isEmpty() ? "an empty value"
                        : "\"" + s + "\"") + "; fill in the row's weight, or remove the row");
            }
            float v = parseNumber(col); // its refusals: not a number (with its layout hints), beyond the float range
            if (v < 0f) {
                // worded for any use of the weights, as the all-zero refusal is: ./bpnn evaluate reads them too
                throw new CsvFormatException(source, rowLine, col, source + " line " + rowLine + ", column " + describe(col)
                        + ": expected a sample weight (a finite number >= 0), found \"" + s + "\"; sample weights cannot be"
                        + " negative: fix the value (0 makes the row count for nothing, 1 is unweighted), or remove the row");
            }
            return v;
        }

        private float parseNumber(int col) throws CsvFormatException {
            String s = row.get(col).strip();
            if (s.isEmpty()) {
                // FIX_VALUE: "remove the column" is featureColumns(...), which predict does not have (every column is an input)
                throw new CsvFormatException(source, rowLine, col, source + " line " + rowLine + ", column " + describe(col)
                        + ": expected a number, found an empty value", CsvFormatException.Remedy.FIX_VALUE, (char) 0,
                        "; fill it in, or remove the row or the column", null);
            }
            String lower = s.toLowerCase(Locale.ROOT);
            boolean nan = NAN_WORDS.contains(lower);
            boolean posInf = POS_INF_WORDS.contains(lower);
            boolean negInf = NEG_INF_WORDS.contains(lower);
            if (nan || posInf || negInf) {
                if (!allowNonFinite) {
                    throw new CsvFormatException(source, rowLine, col, source + " line " + rowLine + ", column " + describe(col)
                            + ": expected a finite number, found \"" + s + "\"", CsvFormatException.Remedy.FIX_VALUE, (char) 0,
                            "; clean or impute the value, or set allowNonFinite(true)", null);
                }
                return nan ? Float.NaN : posInf ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
            }
            // '.': the cell as it is (no copy); ',': a copy with '.' for the one ',', which Float.parseFloat reads
            String number = decimalSeparator == '.' ? s : pointDecimal(s, col);
            float v;
            try {
                if (!decimalChars(number)) {
                    throw new NumberFormatException(s);
                }
                v = Float.parseFloat(number);
            } catch (NumberFormatException e) {
                String problem = notANumber(s, col);
                if (keptQuotes(s)) {
                    throw new CsvFormatException(source, rowLine, col, problem + ": the value" + quotesKept(), e);
                }
                if (decimalSeparator == '.' && isDecimalComma(s)) {
                    // the file writes decimal commas, which decimalSeparator(',') reads (predict words its own flag)
                    throw new CsvFormatException(source, rowLine, col, problem + ": a decimal comma? numbers are read with '.'"
                            + " as the decimal point", CsvFormatException.Remedy.DECIMAL_SEPARATOR, ',', "; read the file with"
                            + " decimalSeparator(',')" + (delimiter == ',' ? " (a decimal comma must then be quoted, or the"
                            + " delimiter another one, such as ';')" : "") + ", or write \"" + s.replace(',', '.') + "\"", e);
                }
                if (decimalSeparator == '.' && isThousandsOrDecimal(s, ',')) {
                    throw thousandsOrDecimal(source, rowLine, col, problem, s, ',', e);
                }
                String layout = decimalSeparator == '.' ? numberFormatHint(s) : "";
                if (!layout.isEmpty()) {
                    throw new CsvFormatException(source, rowLine, col, problem + layout, e);
                }
                // the parts read with this reader's decimal separator ("2,5|3,5" under ',' is '|'-separated; read with
                // '.' it would get no hint), which is never the answer ("1,5,6" under ',' is no ',' delimiter)
                char other = separatorOf(s, delimiter, decimalSeparator);
                if (other != 0) {
                    throw separatedBy(source, rowLine, col, problem, other, delimiter, e);
                }
                if (col == wcol) {
                    // not FIX_VALUE: allowNonFinite and featureColumns(...) do nothing for a weight
                    throw new CsvFormatException(source, rowLine, col, problem + "; fix the sample weight (a finite number >= 0),"
                            + " or remove the row", e);
                }
                throw new CsvFormatException(source, rowLine, col, problem, CsvFormatException.Remedy.FIX_VALUE, (char) 0,
                        "; fix the value" + (labelKind == LabelKind.NUMERIC && contains(lab, col)
                                ? ", or read class labels with categorical()" : ", or leave the column out with featureColumns(...)"), e);
            }
            if (Float.isInfinite(v)) {
                throw new CsvFormatException(source, rowLine, col, source + " line " + rowLine + ", column " + describe(col)
                        + ": \"" + s + "\" is outside the float range (about +-3.4e38); rescale the column");
            }
            return v;
        }

        /**
         * A (stripped) cell written with ',' as its decimal separator, with '.' in its place for Float.parseFloat
         * (the cell itself when it has no ','). A '.' is refused: "1.234" is 1234 with its thousands grouped, or
         * a decimal point in a file that mixes both; either guess could be a thousand times wrong. A cell that
         * is still no number after this (two commas, a letter) gets parseNumber's refusal, naming the cell.
         */
        private String pointDecimal(String s, int col) throws CsvFormatException {
            if (s.indexOf('.') >= 0 && !keptQuotes(s)) {
                String problem = notANumber(s, col);
                if (isThousandsOrDecimal(s, '.')) {
                    throw thousandsOrDecimal(source, rowLine, col, problem, s, '.', null);
                }
                String plain = s.replace(".", "");
                boolean grouped = GROUPED_BY_POINT.matcher(s).matches();
                throw new CsvFormatException(source, rowLine, col, problem + ": "
                        + (grouped ? "a thousands separator or a decimal point? numbers are read with neither; write \"" + plain
                                + "\" if the '.' groups thousands"
                                : "a decimal point? numbers are read with ','; write \"" + s.replace('.', ',') + "\""),
                        grouped ? CsvFormatException.Remedy.OTHER : CsvFormatException.Remedy.DECIMAL_SEPARATOR,
                        grouped ? (char) 0 : '.', grouped ? "" : ", or read the file with decimalSeparator('.')", null);
            }
            return s.indexOf(',') < 0 ? s : s.replace(',', '.');
        }

        /**
         * Where cell s of column col is, and that it is no number as this reader reads them (naming a ','
         * decimal separator): the start of parseNumber's and pointDecimal's refusals of a cell, one wording.
         */
        private String notANumber(String s, int col) {
            return source + " line " + rowLine + ", column " + describe(col) + ": expected a number"
                    + (decimalSeparator == '.' ? "" : " with ',' as the decimal separator") + ", found \"" + s + "\"";
        }

        /**
         * Whether a (stripped) value still starts and ends with the quote character: Jackson opens a
         * quoted value only right after the delimiter, so in {@code 1, "cat"} the space keeps the quotes.
         */
        private boolean keptQuotes(String s) {
            return KeptQuotes.kept(s, quoteChar);
        }

        private String quotesKept() {
            return KeptQuotes.refusal(delimiter);
        }

        private CsvData finish() throws CsvFormatException {
            if (missingRows > 0) {
                throw missingValuesFound();
            }
            if (n == 0) {
                String what = width < 0 ? " is empty" : " has a header but no data rows";
                throw new CsvFormatException(source, -1, -1, source + what + "; expected " + (header ? "a header line and " : "")
                        + "at least one data row");
            }
            Tensor features = Tensor.wrap(n, feat.length, x.toArray(n * feat.length));
            List<String> featNames = List.of(labelNamesOf(feat));
            List<String> targetNames = List.of(labelNamesOf(lab));
            if (noLabels) {
                return new CsvData(features, null, null, featNames, targetNames, List.of());
            }
            float[] weights = wcol < 0 ? null : w.toArray(n);
            if (weights != null && allZero(weights)) {
                // Dataset.withSampleWeights refuses these too, but without the file and column. Worded for any use of
                // the weights, not training alone (./bpnn evaluate weighs its loss with them): no training step would
                // move the weights, and a weighted loss would be 0
                throw new CsvFormatException(source, -1, wcol, source + ": every sample weight in column " + describe(wcol)
                        + " is 0 (" + Counts.of(n, "row") + "), so every row would count for nothing; give the rows that"
                        + " should count a weight above 0 (1 is unweighted)");
            }
            if (labelKind == LabelKind.NUMERIC) {
                Tensor targets = Tensor.wrap(n, lab.length, y.toArray(n * lab.length));
                return new CsvData(features, targets, null, featNames, targetNames, List.of(), weights);
            }
            List<String> classNames;
            int[] labels = ids.length == n ? ids : Arrays.copyOf(ids, n); // made to the count: the array itself
            if (classes != null) {
                classNames = classes;
            } else {
                List<String> sorted = new ArrayList<>(seen);
                // numerically, ties ("2", "+2", "02") by text, so the order never depends on the row order
                sorted.sort(allIntegers(sorted) ? ((Comparator<String>) CsvReader::compareIntegers).thenComparing(Comparator.naturalOrder())
                        : Comparator.naturalOrder());
                int[] remap = new int[seen.size()];
                for (int i = 0; i < sorted.size(); i++) {
                    remap[classIds.get(sorted.get(i))] = i;
                }
                for (int i = 0; i < n; i++) {
                    labels[i] = remap[labels[i]];
                }
                classNames = sorted;
            }
            Tensor targets;
            if (oneHot && (long) n * classNames.size() > IdxReader.MAX_ELEMENTS) {
                // many classes (an id column read as the label): Tensor's own refusal names neither the file nor oneHot
                throw new CsvFormatException(source, -1, lab[0], source + ": one-hot targets for " + n + " rows and "
                        + classNames.size() + " classes (column " + describe(lab[0]) + ") would be " + (long) n * classNames.size()
                        + " values, more than the " + IdxReader.MAX_ELEMENTS + " a Java array can hold; read the class indices"
                        + " with oneHot(false), or check that the label column holds classes");
            }
            if (oneHot) {
                targets = Tensor.zeros(n, classNames.size());
                float[] d = targets.data();
                for (int i = 0; i < n; i++) {
                    d[i * classNames.size() + labels[i]] = 1f;
                }
            } else {
                float[] d = new float[n];
                for (int i = 0; i < n; i++) {
                    d[i] = labels[i];
                }
                targets = Tensor.wrap(n, 1, d);
            }
            return new CsvData(features, targets, labels, featNames, targetNames, classNames, weights);
        }
    }

    private static boolean allZero(float[] a) {
        for (float v : a) {
            if (v != 0f) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether every name is an integer (an optional sign, then digits), of any length: with
     * Long.parseLong, one name past a long (a 20-digit code) made the whole set sort as text.
     */
    private static boolean allIntegers(List<String> names) {
        for (String s : names) {
            int start = s.startsWith("+") || s.startsWith("-") ? 1 : 0;
            if (s.length() == start) {
                return false;
            }
            for (int i = start; i < s.length(); i++) {
                if (Character.digit(s.charAt(i), 10) < 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Compares two integer names by value, digit by digit (BigInteger's parse is quadratic in the
     * length, and a label may be megabytes long): sign, then magnitude length, then digits.
     */
    private static int compareIntegers(String a, String b) {
        String ma = magnitude(a), mb = magnitude(b);
        boolean negA = a.startsWith("-") && !ma.isEmpty(), negB = b.startsWith("-") && !mb.isEmpty(); // -0 is 0
        if (negA != negB) {
            return negA ? -1 : 1;
        }
        int c = ma.length() != mb.length() ? Integer.compare(ma.length(), mb.length()) : ma.compareTo(mb);
        return negA ? -c : c;
    }

    /** An integer name's digits as ASCII, without its sign and leading zeros ("" for zero). */
    private static String magnitude(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = s.startsWith("+") || s.startsWith("-") ? 1 : 0; i < s.length(); i++) {
            int d = Character.digit(s.charAt(i), 10);
            if (sb.length() > 0 || d != 0) {
                sb.append((char) ('0' + d));
            }
        }
        return sb.toString();
    }

    /** The static helpers' check of a decimal separator argument ('.' or ','), in one wording. */
    private static void requireDecimalSeparator(char decimalSeparator) {
        if (decimalSeparator != '.' && decimalSeparator != ',') {
            throw new IllegalArgumentException("decimalSeparator '" + printable(decimalSeparator) + "': expected '.' or ','");
        }
    }

    /**
     * Whether a (stripped) cell is a number as the reader parses it: a decimal float (digits, sign,
     * point, exponent; out-of-range values included, which the reader then refuses by name) or one of
     * the words it recognises for NaN and the infinities (which it refuses unless allowNonFinite).
     * A null cell is not a number (false).
     */
    public static boolean isNumber(String cell) {
        return isNumber(cell, '.');
    }

    /**
     * {@link #isNumber(String)} for numbers written with {@code decimalSeparator} ('.' or ',') as a reader
     * built with {@link Builder#decimalSeparator} parses them: with ',', "1,5" is a number and "1.5" is not.
     */
    public static boolean isNumber(String cell, char decimalSeparator) {
        requireDecimalSeparator(decimalSeparator);
        if (cell == null) {
            return false;
        }
        if (decimalSeparator == ',') {
            if (cell.indexOf('.') >= 0) {
                return false;
            }
            cell = cell.replace(',', '.');
        }
        if (nonFiniteWord(cell.toLowerCase(Locale.ROOT))) {
            return true;
        }
        if (!decimalChars(cell)) {
            return false;
        }
        try {
            Float.parseFloat(cell);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * What a cell that is not a number (read with '.' as the decimal separator) says about how the file
     * writes numbers, or "": digits grouped in threes ("1,234", "1.234,5"), thousands separators (or, for
     * one ',' group, a decimal comma). A number with one decimal comma ("1,5") is {@link #isDecimalComma},
     * asked before this, as both are before {@link #separatorOf} (numbers joined by another usual separator,
     * "3;4" read with ','). All are common in exports from spreadsheets set to a European locale, and "fix
     * the value" would send the user to edit every cell.
     */
    static String numberFormatHint(String cell) {
        // digits grouped in threes: "1,234" read as a decimal comma would be told to become "1.234", a
        // thousand times too small when the comma groups thousands (a quoted "1,234" in a ',' file)
        if (GROUPED_BY_COMMA.matcher(cell).matches()) { // "1,234" alone is isThousandsOrDecimal, asked before this
            return ": a thousands separator? numbers are read without one; write \"" + cell.replace(",", "")
                    + "\" (e.g. export the file without digit grouping)";
        }
        if (GROUPED_BY_POINT.matcher(cell).matches()) {
            return ": a thousands separator? numbers are read without one, and with '.' as the decimal point; write \""
                    + cell.replace(".", "").replace(',', '.') + "\" (e.g. export the file with a locale that writes decimal"
                    + " points, without digit grouping)";
        }
        return "";
    }

    /**
     * Whether a cell is one group of 1-3 digits and one of 3 joined by {@code grouping} and nothing else ("1,288"
     * for ',', "-1.288" for '.'): a thousands separator, or the decimal separator of a file that writes the other
     * one. Either guess may be a thousand times wrong, so neither is made (see {@link #thousandsOrDecimal}).
     */
    static boolean isThousandsOrDecimal(String cell, char grouping) {
        int at = cell.indexOf(grouping);
        return at >= 0 && at == cell.lastIndexOf(grouping) && cell.indexOf(grouping == ',' ? '.' : ',') < 0
                && (grouping == ',' ? GROUPED_BY_COMMA : GROUPED_BY_POINT).matcher(cell).matches();
    }

    /**
     * The refusal of an {@link #isThousandsOrDecimal} cell: {@code problem} (where, and the cell) with both
     * readings of it, and both remedies: remove the thousands separator, or read the file with
     * decimalSeparator(grouping). {@link CsvFormatException.Remedy#THOUSANDS_OR_DECIMAL}, so that a command
     * line names its flag for the second; the problem says that neither is guessed, as every wording must.
     */
    static CsvFormatException thousandsOrDecimal(String source, long line, int col, String problem, String cell, char grouping,
            Throwable cause) {
        String plain = cell.replace(String.valueOf(grouping), "");
        String decimal = grouping == ',' ? cell.replace(',', '.') : cell.replace('.', ',');
        String kind = grouping == ',' ? "a decimal comma" : "a decimal point";
        return new CsvFormatException(source, line, col, problem + ": a thousands separator (" + plain + ") or " + kind + " ("
                + decimal + ")? numbers are read with neither, and which one it is is not guessed",
                CsvFormatException.Remedy.THOUSANDS_OR_DECIMAL, grouping, "; if the '" + grouping + "' groups thousands, remove"
                + " it (write \"" + plain + "\", e.g. export the file without digit grouping); if it is " + kind
                + ", read the file with decimalSeparator('" + grouping + "') or write \"" + decimal + "\"", cause);
    }

    /**
     * Whether a cell that is not a number is one with a decimal comma ("1,5" read with ';', or a quoted "1,5"
     * with ','): one comma inside a number is a decimal comma more likely than two values (the files that
     * write them separate values with ';'), so this is asked before {@link #separatorOf}, and after
     * {@link #numberFormatHint}, which takes "1,234" (maybe thousands).
     */
    static boolean isDecimalComma(String cell) {
        int comma = cell.indexOf(',');
        return comma > 0 && comma == cell.lastIndexOf(',') && comma < cell.length() - 1 && cell.indexOf('.') < 0
                && !GROUPED_BY_COMMA.matcher(cell).matches() && isFiniteDecimal(cell.replace(',', '.'));
    }

    /** Digits grouped in threes by ',' ("1,234,567.5"); "1,234" may also be a decimal comma. */
    private static final java.util.regex.Pattern GROUPED_BY_COMMA =
            java.util.regex.Pattern.compile("[+-]?[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]+)?");
    /** Digits grouped in threes by '.', maybe with a decimal comma ("1.234.567", "1.234,5"); "1.234" is a number. */
    private static final java.util.regex.Pattern GROUPED_BY_POINT =
            java.util.regex.Pattern.compile("[+-]?[0-9]{1,3}(\\.[0-9]{3})+(,[0-9]+)?");

    /**
     * Jackson's refusal of a character after a quoted value's closing quote, the character's code in
     * group 1 (jackson-dataformat-csv 2.x's wording; another wording gets the general malformed-CSV
     * advice, which stays true).
     */
    private static final java.util.regex.Pattern AFTER_QUOTE = java.util.regex.Pattern.compile(
            "Unexpected character \\(.* \\(code (\\d{1,5})\\)\\): Expected column separator character.*", java.util.regex.Pattern.DOTALL);

    /** The usual field separators a file may use instead of the one it is read with. */
    private static final char[] SEPARATORS = {';', '\t', '|', ','};

    /**
     * The usual separator other than {@code delimiter} that splits {@code cell} into numbers (as
     * {@link #isNumber} reads them), or 0: "3;4" read with ',' says the file separates its values
     * with ';'. The first of ';', tab, '|' and ',' that does. The parts are read with '.' as the decimal
     * point: for a file read with {@link Builder#decimalSeparator} (',') use
     * {@link #separatorOf(String, char, char)}, as the reader does, or "2,5|3,5" gets no answer.
     */
    public static char separatorOf(String cell, char delimiter) {
        return separatorOf(cell, delimiter, '.');
    }

    /**
     * {@link #separatorOf(String, char)} for a file read with {@code decimalSeparator} ('.' or ','): the parts
     * are numbers as {@link #isNumber(String, char)} reads them with it ("1,5|2,5" is split by '|' under ','),
     * and the decimal separator itself is never the answer ("1,5,6" under ',' is no ',' delimiter).
     *
     * @throws IllegalArgumentException if {@code decimalSeparator} is neither '.' nor ','
     */
    public static char separatorOf(String cell, char delimiter, char decimalSeparator) {
        // checked first: isNumber refuses it only once a cell holds a candidate separator, so "1" with ';' would answer 0
        requireDecimalSeparator(decimalSeparator);
        for (char d : SEPARATORS) {
            if (d == delimiter || d == decimalSeparator || cell.indexOf(d) < 0) {
                continue;
            }
            boolean numbers = true;
            for (String part : cell.split(java.util.regex.Pattern.quote(String.valueOf(d)), -1)) {
                numbers &= isNumber(part.strip(), decimalSeparator);
            }
            if (numbers) {
                return d;
            }
        }
        return 0;
    }

    /**
     * The refusal of a file whose values are separated by {@code d}, not {@code delimiter}: {@code problem}
     * and what that says, with the remedy {@link CsvFormatException.Remedy#DELIMITER} (d), which a caller
     * with another way to set the delimiter (predict's --delimiter) words as its own.
     */
    private static CsvFormatException separatedBy(String source, long line, int column, String problem, char d, char delimiter,
            Throwable cause) {
        return new CsvFormatException(source, line, column, problem + ": the values look separated by '" + printable(d)
                + "', not '" + printable(delimiter) + "'", CsvFormatException.Remedy.DELIMITER, d,
                "; read the file with delimiter('" + printable(d) + "')", cause);
    }

    /** The first of the usual separators other than {@code delimiter} that {@code cell} holds, or 0. */
    private static char otherSeparator(String cell, char delimiter) {
        for (char d : SEPARATORS) {
            if (d != delimiter && cell.indexOf(d) >= 0) {
                return d;
            }
        }
        return 0;
    }

    /** Whether s is a finite decimal number as the reader parses it (no NaN or infinity words). */
    private static boolean isFiniteDecimal(String s) {
        if (s.isEmpty() || !decimalChars(s)) {
            return false;
        }
        try {
            return Float.isFinite(Float.parseFloat(s));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean decimalChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static String printable(char c) {
        return c == '\t' ? "\\t" : String.valueOf(c);
    }

    private static String quoteList(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (String s : names) {
            sb.append(sb.length() == 0 ? "" : ", ").append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.toString();
    }

    private static String intList(int[] a) {
        StringBuilder sb = new StringBuilder();
        for (int v : a) {
            sb.append(sb.length() == 0 ? "" : ", ").append(v);
        }
        return sb.toString();
    }

    /** The configuration as builder calls that recreate it. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("CsvReader.builder()");
        sb.append(".header(").append(header).append(')');
        sb.append(".delimiter('").append(delimiter == '\t' ? "\\t" : delimiter == '\'' ? "\\'" : String.valueOf(delimiter)).append("')");
        sb.append(".quoteChar('").append(quoteChar == '\'' ? "\\'" : String.valueOf(quoteChar)).append("')");
        if (labelNames != null) {
            sb.append(".labelColumns(").append(quoteList(labelNames)).append(')');
        } else if (labelIndices != null) {
            sb.append(".labelColumns(").append(intList(labelIndices)).append(')');
        }
        if (featureNames != null) {
            sb.append(".featureColumns(").append(quoteList(featureNames)).append(')');
        } else if (featureIndices != null) {
            sb.append(".featureColumns(").append(intList(featureIndices)).append(')');
        }
        sb.append(noLabels ? ".noLabels()" : labelKind == LabelKind.CATEGORICAL ? ".categorical()" : ".numeric()");
        if (oneHot) {
            sb.append(".oneHot(true)");
        }
        if (classes != null) {
            sb.append(".classes(").append(quoteList(classes)).append(')');
        }
        sb.append(".skipBlankLines(").append(skipBlankLines).append(')');
        sb.append(".allowNonFinite(").append(allowNonFinite).append(')');
        if (weightName != null) {
            sb.append(".weightColumn(").append(quoteList(List.of(weightName))).append(')');
        } else if (weightIndex >= 0) {
            sb.append(".weightColumn(").append(weightIndex).append(')');
        }
        if (decimalSeparator != '.') {
            sb.append(".decimalSeparator('").append(decimalSeparator).append("')");
        }
        if (missingTokens != null) {
            List<String> tokens = missingTokens.stream().filter(t -> !t.isEmpty()).toList(); // "" is implied
            sb.append(".missingValues(").append(quoteList(tokens.isEmpty() ? List.of("") : tokens)).append(')');
        }
        return sb.append(".build()").toString();
    }

    /** Options for a {@link CsvReader}; each setter returns this builder. */
    public static final class Builder {
        private boolean header = true;
        private boolean headerChosen;
        private char delimiter = ',';
        private char quoteChar = '"';
        private int[] labelIndices;
        private List<String> labelNames;
        private int[] featureIndices;
        private List<String> featureNames;
        private LabelKind labelKind = LabelKind.NUMERIC;
        private boolean oneHot;
        private List<String> classes;
        private boolean skipBlankLines = true;
        private boolean allowNonFinite;
        private boolean noLabels;
        private int weightIndex = -1;
        private String weightName;
        private char decimalSeparator = '.';
        private Set<String> missingTokens;

        private Builder() {
        }

        /**
         * Whether the first non-blank line holds column names (default true). Left at the default, a
         * first line of numbers only is refused rather than taken for names (a file without a header
         * would lose its first sample), and so is one with numbers in every column read as a number (the
         * features and numeric labels) and text only elsewhere ("1.5,red,3.2" with column 1 left out,
         * or a class label), since taking it for names would drop a headerless file's first sample;
         * calling header(true) takes it as names.
         */
        public Builder header(boolean header) {
            this.header = header;
            this.headerChosen = true;
            return this;
        }

        /**
         * The field separator (default ','); e.g. ';' or '\t'. {@link #build()} refuses a line break, the
         * quote character, and the decimal separator without a header line.
         */
        public Builder delimiter(char delimiter) {
            this.delimiter = delimiter;
            return this;
        }

        /**
         * The quote character (default '"'); a doubled quote inside a quoted value stands for one.
         * {@link #build()} refuses one that is also the delimiter or the decimal separator.
         */
        public Builder quoteChar(char quoteChar) {
            this.quoteChar = quoteChar;
            return this;
        }

        /**
         * Label columns by 0-based index, in target order (default: the last column). Replaces label
         * columns chosen by name.
         *
         * @throws IllegalArgumentException when no index, a negative one or one twice is given
         */
        public Builder labelColumns(int... indices) {
            this.labelIndices = indices(indices, "labelColumns");
            this.labelNames = null;
            return this;
        }

        /**
         * Label columns by header name (matched stripped), in target order; needs {@code header(true)}.
         * Replaces label columns chosen by index.
         *
         * @throws IllegalArgumentException when no name, a null or blank one or one twice is given
         */
        public Builder labelColumns(String... names) {
            this.labelNames = names(names, "labelColumns");
            this.labelIndices = null;
            return this;
        }

        /**
         * Feature columns by 0-based index, in output order (default: every non-label column in file
         * order, but the weight column).
         *
         * @throws IllegalArgumentException when no index, a negative one or one twice is given
         */
        public Builder featureColumns(int... indices) {
            this.featureIndices = indices(indices, "featureColumns");
            this.featureNames = null;
            return this;
        }

        /**
         * Feature columns by header name (matched stripped), in output order; needs {@code header(true)}.
         *
         * @throws IllegalArgumentException when no name, a null or blank one or one twice is given
         */
        public Builder featureColumns(String... names) {
            this.featureNames = names(names, "featureColumns");
            this.featureIndices = null;
            return this;
        }

        /**
         * Reads each row's sample weight from the column at this 0-based index into {@link CsvData#sampleWeights()},
         * for {@code Dataset.withSampleWeights} (as bpnn-spark's {@code RowFormat.sampleWeight(column)}). The column
         * is neither a feature nor a label: it is left out of the default features, and choosing it as one is
         * refused. Each weight must be a finite number &gt;= 0 (an empty, non-numeric, NaN, infinite or negative
         * cell is refused naming its line and column, whatever {@link #allowNonFinite}), and not every weight 0.
         * Default: none, {@code sampleWeights()} is null.
         */
        public Builder weightColumn(int index) {
            if (index < 0) {
                throw new IllegalArgumentException("weightColumn(...) got index " + index + "; indices are 0-based and must be >= 0");
            }
            this.weightIndex = index;
            this.weightName = null;
            return this;
        }

        /** The sample weight column (see {@link #weightColumn(int)}) by header name; needs {@code header(true)}. */
        public Builder weightColumn(String name) {
            this.weightName = names(new String[] {name}, "weightColumn").get(0);
            this.weightIndex = -1;
            return this;
        }

        /** What the label columns hold (default {@link LabelKind#NUMERIC}). */
        public Builder labelKind(LabelKind kind) {
            if (kind == null) {
                throw new IllegalArgumentException("labelKind is null; pass LabelKind.NUMERIC or LabelKind.CATEGORICAL");
            }
            this.labelKind = kind;
            return this;
        }

        /** Shorthand for {@code labelKind(LabelKind.NUMERIC)}: regression targets. */
        public Builder numeric() {
            return labelKind(LabelKind.NUMERIC);
        }

        /** Shorthand for {@code labelKind(LabelKind.CATEGORICAL)}: class labels. */
        public Builder categorical() {
            return labelKind(LabelKind.CATEGORICAL);
        }

        /** For categorical labels, whether targets are one-hot (n, classes) rather than the class index (n, 1). Default false. */
        public Builder oneHot(boolean oneHot) {
            this.oneHot = oneHot;
            return this;
        }

        /**
         * For categorical labels, the class names in class-index order (stripped, as labels are); a label
         * not in this list is an error. Without it, classes are the labels found, sorted (see {@link CsvReader}).
         *
         * @throws IllegalArgumentException when no name, a null or blank one or one twice is given
         */
        public Builder classes(String... names) {
            this.classes = names(names, "classes");
            return this;
        }

        /** Whether blank lines are skipped (default true); if false a blank line is an error. */
        public Builder skipBlankLines(boolean skip) {
            this.skipBlankLines = skip;
            return this;
        }

        /** Whether NaN and infinities are accepted as values (default false: they are an error). */
        public Builder allowNonFinite(boolean allow) {
            this.allowNonFinite = allow;
            return this;
        }

        /**
         * The file has no label columns: every column (or those chosen with featureColumns) is a
         * feature, and {@link CsvData#targets()} is null. For data to predict on.
         */
        public Builder noLabels() {
            this.noLabels = true;
            return this;
        }

        /**
         * The character between a number's integer and fractional digits in feature, numeric label and weight
         * cells: '.' (the default) or ',', as spreadsheets in many European locales write ("1,5;2,25;cat" with
         * {@code delimiter(';')}). With ',' a cell holding '.' is refused ("1.234" may be 1234 with its
         * thousands grouped, or a decimal point: neither is guessed), as is one with more than one ','; class
         * labels are text and kept as they are. It cannot be the quote character; equal to the delimiter
         * ({@code delimiter(',')} with {@code decimalSeparator(',')}) it needs a header line and quoted decimal
         * values ({@code "1,5",2}, as pandas' {@code to_csv(decimal=',')} writes them): an unquoted {@code 1,5}
         * is then two fields, which only the header's field count shows, so a row with one is refused naming it.
         */
        public Builder decimalSeparator(char separator) {
            if (separator != '.' && separator != ',') {
                throw new IllegalArgumentException("decimalSeparator('" + printable(separator) + "'): expected '.' or ','");
            }
            this.decimalSeparator = separator;
            return this;
        }

        /**
         * Cells to recognise as missing values, besides an empty cell (e.g. {@code "NA"}, {@code "?"}, {@code "-999"}),
         * compared with the trimmed cell, case-sensitively, in the columns read (features, labels, the weight).
         * Missing values are still refused, never imputed or dropped: without this option the first one
         * stops the read naming its line; with it the whole file is read and the refusal counts them per
         * column (with each column's first line), so one run shows how much is missing and where, to
         * impute or drop before reading. A token is taken as missing before it is parsed: {@code "NaN"}
         * given here is missing, not a NaN value under {@link #allowNonFinite}. The refusal's
         * {@link CsvFormatException#remedy()} is {@link CsvFormatException.Remedy#MISSING_VALUES}: its advice is for
         * training data, and a caller reading other data words its own from {@link CsvFormatException#problem()} and
         * {@link CsvFormatException#missingColumns()}.
         */
        public Builder missingValues(String... tokens) {
            if (tokens == null || tokens.length == 0) {
                throw new IllegalArgumentException("missingValues(...) needs at least one token, e.g. missingValues(\"NA\");"
                        + " an empty cell is always one");
            }
            Set<String> set = new LinkedHashSet<>();
            set.add("");
            for (String t : tokens) {
                if (t == null) {
                    throw new IllegalArgumentException("missingValues(...) got a null token; pass the cells' text, e.g. \"NA\"");
                }
                set.add(t.strip());
            }
            this.missingTokens = java.util.Collections.unmodifiableSet(set);
            return this;
        }

        /**
         * Checks the options together and builds the reader; the builder may be changed and built again.
         *
         * @throws IllegalArgumentException for options that conflict: noLabels() with label options or a
         *         weight column, columns by name with header(false), a delimiter that is a line break or the
         *         quote character, a decimal separator that is the quote character (or the delimiter with
         *         header(false)), categorical labels on other than one column, oneHot or classes with
         *         numeric labels
         */
        public CsvReader build() {
            if (noLabels && (labelNames != null || labelIndices != null || labelKind != LabelKind.NUMERIC || oneHot || classes != null)) {
                throw new IllegalArgumentException("noLabels() cannot be combined with label options (labelColumns, categorical, oneHot, "
                        + "classes); drop one or the other");
            }
            if (noLabels && (weightName != null || weightIndex >= 0)) {
                // weights are for training on targets; data to predict on has none to weigh
                throw new IllegalArgumentException("noLabels() cannot be combined with weightColumn(...): sample weights weigh"
                        + " the rows' losses against their labels, and noLabels() reads data to predict on; drop one or the other");
            }
            if (!header && (labelNames != null || featureNames != null || weightName != null)) {
                throw new IllegalArgumentException("columns chosen by name " + (labelNames != null ? labelNames : featureNames != null
                        ? featureNames : List.of(weightName))
                        + " but header(false): names need a header line; choose the columns by index or set header(true)");
            }
            if (delimiter == quoteChar || delimiter == '\n' || delimiter == '\r') {
                throw new IllegalArgumentException("delimiter '" + printable(delimiter) + "' cannot be a line break or the quote character '"
                        + printable(quoteChar) + "'; choose another delimiter");
            }
            if (decimalSeparator == quoteChar) {
                throw new IllegalArgumentException("decimalSeparator('" + decimalSeparator + "') is also the quote character;"
                        + " choose another quoteChar(...), or decimalSeparator('" + (decimalSeparator == '.' ? ',' : '.') + "')");
            }
            if (decimalSeparator == delimiter && !header) {
                // "1,5" unquoted is two fields, and without a header every row may be consistently split: 1 and 5
                throw new IllegalArgumentException("decimalSeparator('" + decimalSeparator + "') is also the delimiter, and"
                        + " header(false): an unquoted decimal value would be read as two values without a header's field"
                        + " count to show it; choose another delimiter(...) (';' for decimal commas), or read the file with"
                        + " its header line");
            }
            int labels = labelNames != null ? labelNames.size() : labelIndices != null ? labelIndices.length : 1;
            if (labelKind == LabelKind.CATEGORICAL && labels != 1) {
                throw new IllegalArgumentException("categorical labels need exactly one label column, got " + labels
                        + "; choose one with labelColumns(...), or use numeric() for several numeric targets");
            }
            if (labelKind == LabelKind.NUMERIC && (oneHot || classes != null)) {
                throw new IllegalArgumentException((oneHot ? "oneHot(true)" : "classes(...)")
                        + " applies to categorical labels, but the label kind is NUMERIC; add categorical()");
            }
            return new CsvReader(this);
        }

        private static int[] indices(int[] indices, String what) {
            if (indices == null || indices.length == 0) {
                throw new IllegalArgumentException(what + "(...) needs at least one column index");
            }
            Set<Integer> seen = new LinkedHashSet<>();
            for (int i : indices) {
                if (i < 0) {
                    throw new IllegalArgumentException(what + "(...) got index " + i + "; indices are 0-based and must be >= 0");
                }
                if (!seen.add(i)) {
                    throw new IllegalArgumentException(what + "(...) got index " + i + " twice; give each column once");
                }
            }
            return indices.clone();
        }

        private static List<String> names(String[] names, String what) {
            if (names == null || names.length == 0) {
                throw new IllegalArgumentException(what + "(...) needs at least one name");
            }
            List<String> out = new ArrayList<>();
            for (String s : names) {
                if (s == null || s.isBlank()) {
                    throw new IllegalArgumentException(what + "(...) got a " + (s == null ? "null" : "blank") + " name; pass non-blank names");
                }
                if (out.contains(s.strip())) {
                    throw new IllegalArgumentException(what + "(...) got \"" + s.strip() + "\" twice; give each name once");
                }
                out.add(s.strip());
            }
            return List.copyOf(out);
        }
    }
}
