package org.bpnn.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.bpnn.nn.Rng;

/** One local[2] Spark session for all test classes of the fork, and small seeded data sets. */
final class SparkTestSupport {
    private static SparkSession spark;

    private SparkTestSupport() {}

    /** The session, made on first use (Spark 4.2 starts on Java 17 to 25; see the parent pom's spark.version). */
    static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder()
                    .master("local[2]")
                    .appName("bpnn-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
        }
        return spark;
    }

    /**
     * Three Gaussian blobs in {@code features} dimensions, centres on a circle, noise sd 1.2 (overlapping):
     * rows (id long, features array&lt;float&gt;, label int).
     */
    static List<Row> blobs(int n, int features, long seed) {
        Rng rng = new Rng(seed);
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int label = rng.nextInt(3);
            float[] x = new float[features];
            for (int j = 0; j < features; j++) {
                double centre = 1.5 * Math.cos(2 * Math.PI * label / 3 + j);
                x[j] = (float) (centre + 1.2 * gaussian(rng));
            }
            rows.add(RowFactory.create((long) i, x, label));
        }
        return rows;
    }

    static StructType blobSchema() {
        return new StructType()
                .add("id", DataTypes.LongType, false)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), true)
                .add("label", DataTypes.IntegerType, true);
    }

    static Dataset<Row> blobFrame(int n, int features, long seed, int partitions) {
        return spark().createDataFrame(blobs(n, features, seed), blobSchema()).repartition(partitions, new org.apache.spark.sql.Column("id"))
                .sortWithinPartitions("id");
    }

    /**
     * Runs {@code body} and returns the ERROR (and FATAL) lines any logger wrote meanwhile, as "logger: message",
     * through an appender on log4j's root logger (Spark's loggers are additive: their ERROR lines reach it, the
     * levels log4j2-test.properties turns off excepted). Lines of other threads count too, so a task's or Spark's
     * own error during the body is caught; the tests run one at a time in the fork.
     */
    static List<String> errorsDuring(Runnable body) {
        org.apache.logging.log4j.core.LoggerContext ctx =
                (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        org.apache.logging.log4j.core.appender.AbstractAppender errors =
                new org.apache.logging.log4j.core.appender.AbstractAppender("bpnn-test-errors-" + java.util.UUID.randomUUID(),
                        null, null, true, org.apache.logging.log4j.core.config.Property.EMPTY_ARRAY) {
                    @Override
                    public void append(org.apache.logging.log4j.core.LogEvent e) {
                        if (e.getLevel().isMoreSpecificThan(org.apache.logging.log4j.Level.ERROR)) {
                            seen.add(e.getLoggerName() + ": " + e.getMessage().getFormattedMessage()
                                    + (e.getThrown() == null ? "" : " (" + e.getThrown() + ")"));
                        }
                    }
                };
        errors.start();
        org.apache.logging.log4j.core.config.LoggerConfig root = ctx.getConfiguration().getRootLogger();
        root.addAppender(errors, org.apache.logging.log4j.Level.ERROR, null);
        ctx.updateLoggers();
        try {
            body.run();
        } finally {
            root.removeAppender(errors.getName());
            ctx.updateLoggers();
            errors.stop();
        }
        return new ArrayList<>(seen);
    }

    static double gaussian(Rng rng) {
        double u = Math.max(rng.nextDouble(), 1e-12), v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
