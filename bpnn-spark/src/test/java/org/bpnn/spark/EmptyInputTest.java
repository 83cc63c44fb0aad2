package org.bpnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.bpnn.io.model.SavedModel;
import org.bpnn.optim.Sgd;
import org.junit.jupiter.api.Test;

/**
 * Data without rows (a filter, a sample or a path that matched nothing): reading or training on it is
 * refused with what is empty and what to check, scoring it gives an empty result. bpnn's Tensor has no
 * 0-row shape, so every path has to stop before one would be made.
 */
class EmptyInputTest {
    private static final String REMEDY = "; SparkData needs at least one row to read: check the data's source and any"
            + " filter or sample applied to it";

    private static Dataset<Row> empty() {
        return SparkTestSupport.blobFrame(20, 4, 5, 2).filter("id < 0");
    }

    /** All said only "the data set has no rows": not which data, nor what to change. */
    @Test
    void readingOrTrainingOnNoRowsSaysWhatIsEmptyAndWhatToCheck() {
        String arrays = "the data frame has no rows (the feature count is the length of array column 'features' in its"
                + " first row)" + REMEDY;
        // made outside the assertThrows, so that only SparkData's and fit's exceptions can satisfy it
        Dataset<Row> none = empty();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkData.from(none, SparkTrainerTest.FORMAT));
        assertEquals(arrays, e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.builder().optimizer(new Sgd(0.1)).build()
                .fit(SparkTrainerTest.net(1), none, SparkTrainerTest.FORMAT));
        assertEquals(arrays, e.getMessage());

        Dataset<Row> columns = none.selectExpr("features[0] AS a", "features[1] AS b", "label", "features AS t");
        e = assertThrows(IllegalArgumentException.class,
                () -> SparkData.from(columns, RowFormat.featureColumns("a", "b").classLabel("label", 3)));
        assertEquals("the data frame has no rows" + REMEDY, e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SparkData.from(columns, RowFormat.featureColumns("a", "b").targetArray("t")));
        assertEquals("the data frame has no rows (the target count is the length of array column 't' in its first row)"
                + REMEDY, e.getMessage());

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSupport.spark().sparkContext());
        e = assertThrows(IllegalArgumentException.class, () -> SparkData.fromSamples(jsc.<Sample>emptyRDD()));
        assertEquals("the samples RDD has no rows" + REMEDY, e.getMessage());
    }

    /**
     * Scoring needs no first row (the model gives the feature count): no rows score to no rows, and
     * partitions left empty (more partitions than rows) are skipped, never made into a 0-row batch.
     */
    @Test
    void scoringNoRowsOrEmptyPartitionsGivesTheRowsThereAre() {
        SavedModel model = SavedModel.of(SparkTrainerTest.net(1));
        Dataset<Row> scored = SparkScorer.score(empty(), model, RowFormat.featureArray("features"));
        assertEquals(List.of("id", "features", "label", "output", "prediction", "probability"), List.of(scored.columns()));
        assertEquals(0, scored.count());
        Dataset<Row> sparse = SparkTestSupport.blobFrame(3, 4, 5, 2).repartition(8);
        assertEquals(3, SparkScorer.score(sparse, model, RowFormat.featureArray("features")).count());
    }
}
