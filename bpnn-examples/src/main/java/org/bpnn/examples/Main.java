package org.bpnn.examples;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bpnn.examples.backends.BackendsCommand;
import org.bpnn.examples.fashion.FashionMnistCommand;
import org.bpnn.examples.imbalanced.ImbalancedCommand;
import org.bpnn.examples.inspect.InspectCommand;
import org.bpnn.examples.predict.EvaluateCommand;
import org.bpnn.examples.predict.PredictCommand;
import org.bpnn.examples.seed.SeedCommand;
import org.bpnn.examples.sine.SineCommand;
import org.bpnn.examples.train.TrainCommand;
import org.bpnn.examples.xor.XorCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The bpnn command line ({@code ./bpnn} at the repository root runs it). Each example is a
 * subcommand with {@code --help}; every run ends with one JSON line on standard output. Bad flags and
 * bad files give a one-line error on standard error and a non-zero exit, never a stack trace (set
 * {@code BPNN_DEBUG=1} to see one).
 */
@Command(name = "bpnn", mixinStandardHelpOptions = true, version = "bpnn 0.1.0",
        description = "Backpropagation neural networks on the JVM: runnable examples.",
        // `bench` is run by the ./bpnn launcher itself (a separate JMH jar), so picocli cannot list it
        footer = {"", "Run by the ./bpnn launcher itself (not by this jar):",
                "  bench          The quick JMH benchmark suite: ./bpnn bench [--out DIR]",
                "                   [--threads 1,2] [--scalar] (see ./bpnn bench --help).",
                "",
                "Environment (read by the ./bpnn launcher and this program):",
                "  BPNN_DATA        directory of the Fashion-MNIST IDX files (or --data)",
                "  BPNN_BACKEND     default backend (or --backend); BPNN_THREADS: threads",
                "  BPNN_JAVA_OPTS   extra JVM options, e.g. -Xmx4g (the launcher adds",
                "                   -XX:+UseParallelGC unless these name a collector,",
                "                   -XX:+UseTransparentHugePages where the kernel offers",
                "                   them and -XX:ObjectAlignmentInBytes=64, and sends the",
                "                   JVM's log warnings to standard error unless an -Xlog",
                "                   is given; bench keeps G1 and its forks get the",
                "                   alignment); split at whitespace, no quotes: a value",
                "                   with a space goes in JDK_JAVA_OPTIONS",
                "  BPNN_CLASSPATH   jars or directories to add: a third-party backend",
                // each line within the usage width (80): picocli wraps a longer footer line at column 0
                "  BPNN_NO_BUILD=1  never rebuild, even when sources are newer than the jar",
                "                   (0 or false: off)",
                "  BPNN_DEBUG=1     print the stack trace of an error (0 or false: off)",
                "  JAVA or JAVA_HOME  the java to run"},
        subcommands = {FashionMnistCommand.class, TrainCommand.class, PredictCommand.class, EvaluateCommand.class, InspectCommand.class, SeedCommand.class, XorCommand.class, SineCommand.class,
                ImbalancedCommand.class, BackendsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    static {
        // One short line per log record (the backend choice), instead of JUL's two-line default.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        }
    }

    @Spec
    CommandSpec spec;

    /** No subcommand: the usage on the error stream and exit 2, as for any other usage error. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("bpnn: error: no subcommand given; choose one of these:");
        spec.commandLine().usage(err);
        err.flush();
        return 2;
    }

    /** Parses and runs; returns the exit code. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * For a -D word among the unknown arguments (./bpnn xor -Dbpnn.threads=2, as a java command line
     * takes it), where it goes instead: the launcher hands the JVM only BPNN_JAVA_OPTS, and "Unknown
     * option: '-Dbpnn.threads=2'" alone does not say so. Empty for any other error.
     */
    static String javaOptionHint(CommandLine.ParameterException ex, String sub, String[] args) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u) {
            for (String a : u.getUnmatched()) {
                if (a.startsWith("-D")) {
                    // before the subcommand (./bpnn -Dbpnn.threads=2 xor) the error is the top level's: the
                    // example takes the subcommand from the arguments, or it would run none
                    String command = sub;
                    for (int i = 0; command.isEmpty() && i < args.length; i++) {
                        if (ex.getCommandLine().getSubcommands().containsKey(args[i])) {
                            command = args[i];
                        }
                    }
                    return "; a JVM system property goes in BPNN_JAVA_OPTS, not among ./bpnn's arguments: BPNN_JAVA_OPTS="
                            + a + " ./bpnn" + (command.isEmpty() ? "" : " " + command)
                            + "; bpnn.backend and bpnn.threads are also the variables BPNN_BACKEND and BPNN_THREADS";
                }
            }
        }
        return "";
    }

    /**
     * For a mistyped subcommand or option, the names it was likely meant as: picocli's "Unknown options: '--treshold',
     * '0.3'" or "Unmatched argument at index 0: 'trian'" does not say what to type instead, and it reports a mistyped
     * required option ("--lable") only as the option missing ("Missing required option: '--label=COLUMN'"), the word
     * typed never named. Empty when nothing is close.
     */
    static String typoHint(CommandLine.ParameterException ex, String[] args) {
        CommandLine line = ex.getCommandLine();
        CommandSpec spec = line.getCommandSpec();
        List<String> options = new ArrayList<>();
        spec.options().forEach(o -> options.addAll(List.of(o.names())));
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            if (first.startsWith("-")) {
                String word = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
                return didYouMean("'" + word + "' is not an option of ./bpnn" + commandWords(spec) + ": did you mean ", word,
                        options);
            }
            if (line.getParent() == null && !line.getSubcommands().isEmpty()) {
                List<String> commands = new ArrayList<>(line.getSubcommands().keySet());
                commands.add("bench"); // run by the launcher, not picocli (a mistyped one reaches here)
                return didYouMean("'" + first + "' is not a subcommand: did you mean ", first, commands);
            }
        }
        if (ex instanceof CommandLine.MissingParameterException m) {
            List<String> missing = new ArrayList<>();
            m.getMissing().forEach(a -> {
                if (a instanceof CommandLine.Model.OptionSpec o) missing.addAll(List.of(o.names()));
            });
            // the words after the subcommand that are no option of it: one close to a missing option is its typo
            boolean after = line.getParent() == null;
            for (String a : args) {
                if (!after) {
                    after = a.equals(spec.name());
                    continue;
                }
                String word = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
                if (word.startsWith("--") && !options.contains(word)) {
                    String hint = didYouMean("'" + word + "' is not an option of ./bpnn" + commandWords(spec) + ": did you mean ",
                            word, missing);
                    if (!hint.isEmpty()) return hint;
                }
            }
        }
        return "";
    }

    private static String commandWords(CommandSpec spec) {
        return spec.parent() == null ? "" : " " + spec.name();
    }

    /** "; PREFIX a or b?" with the candidates close to word ({@link NearestNames#typo}), else empty. */
    private static String didYouMean(String prefix, String word, List<String> candidates) {
        List<String> close = NearestNames.typo(word, candidates);
        return close.isEmpty() ? "" : "; " + prefix + String.join(" or ", close) + "?";
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // picocli's default reads an argument "@x" as the arguments in file x: a file name starting with @
        // (--input @data.csv) would be replaced by the rows of data.csv when that exists
        cl.setExpandAtFiles(false);
        // every subcommand's help lists -V, --version (mixinStandardHelpOptions), but only this command
        // has a version: without this, ./bpnn xor -V would print nothing and exit 0. Given here, not inherited with
        // scope INHERIT, which would also give each subcommand the environment footer.
        for (CommandLine sub : cl.getSubcommands().values()) {
            sub.getCommandSpec().version(cl.getCommandSpec().version());
        }
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            // qualifiedName is "bpnn" at the top level and "bpnn xor" below it: drop "bpnn" and its space only when present
            String sub = ex.getCommandLine().getCommandSpec().qualifiedName(" ").replaceFirst("^bpnn( |$)", "");
            // picocli echoes the argument ("Unmatched argument at index 1: 'a<newline>b'"): escaped, so one line
            String hint = javaOptionHint(ex, sub, args);
            err.println("bpnn: error: " + Errors.oneLine(String.valueOf(ex.getMessage()) + (hint.isEmpty() ? typoHint(ex, args) : hint))
                    + " (see: ./bpnn " + (sub.isEmpty() ? "" : sub + " ") + "--help)");
            return 2;
        });
        // picocli hands only Exceptions to the handler below; an OutOfMemoryError (./bpnn xor --hidden
        // 100000000) or a failed static initialiser would escape as a stack trace, so they are wrapped
        // here. The failed allocation is gone by then, so there is memory again to print the message.
        cl.setExecutionStrategy(parsed -> {
            java.util.List<CommandLine> commands = parsed.asCommandLineList();
            int code;
            try {
                code = new CommandLine.RunLast().execute(parsed);
            } catch (OutOfMemoryError | ExceptionInInitializerError e) {
                throw new CommandLine.ExecutionException(commands.get(commands.size() - 1), e.toString(), e);
            }
            // System.out, a PrintStream, swallows write errors: predictions or the JSON line lost to a
            // full disk (predict > /dev/full) or a closed pipe ended with exit 0, the output incomplete.
            // checkError flushes first; it keeps no reason, so the likely ones are named.
            if (System.out.checkError()) {
                PrintWriter err = commands.get(commands.size() - 1).getErr();
                err.println("bpnn: error: could not write to standard output (a full disk, or a pipe closed by its reader?): "
                        + "the output is incomplete; free space on its disk, or redirect it elsewhere");
                err.flush();
                return code == 0 ? 1 : code;
            }
            return code;
        });
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            Throwable cause = ex instanceof CommandLine.ExecutionException
                    && (ex.getCause() instanceof OutOfMemoryError || ex.getCause() instanceof ExceptionInInitializerError)
                    ? ex.getCause() : ex;
            if (switchOn(System.getenv("BPNN_DEBUG"))) {
                cause.printStackTrace(line.getErr());
            }
            line.getErr().println("bpnn: error: " + Errors.message(cause, line.getCommandSpec()));
            line.getErr().flush();
            return 1;
        });
        return cl;
    }

    /**
     * Whether an on/off environment variable is on: set to anything but empty (as for the other
     * BPNN_ variables, empty counts as unset), 0 or false. The launcher reads BPNN_NO_BUILD the same
     * way; BPNN_DEBUG=0 means no stack traces (were every set value on, it would print them).
     */
    static boolean switchOn(String value) {
        return value != null && !value.isEmpty() && !value.equals("0") && !value.equalsIgnoreCase("false");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
