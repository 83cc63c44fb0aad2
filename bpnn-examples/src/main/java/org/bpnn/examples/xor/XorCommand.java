package org.bpnn.examples.xor;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.bpnn.backend.Backend;
import org.bpnn.examples.BackendOptions;
import org.bpnn.examples.Errors;
import org.bpnn.examples.Summary;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What this shows: XOR, the smallest problem a single-layer perceptron cannot solve, learned by a
 * 2-4-1 network with a sigmoid output and binary cross-entropy, by full-batch gradient descent.
 *
 * <p>How to run: {@code ./bpnn xor} or {@code ./bpnn xor --activation sigmoid --learning-rate 2}.
 */
@Command(name = "xor", mixinStandardHelpOptions = true, description = "Learn XOR with a 2-4-1 network.")
public final class XorCommand implements Callable<Integer> {
    @Mixin
    BackendOptions backendOptions = new BackendOptions();

    @Option(names = "--activation", defaultValue = "tanh", description = "Hidden activation: " + HIDDEN_ACTIVATIONS_HELP
            + " (which cannot learn XOR) (default: ${DEFAULT-VALUE}).")
    String activation;

    /**
     * Far more than XOR needs (2 to 4), and bounded: the network holds about 20 floats per neuron,
     * about 80 MB at this cap (within the default heap; LauncherIT runs out of memory with it at 40 MB).
     */
    static final int MAX_HIDDEN = 1_000_000;

    @Option(names = "--hidden", defaultValue = "4", description = "Hidden neurons, 1 to 1000000 (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--epochs", defaultValue = "3000", description = "Full-batch steps (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--learning-rate", defaultValue = "0.5", description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the weight initialisation (default: ${DEFAULT-VALUE}).")
    long seed;

    /**
     * The --activation named, in any case (as --optimizer takes it). Softmax is refused here: it
     * belongs on an output layer, and the network builder would refuse it only after the backend was made.
     * Public for the train command, whose --activation takes the same names.
     */
    public static Activation hiddenActivation(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        switch (key) {
            case "sigmoid": case "tanh": case "relu": case "leaky_relu": case "identity":
                return Activation.of(key, 0.01f); // leaky_relu's slope: LEAKY_SLOPE_NOTE says so
            case "softmax":
                throw new IllegalArgumentException("--activation " + name + " is for an output layer, not the hidden one; expected "
                        + HIDDEN_ACTIVATIONS);
            default:
                throw new IllegalArgumentException("unknown --activation '" + name + "'; expected " + HIDDEN_ACTIVATIONS
                        + libraryAdvice(name));
        }
    }

    /**
     * The advice of {@link Activation#of}'s refusal of {@code name} ("; 'linear' is identity here: use
     * \"identity\"", "; gelu is not built in: implement Activation ..."), or "": the library keeps the
     * other libraries' names, this command only the subset a hidden layer takes, so its own list replaces
     * the library's (which has softmax). Advice pointing at softmax is dropped: this layer refuses it.
     */
    private static String libraryAdvice(String name) {
        String message;
        try {
            Activation.of(name, 0.01f); // not a built-in name in any case here (those were matched above): refused
            return "";
        } catch (IllegalArgumentException e) {
            message = e.getMessage();
        }
        // "unknown activation '<name>'; expected one of <list, no ';'>" and then the advice, if any
        String prefix = "unknown activation '" + name + "'; expected one of ";
        if (message == null || !message.startsWith(prefix)) return "";
        int advice = message.indexOf("; ", prefix.length());
        if (advice < 0 || message.contains("use \"softmax\"")) return "";
        if (message.contains("use \"leaky_relu\"")) {
            // the library's advice goes on with "its parameter is the slope", which no flag here sets: say the slope taken
            return "; '" + name + "' is leaky_relu here: use \"leaky_relu\"" + LEAKY_SLOPE_NOTE;
        }
        return message.substring(advice);
    }

    public static final String HIDDEN_ACTIVATIONS = "sigmoid, tanh, relu, leaky_relu or identity";

    /** The slope --activation leaky_relu takes ({@link #hiddenActivation}), said wherever a slope comes up. */
    static final String LEAKY_SLOPE_NOTE = " (slope 0.01, which no flag changes; another slope needs the Java API:"
            + " Activation.leakyRelu(slope))";

    /** --activation's list of names in a flag's help, with the slope leaky_relu gets. */
    public static final String HIDDEN_ACTIVATIONS_HELP = "sigmoid, tanh, relu, leaky_relu (slope 0.01) or identity";

    @Override
    public Integer call() {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (hidden < 1 || hidden > MAX_HIDDEN) {
            throw new IllegalArgumentException("--hidden must be in 1.." + MAX_HIDDEN + ", got " + hidden + "; XOR needs 2 to 4 (2 can stall in a local minimum; the default 4 learns it)");
        }
        Sgd sgd = Errors.forFlag("--learning-rate", () -> new Sgd(learningRate)); // checked before anything is printed
        Activation hiddenActivation = hiddenActivation(activation); // and --activation, before the backend logs its choice
        Backend backend = backendOptions.resolve();
        Network net = Network.builder(2)
                .dense(hidden, hiddenActivation)
                .dense(1, Activation.sigmoid())
                .loss(Loss.binaryCrossEntropy())
                .seed(seed)
                .backend(backend)
                .build();
        System.out.println(net);
        Tensor x = Tensor.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        Tensor y = Tensor.of(new float[][] {{0}, {1}, {1}, {0}});
        long t0 = System.nanoTime();
        double cost = Double.NaN;
        for (int e = 1; e <= epochs; e++) {
            cost = net.trainStep(x, y, sgd);
            if (e == 1 || e % Math.max(1, epochs / 10) == 0) {
                System.out.printf(Locale.ROOT, "epoch %5d  cost %.6f%n", e, cost);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Tensor p = net.predict(x);
        int[] classes = net.predictClasses(x); // class 1 from 0.5
        int correct = 0;
        for (int i = 0; i < 4; i++) {
            correct += classes[i] == (int) y.get(i, 0) ? 1 : 0;
            float v = p.get(i, 0);
            // next to 0.5 four decimals hide which side it is on ("0.5000 (1)" beside "0.5000 (0)")
            String shown = String.format(Locale.ROOT, "%.4f", v);
            if (shown.equals("0.5000")) shown = Float.toString(v);
            System.out.printf(Locale.ROOT, "  %d XOR %d -> %s (%d)%n", (int) x.get(i, 0), (int) x.get(i, 1), shown, classes[i]);
        }
        System.out.println(new Summary("xor", backend).put("epochs", epochs).put("train_accuracy", correct / 4.0)
                .put("final_loss", net.evaluateLoss(x, y)).put("seconds", seconds).toJson());
        return 0;
    }
}
