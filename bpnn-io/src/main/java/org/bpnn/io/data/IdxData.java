package org.bpnn.io.data;

import java.util.Arrays;
import org.bpnn.io.internal.Counts;
import org.bpnn.tensor.Tensor;

/**
 * The content of one IDX file: its type code, its dimension sizes and its raw payload.
 *
 * <p>For type code 0x08 (unsigned byte, the only one {@link IdxReader} accepts) {@code data.length}
 * is the product of {@code dims}, stored row-major (the last dimension varies fastest); read a value
 * as {@code data[i] & 0xFF}. The arrays are not copied.
 *
 * @param typeCode the IDX type code, byte 2 of the file (0x08)
 * @param dims the dimension sizes, 1 to 4 of them, each positive; e.g. (60000, 28, 28) for images
 * @param data the payload bytes, {@code product(dims)} of them
 */
public record IdxData(int typeCode, int[] dims, byte[] data) {

    /** Checks what the parameters promise (IdxReader's data always passes; a hand-built record may not). */
    public IdxData {
        if (dims == null || data == null) {
            throw new IllegalArgumentException("IDX data needs dims and data, got " + (dims == null ? "null dims" : "dims")
                    + " and " + (data == null ? "null data" : "data"));
        }
        if (dims.length < 1 || dims.length > 4) {
            throw new IllegalArgumentException("IDX data has 1 to 4 dimensions, got " + dims.length);
        }
        long product = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] <= 0) {
                throw new IllegalArgumentException("IDX dimension " + i + " is " + dims[i] + "; every size must be positive");
            }
            product *= dims[i];
            if (product > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("IDX dims " + java.util.Arrays.toString(dims) + " hold more elements than a Java array");
            }
        }
        if (product != data.length) {
            throw new IllegalArgumentException("IDX dims " + java.util.Arrays.toString(dims) + " hold " + Counts.of(product, "element") + ", but data has "
                    + Counts.of(data.length, "byte"));
        }
    }

    /** Number of elements, the product of {@link #dims()}. */
    public int count() {
        return data.length;
    }

    /**
     * The payload as a tensor of shape (dims[0], dims[1] * ... * dims[k-1]), each unsigned byte
     * multiplied by {@code scale}: one sample per row, the remaining dimensions flattened row-major.
     * A 1-D file becomes (dims[0], 1).
     *
     * @param scale factor applied to every value, finite and &gt; 0 (0 would zero every value, a
     *     negative one flip their sign): e.g. {@code 1f} for raw 0..255 or {@code 1f / 255} for 0..1
     */
    public Tensor toTensor(float scale) {
        checkScale(scale);
        int rows = dims[0];
        int cols = data.length / rows;
        float[] table = scaleTable(scale);
        float[] out = new float[data.length];
        byte[] in = data;
        for (int i = 0; i < in.length; i++) {
            out[i] = table[in[i] & 0xFF];
        }
        return Tensor.wrap(rows, cols, out);
    }

    /**
     * The samples {@code samples[from..to)} (entries of dimension 0, in that order; they may repeat) as a
     * tensor of shape (to - from, dims[1] * ... * dims[k-1]), each unsigned byte multiplied by
     * {@code scale}: row i holds the values {@link #toTensor(float)} puts in row {@code samples[from + i]},
     * bit for bit. It allocates only its result, so a caller can split a large file into parts without
     * first holding all of it as floats (a float is four times the byte it is made from).
     *
     * @param scale as for {@link #toTensor(float)}: finite and &gt; 0
     * @throws IllegalArgumentException when samples is null, [from, to) is empty or outside it, or a sample
     *         index is outside [0, dims[0])
     */
    public Tensor toTensor(int[] samples, int from, int to, float scale) {
        checkScale(scale);
        if (samples == null) {
            throw new IllegalArgumentException("samples is null; pass the indices of the samples to convert, each in [0, " + dims[0] + ")");
        }
        if (from < 0 || to > samples.length || from >= to) {
            throw new IllegalArgumentException("sample range [" + from + ", " + to + ") is empty or outside the " + samples.length
                    + " indices given");
        }
        int rows = dims[0];
        int cols = data.length / rows;
        float[] table = scaleTable(scale);
        float[] out = new float[Math.multiplyExact(to - from, cols)];
        byte[] in = data;
        for (int i = 0; i < to - from; i++) {
            int r = samples[from + i];
            if (r < 0 || r >= rows) {
                throw new IllegalArgumentException("sample index " + r + " at position " + (from + i) + " is outside [0, " + rows
                        + "): the data holds " + Counts.of(rows, "sample") + "; pass indices of existing samples");
            }
            for (int j = 0, src = r * cols, dst = i * cols; j < cols; j++) {
                out[dst + j] = table[in[src + j] & 0xFF];
            }
        }
        return Tensor.wrap(to - from, cols, out);
    }

    /** Each byte value 0..255 times {@code scale}, the float it becomes: one multiply per value, not per element. */
    private static float[] scaleTable(float scale) {
        float[] table = new float[256];
        for (int i = 0; i < 256; i++) {
            table[i] = i * scale;
        }
        return table;
    }

    /** Refuses a scale that is not finite and &gt; 0, or that would take 255 beyond the float range. */
    static void checkScale(float scale) {
        if (!(scale > 0) || !Float.isFinite(scale * 255f)) {
            throw new IllegalArgumentException("scale must be finite and > 0, got " + scale
                    + (!Float.isFinite(scale) ? "" : scale == 0 ? " (every value would be 0)"
                    : scale < 0 ? " (every value would change sign)" : " (255 * scale is not a finite float)")
                    + "; use e.g. 1f for raw 0..255 or 1f / 255 for 0..1");
        }
    }

    /** The payload as unsigned values 0..255, one int per byte. */
    public int[] toIntArray() {
        int[] out = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = data[i] & 0xFF;
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxData d && d.typeCode == typeCode && Arrays.equals(d.dims, dims) && Arrays.equals(d.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * typeCode + Arrays.hashCode(dims)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "IdxData[typeCode=0x" + String.format("%02X", typeCode) + ", dims=" + Arrays.toString(dims)
                + ", bytes=" + data.length + "]";
    }
}
