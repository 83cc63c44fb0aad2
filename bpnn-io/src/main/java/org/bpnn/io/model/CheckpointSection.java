package org.bpnn.io.model;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bpnn.io.internal.Counts;
import org.bpnn.nn.Dropout;
import org.bpnn.nn.Layer;
import org.bpnn.nn.Network;
import org.bpnn.optim.OptimizerSettings;
import org.bpnn.optim.OptimizerState;
import org.bpnn.train.BatchSettings;
import org.bpnn.train.TrainingState;

/** The "checkpoint" section: a {@link TrainingState} as header fields plus tensors. */
final class CheckpointSection {
    /** The most buffers per parameter an optimiser may keep (Adam keeps 2). */
    static final int MAX_SLOTS = 8;
    static final String NAME_PATTERN = "[a-z][a-z0-9_]{0,63}";
    /** The most named settings an optimiser's record may hold (the built-in ones have at most 8). */
    static final int MAX_SETTINGS = 64;

    private CheckpointSection() {}

    static String slotName(int slot, String parameter) {
        return "optimizer.slot" + slot + "." + parameter;
    }

    static String bestName(String parameter) {
        return "best." + parameter;
    }

    /** Writes a checkpoint's state; checks it fits the network (IllegalArgumentException otherwise). */
    static final class Writer implements ModelWriter.Extra {
        private final TrainingState state;
        private final OptimizerState opt;
        private final int slots;
        private final boolean sized;
        /** Whether the state holds best weights: its accessor copies them, so they are asked for once. */
        private final boolean hasBest;
        private final List<ModelWriter.Blob> tensors = new ArrayList<>();

        Writer(Checkpoint c) {
            this.state = c.state();
            Network net = c.model().network();
            List<ModelWriter.Blob> params = ModelWriter.parameterBlobs(net);
            int p = params.size();
            int dropouts = 0;
            for (Layer l : net.layers()) {
                if (l instanceof Dropout) dropouts++;
            }
            if (state.dropoutRngStates().length != dropouts) {
                throw new IllegalArgumentException("the state has " + state.dropoutRngStates().length
                        + " dropout generator states but the network has " + dropouts + " dropout layers");
            }
            opt = state.optimizer();
            if (!opt.optimizer().matches(NAME_PATTERN)) {
                throw new IllegalArgumentException("optimizer name '" + opt.optimizer() + "' must match " + NAME_PATTERN);
            }
            if (opt.settings() != null) {
                Map<String, Float> values = opt.settings().values();
                if (values.size() > MAX_SETTINGS) {
                    throw new IllegalArgumentException("the optimizer has " + values.size() + " settings, more than the "
                            + MAX_SETTINGS + " a checkpoint holds");
                }
                for (String n : values.keySet()) {
                    if (!n.matches(NAME_PATTERN)) {
                        throw new IllegalArgumentException("optimizer setting name '" + n + "' must match " + NAME_PATTERN);
                    }
                }
            }
            int[] sizes = opt.parameterSizes();
            float[][] buffers = opt.buffers();
            sized = sizes.length > 0;
            if (sized) {
                if (sizes.length != p) {
                    throw new IllegalArgumentException("the optimizer state covers " + Counts.of(sizes.length, "parameter")
                            + " but the network has " + p);
                }
                for (int i = 0; i < p; i++) {
                    if (sizes[i] != params.get(i).data().length) {
                        throw new IllegalArgumentException("the optimizer state's parameter " + i + " has " + Counts.of(sizes[i], "value")
                                + " but " + params.get(i).name() + " has " + params.get(i).data().length);
                    }
                }
            }
            if (sized ? buffers.length % p != 0 || buffers.length / p > MAX_SLOTS : buffers.length != 0) {
                throw new IllegalArgumentException("the optimizer state has " + Counts.of(buffers.length, "buffer") + " for "
                        + Counts.of(sizes.length, "parameter") + "; expected a multiple of the parameter count, at most " + MAX_SLOTS
                        + " per parameter");
            }
            slots = sized ? buffers.length / p : 0;
            for (int k = 0; k < buffers.length; k++) {
                ModelWriter.Blob b = params.get(k % p);
                if (buffers[k].length != b.data().length) {
                    throw new IllegalArgumentException("optimizer buffer " + k + " has " + Counts.of(buffers[k].length, "value") + ", expected "
                            + b.data().length + " for " + b.name());
                }
                tensors.add(new ModelWriter.Blob(slotName(k / p, b.name()), b.rows(), b.cols(), buffers[k]));
            }
            float[][] best = state.bestParameters();
            hasBest = best != null;
            if (hasBest) {
                if (best.length != p) {
                    throw new IllegalArgumentException("the state's best weights have " + Counts.of(best.length, "array")
                            + " but the network has " + Counts.of(p, "parameter"));
                }
                for (int i = 0; i < p; i++) {
                    ModelWriter.Blob b = params.get(i);
                    if (best[i].length != b.data().length) {
                        throw new IllegalArgumentException("best weights for " + b.name() + " have " + Counts.of(best[i].length, "value")
                                + ", expected " + b.data().length);
                    }
                    tensors.add(new ModelWriter.Blob(bestName(b.name()), b.rows(), b.cols(), best[i]));
                }
            }
        }

