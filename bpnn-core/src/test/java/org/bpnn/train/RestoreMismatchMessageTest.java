package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.junit.jupiter.api.Test;

/**
 * What {@link Trainer#restore} says when the state does not belong to the trainer or network it is
 * given: a state of more epochs than the trainer runs was accepted, and the next fit trained nothing
 * and returned an empty history without a word; weights of another architecture were reported as
 * "snapshot parameter 0 has ...; the architectures differ", naming neither the state nor a remedy.
 */
class RestoreMismatchMessageTest {
    private static Network net(int hidden) {
        return Network.builder(2).dense(hidden, Activation.relu()).dense(3, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(1).backend(ScalarBackend.INSTANCE).build();
    }

    private static TrainingState stateAfter(int epochs) {
        Trainer t = Trainer.builder().optimizer(new Adam(0.01)).epochs(epochs).batchSize(10).shuffle(3).build();
        Network n = net(8);
        t.fit(n, TrainerTest.blobs(30, 1));
        return t.state(n);
    }

    @Test
    void aStateOfMoreEpochsThanTheTrainerRunsIsRefused() {
        TrainingState s = stateAfter(4);
        Network n = net(8);
        float[] before = n.parameters().get(0).value().data().clone();
        Trainer fewer = Trainer.builder().optimizer(new Adam(0.01)).epochs(3).batchSize(10).shuffle(3).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fewer.restore(n, s));
        assertEquals("the state was captured after epoch 4, but this trainer runs 3 epochs, so a fit would train none;"
                + " restore into a trainer built like the run the state came from, with epochs(4) or more", e.getMessage());
        assertArrayEquals(before, n.parameters().get(0).value().data(), "nothing restored");
        assertEquals(3, fewer.fit(n, TrainerTest.blobs(30, 1)).size(), "the trainer is as it was: a fresh run");
        // as many epochs as the state has: a finished run, restored (a fit then trains none, as documented)
        Trainer same = Trainer.builder().optimizer(new Adam(0.01)).epochs(4).batchSize(10).shuffle(3).build();
        Network m = net(8);
        same.restore(m, s);
        assertEquals(0, same.fit(m, TrainerTest.blobs(30, 1)).size());
        assertArrayEquals(s.parameters(), ParameterSnapshot.of(m).values());
    }

    @Test
    void weightsOfAnotherArchitectureNameTheStateAndTheRemedy() {
        TrainingState s = stateAfter(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder().optimizer(new Adam(0.01)).build().restore(net(9), s));
        assertEquals("the state's weights do not fit this network (snapshot parameter 0 has 16 values, but dense1.W(9, 2) has"
                + " 18; the architectures differ); restore into a network of the architecture the state was captured from"
                + " (from a checkpoint file, the network CheckpointFile.load returns: c.model().network())", e.getMessage());
    }

    /** Best weights that do not fit are refused as the weights are, before anything is written. */
    @Test
    void bestWeightsOfAnotherArchitectureAreRefusedBeforeAnythingIsRestored() {
        TrainingState s = stateAfter(1);
        float[][] bad = s.parameters();
        bad[0] = new float[bad[0].length + 1]; // one value too many in dense1.W
        TrainingState withBadBest = new TrainingState(s.epoch(), s.shuffleRngState(), s.dropoutRngStates(), s.optimizer(),
                s.parameters(), s.bestScore(), s.bestEpoch(), s.epochsWithoutImprovement(), bad);
        Network n = net(8);
        float[][] before = ParameterSnapshot.of(n).values();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder().optimizer(new Adam(0.01)).build().restore(n, withBadBest));
        assertTrue(e.getMessage().startsWith("the state's best weights do not fit this network"), e.getMessage());
        assertArrayEquals(before, ParameterSnapshot.of(n).values(), "nothing restored");
    }
}
