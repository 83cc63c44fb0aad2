package org.bpnn.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.bpnn.data.Normaliser;
import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.SavedModel;
import org.bpnn.nn.Network;
import org.bpnn.tensor.Tensor;

/**
 * Scores a Spark data set with a trained model: the model's bpnn-io bytes are broadcast once, each
 * executor loads them once (per model, shared by its tasks: prediction is thread-safe), and each
 * partition is predicted in batches of {@link #BATCH} rows (fewer for rows wider than 16,384
 * features or outputs: a batch holds at most 2^22 feature values, 16 MB, and as many outputs).
 * <pre>{@code
 * Dataset<Row> scored = SparkScorer.score(df, ModelFile.load(Path.of("model.bpnn")), RowFormat.featureArray("features"));
 * scored.select("id", "prediction", "output").show();
 * }</pre>
 * The result is {@code df}'s columns plus {@code output} ({@code array<float>}, the network's outputs,
 * after the model's normaliser if it has one, and in the targets' units if it has a target normaliser:
 * {@link SavedModel#predict}'s) and {@code prediction} (int, the class as
 * {@link org.bpnn.nn.Network#predictClasses} gives it: the index of the largest output; for a
 * one-output model 1 where the probability is at least 0.5 (the output, or for a
 * {@code Loss.binaryCrossEntropyFromLogits()} model its sigmoid), else 0; for a model saved with a threshold
 * ({@link SavedModel#withThreshold}: one output, or two softmax outputs) 1 where the probability of class 1
 * is at least it: {@link SavedModel#classesOf}; read from the network's own outputs, before a target
 * normaliser). A regression model (mse, mae or huber with an output layer that is neither sigmoid nor softmax:
 * {@link Network#outputsClasses}) gets no {@code prediction}; a model saved with target names
 * ({@link SavedModel#withTargetNames}) gets, instead of {@code output}, one float column per output named
 * {@code predicted_<name>} ({@code predicted_price}), as {@code ./bpnn predict} heads its columns. A classifier
 * saved with class names ({@link SavedModel#withClassNames}) also gets {@code prediction_name} (string, the
 * name of the class in {@code prediction}), as {@code ./bpnn predict} writes {@code class_name} beside its
 * class index. A classifier also gets, last, {@code probability} ({@code array<float>}, one per output as
 * {@code output} has: the class probabilities, {@link SavedModel#predictProbabilities}'s bits, so a
 * {@code Loss.binaryCrossEntropyFromLogits()} or {@code categoricalCrossEntropyFromLogits()} model's logits
 * through its backend's sigmoid or softmax and a sigmoid or softmax output's as they are, before a target
 * normaliser; for one sigmoid output the probability of class 1), as Spark ML's classifiers give
 * {@code probability} beside {@code rawPrediction} and {@code prediction}; it is made from the outputs
 * already computed, not by a second forward pass. As {@code prediction_name}, only
 * {@link #score(Dataset, SavedModel, RowFormat)} adds it, under that one name: the overloads that name the
 * columns keep exactly the two they name. To call it otherwise, rename it
 * ({@code withColumnRenamed("probability", name)}); to leave it out, name the columns
 * ({@code score(df, model, format, "output", "prediction")}). (An overload with a third column-name String
 * would be three positional Strings, easy to swap, for a column one rename names.) Lazy, like any Spark
 * transformation; a bad row (a feature cell that is
 * missing or not a finite number, a finite feature that the model's normaliser overflows, or features that give a NaN or infinite
 * output) fails the
 * action that evaluates it: Spark throws its {@code SparkException} ("Job aborted due to stage
 * failure"), whose cause chain holds an {@link IllegalArgumentException} naming the partition and the
 * row's position in it, and showing the row.
 */
public final class SparkScorer {
    /** Rows per predict call (the network's own chunk size). */
    public static final int BATCH = 256;
    /** Features per predict call at most: 16 MB, so that very wide rows (2^20 hashed features) score in smaller batches. */
    static final int CHUNK_FLOATS = 1 << 22;

    private SparkScorer() {}

    /** The prefix of a named output's column: {@code ./bpnn predict}'s ({@code PredictCommand.outputColumn}). */
    static final String PREDICTED = "predicted_";

    /**
     * The class name's column for a model saved with class names: named after the index column it names,
     * as {@code ./bpnn predict}'s {@code class_name} is after its {@code class}; this scorer's index
     * column is {@code prediction}.
     */
    static final String PREDICTION_NAME = "prediction_name";