        @Override
        public void writeJson(JsonGenerator g) throws IOException {
            g.writeObjectFieldStart("checkpoint");
            g.writeNumberField("epoch", state.epoch());
            g.writeNumberField("shuffle_rng_state", state.shuffleRngState());
            g.writeArrayFieldStart("dropout_rng_states");
            for (long s : state.dropoutRngStates()) g.writeNumber(s);
            g.writeEndArray();
            g.writeObjectFieldStart("optimizer");
            g.writeStringField("name", opt.optimizer());
            g.writeNumberField("step", opt.step());
            g.writeBooleanField("sized", sized);
            g.writeNumberField("slots", slots);
            OptimizerSettings settings = opt.settings();
            if (settings != null) { // none for an optimiser that does not describe them: left out, as in a file from before the field
                g.writeObjectFieldStart("settings");
                g.writeObjectFieldStart("values");
                for (Map.Entry<String, Float> e : settings.values().entrySet()) {
                    g.writeFieldName(e.getKey());
                    g.writeNumber(Float.toString(e.getValue())); // shortest round-trip decimal of the float, read back exactly
                }
                g.writeEndObject();
                g.writeStringField("schedule", settings.schedule());
                g.writeEndObject();
            }
            g.writeEndObject();
            double best = state.bestScore();
            if (Double.isInfinite(best)) {
                g.writeStringField("best_score", best > 0 ? "Infinity" : "-Infinity");
            } else {
                g.writeFieldName("best_score");
                g.writeNumber(Double.toString(best + 0.0)); // -0.0 as 0.0 (a JSON number reads back unsigned; they compare equal)
            }
            g.writeNumberField("best_epoch", state.bestEpoch());
            g.writeNumberField("epochs_without_improvement", state.epochsWithoutImprovement());
            g.writeBooleanField("best_parameters", hasBest); // not bestParameters() != null: a deep copy of the model to test for null
            BatchSettings batches = state.batchSettings();
            if (batches != null) { // none for a state built without them: left out, as in a file from before the field
                g.writeObjectFieldStart("batching");
                g.writeNumberField("batch_size", batches.batchSize());
                g.writeBooleanField("drop_last_partial_batch", batches.dropLastPartialBatch());
                g.writeBooleanField("shuffle", batches.shuffle());
                g.writeFieldName("validation_split");
                g.writeNumber(Double.toString(batches.validationSplit())); // Double.toString's digits read back as this double
                g.writeBooleanField("stratified_split", batches.stratifiedSplit());
                if (batches.validationSplit() > 0) {
                    g.writeNumberField("split_seed", batches.splitSeed());
                } else {
                    g.writeNullField("split_seed"); // no split, no seed recorded: not a seed of 0
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }

        @Override
        public List<ModelWriter.Blob> tensors() {
            return tensors;
        }

        @Override
        public float[][] weights() {
            return state.parameters();
        }
    }

    /** Reads the section; when {@code required}, a file without it is refused (a model, not a checkpoint). */
    static final class Reader implements ModelReader.Extra {
        private final boolean required;
        private ModelReader.Node node;
        private int epoch;
        private long shuffle;
        private long[] dropout;
        private String optName;
        private OptimizerSettings settings;
        private long step;
        private boolean sized;
        private int slots;
        private double bestScore;
        private int bestEpoch;
        private int sinceImprovement;
        private boolean hasBest;
        private BatchSettings batches;
        private List<ModelReader.Expected> parameters;
        private TrainingState state;

        Reader(boolean required) {
            this.required = required;
        }

        /** The state read, or null when the file had no checkpoint section. */
        TrainingState state() {
            return state;
        }

        /**
         * A checkpoint is loaded for its state; a model load (not required) only verifies the state's
         * tensors, so they are not kept (see {@link ModelReader.Extra#keepsData}).
         */
        @Override
        public boolean keepsData() {
            return required;
        }

        /** A checkpoint load (required) expects a checkpoint; a model load reads one as a model. */
        @Override
        public ModelFile.Kind kind() {
            return required ? ModelFile.Kind.CHECKPOINT : ModelFile.Kind.MODEL;
        }

        @Override
        public Set<String> fields() {
            return Set.of("checkpoint");
        }

        @Override
        public List<ModelReader.Expected> parse(ModelReader.Node root, List<ModelReader.Expected> params, int dropouts)
                throws ModelFormatException {
            node = root.optional("checkpoint");
            if (node == null) {
                if (required) {
                    // "load it with ModelFile.load" alone would leave out what a checkpoint is for, and that this file cannot resume
                    throw root.error("missing field \"checkpoint\": this is a model file, not a checkpoint; "
                            + "load it with ModelFile.load to predict; to resume training (Trainer.restore), pass a checkpoint,"
                            + " which also holds the training state (written by CheckpointFile.save or CheckpointFile.everyEpoch)");
                }
                return List.of();
            }
            parameters = params;
            node.only(Set.of("epoch", "shuffle_rng_state", "dropout_rng_states", "optimizer", "best_score", "best_epoch",
                    "epochs_without_improvement", "best_parameters", "batching"));
            epoch = (int) node.field("epoch").integer(0, Integer.MAX_VALUE);
            shuffle = node.field("shuffle_rng_state").integer(Long.MIN_VALUE, Long.MAX_VALUE);
            List<ModelReader.Node> ds = node.field("dropout_rng_states").array(dropouts, dropouts);
            dropout = new long[dropouts];
            for (int i = 0; i < dropouts; i++) {
                dropout[i] = ds.get(i).integer(Long.MIN_VALUE, Long.MAX_VALUE);
            }
            ModelReader.Node o = node.field("optimizer");
            o.only(Set.of("name", "step", "sized", "slots", "settings"));
            optName = o.field("name").string();
            if (!optName.matches(NAME_PATTERN)) {
                throw o.field("name").error("optimizer name must match " + NAME_PATTERN + ", got \""
                        + ModelReader.abbreviate(optName) + "\"");
            }
            step = o.field("step").integer(0, Long.MAX_VALUE);
            sized = o.field("sized").bool();
            slots = (int) o.field("slots").integer(0, MAX_SLOTS);
            if (!sized && slots != 0) {
                throw o.field("slots").error("an optimizer state without parameter sizes has no buffers; expected 0, got " + slots);
            }
            settings = settings(o.optional("settings"), optName);
            ModelReader.Node b = node.field("best_score");
            if (b.n.isTextual()) {
                String t = b.string();
                if (!t.equals("Infinity") && !t.equals("-Infinity")) {
                    throw b.error("expected a number, \"Infinity\" or \"-Infinity\", got \"" + ModelReader.abbreviate(t) + "\"");
                }
                bestScore = t.equals("Infinity") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            } else {
                bestScore = b.doubleValue();
            }
            bestEpoch = (int) node.field("best_epoch").integer(0, Integer.MAX_VALUE);
            sinceImprovement = (int) node.field("epochs_without_improvement").integer(0, Integer.MAX_VALUE);
            hasBest = node.field("best_parameters").bool();
            batches = batches(node.optional("batching"));
            List<ModelReader.Expected> out = new ArrayList<>();
            for (int s = 0; s < slots; s++) {
                for (ModelReader.Expected e : params) {
                    out.add(new ModelReader.Expected(slotName(s, e.name()), e.rows(), e.cols()));
                }
            }
            if (hasBest) {
                for (ModelReader.Expected e : params) {
                    out.add(new ModelReader.Expected(bestName(e.name()), e.rows(), e.cols()));
                }
            }
            return out;
        }

        /**
         * The optional settings (written since 2026-11-30 within version 1; null without them, for a file
         * from before, and then a restore cannot compare them): {@code values}, an object of named
         * finite floats that includes learning_rate, and {@code schedule}, the schedule's description.
         */
        private static OptimizerSettings settings(ModelReader.Node s, String kind) throws ModelFormatException {
            if (s == null) {
                return null;
            }
            s.only(Set.of("values", "schedule"));
            ModelReader.Node v = s.field("values");
            v.object();
            if (v.n.size() > MAX_SETTINGS) {
                throw v.error("expected at most " + MAX_SETTINGS + " settings, got " + v.n.size());
            }
            Map<String, Float> values = new LinkedHashMap<>();
            for (Iterator<String> it = v.n.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                ModelReader.Node f = v.field(name);
                if (!name.matches(NAME_PATTERN)) {
                    throw f.error("a setting's name must match " + NAME_PATTERN);
                }
                values.put(name, f.floatValue());
            }
            String schedule = s.field("schedule").string();
            try {
                return new OptimizerSettings(kind, values, schedule);
            } catch (IllegalArgumentException e) {
                throw s.error("invalid optimizer settings: " + e.getMessage(), e);
            }
        }

        /**
         * The optional batch settings (written since 2026-12-01 within version 1; null without them, for a
         * file from before, and then a restore cannot compare them): {@code batch_size}, an integer &gt;= 1,
         * {@code drop_last_partial_batch} and {@code shuffle}, booleans; {@code validation_split}, a number
         * in [0, 1) (0: none); {@code stratified_split}, a boolean, false without a split; {@code split_seed},
         * an integer with a split, null without one. All six required; each refused at its own path.
         */
        private static BatchSettings batches(ModelReader.Node b) throws ModelFormatException {
            if (b == null) {
                return null;
            }
            b.only(Set.of("batch_size", "drop_last_partial_batch", "shuffle", "validation_split", "stratified_split",
                    "split_seed"));
            int size = (int) b.field("batch_size").integer(1, Integer.MAX_VALUE);
            boolean dropLast = b.field("drop_last_partial_batch").bool();
            boolean shuffle = b.field("shuffle").bool();
            ModelReader.Node f = b.field("validation_split");
            double fraction = f.doubleValue();
            if (!(fraction >= 0 && fraction < 1)) {
                throw f.error("value " + fraction + " is out of range [0, 1); expected the fraction of the training rows"
                        + " held out for validation, 0 for none");
            }
            ModelReader.Node st = b.field("stratified_split");
            boolean stratified = st.bool();
            if (stratified && fraction == 0) {
                throw st.error("true without a validation split (validation_split 0); expected false: only a split is stratified");
            }
            ModelReader.Node seed = b.field("split_seed");
            long splitSeed = 0;
            if (fraction == 0) {
                if (!seed.n.isNull()) {
                    throw seed.error("expected null without a validation split (validation_split 0), got "
                            + (seed.n.isNumber() ? ModelReader.abbreviate(seed.n.asText()) : seed.type())
                            + ": the seed is recorded only with a split, whose rows it chooses");
                }
            } else {
                splitSeed = seed.integer(Long.MIN_VALUE, Long.MAX_VALUE);
            }
            return new BatchSettings(size, dropLast, shuffle, fraction, stratified, splitSeed);
        }

        @Override
        public void accept(List<float[]> params, List<float[]> data) throws ModelFormatException {
            if (node == null) {
                return;
            }
            int p = parameters.size();
            int[] sizes = new int[sized ? p : 0];
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = (int) parameters.get(i).count();
            }
            // not kept (a model load): the same checks, on the fields only; the state is dropped anyway, and
            // building it would copy the optimiser buffers, the parameters and the best weights once more
            float[][] buffers = keepsData() ? data.subList(0, slots * p).toArray(new float[0][]) : new float[0][];
            float[][] best = hasBest && keepsData() ? data.subList(slots * p, data.size()).toArray(new float[0][]) : null;
            float[][] values = keepsData() ? params.toArray(new float[0][]) : new float[0][];
            try {
                OptimizerState opt = new OptimizerState(optName, step, sizes, buffers, settings);
                TrainingState s = new TrainingState(epoch, shuffle, dropout, opt, values, bestScore, bestEpoch,
                        sinceImprovement, best, batches);
                state = keepsData() ? s : null;
            } catch (IllegalArgumentException e) {
                throw node.error("invalid training state: " + e.getMessage(), e);
            }
        }
    }
}
