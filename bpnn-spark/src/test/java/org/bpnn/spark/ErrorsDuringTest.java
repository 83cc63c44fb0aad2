package org.bpnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SparkTestSupport#errorsDuring} sees what the "no error logged" tests assert the absence of: an
 * ERROR line written as Spark writes it (through SLF4J, by a logger under org.apache.spark, whose level
 * log4j2-test.properties sets to error). Without this, a capture that saw nothing (an appender on the wrong
 * context, a bridge not on the class path) made those tests pass whatever was logged.
 */
class ErrorsDuringTest {
    @Test
    void anErrorLoggedThroughSlf4jBySparksLoggersIsSeenAndOnlyDuringTheBody() {
        org.slf4j.Logger utils = org.slf4j.LoggerFactory.getLogger("org.apache.spark.util.Utils");
        String probe = "bpnn test probe of SparkTestSupport.errorsDuring (expected, not a failure)";
        List<String> seen = SparkTestSupport.errorsDuring(() -> {
            utils.warn("a warning is not an error");
            utils.error(probe);
        });
        assertEquals(List.of("org.apache.spark.util.Utils: " + probe), seen);
        // the appender is removed afterwards: a second capture sees only its own body's lines
        assertEquals(List.of(), SparkTestSupport.errorsDuring(() -> { }));
    }
}
