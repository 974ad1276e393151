package io.github.spectralcircuits.io.torch;

import io.github.spectralcircuits.io.ModelInputException;
import io.github.spectralcircuits.io.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One file written by {@code torch.save} in its zip format (PyTorch 1.6 and later): every
 * entry under one record prefix ({@code archive/}, or the file's stem), a state-dict pickle in
 * {@code data.pkl}, one raw little-endian storage per {@code data/<key>}, and optional
 * {@code version} and {@code byteorder} records. Opening checks the whole layout (zip
 * structure, pickle, every tensor against its storage); tensor bytes are mapped only when read.
 */
final class TorchArchive implements AutoCloseable {
    private static final long MAX_PICKLE = 256L << 20;
    /** The pickled magic number of the legacy format: PROTO 2, LONG1 of 10 bytes, 0x1950a86a20f9469cfc6c. */
    private static final byte[] LEGACY_MAGIC = {
        (byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a,
        (byte) 0xa8, 0x50, 0x19};

    private final Path file;
    private final FileChannel channel;
    private final Map<String, TorchTensor> tensors;
    private final Map<String, StorageType> unreadable;
    private final Map<String, StorageData> storages;

    private TorchArchive(Path file, FileChannel channel, Map<String, TorchTensor> tensors,
            Map<String, StorageType> unreadable, Map<String, StorageData> storages) {
        this.file = file;
        this.channel = channel;
        this.tensors = tensors;
        this.unreadable = unreadable;
        this.storages = storages;
    }

    Path file() {
        return file;
    }

    /** The floating-point tensors, by name, in file order. */
    Map<String, TorchTensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    /** Tensors present but of a kind the analysis does not read (integer and boolean buffers). */
    Map<String, StorageType> unreadable() {
        return Collections.unmodifiableMap(unreadable);
    }

    static TorchArchive open(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new ModelInputException("The PyTorch checkpoint " + file + " does not exist. Check the model"
                    + " directory: it needs pytorch_model.bin, the shards its index names, or model.safetensors.");
        } catch (IOException e) {
            throw new ModelInputException("Cannot open the PyTorch checkpoint " + file + ": " + e.getMessage()
                    + ". Check that it is a readable file.", e);
        }
        try {
            TorchArchive archive = read(file, channel);
            channel = null;
            return archive;
        } catch (IOException e) {
            throw new ModelInputException("Cannot read the PyTorch checkpoint " + file + ": " + e.getMessage()
                    + ". Check that the file is complete and readable.", e);
        } finally {
            if (channel != null) {
                closeQuietly(channel);
            }
        }
    }

    private static TorchArchive read(Path file, FileChannel channel) throws IOException {
        checkZipMagic(file, channel);
        ZipDirectory zip = ZipDirectory.read(file, channel);
        String prefix = recordPrefix(file, zip);
        if (zip.get(prefix + "constants.pkl") != null || zip.get(prefix + "code/") != null
                || zip.entries().stream().anyMatch(e -> e.name().startsWith(prefix + "code/"))) {
            throw new ModelInputException("The file " + file + " is a TorchScript archive (torch.jit.save), not a"
                    + " state dict saved with torch.save; its weights cannot be read without running its code. Save"
                    + " the model's state_dict() with torch.save, or as model.safetensors.");
        }
        checkByteOrder(file, channel, zip.get(prefix + "byteorder"));
        checkVersion(file, channel, zip.get(prefix + "version"));
        ZipDirectory.Entry pickleEntry = zip.get(prefix + "data.pkl");
        if (pickleEntry == null) {
            throw new ModelInputException("The file " + file + " is a zip archive but not a torch.save checkpoint: it has"
                    + " no '" + prefix + "data.pkl' entry. Point the analysis at a model directory holding"
                    + " pytorch_model.bin or model.safetensors.");
        }
        byte[] pickle = EntryBytes.readSmall(file, channel, pickleEntry, MAX_PICKLE);
        Object root = PickleMachine.load(file.toString(), pickle, new TorchPickleRules(file.toString()));
        if (!(root instanceof Map)) {
            throw new ModelInputException("The PyTorch checkpoint " + file + " holds " + PickleMachine.describe(root)
                    + " rather than a state dict (a dict of tensor names to tensors). Save model.state_dict() with"
                    + " torch.save, or the weights as model.safetensors.");
        }
        Map<String, TorchTensor> tensors = new LinkedHashMap<>();
        Map<String, StorageType> unreadable = new LinkedHashMap<>();
        Map<String, StorageData> storages = new HashMap<>();
        for (Map.Entry<?, ?> item : ((Map<?, ?>) root).entrySet()) {
            if (!(item.getValue() instanceof TensorRef)) {
                continue; // a state dict may carry plain values (e.g. counters); only tensors are weights
            }
            if (!(item.getKey() instanceof String)) {
                throw new ModelInputException("The PyTorch checkpoint " + file + " names a tensor with "
                        + PickleMachine.describe(item.getKey()) + " instead of a string. Re-export the weights.");
            }
            String name = (String) item.getKey();
            if (!Printable.isClean(name)) {
                throw new ModelInputException("The PyTorch checkpoint " + file + " has a tensor name with control"
                        + " characters ('" + Printable.of(name) + "'). The file is damaged or hostile; re-export the"
                        + " weights, preferably as model.safetensors.");
            }
            TensorRef ref = (TensorRef) item.getValue();
            ZipDirectory.Entry entry = checkTensor(file, zip, prefix, name, ref);
            StorageType type = ref.storage().type();
            StorageData data = storages.computeIfAbsent(ref.storage().key(), k -> new StorageData(file, channel, entry));
            if (type.dtype() == null) {
                unreadable.put(name, type);
            } else {
                TensorInfo info = new TensorInfo(name, type.dtype(), ref.size(), file);
                tensors.put(name, new TorchTensor(info, data, ref.storageOffset() * type.elementSize()));
            }
        }
        if (tensors.isEmpty() && unreadable.isEmpty()) {
            throw new ModelInputException("The PyTorch checkpoint " + file + " holds a dict without any tensor. It is"
                    + " not a model's state dict (a training checkpoint keeps it under a key such as 'model');"
                    + " save model.state_dict() with torch.save, or the weights as model.safetensors.");
        }
        return new TorchArchive(file, channel, tensors, unreadable, storages);
    }

    /** Checks one tensor against its storage and returns the storage's entry. */
    private static ZipDirectory.Entry checkTensor(Path file, ZipDirectory zip, String prefix, String name, TensorRef ref) {
        StorageRef storage = ref.storage();
        long[] size = ref.size();
        long[] stride = ref.stride();
        long count = 1;
        try {
            for (long s : size) {
                count = Math.multiplyExact(count, s);
            }
        } catch (ArithmeticException e) {
            throw badTensor(file, name, "its shape " + Arrays.toString(size) + " has more elements than a long can count");
        }
        if (count > 0) {
            long expected = 1;
            for (int i = size.length - 1; i >= 0; i--) {
                if (size[i] != 1 && stride[i] != expected) {
                    throw badTensor(file, name, "its strides " + Arrays.toString(stride) + " for shape "
                            + Arrays.toString(size) + " are not contiguous row-major (a transposed or sliced view was"
                            + " saved); save tensor.contiguous() instead");
                }
                expected *= size[i];
            }
            if (ref.storageOffset() > storage.numel() || count > storage.numel() - ref.storageOffset()) {
                throw badTensor(file, name, "it covers elements " + ref.storageOffset() + " to "
                        + (ref.storageOffset() + count) + " of storage '" + storage.key() + "', which holds only "
                        + storage.numel() + " elements");
            }
        }
        String entryName = prefix + "data/" + storage.key();
        ZipDirectory.Entry entry = zip.get(entryName);
        if (entry == null) {
            throw badTensor(file, name, "its storage '" + entryName + "' is missing from the archive (the file is"
                    + " incomplete)");
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(storage.numel(), (long) storage.type().elementSize());
        } catch (ArithmeticException e) {
            throw badTensor(file, name, "its storage claims " + storage.numel() + " elements");
        }
        if (entry.size() != bytes) {
            throw badTensor(file, name, "its storage '" + entryName + "' holds " + entry.size() + " bytes but the"
                    + " pickle declares " + storage.numel() + " x " + storage.type().qualifiedName() + " = " + bytes
                    + " bytes");
        }
        return entry;
    }

    private static ModelInputException badTensor(Path file, String name, String what) {
        return new ModelInputException("Tensor '" + name + "' in the PyTorch checkpoint " + file + " cannot be read: "
                + what + ". The checkpoint cannot be used as it is; re-export the weights with torch.save(model.state_dict())"
                + " or, preferably, as model.safetensors.");
    }

    private static void checkZipMagic(Path file, FileChannel channel) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(512);
        while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
            // fill what the file has
        }
        byte[] b = Arrays.copyOf(head.array(), head.position());
        if (b.length >= 4 && b[0] == 'P' && b[1] == 'K' && (b[2] == 3 && b[3] == 4 || b[2] == 5 && b[3] == 6)) {
            return;
        }
        String what;
        if (b.length >= LEGACY_MAGIC.length && Arrays.equals(Arrays.copyOf(b, LEGACY_MAGIC.length), LEGACY_MAGIC)) {
            what = "it is in the legacy format of torch.save before PyTorch 1.6 (or with"
                    + " _use_new_zipfile_serialization=False): a sequence of pickles, which is not supported";
        } else if (b.length >= 262 && new String(b, 257, 5, StandardCharsets.ISO_8859_1).equals("ustar")) {
            what = "it is a tar archive, the format of very old PyTorch versions, which is not supported";
        } else if (b.length >= 2 && (b[0] & 0xFF) == 0x80) {
            what = "it is a bare pickle, not the zip archive torch.save writes, which is not supported";
        } else {
            what = "it does not start like a zip archive, so it is not a checkpoint written by torch.save";
        }
        throw new ModelInputException("Cannot read the PyTorch checkpoint " + file + ": " + what + ". Nothing from it"
                + " was executed. Load and re-save it with a current PyTorch in a trusted environment (torch.save"
                + " writes the zip format), or convert it to model.safetensors.");
    }

    /** Every entry sits under one top-level folder, whose name varies between writers; find it. */
    private static String recordPrefix(Path file, ZipDirectory zip) {
        String prefix = null;
        for (ZipDirectory.Entry e : zip.entries()) {
            int slash = e.name().indexOf('/');
            String p = slash > 0 ? e.name().substring(0, slash + 1) : null;
            if (p == null || (prefix != null && !prefix.equals(p))) {
                throw new ModelInputException("The file " + file + " is a zip archive but not a torch.save checkpoint:"
                        + " its entries do not share one top-level folder ('" + e.name() + "'"
                        + (prefix == null ? "" : " is outside '" + prefix + "'") + "). Point the analysis at a model"
                        + " directory holding pytorch_model.bin or model.safetensors.");
            }
            prefix = p;
        }
        if (prefix == null) {
            throw new ModelInputException("The file " + file + " is an empty zip archive, not a torch.save checkpoint.");
        }
        return prefix;
    }

    private static void checkByteOrder(Path file, FileChannel channel, ZipDirectory.Entry entry) throws IOException {
        if (entry == null) {
            return; // written since PyTorch 2.1; older files are little-endian
        }
        String order = new String(EntryBytes.readSmall(file, channel, entry, 64), StandardCharsets.US_ASCII).trim();
        if (order.equals("little")) {
            return;
        }
        throw new ModelInputException("The PyTorch checkpoint " + file + " records byte order '" + Printable.of(order) + "'"
                + (order.equals("big") ? ": it was saved on a big-endian machine and its storages are big-endian,"
                        + " which this reader does not convert" : ", which is neither 'little' nor 'big'")
                + ". Re-save it on a little-endian machine or convert it to model.safetensors.");
    }

    private static void checkVersion(Path file, FileChannel channel, ZipDirectory.Entry entry) throws IOException {
        if (entry == null) {
            return;
        }
        String version = new String(EntryBytes.readSmall(file, channel, entry, 64), StandardCharsets.US_ASCII).trim();
        if (!version.matches("[0-9]{1,3}")) {
            throw new ModelInputException("The PyTorch checkpoint " + file + " has a 'version' record '" + Printable.of(version)
                    + "' that is not a format version number. The file is damaged or not written by torch.save.");
        }
    }

    @Override
    public void close() {
        for (StorageData s : storages.values()) {
            s.close();
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing was written; closing a read-only channel cannot lose data
        }
    }
}
