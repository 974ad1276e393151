package io.github.spectralcircuits.io.torch;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Test-side writer of torch.save's zip format, written from PyTorch's description of it
 * (torch/serialization.py {@code _save}): a state dict pickled with protocol 2 whose tensors
 * reduce to {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad,
 * OrderedDict())}, each storage a persistent id {@code ('storage', torch.XStorage, key, 'cpu',
 * numel)} stored raw little-endian as {@code <prefix>/data/<key>}, plus {@code version} and
 * {@code byteorder} records. Entries are STORED with their data aligned to 64 bytes through a
 * padding extra field, as PyTorch's zip writer does. Hooks let tests break each part.
 */
final class TorchCheckpointWriter {
    record Storage(String key, String storageClass, long numel, byte[] data) {
    }

    record Tensor(String name, String key, long offset, long[] size, long[] stride, boolean parameter) {
    }

    private final Map<String, Storage> storages = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private final Map<String, byte[]> extraEntries = new LinkedHashMap<>();
    private final List<String> omitted = new ArrayList<>();
    private String prefix;
    private String byteorder = "little";
    private boolean deflate;
    private byte[] pickleOverride;

    /** A float32 tensor with its own storage, contiguous. */
    TorchCheckpointWriter floats(String name, long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        String key = nextKey();
        storage(key, "FloatStorage", values.length, b.array());
        return tensor(name, key, 0, shape, contiguousStrides(shape));
    }

    TorchCheckpointWriter storage(String key, String storageClass, long numel, byte[] data) {
        storages.put(key, new Storage(key, storageClass, numel, data));
        return this;
    }

    TorchCheckpointWriter tensor(String name, String key, long offset, long[] size, long[] stride) {
        tensors.add(new Tensor(name, key, offset, size, stride, false));
        return this;
    }

    /** A tensor pickled as an nn.Parameter: _rebuild_parameter(_rebuild_tensor_v2(...), True, OrderedDict()). */
    TorchCheckpointWriter parameter(String name, String key, long offset, long[] size, long[] stride) {
        tensors.add(new Tensor(name, key, offset, size, stride, true));
        return this;
    }

    String nextKey() {
        return String.valueOf(storages.size());
    }

    TorchCheckpointWriter prefix(String p) {
        prefix = p;
        return this;
    }

    TorchCheckpointWriter byteorder(String order) {
        byteorder = order;
        return this;
    }

    TorchCheckpointWriter deflate(boolean on) {
        deflate = on;
        return this;
    }

    TorchCheckpointWriter pickle(byte[] bytes) {
        pickleOverride = bytes;
        return this;
    }

    TorchCheckpointWriter omitStorage(String key) {
        omitted.add(key);
        return this;
    }

    /** An additional entry, named relative to the archive root (so it may escape the prefix). */
    TorchCheckpointWriter extraEntry(String fullName, byte[] data) {
        extraEntries.put(fullName, data);
        return this;
    }

    static long[] contiguousStrides(long[] shape) {
        long[] stride = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= shape[i];
        }
        return stride;
    }

    byte[] statePickle() {
        PickleWriter p = new PickleWriter();
        p.proto(2);
        p.global("collections", "OrderedDict").op(')').op('R');
        p.memoize();
        // CPython's _batch_setitems writes batches of 1000 pairs
        for (int start = 0; start < tensors.size(); start += 1000) {
            p.mark();
            for (Tensor t : tensors.subList(start, Math.min(tensors.size(), start + 1000))) {
                p.string(t.name(), false);
                if (t.parameter()) {
                    p.global("torch._utils", "_rebuild_parameter");
                }
                p.global("torch._utils", "_rebuild_tensor_v2");
                p.mark();
                Storage s = storages.get(t.key());
                p.mark().string("storage", true).global("torch", s.storageClass()).string(s.key(), true)
                        .string("cpu", true).integer(s.numel()).closeTuple(5);
                p.op('Q');
                p.integer(t.offset());
                p.intTuple(t.size());
                p.intTuple(t.stride());
                p.bool(false);
                p.global("collections", "OrderedDict").op(')').op('R');
                p.memoize();
                p.closeTuple(6);
                p.op('R');
                p.memoize();
                if (t.parameter()) {
                    p.bool(true);
                    p.global("collections", "OrderedDict").op(')').op('R');
                    p.memoize();
                    p.closeTuple(3);
                    p.op('R');
                    p.memoize();
                }
            }
            p.op('u');
        }
        // OrderedDict.__reduce__ state: the state dict's _metadata attribute, applied by BUILD
        p.op('}');
        p.memoize();
        p.string("_metadata", false);
        p.global("collections", "OrderedDict").op(')').op('R');
        p.memoize();
        p.string("", false).op('}');
        p.memoize();
        p.string("version", false).integer(1).op('s');
        p.op('s');
        p.op('s');
        p.op('b');
        return p.stop().bytes();
    }

    void write(Path file) throws IOException {
        String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        String root = (prefix == null ? stem : prefix) + "/";
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(root + "data.pkl", pickleOverride != null ? pickleOverride : statePickle());
        if (byteorder != null) {
            entries.put(root + "byteorder", byteorder.getBytes(StandardCharsets.US_ASCII));
        }
        for (Storage s : storages.values()) {
            if (!omitted.contains(s.key())) {
                entries.put(root + "data/" + s.key(), s.data());
            }
        }
        entries.put(root + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
        entries.putAll(extraEntries);
        writeZip(file, entries, deflate);
    }

    static void writeZip(Path file, Map<String, byte[]> entries, boolean deflate) throws IOException {
        try (CountingStream counter = new CountingStream(Files.newOutputStream(file));
                ZipOutputStream zip = new ZipOutputStream(counter)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                byte[] data = e.getValue();
                ZipEntry entry = new ZipEntry(e.getKey());
                if (deflate) {
                    entry.setMethod(ZipEntry.DEFLATED);
                } else {
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(data.length);
                    entry.setCompressedSize(data.length);
                    CRC32 crc = new CRC32();
                    crc.update(data);
                    entry.setCrc(crc.getValue());
                    zip.flush();
                    int nameLength = e.getKey().getBytes(StandardCharsets.UTF_8).length;
                    long headerEnd = counter.count + 30 + nameLength + 4;
                    int pad = (int) ((64 - headerEnd % 64) % 64);
                    ByteBuffer extra = ByteBuffer.allocate(4 + pad).order(ByteOrder.LITTLE_ENDIAN);
                    extra.putShort((short) 0x4246).putShort((short) pad); // 'FB', PyTorch's padding field id
                    entry.setExtra(extra.array());
                }
                zip.putNextEntry(entry);
                zip.write(data);
                zip.closeEntry();
            }
        }
    }

    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
