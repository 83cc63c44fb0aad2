package org.bpnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An interrupt of a thread calling {@link SparkData#from} or {@link SparkData#fromSamples} directly
 * (not through SparkTrainer.fit) ends the read as the fit's interrupts end: a CancellationException,
 * the interrupt status left set, and the Spark job that was running cancelled.
 *
 * <p>No sleeps: the task that interrupts the reading thread then waits on {@link #RELEASE}, which is
 * opened only after the read has returned. A job that was not cancelled is therefore still running
 * when the test looks (its end event cannot come), and one that was cancelled has ended; the test
 * waits for that end with a bound that only a failure reaches.
 */
class SparkDataInterruptTest {
    private static final RowFormat FORMAT = RowFormat.featureArray("features").classLabel("label", 3);

    /** The reading thread, which the armed task interrupts. */
    static volatile Thread reader;
    /** Partition 0's reads so far; the one numbered ARM_AT interrupts {@link #reader} and holds. */
    static final AtomicInteger P0_READS = new AtomicInteger();
    static volatile int armAt;
    static volatile CountDownLatch RELEASE = new CountDownLatch(0);
    /** Opened by partition 0's second read (the one that caches the rows): partition 1's bad row waits for it. */
    static volatile CountDownLatch P0_CACHING = new CountDownLatch(0);

    @AfterEach
    void disarm() {
        armAt = 0;
        P0_CACHING.countDown();
        RELEASE.countDown();
        Thread.interrupted();
    }

    /**
     * Two partitions of the blob rows (partition 1's row {@code badRow} given label 7 when it is not
     * negative); partition 0's read number {@code armAt} interrupts the reader and waits for RELEASE.
     */
    private static Dataset<Row> rows(int badRow) {
        List<Row> all = new ArrayList<>(SparkTestSupport.blobs(40, 4, 11));
        if (badRow >= 0) {
            Row r = all.get(20 + badRow);
            all.set(20 + badRow, RowFactory.create(r.get(0), r.get(1), 7));
        }
        JavaRDD<Row> rdd = JavaSparkContext.fromSparkContext(SparkTestSupport.spark().sparkContext())
                .parallelize(all, 2)
                .mapPartitionsWithIndex((p, it) -> {
                    List<Row> part = new ArrayList<>();
                    it.forEachRemaining(part::add);
                    if (p == 0) {
                        int read = P0_READS.incrementAndGet();
                        if (read == 2) P0_CACHING.countDown();
                        if (read == armAt) {
                            reader.interrupt();
                            RELEASE.await(60, TimeUnit.SECONDS);
                        }
                    } else if (badRow >= 0) {
                        // the bad row fails the caching job only once partition 0 has been read in it, so that
                        // the job counting the rows before the bad one is partition 0's third read, not second
                        P0_CACHING.await(60, TimeUnit.SECONDS);
                    }
                    return part.iterator();
                }, true);
        return SparkTestSupport.spark().createDataFrame(rdd, SparkTestSupport.blobSchema());
    }

    /** The jobs started and ended, and the tasks started and ended, while it is registered. */
    private static final class Jobs extends SparkListener implements AutoCloseable {
        final Map<Integer, String> tags = new ConcurrentHashMap<>();
        final Map<Integer, Boolean> ended = new ConcurrentHashMap<>();
        final AtomicInteger tasksStarted = new AtomicInteger(), tasksEnded = new AtomicInteger();
        private final SparkContext sc = SparkTestSupport.spark().sparkContext();

        Jobs() {
            sc.addSparkListener(this);
        }

        @Override public void onJobStart(SparkListenerJobStart e) {
            String t = e.properties() == null ? null : e.properties().getProperty("spark.job.tags");
            tags.put(e.jobId(), String.valueOf(t));
        }

        @Override public void onJobEnd(SparkListenerJobEnd e) {
            ended.put(e.jobId(), true);
        }

        @Override public void onTaskStart(SparkListenerTaskStart e) {
            tasksStarted.incrementAndGet();
        }

        @Override public void onTaskEnd(SparkListenerTaskEnd e) {
            tasksEnded.incrementAndGet();
        }

        /**
         * Every job started so far has ended (was cancelled: the held task keeps an uncancelled one
         * running) and carried SparkData's read tag, so that it could be cancelled.
         */
        void assertAllEndedAndTagged() throws Exception {
            // a bound that only a job left running reaches: a cancelled one ends at once, even on a loaded machine
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!ended.keySet().containsAll(tags.keySet())) {
                if (System.nanoTime() > deadline) {
                    fail("jobs " + tags.keySet() + " started, only " + ended.keySet() + " ended: a job of the interrupted"
                            + " read was left running");
                }
                Thread.sleep(10);
            }
            for (Map.Entry<Integer, String> j : tags.entrySet()) {
                assertTrue(j.getValue().contains("bpnn-spark-read-"), "job " + j.getKey() + " has tags " + j.getValue());
            }
        }

        /**
         * The held task has ended, so that it does not run on into the next test. Declares no
         * InterruptedException (a try-with-resources resource should not: -Xlint:try); an interrupt
         * during the wait still fails the test, with the interrupt status set again.
         */
        @Override public void close() throws TimeoutException {
            try {
                RELEASE.countDown();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                sc.listenerBus().waitUntilEmpty();
                while (tasksEnded.get() < tasksStarted.get() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                    sc.listenerBus().waitUntilEmpty();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the held task to end", e);
            } finally {
                sc.removeSparkListener(this);
            }
        }
    }

    /** Reads with partition 0's read number {@code at} interrupting; returns what the read threw. */
    private static RuntimeException interruptedRead(int at, int badRow) throws Exception {
        Dataset<Row> df = rows(badRow);
        P0_READS.set(0);
        P0_CACHING = new CountDownLatch(1);
        RELEASE = new CountDownLatch(1);
        armAt = at;
        reader = Thread.currentThread();
        try (Jobs jobs = new Jobs()) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> SparkData.from(df, FORMAT).close());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is left set");
            Thread.interrupted(); // for the waits below
            assertTrue(e instanceof CancellationException, e.toString());
            assertTrue(e.getMessage().startsWith("reading the data was interrupted"), e.getMessage());
            SparkTestSupport.spark().sparkContext().listenerBus().waitUntilEmpty();
            jobs.assertAllEndedAndTagged();
            return e;
        }
    }

    /**
     * An interrupt while the first row is read (the job that finds the feature array's length) ended in a
     * SparkTrainingException ("reading the first row failed: InterruptedException") with the status
     * cleared, and that job, untagged, went on running.
     */
    @Test
    void anInterruptWhileTheFirstRowIsReadEndsAsCancelled() throws Exception {
        interruptedRead(1, -1);
    }

    /**
     * An interrupt while every row is read and cached ended in a SparkTrainingException ("reading the
     * training data failed: InterruptedException") with the status cleared.
     */
    @Test
    void anInterruptWhileTheRowsAreReadEndsAsCancelled() throws Exception {
        interruptedRead(2, -1);
    }

    /**
     * An interrupt while the rows before a bad one are counted (to name its global index) ended in a
     * SparkTrainingException ("counting rows failed: InterruptedException") with the status cleared,
     * and the counting job, untagged, went on running.
     */
    @Test
    void anInterruptWhileABadRowsIndexIsCountedEndsAsCancelled() throws Exception {
        interruptedRead(3, 5);
    }

    /**
     * A read on an interrupted thread reads nothing and starts no job: it ended in a SparkTrainingException
     * naming the InterruptedException of its first job, with the status cleared.
     */
    @Test
    void aReadOnAnInterruptedThreadStartsNoJob() throws Exception {
        Dataset<Row> df = SparkTestSupport.blobFrame(40, 4, 11, 2);
        JavaRDD<Sample> samples = JavaSparkContext.fromSparkContext(SparkTestSupport.spark().sparkContext())
                .parallelize(List.of(Sample.ofClass(new float[] {1, 2, 3, 4}, 1, 3)), 1);
        try (Jobs jobs = new Jobs()) {
            for (Runnable read : List.<Runnable>of(() -> SparkData.from(df, FORMAT), () -> SparkData.fromSamples(samples))) {
                Thread.currentThread().interrupt();
                RuntimeException e = assertThrows(RuntimeException.class, read::run);
                assertTrue(e instanceof CancellationException, e.toString());
                assertTrue(Thread.interrupted(), "the interrupt status is left set (and cleared here)");
            }
            SparkTestSupport.spark().sparkContext().listenerBus().waitUntilEmpty();
            assertEquals(Map.of(), jobs.tags, "no job is started");
        }
    }

    /**
     * toLocal() on an interrupted thread ends as a read does (a CancellationException, the status set, no job
     * started) and leaves the data usable. It ended in a SparkTrainingException ("collecting the data failed:
     * InterruptedException") with the status cleared.
     */
    @Test
    void toLocalOnAnInterruptedThreadEndsAsCancelled() throws Exception {
        try (SparkData data = SparkData.from(SparkTestSupport.blobFrame(40, 4, 11, 2), FORMAT); Jobs jobs = new Jobs()) {
            Thread.currentThread().interrupt();
            RuntimeException e = assertThrows(RuntimeException.class, data::toLocal);
            assertTrue(e instanceof CancellationException, e.toString());
            assertTrue(e.getMessage().startsWith("collecting the data was interrupted"), e.getMessage());
            assertTrue(Thread.interrupted(), "the interrupt status is left set (and cleared here)");
            SparkTestSupport.spark().sparkContext().listenerBus().waitUntilEmpty();
            assertEquals(Map.of(), jobs.tags, "no job is started");
            assertEquals(40, data.toLocal().size(), "the data stays usable");
        }
    }
}
