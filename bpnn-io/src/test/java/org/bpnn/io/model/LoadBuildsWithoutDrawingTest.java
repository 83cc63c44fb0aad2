package org.bpnn.io.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Dense;
import org.bpnn.nn.Dropout;
import org.bpnn.nn.Initializer;
import org.bpnn.nn.Network;
import org.bpnn.nn.ParameterSnapshot;
import org.bpnn.nn.activation.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load builds its network around the weights read (Network.Builder.buildWrapping), drawing no
 * initial weights: what it returns is what building the file's network and then writing the file's
 * weights into it returned, down to the recorded initialisers, seed and dropout generators, so a
 * loaded model saved again is the same file.
 */
class LoadBuildsWithoutDrawingTest {
    @TempDir
    Path dir;

    private static Network.Builder architecture() {
        return Network.builder(5).dense(7, Activation.relu(), Initializer.heUniform()).dropout(0.45)
                .dense(4, Activation.tanh(), Initializer.xavierNormal()).dropout(0.2).dense(3, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(-987654321L).backend(TestNets.SCALAR);
    }

    @Test
    void aLoadedModelIsTheBuiltNetworkWithTheFilesWeightsAndSavesToTheSameBytes() throws Exception {
        Network original = architecture().build();
        Path file = dir.resolve("m.bpnn");
        ModelFile.save(original, file);
        SavedModel loaded = ModelFile.load(file, TestNets.SCALAR);
        Network n = loaded.network();

        Network built = architecture().build(); // the old load: build, then the file's weights written over
        ParameterSnapshot.of(n).restoreTo(built);
        assertEquals(built.toString(), n.toString());
        assertEquals(ParameterSnapshot.of(original), ParameterSnapshot.of(n));
        for (int i = 0; i < built.layers().size(); i++) {
            if (built.layers().get(i) instanceof Dense d) {
                assertEquals(d.initializer(), ((Dense) n.layers().get(i)).initializer(), "layer " + (i + 1));
            } else {
                Dropout d = (Dropout) built.layers().get(i);
                assertEquals(d.rngState(), ((Dropout) n.layers().get(i)).rngState(), "layer " + (i + 1));
                assertEquals(d.scale(), ((Dropout) n.layers().get(i)).scale(), "layer " + (i + 1));
            }
        }
        Path again = dir.resolve("again.bpnn");
        ModelFile.save(loaded, again); // the loaded metadata (its creation time too) is kept
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again));
    }
}
