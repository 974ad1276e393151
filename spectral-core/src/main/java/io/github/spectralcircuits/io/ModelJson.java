package io.github.spectralcircuits.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;

/**
 * The mapper for the JSON files of a model directory (config.json, the shard index, the safetensors header):
 * the project's shared configuration ({@link JsonMappers}: a duplicate key is an error, jackson-core's default
 * read constraints apply), nothing added. Small files are read as trees; the
 * safetensors header, which can be 100 MB of hostile input, is parsed as a token stream from its factory.
 */
public final class ModelJson {
    public static final ObjectMapper MAPPER = JsonMappers.builder().build();

    private ModelJson() {
    }

    /** What a node is, as error messages name it: "object", "array", "string", "number", "nothing"... */
    public static String kind(JsonNode node) {
        return node == null || node.isMissingNode() ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
