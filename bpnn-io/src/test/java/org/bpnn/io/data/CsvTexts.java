package org.bpnn.io.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;

/** Test helper: CSV text read by a builder's reader as the source {@code test.csv}, and its refusals. */
final class CsvTexts {
    private CsvTexts() {}

    /** {@code text} read by {@code b}'s reader, named {@code test.csv}. */
    static CsvData read(CsvReader.Builder b, String text) throws IOException {
        return b.build().read(new StringReader(text), "test.csv");
    }

    /** The refusal of {@code text}: a message that names the source first and contains each of {@code parts}. */
    static CsvFormatException fails(CsvReader.Builder b, String text, String... parts) {
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> read(b, text));
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message lacks \"" + p + "\": " + e.getMessage());
        }
        assertTrue(e.getMessage().startsWith("test.csv"), e.getMessage());
        return e;
    }
}
