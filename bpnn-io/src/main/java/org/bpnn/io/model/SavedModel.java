package org.bpnn.io.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bpnn.io.internal.Counts;
import org.bpnn.io.internal.KeptQuotes;
import org.bpnn.data.Normaliser;
import org.bpnn.nn.Network;
import org.bpnn.nn.OutputClass;
import org.bpnn.tensor.Tensor;

/**
 * Everything a model file holds: the network (architecture and weights), the input normaliser
 * fitted on its training data (optional), metadata, and for a regression trained on normalised
 * targets the target normaliser (optional), whose inverse {@link #predict} applies. This is
 * what {@link ModelFile#load} returns and what {@link ModelFile#save(SavedModel, java.nio.file.Path)}
 * writes.
 *
 * <p><b>Serving.</b> Every predict here is thread-safe and independent of the file once loaded. With a
 * normaliser each call copies its input and allocates its result (a few hundred bytes for one sample).
 * A request thread that must not allocate keeps its own x: (rows, inputSize) and out: (rows,
 * outputSize) tensors, copies each request into x, then calls {@code normaliser().applyInPlace(x)}
 * (when there is one), {@code network().predict(x, out)} and {@code targetNormaliser().inverseInPlace(out)}
 * (when there is one): the same bits as {@link #predict(Tensor)}, allocating nothing after the thread's
 * first request of that size (on the simd backend, once the JIT has compiled its kernels: see
 * {@link Network}'s Threads paragraph). For one sample, the arrays under (1, n) tensors (kept as
 * {@code Tensor.wrap(1, n, array)}) may go to {@code network().predict(float[], float[])} instead: the
 * bits of {@link #predict(float...)}. A model without either normaliser needs no tensor: the network's
 * {@code predict(request, out)}, or {@code predictClass(request)} for a classifier's class ({@code predictClass(request, threshold())}
 * for a model with a {@link #threshold}).
 *
 * @param network    the network, held as it is (not copied: training it on changes this model's
 *                   predictions); a model file holds only built-in layers, activations and losses and
 *                   finite weights, which {@link ModelFile#save(SavedModel, java.nio.file.Path)} checks
 * @param normaliser the map applied to raw inputs before the network, or null when inputs go in as
 *                   they are; its feature count must be the network's input size
 * @param metadata   where the network came from (null: {@link ModelMetadata#of} at construction, with an
 *                   empty training summary);
 *                   its seed must be the network's seed
 * @param targetNormaliser the map the training targets went through (a regression on normalised
 *                   targets), or null; {@link #predict} undoes it, so predictions come out in the
 *                   targets' own units; its feature count must be the network's output size, and
 *                   the network's loss a regression loss (not {@link org.bpnn.loss.Loss#classification})
 * @param featureNames the name of each input, in the network's input order (e.g. a CSV header's
 *                   feature columns, {@code CsvData.featureNames()}), or null; {@code ./bpnn predict}
 *                   then takes a CSV's columns by these names, in any order. As many as the network
 *                   has inputs, none empty, with surrounding whitespace or quoted ({@code "b"}), no two alike (see {@link #withFeatureNames})
 * @param classNames the name of each class, in class-index order, for a classifier
 *                   ({@link Network#outputsClasses}: a {@link org.bpnn.loss.Loss#classification} loss, or a sigmoid
 *                   or softmax output layer, as an mse network with a sigmoid output), or null: {@code ./bpnn predict}
 *                   then writes each sample's class name beside its index. As many as the classes
 *                   ({@link #classCount}), none empty, with surrounding whitespace or quoted, no two alike (see
 *                   {@link #withClassNames})
 * @param targetNames the name of each output, in output order, for a regression model (an mse, mae
 *                   or huber loss: a classifier's outputs are named by its class names), or null:
 *                   e.g. a CSV header's target columns ({@code CsvData.targetNames()}); {@code ./bpnn
 *                   predict} then heads each output's column {@code predicted_<name>} instead of
 *                   {@code output<j>}. As many as the network has outputs, under the feature names'
 *                   rules (see {@link #withTargetNames}); not beside class names (a sigmoid or softmax output trained
 *                   with a regression loss takes either, naming its outputs as classes or as values)
 * @param threshold  for a two-class model, with one sigmoid output (a sigmoid output layer, or a binary
 *                   cross-entropy on logits) or two softmax outputs (a softmax output layer, or a
 *                   categorical cross-entropy on logits; {@code ./bpnn train} saves two classes so; column
 *                   1 is the probability of class 1: {@link OutputClass#takesThreshold}), the probability of class 1
 *                   from which a sample is class 1, strictly between 0 and 1, or null for the default
 *                   rule (0.5 for one output, the argmax of two; see {@link Network#predictClasses(Tensor)}): an operating
 *                   point chosen after training, e.g. a low one for a rare class (see
 *                   {@link #withThreshold}). {@link #predictClasses} and {@link #classesOf}, and so
 *                   {@code ./bpnn predict}'s {@code class} column, use it
 * @param csvDialect the delimiter and decimal separator of the CSV the model was trained on (see
 *                   {@link #withCsvDialect}), or null for the default ({@link CsvDialect#DEFAULT}: ',' and '.',
 *                   or none recorded); {@code ./bpnn predict} reads a CSV with it unless its flags say otherwise.
 *                   The default given is kept as null: a model file holds a dialect only when it is not the default
 */
