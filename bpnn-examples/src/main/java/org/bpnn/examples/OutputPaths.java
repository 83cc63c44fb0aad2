package org.bpnn.examples;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bpnn.io.internal.AtomicFiles;

/**
 * Checks of the --out / --output flags, made before any data is loaded or any training is done, so
 * that a bad output path fails in a second with a message about the path, instead of after a long
 * run with a message about a temporary file.
 */
public final class OutputPaths {
    private OutputPaths() {}

    /**
     * Checks, without creating anything, that {@code dir} is or can be made a directory to write
     * in: not empty, no file in its way, and the directory itself or (when missing) its nearest
     * existing parent writable. Fails with one message naming the flag, the path and what is wrong.
     * For a run that may still fail on its input before writing, so it leaves no empty directory.
     */
    public static Path check(String flag, Path dir) {
        if (dir == null || dir.toString().isBlank()) {
            // Path.of("") is the current directory: almost always an unset shell variable, not a choice
            throw new IllegalArgumentException(flag + " is empty; expected a directory such as runs/example (use " + flag
                    + " . for the current directory)");
        }
        Path abs = dir.toAbsolutePath();
        Path existing = abs;
        while (existing != null && !Files.isDirectory(existing)) {
            if (Files.exists(existing)) {
                throw new IllegalArgumentException(existing.equals(abs)
                        ? flag + " " + dir + " is a file, not a directory; choose another " + flag + " or remove the file"
                        : flag + " " + dir + ": " + existing + " is a file, not a directory; choose another " + flag);
            }
            existing = existing.getParent();
        }
        if (existing == null) {
            return dir; // nothing exists up to the root (another file system root?): let the creation report it
        }
        try {
            probe(existing);
        } catch (IOException e) {
            throw new IllegalArgumentException(existing.equals(abs)
                    ? flag + " " + dir + ": cannot create files in the directory (" + Errors.reason(e) + "); choose a writable " + flag
                            + " or fix its permissions"
                    : flag + " " + dir + ": cannot create the directory in " + existing + " (" + Errors.reason(e) + "); choose a writable "
                            + flag + " or create the directory first", e);
        }
        return dir;
    }

    /**
     * Checks that none of {@code names}, the files a run writes into {@code dir}, is a directory there:
     * the run writes them only after training, so such a directory would fail it at the end, with the
     * model saved and no chart or summary line.
     */
    public static void checkNames(String flag, Path dir, String... names) {
        for (String name : names) {
            Path f = dir.resolve(name);
            if (Files.isDirectory(f)) {
                throw new IllegalArgumentException(flag + " " + dir + ": " + f + " is a directory, and the run writes the file "
                        + name + " there; remove or rename the directory, or choose another " + flag);
            }
        }
    }

    /** {@link #check}s the output directory, then creates it (and its parents) if needed. */
    public static Path directory(String flag, Path dir) {
        check(flag, dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException(flag + " " + dir + ": cannot create the directory (" + Errors.reason(e) + "); choose another "
                    + flag + " or create it first", e);
        }
        return dir;
    }

    /**
     * Checks that {@code file} can be written: not a directory, in a directory that exists or can be made
     * (no file in its way; it, or its nearest existing parent, writable), as train's --out and the directory
     * flags are: a missing directory is made only when the file is written ({@link #parentOf}), so a run that
     * fails first leaves none behind. The file itself is not created (the run may still fail before writing it).
     */
    public static Path file(String flag, Path file) {
        if (file == null || file.toString().isBlank()) {
            throw new IllegalArgumentException(flag + " is empty; expected a file name such as predictions.csv");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(flag + " " + file + " is a directory; expected a file name such as "
                    + file.resolve("predictions.csv"));
        }
        Path parent = file.toAbsolutePath().getParent(); // not null: a root is a directory, refused above
        Path existing = parent;
        while (existing != null && !Files.isDirectory(existing)) {
            if (Files.exists(existing)) {
                throw new IllegalArgumentException(flag + " " + file + ": " + existing + " is a file, not a directory; choose another "
                        + flag);
            }
            existing = existing.getParent();
        }
        if (existing == null) {
            return file; // nothing exists up to the root (another file system root?): let the creation report it
        }
        if (Files.exists(file)) {
            if (!Files.isWritable(file)) {
                throw new IllegalArgumentException(flag + " " + file + ": permission denied (the file is read-only); choose another "
                        + flag + " or fix its permissions");
            }
        } else {
            try {
                probe(existing);
            } catch (IOException e) {
                throw new IllegalArgumentException(existing.equals(parent)
                        ? flag + " " + file + ": cannot create files in directory " + parent + " (" + Errors.reason(e)
                                + "); choose another " + flag + " or fix the directory's permissions"
                        : flag + " " + file + ": cannot create directory " + parent + " in " + existing + " (" + Errors.reason(e)
                                + "); choose another " + flag + " or create the directory first", e);
            }
        }
        return file;
    }

    /**
     * Creates the directory {@code file} (checked by {@link #file}) is to be written in, and its parents,
     * if missing; called just before writing it.
     */
    static void parentOf(String flag, Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new IllegalArgumentException(flag + " " + file + ": cannot create directory " + parent + " (" + Errors.reason(e)
                    + "); choose another " + flag + " or create it first", e);
        }
    }

    /**
     * Writes {@code text} (UTF-8) to {@code file}, checked by {@link #file}, atomically: see
     * {@link #writeAtomically(String, Path, String, AtomicFiles.StreamBody)}.
     */
    public static void writeAtomically(String flag, Path file, String what, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        writeAtomically(flag, file, what, out -> out.write(bytes));
    }

    /**
     * Writes what {@code body} streams to {@code file}, checked by {@link #file}, atomically as bpnn-io saves a model
     * ({@link AtomicFiles}): into a new hidden file in its directory (made if missing), forced to disk, then renamed over
     * it, so that a script never reads half a file and a failed or interrupted write leaves an existing file as it was.
     * An existing file that is not a regular one (/dev/stdout, a named pipe) is written in place instead: a rename would
     * replace the device or the pipe, not write to it. {@code what} names the content in a failure ("the report"). The
     * body's stream is unbuffered (buffer it) and closing it does not end the write; flush or close a wrapper before
     * returning.
     */
    public static void writeAtomically(String flag, Path file, String what, AtomicFiles.StreamBody body) throws IOException {
        parentOf(flag, file);
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            try (OutputStream out = Files.newOutputStream(file)) {
                body.write(out);
            } catch (IOException e) {
                throw new IOException(flag + " " + file + ": could not write " + what + " (" + Errors.reason(e) + "); choose another "
                        + flag, e);
            }
            return;
        }
        Path abs = file.toAbsolutePath();
        try {
            AtomicFiles.writeStream(abs, body);
        } catch (IOException e) {
            // about the file named: AtomicFiles' exceptions name it, but not the flag, nor what became of the file
            throw new IOException(flag + " " + file + ": could not write " + what + " (" + Errors.reason(e) + "); "
                    + (Files.exists(abs) ? "the file is as it was" : "nothing was written") + ": free space on its disk, fix the"
                    + " directory's permissions or choose another " + flag, e);
        }
    }

    /**
     * Checks that files can be created in dir by creating and deleting one (the IOException says why
     * not): Files.isWritable says yes to root whatever the permission bits, and says nothing about the
     * search permission a new file needs.
     */
    private static void probe(Path dir) throws IOException {
        Files.delete(Files.createTempFile(dir, ".bpnn-write-check", ".tmp"));
    }
}
