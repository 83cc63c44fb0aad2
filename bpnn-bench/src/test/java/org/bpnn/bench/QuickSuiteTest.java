package org.bpnn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The quick suite's last line is JSON, like every ./bpnn run: its strings are escaped. */
class QuickSuiteTest {
    @Test
    void jsonStringsAreEscaped() {
        assertEquals("\"bench-results/a \\\"b\\\"\\\\c\\u000a\"", QuickSuite.jsonString("bench-results/a \"b\"\\c\n"));
        assertEquals("\"1,2\"", QuickSuite.jsonString("1,2"));
    }
}
