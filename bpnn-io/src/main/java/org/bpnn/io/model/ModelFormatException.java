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
    /** Set when the file was refused for holding more floats than ModelFile.Limits.maxParameters. */
    private final OverLimits overLimits;

    /**
     * A file refused for holding more floats than {@link ModelFile.Limits#maxParameters}: what it
     * holds, so that a caller can word its own remedy (the command line's is a flag, not a call).
     *
     * @param floats        the floats the file holds
     * @param contents      what they are, e.g. "99 parameters, 297 optimiser state values, 0 MiB"
     * @param limit         the maxParameters that refused them
     * @param defaultLimits whether those were {@link ModelFile.Limits#DEFAULT}
     */
    public record OverLimits(long floats, String contents, long limit, boolean defaultLimits) implements java.io.Serializable {}

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

    /** What the file holds when it was refused for {@link ModelFile.Limits#maxParameters}, else null. */
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
