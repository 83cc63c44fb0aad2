package org.bpnn.io.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bpnn.nn.NamedPipes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stream form of the atomic write (the channel form is ModelFile.save's, tested by AtomicSaveTest). */
class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        return files(dir);
    }

    /** Rows through a buffered Writer closed by try-with-resources: closing it does not end the write early. */
    @Test
    void aStreamedBodyClosedByItsWriterIsWrittenWhole() throws IOException {
        Path target = dir.resolve("rows.csv");
        StringBuilder expected = new StringBuilder();
        AtomicFiles.writeStream(target, out -> {
            try (Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
                for (int i = 0; i < 20_000; i++) {
                    String row = i + ",\u00e9\n";
                    w.write(row);
                    expected.append(row);
                }
            }
        });
        assertEquals(expected.toString(), Files.readString(target));
        assertEquals(List.of(target), files());
    }

    @Test
    void aBodyFailingPartWayLeavesTheOldFileAndNoTemporaryOne() throws IOException {
        Path target = Files.writeString(dir.resolve("rows.csv"), "old,rows\n");
        byte[] old = Files.readAllBytes(target);
        IOException full = new IOException("No space left on device");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeStream(target, out -> {
            out.write(new byte[100_000]);
            throw full;
        }));
        assertSame(full, e, "a failure that names no file is thrown as it is");
        assertArrayEquals(old, Files.readAllBytes(target));
        assertEquals(List.of(target), files());
        RuntimeException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> AtomicFiles.writeStream(dir.resolve("new.csv"), out -> {
            out.write(1);
            throw boom;
        })));
        assertEquals(List.of(target), files());
    }

    /** A private file's new content is private from its first byte: the temporary file has its mode before the body runs. */
    @Test
    void theTemporaryFileHasTheReplacedFilesPermissionsBeforeTheBodyWrites() throws IOException {
        Path target = Files.writeString(dir.resolve("model.bpnn"), "old");
        Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rw-------");
        assumeTrue(Files.getFileAttributeView(target, PosixFileAttributeView.class) != null, "a POSIX file system");
        Files.setPosixFilePermissions(target, owner);
        List<Object> seen = new ArrayList<>();
        AtomicFiles.writeStream(target, out -> {
            for (Path p : files()) {
                if (!p.equals(target)) seen.add(Files.getPosixFilePermissions(p));
            }
            out.write("new".getBytes(StandardCharsets.UTF_8));
        });
        assertEquals(List.of(owner), seen, "the temporary file's permissions while the body wrote");
        assertEquals("new", Files.readString(target));
        assertEquals(owner, Files.getPosixFilePermissions(target));
    }

    /**
     * An existing target that is not a regular file is refused, not renamed over: run as root, a missed check in a
     * caller replaced /dev/full with a file of predictions. A named pipe stands in for the device here.
     */
    @Test
    void anExistingTargetThatIsNotARegularFileIsRefusedNotReplaced() throws Exception {
        Path fifo = NamedPipes.makeOrSkip(dir.resolve("pipe"));
        boolean[] ran = {false};
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> AtomicFiles.writeStream(fifo, out -> ran[0] = true));
        assertEquals(fifo.toAbsolutePath().toString(), e.getFile());
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        assertFalse(ran[0], "refused before the body runs");
        assertFalse(Files.isRegularFile(fifo), "the pipe is still a pipe");
        assertEquals(List.of(fifo), files(), "no temporary file left");
    }

    @Test
    void fileSystemFailuresNameTheTargetNotTheTemporaryFile() {
        Path target = dir.resolve("gone/rows.csv");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> AtomicFiles.writeStream(target, out -> { }));
        assertEquals(target.toString(), e.getFile());
    }

    /**
     * A link to the target is resolved once, before the temporary file is made beside the linked file,
     * and the rename goes to that file: a link re-pointed to another directory before the rename moves
     * neither end of it (a rename of the temporary file into the other directory would replace a file
     * the write never looked at, and across file systems fail).
     */
    @Test
    void aLinkRepointedBeforeTheRenameStillGetsTheFileItPointedToWhenTheWriteBegan() throws IOException {
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        Path inA = Files.writeString(a.resolve("model.bpnn"), "a-old");
        Path inB = Files.writeString(b.resolve("model.bpnn"), "b-old");
        Path link = dir.resolve("current.bpnn");
        try {
            Files.createSymbolicLink(link, Path.of("a", "model.bpnn"));
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "no symbolic links here: " + e);
        }
        AtomicFiles.write(link, ch -> ch.write(ByteBuffer.wrap("new".getBytes(StandardCharsets.UTF_8))), () -> {
            Files.delete(link);
            Files.createSymbolicLink(link, Path.of("b", "model.bpnn"));
        });
        assertEquals("new", Files.readString(inA), "the file the link named when the write began");
        assertEquals("b-old", Files.readString(inB), "the link's new file is not written");
        assertEquals(List.of(inA), files(a));
        assertEquals(List.of(inB), files(b));
        assertEquals(Path.of("b", "model.bpnn"), Files.readSymbolicLink(link), "the link stays as it was re-pointed");
    }

    // ---- temporary files that killed writes left ------------------------------------------------

    /**
     * A save killed mid-write (SIGKILL: no finally block runs) leaves its temporary file, and every
     * save makes a new one: a later save of the same target removes it once it has gone unmodified
     * for STALE_AFTER (set back here, not waited for).
     */
    @Test
    void aTemporaryFileLeftByAKilledSaveIsRemovedByALaterSaveOfItsTarget() throws Exception {
        Path models = Files.createDirectory(dir.resolve("models"));
        Path target = Files.writeString(models.resolve("model.bpnn"), "old");
        Path out = dir.resolve("child.out");
        String cp = String.join(File.pathSeparator, location(KilledMidWrite.class), location(AtomicFiles.class));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
                KilledMidWrite.class.getName(), target.toString()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        Path left;
        try {
            left = awaitTemporaryFile(models, target, child, out);
        } finally {
            child.destroyForcibly(); // SIGKILL where there are signals
            child.waitFor(30, TimeUnit.SECONDS);
        }
        // a child still running keeps its file as a live writer's, and the last check below would blame the removal
        assertFalse(child.isAlive(), "the child JVM still runs 30 s after it was killed");
        assertTrue(Pattern.matches("\\.model\\.bpnn\\." + child.pid() + "-[0-9a-f]{16}\\.tmp", left.getFileName().toString()),
                left.getFileName() + ": \".\" + the target's name + \".\" + the writer's id + \"-\" + 16 hex digits + \".tmp\"");
        assertEquals(Set.of(target, left), Set.copyOf(files(models)), "the killed save left its temporary file");
        assertEquals("old", Files.readString(target));

        AtomicFiles.writeStream(target, o -> o.write("new".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Set.of(target, left), Set.copyOf(files(models)), "a file modified within STALE_AFTER is kept");
        aged(left);
        AtomicFiles.writeStream(target, o -> o.write("newer".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(target), files(models), "the killed save's temporary file is removed");
        assertEquals("newer", Files.readString(target));
    }

    @Test
    void aStaleTemporaryFileOfAWriterThatEndedIsRemovedAndARecentOneKept() throws Exception {
        long dead = endedPid();
        Path target = Files.writeString(dir.resolve("model.bpnn"), "old");
        Path stale = aged(Files.writeString(dir.resolve(".model.bpnn." + dead + "-0123456789abcdef.tmp"), "part"));
        Path recent = Files.writeString(dir.resolve(".model.bpnn." + dead + "-fedcba9876543210.tmp"), "part");
        AtomicFiles.writeStream(target, o -> o.write(1));
        assertFalse(Files.exists(stale), "unmodified for longer than STALE_AFTER, its writer gone: removed");
        assertTrue(Files.exists(recent), "modified within STALE_AFTER: kept (its writer may run where this JVM cannot see it)");
        assertEquals(List.of(recent, target), files());
    }

    /** A container's JVM often has the same id in every run: a killed run's file with this JVM's id is stale unless this JVM writes it. */
    @Test
    void aStaleTemporaryFileWithThisJvmsIdThatNoThreadWritesIsRemoved() throws IOException {
        Path target = dir.resolve("model.bpnn");
        Path stale = aged(Files.writeString(dir.resolve(".model.bpnn." + ProcessHandle.current().pid() + "-0123456789abcdef.tmp"), "p"));
        AtomicFiles.writeStream(target, o -> o.write(1));
        assertFalse(Files.exists(stale));
        assertEquals(List.of(target), files());
    }

    /** Another running process's file is kept however old, and so is one a concurrent save in this JVM is writing. */
    @Test
    void aTemporaryFileOfARunningWriterIsKept() throws Exception {
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        assumeTrue(parent != null && parent.isAlive(), "this JVM has a running parent process");
        Path target = dir.resolve("model.bpnn");
        Path running = aged(Files.writeString(dir.resolve(".model.bpnn." + parent.pid() + "-0123456789abcdef.tmp"), "part"));

        CountDownLatch inBody = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> first = pool.submit(() -> {
                AtomicFiles.writeStream(target, o -> {
                    o.write("first".getBytes(StandardCharsets.UTF_8));
                    inBody.countDown();
                    try {
                        assertTrue(go.await(30, TimeUnit.SECONDS), "the test let the first save go on");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                });
                return null;
            });
            assertTrue(inBody.await(30, TimeUnit.SECONDS), "the first save reached its body");
            Set<Path> others = new HashSet<>(files());
            others.remove(running);
            assertEquals(1, others.size(), "the first save's temporary file: " + others);
            Path firsts = aged(others.iterator().next());

            AtomicFiles.writeStream(target, o -> o.write("second".getBytes(StandardCharsets.UTF_8)));
            assertTrue(Files.exists(running), "a running process's file is kept however old");
            assertTrue(Files.exists(firsts), "the concurrent save's file is kept however old");
            go.countDown();
            first.get(30, TimeUnit.SECONDS); // its rename found its file
            assertEquals("first", Files.readString(target));
            assertEquals(List.of(running, target), files());
        } finally {
            go.countDown();
            pool.shutdownNow();
        }
    }

    /**
     * Only this target's exact temporary names are removed: not another target's (one whose name is this
     * one's + ".5", or one whose first 32 characters are this one's), not the names bpnn used before the
     * process id was in them, not near misses, not a directory or a link of the exact name.
     */
    @Test
    void otherTargetsFilesAndOtherNamesAreKept() throws Exception {
        long dead = endedPid();
        String hex = "-0123456789abcdef.tmp";
        String longName = "x".repeat(32) + "-a.bpnn";
        String otherLong = "x".repeat(32) + "-b.bpnn";
        Path target = Files.writeString(dir.resolve("model.bpnn"), "old");
        Path longTarget = Files.writeString(dir.resolve(longName), "old");
        List<Path> removed = List.of(
                dir.resolve(".model.bpnn." + dead + hex),
                dir.resolve("." + AtomicFiles.tempStem(longName) + "." + dead + hex));
        List<Path> kept = List.of(
                dir.resolve(".other.bpnn." + dead + hex),
                dir.resolve(".model.bpnn.5." + dead + hex),          // target "model.bpnn.5"'s
                dir.resolve("." + AtomicFiles.tempStem(otherLong) + "." + dead + hex),
                dir.resolve("." + "x".repeat(32) + "." + dead + hex), // the cut name alone
                dir.resolve(".model.bpnn.0123456789abcdef.tmp"),     // names from before the id
                dir.resolve(".model.bpnn.a757b47b0c8f0ca.tmp"),
                dir.resolve(".model.bpnn." + dead + "-0123456789abcde.tmp"),
                dir.resolve(".model.bpnn." + dead + "-0123456789ABCDEF.tmp"),
                dir.resolve(".model.bpnn." + dead + hex + ".bak"),
                dir.resolve(".model.bpnn.0" + dead + hex),
                dir.resolve(".model.bpnn.12a" + hex),
                dir.resolve(".model.bpnn." + hex),
                dir.resolve("model.bpnn." + dead + hex),
                dir.resolve(".model.bpnn" + dead + hex));
        for (Path p : removed) aged(Files.writeString(p, "part"));
        for (Path p : kept) aged(Files.writeString(p, "part"));
        Path aDirectory = aged(Files.createDirectory(dir.resolve(".model.bpnn." + dead + "-1111111111111111.tmp")));
        Path aLink = dir.resolve(".model.bpnn." + dead + "-2222222222222222.tmp");
        try {
            Files.createSymbolicLink(aLink, kept.get(0).getFileName());
            Files.getFileAttributeView(aLink, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(staleTime(), null, null);
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "no symbolic links here: " + e);
        }
        AtomicFiles.writeStream(target, o -> o.write(1));
        AtomicFiles.writeStream(longTarget, o -> o.write(1));
        Set<Path> expected = new HashSet<>(kept);
        expected.addAll(List.of(target, longTarget, aDirectory, aLink));
        assertEquals(expected, Set.copyOf(files()));
    }

    /** A long name's stem keeps the temporary name legal (at most 255 bytes) and tells names cut alike apart. */
    @Test
    void stemsOfLongNamesStayShortAndDiffer() {
        String a = "\u00e9".repeat(120) + ".bpnn";
        String b = "\u00e9".repeat(120) + ".bpnx";
        assertEquals(49, AtomicFiles.tempStem(a).length());
        assertTrue(AtomicFiles.tempStem(a).startsWith("\u00e9".repeat(32) + "~"), AtomicFiles.tempStem(a));
        assertFalse(AtomicFiles.tempStem(a).equals(AtomicFiles.tempStem(b)));
        assertEquals("model.bpnn", AtomicFiles.tempStem("model.bpnn"));
        String name = AtomicFiles.tempName(AtomicFiles.tempStem(a), 4194304, -1);
        assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= 255, name);
        assertEquals(4194304, AtomicFiles.writerOf(name, AtomicFiles.tempStem(a)));
        assertEquals(-1, AtomicFiles.writerOf(name, AtomicFiles.tempStem(b)));
    }

    /**
     * A name of 32 characters is its own stem and one of 33 is cut, as the class comment says; a cut that
     * would split a character outside the BMP keeps it whole on the other side, so the stem (and the
     * temporary file's name) holds no lone surrogate, which the file system could not encode.
     */
    @Test
    void stemsCutNamesLongerThan32CharactersAtAWholeCharacter() {
        String x32 = "x".repeat(32);
        assertEquals(x32, AtomicFiles.tempStem(x32));
        String cut = AtomicFiles.tempStem(x32 + "y");
        assertEquals(49, cut.length(), cut);
        assertTrue(cut.startsWith(x32 + "~"), cut);
        String astral = AtomicFiles.tempStem("a".repeat(31) + "\ud83d\ude00.bpnn"); // U+1F600 at characters 31 and 32
        assertTrue(astral.startsWith("a".repeat(31) + "~"), astral);
        assertEquals(48, astral.length(), astral);
    }

    /**
     * writerOf gives -1 (not some other non-id) for every name this class does not write, and reads ids of
     * up to 18 digits; longer ones (beyond any system's ids, where Long.parseLong could overflow) are left alone.
     */
    @Test
    void writerOfReadsTheIdOfATemporaryNameAndMinusOneForAnythingElse() {
        String stem = "model.bpnn";
        assertEquals(999_999_999_999_999_999L, AtomicFiles.writerOf(AtomicFiles.tempName(stem, 999_999_999_999_999_999L, 1), stem));
        assertEquals(1, AtomicFiles.writerOf(AtomicFiles.tempName(stem, 1, 0), stem));
        String hex = "-0123456789abcdef.tmp";
        for (String name : new String[] {
            ".model.bpnn.1000000000000000000" + hex,     // 19 digits
            ".model.bpnn.4242-0123456789ABCDEF.tmp",     // upper-case hex digits
            ".model.bpnn.04242" + hex,                   // a leading zero
            ".model.bpnn.42a2" + hex,                    // not a number
            ".model.bpnn." + hex,                        // no id
            ".other.bpnn.4242" + hex}) {                 // another target's
            assertEquals(-1, AtomicFiles.writerOf(name, stem), name);
        }
    }

    /**
     * A name this JVM has finished writing, by a rename or by a failure, is no longer marked as being
     * written: a file left under it later (a failed write whose removal failed too, a killed run of a
     * process that had this id) is removed by a later write once stale, not kept as a live write's.
     */
    @Test
    void aTemporaryNameThisJvmHasFinishedWithIsRemovedOnceStale() throws IOException {
        Path target = dir.resolve("model.bpnn");
        List<Path> used = new ArrayList<>();
        AtomicFiles.writeStream(target, o -> {
            for (Path p : files()) if (!p.equals(target)) used.add(p);
        });
        assertThrows(IOException.class, () -> AtomicFiles.writeStream(target, o -> {
            for (Path p : files()) if (!p.equals(target)) used.add(p);
            throw new IOException("the body fails");
        }));
        assertEquals(2, used.size(), "each write's temporary file: " + used);
        assertEquals(List.of(target), files());
        for (Path p : used) aged(Files.writeString(p, "part"));
        AtomicFiles.writeStream(target, o -> o.write(1));
        assertEquals(List.of(target), files(), "the names of finished writes are stale, whatever their id");
    }

    /** Single bytes reach the file as arrays do (OutputStream.write(int) is a path of its own). */
    @Test
    void singleBytesWrittenToTheStreamReachTheFile() throws IOException {
        Path target = dir.resolve("rows.csv");
        AtomicFiles.writeStream(target, o -> {
            o.write('a');
            o.write("bc".getBytes(StandardCharsets.UTF_8));
            o.write('d');
        });
        assertEquals("abcd", Files.readString(target));
    }

    /** Waits until the child has written into its temporary file beside {@code target}; fails if it ends first. */
    private static Path awaitTemporaryFile(Path models, Path target, Process child, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (Path p : files(models)) {
                if (!p.equals(target) && Files.size(p) >= KilledMidWrite.BYTES) return p;
            }
            if (!child.isAlive()) {
                fail("the child JVM ended (" + child.exitValue() + ") before writing; it printed:\n" + Files.readString(out));
            }
            Thread.sleep(10);
        }
        fail("the child JVM wrote no temporary file within 60 s; it printed:\n" + Files.readString(out));
        return null;
    }

    /** The id of a process that has ended (and been reaped), which no process has now. */
    private static long endedPid() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            assumeTrue(false, "cannot start a process here: " + e);
            return -1;
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "java -version ended");
        assumeTrue(ProcessHandle.of(p.pid()).isEmpty(), "the ended process's id was not taken again");
        return p.pid();
    }

    /** Sets {@code p}'s modification time to {@link #staleTime()}. */
    private static Path aged(Path p) throws IOException {
        Files.setLastModifiedTime(p, staleTime());
        return p;
    }

    /** A minute past STALE_AFTER ago. */
    private static FileTime staleTime() {
        return FileTime.from(Instant.now().minus(AtomicFiles.STALE_AFTER).minusSeconds(60));
    }

    private static List<Path> files(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        }
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** The child JVM: starts saving args[0], writes BYTES, then waits to be killed. */
    static final class KilledMidWrite {
        static final int BYTES = 1000;

        public static void main(String[] args) throws IOException {
            AtomicFiles.writeStream(Path.of(args[0]), out -> {
                out.write(new byte[BYTES]);
                try {
                    Thread.sleep(120_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("not killed within 120 s");
            });
        }
    }
}
