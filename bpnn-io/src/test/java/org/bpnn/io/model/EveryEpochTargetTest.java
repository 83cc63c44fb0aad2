package org.bpnn.io.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.bpnn.data.Dataset;
import org.bpnn.data.Normaliser;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.bpnn.train.Trainer;
import org.bpnn.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CheckpointFile#everyEpoch} checks what it can before the first epoch: a checkpoint path in
 * a missing directory, or a normaliser of another width, ends the fit before it trains (it ended it
 * after a whole epoch, whose work was lost).
 */
class EveryEpochTargetTest {
    @TempDir
    Path dir;

    private static Network net() {
        return Network.builder(2).dense(3, Activation.tanh()).dense(1, Activation.identity()).loss(Loss.mse()).seed(1)
                .backend(TestNets.SCALAR).build();
    }

    private static Dataset data() {
        Tensor x = Tensor.zeros(8, 2), y = Tensor.zeros(8, 1);
        for (int i = 0; i < 8; i++) {
            x.set(i, 0, i);
            x.set(i, 1, -i);
            y.set(i, 0, 2 * i);
        }
        return new Dataset(x, y);
    }

    private static Trainer trainer(TrainingListener checkpoints, AtomicInteger epochs) {
        return Trainer.builder().optimizer(new Sgd(0.01)).epochs(3).batchSize(4).listener(checkpoints)
                .listener(new TrainingListener() {
                    @Override
                    public void onEpochStart(int epoch, int total, int batches, int samples) {
                        epochs.incrementAndGet();
                    }
                }).build();
    }

    @Test
    void aCheckpointInAMissingDirectoryFailsTheFitBeforeItTrains() {
        Network net = net();
        long before = ParameterSnapshot.of(net).hash();
        AtomicInteger epochs = new AtomicInteger();
        Path file = dir.resolve("missing").resolve("run.ckpt");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> trainer(CheckpointFile.everyEpoch(file, null), epochs).fit(net, data()));
        assertEquals(0, epochs.get(), "epochs trained before the checkpoint path was found unusable");
        assertEquals(before, ParameterSnapshot.of(net).hash());
        assertTrue(e.getMessage().contains("directory " + dir.resolve("missing") + " does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains("before the first epoch"), e.getMessage());
        net.predict(Tensor.zeros(1, 2)); // the network is left usable
    }

    @Test
    void aNormaliserOfAnotherWidthFailsTheFitBeforeItTrains() {
        AtomicInteger epochs = new AtomicInteger();
        Normaliser three = Normaliser.standardise(Tensor.of(new float[][] {{1, 2, 3}, {2, 3, 5}}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer(CheckpointFile.everyEpoch(dir.resolve("run.ckpt"), three), epochs).fit(net(), data()));
        assertEquals(0, epochs.get(), "epochs trained before the normaliser was found not to fit");
        assertTrue(e.getMessage().contains("3"), e.getMessage());
    }
}
