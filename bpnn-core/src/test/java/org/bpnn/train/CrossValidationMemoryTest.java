package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.bpnn.metrics.Metric;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A cross-validation holds one fold's copy of the data at a time: when fold f is given to the
 * preprocess hook, the earlier folds' parts are unreachable (a full collection clears weak references
 * to them). With every fold copied up front and kept in the folds list until the run ended, k copies
 * were held throughout. Reachability, not timing: the test is skipped on a JVM whose System.gc()
 * does not collect (a canary object stays reachable).
 */
class CrossValidationMemoryTest {

    @Test
    void earlierFoldsAreLetGoBeforeTheNextIsTrained() {
        assumeTrue(gcCollects(), "System.gc() does not collect on this JVM (-XX:+DisableExplicitGC?)");
        List<WeakReference<Tensor>> seen = new ArrayList<>();
        List<Integer> heldAtFold = new ArrayList<>();
        CrossValidation.Result cv = CrossValidation.builder().folds(CrossValidationTest.separable().kFold(4, 3))
                .network(f -> CrossValidationTest.net())
                .trainer(f -> Trainer.builder().optimizer(new org.bpnn.optim.Adam(0.02)).epochs(1).batchSize(16).build())
                .preprocess(fold -> {
                    System.gc();
                    int held = 0;
                    for (WeakReference<Tensor> r : seen) held += r.get() != null ? 1 : 0;
                    heldAtFold.add(held);
                    seen.add(new WeakReference<>(fold.train().features()));
                    seen.add(new WeakReference<>(fold.validation().features()));
                    return fold;
                })
                .metrics(Metric.accuracy()).run();
        assertEquals(4, cv.folds().size());
        assertEquals(List.of(0, 0, 0, 0), heldAtFold, "parts of earlier folds still reachable when each fold came");
        System.gc();
        for (WeakReference<Tensor> r : seen) assertNull(r.get(), "a fold's part is still reachable after the run");
    }

    private static boolean gcCollects() {
        WeakReference<Object> canary = new WeakReference<>(new Object());
        System.gc();
        return canary.get() == null;
    }
}
