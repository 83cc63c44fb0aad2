package org.bpnn.io.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 *   <li>The temporary name is "." + the target's stem + "." + the writing process's id + "-" + 16
 *       random hex digits + ".tmp" ({@code .model.bpnn.4242-0f1e2d3c4b5a6978.tmp}). The stem is the
 *       target's name when it has at most 32 characters, else its first 32 + "~" + 16 hex digits of
 *       its SHA-256, so that any legal target name gives a legal temporary one and two targets never
 *       share a stem. It is created with {@code CREATE_NEW} (the umask's permissions, never another
 *       process's file), another name tried on a clash.
 *   <li>A write first removes what killed writes of the same target left: a process killed while
 *       writing (SIGKILL, power loss) cannot remove its temporary file, and each write makes a new
 *       one. A file is removed only when its name is exactly this target's temporary name, it is a
 *       regular file, it has not been modified for {@link #STALE_AFTER}, and its writer is not
 *       running: no process has its id, or the id is this JVM's and no thread of it is writing that
 *       file (a killed run whose process had the same id, as a container's often does). The age
 *       keeps a live writer this JVM cannot see (another PID namespace, another host on a shared
 *       file system) from losing its file to an id that is free here, unless it has stalled that
 *       long mid-write; even then only that write fails, its target stays whole. Other targets'
 *       temporary files, and the names bpnn used until 2026-12-01 ("." + at most 32 characters of
 *       the name + "." + hex digits + ".tmp", no process id: nothing tells whether their writer still
 *       runs, nor, for a cut name, which target they were for), are left alone; remove those by hand
 *       once no older bpnn writes there. A failure to list or remove never fails the write.
 *   <li>A file written over keeps its POSIX permissions (a private file stays private), given to the
 *       temporary file before the body writes to it.
 *   <li>A symbolic link to a file is followed: the linked file is replaced, the link stays. It is
 *       resolved once, before the temporary file is made beside the linked file, and the rename goes
 *       to that file's name in that directory whatever the link points to by then.
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

    /** How long a temporary file must have gone unmodified before a later write may remove it as a killed write's. */
    static final Duration STALE_AFTER = Duration.ofHours(1);

    private static final long PID = ProcessHandle.current().pid();

    /** The names of the temporary files this JVM's threads are writing: its own id marks them live only while here. */
    private static final Set<String> WRITING = ConcurrentHashMap.newKeySet();

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
        String stem = tempStem(target.getFileName().toString());
        // before this write's own file: on a disk filled by killed writes, their space is what this one needs
        removeStale(dir, stem);
        Path tmp = null;
        String tmpName = null;
        FileChannel ch = null;
        boolean moved = false;
        try {
            for (int attempt = 0; ch == null; attempt++) {
                String name = tempName(stem, PID, ThreadLocalRandom.current().nextLong());
                if (!WRITING.add(name)) {
                    continue; // another thread here drew the same name
                }
                tmpName = name;
                tmp = dir.resolve(name);
                try {
                    ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    WRITING.remove(name);
                    tmpName = null;
                    tmp = null;
                    if (attempt > 16) throw e;
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
                    // the original failure matters more; a stray ".tmp" is removed by a later write
                }
            }
            if (tmpName != null) {
                WRITING.remove(tmpName);
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
     * The part of the temporary name that stands for the target: its name when that has at most 32
     * characters, else its first 32 (a whole one at the cut) + "~" + 16 hex digits of its SHA-256.
     * At most 49 characters (at most 113 bytes), so any legal target name (up to 255 bytes) gives a
     * legal temporary name; longer than 32 when cut, so a cut stem is never a short name's, and
     * names cut alike differ by their hash, so no write takes another target's file for its own.
     */
    static String tempStem(String name) {
        if (name.length() <= 32) {
            return name;
        }
        String cut = name.substring(0, Character.isHighSurrogate(name.charAt(31)) ? 31 : 32);
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return cut + "~" + HexFormat.of().formatHex(sha, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java platform must have", e);
        }
    }

    /** A temporary file's name: see the class comment. */
    static String tempName(String stem, long pid, long random) {
        return "." + stem + "." + pid + "-" + HexFormat.of().toHexDigits(random) + ".tmp";
    }

    /**
     * The id of the process that wrote {@code fileName}, when that is exactly a temporary name of
     * {@code stem}; else -1. The id and the hex digits hold no ".", so the name's last segment
     * before ".tmp" is theirs and the rest must be the stem itself: another target's stem never
     * matches, and neither does a name from before the id was in it (no "-" in that segment).
     */
    static long writerOf(String fileName, String stem) {
        String head = "." + stem + ".";
        int random = fileName.length() - ".tmp".length() - 16;
        if (!fileName.startsWith(head) || !fileName.endsWith(".tmp") || random - 1 <= head.length()
                || fileName.charAt(random - 1) != '-') {
            return -1;
        }
        for (int i = random; i < random + 16; i++) {
            char c = fileName.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return -1;
        }
        String pid = fileName.substring(head.length(), random - 1);
        if (pid.length() > 18 || pid.charAt(0) == '0') {
            return -1; // not a number this class writes (and no overflow below)
        }
        for (int i = 0; i < pid.length(); i++) {
            if (pid.charAt(i) < '0' || pid.charAt(i) > '9') return -1;
        }
        return Long.parseLong(pid);
    }

    /**
     * Removes the temporary files of {@code stem} in {@code dir} that killed writes left (the rules are
     * the class comment's). Best effort: a directory that cannot be listed, or a file that cannot be
     * removed, leaves the files for a later write; this one goes on.
     */
    private static void removeStale(Path dir, String stem) {
        Instant cutoff = Instant.now().minus(STALE_AFTER);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                long writer = writerOf(name, stem);
                if (writer <= 0) {
                    continue; // not a temporary file of this target
                }
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (a.isRegularFile() && a.lastModifiedTime().toInstant().isBefore(cutoff) && !writerMayRun(writer, name)) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException e) {
                    // gone already (another write removed it), or not ours to remove: the next one
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // a directory that can be written but not listed: the files stay, the write goes on
        }
    }

    /** Whether the process {@code pid} may still be writing {@code name}: when in doubt, yes. */
    private static boolean writerMayRun(long pid, String name) {
        if (pid == PID) {
            return WRITING.contains(name); // else a killed process that had this id wrote it
        }
        try {
            return ProcessHandle.of(pid).isPresent();
        } catch (UnsupportedOperationException | SecurityException e) {
            return true;
        }
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
