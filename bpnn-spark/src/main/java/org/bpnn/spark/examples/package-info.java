/**
 * Runnable bpnn-spark examples: {@link org.bpnn.spark.examples.SparkTrainExample} (train, score, save
 * on local[*] or a cluster) and {@link org.bpnn.spark.examples.SparkThroughput} (samples/s of Spark
 * local[1], local[2] and the single-machine Trainer).
 */
package org.bpnn.spark.examples;
