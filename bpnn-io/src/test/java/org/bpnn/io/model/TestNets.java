package org.bpnn.io.model;

import java.util.Random;
import org.bpnn.backend.Backend;
import org.bpnn.backend.Backends;
import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.Parameter;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;

/** Test helper: small networks with non-trivial weights and biases, random inputs, and a regression to train on. */
final class TestNets {
    static final Backend SCALAR = Backends.get("scalar", 1);

    private TestNets() {}

    /** in -> 6 (hidden) -> 5 (hidden) -> out (output), biases randomised too. */
    static Network net(int in, Activation hidden, int out, Activation output, Loss loss, long seed) {
        Network n = Network.builder(in).dense(6, hidden).dense(5, hidden).dense(out, output)
                .loss(loss).seed(seed).backend(SCALAR).build();
        Random r = new Random(seed ^ 0x5DEECE66DL);
        for (Parameter p : n.parameters()) {
            if (!p.decays()) {
                float[] d = p.value().data();
                for (int i = 0; i < d.length; i++) d[i] = (float) r.nextGaussian() * 0.3f;
            }
        }
        return n;
    }

    static Network small() {
        return net(4, Activation.tanh(), 3, Activation.softmax(), Loss.categoricalCrossEntropy(), 7);
    }

    /** 2 -> 4 (tanh) -> 1 (identity), mean squared error, seed 5: the network {@link #regressionData} trains. */
    static Network regressionNet() {
        return Network.builder(2).dense(4, Activation.tanh()).dense(1, Activation.identity()).loss(Loss.mse()).seed(5)
                .backend(SCALAR).build();
    }

    /** {@code rows} rows of 2 random inputs (seed 3) and the target x0 - 0.5 x1, for {@link #regressionNet}. */
    static Dataset regressionData(int rows) {
        Tensor x = inputs(rows, 2, 3);
        Tensor y = Tensor.zeros(rows, 1);
        for (int i = 0; i < rows; i++) y.set(i, 0, x.get(i, 0) - 0.5f * x.get(i, 1));
        return new Dataset(x, y);
    }

    static Tensor inputs(int rows, int cols, long seed) {
        Random r = new Random(seed);
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian() * 2;
        return Tensor.wrap(rows, cols, x);
    }
}
