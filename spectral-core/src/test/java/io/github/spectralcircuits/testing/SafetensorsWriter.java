package io.github.spectralcircuits.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.spectralcircuits.io.DType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes safetensors files for tests, as Hugging Face writes them (little-endian data, tensors
 * contiguous in insertion order, JSON header padded with spaces to a multiple of 8 bytes).
 *
 * <pre>{@code
 * new SafetensorsWriter()
 *     .add("model.embed_tokens.weight", DType.F32, values, 512, 64)   // row-major values, then the shape
 *     .add("model.norm.weight", DType.BF16, gains, 64)
 *     .metadata("format", "pt")
 *     .write(dir.resolve("model.safetensors"));                        // or .writeSharded(dir, 3)
 * }</pre>
 *
 * Values are given as double and rounded to the dtype: F32 by Java's cast, F16 and BF16 to
 * nearest-even from that float (see {@link #toF16} and {@link #toBF16}). For malformed files use
 * {@link #addRaw} (any dtype name, any bytes), {@link #headerJson()} / {@link #dataBytes()} to take
 * a valid file apart, and {@link #raw} to assemble header and data with any declared length.
 */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Tensor(String name, String dtype, long[] shape, byte[] bytes) {
    }

    private final List<Tensor> tensors = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** Adds a tensor; values are row-major and their count must equal the product of shape. */
    public SafetensorsWriter add(String name, DType dtype, double[] values, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        if (n != values.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + java.util.Arrays.toString(shape));
        }
        tensors.add(new Tensor(name, dtype.name(), shape.clone(), encode(dtype, values)));
        return this;
    }

    /** Adds a tensor with any dtype name and any bytes, written as they are (no checks). */
    public SafetensorsWriter addRaw(String name, String dtype, long[] shape, byte[] bytes) {
        tensors.add(new Tensor(name, dtype, shape.clone(), bytes.clone()));
        return this;
    }

    /** An entry of the header's {@code __metadata__}. */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Writes one file (creating parent directories) and returns its path. */
    public Path write(Path file) {
        writeBytes(file, toBytes());
        return file;
    }

    /** The whole file as bytes. */
    public byte[] toBytes() {
        return raw(headerJson(), dataBytes());
    }

    /** The header as written: JSON, padded with spaces to a multiple of 8 bytes. */
    public String headerJson() {
        return header(tensors, metadata);
    }

    /** The data area: the tensors' bytes, back to back in insertion order. */
    public byte[] dataBytes() {
        return data(tensors);
    }

    /**
     * Writes the tensors as {@code shards} files {@code model-0000i-of-0000n.safetensors} in dir
     * (consecutive tensors, as evenly as possible, in insertion order) plus {@code model.safetensors.index.json};
     * returns the weight map written (tensor name to shard file name).
     */
    public Map<String, String> writeSharded(Path dir, int shards) {
        if (shards < 1 || shards > tensors.size()) {
            throw new IllegalArgumentException(shards + " shards for " + tensors.size() + " tensors");
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        int n = tensors.size();
        for (int s = 0; s < shards; s++) {
            List<Tensor> part = tensors.subList(s * n / shards, (s + 1) * n / shards); // never empty: shards <= n
            String fileName = String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
            writeBytes(dir.resolve(fileName), raw(header(part, metadata), data(part)));
            part.forEach(t -> weightMap.put(t.name(), fileName));
        }
        writeIndex(dir, weightMap);
        return weightMap;
    }

    /** Writes {@code model.safetensors.index.json} with the given weight map (any shard names, for hostile tests). */
    public static Path writeIndex(Path dir, Map<String, String> weightMap) {
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("metadata", Map.of("total_size", 0));
        index.put("weight_map", weightMap);
        try {
            Path file = dir.resolve("model.safetensors.index.json");
            writeBytes(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(index));
            return file;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Length prefix (the true length of header) + header + data. */
    public static byte[] raw(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return raw(h.length, h, data);
    }

    /** Length prefix declaring declaredHeaderLength (true or not) + header bytes + data. */
    public static byte[] raw(long declaredHeaderLength, byte[] header, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredHeaderLength).put(header).put(data);
        return b.array();
    }

    /** Writes bytes to file, creating parent directories. */
    public static void writeBytes(Path file, byte[] bytes) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The little-endian bytes of values in dtype. */
    public static byte[] encode(DType dtype, double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            switch (dtype) {
                case F64 -> b.putDouble(v);
                case F32 -> b.putFloat((float) v);
                case F16 -> b.putShort(toF16((float) v));
                case BF16 -> b.putShort(toBF16((float) v));
            }
        }
        return b.array();
    }

    /** IEEE binary16 nearest to f, ties to even; overflow gives infinity, NaN stays NaN. */
    public static short toF16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
        }
        int e = exponent - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            // binary16 subnormal: round (1.mantissa * 2^(exponent-127)) / 2^-24 to an integer
            int shift = 14 - e;
            if (exponent == 0 || shift > 24) {
                return (short) sign;
            }
            int full = 0x800000 | mantissa;
            int h = full >>> shift;
            int rest = full & ((1 << shift) - 1);
            int half = 1 << (shift - 1);
            if (rest > half || (rest == half && (h & 1) == 1)) {
                h++;
            }
            return (short) (sign | h);
        }
        int h = (e << 10) | (mantissa >>> 13);
        int rest = mantissa & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (h & 1) == 1)) {
            h++; // a carry into the exponent is still correct, up to infinity
        }
        return (short) (sign | h);
    }

    /** bfloat16 nearest to f, ties to even; NaN stays NaN. */
    public static short toBF16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    private static String header(List<Tensor> part, Map<String, String> metadata) {
        Map<String, Object> h = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            h.put("__metadata__", metadata);
        }
        long offset = 0;
        for (Tensor t : part) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("dtype", t.dtype());
            e.put("shape", t.shape());
            e.put("data_offsets", new long[] {offset, offset + t.bytes().length});
            offset += t.bytes().length;
            h.put(t.name(), e);
        }
        try {
            StringBuilder s = new StringBuilder(JSON.writeValueAsString(h));
            while (s.toString().getBytes(StandardCharsets.UTF_8).length % 8 != 0) {
                s.append(' ');
            }
            return s.toString();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] data(List<Tensor> part) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        part.forEach(t -> out.writeBytes(t.bytes()));
        return out.toByteArray();
    }
}
