package org.bpnn.examples;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The library's log as the subcommands want it. {@code predict}, {@code evaluate}, {@code inspect} and
 * {@code backends} leave out its INFO lines (the vector width, the backend chosen): predict's and
 * evaluate's JSON lines name backend and threads, and the lines would come before the one-line error of
 * a bad model or input file; backends prints its choice itself.
 */
public final class LibraryLog {
    /** The library's loggers' parent (held here: the logging framework keeps loggers only weakly). */
    private static final Logger BPNN = Logger.getLogger("org.bpnn");

    /** A piece of a subcommand's work. */
    public interface Work<T> {
        T run() throws IOException;
    }

    private LibraryLog() {}

    /** Runs {@code work} with the library logging WARNING and above only, then restores its level. */
    public static <T> T withoutInfo(Work<T> work) throws IOException {
        Level level = BPNN.getLevel();
        BPNN.setLevel(Level.WARNING);
        try {
            return work.run();
        } finally {
            BPNN.setLevel(level);
        }
    }
}
