package org.bpnn.bench.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.junit.jupiter.api.Test;

/** The parameters JMH crosses each element-wise benchmark with, read from the list the runner uses. */
class ElementwiseBenchmarkTest {

    /** Per benchmark method, whether JMH crosses it with parameter {@code param}. */
    private static Map<String, Boolean> takes(String param) {
        Map<String, Boolean> takes = new TreeMap<>();
        for (BenchmarkListEntry e : BenchmarkList.defaultList().find(
                OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT),
                List.of("org\\.bpnn\\.bench\\.kernels\\.ElementwiseBenchmark\\."), List.of())) {
            String name = e.getUsername().substring(e.getUsername().lastIndexOf('.') + 1);
            takes.put(name, e.getParams().hasValue() && e.getParams().get().containsKey(param));
        }
        return takes;
    }

    @Test
    void onlyTheActivationBenchmarksTakeAnOp() {
        // op was a parameter of the whole class: a default run timed softmax10, softmaxWide and
        // firstNonFinite once per activation, the same code three times over
        assertEquals(Map.of("forward", true, "backward", true, "softmax10", false, "softmaxWide", false,
                "firstNonFinite", false, "adam", false), takes("op"));
    }

    @Test
    void onlyAdamTakesDeadRows() {
        assertEquals(Map.of("forward", false, "backward", false, "softmax10", false, "softmaxWide", false,
                "firstNonFinite", false, "adam", true), takes("deadRows"));
    }
}
