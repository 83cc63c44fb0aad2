package org.bpnn.examples.imbalanced;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bpnn.backend.Backends;
import org.bpnn.data.Dataset;
import org.bpnn.examples.Cli;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.bpnn.metrics.ConfusionMatrix;
import org.bpnn.metrics.Metrics;
import org.bpnn.optim.Adam;
import org.bpnn.tensor.Tensor;
import org.bpnn.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The imbalanced-classes example's default run (scalar backend, so the numbers do not depend on the
 * vector width): what it claims must hold for the default seed (test AUCs about equal, the fraud
 * recall at 0.5 far higher with balanced class weights; the unweighted model at a threshold chosen on the
 * validation part about as good as the weighted one), the saved model must be the weighted one, and the
 * unweighted model must be saved at the threshold the curve's picker gives.
 */
class ImbalancedCommandTest {
    @TempDir
    Path out;

    @Test
    void defaultRunShowsWhatTheWeightsChangeAndSavesTheWeightedModel() throws Exception {
        Cli.Result r = Cli.run(0, "imbalanced", "--backend", "scalar", "--out", out.toString());
        String json = r.lastLine();
        assertTrue(json.startsWith("{\"example\":\"imbalanced\",\"backend\":\"scalar\""), json);
        assertEquals(10_000, Cli.number(json, "rows"), json);
        assertEquals(200, Cli.number(json, "fraud_rows"), json);
        assertEquals(2_000, Cli.number(json, "test_rows"), json);
        // balanced weights for the 8,000 rows trained and validated on, 160 of them fraud: 8000 / (2 * 7840) and 8000 / (2 * 160)
        assertTrue(json.contains("\"class_weights\":[0.5102041,25]"), json);

        double aucPlain = Cli.number(json, "unweighted_test_auc"), aucWeighted = Cli.number(json, "weighted_test_auc");
        double recallPlain = Cli.number(json, "unweighted_fraud_recall"), recallWeighted = Cli.number(json, "weighted_fraud_recall");
        double precisionPlain = Cli.number(json, "unweighted_fraud_precision"), precisionWeighted = Cli.number(json, "weighted_fraud_precision");
        // the run's point: the ranking is as good either way (0.9305 and 0.9267 here; the Bayes-optimal
        // rule for these clouds is near 0.93) ...
        assertTrue(aucPlain > 0.85 && aucWeighted > 0.85, json);
        assertTrue(Math.abs(aucPlain - aucWeighted) < 0.03, "the AUCs are close: " + json);
        // ... while at the threshold 0.5 the weighted model catches far more fraud (0.8 against 0.4 of
        // the 40), at the price of many more false alarms
        assertTrue(recallWeighted >= recallPlain + 0.25, json);
        assertTrue(precisionWeighted < precisionPlain, json);
        assertTrue(Cli.number(json, "unweighted_best_epoch") >= 1 && Cli.number(json, "weighted_best_epoch") >= 1, json);
        assertTrue(r.out().contains("fraud     0.6154     0.4000"), "the unweighted run's confusion matrix and per-class figures:\n" + r.out());

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

        // beside it the unweighted model, at the threshold thresholdForRecall picks on the validation part: the
        // rows a trainer built as the command's (stratified 0.2, shuffle seed 1) holds out of the training part,
        // for the weighted model's validation recall at 0.5
        // (loaded on the command's backend, scalar: a backend whose sums round differently moves a score by an
        // ulp, and the picker's threshold, halfway between two scores, with it)
        SavedModel plain = ModelFile.load(out.resolve("unweighted.bpnn"), Backends.get("scalar", 1));
        assertEquals(List.of("normal", "fraud"), plain.classNames());
        Dataset train = ImbalancedCommand.transactions(10_000, 0.02, 1).stratifiedSplit(ImbalancedCommand.TRAIN_FRACTION, 1).train();
        Dataset validation = Trainer.builder().optimizer(new Adam(0.01)).shuffle(1)
                .stratifiedValidationSplit(ImbalancedCommand.VALIDATION_FRACTION).build()
                .validationSplit(train, ImbalancedCommand.VALIDATION_FRACTION).second();
        assertEquals(32, count(validation), "the stratified validation part keeps the 2% of the 8,000 rows' 160 fraud");
        double targetRecall = ConfusionMatrix.of(ModelFile.load(out.resolve("model.bpnn"), Backends.get("scalar", 1))
                .predict(validation.features()), validation.targets()).recall(1);
        assertEquals(targetRecall, Cli.number(json, "weighted_validation_fraud_recall"), 1e-6, json);
        float threshold = Metrics.precisionRecallCurve(plain.predict(validation.features()), validation.targets())
                .thresholdForRecall(targetRecall);
        assertEquals(threshold, plain.threshold(), "the saved threshold is the picker's");
        assertEquals(threshold, Cli.number(json, "unweighted_threshold"), 1e-7 * threshold, json);
        assertTrue(plain.threshold() > 0.02f && plain.threshold() < 0.5f, "between the fraud rate and 0.5 here: " + plain.threshold());
        assertTrue(r.out().contains("(threshold " + threshold + ", chosen on the validation part)"), r.out());
        assertTrue(r.out().contains("model (unweighted, threshold " + threshold + "): "), r.out());

        // on the test part its classes are the printed line's: the recall and precision there and in the JSON
        Tensor plainScores = plain.predict(test.features());
        assertEquals(aucPlain, Metrics.auc(plainScores, test.targets()), 1e-6, json);
        int[] atThreshold = new int[test.size()];
        for (int i = 0; i < atThreshold.length; i++) atThreshold[i] = plainScores.get(i, 0) >= threshold ? 1 : 0; // a sigmoid's rule
        assertArrayEquals(atThreshold, plain.predictClasses(test.features()));
        ConfusionMatrix lowered = ConfusionMatrix.of(Metrics.targetClasses(test.targets()), atThreshold, 2);
        assertEquals(lowered.recall(1), Cli.number(json, "unweighted_threshold_fraud_recall"), 1e-6, json);
        assertEquals(lowered.precision(1), Cli.number(json, "unweighted_threshold_fraud_precision"), 1e-6, json);
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "%13.4f %16.4f   (threshold %s, chosen on the validation part)",
                lowered.recall(1), lowered.precision(1), threshold)), r.out());
        // the lesson: chosen on other rows, the threshold still gives about the weighted model's test recall and
        // precision (0.775 and 0.11 against 0.8 and 0.10 here), far more recall than the same model at 0.5
        assertTrue(lowered.recall(1) > recallPlain + 0.25, "the lower threshold catches more fraud: " + lowered.recall(1));
        assertEquals(recallWeighted, lowered.recall(1), 0.1, json);
        assertEquals(precisionWeighted, lowered.precision(1), 0.05, json);
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "%.4f of the fraud at 0.5", targetRecall)), r.out());
        assertTrue(json.contains("\"unweighted_model\":\"" + out.resolve("unweighted.bpnn") + "\""), json);
    }

    /** The fraud rows (target 1) of {@code data}. */
    private static int count(Dataset data) {
        int n = 0;
        for (int c : Metrics.targetClasses(data.targets())) n += c;
        return n;
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
        // nor by one refused for the flags checked last, after --out's own check
        for (String[] flags : new String[][] {{"--backend", "nosuch"}, {"--threads", "0"}}) {
            Path dir = out.resolve("x");
            String err = Cli.error("imbalanced", "--out", dir.toString(), flags[0], flags[1]);
            assertTrue(err.contains(flags[0]), String.join(" ", flags) + ": " + err);
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
