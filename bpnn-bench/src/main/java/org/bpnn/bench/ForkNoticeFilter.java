package org.bpnn.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Drops each JMH fork's "WARNING: Using incubator modules: jdk.incubator.vector" line from the report
 * JMH prints, and nothing else.
 *
 * <p>Every forked JVM prints that notice on its standard error before its main (no flag silences it),
 * and JMH 1.37 relays a fork's standard output and standard error, as bytes, into its report
 * (Runner.doFork: InputStreamDrainer into an OutputFormatAdapter), just after the fork's
 * "# Fork: N of M" or "# Warmup Fork: N of M" line. So a line is dropped only when it is exactly the
 * notice, comes after such a header and before that fork's first "# Warmup Iteration" or "Iteration"
 * line, and is the first one to do so: once per fork. A copy anywhere else (a benchmark printing it,
 * a failed fork's tail JMH reprints) passes. Bytes pass on as they arrive, partial lines included
 * ("Iteration   1: " waiting for its score): only a line that is still a beginning of the notice, in
 * that window, is held until it differs or ends.
 *
 * <p>In the suite's own JVM, not a filter process in the launcher: a process substitution would
 * outlive java, and a caller through ProcessBuilder loses what it writes after java exits (the JDK
 * closes the child's pipes when it exits), the JSON line last of all.
 */
final class ForkNoticeFilter extends OutputStream {
    static final byte[] NOTICE = "WARNING: Using incubator modules: jdk.incubator.vector".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern FORK_HEADER = Pattern.compile("# (Warmup )?Fork: [0-9]+ of [0-9]+");
    /** Long enough for a fork header and the start of an iteration line; a longer line is neither. */
    private static final int LINE_START = 64;

    private final OutputStream out;
    /** This line's first bytes, for the headers. */
    private final byte[] lineStart = new byte[LINE_START];
    private int lineLength;
    /** The bytes of this line not yet passed on: while they are a beginning of the notice, in the window. */
    private final byte[] held = new byte[NOTICE.length];
    private int heldLength;
    /** Whether this line is still held (nothing of it passed on yet). */
    private boolean holding = true;
    /** Between a fork's header and its notice or first iteration. */
    private boolean armed;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    ForkNoticeFilter(OutputStream out) {
        this.out = out;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        accept((byte) b);
        drain();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        for (int i = 0; i < len; i++) accept(b[off + i]);
        drain();
    }

    private void accept(byte b) {
        if (b == '\n') {
            if (holding && armed && heldLength == NOTICE.length) {
                armed = false; // the fork's notice: dropped with its newline
            } else {
                pending.write(held, 0, heldLength);
                pending.write('\n');
                String start = new String(lineStart, 0, Math.min(lineLength, LINE_START), StandardCharsets.ISO_8859_1);
                if (lineLength <= LINE_START && FORK_HEADER.matcher(start).matches()) {
                    armed = true;
                } else if (start.startsWith("# Warmup Iteration") || start.startsWith("Iteration ")) {
                    armed = false;
                }
            }
            lineLength = 0;
            heldLength = 0;
            holding = true;
            return;
        }
        if (lineLength < LINE_START) lineStart[lineLength] = b;
        lineLength++;
        if (!holding) {
            pending.write(b);
        } else if (armed && heldLength < NOTICE.length && NOTICE[heldLength] == b) {
            held[heldLength++] = b;
        } else {
            pending.write(held, 0, heldLength);
            pending.write(b);
            heldLength = 0;
            holding = false;
        }
    }

    private void drain() throws IOException {
        if (pending.size() > 0) {
            pending.writeTo(out);
            pending.reset();
        }
    }

    /** Passes on everything but a held beginning of the notice, which the next bytes decide. */
    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    /** The held bytes too (the stream ended inside a line); the wrapped stream stays open. */
    @Override
    public synchronized void close() throws IOException {
        pending.write(held, 0, heldLength);
        heldLength = 0;
        holding = false;
        drain();
        out.flush();
    }

}
