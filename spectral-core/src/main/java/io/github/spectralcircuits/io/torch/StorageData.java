package io.github.spectralcircuits.io.torch;

import io.github.spectralcircuits.io.ModelInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bytes of one storage ({@code data/<key>}), mapped on first use. A stored entry (what
 * torch.save writes) is mapped in place; a deflated one is inflated once into a temporary file
 * that is mapped instead, so neither ever sits whole in the heap.
 */
final class StorageData implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final ZipDirectory.Entry entry;
    private volatile MappedRegion region;
    private Path inflated;

    StorageData(Path file, FileChannel channel, ZipDirectory.Entry entry) {
        this.file = file;
        this.channel = channel;
        this.entry = entry;
    }

    MappedRegion region() {
        MappedRegion mapped = region;
        return mapped != null ? mapped : mapOnce();
    }

    private synchronized MappedRegion mapOnce() {
        if (region == null) {
            try {
                region = entry.method() == ZipDirectory.STORED
                        ? MappedRegion.map(channel, entry.dataOffset(), entry.size())
                        : inflateToTemporaryFile();
            } catch (IOException e) {
                throw new ModelInputException("Cannot map entry '" + entry.name() + "' of the PyTorch checkpoint "
                        + file + ": " + e.getMessage() + ". Check that the file is readable and not being rewritten.", e);
            }
        }
        return region;
    }

    private MappedRegion inflateToTemporaryFile() throws IOException {
        inflated = Files.createTempFile("spectral-torch-storage-", ".bin");
        inflated.toFile().deleteOnExit();
        try (OutputStream out = Files.newOutputStream(inflated)) {
            EntryBytes.copy(file, channel, entry, out);
        }
        try (FileChannel copy = FileChannel.open(inflated, StandardOpenOption.READ)) {
            return MappedRegion.map(copy, 0, entry.size());
        }
    }

    @Override
    public synchronized void close() {
        region = null;
        if (inflated != null) {
            try {
                Files.deleteIfExists(inflated);
            } catch (IOException e) {
                // still mapped on some systems; deleteOnExit removes it later
            }
        }
    }
}
