package org.bpnn.examples;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's error paths: one line on stderr and a non-zero exit, never a stack trace. */
class MainTest {
    @Test
    void badFlagIsOneLine() {
        String err = Cli.run(2, "xor", "--no-such-flag").err();
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.startsWith("bpnn: error: Unknown option: '--no-such-flag'"), err);
        assertTrue(err.contains("./bpnn xor --help"), err);
    }

    @Test
    void aSystemPropertyAfterTheSubcommandSaysWhereItGoes() {
        // README, "Picking a backend": after the subcommand a -D word is an unknown option; the error said only
        // that, and a newcomer who typed it as on a java command line was not told to use BPNN_JAVA_OPTS
        String err = Cli.run(2, "xor", "-Dbpnn.threads=2").err();
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.startsWith("bpnn: error: Unknown option: '-Dbpnn.threads=2'"), err);
        assertTrue(err.contains("BPNN_JAVA_OPTS=-Dbpnn.threads=2 ./bpnn xor;"), err);
        assertTrue(err.strip().endsWith("(see: ./bpnn xor --help)"), err);
        // before the subcommand the error is the top level's; the example still names the subcommand typed
        String before = Cli.run(2, "-Dbpnn.threads=2", "xor").err();
        assertTrue(before.contains("BPNN_JAVA_OPTS=-Dbpnn.threads=2 ./bpnn xor;"), before);
        // other unknown options get no such hint
        assertFalse(Cli.run(2, "xor", "--no-such-flag").err().contains("BPNN_JAVA_OPTS"));
    }

    @Test
    void badValueIsOneLine() {
        String err = Cli.run(2, "xor", "--epochs", "many").err();
        assertTrue(err.startsWith("bpnn: error: Invalid value for option '--epochs'"), err);
        assertEquals(1, err.strip().lines().count(), err);
    }

    @Test
    void failingRunIsOneLineWithoutStackTrace() {
        String err = Cli.run(1, "xor", "--epochs", "0").err();
        assertEquals("bpnn: error: --epochs must be >= 1, got 0", err.strip());
        String err2 = Cli.run(1, "xor", "--backend", "gpu", "--epochs", "1").err();
        assertTrue(err2.startsWith("bpnn: error: unknown --backend 'gpu'"), err2);
        assertEquals(1, err2.strip().lines().count(), err2);
    }

    @Test
    void unknownSubcommand() {
        String err = Cli.run(2, "train-my-dog").err();
        assertTrue(err.startsWith("bpnn: error: Unmatched argument"), err);
    }

    /**
     * A mistyped subcommand or option is answered with the name it was likely meant as; a mistyped required option was
     * reported only as missing ("Missing required option: '--label=COLUMN'"), the word typed never named.
     */
    @Test
    void aMistypedSubcommandOrOptionIsAnsweredWithTheNameMeant() {
        assertEquals("bpnn: error: Unmatched arguments from index 0: 'trian', '--input', 'x'; 'trian' is not a subcommand: did you"
                + " mean train? (see: ./bpnn --help)", Cli.run(2, "trian", "--input", "x").err().strip());
        assertTrue(Cli.run(2, "evalute").err().contains("; 'evalute' is not a subcommand: did you mean evaluate? "));
        assertEquals("bpnn: error: Unknown options: '--treshold', '0.3'; '--treshold' is not an option of ./bpnn predict: did you"
                + " mean --threshold? (see: ./bpnn predict --help)",
                Cli.run(2, "predict", "--model", "m", "--input", "i", "--treshold", "0.3").err().strip());
        assertTrue(Cli.run(2, "predict", "--model", "m", "--input", "i", "--id", "id").err()
                .contains("; '--id' is not an option of ./bpnn predict: did you mean --id-column? "));
        assertTrue(Cli.run(2, "train", "--input", "a.csv", "--label", "y", "--epoch=3").err()
                .contains("; '--epoch' is not an option of ./bpnn train: did you mean --epochs? "));
        for (String[] args : new String[][] {{"train", "--input", "a.csv", "--lable", "y"}, {"train", "--lable=y", "--input", "a.csv"}}) {
            String err = Cli.run(2, args).err();
            assertEquals("bpnn: error: Missing required option: '--label=COLUMN'; '--lable' is not an option of ./bpnn train: did"
                    + " you mean --label? (see: ./bpnn train --help)", err.strip());
        }
        // nothing close, nothing suggested
        assertEquals("bpnn: error: Unknown option: '--no-such-flag' (see: ./bpnn xor --help)", Cli.run(2, "xor", "--no-such-flag")
                .err().strip());
        assertEquals("bpnn: error: Unmatched argument at index 0: 'train-my-dog' (see: ./bpnn --help)",
                Cli.run(2, "train-my-dog").err().strip());
        // after "--" a name is an argument, not the option or subcommand: not offered as a typo of itself
        assertEquals("bpnn: error: Unknown option: '--epochs' (see: ./bpnn xor --help)", Cli.run(2, "xor", "--", "--epochs")
                .err().strip());
        assertEquals("bpnn: error: Unmatched argument at index 1: 'train' (see: ./bpnn --help)", Cli.run(2, "--", "train")
                .err().strip());
    }

    @Test
    void xorRunEndsWithAJsonLine() {
        String last = Cli.run(0, "xor", "--backend", "scalar", "--epochs", "3000").lastLine();
        assertTrue(last.startsWith("{\"example\":\"xor\",\"backend\":\"scalar\""), last);
        assertTrue(last.contains("\"train_accuracy\":1"), last);
    }

    @Test
    void everySubcommandsVersionFlagPrintsTheVersion() {
        // each subcommand's help lists -V, --version, but only the top level had a version: ./bpnn xor -V printed nothing, exit 0
        String version = Cli.run(0, "--version").out().strip();
        assertEquals("bpnn 0.1.0", version);
        for (String sub : new String[] {"fashion-mnist", "train", "predict", "evaluate", "inspect", "seed", "xor", "sine", "imbalanced", "backends"}) {
            assertEquals(version, Cli.run(0, sub, "-V").out().strip(), sub);
        }
    }

    @Test
    void aFailedWriteToStandardOutputIsAnError() {
        // System.out swallows write errors: predictions or the JSON line lost to a full disk
        // (./bpnn predict ... > /dev/full) or a closed pipe ended with exit 0, the output silently incomplete
        java.io.PrintStream saved = System.out;
        java.io.StringWriter err = new java.io.StringWriter();
        int code;
        try {
            System.setOut(new java.io.PrintStream(new java.io.OutputStream() {
                @Override
                public void write(int b) throws java.io.IOException {
                    throw new java.io.IOException("No space left on device");
                }
            }, true));
            picocli.CommandLine cl = Main.commandLine();
            cl.setErr(new java.io.PrintWriter(err, true));
            code = cl.execute("xor", "--backend", "scalar", "--epochs", "1");
        } finally {
            System.setOut(saved);
        }
        assertEquals(1, code, err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("bpnn: error: could not write to standard output"), err.toString());
    }

    @Test
    void theEnvironmentListKeepsItsIndentation() {
        // a footer line longer than the usage width was wrapped by picocli at column 80 with no indent:
        // "(0" ended one line and "or false: off)" began the next at column 0
        String out = Cli.run(0, "--help").out();
        String env = out.substring(out.indexOf("Environment ("));
        env.lines().skip(1).filter(l -> !l.isBlank()).forEach(l -> assertTrue(l.startsWith("  "), "unindented: '" + l + "'\n" + env));
        assertTrue(env.contains("BPNN_NO_BUILD=1") && env.contains("(0 or false: off)"), env);
    }

    @Test
    void topLevelHintHasOneSpace() {
        String err = Cli.run(2, "--no-such-flag").err();
        assertEquals("bpnn: error: Unknown option: '--no-such-flag' (see: ./bpnn --help)", err.strip());
    }

    @Test
    void helpMentionsBench() {
        // bench is run by the launcher script, not by picocli, but belongs in the list
        String out = Cli.run(0, "--help").out();
        assertTrue(out.contains("bench          The quick JMH benchmark suite"), out);
    }

    @Test
    void helpGivesTheBackendAndThreadDefaultsTheEnvironmentSets() {
        // it said "default: all available processors" and "the best available", though BPNN_THREADS and BPNN_BACKEND set them
        String out = Cli.run(0, "xor", "--help").out().replaceAll("\\s+", " ");
        assertTrue(out.contains("(default: $BPNN_BACKEND, else the best available;"), out);
        assertTrue(out.contains("(default: $BPNN_THREADS, else all available processors)"), out);
    }

    @Test
    void activationIsCaseInsensitiveAndItsErrorsListOnlyHiddenActivations() {
        // --activation TANH was unknown (--optimizer ADAM is not), and the list it gave included softmax, which then failed
        // after the backend was created with "layer 1 uses softmax, which belongs on the output layer only"
        assertTrue(Cli.run(0, "xor", "--backend", "scalar", "--activation", "TANH", "--epochs", "1").lastLine().startsWith("{\"example\":\"xor\""));
        assertEquals("unknown --activation 'tahn'; expected sigmoid, tanh, relu, leaky_relu or identity", Cli.error("xor", "--activation", "tahn"));
        Cli.Result r = Cli.run(1, "xor", "--activation", "Softmax");
        assertEquals("bpnn: error: --activation Softmax is for an output layer, not the hidden one; expected sigmoid, tanh, relu, leaky_relu "
                + "or identity", r.err().strip());
        assertEquals("", r.out(), "refused before the network is printed");
    }

    @Test
    void anotherLibrarysActivationNameGetsTheLibrarysAdvice(@TempDir Path dir) throws Exception {
        // the command kept its own list and said only "unknown --activation 'linear'", where Activation.of
        // says which built-in another library's name means, or that a known function is not built in
        String expected = "unknown --activation '%s'; expected sigmoid, tanh, relu, leaky_relu or identity";
        assertEquals(expected.formatted("linear") + "; 'linear' is identity here: use \"identity\"",
                Cli.error("xor", "--activation", "linear"));
        assertEquals(expected.formatted("Logistic") + "; 'Logistic' is sigmoid here: use \"sigmoid\"",
                Cli.error("train", "--input", Files.writeString(dir.resolve("d.csv"), "x,y\n1,a\n2,b\n").toString(), "--label", "y",
                        "--activation", "Logistic"));
        // the library's "(its parameter is the slope, e.g. 0.01)" pointed at a parameter no flag sets: the slope taken is said
        String leaky = expected.formatted("LeakyReLU") + "; 'LeakyReLU' is leaky_relu here: use \"leaky_relu\" (slope 0.01, which"
                + " no flag changes; another slope needs the Java API: Activation.leakyRelu(slope))";
        assertEquals(leaky, Cli.error("xor", "--activation", "LeakyReLU"));
        assertEquals(leaky, Cli.error("train", "--input", dir.resolve("d.csv").toString(), "--label", "y", "--activation", "LeakyReLU"));
        assertTrue(Cli.run(0, "train", "--help").out().replaceAll("\\s+", " ").contains("leaky_relu (slope 0.01)"));
        assertTrue(Cli.error("xor", "--activation", "gelu").startsWith(expected.formatted("gelu")
                + "; gelu is not built in: implement Activation"));
        // the library's softmax is still refused here, so no advice leads to it
        assertEquals(expected.formatted("soft_max"), Cli.error("xor", "--activation", "soft_max"));
    }

    @Test
    void everyDescriptionIsAValidFormatString() {
        // picocli passes descriptions through String.format: imbalanced's "2% fraud" made it print a
        // "[picocli WARN] Could not format" line on standard error and show the text unformatted
        for (picocli.CommandLine sub : Main.commandLine().getSubcommands().values()) {
            picocli.CommandLine.Model.CommandSpec spec = sub.getCommandSpec();
            List<String> texts = new java.util.ArrayList<>(List.of(spec.usageMessage().description()));
            for (picocli.CommandLine.Model.OptionSpec o : spec.options()) texts.addAll(List.of(o.description()));
            for (String text : texts) {
                assertDoesNotThrow(() -> String.format(text), spec.name() + ": " + text);
            }
        }
    }

    @Test
    void helpNeverCutsACommandOrANameAcrossLines() {
        // picocli wraps --help at 80 columns and may break after a "." inside a word: evaluate's --label and
        // --threshold read "as ." then "/bpnn train" on the next line, its --labels example path was cut as
        // "t10k-labels-idx1-ubyte." / "gz", and predict's --threshold as "(SavedModel." / "withThreshold)"
        for (String sub : Main.commandLine().getSubcommands().keySet()) {
            if (sub.equals("help")) continue;
            List<String> lines = Cli.run(0, sub, "--help").out().lines().map(String::strip).toList();
            for (int i = 0; i + 1 < lines.size(); i++) {
                String line = lines.get(i), next = lines.get(i + 1);
                boolean cutCommand = line.matches("(.*[\\s(])?\\.") && next.startsWith("/");
                // a sentence's end is followed by a capital or a flag; "e.g." by anything
                boolean cutName = line.matches(".*\\w\\.") && !line.endsWith("e.g.") && next.matches("[a-z].*");
                assertFalse(cutCommand || cutName, sub + " --help cuts a word across lines " + (i + 1) + " and " + (i + 2)
                        + ": " + line + " | " + next);
            }
        }
    }

    @Test
    void theCsvFlagsHelpGivesEachCommandsOwnDefault() {
        // one text served the three commands: train's help said "(default: ',', or for predict and evaluate the
        // model's ...)", and predict's and evaluate's spoke of "predict and evaluate" as of other commands
        String model = "(default: the model's, the one its training CSV was read with, as ./bpnn inspect shows; ";
        for (String cmd : new String[] {"train", "predict", "evaluate"}) {
            String help = Cli.run(0, cmd, "--help").out().replaceAll("\\s+", " ");
            assertFalse(help.contains("or for predict and evaluate"), cmd + " --help speaks of predict and evaluate as of others");
            for (String flag : new String[] {"--delimiter=CHAR", "--decimal-separator=CHAR"}) {
                String comma = flag.startsWith("--delimiter") ? "','" : "'.'";
                String text = help.substring(help.indexOf(" " + flag + " "));
                text = text.substring(0, text.indexOf(").") + 2); // to the end of its (default: ...)
                assertTrue(text.endsWith(cmd.equals("train") ? " (default: " + comma + "; another is saved with the model, for"
                        + " predict and evaluate)." : " " + model + comma + " if none is saved)."), cmd + " " + flag + ": " + text);
            }
        }
    }

    @Test
    void everySubcommandIsInTheReadmesLauncherTable() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (String sub : Main.commandLine().getSubcommands().keySet()) {
            if (!sub.equals("help")) assertTrue(readme.contains("\n| `" + sub + "` | "), sub + " has no row in README's launcher table");
        }
    }

    @Test
    void everyOutputDirectoryFlagShowsDir() {
        // sine's --out showed picocli's default label, "--out=<out>", where fashion-mnist's shows "--out=DIR"
        for (String cmd : new String[] {"fashion-mnist", "sine", "imbalanced"}) {
            String out = Cli.run(0, cmd, "--help").out();
            assertTrue(out.contains("--out=DIR"), cmd + ": " + out);
            assertTrue(!out.contains("<out>"), cmd + ": " + out);
        }
    }

    @Test
    void anArgumentStartingWithAtIsTakenAsItIs(@TempDir Path dir) throws Exception {
        // picocli read "@x" as an argument file: --input @data.csv took the rows of data.csv (if it existed) as
        // arguments ("Unmatched argument at index 5: '255,255,...'"), a value that was meant as a file name
        Path args = Files.writeString(dir.resolve("args"), "relu");
        String err = Cli.error("xor", "--backend", "scalar", "--activation", "@" + args);
        assertTrue(err.startsWith("unknown --activation '@" + args + "'"), err);
    }

    @Test
    void badLearningRateFailsBeforeAnythingIsPrintedNamingTheFlag() {
        // the optimiser's refusal named the value but not the flag, as every other flag's error does
        for (String cmd : new String[] {"xor", "seed", "sine", "imbalanced", "fashion-mnist"}) {
            Cli.Result r = Cli.run(1, cmd, "--learning-rate", "NaN");
            assertEquals("", r.out(), cmd + " printed before failing");
            assertTrue(r.err().startsWith("bpnn: error: --learning-rate: learning rate must be finite and > 0, got NaN"), r.err());
        }
        assertTrue(Cli.error("fashion-mnist", "--optimizer", "momentum", "--learning-rate", "-1")
                .startsWith("--learning-rate: learning rate must be finite and > 0, got -1.0"));
        // an unknown optimiser is still named as such, not as a learning-rate problem
        assertTrue(Cli.error("fashion-mnist", "--optimizer", "lbfgs").startsWith("unknown --optimizer 'lbfgs'"));
    }

    @Test
    void negativeSeedStepsSaysWhatToPass() {
        // the refusal said only "--steps must be >= 0, got -1": not that 0 is the passes without training
        Cli.Result r = Cli.run(1, "seed", "--steps", "-1");
        assertEquals("", r.out(), "seed printed before failing");
        assertEquals("bpnn: error: --steps must be >= 0, got -1; pass --steps 0 to print the forward and backward passes only,"
                + " or a positive number of gradient-descent steps", r.err().strip());
    }

    @Test
    void aValueWithANewlineIsEscapedNotEchoedOverTwoLines() {
        // picocli's usage error printed the newline itself (two lines); the commands' own errors were cut at it
        Cli.Result r = Cli.run(2, "xor", "st\nray");
        assertEquals("bpnn: error: Unmatched argument at index 1: 'st\\nray' (see: ./bpnn xor --help)", r.err().strip());
        assertEquals("unknown --backend 'a\\nb\\t\\u0007'; expected one of ", Cli.error("xor", "--backend", "a\nb\t\u0007")
                .replaceFirst("(expected one of ).*", "$1"));
        assertEquals("unknown --activation 'x\\r\\ny'; expected sigmoid, tanh, relu, leaky_relu or identity",
                Cli.error("xor", "--activation", "x\r\ny"));
        assertEquals("Invalid value for option '--epochs': 'a\\nb' is not an int (see: ./bpnn xor --help)",
                Cli.run(2, "xor", "--epochs", "a\nb").err().strip().substring("bpnn: error: ".length()));
        assertEquals("x\\u2028y\\u0000", Errors.oneLine("x\u2028y\u0000"));
        assertEquals("plain", Errors.oneLine("plain"));
    }

    @Test
    void hiddenHasAnUpperBound() {
        String err = Cli.run(1, "xor", "--hidden", "100000000").err();
        assertEquals("bpnn: error: --hidden must be in 1..1000000, got 100000000; XOR needs 2 to 4 (2 can stall in a local minimum; the default 4 learns it)", err.strip());
    }

    /** A subcommand that fails with the given throwable, for the handler's sake. */
    @Command(name = "fail")
    static final class Fail implements Callable<Integer> {
        final Throwable t;

        Fail(Throwable t) {
            this.t = t;
        }

        @Override
        public Integer call() throws Exception {
            if (t instanceof Error e) throw e;
            throw (Exception) t;
        }
    }

    private static String failWith(Throwable t) {
        String err = Cli.run(cl -> cl.addSubcommand("fail", new Fail(t)), 1, "fail").err();
        assertEquals(1, err.strip().lines().count(), err);
        return err.strip();
    }

    @Test
    void outOfMemoryIsOneLine() {
        // picocli hands only Exceptions to the execution exception handler; this used to be a stack trace
        String err = failWith(new OutOfMemoryError("Java heap space"));
        assertTrue(err.startsWith("bpnn: error: out of memory (Java heap space, with a maximum heap of "), err);
        // a command with neither --hidden nor --batch-size: only the heap to raise
        assertTrue(err.contains(" MiB); raise the heap with BPNN_JAVA_OPTS=-Xmx"), err);
    }

    /** As {@link Fail}, with the flags that size an example's memory. */
    @Command(name = "fail-sized")
    static final class FailSized implements Callable<Integer> {
        @picocli.CommandLine.Option(names = "--hidden") int hidden;
        @picocli.CommandLine.Option(names = "--batch-size") int batchSize;

        @Override
        public Integer call() {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    @Test
    void outOfMemoryNamesOnlyTheFlagsTheCommandHas() {
        // the hint named "--hidden or --batch-size" whatever the command: xor has no --batch-size,
        // fashion-mnist no --hidden, predict and sine neither (./bpnn xor --hidden 1000000 in a small heap)
        String xor = Errors.message(new OutOfMemoryError("x"), Main.commandLine().getSubcommands().get("xor").getCommandSpec());
        assertTrue(xor.contains(" MiB); lower --hidden, or raise the heap with BPNN_JAVA_OPTS=-Xmx"), xor);
        String fashion = Errors.message(new OutOfMemoryError("x"), Main.commandLine().getSubcommands().get("fashion-mnist").getCommandSpec());
        assertTrue(fashion.contains(" MiB); lower --batch-size, or raise the heap"), fashion);
        String predict = Errors.message(new OutOfMemoryError("x"), Main.commandLine().getSubcommands().get("predict").getCommandSpec());
        assertTrue(predict.contains(" MiB); raise the heap"), predict);
        String both = Cli.run(cl -> cl.addSubcommand("fail-sized", new FailSized()), 1, "fail-sized").err().strip();
        assertTrue(both.contains("lower --hidden or --batch-size, or raise the heap with BPNN_JAVA_OPTS=-Xmx"), both);
    }

    @Test
    void fileSystemErrorsSayWhy() {
        // their getMessage() is the path alone
        assertEquals("bpnn: error: /x/y: permission denied; check its permissions or choose another path",
                failWith(new AccessDeniedException("/x/y")));
        assertEquals("bpnn: error: /x/y: no such file or directory; check the path", failWith(new NoSuchFileException("/x/y")));
        assertEquals("bpnn: error: /x/y: already exists", failWith(new FileAlreadyExistsException("/x/y")));
        assertEquals("bpnn: error: /x/y: not a directory", failWith(new NotDirectoryException("/x/y")));
        assertEquals("bpnn: error: /x/y: read-only file system", failWith(new FileSystemException("/x/y", null, "Read-only file system")));
        assertEquals("bpnn: error: /x/y -> /z: file system error (FileSystemException)", failWith(new FileSystemException("/x/y", "/z", null)));
        // a reason that carries its own hint (ModelFile's) gets no second one
        assertEquals("bpnn: error: /x/y: permission denied; check that directory /x is writable",
                failWith(new AccessDeniedException("/x/y", null, "permission denied; check that directory /x is writable")));
        assertEquals("bpnn: error: /x/y: no such file or directory", failWith(new java.io.UncheckedIOException(
                new NoSuchFileException("/x/y", null, "no such file or directory"))));
    }

    @Test
    void noSubcommandIsAUsageError() {
        // it printed the usage on standard output and exited 0
        Cli.Result r = Cli.run(2);
        assertTrue(r.err().startsWith("bpnn: error: no subcommand given; choose one of these:"), r.err());
        assertTrue(r.err().contains("fashion-mnist") && r.err().contains("predict"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aDivergedRunNamesTheFlagToChange() {
        // the Trainer's remedy named its builder options (clipping, nonFinitePolicy), which no command has
        String err = Cli.error("sine", "--backend", "scalar", "--learning-rate", "1e30", "--epochs", "3");
        assertTrue(err.startsWith("training diverged at epoch 1, batch "), err);
        assertTrue(err.endsWith("; lower --learning-rate (try a tenth of it)"), err);
    }

    @Test
    void aDivergedRunKeepsTheRestoredWeightsNote() {
        // the cut at the Trainer's remedies dropped what followed them: which epoch's weights restoreBestWeights put back
        String msg = "training diverged at epoch 4, batch 2 of 9: the cost is NaN; lower the learning rate (now 0.5), clip"
                + " gradients; restoreBestWeights: the network holds the best weights again, those of epoch 3";
        assertEquals("bpnn: error: training diverged at epoch 4, batch 2 of 9: the cost is NaN; lower --learning-rate (try a"
                + " tenth of it); the network holds the best weights again, those of epoch 3",
                failWith(new org.bpnn.train.TrainingDivergedException(msg, 4, 2, "", 3)));
        assertEquals("bpnn: error: training diverged at epoch 4, batch 2 of 9: the cost is NaN; lower --learning-rate (try a"
                + " tenth of it)", failWith(new org.bpnn.train.TrainingDivergedException(
                        "training diverged at epoch 4, batch 2 of 9: the cost is NaN; lower the learning rate", 4, 2, "", 0)));
    }

    @Test
    void backendFlagErrorsNameTheFlag() {
        // Backends' message said "Set -Dbpnn.backend or BPNN_BACKEND", although --backend was used
        String err = Cli.error("xor", "--backend", "foo");
        assertTrue(err.startsWith("unknown --backend 'foo'; expected one of "), err);
        assertTrue(err.contains("scalar") && err.endsWith("(./bpnn backends shows which are available here)"), err);
        // the scalar backend has one thread: said, not silently ignored
        Cli.Result r = Cli.run(0, "xor", "--backend", "scalar", "--threads", "2");
        assertTrue(r.err().contains("bpnn: warning: the scalar backend runs on 1 thread(s); --threads 2 does not apply to it"), r.err());
        assertTrue(r.lastLine().contains("\"threads\":1"), r.lastLine());
    }

    @Test
    void aThreadCountTheBackendRefusesNamesWhereItCameFrom() {
        // "backend 'simd' refused 5000 thread(s): ..." named neither --threads nor the setting
        org.junit.jupiter.api.Assumptions.assumeTrue(org.bpnn.backend.Backends.availabilityOf(org.bpnn.backend.Backends.providers()
                .stream().filter(p -> p.name().equals("simd")).findFirst().orElseThrow()).available(), "simd is unavailable");
        String refusal = "threads must be in [1, 1024], got 5000; this machine has " + Runtime.getRuntime().availableProcessors()
                + " processors, and more threads than cores only slow the kernels down";
        for (String[] args : new String[][] {{"xor", "--threads", "5000"}, {"xor", "--backend", "simd", "--threads", "5000"}}) {
            assertEquals("--threads 5000: backend 'simd' refused 5000 thread(s): " + refusal + "; choose another --threads", Cli.error(args));
        }
        System.setProperty("bpnn.threads", "5000");
        try {
            assertEquals("backend 'simd' refused 5000 thread(s) from -Dbpnn.threads: " + refusal + "; set -Dbpnn.threads to another count",
                    Cli.error("xor", "--backend", "simd"));
        } finally {
            System.clearProperty("bpnn.threads");
        }
    }

    @Test
    void aFailedStaticInitialiserGivesItsCause() {
        assertEquals("bpnn: error: -Dx must be 1, got '2'",
                failWith(new ExceptionInInitializerError(new IllegalArgumentException("-Dx must be 1, got '2'"))));
    }

    @Test
    void undecodableTextSaysItIsNotUtf8() {
        // MalformedInputException's message is "Input length = 1"
        assertEquals("bpnn: error: an input file is not UTF-8 text (Input length = 1); save it as UTF-8",
                failWith(new MalformedInputException(1)));
    }

    @Test
    void summaryJson() {
        assertEquals("{\"example\":\"t\",\"s\":\"a\\\"b\\n\",\"x\":0.89123456,\"n\":60000,\"bad\":null}",
                new Summary("t").put("s", "a\"b\n").put("x", 0.89123456).put("n", 60000).put("bad", Double.NaN).toJson());
    }
}
