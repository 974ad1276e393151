package io.github.spectralcircuits.io.torch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.spectralcircuits.io.ModelInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code pytorch_model.bin.index.json}: which shard holds each tensor. Shard names come from the
 * file, so each must resolve to a regular file inside the model directory, also after
 * symbolic links are followed.
 */
final class ShardIndex {
    private static final long MAX_INDEX_BYTES = 100L << 20;

    private final Path modelDir;
    private final Path index;
    private final Map<String, String> weightMap;
    private final Map<String, Path> resolved = new LinkedHashMap<>();

    private ShardIndex(Path modelDir, Path index, Map<String, String> weightMap) {
        this.modelDir = modelDir.toAbsolutePath().normalize();
        this.index = index;
        this.weightMap = weightMap;
    }

    Map<String, String> weightMap() {
        return weightMap;
    }

    static ShardIndex read(Path modelDir, Path index) {
        JsonNode root;
        try {
            if (Files.size(index) > MAX_INDEX_BYTES) {
                throw invalid(index, "it is larger than " + MAX_INDEX_BYTES + " bytes");
            }
            root = new ObjectMapper().readTree(index.toFile());
        } catch (JsonProcessingException e) {
            throw invalid(index, "it is not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw invalid(index, "it cannot be read (" + e.getMessage() + ")");
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject() || map.size() == 0) {
            throw invalid(index, "it has no non-empty \"weight_map\" object");
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw invalid(index, "the shard of tensor '" + Printable.of(e.getKey()) + "' is not a file name");
            }
            weightMap.put(e.getKey(), e.getValue().asText());
        }
        ShardIndex shards = new ShardIndex(modelDir, index, weightMap);
        for (String shard : weightMap.values()) {
            shards.resolve(shard);
        }
        return shards;
    }

    /** The shard's path, after checking that it stays inside the model directory. */
    Path resolve(String shard) {
        Path known = resolved.get(shard);
        if (known != null) {
            return known;
        }
        if (shard.isEmpty() || shard.indexOf('\0') >= 0 || shard.startsWith("/") || shard.startsWith("\\")
                || shard.matches("^[A-Za-z]:.*")) {
            throw escape(shard, "it is empty or an absolute path");
        }
        for (String part : shard.split("[/\\\\]")) {
            if (part.equals("..")) {
                throw escape(shard, "it climbs out with '..'");
            }
        }
        Path candidate = modelDir.resolve(shard).normalize();
        if (!candidate.startsWith(modelDir)) {
            throw escape(shard, "it resolves outside the directory");
        }
        if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
            throw new ModelInputException(index + " names the shard '" + Printable.of(shard) + "', which does not exist in "
                    + modelDir + ". The download is incomplete; fetch every shard the index lists.");
        }
        try {
            Path real = candidate.toRealPath();
            if (!real.startsWith(modelDir.toRealPath())) {
                throw escape(shard, "it is a symbolic link to " + real);
            }
            if (!Files.isRegularFile(real)) {
                throw escape(shard, "it is not a regular file");
            }
        } catch (IOException e) {
            throw new ModelInputException(index + " names the shard '" + Printable.of(shard) + "', which cannot be resolved ("
                    + e.getMessage() + "). Fetch every shard the index lists.");
        }
        resolved.put(shard, candidate);
        return candidate;
    }

    private ModelInputException escape(String shard, String why) {
        return new ModelInputException(index + " names the shard '" + Printable.of(shard) + "', which is not a file inside the model"
                + " directory " + modelDir + ": " + why + ". Shards must be plain file names next to the index; the"
                + " index may be hostile. Fix or replace the index.");
    }

    private static ModelInputException invalid(Path index, String what) {
        return new ModelInputException("The shard index " + index + " cannot be used: " + what + ". It should be a JSON"
                + " object with a \"weight_map\" from tensor names to shard file names; download it again.");
    }
}
