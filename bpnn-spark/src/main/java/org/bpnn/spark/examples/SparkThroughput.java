package org.bpnn.spark.examples;

import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.bpnn.backend.Backends;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Adam;
import org.bpnn.spark.RowFormat;
import org.bpnn.spark.SparkData;
import org.bpnn.spark.SparkTrainer;
import org.bpnn.spark.SparkTrainingHistory;
import org.bpnn.train.Trainer;
import org.bpnn.train.TrainingHistory;

/**
 * What this shows: training throughput (samples/s) of the single-machine {@link Trainer} against
 * {@link SparkTrainer} on {@code local[1]} and {@code local[2]}, on the same data, network, batch
 * and optimiser. Not a test: numbers depend on the machine.
 *
 * <p>Defaults: 60,000 synthetic rows of 784 features, 10 classes, 784-256-128-10 (ReLU, softmax),
 * Adam 1e-3, global batch 512, 2 epochs each, the first counted as warm-up. Run (repository root):
 * <pre>
 * mvn -q -pl bpnn-spark dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt
 * java @bpnn-spark/jvm.options -Xmx8g -cp bpnn-spark/target/classes:$(cat bpnn-spark/target/cp.txt) \
 *      org.bpnn.spark.examples.SparkThroughput [rows] [epochs] [masters, e.g. local[1],local[2]] [batch]
 * </pre>
 */
public final class SparkThroughput {
    private SparkThroughput() {}

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 60_000;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String[] masters = (args.length > 2 ? args[2] : "local[1],local[2]").split(",");
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 512;
        RowFormat format = RowFormat.featureArray("features").classLabel("label", 10);
        System.out.printf("java %s, backend %s (%d threads), %d cores, %d rows x 784, 784-256-128-10, batch %d, Adam%n",
                Runtime.version(), Backends.get().name(), Backends.get().threads(),
                Runtime.getRuntime().availableProcessors(), rows, batch);
        org.bpnn.data.Dataset local = null;
        for (String master : masters) {
            SparkSession spark = SparkSession.builder().master(master).appName("bpnn-spark throughput")
                    .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
            spark.sparkContext().setLogLevel("ERROR");
            int parts = spark.sparkContext().defaultParallelism();
            Dataset<Row> df = ExampleData.blobs(spark, rows, 784, 10, 1.0, 1, parts);
            long t0 = System.nanoTime();
            try (SparkData data = SparkData.from(df, format)) {
                double load = (System.nanoTime() - t0) / 1e9;
                if (local == null) local = data.toLocal();
                Network net = network();
                SparkTrainingHistory h = SparkTrainer.builder().optimizer(new Adam(1e-3)).epochs(epochs).batchSize(batch)
                        .shuffle(3).build().fit(net, data);
                report("spark " + master + " (" + parts + " partitions)", rows, h.epochs().stream()
                        .mapToDouble(e -> e.seconds()).toArray(), h.trainLoss(), load);
            } finally {
                spark.stop();
            }
        }
        Network net = network();
        TrainingHistory h = Trainer.builder().optimizer(new Adam(1e-3)).epochs(epochs).batchSize(batch).shuffle(3).build()
                .fit(net, local);
        report("single-machine Trainer", rows, h.epochs().stream().mapToDouble(e -> e.seconds()).toArray(), h.trainLoss(), 0);
    }

    static Network network() {
        return Network.builder(784)
                .dense(256, Activation.relu())
                .dense(128, Activation.relu())
                .dense(10, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy())
                .seed(11)
                .build();
    }

    static void report(String what, int rows, double[] seconds, double[] loss, double load) {
        double warm = 0;
        for (int i = 1; i < seconds.length; i++) warm += seconds[i];
        int warmEpochs = Math.max(1, seconds.length - 1);
        if (seconds.length == 1) warm = seconds[0];
        System.out.printf(Locale.ROOT, "%-34s first epoch %6.2f s (%7.0f samples/s), later epochs %7.0f samples/s, "
                        + "last loss %.4f, data load %.1f s%n",
                what, seconds[0], rows / seconds[0], rows * warmEpochs / warm, loss[loss.length - 1], load);
    }
}
