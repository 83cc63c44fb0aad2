package org.bpnn.bench.passes;

import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bpnn.backend.Backend;
import org.bpnn.backend.Backends;
import org.bpnn.data.Batches;
import org.bpnn.data.Dataset;
import org.bpnn.nn.Network;
import org.bpnn.optim.Adam;
import org.bpnn.optim.Optimizer;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.bpnn.train.Trainer;

/**
 * Where a training step's (or a single-sample prediction's) time goes, call by call: the network runs
 * on a backend wrapped in a proxy that times every {@link Backend} call and keys it by the call and its
 * shape ({@code gemm NT 128x256x784}: C = A B^T with C 128 x 256 and K 784; {@code biasActivation
 * 128x256}; {@code axpy 200704}), then prints microseconds per step for each key, largest first. It
 * answers what JMH's {@link PassBenchmark#trainStep} cannot: which product or element-wise pass a change
 * moved, and which calls lose time on two threads (their data crossing between the cores).
 *
 * <p>Not a benchmark: one JVM, no forks, and the profile itself costs (a reflective call and two {@code
 * System.nanoTime()} per backend call: measured on AMD Zen 5, JDK 17, 2-4% of a 784-256-128-10 training
 * step on one thread, 20-40% on two, and about 30% of a predict), so it prints the step's time on the
 * backend itself (the same network, seed 1, without the proxy) and through the proxy with and without
 * the timing. Compare two variants within one run of this class, or alternate launches, and quote JMH
 * for figures.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:ObjectAlignmentInBytes=64 \
 *     -cp bpnn-bench/target/benchmarks.jar org.bpnn.bench.passes.StepProfile --threads 2
 * </pre>
 * Flags: {@code --net SIZES@BATCH} (default 784-256-128-10@128, as {@link PassBenchmark}'s {@code net}; SIZES
 * alone with {@code --predict}),
 * {@code --backend NAME} (simd), {@code --threads N} (1), {@code --warmup STEPS} (6000: the kernels reach
 * C2), {@code --steps STEPS} (3000), {@code --predict} (profile {@link Network#predict(float[], float[])}
 * of one sample instead of a training step), {@code --fit ROWS} (profile {@link Trainer#fit}'s loop over ROWS
 * random rows instead, per batch: the main job's step, whose batch is gathered from a set larger than the
 * caches and whose gradients are checked before the optimiser's update; warm-up and steps round up to whole epochs;
 * each epoch is a fit of its own, so its check of the whole set, which the main job makes once a run, shows
 * as a {@code firstNonFinite} row of ROWS x inputs at 0.00 calls a step), {@code --optimizer sgd|adam}
 * (sgd: SGD, as {@link PassBenchmark#trainStep}; adam: Adam, the main job's default, whose update
 * reads and writes two moments per weight beside the weight and its gradient).
 */
public final class StepProfile {
    private StepProfile() {}

