package org.bpnn.examples.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.bpnn.backend.Backends;
import org.bpnn.examples.Cli;
import org.bpnn.io.model.ModelFile;
import org.bpnn.loss.Loss;
import org.bpnn.nn.NamedPipes;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ./bpnn predict reading a stream: {@code --input -} (standard input, here System.in replaced), a named
 * pipe. Each can be read only once, while predict's steps (the CSV-or-IDX sniff, the header rule, the
 * read, the --id-column text) each read from the first byte: the stream was refused ("-" does not exist;
 * a pipe "is not a regular file"). Run as PredictCommandTest runs the command, through {@link Cli}.
 */
class PredictStreamInputTest {
    @TempDir
    Path dir;

    private Network net;
    private Path model;

    @BeforeEach
    void saveAModel() throws IOException {
        net = Network.builder(2).dense(3, Activation.tanh()).dense(2, Activation.identity()).loss(Loss.mse()).seed(5)
                .backend(Backends.get("scalar", 1)).build();
        model = dir.resolve("m.bpnn");
        ModelFile.save(net, model);
    }

    private static String[] args(Path model, String input, String... more) {
        return Cli.concat(new String[] {"predict", "--backend", "scalar", "--threads", "1", "--model", model.toString(),
                "--input", input}, more);
    }

