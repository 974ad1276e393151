package io.github.spectralcircuits.io;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Locale;

/**
 * The one Jackson configuration for the JSON files of a model directory (config.json, the shard index, the
 * safetensors header): a duplicate key is an error, not "last one wins", and jackson-core's default read
 * constraints (nesting depth, number and string lengths) apply. Small files are read as trees; the
 * safetensors header, which can be 100 MB of hostile input, is parsed as a token stream from its factory.
 */
public final class ModelJson {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ModelJson() {
    }

    /** What a node is, as error messages name it: "object", "array", "string", "number", "nothing"... */
    public static String kind(JsonNode node) {
        return node == null || node.isMissingNode() ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
