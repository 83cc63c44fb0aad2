package org.bpnn.io.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.bpnn.data.Normaliser;
import org.bpnn.nn.Dropout;
import org.junit.jupiter.api.Test;

/**
 * Compatibility: {@code golden-v1.bpnn} was written once by format version 1 (see
 * {@link GoldenModelGenerator}) and is never rewritten. This version must keep loading it and
 * predicting exactly these floats.
 */
class GoldenModelTest {
    /** Outputs for {@link GoldenModelGenerator#INPUTS} (raw inputs, normalised by the file's normaliser), as float bits. */
    private static final int[][] EXPECTED = {
        {0x3df36841, 0x3e983510, 0x3f157870},
        {0x3c2e18d8, 0x3f73470b, 0x3d200918},
        {0x3dd84057, 0x3eef85f3, 0x3eda69f6},
    };

    private static Path golden() throws URISyntaxException {
        return Path.of(GoldenModelTest.class.getResource("golden-v1.bpnn").toURI());
    }

    @Test
    void loadsAndPredictsBitExactly() throws IOException, URISyntaxException {
        SavedModel m = ModelFile.load(golden(), TestNets.SCALAR);
        for (int i = 0; i < EXPECTED.length; i++) {
            assertArrayEquals(EXPECTED[i], ModelFileRoundTripTest.bits(m.predict(GoldenModelGenerator.INPUTS[i])), "input " + i);
        }
        assertEquals(4, m.network().inputSize());
        assertEquals(3, m.network().layers().size());
        assertTrue(m.network().layers().get(1) instanceof Dropout);
        assertEquals("leaky_relu", m.network().layers().get(0).activation().name());
        assertEquals(0.05f, m.network().layers().get(0).activation().parameter());
        assertEquals("categorical_cross_entropy", m.network().loss().name());
        assertEquals(Normaliser.Kind.STANDARDISE, m.normaliser().kind());
        assertEquals(20261128L, m.network().seed());
        assertEquals(Instant.parse("2026-11-28T00:00:00Z"), m.metadata().created());
        assertEquals(Map.of("epochs", 12L, "final_loss", 0.3125, "dataset", "golden fixture"), m.metadata().training());
        // written before names were in the format: it has none, and loads as it did
        assertNull(m.featureNames());
        assertNull(m.classNames());
        assertNull(m.targetNames());
        assertNull(m.threshold(), "and no threshold: its classes by the default rule");
    }

    @Test
    void thisVersionWritesTheSameBytes() throws IOException, URISyntaxException {
        byte[] bytes = Files.readAllBytes(golden());
        SavedModel m = ModelFile.fromBytes(bytes, "golden", TestNets.SCALAR, ModelFile.Limits.DEFAULT);
        assertArrayEquals(bytes, ModelFile.toBytes(m), "a version-1 writer must keep writing version-1 files byte for byte");
    }
}
