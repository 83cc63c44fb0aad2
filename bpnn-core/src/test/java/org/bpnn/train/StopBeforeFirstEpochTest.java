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

    /**
     * A stop requested before the fit starts (from another thread, right after submitting the fit to
     * an executor) applies to that fit: it was cleared when the fit started, and every epoch trained.
     * The fit clears it when it ends, so the next fit trains.
     */
    @Test
    void aStopRequestedBeforeTheFitAppliesToItAndNotToTheOneAfter() {
        Network net = new TrainerTest().classifier(3, 0);
        Trainer trainer = Trainer.builder().optimizer(new Sgd(0.1)).epochs(4).build();
        long before = ParameterSnapshot.of(net).hash();
        trainer.requestStop();
        assertEquals(0, trainer.fit(net, TrainerTest.blobs(30, 1)).size(), "epochs trained after a stop requested before the fit");
        assertEquals(before, ParameterSnapshot.of(net).hash());
        assertEquals(4, trainer.fit(net, TrainerTest.blobs(30, 1)).size(), "the next fit trains all its epochs");
        // a fit refused for its arguments clears it too, as one refused for its metrics does
        trainer.requestStop();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> trainer.fit(net, null));
        assertEquals(4, trainer.fit(net, TrainerTest.blobs(30, 1)).size(), "a fit after a refused one trains");
    }
}