    public static void main(String[] args) {
        try {
            run(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("StepProfile: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Parses the flags (see the class comment), profiles and prints the table to {@code out}. */
    static void run(String[] args, PrintStream out) {
        String net = "784-256-128-10@128", backendName = "simd";
        int threads = 1, warmup = 6000, steps = 3000;
        boolean predict = false;
        int fitRows = 0;
        String optimizer = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--net": net = value(args, ++i); break;
                case "--backend": backendName = value(args, ++i); break;
                case "--threads": threads = count(args, ++i, 1); break;
                case "--warmup": warmup = count(args, ++i, 0); break;
                case "--steps": steps = count(args, ++i, 1); break;
                case "--predict": predict = true; break;
                case "--fit": fitRows = count(args, ++i, 1); break;
                case "--optimizer": optimizer = value(args, ++i); break;
                default:
                    throw new IllegalArgumentException("unknown flag '" + args[i] + "'; the flags are --net SIZES@BATCH, "
                            + "--backend NAME, --threads N, --warmup STEPS, --steps STEPS, --predict, --fit ROWS and --optimizer sgd|adam");
            }
        }
        if (predict && fitRows > 0) {
            throw new IllegalArgumentException("--predict and --fit ROWS profile different things; give one of them");
        }
        if (predict && optimizer != null) {
            throw new IllegalArgumentException("--optimizer chooses a training step's update; --predict trains nothing, leave --optimizer out");
        }
        if (optimizer != null && !optimizer.equals("sgd") && !optimizer.equals("adam")) {
            throw new IllegalArgumentException("--optimizer takes sgd or adam, got '" + optimizer + "'");
        }
        boolean adam = "adam".equals(optimizer);
        String update = adam ? "Adam" : "SGD";
        if (predict && net.indexOf('@') < 0) {
            net += "@1"; // one sample: the batch is not used
        }
        int rows;
        try {
            rows = PassBenchmark.batchOf(net);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace("-p net takes", "--net takes"), e);
        }
        Backend real = Backends.get(backendName, threads);
        Timing timing = new Timing(real);
        Backend timed = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(),
                new Class<?>[] {Backend.class}, timing);
        String sizes = net.split("@")[0];
        // the same network (seed 1) on the backend itself: the proxy's reflective calls cost too (predict's
        // short calls most), so its untimed step is not the step
        Network plainNet = PassBenchmark.build(sizes, real), proxiedNet = PassBenchmark.build(sizes, timed);
        Runnable plain, proxied;
        int perRun = 1; // steps per run of the task: a fit's task is a whole epoch
        String what;
        if (fitRows > 0) {
            if (fitRows < rows) {
                throw new IllegalArgumentException("--fit " + fitRows + " gives fewer rows than one batch of " + rows
                        + "; give --fit at least the batch (60000, Fashion-MNIST's training rows, for the main job)");
            }
            // random rows, not Fashion-MNIST's: the loop's costs (the gather from a set far larger than the
            // caches, the gradient check, the update) do not depend on the values
            Tensor[] xy = PassBenchmark.batch(plainNet, fitRows);
            Dataset data = new Dataset(xy[0], xy[1]);
            perRun = Batches.count(fitRows, rows, false);
            plain = epoch(plainNet, data, rows, adam);
            proxied = epoch(proxiedNet, data, rows, adam);
            what = "Trainer.fit step (a batch gathered from " + fitRows + " shuffled rows, the gradients checked, "
                    + update + ") at batch " + rows;
        } else {
            plain = step(plainNet, rows, predict, adam);
            proxied = step(proxiedNet, rows, predict, adam);
            what = predict ? "single-sample predict" : "training step (" + update + ") at batch " + rows;
        }
        // whole runs of the task (a fit's: whole epochs), at least the steps asked for
        int warmupRuns = (warmup + perRun - 1) / perRun, runs = (steps + perRun - 1) / perRun;
        for (int i = 0; i < warmupRuns; i++) {
            plain.run();
            proxied.run();
        }
        long direct = time(plain, runs), untimed = time(proxied, runs);
        timing.on = true;
        long timedTotal = time(proxied, runs);
        timing.on = false;
        steps = runs * perRun; // the table is per step (per batch)
        out.printf(Locale.ROOT, "%s of %s, backend %s, %d thread(s), JDK %s, %d steps after %d warm-up steps%n",
                what, sizes, real, threads, Runtime.version(), steps, warmupRuns * perRun);
        out.printf(Locale.ROOT, "step on the backend: %.1f us; through the proxy: %.1f us untimed, %.1f us with every"
                + " backend call timed%n", direct / 1e3 / steps, untimed / 1e3 / steps, timedTotal / 1e3 / steps);
        List<Map.Entry<String, long[]>> rowsByTime = new ArrayList<>(timing.calls.entrySet());
        rowsByTime.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        out.printf(Locale.ROOT, "%10s %7s  %s%n", "us/step", "calls", "backend call");
        long sum = 0;
        for (Map.Entry<String, long[]> e : rowsByTime) {
            long[] v = e.getValue();
            sum += v[0];
            out.printf(Locale.ROOT, "%10.1f %7s  %s%n", v[0] / 1e3 / steps, perStep(v[1], steps), e.getKey());
        }
        out.printf(Locale.ROOT, "%10.1f %7s  sum of the calls (the rest of the timed step is the network's own code)%n",
                sum / 1e3 / steps, "");
    }

