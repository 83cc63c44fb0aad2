package org.bpnn.spark.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.bpnn.backend.Backends;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.spark.RowFormat;
import org.bpnn.spark.SparkData;
import org.bpnn.spark.SparkScorer;
import org.bpnn.spark.SparkTrainer;
import org.bpnn.spark.SparkTrainingHistory;
import org.bpnn.train.EpochSummary;
import org.bpnn.train.TrainingListener;

/**
 * What this shows: training a bpnn classifier on a Spark {@code Dataset<Row>} with synchronous
 * data-parallel SGD, scoring a held-out split on Spark, and saving a normal bpnn model file.
 *
 * <p>Data: synthetic Gaussian blobs (default 20,000 rows, 20 features, 5 classes), or a CSV file with a
 * header whose label column holds class indices 0..k-1 and whose other columns are numeric features.
 *
 * <p><b>Run locally</b> (from the repository root; the first command builds the modules and writes the
 * class path with their jars from this checkout, so nothing needs installing and nothing stale is used):
 * <pre>
 * mvn -q -pl bpnn-spark -am package -DskipTests dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt
 * java @bpnn-spark/jvm.options -cp bpnn-spark/target/classes:$(cat bpnn-spark/target/cp.txt) \
 *      org.bpnn.spark.examples.SparkTrainExample --master 'local[*]' --epochs 5 --out blobs.bpnn
 * # or: ... --csv data.csv --label label --classes 10
 * </pre>
 *
 * <p><b>Run on a cluster</b> with {@code spark-submit} (Spark 4.2, or 3.5, 4.0 or 4.1, built for Scala 2.13;
 * Java 17 or later on every node, at most 21 for Spark 3.5, 4.0 and 4.1; see the module README, Versions).
 * {@code mvn -pl bpnn-spark package} also writes {@code bpnn-spark/target/bpnn-spark-app.jar}:
 * bpnn-core, -io, -simd and this module, with Jackson relocated so that Spark's own older Jackson
 * cannot clash with bpnn-io's. spark-submit adds the {@code --add-opens} options Spark needs by
 * itself; add the Vector API module for the simd backend on the driver and the executors (without it
 * bpnn falls back to its scalar backend and says so once in the log):
 * <pre>
 * spark-submit --master spark://HOST:7077 \
 *   --class org.bpnn.spark.examples.SparkTrainExample \
 *   --conf spark.driver.extraJavaOptions=--add-modules=jdk.incubator.vector \
 *   --conf spark.executor.extraJavaOptions=--add-modules=jdk.incubator.vector \
 *   --conf spark.executorEnv.BPNN_THREADS=4 \
 *   bpnn-spark/target/bpnn-spark-app.jar --csv hdfs:///data/train.csv --label label --classes 10 --out model.bpnn
 * </pre>
 * ({@code --master yarn} or {@code k8s://...} work the same; {@code --out} is written on the driver.)
 * Set BPNN_THREADS to the cores one task may use: with several task slots per executor JVM, the slots
 * share one bpnn backend (thread-safe) whose worker pool is used by one task at a time.
 */
public final class SparkTrainExample {
    private SparkTrainExample() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = options(args);
        String master = a.get("master");
        int epochs = Integer.parseInt(a.getOrDefault("epochs", "5"));
        int batch = Integer.parseInt(a.getOrDefault("batch", "256"));
        long seed = Long.parseLong(a.getOrDefault("seed", "7"));
        SparkSession.Builder sb = SparkSession.builder().appName("bpnn-spark example");
        if (master != null) sb.master(master);
        try (SparkSession spark = sb.getOrCreate()) {
            spark.sparkContext().setLogLevel("WARN");
            Dataset<Row> df;
            RowFormat format;
            int classes;
            if (a.containsKey("csv")) {
                String label = a.getOrDefault("label", "label");
                classes = Integer.parseInt(a.getOrDefault("classes", "10"));
                df = spark.read().option("header", true).option("inferSchema", true).csv(a.get("csv"));
                List<String> features = new ArrayList<>(Arrays.asList(df.columns()));
                if (!features.remove(label)) {
                    throw new IllegalArgumentException("no label column '" + label + "' in " + Arrays.toString(df.columns())
                            + "; pass --label NAME");
                }
                format = RowFormat.featureColumns(features.toArray(String[]::new)).classLabel(label, classes);
            } else {
                long rows = Long.parseLong(a.getOrDefault("rows", "20000"));
                classes = 5;
                int parts = Integer.parseInt(a.getOrDefault("partitions", String.valueOf(spark.sparkContext().defaultParallelism())));
                df = ExampleData.blobs(spark, rows, 20, classes, 0.8, seed, parts);
                format = RowFormat.featureArray("features").classLabel("label", classes);
            }
            Dataset<Row>[] split = df.randomSplit(new double[] {0.8, 0.2}, seed);
            try (SparkData train = SparkData.from(split[0], format)) {
                System.out.println("train: " + train + "; backend on the driver: " + Backends.get().name());
                Network net = Network.builder(train.featureCount())
                        .dense(64, Activation.relu())
                        .dense(classes, Activation.softmax())
                        .loss(Loss.categoricalCrossEntropy())
                        .seed(seed)
                        .build();
                SparkTrainer trainer = SparkTrainer.builder()
                        .optimizer(new Adam(1e-3))
                        .epochs(epochs).batchSize(batch).shuffle(seed)
                        .listener(new TrainingListener() {
                            @Override
                            public void onEpochEnd(EpochSummary s) {
                                System.out.printf("epoch %d/%d  loss %.4f  %.1f s%n", s.epoch(), s.epochs(), s.trainLoss(), s.seconds());
                            }
                        })
                        .build();
                SparkTrainingHistory h = trainer.fit(net, train);
                System.out.printf("trained %d steps, %.0f samples/s%n", h.steps(), h.samplesPerSecond());

                Dataset<Row> scored = SparkScorer.score(split[1], SavedModel.of(net), format);
                String label = a.containsKey("csv") ? a.getOrDefault("label", "label") : "label";
                long n = scored.count();
                long right = scored.filter(scored.col("prediction").equalTo(scored.col(label))).count();
                System.out.printf("held-out accuracy %.4f on %d rows%n", (double) right / n, n);
                if (a.containsKey("out")) {
                    Path out = Path.of(a.get("out"));
                    ModelFile.save(net, Map.of("epochs", epochs, "batch_size", batch, "trained_on", "spark",
                            "holdout_accuracy", (double) right / n), out);
                    System.out.println("saved " + out.toAbsolutePath());
                }
            }
        }
    }

    /** "--key value" pairs. */
    static Map<String, String> options(String[] args) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --key value pairs, got '" + args[i] + "'; keys: --master --csv "
                        + "--label --classes --rows --partitions --epochs --batch --seed --out");
            }
            m.put(args[i].substring(2), args[++i]);
        }
        return m;
    }
}
