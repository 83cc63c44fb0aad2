package org.bpnn.bench.passes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.nn.Network;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** -p net picks the network PredictBenchmark times; a bad value is refused with the format it takes. */
class PredictBenchmarkTest {
    private static PredictBenchmark bench(String net) {
        PredictBenchmark b = new PredictBenchmark();
        b.backend = "scalar";
        b.threads = 1;
        b.net = net;
        return b;
    }

    @Test
    void aMalformedNetSaysWhatItTakes() {
        for (String bad : new String[] {"784-256-128-10@128", "784", "784-x-10", "784-0-10", "784-256-", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bench(bad).setUp(), bad);
            assertTrue(e.getMessage().contains("-p net takes SIZES: ") && e.getMessage().contains("got '" + bad + "'"),
                    e.getMessage());
        }
    }

    /** The default is the main job's network; another one is built and predicted in full, all its outputs. */
    @Test
    void predictsTheNetworkNamed() throws Exception {
        String[] nets = PredictBenchmark.class.getField("net").getAnnotation(org.openjdk.jmh.annotations.Param.class).value();
        assertArrayEquals(new String[] {"784-256-128-10"}, nets);
        for (String net : new String[] {"784-256-128-10", "20-8-6-5", "2-3-2-2"}) {
            PredictBenchmark b = bench(net);
            b.setUp();
            Tensor out = b.predictInto();
            Network scalar = PassBenchmark.build(net, ScalarBackend.INSTANCE);
            Tensor ref = scalar.predict(PassBenchmark.batch(scalar, 1)[0]);
            int outputs = Integer.parseInt(net.substring(net.lastIndexOf('-') + 1));
            assertEquals(outputs, out.size(), net);
            assertArrayEquals(ref.data(), out.data(), net);
            assertArrayEquals(ref.data(), b.predictArray(), net);
        }
    }
}
