package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.nn.AllocationMeter;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link Trainer#state} copies each array it keeps once: the state holds the weights and the best
 * weights (two model copies; plain SGD has no buffers), so a capture allocates about two models and
 * a fixed amount besides. It made the best weights' copy twice (a snapshot's values(), then the
 * record's own copy), and after a fit that restored the best weights the last epoch's weights twice
 * and the network once more to compare: five models a capture. Counted with {@link AllocationMeter}
 * after a warm-up capture; the model (66,049 parameters, 258 KB a copy) is large enough that the
 * fixed part is small against one copy.
 */
class StateAllocationTest {
    private static final long FIXED = 32 << 10;

    @Test
    void aCaptureAfterRestoringTheBestWeightsCopiesEachArrayOnce() {
        Network net = network();
        // trained towards y, validated on -y: every epoch after the first is worse, so fit restores epoch 1
        Dataset train = data(1f), validation = data(-1f);
        Trainer t = trainer();
        TrainingHistory h = t.fit(net, train, validation);
        assertTrue(h.restoredBestWeights(), h.toString());
        ParameterSnapshot restored = ParameterSnapshot.of(net);
        long bytes = captureBytes(t, net);
        long model = 4 * net.parameterCount();
        assertTrue(bytes <= 2 * model + FIXED, "state() allocated " + bytes + " bytes, " + (double) bytes / model
                + " models of " + model + " bytes; it keeps two (the last epoch's weights and the best ones)");
        TrainingState s = t.state(net);
        assertEquals(restored, ParameterSnapshot.of(s.bestParameters()), "best weights: those the network holds");
        assertFalse(restored.equals(ParameterSnapshot.of(s.parameters())), "weights: the last epoch's, not the best");
        assertEquals(restored, ParameterSnapshot.of(net), "the capture left the network alone");
    }

    @Test
    void aCaptureWithBestWeightsCopiesEachArrayOnce() {
        Network net = network();
        Dataset train = data(1f);
        Trainer t = trainer();
        TrainingHistory h = t.fit(net, train, train); // validation improves every epoch: the last is the best
        assertFalse(h.restoredBestWeights(), h.toString());
        long bytes = captureBytes(t, net);
        long model = 4 * net.parameterCount();
        assertTrue(bytes <= 2 * model + FIXED, "state() allocated " + bytes + " bytes, " + (double) bytes / model
                + " models of " + model + " bytes; it keeps two (the weights and the best ones)");
        TrainingState s = t.state(net);
        float[][] w = s.parameters(), b = s.bestParameters();
        for (int i = 0; i < w.length; i++) {
            assertArrayEquals(net.parameters().get(i).value().data(), w[i]);
            assertArrayEquals(w[i], b[i]);
        }
    }

    private static long captureBytes(Trainer t, Network net) {
        t.state(net); // warm-up
        AllocationMeter meter = new AllocationMeter();
        long start = meter.bytes();
        TrainingState s = t.state(net);
        long bytes = meter.since(start);
        assertTrue(s.bestParameters() != null);
        return bytes;
    }

    private static Network network() {
        return Network.builder(256).dense(256, Activation.identity()).dense(1, Activation.identity()).loss(Loss.mse())
                .seed(3).backend(ScalarBackend.INSTANCE).build();
    }

    private static Trainer trainer() {
        return Trainer.builder().optimizer(new Sgd(0.001)).epochs(4).batchSize(16).noShuffle()
                .earlyStopping(EarlyStopping.patience(2).restoreBestWeights()).build();
    }

    private static Dataset data(float sign) {
        Random r = new Random(11);
        float[][] x = new float[64][256], y = new float[64][1];
        for (int i = 0; i < x.length; i++) {
            float s = 0;
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] = (float) r.nextGaussian() * 0.1f;
                s += x[i][j];
            }
            y[i][0] = sign * s;
        }
        return new Dataset(Tensor.of(x), Tensor.of(y));
    }
}
