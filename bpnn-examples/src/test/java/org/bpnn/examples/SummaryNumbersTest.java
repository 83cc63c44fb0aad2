package org.bpnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The JSON line's numbers read back as the values the run had: a float in Float.toString's digits, a
 * double in Double.toString's, laid out without an exponent where that is short, and null where JSON has
 * no number (NaN, the infinities). Before, every float and double was rounded to 7 significant digits,
 * so a saved threshold such as 1/3f (0.33333334) came back as 0.3333333, another float.
 */
class SummaryNumbersTest {
    private static String json(Object v) {
        String line = new Summary("t").put("v", v).toJson();
        return line.substring("{\"example\":\"t\",\"v\":".length(), line.length() - 1);
    }

    @Test
    void floatsAndDoublesAreWrittenInTheirShortestDigits() {
        assertEquals("0.33333334", json(1 / 3f));
        assertEquals("0.10000001", json(Math.nextUp(0.1f)));
        assertEquals("0.1000001", json(0.1f + 1e-7f));
        assertEquals("0.1", json(0.1f), "a float's digits, not its double's 0.10000000149011612");
        assertEquals("0.3333333333333333", json(1 / 3d));
        assertEquals("0.89123456", json(0.89123456));
        assertEquals("60000", json(60000.0));
        assertEquals("60000", json(60000f));
        assertEquals("0.00000012", json(1.2e-7));
        assertEquals("0.0000001", json(1e-7)); // the smallest magnitude written plainly
        assertEquals("0.0000001", json(1e-7f));
        assertEquals("1.5E-8", json(1.5e-8));
        assertEquals("1E+21", json(1e21));
        assertEquals("123456789012345680000", json(1.2345678901234568e20));
        assertEquals("0", json(0.0));
        assertEquals("-0", json(-0.0));
        assertEquals("-0", json(-0f));
        assertEquals("-2.5", json(-2.5f));
    }

    @Test
    void nonFiniteNumbersAreNullAsJsonHasNoNumberForThem() {
        for (Object v : new Object[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Float.NaN,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            assertEquals("null", json(v), String.valueOf(v));
        }
        assertEquals("[1.5,null]", json(new double[] {1.5, Double.NaN}));
        assertEquals("[0.33333334,null]", json(new float[] {1 / 3f, Float.NaN}), "floats as floats, not widened to double");
    }

    @Test
    void everyWrittenNumberReadsBackAsTheSameValue() {
        Random r = new Random(7);
        for (int i = 0; i < 20000; i++) {
            float f = Float.intBitsToFloat(r.nextInt());
            if (!Float.isFinite(f)) continue;
            String s = json(f);
            assertEquals(Float.floatToIntBits(f), Float.floatToIntBits(Float.parseFloat(s)), s);
            assertEquals(Float.floatToIntBits(f), Float.floatToIntBits((float) Double.parseDouble(s)), s + " through a double parse");
            double d = Double.longBitsToDouble(r.nextLong());
            if (!Double.isFinite(d)) continue;
            String t = json(d);
            assertEquals(Double.doubleToLongBits(d), Double.doubleToLongBits(Double.parseDouble(t)), t);
            assertTrue(t.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?"), t + " is a JSON number");
        }
    }

    /** Control characters are escaped (JSON allows none raw in a string); a space, the first character after them, is not. */
    @Test
    void stringsEscapeControlCharactersOnly() {
        assertEquals("\"a b\\t\\u001f\\u0007\\\"\"", json("a b\t\u001f\u0007\""));
    }
}
