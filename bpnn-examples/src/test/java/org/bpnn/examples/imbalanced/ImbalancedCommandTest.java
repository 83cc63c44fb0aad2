package org.bpnn.examples.imbalanced;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bpnn.data.Dataset;
import org.bpnn.examples.Cli;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.bpnn.metrics.ConfusionMatrix;
import org.bpnn.metrics.Metrics;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The imbalanced-classes example's default run (scalar backend, so the numbers do not depend on the
 * vector width): what it claims must hold for the default seed (test AUCs about equal, the fraud
 * recall at 0.5 far higher with balanced class weights), and the saved model must be the weighted one.
 */
class ImbalancedCommandTest {
    @TempDir
    Path out;

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":([-0-9.eE]+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void defaultRunShowsWhatTheWeightsChangeAndSavesTheWeightedModel() throws Exception {
        Cli.Result r = Cli.run(0, "imbalanced", "--backend", "scalar", "--out", out.toString());
        String json = r.lastLine();
        assertTrue(json.startsWith("{\"example\":\"imbalanced\",\"backend\":\"scalar\""), json);
        assertEquals(10_000, number(json, "rows"), json);
        assertEquals(200, number(json, "fraud_rows"), json);
        assertEquals(2_000, number(json, "test_rows"), json);
        // balanced weights for the 8,000 rows trained and validated on, 160 of them fraud: 8000 / (2 * 7840) and 8000 / (2 * 160)
        assertTrue(json.contains("\"class_weights\":[0.5102041,25]"), json);

        double aucPlain = number(json, "unweighted_test_auc"), aucWeighted = number(json, "weighted_test_auc");
        double recallPlain = number(json, "unweighted_fraud_recall"), recallWeighted = number(json, "weighted_fraud_recall");
        double precisionPlain = number(json, "unweighted_fraud_precision"), precisionWeighted = number(json, "weighted_fraud_precision");
        // the run's point: the ranking is as good either way (0.9305 and 0.9267 here; the Bayes-optimal
        // rule for these clouds is near 0.93) ...
        assertTrue(aucPlain > 0.85 && aucWeighted > 0.85, json);
        assertTrue(Math.abs(aucPlain - aucWeighted) < 0.03, "the AUCs are close: " + json);
        // ... while at the threshold 0.5 the weighted model catches far more fraud (0.8 against 0.4 of
        // the 40), at the price of many more false alarms
        assertTrue(recallWeighted >= recallPlain + 0.25, json);
        assertTrue(precisionWeighted < precisionPlain, json);
        assertTrue(number(json, "unweighted_best_epoch") >= 1 && number(json, "weighted_best_epoch") >= 1, json);
        assertTrue(r.out().contains("fraud     0.6154     0.4000"), "the unweighted run's confusion matrix and per-class figures:\n" + r.out());
        assertTrue(r.out().contains("Lowering the unweighted model's threshold to the fraud rate, 0.02,"), r.out());

        // the saved model is the weighted one, with the class names, and gives the reported figures on the test part
        SavedModel model = ModelFile.load(out.resolve("model.bpnn"));
        assertEquals(List.of("normal", "fraud"), model.classNames());
        Dataset test = ImbalancedCommand.transactions(10_000, 0.02, 1).stratifiedSplit(ImbalancedCommand.TRAIN_FRACTION, 1).second();
        Tensor scores = model.predict(test.features());
        assertEquals(aucWeighted, Metrics.auc(scores, test.targets()), 1e-6, json);
        ConfusionMatrix cm = ConfusionMatrix.of(scores, test.targets());
        assertEquals(40, cm.support(1), "the stratified test part keeps the 2%");
        assertEquals(recallWeighted, cm.recall(1), 1e-6, json);
        assertArrayEquals(Files.readAllBytes(out.resolve("model.bpnn")), ModelFile.toBytes(model));

