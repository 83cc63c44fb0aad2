package org.bpnn.io.model;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Map;
import org.bpnn.backend.Backend;
import org.bpnn.backend.Backends;
import org.bpnn.data.Normaliser;
import org.bpnn.nn.Network;
import org.bpnn.train.EpochSummary;
import org.bpnn.train.Trainer;
import org.bpnn.train.TrainingListener;
import org.bpnn.train.TrainingState;

/**
 * Checkpoint files: a model file (same format, same guarantees; see {@link ModelFile}) plus a
 * {@code "checkpoint"} section with everything {@link Trainer#restore} needs to continue training
 * so that the resumed run ends with exactly the weights of an uninterrupted one (same data,
 * configuration, backend and thread count):
 * <pre>{@code
 * "checkpoint": { "epoch": 3, "shuffle_rng_state": -8302..., "dropout_rng_states": [ 4471... ],
 *                 "optimizer": { "name": "adam", "step": 39, "sized": true, "slots": 2,
 *                                "settings": { "values": { "learning_rate": 0.001, "beta1": 0.9, "beta2": 0.999,
 *                                                          "epsilon": 1.0E-8, "clip_global_norm": 1.0 },
 *                                              "schedule": "LearningRateSchedule.cosine(1000, 0, 0.0)" } },
 *                 "best_score": 0.412..., "best_epoch": 3, "epochs_without_improvement": 0,
 *                 "best_parameters": true,
 *                 "batching": { "batch_size": 32, "drop_last_partial_batch": false, "shuffle": true,
 *                               "validation_split": 0.2, "stratified_split": true, "split_seed": 7 } }
 * }</pre>
 * The fields, all required but {@code settings} and {@code batching}, no other allowed: {@code epoch},
 * the epochs finished; {@code shuffle_rng_state} and {@code dropout_rng_states}, the shuffling generator's state and one
 * state per dropout layer, in layer order (an empty array without dropout); {@code optimizer.name},
 * the optimiser's tag ({@code [a-z][a-z0-9_]{0,63}}, e.g. adam, sgd); {@code step}, the updates
 * applied so far; {@code sized}, whether the optimiser has been sized to the parameters (false before
 * its first step); {@code slots}, the buffers it keeps per parameter (0 to 8: Adam's m and v are 2,
 * plain SGD's 0; 0 when not sized); {@code best_score}, {@code best_epoch} (0 before any) and
 * {@code epochs_without_improvement}, early stopping's record; {@code best_parameters}, whether the
 * best weights are in the file.
 * {@code optimizer.settings} records the optimiser's settings ({@link org.bpnn.optim.OptimizerSettings}:
 * each a float by name, in shortest round-trip form so it reads back bit for bit, and the schedule's
 * description). It is optional: added 2026-11-30 within format version 1 (as the model file's
 * optional fields are; a reader from before refuses a file with it as having an unknown field), and
 * left out for an optimiser that does not describe its settings. A checkpoint read from a file without
 * it (written before that date, or by such an optimiser) has no recorded settings
 * ({@link Checkpoint#optimizerSettings()} null): it loads, and resumes with the restoring trainer's
 * settings, which cannot be compared with any. With it, {@link Trainer#restore} refuses a trainer
 * whose settings differ, naming each (checkpoint value, trainer value), unless restored with
 * {@link org.bpnn.train.RestoreOptions#allowChangedOptimizerSettings()};
 * {@code c.optimizerSettings().toOptimizer()} rebuilds the recorded optimiser.
 * {@code batching} records which rows the run trained on and how it cut its epochs of them into
 * batches ({@link org.bpnn.train.BatchSettings}): {@code batch_size}, an integer &gt;= 1; the booleans
 * {@code drop_last_partial_batch} and {@code shuffle}; {@code validation_split}, the fraction of the
 * training rows held out for validation ({@code Trainer.Builder.validationSplit}), a number in [0, 1),
 * 0 for none; {@code stratified_split}, whether that split was stratified
 * ({@code stratifiedValidationSplit}), false without a split; and {@code split_seed}, the shuffle seed
 * that chose the split's rows, a 64-bit integer with a split and null without one (the seed then
 * decides nothing a resume uses: the shuffle generator's state is {@code shuffle_rng_state}). All six
 * are required in it, each refused at its own path when malformed. It is optional the same way: added
 * 2026-12-01 within format version 1 (a reader from before refuses a file with it as having an unknown
 * field), and left out for a state that records none. A checkpoint read from a file without it
 * ({@link Checkpoint#batchSettings()} null) loads and resumes with the restoring trainer's batch
 * settings, unchecked; with it, {@link Trainer#restore} refuses a trainer of another batch size,
 * dropped last batch, shuffle or validation split (fraction, stratified flag, or, with a split, seed:
 * the next fit would train on rows the run held out for validation), naming the checkpoint's value and
 * the trainer's, unless restored with {@link org.bpnn.train.RestoreOptions#allowChangedBatchSettings()}.
 * The optimiser's buffers ({@code optimizer.slot<s>.<parameter>}, each of its parameter's shape)
 * and early stopping's best weights ({@code best.<parameter>}) are float32 tensors in the data
 * section after the model's (its normalisers' included), covered by the same SHA-256; {@code <parameter>}
 * is a layer tensor's name ({@code layers[0].weight}), and the order is slot-major: slot 0 of every
 * layer tensor in the model's order, then slot 1, ..., then the best weights in the same order. The rng states are JSON integers (exact
 * 64-bit); a best score of +-Infinity (before any epoch) is the string "Infinity" / "-Infinity".
 *
 * <p>The model's weights are the ones training continues from ({@code TrainingState#parameters}).
 * After a fit that ended by putting early stopping's best weights back into the network, those are
 * the last epoch's weights, and the best ones (what the network holds) are the state's best weights:
 * deploy those, or the network itself saved with {@link ModelFile#save}.
 *
 * <p>{@link ModelFile#load} reads checkpoint files too (for deploying from the last checkpoint);
 * {@link #load} refuses a plain model file with a {@link ModelFormatException} at {@code $} (the
 * object that lacks the field, as for every missing field) saying it is a model file, not a checkpoint.
 *
 * <p>A dropout layer resumes with exactly its training-time scale 1/(1-p), though the scale is
 * computed from the double given to the builder: the rate is written as a decimal that rebuilds it
 * (see the package documentation). A checkpoint written before 2026-11-30 holds the float rate's
 * shortest decimal only: it still loads, but a rate that is not exactly a float (0.3, unlike 0.25 or
 * 0.5) may resume from it with a scale one ulp off. Predictions are unaffected either way (dropout is the
 * identity at inference).
 */
