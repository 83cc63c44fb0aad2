package org.bpnn.readme;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the README snippet tests share (bpnn-core's CrossValidationReadmeTest, bpnn-examples'
 * ReadmeSnippetTest through the core test jar): finding a repository file from a module's working
 * directory, cutting a block out of a file's lines, and the snippet a test runs between its marker
 * lines. Each test keeps its own comparison (which README block, which stand-ins).
 */
public final class ReadmeBlocks {
    /** The marker lines around the snippet in a test's source, at a method body's indent. */
    public static final String FROM = "        // ---- from README.md ----", END = "        // ---- end ----";

    private ReadmeBlocks() {}

    /** The lines strictly between the first line equal to {@code start} and the next one equal to {@code end}. */
    public static List<String> block(List<String> lines, String start, String end) {
        int from = lines.indexOf(start);
        assertTrue(from >= 0, "no line " + start);
        int to = lines.subList(from + 1, lines.size()).indexOf(end);
        assertTrue(to >= 0, "no line " + end + " after " + start);
        return lines.subList(from + 1, from + 1 + to);
    }

    /** A file of the repository, looked for from the working directory (the module's, under surefire) upwards. */
    public static Path file(String name) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(name))) return d.resolve(name);
        }
        throw new AssertionError(name + " not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * The snippet in the test source {@code testSource} (a repository path): the lines between
     * {@link #FROM} and {@link #END}, without the method body's 8-space indent.
     */
    public static List<String> snippetIn(String testSource) throws IOException {
        List<String> here = new ArrayList<>();
        for (String line : block(Files.readAllLines(file(testSource)), FROM, END)) {
            here.add(line.startsWith("        ") ? line.substring(8) : line);
        }
        return here;
    }
}