    /** One training step (SGD or Adam, fixed batch) or one single-sample predict of {@code network}, as a task. */
    private static Runnable step(Network network, int rows, boolean predict, boolean adam) {
        if (predict) {
            float[] x = PassBenchmark.batch(network, 1)[0].data(), p = new float[network.outputSize()];
            return () -> network.predict(x, p);
        }
        Tensor[] xy = PassBenchmark.batch(network, rows);
        Optimizer opt = adam ? new Adam(1e-3) : new Sgd(1e-3);
        return () -> network.trainStep(xy[0], xy[1], opt);
    }

    /**
     * One epoch of {@link Trainer#fit} over {@code data}, as the main job trains (shuffled, no metrics; SGD at
     * the README's rate 0.05, or Adam at the job's default 0.001, without its schedule).
     */
    private static Runnable epoch(Network network, Dataset data, int batch, boolean adam) {
        Optimizer opt = adam ? new Adam(1e-3) : new Sgd(0.05);
        Trainer trainer = Trainer.builder().optimizer(opt).epochs(1).batchSize(batch).shuffle(3).build();
        return () -> trainer.fit(network, data);
    }

    /** Nanoseconds for {@code steps} runs of {@code step}. */
    private static long time(Runnable step, int steps) {
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            step.run();
        }
        return System.nanoTime() - t0;
    }

    /** Calls per step: a whole number when every step makes the same calls. */
    private static String perStep(long calls, int steps) {
        return calls % steps == 0 ? Long.toString(calls / steps) : String.format(Locale.ROOT, "%.2f", calls / (double) steps);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static int count(String[] args, int i, int least) {
        String v = value(args, i);
        try {
            int n = Integer.parseInt(v);
            if (n >= least) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(args[i - 1] + " takes a whole number >= " + least + ", got '" + v + "'");
    }

    /** Forwards every call to the backend and, while {@link #on}, adds its time to its key's row. */
    static final class Timing implements InvocationHandler {
        private final Backend backend;
        /** Key -> {nanoseconds, calls}. Insertion-ordered: ties print in the order of the first call. */
        final Map<String, long[]> calls = new LinkedHashMap<>();
        volatile boolean on;

        Timing(Backend backend) {
            this.backend = backend;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            if (!on) {
                return call(m, args);
            }
            long t0 = System.nanoTime();
            Object result = call(m, args);
            long t = System.nanoTime() - t0;
            long[] row = calls.computeIfAbsent(key(m, args), k -> new long[2]);
            row[0] += t;
            row[1]++;
            return result;
        }

        private Object call(Method m, Object[] args) throws Throwable {
            try {
                return m.invoke(backend, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        /**
         * The call and its shape: a product as {@code gemm TT MxNxK} (TT its transposes), otherwise the
         * first one or two int arguments (an element count, or rows x columns).
         */
        static String key(Method m, Object[] args) {
            String name = m.getName();
            if (args == null) {
                return name;
            }
            if (name.equals("gemm")) {
                return "gemm " + ((boolean) args[0] ? "T" : "N") + ((boolean) args[1] ? "T" : "N") + " "
                        + args[2] + "x" + args[3] + "x" + args[4];
            }
            // an element-wise call's shape follows its activation and parameter, if any
            int i = 0;
            while (i < args.length && (args[i] instanceof Enum || args[i] instanceof Float)) {
                i++;
            }
            if (i == args.length || !(args[i] instanceof Integer)) {
                return name;
            }
            boolean matrix = i + 1 < args.length && args[i + 1] instanceof Integer;
            return name + " " + args[i] + (matrix ? "x" + args[i + 1] : "");
        }
    }
}
