package org.bpnn.examples;

/** Facts about the running JVM for summaries. */
public final class Jdk {
    private Jdk() {}

    /** e.g. "17.0.15". */
    public static String version() {
        return System.getProperty("java.version");
    }
}
