package org.bpnn.optim;

/**
 * The learning rate alpha_t as a function of the base rate alpha and the step t.
 *
 * <p><b>Evaluated per step:</b> t is the number of optimiser updates already applied (0 for the first
 * update), counted by the optimiser across epochs and restored with its state. To think in epochs,
 * multiply by the batches per epoch: a decay every 10 epochs of 50 batches is
 * {@code stepDecay(500, 0.5)}. Passing epochs where steps are meant ({@code cosine(epochs)}) makes
 * the rate reach its minRate, 0 by default, after {@code epochs} batches: a {@code Trainer} refuses a
 * run whose last epoch (with early stopping, whose second) would have rate 0 throughout. A second fit
 * continues the optimiser's step count, so it starts where the first fit's schedule ended.
 *
 * <p>{@link #warmup} puts a linear warm-up before any schedule; {@link #cosine(long, long, double)}
 * has one built in.
 *
 * <p>Schedules are stateless and allocation-free; {@code toString()} prints the factory call.
 *
 * <p><b>Your own.</b> The interface has one method, so a lambda is a schedule:
 * {@code new Adam(1e-2).schedule((alpha, t) -> alpha / (1 + 1e-3 * t))}. It must be stateless too (a
 * resumed run calls it from the restored step on) and give a finite rate &gt;= 0 within float range (anything else stops the
 * step with an {@link IllegalStateException}). A checkpoint records it by its {@code toString()} only
 * (a lambda's names an object), so it cannot be rebuilt from the file, and {@code Trainer.restore}
 * does not compare it with a restoring trainer's schedule of your own (a built-in one there is refused
 * as a difference; see {@link OptimizerSettings}): keeping the same schedule on resume is up to you;
 * override {@code toString()} for a readable record.
 */
public interface LearningRateSchedule {

    /** alpha_t for base rate {@code baseRate} at step t &gt;= 0. */
    double rate(double baseRate, long step);

    /** alpha_t = alpha. */
    static LearningRateSchedule constant() {
        return Constant.INSTANCE;
    }

    /**
     * Step decay: alpha_t = alpha gamma^floor(t / stepSize).
     *
     * @param stepSize steps between decays, &gt; 0
     * @param gamma    factor in (0, 1]
     */
    static LearningRateSchedule stepDecay(long stepSize, double gamma) {
        return new StepDecay(stepSize, gamma);
    }

    /**
     * Exponential decay: alpha_t = alpha gamma^t (smooth; gamma close to 1, e.g. 0.999).
     *
     * @param gamma factor per step in (0, 1]
     */
    static LearningRateSchedule exponential(double gamma) {
        return new Exponential(gamma);
    }

    /** Cosine annealing from alpha to 0 over {@code totalSteps}, no warm-up. */
    static LearningRateSchedule cosine(long totalSteps) {
        return cosine(totalSteps, 0, 0.0);
    }

    /**
     * Linear warm-up then cosine annealing (reference: Loshchilov and Hutter, SGDR,
     * https://arxiv.org/abs/1608.03983; warm-up: Goyal et al., https://arxiv.org/abs/1706.02677):
     * <pre>
     *   t &lt; w:        alpha_t = alpha (t + 1) / w
     *   w &lt;= t &lt; T:   alpha_t = min + (alpha - min) (1 + cos(pi (t - w) / (T - w))) / 2
     *   t &gt;= T:       alpha_t = min
     * </pre>
     *
     * @param totalSteps  T, the step at which the rate reaches {@code minRate}, &gt; warmupSteps
     * @param warmupSteps w &gt;= 0 (0 for no warm-up)
     * @param minRate     the final rate, finite and &gt;= 0: an absolute rate, not a fraction of alpha;
     *                    one above alpha makes the rate rise from alpha to it. The warm-up ramps from
     *                    alpha / w and ignores it; the last warm-up step and the first cosine step both
     *                    use alpha.
     */
    static LearningRateSchedule cosine(long totalSteps, long warmupSteps, double minRate) {
        return new Cosine(totalSteps, warmupSteps, minRate);
    }

