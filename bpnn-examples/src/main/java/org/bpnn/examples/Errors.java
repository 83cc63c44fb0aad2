package org.bpnn.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.List;
import org.bpnn.train.TrainingDivergedException;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The one-line message the command line prints for a failed run. Most exceptions already say what
 * was expected and what to change; the java.nio.file ones are the exception: their message is
 * often only the path ("/x/y"), the reason being in the type, so the reason is spelled out here.
 */
public final class Errors {
    private Errors() {}

    /**
     * {@code build.get()}, with {@code flag} put before the message of an IllegalArgumentException it
     * throws: the library's refusals name the value ("learning rate must be finite and &gt; 0, got
     * -1.0"), not the flag that gave it (the other flags' errors all begin with theirs).
     */
    public static <T> T forFlag(String flag, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
        }
    }

    /** The text after "bpnn: error: ", on one line (for a failure outside any one subcommand). */
    public static String message(Throwable ex) {
        return message(ex, null);
    }

    /**
     * The text after "bpnn: error: ", on one line, for a failure of the subcommand {@code command}
     * (null: none): an out-of-memory hint names only the memory-sizing flags it has (one hint for all,
     * "--hidden or --batch-size", would be wrong for most: xor has no --batch-size, fashion-mnist
     * no --hidden, and predict and sine neither).
     */
    public static String message(Throwable ex, CommandSpec command) {
        Throwable e = (ex instanceof UncheckedIOException || ex instanceof ExceptionInInitializerError) && ex.getCause() != null
                ? ex.getCause() : ex; // the second: a class's static set-up failed, the cause says why
        if (e instanceof OutOfMemoryError) {
            long maxMiB = Runtime.getRuntime().maxMemory() >> 20;
            List<String> flags = new ArrayList<>();
            for (String flag : new String[] {"--hidden", "--batch-size"}) {
                if (command != null && command.findOption(flag) != null) flags.add(flag);
            }
            return "out of memory (" + (e.getMessage() == null ? "OutOfMemoryError" : e.getMessage()) + ", with a maximum heap of "
                    + maxMiB + " MiB); " + (flags.isEmpty() ? "" : "lower " + String.join(" or ", flags) + ", or ")
                    + "raise the heap with BPNN_JAVA_OPTS=-Xmx<size> "
                    + "(e.g. BPNN_JAVA_OPTS=-Xmx" + Math.max(1, 2 * maxMiB / 1024) + "g)";
        }
        if (e instanceof FileSystemException f && f.getFile() != null) {
            // a reason given by whoever threw (ModelFile's "permission denied; check that directory ...
            // is writable") already says what to change: no second hint
            String hint = f.getReason() != null ? ""
                    : e instanceof AccessDeniedException ? "; check its permissions or choose another path"
                    : e instanceof NoSuchFileException ? "; check the path" : "";
            return f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": " + reason(f) + hint;
        }
        if (e instanceof CharacterCodingException) {
            // MalformedInputException says only "Input length = 1"; the readers that know the file
            // name (CsvReader) say it themselves, this is the fallback
            return "an input file is not UTF-8 text (" + e.getMessage() + "); save it as UTF-8";
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof TrainingDivergedException d) {
            // the Trainer's remedies are its builder's (clipping, nonFinitePolicy); the commands have a learning-rate flag.
            // What the cut would drop besides the remedies, the restored weights, is said again.
            int cut = msg.indexOf("; lower the learning rate");
            if (cut > 0) {
                return oneLine(msg.substring(0, cut) + "; lower --learning-rate (try a tenth of it)"
                        + (d.restoredEpoch() > 0 ? "; the network holds the best weights again, those of epoch "
                        + d.restoredEpoch() : ""));
            }
        }
        return oneLine(msg);
    }

    /**
     * {@code text} on one line: each control character (a newline or a tab in a flag value that an
     * error echoes, say) and each Unicode line or paragraph separator is written as an escape
     * (backslash n, r or t, else backslash u and four hex digits), so an error stays one line and
     * what followed the character is kept (printing the first line alone would drop it). The command
     * line's errors and warnings all pass through here.
     */
    public static String oneLine(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isISOControl(c) && c != '\u2028' && c != '\u2029') {
                if (sb != null) sb.append(c);
                continue;
            }
            if (sb == null) sb = new StringBuilder(text.length() + 8).append(text, 0, i);
            switch (c) {
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default: sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            }
        }
        return sb == null ? text : sb.toString();
    }

    /** What went wrong with a file, in words ("permission denied"), without the path. */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            // the JDK passes strerror ("Not a directory"); lower-case it to continue a sentence
            String r = f.getReason();
            return r.length() > 1 && Character.isUpperCase(r.charAt(0)) && Character.isLowerCase(r.charAt(1))
                    ? Character.toLowerCase(r.charAt(0)) + r.substring(1) : r;
        }
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "no such file or directory";
        if (e instanceof FileAlreadyExistsException) return "already exists";
        if (e instanceof NotDirectoryException) return "not a directory";
        if (e instanceof DirectoryNotEmptyException) return "directory not empty";
        if (e instanceof FileSystemException) return "file system error (" + e.getClass().getSimpleName() + ")";
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
