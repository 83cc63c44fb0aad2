package org.bpnn.io.data;

import java.io.IOException;

/**
 * An IDX file is malformed or holds something {@link IdxReader} does not support.
 *
 * <p>The message names the file, the byte offset (counted in the decompressed stream for gzipped
 * files), what was expected and what was found. This is a checked {@link IOException} rather than an
 * {@link IllegalArgumentException}: a truncated download or a wrong file is a property of the data on
 * disk, which the caller cannot rule out by writing correct code and must be prepared to report.
 */
public final class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long offset;

    /**
     * @param source the file name or stream description
     * @param offset the byte offset the problem was found at, or -1 when it is not about one position
     * @param message the full message, already naming {@code source}
     */
    public IdxFormatException(String source, long offset, String message) {
        super(message);
        this.source = source;
        this.offset = offset;
    }

    public IdxFormatException(String source, long offset, String message, Throwable cause) {
        super(message, cause);
        this.source = source;
        this.offset = offset;
    }

    /** The file name or stream description the error is about. */
    public String source() {
        return source;
    }

    /** The byte offset of the problem (decompressed, for gzip), or -1 when it is not about one position. */
    public long offset() {
        return offset;
    }
}