public final class CheckpointFile {
    private CheckpointFile() {}

    /**
     * Captures {@code trainer}'s state for {@code network} and saves it with the model (normaliser and
     * training summary may be null), atomically, replacing an existing file at {@code path} as
     * {@link ModelFile#save(SavedModel, Path)} does. Call it between epochs (from a TrainingListener's
     * {@code onEpochEnd}) or after training: in the middle of an epoch (another thread's fit,
     * {@code onBatchEnd}) the capture ({@link Trainer#state}) throws {@link IllegalStateException} rather
     * than save a state that would not resume exactly.
     *
     * @throws IllegalArgumentException when trainer, network or path is null, the normaliser does not fit
     *         the network, or the model is refused as {@link ModelFile#save(SavedModel, Path)} refuses it
     * @throws IllegalStateException    in the middle of an epoch (above)
     * @throws IOException              as {@link ModelFile#save(SavedModel, Path)}
     */
    public static void save(Trainer trainer, Network network, Normaliser normaliser, Map<String, ?> training, Path path)
            throws IOException {
        if (trainer == null) {
            throw new IllegalArgumentException("trainer is null; pass the Trainer that trained the network, whose state to save");
        }
        ModelFile.checkNetwork(network);
        save(trainer, SavedModel.of(network, normaliser, training), path);
    }

    /**
     * Captures {@code trainer}'s state for {@code model.network()} and saves it with the model (its
     * normalisers, a target normaliser included, and metadata); the same rules as
     * {@link #save(Trainer, Network, Normaliser, Map, Path)}.
     */
    public static void save(Trainer trainer, SavedModel model, Path path) throws IOException {
        if (trainer == null) {
            throw new IllegalArgumentException("trainer is null; pass the Trainer that trained the network, whose state to save");
        }
        if (model == null) {
            throw new IllegalArgumentException("model is null; pass SavedModel.of(network, ...) for the network the trainer trains");
        }
        save(new Checkpoint(model, trainer.state(model.network())), path);
    }

    /**
     * A listener that saves a checkpoint of the fit it is registered with after every epoch (the
     * trainer's state at the end of the epoch, with {@code normaliser}, which may be null), replacing
     * {@code path} atomically each time: a run killed at any moment leaves the last finished epoch's
     * checkpoint, from which {@link Trainer#restore} continues. The training summary records the
     * epoch. What can be checked is checked before the first epoch (in {@code onTrainStart}): a
     * {@code path} in a missing directory or naming a directory ends the fit with an
     * {@link java.io.UncheckedIOException}, a normaliser of another width than the network, or a
     * network model files cannot hold (a custom layer, activation or loss), with an
     * {@link IllegalArgumentException}, before anything is trained. A later I/O failure ends the fit with an {@link java.io.UncheckedIOException}. A null
     * {@code path} is an {@link IllegalArgumentException}; registered with a trainer other than
     * {@link Trainer} (bpnn-spark's {@code SparkTrainer}, which does not pass itself to
     * {@link TrainingListener#onTrainStart(Trainer, Network, int, int, int)}), the listener ends that
     * fit with an {@link IllegalStateException} in {@code onTrainStart}, before its first epoch (it has
     * no state to capture). The listener holds the fit it was last started by: register one listener
     * per trainer, not one with two trainers running at once.
     */
    public static TrainingListener everyEpoch(Path path, Normaliser normaliser) {
        return everyEpoch(path, normaliser, null);
    }

