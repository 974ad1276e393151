package io.github.spectralcircuits.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code model.safetensors.index.json}: which shard holds each tensor. The shard names come from
 * the file, so each must resolve to a regular file inside the model directory: no absolute paths,
 * no {@code ..}, no symbolic link whose target lies outside. Shared by the safetensors and the
 * PyTorch readers ({@code pytorch_model.bin.index.json} has the same form).
 */
public final class ShardIndex {
    static final String FILE_NAME = "model.safetensors.index.json";
    private static final long MAX_INDEX_BYTES = 100_000_000L;

    private final Path file;
    private final Map<String, Path> weightMap;
    private final List<Path> shards;

    private ShardIndex(Path file, Map<String, Path> weightMap, List<Path> shards) {
        this.file = file;
        this.weightMap = weightMap;
        this.shards = shards;
    }

    public Path file() {
        return file;
    }

    /** Tensor name to the checked path of its shard, in the order of the index. */
    public Map<String, Path> weightMap() {
        return weightMap;
    }

    /** The distinct shards, in order of first mention. */
    public List<Path> shards() {
        return shards;
    }

    public static ShardIndex read(Path directory, Path indexFile) {
        JsonNode weights = parse(indexFile).get("weight_map");
        if (weights == null || !weights.isObject()) {
            throw new ModelInputException(indexFile + " has no \"weight_map\" object (tensor name -> shard file). "
                    + "The index is damaged; download it again with the shards it lists.");
        }
        if (weights.isEmpty()) {
            throw new ModelInputException(indexFile + " has an empty \"weight_map\", so it names no tensors. "
                    + "The index is damaged; download it again with the shards it lists.");
        }
        Path realDirectory = realPath(directory, directory);
        Map<String, Path> checked = new LinkedHashMap<>();
        Map<String, Path> weightMap = new LinkedHashMap<>();
        Map<Path, Integer> tensorsPerShard = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> entries = weights.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> e = entries.next();
            String tensor = e.getKey();
            if (!e.getValue().isTextual()) {
                throw new ModelInputException(indexFile + ": \"weight_map\" gives " + abbreviate(e.getValue().toString())
                        + " for tensor " + SafetensorsHeader.quote(tensor) + ", but each entry must be a shard "
                        + "file name. The index is damaged; download it again.");
            }
            String shardName = e.getValue().textValue();
            Path shard = checked.get(shardName);
            if (shard == null) {
                shard = resolveShard(directory, realDirectory, indexFile, shardName);
                checked.put(shardName, shard);
            }
            weightMap.put(tensor, shard);
            tensorsPerShard.merge(shard, 1, Integer::sum);
        }
        // Missing shards are reported after all names were checked, so an escape is never masked by absence.
        for (Map.Entry<Path, Integer> e : tensorsPerShard.entrySet()) {
            if (!Files.exists(e.getKey())) {
                throw new ModelInputException(indexFile + " lists shard " + directory.relativize(e.getKey())
                        + " (holding " + e.getValue() + (e.getValue() == 1 ? " tensor" : " tensors") + "), but " + e.getKey() + " does not exist. "
                        + "The download is incomplete; fetch the missing shard.");
            }
        }
        for (Path shard : tensorsPerShard.keySet()) {
            Path real = realPath(shard, directory);
            if (!real.startsWith(realDirectory)) {
                throw new ModelInputException(indexFile + " lists shard " + directory.relativize(shard)
                        + ", which is a symbolic link to " + real + ", outside the model directory " + realDirectory
                        + ". Shards must be files inside the model directory; copy the shard into it.");
            }
            if (!Files.isRegularFile(real)) {
                throw new ModelInputException(indexFile + " lists shard " + directory.relativize(shard)
                        + ", which is not a regular file. Check the model directory's contents.");
            }
        }
        return new ShardIndex(indexFile, Collections.unmodifiableMap(weightMap),
                List.copyOf(new LinkedHashSet<>(tensorsPerShard.keySet())));
    }

    /** Rejects names that could reach outside the directory before the file system is asked anything. */
    private static Path resolveShard(Path directory, Path realDirectory, Path indexFile, String name) {
        String problem = null;
        Path relative = null;
        if (name.isEmpty()) {
            problem = "is empty";
        } else {
            try {
                relative = Path.of(name);
            } catch (InvalidPathException e) {
                problem = "is not a valid file name";
            }
        }
        if (problem == null && (relative.isAbsolute() || relative.getRoot() != null || name.startsWith("/")
                || name.startsWith("\\"))) {
            problem = "is an absolute path";
        }
        if (problem == null) {
            for (Path part : relative) {
                String p = part.toString();
                if (p.equals("..") || p.contains("\\..") || p.contains("..\\")) {
                    problem = "climbs out of the directory with \"..\"";
                    break;
                }
            }
        }
        if (problem == null && !directory.resolve(relative).normalize().startsWith(directory.normalize())) {
            problem = "resolves outside the model directory";
        }
        if (problem != null) {
            throw new ModelInputException(indexFile + " names shard \"" + abbreviate(name) + "\", which " + problem
                    + ". Shard names must be relative paths inside the model directory " + realDirectory
                    + "; the index is damaged or hostile, so it is refused. Fix the index or download the model again.");
        }
        return directory.resolve(relative).normalize();
    }

    /** The index as a Jackson tree ({@link ModelJson}), refused unless it is a JSON object. */
    private static JsonNode parse(Path indexFile) {
        try {
            if (Files.size(indexFile) > MAX_INDEX_BYTES) {
                throw new ModelInputException(indexFile + " is " + Files.size(indexFile) + " bytes, more than any real "
                        + "shard index (limit " + MAX_INDEX_BYTES + "); check that the file is genuine.");
            }
            JsonNode root = ModelJson.MAPPER.readTree(indexFile.toFile());
            if (root == null || !root.isObject()) {
                throw new ModelInputException(indexFile + " is not a JSON object with a \"weight_map\". "
                        + "The index is damaged; download it again.");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new ModelInputException(indexFile + " is not valid JSON (" + abbreviate(String.valueOf(e.getOriginalMessage()))
                    + "). The index is damaged; download it again.", e);
        } catch (IOException e) {
            throw new ModelInputException("Cannot read " + indexFile + ": " + e.getMessage()
                    + ". Check that the file is readable.", e);
        }
    }

    private static Path realPath(Path path, Path directory) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new ModelInputException("Cannot resolve " + path + " in " + directory + ": " + e.getMessage()
                    + ". Check that it exists and is readable.", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
