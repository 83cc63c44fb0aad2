package org.bpnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data read from files, as SparkTrainExample's --csv does. Every other test builds its frames in memory,
 * which never reaches Hadoop's FileSystem; on Java 23+ the Hadoop of Spark 4.0 and 4.1 (and of 3.5) fails
 * there, in UserGroupInformation.getCurrentUser (Subject.getSubject), while the session itself may start.
 */
class FileSourceTest {
    @TempDir
    Path dir;

    @Test
    void csvWithAHeaderIsReadIntoSparkData() throws IOException {
        Path csv = dir.resolve("train.csv");
        StringBuilder text = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 30; i++) {
            text.append(i * 0.5).append(',').append(-i).append(',').append(i % 3).append('\n');
        }
        Files.writeString(csv, text);
        Dataset<Row> df = SparkTestSupport.spark().read().option("header", true).option("inferSchema", true)
                .csv(csv.toString());
        try (SparkData data = SparkData.from(df, RowFormat.featureColumns("a", "b").classLabel("label", 3))) {
            assertEquals(30, data.size());
            assertEquals(2, data.featureCount());
            assertEquals(10, data.classCounts()[2]);
        }
    }

    @Test
    void parquetWrittenBySparkIsReadBack() {
        String path = dir.resolve("blobs.parquet").toString();
        SparkTestSupport.blobFrame(50, 4, 3, 2).write().parquet(path);
        try (SparkData data = SparkData.from(SparkTestSupport.spark().read().parquet(path), SparkTrainerTest.FORMAT)) {
            assertEquals(50, data.size());
            assertEquals(4, data.featureCount());
        }
    }
}
