package org.bpnn.bench.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The per-call profile names every backend call of a step with its shape, counts them, and refuses bad flags. */
class StepProfileTest {
    private static List<String> run(String... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        StepProfile.run(args, new PrintStream(b, true, StandardCharsets.UTF_8));
        return Arrays.asList(b.toString(StandardCharsets.UTF_8).split("\n"));
    }

    /** The table's rows as "calls  key" (the time column dropped), for a step of 5-4-3 at batch 6. */
    private static List<String> callsAndKeys(List<String> out) {
        Pattern row = Pattern.compile("\\s+[0-9.]+\\s+([0-9.]+)  (.+)");
        return out.stream().map(row::matcher).filter(Matcher::matches)
                .map(m -> m.group(1) + " " + m.group(2)).collect(Collectors.toList());
    }

    @Test
    void aTrainingStepListsItsProductsAndPassesOncePerStep() {
        for (String backend : new String[] {"scalar", "simd"}) {
            List<String> out = run("--net", "5-4-3@6", "--backend", backend, "--warmup", "3", "--steps", "4");
            assertTrue(out.get(0).startsWith("training step (SGD) at batch 6 of 5-4-3, backend "), out.get(0));
            assertTrue(out.get(0).endsWith(", 1 thread(s), JDK " + Runtime.version() + ", 4 steps after 3 warm-up steps"),
                    out.get(0));
            assertTrue(out.get(1).matches("step on the backend: [0-9.]+ us; through the proxy: [0-9.]+ us untimed, "
                    + "[0-9.]+ us with every backend call timed"), out.get(1));
            List<String> rows = callsAndKeys(out);
            // forward Z = X W^T for both layers, BP3's delta^T X for both, BP2's delta W for the second only
            for (String expected : new String[] {"1 gemm NT 6x4x5", "1 gemm NT 6x3x4", "1 gemm TN 3x4x6",
                    "1 gemm TN 4x5x6", "1 gemm NN 6x4x3", "1 biasActivation 6x4", "1 biasActivation 6x3",
                    "1 activationBackward 24", "1 sumColumns 6x4", "1 sumColumns 6x3", "1 axpy 20", "1 axpy 12"}) {
                assertTrue(rows.contains(expected), backend + ": no row '" + expected + "' in " + rows);
            }
            assertTrue(rows.stream().noneMatch(r -> r.contains("gemm NN 6x5x4")),
                    backend + ": the first layer has no dX to compute: " + rows);
            assertTrue(out.get(out.size() - 1).contains("sum of the calls"), out.get(out.size() - 1));
        }
    }

    @Test
    void predictProfilesOneSample() {
        List<String> rows = callsAndKeys(run("--net", "5-4-3", "--backend", "simd", "--threads", "2",
                "--warmup", "0", "--steps", "3", "--predict"));
        assertTrue(rows.contains("1 gemm NT 1x4x5") && rows.contains("1 gemm NT 1x3x4"), rows.toString());
        assertTrue(rows.stream().noneMatch(r -> r.contains(" TN ") || r.startsWith("1 axpy")), rows.toString());
    }

    @Test
    void fitProfilesTheTrainersLoopPerBatch() {
        // 20 rows at batch 6: three batches of 6 and one of 2 per epoch; the steps round up to whole epochs
        List<String> out = run("--fit", "20", "--net", "5-4-3@6", "--backend", "simd", "--warmup", "3", "--steps", "5");
        assertTrue(out.get(0).startsWith("Trainer.fit step (a batch gathered from 20 shuffled rows, the gradients checked,"
                + " SGD) at batch 6 of 5-4-3, backend "), out.get(0));
        assertTrue(out.get(0).endsWith(", 8 steps after 4 warm-up steps"), out.get(0));
        List<String> rows = callsAndKeys(out);
        // the batches' rows gathered (features 5 wide, targets 3), every weight gradient checked once a step
        // (and the weights once an epoch), each weight updated once a step
        for (String expected : new String[] {"0.75 gatherRows 6x5", "0.25 gatherRows 2x5", "0.75 gatherRows 6x3",
                "0.25 gatherRows 2x3", "0.75 gemm NT 6x4x5", "0.25 gemm NT 2x4x5", "1.25 firstNonFinite 20",
                "1 axpy 20", "1 axpy 12"}) {
            assertTrue(rows.contains(expected), "no row '" + expected + "' in " + rows);
        }
    }

    @Test
    void adamReplacesTheUpdateOfEveryWeight() {
        // the fixed batch's step and the fit's: Adam's one fused pass a parameter instead of SGD's axpy
        for (String[] args : new String[][] {{"--net", "5-4-3@6", "--optimizer", "adam", "--warmup", "3", "--steps", "4"},
                {"--fit", "20", "--net", "5-4-3@6", "--optimizer", "adam", "--warmup", "3", "--steps", "5"}}) {
            List<String> out = run(args);
            assertTrue(out.get(0).contains("Adam) at batch 6 of 5-4-3"), out.get(0));
            List<String> rows = callsAndKeys(out);
            assertTrue(rows.contains("1 adamUpdate 20") && rows.contains("1 adamUpdate 12")
                    && rows.contains("1 adamUpdate 4") && rows.contains("1 adamUpdate 3"), rows.toString());
            assertTrue(rows.stream().noneMatch(r -> r.contains(" axpy ")), rows.toString());
        }
    }

    @Test
    void badFlagsSayWhatTheyTake() {
        String[][] cases = {
            {"--net", "784-256"}, {"--net takes SIZES@BATCH", "got '784-256'"},
            {"--threads", "0"}, {"--threads takes a whole number >= 1, got '0'"},
            {"--steps", "x"}, {"--steps takes a whole number >= 1, got 'x'"},
            {"--warmup"}, {"--warmup needs a value"},
            {"--fast"}, {"unknown flag '--fast'", "--predict", "--fit ROWS", "--optimizer sgd|adam"},
            {"--optimizer", "rmsprop"}, {"--optimizer takes sgd or adam, got 'rmsprop'"},
            {"--optimizer", "adam", "--predict"}, {"--predict trains nothing, leave --optimizer out"},
            {"--fit", "0"}, {"--fit takes a whole number >= 1, got '0'"},
            {"--fit", "100", "--predict"}, {"--predict and --fit ROWS profile different things"},
            {"--fit", "100"}, {"--fit 100 gives fewer rows than one batch of 128"},
        };
        for (int i = 0; i < cases.length; i += 2) {
            String[] args = cases[i];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StepProfile.run(args,
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)), String.join(" ", args));
            for (String part : cases[i + 1]) {
                assertTrue(e.getMessage().contains(part), e.getMessage());
            }
        }
    }

    @Test
    void keysNameTheCallAndItsShape() {
        assertEquals("gemm TN 256x784x128", StepProfile.Timing.key(method("gemm"),
                new Object[] {true, false, 256, 784, 128, 1f, null, 0, 256, null, 0, 784, 0f, null, 0, 784}));
        assertEquals("axpy 32768", StepProfile.Timing.key(method("axpy"), new Object[] {32768, -0.1f, null, 0, null, 0}));
        assertEquals("threads", StepProfile.Timing.key(method("threads"), null));
    }

    private static java.lang.reflect.Method method(String name) {
        return Arrays.stream(org.bpnn.backend.Backend.class.getMethods()).filter(m -> m.getName().equals(name))
                .findFirst().orElseThrow();
    }
}
