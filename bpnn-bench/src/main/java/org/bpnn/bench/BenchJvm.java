package org.bpnn.bench;

/**
 * The options every benchmark fork runs with, as {@code ./bpnn} runs the examples: the Vector API module,
 * and every object on a 64-byte boundary. The second makes bpnn-simd's packed panels and single-sample
 * predict's loads sit on cache lines in every fork (see bpnn-simd's ArrayAlignment); under the default
 * 8-byte alignment where the arrays landed decided it: the forward product NT 128x256x784 ran at 137-145
 * GFLOP/s with its panels at the one start of eight that fell on a line and 112-123 at the others (a
 * harness in one JVM; how often a fork lands on the fast one was not counted). To compare against that
 * default, pass
 * {@code -jvmArgsAppend "--add-modules=jdk.incubator.vector -XX:ObjectAlignmentInBytes=8"}: JMH's
 * -jvmArgsAppend replaces these.
 */
public final class BenchJvm {
    /** The Vector API module, which bpnn-simd needs. */
    public static final String VECTOR = "--add-modules=jdk.incubator.vector";
    /** Every object on a cache line (./bpnn's -XX:ObjectAlignmentInBytes=64). */
    public static final String LINE_ALIGNED = "-XX:ObjectAlignmentInBytes=64";

    private BenchJvm() {
    }
}
