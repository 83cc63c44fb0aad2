package org.bpnn.io.model;

import java.util.List;
import java.util.Locale;
import org.bpnn.data.Normaliser;
import org.bpnn.nn.Initializer;

/** The closed sets of names a model file may use: no class names ever appear in a file. */
final class LayerTags {
    static final String DENSE = "dense";
    static final String DROPOUT = "dropout";
    static final String SUPPORTED = "dense, dropout";
    /*
     * The activation and loss names of the format, as the package documentation specifies them and
     * tools/bpnn_model.py implements them: written out, not taken from Activation.names() and
     * Loss.names(), because a name a later bpnn-core adds is not thereby one every reader of the format
     * (an older bpnn, the Python reader) can load. ModelReader and ModelWriter build and check through
     * Activation.of and Loss.of, so these lists are the format only while they equal the core's:
     * FormatNamesTest fails when the two differ, and says what adding a name to the format takes.
     */
    static final List<String> ACTIVATIONS = List.of("identity", "sigmoid", "tanh", "relu", "leaky_relu", "softmax");
    static final List<String> LOSSES = List.of("mse", "mae", "huber", "binary_cross_entropy", "binary_cross_entropy_logits",
            "categorical_cross_entropy", "categorical_cross_entropy_logits");
    static final String INITIALIZERS = "xavier_uniform, xavier_normal, he_uniform, he_normal, zeros, custom";

    static final String NORMALISER_CENTER = "normaliser.center";
    static final String NORMALISER_SCALE = "normaliser.scale";
    static final String TARGET_NORMALISER_CENTER = "target_normaliser.center";
    static final String TARGET_NORMALISER_SCALE = "target_normaliser.scale";

    private LayerTags() {}

    static String normaliserKind(Normaliser.Kind kind) {
        return kind == Normaliser.Kind.STANDARDISE ? "standardise" : "min_max";
    }

    /** The kind for a name in a file; IllegalArgumentException for unknown names. */
    static Normaliser.Kind normaliserKind(String name) {
        switch (name) {
            case "standardise": return Normaliser.Kind.STANDARDISE;
            case "min_max": return Normaliser.Kind.MIN_MAX;
            default:
                throw new IllegalArgumentException("unknown normaliser kind '" + name + "'; expected standardise or min_max");
        }
    }

    static String weightName(int layer) {
        return "layers[" + layer + "].weight";
    }

    static String biasName(int layer) {
        return "layers[" + layer + "].bias";
    }

    /** The file's name for an initialiser: a built-in's lower-case name, or "custom". */
    static String initializerName(Initializer init) {
        return init instanceof Initializer.Builtin b ? b.name().toLowerCase(Locale.ROOT) : "custom";
    }

    /**
     * The initialiser for a name in a file, or null for "custom" (a user's initialiser cannot be
     * recreated; the loaded layer uses the default for its activation, which only matters for
     * re-initialisation, never for predictions). Throws IllegalArgumentException for other names.
     */
    static Initializer initializer(String name) {
        switch (name) {
            case "xavier_uniform": return Initializer.xavierUniform();
            case "xavier_normal": return Initializer.xavierNormal();
            case "he_uniform": return Initializer.heUniform();
            case "he_normal": return Initializer.heNormal();
            case "zeros": return Initializer.zeros();
            case "custom": return null;
            default:
                throw new IllegalArgumentException("unknown initializer '" + name + "'; expected one of " + INITIALIZERS);
        }
    }
}
