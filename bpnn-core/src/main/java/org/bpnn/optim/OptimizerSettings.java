package org.bpnn.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An optimiser's settings, as {@link BaseOptimizer#settings()} records them in an {@link OptimizerState}
 * (and a checkpoint file keeps them): enough to rebuild the same optimiser ({@link #toOptimizer()}) and
 * to tell, on a resume, whether the restoring trainer's optimiser is configured like the one the state
 * came from ({@link #differences}).
 *
 * <p>The values are the floats the updates compute with, by name: {@code learning_rate} (the base
 * rate alpha), then the kind's own ({@code momentum}; {@code beta1, beta2, epsilon} and AdamW's
 * {@code weight_decay}; AdaGrad's {@code epsilon}; RMSProp's {@code rho, epsilon}), then, only when
 * set, the penalty ({@code l1_penalty}, {@code l2_penalty}) and the clipping ({@code clip_value} or
 * {@code clip_global_norm}). A name that is absent means none. Nesterov momentum is its own kind
 * ("nesterov"), so it is not a value.
 *
 * <p>The schedule is its {@code toString()}: for the built-in schedules the factory call, exact
 * (e.g. {@code LearningRateSchedule.cosine(10000, 500, 1.0E-5)}); a schedule of your own is recorded
 * by its {@code toString()} too but cannot be rebuilt, and two of them are not compared (a lambda's
 * {@code toString()} names an object and differs from run to run); a built-in schedule on one side and
 * one of your own on the other is a difference.
 *
 * @param optimizer the optimiser's kind ({@link BaseOptimizer#name()}), e.g. "adam"
 * @param values    the settings by name, in the order above; unmodifiable
 * @param schedule  the learning-rate schedule's {@code toString()}
 */
public record OptimizerSettings(String optimizer, Map<String, Float> values, String schedule) {
    public static final String LEARNING_RATE = "learning_rate";

    public OptimizerSettings {
        if (optimizer == null || values == null || schedule == null) {
            throw new IllegalArgumentException("optimizer settings need a kind, values and a schedule; got " + optimizer + ", "
                    + values + ", " + schedule);
        }
        Map<String, Float> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Float> e : values.entrySet()) {
            Float v = e.getValue();
            if (e.getKey() == null || v == null || !Float.isFinite(v)) {
                throw new IllegalArgumentException("optimizer setting " + e.getKey() + " is " + v
                        + "; expected a name and a finite value");
            }
            copy.put(e.getKey(), v);
        }
        if (!copy.containsKey(LEARNING_RATE)) {
            throw new IllegalArgumentException("optimizer settings " + copy + " lack " + LEARNING_RATE + ", which every optimiser has");
        }
        values = Collections.unmodifiableMap(copy);
    }

    /** The value of setting {@code name} (e.g. "beta1"), or null when the optimiser has none (none set). */
    public Float value(String name) {
        return values.get(name);
    }

    /** The base learning rate alpha. */
    public float learningRate() {
        return values.get(LEARNING_RATE);
    }

    /**
     * Each setting that differs between these settings (the recorded ones) and {@code other} (the ones
     * a resume would use), as "name: checkpoint X, trainer Y" with "none" for an absent one; empty
     * when they agree. Values are compared as the floats the updates use; the kind is compared too.
     */
    public List<String> differences(OptimizerSettings other) {
        if (other == null) {
            throw new IllegalArgumentException("other is null; pass the settings to compare with (optimizer.settings())");
        }
        List<String> out = new ArrayList<>();
        if (!optimizer.equals(other.optimizer)) {
            out.add("optimizer: checkpoint " + optimizer + ", trainer " + other.optimizer);
        }
        Set<String> names = new LinkedHashSet<>(values.keySet());
        names.addAll(other.values.keySet());
        for (String n : names) {
            Float a = values.get(n), b = other.values.get(n);
            // compared as bits: 0.0 and -0.0 do not occur (every setting is > 0 or >= 0 and written unsigned)
            if (a == null || b == null || Float.floatToIntBits(a) != Float.floatToIntBits(b)) {
                out.add(n + ": checkpoint " + (a == null ? "none" : a) + ", trainer " + (b == null ? "none" : b));
            }
        }
        // two schedules of the user's own are not compared: their toString() is all that is recorded, and a
        // lambda's names an object that differs from run to run, so every resume would be refused
        if (!schedule.equals(other.schedule) && (builtIn(schedule) || builtIn(other.schedule))) {
            out.add("schedule: checkpoint " + schedule + ", trainer " + other.schedule);
        }
        return out;
    }

    private static boolean builtIn(String schedule) {
        try {
            ScheduleText.parse(schedule);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /**
     * A new optimiser of the recorded kind with the recorded settings (its state fresh: restore a
     * state into it, or let {@code Trainer.restore} do so). Built-in kinds and schedules only.
     *
     * @throws IllegalStateException for a kind or schedule of your own, which cannot be rebuilt from a name
     */
    public BaseOptimizer toOptimizer() {
        double lr = learningRate();
        BaseOptimizer o = switch (optimizer) {
            case "sgd" -> new Sgd(lr);
            case "momentum" -> new Momentum(lr, need("momentum"));
            case "nesterov" -> Momentum.nesterov(lr, need("momentum"));
            case "adam" -> new Adam(lr, need("beta1"), need("beta2"), need("epsilon"));
            case "adamw" -> new AdamW(lr, need("beta1"), need("beta2"), need("epsilon"), need("weight_decay"));
            case "adagrad" -> new AdaGrad(lr, need("epsilon"));
            case "rmsprop" -> new RmsProp(lr, need("rho"), need("epsilon"));
            default -> throw new IllegalStateException("cannot rebuild an optimiser of kind '" + optimizer
                    + "': not a built-in one (sgd, momentum, nesterov, adam, adamw, adagrad, rmsprop); build it yourself"
                    + " from values() " + values);
        };
        o.schedule(ScheduleText.parse(schedule));
        Float l1 = values.get("l1_penalty"), l2 = values.get("l2_penalty");
        if (l1 != null || l2 != null) {
            o.penalty(Penalty.elasticNet(l1 == null ? 0 : l1, l2 == null ? 0 : l2));
        }
        if (values.containsKey("clip_value")) {
            o.clipping(GradientClipping.byValue(values.get("clip_value")));
        } else if (values.containsKey("clip_global_norm")) {
            o.clipping(GradientClipping.byGlobalNorm(values.get("clip_global_norm")));
        }
        return o;
    }

    private double need(String name) {
        Float v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("the '" + optimizer + "' settings lack " + name + " (have " + values.keySet()
                    + "); they cannot rebuild the optimiser");
        }
        return v;
    }

    @Override
    public String toString() {
        return "OptimizerSettings(" + optimizer + ", " + values + ", " + schedule + ")";
    }
}
