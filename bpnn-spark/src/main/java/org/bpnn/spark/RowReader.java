package org.bpnn.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Reads one row's features and target into flat float arrays, checking every cell; built by
 * {@link RowFormat#reader} against a schema, so it holds column positions, not names. Serialisable.
 */
final class RowReader implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Row contents are shown in error messages up to this many characters. */
    static final int SHOW_CHARS = 200;

    private final RowFormat.Kind featureKind;
    private final int[] featureFields;
    private final String[] featureNames;
    private final int featureCount;
    private final RowFormat.Kind targetKind;
    private final int[] targetFields;
    private final String[] targetNames;
    private final int targetCount;
    /** The sample weight's field, or -1: none read. */
    private final int weightField;
    /** How errors name the weight's cell ("sample weight column 'w'"), built once rather than per row; null without. */
    private final String weightWhat;
    /**
     * Where an array's expected length came from, for the message of a row of another length: "as in row 0" when
     * the first row set it (training data), "the model's input size" when scoring. "has 19 values, expected 20"
     * alone would leave a scorer's user to guess that 20 is the model's width, and what to change.
     */
    private final String countFrom;

    /** {@code weightField} -1 (and {@code weightName} null): the rows carry no sample weight. */
    RowReader(RowFormat.Kind featureKind, int[] featureFields, String[] featureNames, int featureCount,
              RowFormat.Kind targetKind, int[] targetFields, String[] targetNames, int targetCount,
              int weightField, String weightName, String countFrom) {
        this.featureKind = featureKind;
        this.featureFields = featureFields;
        this.featureNames = featureNames;
        this.featureCount = featureCount;
        this.targetKind = targetKind;
        this.targetFields = targetFields;
        this.targetNames = targetNames;
        this.targetCount = targetCount;
        this.weightField = weightField;
        this.weightWhat = weightField < 0 ? null : "sample weight column '" + weightName + "'";
        this.countFrom = countFrom;
    }

    /** Whether rows carry a sample weight ({@link #weight}). */
    boolean weighted() { return weightField >= 0; }

    /** The row's sample weight: a finite number &gt;= 0, as {@code Dataset.withSampleWeights} takes. */
    float weight(Row row, int partition, long r) {
        Where where = new Where(partition, r);
        float v = number(row.get(weightField), weightWhat, row, where);
        if (v < 0f) {
            throw bad(row, where, weightWhat + " is " + row.get(weightField) + "; sample weights must be finite and >= 0");
        }
        return v;
    }

    int featureCount() { return featureCount; }

    int targetCount() { return targetCount; }

    /** Writes row's features to x[off..off+featureCount); (partition, r) names the row in errors. */
    void features(Row row, float[] x, int off, int partition, long r) {
        Where where = new Where(partition, r);
        read(row, featureKind, featureFields, featureNames, featureCount, "feature", x, off, where, countFrom);
    }

    /** Writes row's target to y[off..off+targetCount) (a one-hot row for a class label). */
    void target(Row row, float[] y, int off, int partition, long r) {
        Where where = new Where(partition, r);
        if (targetKind == RowFormat.Kind.CLASS_LABEL) {
            Object v = row.get(targetFields[0]);
            // checked as given, in double: as a float, 0.9999999999 would be class 1
            double d = label(v, "label column '" + targetNames[0] + "'", row, where);
            int label = (int) d;
            if (label != d || label < 0 || label >= targetCount) {
                throw bad(row, where, "label column '" + targetNames[0] + "' is " + v + ", expected a class index in [0, "
                        + targetCount + ")");
            }
            for (int j = 0; j < targetCount; j++) y[off + j] = 0f;
            y[off + label] = 1f;
            return;
        }
        read(row, targetKind, targetFields, targetNames, targetCount, "target", y, off, where, countFrom);
    }

    private static void read(Row row, RowFormat.Kind kind, int[] fields, String[] names, int count, String what,
                             float[] dst, int off, Where where, String countFrom) {
        if (kind == RowFormat.Kind.ARRAY) {
            String col = what + " column '" + names[0] + "'";
            if (row.isNullAt(fields[0])) {
                throw bad(row, where, col + " is null");
            }
            List<Object> values = row.getList(fields[0]);
            if (values.size() != count) {
                throw bad(row, where, col + " has " + values.size() + " values, expected " + count + ", " + countFrom);
            }
            for (int j = 0; j < count; j++) {
                dst[off + j] = number(values.get(j), col + " element " + j, row, where);
            }
            return;
        }
        for (int j = 0; j < count; j++) {
            dst[off + j] = number(row.get(fields[j]), what + " column '" + names[j] + "'", row, where);
        }
    }

    /** A finite float from a number or a numeric string. */
    static float number(Object v, String what, Row row, Where where) {
        float f;
        if (v instanceof Number n) {
            f = n.floatValue();
        } else if (v instanceof String s) {
            try {
                f = Float.parseFloat(s.trim());
            } catch (NumberFormatException e) {
                throw bad(row, where, what + " is not a number: \"" + s + "\"");
            }
        } else if (v == null) {
            throw bad(row, where, what + " is null");
        } else {
            throw bad(row, where, what + " is a " + v.getClass().getSimpleName() + " (" + v + "), not a number");
        }
        if (!Float.isFinite(f)) {
            throw bad(row, where, what + " is " + v + ", which is not a finite float");
        }
        return f;
    }

    /** A class label's value as given, from a number or a numeric string (checked by the caller). */
    private static double label(Object v, String what, Row row, Where where) {
        if (v instanceof java.math.BigDecimal b) {
            // a decimal has more digits than a double: 0.99999999999999999999 is 1.0 as one
            return integral(b);
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            String t = s.trim();
            try {
                return integral(new java.math.BigDecimal(t)); // as given, as for a decimal ("2.0000000000000000001")
            } catch (NumberFormatException e) {
                // "NaN", "Infinity", a hex float: read as a double below (a NaN or infinity is then refused as no index)
            }
            try {
                return Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw bad(row, where, what + " is not a number: \"" + s + "\"");
            }
        }
        throw bad(row, where, what + (v == null ? " is null" : " is a " + v.getClass().getSimpleName() + " (" + v + "), not a number"));
    }

    /** b as a double when it is an integer, else NaN (no class index), so that the caller refuses it showing b. */
    private static double integral(java.math.BigDecimal b) {
        return b.signum() == 0 || b.stripTrailingZeros().scale() <= 0 ? b.doubleValue() : Double.NaN;
    }

    /** Row r (0-based) of a partition. */
    record Where(int partition, long row) {}

    static BadRowException bad(Row row, Where where, String problem) {
        return new BadRowException(where.partition(), where.row(), problem, show(row));
    }

    static String show(Object row) {
        String s = String.valueOf(row);
        return s.length() <= SHOW_CHARS ? s : s.substring(0, SHOW_CHARS) + "... (" + s.length() + " characters)";
    }
}
