package org.bpnn.bench.passes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.nn.Network;
import org.bpnn.tensor.Tensor;
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

    /**
     * backward is the backward pass of a training step: the parameter gradients it leaves are the ones
     * computeGradients gives on the same batch (bit for bit: same backend, same products). It began from
     * a random dL/da[L] and took softmax outputs as unfused, timing a Jacobian product training never runs.
     */
    @Test
    void backwardLeavesTheGradientsOfATrainingStep() {
        for (String net : new String[] {"2-3-2-2@4", "20-8-6-5@7"}) {
            PassBenchmark b = bench(net);
            b.setUp();
            b.backward();
            String sizes = net.substring(0, net.indexOf('@'));
            Network ref = PassBenchmark.build(sizes, ScalarBackend.INSTANCE);
            Tensor[] xy = PassBenchmark.batch(ref, PassBenchmark.batchOf(net));
            ref.computeGradients(xy[0], xy[1]);
            for (int p = 0; p < ref.parameters().size(); p++) {
                assertArrayEquals(ref.parameters().get(p).grad().data(), b.network.parameters().get(p).grad().data(),
                        net + " " + ref.parameters().get(p).name());
            }
        }
    }

    /** As the README says: the set-up checks every default case against the scalar reference but the largest. */
    @Test
    void everyDefaultNetButTheLargestIsCheckedAgainstScalar() throws Exception {
        String[] nets = PassBenchmark.class.getField("net").getAnnotation(org.openjdk.jmh.annotations.Param.class).value();
        for (String net : nets) {
            assertEquals(!net.equals("1024-1024-1024-10@128"), PassBenchmark.checkedAgainstScalar(net), net);
        }
    }
}
