package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The per-thread predict buffers: reuse across alternating batch sizes, sizes seen before. */
class PredictWorkspaceCacheTest {
    private static Network tiny() {
        return Network.builder(4).dense(3, Activation.tanh()).dense(2, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(1).backend(ScalarBackend.INSTANCE).build();
    }

    /**
     * A chunked batch (300 rows: chunks of 256 and 44) alternating with a small one (100 rows): both
     * sizes were seen before, so predict(x, out) must allocate nothing. The cache of the two most
     * recently allocated sizes evicted the 256-row chunk buffers on every alternation.
     */
    @Test
    void chunkedAndSmallBatchAlternatingAllocateNothing() {
        Network net = tiny();
        Tensor big = Tensor.zeros(300, 4), bigOut = Tensor.zeros(300, 2);
        Tensor small = Tensor.zeros(100, 4), smallOut = Tensor.zeros(100, 2);
        Runnable call = () -> {
            net.predict(big, bigOut);
            net.predict(small, smallOut);
        };
        for (int i = 0; i < 200; i++) call.run();
        AllocationMeter meter = new AllocationMeter();
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long start = meter.bytes();
            for (int i = 0; i < 10; i++) call.run();
            least = Math.min(least, meter.since(start));
        }
        assertEquals(0, least, "predict(x, out) alternating 300 and 100 rows allocated " + least + " bytes per 10 calls");
    }
}
