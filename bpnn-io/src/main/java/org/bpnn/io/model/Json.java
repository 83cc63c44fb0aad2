package org.bpnn.io.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

/** The Jackson set-up for model-file headers: explicit read constraints, strict parsing. */
final class Json {
    /** The header is a few levels deep (root, architecture, layers, layer, activation); 16 is ample. */
    static final int MAX_NESTING_DEPTH = 16;
    /** Longest string value (metadata, training summary values). */
    static final int MAX_STRING_LENGTH = 64 * 1024;
    /** Longest number literal: a long, or a float/double in shortest form, fits easily. */
    static final int MAX_NUMBER_LENGTH = 64;
    /** Longest field name. */
    static final int MAX_NAME_LENGTH = 256;

    private static final ObjectMapper DEFAULT = mapper(ModelFile.Limits.DEFAULT.maxHeaderBytes());

    private Json() {}

    static ObjectMapper mapper(int maxHeaderBytes) {
        if (DEFAULT != null && maxHeaderBytes == ModelFile.Limits.DEFAULT.maxHeaderBytes()) {
            return DEFAULT;
        }
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxNameLength(MAX_NAME_LENGTH)
                .maxDocumentLength(maxHeaderBytes)
                .maxTokenCount(maxHeaderBytes)
                .build();
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(constraints)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                // BigDecimals as written (1.10 stays 1.10, not 1.1): withExactBigDecimals(true) before Jackson deprecated it
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .build();
    }
}