    /**
     * {@link #everyEpoch(Path, Normaliser)} for a regression on normalised targets: the checkpoints
     * hold {@code targetNormaliser} too (may be null), so a model deployed from one predicts in the
     * targets' units.
     */
    public static TrainingListener everyEpoch(Path path, Normaliser normaliser, Normaliser targetNormaliser) {
        return everyEpoch(path, normaliser, targetNormaliser, null);
    }

    /**
     * {@link #everyEpoch(Path, Normaliser, Normaliser)} whose checkpoints also hold the inputs' names
     * (may be null; see {@link SavedModel#withFeatureNames}), so a model deployed from one takes a
     * CSV's columns by name. The names are checked against the network before the first epoch.
     */
    public static TrainingListener everyEpoch(Path path, Normaliser normaliser, Normaliser targetNormaliser,
                                              java.util.List<String> featureNames) {
        return everyEpoch(path, normaliser, targetNormaliser, featureNames, null);
    }

    /**
     * {@link #everyEpoch(Path, Normaliser, Normaliser, java.util.List)} for a classifier whose
     * checkpoints also hold its class names (may be null; see {@link SavedModel#withClassNames}), so a
     * model deployed from one names each prediction's class. The names are checked against the
     * network before the first epoch.
     */
    public static TrainingListener everyEpoch(Path path, Normaliser normaliser, Normaliser targetNormaliser,
                                              java.util.List<String> featureNames, java.util.List<String> classNames) {
        return everyEpoch(path, normaliser, targetNormaliser, featureNames, classNames, null);
    }

