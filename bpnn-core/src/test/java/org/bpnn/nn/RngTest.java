package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RngTest {

    @Test
    void knownSplitMix64Values() {
        // SplitMix64 from seed 0: the first outputs of the reference implementation
        Rng r = new Rng(0);
        assertEquals(0xE220A8397B1DCDAFL, r.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, r.nextLong());
    }

    @Test
    void stateCaptureContinuesExactly() {
        Rng a = new Rng(123);
        for (int i = 0; i < 10; i++) a.nextLong();
        Rng b = new Rng(0);
        b.setState(a.state());
        for (int i = 0; i < 100; i++) assertEquals(a.nextLong(), b.nextLong());
    }

    @Test
    void nextIntIsInRangeAndRoughlyUniform() {
        Rng r = new Rng(5);
        int[] counts = new int[7];
        for (int i = 0; i < 70000; i++) counts[r.nextInt(7)]++;
        for (int c : counts) assertEquals(10000, c, 500);
        for (int i = 0; i < 1000; i++) {
            float f = r.nextFloat();
            double d = r.nextDouble();
            assertTrue(f >= 0 && f < 1 && d >= 0 && d < 1);
        }
    }

    @Test
    void shuffleIsAPermutation() {
        int[] a = new int[50];
        for (int i = 0; i < 50; i++) a[i] = i;
        new Rng(1).shuffle(a, 50);
        boolean[] seen = new boolean[50];
        for (int v : a) seen[v] = true;
        for (boolean s : seen) assertTrue(s);
    }
}
