package org.bpnn.examples.sine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.bpnn.data.Dataset;
import org.bpnn.examples.Cli;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.bpnn.metrics.Metrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The regression example's default run (scalar backend, so the numbers do not depend on the vector
 * width): it must fit the noise-free sin(x) well from the noisy samples, report the validation RMSE
 * in the targets' units, and save a model that takes raw x, answers in y's units and holds the best
 * epoch's weights.
 */
class SineCommandTest {
    @TempDir
    Path out;

    @Test
    void defaultRunFitsTheSineAndSavesAModelThatReproducesTheReportedErrors() throws Exception {
        String json = Cli.run(0, "sine", "--backend", "scalar", "--out", out.toString()).lastLine();
        assertTrue(json.startsWith("{\"example\":\"sine\",\"backend\":\"scalar\""), json);
        double testRmse = Cli.number(json, "test_rmse"), valRmse = Cli.number(json, "val_rmse");
        int epochs = (int) Cli.number(json, "epochs"), best = (int) Cli.number(json, "best_epoch");

        // measured against the noise-free sin(x), the fit is far better than the noise (0.1): 0.0213
        assertTrue(testRmse < 0.04, "test RMSE " + testRmse + "\n" + json);
        assertEquals(testRmse * testRmse, Cli.number(json, "test_loss"), 1e-6 * testRmse * testRmse, json);
        // measured against noisy samples, no fit beats the noise: the validation RMSE is near 0.1 in
        // y's units (0.1026); in standard deviations of the training targets (about 0.72) it would
        // be about 0.14
        assertTrue(valRmse > 0.09 && valRmse < 0.12, "validation RMSE in y's units " + valRmse + "\n" + json);
        assertTrue(best >= 1 && best <= epochs && epochs <= 500, json);
        assertTrue(json.contains("\"stopped_early\":true"), "patience 50 ends the default run before epoch 500: " + json);
        assertTrue(Files.size(out.resolve("sine.png")) > 1000);

        // the model file: both normalisers, so it takes raw x and answers in y's units
        SavedModel model = ModelFile.load(out.resolve("model.bpnn"));
        assertNotNull(model.normaliser(), "the input normaliser is saved");
        assertNotNull(model.targetNormaliser(), "the target normaliser is saved");
        assertEquals(List.of("y"), model.targetNames(), "the output is named, so predict heads it predicted_y");
        Dataset grid = SineCommand.samples(SineCommand.TEST_POINTS, null, 0);
        assertEquals(testRmse, Metrics.rmse(model.predict(grid.features()), grid.targets()), 1e-6 * testRmse,
                "the reloaded model predicts what the run measured");
        // it holds the best epoch's weights, not the last one's: on the run's validation samples it
        // has the validation RMSE of the best epoch (up to float rounding of normalising the targets)
        assertTrue(epochs > best, "the run continued after its best epoch: " + json);
        Dataset validation = SineCommand.samples(SineCommand.SAMPLES, new Random(1), 0.1).split(0.8, 1).validation();
        assertEquals(valRmse, Metrics.rmse(model.predict(validation.features()), validation.targets()), 1e-5, json);
        // and it survives a save and a load unchanged
        assertArrayEquals(Files.readAllBytes(out.resolve("model.bpnn")), ModelFile.toBytes(model));
    }

    @Test
    void badFlagsFailBeforeAnythingIsPrinted() {
        for (String[] flags : new String[][] {{"--noise", "-1"}, {"--noise", "NaN"}, {"--patience", "0"}, {"--epochs", "0"}}) {
            Cli.Result r = Cli.run(1, "sine", flags[0], flags[1], "--out", out.resolve("x").toString());
            assertEquals("", r.out(), String.join(" ", flags));
            assertTrue(r.err().startsWith("bpnn: error: " + flags[0] + " must be "), r.err());
            assertTrue(!Files.exists(out.resolve("x")), "--out is not created by a run refused for " + String.join(" ", flags));
        }
        // nor by one refused for the flags checked last, after --out's own check
        for (String[] flags : new String[][] {{"--backend", "nosuch"}, {"--threads", "0"}}) {
            Cli.Result r = Cli.run(1, "sine", "--out", out.resolve("x").toString(), flags[0], flags[1]);
            assertEquals("", r.out(), String.join(" ", flags));
            assertTrue(r.err().contains(flags[0]), r.err());
            assertTrue(!Files.exists(out.resolve("x")), "--out is not created by a run refused for " + String.join(" ", flags));
        }
    }
}
