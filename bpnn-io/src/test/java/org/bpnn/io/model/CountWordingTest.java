package org.bpnn.io.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.util.List;
import org.bpnn.data.Normaliser;
import org.bpnn.io.data.CsvFormatException;
import org.bpnn.io.data.CsvReader;
import org.bpnn.io.data.IdxData;
import org.bpnn.io.data.IdxFormatException;
import org.bpnn.io.data.IdxReader;
import org.bpnn.io.internal.Counts;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Messages built from a count say "1 feature", not "1 features": a count of one is common here (a
 * network of one input or one output, a one-column CSV, a one-byte file), and the refusals read
 * "has 1 features per sample", "takes 1 inputs", "ends after 1 bytes".
 */
class CountWordingTest {

    @Test
    void aCountOfOneTakesTheSingular() {
        assertEquals("1 feature", Counts.of(1, "feature"));
        assertEquals("0 features", Counts.of(0, "feature"));
        assertEquals("3 target columns", Counts.of(3, "target column"));
    }

    @Test
    void aNetworkOfOneInputIsCountedInTheSingular() {
        Network one = TestNets.net(1, Activation.tanh(), 1, Activation.identity(), Loss.mse(), 8);
        Network three = TestNets.net(3, Activation.tanh(), 1, Activation.identity(), Loss.mse(), 8);
        assertTrue(message(() -> SavedModel.of(one).withFeatureNames(List.of("a", "b")))
                .startsWith("2 feature names were given, but the network takes 1 input; give one name per input"));
        assertTrue(message(() -> SavedModel.of(three).withFeatureNames(List.of("a")))
                .startsWith("1 feature name was given, but the network takes 3 inputs; give one name per input"));
        Normaliser two = Normaliser.of(Normaliser.Kind.STANDARDISE, new float[2], new float[] {1, 1});
        assertEquals("the normaliser was fitted on 2 features but the network takes 1 input; pass the normaliser fitted on"
                + " the training features the network was trained on, e.g. Normaliser.standardise(train.features())",
                message(() -> SavedModel.of(one, two, java.util.Map.of())));
        // the network's own check (core), reached without a normaliser, and SavedModel's, with one
        assertTrue(message(() -> SavedModel.of(one).predict(Tensor.wrap(1, 2, new float[2])))
                .endsWith("the network's first layer takes 1 feature per sample"));
        Normaliser single = Normaliser.of(Normaliser.Kind.STANDARDISE, new float[1], new float[] {1});
        assertTrue(message(() -> SavedModel.of(one, single, java.util.Map.of()).predict(Tensor.wrap(1, 2, new float[2])))
                .endsWith("the network's first layer takes 1 feature per sample"));
    }

    @Test
    void aOneByteFileIsCountedInTheSingular() {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelFile.fromBytes(new byte[] {7}, "m.bpnn", TestNets.SCALAR, ModelFile.Limits.DEFAULT));
        assertTrue(e.getMessage().contains("not a bpnn model file: 1 byte that does not start with the magic"), e.getMessage());
        IdxFormatException idx = assertThrows(IdxFormatException.class, () -> IdxReader.read(new ByteArrayInputStream(new byte[] {0})));
        assertTrue(idx.getMessage().contains("but the data ends after 1 byte; this is not an IDX file"), idx.getMessage());
        assertTrue(message(() -> new IdxData(8, new int[] {1}, new byte[2])).contains("hold 1 element, but data has 2 bytes"));
    }

    @Test
    void aOneColumnCsvIsCountedInTheSingular() {
        CsvFormatException e = assertThrows(CsvFormatException.class,
                () -> CsvReader.builder().header(false).labelColumns(1).build().read(new StringReader("9\n"), "test.csv"));
        assertTrue(e.getMessage().contains("line 1 has 1 column, indices 0..0"), e.getMessage());
    }

    private static String message(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }
}
