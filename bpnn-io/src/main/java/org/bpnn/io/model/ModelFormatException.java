package org.bpnn.io.model;

import java.io.IOException;

/**
 * A model or checkpoint file is malformed, corrupt, from a newer format version, or describes
 * something this library refuses to load (unknown layer type, activation or loss; sizes beyond the
 * {@link ModelFile.Limits}; NaN or infinite weights).
 *
 * <p>This is the <em>only</em> exception {@link ModelFile#load} throws for bad content: whatever
 * the bytes, a load either returns a model or throws this. It is a checked {@link IOException}
 * because a truncated download or a foreign file is a property of the data on disk that the caller
 * cannot rule out by writing correct code. Plain {@link IOException}s (file not found, permission
 * denied, disk errors) are not wrapped: they are about the file system, not the content.
 *
 * <p>The message reads {@code "<source>: at <location>: <problem>"}, where the location is a JSON
 * path into the header ({@code $.architecture.layers[1].units}) or a byte offset into the file
 * ({@code byte 20}), and the problem says what was expected and what was found.
 */
public final class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String location;
    /** Set when the file was refused for going over one of the ModelFile.Limits that a caller may raise. */
    private final OverLimits overLimits;

    /**
     * The {@link ModelFile.Limits} a file can go over and still be one bpnn may have written: a
     * caller who trusts the file can raise them (the header size is not one: bpnn never writes a
     * header over the default, so such a file is refused as not bpnn's or damaged).
     */
    public enum Limit {
        /** {@link ModelFile.Limits#maxLayers}: the layers in {@code architecture.layers}, dropout included. */
        LAYERS("maxLayers", "withMaxLayers"),
        /** {@link ModelFile.Limits#maxUnits}: the network's input size or one layer's width. */
        UNITS("maxUnits", "withMaxUnits"),
        /** {@link ModelFile.Limits#maxParameters}: every float in the file. */
        FLOATS("maxParameters", "withMaxParameters");

        private final String component;
        private final String with;

        Limit(String component, String with) {
            this.component = component;
            this.with = with;
        }

        /** The name of the {@link ModelFile.Limits} component, e.g. "maxUnits". */
        public String component() {
            return component;
        }

        /** The name of the {@link ModelFile.Limits} method that raises it, e.g. "withMaxUnits". */
        public String with() {
            return with;
        }

        /** This limit's value in {@code limits}. */
        public long in(ModelFile.Limits limits) {
            return switch (this) {
                case LAYERS -> limits.maxLayers();
                case UNITS -> limits.maxUnits();
                case FLOATS -> limits.maxParameters();
            };
        }
    }

    /**
     * A file refused for going over one of the {@link ModelFile.Limits}: which, what it holds and the
     * limit, so that a caller can word its own remedy (the command line's is a flag, not a call).
     *
     * @param which         the limit the file went over
     * @param found         the value found: the floats, the layers, or the input size or layer width
     * @param contents      what was counted, in words: for {@link Limit#FLOATS} what the floats are,
     *                      e.g. "99 parameters, 297 optimiser state values, 0 MiB"; for
     *                      {@link Limit#UNITS} "inputs" or "units in layers[2]"; for
     *                      {@link Limit#LAYERS} "layers"
     * @param limit         the value of that limit that refused the file
     * @param defaultLimits whether the limits were {@link ModelFile.Limits#DEFAULT} (all of them)
     */
    public record OverLimits(Limit which, long found, String contents, long limit, boolean defaultLimits)
            implements java.io.Serializable {
        /**
         * What the file holds, in words, for a refusal: "the file holds 300 floats (...)" or "the network
         * has 1025 layers". The library's message and the command line's start with it.
         */
        public String what() {
            return which == Limit.FLOATS ? "the file holds " + found + " floats (" + contents + ")"
                    : "the network has " + found + " " + contents;
        }

        /**
         * Whether allowing it takes memory as well as trust: more floats or wider layers do, more layers
         * need no more than their floats, which {@link Limit#FLOATS} counts.
         */
        public boolean needsMemory() {
            return which != Limit.LAYERS;
        }
    }

    /**
     * @param source   the file name or a description of the bytes
     * @param location a JSON path ({@code $.a.b[0]}) or {@code byte N}
     * @param problem  what is wrong: expected versus found
     */
    public ModelFormatException(String source, String location, String problem) {
        this(source, location, problem, null);
    }

    public ModelFormatException(String source, String location, String problem, Throwable cause) {
        this(source, location, problem, cause, null);
    }

    ModelFormatException(String source, String location, String problem, Throwable cause, OverLimits overLimits) {
        super(source + ": at " + location + ": " + problem, cause);
        this.source = source;
        this.location = location;
        this.overLimits = overLimits;
    }

    /**
     * Which limit the file went over, what it holds and the limit, when it was refused for going over
     * {@link ModelFile.Limits#maxLayers}, {@link ModelFile.Limits#maxUnits} or
     * {@link ModelFile.Limits#maxParameters}; else null.
     */
    public OverLimits overLimits() {
        return overLimits;
    }

    /** The file name or description of the bytes the error is about. */
    public String source() {
        return source;
    }

    /** Where the problem is: a JSON path such as {@code $.architecture.loss.name}, or {@code byte N}. */
    public String location() {
        return location;
    }
}
