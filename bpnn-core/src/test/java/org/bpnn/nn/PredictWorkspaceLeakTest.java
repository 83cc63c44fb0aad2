package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.ref.WeakReference;
import java.util.List;
import org.bpnn.backend.Backend;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The per-thread predict buffers must not keep a dropped network, nor themselves, alive. */
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
        awaitCollection(ref);
        assertNull(ref.get(), "the network is still reachable from this thread's predict buffers after being dropped");
    }

    /** Asks for collections until ref is cleared, for at most a second. */
    private static void awaitCollection(WeakReference<?> ref) throws InterruptedException {
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
    }

    private static WeakReference<Network> predictOnceAndDrop() {
        Network net = tiny();
        net.predict(new float[] {1, 2, 3, 4});
        return new WeakReference<>(net);
    }

    /**
     * The buffers themselves must go with the dropped network. The thread's ThreadLocal entry held
     * them, and the JDK clears a dead key's value only when later ThreadLocal calls on the thread
     * happen to probe its slot: an executor thread that had predicted with hundreds of discarded
     * networks kept dozens of buffer sets (32 MB of float[] in 3 threads after 400 networks of
     * 64-128-128-10; the heap grew from 3 to 50 MB and stayed there). The layer below records the
     * output tensor that predict hands it, which is part of the thread's buffers.
     */
    @Test
    void aDroppedNetworksPredictBuffersAreNotHeldByThePredictingThread() throws InterruptedException {
        WeakReference<Tensor> buffer = predictThroughARecorderAndDrop();
        awaitCollection(buffer);
        assertNull(buffer.get(), "a dropped network's predict buffers are still reachable from the thread that predicted");
    }

    private static WeakReference<Tensor> predictThroughARecorderAndDrop() {
        Recorder recorder = new Recorder();
        Network net = Network.builder(4).layer(recorder).dense(2, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(1).backend(ScalarBackend.INSTANCE).build();
        net.predict(new float[] {1, 2, 3, 4});
        if (recorder.output == null) {
            throw new AssertionError("predict did not run the recording layer");
        }
        return recorder.output;
    }

    /** The identity on 4 features, without parameters, remembering (weakly) the last output buffer. */
    private static final class Recorder implements Layer {
        WeakReference<Tensor> output;

        @Override public int inputSize() { return 4; }
        @Override public int outputSize() { return 4; }
        @Override public List<Parameter> parameters() { return List.of(); }
        @Override public void forward(Backend b, Tensor x, Tensor y, Tensor scratch, boolean training) {
            System.arraycopy(x.data(), 0, y.data(), 0, x.size());
            output = new WeakReference<>(y);
        }
        @Override public void backward(Backend b, Tensor x, Tensor y, Tensor dy, boolean dyIsDelta, Tensor dx, Tensor scratch) {
            if (dx != null) System.arraycopy(dy.data(), 0, dx.data(), 0, dy.size());
        }
        @Override public double[] forwardDouble(double[][] params, double[] x, int batch) {
            return x.clone();
        }
    }
}
