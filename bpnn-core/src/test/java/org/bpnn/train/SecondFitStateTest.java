package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bpnn.data.Dataset;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.optim.Momentum;
import org.junit.jupiter.api.Test;

/**
 * A second fit on one trainer (not a resume) counts its epochs from 1, so a state captured at its
 * start records 0 epochs: it recorded the first fit's count, and a run resumed from it skipped that
 * many of the second fit's epochs.
 */
class SecondFitStateTest {
    @Test
    void aStateFromTheStartOfASecondFitResumesToThatFit() {
        Dataset data = TrainerTest.blobs(40, 1);
        Network net = new TrainerTest().classifier(3, 0);
        TrainingState[] atStart = new TrainingState[1];
        Trainer trainer = trainer(3, new TrainingListener() {
            @Override
            public void onTrainStart(Trainer t, Network network, int epochs, int trainSamples, int validationSamples) {
                atStart[0] = t.state(network);
            }
        });
        trainer.fit(net, data);
        trainer.fit(net, data); // three more epochs, counted 1 to 3
        assertEquals(0, atStart[0].epoch(), "epochs recorded at the start of the second fit");

        Network resumed = new TrainerTest().classifier(3, 0);
        Trainer again = trainer(3, null);
        again.restore(resumed, atStart[0]);
        TrainingHistory h = again.fit(resumed, data);
        assertEquals(3, h.size(), "epochs trained by the resumed second fit");
        assertEquals(ParameterSnapshot.of(net).hash(), ParameterSnapshot.of(resumed).hash(),
                "the resumed run ends with the uninterrupted second fit's weights");
    }

    private static Trainer trainer(int epochs, TrainingListener listener) {
        Trainer.Builder b = Trainer.builder().optimizer(new Momentum(0.05, 0.9)).epochs(epochs).batchSize(8).shuffle(7);
        if (listener != null) b.listener(listener);
        return b.build();
    }
}
