package org.bpnn.bench.kernels;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A bad -p shape value is refused in the set-up with a message naming the parameter and its format. */
class GemmBenchmarkTest {
    private static GemmBenchmark bench(String shape) {
        GemmBenchmark b = new GemmBenchmark();
        b.backend = "scalar";
        b.threads = 1;
        b.shape = shape;
        return b;
    }

    @Test
    void aMalformedShapeSaysWhatItTakes() {
        // "128x128x128" and "NN_128x128" threw ArrayIndexOutOfBoundsException; "XN_..." ran as NN,
        // "NN_0x4x4" failed in the kernel, "NN_100000x100000x1" with a NegativeArraySizeException
        for (String bad : new String[] {"128x128x128", "NN_128x128", "XN_4x4x4", "NN_0x4x4", "NN_4x4x4x4", "nn_4x4x4",
                "NN_100000x100000x1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bench(bad).setUp(), bad);
            assertTrue(e.getMessage().contains("-p shape takes TT_MxNxK") && e.getMessage().contains("got '" + bad + "'"),
                    e.getMessage());
        }
    }

    @Test
    void aWellFormedShapeSetsUp() {
        for (String good : new String[] {"NN_4x5x6", "NT_1x7x3", "TN_3x2x5", "TT_2x3x4"}) {
            assertDoesNotThrow(() -> bench(good).setUp(), good);
        }
    }
}
