package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Whether an epoch had a validation set is recorded, not inferred from a NaN validation loss: finite
 * weights and finite inputs can still give a NaN loss (an overflow to +Inf and -Inf that then meet),
 * and the history must keep the validation column that shows it.
 */
class ValidationPresenceTest {
    /** 1 -> 2 -> 1, identity: h = (2x, 2x), out = h1 - h2; at x = 3e38 both h are +Inf and out is NaN. */
    private static Network overflowingNet() {
        Network net = Network.builder(1).dense(2, Activation.identity()).dense(1, Activation.identity())
                .loss(Loss.mse()).seed(1).backend(ScalarBackend.INSTANCE).build();
        float[] w1 = net.parameters().get(0).value().data(), w2 = net.parameters().get(2).value().data();
        w1[0] = 2f;
        w1[1] = 2f;
        w2[0] = 1f;
        w2[1] = -1f;
        return net;
    }

    /** Four samples in [0, 1), zero targets: finite outputs and a finite training loss. */
    private static Dataset smallInputs() {
        Tensor x = Tensor.zeros(4, 1), y = Tensor.zeros(4, 1);
        for (int i = 0; i < 4; i++) x.set(i, 0, i / 4f);
        return new Dataset(x, y);
    }

    @Test
    void aNaNValidationLossStillCountsAsAValidationSet() {
        Network net = overflowingNet();
        Dataset train = smallInputs();
        Tensor vx = Tensor.zeros(2, 1), vy = Tensor.zeros(2, 1);
        vx.set(0, 0, 3e38f);
        vx.set(1, 0, 3e38f);
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        TrainingHistory h = Trainer.builder().optimizer(new Sgd(1e-30)).epochs(2).batchSize(4)
                .listener(ConsoleProgressListener.epochLines(new PrintStream(lines, true, StandardCharsets.UTF_8))).build()
                .fit(net, train, new Dataset(vx, vy));
        for (EpochSummary e : h.epochs()) {
            assertTrue(Double.isNaN(e.validationLoss()), "the set-up must give a NaN validation loss");
            assertTrue(e.hasValidation(), "epoch " + e.epoch());
        }
        assertEquals(2, h.validationLoss().length);
        // shown as NaN, not as a missing value ("-") or no column, in the table and the progress lines
        String[] table = h.toString().split("\n");
        assertTrue(table[0].contains("val_loss"), h.toString());
        for (int row = 1; row <= 2; row++) {
            String[] cells = table[row].trim().split("\\s+");
            assertEquals("NaN", cells[2], "val_loss of epoch " + row + " in the table:\n" + h);
        }
        String printed = lines.toString(StandardCharsets.UTF_8);
        assertEquals(2, printed.split("val_loss NaN", -1).length - 1, "progress lines:\n" + printed);
    }

    /**
     * Early stopping on a validation loss that is NaN in every epoch stops with no best epoch; the
     * progress line said "best epoch 0" and the history's table ended in "stopped early; ".
     */
    @Test
    void aRunWithNoFiniteMonitoredValueSaysSoInsteadOfBestEpochZero() {
        Network net = overflowingNet();
        Dataset train = smallInputs();
        Tensor vx = Tensor.zeros(1, 1), vy = Tensor.zeros(1, 1);
        vx.set(0, 0, 3e38f);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TrainingHistory h = Trainer.builder().optimizer(new Sgd(1e-30)).epochs(5).batchSize(4)
                .earlyStopping(EarlyStopping.patience(2).restoreBestWeights())
                .listener(ConsoleProgressListener.epochLines(new PrintStream(bytes, true, StandardCharsets.UTF_8))).build()
                .fit(net, train, new Dataset(vx, vy));
        assertTrue(h.stoppedEarly());
        assertEquals(0, h.bestEpoch());
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(printed.contains("best epoch 0"), printed);
        assertTrue(printed.contains("stopped early after epoch 2; no best epoch: the monitored value"), printed);
        assertTrue(h.toString().endsWith("stopped early; no best epoch: the monitored value (early stopping's monitor, else the"
                + " validation loss, or the training loss without a validation set) was not finite in any epoch"), h.toString());
    }

    @Test
    void withoutAValidationSetThereIsNone() {
        EpochSummary s = new EpochSummary(1, 1, 0.5, Double.NaN, Map.of(), Map.of(), 0.1, 0, 1.0, true);
        assertFalse(s.hasValidation()); // the ten-argument constructor infers it, as before
        EpochSummary t = new EpochSummary(1, 1, 0.5, Double.NaN, Map.of(), Map.of(), 0.1, 0, 1.0, true, true);
        assertTrue(t.hasValidation());
    }
}
