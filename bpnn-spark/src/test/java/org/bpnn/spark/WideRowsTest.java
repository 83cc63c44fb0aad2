package org.bpnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.bpnn.io.model.SavedModel;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.junit.jupiter.api.Test;

/**
 * Very wide rows (hashed text features: 2^20 and more per row). Buffers sized in rows (64 rows per
 * block to start, 256 rows per scoring chunk) were 256 MB and 1 GB per task at 2^20 features, and a
 * negative array size beyond 2^25 (blocks) and 2^23 (scoring) features.
 */
class WideRowsTest {

    @Test
    void aBlockStartsSmallWhateverTheRowWidth() {
        Block.Builder b = new Block.Builder(0, 1 << 20, 1);
        assertTrue(b.x().length <= 1 << 20, "a block of 2^20-feature rows starts with " + b.x().length + " floats");
        b = new Block.Builder(0, 40_000_000, 1); // threw NegativeArraySizeException (64 x 40M overflows int)
        int r = b.add();
        assertEquals(0, r);
        assertTrue(b.x().length >= 40_000_000);
        Block blk = b.build();
        assertEquals(1, blk.rows);
        assertEquals(40_000_000, blk.x.length);
    }

    /** 9M inputs: a 256-row chunk of them is beyond a Java array; even an empty partition failed. */
    @Test
    void scoringRowsWiderThanAChunkWorks() {
        int f = 9_000_000;
        Network net = Network.builder(f).dense(1, Activation.identity()).loss(Loss.mse()).seed(1).build();
        Dataset<Row> empty = SparkTestSupport.spark().createDataFrame(List.of(), SparkTestSupport.blobSchema()).repartition(2);
        List<Row> out = SparkScorer.score(empty, SavedModel.of(net), RowFormat.featureArray("features")).collectAsList();
        assertEquals(0, out.size());
    }
}
