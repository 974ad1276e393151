package io.github.spectralcircuits.io;

import java.nio.file.Files;
import java.nio.file.Path;

/** The safetensors weights of a model directory: {@code model.safetensors}, or the shards of its index. */
public final class SafetensorsCheckpoints {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = ShardIndex.FILE_NAME;

    private SafetensorsCheckpoints() {
    }

    public static boolean present(Path modelDir) {
        return Files.exists(modelDir.resolve(SINGLE_FILE)) || Files.exists(modelDir.resolve(INDEX_FILE));
    }

    /** The single file when there is one (Hugging Face's loader prefers it), else the sharded index. */
    public static TensorSource open(Path modelDir) {
        Path single = modelDir.resolve(SINGLE_FILE);
        if (Files.exists(single)) {
            return SafetensorsSource.single(modelDir, single);
        }
        return SafetensorsSource.sharded(modelDir, ShardIndex.read(modelDir, modelDir.resolve(INDEX_FILE)));
    }
}
