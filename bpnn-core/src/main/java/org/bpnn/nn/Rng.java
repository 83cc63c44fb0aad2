package org.bpnn.nn;

/**
 * A small, fast random generator whose whole state is one {@code long} that can be read and set,
 * so that shuffling and dropout can be checkpointed and resumed bit for bit
 * ({@link java.util.Random} hides its state).
 *
 * <p>The algorithm is SplitMix64 (reference: Steele, Lea and Flood, "Fast splittable pseudorandom
 * number generators", OOPSLA 2014, https://doi.org/10.1145/2714064.2660195; the constants are those
 * of {@code java.util.SplittableRandom}). Its sequence is fixed forever: the same seed gives the same
 * numbers on every JVM. Not thread-safe; not for cryptography.
 */
public final class Rng {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;

    /** A generator starting from {@code seed}. */
    public Rng(long seed) {
        this.state = seed;
    }

    /** The whole state: {@code new Rng(0).setState(r.state())} continues exactly where r is. */
    public long state() {
        return state;
    }

    /** Sets the state captured by {@link #state()}. */
    public void setState(long state) {
        this.state = state;
    }

    /** The SplitMix64 finaliser: a bijective mix of the bits of z (good for deriving seeds). */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A seed derived from {@code seed} and a stream number, independent-looking for each stream. */
    public static long derive(long seed, long stream) {
        return mix(seed + GOLDEN * (stream + 1));
    }

    /** 64 uniformly random bits. */
    public long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, bound), bound &gt; 0, without modulo bias (Lemire's method with rejection). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0, got " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Fisher-Yates shuffle of {@code a[0..n)}, in place. */
    public void shuffle(int[] a, int n) {
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    @Override
    public String toString() {
        return "Rng(state " + state + "L)";
    }
}
