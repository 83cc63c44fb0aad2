package org.bpnn.io.model;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bpnn.nn.Network;

/**
 * What a model file says about where its model came from. None of it affects predictions.
 *
 * @param libraryVersion the bpnn version that wrote the file ({@link ModelFile#LIBRARY_VERSION})
 * @param created        when the file was written (ISO-8601 UTC in the file)
 * @param backend        the name of the backend the network was trained on, e.g. "scalar" or "simd"
 * @param seed           the seed the network's weights were initialised from ({@link Network#seed()});
 *                       a loaded network reports it again
 * @param training       a free-form summary (epochs, final loss, accuracy, data set, ...): keys are
 *                       non-empty strings, values are {@link String}, {@link Boolean}, {@link Long}
 *                       (Integer, Short and Byte are widened on the way in) or finite {@link Double}
 *                       (Float is widened); insertion order is kept
 */
public record ModelMetadata(String libraryVersion, Instant created, String backend, long seed,
                            Map<String, Object> training) {

    /** At most this many entries in {@link #training()}. */
    public static final int MAX_TRAINING_ENTRIES = 1024;

    public ModelMetadata {
        if (libraryVersion == null || created == null || backend == null) {
            throw new IllegalArgumentException("metadata needs a library version, a creation time and a backend name; got "
                    + libraryVersion + ", " + created + ", " + backend);
        }
        requireText("the library version", libraryVersion);
        requireText("the backend name", backend);
        training = normalise(training);
    }

    /**
     * A string the file can hold: a lone UTF-16 surrogate (half of a pair, e.g. from cutting a string
     * between the two chars of an emoji) has no UTF-8 form and would come back as '?'.
     */
    private static void requireText(String what, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " has a lone UTF-16 surrogate (U+" + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)
                        + ") at index " + i + ", half of a character, which a model file cannot hold (it would read back as '?'); "
                        + "remove it or keep the whole character");
            }
        }
    }

    /** Metadata for {@code network} written now by this library, with a training summary (may be null). */
    public static ModelMetadata of(Network network, Map<String, ?> training) {
        if (network == null) {
            throw new IllegalArgumentException("network is null; pass the network the metadata describes");
        }
        return new ModelMetadata(ModelFile.LIBRARY_VERSION, Instant.now(), network.backend().name(), network.seed(),
                training == null ? Map.of() : new LinkedHashMap<String, Object>(training));
    }

    /** The same metadata with another creation time (e.g. a fixed one for reproducible files). */
    public ModelMetadata withCreated(Instant when) {
        return new ModelMetadata(libraryVersion, when, backend, seed, training);
    }

    private static Map<String, Object> normalise(Map<String, ?> in) {
        if (in == null || in.isEmpty()) {
            return Map.of();
        }
        if (in.size() > MAX_TRAINING_ENTRIES) {
            throw new IllegalArgumentException("training summary has " + in.size() + " entries, more than "
                    + MAX_TRAINING_ENTRIES);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : in.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            if (k == null || k.isEmpty()) {
                throw new IllegalArgumentException("training summary keys must be non-empty strings, got '" + k + "'");
            }
            requireText("training summary key '" + k + "'", k);
            Object w;
            if (v instanceof CharSequence s) {
                w = s.toString();
                requireText("training summary '" + k + "'", (String) w);
            } else if (v instanceof Boolean || v instanceof Long) {
                w = v;
            } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
                w = ((Number) v).longValue();
            } else if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                if (!Double.isFinite(d)) {
                    throw new IllegalArgumentException("training summary '" + k + "' is " + d + "; only finite numbers can be saved");
                }
                w = d;
            } else {
                throw new IllegalArgumentException("training summary '" + k + "' has a value of type "
                        + (v == null ? "null" : v.getClass().getName())
                        + "; expected String, Boolean, Long/Integer or Double/Float");
            }
            out.put(k, w);
        }
        return Collections.unmodifiableMap(out);
    }
}