    /**
     * The class probabilities' column of a classifier: Spark ML's name for it (its classifiers' default
     * {@code probabilityCol}, beside {@code rawPrediction} and {@code prediction}), as {@code ./bpnn predict}
     * heads a classifier's columns {@code probability_<class name>}.
     */
    static final String PROBABILITY = "probability";

    /**
     * {@code df} plus an "output" column and, for a classifier ({@link Network#outputsClasses}: a
     * classification loss, or a sigmoid or softmax output layer, as ./bpnn seed's network trained with mse),
     * a "prediction" column; a regression model's outputs are values, not class scores, so it gets none. A
     * model saved with target names gets a float column {@code predicted_<name>} per output instead of
     * "output" (the names {@code ./bpnn predict} heads its columns with), and "prediction" when its network
     * outputs classes (a sigmoid or softmax output trained with a regression loss); to keep the one array column
     * for such a model, name it: {@code score(df, model, format, "output", null)} (or "prediction"). A classifier saved
     * with class names ({@link SavedModel#withClassNames}) also gets a string column "prediction_name",
     * the name of the class in "prediction", as {@code ./bpnn predict} writes {@code class_name} beside
     * the index; {@code score(df, model, format, "output", "prediction")} leaves it out. Every classifier
     * (with or without either kind of names) also gets, after those, an array&lt;float&gt; column
     * "probability": its class probabilities, {@link SavedModel#predictProbabilities}'s bits on the same rows
     * (a logits model's outputs through its sigmoid or softmax; the network's own outputs, before a target
     * normaliser), Spark ML's classifiers' name for them; the overloads that name the columns leave it out
     * too, so {@code score(df, model, format, "output", "prediction")} keeps exactly output and prediction, and
     * {@code withColumnRenamed("probability", name)} names it otherwise.
     *
     * @throws IllegalArgumentException as {@link #score(Dataset, SavedModel, RowFormat, String, String)}
     *         (null arguments, clashing columns, feature columns the model was not trained on), and also when
     *         a {@code predicted_<name>}, "prediction_name" or "probability" column is already in {@code df},
     *         or two of them differ only in case (Spark compares names ignoring case)
     */
    public static Dataset<Row> score(Dataset<Row> df, SavedModel model, RowFormat format) {
        requireArguments(df, model == null ? "model is null; load one with ModelFile.load(path)" : null, format, "output");
        // Network.outputsClasses: a classification loss, or a sigmoid or softmax output trained with a regression
        // loss (which takes target names and still outputs classes: its prediction beside them, as ./bpnn predict
        // writes class beside predicted_<name>); its probability after the other columns (additive: a model
        // without names keeps output and prediction in their places)
        boolean classifier = model.network().outputsClasses();
        List<String> named = null;
        if (model.targetNames() != null) {
            // a predicted_ prefix, as predict's: the column holds estimates, not the targets, so it can sit beside
            // a labelled frame's own target column (price next to predicted_price) when checking the model
            named = new ArrayList<>(model.targetNames().size());
            for (String t : model.targetNames()) named.add(PREDICTED + t);
        }
        // class names only on a classifier and never with target names (the model refuses both)
        return score(df, bytes(model), model, format, named == null ? "output" : null, named,
                classifier ? "prediction" : null, model.classNames() != null ? PREDICTION_NAME : null,
                classifier ? PROBABILITY : null);
    }

    /**
     * {@code df} plus {@code outputColumn} (array&lt;float&gt;) and, unless {@code predictionColumn}
     * is null (it must be for a regression model: mse, mae or huber with an output layer that is neither sigmoid
     * nor softmax, {@link Network#outputsClasses}), the class
     * ({@link SavedModel#classesOf}: the arg-max, or probability 0.5 for one output, or the model's own threshold if it has one) as an
     * int column. The outputs are one array column under the name given, whatever the model's target names
     * (the caller named it; {@link #score(Dataset, SavedModel, RowFormat)} names them {@code predicted_<name>}).
     * Only the named columns are added: no "prediction_name", and no "probability" for a classifier
     * ({@link #score(Dataset, SavedModel, RowFormat)} adds both). The checks below run now, on the
     * schema and the model; the rows are read only when an action evaluates the result (see the class
     * comment for a bad row).
     *
     * @throws IllegalArgumentException when df, model or format is null, outputColumn is null or empty,
     *         predictionColumn is given for a model whose outputs are not classes, the two names are alike
     *         (ignoring case, as Spark compares them), either is already a column of {@code df}, the format's
     *         columns are missing or of the wrong type, or it names feature columns other than the model's
     *         feature names (in their order)
     */
    public static Dataset<Row> score(Dataset<Row> df, SavedModel model, RowFormat format, String outputColumn,
                                     String predictionColumn) {
        requireArguments(df, model == null ? "model is null; load one with ModelFile.load(path)" : null, format, outputColumn);
        return score(df, bytes(model), model, format, outputColumn, null, predictionColumn, null, null);
    }

