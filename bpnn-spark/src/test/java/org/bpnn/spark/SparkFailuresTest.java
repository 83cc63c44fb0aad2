package org.bpnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Failures.translate turns into a bare IllegalArgumentException only what bpnn code threw (a bad
 * row, a bad target). It turned every IllegalArgumentException in a failed job into one, Spark's and
 * Hadoop's included: "requirement failed" or "Wrong FS: ..." came out alone, looking like a bad row,
 * with nothing said of what bpnn was doing. No Spark needed: the exceptions are built as Spark
 * delivers them.
 */
class SparkFailuresTest {
    private static <T extends Throwable> T thrownAt(T t, String className) {
        t.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("java.util.Objects", "checkIndex", "Objects.java", 1),
                new StackTraceElement(className, "run", "X.java", 2)});
        return t;
    }

    /** A Spark job's failure: Spark's SparkException, its message holding the task's trace, the cause attached. */
    private static RuntimeException jobFailure(Throwable cause, String trace) {
        return new RuntimeException("Job aborted due to stage failure: Task 0 in stage 3.0 failed 1 times, most recent"
                + " failure: Lost task 0.0 in stage 3.0 (TID 7) (localhost executor driver): " + trace, cause);
    }

    @Test
    void anIllegalArgumentExceptionFromSparkOnAnExecutorIsNotTakenForABadRow() {
        IllegalArgumentException spark = thrownAt(new IllegalArgumentException("requirement failed: bad split"),
                "org.apache.spark.rdd.RDD");
        RuntimeException e = Failures.translate("epoch 1, batch 2 of 5", jobFailure(spark,
                "java.lang.IllegalArgumentException: requirement failed: bad split\n\tat org.apache.spark.rdd.RDD.run(X.java:2)\n"));
        assertTrue(e instanceof SparkTrainingException, e.toString());
        assertTrue(e.getMessage().startsWith("epoch 1, batch 2 of 5 failed: "), e.getMessage());
        assertTrue(e.getMessage().contains("requirement failed: bad split"), e.getMessage());
    }

    @Test
    void anIllegalArgumentExceptionInSparksMessageOnlyIsTranslatedOnlyWhenBpnnThrewIt() {
        RuntimeException hadoop = Failures.translate("reading the training data", jobFailure(null,
                "java.lang.IllegalArgumentException: Wrong FS: hdfs://a/b, expected: file:///\n"
                        + "\tat org.apache.hadoop.fs.FileSystem.checkPath(FileSystem.java:1)\n"));
        assertTrue(hadoop instanceof SparkTrainingException, hadoop.toString());
        assertTrue(hadoop.getMessage().startsWith("reading the training data failed: "), hadoop.getMessage());
        assertTrue(hadoop.getMessage().contains("Wrong FS: hdfs://a/b"), hadoop.getMessage());

        RuntimeException ours = Failures.translate("reading the training data", jobFailure(null,
                "java.lang.IllegalArgumentException: row 3 of partition 1: label is null; the row is [3,null]\n"
                        + "\tat java.base/java.util.Objects.requireNonNull(Objects.java:1)\n"
                        + "\tat org.bpnn.spark.RowReader.target(RowReader.java:80)\n"));
        assertEquals(IllegalArgumentException.class, ours.getClass());
        assertEquals("row 3 of partition 1: label is null; the row is [3,null]", ours.getMessage());
    }

    @Test
    void bpnnsOwnIllegalArgumentExceptionsStillComeOutWithTheirMessage() {
        IllegalArgumentException bad = thrownAt(new IllegalArgumentException("row 5: target [7.0] is not valid"),
                "org.bpnn.spark.SparkTrainer");
        RuntimeException e = Failures.translate("checking the targets", jobFailure(bad, "..."));
        assertEquals(IllegalArgumentException.class, e.getClass());
        assertEquals("row 5: target [7.0] is not valid", e.getMessage());
        assertSame(bad, Failures.translate("checking the targets", bad), "thrown on the driver: passed on as it is");
        // a NumberFormatException from parsing a bpnn reader called (the JDK's frames come first)
        NumberFormatException nfe = new NumberFormatException("For input string: \"x\"");
        nfe.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("java.lang.FloatingDecimal", "readJavaFormatString", "F.java", 1),
                new StackTraceElement("org.bpnn.spark.RowReader", "features", "RowReader.java", 94)});
        assertEquals(nfe.getMessage(), Failures.translate("reading", jobFailure(nfe, "...")).getMessage());
    }

    @Test
    void sparksOwnIllegalArgumentExceptionOnTheDriverKeepsItsMessageWithContext() {
        IllegalArgumentException conf = thrownAt(new IllegalArgumentException("spark.executor.memory must be positive"),
                "org.apache.spark.SparkConf");
        RuntimeException e = Failures.translate("reading the first row", conf);
        assertEquals(IllegalArgumentException.class, e.getClass());
        assertEquals("reading the first row failed: spark.executor.memory must be positive", e.getMessage());
        assertSame(conf, e.getCause());
    }
}
