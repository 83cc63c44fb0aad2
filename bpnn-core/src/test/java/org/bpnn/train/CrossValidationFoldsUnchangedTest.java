package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.metrics.Metric;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The folds of {@link Dataset#kFold} and {@link Dataset#stratifiedKFold}, and a cross-validation's
 * scores, bit for bit as the implementation that copied every fold up front gave them (the hashes were
 * recorded from it, before the folds were made one at a time): every part's rows, in order, with their
 * features, targets and sample weights.
 */
class CrossValidationFoldsUnchangedTest {

    /** 3 classes of unequal sizes (25, 20, 15 rows), 4 features, weighted rows (some 0). */
    static Dataset weighted() {
        Random r = new Random(21);
        int n = 60;
        Tensor x = Tensor.zeros(n, 4);
        int[] labels = new int[n];
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i < 25 ? 0 : i < 45 ? 1 : 2;
            for (int j = 0; j < 4; j++) x.set(i, j, (float) r.nextGaussian() + labels[i]);
            w[i] = i % 7 == 0 ? 0f : 0.5f + (i % 3);
        }
        return Dataset.ofLabels(x, labels, 3).withSampleWeights(w);
    }

    static long hash(Dataset d) {
        long h = 17;
        for (Tensor t : new Tensor[] {d.features(), d.targets(), d.sampleWeights()}) {
            h = 31 * h + (t == null ? -1 : t.rows() * 1000L + t.cols());
            if (t != null) {
                for (float f : t.data()) h = 31 * h + Float.floatToRawIntBits(f);
            }
        }
        return h;
    }

    static List<Long> hashes(List<Dataset.Split> folds) {
        List<Long> h = new ArrayList<>();
        for (Dataset.Split s : folds) {
            h.add(hash(s.train()));
            h.add(hash(s.validation()));
        }
        return h;
    }

    @Test
    void kFoldGivesTheFoldsItGave() {
        assertEquals(List.of(KFOLD), hashes(weighted().kFold(4, 42)));
    }

    @Test
    void stratifiedKFoldGivesTheFoldsItGave() {
        assertEquals(List.of(STRATIFIED), hashes(weighted().stratifiedKFold(3, 7)));
    }

    @Test
    void crossValidationGivesTheScoresItGave() {
        // overlapping classes, few epochs: scores and losses that every row's bits move
        CrossValidation.Result cv = CrossValidation.builder().folds(weighted().stratifiedKFold(4, 3))
                .network(f -> Network.builder(4).dense(6, Activation.tanh()).dense(3, Activation.softmax())
                        .loss(Loss.categoricalCrossEntropy()).seed(5).backend(ScalarBackend.INSTANCE).build())
                .trainer(f -> Trainer.builder().optimizer(new Adam(0.01)).epochs(3).batchSize(8).shuffle(7).build())
                .preprocess(CrossValidationTest.normalise(new ArrayList<>()))
                .metrics(Metric.accuracy(), Metric.macroF1()).run();
        List<Long> bits = new ArrayList<>();
        for (String m : cv.metricNames()) {
            for (double s : cv.scores(m)) bits.add(Double.doubleToRawLongBits(s));
        }
        for (CrossValidation.FoldResult r : cv.folds()) {
            bits.add(r.trainRows() * 1000L + r.validationRows());
            for (double v : r.history().validationLoss()) bits.add(Double.doubleToRawLongBits(v));
        }
        assertEquals(List.of(SCORES), bits, cv.toString());
    }

    private static final Long[] KFOLD = {
            3397718706963784690L, 9010378050582225172L, -4068308992763529972L, -4914514767074611206L,
            7465812327009536030L, 2944513158945089512L, -9172363404960303336L, 933771472413167598L};
    private static final Long[] STRATIFIED = {
            6653568587371388741L, 5313143518711080069L, 1753636744162200006L, -8629249832955519228L,
            2359147761866387160L, 1640292610120004210L};
    private static final Long[] SCORES = {
            4603579539098121011L, 4604180019048437077L, 4605981458899385276L, 4603579539098121011L,
            4602936167722782369L, 4603846419076039263L, 4605867265062679869L, 4603379379114682323L,
            45015L, 4609305951407217959L, 4608961808752933668L, 4608631486553182384L,
            45015L, 4607431127245864814L, 4607146796826413440L, 4606893746792240206L,
            45015L, 4607764598285446935L, 4607237224254430222L, 4606455940478577548L,
            45015L, 4607337595431900072L, 4607079186570186097L, 4606668614036686643L};
}
