package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.bpnn.data.Dataset;
import org.bpnn.data.Normaliser;
import org.bpnn.data.OneHot;
import org.bpnn.loss.Loss;
import org.bpnn.metrics.Metrics;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.AdaGrad;
import org.bpnn.optim.Adam;
import org.bpnn.optim.AdamW;
import org.bpnn.optim.Momentum;
import org.bpnn.optim.RmsProp;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.bpnn.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * Property-style fuzzing of the public entry points with seeded random shapes, sizes, NaN/Inf,
 * empty, null and huge values: each call either works or throws IllegalArgumentException /
 * IllegalStateException with a message; never ArrayIndexOutOfBounds, NullPointerException,
 * NegativeArraySize, ArithmeticException, a hang, or a NaN result from finite inputs of moderate
 * size (|x| up to 1e4; larger inputs may overflow a layer: normalise them). Reproduce a failure from
 * the printed seed and case.
 */
class HostileInputTest {
    static final int CASES = 800;
    static final float[] SPECIAL = {0f, -0f, 1f, -1f, 1e-45f, 1e4f, -1e4f, 1e30f, -1e30f, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    static final int[] SIZES = {-7, -1, 0, 1, 2, 3, 5, 16, 300, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 16};
    static final Activation[] ACTIVATIONS = {Activation.identity(), Activation.sigmoid(), Activation.tanh(),
            Activation.relu(), Activation.leakyRelu(), Activation.softmax(), null};
    static final Loss[] LOSSES = {Loss.mse(), Loss.mae(), Loss.huber(1), Loss.binaryCrossEntropy(),
            Loss.binaryCrossEntropyFromLogits(), Loss.categoricalCrossEntropy(), Loss.categoricalCrossEntropyFromLogits(), null};

    private final Random r = new Random(20261128);

    private int size() {
        return r.nextInt(4) == 0 ? SIZES[r.nextInt(SIZES.length)] : 1 + r.nextInt(6);
    }

    private float value(boolean finiteModerate) {
        if (finiteModerate) return r.nextInt(3) == 0 ? SPECIAL[r.nextInt(7)] : (float) (r.nextGaussian() * 10);
        return r.nextInt(3) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : (float) r.nextGaussian();
    }

    /** A tensor of a random small shape (or null), moderate finite values unless {@code hostile}. */
    private Tensor tensor(int rows, int cols, boolean hostile) {
        if (hostile && r.nextInt(20) == 0) return null;
        if (rows < 1 || cols < 1 || (long) rows * cols > 5000) return Tensor.zeros(1 + r.nextInt(3), 1 + r.nextInt(3));
        Tensor t = Tensor.zeros(rows, cols);
        boolean finite = !hostile || r.nextInt(3) > 0;
        for (int i = 0; i < t.size(); i++) t.data()[i] = value(finite);
        return t;
    }

    private boolean finiteModerate(Tensor t) {
        if (t == null) return false;
        for (float f : t.data()) if (!Float.isFinite(f) || Math.abs(f) > 1e4f) return false;
        return true;
    }

    /** Runs a case: success, or IAE/ISE with a message; anything else fails with the case's description. */
    private <T> T attempt(int c, String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                fail("case " + c + " " + what + ": " + e.getClass().getSimpleName() + " without a message", e);
            }
            return null;
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            fail("case " + c + " " + what + ": " + e, e);
            return null;
        }
    }

    private void finite(int c, String what, double v, boolean inputsFinite) {
        if (inputsFinite && !Double.isFinite(v)) fail("case " + c + " " + what + ": " + v + " from finite inputs");
    }

    @Test
    void everyEntryPointWorksOrRefusesCleanly() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int c = 0; c < CASES; c++) runCase(c);
        });
    }

    private void runCase(int c) {
        int in = size(), out = size(), rows = size();
        Activation act = ACTIVATIONS[r.nextInt(ACTIVATIONS.length)];
        Loss loss = LOSSES[r.nextInt(LOSSES.length)];
        double rate = r.nextInt(4) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : r.nextDouble();
        String desc = "in=" + in + " out=" + out + " rows=" + rows + " act=" + act + " loss=" + loss + " rate=" + rate;
        // Tensor factories
        attempt(c, "Tensor.zeros " + desc, () -> Tensor.zeros(rows, r.nextBoolean() ? out : 1 << 20));
        attempt(c, "Tensor.wrap " + desc, () -> Tensor.wrap(rows, out, r.nextInt(10) == 0 ? null : new float[Math.max(0, Math.min(50, rows * out + r.nextInt(3) - 1))]));
        attempt(c, "Tensor.of " + desc, () -> Tensor.of(r.nextInt(10) == 0 ? null : new float[][] {{1f, 2f}, r.nextBoolean() ? new float[2] : new float[r.nextInt(3)]}));
        // optimisers
        attempt(c, "Sgd " + desc, () -> new Sgd(rate));
        attempt(c, "Adam " + desc, () -> new Adam(rate, r.nextDouble() * 1.2, r.nextDouble() * 1.2, rate));
        attempt(c, "Momentum " + desc, () -> new Momentum(rate, rate));
        attempt(c, "AdamW " + desc, () -> new AdamW(rate, rate));
        attempt(c, "RmsProp " + desc, () -> new RmsProp(rate));
        attempt(c, "AdaGrad " + desc, () -> new AdaGrad(rate));
        // a network
        Network net = attempt(c, "build " + desc, () -> {
            Network.Builder b = Network.builder(in).dense(out, act);
            if (r.nextInt(4) == 0) b.dropout(rate);
            if (r.nextInt(3) == 0) b.dense(1 + r.nextInt(4), ACTIVATIONS[r.nextInt(ACTIVATIONS.length)]);
            return b.loss(loss).seed(r.nextLong()).build();
        });
        if (net != null) {
            int k = net.outputSize();
            Tensor x = tensor(rows, r.nextInt(8) == 0 ? in + 1 : in, true);
            boolean fx = finiteModerate(x) && x.cols() == in;
            Tensor p = attempt(c, "predict " + desc, () -> net.predict(x));
            if (p != null && fx) finite(c, "predict " + desc, Metrics.mae(p, Tensor.zeros(p.rows(), p.cols())), true);
            attempt(c, "predict(float...) " + desc, () -> net.predict(x == null ? null : x.rowCopy(0)));
            attempt(c, "predict(x, out) " + desc, () -> {
                net.predict(x, tensor(rows, r.nextInt(5) == 0 ? k + 1 : k, true));
                return null;
            });
            Tensor y = tensor(x == null ? rows : x.rows(), r.nextInt(8) == 0 ? k + 1 : k, true);
            Double cost = attempt(c, "computeGradients " + desc, () -> net.computeGradients(x, y));
            if (cost != null) finite(c, "computeGradients " + desc, cost, fx && finiteModerate(y));
            attempt(c, "trainStep " + desc, () -> net.trainStep(x, y, new Sgd(0.01)));
            attempt(c, "fit " + desc, () -> Trainer.builder().optimizer(new Adam(1e-3)).epochs(1).batchSize(Math.max(1, rows))
                    .build().fit(net, new Dataset(x, y)));
        }
        // data
        Tensor a = tensor(rows, out, true), b = tensor(rows, r.nextInt(6) == 0 ? out + 1 : out, true);
        boolean fab = finiteModerate(a) && finiteModerate(b);
        attempt(c, "Dataset " + desc, () -> new Dataset(a, b));
        attempt(c, "OneHot " + desc, () -> OneHot.encode(r.nextInt(10) == 0 ? null : new int[] {0, out - 1, r.nextInt(5) - 1}, out));
        attempt(c, "Normaliser.standardise " + desc, () -> Normaliser.standardise(a).apply(b));
        attempt(c, "Normaliser.minMax " + desc, () -> Normaliser.minMax(a).apply(b));
        attempt(c, "Normaliser.of " + desc, () -> Normaliser.of(Normaliser.Kind.MIN_MAX, new float[] {value(false)}, new float[] {value(false)}));
        // metrics
        for (String m : List.of("accuracy", "mse", "mae", "rmse", "r2", "auc", "topk")) {
            Double v = attempt(c, m + " " + desc, () -> switch (m) {
                case "accuracy" -> Metrics.accuracy(a, b);
                case "mse" -> Metrics.mse(a, b);
                case "mae" -> Metrics.mae(a, b);
                case "rmse" -> Metrics.rmse(a, b);
                case "r2" -> Metrics.r2(a, b);
                case "auc" -> Metrics.auc(a, b);
                default -> Metrics.topKAccuracy(a, b, size());
            });
            if (v != null) finite(c, m + " " + desc, v, fab);
        }
    }

    @Test
    void hugeSizesAreRefusedBeforeAllocating() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(65536, 65536));
        assertTrue(e.getMessage().contains("4294967296"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Network.builder(100_000).dense(100_000, Activation.relu()).dense(100_000, Activation.relu())
                        .loss(Loss.mse()).build());
        assertTrue(e.getMessage().contains("20000200000 parameters"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Network.builder(Integer.MAX_VALUE)
                .dense(Integer.MAX_VALUE, Activation.relu()).dense(Integer.MAX_VALUE, Activation.relu())
                .dense(Integer.MAX_VALUE, Activation.relu()).loss(Loss.mse()).build());
        assertTrue(e.getMessage().contains("parameters"), e.getMessage());
        // a custom layer reporting 2^31 parameters (the same small one, 2^20 times): summed in long
        Parameter small = new Parameter("p", Tensor.zeros(1, 2048), true);
        List<Parameter> many = new java.util.AbstractList<>() {
            @Override public Parameter get(int i) { return small; }

            @Override public int size() { return 1 << 20; }
        };
        Layer huge = new Layer() {
            @Override public int inputSize() { return 4; }

            @Override public int outputSize() { return 4; }

            @Override public List<Parameter> parameters() { return many; }

            @Override public void forward(org.bpnn.backend.Backend b, Tensor x, Tensor y, Tensor s, boolean t) { }

            @Override public void backward(org.bpnn.backend.Backend b, Tensor x, Tensor y, Tensor dy, boolean d, Tensor dx, Tensor s) { }

            @Override public double[] forwardDouble(double[][] p, double[] x, int batch) { return x; }
        };
        e = assertThrows(IllegalArgumentException.class, () -> Network.builder(4).layer(huge).loss(Loss.mse()).build());
        assertTrue(e.getMessage().contains("2147483648 parameters"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Dense("d", 1 << 16, 1 << 16, Activation.relu(), null, new Random(1)));
        assertTrue(e.getMessage().contains("4295032832"), e.getMessage());
    }
}