    /** Runs predict --input - with {@code stdin} as System.in, restored after. */
    private Cli.Result fromStdin(byte[] stdin, int expectedExit, String... more) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(stdin));
        try {
            return Cli.run(expectedExit, args(model, "-", more));
        } finally {
            System.setIn(saved);
        }
    }

    /** The one-line error of predict --input - with {@code stdin}, without the "bpnn: error: " prefix. */
    private String failsFromStdin(byte[] stdin, String... more) {
        return failsFromStdin(model, stdin, more);
    }

    /** {@link #failsFromStdin(byte[], String...)} with another model. */
    private static String failsFromStdin(Path model, byte[] stdin, String... more) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(stdin));
        try {
            return Cli.error(args(model, "-", more));
        } finally {
            System.setIn(saved);
        }
    }

    /** The predictions CSV's lines on standard output, the JSON line after them left out. */
    private static List<String> csvLines(Cli.Result r) {
        List<String> lines = r.out().strip().lines().toList();
        return lines.subList(0, lines.size() - 1);
    }

    private String row(int i, float... x) {
        float[] y = net.predict(Tensor.wrap(1, x.length, x)).data();
        return i + "," + y[0] + "," + y[1];
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(bytes);
        }
        return out.toByteArray();
    }

    private static final byte[] IMAGE = {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 7, 9};

    @Test
    void standardInputIsPredictedAsAFileWithItsBytes() throws IOException {
        String withIds = "id,a,b\nr1,1,2\n\n\"r,2\",-0.5,3\n";
        List<byte[]> inputs = List.of(utf8("a,b\n1,2\n-0.5,3\n"), utf8("1,2\n-0.5,3\n"), gzip(utf8("\uFEFFa,b\n1,2\n-0.5,3\n")),
                utf8(withIds), gzip(utf8(withIds)), IMAGE, gzip(IMAGE));
        for (byte[] bytes : inputs) {
            String[] more = bytes == inputs.get(3) || bytes == inputs.get(4) ? new String[] {"--id-column", "id"} : new String[0];
            Path file = Files.write(dir.resolve("same"), bytes);
            List<String> expected = csvLines(Cli.run(0, args(model, file.toString(), more)));
            Cli.Result r = fromStdin(bytes, 0, more);
            // the CSV, then the JSON line, both on standard output
            assertEquals(expected, csvLines(r));
            assertTrue(r.lastLine().startsWith("{\"example\":\"predict\"") && r.lastLine().endsWith("\"output\":\"stdout\"}"),
                    r.lastLine());
        }
        assertEquals(List.of("id,row,output0,output1", "r1," + row(0, 1, 2), "\"r,2\"," + row(1, -0.5f, 3)),
                csvLines(fromStdin(utf8(withIds), 0, "--id-column", "id")));
        assertEquals(List.of("row,output0,output1", row(0, 7, 9)), csvLines(fromStdin(IMAGE, 0, "--format", "idx")));
        // --output - is standard output too; a file gets the CSV, standard output the JSON line only
        Cli.Result dash = fromStdin(utf8("1,2\n"), 0, "--output", "-");
        assertEquals(List.of("row,output0,output1", row(0, 1, 2)), csvLines(dash));
        Path out = dir.resolve("p.csv");
        Cli.Result toFile = fromStdin(utf8("1,2\n"), 0, "--output", out.toString());
        assertEquals(1, toFile.out().strip().lines().count(), toFile.out());
        assertTrue(toFile.lastLine().endsWith("\"output\":\"" + out + "\"}"), toFile.lastLine());
        assertEquals(List.of("row,output0,output1", row(0, 1, 2)), Files.readAllLines(out));
    }

    @Test
    void aRefusalOfStandardInputNamesIt() throws IOException {
        assertEquals("standard input is empty; expected at least one data row", failsFromStdin(new byte[0]));
        byte[] whole = gzip(utf8("a,b\n" + "1,2\n".repeat(20000)));
        String err = failsFromStdin(Arrays.copyOf(whole, whole.length / 2));
        assertTrue(err.startsWith("standard input: the gzip data is damaged or cut short ("), err);
        // cut short before the sniff's 512 decompressed bytes: named as damaged, not sniffed as IDX ("expected 00 00")
        byte[] small = gzip(utf8("a,b\n1,2\n-0.5,3\n"));
        err = failsFromStdin(Arrays.copyOf(small, small.length - 4));
        assertTrue(err.startsWith("standard input: the gzip data is damaged or cut short ("), err);
        err = failsFromStdin(Arrays.copyOf(IMAGE, IMAGE.length - 1));
        assertTrue(err.startsWith("standard input: dimensions [1, 1, 2] need 2 payload bytes"), err);
        err = failsFromStdin(IMAGE, "--id-column", "id");
        assertTrue(err.startsWith("--id-column is for a CSV input with a header, but standard input is an IDX file"), err);
        err = failsFromStdin(new byte[] {'a', ',', 'b', '\n', '1', ',', '2', '\n', '3', ',', (byte) 0xe9, '\n'});
        assertTrue(err.startsWith("standard input line 3: not UTF-8 text (invalid byte 0xe9"), err);
        err = failsFromStdin(utf8("x1,x2\n1,2\n"), "--header", "no"); // which reads the first line again
        assertTrue(err.startsWith("standard input line 1, column col0 (index 0): expected a number, found \"x1\": line 1 looks"
                + " like a header"), err);
        err = failsFromStdin(utf8("a,b,c\n1,2,3\n"));
        assertTrue(err.startsWith("standard input has 3 features per sample, but the model takes 2"), err);
        // the target normaliser's overflow, which named the input as --input gave it ("-")
        Path targets = PredictCommandTest.overflowingTargetsModel(dir);
        err = failsFromStdin(targets, utf8("id,a,b\nsmall,0,0\nlarge,3,4\n"), "--id-column", "id");
        assertTrue(err.startsWith("the model's target normaliser overflowed on its output 0 for sample 1 (data row 2, id"
                + " \"large\") of standard input: "), err);
    }

    @Test
    void aStreamOverTheLimitIsRefusedNamingTheWayOut() throws IOException {
        byte[] ten = utf8("a,b\n1,2\n3\n");
        assertEquals(10, ten.length);
        assertEquals("standard input", PredictInput.stream(Path.of("-"), new ByteArrayInputStream(ten), 10).toString());
        byte[] eleven = Arrays.copyOf(ten, 11);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PredictInput.stream(Path.of("-"), new ByteArrayInputStream(eleven), 10));
        assertEquals("--input standard input holds more than 10 bytes, the most predict keeps in memory for a stream (which can"
                + " be read only once); save the data to a file (gzipped, if it is large: predict reads .gz) and pass that with"
                + " --input", e.getMessage());
    }

    /**
     * A named pipe (as bash's {@code <(zcat a.csv.gz)} and {@code /dev/stdin} under a pipe are): gzip CSV with
     * --id-column, which read the file four times, and IDX.
     */
    @Test
    void aNamedPipeIsReadOnce() throws Exception {
        Path fifo = NamedPipes.makeOrSkip(dir.resolve("fifo"));
        byte[] csv = gzip(utf8("id,a,b\nr1,1,2\nr2,-0.5,3\n"));
        Object[][] cases = {
            {csv, new String[] {"--id-column", "id"}, List.of("id,row,output0,output1", "r1," + row(0, 1, 2), "r2," + row(1, -0.5f, 3))},
            {IMAGE, new String[0], List.of("row,output0,output1", row(0, 7, 9))},
        };
        for (Object[] c : cases) {
            Thread writer = new Thread(() -> {
                try {
                    Files.write(fifo, (byte[]) c[0]);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // what the writer throws ends only its thread: kept, to fail the test
            AtomicReference<Throwable> failure = new AtomicReference<>();
            writer.setUncaughtExceptionHandler((t, e) -> failure.set(e));
            writer.start();
            try {
                Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(20),
                        () -> Cli.run(0, args(model, fifo.toString(), (String[]) c[1])));
                assertEquals(c[2], csvLines(r));
            } finally {
                writer.join(10_000);
            }
            assertFalse(writer.isAlive(), "the writer still writes the pipe 10 s after it was read");
            if (failure.get() != null) fail("writing the pipe failed", failure.get());
        }
    }

    @Test
    void theHelpSaysDashIsStandardInput() {
        String help = Cli.run(0, "predict", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("--input - reads standard input, for data piped in"), help);
    }
}