    private static byte[] bytes(SavedModel model) {
        try {
            return ModelFile.toBytes(model);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the model: " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #score(Dataset, SavedModel, RowFormat, String, String)} from model file bytes (loaded on
     * the driver with the default limits to check them, and broadcast as they are).
     *
     * @throws IllegalArgumentException also when modelBytes is null or does not load as a model
     *         (the {@link org.bpnn.io.model.ModelFormatException} is the cause)
     */
    public static Dataset<Row> score(Dataset<Row> df, byte[] modelBytes, RowFormat format, String outputColumn,
                                     String predictionColumn) {
        requireArguments(df, modelBytes == null ? "model bytes are null; pass the content of a model file"
                + " (ModelFile.toBytes(model) or Files.readAllBytes(path)), or a SavedModel (ModelFile.load(path))" : null,
                format, outputColumn);
        SavedModel m;
        try {
            m = ModelFile.fromBytes(modelBytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("the model bytes do not load: " + e.getMessage(), e);
        }
        return score(df, modelBytes, m, format, outputColumn, null, predictionColumn, null, null);
    }

    /**
     * @param outputColumn  the one array column of the outputs, or null when {@code namedOutputs} is given
     * @param namedOutputs  one float column per output (a model's {@code predicted_<target name>}), or null
     * @param classNameColumn the string column of the predicted class's name (the model's class names), or null;
     *                        only with a prediction column
     * @param probabilityColumn the array column of the class probabilities ({@link SavedModel#predictProbabilities}'s),
     *                        or null; only for a classifier ({@link Network#outputsClasses})
     */
    private static Dataset<Row> score(Dataset<Row> df, byte[] bytes, SavedModel saved, RowFormat format,
                                      String outputColumn, List<String> namedOutputs, String predictionColumn,
                                      String classNameColumn, String probabilityColumn) {
        int inputSize = saved.network().inputSize();
        if (predictionColumn != null && !saved.network().outputsClasses()) {
            // Network.outputsClasses, the rule predictClasses and ./bpnn predict's class column follow: a sigmoid or
            // softmax output trained with mse (as ./bpnn seed's output layer is) has classes, whatever its loss
            Network net = saved.network();
            throw new IllegalArgumentException("the model's loss is " + net.loss().name() + " and its output layer applies "
                    + net.layers().get(net.layers().size() - 1).activation().name() + ": its outputs are values, not class"
                    + " scores, so there is no class for '" + predictionColumn + "'; pass null as the prediction column");
        }
        StructType in = df.schema();
        // Spark resolves column names case-insensitively by default: "OUTPUT" beside "output", or
        // the two new columns under one name, made every later select of it ambiguous
        if (outputColumn != null && outputColumn.equalsIgnoreCase(predictionColumn)) {
            throw new IllegalArgumentException("the output and prediction columns are both named '" + outputColumn
                    + "' (Spark compares names ignoring case); pass two different names");
        }
        for (String c : new String[] {outputColumn, predictionColumn}) {
            String clash = c == null ? null : dataColumnClash(in, c);
            if (clash != null) {
                throw new IllegalArgumentException(clash + "; pass another output or prediction column name");
            }
        }
        if (namedOutputs != null) {
            // the model's names are not the caller's to change here: say which target gave the column, and the ways out
            List<String> targets = saved.targetNames();
            String instead = "or score with score(df, model, format, \"output\", null) for the outputs in one array column";
            for (int j = 0; j < namedOutputs.size(); j++) {
                String c = namedOutputs.get(j);
                for (int i = 0; i < j; i++) {
                    // the model refuses a name given twice, but not two that differ only in case
                    if (c.equalsIgnoreCase(namedOutputs.get(i))) {
                        throw new IllegalArgumentException("the model's target names '" + targets.get(i) + "' and '"
                                + targets.get(j) + "' give the columns '" + namedOutputs.get(i) + "' and '" + c
                                + "', one column to Spark (it compares names ignoring case); save the model with target"
                                + " names that differ in more than case (withTargetNames), " + instead);
                    }
                }
                refuseDataColumn(in, c, "the column of the model's output " + j + " (target name '" + targets.get(j) + "')",
                        instead);
            }
        }
        if (classNameColumn != null) {
            // the model's column, as a predicted_<name> one: the caller's way out is the overload that names the columns
            refuseDataColumn(in, classNameColumn, "the column of the predicted class's name (the model's class names,"
                    + " withClassNames)", "or score with score(df, model, format, \"output\", \"prediction\") for the"
                    + " class index without its name");
        }
        if (probabilityColumn != null) {
            // the default form's column, as prediction_name: the way out is the overload that names the columns
            refuseDataColumn(in, probabilityColumn, "the column of the class probabilities (the model is a classifier)",
                    "or score with score(df, model, format, \"output\", \"prediction\") for the outputs and the class"
                    + " index without the probabilities");
        }
        List<String> names = saved.featureNames();
        List<String> columns = format.namedFeatureColumns();
        if (names != null && columns != null && !names.equals(columns)) {
            // the columns are fed in the format's order: another order (or other columns) than the
            // model was trained on is fed silently to the wrong inputs
            throw new IllegalArgumentException("the format takes the feature columns " + columns
                    + ", but the model was trained on " + names + " in that order; use"
                    + " RowFormat.featureColumns(model.featureNames().toArray(String[]::new))");
        }
        RowReader reader = format.reader(in, inputSize, 0, false);
        StructType out = in;
        if (namedOutputs == null) {
            out = out.add(outputColumn, DataTypes.createArrayType(DataTypes.FloatType, false), false);
        } else {
            for (String c : namedOutputs) out = out.add(c, DataTypes.FloatType, false);
        }
        boolean perOutput = namedOutputs != null;
        boolean argmax = predictionColumn != null;
        if (argmax) out = out.add(predictionColumn, DataTypes.IntegerType, false);
        boolean named = classNameColumn != null;
        if (named) out = out.add(classNameColumn, DataTypes.StringType, false);
        boolean probabilities = probabilityColumn != null;
        if (probabilities) out = out.add(probabilityColumn, DataTypes.createArrayType(DataTypes.FloatType, false), false);
        SparkSession spark = df.sparkSession();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<byte[]> model = jsc.broadcast(bytes);
        String id = UUID.randomUUID().toString();
        JavaRDD<Row> rows = df.javaRDD().mapPartitionsWithIndex(
                (p, it) -> new Scoring(p, it, Replicas.model(id, model.value()), reader, argmax, perOutput, named,
                        probabilities), true);
        return spark.createDataFrame(rows, out);
    }

    /**
     * Refuses a new column {@code c} that the data already has, ignoring case as Spark compares names.
     *
     * @param whose   what the column would hold ("the column of the model's output 1 (target name 'area')")
     * @param instead the way out besides renaming the data's column ("or score with ...")
     */
    private static void refuseDataColumn(StructType in, String c, String whose, String instead) {
        String clash = dataColumnClash(in, c);
        if (clash != null) {
            throw new IllegalArgumentException(clash + ", " + whose + "; rename or drop the data's column"
                    + " (df.withColumnRenamed), " + instead);
        }
    }

    /**
     * The start of the refusal of a new column {@code c} that the data already has, ignoring case as Spark
     * compares names ("the data already has a column 'Output' (Spark compares ...)"), or null: no clash.
     */
    private static String dataColumnClash(StructType in, String c) {
        for (String have : in.fieldNames()) {
            if (c.equalsIgnoreCase(have)) {
                return "the data already has a column '" + have + "'" + (have.equals(c) ? ""
                        : " (Spark compares names ignoring case, so '" + c + "' would clash)");
            }
        }
        return null;
    }

    /**
     * Each missing argument named on its own, in the arguments' order, with what to pass: the style of
     * {@code Trainer.fit} and {@link SparkTrainer#fit} ("train data is null; ..."). One message for a null frame
     * or format, "data frame and format are required, got null and RowFormat[...]", would name neither; and a
     * null frame is reported before a null model, as the arguments come. Checked before the model is encoded.
     *
     * @param modelProblem the model argument's message when it is null, else null
     */
    private static void requireArguments(Dataset<Row> df, String modelProblem, RowFormat format, String outputColumn) {
        if (df == null) {
            throw new IllegalArgumentException("data frame is null; pass the Dataset<Row> whose rows to score");
        }
        if (modelProblem != null) {
            throw new IllegalArgumentException(modelProblem);
        }
        RowFormat.requireFormat(format, false);
        if (outputColumn == null || outputColumn.isEmpty()) {
            throw new IllegalArgumentException("output column name is " + (outputColumn == null ? "null" : "empty")
                    + "; pass the name of the column to add for the outputs, e.g. \"output\" (as score(df, model, format) does)");
        }
    }

    /**
     * Rows per predict call for f features and k outputs: {@link #BATCH}, fewer when a chunk's features or
     * its outputs (m x k, allocated by predict) would exceed {@link #CHUNK_FLOATS}, and at least one. Sized
     * by the features only, a model of 2^23 or more outputs would get 256-row chunks whose outputs exceed a Java
     * array (256 x 2^23 = 2^31), and every chunk would fail in Tensor.zeros with nothing the caller could change.
     */
    static int chunkRows(int featureCount, int outputCount) {
        return Math.max(1, Math.min(BATCH, CHUNK_FLOATS / Math.max(1, Math.max(featureCount, outputCount))));
    }

    /** Predicts a partition BATCH rows (fewer for wide rows) at a time, lazily. */
    private static final class Scoring implements Iterator<Row> {
        private final int partition;
        private final Iterator<Row> in;
        private final SavedModel model;
        private final RowReader reader;
        private final boolean argmax;
        /** One float column per output (a model's named outputs) instead of one array column. */
        private final boolean perOutput;
        /** The model's class names, for a column of the predicted class's name after the class; else null. */
        private final List<String> classNames;
        private final int f;
        private final int k;
        /** The chunk's classes (SavedModel.classesOf: the argmax, probability 0.5 for one output, or the model's threshold), when argmax. */
        private int[] classes;
        /** An array column of the class probabilities after the other new columns (a classifier's). */
        private final boolean probabilities;
        /**
         * The chunk's class probabilities, when probabilities: the network's own outputs (before a target
         * normaliser) through Network.logitsToProbabilities. Reused from chunk to chunk of the same row count
         * (a partition's full chunks; its last, shorter one gets its own).
         */
        private Tensor probs;
        /** Rows per predict call. */
        private final int chunk;
        private final List<Row> pending;
        private final float[] x;
        private Tensor outputs;
        private int next;
        private long seen;

        Scoring(int partition, Iterator<Row> in, SavedModel model, RowReader reader, boolean argmax, boolean perOutput,
                boolean named, boolean probabilities) {
            this.partition = partition;
            this.in = in;
            this.model = model;
            this.reader = reader;
            this.argmax = argmax;
            this.perOutput = perOutput;
            this.classNames = named ? model.classNames() : null;
            this.probabilities = probabilities;
            this.f = reader.featureCount();
            this.k = model.network().outputSize();
            this.chunk = chunkRows(f, k);
            this.pending = new ArrayList<>(chunk);
            this.x = new float[chunk * f];
        }

        @Override
        public boolean hasNext() {
            if (next < pending.size()) return true;
            fill();
            return next < pending.size();
        }

        private void fill() {
            pending.clear();
            next = 0;
            while (pending.size() < chunk && in.hasNext()) {
                Row r = in.next();
                reader.features(r, x, pending.size() * f, partition, seen);
                seen++;
                pending.add(r);
            }
            if (pending.isEmpty()) return;
            int m = pending.size();
            float[] data = m == chunk ? x : java.util.Arrays.copyOf(x, m * f);
            Normaliser targets = model.targetNormaliser();
            try {
                Tensor x = Tensor.wrap(m, f, data);
                if ((argmax || probabilities) && targets != null) {
                    // SavedModel.predict's steps, the classes read between them: from the network's own outputs
                    // (SavedModel.classesOf's contract, as its predictClasses), not from them in the targets' units;
                    // only a sigmoid or softmax output trained with a regression loss has both
                    outputs = model.network().predict(model.normaliser() == null ? x : model.normaliser().apply(x));
                    requireFinite(m);
                    if (argmax) classes = model.classesOf(outputs);
                    if (probabilities) probabilities(m); // as SavedModel.predictProbabilities: no target normaliser
                    // no second scan after it: requireFinite above left the outputs finite, and the inverse writes a
                    // finite value for a finite one or throws (InverseOverflowException, caught below)
                    targets.inverseInPlace(outputs);
                } else {
                    outputs = model.predict(x);
                    requireFinite(m); // in the targets' units, where there is a target normaliser: the value returned
                    if (argmax) {
                        classes = model.classesOf(outputs); // at the model's threshold when it was saved with one
                    }
                    if (probabilities) probabilities(m); // the network's own outputs: no target normaliser here
                }
            } catch (Normaliser.InverseOverflowException e) {
                // its row is the row's place in this chunk: name the row in the partition instead (the
                // target normaliser maps the outputs back into the targets' units; caught before its
                // superclass, the input normaliser's overflow)
                Normaliser n = model.targetNormaliser();
                int j = e.feature();
                throw RowReader.bad(pending.get(e.row()), new RowReader.Where(partition, seen - m + e.row()), "the model's output "
                        + j + " is " + e.input() + ", which its target normaliser turns into " + e.result() + " (" + e.input()
                        + " * " + n.scale()[j] + " + " + n.center()[j] + " overflows float): a prediction far outside the "
                        + "targets the model was trained on; check the input's units, or retrain");
            } catch (Normaliser.OverflowException e) {
                // the same for the input normaliser
                Normaliser n = model.normaliser();
                int j = e.feature();
                throw RowReader.bad(pending.get(e.row()), new RowReader.Where(partition, seen - m + e.row()), "feature " + j
                        + " is " + e.input() + ", which the model's normaliser turns into "
                        + e.result() + " ((x - " + n.center()[j] + ") / "
                        + n.scale()[j] + " overflows float); check the input's units, or refit the normaliser and save the model again");
            }
        }

        /**
         * The m rows' class probabilities into probs, from the network's own outputs (before a target normaliser):
         * SavedModel.predictProbabilities' own step on the outputs already made, no second forward pass. A logits
         * model's go through its backend's sigmoid or softmax, a sigmoid or softmax output's are copied as they are;
         * finite outputs (requireFinite ran) give finite probabilities (the softmax subtracts the row's maximum).
         */
        private void probabilities(int m) {
            if (probs == null || probs.rows() != m) probs = Tensor.zeros(m, k);
            System.arraycopy(outputs.data(), 0, probs.data(), 0, m * k);
            model.network().logitsToProbabilities(probs);
        }

        /** Refuses a NaN or infinite output of this chunk's m rows, naming its row: it would look like a result. */
        private void requireFinite(int m) {
            // finite features can still overflow inside the network
            int bad = outputs.firstNonFinite();
            if (bad >= 0) {
                int i = bad / k;
                throw RowReader.bad(pending.get(i), new RowReader.Where(partition, seen - m + i), "the model's output " + bad % k
                        + " is " + outputs.data()[bad] + " for these finite features (an overflow inside the network); "
                        + "normalise the inputs (a Normaliser saved with the model) or check their units");
            }
        }

        @Override
        public Row next() {
            if (!hasNext()) throw new NoSuchElementException();
            int i = next++;
            Row r = pending.get(i);
            int added = perOutput ? k : 1;
            int at = r.size() + added + (argmax ? 1 : 0) + (classNames != null ? 1 : 0); // the probabilities' place
            Object[] values = new Object[at + (probabilities ? 1 : 0)];
            for (int c = 0; c < r.size(); c++) values[c] = r.get(c);
            if (perOutput) {
                float[] d = outputs.data();
                for (int j = 0; j < k; j++) values[r.size() + j] = d[i * k + j];
            } else {
                values[r.size()] = java.util.Arrays.copyOfRange(outputs.data(), i * k, (i + 1) * k);
            }
            if (argmax) {
                values[r.size() + added] = classes[i];
            }
            if (classNames != null) {
                values[r.size() + added + 1] = classNames.get(classes[i]); // the class the prediction column holds
            }
            if (probabilities) {
                values[at] = java.util.Arrays.copyOfRange(probs.data(), i * k, (i + 1) * k); // the row's own, as output's
            }
            return RowFactory.create(values);
        }
    }
}
