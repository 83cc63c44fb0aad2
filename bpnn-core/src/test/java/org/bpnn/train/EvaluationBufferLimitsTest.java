package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bpnn.backend.Backend;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Layer;
import org.bpnn.nn.Network;
import org.bpnn.nn.Parameter;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The buffers a fit allocates only once training has started (each epoch's (rows, outputs) evaluation
 * tensors, each layer's buffers at a batch's and at an evaluation chunk's rows) are checked against one
 * Java array before the first epoch and before any listener hears of the run. A validation set too large
 * failed after the whole first epoch had trained, in Tensor.zeros, naming a tensor shape and nothing to
 * change. The (rows, outputs) checks are tested on sizes alone (2^31 floats would not fit a test); the
 * layers' through fit, with a parameterless custom layer that is wide but allocates nothing.
 */
class EvaluationBufferLimitsTest {
    private static final int MAX = Integer.MAX_VALUE - 8;

    @Test
    void anEvaluationTensorBeyondOneArrayIsRefusedWithTheLimitAndWhatToPass() {
        Trainer.requireOutputsFit("validation", MAX / 1000, 1000, max -> "unused"); // fits exactly
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.requireOutputsFit("validation", 1_000_000, 5000, max -> "pass at most " + max + " rows"));
        assertEquals("the validation set has 1000000 rows and the network 5000 outputs: 5000000000 output values, which"
                + " each epoch's evaluation predicts into one array, more than a Java array holds (2147483639); pass at most"
                + " 429496 rows", e.getMessage());
        assertEquals(MAX, Tensor.MAX_ELEMENTS);
    }

    @Test
    void aLayerBufferBeyondOneArrayIsRefusedWithTheLimit() {
        Trainer.requireLayerRowsFit(2, MAX / 32, 32, "a training batch", max -> "unused");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.requireLayerRowsFit(2, 1 << 26, 32, "a training batch", max -> "use batchSize(" + max + ")"));
        assertEquals("layer 2 holds 67108864 values per row (outputs or scratch): for a training batch of 32 rows its buffer"
                + " is 2147483648 floats in one array, more than a Java array holds (2147483639); use batchSize(31)",
                e.getMessage());
    }

    /** Before: the first step failed in Tensor.zeros, after onTrainStart, with a shape and no remedy. */
    @Test
    void aBatchTooWideForOneArrayIsRefusedBeforeTheRunStarts() {
        Network net = wide(1 << 26);
        List<String> heard = new ArrayList<>();
        Trainer trainer = Trainer.builder().optimizer(new Sgd(0.1)).epochs(1).batchSize(32).listener(recorder(heard)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(net, data(64)));
        assertTrue(e.getMessage().startsWith("layer 1 holds 67108864 values per row (outputs or scratch): for a training"
                + " batch of 32 rows"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; use batchSize(31) or smaller, or a narrower layer"), e.getMessage());
        assertEquals(List.of(), heard, "listener calls before the refusal");
        assertEquals(0, trainer.epochsCompleted());
    }

    /**
     * A batch of 1 row fits a layer of 2^23 units, but the validation pass predicts 256 rows at a time:
     * 2^31 floats. Before, the first epoch trained and the pass then failed in Tensor.zeros.
     */
    @Test
    void anEvaluationChunkTooWideForOneArrayIsRefusedBeforeTheFirstEpoch() {
        Network net = wide(1 << 23);
        List<String> heard = new ArrayList<>();
        Trainer trainer = Trainer.builder().optimizer(new Sgd(0.1)).epochs(1).batchSize(1).listener(recorder(heard)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer.fit(net, data(2), data(300)));
        assertTrue(e.getMessage().startsWith("layer 1 holds 8388608 values per row (outputs or scratch): for an evaluation"
                + " chunk (each epoch's evaluation predicts 256 rows at a time) of 256 rows"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; use layers of at most 8388607 units"), e.getMessage());
        assertEquals(List.of(), heard, "listener calls before the refusal");
        // the same check for other trainers (bpnn-spark's SparkTrainer), in the same words
        IllegalArgumentException shared = assertThrows(IllegalArgumentException.class,
                () -> Trainer.requireValidation(net, data(300), List.of()));
        assertEquals(e.getMessage(), shared.getMessage());
        // a validation set of fewer rows has smaller chunks, but metrics evaluate the 300 training rows too
        Trainer withMetrics = Trainer.builder().optimizer(new Sgd(0.1)).epochs(1).batchSize(1)
                .metrics(org.bpnn.metrics.Metric.mse()).build();
        e = assertThrows(IllegalArgumentException.class, () -> withMetrics.fit(net, data(300), data(2)));
        assertTrue(e.getMessage().contains("of 256 rows"), e.getMessage());
    }

    private static TrainingListener recorder(List<String> heard) {
        return new TrainingListener() {
            @Override public void onTrainStart(Trainer t, Network n, int epochs, int train, int validation) { heard.add("start"); }

            @Override public void onTrainFailed(Throwable cause) { heard.add("failed"); }
        };
    }

    private static Dataset data(int rows) {
        float[][] x = new float[rows][1], y = new float[rows][1];
        for (int i = 0; i < rows; i++) {
            x[i][0] = i;
            y[i][0] = i % 2;
        }
        return Dataset.of(x, y);
    }

    /** 1 input, a parameterless layer of {@code width} units, then one of 1 output; no buffer is allocated at build. */
    private static Network wide(int width) {
        return Network.builder(1).layer(new Blank(1, width)).layer(new Blank(width, 1)).loss(Loss.mse()).build();
    }

    /** A parameterless layer that computes nothing: only its sizes matter here. */
    private record Blank(int inputSize, int outputSize) implements Layer {
        @Override public List<Parameter> parameters() { return List.of(); }

        @Override public void forward(Backend b, Tensor x, Tensor y, Tensor scratch, boolean training) { }

        @Override public void backward(Backend b, Tensor x, Tensor y, Tensor dy, boolean isDelta, Tensor dx, Tensor scratch) { }

        @Override public double[] forwardDouble(double[][] p, double[] x, int batch) { return new double[batch * outputSize]; }
    }
}
