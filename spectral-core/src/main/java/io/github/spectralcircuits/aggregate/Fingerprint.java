package io.github.spectralcircuits.aggregate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The weights' fingerprint a report carries (its top-level "fingerprint": a fast hash of the tensors the
 * analysis read), so that two checkpoints with the same weights can be told apart from two that differ.
 * Read leniently: a report written before fingerprints existed has none (null), and a field that is
 * missing or of another kind is null rather than a refused report, since the aggregate only carries it.
 */
public record Fingerprint(String algorithm, String value, Long tensors, Long bytes) {

    /** The fingerprint in a report's JSON, or null when it has none. */
    static Fingerprint of(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        return new Fingerprint(text(node.get("algorithm")), text(node.get("value")), count(node.get("tensors")),
                count(node.get("bytes")));
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
    }

    /** A number, or the length of a list (of tensor names, say). */
    private static Long count(JsonNode n) {
        if (n == null) {
            return null;
        }
        if (n.canConvertToLong() && n.isIntegralNumber()) {
            return n.asLong();
        }
        return n.isArray() ? Long.valueOf(n.size()) : null;
    }
}
