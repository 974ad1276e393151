package io.github.spectralcircuits.io.torch;

import io.github.spectralcircuits.io.ModelInputException;
import io.github.spectralcircuits.io.ShardIndex;
import io.github.spectralcircuits.io.TensorSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point for the weights of a model directory saved with PyTorch's torch.save:
 * {@code pytorch_model.bin}, or shards listed in {@code pytorch_model.bin.index.json}. The files
 * are read as data only (see {@link PickleMachine}); a checkpoint that asks for anything beyond
 * plain tensors is refused. Directory resolution prefers safetensors; this is the fallback.
 */
public final class TorchCheckpoints {
    public static final String SINGLE_FILE = "pytorch_model.bin";
    public static final String INDEX_FILE = "pytorch_model.bin.index.json";

    private TorchCheckpoints() {
    }

    /** Whether the directory holds PyTorch weights this class can open. */
    public static boolean present(Path modelDir) {
        return Files.exists(modelDir.resolve(SINGLE_FILE)) || Files.exists(modelDir.resolve(INDEX_FILE));
    }

    /**
     * Opens the directory's PyTorch weights: the single file when there is one (as Hugging Face
     * transformers does), otherwise the shards of the index. Every file and tensor is checked now;
     * tensor data is mapped when read.
     */
    public static TensorSource open(Path modelDir) {
        Path single = modelDir.resolve(SINGLE_FILE);
        if (Files.exists(single)) {
            return openFile(single);
        }
        Path index = modelDir.resolve(INDEX_FILE);
        if (Files.exists(index)) {
            return openSharded(modelDir, index);
        }
        throw new ModelInputException("The model directory " + modelDir + " holds neither " + SINGLE_FILE + " nor "
                + INDEX_FILE + ". Put the model's weights there (model.safetensors is preferred).");
    }

    /** One torch.save file as a TensorSource whose directory is the file's folder. */
    public static TensorSource openFile(Path file) {
        TorchArchive archive = TorchArchive.open(file);
        Path dir = file.toAbsolutePath().getParent();
        return new TorchTensorSource(dir, List.of(archive), archive.tensors(), archive.unreadable());
    }

    private static TensorSource openSharded(Path modelDir, Path index) {
        ShardIndex shards = ShardIndex.read(modelDir, index);
        Map<Path, TorchArchive> byShard = new LinkedHashMap<>();
        boolean done = false;
        try {
            Map<String, TorchTensor> tensors = new LinkedHashMap<>();
            Map<String, StorageType> unreadable = new LinkedHashMap<>();
            for (Map.Entry<String, Path> e : shards.weightMap().entrySet()) {
                Path shard = e.getValue();
                TorchArchive archive = byShard.get(shard);
                if (archive == null) {
                    archive = TorchArchive.open(shard);
                    byShard.put(shard, archive);
                }
                TorchTensor t = archive.tensors().get(e.getKey());
                StorageType other = archive.unreadable().get(e.getKey());
                if (t != null) {
                    tensors.put(e.getKey(), t);
                } else if (other != null) {
                    unreadable.put(e.getKey(), other);
                } else {
                    throw new ModelInputException(index + " places tensor '" + Printable.of(e.getKey()) + "' in shard '"
                            + Printable.of(String.valueOf(shard.getFileName())) + "', but that shard does not hold it. The index and the shards come from different"
                            + " exports; download the model again.");
                }
            }
            TensorSource source = new TorchTensorSource(modelDir, new ArrayList<>(byShard.values()), tensors, unreadable);
            done = true;
            return source;
        } finally {
            if (!done) {
                byShard.values().forEach(TorchArchive::close);
            }
        }
    }
}
