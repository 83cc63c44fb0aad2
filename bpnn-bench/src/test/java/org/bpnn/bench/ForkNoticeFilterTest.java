package org.bpnn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** ForkNoticeFilter drops each JMH fork's incubator notice from the report, and nothing else. */
class ForkNoticeFilterTest {
    private static final String NOTICE = "WARNING: Using incubator modules: jdk.incubator.vector";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ForkNoticeFilter filter = new ForkNoticeFilter(out);

    private String write(String s) throws IOException {
        filter.write(s.getBytes(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachForksNoticeIsDroppedOnceBetweenItsHeaderAndItsFirstIteration() throws IOException {
        // as JMH 1.37 relays it: the fork's own standard error just after "# Fork: N of M"
        write(NOTICE + "\n# Run progress: 0.00% complete\n# Fork: 1 of 1\n" + NOTICE + "\n");
        write("Iteration   1: 413.581 ns/op\n" + NOTICE + "\n");
        // -Xlog on the suite's JVM (forks inherit it) prints before the notice; warm-up forks too
        write("# Warmup Fork: 1 of 2\n[0.004s][info][gc] Using G1\n" + NOTICE + "\n" + NOTICE + "\n");
        write("# Warmup Iteration   1: 1 ns/op\n# Fork: 1 of 2\n" + NOTICE + "X\n# Fork: 2 of 2\nWARNING: Using\n");
        write("# Fork: 3 of 3\n# Warmup Iteration   1: 2 ns/op\n" + NOTICE + "\n");
        assertEquals(NOTICE + "\n# Run progress: 0.00% complete\n# Fork: 1 of 1\n"
                + "Iteration   1: 413.581 ns/op\n" + NOTICE + "\n"   // after an iteration: not a fork's
                + "# Warmup Fork: 1 of 2\n[0.004s][info][gc] Using G1\n" + NOTICE + "\n"  // the second: kept
                + "# Warmup Iteration   1: 1 ns/op\n# Fork: 1 of 2\n" + NOTICE + "X\n# Fork: 2 of 2\nWARNING: Using\n"
                + "# Fork: 3 of 3\n# Warmup Iteration   1: 2 ns/op\n" + NOTICE + "\n",
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void bytesPassAsTheyArriveAndOnlyABeginningOfTheNoticeIsHeld() throws IOException {
        // "Iteration   1: " waits a second for its score: it must show at once, not with the score
        assertEquals("# Fork: 1 of 1\nIteration   1: ", write("# Fork: 1 of 1\nIteration   1: "));
        assertEquals("# Fork: 1 of 1\nIteration   1: 5 ns/op\n# Fork: 2 of 2\n", write("5 ns/op\n# Fork: 2 of 2\n"));
        // byte by byte, as the relay may split it: held while it can still be the notice
        String before = out.toString(StandardCharsets.UTF_8);
        for (byte b : "WARNING: Using inc".getBytes(StandardCharsets.UTF_8)) filter.write(b);
        assertEquals(before, out.toString(StandardCharsets.UTF_8));
        assertEquals(before + "WARNING: Using incX", write("X"));
        // a held beginning at the very end is passed on when the report closes
        write("\n# Fork: 3 of 3\nWARNING");
        filter.close();
        assertEquals(before + "WARNING: Using incX\n# Fork: 3 of 3\nWARNING", out.toString(StandardCharsets.UTF_8));
    }
}
