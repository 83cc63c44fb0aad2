package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bpnn.data.Dataset;
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

    /**
     * A fit that fails partway through an epoch (here a listener throws in onBatchEnd, after asking to
     * stop) clears the flag too: the next fit on the same trainer trains every epoch. Both fit overloads
     * (with and without a validation set) clear it in their own finally.
     */
    @Test
    void aFitThatThrowsMidEpochClearsTheStopRequest() {
        Network net = new TrainerTest().classifier(3, 0);
        boolean[] fail = {true};
        Trainer failing = Trainer.builder().optimizer(new Sgd(0.1)).epochs(4).batchSize(10).listener(new TrainingListener() {
            Trainer self; // the trainer that runs this listener, from onTrainStart
            @Override
            public void onTrainStart(Trainer t, Network network, int epochs, int trainSamples, int validationSamples) {
                self = t;
            }
            @Override
            public void onBatchEnd(int epoch, int batch, int batches, int batchRows, double loss) {
                if (fail[0] && epoch == 2 && batch == 1) {
                    self.requestStop();
                    throw new IllegalStateException("listener failed mid-epoch");
                }
            }
        }).build();
        Dataset data = TrainerTest.blobs(30, 1);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> failing.fit(net, data));
        fail[0] = false;
        assertEquals(4, failing.fit(net, data).size(), "a fit after one that threw mid-epoch trains all its epochs");
        fail[0] = true;
        Dataset validation = TrainerTest.blobs(12, 2);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> failing.fit(net, data, validation));
        fail[0] = false;
        assertEquals(4, failing.fit(net, data, validation).size(),
                "a fit after one with a validation set that threw mid-epoch trains all its epochs");
    }
}
