package org.bpnn.io.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file atomically, the one way bpnn does it (model and checkpoint saves, the launcher's report
 * and predictions files): the bytes go to a new hidden file in the target's directory, are forced to the
 * device, and that file is renamed over the target with {@link StandardCopyOption#ATOMIC_MOVE}, then the
 * directory is forced too where the platform allows. A crash or an exception at any point leaves either
 * the old file or the new one under the target's name, never a partial one, and an exception removes
 * the temporary file.
 *
 * <ul>
 *   <li>The temporary name is "." + at most the first 32 characters of the target's + "." + 16 hex
 *       digits + ".tmp", so that any legal target name gives a legal temporary one; it is created
 *       with {@code CREATE_NEW} (the umask's permissions, never another process's file), another
 *       name tried on a clash.
 *   <li>A file written over keeps its POSIX permissions (a private file stays private), given to the
 *       temporary file before the body writes to it.
 *   <li>A symbolic link to a file is followed: the linked file is replaced, the link stays.
 *   <li>A {@link FileSystemException} is re-made naming the target, not the hidden temporary file
 *       (whose path is the JDK exception's whole message), of the same type and with the original as
 *       its cause; other exceptions, which name no file, are thrown as they are, for the caller to
 *       put its own words (and the target) around.
 * </ul>
 *
 * <p>The target's directory must exist and the target must not be a directory: callers check those first,
 * with messages in their own terms. An existing target that is not a regular file (/dev/stdout, a named
 * pipe, a directory) is refused with a {@link FileSystemException} before anything is written: the rename
 * would replace it, not write to it (as root, a device node itself). Callers that may be given one write
 * it in place instead.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** What is written: everything given to {@code ch} before returning is the new file's content. */
    @FunctionalInterface
    public interface ChannelBody {
        void write(WritableByteChannel ch) throws IOException;
    }

    /**
     * What is written, as a stream. Closing {@code out} does not close the file (so a try-with-resources
     * on a wrapping Writer is fine), but the content is what reached {@code out} by the time this returns:
     * flush or close any buffering wrapper before returning, or its tail is lost.
     */
    @FunctionalInterface
    public interface StreamBody {
        void write(OutputStream out) throws IOException;
    }

    /** A step run after the content is forced and before the rename (a test seam; throwing aborts the write). */
    @FunctionalInterface
    public interface Step {
        Step NONE = () -> { };

        void run() throws IOException;
    }

    /** Writes {@code target} atomically with what {@code body} writes to a channel. */
    public static void write(Path target, ChannelBody body) throws IOException {
        write(target, body, Step.NONE);
    }

    /** Writes {@code target} atomically with what {@code body} writes to a stream (unbuffered: buffer it). */
    public static void writeStream(Path target, StreamBody body) throws IOException {
        write(target, ch -> {
            OutputStream direct = Channels.newOutputStream(ch);
            body.write(new OutputStream() {
                @Override public void write(int b) throws IOException { direct.write(b); }
                @Override public void write(byte[] b, int off, int len) throws IOException { direct.write(b, off, len); }
                @Override public void close() { } // the file is forced and renamed after the body, then closed
            });
        }, Step.NONE);
    }

    /** As {@link #write(Path, ChannelBody)}, running {@code beforeRename} just before the rename. */
    public static void write(Path target, ChannelBody body, Step beforeRename) throws IOException {
        target = target.toAbsolutePath();
        if (Files.isSymbolicLink(target) && Files.exists(target)) {
            // the rename would replace the link with a file and leave the linked file as it was
            target = target.toRealPath();
        }
        Path dir = target.getParent();
        if (dir == null || target.getFileName() == null) {
            throw new IllegalArgumentException("cannot write \"" + target + "\": it names no file");
        }
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            // the rename would replace a device, a pipe or a directory entry with a file: as root, /dev/full or
            // /dev/null itself. Callers that accept such targets write them in place; refusing here keeps a
            // missed check from doing that damage
            throw new FileSystemException(target.toString(), null, "not a regular file (a device, pipe, socket or"
                    + " directory), which an atomic write would replace rather than write to; write it in place or"
                    + " choose a regular file");
        }
        Path tmp = null;
        FileChannel ch = null;
        boolean moved = false;
        try {
            String prefix = tempPrefix(target.getFileName().toString());
            for (int attempt = 0; ch == null; attempt++) {
                tmp = dir.resolve("." + prefix + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
                try {
                    ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    if (attempt > 16) throw e;
                    tmp = null;
                }
            }
            try (FileChannel c = ch) {
                // before any byte is written: a private file's new content is never readable under the
                // defaults, even for the moment of the write (the open channel writes whatever the mode)
                keepPermissions(target, tmp);
                body.write(c);
                c.force(true);
            }
            beforeRename.run();
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } catch (FileSystemException e) {
            throw aboutTarget(e, target, dir);
        } finally {
            if (!moved && tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // the original failure matters more; a stray ".tmp" is harmless
                }
            }
        }
        syncDirectory(dir);
    }

    /**
     * Gives the temporary file the permissions of the file it replaces (where there are POSIX
     * permissions): created with the defaults, it turned a private (0600) model world-readable.
     */
    private static void keepPermissions(Path target, Path tmp) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = view.readAttributes().permissions();
        } catch (NoSuchFileException e) {
            return; // a new file: the defaults
        }
        Files.setPosixFilePermissions(tmp, permissions);
    }

    /**
     * The start of the target's name that names its temporary file: at most 32 characters (a whole
     * one at the cut), so that any legal target name (up to 255 bytes) gives a legal temporary name.
     */
    private static String tempPrefix(String name) {
        return name.length() <= 32 ? name : name.substring(0, Character.isHighSurrogate(name.charAt(31)) ? 31 : 32);
    }

    /**
     * A file-system failure about the target rather than the hidden temporary file next to it: the
     * same type (callers may catch NoSuchFileException), the target named, the original as the cause.
     */
    private static FileSystemException aboutTarget(FileSystemException e, Path target, Path dir) {
        String t = target.toString();
        FileSystemException out;
        if (e instanceof AccessDeniedException) {
            out = new AccessDeniedException(t, null, "permission denied; check that directory " + dir + " is writable");
        } else if (e instanceof NoSuchFileException) {
            out = new NoSuchFileException(t, null, "no such file or directory (was " + dir + " removed while saving?)");
        } else {
            out = new FileSystemException(t, null, e.getReason() != null ? e.getReason() : e.getClass().getSimpleName());
        }
        out.initCause(e);
        return out;
    }

    /** Makes the rename itself durable where the platform allows opening a directory (Linux, macOS). */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException e) {
            // not supported on this platform (e.g. Windows): the rename is still atomic
        }
    }
}