        // beside it the unweighted model at the fraud rate: its classes are the "threshold 0.02" row's
        SavedModel plain = ModelFile.load(out.resolve("unweighted.bpnn"));
        assertEquals(0.02f, plain.threshold());
        assertEquals(List.of("normal", "fraud"), plain.classNames());
        Tensor plainScores = plain.predict(test.features());
        assertEquals(aucPlain, Metrics.auc(plainScores, test.targets()), 1e-6, json);
        int[] atRate = new int[test.size()];
        for (int i = 0; i < atRate.length; i++) atRate[i] = plainScores.get(i, 0) >= 0.02 ? 1 : 0; // the command's rule
        assertArrayEquals(atRate, plain.predictClasses(test.features()));
        ConfusionMatrix lowered = ConfusionMatrix.of(Metrics.targetClasses(test.targets()), atRate, 2);
        assertTrue(lowered.recall(1) > recallPlain, "the lower threshold catches more fraud: " + lowered.recall(1));
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "%13.4f %16.4f   (the unweighted model at threshold 0.02",
                lowered.recall(1), lowered.precision(1))), r.out());
        assertTrue(json.contains("\"unweighted_model\":\"" + out.resolve("unweighted.bpnn") + "\""), json);
    }

    @Test
    void badFlagsFailWithOneLineBeforeAnythingIsPrinted() {
        String[][] cases = {{"--rows", "0"}, {"--rows", "500"}, {"--fraud-rate", "0"}, {"--fraud-rate", "0.6"}, {"--fraud-rate", "NaN"},
                {"--epochs", "0"}, {"--patience", "0"}, {"--learning-rate", "-1"}};
        for (String[] flags : cases) {
            Path dir = out.resolve("x");
            String err = Cli.error("imbalanced", flags[0], flags[1], "--out", dir.toString());
            assertTrue(err.startsWith(flags[0]), String.join(" ", flags) + ": " + err);
            assertFalse(Files.exists(dir), "--out is not created by a run refused for " + String.join(" ", flags));
        }
        Cli.Result r = Cli.run(1, "imbalanced", "--rows", "500", "--out", out.resolve("x").toString());
        assertEquals("", r.out());
        assertEquals("bpnn: error: --rows 500 at --fraud-rate 0.02 gives 10 fraud and 490 normal rows; each class needs at least 20"
                + " so that the training, validation and test parts all hold both classes; raise --rows (to at least 975 at this"
                + " rate) or --fraud-rate", r.err().strip());
        // a usage error (not a number) is picocli's, exit 2, one line naming the command's help
        Cli.Result usage = Cli.run(2, "imbalanced", "--rows", "many");
        assertEquals(1, usage.err().strip().lines().count(), usage.err());
        assertTrue(usage.err().strip().endsWith("(see: ./bpnn imbalanced --help)"), usage.err());
    }

    @Test
    void theRowsSuggestedForTooFewAreTheFewestThatAreEnough() {
        for (double rate : new double[] {0.02, 0.03, 0.001, 0.1, 0.37, 0.5, 0.0123}) {
            long least = ImbalancedCommand.leastRows(rate);
            assertTrue(ImbalancedCommand.enoughOfEach(least, rate), rate + ": " + least);
            assertFalse(ImbalancedCommand.enoughOfEach(least - 1, rate), rate + ": " + least);
        }
        // a rate too low for the most rows says so instead of suggesting a count --rows refuses
        String err = Cli.error("imbalanced", "--fraud-rate", "1e-9");
        assertTrue(err.endsWith("raise --fraud-rate (at this one, more than the most --rows, 1000000, would be needed)"), err);
    }

    @Test
    void helpDescribesTheFlags() {
        Cli.Result r = Cli.run(0, "imbalanced", "--help");
        for (String flag : new String[] {"--rows", "--fraud-rate", "--epochs", "--patience", "--learning-rate", "--seed", "--out=DIR",
                "--backend", "--threads"}) {
            assertTrue(r.out().contains(flag), flag + " in\n" + r.out());
        }
        assertTrue(r.out().contains("with 2% fraud"), r.out());
        assertEquals("", r.err());
    }
}
