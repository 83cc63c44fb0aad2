package org.bpnn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.bpnn.nn.AllocationMeter;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * k folds cost one fold's copy at a time, not k: {@link Dataset#kFold} and
 * {@link Dataset#stratifiedKFold} allocate the row order (a few ints a row) and copy a fold's rows when
 * it is asked for. They copied every fold's two parts up front, k copies of the data (5 here).
 * Counted with {@link AllocationMeter} after a warm-up; the data (2,000 rows of 64 features and 2
 * one-hot targets, 528 KB) is large enough that the fixed part is small against one copy.
 */
class FoldsAllocationTest {
    private static final int ROWS = 2000, FEATURES = 64, K = 5;
    private static final long FIXED = 32 << 10;

    static Dataset data() {
        Random r = new Random(4);
        Tensor x = Tensor.zeros(ROWS, FEATURES);
        int[] labels = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            labels[i] = i % 2;
            for (int j = 0; j < FEATURES; j++) x.set(i, j, (float) r.nextGaussian());
        }
        return Dataset.ofLabels(x, labels, 2);
    }

    private static long dataBytes(Dataset d) {
        return 4L * (d.features().size() + d.targets().size());
    }

    private static long allocated(Supplier<Object> s) {
        s.get(); // warm-up
        AllocationMeter meter = new AllocationMeter();
        long start = meter.bytes();
        Object kept = s.get();
        long bytes = meter.since(start);
        assertTrue(kept != null);
        return bytes;
    }

    @Test
    void makingTheFoldsCopiesNoRows() {
        Dataset d = data();
        long data = dataBytes(d);
        // the row order and each row's fold: 2 ints a row (16 KB), and the classes' for stratifying
        long bound = 4L * 4 * ROWS + FIXED;
        long kFold = allocated(() -> d.kFold(K, 42));
        assertTrue(kFold <= bound, "kFold(" + K + ", 42) allocated " + kFold + " bytes, " + (double) kFold / data
                + " copies of the " + data + " bytes of data; allowed " + bound);
        long stratified = allocated(() -> d.stratifiedKFold(K, 42));
        assertTrue(stratified <= bound, "stratifiedKFold(" + K + ", 42) allocated " + stratified + " bytes, "
                + (double) stratified / data + " copies of the " + data + " bytes of data; allowed " + bound);
    }

    @Test
    void aFoldIsOneCopyOfTheData() {
        Dataset d = data();
        long data = dataBytes(d);
        List<Dataset.Split> folds = d.kFold(K, 42);
        long bound = data + 4L * ROWS + FIXED; // its two parts' rows, and the rows' indices
        for (int f = 0; f < K; f++) {
            int fold = f;
            long bytes = allocated(() -> folds.get(fold));
            assertTrue(bytes <= bound, "fold " + f + " allocated " + bytes + " bytes for " + data + " bytes of data");
            Dataset.Split s = folds.get(f);
            assertEquals(ROWS, s.train().size() + s.validation().size());
        }
    }
}
