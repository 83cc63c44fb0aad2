package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.ref.WeakReference;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.junit.jupiter.api.Test;

/** The per-thread predict buffers must not keep a dropped network alive. */
class PredictWorkspaceLeakTest {
    private static Network tiny() {
        return Network.builder(4).dense(3, Activation.tanh()).dense(2, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(1).backend(ScalarBackend.INSTANCE).build();
    }

    /**
     * A network predicted on from a long-lived thread (a pool's worker) must be collectable once
     * dropped: its per-thread buffers must not hold it.
     */
    @Test
    void aDroppedNetworkIsNotHeldByThePredictingThread() throws InterruptedException {
        WeakReference<Network> ref = predictOnceAndDrop();
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(ref.get(), "the network is still reachable from this thread's predict buffers after being dropped");
    }

    private static WeakReference<Network> predictOnceAndDrop() {
        Network net = tiny();
        net.predict(new float[] {1, 2, 3, 4});
        return new WeakReference<>(net);
    }
}
