package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The same listener object added twice was kept twice and heard every callback twice (two
 * onTrainStart, two progress bars drawn over each other); the builder refuses it, naming the listener
 * and the fix. Two separate instances stay two listeners.
 */
class DuplicateListenerTest {

    @Test
    void theSameListenerTwiceIsRefusedNamingItAndTheFix() {
        ConsoleProgressListener progress = ConsoleProgressListener.epochLines(new PrintStream(new ByteArrayOutputStream()));
        Trainer.Builder b = Trainer.builder().optimizer(new Sgd(0.1)).listener(new TrainingListener() {}).listener(progress);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.listener(progress));
        assertEquals("listener ConsoleProgressListener.epochLines(System.out) was already added (listener 2 of 2);"
                + " added again it would get every callback twice. Add it once, or pass a second instance if two are meant",
                e.getMessage());
    }

    @Test
    void twoInstancesAreTwoListenersEachCalledOnce() {
        List<String> calls = new ArrayList<>();
        class Recorder implements TrainingListener {
            private final String name;
            Recorder(String name) { this.name = name; }
            @Override public boolean equals(Object o) { return o instanceof Recorder; }  // equal, not the same
            @Override public int hashCode() { return 1; }
            @Override public void onTrainStart(Network net, int epochs, int trainSize, int validationSize) {
                calls.add(name + " start");
            }
            @Override public void onTrainEnd(TrainingHistory history) { calls.add(name + " end"); }
        }
        Network net = Network.builder(1).dense(1, Activation.identity()).loss(Loss.mse()).seed(1)
                .backend(ScalarBackend.INSTANCE).build();
        Trainer t = Trainer.builder().optimizer(new Sgd(0.1)).epochs(1).batchSize(2)
                .listener(new Recorder("a")).listener(new Recorder("b")).build();
        t.fit(net, new Dataset(Tensor.zeros(2, 1), Tensor.zeros(2, 1)));
        assertEquals(List.of("a start", "b start", "a end", "b end"), calls);
    }
}
