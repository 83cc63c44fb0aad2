package org.bpnn.nn;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;

/**
 * Heap bytes allocated by the calling thread plus every backend worker thread (threads named
 * "bpnn-..."), from {@link com.sun.management.ThreadMXBean#getThreadAllocatedBytes(long)}: the
 * per-thread counter alone would miss what a backend's worker pool allocates. Reading it allocates
 * nothing (one call per thread, ids found once at creation); {@link #overhead()} is what two reads
 * cost, to subtract.
 */
public final class AllocationMeter {
    private final com.sun.management.ThreadMXBean mx;
    private final long[] ids;
    private final long overhead;

    /** A meter for the calling thread and the worker threads alive now; skips the test without a counter. */
    public AllocationMeter() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no allocation counter on this JVM");
        mx = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());
        java.util.List<Long> list = new java.util.ArrayList<>();
        list.add(Thread.currentThread().getId());
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("bpnn-") && t != Thread.currentThread()) list.add(t.getId());
        }
        ids = list.stream().mapToLong(Long::longValue).toArray();
        long a = bytes();
        long b = bytes();
        overhead = b - a;
    }

    /** The number of threads measured (1 + the backend's workers). */
    public int threads() {
        return ids.length;
    }

    /** Bytes allocated so far by the measured threads. */
    public long bytes() {
        long s = 0;
        for (long id : ids) {
            long b = mx.getThreadAllocatedBytes(id);
            if (b > 0) s += b;
        }
        return s;
    }

    /** What a pair of {@link #bytes()} calls itself counts. */
    public long overhead() {
        return overhead;
    }

    /** Bytes between two readings, less the meter's own. */
    public long since(long start) {
        return Math.max(0, bytes() - start - overhead);
    }
}