public record SavedModel(Network network, Normaliser normaliser, ModelMetadata metadata, Normaliser targetNormaliser,
                         List<String> featureNames, List<String> classNames, List<String> targetNames, Float threshold,
                         CsvDialect csvDialect) {

    /** A model without a saved CSV dialect (read with the default one, ',' and '.'). */
    public SavedModel(Network network, Normaliser normaliser, ModelMetadata metadata, Normaliser targetNormaliser,
                      List<String> featureNames, List<String> classNames, List<String> targetNames, Float threshold) {
        this(network, normaliser, metadata, targetNormaliser, featureNames, classNames, targetNames, threshold, null);
    }

    /** A model without a chosen threshold (its classes, if any, by the default rule). */
    public SavedModel(Network network, Normaliser normaliser, ModelMetadata metadata, Normaliser targetNormaliser,
                      List<String> featureNames, List<String> classNames, List<String> targetNames) {
        this(network, normaliser, metadata, targetNormaliser, featureNames, classNames, targetNames, null);
    }

    /** A model without target names (a classifier, or a regression whose outputs are unnamed). */
    public SavedModel(Network network, Normaliser normaliser, ModelMetadata metadata, Normaliser targetNormaliser,
                      List<String> featureNames, List<String> classNames) {
        this(network, normaliser, metadata, targetNormaliser, featureNames, classNames, null);
    }

    /** A model without class or target names. */
    public SavedModel(Network network, Normaliser normaliser, ModelMetadata metadata, Normaliser targetNormaliser,
                      List<String> featureNames) {
        this(network, normaliser, metadata, targetNormaliser, featureNames, null, null);
    }

    /** A model without feature or class names. */
    public SavedModel(Network network, Normaliser normaliser, ModelMetadata metadata, Normaliser targetNormaliser) {
        this(network, normaliser, metadata, targetNormaliser, null, null, null);
    }

    /** A model without a target normaliser or names. */
    public SavedModel(Network network, Normaliser normaliser, ModelMetadata metadata) {
        this(network, normaliser, metadata, null, null, null, null);
    }

    /**
     * A model of these parts, checked together; the name lists are copied.
     *
     * @throws IllegalArgumentException when network is null, a normaliser's feature count is not the
     *         network's input (output) size, a target normaliser or target names come with a classification
     *         loss, class names with a network that does not output classes or beside target names, a name
     *         list breaks {@link #withFeatureNames}'s rules, the threshold is refused as by
     *         {@link #withThreshold}, or the metadata's seed is not the network's
     */
    public SavedModel {
        if (network == null) {
            throw new IllegalArgumentException("network is null; pass the trained Network to save");
        }
        if (normaliser != null && normaliser.featureCount() != network.inputSize()) {
            throw new IllegalArgumentException("the normaliser was fitted on " + Counts.of(normaliser.featureCount(), "feature")
                    + " but the network takes " + Counts.of(network.inputSize(), "input") + "; pass the normaliser fitted on"
                    + " the training features the network was trained on, e.g. Normaliser.standardise(train.features())");
        }
        if (targetNormaliser != null && targetNormaliser.featureCount() != network.outputSize()) {
            throw new IllegalArgumentException("the target normaliser was fitted on " + Counts.of(targetNormaliser.featureCount(), "target column")
                    + " but the network has " + Counts.of(network.outputSize(), "output") + "; fit it on the training targets,"
                    + " Normaliser.standardise(train.targets()) (standardise(train) fits the features)");
        }
        if (targetNormaliser != null && network.loss().classification()) {
            throw new IllegalArgumentException(classTargets(network.loss().name()));
        }
        if (featureNames != null) {
            featureNames = checkedNames(featureNames, network.inputSize());
        }
        if (targetNames != null) {
            if (network.loss().classification()) {
                throw new IllegalArgumentException(classificationTargets(network.loss().name()));
            }
            targetNames = checkedTargetNames(targetNames, network.outputSize());
        }
        if (classNames != null) {
            // the outputs are classes when the network says so (Network.outputsClasses: a classification loss, or
            // a sigmoid or softmax output layer, as ./bpnn seed's network trained with mse), the rule predictClasses
            // and a threshold follow: the loss alone would refuse names for a model whose classes the library gives
            if (!network.outputsClasses()) {
                throw new IllegalArgumentException(regressionClasses(network));
            }
            if (targetNames != null) {
                // possible only for a sigmoid or softmax output trained with a regression loss (a classification loss
                // refuses target names): its outputs are named once, as classes or as values, not both ways
                throw new IllegalArgumentException(classAndTargetNames(network));
            }
            classNames = checkedClassNames(classNames, classCount(network.outputSize()));
        }
        if (threshold != null) {
            String problem = thresholdProblem(network, threshold);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
        if (csvDialect != null && csvDialect.isDefault()) {
            // one model for one file: the file holds no dialect for the default (so that older readers, which
            // refuse a field they do not know, still read such a model), and reads back null
            csvDialect = null;
        }
        if (metadata == null) {
            metadata = ModelMetadata.of(network, Map.of());
        }
        if (metadata.seed() != network.seed()) {
            throw new IllegalArgumentException("metadata says seed " + metadata.seed() + " but the network was built with seed "
                    + network.seed() + "; use ModelMetadata.of(network, training)");
        }
    }

    /**
     * Why a classification loss refuses a target normaliser: its targets are one-hot classes, not values
     * in units to map back, and predictClasses (the raw outputs) and the CLI and SparkScorer (the mapped
     * ones) would have read classes from different numbers.
     */
    static String classTargets(String loss) {
        return "a target normaliser was given, but the network's loss (" + loss + ") is a classification"
                + " loss, whose targets are classes, not values to map back into units; save the model without one"
                + " (pass null), or train a regression loss (mse, mae, huber) on the normalised targets";
    }

    /**
     * This model with the names of its inputs, in the network's input order: e.g. {@code
     * csv.featureNames()} of the {@code CsvData} it was trained on. Saved with it, they let
     * {@code ./bpnn predict} take a CSV's columns by name, so a file whose columns come in another
     * order (or with more columns) is still fed right; without them its columns are taken in order.
     *
     * @throws IllegalArgumentException when there are not as many names as inputs, or one is null,
     *         empty, has surrounding whitespace (CSV header names are read trimmed), kept its CSV quotes (starts and
     *         ends with {@code "}, as CsvReader refuses in a header) or is given twice
     */
    public SavedModel withFeatureNames(List<String> names) {
        if (names == null) {
            throw new IllegalArgumentException("names is null; pass one name per input, e.g. csv.featureNames()");
        }
        return new SavedModel(network, normaliser, metadata, targetNormaliser, names, classNames, targetNames, threshold, csvDialect);
    }

    /**
     * This classifier with the names of its classes, in class-index order (e.g. {@code
     * csv.classNames()}): {@code ./bpnn predict} then writes each sample's class name beside its index.
     *
     * @throws IllegalArgumentException when the network is a regression ({@link Network#outputsClasses} false:
     *         a regression loss and an output layer that is neither sigmoid nor softmax), the model has target
     *         names, there are not as many names as classes (the outputs; 2 for a one-output model), or one is null, empty, padded with
     *         whitespace, kept its CSV quotes (starts and ends with {@code "}) or is given twice
     */
    public SavedModel withClassNames(List<String> names) {
        if (names == null) {
            throw new IllegalArgumentException("names is null; pass one name per class, e.g. csv.classNames()");
        }
        return new SavedModel(network, normaliser, metadata, targetNormaliser, featureNames, names, targetNames, threshold, csvDialect);
    }

    /**
     * This regression model with the names of its outputs, in output order: e.g. {@code
     * csv.targetNames()} of the {@code CsvData} it was trained on (its numeric target columns).
     * {@code ./bpnn predict} then heads each output's column {@code predicted_<name>} (for a target
     * {@code price}, {@code predicted_price}) instead of {@code output<j>}.
     *
     * @throws IllegalArgumentException when the loss is a classification loss (a classifier's outputs
     *         are named by {@link #withClassNames}), the model has class names (a sigmoid or softmax output trained
     *         with a regression loss takes one or the other), there are not as many names as outputs, or one is
     *         null, empty, has surrounding whitespace, kept its CSV quotes (starts and ends with
     *         {@code "}) or is given twice
     */
    public SavedModel withTargetNames(List<String> names) {
        if (names == null) {
            throw new IllegalArgumentException("names is null; pass one name per output, e.g. csv.targetNames()");
        }
        return new SavedModel(network, normaliser, metadata, targetNormaliser, featureNames, classNames, names, threshold, csvDialect);
    }

    /**
     * This two-class model with a chosen threshold: a sample is class 1 where its probability of class
     * 1 is at least {@code threshold} ({@link Network#predictClasses(Tensor, float)}'s rule: the one
     * output's probability, or column 1 of two softmax outputs; a logits model's probability is the
     * float sigmoid or softmax of its outputs, as the trainer's metrics read it). Saved with the model, so
     * {@link #predictClasses}, {@link #classesOf} and {@code ./bpnn predict}'s {@code class} column
     * use it instead of the default rule (0.5 for one output, the argmax of two; with two, a chosen 0.5
     * calls a tie p0 == p1 class 1 where the argmax calls it 0): e.g. a threshold near a rare class's
     * rate for a model trained without class weights, or an operating point read off a validation set's
     * precision and recall ({@code Metrics.precisionRecallCurve}, whose score of two columns is column 1).
     *
     * @throws IllegalArgumentException when the network takes no threshold ({@link OutputClass#thresholdRefusal}:
     *         a regression's values, more than two outputs (its class is the argmax, which one threshold
     *         does not move), two that are not a softmax (e.g. two sigmoid outputs: independent scores),
     *         or one that is no probability), or threshold is NaN or not strictly between 0 and 1
     */
    public SavedModel withThreshold(float threshold) {
        return new SavedModel(network, normaliser, metadata, targetNormaliser, featureNames, classNames, targetNames, threshold, csvDialect);
    }

    /**
     * This model with the CSV dialect it was trained on: the delimiter and decimal separator its training
     * CSV was read with (e.g. {@code new CsvDialect(';', ',')} for a European export, {@code 1,5;2,25}).
     * Saved with the model, it is what {@code ./bpnn predict} reads a CSV with when its {@code --delimiter}
     * and {@code --decimal-separator} are not given. {@link CsvDialect#DEFAULT} (',' and '.') is kept as
     * none ({@link #csvDialect()} null), and a model file holds the field only for another dialect, so that
     * a default-dialect model stays readable by a bpnn from before the field.
     *
     * @throws IllegalArgumentException when dialect is null (pass {@link CsvDialect#DEFAULT} for the default)
     */
    public SavedModel withCsvDialect(CsvDialect dialect) {
        if (dialect == null) {
            throw new IllegalArgumentException("dialect is null; pass the CSV dialect the model was trained on, e.g. new"
                    + " CsvDialect(';', ','), or CsvDialect.DEFAULT for ',' and '.'");
        }
        return new SavedModel(network, normaliser, metadata, targetNormaliser, featureNames, classNames, targetNames, threshold,
                dialect);
    }

    /**
     * Whether a decision threshold applies to the network ({@link #withThreshold} takes one):
     * {@link OutputClass#takesThreshold}, the rule {@link Network#predictClasses(Tensor, float)} follows
     * too: one sigmoid output (a sigmoid output layer, or a binary cross-entropy on logits) or two softmax
     * outputs (a softmax output layer, or a categorical cross-entropy on logits, as {@code ./bpnn train}
     * saves two-class models).
     */
    public static boolean takesThreshold(Network network) {
        return OutputClass.takesThreshold(network);
    }

    /**
     * What is wrong with a threshold for this network, or null: the model reader says it too, naming
     * the field, once it has built the network. Which networks take one is {@link OutputClass#thresholdRefusal}'s
     * rule, the one {@link Network#predictClasses(Tensor, float)} applies, so a model saves and loads
     * exactly the thresholds its network accepts.
     */
    static String thresholdProblem(Network network, float threshold) {
        String refusal = OutputClass.thresholdRefusal(network);
        if (refusal != null) {
            return "a threshold was given, but " + refusal + ": save the model without one";
        }
        if (!(threshold > 0f && threshold < 1f)) { // NaN fails both
            return "threshold is " + threshold + "; expected a probability strictly between 0 and 1 (class 1 where the"
                    + " probability of class 1 is at least it; without one, 0.5 for one output, the argmax of two)";
        }
        return null;
    }

    /** The number of classes a classifier tells apart: its outputs, or 2 for one output (a threshold). */
    public static int classCount(Network network) {
        return classCount(network.outputSize());
    }

    static int classCount(int outputs) {
        return org.bpnn.metrics.Metrics.classCount(outputs);
    }

    /**
     * Why a regression network ({@link Network#outputsClasses} false: a regression loss and an output layer
     * that is neither sigmoid nor softmax) refuses class names (the model reader says it too, naming the field).
     */
    static String regressionClasses(Network network) {
        return "class names were given, but the network's loss is " + network.loss().name() + " and its output layer"
                + " applies " + outputActivation(network) + ", so its outputs are values (a regression), not classes;"
                + " save the model without them (a classifier has a classification loss, or a sigmoid or softmax output layer)";
    }

    /** Why a model refuses class names beside target names (the model reader says it too, naming the field). */
    static String classAndTargetNames(Network network) {
        return "class names were given beside target names; the network (loss " + network.loss().name() + ", output layer "
                + outputActivation(network) + ") outputs classes, which its class names name, so save the model with"
                + " one or the other: class names for its classes (predict's class_name), or target names for its outputs"
                + " as values";
    }

    private static String outputActivation(Network network) {
        return network.layers().get(network.layers().size() - 1).activation().name();
    }

    /**
     * Why a classification loss refuses target names (the model reader says it too, naming the field):
     * its outputs are classes, which class names name, and predict heads their probabilities {@code probability_<class name>}
     * beside the class.
     */
    static String classificationTargets(String loss) {
        return "target names were given, but the network's loss (" + loss + ") is a classification loss, whose outputs"
                + " are classes; name them with withClassNames (e.g. csv.classNames()), or save the model without target names";
    }

    /** What a list of names names: the words its refusals use. */
    private enum Kind {
        FEATURE("feature", "inputs "),
        CLASS("class", "classes "),
        TARGET("target", "outputs ");

        /** The name's kind ("feature name 2 is empty"). */
        final String what;
        /** What two alike are given for ("for inputs 0 and 2"). */
        final String many;

        Kind(String what, String many) {
            this.what = what;
            this.many = many;
        }
    }

    /** The names as an unmodifiable copy, or IllegalArgumentException saying which one is wrong. */
    static List<String> checkedNames(List<String> names, int inputs) {
        return checkedNames(names, inputs, Kind.FEATURE);
    }

    /** The class names check for the model reader, which knows the loss and the outputs before the network. */
    static List<String> checkedClassNames(List<String> names, int classes) {
        return checkedNames(names, classes, Kind.CLASS);
    }

    /** The target names check for the model reader, which knows the outputs before the network. */
    static List<String> checkedTargetNames(List<String> names, int outputs) {
        return checkedNames(names, outputs, Kind.TARGET);
    }

    private static List<String> checkedNames(List<String> names, int count, Kind kind) {
        String what = kind.what;
        if (names.size() != count) {
            String given = Counts.of(names.size(), what + " name") + (names.size() == 1 ? " was" : " were") + " given, but the network ";
            throw new IllegalArgumentException(switch (kind) {
                case FEATURE -> given + "takes " + Counts.of(count, "input") + "; give one name"
                        + " per input, in the order of the training data's columns";
                case CLASS -> given + "tells " + count + " classes apart; give one"
                        + " name per class, in class-index order (e.g. csv.classNames())";
                case TARGET -> given + "has " + Counts.of(count, "output") + "; give one name per output, in the order"
                        + " of the training data's target columns (e.g. csv.targetNames())";
            });
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (n == null || n.isBlank()) {
                throw new IllegalArgumentException(what + " name " + i + " is " + (n == null ? "null" : "empty") + switch (kind) {
                    case FEATURE -> "; every input needs a name (a CSV column's header)";
                    case CLASS -> "; every class needs a name";
                    case TARGET -> "; every output needs a name (a CSV target column's header)";
                });
            }
            String stripped = n.strip();
            // before the whitespace check: for " \"b\"" it would advise "\"b\"", refused next
            if (KeptQuotes.kept(stripped, '"')) {
                // CsvReader refuses such a header name or class: a model given one would take no CSV column by it
                // (a plain b header does not match), and predict would write the quotes beside each class index
                throw new IllegalArgumentException(what + " name " + i + " " + stripped + KeptQuotes.refusal(null)
                        + " in the CSV " + (kind == Kind.CLASS ? "label column" : "header") + ", or pass the name without them: \""
                        + stripped.substring(1, stripped.length() - 1).strip() + "\"");
            }
            if (!n.equals(stripped)) {
                throw new IllegalArgumentException(what + " name " + i + " \"" + n + "\" has surrounding whitespace; CSV" + switch (kind) {
                    case FEATURE -> " header names are read trimmed, so it would match no column";
                    case CLASS -> " labels are read trimmed";
                    case TARGET -> " header names are read trimmed";
                } + ": pass \"" + n.strip() + "\"");
            }
            Integer before = seen.put(n, i);
            if (before != null) {
                throw new IllegalArgumentException(what + " name \"" + n + "\" is given for " + kind.many + before + " and " + i
                        + switch (kind) {
                            case FEATURE -> "; names select CSV columns, so each must be unique";
                            case CLASS -> "; each class needs its own name";
                            // predict heads a column with each: two alike would give a CSV two columns of one name
                            case TARGET -> "; each output needs its own name (predict heads a column with each)";
                        });
            }
        }
        return List.copyOf(names);
    }

    /** A model with metadata describing {@code network} at this call and an empty training summary. */
    public static SavedModel of(Network network) {
        return new SavedModel(network, null, null);
    }

    /** A model with metadata describing {@code network} at this call and the given training summary (may be null). */
    public static SavedModel of(Network network, Map<String, ?> training) {
        return new SavedModel(network, null, ModelMetadata.of(network, training));
    }

    /** A model whose raw inputs go through {@code normaliser} first, with a training summary (may be null). */
    public static SavedModel of(Network network, Normaliser normaliser, Map<String, ?> training) {
        return new SavedModel(network, normaliser, ModelMetadata.of(network, training));
    }

    /**
     * A regression model on normalised targets: {@code targetNormaliser} (fitted on the training
     * targets, and applied to them for training) is saved with the model, and {@link #predict} maps
     * the outputs back into the targets' units.
     */
    public static SavedModel of(Network network, Normaliser normaliser, Normaliser targetNormaliser, Map<String, ?> training) {
        return new SavedModel(network, normaliser, ModelMetadata.of(network, training), targetNormaliser);
    }

    /**
     * The output for one raw sample x: (inputSize), normalised first when there is a normaliser, in
     * the targets' units when there is a target normaliser. Thread-safe.
     */
    public float[] predict(float... x) {
        // A null or wrong-length request goes to the network, whose own single-sample check refuses it
        // before it reads or allocates anything: normalised first, it would be cloned before it is refused (a
        // whole file's values in one array) and an empty one be "tensor shape must be positive"; and a service
        // sees one message whether its model has a normaliser or not
        if (normaliser == null && targetNormaliser == null || x == null || x.length != network.inputSize()) {
            return network.predict(x);
        }
        return predict(Tensor.wrap(1, x.length, x.clone())).data();
    }

    /**
     * x through the normaliser, if any, checked first as the network checks it (the normaliser's own
     * message told the caller to normalise the data, which the model does itself).
     */
    private Tensor normalised(Tensor x) {
        if (normaliser == null) {
            return x;
        }
        int in = network.inputSize();
        if (x == null) {
            throw new IllegalArgumentException("x is null; expected a tensor of shape (batch, " + in + ")");
        }
        if (x.cols() != in) {
            throw new IllegalArgumentException("x has shape " + x.shape() + ", expected (batch, " + in
                    + "): the network's first layer takes " + Counts.of(in, "feature") + " per sample");
        }
        return normaliser.apply(x);
    }

    /**
     * The outputs (batch, outputSize) for raw inputs x: (batch, inputSize), normalised first when there
     * is a normaliser; with a target normaliser, mapped back into the targets' units
     * ({@link Normaliser#inverseInPlace}). Thread-safe. An x of another width is an IllegalArgumentException,
     * and so is a finite input the normaliser, or a finite output the target normaliser's inverse,
     * overflows to infinity (naming its row and feature).
     */
    public Tensor predict(Tensor x) {
        Tensor out = network.predict(normalised(x));
        if (targetNormaliser != null) {
            targetNormaliser.inverseInPlace(out); // out is this call's own: no need for inverse's copy
        }
        return out;
    }

    /**
     * The class of each raw sample x: (batch, inputSize), normalised first when there is a normaliser;
     * see {@link Network#predictClasses} (argmax, or probability 0.5 for one output; a regression network
     * is refused), of the network's outputs (a target normaliser is not applied), at the model's
     * {@link #threshold} when it has one ({@link Network#predictClasses(Tensor, float)}). Thread-safe.
     */
    public int[] predictClasses(Tensor x) {
        return classesOf(network.predict(normalised(x)));
    }

    /**
     * The classes of outputs this model's network produced ({@code network().predict} of normalised
     * inputs), by {@link #predictClasses}'s rule: at the model's threshold when it has one, else
     * {@link Network#classesOf(Tensor)}'s. For callers that keep the outputs too (a predictions file
     * with both); refuses what {@link Network#classesOf(Tensor)} refuses.
     */
    public int[] classesOf(Tensor outputs) {
        return threshold == null ? network.classesOf(outputs) : network.classesOf(outputs, threshold);
    }

    /**
     * The class probabilities for raw samples x: (batch, inputSize), normalised first when there is a
     * normaliser; see {@link Network#predictProbabilities} (a logits model's outputs through its
     * sigmoid or softmax; a target normaliser is not applied). Thread-safe.
     */
    public Tensor predictProbabilities(Tensor x) {
        return network.predictProbabilities(normalised(x));
    }
}
