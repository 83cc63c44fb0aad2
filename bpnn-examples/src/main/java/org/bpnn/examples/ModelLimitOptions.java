package org.bpnn.examples;

import org.bpnn.io.model.ModelFile;
import org.bpnn.io.model.ModelFormatException;
import picocli.CommandLine.Option;

/**
 * The load-limit flags of a command that reads a model file ({@code --max-floats}, {@code --max-layers},
 * {@code --max-units}) of {@code predict}, {@code evaluate} and {@code inspect}: one declaration, one
 * range check and one wording of an over-limit refusal as the flag and the number to pass.
 */
public final class ModelLimitOptions {
    /**
     * The largest --max-layers: more layers than any model file can describe. Its JSON header is at most
     * {@code Limits.DEFAULT.maxHeaderBytes()} (1 MiB; bpnn writes none longer, and the loader refuses a
     * longer one as not bpnn's), and in the layers array each layer takes at least two bytes, a value and
     * a comma; a larger limit would admit nothing more (as under --max-units, beyond the bound is refused,
     * not capped). A literal, for --help's
     * text (an annotation's value is a constant); a test ties it to the default.
     */
    public static final int MAX_LAYERS = (1 << 20) / 2;

    @Option(names = "--max-floats", paramLabel = "N",
            description = "The most floats the model file may hold (weights and normalisers; in a checkpoint also the optimiser "
                    + "state and best weights, counted even where not loaded), checked before the weights are read; a larger model "
                    + "needs a larger N and the memory for it, e.g. BPNN_JAVA_OPTS=-Xmx8g (at most " + ModelFile.Limits.MAX_FLOATS
                    + "; default: ${DEFAULT-VALUE}, 1 GiB).")
    long maxFloats = ModelFile.Limits.DEFAULT.maxParameters();

    // long, as --max-floats: a value beyond an int gets this range message, not picocli's "is not an int"
    @Option(names = "--max-layers", paramLabel = "N",
            description = "The most layers the model may have, dropout layers included (at most " + MAX_LAYERS
                    + ", more than a model file's 1 MiB header can describe; default: ${DEFAULT-VALUE}).")
    long maxLayers = ModelFile.Limits.DEFAULT.maxLayers();

    @Option(names = "--max-units", paramLabel = "N",
            description = "The most inputs, or units in one layer, the model may have; a wider model needs the memory "
                    + "for it, as under --max-floats (at most " + ModelFile.Limits.MAX_UNITS + ", the widest a network "
                    + "can be; default: ${DEFAULT-VALUE}).")
    long maxUnits = ModelFile.Limits.DEFAULT.maxUnits();

    /** The limits the flags give, after checking each is in its range (a refusal names the flag). */
    public ModelFile.Limits limits() {
        if (maxFloats < 1 || maxFloats > ModelFile.Limits.MAX_FLOATS) {
            throw new IllegalArgumentException("--max-floats must be in 1.." + ModelFile.Limits.MAX_FLOATS + ", got " + maxFloats);
        }
        if (maxLayers < 1 || maxLayers > MAX_LAYERS) {
            throw new IllegalArgumentException("--max-layers must be in 1.." + MAX_LAYERS + ", got " + maxLayers
                    + " (a model file's header, at most " + ModelFile.Limits.DEFAULT.maxHeaderBytes() + " bytes, cannot"
                    + " describe more layers)");
        }
        if (maxUnits < 1 || maxUnits > ModelFile.Limits.MAX_UNITS) {
            throw new IllegalArgumentException("--max-units must be in 1.." + ModelFile.Limits.MAX_UNITS + ", got " + maxUnits
                    + " (no network is wider)");
        }
        return ModelFile.Limits.DEFAULT.withMaxParameters(maxFloats).withMaxLayers((int) maxLayers).withMaxUnits((int) maxUnits);
    }

    /**
     * A model file over the limits: the library's remedy (a {@code Limits} call) becomes the flag and the
     * number to pass, worded from the exception's {@link ModelFormatException#overLimits()}, never from
     * its message text. Other refusals are returned as they are.
     */
    public static ModelFormatException forTheCommandLine(ModelFormatException e) {
        ModelFormatException.OverLimits over = e.overLimits();
        if (over == null) {
            return e;
        }
        String flag = switch (over.which()) {
            case LAYERS -> "--max-layers";
            case UNITS -> "--max-units";
            case FLOATS -> "--max-floats";
        };
        long byDefault = over.which().in(ModelFile.Limits.DEFAULT);
        return new ModelFormatException(e.source(), e.location(), over.what() + ", more than the " + over.limit() + " "
                + flag + " allows" + (over.limit() == byDefault ? " (the default)" : "") + "; if you trust the file"
                + (over.needsMemory() ? " and have the memory" : "") + ", pass " + flag + " " + over.found(), e);
    }
}
