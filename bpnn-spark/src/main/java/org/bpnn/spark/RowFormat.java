package org.bpnn.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Which columns of a Spark {@code Dataset<Row>} hold a sample's features x: (featureCount) and its
 * target y: (targetCount).
 *
 * <pre>{@code
 * RowFormat.featureArray("pixels").classLabel("digit", 10)      // array<float|double> + class index
 * RowFormat.featureColumns("x1", "x2", "x3").targetColumns("y")  // numeric columns, regression
 * RowFormat.featureArray("features")                             // scoring: no target needed
 * RowFormat.featureArray("f").classLabel("label", 2).sampleWeight("w")  // + a weight per row
 * }</pre>
 *
 * <p>Feature and target cells may be any numeric type, or strings holding a number (a CSV read
 * without {@code inferSchema}); arrays are {@code array<numeric>}. A Spark ML {@code Vector} column
 * is not read directly: convert it with {@code org.apache.spark.ml.functions.vector_to_array}. A class
 * label is an integral number (or numeric string) in [0, classes) and becomes a one-hot target row.
 *
 * <p>Every cell is checked while the data is read: a missing or null cell, a value that is not a
 * finite number, an array of the wrong length or a label out of range fails with an
 * {@link IllegalArgumentException} naming the row ("row 17: ...") and showing its content.
 * Immutable and serialisable (it travels to the executors inside Spark closures).
 */
public final class RowFormat implements Serializable {
    private static final long serialVersionUID = 1L;

    enum Kind { NONE, ARRAY, COLUMNS, CLASS_LABEL }

    private final Kind featureKind;
    private final String[] featureColumns;
    private final Kind targetKind;
    private final String[] targetColumns;
    private final int classes;
    /** The sample weight column, or null: unweighted rows. */
    private final String weightColumn;

    private RowFormat(Kind featureKind, String[] featureColumns, Kind targetKind, String[] targetColumns, int classes) {
        this(featureKind, featureColumns, targetKind, targetColumns, classes, null);
    }

    private RowFormat(Kind featureKind, String[] featureColumns, Kind targetKind, String[] targetColumns, int classes,
                      String weightColumn) {
        this.featureKind = featureKind;
        this.featureColumns = featureColumns;
        this.targetKind = targetKind;
        this.targetColumns = targetColumns;
        this.classes = classes;
        this.weightColumn = weightColumn;
    }

    /** The named feature columns in order, or null when the features are one array column. */
    java.util.List<String> namedFeatureColumns() {
        return featureKind == Kind.COLUMNS ? java.util.List.of(featureColumns) : null;
    }

    /** Features in one {@code array<numeric>} column; every row must have the same length. */
    public static RowFormat featureArray(String column) {
        return new RowFormat(Kind.ARRAY, new String[] {requireName(column, "feature column")}, Kind.NONE, new String[0], 0);
    }

    /** Features in numeric columns, one feature each, in this order. */
    public static RowFormat featureColumns(String... columns) {
        return new RowFormat(Kind.COLUMNS, requireNames(columns, "feature columns"), Kind.NONE, new String[0], 0);
    }

