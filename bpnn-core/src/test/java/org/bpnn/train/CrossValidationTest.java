package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.data.Dataset;
import org.bpnn.data.Normaliser;
import org.bpnn.loss.Loss;
import org.bpnn.metrics.Metric;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

class CrossValidationTest {

    /**
     * 3 separable classes of 40 rows in 2 features far from 0 and of unequal scales (feature 0 around
     * 100 + 20 c, feature 1 around -3 c), so that unnormalised training is slow and the normaliser matters.
     */
    static Dataset separable() {
        Random r = new Random(8);
        int n = 120;
        Tensor x = Tensor.zeros(n, 2);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            x.set(i, 0, (float) (100 + 20 * labels[i] + 3 * r.nextGaussian()));
            x.set(i, 1, (float) (-3 * labels[i] + 0.5 * r.nextGaussian()));
        }
        return Dataset.ofLabels(x, labels, 3);
    }

    static Network net() {
        return Network.builder(2).dense(8, Activation.tanh()).dense(3, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(5).backend(ScalarBackend.INSTANCE).build();
    }

    static Trainer trainer() {
        return Trainer.builder().optimizer(new Adam(0.02)).epochs(30).batchSize(16).shuffle(7)
                .metrics(Metric.accuracy()).build();
    }

    /** The per-fold normaliser, fitted on the fold's train part, recorded in {@code fitted}. */
    static java.util.function.UnaryOperator<Dataset.Split> normalise(List<Normaliser> fitted) {
        return fold -> {
            Normaliser norm = Normaliser.standardise(fold.train());
            fitted.add(norm);
            return new Dataset.Split(norm.apply(fold.train()), norm.apply(fold.validation()));
        };
    }

    static CrossValidation.Result run(List<Dataset.Split> folds, List<Normaliser> fitted) {
        return CrossValidation.builder().folds(folds).network(f -> net()).trainer(f -> trainer())
                .preprocess(normalise(fitted)).metrics(Metric.accuracy(), Metric.macroF1()).run();
    }

    /** Column means of x in double, as float: what a normaliser fitted on exactly these rows centres on. */
    static float[] columnMeans(Tensor x) {
        double[] m = new double[x.cols()];
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.cols(); j++) m[j] += x.get(i, j);
        }
        float[] f = new float[m.length];
        for (int j = 0; j < m.length; j++) f[j] = (float) (m[j] / x.rows());
        return f;
    }

    static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void separableDataScoresHighWithANormaliserFittedOnEachFoldsTrainingPartOnly() {
        Dataset data = separable();
        List<Dataset.Split> folds = data.stratifiedKFold(5, 42);
        List<Normaliser> fitted = new ArrayList<>();
        CrossValidation.Result cv = run(folds, fitted);

        assertEquals(5, cv.folds().size());
        assertEquals(5, fitted.size());
        float[] whole = columnMeans(data.features());
        for (int f = 0; f < 5; f++) {
            float[] trainMean = columnMeans(folds.get(f).train().features());
            assertArrayEquals(trainMean, fitted.get(f).center(), "fold " + f + "'s normaliser is centred on its train part");
            assertNotEquals(whole[0], fitted.get(f).center()[0], "not on the whole set (which holds the validation rows)");
            assertEquals(96, cv.folds().get(f).trainRows());
            assertEquals(24, cv.folds().get(f).validationRows());
        }
        assertTrue(cv.mean("accuracy") > 0.95, cv.toString());
        assertTrue(cv.mean("macro_f1") > 0.95, cv.toString());
        assertEquals(List.of("accuracy", "macro_f1"), cv.metricNames());
    }

    @Test
    void aFoldsScoreIsTheLastEpochsValidationMetricOfItsHistory() {
        CrossValidation.Result cv = run(separable().kFold(4, 1), new ArrayList<>());
        for (CrossValidation.FoldResult r : cv.folds()) {
            double[] val = r.history().validationMetric("accuracy");
            assertEquals(30, val.length);
            assertEquals(val[val.length - 1], r.scores().get("accuracy"), "fold " + r.fold());
        }
    }

    @Test
    void withRestoreBestWeightsAFoldsScoreIsTheBestEpochs() {
        List<Dataset.Split> folds = separable().kFold(3, 2);
        CrossValidation.Result cv = CrossValidation.builder().folds(folds).network(f -> net())
                // raw features and plain SGD: the validation figures jump about, so the best epoch is often not the last
                .trainer(f -> Trainer.builder().optimizer(new Sgd(0.5)).epochs(12).batchSize(8).shuffle(3)
                        .metrics(Metric.accuracy()).earlyStopping(EarlyStopping.patience(100).restoreBestWeights()).build())
                .metrics(Metric.accuracy()).run();
        boolean bestIsNotLast = false;
        for (CrossValidation.FoldResult r : cv.folds()) {
            assertTrue(r.history().restoredBestWeights());
            double[] val = r.history().validationMetric("accuracy");
            assertEquals(val[r.history().bestEpoch() - 1], r.scores().get("accuracy"), "fold " + r.fold());
            bestIsNotLast |= val[r.history().bestEpoch() - 1] != val[val.length - 1];
        }
        assertTrue(bestIsNotLast, "some fold's best epoch scores otherwise than its last, so this tells them apart");
    }

    @Test
    void theSameSeedsGiveTheSameScoresBitForBit() {
        Dataset data = separable();
        CrossValidation.Result a = run(data.stratifiedKFold(4, 9), new ArrayList<>());
        CrossValidation.Result b = run(data.stratifiedKFold(4, 9), new ArrayList<>());
        for (String m : a.metricNames()) {
            double[] sa = a.scores(m), sb = b.scores(m);
            for (int f = 0; f < sa.length; f++) {
                assertEquals(Double.doubleToLongBits(sa[f]), Double.doubleToLongBits(sb[f]), m + " fold " + f);
            }
            assertEquals(Double.doubleToLongBits(a.mean(m)), Double.doubleToLongBits(b.mean(m)));
        }
        for (int f = 0; f < 4; f++) {
            assertArrayEquals(a.folds().get(f).history().validationLoss(), b.folds().get(f).history().validationLoss());
        }
        assertEquals(a.toString(), b.toString());
    }

    @Test
    void meanAndStandardDeviationAreOverTheFolds() {
        CrossValidation.Result cv = CrossValidation.builder().folds(separable().kFold(3, 4)).network(f -> net())
                .trainer(f -> Trainer.builder().optimizer(new Sgd(0.05)).epochs(1).shuffle(1).build())
                .metrics(Metric.accuracy()).run();
        double[] s = cv.scores("accuracy");
        double mean = (s[0] + s[1] + s[2]) / 3;
        assertEquals(mean, cv.mean("accuracy"), 1e-15);
        double var = ((s[0] - mean) * (s[0] - mean) + (s[1] - mean) * (s[1] - mean) + (s[2] - mean) * (s[2] - mean)) / 3;
        assertEquals(Math.sqrt(var), cv.standardDeviation("accuracy"), 1e-15);
        String table = cv.toString();
        String[] lines = table.split("\n");
        assertEquals(6, lines.length, table); // header, 3 folds, mean, std
        assertTrue(lines[0].contains("fold") && lines[0].contains("accuracy"), table);
        assertTrue(lines[1].contains("80/40"), table);
        assertTrue(lines[4].trim().startsWith("mean") && lines[5].trim().startsWith("std"), table);
        assertTrue(message(() -> cv.scores("auc")).contains("no metric named 'auc'; this cross-validation scored [accuracy]"));
    }

    @Test
    void aFactoryMustGiveEachFoldItsOwnNetworkTrainerAndOptimiser() {
        List<Dataset.Split> folds = separable().kFold(3, 1);
        Network shared = net();
        String m = message(() -> CrossValidation.builder().folds(folds).network(f -> shared).trainer(f -> trainer())
                .metrics(Metric.accuracy()).run());
        assertTrue(m.contains("fold 1 (of 3)") && m.contains("same network object as for fold 0")
                && m.contains("new Network per fold"), m);
        Trainer t = trainer();
        m = message(() -> CrossValidation.builder().folds(folds).network(f -> net()).trainer(f -> t)
                .metrics(Metric.accuracy()).run());
        assertTrue(m.contains("fold 1 (of 3)") && m.contains("same trainer object as for fold 0"), m);
        Adam adam = new Adam(0.01);
        m = message(() -> CrossValidation.builder().folds(folds).network(f -> net())
                .trainer(f -> Trainer.builder().optimizer(adam).epochs(1).build()).metrics(Metric.accuracy()).run());
        assertTrue(m.contains("fold 1 (of 3)") && m.contains("optimiser") && m.contains("fold 0's trainer used"), m);
        m = message(() -> CrossValidation.builder().folds(folds).network(f -> null).trainer(f -> trainer())
                .metrics(Metric.accuracy()).run());
        assertTrue(m.contains("fold 0 (of 3)") && m.contains("network factory returned null"), m);
        m = message(() -> CrossValidation.builder().folds(folds).network(f -> net()).trainer(f -> trainer())
                .preprocess(f -> null).metrics(Metric.accuracy()).run());
        assertTrue(m.contains("preprocess hook returned null"), m);
    }

    @Test
    void aConfigurationThatCannotWorkIsRefusedBeforeAnyFoldTrains() {
        Dataset data = separable();
        int[] trainers = {0};
        IntFunction<Trainer> counting = f -> {
            trainers[0]++;
            return trainer();
        };
        String m = message(() -> CrossValidation.builder().folds(data.kFold(3, 1)).network(f -> net()).trainer(counting).run());
        assertTrue(m.contains("no metrics to report") && m.contains("Metric.accuracy()"), m);
        m = message(() -> CrossValidation.builder().folds(data.kFold(3, 1).subList(0, 1)));
        assertTrue(m.contains("at least 2 folds, got 1"), m);
        m = message(() -> CrossValidation.builder().metrics(Metric.accuracy(), Metric.accuracy()));
        assertTrue(m.contains("'accuracy' was added twice"), m);
        m = message(() -> CrossValidation.builder().network(f -> net()).trainer(counting).metrics(Metric.accuracy()).run());
        assertTrue(m.contains("no folds") && m.contains("kFold(k, seed)"), m);

        // 2 positives in 20 rows, 4 plain folds: some validation part has none, where AUC is undefined
        float[][] x = new float[20][], y = new float[20][];
        for (int i = 0; i < 20; i++) {
            x[i] = new float[] {i};
            y[i] = new float[] {i < 2 ? 1 : 0};
        }
        Dataset rare = Dataset.of(x, y);
        IntFunction<Network> binary = f -> Network.builder(1).dense(1, Activation.sigmoid())
                .loss(Loss.binaryCrossEntropy()).seed(1).backend(ScalarBackend.INSTANCE).build();
        m = message(() -> CrossValidation.builder().folds(rare.kFold(4, 3)).network(binary).trainer(counting)
                .metrics(Metric.auc()).run());
        assertTrue(m.contains("cross-validation fold") && m.contains("validation part, for metric 'auc'")
                && m.contains("stratifiedKFold"), m);
        assertEquals(0, trainers[0], "refused before any trainer was built");
        // AUC of three classes: the data's targets, not a fold's, so other folds would not help
        m = message(() -> CrossValidation.builder().folds(data.stratifiedKFold(3, 1)).network(f -> net()).trainer(counting)
                .metrics(Metric.auc()).run());
        assertTrue(m.startsWith("cross-validation: metric 'auc' refuses the data's targets (all rows, not only fold 0's)")
                && !m.contains("stratifiedKFold") && !m.contains("fewer folds"), m);
        assertEquals(0, trainers[0], "refused before any trainer was built");

        // a class metric on a regression network: the trainer's check, naming the fold
        IntFunction<Network> regression = f -> Network.builder(2).dense(3, Activation.identity()).loss(Loss.mse()).seed(1)
                .backend(ScalarBackend.INSTANCE).build();
        m = message(() -> CrossValidation.builder().folds(data.kFold(3, 1)).network(regression).trainer(counting)
                .metrics(Metric.accuracy()).run());
        assertTrue(m.startsWith("cross-validation fold 0 (of 3): metric 'accuracy' reads classes"), m);
        // a trainer that would hold out a validation split of its own
        m = message(() -> CrossValidation.builder().folds(data.kFold(3, 1)).network(f -> net())
                .trainer(f -> Trainer.builder().optimizer(new Sgd(0.1)).validationSplit(0.2).build())
                .metrics(Metric.accuracy()).run());
        assertTrue(m.startsWith("cross-validation fold 0 (of 3): the trainer was built with validationSplit(0.2)"), m);
        // fit's own advice for a single fit ("or call fit(network, train)") cannot be followed inside cross-validation
        assertTrue(m.contains("build the trainer without validationSplit") && !m.contains("fit(network, train)"), m);
        m = message(() -> CrossValidation.builder().folds(data.kFold(3, 1)).network(f -> net())
                .trainer(f -> Trainer.builder().optimizer(new Sgd(0.1)).stratifiedValidationSplit(0.2).build())
                .metrics(Metric.accuracy()).run());
        assertTrue(m.contains("built with stratifiedValidationSplit(0.2)")
                && m.contains("without stratifiedValidationSplit") && !m.contains("fit(network, train)"), m);
    }
}
