package org.bpnn.bench.passes;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A bad -p net value is refused in the set-up with a message naming the parameter and its format. */
class PassBenchmarkTest {
    private static PassBenchmark bench(String net) {
        PassBenchmark b = new PassBenchmark();
        b.backend = "scalar";
        b.threads = 1;
        b.net = net;
        return b;
    }

    @Test
    void aMalformedNetSaysWhatItTakes() {
        // "784-256" (no batch) threw ArrayIndexOutOfBoundsException, "784-x@4" NumberFormatException
        for (String bad : new String[] {"784-256", "784-x@4", "784@4", "784-256-10@0", "784-0-10@4", "2-3@4@4", "784-256-10@"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bench(bad).setUp(), bad);
            assertTrue(e.getMessage().contains("-p net takes SIZES@BATCH") && e.getMessage().contains("got '" + bad + "'"),
                    e.getMessage());
        }
    }

    @Test
    void aWellFormedNetSetsUp() {
        assertDoesNotThrow(() -> bench("2-3-2-2@4").setUp());
        assertDoesNotThrow(() -> bench("5-3@1").setUp());
    }
}
