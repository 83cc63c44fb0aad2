package org.bpnn.io.model;

import java.util.Map;
import org.bpnn.nn.Network;

/**
 * Everything a model file holds: the network (architecture and weights) and its metadata. This is
 * what {@link ModelFile#load} returns and what {@link ModelFile#save(SavedModel, java.nio.file.Path)}
 * writes.
 *
 * @param network  the network; its layers must be built-in types and its weights finite
 * @param metadata where the network came from; its seed must be the network's seed
 */
public record SavedModel(Network network, ModelMetadata metadata) {

    public SavedModel {
        if (network == null) {
            throw new IllegalArgumentException("network is null");
        }
        if (metadata == null) {
            metadata = ModelMetadata.of(network, Map.of());
        }
        if (metadata.seed() != network.seed()) {
            throw new IllegalArgumentException("metadata says seed " + metadata.seed() + " but the network was built with seed "
                    + network.seed() + "; use ModelMetadata.of(network, training)");
        }
    }

    /** A model with metadata describing {@code network} now and an empty training summary. */
    public static SavedModel of(Network network) {
        return new SavedModel(network, null);
    }

    /** A model with metadata describing {@code network} now and the given training summary. */
    public static SavedModel of(Network network, Map<String, ?> training) {
        return new SavedModel(network, ModelMetadata.of(network, training));
    }

    /** The network's output for one sample x: (inputSize). */
    public float[] predict(float... x) {
        return network.predict(x);
    }
}
