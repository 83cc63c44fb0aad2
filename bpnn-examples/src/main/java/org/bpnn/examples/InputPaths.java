package org.bpnn.examples;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The check of a flag naming a file to read (--input, --model), made before any work: one wording of
 * "is a directory", "does not exist" and "is not a regular file" for every command, each followed by
 * what the flag expects.
 */
public final class InputPaths {
    private InputPaths() {}

    /** Refuses a {@code file} that is not an existing regular file, naming the flag and {@code expected}. */
    public static void requireFile(String flag, Path file, String expected) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(flag + " " + file + " is a directory; expected " + expected);
        }
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(flag + " " + file + " does not exist; expected " + expected);
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(flag + " " + file + " is not a regular file; expected " + expected);
        }
    }
}
