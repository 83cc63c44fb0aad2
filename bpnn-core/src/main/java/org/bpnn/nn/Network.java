package org.bpnn.nn;

import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.bpnn.backend.Backend;
import org.bpnn.backend.ElementwiseOp;
import org.bpnn.backend.Backends;
import org.bpnn.backend.Subnormals;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Optimizer;
import org.bpnn.tensor.Tensor;

/**
 * A sequential network a[0] = x, a[l] = layer_l(a[l-1]) for l = 1..L, with a loss on a[L].
 *
 * <p>Built with {@link #builder(int)}:
 * <pre>{@code
 * Network net = Network.builder(784)
 *     .dense(256, Activation.relu())
 *     .dense(128, Activation.relu())
 *     .dense(10, Activation.softmax())
 *     .loss(Loss.categoricalCrossEntropy())
 *     .seed(42)
 *     .build();
 * }</pre>
 *
 * <p><b>Threads.</b> {@link #predict} (all overloads, {@link #predictClasses}, {@link #predictClass}
 * and {@link #evaluateLoss}) may be called from many threads at once on one trained network, with no
 * lock on the path (but for a thread's first predict on the network, which registers the thread's
 * buffers with it under a brief lock): the weights are only read, and each thread works in its own
 * buffers (kept per thread, dropped with the network, or after the thread ends at the next thread's
 * first predict, and reused: those of the two
 * most recently allocated batch sizes, plus one set for the
 * 256-row chunks of larger batches; so {@link #predict(Tensor, Tensor)} on a batch size seen before,
 * with at most one other size in between, allocates nothing, as do {@link #predict(float[], float[])}
 * and {@link #predictClass} for one sample, and the other overloads allocate only their result).
 * On the simd backend that holds once the JIT's optimising compiler has compiled the kernels the
 * network uses: until then the Vector API allocates its vectors as objects, kilobytes per call (a
 * 4-16-3 network's 64-row {@code predict(x, out)} allocated 13.8 KB per call for its first 20,000 to
 * 55,000 calls, JDK 17 and 25), so measure a server's allocation after such a warm-up.
 * Results do not depend on how many
 * threads predict at once: each prediction gives the same bits as on one thread.
 *
 * <p>Training ({@link #computeGradients}, {@link #trainStep}, {@link #applyUpdate}, a
 * {@code Trainer}) is for one thread at a time. Training and predicting on the same network at the
 * same time is <em>not supported, and detected</em>: every write of the weights ({@link #applyUpdate},
 * {@link #trainStep}, {@link ParameterSnapshot#restoreTo(Network)}, a {@code Trainer}'s steps and
 * restores) is bracketed by a version counter (a seqlock), and a predict that overlaps a write throws
 * {@link IllegalStateException} instead of returning outputs computed from half-updated weights. A
 * predict that returns normally saw one consistent set of weights. To predict while another thread
 * trains, predict on a {@link #copy()} (taken between weight writes, so never a mix of old and new
 * weights), or after training. Code that writes into
 * {@link Parameter#value()} arrays directly bypasses the counter and must not overlap predictions.
 *
 * <p><b>Buffers.</b> Training keeps one set of buffers per batch size (the two most recent sizes,
 * so a smaller last batch of an epoch does not evict the full-size set): after the first step with a
 * given batch size, a training step allocates nothing. The parameters' gradients are allocated by
 * the first training step ({@link #computeGradients}), not by build: a network that only predicts
 * (a loaded model being served) holds its weights and no gradients, half the memory.
 */
public final class Network {
    /**
     * Predictions of larger inputs are computed in chunks of this many rows, bounding buffer memory:
     * each layer's buffers hold min(rows, PREDICT_CHUNK) rows (a {@code Trainer} checks they fit an array
     * before its first epoch).
     */
    public static final int PREDICT_CHUNK = 256;

    private final int inputSize;
    private final List<Layer> layers;
    private final Loss loss;
    private final Backend backend;
    private final long seed;
    private final List<Parameter> parameters;
    private final boolean fused;
    /**
     * Why a chosen threshold means nothing for this network ({@link OutputClass#thresholdRefusal}), or null
     * when it takes one: worked out once, as the layers and loss are fixed, so that predictClass(x, t)
     * allocates nothing (an activation's name() may build its string).
     */
    private final String thresholdRefusal;
    /**
     * {@link #outputsClasses()}, worked out once for the same reason: predictClass(x) of an MSE network
     * with a sigmoid output (as ./bpnn seed's network is) would otherwise ask the activation's name() on every
     * call, and the loss's name() for {@link #link}: 48 bytes a call.
     */
    private final boolean outputsClasses;
    /**
     * The link {@link #toProbabilities} applies: NONE, or for logits (a FromLogits cross-entropy) the
     * sigmoid or the row softmax; worked out once: a loss's name() may build its string.
     */
    private final Link link;

    /** How a network's outputs become class probabilities (see {@link #link}). */
    private enum Link { NONE, SIGMOID, SOFTMAX }
    /** Whether the cost is computed from the output layer's z[L] ({@link #costFromPreActivation}). */
    private final boolean costFromZ;
    /**
     * Whether {@link #computeGradients} has allocated every parameter's gradient (the first call
     * does; see {@link Parameter#grad()}). Read and written by the one training thread; a racing
     * second thread would only ask the parameters again, which allocate once whatever the threads.
     */
    private boolean gradientsAllocated;
    private final Workspace[] trainWorkspaces = new Workspace[2];
    /**
     * Each predicting thread's buffers (see {@link #predictWorkspaces()}), held strongly here and only
     * weakly by the thread: a thread's ThreadLocal entry outlives the network (the JDK clears a dead
     * key's value only when later ThreadLocal calls on that thread happen to probe its slot), and were
     * the buffers held there, an executor thread that had predicted with hundreds of discarded networks
     * would keep dozens of their buffer sets (measured: 32 MB of float[] in 3 threads after 400 networks
     * of 64-128-128-10, growing with the layer widths). Weak keys: a dead thread's buffers go
     * with it (the map drops them at its next use: another thread's first predict).
     */
    private final Map<Thread, Workspace[]> predictBuffers = Collections.synchronizedMap(new WeakHashMap<>());
    private final ThreadLocal<WeakReference<Workspace[]>> predictWorkspaces = new ThreadLocal<>();
    /** Seqlock over the weights: odd while a write is in progress, bumped twice per write. */
    private final AtomicLong weightVersion = new AtomicLong();
    /**
     * The thread of the latest weight write, so that a {@link #copy()} made inside a write on the
     * writing thread (an optimiser's step) is refused instead of waiting for its own write to end.
     */
    private volatile Thread weightWriter;
    /** How many times {@link #copy()} reads the weights again when a write overlapped its read. */
    private static final int COPY_ATTEMPTS = 10_000;

    private Network(int inputSize, List<Layer> layers, Loss loss, Backend backend, long seed) {
        this.inputSize = inputSize;
        this.layers = Collections.unmodifiableList(new ArrayList<>(layers));
        this.loss = loss;
        this.backend = backend;
        this.seed = seed;
        List<Parameter> ps = new ArrayList<>();
        for (Layer l : layers) ps.addAll(l.parameters());
        this.parameters = Collections.unmodifiableList(ps);
        long count = parameterCount();
        for (Parameter p : ps) p.joinNetwork(count); // for the heap check of the first gradient
        this.fused = loss.fusesWith(layers.get(layers.size() - 1).activation());
        // a Dense layer's scratch holds its biased pre-activation z after forward (Activation.forward's
        // contract), in training and predict workspaces alike; a custom layer's scratch may hold anything
        this.costFromZ = fused && layers.get(layers.size() - 1) instanceof Dense;
        String act = layers.get(layers.size() - 1).activation().name();
        this.outputsClasses = loss.classification() || act.equals("sigmoid") || act.equals("softmax");
        String lossName = loss.name();
        this.link = lossName.equals("binary_cross_entropy_logits") ? Link.SIGMOID
                : lossName.equals("categorical_cross_entropy_logits") ? Link.SOFTMAX : Link.NONE;
        this.thresholdRefusal = OutputClass.refusalOf(this); // reads the fields set above only
    }

    /**
     * Starts a network whose input has {@code inputSize} features (columns of x).
     *
     * @throws IllegalArgumentException when inputSize is not &gt; 0
     */
    public static Builder builder(int inputSize) {
        return new Builder(inputSize);
    }

    public int inputSize() { return inputSize; }

    public int outputSize() { return layers.get(layers.size() - 1).outputSize(); }

    public List<Layer> layers() { return layers; }

    public Loss loss() { return loss; }

    public Backend backend() { return backend; }

    /** The seed the weights were initialised from. */
    public long seed() { return seed; }

    /** Every trainable parameter, layer by layer, in a fixed order. */
    public List<Parameter> parameters() { return parameters; }

