package org.bpnn.spark.examples;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.bpnn.nn.Rng;

/** Synthetic classification data generated on the executors: row i depends only on (seed, i). */
final class ExampleData {
    private ExampleData() {}

    /**
     * {@code rows} rows (id long, features array&lt;float&gt;, label int) in {@code partitions}
     * partitions, in id order: class c's centre is a fixed random point in [-1, 1]^features, and a
     * row is its centre plus Gaussian noise of sd {@code noise}.
     */
    static Dataset<Row> blobs(SparkSession spark, long rows, int features, int classes, double noise, long seed,
                              int partitions) {
        StructType schema = new StructType()
                .add("id", DataTypes.LongType, false)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add("label", DataTypes.IntegerType, false);
        List<Integer> parts = new ArrayList<>();
        for (int p = 0; p < partitions; p++) parts.add(p);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(jsc.parallelize(parts, partitions).flatMap(p -> {
            long from = rows * p / partitions, to = rows * (p + 1) / partitions;
            float[][] centres = centres(features, classes, seed);
            List<Row> out = new ArrayList<>((int) (to - from));
            for (long i = from; i < to; i++) {
                Rng rng = new Rng(Rng.derive(seed, i + 1));
                int label = rng.nextInt(classes);
                float[] x = new float[features];
                for (int j = 0; j < features; j++) {
                    x[j] = (float) (centres[label][j] + noise * gaussian(rng));
                }
                out.add(RowFactory.create(i, x, label));
            }
            return out.iterator();
        }), schema);
    }

    private static float[][] centres(int features, int classes, long seed) {
        Rng rng = new Rng(Rng.derive(seed, 0));
        float[][] c = new float[classes][features];
        for (float[] row : c) {
            for (int j = 0; j < features; j++) row[j] = (float) (2 * rng.nextDouble() - 1);
        }
        return c;
    }

    private static double gaussian(Rng rng) {
        double u = Math.max(rng.nextDouble(), 1e-12), v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
