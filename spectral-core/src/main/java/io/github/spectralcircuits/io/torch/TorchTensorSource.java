package io.github.spectralcircuits.io.torch;

import io.github.spectralcircuits.io.DType;
import io.github.spectralcircuits.io.ModelInputException;
import io.github.spectralcircuits.io.TensorInfo;
import io.github.spectralcircuits.io.TensorSource;
import io.github.spectralcircuits.linalg.RowMatrix;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The floating-point tensors of one or more torch.save archives (one file, or the shards of one model). */
final class TorchTensorSource implements TensorSource {
    private final Path directory;
    private final List<TorchArchive> archives;
    private final Map<String, TorchTensor> tensors;
    private final Map<String, StorageType> unreadable;

    /** tensors: name to tensor, each from one of the archives, which this source closes. */
    TorchTensorSource(Path directory, List<TorchArchive> archives, Map<String, TorchTensor> tensors,
            Map<String, StorageType> unreadable) {
        this.directory = directory;
        this.archives = List.copyOf(archives);
        this.tensors = new LinkedHashMap<>(tensors);
        this.unreadable = new LinkedHashMap<>(unreadable);
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    @Override
    public TensorInfo info(String name) {
        return tensor(name).info();
    }

    @Override
    public double[] readDoubles(String name) {
        return tensor(name).readDoubles();
    }

    @Override
    public RowMatrix rowMatrix(String name) {
        return tensor(name).rowMatrix();
    }

    @Override
    public long checksum(String name) {
        return tensor(name).checksum();
    }

    @Override
    public long byteLength(String name) {
        return tensor(name).byteLength();
    }

    @Override
    public DType dtype() {
        Map<DType, Long> counts = new EnumMap<>(DType.class);
        for (TorchTensor t : tensors.values()) {
            counts.merge(t.info().dtype(), t.info().elementCount(), Long::sum);
        }
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(DType.F32);
    }

    private TorchTensor tensor(String name) {
        TorchTensor t = tensors.get(name);
        if (t != null) {
            return t;
        }
        StorageType type = unreadable.get(name);
        if (type != null) {
            throw new ModelInputException("Tensor '" + Printable.of(name) + "' in the PyTorch checkpoint of " + directory
                    + " is stored as " + type.qualifiedName() + "; only floating-point tensors ("
                    + StorageType.supportedList() + ") can be analysed. Check the tensor names the model's"
                    + " architecture expects.");
        }
        throw new ModelInputException("Tensor '" + Printable.of(name) + "' is missing from the PyTorch checkpoint of " + directory
                + " (it holds " + tensors.size() + " floating-point tensors). Check that config.json's architecture"
                + " matches the weights, and that the checkpoint is complete.");
    }

    @Override
    public void close() {
        for (TorchArchive a : archives) {
            a.close();
        }
    }
}
