package org.bpnn.simd;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Persistent worker threads for one backend instance: the calling thread runs part 0 of a task and
 * {@code parts - 1} parked workers run the others. No allocation per call: the task object is owned
 * by the caller and the workers are started once.
 *
 * <p>One task at a time: a caller must win {@link #tryAcquire()}; a caller that loses (another thread
 * is using the pool) computes on its own thread instead, which gives the same result because every
 * task's parts are split so that results do not depend on the number of parts.
 *
 * <p>Idle workers spin briefly (about 50 us, so that back-to-back kernels of one training step do not
 * pay a wake-up each) and then park: an idle pool does not burn a core.
 */
final class WorkerPool {
    /** A unit of parallel work: computes part {@code part} of {@code parts}. */
    interface Task {
        void run(int part, int parts);
    }

    private static final int CALLER_SPINS = 1 << 14;
    private static final int IDLE_SPINS = 1 << 12;

    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Thread caller;
    private volatile Throwable failure;

    WorkerPool(int threads, String name) {
        workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker();
            Thread t = new Thread(workers[i], name + "-worker-" + (i + 1));
            t.setDaemon(true);
            workers[i].thread = t;
            t.start();
        }
    }

    /** Threads including the caller. */
    int size() {
        return workers.length + 1;
    }

    /** Claims the pool for one {@link #run}; false if another thread is using it. */
    boolean tryAcquire() {
        return busy.compareAndSet(false, true);
    }

    void release() {
        busy.set(false);
    }

    /** Runs parts [0, parts) of the task, part 0 on the calling thread; the caller holds the pool. */
    void run(Task task, int parts) {
        if (parts < 1 || parts > size()) {
            throw new IllegalArgumentException("parts must be 1.." + size() + ", got " + parts);
        }
        failure = null;
        caller = Thread.currentThread();
        pending.set(parts - 1);
        for (int w = 1; w < parts; w++) {
            workers[w - 1].submit(task, w, parts);
        }
        Throwable own = null;
        try {
            task.run(0, parts);
        } catch (Throwable t) {
            own = t;
        }
        int spins = 0;
        while (pending.get() > 0) {
            if (++spins < CALLER_SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        Throwable f = own != null ? own : failure;
        if (f instanceof RuntimeException) {
            throw (RuntimeException) f;
        }
        if (f instanceof Error) {
            throw (Error) f;
        }
        if (f != null) {
            throw new IllegalStateException("bpnn simd worker failed", f);
        }
    }

    private final class Worker implements Runnable {
        Thread thread;
        private volatile int posted;
        private int seen;
        private Task task;
        private int part;
        private int parts;

        /** Called by the pool holder only; the volatile write of posted publishes the fields. */
        void submit(Task t, int part, int parts) {
            this.task = t;
            this.part = part;
            this.parts = parts;
            posted = seen + 1;
            LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            while (true) {
                int spins = 0;
                int p;
                while ((p = posted) == seen) {
                    if (++spins < IDLE_SPINS) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                }
                seen = p;
                Task t = task;
                task = null;
                try {
                    t.run(part, parts);
                } catch (Throwable e) {
                    failure = e;
                } finally {
                    if (pending.decrementAndGet() == 0) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }
    }
}
