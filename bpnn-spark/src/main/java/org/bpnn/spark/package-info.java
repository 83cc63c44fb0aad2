/**
 * Training and scoring bpnn networks on Apache Spark.
 *
 * <p>{@link org.bpnn.spark.SparkData} reads a {@code Dataset<Row>} (columns described by a
 * {@link org.bpnn.spark.RowFormat}) or a {@code JavaRDD<}{@link org.bpnn.spark.Sample}{@code >} once
 * and caches it as flat float blocks; {@link org.bpnn.spark.SparkTrainer} runs synchronous
 * data-parallel mini-batch training on it (gradients of each global batch computed on the executors
 * and summed with {@code treeAggregate}, the optimiser on the driver);
 * {@link org.bpnn.spark.SparkScorer} adds a model's outputs to a {@code Dataset<Row>}.
 *
 * <p>No bpnn class is Java-serialised: the network travels as bpnn-io model bytes, weights and
 * gradients as primitive arrays. Spark is a {@code provided} dependency (built against 4.2, Scala 2.13,
 * Java 17 to 25; Spark 3.5, 4.0 and 4.1 are tested on Java 17); see the module README for the versions
 * and the JVM options a cluster needs.
 */
package org.bpnn.spark;
