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

    /**
     * @param source   the file name or a description of the bytes
     * @param location a JSON path ({@code $.a.b[0]}) or {@code byte N}
     * @param problem  what is wrong: expected versus found
     */
    public ModelFormatException(String source, String location, String problem) {
        this(source, location, problem, null);
    }

    public ModelFormatException(String source, String location, String problem, Throwable cause) {
        super(source + ": at " + location + ": " + problem, cause);
        this.source = source;
        this.location = location;
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
