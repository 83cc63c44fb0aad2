package org.bpnn.io.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Floats appended one at a time, of a count not known in advance (a CSV's rows), then copied into one
 * array of exactly that count (a Tensor's data must be rows*cols long). One array doubled from 1,024 floats
 * and trimmed by a copy at the end would hold up to twice the data in the array, one and a half times the
 * array while it grows, and the copy beside it (428 MB at once for 160 MB of floats). Here they are held
 * in chunks that double from 1,024 floats (a 10-row file still allocates 4 KB) up to 64 Ki floats (256 KB)
 * and stay that size: the data and at most one chunk more, then the copy, about twice the data at the end.
 * 256 KB, not more: G1 makes an array of half a region (512 KB at the smallest) a humongous object, which
 * its full collections do not move, so large chunks scattered over the heap could leave no contiguous room
 * for the final array; small ones are ordinary objects, compacted like any other.
 *
 * <p>When the count is known in advance, or a bound on it (a plain file's records, counted by a first pass;
 * see CsvReader), the first chunk is made that size instead: filled exactly, it is handed out as the array
 * itself, no copy, so the data are held once. A bound that proves wrong costs memory, never data: more floats
 * go on in ordinary chunks after it, fewer are copied out into an array of their count, as above.
 */
final class FloatChunks {

    private static final int FIRST_CHUNK = 1 << 10;
    private static final int MAX_CHUNK = 1 << 16;

    /** The filled chunks, in order. */
    private final List<float[]> full = new ArrayList<>();
    /** The floats in the filled chunks. */
    private long fullSize;
    private float[] current;
    private int pos;

    /** Floats of a count not known in advance: chunks from 1,024 floats up. */
    FloatChunks() {
        current = new float[FIRST_CHUNK];
    }

    /**
     * Floats of about {@code expected} count (&gt;= 0): the first chunk holds that many (at least one), so
     * that {@link #toArray} of exactly that count is this chunk.
     */
    FloatChunks(int expected) {
        if (expected < 0) {
            throw new IllegalArgumentException("expected " + expected + " floats; expected a count >= 0");
        }
        current = new float[Math.max(1, expected)];
    }

    void add(float v) {
        if (pos == current.length) {
            full.add(current);
            fullSize += current.length;
            current = new float[Math.min(MAX_CHUNK, Math.max(FIRST_CHUNK, 2 * current.length))];
            pos = 0;
        }
        current[pos++] = v;
    }

    /** The floats added. */
    long size() {
        return fullSize + pos;
    }

    /**
     * The first {@code length} floats added, in one array of that length. This holder is emptied: a chunk
     * is let go once copied, so the collector may take it back while the rest are copied. One chunk of
     * exactly that length (a first chunk made to the count) is returned itself.
     */
    float[] toArray(int length) {
        if (length < 0 || length > size()) {
            throw new IllegalStateException("toArray(" + length + ") of " + size() + " floats");
        }
        if (full.isEmpty() && current.length == length) {
            float[] out = current; // pos == length: size() >= length
            current = new float[0];
            pos = 0;
            return out;
        }
        float[] out = new float[length];
        int at = 0;
        for (int i = 0; i < full.size() && at < length; i++) {
            float[] chunk = full.set(i, null);
            int k = Math.min(chunk.length, length - at);
            System.arraycopy(chunk, 0, out, at, k);
            at += k;
        }
        if (at < length) {
            System.arraycopy(current, 0, out, at, length - at);
        }
        full.clear();
        fullSize = 0;
        current = new float[0];
        pos = 0;
        return out;
    }
}