    /**
     * Linear warm-up, then {@code then} counted from the end of the warm-up (as Keras's
     * {@code warmup_steps} and PyTorch's {@code SequentialLR} of a {@code LinearLR} and another):
     * <pre>
     *   t &lt; w:   alpha_t = alpha (t + 1) / w
     *   t &gt;= w:  alpha_t = then.rate(alpha, t - w)
     * </pre>
     * So {@code warmup(500, stepDecay(5000, 0.5))} ramps up over steps 0..499 and halves the rate at
     * steps 5500, 10500, ...; {@code warmup(w, cosine(T - w, 0, min))} is {@code cosine(T, w, min)},
     * bit for bit. The ramp ends at alpha, where every built-in schedule starts.
     *
     * @param warmupSteps w &gt; 0
     * @param then        the schedule after the warm-up, not null
     */
    static LearningRateSchedule warmup(long warmupSteps, LearningRateSchedule then) {
        return new Warmup(warmupSteps, then);
    }

    private static void checkGamma(String what, double gamma) {
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException(what + " gamma must be in (0, 1], got " + gamma
                    + "; it multiplies the rate, e.g. 0.5 halves it");
        }
    }

    /** alpha_t = alpha. */
    final class Constant implements LearningRateSchedule {
        static final Constant INSTANCE = new Constant();

        private Constant() {}

        @Override
        public double rate(double baseRate, long step) {
            return baseRate;
        }

        @Override
        public String toString() {
            return "LearningRateSchedule.constant()";
        }
    }

    /**
     * alpha gamma^floor(t / stepSize). The records are public (members of an interface), so each
     * validates in its constructor as its factory documents (IllegalArgumentException): unchecked,
     * {@code new StepDecay(0, 0.5)} would fail only at the first step, with "/ by zero".
     */
    record StepDecay(long stepSize, double gamma) implements LearningRateSchedule {
        public StepDecay {
            if (stepSize <= 0) {
                throw new IllegalArgumentException("step decay stepSize must be > 0 steps, got " + stepSize
                        + "; use batches-per-epoch times the epochs between decays");
            }
            checkGamma("step decay", gamma);
        }

        @Override
        public double rate(double baseRate, long step) {
            return baseRate * Math.pow(gamma, (double) (step / stepSize));
        }

        @Override
        public String toString() {
            return "LearningRateSchedule.stepDecay(" + stepSize + ", " + gamma + ")";
        }
    }

    /** alpha gamma^t. */
    record Exponential(double gamma) implements LearningRateSchedule {
        public Exponential {
            checkGamma("exponential decay", gamma);
        }

        @Override
        public double rate(double baseRate, long step) {
            return baseRate * Math.pow(gamma, (double) step);
        }

        @Override
        public String toString() {
            return "LearningRateSchedule.exponential(" + gamma + ")";
        }
    }

    /** Linear warm-up then cosine annealing to minRate. */
    record Cosine(long totalSteps, long warmupSteps, double minRate) implements LearningRateSchedule {
        public Cosine {
            if (warmupSteps < 0 || totalSteps <= warmupSteps) {
                throw new IllegalArgumentException("cosine schedule needs totalSteps > warmupSteps >= 0, got totalSteps="
                        + totalSteps + ", warmupSteps=" + warmupSteps + "; totalSteps is usually epochs * batches per epoch");
            }
            Hyper.nonNegative("cosine minRate", minRate, "use 0 to anneal to zero");
        }

        @Override
        public double rate(double baseRate, long step) {
            if (step < warmupSteps) {
                return baseRate * (step + 1) / warmupSteps;
            }
            if (step >= totalSteps) {
                return minRate;
            }
            double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
            return minRate + (baseRate - minRate) * 0.5 * (1 + Math.cos(Math.PI * progress));
        }

        @Override
        public String toString() {
            return "LearningRateSchedule.cosine(" + totalSteps + ", " + warmupSteps + ", " + minRate + ")";
        }
    }

    /** alpha (t + 1) / w for t &lt; w, then then.rate(alpha, t - w). */
    record Warmup(long warmupSteps, LearningRateSchedule then) implements LearningRateSchedule {
        public Warmup {
            if (warmupSteps <= 0) {
                throw new IllegalArgumentException("warm-up needs warmupSteps > 0, got " + warmupSteps
                        + "; for no warm-up use the schedule itself");
            }
            if (then == null) {
                throw new IllegalArgumentException("the schedule after the warm-up is null; use LearningRateSchedule.constant()"
                        + " to hold the base rate");
            }
        }

        @Override
        public double rate(double baseRate, long step) {
            // the same expression as Cosine's warm-up, so that the two agree bit for bit
            return step < warmupSteps ? baseRate * (step + 1) / warmupSteps : then.rate(baseRate, step - warmupSteps);
        }

        @Override
        public String toString() {
            return "LearningRateSchedule.warmup(" + warmupSteps + ", " + then + ")";
        }
    }
}
