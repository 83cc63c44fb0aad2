package org.bpnn.backend;

/**
 * Flush-to-zero where a training step would otherwise make subnormal floats: the optimisers' state
 * ({@link Backend#momentumUpdate}, {@link Backend#adamUpdate}, {@code org.bpnn.optim.RmsProp}), the
 * two activations whose exp underflows, sigmoid ({@link ElementwiseOp#sigmoid}) and softmax ({@link
 * Backend#softmaxRows}), and the deltas the matrix products of BP2 and BP3 read: the built-in losses'
 * delta[L] and gradients ({@code org.bpnn.loss.Loss#fusedDelta}, {@code Loss#gradient}) and the
 * backward steps {@link Backend#activationBackward} (every op but IDENTITY, which passes g through) and
 * {@link Backend#softmaxBackward}. Each writes a value below {@link Float#MIN_NORMAL} as 0.
 *
 * <p><b>Why.</b> A unit whose gradient stays 0 (a ReLU unit that no longer fires on any sample) has
 * its moments decay geometrically, m &lt;- 0.9 m, into the subnormal floats, and there they stop:
 * 0.9 times 4 x 2^-149 rounds back to 4 x 2^-149, so such a moment stays subnormal for the rest of
 * the run. Arithmetic on subnormal operands takes a microcode assist on x86 (its cost per operation was
 * not measured here, only the kernels' times below), which Java cannot turn off (there is no
 * flush-to-zero mode in the JVM). Measured on an Intel
 * Xeon (JDK 17, one thread): Adam over a 256 x 784 weight matrix whose 10 dead rows hold stuck
 * subnormal first moments took 196 us a step instead of 113, and in a training step of a network with
 * dead units the update took 463 us instead of 156.
 *
 * <p><b>Activations.</b> A softmax probability below MIN_NORMAL (a logit 87.3 to 103.9 below its row's
 * largest; a confident classifier makes them) and a sigmoid output below it (z between -103.9 and
 * -87.3) are subnormal, and the matrix products read them: delta[L] = a[L] - y in BP2 and BP3, a
 * sigmoid layer's output in the next layer's forward product. Measured on the same host: the output
 * layer's two backward products (128 x 10 delta) took 7.1 us a step with normal values, 131 us with a
 * tenth of delta subnormal and 459 us with half; a 128 x 256 x 784 forward product whose input held 1%
 * subnormal values took 10.9 ms instead of 0.49. Those outputs are 0 instead: below the smallest normal
 * probability; a softmax row still sums to 1 within rounding, and the fused losses compute the cost
 * from z, not from these outputs.
 *
 * <p><b>Deltas.</b> Flushing the outputs alone leaves delta[L] = (a - y) / m subnormal for an output a
 * below m x MIN_NORMAL (a logit about 82.5 to 87.3 below its row's largest at m = 128), and the losses
 * that take logits never pass through the softmax or the sigmoid; a hidden layer's delta = (delta W)
 * (.) f' can go subnormal too. So the losses and the backward steps flush what they write. A zeroed
 * delta element drops a contribution below 1.18e-38 times an activation from a weight's gradient.
 * Sample weights scale delta[L] after the loss wrote it, and {@code Network.computeGradients} flushes
 * it again then. Not flushed: a linear (IDENTITY) layer's delta, which is its g unchanged, and what
 * custom losses and layers write (they can call {@link #flush}).
 *
 * <p><b>The rule for optimiser state.</b> A stored state value whose magnitude is below {@link Float#MIN_NORMAL}
 * (1.18e-38) is stored as +0. Momentum's velocity and Adam's first moment m are always flushed: a
 * zeroed m or velocity only shortens a step that was already far below the weight's last bit (lr
 * times at most 1.18e-38 for momentum, lr / (1 - b1^t) times at most 1.18e-38 / eps for Adam). A second moment (Adam's v, RMSProp's s) divides the step, where
 * zeroing it could lengthen the step when eps is tiny, so it is flushed only when that cannot change
 * the step: when sqrt(s) scale + eps rounds to eps for every subnormal s ({@link #vanishBeside}),
 * which holds for the usual eps = 1e-8. NaN and infinity pass through, so a diverging run is still
 * caught by the finiteness checks.
 */
public final class Subnormals {
    private Subnormals() {}

    /** x, or +0 when |x| &lt; {@link Float#MIN_NORMAL} (a subnormal or a zero); NaN stays NaN. */
    public static float flush(float x) {
        return Math.abs(x) < Float.MIN_NORMAL ? 0f : x;
    }

    /**
     * True only when (float) sqrt(s) * scale + eps == eps for every s in [0, {@link Float#MIN_NORMAL}),
     * in float arithmetic as the updates compute it (the scalar (float) Math.sqrt and the vector sqrt
     * agree on every subnormal): then a second moment s below MIN_NORMAL gives the same denominator
     * as 0, and flushing it changes no step. It checks s = MIN_NORMAL itself, a hair above every
     * subnormal, and rounding is monotonic, so every smaller s gives eps too. Sufficient, not exact:
     * for a scale an ulp or two above the largest that passes (4096 at eps 1e-8) it answers false
     * although no subnormal would show, and v is then kept, which is always safe. {@code scale}
     * finite and &gt;= 0 (Adam's 1 / sqrt(1 - b2^t), 1 for RMSProp), {@code eps} finite and &gt; 0.
     */
    public static boolean vanishBeside(float scale, float eps) {
        return (float) Math.sqrt(Float.MIN_NORMAL) * scale + eps == eps;
    }
}
