package org.bpnn.examples;

import java.math.BigDecimal;
import java.math.MathContext;
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

    public Summary put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    /**
     * The fields as one line of JSON (strings escaped, non-finite numbers as null; a List as an array
     * and a Map as an object, their values written by the same rules).
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
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            // 7 significant digits, plain notation: 0.8912345, 60000, 1.2e-7 as 0.00000012
            sb.append(Double.isFinite(d)
                    ? new BigDecimal(d).round(new MathContext(7)).stripTrailingZeros().toPlainString()
                    : "null");
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
        } else {
            string(sb, v.toString());
        }
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
