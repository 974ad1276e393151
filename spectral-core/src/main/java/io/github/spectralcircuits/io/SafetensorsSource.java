package io.github.spectralcircuits.io;

import io.github.spectralcircuits.linalg.RowMatrix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The tensors of a model directory stored as one safetensors file or as shards listed in an index. */
final class SafetensorsSource implements TensorSource {
    private final Path directory;
    private final String describedAs;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> fileOf;
    private final DType dominant;

    private SafetensorsSource(Path directory, String describedAs, List<SafetensorsFile> files,
                              Map<String, SafetensorsFile> fileOf) {
        this.directory = directory;
        this.describedAs = describedAs;
        this.files = List.copyOf(files);
        this.fileOf = Collections.unmodifiableMap(fileOf);
        this.dominant = dominantDType(fileOf);
    }

    /** A directory whose weights are all in one file. */
    static SafetensorsSource single(Path directory, Path file) {
        SafetensorsFile f = SafetensorsFile.open(file);
        Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
        for (String name : f.names()) {
            fileOf.put(name, f);
        }
        return new SafetensorsSource(directory, file.getFileName().toString(), List.of(f), fileOf);
    }

    /**
     * A sharded checkpoint: every shard the index names is opened once, and every tensor of the
     * index must be in the shard the index gives for it. Only the tensors of the index are visible.
     */
    static SafetensorsSource sharded(Path directory, ShardIndex index) {
        List<SafetensorsFile> opened = new ArrayList<>();
        try {
            Map<Path, SafetensorsFile> byShard = new LinkedHashMap<>();
            for (Path shard : index.shards()) {
                SafetensorsFile f = SafetensorsFile.open(shard);
                opened.add(f);
                byShard.put(shard, f);
            }
            Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
            for (Map.Entry<String, Path> e : index.weightMap().entrySet()) {
                SafetensorsFile f = byShard.get(e.getValue());
                if (!f.contains(e.getKey())) {
                    throw new ModelInputException(index.file() + " maps tensor " + SafetensorsHeader.quote(e.getKey())
                            + " to shard " + e.getValue().getFileName() + ", but that shard has no such tensor. "
                            + "The index and the shards come from different checkpoints or a shard is damaged; "
                            + "download the checkpoint again.");
                }
                fileOf.put(e.getKey(), f);
            }
            return new SafetensorsSource(directory, index.file().getFileName() + " and its "
                    + index.shards().size() + " shards", opened, fileOf);
        } catch (RuntimeException e) {
            opened.forEach(SafetensorsFile::close);
            throw e;
        }
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public Set<String> names() {
        return fileOf.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        return file(name).info(name);
    }

    @Override
    public double[] readDoubles(String name) {
        return file(name).readDoubles(name);
    }

    @Override
    public RowMatrix rowMatrix(String name) {
        return file(name).rowMatrix(name);
    }

    @Override
    public long checksum(String name) {
        return file(name).checksum(name);
    }

    @Override
    public long byteLength(String name) {
        return file(name).byteLength(name);
    }

    @Override
    public DType dtype() {
        return dominant;
    }

    /** Idempotent: the loader and the model may both close the source. */
    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }

    @Override
    public String toString() {
        return describedAs + " in " + directory;
    }

    private SafetensorsFile file(String name) {
        SafetensorsFile f = fileOf.get(name);
        if (f == null) {
            throw new ModelInputException(directory + " has no tensor " + SafetensorsHeader.quote(name) + " (looked in "
                    + describedAs + "). The checkpoint does not match the architecture in config.json, "
                    + "or it is incomplete; check config.json and the weight files.");
        }
        return f;
    }

    /** The readable dtype holding the most bytes (what the report calls the model's dtype); F32 when none. */
    private static DType dominantDType(Map<String, SafetensorsFile> fileOf) {
        Map<DType, Long> bytes = new EnumMap<>(DType.class);
        for (Map.Entry<String, SafetensorsFile> e : fileOf.entrySet()) {
            DType t = e.getValue().readableDType(e.getKey());
            if (t != null) {
                bytes.merge(t, e.getValue().byteLength(e.getKey()), Long::sum);
            }
        }
        return bytes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(DType.F32);
    }
}