    /**
     * {@link #everyEpoch(Path, Normaliser, Normaliser, java.util.List, java.util.List)} whose checkpoints
     * also hold a regression model's output names (may be null; see {@link SavedModel#withTargetNames}),
     * so predict on a model deployed from one heads its columns by them. A model has class names or
     * target names, not both (class names need a classification loss, target names a regression one).
     * The names are checked against the network before the first epoch.
     */
    public static TrainingListener everyEpoch(Path path, Normaliser normaliser, Normaliser targetNormaliser,
                                              java.util.List<String> featureNames, java.util.List<String> classNames,
                                              java.util.List<String> targetNames) {
        if (path == null) {
            throw new IllegalArgumentException("path is null; pass the checkpoint file to write after each epoch");
        }
        return new TrainingListener() {
            private Trainer trainer;
            private Network network;

            @Override
            public void onTrainStart(Trainer t, Network n, int epochs, int trainSamples, int validationSamples) {
                trainer = t;
                network = n;
                // a custom layer, activation or loss would otherwise be refused by the first save, after an epoch is spent
                ModelWriter.checkSupported(n);
                model(n, Map.of()); // the widths and names, before an epoch is spent
                try {
                    ModelFile.checkTarget(path, ModelFile.Kind.CHECKPOINT);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("checkpoint file, checked before the first epoch: " + e.getMessage(), e);
                }
            }

            /**
             * Trainer calls the Trainer form above, which does not call this one; only a trainer that does not
             * pass itself (bpnn-spark's SparkTrainer) calls this. It has no state to capture, so the fit is
             * refused here, before its first epoch: the check in onEpochEnd comes after a whole epoch of
             * cluster time has been spent.
             */
            @Override
            public void onTrainStart(Network n, int epochs, int trainSamples, int validationSamples) {
                throw new IllegalStateException("CheckpointFile.everyEpoch(" + path + ") saves a Trainer's state (its"
                        + " optimiser and shuffle, for Trainer.restore), but this fit's trainer does not pass itself to"
                        + " onTrainStart (bpnn-spark's SparkTrainer, which has no state to restore); use it with"
                        + " org.bpnn.train.Trainer, or with SparkTrainer save the weights from a listener of your own"
                        + " (ModelFile.save(network, path) in onEpochEnd: a model, not a resumable checkpoint)");
            }

            @Override
            public void onEpochEnd(EpochSummary summary) {
                if (trainer == null) {
                    throw new IllegalStateException("CheckpointFile.everyEpoch: this listener saves a Trainer's state; it"
                            + " was called by another trainer (bpnn-spark's?), which it cannot capture");
                }
                // An interrupt during the epoch (Future.cancel(true)) ends the fit before the next one; the
                // save writes through a FileChannel, which an interrupted thread closes at once, so the
                // epoch's checkpoint would be lost and the fit end in a ClosedByInterruptException. The
                // pending interrupt waits out the save and is set again for the trainer.
                boolean interrupted = Thread.interrupted();
                try {
                    save(trainer, model(network, Map.of("epoch", summary.epoch())), path);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("checkpoint after epoch " + summary.epoch() + ": " + e.getMessage(), e);
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }

            private SavedModel model(Network n, Map<String, ?> training) {
                SavedModel m = SavedModel.of(n, normaliser, targetNormaliser, training);
                m = featureNames == null ? m : m.withFeatureNames(featureNames);
                m = classNames == null ? m : m.withClassNames(classNames);
                return targetNames == null ? m : m.withTargetNames(targetNames);
            }

            @Override
            public String toString() {
                return "CheckpointFile.everyEpoch(" + path + ")";
            }
        };
    }

    /**
     * Saves the checkpoint atomically, replacing an existing file at {@code path} (see {@link ModelFile});
     * the state's weights are the ones written.
     *
     * @throws IllegalArgumentException when checkpoint or path is null, or the model is refused as
     *         {@link ModelFile#save(SavedModel, Path)} refuses it
     * @throws IOException              as {@link ModelFile#save(SavedModel, Path)}
     */
    public static void save(Checkpoint checkpoint, Path path) throws IOException {
        checkCheckpoint(checkpoint);
        ModelFile.save(ModelWriter.prepare(checkpoint.model(), new CheckpointSection.Writer(checkpoint)), path,
                ModelFile.Kind.CHECKPOINT, ModelFile.SaveHook.NONE);
    }

    /** The bytes {@link #save(Checkpoint, Path)} would write. */
    public static byte[] toBytes(Checkpoint checkpoint) throws IOException {
        checkCheckpoint(checkpoint);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ModelWriter.prepare(checkpoint.model(), new CheckpointSection.Writer(checkpoint))
                .write(Channels.newChannel(out), ModelFile.SaveHook.NONE);
        return out.toByteArray();
    }

    private static void checkCheckpoint(Checkpoint checkpoint) {
        if (checkpoint == null) {
            throw new IllegalArgumentException("checkpoint is null; pass e.g. new Checkpoint(SavedModel.of(network), trainer.state(network))");
        }
    }

    /** Loads a checkpoint onto the default backend with the default limits; see {@link #load(Path, Backend, ModelFile.Limits)}. */
    public static Checkpoint load(Path path) throws IOException {
        return load(path, Backends.get(), ModelFile.Limits.DEFAULT);
    }

    /** Loads a checkpoint onto {@code backend} with the default limits; see {@link #load(Path, Backend, ModelFile.Limits)}. */
    public static Checkpoint load(Path path, Backend backend) throws IOException {
        return load(path, backend, ModelFile.Limits.DEFAULT);
    }

    /**
     * Loads a checkpoint. Limits count the optimiser buffers and best weights too.
     *
     * @throws IllegalArgumentException when path, backend or limits is null
     * @throws ModelFormatException     whatever is wrong with the content (also: no checkpoint section,
     *                                  i.e. a plain model file)
     * @throws IOException              when the file cannot be read (not found, no permission, not a
     *                                  regular file)
     */
    public static Checkpoint load(Path path, Backend backend, ModelFile.Limits limits) throws IOException {
        ModelFile.checkSource(path, ModelFile.Kind.CHECKPOINT);
        ModelFile.checkReading(backend, limits);
        try (FileChannel ch = ModelFile.open(path, "checkpoint file")) {
            return read(new ModelReader(path.toString(), ch, ch.size(), backend, limits));
        }
    }

    /**
     * Loads a checkpoint from bytes; {@code source} names them in error messages (null: "bytes").
     *
     * @throws IllegalArgumentException when bytes, backend or limits is null
     * @throws ModelFormatException     whatever is wrong with the content (also: no checkpoint section)
     */
    public static Checkpoint fromBytes(byte[] bytes, String source, Backend backend, ModelFile.Limits limits)
            throws ModelFormatException {
        ModelFile.checkBytes(bytes, "checkpoint file");
        ModelFile.checkReading(backend, limits);
        source = source == null ? "bytes" : source;
        try {
            return read(new ModelReader(source, Channels.newChannel(new java.io.ByteArrayInputStream(bytes)), bytes.length,
                    backend, limits));
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new ModelFormatException(source, "byte 0", "unexpected read failure: " + e, e);
        }
    }

    private static Checkpoint read(ModelReader reader) throws IOException {
        CheckpointSection.Reader section = new CheckpointSection.Reader(true);
        SavedModel model = reader.read(section);
        return new Checkpoint(model, section.state());
    }
}
