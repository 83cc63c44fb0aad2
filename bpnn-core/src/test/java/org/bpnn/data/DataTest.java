package org.bpnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.bpnn.nn.Rng;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DataTest {

    /** Row i has features (i, 10 i) and target (i). */
    static Dataset numbered(int n) {
        Tensor x = Tensor.zeros(n, 2), y = Tensor.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            x.set(i, 0, i);
            x.set(i, 1, 10 * i);
            y.set(i, 0, i);
        }
        return new Dataset(x, y);
    }

    static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void datasetValidation() {
        String m = message(() -> new Dataset(Tensor.zeros(3, 2), Tensor.zeros(4, 1)));
        assertTrue(m.contains("features have 3 rows but targets have 4"), m);
        Tensor x = Tensor.zeros(3, 2);
        x.set(2, 1, Float.NaN);
        m = message(() -> new Dataset(x, Tensor.zeros(3, 1)));
        assertTrue(m.contains("features contains NaN at (2, 1)"), m);
        assertEquals("Dataset(3 rows, 2 features -> 1 targets)", new Dataset(Tensor.zeros(3, 2), Tensor.zeros(3, 1)).toString());
    }

    @Test
    void subsetRefusesNullAndMissingRows() {
        Dataset d = numbered(5);
        String m = message(() -> d.subset(null));
        assertTrue(m.startsWith("rows is null; pass the row indices to keep, each in [0, 5)"), m);
        m = message(() -> d.subset(null, 0, 1));
        assertTrue(m.startsWith("rows is null"), m);
        m = message(() -> d.subset(new int[] {7}));
        assertTrue(m.contains("row index 7 at position 0 is outside [0, 5)") && m.contains("the dataset has 5 rows"), m);
        m = message(() -> d.subset(new int[] {0, -1}));
        assertTrue(m.contains("row index -1 at position 1"), m);
        assertEquals(3f, d.subset(new int[] {3}).targets().get(0, 0));
    }

    @Test
    void splitInOrderAndShuffled() {
        Dataset d = numbered(10);
        Dataset.Split s = d.split(0.7);
        assertEquals(7, s.train().size());
        assertEquals(3, s.validation().size());
        assertEquals(7f, s.validation().targets().get(0, 0));
        Dataset.Split r = d.split(0.7, 5);
        float[] all = new float[10];
        System.arraycopy(r.train().targets().data(), 0, all, 0, 7);
        System.arraycopy(r.validation().targets().data(), 0, all, 7, 3);
        assertNotEquals(Arrays.toString(s.train().targets().data()), Arrays.toString(r.train().targets().data()));
        Arrays.sort(all);
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, all, "a partition of the rows");
        // features follow their targets
        for (int i = 0; i < 3; i++) {
            assertEquals(r.validation().targets().get(i, 0) * 10, r.validation().features().get(i, 1));
        }
        String m = message(() -> numbered(3).split(0.1));
        assertTrue(m.contains("leaves the first part empty"), m);
    }

    @Test
    void batchesCoverEveryRowOncePerPass() {
        Dataset d = numbered(10);
        Batches b = d.batches(4, false);
        assertEquals(3, b.count());
        assertEquals(2, b.rows(2));
        Rng rng = new Rng(3);
        b.shuffle(rng);
        float[] seen = new float[10];
        int k = 0;
        Tensor first = b.features(0);
        for (int i = 0; i < b.count(); i++) {
            Tensor x = b.features(i), y = b.targets(i);
            for (int r = 0; r < x.rows(); r++) {
                assertEquals(y.get(r, 0) * 10, x.get(r, 1), "features and targets stay paired");
                seen[k++] = y.get(r, 0);
            }
        }
        assertSame(first, b.features(1), "full batches reuse one tensor");
        Arrays.sort(seen);
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, seen);

        Batches same = d.batches(4, false);
        same.shuffle(new Rng(3));
        b.shuffle(new Rng(3));
        assertArrayEquals(b.targets(0).data(), same.targets(0).data(), "same rng state, same order");

        // a backend that counts its gathers (the reference's otherwise), so the copies are seen to go through it
        int[] gathers = {0};
        org.bpnn.backend.Backend counting = (org.bpnn.backend.Backend) java.lang.reflect.Proxy.newProxyInstance(
                org.bpnn.backend.Backend.class.getClassLoader(), new Class<?>[] {org.bpnn.backend.Backend.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("gatherRows")) gathers[0]++;
                    return m.invoke(org.bpnn.backend.scalar.ScalarBackend.INSTANCE, args);
                });
        Batches viaBackend = d.batches(4, false).gatherWith(counting);
        viaBackend.shuffle(new Rng(3));
        b.shuffle(new Rng(3));
        for (int i = 0; i < b.count(); i++) {
            assertArrayEquals(b.features(i).data(), viaBackend.features(i).data(), "gatherWith: same features, batch " + i);
            assertArrayEquals(b.targets(i).data(), viaBackend.targets(i).data(), "gatherWith: same targets, batch " + i);
        }
        assertEquals(2 * b.count(), gathers[0], "gatherWith: every features and targets copy goes through the backend");
        assertTrue(message(() -> d.batches(4, false).gatherWith(null)).contains("backend is null"));

        Batches dropped = d.batches(4, true);
        assertEquals(2, dropped.count());
        assertEquals(8, dropped.samplesPerPass());
        assertEquals(1, d.batches(100, false).count());
        assertTrue(message(() -> d.batches(0, false)).contains("batch size must be > 0"));
    }

    /**
     * Batches drawn with gatherAhead are the plain ones, in order, out of order and across shuffles,
     * through a backend whose started copies happen only when finished: a batch returned before its
     * copy was finished would show the previous contents of its tensor. On a one-thread backend,
     * nothing is started ahead (it would copy the next batch at once, before this one trains).
     */
    @Test
    void batchesGatheredAheadAreThePlainBatches() {
        Dataset d = numbered(17); // batches of 4, 4, 4, 4 and 1
        java.util.List<Object[]> pending = new java.util.ArrayList<>();
        int[] starts = {0};
        org.bpnn.backend.Backend scalar = org.bpnn.backend.scalar.ScalarBackend.INSTANCE;
        Runnable copyPending = () -> {
            for (Object[] a : pending) {
                scalar.gatherRows((int) a[0], (int) a[1], (float[]) a[2], (int[]) a[3], (int) a[4], (float[]) a[5], (int) a[6]);
            }
            pending.clear();
        };
        org.bpnn.backend.Backend deferred = (org.bpnn.backend.Backend) java.lang.reflect.Proxy.newProxyInstance(
                org.bpnn.backend.Backend.class.getClassLoader(), new Class<?>[] {org.bpnn.backend.Backend.class},
                (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "startGatherRows":
                            copyPending.run(); // a start finishes the previous one first
                            pending.add(args.clone());
                            starts[0]++;
                            return null;
                        case "finishGatherRows":
                            copyPending.run();
                            return null;
                        case "threads":
                            return 2; // a backend with idle threads: Batches starts copies ahead only for one
                        case "toString":
                            return "deferred";
                        default:
                            return m.invoke(scalar, args);
                    }
                });
        Batches plain = d.batches(4, false), ahead = d.batches(4, false).gatherWith(deferred).gatherAhead();
        assertEquals(plain.count(), ahead.count());
        for (int pass = 0; pass < 3; pass++) {
            plain.shuffle(new Rng(pass));
            ahead.shuffle(new Rng(pass));
            for (int i = 0; i < plain.count(); i++) {
                assertArrayEquals(plain.features(i).data(), ahead.features(i).data(), "pass " + pass + ", batch " + i);
                assertArrayEquals(plain.targets(i).data(), ahead.targets(i).data(), "pass " + pass + ", batch " + i);
            }
        }
        assertEquals(9, starts[0], "each pass started batches 1, 2 and 3 ahead (not the last, smaller one)");
        for (int i : new int[] {2, 0, 1, 1, 3, 4, 0}) {
            assertArrayEquals(plain.features(i).data(), ahead.features(i).data(), "out of order, batch " + i);
        }
        ahead.features(0);
        assertEquals(1, pending.size(), "batch 1's copy started");
        ahead.finishGathers();
        assertTrue(pending.isEmpty(), "finishGathers waits for it");
        ahead.features(2);
        ahead.unshuffle(); // the started copy reads the order: finished before it changes
        assertTrue(pending.isEmpty());
        plain.unshuffle();
        assertArrayEquals(plain.features(3).data(), ahead.features(3).data(), "batch 3 after unshuffle, copied again");
        assertArrayEquals(plain.features(1).data(), ahead.features(1).data(), "batch 1 after unshuffle");
        assertEquals(1, pending.size(), "batch 2's copy started");
        ahead.gatherWith(scalar); // finished on the backend that started it
        assertTrue(pending.isEmpty());
        int[] scalarGathers = {0};
        org.bpnn.backend.Backend counting = (org.bpnn.backend.Backend) java.lang.reflect.Proxy.newProxyInstance(
                org.bpnn.backend.Backend.class.getClassLoader(), new Class<?>[] {org.bpnn.backend.Backend.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("startGatherRows")) scalarGathers[0]++;
                    return m.invoke(scalar, args);
                });
        Batches oneThread = d.batches(4, false).gatherWith(counting).gatherAhead();
        for (int i = 0; i < oneThread.count(); i++) {
            assertArrayEquals(plain.features(i).data(), oneThread.features(i).data(), "one thread, batch " + i);
        }
        assertEquals(0, scalarGathers[0], "a one-thread backend gets no copy started ahead");
    }

    @Test
    void oneHot() {
        Tensor t = OneHot.encode(new int[] {2, 0, 1}, 3);
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, t.data());
        assertArrayEquals(new int[] {2, 0, 1}, OneHot.decode(t));
        String m = message(() -> OneHot.encode(new int[] {0, 1, 3, 0}, 3));
        assertTrue(m.contains("label 3 at index 2 is outside [0, 3)"), m);
        m = message(() -> OneHot.encode(new int[] {-1}, 3));
        assertTrue(m.contains("label -1 at index 0"), m);
    }

    @Test
    void standardiseFitsOnTrainAndAppliesAnywhere() {
        Tensor train = Tensor.of(new float[][] {{1, 5, 0}, {3, 5, 10}, {5, 5, 20}});
        Normaliser n = Normaliser.standardise(train);
        float sd = (float) Math.sqrt(8.0 / 3);
        assertArrayEquals(new float[] {3, 5, 10}, n.center(), 1e-6f);
        assertArrayEquals(new float[] {sd, 1, (float) Math.sqrt(200.0 / 3)}, n.scale(), 1e-5f);
        Tensor z = n.apply(train);
        assertArrayEquals(new float[] {-2 / sd, 0, -10 / (float) Math.sqrt(200.0 / 3)}, z.rowCopy(0), 1e-5f);
        assertEquals(0f, z.get(2, 1), "a constant feature maps to 0");
        Tensor other = Tensor.of(new float[][] {{7, 6, 10}});
        assertArrayEquals(new float[] {4 / sd, 1, 0}, n.apply(other).data(), 1e-5f);
        assertArrayEquals(other.data(), n.inverse(n.apply(other)).data(), 1e-5f);
        Normaliser back = Normaliser.of(n.kind(), n.center(), n.scale());
        assertArrayEquals(n.apply(other).data(), back.apply(other).data(), 0f);
        String m = message(() -> n.apply(Tensor.zeros(1, 2)));
        assertTrue(m.contains("fitted on 3 features, but x has 2 columns"), m);
    }

    @Test
    void minMax() {
        Tensor train = Tensor.of(new float[][] {{1, 5}, {3, 5}, {5, 5}});
        Normaliser n = Normaliser.minMax(train);
        assertEquals(Normaliser.Kind.MIN_MAX, n.kind());
        Tensor z = n.apply(train);
        assertArrayEquals(new float[] {0, 0, 0.5f, 0, 1, 0}, z.data(), 1e-6f);
        assertTrue(n.toString().startsWith("Normaliser.of(Normaliser.Kind.MIN_MAX, new float[] {1.0f, 5.0f}"), n.toString());
        assertTrue(message(() -> Normaliser.of(Normaliser.Kind.MIN_MAX, new float[] {0}, new float[] {0}))
                .contains("scale finite and > 0"));
    }

    @Test
    void minMaxRefusesARangeBeyondFloat() {
        // its scale was Infinity: the column became 0 (and NaN at its maximum), and the model could not be saved
        String m = message(() -> Normaliser.minMax(Tensor.of(new float[][] {{-3e38f, 5}, {3e38f, 7}})));
        assertTrue(m.startsWith("feature 0 spans [-3.0E38, 3.0E38], a range beyond the largest float"), m);
        Normaliser s = Normaliser.standardise(Tensor.of(new float[][] {{-3e38f, 5}, {3e38f, 7}}));
        assertTrue(Float.isFinite(s.scale()[0]), "standardise handles it: " + s.scale()[0]);
    }

    @Test
    void anOverflowWhileNormalisingIsBlamedOnTheNormalising() {
        // predict then reported "x contains Infinity at (0, 0)" about a finite input
        Normaliser n = Normaliser.minMax(Tensor.of(new float[][] {{0f, 5}, {1e-3f, 7}}));
        String m = message(() -> n.apply(Tensor.of(new float[][] {{1f, 6}, {3e38f, 6}})));
        assertTrue(m.startsWith("normalising row 1, feature 0: (3.0E38 - 0.0) / 0.001 overflows float"), m);
        assertTrue(Float.isNaN(n.apply(Tensor.of(new float[][] {{Float.NaN, 6}})).get(0, 0)), "non-finite input: left to the input checks");
    }

    @Test
    void applyInPlaceReportsAnOverflowAsApplyDoes() {
        // the allocation-free path (a service's per-thread buffer) wrote Infinity silently, and predict
        // then told the caller to clean a non-finite input it had never sent
        Normaliser n = Normaliser.minMax(Tensor.of(new float[][] {{0f, 5}, {1e-3f, 7}}));
        Tensor x = Tensor.of(new float[][] {{1e-3f, 6}, {3e38f, 6}});
        Normaliser.OverflowException e = assertThrows(Normaliser.OverflowException.class, () -> n.applyInPlace(x));
        assertTrue(e.getMessage().startsWith("normalising row 1, feature 0: (3.0E38 - 0.0) / 0.001 overflows float"), e.getMessage());
        assertEquals(1f, x.get(0, 0), "the rows before it normalised");
        assertEquals(3e38f, x.get(1, 0), "the overflowing element left as it was");
        Tensor nan = Tensor.of(new float[][] {{Float.NaN, 6}});
        n.applyInPlace(nan);
        assertTrue(Float.isNaN(nan.get(0, 0)), "non-finite input: left to the input checks");
    }

    @Test
    void anOverflowWhileUndoingTheMapIsReported() {
        // inverse returned Infinity for a finite value (a regression output far outside the targets' range)
        Normaliser n = Normaliser.standardise(Tensor.of(new float[][] {{1e30f, 5}, {-1e30f, 7}}));
        String m = message(() -> n.inverse(Tensor.of(new float[][] {{1f, 0}, {1e9f, 0}})));
        assertTrue(m.startsWith("undoing the normalisation of row 1, feature 0: 1.0E9 * 1.0E30 + 0.0 overflows float"), m);
        // typed, with its row and feature: a caller that passed a chunk (SparkScorer) names the row in the whole
        Normaliser.InverseOverflowException e = org.junit.jupiter.api.Assertions.assertThrows(
                Normaliser.InverseOverflowException.class, () -> n.inverse(Tensor.of(new float[][] {{1f, 0}, {-1e9f, 0}})));
        assertEquals(1, e.row());
        assertEquals(0, e.feature());
        assertEquals(-1e9f, e.input());
        assertEquals(Float.NEGATIVE_INFINITY, e.result());
        assertEquals(1e30f, n.inverse(Tensor.of(new float[][] {{1f, 0}})).get(0, 0));
        assertTrue(Float.isNaN(n.inverse(Tensor.of(new float[][] {{Float.NaN, 0}})).get(0, 0)), "non-finite input: left as it is");
    }

    /**
     * inverseInPlace, the allocation-free inverse of a service that maps a model's outputs back into
     * units, gives inverse's bits (the double recomputation of an overflowing product included) and
     * reports an overflow as inverse does, leaving the elements before it mapped back and the rest as
     * they were (as applyInPlace).
     */
    @Test
    void inverseInPlaceGivesInversesBitsAndReportsAnOverflowAsInverseDoes() {
        // feature 1: 2 * 3e38 overflows float, and 2 * 3e38 - 3e38 fits (recomputed in double)
        Normaliser n = Normaliser.of(Normaliser.Kind.MIN_MAX, new float[] {0.5f, -3e38f}, new float[] {1.7f, 3e38f});
        Tensor z = Tensor.of(new float[][] {{0.3f, 2f}, {-1.1f, 0.25f}, {7.77f, Float.NaN}});
        Tensor want = n.inverse(z);
        assertEquals(3e38f, want.get(0, 1), "the double recomputation");
        n.inverseInPlace(z);
        assertArrayEquals(want.data(), z.data(), 0f);

        Normaliser s = Normaliser.standardise(Tensor.of(new float[][] {{1e30f, 5}, {-1e30f, 7}}));
        Tensor x = Tensor.of(new float[][] {{1f, 0}, {1e9f, 0}});
        Normaliser.InverseOverflowException e = assertThrows(Normaliser.InverseOverflowException.class, () -> s.inverseInPlace(x));
        assertEquals(message(() -> s.inverse(Tensor.of(new float[][] {{1f, 0}, {1e9f, 0}}))), e.getMessage());
        assertEquals(1, e.row());
        assertEquals(0, e.feature());
        assertEquals(1e30f, x.get(0, 0), "the rows before it mapped back");
        assertEquals(1e9f, x.get(1, 0), "the overflowing element left as it was");
        assertEquals(0f, x.get(1, 1), "and the elements after it");
        String m = message(() -> s.inverseInPlace(Tensor.zeros(1, 3)));
        assertTrue(m.startsWith("the normaliser was fitted on 2 columns, but x has 3 columns"), m);
    }

    /**
     * inverse and inverseInPlace take values in the normaliser's units (a model's predictions): x of
     * another width was told to "normalise data with the same columns", apply's advice. apply keeps it.
     */
    @Test
    void inverseOfTheWrongWidthSaysWhatItMapsBack() {
        Normaliser targets = Normaliser.standardise(Tensor.of(new float[][] {{1, 10}, {3, 30}}));
        String expected = "the normaliser was fitted on 2 columns, but x has 1 column (4, 1); inverse maps back values in"
                + " this normaliser's units, 2 columns (e.g. the predictions of a network trained on targets normalised"
                + " with it, which has 2 outputs): pass values with 2 columns, or map x back with the normaliser fitted on"
                + " its 1 column";
        assertEquals(expected, message(() -> targets.inverse(Tensor.zeros(4, 1))));
        assertEquals(expected, message(() -> targets.inverseInPlace(Tensor.zeros(4, 1))));
        assertEquals("x is null; inverse maps back values in this normaliser's units, 2 columns (e.g. the predictions of"
                + " a network trained on targets normalised with it, which has 2 outputs): pass them",
                message(() -> targets.inverse(null)));
        String a = message(() -> targets.apply(Tensor.zeros(4, 1)));
        assertTrue(a.endsWith("; normalise data with the same columns"), a);
    }

    @Test
    void aSubnormalSpreadCountsAsConstant() {
        // dividing by a subnormal scale sends every input beyond a tiny range to Infinity, and model
        // files refuse such scales: the fitters must not produce one (they used to, and the model
        // could then not be saved after training)
        Tensor train = Tensor.of(new float[][] {{0f, 1f}, {2e-40f, 3f}});
        for (Normaliser n : new Normaliser[] {Normaliser.standardise(train), Normaliser.minMax(train)}) {
            assertEquals(1f, n.scale()[0], n.kind().toString());
            Tensor z = n.apply(Tensor.of(new float[][] {{1f, 2f}}));
            assertEquals(1f - n.center()[0], z.get(0, 0), n.kind().toString());
            assertEquals(Normaliser.of(n.kind(), n.center(), n.scale()).toString(), n.toString());
        }
        assertEquals(Float.MIN_NORMAL, Normaliser.of(Normaliser.Kind.STANDARDISE, new float[1], new float[] {Float.MIN_NORMAL})
                .scale()[0]);
        String m = message(() -> Normaliser.of(Normaliser.Kind.STANDARDISE, new float[2], new float[] {1f, 1e-40f}));
        assertTrue(m.contains("feature 1 has scale 1.0E-40, below the smallest normal float"), m);
        assertTrue(m.contains("refit the normaliser"), m);
    }

    @Test
    void datasetOfArraysNamesTheArrayItRefuses() {
        // Tensor.of's words alone ("expected at least one row, got null") named neither x nor y
        float[][] y = {{1f}, {0f}};
        assertEquals("x (features): expected at least one row, got null",
                assertThrows(IllegalArgumentException.class, () -> Dataset.of(null, y)).getMessage());
        assertEquals("y (targets): row 1 has 2 values, expected 1 like row 0; all rows must have the same length",
                assertThrows(IllegalArgumentException.class, () -> Dataset.of(new float[][] {{1f}, {2f}},
                        new float[][] {{1f}, {0f, 1f}})).getMessage());
        assertEquals(2, Dataset.of(new float[][] {{1f}, {2f}}, y).size());
    }
}
