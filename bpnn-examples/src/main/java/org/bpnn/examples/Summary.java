package org.bpnn.examples;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bpnn.backend.Backend;

/**
 * The one JSON line every run ends with, so scripts can read a run's outcome:
 * {@code {"example":"xor","backend":"simd","threads":2,"jdk":"17.0.15",...}}.
 */
public final class Summary {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    public Summary(String example) {
        fields.put("example", example);
    }

    /** A run's line, starting as every command's does: the example, the backend, its threads and the JDK. */
    public Summary(String example, Backend backend) {
        this(example);
        put("backend", backend.name()).put("threads", backend.threads()).put("jdk", Jdk.version());
    }

    /** A copy with the same fields, in the same order, for a fuller object beside the line (evaluate's --output report). */
    public Summary copy() {
        Summary s = new Summary((String) fields.get("example"));
        s.fields.putAll(fields);
        return s;
    }

    public Summary put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    /**
     * The fields as one line of JSON (strings escaped; a List as an array and a Map as an object, their
     * values written by the same rules). A float or double is written in the fewest digits that read
     * back as the same value ({@link #number}), so a saved threshold or a loss parsed from the line is
     * the value the run had; NaN and the infinities, which JSON has no number for, are null (a diverged
     * loss reads as null, never as a string or as invalid JSON).
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (sb.length() > 1) sb.append(',');
            string(sb, e.getKey());
            sb.append(':');
            value(sb, e.getValue());
        }
        return sb.append('}').toString();
    }

    private static void value(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Float f) {
            sb.append(number(f));
        } else if (v instanceof Double d) {
            sb.append(number(d));
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof java.util.List<?> list) {
            // inspect's names and layers: an array of any of these values
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) sb.append(',');
                value(sb, list.get(i));
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> map) {
            // inspect's layers and a model's training summary: an object, keys as strings, in the map's order
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                string(sb, String.valueOf(e.getKey()));
                sb.append(':');
                value(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof double[] arr) {
            sb.append('[');
            for (int i = 0; i < arr.length; i++) {
                if (i > 0) sb.append(',');
                value(sb, arr[i]);
            }
            sb.append(']');
        } else if (v instanceof float[] arr) {
            // floats as floats: widened to double they would print the double's 17 digits (0.5102040767669678)
            sb.append('[');
            for (int i = 0; i < arr.length; i++) {
                if (i > 0) sb.append(',');
                sb.append(number(arr[i]));
            }
            sb.append(']');
        } else {
            string(sb, v.toString());
        }
    }

    /**
     * A float as JSON: {@link Float#toString}'s digits, the shortest that parse back
     * ({@code Float.parseFloat}, or a double parse rounded to float) to this very float: 1/3f is
     * 0.33333334 and the float after 0.1f is 0.10000001, where a fixed 7 significant digits would give
     * 0.3333333 and 0.1, other floats; null when not finite. Laid out as
     * {@link #number(double)} lays out its digits.
     */
    static String number(float f) {
        return Float.isFinite(f) ? digits(Float.toString(f), f == 0f && 1f / f < 0f) : "null";
    }

    /**
     * A double as JSON: {@link Double#toString}'s digits, which parse back to this very double; plain
     * notation for magnitudes from 1e-7 below 1e21 (0.8912346, 60000, 0.00000012), else an exponent
     * (1.5E-8, 1E+21: JSON numbers both), and -0 for negative zero; null when not finite.
     */
    static String number(double d) {
        return Double.isFinite(d) ? digits(Double.toString(d), d == 0d && 1d / d < 0d) : "null";
    }

    private static String digits(String javaDigits, boolean negativeZero) {
        if (negativeZero) return "-0"; // BigDecimal has no signed zero
        BigDecimal b = new BigDecimal(javaDigits).stripTrailingZeros(); // exact: the decimal of those digits
        double m = Math.abs(b.doubleValue());
        return m == 0 || m >= 1e-7 && m < 1e21 ? b.toPlainString() : b.toString();
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return toJson();
    }
}
