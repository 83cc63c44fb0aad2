package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A batch of more than 256 rows is predicted in chunks, a last chunk of one row together with the row
 * before it. Each row must come out as it does in a small batch (on the scalar backend a row's bits do
 * not depend on its batch): comparing predict(x) with itself, as the aliasing tests do, cannot see a
 * chunk that read the wrong input row.
 */
class ChunkedPredictRowsTest {
    @Test
    void everyRowOfAChunkedBatchIsItsRowOfASmallBatch() {
        Network net = Network.builder(3).dense(5, Activation.tanh()).dense(2, Activation.sigmoid())
                .loss(Loss.binaryCrossEntropy()).seed(3).backend(ScalarBackend.INSTANCE).build();
        Random r = new Random(8);
        for (int rows : new int[] {257, 300, 512, 513}) {
            Tensor x = Tensor.zeros(rows, 3);
            for (int i = 0; i < x.size(); i++) x.data()[i] = (float) r.nextGaussian();
            Tensor out = net.predict(x);
            Tensor z = Tensor.zeros(rows, 2), out2 = Tensor.zeros(rows, 2);
            net.predict(x, out2, z);
            for (int r0 = 0; r0 < rows; r0 += 100) {
                int n = Math.min(100, rows - r0);
                float[] part = new float[n * 3];
                System.arraycopy(x.data(), r0 * 3, part, 0, part.length);
                Tensor px = Tensor.wrap(n, 3, part), pOut = Tensor.zeros(n, 2), pz = Tensor.zeros(n, 2);
                net.predict(px, pOut, pz);
                for (int i = 0; i < n; i++) {
                    String at = "row " + (r0 + i) + " of " + rows;
                    assertArrayEquals(pOut.rowCopy(i), out.rowCopy(r0 + i), at);
                    assertArrayEquals(pOut.rowCopy(i), out2.rowCopy(r0 + i), at);
                    assertArrayEquals(pz.rowCopy(i), z.rowCopy(r0 + i), at + ", z");
                }
            }
        }
    }
}