    /** The target is a class index in [0, classes) in {@code column}, one-hot encoded to {@code classes} outputs. */
    public RowFormat classLabel(String column, int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be >= 2, got " + classes + "; it is the network's output size");
        }
        return new RowFormat(featureKind, featureColumns, Kind.CLASS_LABEL, new String[] {requireName(column, "label column")}, classes,
                weightColumn);
    }

    /** The target row is one {@code array<numeric>} column. */
    public RowFormat targetArray(String column) {
        return new RowFormat(featureKind, featureColumns, Kind.ARRAY, new String[] {requireName(column, "target column")}, 0,
                weightColumn);
    }

    /** The target row is these numeric columns, in this order (e.g. one column for a regression). */
    public RowFormat targetColumns(String... columns) {
        return new RowFormat(featureKind, featureColumns, Kind.COLUMNS, requireNames(columns, "target columns"), 0, weightColumn);
    }

    /**
     * Reads each row's sample weight from the numeric {@code column} (finite and &gt;= 0, a bad cell refused with
     * its row named, as a feature's): {@link SparkTrainer} then trains on the weighted cost sum_i w_i L_i / m of
     * each batch, as {@code Trainer} on {@code Dataset.withSampleWeights}, and {@link SparkData#toLocal()}
     * returns a set with these weights. Data whose rows all weigh 0 is refused when read. Scoring ignores
     * the column, as it ignores the target. In either order with the target: a target set after it keeps it.
     */
    public RowFormat sampleWeight(String column) {
        return new RowFormat(featureKind, featureColumns, targetKind, targetColumns, classes,
                requireName(column, "sample weight column"));
    }

    /** Whether a target is configured (needed for training, not for scoring). */
    public boolean hasTarget() {
        return targetKind != Kind.NONE;
    }

    /**
     * Refuses a null format argument with what to pass: SparkTrainer.fit and SparkData.from read the
     * target too, so their example names one; SparkScorer reads the features alone, so its example names
     * none and says a target would be ignored. One wording for the three entry points (three copies of it
     * could drift apart).
     *
     * @param withTarget whether the caller trains (the format must name a target) or scores
     */
    static void requireFormat(RowFormat format, boolean withTarget) {
        if (format == null) {
            throw new IllegalArgumentException("row format is null; pass the RowFormat that reads the " + (withTarget
                    ? "rows, e.g. RowFormat.featureArray(\"features\").classLabel(\"label\", classes)"
                    : "features, e.g. RowFormat.featureArray(\"features\") (a target, if it names one, is not read)"));
        }
    }

    private static String requireName(String c, String what) {
        if (c == null || c.isEmpty()) {
            throw new IllegalArgumentException(what + " name is " + (c == null ? "null" : "empty")
                    + "; pass the column's name as the data frame's schema has it (df.columns())");
        }
        return c;
    }

    private static String[] requireNames(String[] cs, String what) {
        if (cs == null || cs.length == 0) {
            throw new IllegalArgumentException("no " + what + " given; name at least one column");
        }
        for (String c : cs) requireName(c, what.substring(0, what.length() - 1));
        return cs.clone();
    }

    /**
     * Checks the columns against {@code schema} and returns the reader for rows of that schema.
     * {@code featureCount} / {@code targetCount}: the lengths every row must have (for array
     * columns; for named columns they must equal the number of columns).
     */
    RowReader reader(StructType schema, int featureCount, int targetCount, boolean needTarget) {
        return reader(schema, featureCount, targetCount, needTarget, true);
    }

    /**
     * Checks every column that the reader reads against {@code schema} (present, unambiguous, of a number-like
     * type, no column read as two things), as {@link #reader} does, without the counts, which for an array column
     * need the first row: SparkData.from checks them before that row's Spark job, which a misspelt target or
     * weight column would wait for (and on an empty frame be refused as "the data frame has no rows"). A target is
     * required, as for training (the only caller).
     */
    void requireColumns(StructType schema) {
        reader(schema, 0, 0, true, false);
    }

    private RowReader reader(StructType schema, int featureCount, int targetCount, boolean needTarget, boolean counts) {
        if (needTarget && !hasTarget()) {
            throw new IllegalArgumentException(this + " names no target; add .classLabel(column, classes), "
                    + ".targetColumns(...) or .targetArray(column) to train");
        }
        int[] fi = resolve(schema, featureKind, featureColumns, "feature");
        int fc = featureKind == Kind.ARRAY ? featureCount : featureColumns.length;
        if (counts && fc != featureCount) {
            throw new IllegalArgumentException(this + " reads " + fc + " features, but " + featureCount
                    + " are expected (the network's input size)");
        }
        int[] ti = new int[0];
        int tc = 0;
        Kind tk = needTarget ? targetKind : Kind.NONE;
        if (tk != Kind.NONE) {
            ti = resolve(schema, tk, targetColumns, "target");
            int both = shared(ti, fi);
            if (both >= 0) {
                // the network would be handed the answer: a perfect training loss, a useless model
                throw new IllegalArgumentException(this + ": column '" + schema.fields()[both].name()
                        + "' is both a feature and the target; drop it from the features");
            }
            tc = tk == Kind.CLASS_LABEL ? classes : tk == Kind.ARRAY ? targetCount : targetColumns.length;
            if (counts && tc != targetCount) {
                throw new IllegalArgumentException(this + " gives " + tc + " target values per row, but " + targetCount
                        + " are expected (the network's output size)");
            }
        }
        int wi = -1;
        if (needTarget && weightColumn != null) { // scoring reads no weight, as it reads no target
            int[] w = resolve(schema, Kind.COLUMNS, new String[] {weightColumn}, "sample weight");
            wi = w[0];
            for (int[] used : new int[][] {fi, ti}) {
                if (shared(w, used) >= 0) {
                    throw new IllegalArgumentException(this + ": column '" + schema.fields()[wi].name() + "' is both the"
                            + " sample weight and a " + (used == fi ? "feature" : "target") + "; name the weight's own column");
                }
            }
        }
        // training reads its array lengths from the first row (SparkData.from); scoring gets the model's input size
        return new RowReader(featureKind, fi, featureColumns, fc, tk, ti, targetColumns, tc, wi, weightColumn,
                needTarget ? "as in row 0" : "the model's input size; score with a model of this width or fix the rows");
    }

    /** The first field of {@code a} that {@code b} also reads (a column read as two things), or -1. */
    private static int shared(int[] a, int[] b) {
        for (int i : a) {
            for (int j : b) {
                if (i == j) return i;
            }
        }
        return -1;
    }

    /** Features per row: the number of columns, or the length of the first row's array. */
    int featureCount(Dataset<Row> df) {
        return featureKind == Kind.ARRAY ? firstArrayLength(df, featureColumns[0], "feature") : featureColumns.length;
    }

    /** Target values per row: the classes, the number of columns, or the first row's array length. */
    int targetCount(Dataset<Row> df) {
        return switch (targetKind) {
            case NONE -> 0;
            case CLASS_LABEL -> classes;
            case COLUMNS -> targetColumns.length;
            case ARRAY -> firstArrayLength(df, targetColumns[0], "target");
        };
    }

    private static int firstArrayLength(Dataset<Row> df, String column, String what) {
        int j = resolve(df.schema(), Kind.ARRAY, new String[] {column}, "array")[0];
        // selected by the schema's own name, quoted: select(String) parses the name as SQL, so a column
        // named "f.x" (found above) would be looked up as field x of a struct f and fail inside Spark
        String name = df.schema().fieldNames()[j];
        List<Row> first = df.select(functions.col("`" + name.replace("`", "``") + "`")).takeAsList(1);
        if (first.isEmpty()) {
            // the first row's array length is the count; with no row there is neither a count nor data
            throw SparkData.noRows("the data frame has no rows (the " + what + " count is the length of array column '"
                    + column + "' in its first row)");
        }
        Row r = first.get(0);
        if (r.isNullAt(0)) {
            throw new IllegalArgumentException("row 0: array column '" + column + "' is null");
        }
        int n = r.getList(0).size();
        if (n == 0) {
            // the count comes from this row: 0 would blame every later row ("has 8 values, expected 0"),
            // or, with all rows empty, suggest Network.builder(0)
            throw new IllegalArgumentException("row 0: array column '" + column + "' is empty; every row needs at least one value");
        }
        return n;
    }

    private static int[] resolve(StructType schema, Kind kind, String[] names, String what) {
        List<String> available = Arrays.asList(schema.fieldNames());
        int[] idx = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            int j = available.indexOf(names[i]);
            int same = j < 0 ? 0 : java.util.Collections.frequency(available, names[i]);
            if (same > 1) {
                // as Spark says for df.select(name): taking the first of them would silently read a column that
                // may be the other side's of a join
                throw new IllegalArgumentException(what + " column '" + names[i] + "' is ambiguous: the data has " + same
                        + " columns named '" + names[i] + "' (a join of frames that both have it?) among " + available
                        + "; keep or rename one before reading, e.g. with df.toDF(...) or a select of aliased columns");
            }
            if (j < 0) {
                // as Spark resolves names by default (spark.sql.caseSensitive=false): ignoring case, when that
                // is unambiguous (else "FEATURES" would be "no feature column" beside a column "features")
                for (int c = 0; c < available.size(); c++) {
                    if (available.get(c).equalsIgnoreCase(names[i])) {
                        if (j >= 0) {
                            throw new IllegalArgumentException(what + " column '" + names[i] + "' is ambiguous: the data has '"
                                    + available.get(j) + "' and '" + available.get(c) + "'; name it exactly");
                        }
                        j = c;
                    }
                }
            }
            if (j < 0) {
                throw new IllegalArgumentException("no " + what + " column '" + names[i] + "'; the data has columns " + available);
            }
            StructField f = schema.fields()[j];
            DataType t = f.dataType();
            boolean ok = kind == Kind.ARRAY
                    ? t instanceof ArrayType a && isNumberLike(a.elementType())
                    : isNumberLike(t);
            if (!ok) {
                throw new IllegalArgumentException(what + " column '" + names[i] + "' has type " + t.simpleString()
                        + "; expected " + (kind == Kind.ARRAY ? "array<float> or array<double>"
                        : "a numeric column (or strings holding numbers)")
                        // spark-mllib's functions, not org.apache.spark.sql.functions (no vector_to_array there)
                        + (t.typeName().equals("vector") ? "; convert the ML vector first: df.withColumn(\"" + names[i]
                        + "\", org.apache.spark.ml.functions.vector_to_array(col(\"" + names[i] + "\")))" : ""));
            }
            idx[i] = j;
        }
        return idx;
    }

    private static boolean isNumberLike(DataType t) {
        return t instanceof NumericType || t instanceof StringType;
    }

    /** The factory calls that build this format. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("RowFormat.");
        sb.append(featureKind == Kind.ARRAY ? "featureArray(" : "featureColumns(").append(quoted(featureColumns)).append(')');
        switch (targetKind) {
            case CLASS_LABEL -> sb.append(".classLabel(\"").append(targetColumns[0]).append("\", ").append(classes).append(')');
            case ARRAY -> sb.append(".targetArray(").append(quoted(targetColumns)).append(')');
            case COLUMNS -> sb.append(".targetColumns(").append(quoted(targetColumns)).append(')');
            default -> { }
        }
        if (weightColumn != null) sb.append(".sampleWeight(\"").append(weightColumn).append("\")");
        return sb.toString();
    }

    private static String quoted(String[] names) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append('"').append(names[i]).append('"');
        }
        return sb.toString();
    }
}