    /** The total number of trainable scalars. */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : parameters) n += p.size();
        return n;
    }

    /** Whether the loss fuses with the output activation (delta[L] computed directly). */
    public boolean usesFusedOutputDelta() { return fused; }

    /**
     * Whether the costs this network reports ({@link #computeGradients}, {@link #trainStep},
     * {@link #evaluateLoss}, and so the trainer's training and validation loss) are computed from the
     * output layer's pre-activation z[L] by {@link Loss#fusedValue}, not from its outputs by
     * {@link Loss#value(Tensor, Tensor, Tensor)}: when the loss fuses with the output activation
     * ({@link #usesFusedOutputDelta}) and the output layer is a {@link Dense}, which keeps z[L] for
     * backward anyway. For sigmoid + {@code Loss.binaryCrossEntropy()} and softmax +
     * {@code Loss.categoricalCrossEntropy()} that cost is exact for any z, where the one from the outputs
     * saturates (see {@code Loss.binaryCrossEntropy()}).
     */
    public boolean costFromPreActivation() { return costFromZ; }

    // ---- inference ------------------------------------------------------------------------------

    /**
     * The output for one sample x: (inputSize). Thread-safe (see the class comment); after the
     * calling thread's first single-sample predict, allocates nothing but the result (to allocate
     * nothing, use {@link #predict(float[], float[])}). On the simd
     * backend a sample alone goes through a matrix-vector product, summed in another order than a
     * batch's: its outputs may differ in the last bits from its row's in {@link #predict(Tensor)} of a
     * batch of two or more rows (on the scalar backend they are the same); each is reproducible.
     *
     * @throws IllegalArgumentException when x is null, has the wrong length or a non-finite value
     * @throws IllegalStateException when the weights were written (training) during the prediction
     */
    public float[] predict(float... x) {
        float[] out = new float[outputSize()];
        predict(x, out);
        return out;
    }

    /**
     * Writes the output for one sample x: (inputSize) into out: (outputSize), the same bits as
     * {@link #predict(float...)}: the single-sample path of a request thread that must not allocate.
     * Thread-safe like it, and allocation-free after the calling thread's first single-sample predict
     * on this network. out must not be shared with another thread's call; it may be x itself (when
     * inputSize equals outputSize).
     *
     * @throws IllegalArgumentException when x is null, has the wrong length or a non-finite value, or
     *         out is null or not of length outputSize
     * @throws IllegalStateException when the weights were written (training) during the prediction; out
     *         is then unchanged
     */
    public void predict(float[] x, float[] out) {
        checkSample(x);
        if (out == null || out.length != outputSize()) {
            throw new IllegalArgumentException("out " + (out == null ? "is null" : "has " + out.length + " values")
                    + ", expected " + outputSize() + ": the network's last layer gives " + outputSize()
                    + (outputSize() == 1 ? " output" : " outputs") + " per sample; pass a float[" + outputSize() + "]");
        }
        float[] result = predictRow(x);
        System.arraycopy(result, 0, out, 0, out.length);
    }

    /**
     * The class of one sample x: (inputSize), by {@link #predictClasses}'s rule (the argmax, or
     * probability 0.5 for one output), from the outputs {@link #predict(float...)} gives (a from-logits
     * network's mapped to probabilities first, as predictClasses maps them). Thread-safe, and
     * allocation-free after the calling thread's first single-sample predict on this network.
     *
     * @throws IllegalArgumentException when x is null, has the wrong length or a non-finite value, or
     *         an output is NaN (it has no class), or so is a from-logits network's softmax (an infinite logit)
     * @throws IllegalStateException when the network is a regression ({@link #outputsClasses} false),
     *         as predictClasses, or the weights were written (training) during the prediction
     */
    public int predictClass(float... x) {
        checkSample(x);
        requireClassOutputs(); // before the forward pass, which would be wasted
        return classOf(predictRow(x), false, 0f);
    }

    /**
     * The class of one sample x: (inputSize) of a two-class network (one sigmoid output, or two softmax
     * outputs) at a chosen threshold on the probability of class 1, by {@link #predictClasses(Tensor, float)}'s rule. Thread-safe, and
     * allocation-free after the calling thread's first single-sample predict on this network. (x
     * comes first, as an array: a {@code (float threshold, float... x)} form would take
     * {@code predictClass(a, b)}, meant as two features, for a threshold and one feature.)
     *
     * @throws IllegalArgumentException when x is null, has the wrong length or a non-finite value,
     *         threshold is not in (0, 1), or the output is NaN
     * @throws IllegalStateException when the network takes no threshold ({@link OutputClass#thresholdRefusal}:
     *         a regression, more than two outputs, two that are not a softmax; see predictClasses(x, threshold)), or the
     *         weights were written (training) during the prediction
     */
    public int predictClass(float[] x, float threshold) {
        checkThreshold(threshold); // before the forward pass, which would be wasted
        checkSample(x);
        return classOf(predictRow(x), true, threshold);
    }

    /** One sample for {@link #predict(float...)} and its siblings: x not null, of inputSize finite values. */
    private void checkSample(float[] x) {
        if (x == null || x.length != inputSize) {
            // in the words of the tensor path (and SavedModel's): the network's first layer, not builder(n),
            // which a loaded model's reader has never seen
            String features = inputSize + (inputSize == 1 ? " feature" : " features");
            throw new IllegalArgumentException("x " + (x == null ? "is null" : "has " + x.length + (x.length == 1 ? " value" : " values")) + ", expected "
                    + inputSize + ": the network's first layer takes " + features + " per sample; pass one sample's "
                    + features + " in the training data's column order (several samples go in a Tensor (batch, "
                    + inputSize + ") to predict(Tensor))");
        }
        if (backend.firstNonFinite(inputSize, x, 0) >= 0) {
            Tensor.requireFinite("x", Tensor.wrap(1, inputSize, x)); // the wrapper only for the message
        }
    }

    /**
     * The outputs for one sample held in an array: the calling thread's output buffer, valid until
     * its next predict on this network. x is copied into the workspace's input buffer instead of
     * wrapped: wrapping x and the result in Tensors costs two objects per call (about 100 bytes beside
     * the result) on the path a server predicts one request with; the copy of inputSize floats is
     * small beside the forward pass.
     */
    private float[] predictRow(float[] x) {
        long version = beginRead();
        Workspace ws = workspace(predictWorkspaces(), 1, true);
        System.arraycopy(x, 0, ws.input.data(), 0, inputSize);
        forward(ws, ws.input, false);
        endRead(version);
        return ws.outputs[ws.outputs.length - 1].data();
    }

    /**
     * The outputs (batch, outputSize) for inputs x: (batch, inputSize). Thread-safe, and lock-free
     * after the calling thread's first predict on this network (which registers its buffers under a
     * brief lock); allocates the result (and, the first time a thread sees a batch size, its
     * buffers). Batches of more than 256 rows are computed in chunks of 256 rows, bounding the buffers;
     * a last chunk of one row is computed with the row before it, so that no row of a batch takes the
     * single-sample product (see {@link #predict(float...)}).
     *
     * @throws IllegalArgumentException when x is null, has the wrong width or a non-finite value
     * @throws IllegalStateException when the weights were written (training) during the prediction
     */
    public Tensor predict(Tensor x) {
        checkInput("x", x);
        Tensor out = Tensor.zeros(x.rows(), outputSize());
        predictInto(x, out, null);
        return out;
    }

    /**
     * The class probabilities for x: (batch, inputSize). With a from-logits loss {@link #predict}
     * gives logits (the output layer should be the identity; a sigmoid or softmax one is refused at
     * build): they are passed through the sigmoid ({@code Loss.binaryCrossEntropyFromLogits()}) or the
     * row softmax ({@code Loss.categoricalCrossEntropyFromLogits()}) the loss applies internally. With
     * {@code binaryCrossEntropy()} or {@code categoricalCrossEntropy()} the outputs are returned as
     * {@link #predict} gives them, which needs a sigmoid or softmax output layer (the builder requires
     * one of a dense output layer; a custom output layer is checked here). Thread-safe like predict.
     *
     * A sigmoid or softmax output layer trained with another loss (mse, as ./bpnn seed's network is) is a
     * classifier too ({@link #outputsClasses}): its outputs are returned as they are.
     *
     * @throws IllegalStateException when the network is a regression ({@link #outputsClasses} false: mse,
     *         mae, huber or a custom loss that is no classification loss, on an output layer that is neither
     *         sigmoid nor softmax), or its loss is one on probabilities while the output layer is neither
     *         sigmoid nor softmax: the outputs are not probabilities
     */
    public Tensor predictProbabilities(Tensor x) {
        if (!outputsClasses) { // a sigmoid or softmax output trained with mse gives probabilities as any classifier's do
            throw new IllegalStateException("the network's loss is " + loss.name() + ", so its outputs are not class"
                    + " probabilities; use predict(x) for them as they are");
        }
        String act = layers.get(layers.size() - 1).activation().name();
        if (link == Link.NONE && !act.equals("sigmoid") && !act.equals("softmax")) {
            throw new IllegalStateException("the output layer applies " + act + ", so with " + loss.name() + " its outputs are not"
                    + " probabilities; give the output layer Activation.sigmoid() or softmax(), or train on logits with the"
                    + " loss's FromLogits form");
        }
        Tensor out = predict(x);
        logitsToProbabilities(out);
        return out;
    }

    /**
     * Turns outputs this network produced ({@link #predict}'s (batch, outputSize)) into class
     * probabilities in place by its loss's link, as {@link #predictProbabilities} does: the sigmoid for
     * {@code Loss.binaryCrossEntropyFromLogits()}, the row softmax for
     * {@code Loss.categoricalCrossEntropyFromLogits()}; with any other loss the outputs are left as they
     * are (a sigmoid or softmax output layer already gives probabilities; a regression's are values).
     * Allocation-free: {@code Trainer} calls it on the outputs it gives its metrics once per epoch.
     *
     * @throws IllegalArgumentException when outputs is null or not (rows, outputSize)
     */
    public void logitsToProbabilities(Tensor outputs) {
        if (outputs == null) {
            throw new IllegalArgumentException("outputs are null; pass the network's outputs (batch, " + outputSize() + ")");
        }
        Tensor.requireShape("outputs", outputs, outputs.rows(), outputSize());
        toProbabilities(outputs.data(), outputs.rows());
    }

    /**
     * {@link #logitsToProbabilities} on the first rows of d, (rows, outputSize) row-major, in place: the
     * one place the link is applied, so the trainer's metrics and the classes ({@link OutputClass}) read
     * the same float probabilities.
     */
    private void toProbabilities(float[] d, int rows) {
        int k = outputSize();
        if (link == Link.SIGMOID) {
            backend.activation(ElementwiseOp.SIGMOID, 0f, rows * k, d, 0, d, 0);
        } else if (link == Link.SOFTMAX) {
            backend.softmaxRows(rows, k, d, 0, k, d, 0, k);
        }
    }

    /**
     * Writes the outputs for x: (batch, inputSize) into out: (batch, outputSize). Thread-safe, and
     * lock-free after the calling thread's first predict on this network; allocation-free once the
     * calling thread has predicted this batch size, with at most one other size in between (above
     * 256 rows, what counts is the size of the last chunk, rows modulo 256, unless 0, or 2 when it is
     * 1). out must not
     * be shared with another thread's call; it may be x itself.
     *
     * @throws IllegalArgumentException when x or out is null or has the wrong shape, or x has a non-finite value
     * @throws IllegalStateException when the weights were written (training) during the prediction; out
     *         then holds unspecified values
     */
    public void predict(Tensor x, Tensor out) {
        checkInput("x", x);
        Tensor.requireShape("out", out, x.rows(), outputSize());
        predictInto(x, out, null);
    }

    /**
     * Class predictions, thread-safe, by {@link OutputClass}'s rule on the class probabilities: the
     * index of the largest for each sample; with one output (a two-class model), 1 where the
     * probability of class 1 is at least 0.5, else 0 (the argmax of one column would always be 0). A
     * sigmoid or softmax output is the probability; a from-logits network's logits
     * ({@code Loss.binaryCrossEntropyFromLogits()}, {@code categoricalCrossEntropyFromLogits()}) are
     * first mapped to it by {@link #logitsToProbabilities}, the float sigmoid or softmax the trainer
     * applies before its metrics, so these are the classes the metrics count (a logit a rounding error
     * below 0, whose probability rounds to 0.5f, is class 1 here as there). A sample whose output is
     * NaN (finite inputs give NaN when the weights overflow float on them), or whose logits have no
     * probability (an infinite logit of several), is an IllegalArgumentException naming it, not class 0.
     *
     * @throws IllegalStateException when the network is a regression (a loss that is not a
     *         classification loss, such as mse, with an output layer that is neither sigmoid nor
     *         softmax): its outputs are values, not class scores (Trainer refuses class metrics on it by
     *         the same rule)
     */
    public int[] predictClasses(Tensor x) {
        return classesOf(predict(x), false, 0f, true); // x is checked first (RegressionHasNoClassesTest)
    }

    /**
     * Class predictions of a two-class network at a chosen threshold on the probability of class 1,
     * thread-safe: 1 where the probability is at least {@code threshold}, else 0; e.g. a low threshold
     * for a rare class the model was trained on without class weights, or an operating point picked on
     * a validation set. The network has one sigmoid output (a sigmoid output layer, or a binary
     * cross-entropy on logits), or two softmax outputs (a softmax output layer, or a categorical
     * cross-entropy on logits: what {@code ./bpnn train} makes of two classes), whose column 1 is the
     * probability of class 1: {@link OutputClass#takesThreshold}, the rule a saved model's threshold
     * follows too. With one output {@code predictClasses(x, 0.5f)} is {@link #predictClasses(Tensor)};
     * with two it compares p1 &gt;= 0.5 where predictClasses(x) takes the argmax, the first on ties, so
     * a row at p0 == p1 == 0.5 (or within the softmax's rounding of it) is class 1 here and 0 there
     * ({@link OutputClass}): leave the threshold out for the default classes.
     * The probability is {@link #predictProbabilities}'s float: a sigmoid or softmax output as it is, a
     * from-logits network's logits through its backend's sigmoid or softmax; so a
     * threshold picked on those probabilities ({@code Metrics.precisionRecallCurve}, as the trainer's
     * metrics read them) calls class 1 exactly the rows it counted, also for a sample within rounding
     * of the threshold (where comparing the logit with the threshold's logit in double would disagree
     * with the rounded probability). A NaN output is an IllegalArgumentException, as by predictClasses(x).
     *
     * @throws IllegalArgumentException when threshold is NaN or not strictly between 0 and 1 (0
     *         would make every sample class 1 and 1 only those at probability exactly 1), or x is as
     *         predict(x) refuses it
     * @throws IllegalStateException when the network takes no threshold ({@link OutputClass#thresholdRefusal}):
     *         a regression (as predictClasses(x)), more than two outputs (its class is the argmax of
     *         them, which no threshold moves), two that are not a softmax (two sigmoid outputs are two
     *         independent probabilities, neither that of class 1), or one that is no probability (a
     *         custom output layer that is not a sigmoid, under a loss on probabilities)
     */
    public int[] predictClasses(Tensor x, float threshold) {
        checkThreshold(threshold); // before the forward pass, which would be wasted
        return classesOf(predict(x), true, threshold, true);
    }

    /**
     * The classes of outputs this network produced, by {@link #predictClasses}'s rule (the argmax of
     * the probabilities, or probability 0.5 for one output; a from-logits network's outputs, the logits,
     * mapped to probabilities first, in a copy): for callers that keep the outputs too (a predictions
     * file with both). outputs: (batch, outputSize), left as they are; a NaN among them is an
     * IllegalArgumentException (it has no class). A regression network's outputs are refused with an
     * IllegalStateException, as by predictClasses.
     */
    public int[] classesOf(Tensor outputs) {
        return classesOf(outputs, false, 0f, false);
    }

    /**
     * The classes of outputs this two-class network (one sigmoid output, or two softmax outputs) produced at a
     * chosen threshold on the probability of class 1, by {@link #predictClasses(Tensor, float)}'s rule: for callers that keep the outputs
     * too. Refuses what that refuses, and outputs as {@link #classesOf(Tensor)} refuses them.
     */
    public int[] classesOf(Tensor outputs, float threshold) {
        return classesOf(outputs, true, threshold, false);
    }

    /**
     * The classes of the outputs at the default rule, or at threshold when chosen. owned: the outputs
     * are this call's own (predictClasses' result), so the link may overwrite them instead of a copy.
     */
    private int[] classesOf(Tensor outputs, boolean chosen, float threshold, boolean owned) {
        if (outputs == null || outputs.cols() != outputSize()) {
            throw new IllegalArgumentException("outputs " + (outputs == null ? "is null" : "has shape " + outputs.shape())
                    + "; expected (batch, " + outputSize() + "), what this network's predict returns");
        }
        if (chosen) {
            checkThreshold(threshold);
        } else {
            requireClassOutputs();
        }
        int k = outputs.cols();
        int[] classes = new int[outputs.rows()];
        float[] p = checkedProbabilities(outputs.data(), classes.length, owned);
        for (int i = 0; i < classes.length; i++) { // every row was checked above
            // without a chosen threshold the default rule (the argmax of two columns, the first on ties), as
            // the metrics count: threshold 0.5 on column 1 would call a tie class 1
            classes[i] = chosen ? OutputClass.of(p, i * k, k, threshold) : OutputClass.of(p, i * k, k);
        }
        return classes;
    }

    /**
     * The class of one sample's outputs d[0 .. outputSize) (the calling thread's output buffer, which
     * the link overwrites with the probabilities) by predictClasses's rule, after checking them for NaN.
     */
    private int classOf(float[] d, boolean chosen, float threshold) {
        float[] p = checkedProbabilities(d, 1, true);
        return chosen ? OutputClass.of(p, 0, outputSize(), threshold) : OutputClass.of(p, 0, outputSize());
    }

    /**
     * The class probabilities of the outputs in the first rows of d, (rows, outputSize) row-major, for
     * {@link OutputClass}: d itself, or for a from-logits network d mapped by {@link #toProbabilities}
     * (in place when owned, else in a copy). Refuses a NaN output, every row checked before any is mapped,
     * then a NaN probability (the softmax of an infinite logit), naming the sample.
     */
    private float[] checkedProbabilities(float[] d, int rows, boolean owned) {
        int k = outputSize(), n = rows * k;
        for (int i = 0; i < n; i++) {
            if (d[i] != d[i]) throw nanOutput(i % k, i / k);
        }
        if (link == Link.NONE) {
            return d;
        }
        float[] p = owned ? d : Arrays.copyOf(d, n);
        toProbabilities(p, rows);
        for (int i = 0; i < n; i++) {
            if (p[i] != p[i]) throw noProbability(i / k);
        }
        return p;
    }

    /** {@link OutputClass#thresholdRefusal}'s answer for this network, kept since it was made. */
    String thresholdRefusal() {
        return thresholdRefusal;
    }

    /**
     * Refuses a chosen threshold on a network that takes none ({@link OutputClass#thresholdRefusal}: a
     * regression, more than two outputs, two that are not a softmax, one that is no probability) and
     * outside (0, 1).
     */
    private void checkThreshold(float threshold) {
        if (thresholdRefusal != null) {
            throw new IllegalStateException("a threshold was given, but " + thresholdRefusal + ": call predictClasses(x) without one");
        }
        if (!(threshold > 0f && threshold < 1f)) { // NaN fails both comparisons
            throw new IllegalArgumentException("threshold is " + threshold + "; expected a probability strictly between 0 and"
                    + " 1 (class 1 where the probability of class 1 is at least it), e.g. 0.02 for a rare class");
        }
    }

    private static IllegalArgumentException noProbability(int sample) {
        // the softmax of a row holding an infinite logit is NaN (inf - inf): the metrics count it unclassified
        return new IllegalArgumentException("the outputs of sample " + sample + " are logits whose probabilities are NaN (an"
                + " infinite logit), which have no class; finite inputs give them when the weights overflow float on them:"
                + " check the weights (training diverged?) or normalise the inputs");
    }

    private static IllegalArgumentException nanOutput(int output, int sample) {
        // NaN compares false with everything: unrefused, its row would read as class 0, silently
        return new IllegalArgumentException("output " + output + " of sample " + sample + " is NaN, which has no class;"
                + " finite inputs give NaN when the weights overflow float on them: check the weights (training"
                + " diverged?) or normalise the inputs");
    }

    /**
     * Whether this network's outputs are class scores: its loss is a classification loss, or its
     * output layer applies sigmoid or softmax (an MSE network with a sigmoid output, as ./bpnn seed's
     * network is, is a classifier). Otherwise it is a regression, whose outputs are values:
     * {@link #predictClasses} refuses it, and Trainer refuses class metrics on it.
     */
    public boolean outputsClasses() {
        return outputsClasses;
    }

    /**
     * Refuses classes of a regression network ({@link #outputsClasses}): predictClasses would threshold a
     * regression's one output at 0.5, or take the argmax of several values, without a word.
     */
    private void requireClassOutputs() {
        if (!outputsClasses()) {
            String act = layers.get(layers.size() - 1).activation().name();
            throw new IllegalStateException("the network's loss is " + loss.name() + " and its output layer applies " + act
                    + ", so its outputs are values (a regression), not class scores, and have no class; use predict(x) for"
                    + " the values, or for a classifier give the output layer Activation.sigmoid() (one output) or softmax()"
                    + " with a cross-entropy loss");
        }
    }

    /**
     * The calling thread's predict buffers: lock-free and allocation-free after the thread's first
     * predict (a ThreadLocal read and a WeakReference read); the first one registers them in
     * {@link #predictBuffers}, under its lock.
     */
    private Workspace[] predictWorkspaces() {
        WeakReference<Workspace[]> ref = predictWorkspaces.get();
        Workspace[] cache = ref == null ? null : ref.get();
        if (cache == null) {
            cache = new Workspace[3];
            predictBuffers.put(Thread.currentThread(), cache);
            predictWorkspaces.set(new WeakReference<>(cache));
        }
        return cache;
    }

    /** predict's pass; also copies the output layer's scratch (z[L] of a Dense) into zOut unless it is null. */
    private void predictInto(Tensor x, Tensor out, Tensor zOut) {
        long version = beginRead();
        int m = x.rows();
        Workspace[] cache = predictWorkspaces();
        if (m <= PREDICT_CHUNK) {
            Workspace ws = workspace(cache, m, false);
            forward(ws, x, false);
            System.arraycopy(ws.outputs[ws.outputs.length - 1].data(), 0, out.data(), 0, out.size());
            if (zOut != null) {
                System.arraycopy(ws.scratch[ws.scratch.length - 1].data(), 0, zOut.data(), 0, zOut.size());
            }
        } else {
            int k = outputSize();
            // slot 2 holds the full chunk's buffers, out of the two-size rotation of slots 0 and 1: in it, a
            // remainder or a smaller batch alternating with this one would evict them on every call
            Workspace full = cache[2] != null ? cache[2] : (cache[2] = new Workspace(PREDICT_CHUNK, true, false, inputSize, layers));
            for (int r0 = 0; r0 < m; r0 += PREDICT_CHUNK) {
                int rows = Math.min(PREDICT_CHUNK, m - r0);
                Workspace ws;
                if (rows == 1) {
                    // a last chunk of one row would take the single-sample path, whose bits (on simd) differ
                    // from the same row's in any batch: the last two rows instead, so every row of a
                    // batch is computed in a batch (row m - 2 again, to the bits it already has). Row
                    // m - 2's input is read from the full chunk's input buffer, whose last row it was:
                    // x's own row m - 2 already holds outputs when out or zOut is x's array
                    r0 = m - 2;
                    rows = 2;
                    ws = workspace(cache, rows, true);
                    System.arraycopy(full.input.data(), (PREDICT_CHUNK - 1) * inputSize, ws.input.data(), 0, inputSize);
                    System.arraycopy(x.data(), (m - 1) * inputSize, ws.input.data(), inputSize, inputSize);
                } else {
                    ws = rows == PREDICT_CHUNK ? full : workspace(cache, rows, true);
                    System.arraycopy(x.data(), r0 * inputSize, ws.input.data(), 0, rows * inputSize);
                }
                forward(ws, ws.input, false);
                System.arraycopy(ws.outputs[ws.outputs.length - 1].data(), 0, out.data(), r0 * k, rows * k);
                if (zOut != null) {
                    System.arraycopy(ws.scratch[ws.scratch.length - 1].data(), 0, zOut.data(), r0 * k, rows * k);
                }
            }
        }
        endRead(version);
    }

    /** The seqlock's read side, opened: the weight version, refused while a write is in progress (odd). */
    private long beginRead() {
        long version = weightVersion.get();
        if ((version & 1) != 0) {
            throw weightsChanged();
        }
        return version;
    }

    /** The read side closed: refused when a write overlapped the reads since {@link #beginRead}. */
    private void endRead(long version) {
        if (!validated(version)) {
            throw weightsChanged();
        }
    }

    /**
     * Whether no weight write began since {@code version} was read (as StampedLock.validate): the
     * weight reads before this call happen before its read of the counter.
     */
    private boolean validated(long version) {
        VarHandle.acquireFence();
        return weightVersion.get() == version;
    }

    private static IllegalStateException weightsChanged() {
        return new IllegalStateException("the network's weights changed during predict: training and predicting on the"
                + " same network at the same time is not supported; predict on a copy or after training (Network.copy() takes one between writes)");
    }

    /**
     * A counter of weight writes: even when no write is in progress, and different after every
     * write made through the network ({@link #applyUpdate}, {@link #trainStep}, a
     * {@link ParameterSnapshot#restoreTo(Network) restore}). A cache of predictions may key on it.
     */
    public long weightVersion() {
        return weightVersion.get();
    }

    /** Marks the start of a weight write (the counter becomes odd). Pair with {@link #endWeightWrite}. */
    void beginWeightWrite() {
        weightWriter = Thread.currentThread(); // before the counter turns odd: a copy that sees it odd sees this
        weightVersion.getAndIncrement(); // a full fence: the weight writes cannot move above it
        VarHandle.storeStoreFence();
    }

    /** Marks the end of a weight write (the counter becomes even again). */
    void endWeightWrite() {
        // cleared so that the network does not keep the thread (and its context class loader) alive;
        // before the counter turns even, while only this thread can be inside the write
        weightWriter = null;
        weightVersion.getAndIncrement();
    }

    // ---- copying --------------------------------------------------------------------------------

    /**
     * An independent copy of this network: the same architecture (layer names, sizes, activations,
     * initialisers), loss, seed and backend instance, and a copy of every weight and bias, so its
     * predictions are bit-identical to this network's; its own gradients and buffers, so training
     * either one does not change the other. A {@link Dropout} layer's copy continues from the
     * original's mask generator state (the two then draw the same masks) and is enabled as it is.
     * Optimiser state lives in the {@link Optimizer}, not in the network: train a copy with an
     * optimiser of its own.
     *
     * <p><b>Threads.</b> This is the way to predict while another thread trains: the weights are read
     * under the same version counter as {@link #predict}, but instead of failing on an overlapping
     * write, copy() waits for a write in progress to end and reads again when a write began during
     * its read, so the copy holds the weights as they were between two writes, never a mix. (A
     * Dropout generator state is read as it is at that moment: a training pass advances it outside
     * any weight write.) Called inside a weight write on the writing thread (from an optimiser's
     * step) it throws IllegalStateException, as it could only wait for itself; it throws it too if
     * writes overlap its read {@value #COPY_ATTEMPTS} times in a row. Code that writes into
     * {@link Parameter#value()} arrays directly bypasses the counter and must not overlap a copy.
     *
     * <p>A custom {@link Layer} is copied with its {@link Layer#copyStructure(long)}, then its
     * parameter values; a custom layer without parameters that does not implement copyStructure is
     * shared by the copy, as {@link Builder#layer} allows, and one with parameters that does not is
     * refused (UnsupportedOperationException). State a custom layer holds outside its parameters is
     * whatever its copyStructure gives.
     */
    public Network copy() {
        Builder b = builder(inputSize).loss(loss).seed(seed).backend(backend);
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            b.layer(l instanceof Dense d ? d.emptyCopy() : l instanceof Dropout d ? d.copy() : copyOfCustom(i, l));
        }
        Network copy = b.build(); // checks and claims the new layers as every build does
        copyWeightsInto(copy);
        return copy;
    }

    /** Layer i's copy (a custom layer), with parameters of the same sizes, not yet filled. */
    private Layer copyOfCustom(int i, Layer l) {
        Layer c;
        try {
            c = l.copyStructure(Rng.derive(seed, i));
        } catch (UnsupportedOperationException e) {
            if (l.parameters().isEmpty()) {
                return l; // nothing to copy; the builder lets parameterless layers be shared
            }
            throw new UnsupportedOperationException("layer " + (i + 1) + " (" + l + ") is a custom layer with parameters that"
                    + " does not implement Layer.copyStructure(long), so the network cannot be copied; implement"
                    + " copyStructure, or build the copy yourself and restore the weights with a ParameterSnapshot", e);
        }
        List<Parameter> from = l.parameters(), to = c == null ? null : c.parameters();
        boolean fits = c != null && c != l && to != null && to.size() == from.size()
                && c.inputSize() == l.inputSize() && c.outputSize() == l.outputSize();
        for (int p = 0; fits && p < from.size(); p++) {
            fits = to.get(p) != null && to.get(p).size() == from.get(p).size() && to.get(p) != from.get(p);
        }
        if (!fits) {
            throw new IllegalStateException("layer " + (i + 1) + " (" + l + "): copyStructure returned " + c + ", not a new layer"
                    + " with the same input and output sizes and new parameters of the same sizes (" + from + "); fix its"
                    + " copyStructure");
        }
        return c;
    }

    /**
     * Copies every parameter value into {@code target}'s (same shapes) under the seqlock's read side:
     * waits while a write is in progress, and reads again when one began during the read.
     */
    private void copyWeightsInto(Network target) {
        List<Parameter> to = target.parameters;
        for (int overlaps = 0; ; ) {
            long version = weightVersion.get();
            if ((version & 1) != 0) {
                if (weightWriter == Thread.currentThread()) {
                    throw new IllegalStateException("copy() was called inside a weight write on the writing thread (from an"
                            + " optimiser's step or a restore), which would wait for itself; copy before or after the write");
                }
                LockSupport.parkNanos(this, 10_000); // a write is short: wait for it rather than spin a core
                continue;
            }
            for (int p = 0, n = parameters.size(); p < n; p++) {
                float[] src = parameters.get(p).value().data();
                System.arraycopy(src, 0, to.get(p).value().data(), 0, src.length);
            }
            if (validated(version)) {
                return;
            }
            if (++overlaps == COPY_ATTEMPTS) {
                throw new IllegalStateException("copy() read the weights " + COPY_ATTEMPTS + " times and a weight write overlapped"
                        + " every read; copy between training steps (e.g. from a training listener)");
            }
        }
    }

    // ---- training -------------------------------------------------------------------------------

    /**
     * Forward pass, loss and backward pass (BP1-BP3) on a batch; leaves dCost/dparam in every
     * {@link Parameter#grad()} (overwritten, not accumulated) and returns the batch's mean cost.
     * x: (batch, inputSize); y: (batch, outputSize). The first call allocates the gradients (as large
     * as the weights; a network that only predicts never has them) and refuses, with an
     * IllegalStateException naming the count and -Xmx, a network whose weights and gradients exceed
     * the maximum heap.
     *
     * @throws IllegalArgumentException when x is null, not (batch, inputSize) or holds a non-finite value,
     *         or y is null, not (batch, outputSize) or outside the loss's domain ({@link Loss#validateTargets})
     */
    public double computeGradients(Tensor x, Tensor y) {
        return computeGradients(x, y, null);
    }

    /**
     * {@link #computeGradients(Tensor, Tensor)} for the sample-weighted cost sum_i w_i L_i / m
     * ({@link Loss#value(Tensor, Tensor, Tensor)}: divided by the batch's row count m, not by the sum of
     * the weights). BP1 gives delta[L] of the mean cost; row i of it is then multiplied by w_i, which
     * makes it delta[L] of the weighted cost (row i of the mean's delta is dL_i/dz_i / m, and the other
     * rows do not depend on z_i); BP2 and BP3 are linear in delta and run unchanged. Returns the
     * weighted cost. x: (batch, inputSize); y: (batch, outputSize); weights: (batch, 1), each finite and
     * &gt;= 0, or null for the unweighted pass itself (no extra work at all). Weights of 1 give the
     * unweighted pass's bits (x * 1f is x). Allocation-free as the unweighted pass.
     *
     * @throws IllegalArgumentException when weights is not (batch, 1) or holds a negative, NaN or infinite value
     */
    public double computeGradients(Tensor x, Tensor y, Tensor weights) {
        checkInput("x", x);
        Tensor.requireShape("y (targets)", y, x.rows(), outputSize());
        loss.validateTargets(y);
        if (weights != null) {
            Loss.requireWeights(weights, x.rows()); // before the pass: a NaN weight would leave NaN gradients
        }
        if (!gradientsAllocated) {
            // every gradient now, before the forward pass: a network whose gradients do not fit the heap
            // is refused (Parameter.grad()'s check) before any work, and no later step allocates one
            for (Parameter p : parameters) p.grad();
            gradientsAllocated = true;
        }
        Workspace ws = workspace(trainWorkspaces, x.rows(), false);
        forward(ws, x, true);
        int last = layers.size() - 1;
        Tensor output = ws.outputs[last];
        // null weights: the unweighted cost itself. From z[L] (the output Dense's scratch) when the loss
        // fuses with its activation: exact where a[L] has rounded to 0 or 1 (costFromPreActivation); the
        // scratch is only read then, so it is passed whatever the output layer
        double cost = lossOf(output, ws.scratch[last], y, weights);
        // BP1: delta[L] directly when the loss fuses with sigma[L], else dL/da[L] for the layer to finish.
        if (fused) {
            loss.fusedDelta(output, y, ws.grads[last]);
        } else {
            loss.gradient(output, y, ws.grads[last]);
        }
        if (weights != null) {
            // row i times w_i: before the output layer's backward, so that for an unfused output the
            // activation's derivative (linear in dL/da) carries the weight into delta[L] as well
            // A weight below 1 can take a normal delta element below Float.MIN_NORMAL, which the matrix
            // products of BP2 and BP3 would crawl over: 0 as the losses write it (see Subnormals), in the
            // same pass as the scaling (x * w_i in float, as Backend.scale computes it)
            float[] w = weights.data(), g = ws.grads[last].data();
            int k = outputSize();
            for (int i = 0, m = x.rows(); i < m; i++) {
                float wi = w[i];
                for (int j = i * k, end = j + k; j < end; j++) {
                    g[j] = Subnormals.flush(g[j] * wi);
                }
            }
        }
        for (int l = last; l >= 0; l--) {
            Tensor in = l == 0 ? x : ws.outputs[l - 1];
            Tensor dx = l == 0 ? null : ws.grads[l - 1];
            layers.get(l).backward(backend, in, ws.outputs[l], ws.grads[l], fused && l == last, dx, ws.scratch[l]);
        }
        return cost;
    }

    /**
     * What one layer computed in the last {@link #trace}: z[l] (the layer's scratch; for
     * {@link Dense}, the pre-activation; for {@link Dropout}, the mask; null when the layer has none),
     * a[l], delta[l] and the parameter gradients, all copies. Rows are samples.
     *
     * <p>delta[l] is dCost/dz[l] of the batch's <em>mean</em> cost, so each row carries the batch's
     * 1/m: multiply by m for the seed note's per-sample delta (the gradients are the sums of the
     * rows' contributions, i.e. batch means). For a layer whose backward leaves its dy as it is
     * ({@link Dropout}, custom layers that do not overwrite it), it is dCost/da[l] instead.
     */
    public record LayerTrace(Layer layer, Tensor z, Tensor a, Tensor delta, List<Tensor> gradients) {}

    /**
     * Runs {@link #computeGradients} and returns, per layer, copies of z[l], a[l], delta[l] and the
     * gradients: the seed's quantities, for teaching and debugging. Allocates; not for hot loops.
     */
    public List<LayerTrace> trace(Tensor x, Tensor y) {
        computeGradients(x, y);
        Workspace ws = workspace(trainWorkspaces, x.rows(), false);
        List<LayerTrace> out = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            List<Tensor> grads = new ArrayList<>();
            for (Parameter p : layers.get(l).parameters()) grads.add(p.grad().copy());
            out.add(new LayerTrace(layers.get(l), ws.scratch[l] == null ? null : ws.scratch[l].copy(),
                    ws.outputs[l].copy(), ws.grads[l].copy(), List.copyOf(grads)));
        }
        return out;
    }

    /**
     * One step of gradient descent: {@link #computeGradients} then the optimiser's update (BP4).
     * Returns the cost before the step.
     *
     * <p>The update is refused, and the weights left untouched, when the cost or any gradient is NaN
     * or infinite (an {@link IllegalStateException} names the parameter, the value and what to
     * change): a diverging run stops instead of writing NaN into the weights. An update from finite
     * gradients can still overflow (a huge learning rate times a huge gradient): the weights are
     * checked after the update and an {@link IllegalStateException} names the first non-finite one;
     * such weights are then refused by model files (bpnn-io) and by the next trainStep.
     * {@code Trainer} adds policies (fail or skip the batch) and names the epoch and batch.
     *
     * @throws IllegalArgumentException when optimizer is null, or x or y is refused as by
     *         {@link #computeGradients(Tensor, Tensor)}
     * @throws IllegalStateException when the cost or a gradient is not finite (no update), or the update
     *         left a weight that is not finite
     */
    public double trainStep(Tensor x, Tensor y, Optimizer optimizer) {
        if (optimizer == null) {
            throw new IllegalArgumentException("optimizer is null; use e.g. new Sgd(0.1)");
        }
        double cost = computeGradients(x, y);
        if (!Double.isFinite(cost)) {
            throw new IllegalStateException("trainStep: the cost is " + cost + ", so the update was not applied"
                    + nonFiniteWeight(" (", ")") + "; lower the learning rate (" + optimizer + "), clip gradients or"
                    + " normalise the inputs");
        }
        for (int i = 0, n = parameters.size(); i < n; i++) {
            Parameter p = parameters.get(i);
            int j = backend.firstNonFinite(p.size(), p.grad().data(), 0);
            if (j >= 0) {
                throw new IllegalStateException("trainStep: the gradient of " + p.name() + " is " + p.grad().data()[j]
                        + " at (" + j / p.grad().cols() + ", " + j % p.grad().cols() + ") with cost " + cost
                        + ", so the update was not applied; lower the learning rate (" + optimizer + "), clip gradients"
                        + " or normalise the inputs");
            }
        }
        applyUpdate(optimizer);
        String bad = nonFiniteWeight("", "");
        if (!bad.isEmpty()) {
            throw new IllegalStateException("trainStep: the update overflowed: " + bad + " (cost before the step "
                    + cost + "); lower the learning rate (" + optimizer + ") or clip gradients, and rebuild or restore the"
                    + " network: these weights cannot be used");
        }
        return cost;
    }

    /** The name of the first parameter holding a NaN or infinite weight (the backend's scan), or "" when all are finite. */
    public String firstNonFiniteParameter() {
        for (int i = 0, n = parameters.size(); i < n; i++) {
            Parameter p = parameters.get(i);
            if (backend.firstNonFinite(p.size(), p.value().data(), 0) >= 0) return p.name();
        }
        return "";
    }

    /** "" when every weight is finite, else prefix + "parameter NAME is V at (r, c)" + suffix. Allocates only then. */
    private String nonFiniteWeight(String prefix, String suffix) {
        for (int i = 0, n = parameters.size(); i < n; i++) {
            Parameter p = parameters.get(i);
            int j = backend.firstNonFinite(p.size(), p.value().data(), 0);
            if (j >= 0) {
                return prefix + "parameter " + p.name() + " is " + p.value().data()[j] + " at (" + j / p.value().cols()
                        + ", " + j % p.value().cols() + ")" + suffix;
            }
        }
        return "";
    }

    /**
     * Applies {@code optimizer}'s update (BP4) to the parameters from their current gradients (left
     * by {@link #computeGradients}), as one weight write: a predict on another thread that overlaps
     * it fails instead of mixing old and new weights. No checks of the gradients (see
     * {@link #trainStep}); allocation-free after the optimiser's first step.
     */
    public void applyUpdate(Optimizer optimizer) {
        if (optimizer == null) {
            throw new IllegalArgumentException("optimizer is null; use e.g. new Sgd(0.1)");
        }
        beginWeightWrite();
        try {
            optimizer.step(backend, parameters);
        } finally {
            endWeightWrite();
        }
    }

    /**
     * The mean cost on (x, y) without touching gradients, computed as {@link #computeGradients} computes
     * it (from z[L] when {@link #costFromPreActivation}). Thread-safe like predict; allocates the outputs
     * (and z[L]); {@link #predict(Tensor, Tensor, Tensor)} and {@link #lossOf} do the same into buffers
     * of the caller's.
     *
     * @throws IllegalArgumentException when x is refused as by {@link #predict(Tensor)}, or y is null, not
     *         (batch, outputSize) or outside the loss's domain ({@link Loss#validateTargets})
     * @throws IllegalStateException when the weights were written (training) during the evaluation
     */
    public double evaluateLoss(Tensor x, Tensor y) {
        checkInput("x", x);
        Tensor.requireShape("y (targets)", y, x.rows(), outputSize());
        loss.validateTargets(y);
        Tensor out = Tensor.zeros(x.rows(), outputSize()), z = costFromZ ? Tensor.zeros(x.rows(), outputSize()) : null;
        predictInto(x, out, z); // x checked above; out and z are new, of its rows (predict(x, out, z) would scan x again)
        return lossOf(out, z, y, null);
    }

    /**
     * {@link #predict(Tensor, Tensor)} that also writes the output layer's pre-activation z[L] into
     * preActivation (batch, outputSize), for {@link #lossOf}: the bits computeGradients computes its cost
     * from. preActivation null: predict(x, out) itself; else it must be distinct from out (either may be x itself), and the network's
     * {@link #costFromPreActivation} true (another output layer need not keep its z). Thread-safe and
     * allocation-free as predict(x, out).
     *
     * @throws IllegalArgumentException as predict(x, out), and when preActivation has the wrong shape, is out's
     *         array, or is given to a network whose cost is not computed from z[L]
     * @throws IllegalStateException when the weights were written (training) during the prediction
     */
    public void predict(Tensor x, Tensor out, Tensor preActivation) {
        checkInput("x", x);
        Tensor.requireShape("out", out, x.rows(), outputSize());
        if (preActivation != null) {
            if (!costFromZ) {
                Layer output = layers.get(layers.size() - 1);
                // fused with a custom output layer: the loss does fuse, but only a Dense's scratch is known to hold z
                String why = fused ? "the output layer " + output + " is not a Dense, the one layer known to keep z[L]"
                        : loss.name() + " does not fuse with a dense output layer's " + output.activation().name();
                throw new IllegalArgumentException("preActivation is given, but this network's cost is computed from its"
                        + " outputs (costFromPreActivation() is false: " + why + "); pass null");
            }
            Tensor.requireShape("preActivation", preActivation, x.rows(), outputSize());
            if (preActivation.data() == out.data()) {
                throw new IllegalArgumentException("preActivation and out are the same array; pass two tensors, one for the"
                        + " outputs and one for the output layer's pre-activation");
            }
        }
        predictInto(x, out, preActivation);
    }

    /**
     * The sample-weighted mean cost ({@link Loss#value(Tensor, Tensor, Tensor)}'s rule; weights null: every
     * weight 1) of outputs this network predicted, computed as {@link #computeGradients(Tensor, Tensor, Tensor)}
     * computes it: by {@link Loss#fusedValue} from preActivation, z[L] as {@link #predict(Tensor, Tensor, Tensor)}
     * wrote it, when {@link #costFromPreActivation}; else by the loss's value on out, and preActivation is not
     * read (may be null). What the trainer reports as the validation loss. out, y, preActivation: (batch,
     * outputSize); allocation-free. The targets' domain is not checked here ({@link Loss#validateTargets}).
     *
     * @throws IllegalArgumentException when a tensor is null (preActivation: only when it is read) or has the
     *         wrong shape, or weights is not (batch, 1) or holds a negative, NaN or infinite value
     */
    public double lossOf(Tensor out, Tensor preActivation, Tensor y, Tensor weights) {
        if (!costFromZ) {
            return loss.value(out, y, weights);
        }
        if (preActivation == null) {
            throw new IllegalArgumentException("preActivation is null; this network's cost is computed from its output"
                    + " layer's pre-activation (costFromPreActivation()): predict with predict(x, out, preActivation) and"
                    + " pass the same preActivation here");
        }
        return loss.fusedValue(preActivation, out, y, weights);
    }

    private void forward(Workspace ws, Tensor x, boolean training) {
        Tensor in = x;
        for (int l = 0; l < layers.size(); l++) {
            layers.get(l).forward(backend, in, ws.outputs[l], ws.scratch[l], training);
            in = ws.outputs[l];
        }
    }

    private void checkInput(String what, Tensor x) {
        if (x == null) {
            throw new IllegalArgumentException(what + " is null; expected a tensor of shape (batch, " + inputSize + ")");
        }
        if (x.cols() != inputSize) {
            throw new IllegalArgumentException(what + " has shape " + x.shape() + ", expected (batch, " + inputSize
                    + "): the network's first layer takes " + inputSize + (inputSize == 1 ? " feature" : " features") + " per sample");
        }
        if (backend.firstNonFinite(x.size(), x.data(), 0) >= 0) { // the backend's scan is the fast one
            Tensor.requireFinite(what, x);
        }
    }

    /**
     * The buffers for {@code rows} from cache (any slot), else new ones in slot 0, moving slot 0 to slot 1;
     * the deltas only in the training cache (a predict workspace is half the size without them).
     */
    private Workspace workspace(Workspace[] cache, int rows, boolean withInput) {
        for (Workspace w : cache) {
            if (w != null && w.rows == rows && (!withInput || w.input != null)) {
                return w;
            }
        }
        Workspace w = new Workspace(rows, withInput, cache == trainWorkspaces, inputSize, layers);
        // keep the most recent two sizes: slot 0 is the newest
        cache[1] = cache[0];
        cache[0] = w;
        return w;
    }

    /**
     * Buffers for one batch size: each layer's output a[l], scratch, and dL/da[l] (then delta[l]).
     * Static: a thread's predict buffers must not reference the network (held by the thread's ThreadLocal
     * entry, they would keep the network, and so its ThreadLocal key, alive for the thread's life),
     * nor the thread ({@link #predictBuffers} holds it as a weak key).
     */
    private static final class Workspace {
        final int rows;
        final Tensor input;
        final Tensor[] outputs;
        final Tensor[] scratch;
        /** delta[l] (or dCost/da[l]) per layer; null in a predict workspace, which never runs backward. */
        final Tensor[] grads;

        Workspace(int rows, boolean withInput, boolean training, int inputSize, List<Layer> layers) {
            this.rows = rows;
            this.input = withInput ? Tensor.zeros(rows, inputSize) : null;
            int n = layers.size();
            outputs = new Tensor[n];
            scratch = new Tensor[n];
            grads = training ? new Tensor[n] : null;
            for (int l = 0; l < n; l++) {
                Layer layer = layers.get(l);
                outputs[l] = Tensor.zeros(rows, layer.outputSize());
                scratch[l] = layer.scratchColumns() > 0 ? Tensor.zeros(rows, layer.scratchColumns()) : null;
                if (training) {
                    grads[l] = Tensor.zeros(rows, layer.outputSize());
                }
            }
        }
    }

    /**
     * A table of the architecture, as Keras' {@code model.summary()} prints one: a row per layer
     * (its 1-based index, as the builder's messages count layers; its kind, a dropout layer with its
     * rate; its output width; its activation, with the leaky slope for {@code leaky_relu}; its
     * parameter count), then the input width, the loss (with Huber's delta), the total parameter
     * count and the backend with its thread count. For a 4-8-3 network with dropout:
     * <pre>
     * #  Layer         Output  Activation  Parameters
     * -  ------------  ------  ----------  ----------
     * 1  Dense              8  relu                40
     * 2  Dropout(0.5)       8  -                    0
     * 3  Dense              3  softmax             27
     * Input: 4 features
     * Loss: categorical_cross_entropy
     * Total parameters: 67
     * Backend: scalar (1 thread)
     * </pre>
     * Counts are grouped by thousands with commas ({@code 235,146}); the text does not depend on the
     * default locale. A custom layer's kind is its class's simple name. For people, not for parsing
     * (its layout may change); {@link #toString()} prints code that rebuilds the architecture. Not a
     * hot path: it allocates the strings it returns.
     */
    public String summary() {
        int n = layers.size();
        String[][] rows = new String[n + 1][];
        rows[0] = new String[] {"#", "Layer", "Output", "Activation", "Parameters"};
        for (int i = 0; i < n; i++) {
            Layer l = layers.get(i);
            long count = 0;
            for (Parameter p : l.parameters()) count += p.size();
            String kind = l instanceof Dropout d ? "Dropout(" + d.rate() + ")" : l.getClass().getSimpleName();
            // a dropout layer applies no function of its own: its identity is not a choice to show
            String activation = l instanceof Dropout ? "-" : withParameter(l.activation().name(), l.activation().parameter());
            rows[i + 1] = new String[] {Integer.toString(i + 1), kind, Integer.toString(l.outputSize()), activation, grouped(count)};
        }
        boolean[] right = {false, false, true, false, true};
        int[] width = new int[5];
        for (String[] row : rows) {
            for (int c = 0; c < 5; c++) width[c] = Math.max(width[c], row[c].length());
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r <= n; r++) {
            appendRow(sb, rows[r], width, right);
            if (r == 0) {
                String[] rule = new String[5];
                for (int c = 0; c < 5; c++) rule[c] = "-".repeat(width[c]);
                appendRow(sb, rule, width, right);
            }
        }
        sb.append("Input: ").append(grouped(inputSize)).append(inputSize == 1 ? " feature" : " features").append('\n');
        sb.append("Loss: ").append(withParameter(loss.name(), loss.parameter())).append('\n');
        sb.append("Total parameters: ").append(grouped(parameterCount())).append('\n');
        int threads = backend.threads();
        sb.append("Backend: ").append(backend.name()).append(" (").append(threads).append(threads == 1 ? " thread)" : " threads)");
        return sb.toString();
    }

    /** One row of {@link #summary()}'s table: columns two spaces apart, no trailing spaces. */
    private static void appendRow(StringBuilder sb, String[] cells, int[] width, boolean[] right) {
        int start = sb.length();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) sb.append("  ");
            int pad = width[c] - cells[c].length();
            if (right[c]) sb.append(" ".repeat(pad));
            sb.append(cells[c]);
            if (!right[c]) sb.append(" ".repeat(pad));
        }
        int end = sb.length();
        while (end > start && sb.charAt(end - 1) == ' ') end--;
        sb.setLength(end);
        sb.append('\n');
    }

    /** "huber(1.0)": a loss's name with its parameter, when it has one (not 0). */
    private static String withParameter(String name, double parameter) {
        return parameter == 0 ? name : name + "(" + parameter + ")";
    }

    /** "leaky_relu(0.01)": an activation's name with its float parameter (as a float: 0.01, not 0.009999999776482582). */
    private static String withParameter(String name, float parameter) {
        return parameter == 0 ? name : name + "(" + parameter + ")";
    }

    /** 235146 as "235,146", whatever the default locale (whose separator could be a dot or a space). */
    private static String grouped(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Network.builder(").append(inputSize).append(")");
        for (Layer l : layers) {
            if (l instanceof Dense d) {
                sb.append("\n    .dense(").append(d.outputSize()).append(", ").append(d.activation()).append(")");
            } else if (l instanceof Dropout d) {
                sb.append("\n    .dropout(").append(d.rate()).append(")");
            } else {
                sb.append("\n    .layer(").append(l).append(")");
            }
        }
        sb.append("\n    .loss(").append(loss).append(")");
        sb.append("\n    .seed(").append(seed).append("L)");
        sb.append("\n    .build()  // ").append(parameterCount()).append(" parameters, backend ").append(backend.name());
        return sb.toString();
    }

    /** Builds a {@link Network}; checks every size when {@link #build()} is called. */
    public static final class Builder {
        /**
         * The built-in layers (Dense, Dropout: neither overrides equals) that are in a built network,
         * held weakly: the layer's garbage, not this set, decides how long an entry lives.
         */
        private static final Map<Layer, Boolean> IN_A_NETWORK = new WeakHashMap<>();

        /**
         * The parameters of custom layers that are in a built network, held weakly. A custom layer may
         * override equals, so it is not a key itself; its {@link Parameter}s (identity equality) are.
         */
        private static final Map<Parameter, Boolean> PARAMETERS_IN_A_NETWORK = new WeakHashMap<>();

        /**
         * The value arrays of every built network's parameters, held weakly (an array's equals is
         * identity): {@link #buildWrapping} refuses one, which would make two networks train one set of weights.
         */
        private static final Map<float[], Boolean> ARRAYS_IN_A_NETWORK = new WeakHashMap<>();

        /**
         * Networks larger than this many parameters are refused before anything is allocated, as are
         * networks whose weights (4 bytes per parameter) exceed the maximum heap; the gradients (4 bytes
         * more per parameter) are allocated at the first training step, which refuses a network whose
         * weights and gradients exceed it ({@link Parameter#grad()}). Sizes are summed in long
         * arithmetic, so no layer size overflows the check.
         */
        public static final long MAX_PARAMETERS = 1L << 30;

        private final int inputSize;
        private final List<Object> specs = new ArrayList<>();
        private Loss loss;
        private long seed = 42L;
        private Backend backend;

        private Builder(int inputSize) {
            if (inputSize <= 0) {
                throw new IllegalArgumentException("input size must be > 0, got " + inputSize);
            }
            this.inputSize = inputSize;
        }

        private record DenseSpec(int units, Activation activation, Initializer initializer) {}

        private record DropoutSpec(double rate) {}

        /**
         * A fully connected layer of {@code units} (&gt; 0) neurons with activation sigma, initialised by
         * {@link Initializer#defaultFor} (He normal for the ReLU family, Xavier uniform otherwise).
         *
         * @throws IllegalArgumentException when units is not &gt; 0 or activation is null
         */
        public Builder dense(int units, Activation activation) {
            return dense(units, activation, null);
        }

        /** A fully connected layer; {@code initializer} null means the default for the activation. */
        public Builder dense(int units, Activation activation, Initializer initializer) {
            if (units <= 0) {
                throw new IllegalArgumentException("layer " + (specs.size() + 1) + ": units must be > 0, got " + units);
            }
            if (activation == null) {
                throw new IllegalArgumentException("layer " + (specs.size() + 1) + ": activation is null; use Activation.identity() for a linear layer");
            }
            if (activation.name() == null) {
                // the builder's checks and the default initialiser read the name: else a NullPointerException at build
                throw new IllegalArgumentException("layer " + (specs.size() + 1) + ": the" + Dense.namelessActivation(activation));
            }
            specs.add(new DenseSpec(units, activation, initializer));
            return this;
        }

        /**
         * A {@link Dropout} layer on the previous layer's output (inverted dropout: units dropped with
         * probability {@code rate} while training, identity at inference). Its mask generator is seeded
         * from the network's seed and the layer's position, so adding dropout does not change the
         * initial weights of the dense layers.
         */
        public Builder dropout(double rate) {
            if (!(rate >= 0 && (float) rate < 1f)) { // as Dropout: kept as a float
                throw new IllegalArgumentException("layer " + (specs.size() + 1) + ": dropout rate must be in [0, 1), got "
                        + rate + "; it is the fraction of units dropped while training, 0.1 to 0.5 is usual");
            }
            specs.add(new DropoutSpec(rate));
            return this;
        }

        /**
         * A layer built elsewhere (a custom {@link Layer}); its input size must match the previous output.
         * A layer with parameters holds its weights, so it belongs to one network and appears in it once
         * ({@link #build()} refuses it otherwise); a layer without parameters may be reused.
         */
        public Builder layer(Layer layer) {
            if (layer == null) {
                throw new IllegalArgumentException("layer " + (specs.size() + 1) + " is null; pass a layer, e.g. new Dense(...)");
            }
            specs.add(layer);
            return this;
        }

        /**
         * The loss on the output layer (required: {@link #build()} refuses a builder without one; null
         * unsets it). The builder checks that it suits the output layer, e.g. a cross-entropy on
         * probabilities needs a sigmoid or softmax dense output, a FromLogits one an identity output.
         */
        public Builder loss(Loss loss) {
            this.loss = loss;
            return this;
        }

        /** The seed of every random draw of the initialisation (default 42). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The backend to compute on (default, and for null, {@link Backends#get()}, chosen at build). */
        public Builder backend(Backend backend) {
            this.backend = backend;
            return this;
        }

        /** Whether a custom layer's parameter is already in a built network (call holding IN_A_NETWORK). */
        private static boolean anyHeld(List<Parameter> parameters) {
            for (Parameter p : parameters) {
                if (PARAMETERS_IN_A_NETWORK.containsKey(p)) return true;
            }
            return false;
        }

        /**
         * Refuses, with {@code refusal}, a network of {@code total} parameters whose weights (4 bytes per
         * parameter), or with {@code gradients} its weights and gradients (8), cannot fit in this heap at
         * all: rather than an OutOfMemoryError half-way through allocating the layers (at build) or in a
         * first training step (the gradients, allocated then: {@link Parameter#grad()}). A static bound
         * on the maximum heap, not the free memory: it only refuses what can never fit.
         */
        static void checkHeap(long total, boolean gradients, java.util.function.Function<String, RuntimeException> refusal) {
            long bytes = total * (gradients ? 8 : 4), heap = Runtime.getRuntime().maxMemory();
            if (heap != Long.MAX_VALUE && bytes > heap) {
                throw refusal.apply(gradients
                        ? "the network has " + total + " parameters, needing " + bytes / (1 << 20) + " MiB for weights and"
                                + " the gradients training allocates at its first step, more than the maximum heap of "
                                + heap / (1 << 20) + " MiB; predicting needs only the weights: to train it, use a"
                                + " larger -Xmx or smaller layers"
                        : "the network would have " + total + " parameters, needing " + bytes / (1 << 20) + " MiB for its"
                                + " weights, more than the maximum heap of " + heap / (1 << 20) + " MiB; use smaller layers"
                                + " or a larger -Xmx");
            }
        }

        /** a + b for a, b &gt;= 0, or Long.MAX_VALUE when the sum overflows. */
        private static long saturatedAdd(long a, long b) {
            long r = a + b;
            return r < 0 ? Long.MAX_VALUE : r;
        }

        /**
         * Builds the network, drawing the initial weights: each dense layer's weights from its
         * initialiser, all of them from one {@link Random} seeded with {@link #seed(long)} and used for
         * nothing else (a dropout layer's mask generator is seeded from the seed and its position),
         * biases zero.
         *
         * @throws IllegalArgumentException for a network it cannot build, as {@link #check()} says
         */
        public Network build() {
            check();
            return assemble(new Random(seed), null);
        }

        /**
         * Builds the network around {@code parameters} instead of drawing its initial weights: for weights
         * that come from elsewhere (a model file, a checkpoint, {@link ParameterSnapshot#values()} of
         * another network), so that none are drawn only to be overwritten (drawing them was most of
         * loading a model file). One array per parameter, in the order {@link Network#parameters()}
         * lists them: for each dense layer its weights W: (out, in) row-major, then its bias b: (1, out).
         *
         * <p>The arrays become the dense layers' weights and biases: they are <em>not copied</em> (as
         * {@link Tensor#wrap}), so a large model's weights are allocated once. Do not keep writing them:
         * that bypasses {@link Network}'s weight-write check, as writing {@link Parameter#value()} does
         * (to put other values into a built network, use {@link ParameterSnapshot#restore}). A layer
         * given with {@link #layer} already holds its parameters: its arrays are copied into them.
         *
         * <p>Everything else is what {@link #build()} gives: the same layers, names, initialisers
         * (recorded, not run), loss, backend and seed, which still seeds the dropout layers' mask
         * generators (build()'s weight draws come from a generator of their own, so skipping them leaves
         * every other random stream as it was). So {@code ParameterSnapshot.of(built)} equals
         * {@code ParameterSnapshot.of(parameters)}, and training it continues exactly as training a
         * network built with {@code build()} whose weights were then set to these values.
         *
         * @throws IllegalArgumentException for a network {@link #build()} refuses (checked first); when
         *         {@code parameters} is null, has another number of arrays than the network has parameters,
         *         holds a null array, one of another length than its parameter, or a NaN or infinite
         *         value, or the same array twice, or gives one of this builder's dense layers an array that is
         *         already a network's parameter (a layer given with {@link #layer} takes a copy, so its
         *         arrays are not checked for this)
         */
        public Network buildWrapping(float[][] parameters) {
            check();
            if (parameters == null) {
                throw new IllegalArgumentException("parameters is null; pass one array per parameter, in the order"
                        + " network.parameters() lists them (ParameterSnapshot.values() gives them), or call build() to"
                        + " draw initial weights");
            }
            List<Shaped> expected = expectedParameters();
            if (parameters.length != expected.size()) {
                throw new IllegalArgumentException("parameters has " + parameters.length + (parameters.length == 1 ? " array" : " arrays")
                        + ", but the network has " + expected.size() + " parameters (" + abbreviated(expected)
                        + "); pass one array per parameter, in the order network.parameters() lists them");
            }
            Set<float[]> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
            for (int i = 0; i < parameters.length; i++) {
                float[] a = parameters[i];
                String what = "parameters[" + i + "] (" + expected.get(i) + ")";
                long size = expected.get(i).size();
                if (a == null) {
                    throw new IllegalArgumentException(what + " is null; pass its " + size + " values");
                }
                if (a.length != size) {
                    throw new IllegalArgumentException(what + " has " + a.length + " values, expected " + size
                            + "; pass one array per parameter, in the order network.parameters() lists them (a weight"
                            + " matrix (out, in) row-major, then its bias)");
                }
                for (int k = 0; k < a.length; k++) {
                    if (!Float.isFinite(a[k])) {
                        throw new IllegalArgumentException(what + " value " + k + " is " + a[k] + "; a network's parameters"
                                + " must be finite: pass weights from a training that did not diverge");
                    }
                }
                if (!distinct.add(a)) {
                    throw new IllegalArgumentException(what + " is the same array as an earlier parameter; the arrays become"
                            + " the network's parameters, so each must be an array of its own (pass a copy: a.clone())");
                }
            }
            return assemble(null, parameters);
        }

        /** A parameter the network will have: its name and shape ("dense1.W (4, 2)"). */
        private record Shaped(String name, int rows, int cols) {
            long size() { return (long) rows * cols; }

            @Override public String toString() { return name + " (" + rows + ", " + cols + ")"; }
        }

        /** The parameters the network will have, in order (the builder's specs are checked). */
        private List<Shaped> expectedParameters() {
            List<Shaped> names = new ArrayList<>();
            int prev = inputSize;
            for (int i = 0; i < specs.size(); i++) {
                Object s = specs.get(i);
                if (s instanceof DenseSpec d) {
                    names.add(new Shaped("dense" + (i + 1) + ".W", d.units, prev));
                    names.add(new Shaped("dense" + (i + 1) + ".b", 1, d.units));
                    prev = d.units;
                } else if (s instanceof Layer l) {
                    for (Parameter p : l.parameters()) names.add(new Shaped(p.name(), p.value().rows(), p.value().cols()));
                    prev = l.outputSize();
                }
            }
            return names;
        }

        /** The first few of a list, then how many more: a message stays short for a deep network. */
        private static String abbreviated(List<Shaped> items) {
            int shown = Math.min(items.size(), 6);
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < shown; i++) s.append(i == 0 ? "" : ", ").append(items.get(i));
            return items.size() > shown ? s + ", and " + (items.size() - shown) + " more" : s.toString();
        }

        /**
         * Throws IllegalArgumentException, with what to change, unless {@link #build()} can build this
         * network: layers whose sizes fit, a loss that suits the output layer, and weights that fit in the
         * heap. Allocates no weights: for a caller that must refuse an architecture before it allocates the
         * weights (a model file's reader, before reading them for {@link #buildWrapping}). Whether a layer
         * given with {@link #layer} already belongs to another network is checked by the build itself.
         */
        public void check() {
            if (specs.isEmpty()) {
                throw new IllegalArgumentException("a network needs at least one layer; add one with dense(units, activation)");
            }
            if (loss == null) {
                throw new IllegalArgumentException("no loss set; call loss(...), e.g. Loss.categoricalCrossEntropy() for a softmax classifier");
            }
            long total = 0;
            int prev = inputSize;
            for (int i = 0; i < specs.size(); i++) {
                Object s = specs.get(i);
                if (s instanceof DenseSpec d) {
                    total = saturatedAdd(total, (long) prev * d.units + d.units);
                    prev = d.units;
                } else if (s instanceof DropoutSpec) {
                    if (i == specs.size() - 1) {
                        throw new IllegalArgumentException("layer " + (i + 1) + " is dropout, which cannot be the output layer;"
                                + " add it before a dense layer");
                    }
                } else {
                    Layer l = (Layer) s;
                    if (l.inputSize() != prev) {
                        throw new IllegalArgumentException("layer " + (i + 1) + " (" + l + ") expects " + l.inputSize()
                                + " inputs, got " + prev + " from " + (i == 0 ? "the input" : "layer " + i));
                    }
                    if (l instanceof Dropout && i == specs.size() - 1) {
                        // as dropout(rate): the loss would see masked outputs while training, and a model file
                        // saved from it could not be loaded
                        throw new IllegalArgumentException("layer " + (i + 1) + " is dropout, which cannot be the output layer;"
                                + " add it before a dense layer");
                    }
                    if (l.activation() == null) {
                        throw new IllegalArgumentException("layer " + (i + 1) + " (" + l + ") returned null from activation();"
                                + " return its last function, or Activation.identity() (the default) if there is none");
                    }
                    if (l.activation().name() == null) {
                        throw new IllegalArgumentException("layer " + (i + 1) + " (" + l + "): its"
                                + Dense.namelessActivation(l.activation()));
                    }
                    List<Parameter> ps = l.parameters();
                    if (ps == null) {
                        throw new IllegalArgumentException("layer " + (i + 1) + " (" + l + ") returned null from parameters();"
                                + " return List.of() for a layer without trainable parameters");
                    }
                    for (Parameter p : ps) {
                        if (p == null) {
                            throw new IllegalArgumentException("layer " + (i + 1) + " (" + l + ") returned a null element from"
                                    + " parameters(); return only its trainable parameters");
                        }
                        total = saturatedAdd(total, p.size());
                    }
                    prev = l.outputSize();
                }
            }
            if (total > MAX_PARAMETERS) {
                throw new IllegalArgumentException("the network would have " + total + " parameters, more than the limit of "
                        + MAX_PARAMETERS + " (" + MAX_PARAMETERS * 4 / (1 << 20) + " MiB of weights); use smaller layers");
            }
            checkHeap(total, false, IllegalArgumentException::new);
            for (int i = 0; i < specs.size() - 1; i++) {
                Object s = specs.get(i);
                Activation a = s instanceof DenseSpec d ? d.activation
                        : s instanceof DropoutSpec ? Activation.identity() : ((Layer) s).activation();
                if (a.name().equals("softmax")) {
                    throw new IllegalArgumentException("layer " + (i + 1) + " uses softmax, which belongs on the output layer only");
                }
            }
            if (prev == 1) {
                // one output: softmax is the constant 1 and a one-class cross-entropy has nothing to
                // compare; both would train with loss 0 and learn nothing, without an error
                Object last = specs.get(specs.size() - 1);
                Activation a = last instanceof DenseSpec d ? d.activation : ((Layer) last).activation();
                if (a.name().equals("softmax")) {
                    throw new IllegalArgumentException("the output layer has 1 unit with softmax, whose output is always 1, so "
                            + "nothing can be learned; for two classes use dense(1, Activation.sigmoid()) with "
                            + "Loss.binaryCrossEntropy(), or dense(2, Activation.softmax())");
                }
                if (loss.name().startsWith("categorical_cross_entropy")) {
                    throw new IllegalArgumentException("categorical cross-entropy needs an output per class (2 or more), but the "
                            + "output layer has 1 unit; for one output (two classes) use Loss.binaryCrossEntropy()");
                }
            }
            // A from-logits loss applies its own sigmoid / softmax to the outputs: a sigmoid or softmax output
            // layer would be applied twice (sigmoid then sigmoid: every probability in (0.5, 0.73), predictClasses
            // all 1, accuracy 0.5 on balanced data), without an error
            Object lastSpec = specs.get(specs.size() - 1);
            Activation out = lastSpec instanceof DenseSpec d ? d.activation : ((Layer) lastSpec).activation();
            if (loss.name().endsWith("_logits") && (out.name().equals("sigmoid") || out.name().equals("softmax"))) {
                boolean binary = loss.name().startsWith("binary");
                throw new IllegalArgumentException("the output layer applies " + out.name() + ", but " + loss.name()
                        + " expects logits and applies " + (binary ? "sigmoid" : "softmax") + " itself; use "
                        + "Activation.identity() on the output layer, or keep " + out.name() + " with "
                        + (binary ? "Loss.binaryCrossEntropy()" : "Loss.categoricalCrossEntropy()"));
            }
            // The mirror case: a cross-entropy on probabilities takes the log of each output, so a dense
            // output that is no probability (identity, ReLU, tanh) would train without an error, to a negative
            // loss falling without bound (outputs above 1). A custom output layer may produce probabilities
            // whatever activation() says, so only dense ones are refused (predictProbabilities checks the rest).
            if (lastSpec instanceof DenseSpec && (loss.name().equals("categorical_cross_entropy")
                    || loss.name().equals("binary_cross_entropy"))
                    && !out.name().equals("sigmoid") && !out.name().equals("softmax")) {
                boolean binary = loss.name().startsWith("binary");
                String link = binary ? "sigmoid" : "softmax";
                throw new IllegalArgumentException("the output layer applies " + out.name() + ", but " + loss.name()
                        + " expects probabilities (it takes the log of each output, so outputs above 1 give a negative loss"
                        + " that falls without bound); use Activation." + link + "() on the output layer, or Activation"
                        + ".identity() with " + (binary ? "Loss.binaryCrossEntropyFromLogits()" : "Loss.categoricalCrossEntropyFromLogits()")
                        + ", which applies the " + link + " itself");
            }
        }

        /**
         * The checked network: weights drawn from {@code random}, or (random null) the arrays of
         * {@code wrapped} (checked by {@link #buildWrapping}) wrapped by the dense layers and copied into
         * the custom layers' parameters.
         */
        private Network assemble(Random random, float[][] wrapped) {
            List<Layer> built = new ArrayList<>();
            int prev = inputSize;
            int next = 0; // the next array of wrapped
            for (int i = 0; i < specs.size(); i++) {
                Object s = specs.get(i);
                Layer l;
                if (s instanceof DenseSpec d) {
                    l = random != null
                            ? new Dense("dense" + (i + 1), prev, d.units, d.activation, d.initializer, random)
                            : new Dense("dense" + (i + 1), prev, d.units, d.activation, d.initializer, wrapped[next], wrapped[next + 1]);
                    next += 2;
                } else if (s instanceof DropoutSpec dr) {
                    l = new Dropout("dropout" + (i + 1), prev, dr.rate, Rng.derive(seed, i));
                } else {
                    l = (Layer) s;
                    next += l.parameters().size();
                }
                built.add(l);
                prev = l.outputSize();
            }
            // A built-in layer holds its weights (Dense) or generator (Dropout): in two networks, or twice
            // in one, training one place would silently change the other, past the weight-version check.
            // (A custom layer without parameters holds nothing, so it may appear more than once.)
            Set<Layer> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            synchronized (IN_A_NETWORK) { // checked and claimed at once: two builds racing for a layer cannot both win
                for (int i = 0; i < built.size(); i++) {
                    Layer l = built.get(i);
                    boolean builtIn = l instanceof Dense || l instanceof Dropout;
                    boolean held = builtIn ? IN_A_NETWORK.containsKey(l) : anyHeld(l.parameters());
                    if (held || (builtIn || !l.parameters().isEmpty()) && !seen.add(l)) {
                        throw new IllegalArgumentException("layer " + (i + 1) + " (" + l + ") " + (held ? "already belongs to another network"
                                : "appears twice in this network") + "; a layer holds its weights, so it belongs to one network and appears "
                                + "once: add a new layer, or copy a network with Network.copy()");
                    }
                }
                if (wrapped != null) {
                    // a dense layer of this build wraps its arrays; a layer given with layer() (a Dense too,
                    // maybe) already holds its parameters and takes a copy of its arrays
                    int p = 0;
                    for (int i = 0; i < built.size(); i++) {
                        boolean wraps = specs.get(i) instanceof DenseSpec;
                        for (Parameter q : built.get(i).parameters()) {
                            if (wraps && ARRAYS_IN_A_NETWORK.containsKey(wrapped[p])) {
                                // wrapped twice, two networks would train one set of weights
                                throw new IllegalArgumentException("parameters[" + p + "] (" + q.name() + " " + q.value().shape() + ") is already the"
                                        + " values of a parameter of another network; the arrays become the network's"
                                        + " parameters, so pass arrays of their own (a copy: a.clone(), or"
                                        + " ParameterSnapshot.of(network).values())");
                            }
                            p++;
                        }
                    }
                    // a second pass: all checked before any is copied, so a refused build leaves a given
                    // layer's parameters as they were
                    p = 0;
                    for (int i = 0; i < built.size(); i++) { // all checked: now a given layer's parameters take their values
                        for (Parameter q : built.get(i).parameters()) {
                            if (!(specs.get(i) instanceof DenseSpec)) {
                                System.arraycopy(wrapped[p], 0, q.value().data(), 0, wrapped[p].length);
                            }
                            p++;
                        }
                    }
                }
                Network net = new Network(inputSize, built, loss, backend == null ? Backends.get() : backend, seed);
                for (Layer l : built) {
                    if (l instanceof Dense || l instanceof Dropout) {
                        IN_A_NETWORK.put(l, Boolean.TRUE);
                    } else {
                        for (Parameter p : l.parameters()) PARAMETERS_IN_A_NETWORK.put(p, Boolean.TRUE);
                    }
                    for (Parameter p : l.parameters()) ARRAYS_IN_A_NETWORK.put(p.value().data(), Boolean.TRUE);
                }
                return net;
            }
        }
    }
}
