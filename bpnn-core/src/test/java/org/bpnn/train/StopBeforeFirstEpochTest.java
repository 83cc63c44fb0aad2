package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.optim.Sgd;
import org.junit.jupiter.api.Test;

/** {@link Trainer#requestStop()} from {@code onTrainStart} ends the fit before its first epoch (it trained one). */
class StopBeforeFirstEpochTest {
    @Test
    void aStopRequestedInOnTrainStartTrainsNoEpoch() {
        Network net = new TrainerTest().classifier(3, 0);
        long before = ParameterSnapshot.of(net).hash();
        TrainingHistory h = Trainer.builder().optimizer(new Sgd(0.1)).epochs(5).listener(new TrainingListener() {
            @Override
            public void onTrainStart(Trainer trainer, Network network, int epochs, int trainSamples, int validationSamples) {
                trainer.requestStop();
            }
        }).build().fit(net, TrainerTest.blobs(30, 1));
        assertEquals(0, h.size(), "epochs trained after a stop requested before the first");
        assertEquals(before, ParameterSnapshot.of(net).hash());
    }
}
